"""Service: cases opened, resolved and escalated; first-response times; SLAs met.

Cases parked in the ignored queue (spam) are not service work and are left
out. First-response time is ``first_response_at − opened_at`` for cases
opened in the week that were answered; median and p90 are linear
interpolations between the neighbouring ranks (as ``numpy.percentile``), read
from the database with ORDER BY … OFFSET, never by loading the cases. A case
opened in the week met its SLA when its first response came by ``sla_due_at``;
it missed it when the response came later, or when none had come and the due
time had passed by the end of the week; cases still within their target are
not counted either way.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from crm.enums import Priority, Queue
from crm.models import Case, Escalation, User
from reports import sql
from reports.model import Figure, ServiceSection, SlaRow
from reports.weeks import ReportWeek

__all__ = ["compute_service", "percentile"]

UNASSIGNED = "unassigned"


def _worked() -> Any:
    return col(Case.queue) != Queue.IGNORED.value


def _count(session: Session, column: Any, week: ReportWeek) -> int:
    return session.exec(
        select(func.count())
        .select_from(Case)
        .where(_worked(), column >= week.start, column < week.end)
    ).one()


def _escalated(session: Session, week: ReportWeek) -> int:
    created = col(Escalation.created_at)
    return session.exec(
        select(func.count(sa.distinct(col(Escalation.case_id))))
        .join(Case, col(Case.id) == col(Escalation.case_id))
        .where(_worked(), created >= week.start, created < week.end)
    ).one()


def _responded(week: ReportWeek) -> tuple[Any, ...]:
    opened = col(Case.opened_at)
    return (
        _worked(),
        opened >= week.start,
        opened < week.end,
        col(Case.first_response_at).is_not(None),
    )


def percentile(session: Session, week: ReportWeek, fraction: float, *, n: int) -> float | None:
    """First-response minutes at ``fraction`` (0.5 = median) over the week's answered cases."""
    if n == 0:
        return None
    duration = sql.seconds_between(
        col(Case.opened_at), col(Case.first_response_at), dialect_name=sql.dialect(session)
    )
    position = fraction * (n - 1)
    lower = math.floor(position)
    values = [
        float(v)
        for v in session.exec(
            select(duration).where(*_responded(week)).order_by(duration).offset(lower).limit(2)
        ).all()
    ]
    if len(values) == 1:
        values.append(values[0])
    seconds = values[0] + (values[1] - values[0]) * (position - lower)
    return round(seconds / 60, 2)


def _sla_rows(session: Session, week: ReportWeek, key: Any) -> list[tuple[str, int, int]]:
    answered, due = col(Case.first_response_at), col(Case.sla_due_at)
    met = sa.case((answered.is_not(None) & (answered <= due), 1), else_=0)
    missed = sa.case(
        (answered.is_not(None) & (answered > due), 1),
        (answered.is_(None) & (due < week.end), 1),
        else_=0,
    )
    opened = col(Case.opened_at)
    inner = (
        select(key.label("key"), met.label("met"), missed.label("missed"))
        .select_from(Case)
        .outerjoin(User, col(User.id) == col(Case.assignee_id))
        .where(_worked(), opened >= week.start, opened < week.end, due.is_not(None))
        .subquery()
    )
    rows = session.exec(
        select(inner.c.key, func.sum(inner.c.met), func.sum(inner.c.missed)).group_by(inner.c.key)
    ).all()
    return [(str(k) if k is not None else UNASSIGNED, int(m), int(x)) for k, m, x in rows]


def _share(met: int, missed: int) -> float | None:
    return round(100 * met / (met + missed), 2) if met + missed else None


def _sla(session: Session, week: ReportWeek) -> tuple[list[SlaRow], list[SlaRow], float | None]:
    by_priority = {k: (m, x) for k, m, x in _sla_rows(session, week, col(Case.priority))}
    agent = sa.func.coalesce(sa.func.nullif(col(User.name), ""), col(User.email))
    by_agent = sorted(
        _sla_rows(session, week, agent), key=lambda row: (row[0] == UNASSIGNED, row[0])
    )
    priorities = [
        SlaRow(p.value, *by_priority[p.value], _share(*by_priority[p.value]))
        for p in Priority
        if p.value in by_priority
    ]
    agents = [SlaRow(k, m, x, _share(m, x)) for k, m, x in by_agent]
    met = sum(row.met for row in priorities)
    missed = sum(row.missed for row in priorities)
    return priorities, agents, _share(met, missed)


def _times(session: Session, week: ReportWeek) -> tuple[int, float | None, float | None]:
    n = session.exec(select(func.count()).select_from(Case).where(*_responded(week))).one()
    return n, percentile(session, week, 0.5, n=n), percentile(session, week, 0.9, n=n)


def compute_service(*, session: Session, week: ReportWeek) -> ServiceSection:
    """The service section for ``week`` with last week's figures beside it."""
    previous = week.previous()
    responded, median, p90 = _times(session, week)
    previous_responded, previous_median, previous_p90 = _times(session, previous)
    priorities, agents, share = _sla(session, week)
    *_, previous_share = _sla(session, previous)
    return ServiceSection(
        opened=Figure(
            _count(session, col(Case.opened_at), week),
            _count(session, col(Case.opened_at), previous),
        ),
        resolved=Figure(
            _count(session, col(Case.resolved_at), week),
            _count(session, col(Case.resolved_at), previous),
        ),
        escalated=Figure(_escalated(session, week), _escalated(session, previous)),
        responded=Figure(responded, previous_responded),
        first_response_median_minutes=Figure(median, previous_median),
        first_response_p90_minutes=Figure(p90, previous_p90),
        sla_met_share=Figure(share, previous_share),
        sla_by_priority=priorities,
        sla_by_agent=agents,
    )
