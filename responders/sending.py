"""Sending approved replies exactly once: two phases, reconciliation, hourly budgets.

One pass (:func:`send_approved`) does, in order:

1. **Reconcile** (:func:`reconcile_sending`) replies left in ``sending``: those
   whose worker reported an uncertain outcome (after ``settle``, so the
   platform has had time to show the post), and those whose worker vanished
   (older than ``lease``: a crash, a kill). The sender looks for our reply on
   the platform: found → ``sent``; proven absent → ``approved`` again (or
   ``failed`` after ``MAX_ATTEMPTS``); cannot tell → it stays ``sending``.
   Nothing is ever posted again without that answer.
2. **Send** approved replies, oldest approval first, within each platform's
   hourly budget (``send.<platform>_per_hour``, counted from the database: sent
   in the last hour plus in flight). Each reply is *claimed* by a conditional
   ``UPDATE … SET status='sending' WHERE status='approved'``, committed with
   its audit event before the platform is called, so two workers never post
   the same reply. Then the platform is called, outside any transaction, and
   the outcome is recorded in one commit: ``sent`` with the platform's id, the
   case's first response time and the case moved to ``waiting``; or ``failed``;
   or, when the outcome is uncertain, left ``sending`` with the reason for the
   next pass to reconcile.

Nothing is posted unless ``send.enabled`` is true; the pass then does nothing
and says so.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from config.settings import Settings
from crm.cases import add_audit_event, change_status
from crm.enums import CaseStatus, ReplyStatus, check_transition
from crm.models import Case, Mention, Reply
from crm.types import utcnow
from responders.errors import SenderError, SendFailed, SendUncertain, WriteBudgetExhausted
from responders.senders.base import ReplyTarget, Sender, SentReply
from responders.senders.registry import SENDERS, SenderChoice, choose_senders

__all__ = [
    "LEASE",
    "MAX_ATTEMPTS",
    "OFF_NOTE",
    "SETTLE",
    "PlatformReport",
    "SendJob",
    "SendReport",
    "reconcile_sending",
    "send_approved",
]

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)  # far beyond any client timeout: a row this old has no worker
SETTLE = timedelta(seconds=60)  # time for a post to show up in the account's own timeline
MAX_ATTEMPTS = 5
CLOCK_MARGIN = timedelta(minutes=2)  # the platform's clock is not ours
OFF_NOTE = "sending is off; set send.enabled = true (SOCIALCRM_SEND__ENABLED=true) to post replies"
UNCERTAIN = "uncertain: "


@dataclass(slots=True)
class PlatformReport:
    """What one pass did on one platform, and why anything still waits."""

    sent: int = 0
    failed: int = 0
    uncertain: int = 0
    reconciled: int = 0
    retried: int = 0
    waiting: int = 0
    why_waiting: list[str] = field(default_factory=list)

    def wait(self, count: int, why: str) -> None:
        """Count ``count`` replies left for a later pass, with the reason once."""
        self.waiting += count
        if count and why not in self.why_waiting:
            self.why_waiting.append(why)


@dataclass(slots=True)
class SendReport:
    """One pass: per-platform counts, or the note saying why nothing was done."""

    enabled: bool = True
    note: str | None = None
    platforms: dict[str, PlatformReport] = field(default_factory=dict)

    def platform(self, name: str) -> PlatformReport:
        """The report of ``name``, created on first use."""
        return self.platforms.setdefault(name, PlatformReport())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "enabled": self.enabled,
            "note": self.note,
            "platforms": {name: asdict(counts) for name, counts in self.platforms.items()},
        }


def send_approved(
    *,
    engine: Engine,
    settings: Settings,
    senders: Mapping[str, Sender] | None = None,
    off: Mapping[str, str] | None = None,
    now: datetime | None = None,
    limit: int = 50,
    lease: timedelta = LEASE,
    settle: timedelta = SETTLE,
) -> SendReport:
    """One pass: reconcile what is stuck in ``sending``, then post approved replies once each.

    ``senders`` maps platforms to senders (built from the settings when None,
    for the platforms with work); ``off`` says why others cannot post.
    """
    now = now or utcnow()
    if not settings.send.enabled:
        logger.debug("reply sending is off", extra={"setting": "send.enabled"})
        return SendReport(enabled=False, note=OFF_NOTE)
    with Session(engine) as session:
        pending = _platforms_with_work(session)
    if senders is None:
        choice = choose_senders(settings, pending)
        senders, off = choice.enabled, {**choice.off, **(off or {})}
    off = off or {}
    report = SendReport()
    reconcile_sending(
        engine=engine, senders=senders, now=now, lease=lease, settle=settle, report=report
    )
    budgets = _budgets_left(engine, settings, now=now)
    stopped: dict[str, str] = {}
    with Session(engine) as session:
        queue = list(_approved_queue(session))
    attempted = 0
    for reply_id, platform in queue:
        counts = report.platform(platform)
        sender = senders.get(platform)
        if sender is None:
            why = off.get(platform, f"no sender for {platform}")
            counts.wait(1, f"{platform} cannot post: {why}")
        elif platform in stopped:
            counts.wait(1, stopped[platform])
        elif budgets.get(platform, 0) <= 0:
            per_hour = _per_hour(settings, platform)
            counts.wait(1, f"hourly budget of {per_hour} replies on {platform} reached")
        elif attempted >= limit:
            counts.wait(1, f"this pass sends at most {limit} replies")
        else:
            claimed = _send_one(engine, sender, reply_id, now=now, counts=counts, stopped=stopped)
            budgets[platform] -= int(claimed)
            attempted += int(claimed)
    return report


def reconcile_sending(
    *,
    engine: Engine,
    senders: Mapping[str, Sender],
    now: datetime | None = None,
    lease: timedelta = LEASE,
    settle: timedelta = SETTLE,
    report: SendReport | None = None,
) -> SendReport:
    """Ask the platform about each reply stuck in ``sending``; never post anything."""
    now = now or utcnow()
    report = report if report is not None else SendReport()
    with Session(engine) as session:
        stuck = _stuck(session, now=now, lease=lease, settle=settle)
    for reply_id, platform in stuck:
        counts = report.platform(platform)
        sender = senders.get(platform)
        if sender is None:
            counts.wait(1, f"cannot check {platform} for replies of uncertain outcome")
            continue
        _reconcile_one(engine, sender, reply_id, now=now, counts=counts)
    return report


class SendJob:
    """The scheduled ``replies:send`` pass; senders are built once, on the first run."""

    job_id = "replies:send"

    def __init__(self, *, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._choice: SenderChoice | None = None
        self._said_off = False

    def __call__(self) -> SendReport:
        """One pass; logs what it did, and once that sending is off."""
        if not self.settings.send.enabled:
            if not self._said_off:
                logger.info(OFF_NOTE, extra={"job": self.job_id})
                self._said_off = True
            return SendReport(enabled=False, note=OFF_NOTE)
        if self._choice is None:
            self._choice = choose_senders(self.settings, SENDERS)
        report = send_approved(
            engine=self.engine,
            settings=self.settings,
            senders=self._choice.enabled,
            off=self._choice.off,
        )
        for name, counts in report.platforms.items():
            if counts.sent or counts.failed or counts.uncertain or counts.reconciled:
                logger.info("replies on %s: %s", name, asdict(counts), extra={"platform": name})
        return report


# --- one reply ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Claim:
    """What the platform call needs, read in the claiming transaction."""

    reply_id: int
    target: ReplyTarget
    text: str
    key: str
    started: datetime


def _send_one(
    engine: Engine,
    sender: Sender,
    reply_id: int,
    *,
    now: datetime,
    counts: PlatformReport,
    stopped: dict[str, str],
) -> bool:
    """Claim, post and record one reply; False when another worker had it first."""
    claim = _claim(engine, reply_id, now=now)
    if claim is None:
        return False
    extra = {"reply_id": reply_id, "platform": sender.name}
    try:
        sent = sender.post_reply(
            in_reply_to=claim.target, text=claim.text, idempotency_key=claim.key
        )
    except SendUncertain as exc:
        _settle(engine, claim, uncertain=str(exc))
        counts.uncertain += 1
        logger.warning("reply %s may or may not be posted: %s", reply_id, exc, extra=extra)
    except WriteBudgetExhausted as exc:
        _settle(engine, claim, back_to_approved=f"{sender.name} write limit: {exc}")
        stopped[sender.name] = f"{sender.name} asked us to wait: {exc}"
        counts.wait(1, stopped[sender.name])
        logger.warning("reply %s waits: %s", reply_id, exc, extra=extra)
    except SendFailed as exc:
        if exc.retryable:
            _settle(engine, claim, back_to_approved=exc.reason)
            stopped[sender.name] = f"{sender.name} cannot post right now: {exc.reason}"
            counts.wait(1, stopped[sender.name])
        else:
            _settle(engine, claim, failed=exc.reason)
            counts.failed += 1
        logger.error("reply %s not posted: %s", reply_id, exc.reason, extra=extra)
    except Exception as exc:  # an SDK surprise: we cannot know whether it posted
        _settle(engine, claim, uncertain=f"{type(exc).__name__}: {exc}"[:500])
        counts.uncertain += 1
        logger.exception("reply %s: unexpected error while posting", reply_id, extra=extra)
    else:
        if _record_sent(engine, claim.reply_id, sent, at=now, started=claim.started):
            counts.sent += 1
            logger.info("reply %s posted as %s", reply_id, sent.platform_id, extra=extra)
    return True


def _claim(engine: Engine, reply_id: int, *, now: datetime) -> _Claim | None:
    """Move the reply approved → sending if it still is approved, and commit that first."""
    check_transition(ReplyStatus.APPROVED, ReplyStatus.SENDING)
    with Session(engine, expire_on_commit=False) as session:
        result = session.execute(
            sa.update(Reply)
            .where(col(Reply.id) == reply_id, col(Reply.status) == ReplyStatus.APPROVED)
            .values(
                status=ReplyStatus.SENDING,
                sending_started_at=now,
                attempts=col(Reply.attempts) + 1,
                error=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            session.rollback()
            return None
        reply = session.get_one(Reply, reply_id)
        mention = session.get_one(Mention, reply.mention_id)
        add_audit_event(
            session=session,
            action="status",
            entity=reply,
            old=ReplyStatus.APPROVED,
            new=ReplyStatus.SENDING,
            attempt=reply.attempts,
        )
        claim = _Claim(
            reply_id, ReplyTarget.from_mention(mention), reply.text, reply.idempotency_key, now
        )
        session.commit()
    return claim


def _locked_reply(session: Session, reply_id: int, started: datetime | None) -> Reply | None:
    """The reply, if it is still in ``sending`` for the same attempt, locked for this transaction.

    The lock is a no-op UPDATE as the transaction's first statement: PostgreSQL
    locks the row, and SQLite takes its write lock before reading anything, so
    a concurrent commit can never make this transaction's later write fail.
    """
    same_attempt = (
        col(Reply.sending_started_at).is_(None)
        if started is None
        else col(Reply.sending_started_at) == started
    )
    result = session.execute(
        sa.update(Reply)
        .where(col(Reply.id) == reply_id, col(Reply.status) == ReplyStatus.SENDING, same_attempt)
        .values(updated_at=col(Reply.updated_at))
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    return session.get_one(Reply, reply_id)


def _record_sent(
    engine: Engine, reply_id: int, sent: SentReply, *, at: datetime, started: datetime | None
) -> bool:
    """Sent, with the platform's id; the case's first response and waiting; one commit."""
    with Session(engine) as session:
        reply = _locked_reply(session, reply_id, started)
        if reply is None:
            logger.warning("reply %s was settled by someone else meanwhile", reply_id)
            return False
        change_status(session=session, record=reply, new=ReplyStatus.SENT)
        reply.platform_reply_id = sent.platform_id[:300]
        reply.sent_at = at
        reply.error = None
        session.add(reply)
        add_audit_event(
            session=session, action="reply.sent", entity=reply, platform_id=sent.platform_id
        )
        case = session.exec(select(Case).where(Case.id == reply.case_id).with_for_update()).one()
        if case.first_response_at is None:
            case.first_response_at = at
        if case.status == CaseStatus.NEW:
            change_status(session=session, record=case, new=CaseStatus.OPEN)
        if case.status in (CaseStatus.OPEN, CaseStatus.ESCALATED):
            change_status(session=session, record=case, new=CaseStatus.WAITING)
        session.add(case)
        session.commit()
    return True


def _settle(
    engine: Engine,
    claim: _Claim,
    *,
    uncertain: str | None = None,
    failed: str | None = None,
    back_to_approved: str | None = None,
) -> None:
    """Record a post that did not clearly succeed: uncertain, failed, or not posted (retry)."""
    with Session(engine) as session:
        reply = _locked_reply(session, claim.reply_id, claim.started)
        if reply is None:
            return
        if uncertain is not None:
            reply.error = (UNCERTAIN + uncertain)[:2000]
            session.add(reply)
            add_audit_event(session=session, action="reply.uncertain", entity=reply, why=uncertain)
        elif failed is not None:
            change_status(session=session, record=reply, new=ReplyStatus.FAILED)
            reply.error = failed[:2000]
        else:
            change_status(session=session, record=reply, new=ReplyStatus.APPROVED)
            reply.error = (back_to_approved or "")[:2000] or None
        session.commit()


def _reconcile_one(
    engine: Engine, sender: Sender, reply_id: int, *, now: datetime, counts: PlatformReport
) -> None:
    with Session(engine) as session:
        reply = session.get_one(Reply, reply_id)
        mention = session.get_one(Mention, reply.mention_id)
        started = reply.sending_started_at
        claim = _Claim(
            reply_id,
            ReplyTarget.from_mention(mention),
            reply.text,
            reply.idempotency_key,
            started or now,
        )
        attempts = reply.attempts
    extra = {"reply_id": reply_id, "platform": sender.name}
    try:
        found = sender.find_own_reply(
            in_reply_to=claim.target,
            text=claim.text,
            idempotency_key=claim.key,
            since=(started or now - LEASE) - CLOCK_MARGIN,
        )
    except SenderError as exc:
        counts.wait(1, f"cannot check {sender.name} yet: {exc}"[:300])
        logger.warning("reply %s: cannot reconcile yet: %s", reply_id, exc, extra=extra)
        return
    if found is not None:
        if _record_sent(engine, reply_id, found, at=started or now, started=started):
            counts.reconciled += 1
            logger.info("reply %s found on the platform as %s", reply_id, found.platform_id)
        return
    if attempts >= MAX_ATTEMPTS:
        _settle(engine, claim, failed=f"not posted after {attempts} attempts; approve it again")
        counts.failed += 1
        return
    why = f"{sender.name} has no such reply after an unfinished attempt; it will be sent again"
    _settle(engine, claim, back_to_approved=why)
    counts.retried += 1
    logger.info("reply %s is not on %s; back to approved", reply_id, sender.name, extra=extra)


# --- queries -----------------------------------------------------------------------------


def _platforms_with_work(session: Session) -> list[str]:
    rows = session.exec(
        select(Mention.platform)
        .join(Reply, col(Reply.mention_id) == Mention.id)
        .where(col(Reply.status).in_((ReplyStatus.APPROVED, ReplyStatus.SENDING)))
        .distinct()
    ).all()
    return sorted(str(platform) for platform in rows)


def _approved_queue(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(
        select(Reply.id, Mention.platform)
        .join(Mention, col(Mention.id) == Reply.mention_id)
        .where(Reply.status == ReplyStatus.APPROVED)
        .order_by(col(Reply.approved_at).asc().nulls_last(), col(Reply.id))
    ).all()
    return [(int(reply_id), str(platform)) for reply_id, platform in rows if reply_id is not None]


def _stuck(
    session: Session, *, now: datetime, lease: timedelta, settle: timedelta
) -> list[tuple[int, str]]:
    """Replies in ``sending`` that no worker is still busy with."""
    started = col(Reply.sending_started_at)
    reported = col(Reply.error).is_not(None) & (started <= now - settle)
    abandoned = started.is_(None) | (started <= now - lease)
    rows = session.exec(
        select(Reply.id, Mention.platform)
        .join(Mention, col(Mention.id) == Reply.mention_id)
        .where(Reply.status == ReplyStatus.SENDING, reported | abandoned)
        .order_by(col(Reply.id))
    ).all()
    return [(int(reply_id), str(platform)) for reply_id, platform in rows if reply_id is not None]


def _budgets_left(engine: Engine, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Per platform: the hourly budget minus replies sent in the last hour and in flight."""
    with Session(engine) as session:
        rows = session.exec(
            select(Mention.platform, func.count())
            .select_from(Reply)
            .join(Mention, col(Mention.id) == Reply.mention_id)
            .where(
                (col(Reply.status) == ReplyStatus.SENDING)
                | ((col(Reply.status) == ReplyStatus.SENT) & (col(Reply.sent_at) > now - _HOUR))
            )
            .group_by(Mention.platform)
        ).all()
    used = Counter({str(platform): int(count) for platform, count in rows})
    platforms = ("x", "reddit", "mastodon", "bluesky")
    return {name: _per_hour(settings, name) - used[name] for name in platforms}


_HOUR = timedelta(hours=1)


def _per_hour(settings: Settings, platform: str) -> int:
    value = getattr(settings.send, f"{platform}_per_hour", 0)
    return int(value)
