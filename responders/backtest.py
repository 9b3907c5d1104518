"""Replaying stored mentions through a policy: what it would have done, beside what was done.

Nothing is changed: the stored judgements (a person's correction where there is
one) are routed again by the candidate policy in memory, posting order, with the
repeat-complaint count rebuilt from the same mentions, and compared with what
routing recorded. Reposts that followed their original are left out of both sides.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from config.labels import Intent, Risk, Sentiment
from crm.models import Case, Customer, Escalation, Identity, Mention
from responders.policy import RouteInput, RoutingDecision, decide
from responders.policy_file import Policy

__all__ = ["BacktestReport", "Change", "backtest", "outcome_label"]

NO_CASE = "no case"
ESCALATED = "escalated"


@dataclass(frozen=True, slots=True)
class Change:
    """One mention the candidate policy would treat differently."""

    mention_id: int
    external_id: str
    platform: str
    posted_at: datetime
    happened: str
    would: str
    rule: str
    reason: str


@dataclass
class BacktestReport:
    """Counts per outcome, what happened against what would, and examples of each change."""

    since: datetime
    policy: str
    mentions: int = 0
    happened: Counter[str] = field(default_factory=Counter)
    would: Counter[str] = field(default_factory=Counter)
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    examples: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many mentions the candidate policy would route differently."""
        return sum(count for (old, new), count in self.moves.items() if old != new)


def outcome_label(decision: RoutingDecision) -> str:
    """``escalated``, the queue's name, or ``no case``."""
    if decision.escalate:
        return ESCALATED
    return NO_CASE if decision.queue is None else str(decision.queue)


def backtest(
    *, session: Session, policy: Policy, since: datetime, examples_per_move: int = 3
) -> BacktestReport:
    """Route every judged mention posted since ``since`` by ``policy`` and compare."""
    report = BacktestReport(since=since, policy=policy.source)
    escalated = set(session.exec(select(Escalation.mention_id)).all())
    window = timedelta(days=policy.limits.repeat_window_days)
    complaints: dict[int, deque[datetime]] = defaultdict(deque)
    for mention, identity, customer, queue in _judged(session=session, since=since - window):
        intent = Intent(mention.corrected_intent or mention.intent or Intent.OTHER)
        recent = complaints[customer.id or 0]
        while recent and recent[0] < mention.posted_at - window:
            recent.popleft()
        route = RouteInput(
            intent=intent,
            sentiment=Sentiment(
                mention.corrected_sentiment or mention.sentiment or Sentiment.NEUTRAL
            ),
            risk=tuple(Risk(flag) for flag in _risk(mention)),
            followers=identity.followers or 0,
            vip=customer.tier.casefold() == "vip",
            recent_complaints=len(recent),
            platform=str(mention.platform),
            language=mention.language,
        )
        if intent is Intent.COMPLAINT:
            recent.append(mention.posted_at)
        if mention.posted_at < since:
            continue  # only feeds the repeat count
        decision = decide(route, rules=policy.rules, limits=policy.limits)
        _count(report, mention, decision, _happened(mention, queue, escalated), examples_per_move)
    return report


def _judged(
    *, session: Session, since: datetime
) -> Iterator[tuple[Mention, Identity, Customer, str | None]]:
    """Judged, routed originals posted since ``since``, oldest first, with author and queue."""
    rows = session.exec(
        select(Mention, Identity, Customer, Case.queue)
        .join(Identity, col(Identity.id) == Mention.identity_id)
        .join(Customer, col(Customer.id) == Identity.customer_id)
        .outerjoin(Case, col(Case.id) == Mention.case_id)
        .where(
            col(Mention.posted_at) >= since,
            col(Mention.intent).is_not(None),
            col(Mention.routed_at).is_not(None),
            col(Mention.duplicate_of_id).is_(None),
            col(Mention.deleted_at).is_(None),
        )
        .order_by(col(Mention.posted_at), col(Mention.id))
        .execution_options(yield_per=1000)
    )
    for mention, identity, customer, queue in rows:
        yield mention, identity, customer, str(queue) if queue is not None else None


def _risk(mention: Mention) -> list[str]:
    return list(
        mention.corrected_risk if mention.corrected_risk is not None else mention.risk or []
    )


def _happened(mention: Mention, queue: str | None, escalated: set[int]) -> str:
    if mention.id in escalated:
        return ESCALATED
    return queue if queue is not None else NO_CASE


def _count(
    report: BacktestReport,
    mention: Mention,
    decision: RoutingDecision,
    happened: str,
    examples_per_move: int,
) -> None:
    would = outcome_label(decision)
    report.mentions += 1
    report.happened[happened] += 1
    report.would[would] += 1
    report.rules[decision.rule] += 1
    report.moves[(happened, would)] += 1
    if happened != would and report.moves[(happened, would)] <= examples_per_move:
        report.examples.append(
            Change(
                mention_id=mention.id or 0,
                external_id=mention.external_id,
                platform=str(mention.platform),
                posted_at=mention.posted_at,
                happened=happened,
                would=would,
                rule=decision.rule,
                reason=decision.reason,
            )
        )
