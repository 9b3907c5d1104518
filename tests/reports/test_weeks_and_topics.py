"""ISO weeks in a time zone, and phrase counting in several languages (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from reports.errors import InvalidWeek, UnknownFormat, UnknownTimezone
from reports.files import parse_formats
from reports.topics import stop_words, tokens, top_phrases
from reports.weeks import last_complete_week, parse_week, zone

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_week_runs_monday_to_monday_local_time_across_daylight_saving() -> None:
    week = parse_week("2026-W43", tz=BERLIN)  # summer time ends on Sunday 25 October
    assert week.start == datetime(2026, 10, 18, 22, tzinfo=UTC)
    assert week.end == datetime(2026, 10, 25, 23, tzinfo=UTC)
    edges = week.day_edges()
    assert (edges[-1] - edges[-2]).total_seconds() == 25 * 3600
    assert week.previous().label == "2026-W42"
    assert parse_week("2027w01", tz=BERLIN).previous().label == "2026-W53"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-47", "YEAR-Www"),
        ("W47", "YEAR-Www"),
        ("2025-W53", "2025 has ISO weeks 01 to 52"),
        ("2026-W00", "does not exist"),
        ("2026-W47; DROP TABLE mention", "YEAR-Www"),
    ],
)
def test_a_malformed_week_is_refused_with_the_expected_form(text: str, message: str) -> None:
    with pytest.raises(InvalidWeek, match=message):
        parse_week(text, tz=BERLIN)


def test_the_default_week_is_the_last_complete_one_in_the_report_zone() -> None:
    # Monday 00:30 in Istanbul is still Sunday in UTC: the zone decides.
    now = datetime(2026, 11, 22, 21, 30, tzinfo=UTC)
    assert last_complete_week(now=now, tz=ZoneInfo("Europe/Istanbul")).label == "2026-W47"
    assert last_complete_week(now=now, tz=ZoneInfo("UTC")).label == "2026-W46"


def test_unknown_zone_and_format_say_what_to_set() -> None:
    with pytest.raises(UnknownTimezone, match=r"report\.timezone"):
        zone("Mars/Olympus")
    with pytest.raises(UnknownFormat, match="docx"):
        parse_formats("html,docx")
    assert parse_formats(" JSON, html ,html") == ["html", "json"]


def test_stop_words_of_every_bundled_language_are_removed() -> None:
    stop = stop_words(brand="Nimbus Mobile", handles=["@NimbusMobile"])
    texts = {
        "en": "the battery is great and the signal too",
        "tr": "bu şebeke çok yavaş ve pahalı",
        "fa": "اینترنت این هفته خیلی ضعیف است",
        "es": "la batería es muy buena para el precio",
        "de": "der Akku ist sehr gut und die Abdeckung auch",
        "fr": "la batterie est très bonne et le réseau aussi",
        "ar": "الشبكة في هذا الحي ضعيفة جدا",
    }
    words = {
        lang: {w for run in tokens(text, stop=stop) for w in run} for lang, text in texts.items()
    }
    assert words["en"] == {"battery", "great", "signal"}
    assert words["tr"] == {"şebeke", "yavaş", "pahalı"}
    assert words["fa"] == {"اینترنت", "هفته", "ضعیف"}
    assert words["es"] == {"batería", "buena", "precio"}
    assert words["de"] == {"akku", "gut", "abdeckung"}
    assert words["fr"] == {"batterie", "bonne", "réseau"}
    assert words["ar"] == {"الشبکة", "الحی", "ضعیفة"}  # ك and ي folded to Persian forms
    assert tokens("Nimbus Mobile rocks @NimbusMobile https://x.co/a", stop=stop) == [["rocks"]]


def test_phrases_count_posts_not_repetitions_and_hostile_text_is_bounded() -> None:
    stop = stop_words()
    posts = [
        "battery life battery life battery life",
        "Battery LIFE is fine",
        "<script>alert(1)</script> battery life",
        "x" * 100_000,
        "\u202eevil\u202c \x00 battery",
    ]
    phrases = top_phrases(posts, stop_words=stop, limit=3)
    counts = {p.text: p.count for p in phrases}
    assert counts["battery"] == 4  # once per post, however often a post repeats it
    assert counts["battery life"] == 3
    assert "life" not in counts  # never without "battery": the phrase says it
    assert all(len(p.text) < 2_100 for p in phrases)
    # Arabic and Persian spellings of the same word count as one.
    folded = top_phrases(["شبكه", "شبکه"], stop_words=stop)
    assert [(p.text, p.count) for p in folded] == [("شبکه", 2)]
