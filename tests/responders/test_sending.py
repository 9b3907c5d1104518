"""The two-phase sending protocol: claim, post, record; reconciliation, budgets, workers, crashes.

Store tests run on SQLite and PostgreSQL. Platform outcomes come from the
in-memory sender (fast logic tests) or from real senders against the fake
platform servers on 127.0.0.1 (uncertain outcomes, two workers, a SIGKILL).
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.labels import Platform
from config.settings import RedditSettings, Settings
from crm.cases import new_idempotency_key
from crm.enums import CaseStatus, Queue, ReplyStatus
from crm.models import AuditEvent, Case, Customer, Identity, Mention, Reply
from crm.types import utcnow
from responders.errors import SendFailed, SendUncertain, WriteBudgetExhausted
from responders.senders.reddit import RedditSender, create_client
from responders.sending import (
    LEASE,
    MAX_ATTEMPTS,
    SendJob,
    _claim,
    reconcile_sending,
    send_approved,
)
from tests.responders.fake_write_memory import MemorySender
from tests.responders.fake_write_reddit import PASSWORD, USERNAME, FakeWriteReddit

ROOT = Path(__file__).resolve().parents[2]
_numbers = itertools.count(1)


def approved_reply(
    engine: Engine,
    *,
    platform: str = "mastodon",
    external_id: str | None = None,
    text: str = "Sorry about that, we are on it.",
    case_status: CaseStatus = CaseStatus.OPEN,
    status: ReplyStatus = ReplyStatus.APPROVED,
    **reply_fields: Any,
) -> int:
    """A customer, a mention, a case and an approved reply to the mention; the reply's id."""
    number = next(_numbers)
    if external_id is None:
        external_id = f"t1_c{number:05d}" if platform == "reddit" else f"{10_000 + number}"
    with Session(engine) as session:
        customer = Customer(name=f"Customer {number}")
        session.add(customer)
        session.flush()
        identity = Identity(
            platform=Platform(platform), platform_user_id=f"u{number}", customer_id=_id(customer)
        )
        session.add(identity)
        session.flush()
        mention = Mention(
            platform=Platform(platform),
            external_id=external_id,
            identity_id=_id(identity),
            text="@acme my order never came",
            text_hash=f"{number:064d}",
            posted_at=utcnow() - timedelta(minutes=5),
        )
        case = Case(
            customer_id=_id(customer),
            queue=Queue.SUPPORT,
            platform=Platform(platform),
            status=case_status,
        )
        session.add_all([mention, case])
        session.flush()
        reply = Reply(
            case_id=_id(case),
            mention_id=_id(mention),
            text=text,
            idempotency_key=new_idempotency_key(),
            status=status,
            approved_at=utcnow(),
            **reply_fields,
        )
        session.add(reply)
        session.commit()
        assert reply.id is not None
        return reply.id


def _id(record: Customer | Identity | Mention | Case) -> int:
    assert record.id is not None
    return record.id


def load(engine: Engine, reply_id: int) -> tuple[Reply, Case]:
    with Session(engine) as session:
        reply = session.get_one(Reply, reply_id)
        return reply, session.get_one(Case, reply.case_id)


def audit(engine: Engine, reply_id: int) -> list[tuple[str, dict[str, Any]]]:
    with Session(engine) as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "reply", AuditEvent.entity_id == reply_id)
            .order_by(col(AuditEvent.id))
        ).all()
        return [(e.action, e.detail) for e in events]


def enabled(settings: Settings, **send: Any) -> Settings:
    return settings.model_copy(
        update={"send": settings.send.model_copy(update={"enabled": True, **send})}
    )


# --- the protocol, with the in-memory platform ----------------------------------------


def test_an_approved_reply_is_posted_once_and_everything_is_recorded(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender()
    now = utcnow()

    report = send_approved(
        engine=engine, settings=enabled(settings), senders={"mastodon": sender}, now=now
    )
    again = send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": sender})

    reply, case = load(engine, reply_id)
    assert report.platforms["mastodon"].sent == 1
    assert again.platforms == {}
    assert [(p.text, p.key) for p in sender.posts] == [(reply.text, reply.idempotency_key)]
    assert reply.status == ReplyStatus.SENT
    assert (reply.platform_reply_id, reply.sent_at, reply.attempts) == ("p1", now, 1)
    assert reply.error is None
    assert case.first_response_at == now
    assert case.status == CaseStatus.WAITING
    moves = [(d["old"], d["new"]) for action, d in audit(engine, reply_id) if action == "status"]
    assert moves == [("approved", "sending"), ("sending", "sent")]
    assert ("reply.sent", {"platform_id": "p1"}) in audit(engine, reply_id)


def test_a_new_case_goes_through_open_to_waiting_and_keeps_an_earlier_first_response(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine, case_status=CaseStatus.NEW)
    earlier = utcnow() - timedelta(hours=3)
    with Session(engine) as session:
        case = session.get_one(Case, load(engine, reply_id)[1].id)
        case.first_response_at = earlier
        session.add(case)
        session.commit()

    send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": MemorySender()})

    _, case = load(engine, reply_id)
    assert case.status == CaseStatus.WAITING
    assert case.first_response_at == earlier


def test_sending_is_off_by_default_and_posts_nothing(engine: Engine, settings: Settings) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender()

    report = send_approved(engine=engine, settings=settings, senders={"mastodon": sender})

    assert not report.enabled
    assert report.note is not None and "SOCIALCRM_SEND__ENABLED=true" in report.note
    assert sender.calls == 0 and sender.lookups == 0
    assert load(engine, reply_id)[0].status == ReplyStatus.APPROVED
    assert not SendJob(engine=engine, settings=settings)().enabled


def test_replies_beyond_the_hourly_budget_wait_for_the_next_hour(
    engine: Engine, settings: Settings
) -> None:
    ids = [approved_reply(engine) for _ in range(5)]
    sender = MemorySender()
    budgeted = enabled(settings, mastodon_per_hour=2)
    now = utcnow()

    first = send_approved(engine=engine, settings=budgeted, senders={"mastodon": sender}, now=now)
    same_hour = send_approved(
        engine=engine,
        settings=budgeted,
        senders={"mastodon": sender},
        now=now + timedelta(minutes=59),
    )
    next_hour = send_approved(
        engine=engine,
        settings=budgeted,
        senders={"mastodon": sender},
        now=now + timedelta(minutes=61),
    )

    assert (first.platforms["mastodon"].sent, first.platforms["mastodon"].waiting) == (2, 3)
    assert first.platforms["mastodon"].why_waiting == [
        "hourly budget of 2 replies on mastodon reached"
    ]
    assert same_hour.platforms["mastodon"].sent == 0
    assert next_hour.platforms["mastodon"].sent == 2
    assert len(sender.posts) == 4
    statuses = [load(engine, i)[0].status for i in ids]
    assert statuses == [ReplyStatus.SENT] * 4 + [ReplyStatus.APPROVED]


def test_a_platform_without_a_sender_waits_and_says_why(engine: Engine, settings: Settings) -> None:
    reply_id = approved_reply(engine, platform="x", external_id="1860000000000000001")

    report = send_approved(engine=engine, settings=enabled(settings))

    assert report.platforms["x"].waiting == 1
    assert "x.consumer_key" in report.platforms["x"].why_waiting[0]
    assert load(engine, reply_id)[0].status == ReplyStatus.APPROVED


def test_a_definite_refusal_fails_the_reply_with_its_reason(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender(script=[SendFailed("the post was deleted")])

    report = send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": sender})

    reply, case = load(engine, reply_id)
    assert report.platforms["mastodon"].failed == 1
    assert (reply.status, reply.error) == (ReplyStatus.FAILED, "the post was deleted")
    assert case.first_response_at is None and case.status == CaseStatus.OPEN
    assert ("status", {"old": "sending", "new": "failed"}) in audit(engine, reply_id)


@pytest.mark.parametrize(
    "error",
    [
        SendFailed("token revoked", retryable=True),
        WriteBudgetExhausted(60.0, "429 from the platform"),
    ],
)
def test_a_retryable_refusal_returns_the_reply_and_stops_the_platform_for_this_pass(
    engine: Engine, settings: Settings, error: Exception
) -> None:
    first, second = approved_reply(engine), approved_reply(engine)
    sender = MemorySender(script=[error])

    report = send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": sender})

    assert sender.calls == 1 and sender.posts == []
    assert report.platforms["mastodon"].waiting == 2
    assert [load(engine, i)[0].status for i in (first, second)] == [ReplyStatus.APPROVED] * 2
    assert load(engine, first)[0].attempts == 1


def test_an_uncertain_post_is_found_by_reconciliation_and_never_sent_twice(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender(script=[("after", SendUncertain("read timed out"))])
    now = utcnow()
    on = enabled(settings)

    first = send_approved(engine=engine, settings=on, senders={"mastodon": sender}, now=now)
    reply, _ = load(engine, reply_id)
    assert first.platforms["mastodon"].uncertain == 1
    assert reply.status == ReplyStatus.SENDING and reply.error == "uncertain: read timed out"

    too_soon = send_approved(
        engine=engine, settings=on, senders={"mastodon": sender}, now=now + timedelta(seconds=5)
    )
    assert too_soon.platforms == {} and sender.lookups == 0  # the post may still be settling
    later = send_approved(
        engine=engine, settings=on, senders={"mastodon": sender}, now=now + timedelta(minutes=2)
    )

    reply, case = load(engine, reply_id)
    assert sender.lookups == 1
    assert later.platforms["mastodon"].reconciled == 1
    assert sender.calls == 1 and len(sender.posts) == 1
    assert (reply.status, reply.platform_reply_id, reply.sent_at) == (ReplyStatus.SENT, "p1", now)
    assert case.first_response_at == now


def test_an_uncertain_post_that_is_not_there_is_sent_again(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender(script=[SendUncertain("503 before anything was written")])
    now = utcnow()
    on = enabled(settings)

    send_approved(engine=engine, settings=on, senders={"mastodon": sender}, now=now)
    report = send_approved(
        engine=engine, settings=on, senders={"mastodon": sender}, now=now + timedelta(minutes=2)
    )

    reply, _ = load(engine, reply_id)
    assert (report.platforms["mastodon"].retried, report.platforms["mastodon"].sent) == (1, 1)
    assert sender.calls == 2 and len(sender.posts) == 1
    assert (reply.status, reply.attempts) == (ReplyStatus.SENT, 2)


def test_reconciliation_that_cannot_ask_the_platform_leaves_the_reply_sending(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine)
    sender = MemorySender(script=[SendUncertain("reset")], lookup_error=SendUncertain("down"))
    now = utcnow()

    send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": sender}, now=now)
    report = reconcile_sending(
        engine=engine, senders={"mastodon": sender}, now=now + timedelta(minutes=5)
    )

    assert load(engine, reply_id)[0].status == ReplyStatus.SENDING
    assert report.platforms["mastodon"].waiting == 1
    assert sender.calls == 1


def test_a_reply_never_found_fails_after_the_last_attempt(
    engine: Engine, settings: Settings
) -> None:
    reply_id = approved_reply(engine, attempts=MAX_ATTEMPTS - 1)
    sender = MemorySender(script=[SendUncertain("reset")])
    now = utcnow()

    send_approved(engine=engine, settings=enabled(settings), senders={"mastodon": sender}, now=now)
    report = reconcile_sending(
        engine=engine, senders={"mastodon": sender}, now=now + timedelta(minutes=2)
    )

    reply, _ = load(engine, reply_id)
    assert report.platforms["mastodon"].failed == 1
    assert reply.status == ReplyStatus.FAILED
    assert reply.error is not None and f"{MAX_ATTEMPTS} attempts" in reply.error


def test_a_reply_in_flight_is_left_alone_until_its_lease_expires(
    engine: Engine, settings: Settings
) -> None:
    now = utcnow()
    reply_id = approved_reply(
        engine, status=ReplyStatus.SENDING, sending_started_at=now, attempts=1
    )
    sender = MemorySender()

    during = reconcile_sending(engine=engine, senders={"mastodon": sender}, now=now + LEASE / 2)
    assert (during.platforms, sender.lookups) == ({}, 0)

    report = send_approved(
        engine=engine,
        settings=enabled(settings),
        senders={"mastodon": sender},
        now=now + LEASE + timedelta(seconds=1),
    )
    assert (report.platforms["mastodon"].retried, report.platforms["mastodon"].sent) == (1, 1)
    assert load(engine, reply_id)[0].status == ReplyStatus.SENT


def test_only_one_claim_of_a_reply_succeeds(engine: Engine) -> None:
    reply_id = approved_reply(engine)
    now = utcnow()

    first = _claim(engine, reply_id, now=now)
    second = _claim(engine, reply_id, now=now)

    assert first is not None and first.reply_id == reply_id
    assert second is None
    reply, _ = load(engine, reply_id)
    assert (reply.status, reply.attempts, reply.sending_started_at) == (ReplyStatus.SENDING, 1, now)


# --- real senders against the fake Reddit -----------------------------------------------


@pytest.fixture
def reddit() -> Any:
    fake = FakeWriteReddit()
    with fake.running():
        yield fake


def reddit_settings(fake: FakeWriteReddit) -> RedditSettings:
    return RedditSettings(
        client_id="cid",
        client_secret="cs",
        username=USERNAME,
        password=PASSWORD,
        api_base_url=fake.url,
    )


def reddit_sender(fake: FakeWriteReddit) -> RedditSender:
    return RedditSender(create_client(reddit_settings(fake), timeout=0.5), username=USERNAME)


@pytest.mark.parametrize("fault", ["none", "drop-after", "timeout-after", "503-after"])
def test_a_reply_created_behind_an_uncertain_answer_exists_once_and_is_sent(
    engine: Engine, settings: Settings, reddit: FakeWriteReddit, fault: str
) -> None:
    reply_id = approved_reply(engine, platform="reddit", external_id="t1_abc12")
    senders = {"reddit": reddit_sender(reddit)}
    reddit.fail_next(fault)
    now = utcnow()

    first = send_approved(engine=engine, settings=enabled(settings), senders=senders, now=now)
    second = send_approved(
        engine=engine, settings=enabled(settings), senders=senders, now=now + timedelta(minutes=2)
    )

    reply, _ = load(engine, reply_id)
    assert first.platforms["reddit"].uncertain == 1
    assert second.platforms["reddit"].reconciled == 1
    assert len(reddit.creates()) == 1
    assert [(c["parent_id"], c["name"]) for c in reddit.comments] == [
        ("t1_abc12", reply.platform_reply_id)
    ]
    assert reply.status == ReplyStatus.SENT


def test_two_workers_on_the_same_replies_post_each_once(
    engine: Engine, settings: Settings, reddit: FakeWriteReddit
) -> None:
    ids = [approved_reply(engine, platform="reddit") for _ in range(6)]
    on = enabled(settings)
    start = threading.Barrier(2)
    reports: list[Any] = []

    def worker() -> None:
        senders = {"reddit": reddit_sender(reddit)}
        start.wait()
        reports.append(send_approved(engine=engine, settings=on, senders=senders))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with Session(engine) as session:
        targets = session.exec(
            select(Mention.external_id).join(Reply, col(Reply.mention_id) == Mention.id)
        ).all()
    assert len(reddit.creates()) == 6
    assert sorted(c["parent_id"] for c in reddit.comments) == sorted(targets)
    assert sum(r.platforms["reddit"].sent for r in reports) == 6
    assert {load(engine, i)[0].status for i in ids} == {ReplyStatus.SENT}


CRASH_RESTART = """
from datetime import timedelta
from config.settings import load_settings
from crm.db import create_db_engine
from crm.types import utcnow
from responders.sending import LEASE, send_approved
settings = load_settings()
engine = create_db_engine(settings.database_url)
later = utcnow() + LEASE + timedelta(minutes=1)  # the crashed worker's lease has run out
print(send_approved(engine=engine, settings=settings, now=later).as_dict())
"""


def test_a_sender_killed_between_the_post_and_the_record_posts_once_after_restart(
    engine: Engine, reddit: FakeWriteReddit, tmp_path: Path
) -> None:
    reply_id = approved_reply(engine, platform="reddit", external_id="t3_post1")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SOCIALCRM_")},
        "SOCIALCRM_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SOCIALCRM_SEND__ENABLED": "true",
        "SOCIALCRM_REDDIT__CLIENT_ID": "cid",
        "SOCIALCRM_REDDIT__CLIENT_SECRET": "cs",
        "SOCIALCRM_REDDIT__USERNAME": USERNAME,
        "SOCIALCRM_REDDIT__PASSWORD": PASSWORD,
        "SOCIALCRM_REDDIT__API_BASE_URL": reddit.url,
        "SOCIALCRM_LOG_LEVEL": "WARNING",
    }
    reddit.fail_next("hold-after")  # the comment is made; the answer never reaches the worker
    worker = subprocess.Popen(
        [sys.executable, "-m", "socialcrm", "send", "--once"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert reddit.arrived.wait(60), reddit.events
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.communicate()
    reddit.release.set()
    crashed, _ = load(engine, reply_id)
    assert (crashed.status, crashed.error, crashed.platform_reply_id) == (
        ReplyStatus.SENDING,
        None,
        None,
    )

    restart = subprocess.run(
        [sys.executable, "-c", CRASH_RESTART],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    reply, case = load(engine, reply_id)
    assert "'reconciled': 1" in restart.stdout
    assert len(reddit.creates()) == 1
    assert [c["name"] for c in reddit.comments] == [reply.platform_reply_id]
    assert reddit.comments[0]["parent_id"] == "t3_post1"
    assert reply.status == ReplyStatus.SENT
    assert case.first_response_at is not None
