"""Secrets of the console: password hashes, API tokens, the signed session and its key.

Passwords are hashed with argon2id (argon2-cffi's defaults). API tokens are 32
random bytes shown once; only their SHA-256 is stored. The session is a cookie
signed (not encrypted) with itsdangerous: it holds the user id, the user's
session version when it began, the CSRF token and the time it was issued, and
nothing secret. The signing key comes from
``console.secret_key`` or, when unset, from a file created once with 0600
permissions beside the SQLite database (in the working directory for PostgreSQL).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

__all__ = [
    "SECRET_KEY_FILE",
    "SESSION_COOKIE",
    "SessionCodec",
    "SessionData",
    "hash_password",
    "hash_token",
    "load_secret_key",
    "needs_rehash",
    "new_api_token",
    "new_csrf_token",
    "tokens_match",
    "use_password_hasher",
    "verify_password",
]

logger = logging.getLogger(__name__)

SESSION_COOKIE = "socialcrm_session"
SECRET_KEY_FILE = "socialcrm-secret.key"  # noqa: S105 (a file name)
TOKEN_PREFIX = "scrm_"  # noqa: S105 (marks our tokens in logs and scanners)


class _Passwords:
    """The argon2id hasher in use, and a hash of nothing to verify unknown e-mails against."""

    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        # Verifying against this keeps an unknown e-mail as slow as a wrong password.
        self.dummy_hash = hasher.hash("not a password of anyone")


_passwords = _Passwords(PasswordHasher())


def use_password_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Hash with ``hasher`` from now on and return the one used before.

    For tests only, which swap in cheap parameters so that each sign-in does not
    cost 64 MiB and tens of milliseconds; production keeps argon2-cffi's defaults.
    """
    global _passwords
    previous = _passwords.hasher
    _passwords = _Passwords(hasher)
    return previous


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _passwords.hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; an empty or malformed hash never matches."""
    try:
        checked = _passwords.hasher.verify(password_hash or _passwords.dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return checked and bool(password_hash)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _passwords.hasher.check_needs_rehash(password_hash)


def new_api_token() -> str:
    """A fresh API token (shown once, never stored)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_csrf_token() -> str:
    """A synchroniser token for one session."""
    return secrets.token_urlsafe(24)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison that is False when either side is missing."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class SessionData:
    """What the session cookie holds: who is signed in (if anyone) and the CSRF token.

    ``version`` is the user's ``session_version`` when the session began: bumping the
    user's (password change, deactivation, "sign out everywhere") voids every session.
    """

    csrf: str
    user_id: int | None = None
    version: int = 0


class SessionCodec:
    """Signs and reads session cookies; a cookie older than ``max_age_seconds`` is void."""

    def __init__(self, secret_key: str, *, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="socialcrm.session")
        self.max_age_seconds = max_age_seconds

    def dumps(self, data: SessionData) -> str:
        """The cookie value for ``data``."""
        return str(self._serializer.dumps({"c": data.csrf, "u": data.user_id, "v": data.version}))

    def loads(self, value: str | None) -> SessionData | None:
        """The session in a cookie, or None when it is missing, forged or expired."""
        if not value:
            return None
        try:
            raw: Any = self._serializer.loads(value, max_age=self.max_age_seconds)
        except BadSignature:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("c"), str):
            return None
        user_id, version = raw.get("u"), raw.get("v")
        return SessionData(
            csrf=raw["c"],
            user_id=user_id if isinstance(user_id, int) else None,
            version=version if isinstance(version, int) else 0,
        )


def load_secret_key(*, configured: str | None, database_url: str) -> str:
    """The configured key, else the key file beside the database (created once, mode 0600)."""
    if configured:
        return configured
    path = _key_path(database_url)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ValueError(
                f"the session key file {path} is too short; delete it to make a new one "
                "(everyone will have to sign in again) or set console.secret_key"
            ) from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    logger.info("created the console's session key file", extra={"path": str(path)})
    return key


def _key_path(database_url: str) -> Path:
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        database = Path(database_url.removeprefix("sqlite:///").split("?", 1)[0])
        return database.parent / SECRET_KEY_FILE
    return Path(SECRET_KEY_FILE)
