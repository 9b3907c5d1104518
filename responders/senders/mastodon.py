"""The Mastodon sender: ``status_post(in_reply_to_id=..., idempotency_key=...)`` via Mastodon.py.

The reply's idempotency key travels as the ``Idempotency-Key`` header, which
Mastodon honours for about an hour: the same key never makes a second status.
An uncertain outcome is still reconciled before anything is sent again, by
reading the account's newest statuses for a reply to the same status with
our text. The access token needs the ``write:statuses`` scope (and
``read:accounts`` and ``read:statuses`` to reconcile).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from config.endpoints import instance_url
from config.settings import MastodonSettings, Settings
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget, SentReply, same_text

__all__ = ["MastodonSender", "create_client"]

MASTODON_VERSION = "4.3.0"  # a recent release, so the client never asks the server
TIMEOUT_SECONDS = 30.0
LOOKUP_PAGES = 3  # 40 statuses a page
_ENV = "SOCIALCRM_MASTODON__"


def create_client(settings: MastodonSettings, *, timeout: float = TIMEOUT_SECONDS) -> Mastodon:
    """The Mastodon.py client for these settings; SendNotConfigured names what is missing."""
    base = settings.api_base_url
    token = settings.access_token.get_secret_value() if settings.access_token else ""
    if not base or not token:
        missing = [
            f"mastodon.{name} ({_ENV}{name.upper()})"
            for name, value in (("api_base_url", base), ("access_token", token))
            if not value
        ]
        raise SendNotConfigured(
            f"set {' and '.join(missing)} (a token with the write:statuses scope) "
            "to reply on Mastodon"
        )
    return Mastodon(
        access_token=token,
        api_base_url=_base_url(base),
        ratelimit_method="throw",
        version_check_mode="none",
        mastodon_version=MASTODON_VERSION,
        request_timeout=timeout,
        user_agent="socialcrm",
    )


def _base_url(value: str) -> str:
    try:
        return instance_url(value)
    except ValueError as exc:
        raise SendNotConfigured(str(exc)) from exc


class MastodonSender:
    """Posts replies on a Mastodon instance as the brand account."""

    name = "mastodon"

    def __init__(self, client: Mastodon) -> None:
        self.client = client
        self._account_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A sender for ``settings.mastodon``; SendNotConfigured names what is missing."""
        return cls(create_client(settings.mastodon))

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        """Post ``text`` in reply to the status ``in_reply_to``, with the idempotency key."""
        target = _status_id(in_reply_to)
        try:
            status = self.client.status_post(
                text, in_reply_to_id=target, idempotency_key=idempotency_key
            )
        except MastodonError as exc:
            raise self._translate(exc) from exc
        status_id = str(_get(status, "id") or "")
        if not status_id:
            raise SendUncertain("Mastodon answered the reply without a status id")
        return SentReply(status_id, _str(_get(status, "url")))

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        """Our reply to ``in_reply_to`` among the account's statuses since ``since``, if any."""
        target = _status_id(in_reply_to)
        try:
            for status in self._own_statuses(since):
                content = str(_get(status, "content") or "")
                if str(_get(status, "in_reply_to_id")) == target and same_text(
                    content, text, posted_html=True
                ):
                    return SentReply(str(_get(status, "id")), _str(_get(status, "url")))
        except MastodonError as exc:
            raise SendUncertain(f"cannot read the account's statuses on Mastodon: {exc}") from exc
        return None

    def _own_statuses(self, since: datetime) -> list[Any]:
        if self._account_id is None:
            self._account_id = str(_get(self.client.account_verify_credentials(), "id"))
        found: list[Any] = []
        page: Any = self.client.account_statuses(self._account_id, exclude_reblogs=True, limit=40)
        for _ in range(LOOKUP_PAGES):
            if not page:
                break
            found.extend(page)
            oldest = _created(page[-1])
            if oldest is not None and oldest < since:
                break
            page = self.client.fetch_next(page)
        return [s for s in found if (_created(s) or since) >= since]

    def _translate(self, exc: MastodonError) -> Exception:
        """The sender error for one of Mastodon.py's exceptions on a POST."""
        if isinstance(exc, MastodonRatelimitError):
            reset = self.client.ratelimit_reset
            wait = max(float(reset) - datetime.now(UTC).timestamp(), 0.0) if reset else None
            return WriteBudgetExhausted(wait, "Mastodon rate limit reached")
        if isinstance(exc, MastodonUnauthorizedError):
            return SendFailed(
                "Mastodon refused the token; check mastodon.access_token and that it has "
                "the write:statuses scope",
                retryable=True,
            )
        if isinstance(exc, MastodonNotFoundError):
            return SendFailed("Mastodon no longer has the status answered (deleted?)")
        if isinstance(exc, MastodonServerError):
            return SendUncertain(f"Mastodon failed while posting: {exc}"[:300])
        if isinstance(exc, MastodonAPIError):
            return SendFailed(f"Mastodon refused the reply: {exc}"[:300])
        if isinstance(exc.__context__, requests.ConnectTimeout):
            return SendFailed(f"Mastodon could not be reached: {exc}"[:300], retryable=True)
        return SendUncertain(f"no answer from Mastodon while posting: {exc}"[:300])


def _status_id(target: ReplyTarget) -> str:
    if not target.external_id.isascii() or not target.external_id.isdigit():
        raise SendFailed(f"{target.external_id[:60]!r} is not a Mastodon status id")
    return target.external_id


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _created(status: Any) -> datetime | None:
    value = _get(status, "created_at")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
