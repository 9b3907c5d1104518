"""Volume and sentiment: mentions per local day by platform and language, intents, spikes.

One grouped query covers both weeks (fourteen local days); the hourly counts
that find spikes are a second one. Only aggregates leave the database; a spike
reads at most ``SPIKE_SAMPLE`` of its posts to name the phrases behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from config.labels import Intent, Sentiment
from crm.models import Identity, Mention
from reports import sql
from reports.model import (
    DaySentiment,
    DayVolume,
    Figure,
    SentimentSection,
    Spike,
    VolumeSection,
)
from reports.topics import StopWords, top_phrases
from reports.weeks import ReportWeek

__all__ = ["SPIKE_FACTOR", "SPIKE_MIN", "compute_volume_and_sentiment"]

# An hour is a spike when it holds at least SPIKE_FACTOR times the week's mean hourly volume
# and at least SPIKE_MIN mentions; the biggest MAX_SPIKES are reported.
SPIKE_FACTOR = 3.0
SPIKE_MIN = 5
MAX_SPIKES = 3
SPIKE_SAMPLE = 400
UNKNOWN_LANGUAGE = "und"


@dataclass
class _Week:
    """Counts of one week, filled from the grouped rows."""

    total: int = 0
    platform: Counter[str] = field(default_factory=Counter)
    language: Counter[str] = field(default_factory=Counter)
    sentiment: Counter[str] = field(default_factory=Counter)
    intent: Counter[str] = field(default_factory=Counter)


def _grouped_rows(session: Session, week: ReportWeek) -> list[Any]:
    previous = week.previous()
    edges = previous.day_edges()[:-1] + week.day_edges()
    posted = col(Mention.posted_at)
    inner = (
        sa.select(
            sql.bucket(posted, edges).label("day"),
            col(Mention.platform).label("platform"),
            func.coalesce(col(Mention.language), UNKNOWN_LANGUAGE).label("language"),
            sql.effective_sentiment().label("sentiment"),
            sql.effective_intent().label("intent"),
        )
        .where(posted >= edges[0], posted < edges[-1], sql.live())
        .subquery()
    )
    keys = (inner.c.day, inner.c.platform, inner.c.language, inner.c.sentiment, inner.c.intent)
    return list(session.execute(sa.select(*keys, func.count()).group_by(*keys)))


def compute_volume_and_sentiment(
    *, session: Session, week: ReportWeek, stop_words: StopWords
) -> tuple[VolumeSection, SentimentSection]:
    """Both sections for ``week``, with last week's figures beside this week's."""
    weeks = (_Week(), _Week())
    days: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for day, platform, language, sentiment, intent, count in _grouped_rows(session, week):
        current = day >= 7
        tally = weeks[int(current)]
        tally.total += count
        tally.platform[str(platform)] += count
        tally.language[str(language)] += count
        tally.sentiment[str(sentiment) if sentiment else "unjudged"] += count
        tally.intent[str(intent) if intent else "unjudged"] += count
        if current:
            slot = days[day - 7]
            slot["platform"][str(platform)] += count
            slot["language"][str(language)] += count
            slot["sentiment"][str(sentiment) if sentiment else "unjudged"] += count
    previous, current_week = weeks
    volume = VolumeSection(
        days=[_day_volume(week, index, days[index]) for index in range(7)],
        total=Figure(current_week.total, previous.total),
        by_platform=_figures(current_week.platform, previous.platform),
        by_language=_figures(current_week.language, previous.language),
        spikes=_spikes(session, week, total=current_week.total, stop_words=stop_words),
    )
    sentiment = SentimentSection(
        days=[_day_sentiment(week, index, days[index]["sentiment"]) for index in range(7)],
        share={
            s.value: Figure(_share(current_week.sentiment, s), _share(previous.sentiment, s))
            for s in Sentiment
        },
        net=Figure(_net(current_week.sentiment), _net(previous.sentiment)),
        intents={
            i.value: Figure(current_week.intent[i.value], previous.intent[i.value]) for i in Intent
        },
    )
    return volume, sentiment


def _figures(current: Any, previous: Any) -> dict[str, Figure]:
    keys = sorted(set(current) | set(previous), key=lambda k: (-current[k], -previous[k], k))
    return {key: Figure(current[key], previous[key]) for key in keys}


def _day_volume(week: ReportWeek, index: int, slot: dict[str, Counter[str]]) -> DayVolume:
    return DayVolume(
        day=week.days[index],
        total=sum(slot["platform"].values()),
        by_platform=dict(sorted(slot["platform"].items())),
        by_language=dict(slot["language"].most_common()),
    )


def _judged(counts: Counter[str]) -> int:
    return sum(counts[s.value] for s in Sentiment)


def _share(counts: Counter[str], sentiment: Sentiment) -> float | None:
    """Percent of judged mentions with ``sentiment``."""
    judged = _judged(counts)
    return round(100 * counts[sentiment.value] / judged, 2) if judged else None


def _net(counts: Counter[str]) -> float | None:
    """(positive − negative) / judged × 100; None without judged mentions."""
    judged = _judged(counts)
    if not judged:
        return None
    return round(100 * (counts["positive"] - counts["negative"]) / judged, 2)


def _day_sentiment(week: ReportWeek, index: int, counts: Counter[str]) -> DaySentiment:
    return DaySentiment(
        day=week.days[index],
        positive=counts["positive"],
        neutral=counts["neutral"],
        negative=counts["negative"],
        unjudged=counts["unjudged"],
        net=_net(counts),
    )


def _spikes(
    session: Session, week: ReportWeek, *, total: int, stop_words: StopWords
) -> list[Spike]:
    if total == 0:
        return []
    hours = (week.end - week.start) / timedelta(hours=1)
    mean = total / hours
    dialect_name = sql.dialect(session)
    posted = col(Mention.posted_at)
    inner = (
        select(sql.hour_index(posted, week.start, dialect_name=dialect_name).label("hour"))
        .where(posted >= week.start, posted < week.end, sql.live())
        .subquery()
    )
    rows = session.exec(
        select(inner.c.hour, func.count()).group_by(inner.c.hour).order_by(func.count().desc())
    ).all()
    threshold = max(SPIKE_MIN, SPIKE_FACTOR * mean)
    busy = [(int(hour), count) for hour, count in rows if count >= threshold][:MAX_SPIKES]
    return [
        _spike(session, week.start + timedelta(hours=hour), count, mean, stop_words)
        for hour, count in sorted(busy)
    ]


def _spike(session: Session, start: Any, count: int, mean: float, stop_words: StopWords) -> Spike:
    posted = col(Mention.posted_at)
    in_hour = (posted >= start, posted < start + timedelta(hours=1), sql.live())
    authors = session.exec(
        select(col(Identity.handle), col(Identity.platform), func.count())
        .select_from(Mention)
        .join(Identity, col(Identity.id) == col(Mention.identity_id))
        .where(*in_hour)
        .group_by(col(Identity.id), col(Identity.handle), col(Identity.platform))
        .order_by(func.count().desc(), col(Identity.handle))
        .limit(5)
    ).all()
    texts = session.exec(
        select(col(Mention.text)).where(*in_hour).order_by(col(Mention.id)).limit(SPIKE_SAMPLE)
    ).all()
    return Spike(
        start=start,
        mentions=count,
        hourly_mean=round(mean, 2),
        phrases=top_phrases(texts, stop_words=stop_words, limit=5),
        authors=[f"@{handle} ({platform}, {n})" for handle, platform, n in authors],
    )
