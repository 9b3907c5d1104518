"""First-response targets (SLAs): when a case is due, and re-escalating cases about to miss it.

Targets come from ``settings.sla`` by priority (urgent — the escalated ones —
30 min, high 2 h, normal 24 h, low 72 h by default), counted from when the
customer posted. With ``business_hours`` ("09:00-17:00"; "22:00-06:00" runs
overnight) the clock only runs inside those hours on ``business_days``
(0 is Monday) in ``timezone``, so a complaint on Friday evening is due on
Monday morning; without it the clock always runs.

:func:`check_slas` is the scheduled check: a case without a first response
whose due time is within ``warn_before_minutes`` (or past) is escalated one
level up, once for each due time, and its priority rises one step (low to
normal to high to urgent) so it climbs the queue; never when it is resolved or
ignored, and not when it has been overdue for more than :data:`STALE_AFTER`
(old history).

Routing computes due times through :func:`first_response_due` with the
targets of :func:`current_sla`, which the shell sets for a routing pass with
:func:`use_sla` (default: the built-in targets), because the routing entry
point receives only the routing settings.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from config.settings import Settings, SlaSettings
from crm.cases import UNCONFIGURED_CHANNEL, add_audit_event, change_status, ensure_escalation
from crm.db import session_scope
from crm.enums import CaseStatus, Priority
from crm.models import Case, Escalation, Mention
from crm.types import utcnow
from responders.errors import SlaConfigError
from responders.escalation import configured_channels

__all__ = [
    "SLA_RULE",
    "STALE_AFTER",
    "SlaEscalation",
    "check_slas",
    "current_sla",
    "first_response_due",
    "run_sla_check",
    "target",
    "use_sla",
]

logger = logging.getLogger(__name__)

SLA_RULE = "sla"
# A case overdue for longer than this is history (an import, a check that was off for days):
# it stays overdue in the queue, but waking people for it now helps nobody.
STALE_AFTER = timedelta(days=1)
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# No business window found within this many days means the settings allow none.
_SEARCH_DAYS = 400

_current: ContextVar[SlaSettings | None] = ContextVar("socialcrm_sla", default=None)


@dataclass(frozen=True, slots=True)
class SlaEscalation:
    """One case the SLA check escalated."""

    case_id: int
    reference: str
    level: int
    priority: str
    due_at: datetime
    reason: str


def target(sla: SlaSettings, priority: Priority | str) -> timedelta:
    """The first-response target for ``priority``."""
    minutes = {
        Priority.URGENT: sla.urgent_minutes,
        Priority.HIGH: sla.high_minutes,
        Priority.NORMAL: sla.normal_minutes,
        Priority.LOW: sla.low_minutes,
    }[Priority(priority)]
    return timedelta(minutes=minutes)


def first_response_due(start: datetime, priority: Priority | str, sla: SlaSettings) -> datetime:
    """When a case that started at ``start`` (UTC-aware) needs its first response."""
    if start.tzinfo is None:
        raise ValueError("start must be UTC-aware")
    needed = target(sla, priority)
    if sla.business_hours is None:
        return start + needed
    zone = _zone(sla.timezone)
    opens, closes = _window(sla.business_hours)
    days = _business_days(sla.business_days)
    for begin, end in _intervals(start, zone=zone, opens=opens, closes=closes, days=days):
        begin = max(begin, start)
        if end <= begin:
            continue
        if end - begin >= needed:
            return begin + needed
        needed -= end - begin
    raise SlaConfigError(f"sla.business_days {sorted(days)} leave no business hours to count")


@contextmanager
def use_sla(sla: SlaSettings) -> Iterator[None]:
    """Route with these targets inside the block."""
    token = _current.set(sla)
    try:
        yield
    finally:
        _current.reset(token)


def current_sla() -> SlaSettings:
    """The targets set by :func:`use_sla`, else the defaults."""
    return _current.get() or SlaSettings()


def check_slas(*, session: Session, settings: Settings, now: datetime) -> list[SlaEscalation]:
    """Escalate one level up every unanswered case whose first response is due soon or late."""
    horizon = now + timedelta(minutes=settings.sla.warn_before_minutes)
    cases = session.exec(
        select(Case)
        .where(
            col(Case.status).not_in((CaseStatus.RESOLVED, CaseStatus.IGNORED)),
            col(Case.first_response_at).is_(None),
            col(Case.sla_due_at).is_not(None),
            col(Case.sla_due_at) <= horizon,
            col(Case.sla_due_at) > now - STALE_AFTER,
        )
        .order_by(col(Case.sla_due_at), col(Case.id))
    ).all()
    channels = configured_channels(settings)
    done = []
    for case in cases:
        escalated = _escalate(session=session, case=case, now=now, channels=channels)
        if escalated is not None:
            done.append(escalated)
    return done


def run_sla_check(
    *, engine: Engine, settings: Settings, now: datetime | None = None
) -> list[SlaEscalation]:
    """The scheduled ``sla:check`` job: :func:`check_slas` in one committed transaction."""
    with session_scope(engine) as session:
        return check_slas(session=session, settings=settings, now=now or utcnow())


def _escalate(
    *, session: Session, case: Case, now: datetime, channels: Sequence[tuple[str, str]]
) -> SlaEscalation | None:
    due = case.sla_due_at
    if due is None:
        return None
    due_text = f"first response due at {due:%Y-%m-%d %H:%M} UTC"
    reason = f"{due_text} (priority {case.priority})"
    # Once per due time: the reason names it, so a second check finds its own escalation
    # (its priority has risen since, so only the due time is compared).
    already = session.exec(
        select(Escalation.id).where(
            Escalation.case_id == case.id,
            Escalation.rule == SLA_RULE,
            col(Escalation.reason).startswith(due_text, autoescape=True),
        )
    ).first()
    latest = session.exec(
        select(Mention).where(Mention.case_id == case.id).order_by(col(Mention.posted_at).desc())
    ).first()
    if already is not None or latest is None:
        return None
    level = case.escalation_level + 1
    if case.status != CaseStatus.ESCALATED:
        change_status(session=session, record=case, new=CaseStatus.ESCALATED)
    created = ensure_escalation(
        session=session,
        case=case,
        mention=latest,
        rule=SLA_RULE,
        reason=reason,
        level=level,
        channels=channels or ((UNCONFIGURED_CHANNEL, ""),),
    )
    if created is None:
        return None
    was = Priority(case.priority)
    case.priority = was.raised()  # waiting raises priority; the due time never moves later
    case.updated_at = now
    add_audit_event(
        session=session,
        action="sla.escalated",
        entity=case,
        level=level,
        reason=reason,
        priority_was=was,
        priority=case.priority,
    )
    logger.info(
        "case %s re-escalated to level %d: %s",
        case.reference,
        level,
        reason,
        extra={"case_id": case.id, "level": level, "due_at": due.isoformat()},
    )
    return SlaEscalation(case.id or 0, case.reference, level, str(case.priority), due, reason)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SlaConfigError(
            f"sla.timezone {name!r} is not a known time zone; use an IANA name such as "
            "'Europe/Istanbul' (SOCIALCRM_SLA__TIMEZONE)"
        ) from None


def _window(text: str) -> tuple[time, time | None]:
    """(opens, closes); closes None means midnight at the end of the day ("…-24:00")."""
    match = _HOURS.match(text)
    problem = (
        f'sla.business_hours {text!r} must look like "09:00-17:00" (SOCIALCRM_SLA__BUSINESS_HOURS)'
    )
    if match is None:
        raise SlaConfigError(problem)
    oh, om, ch, cm = (int(part) for part in match.groups())
    if oh > 23 or om > 59 or cm > 59 or ch > 24 or (ch == 24 and cm):
        raise SlaConfigError(problem)
    opens, closes = time(oh, om), (None if ch == 24 else time(ch, cm))
    if closes == opens:
        raise SlaConfigError(f"sla.business_hours {text!r} opens and closes at the same time")
    return opens, closes


def _business_days(days: Sequence[int]) -> frozenset[int]:
    chosen = frozenset(days)
    if not chosen or not chosen <= frozenset(range(7)):
        raise SlaConfigError(
            f"sla.business_days {list(days)} must name at least one day, 0 (Monday) to 6 (Sunday)"
        )
    return chosen


def _intervals(
    start: datetime, *, zone: ZoneInfo, opens: time, closes: time | None, days: frozenset[int]
) -> Iterator[tuple[datetime, datetime]]:
    """Business intervals in UTC, in order, from the local day before ``start`` on."""
    first = start.astimezone(zone).date() - timedelta(days=1)
    overnight = closes is not None and closes <= opens
    for offset in range(_SEARCH_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        begin = _at(day, opens, zone)
        if closes is None:
            end = _at(day + timedelta(days=1), time(0), zone)
        else:
            end = _at(day + timedelta(days=1) if overnight else day, closes, zone)
        yield begin, end


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A local wall-clock time as UTC (a time skipped by DST lands just after the jump)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
