"""Every section of the weekly report against numbers counted by hand from the fixed data set.

The expectations below are plain Python over ``dataset.PEOPLE``, ``CASES`` and
``POSTS``; they never call the report's queries. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import numpy
import pytest
from sqlalchemy.engine import Engine

from crm.db import session_scope
from crm.enums import CaseStatus, Queue
from crm.models import Mention
from reports.model import WeeklyReport
from reports.weekly import compute_report
from reports.weeks import parse_week
from tests.reports import dataset
from tests.reports.dataset import CASES, PEOPLE, POSTS, TZ, local

START, END, PREVIOUS_START = dataset.WEEK_START, dataset.WEEK_END, dataset.PREVIOUS_START
PERSON = {p.key: p for p in PEOPLE}


def in_week(post: dataset.Post, start: datetime, end: datetime) -> bool:
    return start <= local(post.at) < end and not post.deleted


def sentiment(post: dataset.Post) -> str | None:
    return post.corrected_sentiment or post.sentiment


def intent(post: dataset.Post) -> str | None:
    return post.corrected_intent or post.intent


def is_positive(post: dataset.Post) -> bool:
    return sentiment(post) == "positive" or intent(post) == "praise"


def weight(followers: int | None) -> int:
    # 1 under 100 followers, then one more per power of ten up to a million.
    value = followers or 0
    return 1 + sum(value >= 10**k for k in range(2, 7))


def test_every_section_matches_counts_made_by_hand(engine: Engine) -> None:
    """One build and one report per database; each check names the section it covers."""
    dataset.build(engine)
    with session_scope(engine) as session:
        report = compute_report(
            session=session, week=parse_week(dataset.WEEK, tz=TZ), language="en", brand="Nimbus"
        )
    for check in (
        check_week_covers_local_days,
        check_volume_by_day_platform_and_language,
        check_sentiment_share_net_and_intents,
        check_spike_hour_with_its_phrases_and_authors,
        check_advocates_ranked_by_reach_weighted_praise,
        check_at_risk_detractors_turned_escalations_and_risks,
        check_service_cases_response_times_and_slas,
        check_topics_count_phrases_once_per_post,
    ):
        check(report)


def week_posts(start: datetime, end: datetime) -> list[dataset.Post]:
    return [p for p in POSTS if in_week(p, start, end)]


def check_week_covers_local_days(report: WeeklyReport) -> None:
    assert report.week.label == "2026-W44"
    assert report.week.previous_label == "2026-W43"
    assert (report.week.start, report.week.end) == (START, END)
    assert report.week.days[0].isoformat() == "2026-10-26"
    assert set(report.as_dict()) == {
        "week",
        "advocates",
        "at_risk",
        "volume",
        "sentiment",
        "service",
        "topics",
    }


def check_volume_by_day_platform_and_language(report: WeeklyReport) -> None:
    current, previous = week_posts(START, END), week_posts(PREVIOUS_START, START)
    assert report.volume.total.value == len(current) == 27
    assert report.volume.total.previous == len(previous) == 6
    platforms = Counter(PERSON[p.who].platform for p in current)
    assert {k: f.value for k, f in report.volume.by_platform.items()} == dict(platforms)
    languages = Counter(p.language or "und" for p in current)
    assert {k: f.value for k, f in report.volume.by_language.items() if f.value} == dict(languages)
    for day in report.volume.days:
        posts = [p for p in current if local(p.at).astimezone(TZ).date() == day.day]
        assert day.total == len(posts), day.day
        assert day.by_platform == dict(
            sorted(Counter(PERSON[p.who].platform for p in posts).items())
        )
    # The post at 23:59 on Sunday belongs to this week, the one at 00:00 Monday to the next.
    assert report.volume.days[-1].total == 2


def net(posts: list[dataset.Post]) -> float | None:
    counts = Counter(sentiment(p) for p in posts)
    judged = counts["positive"] + counts["neutral"] + counts["negative"]
    return round(100 * (counts["positive"] - counts["negative"]) / judged, 2) if judged else None


def check_sentiment_share_net_and_intents(report: WeeklyReport) -> None:
    current, previous = week_posts(START, END), week_posts(PREVIOUS_START, START)
    counts = Counter(sentiment(p) for p in current)
    judged = sum(counts[s] for s in ("positive", "neutral", "negative"))
    for name in ("positive", "neutral", "negative"):
        assert report.sentiment.share[name].value == round(100 * counts[name] / judged, 2)
    assert report.sentiment.net.value == net(current)
    assert report.sentiment.net.previous == net(previous)
    assert report.sentiment.net.change == pytest.approx(net(current) - net(previous))  # type: ignore[operator]
    intents = Counter(intent(p) for p in current)
    assert {k: f.value for k, f in report.sentiment.intents.items() if f.value} == dict(intents)
    assert report.sentiment.intents["question"].value == 2  # the corrected one counts as a question
    for day in report.sentiment.days:
        posts = [p for p in current if local(p.at).astimezone(TZ).date() == day.day]
        assert day.net == net(posts)


def check_spike_hour_with_its_phrases_and_authors(report: WeeklyReport) -> None:
    current = week_posts(START, END)
    hours = Counter(local(p.at).replace(minute=0) for p in current)
    mean = len(current) / ((END - START) / timedelta(hours=1))
    expected = [h for h, n in hours.items() if n >= max(5, 3 * mean)]
    assert [s.start for s in report.volume.spikes] == expected
    (spike,) = report.volume.spikes
    assert spike.mentions == 12
    assert {p.text for p in spike.phrases} >= {"outage", "ankara", "signal"}
    assert len(spike.authors) == 5 and spike.authors[0].startswith("@crowd")


def ranked(condition: Any, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    posts = [p for p in week_posts(start, end) if condition(p) and not p.duplicate_of]
    by_person: dict[str, list[dataset.Post]] = {}
    for post in posts:
        by_person.setdefault(post.who, []).append(post)
    order = list(PERSON)  # customers were created in this order: their ids follow it
    rows = [
        (who, len(ps), sum(weight(PERSON[who].followers) for _ in ps))
        for who, ps in by_person.items()
    ]
    return sorted(rows, key=lambda r: (-r[2], -r[1], order.index(r[0])))


def check_advocates_ranked_by_reach_weighted_praise(report: WeeklyReport) -> None:
    expected = ranked(is_positive, START, END)
    assert [(a.handle, a.positive_mentions, a.score) for a in report.advocates.top] == expected
    assert [a.handle for a in report.advocates.top] == ["bora", "ana", "cem"]
    earlier = {p.who for p in POSTS if is_positive(p) and local(p.at) < START}
    assert {a.handle for a in report.advocates.top if a.new} == {r[0] for r in expected} - earlier
    actions = {a.handle: a.action for a in report.advocates.top}
    assert actions == {"bora": "feature", "ana": "invite", "cem": "thank"}
    ana = report.advocates.top[1]
    assert ana.name == "Ana Lima"
    assert ana.quotes and all(
        q.url and q.url.startswith("https://example.com/ana/") for q in ana.quotes
    )
    assert report.advocates.advocates.value == len(expected)
    assert report.advocates.advocates.previous == len(ranked(is_positive, PREVIOUS_START, START))
    assert report.advocates.positive_mentions.value == sum(r[1] for r in expected)
    assert report.advocates.new_advocates.value == 2


def check_at_risk_detractors_turned_escalations_and_risks(report: WeeklyReport) -> None:
    def negative(p: dataset.Post) -> bool:
        return sentiment(p) == "negative"

    expected = ranked(negative, START, END)
    assert [
        (c.handle, c.negative_mentions, c.score) for c in report.at_risk.detractors
    ] == expected[:10]
    assert report.at_risk.detractor_count.value == len(expected)
    assert report.at_risk.detractor_count.previous == len(ranked(negative, PREVIOUS_START, START))

    def balance(who: str, start: datetime, end: datetime) -> tuple[int, int]:
        posts = [p for p in week_posts(start, end) if p.who == who and not p.duplicate_of]
        judged = [p for p in posts if sentiment(p)]
        return sum(is_positive(p) for p in posts) - sum(negative(p) for p in posts), len(judged)

    turned = set()
    for who, _, _ in expected:
        now, _ = balance(who, START, END)
        before, judged = balance(who, PREVIOUS_START, START)
        if now < 0 and judged and before >= 0:
            turned.add(who)
    assert turned == {"deniz", "crowd2"}
    assert {c.handle for c in report.at_risk.turned_negative} == turned
    assert report.at_risk.turned_negative_count.value == 2

    # Last week's figure, for the delta: negative in W43 after a judged, non-negative W42.
    turned_before = set()
    for who in PERSON:
        before, _ = balance(who, PREVIOUS_START, START)
        earlier, judged = balance(who, dataset.BEFORE_PREVIOUS_START, PREVIOUS_START)
        if before < 0 and judged and earlier >= 0:
            turned_before.add(who)
    assert turned_before == {"eli"}
    assert report.at_risk.turned_negative_count.previous == len(turned_before)
    assert report.at_risk.turned_negative_count.change == 1

    open_at_end = [
        c.key
        for c in CASES
        if c.escalations
        and local(c.opened) < END
        and c.queue != Queue.IGNORED
        and (c.resolved is None or local(c.resolved) >= END)
    ]
    assert [e.reference for e in report.at_risk.open_escalations] == [
        f"C-{[c.key for c in CASES].index(k) + 1:06d}" for k in open_at_end
    ]
    first = report.at_risk.open_escalations[0]
    spec = next(c for c in CASES if c.key == open_at_end[0])
    assert first.level == max(level for level, _, _ in spec.escalations) == 2
    assert first.reason == max(spec.escalations)[1] == "influencer"  # the highest level's reason
    assert report.at_risk.open_escalation_count.previous == 1  # p1 was still open then

    resolved_by_end = {c.key for c in CASES if c.resolved and local(c.resolved) < END}
    for risk in ("churn", "legal"):
        posts = [
            p
            for p in POSTS
            if risk in (p.corrected_risk if p.corrected_risk is not None else p.risk)
            and END - timedelta(days=28) <= local(p.at) < END
            and not p.deleted
            and (p.case is None or p.case not in resolved_by_end)
        ]
        assert report.at_risk.risk_counts[risk].value == len(posts), risk
    assert report.at_risk.risk_counts["churn"].value == 1  # Sara's case was resolved


def check_service_cases_response_times_and_slas(report: WeeklyReport) -> None:
    worked = [c for c in CASES if c.queue != Queue.IGNORED]

    def opened_in(start: datetime, end: datetime) -> list[dataset.CaseSpec]:
        return [c for c in worked if start <= local(c.opened) < end]

    current = opened_in(START, END)
    assert report.service.opened.value == len(current) == 6
    assert report.service.opened.previous == len(opened_in(PREVIOUS_START, START))
    assert report.service.resolved.value == sum(
        1 for c in worked if c.resolved and START <= local(c.resolved) < END
    )
    assert report.service.escalated.value == sum(
        1 for c in worked if any(START <= local(at) < END for _, _, at in c.escalations)
    )
    minutes = [
        (local(c.responded) - local(c.opened)).total_seconds() / 60 for c in current if c.responded
    ]
    assert report.service.first_response_median_minutes.value == pytest.approx(
        statistics.median(minutes)
    )
    assert report.service.first_response_p90_minutes.value == pytest.approx(
        numpy.percentile(minutes, 90)
    )
    before = [
        (local(c.responded) - local(c.opened)).total_seconds() / 60
        for c in opened_in(PREVIOUS_START, START)
        if c.responded
    ]
    assert report.service.first_response_median_minutes.previous == pytest.approx(
        statistics.median(before)
    )

    def outcome(c: dataset.CaseSpec) -> str | None:
        due = local(c.due) if c.due else None
        if due is None:
            return None
        if c.responded:
            return "met" if local(c.responded) <= due else "missed"
        return "missed" if due < END else None

    by_priority: dict[str, Counter[str]] = {}
    by_agent: dict[str, Counter[str]] = {}
    for c in current:
        result = outcome(c)
        if result:
            by_priority.setdefault(c.priority.value, Counter())[result] += 1
            by_agent.setdefault(
                {"ops@example.com": "Ops Lead"}.get(c.agent or "", c.agent or "unassigned"),
                Counter(),
            )[result] += 1
    assert {r.key: (r.met, r.missed) for r in report.service.sla_by_priority} == {
        k: (v["met"], v["missed"]) for k, v in by_priority.items()
    }
    assert {r.key: (r.met, r.missed) for r in report.service.sla_by_agent} == {
        k: (v["met"], v["missed"]) for k, v in by_agent.items()
    }
    met = sum(v["met"] for v in by_priority.values())
    total = sum(v["met"] + v["missed"] for v in by_priority.values())
    assert report.service.sla_met_share.value == round(100 * met / total, 2)
    assert CaseStatus.IGNORED not in {c.status for c in current}


def check_topics_count_phrases_once_per_post(report: WeeklyReport) -> None:
    praise = {p.text: p.count for p in report.topics.praise}
    # a1, a2, a3 and b1 say it; a4 repeats a3 and the 100 KB post is not praise.
    assert praise["battery life"] == 4
    assert "battery" not in praise and "life" not in praise  # covered by the phrase
    assert not {"nimbus", "the", "is", "on"} & set(praise)  # brand and stop words left out
    complaints = {p.text: p.count for p in report.topics.complaints}
    assert complaints["outage"] == 13
    assert complaints["bill doubled"] == 2
    assert "است" not in complaints and "و" not in complaints  # Persian stop words
    assert report.topics.praise_sampled == sum(
        1 for p in week_posts(START, END) if is_positive(p) and not p.duplicate_of
    )
    assert math.isfinite(report.topics.complaints_sampled)


def test_a_repost_of_a_risk_is_not_a_second_unresolved_risk(engine: Engine) -> None:
    """A cross-post of Deniz's churn threat (``duplicate_of_id``) is the same risk, not two."""
    built = dataset.build(engine)
    with session_scope(engine) as session:
        original = session.get(Mention, built.mentions["d2"])
        assert original is not None
        session.add(
            Mention(
                platform=original.platform,
                external_id="d2-again",
                url="https://example.com/deniz/d2-again",
                identity_id=original.identity_id,
                text=original.text,
                text_hash="d2-again",
                language="en",
                posted_at=original.posted_at + timedelta(minutes=5),
                sentiment=original.sentiment,
                intent=original.intent,
                risk=["churn"],
                duplicate_of_id=original.id,
            )
        )
    with session_scope(engine) as session:
        report = compute_report(session=session, week=parse_week(dataset.WEEK, tz=TZ))
    assert report.at_risk.risk_counts["churn"].value == 1
    assert [m.text for m in report.at_risk.risks if m.risk == "churn"] == [original.text]
    assert report.volume.total.value == 28  # it is still a mention of the week
