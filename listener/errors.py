"""Errors a collector raises, translated from each SDK at the edge (``raise ... from exc``).

::

    ListenerError
    ├── NotConfigured(reason)        the source is off; the reason names the setting to set
    ├── AuthFailed(credential)       stop and mark unhealthy; re-authenticate
    ├── RateLimited(retry_after)     wait until the platform's reset, then go on
    │   └── UsageCapped              a quota for the month (X: 429 without a reset); stop, say so
    ├── SourceUnavailable            transient: network, 5xx, timeouts; back off and retry
    └── MalformedPayload(where, why) one item that cannot be read; skipped and recorded
"""

from __future__ import annotations

__all__ = [
    "AuthFailed",
    "ListenerError",
    "MalformedPayload",
    "NotConfigured",
    "RateLimited",
    "SourceUnavailable",
    "UsageCapped",
]


class ListenerError(Exception):
    """Base of everything a collector raises on purpose."""


class NotConfigured(ListenerError):
    """The source cannot run with these settings; it is left out with the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthFailed(ListenerError):
    """The platform refused the credentials."""

    def __init__(self, credential: str, message: str = "") -> None:
        super().__init__(f"authentication failed; check {credential}. {message}".strip())
        self.credential = credential


class RateLimited(ListenerError):
    """The platform asked us to wait; ``retry_after`` is seconds, None when it gave no reset."""

    def __init__(self, retry_after: float | None, message: str = "rate limited") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UsageCapped(RateLimited):
    """A quota for a whole period is spent (X's monthly cap); no reset was given, do not spin."""

    def __init__(self, message: str = "usage cap reached") -> None:
        super().__init__(None, message)


class SourceUnavailable(ListenerError):
    """A transient failure: the network, a 5xx, a timeout."""


class MalformedPayload(ListenerError):
    """One item that cannot be read; ``where`` locates it (file:line, item id)."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why
