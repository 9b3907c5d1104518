"""Delivering escalations to people: channel fan-out, atomic claims, retries, the record of tries.

Routing (and a person, and the SLA check) records an escalation level with
``crm.cases.ensure_escalation``. :func:`deliver_due` then, in one pass:

1. **claims** due rows (pending, ``next_attempt_at`` unset or past) with one
   conditional ``UPDATE … RETURNING`` that moves ``next_attempt_at`` to a lease
   — on PostgreSQL its row choice is ``FOR UPDATE SKIP LOCKED``, on SQLite the
   database's single writer makes the statement atomic — so two workers never
   hold the same row, and a worker that dies mid-delivery frees it when the
   lease runs out;
2. **fans out** an ``unconfigured`` row to the configured channels (one row per
   channel: ``webhook``, ``email``), or marks it failed naming the settings to
   set when there is none, so it is visible instead of silently pending;
3. **delivers** outside any transaction (up to :data:`DELIVERY_WORKERS` at
   once), then records an ``EscalationAttempt``
   for the try and marks the row delivered, schedules a retry with
   exponential backoff and jitter, or, after ``escalation.max_attempts`` (or a
   refusal that retrying cannot fix, such as HTTP 404), marks it failed.

Exactly once is what the rows promise: one row per (case, level, channel),
held by one worker at a time, never claimed again once delivered. The one
unavoidable at-least-once window is a crash after the receiver accepted the
message but before the commit that records it: the row is delivered again when
its lease expires. Every message therefore carries the idempotency key
``escalation-<id>`` (payload field, ``Idempotency-Key`` header, and the last
line of the e-mail) so a receiver can drop the repeat.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.settings import Settings
from crm.cases import UNCONFIGURED_CHANNEL, change_status
from crm.db import session_scope
from crm.enums import EscalationStatus
from crm.models import Escalation, EscalationAttempt
from crm.types import utcnow
from responders.channels import Delivery, post_webhook, safe_url, send_email, webhook_client
from responders.escalation_message import escalation_facts, render_email, slack_payload

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "NO_CHANNEL",
    "DeliveryReport",
    "backoff",
    "configured_channels",
    "deliver_due",
]

logger = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(minutes=15)
CLAIM_BATCH = 20
# Tries in flight at once in a pass: receivers and mail servers answer in parallel.
DELIVERY_WORKERS = 4
NO_CHANNEL = (
    "no escalation channel is configured: set escalation.webhook_url "
    "(SOCIALCRM_ESCALATION__WEBHOOK_URL) and/or escalation.email_to with smtp.host "
    "(SOCIALCRM_ESCALATION__EMAIL_TO, SOCIALCRM_SMTP__HOST), then run "
    "`socialcrm escalations retry ID`"
)
# Answers that a later try cannot change: the receiver refuses the request itself.
_RETRYABLE_HTTP = frozenset({408, 409, 425, 429})


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The counts and errors as plain JSON-able values."""
        return {
            "claimed": self.claimed,
            "delivered": self.delivered,
            "retrying": self.retrying,
            "failed": self.failed,
            "deferred": self.deferred,
            "errors": list(self.errors),
        }


def configured_channels(settings: Settings) -> list[tuple[str, str]]:
    """(channel, target) for each channel the settings turn on; targets hold no secrets."""
    channels = []
    if settings.escalation.webhook_url:
        channels.append(("webhook", safe_url(settings.escalation.webhook_url)))
    if settings.escalation.email_to:
        channels.append(("email", ", ".join(settings.escalation.email_to)))
    return channels


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """The wait after ``attempts`` failed tries: 5 s doubling up to 15 min, jittered 50-100%."""
    step = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, min(attempts - 1, 20)))
    return step * (rng or random).uniform(0.5, 1.0)


def deliver_due(
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    limit: int = 100,
    client: httpx.Client | None = None,
    rng: random.Random | None = None,
) -> DeliveryReport:
    """Claim and deliver up to ``limit`` due escalations; safe to run in many workers at once.

    A channel whose receiver cannot be reached at all (refused, timed out) is not
    tried again in the same pass: its other rows are put back a few seconds, so
    a dead receiver costs one timeout per pass, not one per escalation.
    """
    with contextlib.ExitStack() as stack:
        run = _Pass(
            engine=engine,
            settings=settings,
            clock=(lambda: now) if now is not None else utcnow,
            client=client,
            rng=rng,
            stack=stack,
        )
        return _deliver_pass(run, limit=limit)


def _deliver_pass(run: _Pass, *, limit: int) -> DeliveryReport:
    engine, lease = run.engine, _lease(run.settings)
    while run.report.claimed < limit:
        until = run.clock() + lease
        batch = min(CLAIM_BATCH, limit - run.report.claimed)
        claimed = _claim(engine, now=run.clock(), until=until, limit=batch)
        if not claimed:
            break
        run.report.claimed += len(claimed)
        if run.client is None and run.settings.escalation.webhook_url:
            run.http()  # built once, before the workers share it
        with ThreadPoolExecutor(max_workers=min(DELIVERY_WORKERS, len(claimed))) as pool:
            for _ in pool.map(functools.partial(_deliver_one, run, lease_until=until), claimed):
                pass
    if run.without_channel:
        logger.warning(
            "%d escalations failed: %s",
            run.without_channel,
            NO_CHANNEL,
            extra={"failed_without_channel": run.without_channel},
        )
    if run.report.claimed:
        counts = {k: v for k, v in run.report.as_dict().items() if k != "errors"}
        logger.info("escalation delivery pass done", extra=counts)
    return run.report


@dataclass
class _Pass:
    """One delivery pass: its clock, its HTTP client and what it learnt so far."""

    engine: Engine
    settings: Settings
    clock: Callable[[], datetime]
    client: httpx.Client | None
    rng: random.Random | None
    stack: contextlib.ExitStack
    report: DeliveryReport = field(default_factory=DeliveryReport)
    unreachable: set[str] = field(default_factory=set)
    without_channel: int = 0  # logged once per pass, not once per escalation
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, outcome: str, error: str | None = None) -> None:
        """Add one ``outcome`` (delivered, retrying, failed, deferred) to the report."""
        with self.lock:
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
            if error is not None:
                self.report.errors.append(error)

    def http(self) -> httpx.Client:
        """The pass's HTTP client (one connection pool), built on first use."""
        if self.client is None:
            timeout = self.settings.escalation.timeout_seconds
            self.client = self.stack.enter_context(webhook_client(timeout))
        return self.client


def _lease(settings: Settings) -> timedelta:
    """Longer than any one try can take (httpx and smtplib time out per network step)."""
    slowest = max(settings.escalation.timeout_seconds, settings.smtp.timeout_seconds)
    return timedelta(seconds=max(60.0, 6 * slowest))


def _claim(engine: Engine, *, now: datetime, until: datetime, limit: int) -> list[int]:
    """Move up to ``limit`` due rows' next attempt to ``until``; the ids this call won."""
    due = (
        select(Escalation.id)
        .where(
            Escalation.status == EscalationStatus.PENDING,
            sa.or_(
                col(Escalation.next_attempt_at).is_(None), col(Escalation.next_attempt_at) <= now
            ),
        )
        .order_by(col(Escalation.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        sa.update(Escalation)
        .where(col(Escalation.id).in_(due.scalar_subquery()))
        .values(next_attempt_at=until)
        .returning(col(Escalation.id))
    )
    with engine.begin() as connection:
        return sorted(int(row_id or 0) for row_id in connection.execute(statement).scalars())


def _deliver_one(run: _Pass, escalation_id: int, *, lease_until: datetime) -> None:
    with session_scope(run.engine) as session:
        escalation = session.get_one(Escalation, escalation_id)
        if escalation.channel == UNCONFIGURED_CHANNEL and not _fan_out(
            session=session, escalation=escalation, settings=run.settings
        ):
            _give_up(
                session=session, escalation=escalation, error=NO_CHANNEL, now=run.clock(), log=False
            )
            run.count("failed", f"escalation {escalation_id}: {NO_CHANNEL}")
            with run.lock:
                run.without_channel += 1
            return
        channel = escalation.channel
        if channel in run.unreachable:
            escalation.next_attempt_at = run.clock() + BACKOFF_BASE
            session.add(escalation)
            run.count("deferred")
            return
        facts = escalation_facts(session=session, escalation=escalation)
    delivery, permanent = _send(channel, facts=facts, run=run)
    if not delivery.succeeded and delivery.status_code is None and not permanent:
        run.unreachable.add(channel)
    with session_scope(run.engine) as session:
        escalation = session.get_one(Escalation, escalation_id)
        if escalation.next_attempt_at != lease_until:
            # Our lease ran out and another worker took the row: it records its own try.
            logger.warning(
                "escalation %d: lease lost while delivering",
                escalation_id,
                extra={"escalation_id": escalation_id},
            )
        _record(
            session=session, escalation=escalation, delivery=delivery, permanent=permanent, run=run
        )


def _fan_out(*, session: Session, escalation: Escalation, settings: Settings) -> bool:
    """Turn an ``unconfigured`` row into one row per configured channel; False when none is."""
    channels = configured_channels(settings)
    if not channels:
        return False
    existing = set(
        session.exec(
            select(Escalation.channel).where(
                Escalation.case_id == escalation.case_id, Escalation.level == escalation.level
            )
        )
    )
    (channel, target), *others = channels
    escalation.channel, escalation.target = channel, target[:500]
    escalation.last_error = None
    session.add(escalation)
    for other, other_target in others:
        if other not in existing:
            session.add(
                Escalation(
                    case_id=escalation.case_id,
                    mention_id=escalation.mention_id,
                    level=escalation.level,
                    rule=escalation.rule,
                    reason=escalation.reason,
                    channel=other,
                    target=other_target[:500],
                    created_at=escalation.created_at,
                )
            )
    session.flush()
    return True


def _send(channel: str, *, facts: dict[str, Any], run: _Pass) -> tuple[Delivery, bool]:
    """Deliver through ``channel``; (outcome, whether a failure is final)."""
    settings = run.settings
    config = settings.escalation
    if channel == "webhook":
        if not config.webhook_url:
            return _refused("escalation.webhook_url is no longer set; set it, then retry"), True
        payload = slack_payload(facts) if config.webhook_format == "slack" else facts
        secret = config.webhook_secret.get_secret_value() if config.webhook_secret else None
        delivery = post_webhook(
            config.webhook_url,
            payload,
            secret=secret,
            timeout=config.timeout_seconds,
            client=run.http(),
        )
        code = delivery.status_code
        return delivery, code is not None and 400 <= code < 500 and code not in _RETRYABLE_HTTP
    if channel == "email":
        if not config.email_to:
            return _refused("escalation.email_to is no longer set; set it, then retry"), True
        subject, text, html = render_email(facts)
        delivery = send_email(
            settings.smtp, to=config.email_to, subject=subject, text=text, html=html
        )
        code = delivery.status_code
        return delivery, not settings.smtp.host or (code is not None and code >= 500)
    return _refused(f"unknown escalation channel {channel!r}"), True


def _refused(error: str) -> Delivery:
    return Delivery(succeeded=False, status_code=None, duration_ms=0.0, error=error)


def _record(
    *,
    session: Session,
    escalation: Escalation,
    delivery: Delivery,
    permanent: bool,
    run: _Pass,
) -> None:
    """The try, and what follows from it: delivered, a retry later, or failed."""
    now = run.clock()
    session.add(
        EscalationAttempt(
            escalation_id=escalation.id or 0,
            at=now,
            succeeded=delivery.succeeded,
            status_code=delivery.status_code,
            duration_ms=delivery.duration_ms,
            error=delivery.error,
        )
    )
    escalation.attempts += 1
    where = {
        "escalation_id": escalation.id,
        "case_id": escalation.case_id,
        "channel": escalation.channel,
    }
    if delivery.succeeded:
        change_status(session=session, record=escalation, new=EscalationStatus.DELIVERED)
        escalation.delivered_at, escalation.next_attempt_at = now, None
        escalation.last_error = delivery.error  # e.g. some e-mail recipients refused
        run.count("delivered")
        logger.info(
            "escalation %d delivered by %s",
            escalation.id,
            escalation.channel,
            extra={**where, "duration_ms": delivery.duration_ms},
        )
        return
    error = delivery.error or "delivery failed"
    error_line = f"escalation {escalation.id} ({escalation.channel}): {error}"
    if permanent or escalation.attempts >= run.settings.escalation.max_attempts:
        _give_up(session=session, escalation=escalation, error=error, now=now)
        run.count("failed", error_line)
        return
    escalation.last_error = error
    escalation.next_attempt_at = now + backoff(escalation.attempts, rng=run.rng)
    session.add(escalation)
    run.count("retrying", error_line)
    logger.warning(
        "escalation %d try %d failed, next try at %s: %s",
        escalation.id,
        escalation.attempts,
        escalation.next_attempt_at.isoformat(),
        error,
        extra=where,
    )


def _give_up(
    *, session: Session, escalation: Escalation, error: str, now: datetime, log: bool = True
) -> None:
    """Failed, for people to see: the CLI, the console, ``retry`` to re-arm."""
    change_status(session=session, record=escalation, new=EscalationStatus.FAILED)
    escalation.last_error, escalation.next_attempt_at = error, None
    session.add(escalation)
    if not log:
        return
    logger.error(
        "escalation %d failed after %d tries: %s",
        escalation.id,
        escalation.attempts,
        error,
        extra={
            "escalation_id": escalation.id,
            "case_id": escalation.case_id,
            "at": now.isoformat(),
        },
    )
