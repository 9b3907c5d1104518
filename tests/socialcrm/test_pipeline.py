"""The pipeline end to end on real parts (store, replay, routing, drafting) with a fake judge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from config.settings import Settings
from crm.db import session_scope
from crm.enums import CaseStatus, LifecycleStage, Priority, Queue, ReplyStatus
from crm.models import AuditEvent, Case, Customer, Escalation, Mention, Reply
from crm.queries import totals
from listener.replay import ReplayCollector
from listener.runner import run_collector
from socialcrm.pipeline import judge_pending, run_pipeline
from tests.fakes import TagJudge


def post(
    external_id: str,
    text: str,
    *,
    author: str = "ana",
    followers: int = 10,
    ago: str = "-1h",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "platform": "x",
        "external_id": external_id,
        "url": f"https://x.com/{author}/status/{external_id}",
        "author": {
            "id": f"id-{author}",
            "handle": author,
            "name": f"{author.title()} Doe",
            "followers": followers,
        },
        "text": text,
        "posted_at": ago,
        **extra,
    }


def write_posts(tmp_path: Path, *posts: dict[str, Any]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    return path


def run(engine: Engine, settings: Settings, tmp_path: Path, *posts: dict[str, Any]) -> Any:
    path = write_posts(tmp_path, *posts)
    return run_pipeline(
        engine=engine,
        settings=settings,
        collectors=[ReplayCollector([str(path)])],
        judge=TagJudge(),
    )


def cases(engine: Engine) -> list[Case]:
    with Session(engine) as session:
        return list(session.exec(select(Case).order_by(Case.id)))


def test_each_intent_is_routed_by_the_default_policy(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    report = run(
        engine,
        settings,
        tmp_path,
        post("1", "phone caught fire #complaint #safety", author="a", ago="-5h"),
        post("2", "how do I port my number? #question", author="b", ago="-4h"),
        post("3", "price of the 5G plan? #purchase", author="c", ago="-3h"),
        post("4", "love the new app #praise", author="d", ago="-2h"),
        post("5", "free crypto giveaway #spam", author="e", ago="-1h"),
        post("6", "saw your billboard today", author="f", ago="-30m"),
    )
    by_rule = {c.rule: c for c in cases(engine)}
    assert set(by_rule) == {"complaint-with-risk", "question", "purchase", "praise", "spam"}
    urgent = by_rule["complaint-with-risk"]
    assert (urgent.status, urgent.queue, urgent.priority) == (
        CaseStatus.ESCALATED,
        Queue.SUPPORT,
        Priority.URGENT,
    )
    assert by_rule["spam"].status == CaseStatus.IGNORED
    assert by_rule["purchase"].queue == Queue.SALES
    assert (report.judged, report.routed, report.cases_opened, report.escalations) == (6, 6, 5, 1)
    with Session(engine) as session:
        drafts = session.exec(select(Reply)).all()
        other = session.exec(select(Mention).where(Mention.external_id == "6")).one()
        customers = {c.name: c for c in session.exec(select(Customer))}
    assert len(drafts) == 4 and all(d.status == ReplyStatus.DRAFT for d in drafts)
    assert all(len(d.text) <= 280 for d in drafts)
    assert (other.case_id, other.route_rule) == (None, "other")
    assert customers["C Doe"].lifecycle_stage == LifecycleStage.LEAD
    assert customers["D Doe"].advocacy_score == 1


def test_running_twice_over_the_same_input_stores_and_decides_nothing_twice(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    posts = [
        post("1", "refund me or I call my lawyer #complaint #legal"),
        post("2", "great support #praise", author="z"),
    ]
    run(engine, settings, tmp_path, *posts)
    with session_scope(engine) as session:
        before = totals(session=session)
        audit_before = session.exec(select(func.count()).select_from(AuditEvent)).one()
    second = run(engine, settings, tmp_path, *posts)
    with session_scope(engine) as session:
        after = totals(session=session)
        audit_after = session.exec(select(func.count()).select_from(AuditEvent)).one()
    assert second.judged == 0 and second.routed == 0
    assert after == before
    assert audit_after == audit_before


def test_follow_ups_join_the_customers_case_and_raise_its_priority(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(
        engine,
        settings,
        tmp_path,
        post("1", "my order is late #complaint", ago="-3h"),
        post("2", "still nothing, cancelling my account #complaint #churn", ago="-2h"),
    )
    [case] = cases(engine)
    assert case.priority == Priority.URGENT and case.status == CaseStatus.ESCALATED
    with Session(engine) as session:
        replies = session.exec(select(Reply)).all()
        mentions = session.exec(select(Mention)).all()
    assert {m.case_id for m in mentions} == {case.id}
    assert len(replies) == 1  # one pending draft per case, aimed at the newest mention
    assert replies[0].mention_id == max(m.id for m in mentions if m.id is not None)


def test_third_complaint_in_a_week_escalates(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(
        engine,
        settings,
        tmp_path,
        post("1", "slow #complaint", ago="-5d"),
        post("2", "slow again #complaint", ago="-3d"),
        post("3", "still slow #complaint", ago="-1h"),
    )
    with Session(engine) as session:
        rules = [m.route_rule for m in session.exec(select(Mention).order_by(Mention.posted_at))]
        escalations = session.exec(select(Escalation)).all()
    assert rules == ["complaint", "complaint", "repeat-complaint"]
    assert len(escalations) == 1


def test_influencer_complaint_escalates_and_reposts_join_the_original(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(
        engine,
        settings,
        tmp_path,
        post("1", "worst service ever #complaint", author="star", followers=250_000, ago="-2h"),
        post(
            "2", "RT @star: worst service ever #complaint", author="fan", ago="-1h", repost_of="1"
        ),
    )
    [case] = cases(engine)
    assert case.rule == "complaint-high-reach"
    with Session(engine) as session:
        repost = session.exec(select(Mention).where(Mention.external_id == "2")).one()
    assert (repost.route_rule, repost.case_id) == ("duplicate", case.id)


def test_a_crash_after_judging_resumes_with_routing_only(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    judge = TagJudge()
    path = write_posts(tmp_path, post("1", "broken #complaint"))
    run_collector(ReplayCollector([str(path)]), engine=engine)
    judge_pending(engine=engine, judge=judge, batch_size=8)  # then the process "dies"
    report = run_pipeline(
        engine=engine, settings=settings, collectors=[ReplayCollector([str(path)])], judge=judge
    )
    assert (report.judged, report.routed, report.cases_opened) == (0, 1, 1)
    assert judge.calls == [1]


def test_judge_sees_batches_no_larger_than_the_setting(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    judge = TagJudge()
    path = write_posts(tmp_path, *(post(str(i), f"hi {i}", author=f"u{i}") for i in range(70)))
    small = settings.model_copy(
        update={"classifier": settings.classifier.model_copy(update={"batch_size": 32})}
    )
    run_pipeline(
        engine=engine, settings=small, collectors=[ReplayCollector([str(path)])], judge=judge
    )
    assert judge.calls == [32, 32, 6]
