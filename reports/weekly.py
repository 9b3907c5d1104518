"""Computing the weekly report: every section for one ISO week, with last week for comparison.

Every number is an SQL aggregate over the store (SQLite or PostgreSQL); only
bounded lists (the top ten, a sample of posts for phrases) come back as rows.
Run it inside one session so all sections see the same data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from config.labels import Intent
from crm.models import Mention
from crm.types import utcnow
from reports import sql
from reports.customers import customer_weeks
from reports.model import TopicsSection, WeekInfo, WeeklyReport
from reports.people import compute_advocates, compute_at_risk
from reports.service import compute_service
from reports.topics import StopWords, stop_words, top_phrases
from reports.volume import compute_volume_and_sentiment
from reports.weeks import ReportWeek

__all__ = ["TOPIC_SAMPLE", "compute_report", "compute_topics"]

# Posts read per side (praise, complaints) to find phrases: spread evenly over the week.
TOPIC_SAMPLE = 3_000
TOPIC_LIMIT = 12


def _sample_texts(session: Session, condition: Any, week: ReportWeek) -> list[str]:
    posted = col(Mention.posted_at)
    where = (
        condition,
        posted >= week.start,
        posted < week.end,
        sql.live(),
        col(Mention.duplicate_of_id).is_(None),
    )
    total = session.exec(select(func.count()).select_from(Mention).where(*where)).one()
    stride = max(1, -(-total // TOPIC_SAMPLE))
    query = select(col(Mention.text)).where(*where)
    if stride > 1:
        query = query.where(col(Mention.id) % stride == 0)
    return list(session.exec(query.order_by(col(Mention.id)).limit(TOPIC_SAMPLE)).all())


def compute_topics(*, session: Session, week: ReportWeek, stop: StopWords) -> TopicsSection:
    """The most frequent phrases in praise and in complaints this week."""
    praise = _sample_texts(session, sql.positive(), week)
    complaints = _sample_texts(session, sql.effective_intent() == Intent.COMPLAINT.value, week)
    return TopicsSection(
        praise=top_phrases(praise, stop_words=stop, limit=TOPIC_LIMIT),
        complaints=top_phrases(complaints, stop_words=stop, limit=TOPIC_LIMIT),
        praise_sampled=len(praise),
        complaints_sampled=len(complaints),
    )


def compute_report(
    *,
    session: Session,
    week: ReportWeek,
    language: str = "en",
    brand: str = "",
    handles: Iterable[str] = (),
    now: datetime | None = None,
) -> WeeklyReport:
    """The whole report for ``week``; ``brand`` and ``handles`` are left out of the topics."""
    stop = stop_words(brand=brand, handles=handles)
    volume, sentiment = compute_volume_and_sentiment(session=session, week=week, stop_words=stop)
    with customer_weeks(session, week) as table:
        advocates = compute_advocates(session=session, week=week, table=table)
        at_risk = compute_at_risk(session=session, week=week, table=table)
    return WeeklyReport(
        week=WeekInfo(
            label=week.label,
            previous_label=week.previous().label,
            start=week.start,
            end=week.end,
            timezone=week.tz.key,
            days=week.days,
            language=language,
            brand=brand,
            generated_at=now or utcnow(),
        ),
        advocates=advocates,
        at_risk=at_risk,
        volume=volume,
        sentiment=sentiment,
        service=compute_service(session=session, week=week),
        topics=compute_topics(session=session, week=week, stop=stop),
    )
