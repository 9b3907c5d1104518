"""Sign-in, sign-out (here or everywhere), the own password and preferences (language, zone)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from console.accounts import authenticate, change_password, end_sessions, update_preferences
from console.deps import Agent, check_csrf
from console.errors import AccountError, SignInRefused
from console.security import SessionData, new_csrf_token
from console.web import render
from crm.db import session_scope
from crm.models import User

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _next(target: str | None) -> str:
    """Only paths on this site, never ``//host`` or a scheme: no open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return render(request, "signin.html", {"next": _next(next), "error": None})


@router.post("/signin", dependencies=[Depends(check_csrf)])
def signin(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (rate-limited), then start a fresh session with a new CSRF token."""
    settings = request.app.state.settings
    address = request.client.host if request.client else ""
    try:
        with session_scope(request.app.state.engine) as session:
            user = authenticate(
                session=session,
                email=email,
                password=password,
                address=address,
                limit=settings.sign_in_attempts_per_15_minutes,
            )
            user_id = user.id if user else None
            version = user.session_version if user else 0
        if user_id is None:
            raise SignInRefused
    except SignInRefused as exc:
        context = {"next": _next(next), "error": str(exc), "email": email[:320]}
        return render(request, "signin.html", context, status_code=exc.status)
    _start_session(request, user_id=user_id, version=version)
    return RedirectResponse(_next(next), status_code=303)


def _start_session(request: Request, *, user_id: int, version: int) -> None:
    """A fresh session (new CSRF token) for the user at their current session version."""
    request.state.session = SessionData(csrf=new_csrf_token(), user_id=user_id, version=version)
    request.state.session_changed = True


@router.post("/signout", dependencies=[Depends(check_csrf)])
def signout(request: Request) -> Response:
    """End the session: the cookie is replaced by an anonymous one."""
    request.state.session = SessionData(csrf=new_csrf_token())
    request.state.session_changed = True
    return RedirectResponse("/signin", status_code=303)


@router.post("/signout/everywhere")
def signout_everywhere(request: Request, who: Agent) -> Response:
    """End every session of this user, on every browser, this one included."""
    with session_scope(request.app.state.engine) as session:
        user = session.get_one(User, who.user.id)
        end_sessions(session=session, user=user, actor=who.user.email, reason="asked")
    request.state.session = SessionData(csrf=new_csrf_token())
    request.state.session_changed = True
    return RedirectResponse("/signin", status_code=303)


@router.get("/account")
def account_page(request: Request, who: Agent) -> Response:
    """The user's own account: password change and signing out everywhere."""
    return render(request, "account.html", {"error": None, "done": False}, user=who.user)


@router.post("/account/password")
def password(
    request: Request,
    who: Agent,
    current: Annotated[str, Form(max_length=1000)],
    new: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Change one's own password: every other session ends, this one starts afresh."""
    try:
        with session_scope(request.app.state.engine) as session:
            user = session.get_one(User, who.user.id)
            change_password(
                session=session, user=user, password=new, current=current, actor=user.email
            )
            version = user.session_version
    except AccountError as exc:
        context = {"error": str(exc), "done": False}
        return render(request, "account.html", context, user=who.user, status_code=exc.status)
    _start_session(request, user_id=who.user.id or 0, version=version)
    return render(request, "account.html", {"error": None, "done": True}, user=who.user)


@router.post("/preferences")
def preferences(
    request: Request,
    who: Agent,
    language: Annotated[str | None, Form(max_length=16)] = None,
    timezone: Annotated[str | None, Form(max_length=64)] = None,
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Change the console's language or time zone for this user."""
    with session_scope(request.app.state.engine) as session:
        user = session.get_one(User, who.user.id)
        update_preferences(session=session, user=user, language=language, timezone=timezone)
    return RedirectResponse(_next(back), status_code=303)
