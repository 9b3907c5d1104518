"""The team-written labelled mentions are well-formed and cover every label in every language."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from config.labels import Intent, Risk, Sentiment

DATA = Path(__file__).resolve().parents[2] / "classifiers" / "data" / "mentions"
HARD = DATA.parent / "hard" / "risky_complaints.jsonl"
LANGUAGES = ("en", "tr", "fa", "ar", "es", "de", "fr")


def _read(paths: list[Path]) -> list[dict[str, Any]]:
    found = []
    for path in paths:
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return _read(sorted(DATA.glob("*.jsonl")))


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def test_at_least_2000_rows_in_seven_languages(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 2000
    per_language = Counter(r["lang"] for r in rows)
    assert all(per_language[lang] >= 150 for lang in LANGUAGES), per_language


def test_every_row_follows_the_label_vocabulary(rows: list[dict[str, Any]]) -> None:
    for row in [*rows, *_read([HARD])]:
        assert set(row) <= {"text", "lang", "sentiment", "intent", "risk", "tags"}
        assert Sentiment(row["sentiment"]) and Intent(row["intent"])
        assert {Risk(flag) for flag in row["risk"]} == set(row["risk"])
        assert row["text"].strip()
        assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in row["text"])


def test_every_intent_and_risk_appears_in_every_language(rows: list[dict[str, Any]]) -> None:
    for lang in LANGUAGES:
        subset = [r for r in rows if r["lang"] == lang]
        assert {r["intent"] for r in subset} == {i.value for i in Intent}, lang
        assert {f for r in subset for f in r["risk"]} == {r.value for r in Risk}, lang


def test_no_text_appears_twice(rows: list[dict[str, Any]]) -> None:
    folded = Counter(_folded(r["text"]) for r in rows)
    assert folded.most_common(1)[0][1] == 1


def test_the_hard_cases_are_risky_complaints_never_trained_on(rows: list[dict[str, Any]]) -> None:
    hard = _read([HARD])
    assert len(hard) >= 100 and {r["lang"] for r in hard} == set(LANGUAGES)
    assert all(r["intent"] == "complaint" and r["risk"] for r in hard)
    assert {f for r in hard for f in r["risk"]} == {r.value for r in Risk}
    training = {_folded(r["text"]) for r in rows}
    assert not [r["text"] for r in hard if _folded(r["text"]) in training]


def test_hard_cases_are_represented(rows: list[dict[str, Any]]) -> None:
    tags = Counter(t for r in rows for t in r.get("tags", []))
    for tag in ("sarcasm", "negation", "slang-near-miss", "spam-praise", "code-mixed"):
        assert tags[tag] >= 30, tag
    near_misses = [r for r in rows if "slang-near-miss" in r.get("tags", [])]
    assert all(r["risk"] == [] for r in near_misses)
