"""The X sender: replies through tweepy's ``create_tweet(in_reply_to_tweet_id=...)``.

Posting needs user-context credentials: OAuth 1.0a (consumer key and secret
plus the brand account's access token and secret) or an OAuth 2.0 user access
token with ``tweet.write``. The app bearer token the collector uses can only
read. X takes no idempotency key, so an uncertain outcome (a timeout, a reset
connection, a 5xx, or X's 403 "duplicate content") is resolved by reading the
account's recent posts for a reply to the same post with the same text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Self

import requests
import tweepy

from config.endpoints import RedirectSession
from config.settings import Settings, XSettings
from responders.errors import SendFailed, SendNotConfigured, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget, SentReply, same_text

__all__ = [
    "USER_CONTEXT_SETTINGS",
    "RedirectSession",
    "XSender",
    "XUserCredentials",
    "create_client",
    "user_credentials",
]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 30.0
LOOKUP_PAGES = 5  # 100 posts a page: far more than a reconciliation window holds
# The x.* settings that let the brand account write (see XSettings).
USER_CONTEXT_SETTINGS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
OAUTH2_SETTING = "user_access_token"
_ID = re.compile(r"^[1-9][0-9]{0,24}$")


@dataclass(frozen=True, slots=True)
class XUserCredentials:
    """Credentials that can write as the brand account: OAuth 1.0a, or an OAuth 2.0 user token."""

    consumer_key: str = ""
    consumer_secret: str = ""
    access_token: str = ""
    access_token_secret: str = ""
    user_access_token: str = ""

    @property
    def oauth1(self) -> bool:
        """All four OAuth 1.0a values are present."""
        return all(getattr(self, name) for name in USER_CONTEXT_SETTINGS)


def user_credentials(settings: XSettings) -> XUserCredentials:
    """The user-context credentials in ``settings`` (empty strings where unset)."""
    names = (*USER_CONTEXT_SETTINGS, OAUTH2_SETTING)
    return XUserCredentials(**{name: _plain(getattr(settings, name)) for name in names})


def _plain(value: Any) -> str:
    if value is None:
        return ""
    secret = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    return str(secret).strip()


def create_client(
    settings: XSettings,
    *,
    credentials: XUserCredentials | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tweepy.Client:
    """A tweepy client that can post as the brand account, at ``x.api_base_url``, with a timeout."""
    creds = credentials if credentials is not None else user_credentials(settings)
    if creds.oauth1:
        client = tweepy.Client(
            consumer_key=creds.consumer_key,
            consumer_secret=creds.consumer_secret,
            access_token=creds.access_token,
            access_token_secret=creds.access_token_secret,
            return_type=dict,
            wait_on_rate_limit=False,
        )
    elif creds.user_access_token:
        client = tweepy.Client(
            bearer_token=creds.user_access_token, return_type=dict, wait_on_rate_limit=False
        )
    else:
        raise SendNotConfigured(_missing(creds))
    client.session = RedirectSession(settings.api_base_url, timeout=timeout)
    return client


def _missing(creds: XUserCredentials) -> str:
    missing = [
        f"x.{name} (SOCIALCRM_X__{name.upper()})"
        for name in USER_CONTEXT_SETTINGS
        if not getattr(creds, name)
    ]
    return (
        "replying on X needs user-context credentials, not the app bearer token: set "
        + ", ".join(missing)
        + f" (OAuth 1.0a, app permission Read and Write), or x.{OAUTH2_SETTING}"
        + f" (SOCIALCRM_X__{OAUTH2_SETTING.upper()}, an OAuth 2.0 user token with tweet.write)"
    )


class XSender:
    """Posts replies on X as the brand account."""

    name = "x"

    def __init__(self, client: tweepy.Client, *, user_id: str | None = None) -> None:
        self.client = client
        self.user_id = user_id
        # OAuth 1.0a signs each call (user_auth=True); an OAuth 2.0 user token is a bearer.
        self.user_auth = client.consumer_key is not None

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A sender for ``settings.x``; SendNotConfigured names the credentials to add."""
        return cls(create_client(settings.x), user_id=settings.x.user_id)

    def post_reply(self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str) -> SentReply:
        """Post ``text`` as a reply to the X post ``in_reply_to``."""
        target = _post_id(in_reply_to)
        try:
            response = self.client.create_tweet(
                text=text, in_reply_to_tweet_id=target, user_auth=self.user_auth
            )
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise _translate(exc) from exc
        data = response.get("data") if isinstance(response, dict) else None
        post_id = str(data.get("id", "")) if isinstance(data, dict) else ""
        if not _ID.match(post_id):
            raise SendUncertain(f"X answered the reply without a post id: {str(response)[:200]}")
        return SentReply(post_id, f"https://x.com/i/web/status/{post_id}")

    def find_own_reply(
        self, *, in_reply_to: ReplyTarget, text: str, idempotency_key: str, since: datetime
    ) -> SentReply | None:
        """Our reply to ``in_reply_to`` among the account's posts since ``since``, if any."""
        target = _post_id(in_reply_to)
        try:
            for tweet in self._own_posts(since):
                if _replies_to(tweet, target) and same_text(str(tweet.get("text", "")), text):
                    post_id = str(tweet["id"])
                    return SentReply(post_id, f"https://x.com/i/web/status/{post_id}")
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise SendUncertain(f"cannot read the account's posts on X: {_describe(exc)}") from exc
        return None

    def account_id(self) -> str:
        """The brand account's id: ``x.user_id``, else asked once with ``GET /2/users/me``."""
        if self.user_id is None:
            me = self.client.get_me(user_auth=self.user_auth)
            data = me.get("data") if isinstance(me, dict) else None
            user_id = str(data.get("id", "")) if isinstance(data, dict) else ""
            if not _ID.match(user_id):
                raise SendUncertain(f"X answered GET /2/users/me without an id: {str(me)[:200]}")
            self.user_id = user_id
        return self.user_id

    def _own_posts(self, since: datetime) -> list[dict[str, Any]]:
        posts: list[dict[str, Any]] = []
        pages = tweepy.Paginator(
            self.client.get_users_tweets,
            self.account_id(),
            start_time=since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            max_results=100,
            tweet_fields=["referenced_tweets", "created_at", "conversation_id"],
            user_auth=self.user_auth,
            limit=LOOKUP_PAGES,
        )
        for page in pages:
            posts.extend(t for t in (page.get("data") or []) if isinstance(t, dict))
        return posts


def _post_id(target: ReplyTarget) -> str:
    if not _ID.match(target.external_id):
        raise SendFailed(f"{target.external_id[:60]!r} is not an X post id; cannot reply to it")
    return target.external_id


def _replies_to(tweet: dict[str, Any], target: str) -> bool:
    references = tweet.get("referenced_tweets") or []
    return any(
        isinstance(ref, dict) and ref.get("type") == "replied_to" and str(ref.get("id")) == target
        for ref in references
    )


def _translate(exc: Exception) -> Exception:
    """The sender error for one of tweepy's or requests' exceptions on a POST."""
    if isinstance(exc, tweepy.TooManyRequests):
        reset = exc.response.headers.get("x-rate-limit-reset")
        wait = max(float(reset) - datetime.now(UTC).timestamp(), 0.0) if reset else None
        return WriteBudgetExhausted(wait, f"X write limit reached: {_describe(exc)}")
    if isinstance(exc, tweepy.Forbidden) and "duplicate" in _describe(exc).casefold():
        return SendUncertain(f"X calls the reply a duplicate, so it may be there: {_describe(exc)}")
    if isinstance(exc, tweepy.Unauthorized) or (
        isinstance(exc, tweepy.Forbidden) and _about_credentials(exc)
    ):
        return SendFailed(
            f"X refused the account's credentials ({_describe(exc)}); check the user-context "
            "tokens and that the app has Read and Write permission",
            retryable=True,
        )
    if isinstance(exc, tweepy.Forbidden):  # e.g. the author limits who may reply
        return SendFailed(f"X does not allow this reply: {_describe(exc)}")
    if isinstance(exc, tweepy.TwitterServerError):
        return SendUncertain(f"X failed while posting: {_describe(exc)}")
    if isinstance(exc, tweepy.HTTPException):
        return SendFailed(f"X refused the reply: {_describe(exc)}")
    if isinstance(exc, requests.ConnectTimeout):
        return SendFailed(f"X could not be reached: {_describe(exc)}", retryable=True)
    return SendUncertain(f"no answer from X while posting: {_describe(exc)}")


def _about_credentials(exc: tweepy.HTTPException) -> bool:
    """Whether a 403 is about the app's or the token's rights rather than this reply."""
    words = ("authenticat", "permission", "oauth", "client-forbidden", "not-authorized")
    text = f"{_describe(exc)} {_problem_type(exc)}".casefold()
    return any(word in text for word in words)


def _problem_type(exc: tweepy.HTTPException) -> str:
    try:
        body = exc.response.json()
    except ValueError:
        return ""
    return str(body.get("type", "")) if isinstance(body, dict) else ""


def _describe(exc: Exception) -> str:
    if isinstance(exc, tweepy.HTTPException):
        try:
            body = exc.response.json()
        except ValueError:
            body = {}
        detail = body.get("detail") if isinstance(body, dict) else None
        text = "; ".join(exc.api_messages) or detail or exc.response.reason
        return f"{exc.response.status_code} {text}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]
