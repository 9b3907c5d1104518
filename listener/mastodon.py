"""The Mastodon collector: the account's mention notifications and hashtag timelines.

Works with any Mastodon instance through Mastodon.py. :func:`create_client` is
the only place the client is built (and the seam tests patch),
:func:`to_mention` maps one status, and :class:`MastodonCollector` pages
through the sources.

Sources and cursor
    ``notifications`` (mention notifications, by notification id) and one
    ``tag:<name>`` per hashtag in ``mastodon.hashtags`` (by status id). The
    cursor is JSON mapping each source to the last id taken, for example
    ``{"notifications": "5012", "tag:brand": "113469187542098561"}``; it only
    moves forward. Pages are asked for with ``min_id`` (the oldest items just
    after the cursor) rather than ``since_id``, which answers with the *newest*
    items and so leaves a gap whenever more arrived than a page holds. A full
    page means more may wait, and the batch says ``exhausted=False``. Ids are
    compared as numbers. Mention notifications start from the first; a hashtag
    without a cursor starts ``hashtag_backfill`` ago (Mastodon status ids
    encode their time).

Errors (translated here, never slept on or retried)
    429 raises RateLimited with the client's reset; 401 (and 403 on
    notifications: a token without the read scope) AuthFailed naming
    ``mastodon.access_token``; network failures and timeouts SourceUnavailable.
    A 5xx or odd answer on one source does not stop the others: what they gave
    comes back with ``exhausted=False`` and the next fetch reports the failure.
    A 404 on a hashtag is an empty timeline. A status that cannot be read is
    skipped with its id and why.

Mapping statuses to mentions lives in :mod:`listener.mastodon_mapping`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Self
from urllib.parse import urlsplit

from mastodon import (
    Mastodon,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
)

from config.endpoints import instance_url
from config.settings import MastodonSettings, Settings
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
from listener.mastodon_deletions import SWEEP_KEY, Sweep, missing_statuses
from listener.mastodon_mapping import html_to_text, text_id, to_mention

__all__ = ["MastodonCollector", "create_client", "html_to_text", "to_mention"]

logger = logging.getLogger(__name__)

# A recent release, so the client never asks the server for its version.
MASTODON_VERSION = "4.3.0"
NOTIFICATIONS = "notifications"
# Mastodon's hashtag characters: word characters, the middle dots and ZWNJ (Persian).
_HASHTAG = re.compile(r"[\w\u00b7\u30fb\u200c]+")
_ENV = "SOCIALCRM_MASTODON__"


def create_client(settings: MastodonSettings) -> Mastodon:
    """The Mastodon.py client for these settings; NotConfigured names what is missing."""
    base = settings.api_base_url
    token = settings.access_token.get_secret_value() if settings.access_token else ""
    if not base or not token:
        missing = [
            f"mastodon.{name} ({_ENV}{name.upper()})"
            for name, value in (("api_base_url", base), ("access_token", token))
            if not value
        ]
        raise NotConfigured(f"set {' and '.join(missing)} to listen on Mastodon")
    return Mastodon(
        access_token=token,
        api_base_url=_base_url(base),
        ratelimit_method="throw",
        version_check_mode="none",
        mastodon_version=MASTODON_VERSION,
        request_timeout=settings.timeout_seconds,
        user_agent="socialcrm",
    )


def _base_url(value: str) -> str:
    try:
        return instance_url(value)
    except ValueError as exc:
        raise NotConfigured(str(exc)) from exc


def _hashtags(values: Sequence[str]) -> list[str]:
    """The hashtags without ``#``, each once (Mastodon ignores case); NotConfigured if unusable."""
    tags: dict[str, str] = {}
    for value in values:
        tag = value.strip().removeprefix("#")
        if not _HASHTAG.fullmatch(tag):
            raise NotConfigured(
                f"mastodon.hashtags: {value!r} is not a hashtag (letters, digits and _ only)"
            )
        tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def _id_key(value: str) -> tuple[int, str]:
    """Sort key for ids: numeric for Mastodon's digits, and right for fixed-width ids too."""
    digits = value.lstrip("0")
    return len(digits), digits


def _is_newer(value: str, than: str | None) -> bool:
    return than is None or _id_key(value) > _id_key(than)


def _snowflake(moment: datetime) -> str:
    """The smallest Mastodon status id at ``moment`` (milliseconds shifted by 16 bits)."""
    return str(int(moment.timestamp() * 1000) << 16)


@dataclass(frozen=True, slots=True)
class _Source:
    key: str
    tag: str | None = None
    title: str | None = None

    @property
    def label(self) -> str:
        if self.title is not None:
            return self.title
        return "mention notifications" if self.tag is None else f"#{self.tag} timeline"

    @property
    def page_size(self) -> int:
        return 80 if self.tag is None else 40  # the largest pages Mastodon serves


@dataclass(slots=True)
class _Run:
    """One fetch in progress: the batch, the status ids seen and the items left to read."""

    budget: int
    batch: Batch = field(default_factory=Batch)
    seen: set[str] = field(default_factory=set)


class _SourceFailed(SourceUnavailable):
    """One source failed (a 5xx, an odd answer); the others can still be read."""


class MastodonCollector:
    """Mentions of the account and posts in its hashtags, on one Mastodon instance."""

    name = "mastodon"

    def __init__(
        self,
        client: Mastodon,
        *,
        hashtags: Sequence[str] = (),
        instance: str | None = None,
        hashtag_backfill: timedelta = timedelta(days=7),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.client = client
        self.instance = instance or urlsplit(str(client.api_base_url)).hostname or ""
        self.sources = [_Source(NOTIFICATIONS)] + [
            _Source(f"tag:{tag.casefold()}", tag) for tag in _hashtags(hashtags)
        ]
        self.hashtag_backfill = hashtag_backfill
        self.clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        """A collector for ``settings.mastodon``; off until its address and token are set."""
        hashtags = _hashtags(settings.mastodon.hashtags)
        return cls(create_client(settings.mastodon), hashtags=hashtags)

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        """Up to ``limit`` notifications and statuses after the cursor, each status once."""
        after = _read_cursor(cursor)
        run = _Run(budget=max(1, limit))
        failure: ListenerError | None = None
        for source in self.sources:
            try:
                if run.budget <= 0 or not self._drain(source, after, run):
                    run.batch.exhausted = False
            except _SourceFailed as exc:
                failure = failure or exc
            except ListenerError as exc:  # rate limit, token, network: the same for every source
                failure = exc
                break
        if failure is not None:
            if not (run.batch.mentions or run.batch.skipped):
                raise failure
            run.batch.exhausted = False  # keep what was read; the next fetch meets the failure
        _link_threads(run.batch.mentions)
        sweep = Sweep.load(_stored_sweep(cursor))
        self._sweep(run.batch, sweep)
        run.batch.cursor = json.dumps({**after, SWEEP_KEY: sweep.dump()}, sort_keys=True)
        return run.batch

    def _sweep(self, batch: Batch, sweep: Sweep) -> None:
        """Every ``SWEEP_EVERY``, report which recently handed-over statuses are gone."""
        now = self.clock().timestamp()
        if sweep.recent and sweep.due(now):
            try:
                gone = missing_statuses(self.client, list(sweep.recent))
            except MastodonNotFoundError:
                gone = []
                batch.skipped.append(
                    Skipped(
                        f"mastodon deletions on {self.instance}",
                        "the instance cannot list statuses by id (Mastodon 4.3 can); "
                        "deleted statuses are not purged",
                    )
                )
            except MastodonError as exc:
                failure = self._translate(exc, _Source("deletions", title="deletion check"))
                if not (batch.mentions or batch.skipped):
                    raise failure from exc
                batch.exhausted = False  # keep the batch; the next fetch meets the failure
                return
            batch.deleted.extend(gone)
            for status_id in gone:
                sweep.recent.pop(status_id, None)
        if sweep.due(now):
            sweep.swept_at = now
        handed = {m.external_id: m.posted_at.timestamp() for m in batch.mentions}
        sweep.remember(handed, now=now)

    def _drain(self, source: _Source, after: dict[str, str], run: _Run) -> bool:
        """Read pages of one source while the budget lasts; True when it has nothing more."""
        while run.budget > 0:
            start = after.get(source.key) or self._start(source)
            size = min(run.budget, source.page_size)
            page = self._page(source, start, size)
            run.budget -= max(1, len(page))
            newest = self._take_page(source, page, start, run)
            if newest is None:  # nothing after the cursor (or a server ignoring min_id)
                return True
            after[source.key] = newest
            if len(page) < size:
                return True
        return False

    def _start(self, source: _Source) -> str:
        if source.tag is None:
            return "0"
        return _snowflake(self.clock() - self.hashtag_backfill)

    def _page(self, source: _Source, start: str, size: int) -> list[Any]:
        """One page from the server, newest first as Mastodon sends it."""
        try:
            if source.tag is None:
                answer = self.client.notifications(types=["mention"], min_id=start, limit=size)
            else:
                answer = self.client.timeline_hashtag(source.tag, min_id=start, limit=size)
        except MastodonNotFoundError as exc:
            if source.tag is not None:
                return []
            raise self._translate(exc, source) from exc
        except MastodonError as exc:
            raise self._translate(exc, source) from exc
        if not isinstance(answer, list):
            raise _SourceFailed(f"mastodon {source.label}: the server did not answer with a list")
        return list(answer)

    def _translate(self, exc: MastodonError, source: _Source) -> ListenerError:
        """The SDK's error as ours; never with a header or the token in it."""
        what = f"mastodon {source.label} on {self.instance}"
        status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
        if isinstance(exc, MastodonRatelimitError):
            return RateLimited(self._retry_after(), f"{what}: rate limited")
        if isinstance(exc, MastodonUnauthorizedError) or (status == 403 and source.tag is None):
            return AuthFailed(
                "mastodon.access_token",
                f"{self.instance} refused it ({status}); it needs the read scope",
            )
        if isinstance(exc, MastodonNetworkError):
            return SourceUnavailable(f"{what}: {exc}")
        reason = exc.args[2] if status is not None and len(exc.args) > 2 else str(exc)[:200]
        return _SourceFailed(f"{what}: the server answered {status or 'oddly'} {reason}".strip())

    def _retry_after(self) -> float | None:
        reset = getattr(self.client, "ratelimit_reset", None)
        if isinstance(reset, int | float) and reset > time.time():
            return float(reset - time.time())
        return None

    def _take_page(self, source: _Source, page: list[Any], start: str, run: _Run) -> str | None:
        """Add the page's mentions, oldest first; the newest id after ``start``, if any."""
        newest: str | None = None
        for item in sorted(page, key=lambda item: _id_key(_item_id(item) or "")):
            item_id = _item_id(item)
            if item_id is None:
                run.batch.skipped.append(Skipped(f"mastodon {source.label}", "an item without id"))
                continue
            if not _is_newer(item_id, start):
                continue
            newest = item_id if _is_newer(item_id, newest) else newest
            status = item if source.tag is not None else _mention_status(item, item_id, run)
            if status is not None:
                self._take(status, run)
        return newest

    def _take(self, status: Any, run: _Run) -> None:
        status_id = _item_id(status)
        if status_id is not None:
            if status_id in run.seen:
                return
            run.seen.add(status_id)
        try:
            run.batch.mentions.append(to_mention(status, instance=self.instance))
        except MalformedPayload as exc:
            run.batch.skipped.append(Skipped(exc.where, exc.why))


def _item_id(item: Any) -> str | None:
    return text_id(item.get("id")) if isinstance(item, Mapping) else None


def _mention_status(item: Mapping[str, Any], item_id: str, run: _Run) -> Any:
    """The status a mention notification carries; other kinds are passed over."""
    if item.get("type") not in (None, "mention"):
        return None  # a server that ignored types[]=mention
    status = item.get("status")
    if not isinstance(status, Mapping):
        run.batch.skipped.append(
            Skipped(f"mastodon notification {item_id}", "a mention without its status (deleted?)")
        )
        return None
    return status


def _read_cursor(cursor: str | None) -> dict[str, str]:
    """The per-source ids in a cursor; an unreadable one starts over (the store dedups)."""
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict):
        logger.warning("mastodon cursor is unreadable; reading the sources from the start")
        return {}
    return {key: value for key, value in data.items() if text_id(value) == value}


def _stored_sweep(cursor: str | None) -> Any:
    try:
        data = json.loads(cursor) if cursor else None
    except json.JSONDecodeError:
        return None
    return data.get(SWEEP_KEY) if isinstance(data, dict) else None


def _link_threads(mentions: list[MentionIn]) -> None:
    """A reply whose parent is in the batch joins the parent's thread (its root, when known)."""
    by_id = {mention.external_id: mention for mention in mentions}
    for mention in sorted(mentions, key=lambda mention: _id_key(mention.external_id)):
        parent = by_id.get(mention.in_reply_to_id or "")
        if parent is not None and parent is not mention:
            mention.conversation_id = parent.conversation_id
