"""A reply's way from draft to approved: edits that keep their history, approval, rejection.

Sending is not here (``responders.sending`` takes approved replies); this module
only moves a reply through draft → approved, or rejected, each move an audit event
naming who and when. An edit keeps the text it replaces as a ``ReplyRevision``, and
editing an approved reply sends it back to draft, so nothing goes out that nobody
approved in its final wording. Data functions: the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from config.labels import Platform
from crm.cases import add_audit_event, change_status
from crm.enums import ReplyStatus, Role
from crm.models import Mention, Reply, ReplyRevision
from crm.types import utcnow
from responders.drafting import PLATFORM_LIMITS, lint_draft, measure
from responders.errors import EmptyReply, ReplyNotEditable, ReplyTooLong

__all__ = ["MAX_REPLY_CHARS", "Actor", "approve_reply", "edit_reply", "reject_reply"]

# No platform takes more than Reddit's 10,000; this bounds hostile pastes too.
MAX_REPLY_CHARS = 10_000
_EDITABLE = (ReplyStatus.DRAFT, ReplyStatus.APPROVED, ReplyStatus.FAILED, ReplyStatus.REJECTED)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a console user (with id and role) or the system."""

    name: str
    user_id: int | None = None
    role: Role = Role.AGENT

    @classmethod
    def system(cls) -> Actor:
        """The service itself, for scheduled and automatic changes."""
        return cls(name="system", user_id=None, role=Role.ADMIN)


def edit_reply(*, session: Session, reply_id: int, text: str, actor: Actor) -> Reply:
    """Replace a reply's text, keep the old one, re-lint; an approved reply goes back to draft."""
    reply = _reply(session, reply_id)
    if reply.status not in _EDITABLE:
        raise ReplyNotEditable(reply_id, ReplyStatus(reply.status))
    cleaned = _checked_text(session, reply, text)
    if cleaned == reply.text:
        return reply
    session.add(ReplyRevision(reply_id=reply_id, text=reply.text, edited_by=actor.name))
    if reply.status in (ReplyStatus.APPROVED, ReplyStatus.REJECTED, ReplyStatus.FAILED):
        change_status(session=session, record=reply, new=ReplyStatus.DRAFT, actor=actor.name)
        reply.approved_by_id = None
        reply.approved_at = None
    reply.text = cleaned
    reply.warnings = list(lint_draft(cleaned))
    reply.updated_at = utcnow()
    if actor.user_id is not None and reply.created_by_id is None:
        reply.created_by_id = actor.user_id
    session.add(reply)
    add_audit_event(
        session=session, action="reply.edited", entity=reply, actor=actor.name, chars=len(cleaned)
    )
    return reply


def approve_reply(
    *, session: Session, reply_id: int, actor: Actor, text: str | None = None
) -> Reply:
    """Approve a draft (after an optional last edit) so the sender may post it."""
    reply = _reply(session, reply_id)
    if text is not None:
        reply = edit_reply(session=session, reply_id=reply_id, text=text, actor=actor)
    if reply.status == ReplyStatus.FAILED:
        change_status(session=session, record=reply, new=ReplyStatus.APPROVED, actor=actor.name)
    else:
        _checked_text(session, reply, reply.text)
        change_status(session=session, record=reply, new=ReplyStatus.APPROVED, actor=actor.name)
    reply.approved_by_id = actor.user_id
    reply.approved_at = utcnow()
    session.add(reply)
    return reply


def reject_reply(*, session: Session, reply_id: int, actor: Actor, reason: str = "") -> Reply:
    """Reject a reply: it will never be sent unless someone edits it back into a draft."""
    reply = _reply(session, reply_id)
    change_status(session=session, record=reply, new=ReplyStatus.REJECTED, actor=actor.name)
    reply.error = reason.strip()[:500] or None
    session.add(reply)
    add_audit_event(
        session=session, action="reply.rejected", entity=reply, actor=actor.name, reason=reason
    )
    return reply


def _reply(session: Session, reply_id: int) -> Reply:
    reply = session.get(Reply, reply_id)
    if reply is None:
        raise LookupError(f"there is no reply {reply_id}")
    return reply


def _checked_text(session: Session, reply: Reply, text: str) -> str:
    """The text as it will be posted: stripped, non-empty, within the platform's limit."""
    cleaned = "".join(ch for ch in text.replace("\r\n", "\n") if ch == "\n" or ch >= " ").strip()
    if not cleaned:
        raise EmptyReply
    platform = Platform(session.get_one(Mention, reply.mention_id).platform)
    limit = min(PLATFORM_LIMITS[platform], MAX_REPLY_CHARS)
    length = measure(cleaned, platform=platform)
    if length > limit:
        raise ReplyTooLong(length, limit, str(platform))
    return cleaned
