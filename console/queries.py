"""Read-only queries behind the console's pages other than the queue.

Each page is a fixed handful of statements: a case with its thread, customer,
replies, escalations and notes; a customer's 360° view across platforms; the
collectors' ledger; escalations with their delivery attempts; weekly reports.
Data functions take a keyword-only session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from crm.console_queries import Viewer, case_visible, visible_cases
from crm.enums import CaseStatus
from crm.models import (
    AuditEvent,
    Case,
    Customer,
    CustomerMerge,
    Escalation,
    EscalationAttempt,
    Identity,
    Mention,
    Note,
    Reply,
    ReplyRevision,
    SourceGap,
    SourceState,
    User,
    WeeklyReport,
)
from crm.types import utcnow

__all__ = [
    "CaseView",
    "CustomerView",
    "case_view",
    "customer_view",
    "escalation_rows",
    "metrics_numbers",
    "report_rows",
    "search_customers",
    "source_rows",
    "user_rows",
]

THREAD_LIMIT = 200
PROFILE_LIMIT = 500
AUDIT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page shows."""

    case: Case
    customer: Customer
    identities: list[Identity]
    thread: list[tuple[Mention, Identity]]
    replies: list[Reply]
    revisions: list[ReplyRevision]
    escalations: list[Escalation]
    notes: list[Note]
    previous_cases: list[Case]
    assignee: User | None


def case_view(*, session: Session, case_id: int, viewer: Viewer) -> CaseView | None:
    """The case and its context, or None when it does not exist or ``viewer`` may not see it."""
    case = session.get(Case, case_id)
    if case is None or not case_visible(case, viewer):
        return None
    customer = session.get_one(Customer, case.customer_id)
    thread = list(
        session.exec(
            select(Mention, Identity)
            .join(Identity, col(Identity.id) == col(Mention.identity_id))
            .where(Mention.case_id == case_id)
            .order_by(col(Mention.posted_at), col(Mention.id))
            .limit(THREAD_LIMIT)
        ).all()
    )
    replies = list(
        session.exec(select(Reply).where(Reply.case_id == case_id).order_by(col(Reply.id)))
    )
    reply_ids = [reply.id for reply in replies]
    revisions = list(
        session.exec(
            select(ReplyRevision)
            .where(col(ReplyRevision.reply_id).in_(reply_ids))
            .order_by(col(ReplyRevision.id))
        )
        if reply_ids
        else []
    )
    return CaseView(
        case=case,
        customer=customer,
        identities=_identities(session, customer.id or 0),
        thread=thread,
        replies=replies,
        revisions=revisions,
        escalations=list(
            session.exec(
                select(Escalation).where(Escalation.case_id == case_id).order_by(col(Escalation.id))
            )
        ),
        notes=_notes(session, customer.id or 0),
        previous_cases=list(
            session.exec(
                select(Case)
                .where(
                    Case.customer_id == customer.id, col(Case.id) != case_id, visible_cases(viewer)
                )
                .order_by(col(Case.opened_at).desc())
                .limit(20)
            )
        ),
        assignee=session.get(User, case.assignee_id) if case.assignee_id else None,
    )


def _identities(session: Session, customer_id: int) -> list[Identity]:
    return list(
        session.exec(
            select(Identity)
            .where(Identity.customer_id == customer_id)
            .order_by(col(Identity.platform), col(Identity.id))
        )
    )


def _notes(session: Session, customer_id: int) -> list[Note]:
    return list(
        session.exec(
            select(Note)
            .where(Note.customer_id == customer_id)
            .order_by(col(Note.created_at).desc())
            .limit(100)
        )
    )


def user_rows(*, session: Session) -> list[User]:
    """Active users, for the assign menu."""
    return list(
        session.exec(select(User).where(col(User.is_active).is_(True)).order_by(col(User.email)))
    )


def search_customers(*, session: Session, text: str, limit: int = 50) -> list[Customer]:
    """Customers whose name, e-mail, CRM id or any handle contains ``text``; newest first."""
    query = select(Customer).where(col(Customer.merged_into_id).is_(None))
    cleaned = text.strip().lower()[:200]
    if cleaned:
        pattern = "%" + cleaned.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        handle = sa.exists(
            select(Identity.id).where(
                col(Identity.customer_id) == col(Customer.id),
                func.lower(col(Identity.handle)).like(pattern, escape="\\"),
            )
        )
        query = query.where(
            sa.or_(
                func.lower(col(Customer.name)).like(pattern, escape="\\"),
                func.lower(func.coalesce(col(Customer.email), "")).like(pattern, escape="\\"),
                func.coalesce(col(Customer.external_crm_id), "") == text.strip(),
                handle,
            )
        )
    return list(session.exec(query.order_by(col(Customer.id).desc()).limit(limit)))


@dataclass(frozen=True, slots=True)
class CustomerView:
    """The 360° view: identities, every mention and case across platforms in time order."""

    customer: Customer
    identities: list[Identity]
    timeline: list[tuple[str, Any]]
    notes: list[Note]
    merges: list[CustomerMerge]
    merged_into: Customer | None
    audit: list[AuditEvent]


def customer_view(*, session: Session, customer_id: int, viewer: Viewer) -> CustomerView | None:
    """The customer's profile, or None when there is no such customer."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    identities = _identities(session, customer_id)
    # A mention on a case the viewer may not see stays hidden with its case.
    mentions = session.exec(
        select(Mention)
        .outerjoin(Case, col(Case.id) == col(Mention.case_id))
        .where(col(Mention.identity_id).in_([i.id for i in identities]), visible_cases(viewer))
        .order_by(col(Mention.posted_at).desc())
        .limit(PROFILE_LIMIT)
    ).all()
    cases = session.exec(
        select(Case)
        .where(Case.customer_id == customer_id, visible_cases(viewer))
        .order_by(col(Case.opened_at).desc())
        .limit(PROFILE_LIMIT)
    ).all()
    timeline: list[tuple[str, Any]] = [("mention", m) for m in mentions]
    timeline += [("case", c) for c in cases]
    timeline.sort(key=lambda item: _when(item), reverse=True)
    merges = session.exec(
        select(CustomerMerge)
        .where(
            sa.or_(
                col(CustomerMerge.target_customer_id) == customer_id,
                col(CustomerMerge.source_customer_id) == customer_id,
            )
        )
        .order_by(col(CustomerMerge.id).desc())
    ).all()
    return CustomerView(
        customer=customer,
        identities=identities,
        timeline=timeline,
        notes=_notes(session, customer_id),
        merges=list(merges),
        audit=_customer_audit(session, customer_id, [m.id for m in merges if m.id]),
        merged_into=session.get(Customer, customer.merged_into_id)
        if customer.merged_into_id
        else None,
    )


def _customer_audit(session: Session, customer_id: int, merge_ids: list[int]) -> list[AuditEvent]:
    """What was done to the customer and its merges, newest first (the audit trail)."""
    about = sa.and_(
        col(AuditEvent.entity_type) == "customer", col(AuditEvent.entity_id) == customer_id
    )
    if merge_ids:
        about = sa.or_(
            about,
            sa.and_(
                col(AuditEvent.entity_type) == "customermerge",
                col(AuditEvent.entity_id).in_(merge_ids),
            ),
        )
    return list(
        session.exec(
            select(AuditEvent).where(about).order_by(col(AuditEvent.id).desc()).limit(AUDIT_LIMIT)
        )
    )


def _when(item: tuple[str, Any]) -> Any:
    kind, record = item
    return record.posted_at if kind == "mention" else record.opened_at


def source_rows(*, session: Session) -> list[tuple[SourceState, list[SourceGap]]]:
    """Every collector's state with its open gaps (and the last few filled ones)."""
    gaps: dict[str, list[SourceGap]] = {}
    for gap in session.exec(
        select(SourceGap).order_by(col(SourceGap.detected_at).desc()).limit(500)
    ):
        gaps.setdefault(gap.source, []).append(gap)
    states = session.exec(select(SourceState).order_by(col(SourceState.name))).all()
    return [(state, gaps.get(state.name, [])) for state in states]


def escalation_rows(
    *, session: Session, viewer: Viewer, failed_only: bool = False, limit: int = 200
) -> list[tuple[Escalation, Case, list[EscalationAttempt]]]:
    """Recent escalations (newest first) with their cases and delivery attempts."""
    query = (
        select(Escalation, Case)
        .join(Case, col(Case.id) == col(Escalation.case_id))
        .where(visible_cases(viewer))
        .order_by(col(Escalation.id).desc())
        .limit(limit)
    )
    if failed_only:
        query = query.where(Escalation.status == "failed")
    found = session.exec(query).all()
    ids = [escalation.id for escalation, _ in found]
    attempts: dict[int, list[EscalationAttempt]] = {}
    if ids:
        for attempt in session.exec(
            select(EscalationAttempt)
            .where(col(EscalationAttempt.escalation_id).in_(ids))
            .order_by(col(EscalationAttempt.id))
        ):
            attempts.setdefault(attempt.escalation_id, []).append(attempt)
    return [(esc, case, attempts.get(esc.id or 0, [])) for esc, case in found]


def report_rows(*, session: Session, limit: int = 104) -> list[WeeklyReport]:
    """Weekly reports, newest week first."""
    return list(
        session.exec(
            select(WeeklyReport)
            .order_by(col(WeeklyReport.week).desc(), col(WeeklyReport.language))
            .limit(limit)
        )
    )


def metrics_numbers(*, session: Session) -> dict[str, Any]:
    """What /metrics exports: cases by status, judged lately, escalations, sources."""
    since = utcnow() - timedelta(minutes=5)
    return {
        "cases": dict(
            session.exec(select(Case.status, func.count()).group_by(col(Case.status))).all()
        ),
        "judged_last_5_minutes": session.exec(
            select(func.count()).select_from(Mention).where(col(Mention.judged_at) >= since)
        ).one(),
        "escalations": dict(
            session.exec(
                select(Escalation.status, func.count()).group_by(col(Escalation.status))
            ).all()
        ),
        "sources": list(session.exec(select(SourceState))),
        "open_gaps": dict(
            session.exec(
                select(SourceGap.source, func.count())
                .where(col(SourceGap.filled_at).is_(None))
                .group_by(col(SourceGap.source))
            ).all()
        ),
        "active_statuses": [s.value for s in CaseStatus],
    }
