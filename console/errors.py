"""Exceptions raised by the console package.

The tree::

    ConsoleError               anything the console raises on purpose
     ├── NotSignedIn           no valid session cookie or API token (401, or a redirect to sign in)
     ├── Forbidden             signed in, but the role does not allow this (403)
     ├── CsrfRefused           a state-changing request without the session's CSRF token (403)
     ├── SignInRefused         wrong e-mail or password, or an inactive account (401)
     │    └── TooManySignIns   too many failed attempts in 15 minutes (429, retry later)
     └── AccountError          a user or token that cannot be created or changed as asked (422)

Each carries a message that says what went wrong and what to do next.
"""

from __future__ import annotations

__all__ = [
    "AccountError",
    "ConsoleError",
    "CsrfRefused",
    "Forbidden",
    "NotSignedIn",
    "SignInRefused",
    "TooManySignIns",
]


class ConsoleError(Exception):
    """Base class for the console's own errors; ``status`` is the HTTP status it maps to."""

    status = 400


class NotSignedIn(ConsoleError):
    """The request carries no valid session or token."""

    status = 401

    def __init__(self, message: str = "sign in first, or send an API token") -> None:
        super().__init__(message)


class Forbidden(ConsoleError):
    """The user's role does not allow the action."""

    status = 403


class CsrfRefused(ConsoleError):
    """A state-changing request without the CSRF token of the session."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "the form's security token is missing or stale; reload the page and try again"
        )


class SignInRefused(ConsoleError):
    """The e-mail and password do not match an active user."""

    status = 401

    def __init__(self, message: str = "wrong e-mail or password") -> None:
        super().__init__(message)


class TooManySignIns(SignInRefused):
    """Too many failed attempts for this e-mail or address in the last 15 minutes."""

    status = 429

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"more than {limit} failed sign-ins in 15 minutes; wait a few minutes and try again"
        )
        self.limit = limit


class AccountError(ConsoleError, ValueError):
    """A user or token change that cannot be made as asked."""

    status = 422
