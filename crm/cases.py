"""Data functions for cases, escalations, replies and the audit trail. None of them commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, func, or_, select

from config.labels import Intent
from crm.enums import CaseStatus, EscalationStatus, ReplyStatus, check_transition
from crm.models import AuditEvent, Case, Escalation, Identity, Mention, Reply
from crm.types import utcnow

__all__ = [
    "UNCONFIGURED_CHANNEL",
    "add_audit_event",
    "change_status",
    "count_recent_complaints",
    "ensure_escalation",
    "find_active_case",
    "pending_draft",
    "summarise_case",
]

_CLOSED = (CaseStatus.RESOLVED, CaseStatus.IGNORED)
# The channel of an escalation whose delivery channels are not chosen yet (see ensure_escalation).
UNCONFIGURED_CHANNEL = "unconfigured"


def add_audit_event(
    *, session: Session, action: str, entity: Any, actor: str = "system", **detail: Any
) -> AuditEvent:
    """Record who did what to which record."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=type(entity).__name__.lower(),
        entity_id=entity.id,
        detail={key: str(value) for key, value in detail.items()},
    )
    session.add(event)
    return event


def change_status(
    *, session: Session, record: Case | Reply | Escalation, new: StrEnum, actor: str = "system"
) -> None:
    """Move a record to a new status through the one table of legal moves, and audit it."""
    old = record.status
    if old == new:
        return
    check_transition(old, new)
    record.status = new  # type: ignore[assignment]
    if isinstance(record, Case | Reply):
        record.updated_at = utcnow()
    session.add(record)
    add_audit_event(session=session, action="status", entity=record, actor=actor, old=old, new=new)


def find_active_case(
    *,
    session: Session,
    customer_id: int,
    conversation_id: str | None,
    since: datetime,
    ignored_queue: bool,
) -> Case | None:
    """The customer's case a new mention joins: same thread, or active within the window."""
    same_thread = (
        col(Case.conversation_id) == conversation_id if conversation_id is not None else False
    )
    recent_and_open = (col(Case.last_mention_at) >= since) & col(Case.status).not_in(_CLOSED)
    queue_matches = (
        (col(Case.queue) == "ignored") if ignored_queue else (col(Case.queue) != "ignored")
    )
    return session.exec(
        select(Case)
        .where(Case.customer_id == customer_id, queue_matches, or_(same_thread, recent_and_open))
        .order_by(col(Case.last_mention_at).desc())
    ).first()


def count_recent_complaints(
    *, session: Session, customer_id: int, before: datetime, window: timedelta, exclude_id: int
) -> int:
    """How many other complaints the customer made in ``window`` up to ``before``."""
    return session.exec(
        select(func.count())
        .select_from(Mention)
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .where(
            Identity.customer_id == customer_id,
            Mention.intent == Intent.COMPLAINT,
            col(Mention.posted_at) >= before - window,
            col(Mention.posted_at) <= before,
            col(Mention.id) != exclude_id,
            col(Mention.duplicate_of_id).is_(None),
        )
    ).one()


def ensure_escalation(
    *,
    session: Session,
    case: Case,
    mention: Mention,
    rule: str,
    reason: str,
    level: int = 1,
    channels: Sequence[tuple[str, str]] = ((UNCONFIGURED_CHANNEL, ""),),
) -> Escalation | None:
    """Record the escalation of a case at ``level`` once: one row per (channel, target).

    None when the level was recorded before. The default, one ``unconfigured``
    row, means "channels not chosen yet": the delivery step fans it out to the
    configured channels, or marks it failed, naming the settings, when there
    are none. The case's ``escalation_level`` rises to ``level``.
    """
    existing = session.exec(
        select(Escalation).where(Escalation.case_id == case.id, Escalation.level == level)
    ).first()
    if existing is not None:
        return None
    rows = [
        Escalation(
            case_id=_require_id(case),
            mention_id=_require_id(mention),
            level=level,
            rule=rule,
            reason=reason[:500],
            channel=channel,
            target=target[:500],
            status=EscalationStatus.PENDING,
        )
        for channel, target in dict(channels or ((UNCONFIGURED_CHANNEL, ""),)).items()
    ]
    session.add_all(rows)
    if case.escalation_level < level:
        case.escalation_level = level
        session.add(case)
    session.flush()
    add_audit_event(
        session=session,
        action="escalated",
        entity=case,
        rule=rule,
        level=level,
        channels=",".join(row.channel for row in rows),
    )
    return rows[0]


def pending_draft(*, session: Session, case_id: int) -> Reply | None:
    """The case's draft that nobody has approved or rejected yet, if any."""
    return session.exec(
        select(Reply).where(Reply.case_id == case_id, Reply.status == ReplyStatus.DRAFT)
    ).first()


def new_idempotency_key() -> str:
    """A key that travels with a reply to the platform so a retry is never a second post."""
    return uuid.uuid4().hex


def _require_id(record: Case | Mention) -> int:
    if record.id is None:
        raise RuntimeError(f"{type(record).__name__} has no id yet; flush the session first")
    return record.id


def summarise_case(case: Case, mention: Mention) -> None:
    """Copy the newest mention's judgement onto its case (a person's correction first).

    The queue filters and sorts cases on these columns without reading mentions.
    """
    case.intent = mention.corrected_intent or mention.intent
    case.sentiment = mention.corrected_sentiment or mention.sentiment
    case.language = mention.language
    flags = mention.corrected_risk if mention.corrected_risk is not None else mention.risk or []
    case.risk_flags = ",".join(sorted({str(flag) for flag in flags}))[:80]
