"""Who is asking, and may they: the dependencies every route declares.

A request is signed in by a session cookie (the pages, and the page's own
JavaScript) or by an ``Authorization: Bearer`` API token. A cookie-borne request
that changes state must carry the session's CSRF token, in the ``csrf_token``
form field or the ``X-CSRF-Token`` header; token requests carry no cookie, so a
third-party page cannot forge them and they are exempt. Roles are ordered
admin > manager > agent; :func:`require` builds a dependency for a minimum role.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from console.accounts import user_for_token
from console.errors import CsrfRefused, Forbidden, NotSignedIn
from console.security import SessionData, new_csrf_token, tokens_match
from crm.console_queries import Viewer
from crm.db import session_scope
from crm.enums import Role
from crm.models import User
from responders.approval import Actor

__all__ = [
    "ROLE_RANK",
    "Admin",
    "Agent",
    "Manager",
    "Principal",
    "check_csrf",
    "require",
]

ROLE_RANK = {Role.AGENT: 0, Role.MANAGER: 1, Role.ADMIN: 2}
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user of this request and how they proved it (``cookie`` or ``token``)."""

    user: User
    via: str

    @property
    def role(self) -> Role:
        """The user's role."""
        return Role(self.user.role)

    @property
    def actor(self) -> Actor:
        """The user as the responders' Actor."""
        return Actor(name=self.user.email, user_id=self.user.id, role=self.role)

    @property
    def viewer(self) -> Viewer:
        """Which cases this user may see."""
        return Viewer(user_id=self.user.id, sees_all=self.at_least(Role.MANAGER))

    @property
    def at_least_admin(self) -> bool:
        """True for admins."""
        return self.at_least(Role.ADMIN)

    def at_least(self, role: Role) -> bool:
        """True when the user's role is ``role`` or above."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def session_of(request: Request) -> SessionData:
    """The session the middleware read (a fresh anonymous one when there was none)."""
    data: SessionData = request.state.session
    return data


async def check_csrf(request: Request) -> None:
    """Refuse a cookie-borne state change without the session's CSRF token."""
    expected = session_of(request).csrf
    given = request.headers.get("x-csrf-token")
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            given = value if isinstance(value, str) else None
    if not tokens_match(expected, given):
        raise CsrfRefused


async def principal(request: Request) -> Principal:
    """The signed-in user, by API token or session cookie; CSRF-checked for cookie changes."""
    engine: Engine = request.app.state.engine
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotSignedIn("send the API token as 'Authorization: Bearer <token>'")
        with session_scope(engine) as session:
            user = user_for_token(session=session, token=token.strip())
        if user is None:
            raise NotSignedIn(
                "the API token is unknown or revoked; make one with `socialcrm token`"
            )
        return Principal(user=user, via="token")
    data = session_of(request)
    if data.user_id is None:
        raise NotSignedIn
    with session_scope(engine) as session:
        user = session.get(User, data.user_id)
    if user is None or not user.is_active:
        _forget(request)
        raise NotSignedIn("your account is no longer active; ask an admin")
    if user.session_version != data.version:
        _forget(request)
        raise NotSignedIn("this session was ended (password change or sign-out everywhere)")
    if request.method in UNSAFE_METHODS:
        await check_csrf(request)
    return Principal(user=user, via="cookie")


def _forget(request: Request) -> None:
    """Replace a void session with an anonymous one, so the browser stops sending it."""
    request.state.session = SessionData(csrf=new_csrf_token())
    request.state.session_changed = True


def require(role: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency that admits users of ``role`` or above."""

    async def dependency(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if not who.at_least(role):
            raise Forbidden(f"this needs the {role} role or above; you are {who.role}")
        return who

    return dependency


Agent = Annotated[Principal, Depends(require(Role.AGENT))]
Manager = Annotated[Principal, Depends(require(Role.MANAGER))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
