"""The Reddit collector (praw): keyword search, new posts and comments, username mentions.

Four feeds, each read newest first with praw's listings:

- ``search``: the keywords searched in the configured subreddits (all of Reddit
  when none are set), ``sort="new"``, with the smallest ``time_filter`` that
  covers the feed's cursor;
- ``submissions`` and ``comments``: everything new in the configured
  subreddits, kept only when it contains a keyword if keywords are set;
- ``mentions``: the bot account's username mentions (``reddit.inbox.mentions``),
  when ``reddit.username`` and ``reddit.password`` are set.

The cursor is JSON holding, per feed, the newest ``created_utc`` read and the
fullnames read at that second (for search, in the last hour: posts reach
Reddit's search index late, so search re-reads an hour and skips what it has
seen). A fetch reads each listing down to it (never by ``before`` alone: a
deleted item breaks that), or, on the first run or after the feed's
subreddits or keywords change, down to the lookback window. When more is new
than ``limit`` allows, the *oldest* items are returned and the cursor moves
only past them, so the next fetch picks up the rest: the cursor never moves
past anything not handed over. A listing that ends (Reddit serves about 1,000
items) before reaching the cursor is reported as a ``gap:`` entry in
``Batch.skipped``.

Items Reddit reports deleted or removed are never mapped: they come back in
``Batch.skipped`` as ``Skipped(fullname, DELETED_ON_REDDIT)``, and
:meth:`RedditCollector.deleted` says which already-collected items are now
gone, so their text can be purged.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from urllib.parse import urlsplit

import praw
import prawcore
from pydantic import SecretStr, ValidationError

from config.settings import RedditSettings, Settings
from crm.schemas import MentionIn
from crm.types import utcnow
from listener.base import Batch, Skipped
from listener.errors import (
    AuthFailed,
    ListenerError,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)

__all__ = [
    "DELETED_ON_REDDIT",
    "FEEDS",
    "DeletedOnReddit",
    "RedditCollector",
    "create_client",
    "raw_data",
    "to_mention",
    "user_agent",
]

DELETED_ON_REDDIT = "deleted on reddit"
FEEDS = ("search", "submissions", "comments", "mentions")
DEFAULT_API_URL = "https://oauth.reddit.com"
WEB_URL = "https://www.reddit.com"
LISTING_DEPTH = 1000  # Reddit serves at most about this many items of any listing
SEARCH_OVERLAP = 3600.0  # seconds re-read by search: posts reach Reddit's index late
TIMEOUT_SECONDS = 15.0
_GONE = frozenset({"[deleted]", "[removed]"})
_FULLNAME = re.compile(r"^t[13]_[0-9a-z]+$")
_THREAD = re.compile(r"/comments/([0-9a-z]+)/")
_TOKEN_PATH = "/api/v1/access_token"  # noqa: S105 (a path, not a secret)
_TIME_FILTERS = (("hour", 3600), ("day", 86400), ("week", 7 * 86400), ("month", 30 * 86400))


class DeletedOnReddit(ListenerError):
    """The item was deleted by its author or removed by moderators; its text must not be kept."""

    def __init__(self, fullname: str, why: str) -> None:
        super().__init__(f"{fullname}: {why}")
        self.fullname = fullname
        self.why = why


class _Requestor(prawcore.Requestor):
    """prawcore's requestor with our timeout on every call, token requests included."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Send with this requestor's timeout, whatever prawcore passes."""
        return super().request(*args, timeout=self.timeout, **kwargs)


def user_agent(settings: RedditSettings) -> str:
    """Reddit's required form: ``python:socialcrm:<version> (by /u/<username>)``."""
    try:
        version = importlib.metadata.version("socialcrm")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    agent = f"python:socialcrm:{version}"
    return f"{agent} (by /u/{settings.username})" if settings.username else agent


def create_client(settings: RedditSettings, *, timeout: float = TIMEOUT_SECONDS) -> praw.Reddit:
    """The praw client for a script app; read-only without username and password."""
    if not settings.client_id or not _secret(settings.client_secret):
        raise NotConfigured("set reddit.client_id and reddit.client_secret")
    options: dict[str, Any] = {
        "client_id": settings.client_id,
        "client_secret": _secret(settings.client_secret),
        "user_agent": user_agent(settings),
        "check_for_updates": False,
        "requestor_class": _Requestor,
        "requestor_kwargs": {"timeout": timeout},
    }
    if settings.username and _secret(settings.password):
        options |= {"username": settings.username, "password": _secret(settings.password)}
    base = settings.api_base_url.rstrip("/")
    if base != DEFAULT_API_URL:
        options |= {"oauth_url": base + "/", "reddit_url": base}
    return praw.Reddit(**options)


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


# --- mapping -----------------------------------------------------------------------------


def raw_data(thing: Any) -> dict[str, Any]:
    """The listing ``data`` of a praw Submission or Comment (a mapping is returned as a dict)."""
    if isinstance(thing, Mapping):
        return dict(thing)
    public = {k: v for k, v in vars(thing).items() if not k.startswith("_")}
    data: dict[str, Any] = json.loads(json.dumps(public, default=str))
    return data


def to_mention(data: Mapping[str, Any]) -> MentionIn:
    """A submission's or comment's listing ``data`` as a mention.

    Raises DeletedOnReddit for deleted or removed items, MalformedPayload for unreadable ones.
    """
    if not isinstance(data, Mapping):
        raise MalformedPayload("reddit item", f"expected an object, got {type(data).__name__}")
    fullname = _fullname(data)
    posted_at = datetime.fromtimestamp(_created(data, fullname), UTC)
    if why := gone_reason(data):
        raise DeletedOnReddit(fullname, why)
    is_post = fullname.startswith("t3_")
    fields = {
        "platform": "reddit",
        "external_id": fullname,
        "url": _url(data, fullname),
        "author": _author(data, fullname),
        "text": _post_text(data, fullname) if is_post else _text(data, "body", fullname),
        "posted_at": posted_at,
        "conversation_id": fullname if is_post else _thread(data),
        "in_reply_to_id": None if is_post else data.get("parent_id"),
        "raw": dict(data),
    }
    try:
        return MentionIn.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise MalformedPayload(fullname, f"{field}: {error['msg'].lower()}") from exc


def gone_reason(data: Mapping[str, Any]) -> str | None:
    """Why Reddit no longer shows this item's text, or None when it does."""
    text = data.get("body") if str(data.get("name", "")).startswith("t1_") else None
    if text is None:
        text = data.get("selftext", data.get("body"))
    if text in _GONE:
        return f"text is {text}"
    if data.get("removed_by_category"):
        return f"removed ({data['removed_by_category']})"
    return None


def _fullname(data: Mapping[str, Any]) -> str:
    name = data.get("name")
    if isinstance(name, str) and _FULLNAME.match(name):
        return name
    where = f"reddit item {name or data.get('id')!r}"
    raise MalformedPayload(where, "no fullname (name t1_… or t3_…); not a comment or submission")


def _created(data: Mapping[str, Any], fullname: str) -> float:
    value = data.get("created_utc")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e11:
        raise MalformedPayload(fullname, f"created_utc {value!r} is not a Unix time")
    return float(value)


def _text(data: Mapping[str, Any], key: str, fullname: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise MalformedPayload(fullname, f"{key} is missing or not text")
    return value


def _post_text(data: Mapping[str, Any], fullname: str) -> str:
    title = _text(data, "title", fullname)
    body = data.get("selftext")
    return f"{title}\n{body}" if isinstance(body, str) and body else title


def _author(data: Mapping[str, Any], fullname: str) -> dict[str, str]:
    name = data.get("author")
    if name in (None, "", "[deleted]"):
        # One identity per item: deleted accounts must not merge into one customer.
        return {"id": f"[deleted]:{fullname}", "handle": "[deleted]", "name": "[deleted]"}
    if not isinstance(name, str):
        raise MalformedPayload(fullname, "author is not a username")
    author_id = data.get("author_fullname")
    if not (isinstance(author_id, str) and author_id.startswith("t2_")):
        author_id = name
    return {"id": author_id, "handle": name, "name": name}


def _url(data: Mapping[str, Any], fullname: str) -> str:
    link = data.get("permalink") or data.get("context")
    if isinstance(link, str) and link:
        return WEB_URL + urlsplit(link).path
    thread = _thread(data)
    if fullname.startswith("t3_") or thread is None:
        return f"{WEB_URL}/comments/{fullname[3:]}/"
    return f"{WEB_URL}/comments/{thread[3:]}/_/{fullname[3:]}/"


def _thread(data: Mapping[str, Any]) -> str | None:
    link_id = data.get("link_id")
    if isinstance(link_id, str) and link_id.startswith("t3_"):
        return link_id
    found = _THREAD.search(str(data.get("permalink") or data.get("context") or ""))
    return f"t3_{found.group(1)}" if found else None


# --- cursor ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mark:
    """How far one feed has been read: its newest created_utc and the fullnames read lately.

    ``seen`` maps fullnames to created_utc for the feed's overlap window (just the newest
    second when there is none); ``scope`` is what the feed read (subreddits, query), so a
    changed setting reads the lookback window again instead of trusting an unrelated mark.
    """

    created: float
    seen: dict[str, float]
    scope: str


@dataclass(frozen=True, slots=True)
class _Seen:
    """One item a scan found above its feed's mark, and what became of it."""

    feed: str
    fullname: str
    created: float
    outcome: MentionIn | Skipped | None  # None: read, but not a mention (no keyword)

    @property
    def key(self) -> tuple[float, str]:
        """Oldest first, ties by fullname."""
        return (self.created, self.fullname)


def _load_cursor(cursor: str | None) -> tuple[dict[str, _Mark], list[Skipped]]:
    if not cursor:
        return {}, []
    try:
        marks = {
            feed: _Mark(
                float(mark["created_utc"]),
                {str(name): float(at) for name, at in mark["seen"].items()},
                str(mark["scope"]),
            )
            for feed, mark in json.loads(cursor)["feeds"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}, [Skipped("reddit cursor", "unreadable; read again from the lookback window")]
    return marks, []


def _dump_cursor(marks: Mapping[str, _Mark]) -> str:
    feeds = {
        feed: {"created_utc": mark.created, "seen": mark.seen, "scope": mark.scope}
        for feed, mark in marks.items()
    }
    return json.dumps({"feeds": feeds}, sort_keys=True)


def _advance(old: _Mark | None, taken: list[_Seen], *, scope: str, overlap: float) -> _Mark | None:
    """The mark after ``taken``: never behind ``old``, remembering the overlap window."""
    if not taken:
        return old
    newest = max([seen.created for seen in taken] + ([old.created] if old else []))
    recent = (old.seen if old else {}) | {seen.fullname: seen.created for seen in taken}
    kept = {name: at for name, at in recent.items() if at >= newest - overlap}
    return _Mark(newest, kept, scope)


def _time_filter(since: float | None, now: float) -> str:
    """The narrowest search window that still reaches back to ``since``."""
    if since is None:
        return "all"
    age = now - since + 300  # slack for clocks that disagree
    return next((name for name, span in _TIME_FILTERS if age <= span), "all")


# --- the collector -----------------------------------------------------------------------


class RedditCollector:
    """Reads new Reddit posts, comments and mentions after a cursor; see the module docstring."""

    name = "reddit"

    def __init__(
        self,
        reddit: praw.Reddit,
        *,
        subreddits: Iterable[str] = (),
        keywords: Iterable[str] = (),
        feeds: Iterable[str] | None = None,
        lookback: timedelta | None = timedelta(days=7),
        max_scan: int = LISTING_DEPTH,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.reddit = reddit
        self.subreddits = [s.strip().removeprefix("r/").strip("/") for s in subreddits if s.strip()]
        self.keywords = [k.strip() for k in keywords if k.strip()]
        self.feeds = tuple(feeds) if feeds is not None else self._default_feeds()
        if unknown := set(self.feeds) - set(FEEDS):
            raise ValueError(f"unknown reddit feeds {sorted(unknown)}; choose from {FEEDS}")
        self.lookback = lookback
        self.max_scan = max_scan
        self.clock = clock
        self._pattern = _keyword_pattern(self.keywords)
        self._query = " OR ".join(f'"{k.replace(chr(34), "")}"' for k in self.keywords)

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A collector over ``reddit.*``; NotConfigured names the settings to set."""
        conf = settings.reddit
        missing = [
            name
            for name, value in (
                ("reddit.client_id", conf.client_id),
                ("reddit.client_secret", _secret(conf.client_secret)),
            )
            if not value
        ]
        if missing:
            raise NotConfigured(
                f"set {' and '.join(missing)} (a 'script' app from "
                "https://www.reddit.com/prefs/apps; env SOCIALCRM_REDDIT__CLIENT_ID and "
                "SOCIALCRM_REDDIT__CLIENT_SECRET)"
            )
        collector = cls(create_client(conf), subreddits=conf.subreddits, keywords=conf.keywords)
        if not collector.feeds:
            raise NotConfigured(
                "nothing to listen to: set reddit.subreddits or reddit.keywords, or "
                "reddit.username and reddit.password for the account's username mentions"
            )
        return collector

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """Up to ``limit`` new items after ``cursor``, oldest first across the feeds."""
        marks, notes = _load_cursor(cursor)
        found: list[_Seen] = []
        for feed in self.feeds:
            mark = marks.get(feed)
            mark = mark if mark and mark.scope == self._scope(feed) else None
            seen, gap = self._scan(feed, mark)
            found.extend(seen)
            if gap and mark:
                notes.append(Skipped(f"reddit {feed}", self._gap_reason(mark)))
        return self._batch(found, marks, notes, limit=limit)

    def deleted(self, fullnames: Iterable[str]) -> list[str]:
        """Which of these collected items Reddit now reports deleted or removed."""
        wanted = list(dict.fromkeys(fullnames))
        gone: list[str] = []
        with self._translated("info"):
            for thing in self.reddit.info(fullnames=wanted) if wanted else ():
                data = raw_data(thing)
                if gone_reason(data):
                    gone.append(str(data.get("name")))
        return gone

    def _default_feeds(self) -> tuple[str, ...]:
        feeds = ["search"] if self.keywords else []
        feeds += ["submissions", "comments"] if self.subreddits else []
        feeds += [] if self.reddit.read_only else ["mentions"]
        return tuple(feeds)

    def _scope(self, feed: str) -> str:
        """What the feed reads; a mark made for another scope is not trusted."""
        if feed == "mentions":
            return str(self.reddit.config.username)
        subreddits = "+".join(sorted(s.lower() for s in self.subreddits)) or "all"
        return f"{subreddits} {self._query}" if feed == "search" else subreddits

    def _listing(self, feed: str, since: float | None) -> Iterator[Any]:
        subreddit = self.reddit.subreddit("+".join(self.subreddits) or "all")
        if feed == "search":
            window = _time_filter(since, self.clock().timestamp())
            return subreddit.search(
                self._query, sort="new", time_filter=window, limit=self.max_scan
            )
        if feed == "submissions":
            return subreddit.new(limit=self.max_scan)
        if feed == "comments":
            return subreddit.comments(limit=self.max_scan)
        return self.reddit.inbox.mentions(limit=self.max_scan)

    def _scan(self, feed: str, mark: _Mark | None) -> tuple[list[_Seen], bool]:
        """The feed's unseen items down to ``mark``; True when the listing ran out before it."""
        floor = mark.created - self._overlap(feed) if mark else self._lookback_floor()
        seen: list[_Seen] = []
        read = 0
        with self._translated(feed):
            for read, thing in enumerate(self._listing(feed, floor), start=1):
                newer = seen[-1].created if seen else self.clock().timestamp()
                item = self._read(feed, raw_data(thing), position=read, newer=newer)
                if floor is not None and item.created < floor:
                    return seen, False
                if not (mark and item.fullname in mark.seen):
                    seen.append(item)
        return seen, mark is not None and read >= self.max_scan

    def _read(self, feed: str, data: dict[str, Any], *, position: int, newer: float) -> _Seen:
        name = data.get("name")
        fullname = name if isinstance(name, str) and name else f"reddit {feed} item {position}"
        stamp = data.get("created_utc")
        created = float(stamp) if isinstance(stamp, int | float) and stamp > 0 else newer
        outcome: MentionIn | Skipped | None
        try:
            mention = to_mention(data)
            outcome = mention if self._wanted(feed, mention.text) else None
        except DeletedOnReddit as exc:
            filtered = feed in ("submissions", "comments") and self._pattern is not None
            outcome = None if filtered else Skipped(exc.fullname, DELETED_ON_REDDIT)
        except MalformedPayload as exc:
            outcome = Skipped(exc.where, exc.why)
        return _Seen(feed, fullname, created, outcome)

    def _wanted(self, feed: str, text: str) -> bool:
        if feed in ("search", "mentions") or self._pattern is None:
            return True
        return self._pattern.search(text) is not None

    def _batch(
        self, found: list[_Seen], marks: dict[str, _Mark], notes: list[Skipped], *, limit: int
    ) -> Batch:
        """The oldest ``limit`` items, deduplicated, and the marks moved past exactly those."""
        batch = Batch(skipped=notes)
        handed: set[str] = set()
        taken: list[_Seen] = []
        for item in sorted(found, key=lambda seen: seen.key):
            counts = item.outcome is not None and item.fullname not in handed
            if counts and len(handed) >= limit:
                batch.exhausted = False
                break
            taken.append(item)
            if counts:
                handed.add(item.fullname)
                if isinstance(item.outcome, MentionIn):
                    batch.mentions.append(item.outcome)
                elif isinstance(item.outcome, Skipped):
                    batch.skipped.append(item.outcome)
        for feed in self.feeds:
            old = marks.get(feed)
            old = old if old and old.scope == self._scope(feed) else None
            mine = [seen for seen in taken if seen.feed == feed]
            mark = _advance(old, mine, scope=self._scope(feed), overlap=self._overlap(feed))
            if mark is not None:
                marks[feed] = mark
        batch.cursor = _dump_cursor(marks)
        return batch

    @staticmethod
    def _overlap(feed: str) -> float:
        return SEARCH_OVERLAP if feed == "search" else 0.0

    def _lookback_floor(self) -> float | None:
        return None if self.lookback is None else (self.clock() - self.lookback).timestamp()

    def _gap_reason(self, mark: _Mark) -> str:
        since = datetime.fromtimestamp(mark.created, UTC).isoformat(timespec="seconds")
        return (
            f"gap: read {self.max_scan} items (Reddit's listing depth) without reaching "
            f"the previous run's newest item ({since}); items between may be missing"
        )

    @contextmanager
    def _translated(self, feed: str) -> Iterator[None]:
        """prawcore's errors as ours, raised from the original."""
        try:
            yield
        except prawcore.PrawcoreException as exc:
            raise self._translate(exc, feed) from exc

    def _translate(self, exc: prawcore.PrawcoreException, feed: str) -> ListenerError:
        where = f"reddit {feed}"
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        if isinstance(exc, prawcore.TooManyRequests) or status == 429:
            return RateLimited(_retry_after(response), f"{where}: rate limited (HTTP 429)")
        if isinstance(exc, prawcore.OAuthException):
            return AuthFailed(*_oauth_refusal(exc.error))
        if status in (401, 403):
            return self._auth_failed(feed, response, status)
        if isinstance(exc, prawcore.NotFound | prawcore.Redirect):
            subs = "r/" + "+r/".join(self.subreddits or ["all"])
            return NotConfigured(f"reddit.subreddits: {subs} not found (banned or misspelt?)")
        if isinstance(exc, prawcore.RequestException):
            cause = type(exc.original_exception).__name__
            return SourceUnavailable(f"{where}: no answer from Reddit ({cause})")
        return SourceUnavailable(f"{where}: {exc}")

    def _auth_failed(self, feed: str, response: Any, status: int) -> AuthFailed:
        """A 401 or 403, naming the setting it points at."""
        if str(getattr(response, "url", "")).endswith(_TOKEN_PATH):
            return AuthFailed("reddit.client_secret", "Reddit refused reddit.client_id/secret")
        if feed == "mentions":
            return AuthFailed("reddit.password", f"reddit mentions: HTTP {status}")
        subs = "r/" + "+r/".join(self.subreddits or ["all"])
        credential = "reddit.client_secret" if self.reddit.read_only else "reddit.password"
        hint = " (private, quarantined or banned?)" if status == 403 else ""
        return AuthFailed(credential, f"reddit {feed}: HTTP {status} reading {subs}{hint}")


def _keyword_pattern(keywords: list[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    alternatives = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _retry_after(response: Any) -> float | None:
    """Seconds to wait from ``retry-after``, else ``x-ratelimit-reset``; None when neither."""
    headers = getattr(response, "headers", None) or {}
    for header in ("retry-after", "x-ratelimit-reset"):
        try:
            return max(0.0, float(headers[header]))
        except (KeyError, TypeError, ValueError):
            continue
    return None


def _oauth_refusal(error: str) -> tuple[str, str]:
    """The setting behind a token refusal, and what Reddit said."""
    if error == "invalid_grant":
        return "reddit.password", "Reddit refused reddit.username/password (invalid_grant)"
    if error == "unauthorized_client":
        return "reddit.client_id", "the app is not a 'script' app (unauthorized_client)"
    return "reddit.client_secret", f"Reddit refused the app's credentials ({error})"
