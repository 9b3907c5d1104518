"""The default routing policy: which queue a judged mention lands in, how urgent, and why.

Pure code, no database: the caller gathers a ``RouteInput`` (the judgement plus a few
facts about the customer) and stores the ``RoutingDecision``. The rules are one ordered
table of small named predicates, tried top to bottom, first match wins, so a brand's
policy file can later supply its own table in the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from config.labels import Intent, Risk, Sentiment
from crm.enums import LifecycleStage, Priority, Queue
from responders.errors import PolicyError

__all__ = [
    "ALL_RULES",
    "DEFAULT_RULES",
    "REPEAT_WINDOW_DAYS",
    "Limits",
    "Outcome",
    "RouteInput",
    "RoutingDecision",
    "Rule",
    "decide",
]

# The caller counts a customer's recent complaints over this many days.
REPEAT_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class RouteInput:
    """What routing needs to know about one judged mention and its author."""

    intent: Intent
    sentiment: Sentiment
    risk: tuple[Risk, ...]
    followers: int  # author's follower count (0 when unknown)
    vip: bool  # customer marked VIP (tier "vip")
    recent_complaints: int  # this customer's OTHER complaints in the repeat window
    platform: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """What to do with a mention, and which rule said so."""

    queue: Queue | None  # None: no case at all (intent "other")
    priority: Priority
    escalate: bool
    rule: str  # stable id of the rule that fired, e.g. "complaint-with-risk"
    reason: str  # one human sentence naming the facts
    draft: bool  # whether a reply draft should be written
    lifecycle: LifecycleStage | None  # stage to set on the customer, if any
    advocacy_delta: int  # how much the customer's advocacy score rises


@dataclass(frozen=True, slots=True)
class Limits:
    """The policy's tunable thresholds."""

    influencer_followers: int = 10_000
    repeat_complaints: int = 3
    repeat_window_days: int = REPEAT_WINDOW_DAYS

    def __post_init__(self) -> None:
        if min(self.influencer_followers, self.repeat_complaints, self.repeat_window_days) < 1:
            raise PolicyError(f"thresholds must be at least 1, got {self}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """The data half of a rule: where the mention goes once the rule fires."""

    queue: Queue | None
    priority: Priority
    escalate: bool = False
    draft: bool = True
    lifecycle: LifecycleStage | None = None
    advocacy_delta: int = 0


Predicate = Callable[[RouteInput, Limits], bool]
Explain = Callable[[RouteInput, Limits], str]


@dataclass(frozen=True, slots=True)
class Rule:
    """One routing rule: when ``when`` holds, the mention gets ``outcome``, for reason ``why``."""

    id: str
    when: Predicate
    outcome: Outcome
    why: Explain


def _is(intent: Intent) -> Predicate:
    """A predicate that holds for one intent."""

    def holds(route: RouteInput, limits: Limits) -> bool:
        return route.intent is intent

    return holds


def _says(sentence: str) -> Explain:
    """An explanation that does not depend on the facts."""
    return lambda route, limits: sentence


_is_complaint = _is(Intent.COMPLAINT)


def _complaint_with_risk(route: RouteInput, limits: Limits) -> bool:
    return _is_complaint(route, limits) and bool(route.risk)


def _complaint_high_reach(route: RouteInput, limits: Limits) -> bool:
    return _is_complaint(route, limits) and route.followers >= limits.influencer_followers


def _complaint_vip(route: RouteInput, limits: Limits) -> bool:
    return _is_complaint(route, limits) and route.vip


def _repeat_complaint(route: RouteInput, limits: Limits) -> bool:
    return _is_complaint(route, limits) and route.recent_complaints + 1 >= limits.repeat_complaints


def _why_risk(route: RouteInput, limits: Limits) -> str:
    risks = ", ".join(sorted({str(risk) for risk in route.risk}))
    return f"complaint with {risks} risk"


def _why_reach(route: RouteInput, limits: Limits) -> str:
    return (
        f"complaint from an author with {route.followers:,} followers "
        f"(threshold {limits.influencer_followers:,})"
    )


def _why_repeat(route: RouteInput, limits: Limits) -> str:
    return (
        f"complaint number {route.recent_complaints + 1} from this customer within "
        f"{limits.repeat_window_days} days (threshold {limits.repeat_complaints})"
    )


_ESCALATE = Outcome(Queue.SUPPORT, Priority.URGENT, escalate=True)

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("complaint-with-risk", _complaint_with_risk, _ESCALATE, _why_risk),
    Rule("complaint-high-reach", _complaint_high_reach, _ESCALATE, _why_reach),
    Rule("complaint-vip", _complaint_vip, _ESCALATE, _says("complaint from a VIP customer")),
    Rule("repeat-complaint", _repeat_complaint, _ESCALATE, _why_repeat),
    Rule(
        "complaint",
        _is_complaint,
        Outcome(Queue.SUPPORT, Priority.HIGH),
        _says("complaint with no risk, reach, VIP or repeat signal"),
    ),
    Rule(
        "question",
        _is(Intent.QUESTION),
        Outcome(Queue.SUPPORT, Priority.NORMAL),
        _says("question waiting for an answer"),
    ),
    Rule(
        "purchase",
        _is(Intent.PURCHASE),
        Outcome(Queue.SALES, Priority.NORMAL, lifecycle=LifecycleStage.LEAD),
        _says("purchase intent: a potential lead for sales"),
    ),
    Rule(
        "suggestion",
        _is(Intent.SUGGESTION),
        Outcome(Queue.FEEDBACK, Priority.NORMAL),
        _says("suggestion for the product team"),
    ),
    Rule(
        "praise",
        _is(Intent.PRAISE),
        Outcome(Queue.ADVOCACY, Priority.LOW, advocacy_delta=1),
        _says("praise from a possible advocate, worth a thank-you"),
    ),
    Rule(
        "spam",
        _is(Intent.SPAM),
        Outcome(Queue.IGNORED, Priority.LOW, draft=False),
        _says("looks like spam, parked in the ignored queue where it can be restored"),
    ),
    Rule(
        "other",
        _is(Intent.OTHER),
        Outcome(None, Priority.LOW, draft=False),
        _says("nothing to act on (intent other), so no case"),
    ),
)

ALL_RULES: tuple[str, ...] = tuple(rule.id for rule in DEFAULT_RULES)


def decide(
    route: RouteInput,
    *,
    influencer_followers: int = 10_000,
    repeat_complaints: int = 3,
    rules: Sequence[Rule] = DEFAULT_RULES,
    limits: Limits | None = None,
) -> RoutingDecision:
    """Route one judged mention by the first rule in ``rules`` that matches it."""
    if limits is None:
        limits = Limits(
            influencer_followers=influencer_followers, repeat_complaints=repeat_complaints
        )
    for rule in rules:
        if rule.when(route, limits):
            return _decision(rule, route, limits)
    raise PolicyError(f"no routing rule matched intent {route.intent!s}")


def _decision(rule: Rule, route: RouteInput, limits: Limits) -> RoutingDecision:
    """Build the decision a fired rule stands for."""
    out = rule.outcome
    return RoutingDecision(
        queue=out.queue,
        priority=out.priority,
        escalate=out.escalate,
        rule=rule.id,
        reason=rule.why(route, limits),
        draft=out.draft,
        lifecycle=out.lifecycle,
        advocacy_delta=out.advocacy_delta,
    )
