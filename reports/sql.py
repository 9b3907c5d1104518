"""SQL building blocks the report's queries share, written once for SQLite and PostgreSQL.

* A person's correction overrides the model's label: ``coalesce(corrected_x, x)``.
  Risks are JSON lists, where an unset list may be stored as JSON ``null``.
* Local days are buckets between UTC edges (a CASE over the instants), so
  daylight-saving days of 23 or 25 hours count exactly.
* Reach is a weight per post: 1 plus one step per power of ten of followers
  from 100 (under 100 → 1, under 1,000 → 2, … 1,000,000 and more → 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from config.labels import Intent, Sentiment
from crm.models import Mention
from crm.types import UTCDateTime

__all__ = [
    "REACH_STEPS",
    "bucket",
    "dialect",
    "effective_intent",
    "effective_sentiment",
    "has_risk",
    "hour_index",
    "live",
    "may_have_risk",
    "negative",
    "positive",
    "python_reach_weight",
    "reach_weight",
    "seconds_between",
    "seconds_since",
]

REACH_STEPS: tuple[int, ...] = (100, 1_000, 10_000, 100_000, 1_000_000)


def dialect(session: Session) -> str:
    """``sqlite`` or ``postgresql``."""
    return session.get_bind().dialect.name


def effective_sentiment() -> ColumnElement[Any]:
    """The sentiment a person set, else the model's."""
    return sa.func.coalesce(col(Mention.corrected_sentiment), col(Mention.sentiment))


def effective_intent() -> ColumnElement[Any]:
    """The intent a person set, else the model's."""
    return sa.func.coalesce(col(Mention.corrected_intent), col(Mention.intent))


def _risk_text() -> ColumnElement[Any]:
    corrected = sa.cast(col(Mention.corrected_risk), sa.Text)
    unset = col(Mention.corrected_risk).is_(None) | (corrected == "null")
    return sa.case((unset, sa.cast(col(Mention.risk), sa.Text)), else_=corrected)


def has_risk(risk: str) -> ColumnElement[bool]:
    """True when the mention's effective risk list holds ``risk``."""
    return _risk_text().like(f'%"{risk}"%')


def positive() -> ColumnElement[bool]:
    """A post that praised or defended the brand: positive sentiment or praise intent."""
    return (effective_sentiment() == Sentiment.POSITIVE.value) | (
        effective_intent() == Intent.PRAISE.value
    )


def negative() -> ColumnElement[bool]:
    """A post against the brand: negative sentiment."""
    return effective_sentiment() == Sentiment.NEGATIVE.value


def may_have_risk(risks: Sequence[str]) -> ColumnElement[bool]:
    """A cheap pre-filter: the model named one of ``risks``, or a person set the risks."""
    model = sa.cast(col(Mention.risk), sa.Text)
    corrected = col(Mention.corrected_risk)
    return sa.or_(
        *(model.like(f'%"{risk}"%') for risk in risks),
        corrected.is_not(None) & (sa.cast(corrected, sa.Text) != "null"),
    )


def live() -> ColumnElement[bool]:
    """Mentions not deleted on their platform."""
    return col(Mention.deleted_at).is_(None)


def bucket(column: Any, edges: Sequence[datetime]) -> ColumnElement[int]:
    """The index of the interval between ``edges`` that ``column`` falls in (0-based).

    Rows outside ``[edges[0], edges[-1])`` must be filtered out by the caller.
    """
    whens = [
        (column < sa.literal(edge, UTCDateTime()), index) for index, edge in enumerate(edges[1:-1])
    ]
    return sa.case(*whens, else_=len(edges) - 2)


def seconds_since(column: Any, start: datetime, *, dialect_name: str) -> ColumnElement[Any]:
    """Whole seconds from ``start`` to ``column``."""
    if dialect_name == "sqlite":
        return sa.cast(sa.func.strftime("%s", column), sa.Integer) - int(start.timestamp())
    elapsed = sa.func.extract("epoch", column - sa.literal(start, UTCDateTime()))
    return sa.cast(sa.func.floor(elapsed), sa.BigInteger)


def hour_index(column: Any, start: datetime, *, dialect_name: str) -> ColumnElement[Any]:
    """Whole hours from ``start`` to ``column`` (``column`` not before ``start``)."""
    return seconds_since(column, start, dialect_name=dialect_name) // 3600


def seconds_between(earlier: Any, later: Any, *, dialect_name: str) -> ColumnElement[Any]:
    """Seconds from ``earlier`` to ``later`` (fractions kept)."""
    if dialect_name == "sqlite":
        return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 86400.0
    return sa.func.extract("epoch", later - earlier)


def reach_weight(followers: Any) -> ColumnElement[int]:
    """1 plus one per step in REACH_STEPS that ``followers`` reaches (unknown counts as 0)."""
    known = sa.func.coalesce(followers, 0)
    whens = [(known < step, index + 1) for index, step in enumerate(REACH_STEPS)]
    return sa.case(*whens, else_=len(REACH_STEPS) + 1)


def python_reach_weight(followers: int | None) -> int:
    """The same weight in Python, for quotes and tests of the rule."""
    known = followers or 0
    return 1 + sum(1 for step in REACH_STEPS if known >= step)
