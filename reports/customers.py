"""Per-customer tallies of two weeks, made once per report in a temporary table.

The advocate and at-risk sections ask many questions of the same numbers: who
praised the brand this week and last, with what reach, who turned negative
(this week, and last week for the delta, which needs the week before that).
One grouped scan of the three weeks' mentions fills a temporary table (one row
per customer who posted); every question after that reads a few thousand rows
instead of the week's mentions again. The table lives only in the caller's
connection and is dropped when the block ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from crm.models import Identity, Mention
from reports import sql
from reports.weeks import ReportWeek

__all__ = ["customer_weeks", "in_window"]


def in_window(start: Any, end: Any) -> tuple[Any, ...]:
    """Live, original (not repeated) mentions posted in ``[start, end)``."""
    posted = col(Mention.posted_at)
    return (posted >= start, posted < end, sql.live(), col(Mention.duplicate_of_id).is_(None))


_COLUMNS = (
    "pos_now",
    "pos_score_now",
    "pos_before",
    "neg_now",
    "neg_score_now",
    "neg_before",
    "net_now",
    "net_before",
    "judged_before",
    "net_before2",
    "judged_before2",
    "followers",
)


def _table(name: str) -> sa.Table:
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("customer_id", sa.Integer, primary_key=True),
        *(sa.Column(column, sa.Integer, nullable=False) for column in _COLUMNS),
        prefixes=["TEMPORARY"],
    )


def _tallies(week: ReportWeek) -> Any:
    previous = week.previous()
    first = previous.previous()
    # 0: the week before last, 1: last week, 2: this week.
    slot = sql.bucket(col(Mention.posted_at), [first.start, previous.start, week.start, week.end])
    positive = sa.case((sql.positive(), 1), else_=0)
    negative = sa.case((sql.negative(), 1), else_=0)
    judged = sa.case((sql.effective_sentiment().is_not(None), 1), else_=0)
    inner = (
        sa.select(
            col(Identity.customer_id).label("customer_id"),
            slot.label("slot"),
            positive.label("pos"),
            negative.label("neg"),
            judged.label("judged"),
            sql.reach_weight(col(Identity.followers)).label("weight"),
            sa.func.coalesce(col(Identity.followers), 0).label("followers"),
        )
        .select_from(Mention)
        .join(Identity, col(Identity.id) == col(Mention.identity_id))
        .where(*in_window(first.start, week.end))
        .subquery()
    )
    now, before, before2 = inner.c.slot == 2, inner.c.slot == 1, inner.c.slot == 0

    def total(value: Any, when: Any) -> Any:
        return sa.func.sum(sa.case((when, value), else_=0))

    return sa.select(
        inner.c.customer_id,
        total(inner.c.pos, now),
        total(inner.c.pos * inner.c.weight, now),
        total(inner.c.pos, before),
        total(inner.c.neg, now),
        total(inner.c.neg * inner.c.weight, now),
        total(inner.c.neg, before),
        total(inner.c.pos - inner.c.neg, now),
        total(inner.c.pos - inner.c.neg, before),
        total(inner.c.judged, before),
        total(inner.c.pos - inner.c.neg, before2),
        total(inner.c.judged, before2),
        sa.func.max(inner.c.followers),
    ).group_by(inner.c.customer_id)


@contextmanager
def customer_weeks(session: Session, week: ReportWeek) -> Iterator[sa.Table]:
    """Per-customer tallies: ``week`` (``*_now``), last week, and (``*2``) the week before it."""
    table = _table(f"report_customers_{uuid.uuid4().hex[:10]}")
    connection = session.connection()
    table.create(connection)
    try:
        session.execute(table.insert().from_select(["customer_id", *_COLUMNS], _tallies(week)))
        yield table
    finally:
        table.drop(connection)
