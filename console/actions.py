"""The console's actions on cases and replies, shared by the pages and the REST API.

Each action opens one transaction, checks that the user may see the case (agents:
the unassigned pool and their own) and may do this (assigning to someone else is
manager work), then calls the responders' data function that makes the change.
A refusal raises; the web layer turns it into a status with its message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.labels import Intent, Risk, Sentiment
from console.deps import Principal
from console.errors import Forbidden
from crm.console_queries import case_visible
from crm.db import session_scope
from crm.enums import Role
from crm.models import Case, Mention, Reply
from responders import approval, casework

__all__ = ["case_action", "correct", "reply_action"]

T = TypeVar("T")


def _visible_case(session: Session, case_id: int, who: Principal) -> Case:
    case = session.get(Case, case_id)
    if case is None or not case_visible(case, who.viewer):
        raise LookupError(f"there is no case {case_id} that you can see")
    return case


def _in_transaction(engine: Engine, work: Callable[[Session], T]) -> T:
    with session_scope(engine) as session:
        return work(session)


def reply_action(
    engine: Engine,
    who: Principal,
    *,
    reply_id: int,
    action: str,
    text: str | None = None,
    reason: str = "",
) -> Reply:
    """Edit, approve (optionally with final text) or reject a reply on a case the user can see."""

    def work(session: Session) -> Reply:
        reply = session.get(Reply, reply_id)
        if reply is None:
            raise LookupError(f"there is no reply {reply_id}")
        _visible_case(session, reply.case_id, who)
        if action == "edit":
            if text is None:
                raise ValueError("give the new text of the reply")
            return approval.edit_reply(
                session=session, reply_id=reply_id, text=text, actor=who.actor
            )
        if action == "approve":
            return approval.approve_reply(
                session=session, reply_id=reply_id, actor=who.actor, text=text
            )
        if action == "reject":
            return approval.reject_reply(
                session=session, reply_id=reply_id, actor=who.actor, reason=reason
            )
        raise ValueError(f"unknown reply action {action!r}; use edit, approve or reject")

    return _in_transaction(engine, work)


def case_action(engine: Engine, who: Principal, *, case_id: int, action: str, **args: Any) -> Case:
    """Assign, escalate, resolve, reopen or note on a case the user can see."""

    def work(session: Session) -> Case:
        case = _visible_case(session, case_id, who)
        actor = who.actor
        if action == "assign":
            assignee = args.get("assignee_id")
            own = assignee == who.user.id or (assignee is None and case.assignee_id == who.user.id)
            if not own and not who.at_least(Role.MANAGER):
                raise Forbidden("agents may take a case or give theirs back; ask a manager")
            return casework.assign_case(
                session=session, case_id=case_id, assignee_id=assignee, actor=actor
            )
        if action == "escalate":
            return casework.escalate_case(
                session=session, case_id=case_id, actor=actor, reason=str(args.get("reason", ""))
            )
        if action == "resolve":
            return casework.resolve_case(session=session, case_id=case_id, actor=actor)
        if action == "reopen":
            return casework.reopen_case(session=session, case_id=case_id, actor=actor)
        if action == "note":
            casework.add_note(
                session=session,
                customer_id=case.customer_id,
                case_id=case_id,
                text=str(args.get("text", "")),
                actor=actor,
            )
            return case
        raise ValueError(f"unknown case action {action!r}")

    return _in_transaction(engine, work)


def correct(
    engine: Engine,
    who: Principal,
    *,
    mention_id: int,
    sentiment: Sentiment | None = None,
    intent: Intent | None = None,
    risk: list[Risk] | None = None,
) -> Mention:
    """Store a person's label on a mention of a case the user can see."""

    def work(session: Session) -> Mention:
        mention = session.get(Mention, mention_id)
        if mention is None or mention.case_id is None:
            raise LookupError(f"there is no mention {mention_id} on a case")
        _visible_case(session, mention.case_id, who)
        return casework.correct_judgement(
            session=session,
            mention_id=mention_id,
            actor=who.actor,
            sentiment=sentiment,
            intent=intent,
            risk=risk,
        )

    return _in_transaction(engine, work)
