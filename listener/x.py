"""The X collector: the brand's recent-search query and its mentions timeline, through tweepy.

Two sources share one collector: ``search`` (``GET /2/tweets/search/recent`` for
``x.query``) and ``mentions`` (``GET /2/users/:id/mentions`` for ``x.user_id``).
Both answer newest first, so the cursor keeps, per source::

    {"search": {"key": "<query>", "since_id": "<newest id stored>",
                "next_token": "<page to resume at>", "newest_id": "<newest id of this run>"}}

A run starts from ``since_id`` (exclusive) and pages back through what is new;
``since_id`` moves to the run's ``newest_id`` only once its last page is
returned, so a cursor stored with any batch resumes without a gap. Changing
the query or the user id restarts that source from scratch (the store dedups).
Recent search keeps 7 days: an older ``since_id`` is dropped and the gap
reported in ``Batch.gaps``. Errors are translated here; nothing sleeps or retries.
The mapping of a tweet to a mention is in :mod:`listener.x_mapping`. Deletions
are not followed on X (its compliance streams need an enterprise plan).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self

import requests
import tweepy

from config.endpoints import RedirectSession
from config.settings import Settings, XSettings
from listener.base import Batch, Gap, Skipped
from listener.errors import (
    AuthFailed,
    ListenerError,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
    UsageCapped,
)
from listener.x_mapping import parse_id, snowflake_time, to_mention

__all__ = ["RedirectSession", "XCollector", "create_client", "snowflake_time", "to_mention"]

SEARCH_WINDOW = timedelta(days=7)
_WINDOW_MARGIN = timedelta(minutes=10)  # a since_id this close to the edge may be refused
_USER_ID = "x.user_id (SOCIALCRM_X__USER_ID)"
_EXPANSIONS = ["author_id", "referenced_tweets.id"]
_TWEET_FIELDS = [
    "author_id",
    "created_at",
    "conversation_id",
    "lang",
    "referenced_tweets",
    "in_reply_to_user_id",
    "public_metrics",
    "note_tweet",  # the full text of posts longer than 280 characters
]
_USER_FIELDS = ["username", "name", "public_metrics"]
_HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,15})")
_BEARER = re.compile(r"(Bearer\s+)[^\s'\",}]+")
_PAGE_REFUSED = "X refused the stored page token (expired?); this run restarts from since_id"


class _MaskBearer(logging.Filter):
    """tweepy logs request headers at DEBUG; the token must not reach any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "Bearer" in record.msg:
            record.msg = _BEARER.sub(r"\1***", record.msg)
        return True


_MASK_BEARER = _MaskBearer()


def create_client(settings: XSettings, *, timeout: float | None = None) -> tweepy.Client:
    """The tweepy client for ``settings``: bearer token, raw JSON, no waits, our host, a timeout."""
    token = settings.bearer_token.get_secret_value() if settings.bearer_token else None
    client = tweepy.Client(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
    client.session = RedirectSession(
        settings.api_base_url, timeout=timeout or settings.timeout_seconds
    )
    logging.getLogger("tweepy.client").addFilter(_MASK_BEARER)  # same filter object: added once
    return client


@dataclass(slots=True)
class _Position:
    """Where one source stands: see the module docstring."""

    key: str
    since_id: str | None = None
    next_token: str | None = None
    newest_id: str | None = None

    @classmethod
    def load(cls, data: dict[str, Any]) -> _Position:
        """A position from its stored JSON; ValueError when it is not one."""
        token = data.get("next_token")
        if not isinstance(data.get("key"), str) or not isinstance(token, str | None):
            raise ValueError(f"not an X cursor position: {str(data)[:80]}")
        return cls(
            data["key"], parse_id(data.get("since_id")), token, parse_id(data.get("newest_id"))
        )


@dataclass(frozen=True, slots=True)
class _Source:
    name: str  # "search" or "mentions"
    key: str  # the query or the user id
    method: str  # the tweepy.Client method
    token_param: str  # its pagination parameter
    min_results: int  # X refuses smaller pages
    setting: str


class XCollector:
    """Mentions of the brand on X: recent search for ``x.query``, mentions of ``x.user_id``."""

    name = "x"

    def __init__(
        self,
        client: tweepy.Client,
        *,
        query: str = "",
        user_id: str | None = None,
        handle: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.query = query
        self.handle = handle  # the brand's @handle, looked up once when x.user_id is one
        self.sources = _sources(query=query, user_id=user_id)
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A collector for ``settings.x``; NotConfigured names the missing setting."""
        x = settings.x
        if x.bearer_token is None or not x.bearer_token.get_secret_value().strip():
            raise NotConfigured(
                "set x.bearer_token (SOCIALCRM_X__BEARER_TOKEN), the app's bearer token "
                "from the X developer portal, and x.query or x.user_id"
            )
        if not x.query.strip() and not x.user_id:
            raise NotConfigured(
                "set x.query (SOCIALCRM_X__QUERY) to search for the brand, "
                "or x.user_id (SOCIALCRM_X__USER_ID) to read the brand account's mentions"
            )
        user_id = (x.user_id or "").strip()
        handle = None if parse_id(user_id) else _HANDLE.fullmatch(user_id)
        if user_id and parse_id(user_id) is None and handle is None:
            raise NotConfigured(
                "x.user_id must be the brand account's numeric id or its @handle, "
                f"not {user_id[:40]!r}"
            )
        client = create_client(x)
        if handle:
            return cls(client, query=x.query.strip(), handle=handle.group(1))
        return cls(client, query=x.query.strip(), user_id=user_id or None)

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """One page from each source with work; ``exhausted`` once no source has pages left."""
        batch = Batch()
        if self.handle:
            self.sources = _sources(query=self.query, user_id=self._look_up(self.handle))
            self.handle = None
        positions = self._load(cursor, batch)
        busy = [s for s in self.sources if positions[s.name].next_token] or list(self.sources)
        size = max(1, limit) // len(busy)
        for source in busy:
            position = self._within_window(source, positions[source.name], batch)
            page = self._page(source, position, size=size)
            if page is None:
                batch.skipped.append(Skipped(f"x {source.name}", _PAGE_REFUSED))
                positions[source.name] = _Position(source.key, position.since_id)
                continue
            positions[source.name] = _take(page, source, position, batch)
        batch.exhausted = not any(p.next_token for p in positions.values())
        batch.cursor = json.dumps({name: asdict(p) for name, p in positions.items()})
        return batch

    def _look_up(self, handle: str) -> str:
        """The numeric id of ``@handle`` (GET /2/users/by/username/:handle)."""
        try:
            answer = self.client.get_user(username=handle)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            raise _translate(exc, what="user lookup", setting=_USER_ID, now=self.clock()) from exc
        data = _object(answer.get("data") if isinstance(answer, dict) else None)
        user_id = data.get("id")
        if not isinstance(user_id, str) or parse_id(user_id) is None:
            raise NotConfigured(
                f"X knows no account @{handle}; set x.user_id (SOCIALCRM_X__USER_ID) to the "
                "brand account's @handle or numeric id"
            )
        return user_id

    def _load(self, cursor: str | None, batch: Batch) -> dict[str, _Position]:
        """Each source's position; a changed query or user id starts that source afresh."""
        try:
            stored = json.loads(cursor) if cursor else {}
            positions = {
                s.name: _Position.load(stored[s.name]) if s.name in stored else _Position(s.key)
                for s in self.sources
            }
        except (ValueError, TypeError, AttributeError) as exc:
            batch.skipped.append(Skipped("x cursor", f"unreadable ({exc}); starting afresh"))
            positions = {s.name: _Position(s.key) for s in self.sources}
        return {
            s.name: positions[s.name] if positions[s.name].key == s.key else _Position(s.key)
            for s in self.sources
        }

    def _within_window(self, source: _Source, position: _Position, batch: Batch) -> _Position:
        """Recent search refuses a since_id older than 7 days: drop it, and report any gap."""
        if source.name != "search" or position.since_id is None:
            return position
        last = snowflake_time(position.since_id)
        start = datetime.fromtimestamp(self.clock(), UTC) - SEARCH_WINDOW
        if last >= start + _WINDOW_MARGIN:
            return position
        if last < start:
            batch.gaps.append(
                Gap(
                    last.isoformat(timespec="seconds"),
                    start.isoformat(timespec="seconds"),
                    "x search: posts past the 7 days X recent search keeps cannot be collected",
                )
            )
        return _Position(source.key)  # the whole window, which covers what since_id would

    def _page(self, source: _Source, position: _Position, *, size: int) -> dict[str, Any] | None:
        """One page of ``source`` after ``position`` (None: X refused the page token)."""
        params: dict[str, Any] = {
            "expansions": _EXPANSIONS,
            "tweet_fields": _TWEET_FIELDS,
            "user_fields": _USER_FIELDS,
            "max_results": min(100, max(source.min_results, size)),
        }
        if position.since_id:
            params["since_id"] = position.since_id
        if position.next_token:
            params[source.token_param] = position.next_token
        try:
            page = getattr(self.client, source.method)(source.key, **params)
        except (tweepy.TweepyException, requests.RequestException) as exc:
            if isinstance(exc, tweepy.BadRequest) and position.next_token:
                return None  # page tokens expire; the run restarts from since_id
            raise _translate(
                exc, what=source.name, setting=source.setting, now=self.clock()
            ) from exc
        if not isinstance(page, dict):
            raise SourceUnavailable(f"X {source.name} answered {type(page).__name__}, not JSON")
        return page


def _sources(*, query: str, user_id: str | None) -> tuple[_Source, ...]:
    search = _Source(
        "search", query, "search_recent_tweets", "next_token", 10, "x.query (SOCIALCRM_X__QUERY)"
    )
    mentions = _Source(
        "mentions",
        user_id or "",
        "get_users_mentions",
        "pagination_token",
        5,
        _USER_ID,
    )
    return tuple(s for s in (search, mentions) if s.key)


def _take(page: dict[str, Any], source: _Source, position: _Position, batch: Batch) -> _Position:
    """Map one page into ``batch``; the position after it."""
    includes = _object(page.get("includes"))
    users = {
        user["id"]: user
        for user in includes.get("users") or []
        if isinstance(user, dict) and isinstance(user.get("id"), str)
    }
    quoted_texts = {
        t["id"]: t["text"]
        for t in includes.get("tweets") or []
        if isinstance(t, dict) and isinstance(t.get("id"), str) and isinstance(t.get("text"), str)
    }
    meta = _object(page.get("meta"))
    seen: list[str | None] = [position.newest_id, parse_id(meta.get("newest_id"))]
    data = page.get("data") or []
    for tweet in data if isinstance(data, list) else []:
        if not isinstance(tweet, dict):
            batch.skipped.append(Skipped(f"x {source.name}", "an item that is not an object"))
            continue
        seen.append(parse_id(tweet.get("id")))
        try:
            batch.mentions.append(to_mention(tweet, users, quoted_texts=quoted_texts))
        except MalformedPayload as exc:
            batch.skipped.append(Skipped(exc.where, exc.why))
    newest = _newest(*seen)
    token = meta.get("next_token")
    if isinstance(token, str) and token:
        return _Position(source.key, position.since_id, token, newest)
    return _Position(source.key, _newest(position.since_id, newest))


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _newest(*ids: str | None) -> str | None:
    present = [int(i) for i in ids if i is not None]
    return str(max(present)) if present else None


def _translate(exc: Exception, *, what: str, setting: str, now: float) -> ListenerError:
    """The ListenerError for one of tweepy's or requests' exceptions.

    ``what`` names the request in messages ("search"); ``setting`` is the one to fix
    when X refuses it.
    """
    if isinstance(exc, tweepy.TooManyRequests):
        return _rate_limited(exc, now=now)
    if isinstance(exc, tweepy.Unauthorized | tweepy.Forbidden):
        return AuthFailed("x.bearer_token (SOCIALCRM_X__BEARER_TOKEN)", _detail(exc))
    if isinstance(exc, tweepy.BadRequest | tweepy.NotFound):
        return NotConfigured(f"X refused the request for {setting}: {_detail(exc)}")
    if isinstance(exc, tweepy.HTTPException):
        return SourceUnavailable(f"X {what} answered {_detail(exc)}")
    return SourceUnavailable(f"X {what} unreachable: {type(exc).__name__}: {exc}"[:300])


def _rate_limited(exc: tweepy.TooManyRequests, *, now: float) -> RateLimited:
    """A rate limit with its reset, or the monthly cap (a 429 with no reset)."""
    reset = exc.response.headers.get("x-rate-limit-reset")
    if reset is None or "usage-capped" in str(_problem(exc).get("type", "")):
        return UsageCapped(
            f"X monthly usage cap reached ({_detail(exc)}); X gave no reset time, so this "
            "source stays stopped until the cap resets (see the X developer portal)",
        )
    at = datetime.fromtimestamp(int(reset), UTC)
    return RateLimited(
        max(int(reset) - now, 0.0) + 1.0, f"X rate limit reached; resets at {at:%H:%M:%S} UTC"
    )


def _problem(exc: tweepy.HTTPException) -> dict[str, Any]:
    try:
        body = exc.response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(exc: tweepy.HTTPException) -> str:
    problem = _problem(exc)
    text = "; ".join(exc.api_messages) or problem.get("detail") or problem.get("title")
    return f"{exc.response.status_code} {text or exc.response.reason}"[:300]
