"""Data functions for collector state: the cursor, health and counts of each source."""

from __future__ import annotations

from sqlmodel import Session, select

from crm.models import SourceState
from crm.types import utcnow

__all__ = ["advance_source", "get_source_state", "list_source_states", "mark_source_failed"]


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
