"""The life-cycle table, and the stages routing records on real customers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from config.labels import Intent, Risk, Sentiment
from config.settings import Settings
from crm.db import session_scope
from crm.enums import LifecycleStage as Stage
from crm.models import AuditEvent, Customer
from responders.lifecycle import next_stage
from responders.policy import RouteInput, decide
from tests.socialcrm.test_pipeline import post, run


def _after(
    current: Stage,
    intent: Intent,
    *,
    risk: tuple[Risk, ...] = (),
    followers: int = 0,
    score: int = 0,
) -> Stage:
    decision = decide(RouteInput(intent, Sentiment.NEUTRAL, risk, followers, False, 0))
    return next_stage(current, intent=intent, risk=risk, decision=decision, advocacy_score=score)


@pytest.mark.parametrize(
    ("current", "intent", "extra", "expected"),
    [
        (Stage.UNKNOWN, Intent.PURCHASE, {}, Stage.LEAD),
        (Stage.CUSTOMER, Intent.PURCHASE, {}, Stage.CUSTOMER),
        (Stage.UNKNOWN, Intent.QUESTION, {}, Stage.CUSTOMER),
        (Stage.LEAD, Intent.COMPLAINT, {}, Stage.CUSTOMER),
        (Stage.ADVOCATE, Intent.COMPLAINT, {}, Stage.ADVOCATE),
        (Stage.ADVOCATE, Intent.COMPLAINT, {"risk": (Risk.LEGAL,)}, Stage.DETRACTOR),
        (Stage.CUSTOMER, Intent.COMPLAINT, {"followers": 50_000}, Stage.DETRACTOR),
        (Stage.UNKNOWN, Intent.OTHER, {"risk": (Risk.CHURN,)}, Stage.UNKNOWN),
        (Stage.UNKNOWN, Intent.PRAISE, {"score": 1}, Stage.UNKNOWN),
        (Stage.LEAD, Intent.PRAISE, {"score": 2}, Stage.ADVOCATE),
        (Stage.DETRACTOR, Intent.PRAISE, {"score": 2}, Stage.CUSTOMER),
        (Stage.DETRACTOR, Intent.QUESTION, {}, Stage.DETRACTOR),
    ],
)
def test_the_table(
    current: Stage, intent: Intent, extra: dict[str, object], expected: Stage
) -> None:
    assert _after(current, intent, **extra) is expected  # type: ignore[arg-type]


def test_routing_moves_stages_audits_them_and_fills_the_language_segment(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(
        engine,
        settings,
        tmp_path,
        post("1", "how much for pro? #purchase", author="ana", ago="-5h", language="tr"),
        post("2", "love it #praise", author="ana", ago="-4h"),
        post("3", "still love it #praise", author="ana", ago="-3h"),
        post("4", "cancelling now #complaint #churn", author="bo", ago="-2h"),
    )
    with session_scope(engine) as session:
        stages = {
            c.name: (c.lifecycle_stage, c.advocacy_score, c.language)
            for c in session.exec(select(Customer))
        }
        moves = session.exec(
            select(AuditEvent.detail).where(AuditEvent.action == "customer.stage")
        ).all()
    assert stages["Ana Doe"] == (Stage.ADVOCATE, 2, "tr")
    assert stages["Bo Doe"][:2] == (Stage.DETRACTOR, 0)
    assert [(m["old"], m["new"]) for m in moves] == [
        ("unknown", "lead"),
        ("lead", "advocate"),
        ("unknown", "detractor"),
    ]
