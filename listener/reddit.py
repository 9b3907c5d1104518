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
items) before reaching the cursor is reported in ``Batch.gaps``.

Reddit requires deleted content to be deleted here too. Items Reddit reports
deleted or removed are never mapped: they come back in ``Batch.skipped`` as
``Skipped(fullname, DELETED_ON_REDDIT)`` and in ``Batch.deleted``. The cursor
also remembers the items handed over in the last ``SWEEP_WINDOW`` (at most
``SWEEP_MAX``); every ``sweep_every`` a fetch asks ``/api/info`` which of them
are gone now and reports those in ``Batch.deleted`` for the runner to purge.

Mapping lives in :mod:`listener.reddit_mapping`, the cursor in :mod:`listener.reddit_cursor`.
"""

from __future__ import annotations

import importlib.metadata
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Self

import praw
import prawcore
from pydantic import SecretStr

from config.settings import RedditSettings, Settings
from crm.schemas import MentionIn
from crm.types import utcnow
from listener.base import Batch, Gap, Skipped
from listener.errors import (
    AuthFailed,
    ListenerError,
    MalformedPayload,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
)
from listener.reddit_cursor import Mark, Seen, Sweep, advance, dump_cursor, load_cursor, time_filter
from listener.reddit_mapping import DeletedOnReddit, gone_reason, raw_data, to_mention

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
LISTING_DEPTH = 1000  # Reddit serves at most about this many items of any listing
SEARCH_OVERLAP = 3600.0  # seconds re-read by search: posts reach Reddit's index late
SWEEP_EVERY = timedelta(minutes=15)  # how often recent items are re-checked for deletion
SWEEP_WINDOW = timedelta(days=7)  # how long after collection an item is re-checked
SWEEP_MAX = 2000  # at most this many recent items are re-checked (20 /api/info calls)
_TOKEN_PATH = "/api/v1/access_token"  # noqa: S105 (a path, not a secret)


class _Requestor(prawcore.Requestor):
    """prawcore's requestor with our timeout on every call, token requests included."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Send with this requestor's timeout, whatever prawcore passes."""
        return super().request(*args, timeout=self.timeout, **kwargs)


def user_agent(settings: RedditSettings) -> str:
    """``reddit.user_agent``, else Reddit's form ``python:socialcrm:<v> (by /u/<name>)``."""
    if settings.user_agent and settings.user_agent.strip():
        return settings.user_agent.strip()
    try:
        version = importlib.metadata.version("socialcrm")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    agent = f"python:socialcrm:{version}"
    return f"{agent} (by /u/{settings.username})" if settings.username else agent


def create_client(settings: RedditSettings, *, timeout: float | None = None) -> praw.Reddit:
    """The praw client for a script app; read-only without username and password."""
    if not settings.client_id or not _secret(settings.client_secret):
        raise NotConfigured("set reddit.client_id and reddit.client_secret")
    options: dict[str, Any] = {
        "client_id": settings.client_id,
        "client_secret": _secret(settings.client_secret),
        "user_agent": user_agent(settings),
        "check_for_updates": False,
        "requestor_class": _Requestor,
        "requestor_kwargs": {"timeout": timeout or settings.timeout_seconds},
    }
    if settings.username and _secret(settings.password):
        options |= {"username": settings.username, "password": _secret(settings.password)}
    base = settings.api_base_url.rstrip("/")
    if base != DEFAULT_API_URL:
        options |= {"oauth_url": base + "/", "reddit_url": base}
    return praw.Reddit(**options)


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


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
        sweep_every: timedelta = SWEEP_EVERY,
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
        self.sweep_every = sweep_every
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
        marks, sweep, notes = load_cursor(cursor)
        found: list[Seen] = []
        gaps: list[Gap] = []
        for feed in self.feeds:
            mark = marks.get(feed)
            mark = mark if mark and mark.scope == self._scope(feed) else None
            seen, gap = self._scan(feed, mark)
            found.extend(seen)
            if gap and mark:
                gaps.append(self._gap(feed, mark, seen))
        batch = self._batch(found, marks, notes, limit=limit)
        batch.gaps.extend(gaps)
        self._sweep(batch, sweep)
        batch.cursor = dump_cursor(marks, sweep)
        return batch

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
            window = time_filter(since, self.clock().timestamp())
            return subreddit.search(
                self._query, sort="new", time_filter=window, limit=self.max_scan
            )
        if feed == "submissions":
            return subreddit.new(limit=self.max_scan)
        if feed == "comments":
            return subreddit.comments(limit=self.max_scan)
        return self.reddit.inbox.mentions(limit=self.max_scan)

    def _scan(self, feed: str, mark: Mark | None) -> tuple[list[Seen], bool]:
        """The feed's unseen items down to ``mark``; True when the listing ran out before it."""
        floor = mark.created - self._overlap(feed) if mark else self._lookback_floor()
        seen: list[Seen] = []
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

    def _read(self, feed: str, data: dict[str, Any], *, position: int, newer: float) -> Seen:
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
        return Seen(feed, fullname, created, outcome)

    def _wanted(self, feed: str, text: str) -> bool:
        if feed in ("search", "mentions") or self._pattern is None:
            return True
        return self._pattern.search(text) is not None

    def _batch(
        self, found: list[Seen], marks: dict[str, Mark], notes: list[Skipped], *, limit: int
    ) -> Batch:
        """The oldest ``limit`` items, deduplicated, and the marks moved past exactly those."""
        batch = Batch(skipped=notes)
        handed: set[str] = set()
        taken: list[Seen] = []
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
            mark = advance(old, mine, scope=self._scope(feed), overlap=self._overlap(feed))
            if mark is not None:
                marks[feed] = mark
        return batch

    def _sweep(self, batch: Batch, sweep: Sweep) -> None:
        """Remember what was handed over; every ``sweep_every`` ask Reddit which of it is gone.

        Reddit requires deleted content to be deleted here too. Items the scan met
        deleted are reported at once; the recent ones (``SWEEP_WINDOW``, at most
        ``SWEEP_MAX``) are re-checked with ``/api/info`` in calls of 100.
        """
        now = self.clock().timestamp()
        batch.deleted.extend(s.where for s in batch.skipped if s.reason == DELETED_ON_REDDIT)
        if now - sweep.swept_at >= self.sweep_every.total_seconds():
            gone = self.deleted(sweep.recent) if sweep.recent else []
            batch.deleted.extend(gone)
            for fullname in gone:
                sweep.recent.pop(fullname, None)
            sweep.swept_at = now
        sweep.recent.update((m.external_id, m.posted_at.timestamp()) for m in batch.mentions)
        floor = now - SWEEP_WINDOW.total_seconds()
        newest = sorted(
            ((at, name) for name, at in sweep.recent.items() if at >= floor), reverse=True
        )[:SWEEP_MAX]
        sweep.recent = {name: at for at, name in newest}
        batch.deleted[:] = list(dict.fromkeys(batch.deleted))

    @staticmethod
    def _overlap(feed: str) -> float:
        return SEARCH_OVERLAP if feed == "search" else 0.0

    def _lookback_floor(self) -> float | None:
        return None if self.lookback is None else (self.clock() - self.lookback).timestamp()

    def _gap(self, feed: str, mark: Mark, seen: list[Seen]) -> Gap:
        """The stretch between the previous run's newest item and the oldest one read now."""
        since = datetime.fromtimestamp(mark.created, UTC).isoformat(timespec="seconds")
        oldest = min((item.created for item in seen), default=None)
        until = (
            datetime.fromtimestamp(oldest, UTC).isoformat(timespec="seconds") if oldest else None
        )
        return Gap(
            since,
            until,
            f"reddit {feed}: read {self.max_scan} items (Reddit's listing depth) without "
            "reaching the previous run's newest item; items between may be missing",
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
