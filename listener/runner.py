"""The one runner every collector goes through.

It reads the source's cursor, fetches, drops the brand's own posts, stores
the batch with dedup, purges what the platform reports deleted, records the
gaps the source knows of and moves the cursor, all in one transaction, so a
crash between any two steps loses nothing and stores nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from crm.db import session_scope
from crm.mentions import purge_deleted, store_mentions
from crm.schemas import MentionIn
from crm.sources import advance_source, get_source_state, mark_source_failed, record_gap
from listener.base import Collector, Gap, Skipped
from listener.errors import ListenerError, RateLimited

__all__ = ["CollectReport", "run_collector"]

logger = logging.getLogger(__name__)


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
    try:
        for _ in range(max_batches):
            if not _one_batch(
                collector, engine=engine, limit=limit, own=own_handles, report=report
            ):
                break
    except ListenerError as exc:
        report.error = str(exc)
        if isinstance(exc, RateLimited):
            report.rate_limited, report.retry_after = True, exc.retry_after
        with session_scope(engine) as session:
            mark_source_failed(session=session, name=collector.name, error=report.error)
        logger.warning(
            "source %s failed: %s", collector.name, exc, extra={"source": collector.name}
        )
    return report


def _one_batch(
    collector: Collector, *, engine: Engine, limit: int, own: frozenset[str], report: CollectReport
) -> bool:
    """Fetch, store and advance once; True while the source has more."""
    with session_scope(engine) as session:
        cursor = get_source_state(session=session, name=collector.name).cursor
    batch = collector.fetch(cursor, limit=limit)
    mentions = [m for m in batch.mentions if not _is_own(m, own)]
    for item in batch.skipped:
        logger.warning("skipped %s", item, extra={"source": collector.name})
    for gap in batch.gaps:
        logger.warning("%s lost data: %s", collector.name, gap, extra={"source": collector.name})
    with session_scope(engine) as session:
        stored = store_mentions(session=session, mentions=mentions, source=collector.name)
        purged = purge_deleted(session=session, source=collector.name, external_ids=batch.deleted)
        for gap in batch.gaps:
            record_gap(
                session=session,
                source=collector.name,
                start=gap.start,
                end=gap.end,
                reason=gap.reason,
            )
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


def _is_own(mention: MentionIn, own: frozenset[str]) -> bool:
    """The brand's own accounts are not mentions of the brand."""
    return mention.author.handle.casefold().lstrip("@") in own
