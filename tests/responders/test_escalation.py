"""Escalation delivery against a real local webhook receiver and SMTP server (SQLite, PostgreSQL).

Escalations are made the way the product makes them (replay → judge → route);
delivery runs with a controlled clock so retries and backoff are exact.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.settings import EscalationSettings, Settings, SmtpSettings
from crm.db import session_scope
from crm.enums import EscalationStatus
from crm.models import AuditEvent, Case, Escalation, EscalationAttempt, Mention
from listener.replay import ReplayCollector
from listener.runner import run_collector
from responders.errors import EscalationNotFound, EscalationNotRetryable
from responders.escalation import (
    DELIVERY_WORKERS,
    NO_CHANNEL,
    _claim,
    backoff,
    configured_channels,
    deliver_due,
)
from responders.escalation_message import escalation_facts, render_email, slack_payload
from responders.escalation_records import retry_escalation
from socialcrm.pipeline import PipelineReport, judge_pending, route_pending
from tests.fakes import TagJudge
from tests.responders.fake_receivers import SmtpReceiver, WebhookReceiver, free_port
from tests.socialcrm.test_pipeline import post

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def escalate(engine: Engine, settings: Settings, tmp_path: Path, *texts: str) -> list[int]:
    """Route one risky complaint per text (each its own author); the escalation ids made."""
    path = tmp_path / f"in-{random.randrange(10**9)}.jsonl"
    posts = [
        post(f"{path.stem}-{n}", text, author=f"author{n}", followers=50)
        for n, text in enumerate(texts)
    ]
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    run_collector(ReplayCollector([str(path)]), engine=engine)
    judge_pending(engine=engine, judge=TagJudge(), batch_size=64)
    route_pending(engine=engine, settings=settings, report=PipelineReport())
    with Session(engine) as session:
        return list(session.exec(select(Escalation.id).order_by(col(Escalation.id))).all())  # type: ignore[arg-type]


def with_channels(settings: Settings, **escalation: Any) -> Settings:
    """``settings`` with the escalation (and ``smtp``) sections replaced."""
    smtp = escalation.pop("smtp", None)
    update: dict[str, Any] = {"escalation": EscalationSettings.model_validate(escalation)}
    if smtp is not None:
        update["smtp"] = SmtpSettings.model_validate(smtp)
    return settings.model_copy(update=update)


def rows(engine: Engine) -> list[Escalation]:
    with Session(engine) as session:
        return list(session.exec(select(Escalation).order_by(col(Escalation.id))))


def attempts(engine: Engine, escalation_id: int) -> list[EscalationAttempt]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(EscalationAttempt)
                .where(EscalationAttempt.escalation_id == escalation_id)
                .order_by(col(EscalationAttempt.id))
            )
        )


def test_an_escalated_complaint_is_delivered_once_with_everything_a_lead_needs(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret="s3cret") as receiver:
        configured = with_channels(settings, webhook_url=receiver.url, webhook_secret="s3cret")
        [escalation_id] = escalate(
            engine, configured, tmp_path, "phone caught fire #complaint #safety"
        )
        first = deliver_due(engine=engine, settings=configured, now=T0)
        second = deliver_due(engine=engine, settings=configured, now=T0 + timedelta(hours=1))
    assert (first.claimed, first.delivered, second.claimed) == (1, 1, 0)
    [got] = receiver.received
    payload = got.payload
    assert (
        got.headers["Idempotency-Key"]
        == payload["idempotency_key"]
        == f"escalation-{escalation_id}"
    )
    assert payload["mention"]["text"] == "phone caught fire #complaint #safety"
    assert payload["mention"]["url"].startswith("https://x.com/author0/status/")
    assert payload["customer"]["handles"] == {"x": ["author0"]}
    assert payload["customer"]["previous_cases"] == 0
    assert payload["judgement"]["intent"] == "complaint" and payload["judgement"]["risk"] == [
        "safety"
    ]
    assert payload["judgement"]["model_version"] == "fake-tags-1"
    assert payload["escalation"]["level"] == 1 and payload["escalation"]["rule"]
    assert payload["escalation"]["reason"] and payload["case"]["reference"].startswith("C-")
    [row] = rows(engine)
    assert (row.channel, row.status, row.attempts) == ("webhook", EscalationStatus.DELIVERED, 1)
    assert (
        row.delivered_at == T0
        and row.target == "http://127.0.0.1:" + receiver.url.split(":")[2].split("/")[0]
    )
    [attempt] = attempts(engine, escalation_id)
    assert (attempt.succeeded, attempt.status_code, attempt.error) == (True, 200, None)


def test_both_channels_get_their_own_row_and_message(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None) as hook, SmtpReceiver() as mail:
        configured = with_channels(
            settings,
            webhook_url=hook.url,
            webhook_format="slack",
            email_to=["lead@brand.example"],
            smtp={"host": "127.0.0.1", "port": mail.port, "tls": "none"},
        )
        escalate(sqlite_engine, configured, tmp_path, "sue you <b>now</b> #complaint #legal")
        report = deliver_due(engine=sqlite_engine, settings=configured, now=T0)
    assert report.delivered == 2
    assert sorted((r.channel, r.status) for r in rows(sqlite_engine)) == [
        ("email", EscalationStatus.DELIVERED),
        ("webhook", EscalationStatus.DELIVERED),
    ]
    [slack] = hook.received
    assert set(slack.payload) >= {"text", "blocks"} and "C-" in slack.payload["text"]
    assert "sue you &lt;b&gt;now&lt;/b&gt;" in json.dumps(slack.payload["blocks"])
    [(envelope, message)] = mail.messages
    assert envelope.rcpt_tos == ["lead@brand.example"]
    assert message["Subject"].startswith("[socialcrm] Escalation level 1: C-")
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "sue you &lt;b&gt;now&lt;/b&gt;" in html and "<b>now</b>" not in html
    assert "sue you <b>now</b>" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_without_a_channel_the_escalation_fails_visibly_and_can_be_retried_later(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    [escalation_id] = escalate(engine, settings, tmp_path, "legal threat #complaint #legal")
    report = deliver_due(engine=engine, settings=settings, now=T0)
    [row] = rows(engine)
    assert (report.failed, row.status, row.channel) == (1, EscalationStatus.FAILED, "unconfigured")
    assert row.last_error == NO_CHANNEL and "escalation.webhook_url" in NO_CHANNEL
    with session_scope(engine) as session:
        retry_escalation(session=session, escalation_id=escalation_id, actor="lead@brand.example")
    with WebhookReceiver(secret=None) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url)
        assert deliver_due(engine=engine, settings=configured, now=T0).delivered == 1
    [row] = rows(engine)
    assert (row.status, row.channel, row.last_error) == (
        EscalationStatus.DELIVERED,
        "webhook",
        None,
    )
    with Session(engine) as session:
        audit = session.exec(
            select(AuditEvent).where(AuditEvent.action == "escalation.retry")
        ).one()
    assert audit.actor == "lead@brand.example" and audit.entity_id == escalation_id


def test_escalations_without_a_channel_are_logged_once_per_pass_not_once_each(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = [f"lawsuit {n} #complaint #legal" for n in range(3)]
    escalate(sqlite_engine, settings, tmp_path, *texts)
    with caplog.at_level(logging.INFO, logger="responders.escalation"):
        report = deliver_due(engine=sqlite_engine, settings=settings, now=T0)
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert report.failed == 3
    assert [r.getMessage() for r in problems] == [f"3 escalations failed: {NO_CHANNEL}"]


def test_retry_refuses_unknown_and_not_failed_escalations(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    [escalation_id] = escalate(sqlite_engine, settings, tmp_path, "fire #complaint #safety")
    with (
        session_scope(sqlite_engine) as session,
        pytest.raises(EscalationNotRetryable, match="pending"),
    ):
        retry_escalation(session=session, escalation_id=escalation_id, actor="cli")
    with (
        session_scope(sqlite_engine) as session,
        pytest.raises(EscalationNotFound, match="no escalation 999"),
    ):
        retry_escalation(session=session, escalation_id=999, actor="cli")


def test_failures_are_retried_with_exponential_backoff_and_every_try_recorded(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None, fail_first=2) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url)
        [escalation_id] = escalate(engine, configured, tmp_path, "fire #complaint #safety")
        assert deliver_due(engine=engine, settings=configured, now=T0).retrying == 1
        first_wait = rows(engine)[0].next_attempt_at
        assert first_wait is not None and T0 + timedelta(
            seconds=2.5
        ) <= first_wait <= T0 + timedelta(seconds=5)
        assert (
            deliver_due(
                engine=engine, settings=configured, now=first_wait - timedelta(seconds=1)
            ).claimed
            == 0
        )
        assert deliver_due(engine=engine, settings=configured, now=first_wait).retrying == 1
        second_wait = rows(engine)[0].next_attempt_at
        assert second_wait is not None
        assert (
            first_wait + timedelta(seconds=5) <= second_wait <= first_wait + timedelta(seconds=10)
        )
        assert deliver_due(engine=engine, settings=configured, now=second_wait).delivered == 1
    tries = attempts(engine, escalation_id)
    assert [(a.succeeded, a.status_code) for a in tries] == [
        (False, 503),
        (False, 503),
        (True, 200),
    ]
    assert [a.at for a in tries] == [T0, first_wait, second_wait]
    assert len(receiver.received) == 1 and rows(engine)[0].attempts == 3


def test_backoff_doubles_up_to_the_cap_with_jitter() -> None:
    low, high = random.Random(1), random.Random(1)
    waits = [backoff(n, rng=random.Random(n)) for n in range(1, 12)]
    for n, wait in enumerate(waits, start=1):
        step = min(timedelta(minutes=15), timedelta(seconds=5) * 2 ** (n - 1))
        assert step / 2 <= wait <= step
    assert backoff(1, rng=low) == backoff(1, rng=high)  # the jitter comes from the rng given
    assert len({backoff(3, rng=random.Random(seed)) for seed in range(5)}) > 1  # and varies
    assert waits[-1] <= timedelta(minutes=15)


def test_after_max_attempts_it_is_failed_and_stays_failed(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None, fail_first=100) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url, max_attempts=3)
        escalate(engine, configured, tmp_path, "fire #complaint #safety")
        now = T0
        for _ in range(5):
            deliver_due(engine=engine, settings=configured, now=now)
            now += timedelta(hours=1)
    [row] = rows(engine)
    assert (row.status, row.attempts, row.next_attempt_at) == (EscalationStatus.FAILED, 3, None)
    assert "answered HTTP 503" in (row.last_error or "") and receiver.requests == 3


def test_a_refusal_that_retrying_cannot_fix_fails_at_once(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None, fail_first=1, fail_status=404) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url)
        escalate(sqlite_engine, configured, tmp_path, "fire #complaint #safety")
        report = deliver_due(engine=sqlite_engine, settings=configured, now=T0)
    assert (report.failed, rows(sqlite_engine)[0].status, receiver.requests) == (
        1,
        EscalationStatus.FAILED,
        1,
    )


def test_a_dead_receiver_is_not_tried_for_every_escalation_in_a_pass(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    configured = with_channels(settings, webhook_url=f"http://127.0.0.1:{free_port()}/hook")
    escalate(
        sqlite_engine, configured, tmp_path, *[f"fire {n} #complaint #safety" for n in range(10)]
    )
    report = deliver_due(engine=sqlite_engine, settings=configured, now=T0)
    tried = [r for r in rows(sqlite_engine) if r.attempts]
    assert 1 <= report.retrying == len(tried) <= DELIVERY_WORKERS  # only those already in flight
    assert report.deferred == 10 - len(tried)
    assert all(
        r.status == EscalationStatus.PENDING and r.next_attempt_at for r in rows(sqlite_engine)
    )
    assert "cannot reach http://127.0.0.1" in (tried[0].last_error or "")


def test_a_worker_that_dies_holding_a_claim_frees_it_when_the_lease_ends(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url)
        [escalation_id] = escalate(engine, configured, tmp_path, "fire #complaint #safety")
        # A worker claims the row and dies before delivering.
        assert _claim(engine, now=T0, until=T0 + timedelta(seconds=60), limit=10) == [escalation_id]
        assert (
            deliver_due(engine=engine, settings=configured, now=T0 + timedelta(seconds=30)).claimed
            == 0
        )
        later = deliver_due(engine=engine, settings=configured, now=T0 + timedelta(seconds=61))
    assert later.delivered == 1 and receiver.keys() == [f"escalation-{escalation_id}"]


def test_two_workers_deliver_each_escalation_exactly_once(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret="s3cret", delay=0.002) as receiver:
        configured = with_channels(settings, webhook_url=receiver.url, webhook_secret="s3cret")
        ids = escalate(
            engine, configured, tmp_path, *[f"fire {n} #complaint #safety" for n in range(30)]
        )
        start = threading.Barrier(2)
        reports = []

        def worker() -> None:
            start.wait()
            reports.append(deliver_due(engine=engine, settings=configured, now=T0, limit=100))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(receiver.keys()) == sorted(f"escalation-{i}" for i in ids)
    assert sum(r.delivered for r in reports) == 30 == sum(r.claimed for r in reports)
    assert all(r.status == EscalationStatus.DELIVERED and r.attempts == 1 for r in rows(engine))


def test_hostile_mention_text_is_safe_in_every_rendering(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    [escalation_id] = escalate(sqlite_engine, settings, tmp_path, "x #complaint #legal")
    hostile = (
        "<script>alert(1)</script> <!channel> '; DROP TABLE mention; -- \u202eevil\u202c "
        "شکایت دارم\r\nBcc: victim@evil.example\x1b[31m\x07 " + "A" * 100_000
    )
    with session_scope(sqlite_engine) as session:
        mention = session.exec(select(Mention)).one()
        mention.text = hostile
        session.add(mention)
    with Session(sqlite_engine) as session:
        facts = escalation_facts(
            session=session, escalation=session.get_one(Escalation, escalation_id)
        )
    assert facts["mention"]["text_truncated"] and len(facts["mention"]["text"]) == 4000
    assert facts["mention"]["text"].startswith("<script>")  # JSON carries it as data
    json.loads(json.dumps(facts))
    slack = json.dumps(slack_payload(facts))
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack and "<script>" not in slack
    assert all(
        len(b["text"]["text"]) <= 3000 for b in slack_payload(facts)["blocks"] if "text" in b
    )
    subject, text, html = render_email(facts)
    assert "\n" not in subject and "\r" not in subject and len(subject) <= 200
    assert "<script>" not in html and "&lt;script&gt;" in html and 'dir="auto"' in html
    assert "DROP TABLE" in text and "شکایت دارم" in text
    with Session(sqlite_engine) as session:
        assert session.exec(select(Case)).one()  # the tables are all still there


def test_configured_channels_never_carry_the_secret_path(settings: Settings) -> None:
    configured = with_channels(
        settings,
        webhook_url="https://hooks.slack.com/services/T0/B0/XYZSECRET",
        email_to=["a@b.example", "c@d.example"],
    )
    assert configured_channels(configured) == [
        ("webhook", "https://hooks.slack.com"),
        ("email", "a@b.example, c@d.example"),
    ]
    assert configured_channels(settings) == []
