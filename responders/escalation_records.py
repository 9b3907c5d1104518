"""What people do with escalations: list them with their delivery state, re-arm a failed one.

Data functions for the CLI (``socialcrm escalations``) and the console; they
take a keyword-only ``session`` and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from crm.cases import add_audit_event, change_status
from crm.enums import EscalationStatus
from crm.models import Case, Escalation
from responders.errors import EscalationNotFound, EscalationNotRetryable

__all__ = ["EscalationRow", "list_escalations", "retry_escalation"]


@dataclass(frozen=True, slots=True)
class EscalationRow:
    """One escalation as ``socialcrm escalations`` and the console list it."""

    id: int
    case_id: int
    case_ref: str
    level: int
    channel: str
    target: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


def retry_escalation(*, session: Session, escalation_id: int, actor: str) -> Escalation:
    """Re-arm a failed escalation: due now, tries counted afresh; audited."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise EscalationNotFound(escalation_id)
    if escalation.status != EscalationStatus.FAILED:
        raise EscalationNotRetryable(escalation_id, str(escalation.status))
    previous = escalation.attempts
    change_status(session=session, record=escalation, new=EscalationStatus.PENDING, actor=actor)
    escalation.attempts, escalation.next_attempt_at = 0, None
    session.add(escalation)
    add_audit_event(
        session=session,
        action="escalation.retry",
        entity=escalation,
        actor=actor,
        previous_attempts=previous,
        last_error=(escalation.last_error or "")[:200],
    )
    return escalation


def list_escalations(
    *, session: Session, statuses: Sequence[EscalationStatus] = (), limit: int = 200
) -> list[EscalationRow]:
    """Escalations newest first, optionally only those in ``statuses``."""
    query = select(Escalation, Case.id).join(Case, col(Case.id) == Escalation.case_id)
    if statuses:
        query = query.where(col(Escalation.status).in_(list(statuses)))
    rows = session.exec(query.order_by(col(Escalation.id).desc()).limit(limit)).all()
    return [
        EscalationRow(
            id=e.id or 0,
            case_id=case_id or 0,
            case_ref=f"C-{case_id:06d}",
            level=e.level,
            channel=e.channel,
            target=e.target,
            status=str(e.status),
            attempts=e.attempts,
            last_error=e.last_error,
            next_attempt_at=e.next_attempt_at,
            delivered_at=e.delivered_at,
            created_at=e.created_at,
        )
        for e, case_id in rows
    ]
