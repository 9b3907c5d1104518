"""The one runner every collector goes through.

It reads the source's cursor, fetches, drops the brand's own posts, stores
the batch with dedup, purges what the platform reports deleted, records the
gaps the source knows of and moves the cursor, all in one transaction, so a
crash between any two steps loses nothing and stores nothing twice.

Errors come back in the report, never raised, and set the source's health:
``rate_limited`` (wait for ``retry_after``: the platform's reset, else
``RATE_LIMIT_WAIT``), ``capped`` (a monthly quota; no reset, so no retry
time), ``auth_failed`` (this collector is stopped: later runs do not call
the platform until the process is restarted with a fixed credential),
``unavailable`` (transient) or ``misconfigured``. The log speaks when the
health changes, not on every failed run, and never holds a credential.
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session

from crm.db import session_scope
from crm.mentions import purge_deleted, store_mentions
from crm.schemas import MentionIn
from crm.sources import (
    advance_source,
    get_source_state,
    list_gaps,
    mark_source_failed,
    record_gap,
)
from listener.base import Collector, Gap, Skipped
from listener.errors import (
    AuthFailed,
    ListenerError,
    NotConfigured,
    RateLimited,
    SourceUnavailable,
    UsageCapped,
)

__all__ = ["RATE_LIMIT_WAIT", "CollectReport", "health_of", "run_collector"]

logger = logging.getLogger(__name__)

# Seconds to wait after a rate limit that came without a reset (Mastodon's and Bluesky's
# windows are five minutes); a monthly cap is not this, see UsageCapped.
RATE_LIMIT_WAIT = 300.0
_HEALTHY = frozenset({"ok", "unknown"})
# Collectors stopped by a refused credential, with the reason: only a restart (which reads
# the settings again) builds a new one. Weak, so a test's collectors do not pile up.
_STOPPED: weakref.WeakKeyDictionary[Collector, str] = weakref.WeakKeyDictionary()


@dataclass
class CollectReport:
    """What one run of one source did."""

    source: str
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    error: str | None = None
    retry_after: float | None = None  # seconds the platform asked us to wait, when it did
    rate_limited: bool = False
    health: str = "ok"
    new_ids: list[int] = field(default_factory=list)
    purged_ids: list[int] = field(default_factory=list)  # stored mentions the platform deleted
    gaps: list[Gap] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """The counts, for ``--json`` output."""
        return {
            "fetched": self.fetched,
            "new": self.new,
            "duplicates": self.duplicates,
            "skipped": len(self.skipped),
            "errors": 0 if self.error is None else 1,
        }


def run_collector(
    collector: Collector,
    *,
    engine: Engine,
    limit: int = 500,
    own_handles: frozenset[str] = frozenset(),
    max_batches: int = 1000,
) -> CollectReport:
    """Fetch and store batches until the source has nothing new; errors are recorded, not raised."""
    report = CollectReport(source=collector.name)
    stopped = _stopped(collector)
    if stopped is not None:  # said once, when it stopped; a refused credential is not retried
        report.error, report.health = stopped, "auth_failed"
        return report
    with session_scope(engine) as session:
        before = get_source_state(session=session, name=collector.name).health
    try:
        for _ in range(max_batches):
            if not _one_batch(
                collector, engine=engine, limit=limit, own=own_handles, report=report
            ):
                break
    except ListenerError as exc:
        _record_failure(collector, exc, engine=engine, report=report)
    _log_transition(collector.name, before=before, report=report)
    return report


def health_of(exc: ListenerError) -> str:
    """The health a source has after ``exc``."""
    for kind, health in (
        (UsageCapped, "capped"),
        (RateLimited, "rate_limited"),
        (AuthFailed, "auth_failed"),
        (SourceUnavailable, "unavailable"),
        (NotConfigured, "misconfigured"),
    ):
        if isinstance(exc, kind):
            return health
    return "error"


def _record_failure(
    collector: Collector, exc: ListenerError, *, engine: Engine, report: CollectReport
) -> None:
    """Store the failure with the source's state; the cursor stays where it was."""
    report.error, report.health = str(exc), health_of(exc)
    if isinstance(exc, RateLimited):
        report.rate_limited = True
        report.retry_after = exc.retry_after
        if exc.retry_after is None and not isinstance(exc, UsageCapped):
            report.retry_after = RATE_LIMIT_WAIT
    if isinstance(exc, AuthFailed):
        report.error += " This source is stopped; fix the setting and restart socialcrm."
        # A collector that cannot be weakly referenced is simply not stopped.
        with contextlib.suppress(TypeError):
            _STOPPED[collector] = report.error
    with session_scope(engine) as session:
        state = mark_source_failed(session=session, name=collector.name, error=report.error)
        state.health = report.health
        session.add(state)


def _stopped(collector: Collector) -> str | None:
    try:
        return _STOPPED.get(collector)
    except TypeError:
        return None


def _log_transition(source: str, *, before: str, report: CollectReport) -> None:
    """One line when the health changes; a source failing the same way again is quiet."""
    extra = {"source": source, "health": report.health}
    if report.health == before or (report.health == "ok" and before in _HEALTHY):
        logger.debug("source %s still %s", source, report.health, extra=extra)
    elif report.health == "ok":
        logger.info("source %s is healthy again (was %s)", source, before, extra=extra)
    else:
        logger.warning("source %s is %s: %s", source, report.health, report.error, extra=extra)


def _one_batch(
    collector: Collector, *, engine: Engine, limit: int, own: frozenset[str], report: CollectReport
) -> bool:
    """Fetch, store and advance once; True while the source has more."""
    with session_scope(engine) as session:
        cursor = get_source_state(session=session, name=collector.name).cursor
    batch = collector.fetch(cursor, limit=limit)
    mentions = [m for m in batch.mentions if not _is_own(m, own)]
    if batch.skipped:  # the items are the data's problem, not the source's: one line a batch
        logger.warning(
            "source %s skipped %d item(s), e.g. %s",
            collector.name,
            len(batch.skipped),
            "; ".join(str(item) for item in batch.skipped[:3])[:500],
            extra={"source": collector.name, "skipped": len(batch.skipped)},
        )
    with session_scope(engine) as session:
        stored = store_mentions(session=session, mentions=mentions, source=collector.name)
        purged = purge_deleted(session=session, source=collector.name, external_ids=batch.deleted)
        _record_gaps(session=session, source=collector.name, gaps=batch.gaps)
        advance_source(
            session=session,
            name=collector.name,
            cursor=batch.cursor,
            fetched=len(batch.mentions),
            stored=stored.new,
            duplicates=stored.duplicates,
            skipped=len(batch.skipped) + len(batch.mentions) - len(mentions),
        )
    report.fetched += len(batch.mentions)
    report.new += stored.new
    report.duplicates += stored.duplicates
    report.skipped.extend(batch.skipped)
    report.new_ids.extend(stored.new_ids)
    report.purged_ids.extend(purged)
    report.gaps.extend(batch.gaps)
    # A live stream (Jetstream) can return an empty batch while it is still catching up,
    # so only the source's own "exhausted" ends the run; max_batches bounds it.
    return not batch.exhausted


def _record_gaps(*, session: Session, source: str, gaps: list[Gap]) -> None:
    """Record the batch's gaps; only one not recorded before is logged."""
    if not gaps:
        return
    known = {(g.start, g.end) for g in list_gaps(session=session, source=source)}
    for gap in gaps:
        recorded = record_gap(
            session=session, source=source, start=gap.start, end=gap.end, reason=gap.reason
        )
        if (recorded.start, recorded.end) not in known:
            known.add((recorded.start, recorded.end))
            logger.warning("source %s lost data: %s", source, gap, extra={"source": source})


def _is_own(mention: MentionIn, own: frozenset[str]) -> bool:
    """The brand's own accounts are not mentions of the brand."""
    return mention.author.handle.casefold().lstrip("@") in own
