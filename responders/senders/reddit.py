"""The Reddit sender: ``reply()`` on the comment or submission by its fullname, through praw.

Posting needs the bot account (``reddit.username`` and ``reddit.password``)
besides the script app. prawcore resends a POST after a 5xx or a timeout,
which can post a reply twice, so this client never retries: every such
outcome is uncertain and reconciliation decides. praw's ``reply()`` returning
``None`` (Reddit created the comment but did not show it) is uncertain too.
Reconciliation reads the account's newest comments for one whose parent is
the post answered and whose text is ours.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

import praw
import praw.exceptions
import prawcore
import requests
from prawcore.sessions import FiniteRetryStrategy

from config.settings import RedditSettings, Settings
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget, SentReply, same_text

__all__ = ["RedditSender", "create_client"]

DEFAULT_API_URL = "https://oauth.reddit.com"
WEB_URL = "https://www.reddit.com"
TIMEOUT_SECONDS = 15.0
LOOKUP_LIMIT = 100  # the account's newest comments read when reconciling
_FULLNAME = re.compile(r"^t([13])_([0-9a-z]{1,16})$")
_ENV = "SOCIALCRM_REDDIT__"
_CREDENTIALS = (prawcore.InvalidToken, prawcore.InsufficientScope, prawcore.OAuthException)


class _Requestor(prawcore.Requestor):
    """prawcore's requestor with our timeout on every call."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Send with this requestor's timeout, whatever prawcore passes."""
        return super().request(*args, timeout=self.timeout, **kwargs)


@dataclass(frozen=True)
class _NoRetry(FiniteRetryStrategy):
    """prawcore's retry strategy allowing no retry: a resent POST can be a second reply."""

    DEFAULT_RETRIES: ClassVar[int] = 0
    retries: int = 0


def create_client(settings: RedditSettings, *, timeout: float = TIMEOUT_SECONDS) -> praw.Reddit:
    """A praw client that posts as the bot account and never resends a request."""
    values = {
        "client_id": settings.client_id,
        "client_secret": _secret(settings.client_secret),
        "username": settings.username,
        "password": _secret(settings.password),
    }
    missing = [f"reddit.{name} ({_ENV}{name.upper()})" for name, v in values.items() if not v]
    if missing:
        raise SendNotConfigured(
            "replying on Reddit needs the script app and the bot account: set " + ", ".join(missing)
        )
    options: dict[str, Any] = {
        **values,
        "user_agent": _user_agent(settings),
        "check_for_updates": False,
        "requestor_class": _Requestor,
        "requestor_kwargs": {"timeout": timeout},
    }
    base = settings.api_base_url.rstrip("/")
    if base != DEFAULT_API_URL:
        options |= {"oauth_url": base + "/", "reddit_url": base}
    reddit = praw.Reddit(**options)
    for core in (reddit._core, reddit._authorized_core, reddit._read_only_core):
        if core is not None:
            core._retry_strategy_class = _NoRetry
    return reddit


def _user_agent(settings: RedditSettings) -> str:
    try:
        version = importlib.metadata.version("socialcrm")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"python:socialcrm:{version} (by /u/{settings.username})"


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


class RedditSender:
    """Posts replies on Reddit as the bot account."""

    name = "reddit"

    def __init__(self, reddit: praw.Reddit, *, username: str) -> None:
        self.reddit = reddit
        self.username = username

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A sender for ``settings.reddit``; SendNotConfigured names what is missing."""
        return cls(create_client(settings.reddit), username=settings.reddit.username or "")

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        """Reply to the comment or submission ``in_reply_to``."""
        kind, item_id = _parse(in_reply_to)
        thing = self.reddit.comment(id=item_id) if kind == "1" else self.reddit.submission(item_id)
        try:
            created = thing.reply(body=text)
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException) as exc:
            raise _translate(exc) from exc
        if created is None:
            raise SendUncertain("Reddit created no visible comment (praw's reply() gave None)")
        return _sent(created)

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        """Our comment under ``in_reply_to`` since ``since``, from the account's newest comments."""
        _parse(in_reply_to)
        earliest = since.timestamp()
        try:
            for comment in self.reddit.redditor(self.username).comments.new(limit=LOOKUP_LIMIT):
                if float(comment.created_utc) < earliest:
                    break
                if comment.parent_id == in_reply_to.external_id and same_text(comment.body, text):
                    return _sent(comment)
        except (prawcore.PrawcoreException, praw.exceptions.PRAWException) as exc:
            raise SendUncertain(f"cannot read the account's comments on Reddit: {exc}") from exc
        return None


def _parse(target: ReplyTarget) -> tuple[str, str]:
    match = _FULLNAME.match(target.external_id)
    if match is None:
        raise SendFailed(
            f"{target.external_id[:60]!r} is not a Reddit comment or post; cannot reply"
        )
    return match[1], match[2]


def _sent(comment: Any) -> SentReply:
    # vars(), not attributes: a missing attribute on a praw object is a network fetch.
    data = vars(comment)
    comment_id = data.get("id") or comment.id
    permalink = data.get("permalink")
    link_id = str(data.get("link_id") or "")
    if isinstance(permalink, str) and permalink:
        url: str | None = f"{WEB_URL}{permalink}"
    elif link_id.startswith("t3_"):
        # Reddit's /api/comment answer has no permalink; this short form redirects to it.
        url = f"{WEB_URL}/comments/{link_id[3:]}/_/{comment_id}/"
    else:
        url = None
    return SentReply(f"t1_{comment_id}", url)


def _translate(exc: Exception) -> Exception:
    """The sender error for one of prawcore's or praw's exceptions on a POST."""
    if isinstance(exc, prawcore.TooManyRequests):
        retry = float(exc.retry_after) if exc.retry_after else None
        return WriteBudgetExhausted(retry, "Reddit rate limit reached")
    if isinstance(exc, praw.exceptions.RedditAPIException):
        if any(item.error_type == "RATELIMIT" for item in exc.items):
            return WriteBudgetExhausted(None, f"Reddit asks to wait: {exc}"[:300])
        return SendFailed(f"Reddit refused the reply: {exc}"[:300])
    if isinstance(exc, _CREDENTIALS):
        return SendFailed(
            f"Reddit refused the bot account ({type(exc).__name__}); check reddit.username, "
            "reddit.password and the app's client id and secret",
            retryable=True,
        )
    if isinstance(exc, prawcore.Forbidden | prawcore.NotFound | prawcore.BadRequest):
        return SendFailed(f"Reddit refused the reply (locked, deleted or not allowed): {exc}")
    if isinstance(exc, prawcore.RequestException):
        if isinstance(exc.original_exception, requests.ConnectTimeout):
            return SendFailed(f"Reddit could not be reached: {exc}", retryable=True)
        return SendUncertain(f"no answer from Reddit while posting: {exc}"[:300])
    return SendUncertain(f"Reddit failed while posting: {type(exc).__name__}: {exc}"[:300])
