"""Policy files: the example equals the built-in policy, custom rules work, bad files explain."""

from __future__ import annotations

import itertools
import json
import tomllib
from pathlib import Path

import pytest
import yaml

from config.labels import Intent, Risk, Sentiment
from config.settings import RoutingSettings
from crm.enums import Priority, Queue
from responders.errors import PolicyError
from responders.policy import RouteInput, decide
from responders.policy_file import load_policy, parse_policy, policy_from_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "policy.example.toml"


def _grid() -> list[RouteInput]:
    risks: list[tuple[Risk, ...]] = [(), (Risk.LEGAL,), (Risk.CHURN, Risk.SAFETY)]
    return [
        RouteInput(intent, sentiment, risk, followers, vip, recent, "x", "en")
        for intent, sentiment, risk, followers, vip, recent in itertools.product(
            Intent, Sentiment, risks, (0, 9_999, 10_000), (False, True), (0, 1, 2)
        )
    ]


def test_the_example_file_decides_exactly_like_the_built_in_policy() -> None:
    policy = load_policy(EXAMPLE)
    for route in _grid():
        assert decide(route, rules=policy.rules, limits=policy.limits) == decide(route), route


def test_the_same_policy_in_yaml_loads_the_same(tmp_path: Path) -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    policy = load_policy(path)
    assert policy.rule_ids == load_policy(EXAMPLE).rule_ids
    route = RouteInput(Intent.COMPLAINT, Sentiment.NEGATIVE, (Risk.LEGAL,), 0, False, 0)
    assert decide(route, rules=policy.rules, limits=policy.limits).reason == (
        "complaint with legal risk"
    )


def _policy(
    *rules: dict[str, object], limits: dict[str, object] | None = None
) -> dict[str, object]:
    catch_all = {"id": "rest", "queue": "none", "reason": "nothing to do"}
    return {"limits": limits or {}, "rules": [*rules, catch_all]}


def test_custom_conditions_route_by_language_platform_and_thresholds() -> None:
    policy = parse_policy(
        _policy(
            {
                "id": "persian-complaints",
                "when": {"intent": ["complaint"], "language": ["fa"], "platform": ["x"]},
                "queue": "support",
                "priority": "urgent",
                "reason": "{intent} in Persian with {followers} followers",
            },
            {
                "id": "big-fans",
                "when": {"intent": ["praise"], "min_followers": "influencer"},
                "queue": "advocacy",
                "priority": "high",
                "advocacy": 5,
                "reason": "praise from {followers} followers",
            },
            limits={"influencer_followers": 500},
        ),
        source="test",
    )
    fa = RouteInput(Intent.COMPLAINT, Sentiment.NEGATIVE, (), 1_200, False, 0, "x", "fa")
    decision = decide(fa, rules=policy.rules, limits=policy.limits)
    assert (decision.rule, decision.priority, decision.reason) == (
        "persian-complaints",
        Priority.URGENT,
        "complaint in Persian with 1,200 followers",
    )
    fan = RouteInput(Intent.PRAISE, Sentiment.POSITIVE, (), 500, False, 0, "reddit", "en")
    decision = decide(fan, rules=policy.rules, limits=policy.limits)
    assert (decision.queue, decision.advocacy_delta) == (Queue.ADVOCACY, 5)
    tr = RouteInput(Intent.COMPLAINT, Sentiment.NEGATIVE, (), 0, False, 0, "x", "tr")
    assert decide(tr, rules=policy.rules, limits=policy.limits).rule == "rest"


def test_risk_none_and_listed_risks() -> None:
    policy = parse_policy(
        _policy(
            {
                "id": "safety",
                "when": {"risk": ["safety"]},
                "queue": "support",
                "priority": "urgent",
                "escalate": True,
                "reason": "safety: {risk}",
            },
            {
                "id": "calm",
                "when": {"risk": "none", "sentiment": ["positive"]},
                "queue": "advocacy",
                "reason": "calm",
            },
        ),
        source="test",
    )
    route = RouteInput(Intent.OTHER, Sentiment.NEUTRAL, (Risk.CHURN, Risk.SAFETY), 0, False, 0)
    assert decide(route, rules=policy.rules, limits=policy.limits).reason == "safety: churn, safety"
    happy = RouteInput(Intent.OTHER, Sentiment.POSITIVE, (), 0, False, 0)
    assert decide(happy, rules=policy.rules, limits=policy.limits).rule == "calm"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_policy({"id": "a", "queue": "support", "reason": "x", "colour": 1}), "not a known field"),
        (_policy({"id": "a", "queue": "helpdesk", "reason": "x"}), r"rule 1 \('a'\)\.queue"),
        (_policy({"id": "a", "queue": "support", "reason": "{secret}"}), "not one of"),
        (
            _policy(
                {"id": "a", "queue": "support", "reason": "x"},
                {"id": "a", "queue": "sales", "reason": "y"},
            ),
            "used twice",
        ),
        (_policy({"id": "Bad Id!", "queue": "support", "reason": "x"}), "rule 1"),
        (_policy(limits={"repeat_complaints": 0}), "limits.repeat_complaints"),
        (
            {
                "rules": [
                    {"id": "all", "queue": "none", "reason": "x"},
                    {"id": "late", "queue": "sales", "reason": "y"},
                ]
            },
            "can never fire",
        ),
        (
            {
                "rules": [
                    {"id": "q", "when": {"intent": ["question"]}, "queue": "support", "reason": "x"}
                ]
            },
            "no unconditional rule handles intent complaint",
        ),
        ({"rules": []}, "at least 1"),
        ([1, 2], "expected a table"),
    ],
)
def test_bad_policies_are_refused_with_the_rule_and_field(data: object, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        parse_policy(data, source="policy.toml")


def test_unreadable_files_say_what_is_wrong(tmp_path: Path) -> None:
    broken = tmp_path / "p.toml"
    broken.write_text("[[rules]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(broken)
    yml = tmp_path / "p.yml"
    yml.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(yml)
    with pytest.raises(PolicyError, match=r"must end in \.toml"):
        load_policy(tmp_path / "p.json")
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "missing.toml")
    huge = tmp_path / "huge.yaml"
    huge.write_text("#" * 1_000_001, encoding="utf-8")
    with pytest.raises(PolicyError, match="larger than"):
        load_policy(huge)


def test_the_settings_pick_the_file_or_the_default_with_their_thresholds(tmp_path: Path) -> None:
    default = policy_from_settings(RoutingSettings(influencer_followers=77))
    assert default.limits.influencer_followers == 77
    assert default.rule_ids[0] == "complaint-with-risk"
    path = tmp_path / "policy.json.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    from_file = policy_from_settings(RoutingSettings(policy_file=str(path)))
    assert from_file.source == str(path)
    assert json.dumps(from_file.rule_ids) == json.dumps(default.rule_ids)
