"""Data functions for collector state: the cursor, health and counts of each source, and its gaps.

A gap is a stretch a source knows it could not read (X recent search keeps 7
days; a Reddit listing ends after about 1,000 items; a search that stopped
paging). It is recorded once, in the transaction that moves the cursor past
it, and shown by ``socialcrm sources`` until someone marks it filled (by an
import of the missing stretch, say).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from crm.models import SourceGap, SourceState
from crm.schemas import clean_text
from crm.types import utcnow

__all__ = [
    "advance_source",
    "get_source_state",
    "list_gaps",
    "list_source_states",
    "mark_gap_filled",
    "mark_source_failed",
    "record_gap",
]


def get_source_state(*, session: Session, name: str) -> SourceState:
    """The state row of source ``name``, created empty on first use."""
    state = session.exec(select(SourceState).where(SourceState.name == name)).first()
    if state is None:
        state = SourceState(name=name)
        session.add(state)
        session.flush()
    return state


def advance_source(
    *,
    session: Session,
    name: str,
    cursor: str | None,
    fetched: int,
    stored: int,
    duplicates: int,
    skipped: int,
) -> SourceState:
    """Move the cursor and add the counts; call in the transaction that stored the batch."""
    state = get_source_state(session=session, name=name)
    now = utcnow()
    state.cursor = cursor
    state.fetched_total += fetched
    state.stored_total += stored
    state.duplicate_total += duplicates
    state.skipped_total += skipped
    state.health = "ok"
    state.last_error = None
    state.last_run_at = state.last_success_at = state.updated_at = now
    session.add(state)
    return state


def mark_source_failed(*, session: Session, name: str, error: str) -> SourceState:
    """Record a failed run; the cursor stays where it was."""
    state = get_source_state(session=session, name=name)
    state.health = "error"
    state.last_error = error
    state.last_run_at = state.updated_at = utcnow()
    session.add(state)
    return state


def list_source_states(*, session: Session) -> list[SourceState]:
    """Every source that has run, by name."""
    return list(session.exec(select(SourceState).order_by(SourceState.name)))


def record_gap(
    *, session: Session, source: str, start: str | None, end: str | None, reason: str
) -> SourceGap:
    """Record a stretch ``source`` lost; the same (source, start, end) is recorded once."""
    start, end = _bound(start), _bound(end)
    known = session.exec(
        select(SourceGap).where(
            SourceGap.source == source, SourceGap.start == start, SourceGap.end == end
        )
    ).first()
    if known is not None:
        return known
    gap = SourceGap(source=source, start=start, end=end, reason=clean_text(reason)[:500])
    session.add(gap)
    session.flush()
    return gap


def list_gaps(
    *, session: Session, source: str | None = None, open_only: bool = False
) -> list[SourceGap]:
    """The recorded gaps, newest first; ``open_only`` leaves out the filled ones."""
    query = select(SourceGap)
    if source is not None:
        query = query.where(SourceGap.source == source)
    if open_only:
        query = query.where(col(SourceGap.filled_at).is_(None))
    return list(session.exec(query.order_by(col(SourceGap.detected_at).desc(), col(SourceGap.id))))


def mark_gap_filled(*, session: Session, gap_id: int) -> SourceGap | None:
    """Mark a gap filled (its stretch was imported some other way); None when there is none."""
    gap = session.get(SourceGap, gap_id)
    if gap is not None and gap.filled_at is None:
        gap.filled_at = utcnow()
        session.add(gap)
    return gap


def _bound(value: str | None) -> str | None:
    return clean_text(value)[:300] if value is not None else None
