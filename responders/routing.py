"""Routing a judged mention into work: its case, an escalation, a reply draft, the customer.

The decision itself is pure (``responders.policy``); this module gathers the
facts it needs from the store and records what it decided, all inside the
caller's transaction. Every decision records the rule that fired and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from config.labels import Intent, Platform, Risk, Sentiment
from config.settings import RoutingSettings, SlaSettings
from crm.cases import (
    add_audit_event,
    change_status,
    count_recent_complaints,
    ensure_escalation,
    find_active_case,
    new_idempotency_key,
    pending_draft,
    summarise_case,
)
from crm.enums import CaseStatus, LifecycleStage, Priority, Queue
from crm.models import Case, Customer, Identity, Mention, Reply
from crm.types import utcnow
from responders.drafting import draft_reply
from responders.lifecycle import next_stage
from responders.policy import RouteInput, RoutingDecision, decide
from responders.policy_file import Policy, default_policy
from responders.sla import current_sla, first_response_due
from responders.sla import target as sla_target

__all__ = ["FIRST_RESPONSE_TARGETS", "RouteOutcome", "route_mention", "route_mentions"]

# The default first-response targets by priority, measured from when the customer posted;
# routing counts with the configured ones (settings.sla, set by responders.sla.use_sla).
FIRST_RESPONSE_TARGETS: dict[Priority, timedelta] = {
    priority: sla_target(SlaSettings(), priority) for priority in Priority
}


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    """What routing one mention did."""

    rule: str
    case_id: int | None
    opened_case: bool
    escalated: bool
    drafted: bool


def route_mention(
    *,
    session: Session,
    mention: Mention,
    settings: RoutingSettings,
    policy: Policy | None = None,
) -> RouteOutcome:
    """Decide and record where ``mention`` goes by ``policy`` (default: the built-in one)."""
    if policy is None:
        policy = default_policy(
            influencer_followers=settings.influencer_followers,
            repeat_complaints=settings.repeat_complaints,
        )
    # One flush per mention instead of one before every query: each step below
    # flushes what the next query must see (a new case, a new draft) itself.
    with session.no_autoflush:
        outcome = _route(session=session, mention=mention, settings=settings, policy=policy)
    session.flush()
    return outcome


def route_mentions(
    *,
    session: Session,
    mentions: Sequence[Mention],
    settings: RoutingSettings,
    policy: Policy | None = None,
) -> list[RouteOutcome]:
    """Route a batch in order, loading every author and customer with one query first."""
    identity_ids = {mention.identity_id for mention in mentions}
    # Held while routing: the session's identity map only keeps weak references.
    authors = session.exec(
        select(Identity, Customer)
        .join(Customer, col(Customer.id) == Identity.customer_id)
        .where(col(Identity.id).in_(identity_ids))
    ).all()
    outcomes = [
        route_mention(session=session, mention=mention, settings=settings, policy=policy)
        for mention in mentions
    ]
    del authors
    return outcomes


def _route(
    *, session: Session, mention: Mention, settings: RoutingSettings, policy: Policy
) -> RouteOutcome:
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
            window_days=policy.limits.repeat_window_days,
        ),
        rules=policy.rules,
        limits=policy.limits,
    )
    _update_customer(session=session, customer=customer, mention=mention, decision=decision)
    if decision.queue is None:
        _mark_routed(mention, rule=decision.rule, reason=decision.reason)
        return RouteOutcome(decision.rule, None, False, False, False)
    case, opened = _case_for(
        session=session,
        mention=mention,
        customer=customer,
        decision=decision,
        queue=decision.queue,
        window=timedelta(hours=settings.case_window_hours),
    )
    # Marked once the case exists, so the mention is written once, not twice.
    _mark_routed(mention, rule=decision.rule, reason=decision.reason)
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
        new_case=opened,
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
    window_days: int,
) -> RouteInput:
    recent = 0
    if intent is Intent.COMPLAINT:
        recent = count_recent_complaints(
            session=session,
            customer_id=customer.id or 0,
            before=mention.posted_at,
            window=timedelta(days=window_days),
            exclude_id=mention.id or 0,
        )
    return RouteInput(
        intent=intent,
        sentiment=sentiment,
        risk=tuple(Risk(flag) for flag in mention.risk or ()),
        followers=identity.followers or 0,
        vip=customer.tier.casefold() == "vip",
        recent_complaints=recent,
        platform=str(mention.platform),
        language=mention.language,
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


def _update_customer(
    *, session: Session, customer: Customer, mention: Mention, decision: RoutingDecision
) -> None:
    """Advocacy score, life-cycle stage (audited when it moves) and the language segment."""
    customer.advocacy_score += decision.advocacy_delta
    old = LifecycleStage(customer.lifecycle_stage)
    new = next_stage(
        old,
        intent=Intent(mention.intent or Intent.OTHER),
        risk=tuple(Risk(flag) for flag in mention.risk or ()),
        decision=decision,
        advocacy_score=customer.advocacy_score,
    )
    if new is not old:
        customer.lifecycle_stage = new
        if new is LifecycleStage.DETRACTOR:
            customer.advocacy_score = 0
        add_audit_event(session=session, action="customer.stage", entity=customer, old=old, new=new)
    if customer.language is None and mention.language:
        customer.language = mention.language
    if session.is_modified(customer):
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
    if mention.posted_at >= case.last_mention_at:
        summarise_case(case, mention)
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
    summarise_case(case, mention)
    session.add(case)
    session.flush()
    add_audit_event(session=session, action="case.opened", entity=case, rule=decision.rule)
    return case


def _due(posted_at: datetime, priority: Priority, *, current: datetime | None = None) -> datetime:
    due = first_response_due(posted_at, priority, current_sla())
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
    new_case: bool,
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
    reply = None if new_case else pending_draft(session=session, case_id=case.id or 0)
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
