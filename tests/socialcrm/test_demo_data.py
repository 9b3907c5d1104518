"""The bundled demo data covers what the demo promises: platforms, languages, intents, risks,
recurring and cross-platform authors, influencers, reposts, and consistent threads."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

import pytest

from config.labels import PLATFORMS, Intent, Risk
from socialcrm.demo import demo_data_path

REQUIRED = {
    "platform",
    "external_id",
    "url",
    "author",
    "text",
    "posted_at",
    "conversation_id",
    "in_reply_to_id",
    "repost_of",
    "brand",
    "gold",
}
OFFSET = re.compile(r"^-(\d+)d(\d\d)h(\d\d)m$")


def _minutes_ago(offset: str) -> int:
    match = OFFSET.match(offset)
    assert match, offset
    days, hours, minutes = map(int, match.groups())
    return days * 1440 + hours * 60 + minutes


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    lines = demo_data_path().read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_at_least_300_complete_records_unique_per_platform(records: list[dict[str, Any]]) -> None:
    assert len(records) >= 300
    assert all(set(r) >= REQUIRED for r in records)
    keys = Counter((r["platform"], r["external_id"]) for r in records)
    assert keys.most_common(1)[0][1] == 1


def test_every_platform_language_intent_and_risk_is_present(records: list[dict[str, Any]]) -> None:
    assert {r["platform"] for r in records} == set(PLATFORMS)
    languages = Counter(r["gold"]["language"] for r in records)
    assert {"en", "tr", "fa"} <= set(languages)
    assert len(set(languages) - {"en", "tr", "fa"}) >= 3
    assert {r["gold"]["intent"] for r in records} == {i.value for i in Intent}
    assert {flag for r in records for flag in r["gold"]["risk"]} == {r.value for r in Risk}


def test_timestamps_span_the_last_14_days(records: list[dict[str, Any]]) -> None:
    ages = [_minutes_ago(r["posted_at"]) for r in records]
    assert max(ages) < 14 * 1440
    assert max(ages) - min(ages) > 10 * 1440


def test_customers_have_histories_and_some_are_on_two_platforms(
    records: list[dict[str, Any]],
) -> None:
    per_author = Counter((r["platform"], r["author"]["id"]) for r in records)
    assert sum(1 for n in per_author.values() if n >= 3) >= 5
    platforms_by_name: dict[str, set[str]] = defaultdict(set)
    for r in records:
        platforms_by_name[r["author"]["name"]].add(r["platform"])
    assert sum(1 for p in platforms_by_name.values() if len(p) >= 2) >= 8


def test_influential_authors_and_reposts_exist(records: list[dict[str, Any]]) -> None:
    influencers = {r["author"]["id"] for r in records if r["author"]["followers"] >= 10_000}
    assert len(influencers) >= 3
    ids = {(r["platform"], r["external_id"]) for r in records}
    reposts = [r for r in records if r["repost_of"]]
    assert len(reposts) >= 3
    assert all((r["platform"], r["repost_of"]) in ids for r in reposts)


def test_replies_come_after_their_parents_and_authors_are_consistent(
    records: list[dict[str, Any]],
) -> None:
    posted = {(r["platform"], r["external_id"]): _minutes_ago(r["posted_at"]) for r in records}
    for r in records:
        parent = posted.get((r["platform"], r["in_reply_to_id"]))
        if parent is not None:
            assert _minutes_ago(r["posted_at"]) < parent, r["external_id"]
    profile: dict[tuple[str, str], tuple[str, str]] = {}
    for r in records:
        key = (r["platform"], r["author"]["id"])
        seen = profile.setdefault(key, (r["author"]["handle"], r["author"]["name"]))
        assert seen == (r["author"]["handle"], r["author"]["name"]), key


def test_texts_fit_their_platform_and_carry_no_control_characters(
    records: list[dict[str, Any]],
) -> None:
    limits = {"x": 280, "bluesky": 300, "mastodon": 500, "reddit": 40_000}
    for r in records:
        assert 0 < len(r["text"]) <= limits[r["platform"]], r["external_id"]
        controls = [c for c in r["text"] if unicodedata.category(c) == "Cc" and c != "\n"]
        assert controls == [], r["external_id"]
        assert r["url"].startswith("https://")
