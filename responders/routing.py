"""Routing a judged mention into work: its case, an escalation, a reply draft, the customer.

The decision itself is pure (``responders.policy``); this module gathers the
facts it needs from the store and records what it decided, all inside the
caller's transaction. Every decision records the rule that fired and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from config.labels import Intent, Platform, Risk, Sentiment
from config.settings import RoutingSettings
from crm.cases import (
    add_audit_event,
    change_status,
    count_recent_complaints,
    ensure_escalation,
    find_active_case,
    new_idempotency_key,
    pending_draft,
)
from crm.enums import CaseStatus, LifecycleStage, Priority, Queue
from crm.models import Case, Customer, Identity, Mention, Reply
from crm.types import utcnow
from responders.drafting import draft_reply
from responders.policy import REPEAT_WINDOW_DAYS, RouteInput, RoutingDecision, decide

__all__ = ["FIRST_RESPONSE_TARGETS", "RouteOutcome", "route_mention"]

# Default first-response targets by priority, measured from when the customer posted.
FIRST_RESPONSE_TARGETS: dict[Priority, timedelta] = {
    Priority.URGENT: timedelta(minutes=30),
    Priority.HIGH: timedelta(hours=2),
    Priority.NORMAL: timedelta(hours=24),
    Priority.LOW: timedelta(hours=72),
}


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    """What routing one mention did."""

    rule: str
    case_id: int | None
    opened_case: bool
    escalated: bool
    drafted: bool


def route_mention(*, session: Session, mention: Mention, settings: RoutingSettings) -> RouteOutcome:
    """Decide and record where ``mention`` goes; the caller commits."""
    identity = session.get_one(Identity, mention.identity_id)
    customer = session.get_one(Customer, identity.customer_id)
    if mention.duplicate_of_id is not None:
        return _follow_original(session=session, mention=mention)
    if mention.intent is None or mention.sentiment is None:
        raise ValueError(f"mention {mention.id} is not judged yet; judge it before routing")
    decision = decide(
        _route_input(
            session=session,
            mention=mention,
            intent=Intent(mention.intent),
            sentiment=Sentiment(mention.sentiment),
            identity=identity,
            customer=customer,
        ),
        influencer_followers=settings.influencer_followers,
        repeat_complaints=settings.repeat_complaints,
    )
    _mark_routed(mention, rule=decision.rule, reason=decision.reason)
    _update_customer(customer, decision)
    if decision.queue is None:
        return RouteOutcome(decision.rule, None, False, False, False)
    case, opened = _case_for(
        session=session,
        mention=mention,
        customer=customer,
        decision=decision,
        queue=decision.queue,
        window=timedelta(hours=settings.case_window_hours),
    )
    mention.case_id = case.id
    escalated = decision.escalate and _escalate(
        session=session, case=case, mention=mention, decision=decision
    )
    drafted = decision.draft and _draft(
        session=session,
        case=case,
        mention=mention,
        intent=Intent(mention.intent),
        customer=customer,
        escalated=decision.escalate,
    )
    return RouteOutcome(decision.rule, case.id, opened, escalated, drafted)


def _route_input(
    *,
    session: Session,
    mention: Mention,
    intent: Intent,
    sentiment: Sentiment,
    identity: Identity,
    customer: Customer,
) -> RouteInput:
    recent = 0
    if intent is Intent.COMPLAINT:
        recent = count_recent_complaints(
            session=session,
            customer_id=customer.id or 0,
            before=mention.posted_at,
            window=timedelta(days=REPEAT_WINDOW_DAYS),
            exclude_id=mention.id or 0,
        )
    return RouteInput(
        intent=intent,
        sentiment=sentiment,
        risk=tuple(Risk(flag) for flag in mention.risk or ()),
        followers=identity.followers or 0,
        vip=customer.tier.casefold() == "vip",
        recent_complaints=recent,
    )


def _follow_original(*, session: Session, mention: Mention) -> RouteOutcome:
    """A repost or repeat joins the original's case and opens no new work."""
    original = session.get_one(Mention, mention.duplicate_of_id)
    mention.case_id = original.case_id
    _mark_routed(mention, rule="duplicate", reason=f"repeats mention {original.external_id}")
    return RouteOutcome("duplicate", original.case_id, False, False, False)


def _mark_routed(mention: Mention, *, rule: str, reason: str) -> None:
    mention.route_rule = rule
    mention.route_reason = reason
    mention.routed_at = utcnow()


def _update_customer(customer: Customer, decision: RoutingDecision) -> None:
    unknown = customer.lifecycle_stage == LifecycleStage.UNKNOWN
    if decision.lifecycle is LifecycleStage.LEAD and unknown:
        customer.lifecycle_stage = LifecycleStage.LEAD
    customer.advocacy_score += decision.advocacy_delta
    customer.updated_at = utcnow()


def _case_for(
    *,
    session: Session,
    mention: Mention,
    customer: Customer,
    decision: RoutingDecision,
    queue: Queue,
    window: timedelta,
) -> tuple[Case, bool]:
    """Join the customer's active case, or open one; the case takes the most urgent priority."""
    case = find_active_case(
        session=session,
        customer_id=customer.id or 0,
        conversation_id=mention.conversation_id,
        since=mention.posted_at - window,
        ignored_queue=queue is Queue.IGNORED,
    )
    if case is None:
        opened = _open_case(
            session=session, mention=mention, customer=customer, decision=decision, queue=queue
        )
        return opened, True
    if case.status in (CaseStatus.RESOLVED, CaseStatus.IGNORED):
        change_status(session=session, record=case, new=CaseStatus.OPEN)
    if Priority(decision.priority).rank < Priority(case.priority).rank:
        case.priority = decision.priority
        case.sla_due_at = _due(mention.posted_at, decision.priority, current=case.sla_due_at)
    case.last_mention_at = max(case.last_mention_at, mention.posted_at)
    case.updated_at = utcnow()
    session.add(case)
    return case, False


def _open_case(
    *,
    session: Session,
    mention: Mention,
    customer: Customer,
    decision: RoutingDecision,
    queue: Queue,
) -> Case:
    ignored = queue is Queue.IGNORED
    case = Case(
        customer_id=customer.id or 0,
        status=CaseStatus.IGNORED if ignored else CaseStatus.NEW,
        queue=queue,
        priority=decision.priority,
        platform=Platform(mention.platform),
        conversation_id=mention.conversation_id,
        rule=decision.rule,
        reason=decision.reason,
        sla_due_at=None if ignored else _due(mention.posted_at, decision.priority),
        opened_at=mention.posted_at,
        last_mention_at=mention.posted_at,
    )
    session.add(case)
    session.flush()
    add_audit_event(session=session, action="case.opened", entity=case, rule=decision.rule)
    return case


def _due(posted_at: datetime, priority: Priority, *, current: datetime | None = None) -> datetime:
    due = posted_at + FIRST_RESPONSE_TARGETS[Priority(priority)]
    return min(due, current) if current is not None else due


def _escalate(*, session: Session, case: Case, mention: Mention, decision: RoutingDecision) -> bool:
    if case.status != CaseStatus.ESCALATED:
        change_status(session=session, record=case, new=CaseStatus.ESCALATED)
    escalation = ensure_escalation(
        session=session, case=case, mention=mention, rule=decision.rule, reason=decision.reason
    )
    return escalation is not None


def _draft(
    *,
    session: Session,
    case: Case,
    mention: Mention,
    intent: Intent,
    customer: Customer,
    escalated: bool,
) -> bool:
    """Draft a reply to the newest mention; a case keeps one pending draft, retargeted."""
    draft = draft_reply(
        intent=intent,
        language=mention.language,
        platform=Platform(mention.platform),
        first_name=customer.name.split(" ")[0] if customer.name else None,
        case_ref=case.reference,
        escalated=escalated or case.status == CaseStatus.ESCALATED,
    )
    reply = pending_draft(session=session, case_id=case.id or 0)
    created = reply is None
    if reply is None:
        reply = Reply(
            case_id=case.id or 0,
            mention_id=mention.id or 0,
            text=draft.text,
            idempotency_key=new_idempotency_key(),
        )
    reply.mention_id = mention.id or 0
    reply.text = draft.text
    reply.template = draft.template
    reply.language = draft.language
    reply.warnings = list(draft.warnings)
    reply.updated_at = utcnow()
    session.add(reply)
    session.flush()
    add_audit_event(
        session=session,
        action="reply.drafted" if created else "reply.redrafted",
        entity=reply,
        template=draft.template,
    )
    return created
