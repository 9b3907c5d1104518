"""What people do to a case: lock it while drafting, assign, escalate, resolve, note, correct.

Each action is one keyword-only data function on the caller's session that checks
the move against the table of legal moves and leaves an audit event naming the
actor. The drafting lock is a conditional UPDATE, so two people opening the same
case at the same moment cannot both win it, on SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from config.labels import Intent, Risk, Sentiment
from crm.cases import add_audit_event, change_status, ensure_escalation, summarise_case
from crm.enums import CaseStatus, Queue, Role
from crm.models import AuditEvent, Case, Mention, Note, User
from crm.types import utcnow
from responders.approval import Actor
from responders.errors import CaseLocked

__all__ = [
    "LOCK_MINUTES",
    "add_note",
    "assign_case",
    "assign_round_robin",
    "correct_judgement",
    "escalate_case",
    "lock_case",
    "release_case",
    "reopen_case",
    "resolve_case",
]

LOCK_MINUTES = 5
MAX_NOTE_CHARS = 5_000


def lock_case(*, session: Session, case_id: int, actor: Actor, minutes: int = LOCK_MINUTES) -> Case:
    """Take (or renew) the case's drafting lock for ``minutes``; CaseLocked if someone has it."""
    if actor.user_id is None:
        raise ValueError("only a signed-in user can lock a case")
    now = utcnow()
    result = session.execute(
        sa.update(Case)
        .where(
            col(Case.id) == case_id,
            sa.or_(
                col(Case.locked_by_id).is_(None),
                col(Case.locked_by_id) == actor.user_id,
                col(Case.locked_until) < now,
            ),
        )
        .values(locked_by_id=actor.user_id, locked_until=now + timedelta(minutes=minutes))
        .execution_options(synchronize_session=False)
    )
    case = _case(session, case_id)
    session.refresh(case)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        holder = session.get(User, case.locked_by_id) if case.locked_by_id else None
        raise CaseLocked(
            case.reference, holder.email if holder else "someone", case.locked_until or now
        )
    return case


def release_case(*, session: Session, case_id: int, actor: Actor) -> None:
    """Give the drafting lock back, if ``actor`` holds it."""
    case = _case(session, case_id)
    if case.locked_by_id == actor.user_id:
        case.locked_by_id = None
        case.locked_until = None
        session.add(case)


def assign_case(*, session: Session, case_id: int, assignee_id: int | None, actor: Actor) -> Case:
    """Give the case to a person (or to nobody with ``None``)."""
    case = _case(session, case_id)
    if assignee_id is not None:
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.is_active:
            raise LookupError(
                f"there is no active user {assignee_id} to assign {case.reference} to"
            )
    if case.assignee_id == assignee_id:
        return case
    case.assignee_id = assignee_id
    case.updated_at = utcnow()
    session.add(case)
    add_audit_event(
        session=session, action="case.assigned", entity=case, actor=actor.name, to=assignee_id
    )
    return case


def assign_round_robin(*, session: Session, case_id: int, actor: Actor) -> Case:
    """Give the case to the next active agent after the one who got the last automatic case."""
    agents = session.exec(
        select(User.id)
        .where(col(User.is_active).is_(True), User.role == Role.AGENT)
        .order_by(col(User.id))
    ).all()
    if not agents:
        raise LookupError("there are no active agents to assign cases to; add one with `user add`")
    last = session.exec(
        select(AuditEvent.detail)
        .where(AuditEvent.action == "case.auto_assigned")
        .order_by(col(AuditEvent.id).desc())
    ).first()
    previous = int(last["to"]) if last and str(last.get("to", "")).isdigit() else None
    later = [agent for agent in agents if previous is not None and (agent or 0) > previous]
    chosen = later[0] if later else agents[0]
    case = _case(session, case_id)
    case.assignee_id = chosen
    case.updated_at = utcnow()
    session.add(case)
    add_audit_event(
        session=session, action="case.auto_assigned", entity=case, actor=actor.name, to=chosen
    )
    return case


def escalate_case(*, session: Session, case_id: int, actor: Actor, reason: str) -> Case:
    """Escalate by hand, one level above the case's current level."""
    case = _case(session, case_id)
    if case.status in (CaseStatus.RESOLVED, CaseStatus.IGNORED):
        change_status(session=session, record=case, new=CaseStatus.OPEN, actor=actor.name)
    if case.status != CaseStatus.ESCALATED:
        change_status(session=session, record=case, new=CaseStatus.ESCALATED, actor=actor.name)
    case.escalation_level += 1
    case.updated_at = utcnow()
    session.add(case)
    latest = session.exec(
        select(Mention).where(Mention.case_id == case.id).order_by(col(Mention.posted_at).desc())
    ).first()
    if latest is None:
        raise LookupError(f"{case.reference} has no mention to escalate")
    why = reason.strip()[:500] or f"escalated by {actor.name}"
    ensure_escalation(
        session=session,
        case=case,
        mention=latest,
        rule="manual",
        reason=why,
        level=case.escalation_level,
    )
    return case


def resolve_case(*, session: Session, case_id: int, actor: Actor) -> Case:
    """Close the case; a new mention from the customer reopens it."""
    case = _case(session, case_id)
    change_status(session=session, record=case, new=CaseStatus.RESOLVED, actor=actor.name)
    case.resolved_at = utcnow()
    case.locked_by_id = None
    case.locked_until = None
    session.add(case)
    return case


def reopen_case(
    *, session: Session, case_id: int, actor: Actor, queue: Queue | None = None
) -> Case:
    """Open a resolved or ignored case again; a case restored from the ignored queue
    (not spam after all) moves to ``queue``, by default support."""
    case = _case(session, case_id)
    change_status(session=session, record=case, new=CaseStatus.OPEN, actor=actor.name)
    case.resolved_at = None
    target = queue or (Queue.SUPPORT if case.queue == Queue.IGNORED else None)
    if target is not None and target != case.queue:
        add_audit_event(
            session=session,
            action="case.moved",
            entity=case,
            actor=actor.name,
            old=case.queue,
            new=target,
        )
        case.queue = target
    case.updated_at = utcnow()
    session.add(case)
    return case


def add_note(
    *, session: Session, customer_id: int, case_id: int | None, text: str, actor: Actor
) -> Note:
    """A note on the customer, optionally about one of their cases."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("the note is empty")
    if len(cleaned) > MAX_NOTE_CHARS:
        raise ValueError(f"a note takes at most {MAX_NOTE_CHARS} characters, got {len(cleaned)}")
    if case_id is not None and _case(session, case_id).customer_id != customer_id:
        raise ValueError(f"case {case_id} belongs to another customer")
    note = Note(customer_id=customer_id, case_id=case_id, author=actor.name, text=cleaned)
    session.add(note)
    session.flush()
    add_audit_event(session=session, action="note.added", entity=note, actor=actor.name)
    return note


def correct_judgement(
    *,
    session: Session,
    mention_id: int,
    actor: Actor,
    sentiment: Sentiment | None = None,
    intent: Intent | None = None,
    risk: Sequence[Risk] | None = None,
) -> Mention:
    """Record a person's label; ``socialcrm labels export`` turns these into training data."""
    mention = session.get(Mention, mention_id)
    if mention is None:
        raise LookupError(f"there is no mention {mention_id}")
    if sentiment is None and intent is None and risk is None:
        raise ValueError("give at least one of sentiment, intent or risk to correct")
    changed: dict[str, str] = {}
    if sentiment is not None:
        mention.corrected_sentiment = Sentiment(sentiment)
        changed["sentiment"] = f"{mention.sentiment} -> {sentiment}"
    if intent is not None:
        mention.corrected_intent = Intent(intent)
        changed["intent"] = f"{mention.intent} -> {intent}"
    if risk is not None:
        flags = sorted({str(Risk(flag)) for flag in risk})
        mention.corrected_risk = flags
        changed["risk"] = f"{mention.risk} -> {flags}"
    mention.corrected_by_id = actor.user_id
    mention.corrected_at = utcnow()
    session.add(mention)
    case = session.get(Case, mention.case_id) if mention.case_id is not None else None
    if case is not None and mention.posted_at >= case.last_mention_at:
        summarise_case(case, mention)
        session.add(case)
    add_audit_event(
        session=session, action="mention.corrected", entity=mention, actor=actor.name, **changed
    )
    return mention


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(f"there is no case {case_id}")
    return case
