"""Backtesting: the built-in policy reproduces what routing did; a changed one shows its moves."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from config.settings import Settings
from crm.db import session_scope
from crm.types import utcnow
from responders.backtest import backtest
from responders.policy_file import default_policy, parse_policy
from socialcrm.cli import app
from socialcrm.cli_policy import parse_since
from tests.socialcrm.test_pipeline import post, run

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "policy.example.toml"


def _posts() -> list[dict[str, Any]]:
    return [
        post("1", "late again #complaint", author="ana", ago="-50h"),
        post("2", "still late #complaint", author="ana", ago="-30h"),
        post("3", "third time #complaint", author="ana", ago="-10h"),  # repeat: escalated
        post("4", "I will sue #complaint #legal", author="bo", ago="-9h"),
        post("5", "how do I reset? #question", author="cy", ago="-8h"),
        post("6", "price for teams? #purchase", author="di", followers=50, ago="-7h"),
        post("7", "love it #praise", author="ed", followers=20_000, ago="-6h"),
        post("8", "free crypto #spam", author="fa", ago="-5h"),
        post("9", "nice weather #other", author="gu", ago="-4h"),
        post("10", "broken screen #complaint", author="ha", followers=12_000, ago="-3h"),
    ]


@pytest.fixture
def routed(engine: Engine, settings: Settings, tmp_path: Path) -> Engine:
    run(engine, settings, tmp_path, *_posts())
    return engine


def test_the_built_in_policy_reproduces_every_routing_decision(routed: Engine) -> None:
    with session_scope(routed) as session:
        report = backtest(
            session=session, policy=default_policy(), since=utcnow() - timedelta(days=30)
        )
    assert report.mentions == 10
    assert report.changed == 0
    assert report.happened == report.would
    assert report.would["escalated"] == 3  # repeat (ana), legal (bo), reach (ha)
    assert report.rules["repeat-complaint"] == 1


def test_a_changed_policy_shows_what_would_move(routed: Engine) -> None:
    policy = parse_policy(
        {
            "rules": [
                {
                    "id": "risk",
                    "when": {"intent": ["complaint"], "risk": "any"},
                    "queue": "support",
                    "priority": "urgent",
                    "escalate": True,
                    "reason": "risk",
                },
                {
                    "id": "complaints",
                    "when": {"intent": ["complaint"]},
                    "queue": "support",
                    "reason": "c",
                },
                {"id": "rest", "queue": "none", "reason": "nothing"},
            ]
        },
        source="strict.toml",
    )
    with session_scope(routed) as session:
        report = backtest(session=session, policy=policy, since=utcnow() - timedelta(days=30))
    assert report.moves[("escalated", "support")] == 2  # repeat and reach no longer escalate
    assert report.moves[("sales", "no case")] == 1
    assert report.would["escalated"] == 1
    assert {(c.happened, c.would) for c in report.examples} >= {("escalated", "support")}


def test_since_limits_the_window_but_keeps_the_repeat_count(routed: Engine) -> None:
    with session_scope(routed) as session:
        report = backtest(
            session=session, policy=default_policy(), since=utcnow() - timedelta(hours=12)
        )
    assert report.mentions == 8
    assert report.changed == 0  # ana's third complaint is still a repeat


def test_the_cli_checks_and_backtests(routed: Engine, settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"SOCIALCRM_DATABASE_URL": routed.url.render_as_string(hide_password=False)}
    checked = runner.invoke(app, ["policy", "check", str(EXAMPLE), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["rules"][0] == "complaint-with-risk"
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rules]]\nid = "x"\nqueue = "nowhere"\nreason = "r"\n', encoding="utf-8")
    refused = runner.invoke(app, ["policy", "check", str(bad)])
    assert refused.exit_code == 2
    assert "rule 1 ('x').queue" in refused.stderr
    tested = runner.invoke(
        app, ["policy", "backtest", str(EXAMPLE), "--since", "30d", "--json"], env=env
    )
    assert tested.exit_code == 0, tested.output
    assert json.loads(tested.stdout)["changed"] == 0
    text = runner.invoke(app, ["policy", "backtest", str(EXAMPLE), "--since", "2w"], env=env)
    assert "0 would be routed differently" in text.stdout
    wrong = runner.invoke(app, ["policy", "backtest", str(EXAMPLE), "--since", "soon"], env=env)
    assert wrong.exit_code == 2
    assert "neither a span" in wrong.stderr


def test_since_parses_spans_and_dates() -> None:
    now = utcnow()
    assert parse_since("12h", now=now) == now - timedelta(hours=12)
    assert parse_since("2w", now=now) == now - timedelta(weeks=2)
    assert parse_since("2026-11-01").isoformat() == "2026-11-01T00:00:00+00:00"
