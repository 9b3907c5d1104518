"""Data functions for console users, their API tokens and sign-in attempts. None commits.

A user signs in with e-mail and password (argon2id); failures are recorded as
``SignInAttempt`` rows and more than ``limit`` failures for one e-mail or one
address in 15 minutes refuse further tries until the window moves on. API
tokens belong to a user and act with that user's role; only their SHA-256 is kept.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, func, or_, select

from console.errors import AccountError, TooManySignIns
from console.security import hash_password, hash_token, needs_rehash, new_api_token, verify_password
from crm.cases import add_audit_event
from crm.enums import Role
from crm.models import ApiToken, SignInAttempt, User
from crm.types import utcnow

__all__ = [
    "LANGUAGES",
    "MIN_PASSWORD_CHARS",
    "NewToken",
    "authenticate",
    "change_password",
    "create_token",
    "create_user",
    "end_sessions",
    "list_tokens",
    "list_users",
    "revoke_token",
    "set_active",
    "update_preferences",
    "user_for_token",
]

logger = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 10
LANGUAGES = ("en", "tr", "fa")
_WINDOW = timedelta(minutes=15)
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}$")


def normalise_email(email: str) -> str:
    """The e-mail as stored: trimmed, lower-case; AccountError when it is not an address."""
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned):
        raise AccountError(f"{email!r} is not an e-mail address; give one like ana@example.com")
    return cleaned


def create_user(
    *, session: Session, email: str, password: str, role: Role, name: str = "", actor: str
) -> User:
    """A new active user; AccountError when the e-mail is taken or the password too short."""
    address = normalise_email(email)
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
    if session.exec(select(User).where(User.email == address)).first() is not None:
        raise AccountError(f"there is already a user {address}; pick another e-mail")
    user = User(email=address, name=name.strip()[:200], role=Role(role))
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    add_audit_event(session=session, action="user.created", entity=user, actor=actor, role=role)
    return user


def end_sessions(*, session: Session, user: User, actor: str, reason: str) -> User:
    """Sign the user out of every browser session: their session version moves on."""
    user.session_version += 1
    session.add(user)
    add_audit_event(
        session=session, action="user.signed_out_everywhere", entity=user, actor=actor, why=reason
    )
    return user


def change_password(
    *, session: Session, user: User, password: str, actor: str, current: str | None = None
) -> User:
    """Set a new password and end every session of the user (the caller starts a new one).

    ``current`` is checked when given (people changing their own password); an admin
    or the CLI resetting someone else's passes None.
    """
    if current is not None and not verify_password(user.password_hash, current):
        raise AccountError("the current password is wrong; nothing was changed")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
    user.password_hash = hash_password(password)
    add_audit_event(session=session, action="user.password_changed", entity=user, actor=actor)
    return end_sessions(session=session, user=user, actor=actor, reason="password changed")


def set_active(*, session: Session, user: User, active: bool, actor: str) -> User:
    """Activate or deactivate a user; deactivating ends their sessions (tokens stop too)."""
    if user.is_active == active:
        return user
    user.is_active = active
    add_audit_event(
        session=session,
        action="user.activated" if active else "user.deactivated",
        entity=user,
        actor=actor,
    )
    if not active:
        end_sessions(session=session, user=user, actor=actor, reason="deactivated")
    session.add(user)
    return user


def list_users(*, session: Session) -> list[User]:
    """Every user, by e-mail."""
    return list(session.exec(select(User).order_by(col(User.email))))


def authenticate(
    *, session: Session, email: str, password: str, address: str, limit: int
) -> User | None:
    """The user whose e-mail and password match, else None; records the attempt either way.

    Raises TooManySignIns before checking the password when this e-mail or address
    failed ``limit`` times in the last 15 minutes. A mismatch returns None rather than
    raising, so that the caller commits the failed attempt that the limit counts.
    """
    cleaned = email.strip().lower()[:320]
    since = utcnow() - _WINDOW
    failures = session.exec(
        select(func.count())
        .select_from(SignInAttempt)
        .where(
            col(SignInAttempt.succeeded).is_(False),
            col(SignInAttempt.at) >= since,
            or_(SignInAttempt.email == cleaned, SignInAttempt.address == address[:64]),
        )
    ).one()
    if failures >= limit:
        logger.warning("sign-in refused: too many failures", extra={"address": address})
        raise TooManySignIns(limit)
    user = session.exec(select(User).where(User.email == cleaned)).first()
    ok = verify_password(user.password_hash if user else "", password) and bool(
        user and user.is_active
    )
    session.add(SignInAttempt(email=cleaned, address=address[:64], succeeded=ok))
    if not ok or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = utcnow()
    session.add(user)
    return user


def update_preferences(
    *, session: Session, user: User, language: str | None = None, timezone: str | None = None
) -> User:
    """Change the user's console language (en, tr, fa) or time zone (an IANA name)."""
    if language is not None:
        if language not in LANGUAGES:
            raise AccountError(f"language must be one of {', '.join(LANGUAGES)}")
        user.language = language
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise AccountError(
                f"{timezone[:64]!r} is not a time zone; use a name like Europe/Istanbul"
            ) from None
        user.timezone = timezone
    session.add(user)
    return user


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: ``secret`` is shown once and never stored."""

    record: ApiToken
    secret: str


def create_token(*, session: Session, user_id: int, name: str = "", actor: str) -> NewToken:
    """A new API token for the user; only its SHA-256 and first characters are kept."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AccountError(f"there is no active user {user_id} to make a token for")
    secret = new_api_token()
    record = ApiToken(
        user_id=user_id, name=name.strip()[:120], token_hash=hash_token(secret), prefix=secret[:9]
    )
    session.add(record)
    session.flush()
    add_audit_event(session=session, action="token.created", entity=record, actor=actor)
    return NewToken(record=record, secret=secret)


def list_tokens(*, session: Session, user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first; only one user's when ``user_id`` is given."""
    query = select(ApiToken).order_by(col(ApiToken.id).desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.exec(query))


def revoke_token(*, session: Session, token_id: int, actor: str) -> ApiToken:
    """Revoke a token for good; revoking twice is harmless."""
    record = session.get(ApiToken, token_id)
    if record is None:
        raise LookupError(f"there is no API token {token_id}; `socialcrm token list` shows them")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.add(record)
        add_audit_event(session=session, action="token.revoked", entity=record, actor=actor)
    return record


def user_for_token(*, session: Session, token: str) -> User | None:
    """The active user a live token belongs to, noting its use; None for anything else."""
    if not token or len(token) > 200:
        return None
    record = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if record is None or record.revoked_at is not None:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now
        session.add(record)
    return user
