"""The Bluesky sender: ``send_post`` with a reply reference, through atproto.

A Bluesky reply names its parent and the thread's root, each by URI and CID.
Both come from the mention's stored raw payload: a search result (a post view
with ``uri``, ``cid`` and ``record.reply``) or a Jetstream commit event
(``commit.cid`` and ``commit.record.reply``). The client signs in lazily, on
the first call, with ``bluesky.handle`` and ``bluesky.app_password``.
Reconciliation reads the account's own feed (``getAuthorFeed``, replies
included) for a post replying to the same parent with our text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Self

import httpx
from atproto import Client, models
from atproto_client.exceptions import (
    BadRequestError,
    LoginRequiredError,
    RateLimitExceededError,
    RequestException,
    UnauthorizedError,
)
from atproto_client.request import Request
from atproto_core.exceptions import AtProtocolError

from config.settings import BlueskySettings, Settings
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget, SentReply, same_text

__all__ = ["BlueskySender", "create_client", "reply_reference"]

POST = "app.bsky.feed.post"
TIMEOUT_SECONDS = 30.0
LOOKUP_PAGES = 3  # 100 feed items a page


def create_client(settings: BlueskySettings, *, timeout: float = TIMEOUT_SECONDS) -> Client:
    """A signed-in atproto client, with a timeout on every call; the only place one is built."""
    handle, password = _require_account(settings)
    client = Client(base_url=settings.api_base_url, request=Request(timeout=timeout))
    client.login(handle, password)
    return client


def _require_account(settings: BlueskySettings) -> tuple[str, str]:
    """The handle and app password; SendNotConfigured when either is missing."""
    if not settings.handle or settings.app_password is None:
        raise SendNotConfigured(
            "set bluesky.handle (SOCIALCRM_BLUESKY__HANDLE) and bluesky.app_password "
            "(SOCIALCRM_BLUESKY__APP_PASSWORD) to reply on Bluesky"
        )
    return settings.handle.lstrip("@"), settings.app_password.get_secret_value()


def reply_reference(target: ReplyTarget) -> models.AppBskyFeedPost.ReplyRef:
    """The parent and root strong references for a reply to ``target``, from its raw payload."""
    raw = target.raw
    commit = raw.get("commit")
    if isinstance(commit, Mapping):  # a Jetstream event
        uri, cid, record = target.external_id, commit.get("cid"), commit.get("record")
    else:  # a post view from search or notifications
        uri, cid, record = raw.get("uri", target.external_id), raw.get("cid"), raw.get("record")
    if not isinstance(cid, str) or not cid or uri != target.external_id:
        raise SendFailed(
            f"the stored Bluesky post {target.external_id[:120]} has no content id (cid); "
            "a reply must name it, so this mention cannot be answered from here"
        )
    parent = models.ComAtprotoRepoStrongRef.Main(uri=uri, cid=cid)
    reply = record.get("reply") if isinstance(record, Mapping) else None
    root = reply.get("root") if isinstance(reply, Mapping) else None
    if isinstance(root, Mapping) and _is_text(root.get("uri")) and _is_text(root.get("cid")):
        thread_root = models.ComAtprotoRepoStrongRef.Main(uri=root["uri"], cid=root["cid"])
        return models.AppBskyFeedPost.ReplyRef(parent=parent, root=thread_root)
    return models.AppBskyFeedPost.ReplyRef(parent=parent, root=parent)


class BlueskySender:
    """Posts replies on Bluesky as the brand account."""

    name = "bluesky"

    def __init__(
        self,
        settings: BlueskySettings,
        *,
        client: Client | None = None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        _require_account(settings)
        self.settings = settings
        self.timeout = timeout
        self._client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A sender for ``settings.bluesky``; it signs in on first use."""
        return cls(settings.bluesky)

    @property
    def client(self) -> Client:
        """The signed-in client, signing in now if not yet done."""
        if self._client is None:
            self._client = create_client(self.settings, timeout=self.timeout)
        return self._client

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        """Post ``text`` as a reply to the Bluesky post ``in_reply_to``."""
        reference = reply_reference(in_reply_to)
        try:
            client = self.client
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise _signin_failed(exc) from exc
        try:
            created = client.send_post(text, reply_to=reference)
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise _translate(exc) from exc
        return SentReply(created.uri, self._web_url(created.uri))

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        """Our reply to ``in_reply_to`` in the account's own feed since ``since``, if any."""
        try:
            client = self.client
            did = client.me.did if client.me else self.settings.handle or ""
            cursor: str | None = None
            for _ in range(LOOKUP_PAGES):
                page = client.get_author_feed(
                    actor=did, filter="posts_with_replies", limit=100, cursor=cursor
                )
                for item in page.feed:
                    post = item.post
                    if _replies_to(post.record, in_reply_to.external_id) and same_text(
                        str(getattr(post.record, "text", "")), text
                    ):
                        return SentReply(post.uri, self._web_url(post.uri))
                cursor = page.cursor
                if not cursor or not page.feed or _indexed(page.feed[-1].post) < since:
                    break
        except (AtProtocolError, httpx.HTTPError) as exc:
            raise SendUncertain(f"cannot read the account's feed on Bluesky: {_say(exc)}") from exc
        return None

    def _web_url(self, uri: str) -> str | None:
        parts = uri.split("/")
        if len(parts) != 5 or parts[3] != POST:
            return None
        return f"https://bsky.app/profile/{parts[2]}/post/{parts[4]}"


def _replies_to(record: Any, parent_uri: str) -> bool:
    reply = getattr(record, "reply", None)
    parent = getattr(reply, "parent", None)
    return getattr(parent, "uri", None) == parent_uri


def _indexed(post: Any) -> datetime:
    try:
        moment = datetime.fromisoformat(str(post.indexed_at).replace("Z", "+00:00"))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _signin_failed(exc: Exception) -> SendFailed:
    if isinstance(exc, UnauthorizedError | LoginRequiredError):
        reason = "Bluesky refused the sign-in; check bluesky.handle and bluesky.app_password"
    else:
        reason = f"cannot sign in to Bluesky: {_say(exc)}"
    return SendFailed(reason, retryable=True)


def _say(exc: Exception) -> str:
    return (str(exc) or repr(exc))[:300]


def _translate(exc: AtProtocolError | httpx.HTTPError) -> Exception:
    """The sender error for one of atproto's (or, unwrapped, httpx's) exceptions on the post."""
    cause = exc if isinstance(exc, httpx.HTTPError) else exc.__cause__
    if isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout):
        # No connection was made, so nothing was posted.
        return SendFailed(f"Bluesky could not be reached: {cause!r}", retryable=True)
    if isinstance(exc, httpx.HTTPError):
        return SendUncertain(f"Bluesky gave no clear answer while posting: {_say(exc)}")
    if isinstance(exc, RateLimitExceededError):
        reset = exc.reset_at
        wait = (reset - datetime.now(UTC)).total_seconds() if reset else exc.retry_after
        return WriteBudgetExhausted(max(wait, 0.0) if wait is not None else None, "Bluesky limit")
    if isinstance(exc, UnauthorizedError | LoginRequiredError):
        return SendFailed(
            f"Bluesky refused the account ({exc}); check bluesky.app_password", retryable=True
        )
    if isinstance(exc, BadRequestError):
        return SendFailed(f"Bluesky refused the reply: {exc}"[:300])
    answered = exc.response.status_code if isinstance(exc, RequestException) and exc.response else 0
    if 400 <= answered < 500:
        return SendFailed(f"Bluesky refused the reply: {exc}"[:300])
    return SendUncertain(f"Bluesky gave no clear answer while posting: {_say(exc)}")
