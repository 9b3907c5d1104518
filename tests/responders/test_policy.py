"""Unit tests for the default routing policy: every rule, their order, and the thresholds."""

from __future__ import annotations

import dataclasses

import pytest

from config.labels import Intent, Risk, Sentiment
from crm.enums import LifecycleStage, Priority, Queue
from responders.errors import PolicyError, ResponderError
from responders.policy import (
    ALL_RULES,
    DEFAULT_RULES,
    Outcome,
    RouteInput,
    Rule,
    decide,
)


def make_route(**overrides: object) -> RouteInput:
    """A plain neutral question from an unremarkable customer, with ``overrides`` applied."""
    fields: dict[str, object] = {
        "intent": Intent.QUESTION,
        "sentiment": Sentiment.NEUTRAL,
        "risk": (),
        "followers": 0,
        "vip": False,
        "recent_complaints": 0,
    }
    fields.update(overrides)
    return RouteInput(**fields)  # type: ignore[arg-type]


def complaint(**overrides: object) -> RouteInput:
    return make_route(intent=Intent.COMPLAINT, sentiment=Sentiment.NEGATIVE, **overrides)


ESCALATED = (Queue.SUPPORT, Priority.URGENT, True, True, None, 0)
# rule id -> (input, (queue, priority, escalate, draft, lifecycle, advocacy_delta))
CASES: dict[str, tuple[RouteInput, tuple[object, ...]]] = {
    "complaint-with-risk": (complaint(risk=(Risk.LEGAL,)), ESCALATED),
    "complaint-high-reach": (complaint(followers=50_000), ESCALATED),
    "complaint-vip": (complaint(vip=True), ESCALATED),
    "repeat-complaint": (complaint(recent_complaints=2), ESCALATED),
    "complaint": (complaint(), (Queue.SUPPORT, Priority.HIGH, False, True, None, 0)),
    "question": (make_route(), (Queue.SUPPORT, Priority.NORMAL, False, True, None, 0)),
    "purchase": (
        make_route(intent=Intent.PURCHASE),
        (Queue.SALES, Priority.NORMAL, False, True, LifecycleStage.LEAD, 0),
    ),
    "suggestion": (
        make_route(intent=Intent.SUGGESTION),
        (Queue.FEEDBACK, Priority.NORMAL, False, True, None, 0),
    ),
    "praise": (
        make_route(intent=Intent.PRAISE, sentiment=Sentiment.POSITIVE),
        (Queue.ADVOCACY, Priority.LOW, False, True, None, 1),
    ),
    "spam": (make_route(intent=Intent.SPAM), (Queue.IGNORED, Priority.LOW, False, False, None, 0)),
    "other": (make_route(intent=Intent.OTHER), (None, Priority.LOW, False, False, None, 0)),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_each_rule_routes_as_documented(rule: str) -> None:
    route, expected = CASES[rule]
    decision = decide(route)
    assert decision.rule == rule
    assert (
        decision.queue,
        decision.priority,
        decision.escalate,
        decision.draft,
        decision.lifecycle,
        decision.advocacy_delta,
    ) == expected
    assert decision.reason


def test_the_cases_cover_every_rule() -> None:
    assert sorted(CASES) == sorted(ALL_RULES)


def test_all_rules_lists_ids_in_firing_order() -> None:
    assert ALL_RULES == (
        "complaint-with-risk",
        "complaint-high-reach",
        "complaint-vip",
        "repeat-complaint",
        "complaint",
        "question",
        "purchase",
        "suggestion",
        "praise",
        "spam",
        "other",
    )
    assert len(set(ALL_RULES)) == len(ALL_RULES)


def test_risk_wins_over_reach_vip_and_repeat() -> None:
    route = complaint(risk=(Risk.SAFETY,), followers=1_000_000, vip=True, recent_complaints=9)
    assert decide(route).rule == "complaint-with-risk"


def test_influencer_with_risk_is_routed_by_risk() -> None:
    assert decide(complaint(risk=(Risk.CHURN,), followers=20_000)).rule == "complaint-with-risk"


def test_reach_wins_over_vip_and_vip_over_repeat() -> None:
    assert decide(complaint(followers=20_000, vip=True)).rule == "complaint-high-reach"
    assert decide(complaint(vip=True, recent_complaints=5)).rule == "complaint-vip"


@pytest.mark.parametrize(
    ("followers", "rule"),
    [(9_999, "complaint"), (10_000, "complaint-high-reach"), (10_001, "complaint-high-reach")],
)
def test_influencer_threshold_is_inclusive(followers: int, rule: str) -> None:
    assert decide(complaint(followers=followers)).rule == rule


def test_influencer_threshold_is_configurable() -> None:
    route = complaint(followers=600)
    assert decide(route).rule == "complaint"
    assert decide(route, influencer_followers=500).rule == "complaint-high-reach"


@pytest.mark.parametrize(
    ("recent", "rule"),
    [(0, "complaint"), (1, "complaint"), (2, "repeat-complaint"), (3, "repeat-complaint")],
)
def test_third_complaint_in_the_window_escalates(recent: int, rule: str) -> None:
    assert decide(complaint(recent_complaints=recent)).rule == rule


def test_repeat_threshold_is_configurable() -> None:
    route = complaint(recent_complaints=2)
    assert decide(route, repeat_complaints=4).rule == "complaint"
    assert decide(complaint(recent_complaints=3), repeat_complaints=4).rule == "repeat-complaint"


@pytest.mark.parametrize("intent", [i for i in Intent if i is not Intent.COMPLAINT])
def test_only_complaints_escalate(intent: Intent) -> None:
    route = make_route(
        intent=intent, risk=(Risk.LEGAL,), followers=10**6, vip=True, recent_complaints=10
    )
    decision = decide(route)
    assert decision.rule == str(intent)
    assert not decision.escalate
    assert decision.priority is not Priority.URGENT


def test_reason_names_the_risks_once_and_sorted() -> None:
    route = complaint(risk=(Risk.LEGAL, Risk.CHURN, Risk.LEGAL))
    assert decide(route).reason == "complaint with churn, legal risk"


def test_reason_names_reach_and_repeat_facts() -> None:
    reach = decide(complaint(followers=25_000)).reason
    assert "25,000 followers" in reach
    assert "10,000" in reach
    repeat = decide(complaint(recent_complaints=2)).reason
    assert "complaint number 3" in repeat
    assert "7 days" in repeat


def test_reasons_differ_between_rules() -> None:
    reasons = {decide(route).reason for route, _ in CASES.values()}
    assert len(reasons) == len(CASES)


@pytest.mark.parametrize(("influencer", "repeat"), [(0, 3), (10_000, 0), (10_000, -1)])
def test_nonsense_thresholds_are_refused(influencer: int, repeat: int) -> None:
    with pytest.raises(PolicyError, match="at least 1"):
        decide(make_route(), influencer_followers=influencer, repeat_complaints=repeat)


def test_no_matching_rule_is_a_policy_error() -> None:
    only_praise = tuple(rule for rule in DEFAULT_RULES if rule.id == "praise")
    with pytest.raises(PolicyError, match="question"):
        decide(make_route(), rules=only_praise)
    assert issubclass(PolicyError, ResponderError)
    assert issubclass(PolicyError, ValueError)


def test_a_custom_rule_table_replaces_the_default() -> None:
    escalate_all = Rule(
        "everything-urgent",
        lambda route, limits: True,
        Outcome(Queue.SUPPORT, Priority.URGENT, escalate=True),
        lambda route, limits: "brand says so",
    )
    decision = decide(make_route(intent=Intent.PRAISE), rules=(escalate_all,))
    assert (decision.rule, decision.reason, decision.escalate) == (
        "everything-urgent",
        "brand says so",
        True,
    )


def test_decisions_are_immutable() -> None:
    decision = decide(make_route())
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.queue = Queue.SALES  # type: ignore[misc]
