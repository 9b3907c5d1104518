"""Reply approval and case actions on a real routed case, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.labels import Intent, Risk, Sentiment
from config.settings import Settings
from crm.db import session_scope
from crm.enums import CaseStatus, IllegalTransition, Queue, ReplyStatus, Role
from crm.models import AuditEvent, Case, Escalation, Mention, Reply, ReplyRevision, User
from crm.types import utcnow
from responders.approval import Actor, approve_reply, edit_reply, reject_reply
from responders.casework import (
    add_note,
    assign_case,
    assign_round_robin,
    correct_judgement,
    escalate_case,
    lock_case,
    release_case,
    reopen_case,
    resolve_case,
)
from responders.errors import CaseLocked, EmptyReply, ReplyNotEditable, ReplyTooLong
from tests.socialcrm.test_pipeline import post, run


@pytest.fixture
def routed(engine: Engine, settings: Settings, tmp_path: Path) -> tuple[int, int]:
    """One complaint routed into a case with a drafted reply: (case id, reply id)."""
    run(engine, settings, tmp_path, post("1", "my order is late #complaint"))
    with session_scope(engine) as session:
        reply = session.exec(select(Reply)).one()
        return reply.case_id, reply.id or 0


def _users(engine: Engine, *roles: Role) -> list[Actor]:
    actors = []
    with session_scope(engine) as session:
        for number, role in enumerate(roles):
            user = User(email=f"user{number}@example.com", role=role)
            session.add(user)
            session.flush()
            actors.append(Actor(name=user.email, user_id=user.id, role=role))
    return actors


def test_editing_keeps_the_old_text_and_relints(engine: Engine, routed: tuple[int, int]) -> None:
    _, reply_id = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        before = session.get_one(Reply, reply_id).text
        reply = edit_reply(
            session=session, reply_id=reply_id, text="We will refund you in full.", actor=agent
        )
        assert any(w.startswith("refund-promise") for w in reply.warnings)
    with session_scope(engine) as session:
        revisions = session.exec(select(ReplyRevision)).all()
        assert [(r.text, r.edited_by) for r in revisions] == [(before, agent.name)]
        assert session.get_one(Reply, reply_id).text == "We will refund you in full."


def test_approving_after_an_edit_and_editing_again_needs_a_new_approval(
    engine: Engine, routed: tuple[int, int]
) -> None:
    _, reply_id = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        reply = approve_reply(session=session, reply_id=reply_id, actor=agent, text="Sorry, DM us")
        assert (reply.status, reply.approved_by_id, reply.text) == (
            ReplyStatus.APPROVED,
            agent.user_id,
            "Sorry, DM us",
        )
    with session_scope(engine) as session:
        reply = edit_reply(session=session, reply_id=reply_id, text="Sorry! DM us", actor=agent)
        assert (reply.status, reply.approved_by_id) == (ReplyStatus.DRAFT, None)
    with session_scope(engine) as session:
        moves = session.exec(
            select(AuditEvent.detail).where(
                AuditEvent.entity_type == "reply", AuditEvent.action == "status"
            )
        ).all()
    assert [(m["old"], m["new"]) for m in moves] == [("draft", "approved"), ("approved", "draft")]


def test_replies_too_long_empty_or_already_sent_are_refused(
    engine: Engine, routed: tuple[int, int]
) -> None:
    _, reply_id = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session, pytest.raises(ReplyTooLong, match="takes 280"):
        edit_reply(session=session, reply_id=reply_id, text="x" * 281, actor=agent)
    with session_scope(engine) as session, pytest.raises(EmptyReply):
        edit_reply(session=session, reply_id=reply_id, text=" \x00\x07 ", actor=agent)
    with session_scope(engine) as session:
        reply = session.get_one(Reply, reply_id)
        reply.status = ReplyStatus.SENT
    with session_scope(engine) as session, pytest.raises(ReplyNotEditable, match="is sent"):
        edit_reply(session=session, reply_id=reply_id, text="late edit", actor=agent)


def test_control_characters_are_stripped_but_newlines_kept(
    engine: Engine, routed: tuple[int, int]
) -> None:
    _, reply_id = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        reply = edit_reply(
            session=session, reply_id=reply_id, text="Hi\x1b[31m\r\nthere\u202e", actor=agent
        )
        assert reply.text == "Hi[31m\nthere\u202e"


def test_rejected_replies_are_never_approved_until_redrafted(
    engine: Engine, routed: tuple[int, int]
) -> None:
    _, reply_id = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        reject_reply(session=session, reply_id=reply_id, actor=agent, reason="off tone")
    with session_scope(engine) as session, pytest.raises(IllegalTransition):
        approve_reply(session=session, reply_id=reply_id, actor=agent)
    with session_scope(engine) as session:
        edit_reply(session=session, reply_id=reply_id, text="Better words", actor=agent)
        assert approve_reply(session=session, reply_id=reply_id, actor=agent).status == "approved"


def test_the_drafting_lock_keeps_a_second_person_out_until_it_expires(
    engine: Engine, routed: tuple[int, int]
) -> None:
    case_id, _ = routed
    ana, bo = _users(engine, Role.AGENT, Role.AGENT)
    with session_scope(engine) as session:
        lock_case(session=session, case_id=case_id, actor=ana)
    with session_scope(engine) as session, pytest.raises(CaseLocked, match=r"user0@example\.com"):
        lock_case(session=session, case_id=case_id, actor=bo)
    with session_scope(engine) as session:
        lock_case(session=session, case_id=case_id, actor=ana)  # renewing is fine
        session.get_one(Case, case_id).locked_until = utcnow() - timedelta(seconds=1)
    with session_scope(engine) as session:
        assert lock_case(session=session, case_id=case_id, actor=bo).locked_by_id == bo.user_id
        release_case(session=session, case_id=case_id, actor=bo)
    with session_scope(engine) as session:
        assert session.get_one(Case, case_id).locked_by_id is None


def test_two_people_taking_the_lock_at_once_one_wins(
    engine: Engine, routed: tuple[int, int]
) -> None:
    case_id, _ = routed
    actors = _users(engine, Role.AGENT, Role.AGENT, Role.AGENT, Role.AGENT)
    barrier = threading.Barrier(len(actors))
    outcomes: list[str] = []

    def take(actor: Actor) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as session:
                lock_case(session=session, case_id=case_id, actor=actor)
            outcomes.append("won")
        except CaseLocked:
            outcomes.append("locked")

    threads = [threading.Thread(target=take, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["locked", "locked", "locked", "won"]


def test_round_robin_walks_the_active_agents_in_turn(
    engine: Engine, routed: tuple[int, int]
) -> None:
    case_id, _ = routed
    admin, first, second = _users(engine, Role.ADMIN, Role.AGENT, Role.AGENT)
    got = []
    for _ in range(3):
        with session_scope(engine) as session:
            got.append(
                assign_round_robin(session=session, case_id=case_id, actor=admin).assignee_id
            )
    assert got == [first.user_id, second.user_id, first.user_id]
    with session_scope(engine) as session, pytest.raises(LookupError, match="no active user"):
        assign_case(session=session, case_id=case_id, assignee_id=9999, actor=admin)


def test_manual_escalation_goes_one_level_up_each_time(
    engine: Engine, routed: tuple[int, int]
) -> None:
    case_id, _ = routed
    (lead,) = _users(engine, Role.MANAGER)
    for _ in range(2):
        with session_scope(engine) as session:
            escalate_case(session=session, case_id=case_id, actor=lead, reason="press enquiry")
    with session_scope(engine) as session:
        case = session.get_one(Case, case_id)
        levels = session.exec(select(Escalation.level).where(Escalation.case_id == case_id)).all()
        assert (case.status, case.escalation_level) == (CaseStatus.ESCALATED, 2)
        assert sorted(set(levels)) == [1, 2]


def test_resolve_reopen_and_notes(engine: Engine, routed: tuple[int, int]) -> None:
    case_id, _ = routed
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        case = resolve_case(session=session, case_id=case_id, actor=agent)
        assert case.resolved_at is not None
        note = add_note(
            session=session,
            customer_id=case.customer_id,
            case_id=case_id,
            text="  <b>called back</b>  ",
            actor=agent,
        )
        assert note.text == "<b>called back</b>"
    with session_scope(engine) as session:
        assert reopen_case(session=session, case_id=case_id, actor=agent).status == "open"
        with pytest.raises(ValueError, match="another customer"):
            add_note(session=session, customer_id=999, case_id=case_id, text="x", actor=agent)


def test_corrections_keep_the_models_labels_beside_the_persons(
    engine: Engine, routed: tuple[int, int]
) -> None:
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        mention_id = session.exec(select(Mention.id)).one()
        mention = correct_judgement(
            session=session,
            mention_id=mention_id or 0,
            actor=agent,
            intent=Intent.QUESTION,
            sentiment=Sentiment.NEUTRAL,
            risk=[Risk.CHURN, Risk.CHURN],
        )
        assert (mention.intent, mention.corrected_intent) == (Intent.COMPLAINT, Intent.QUESTION)
        assert mention.corrected_risk == ["churn"]
        assert mention.corrected_by_id == agent.user_id
    with session_scope(engine) as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "mention.corrected")
        ).all()
        assert events[0].detail["intent"] == "complaint -> question"
    with Session(engine) as session, pytest.raises(ValueError, match="at least one"):
        correct_judgement(session=session, mention_id=mention_id or 0, actor=agent)


def test_spam_restored_from_the_ignored_queue_lands_in_support(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    run(engine, settings, tmp_path, post("9", "win a prize #spam", author="real"))
    (agent,) = _users(engine, Role.AGENT)
    with session_scope(engine) as session:
        case = session.exec(select(Case)).one()
        assert (case.status, case.queue) == (CaseStatus.IGNORED, Queue.IGNORED)
        case = reopen_case(session=session, case_id=case.id or 0, actor=agent)
        assert (case.status, case.queue) == (CaseStatus.OPEN, Queue.SUPPORT)
        moved = session.exec(select(AuditEvent).where(AuditEvent.action == "case.moved")).one()
        assert moved.detail == {"old": "ignored", "new": "support"}
