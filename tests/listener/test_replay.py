"""The replay collector: JSONL in, mentions out; bad lines reported with file and line."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings
from listener.errors import NotConfigured
from listener.replay import ReplayCollector

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def line(**overrides: Any) -> str:
    record: dict[str, Any] = {
        "platform": "x",
        "external_id": "1",
        "url": "https://x.com/a/status/1",
        "author": {"id": "10", "handle": "a", "name": "A", "followers": 3},
        "text": "@Brand hello",
        "posted_at": "2026-11-20T10:00:00Z",
    }
    record.update(overrides)
    return json.dumps(record, ensure_ascii=False)


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_every_valid_line(tmp_path: Path) -> None:
    file = write(
        tmp_path / "m.jsonl", line(external_id="1"), line(external_id="2", platform="bluesky")
    )
    batch = ReplayCollector([str(file)], now=NOW).fetch(None, limit=100)
    assert [m.external_id for m in batch.mentions] == ["1", "2"]
    assert batch.skipped == []
    assert batch.exhausted


def test_bad_lines_are_skipped_with_file_and_line_and_the_rest_collected(tmp_path: Path) -> None:
    file = write(
        tmp_path / "mixed.jsonl",
        line(external_id="1"),
        "{not json",
        line(external_id="3", platform="myspace"),
        line(external_id="4", text="x" * 100_000),
        "[1, 2]",
        line(external_id="6", posted_at="yesterday"),
        line(external_id="7", author={"handle": "no id"}),
        line(external_id="8", text="ok \x00\x1b[31m control"),
    )
    batch = ReplayCollector([str(file)], now=NOW).fetch(None, limit=100)
    assert [m.external_id for m in batch.mentions] == ["1", "8"]
    reasons = {s.where.rsplit(":", 1)[1]: s.reason for s in batch.skipped}
    assert set(reasons) == {"2", "3", "4", "5", "6", "7"}
    assert all(s.where.startswith(str(file)) for s in batch.skipped)
    assert "not valid JSON" in reasons["2"]
    assert (
        "unknown platform 'myspace'; expected one of x, reddit, mastodon, bluesky" in reasons["3"]
    )
    assert "100,000 characters" in reasons["4"]
    assert "expected a JSON object" in reasons["5"]
    assert "not ISO-8601" in reasons["6"]
    assert "author" in reasons["7"]
    assert batch.mentions[1].text == "ok [31m control"


def test_invalid_utf8_is_reported_not_fatal(tmp_path: Path) -> None:
    file = tmp_path / "latin1.jsonl"
    file.write_bytes(line(external_id="1").encode() + b"\n" + b'{"text": "caf\xe9"}\n')
    batch = ReplayCollector([str(file)], now=NOW).fetch(None, limit=100)
    assert len(batch.mentions) == 1
    assert "not UTF-8" in batch.skipped[0].reason


def test_relative_timestamps_count_back_from_now(tmp_path: Path) -> None:
    file = write(
        tmp_path / "r.jsonl", line(posted_at="-2d03h15m"), line(external_id="2", posted_at="-45m")
    )
    batch = ReplayCollector([str(file)], now=NOW).fetch(None, limit=10)
    assert batch.mentions[0].posted_at == NOW - timedelta(days=2, hours=3, minutes=15)
    assert batch.mentions[1].posted_at == NOW - timedelta(minutes=45)


def test_flat_author_fields_from_an_export_are_accepted(tmp_path: Path) -> None:
    record = {
        "platform": "reddit",
        "external_id": "t1_a",
        "author_handle": "kaya",
        "author_followers": 12,
        "text": "hi",
        "posted_at": "2026-11-20T10:00:00+03:00",
        "lang": "tr",
        "sentiment": "neutral",
    }
    file = write(tmp_path / "export.jsonl", json.dumps(record))
    mention = ReplayCollector([str(file)], now=NOW).fetch(None, limit=10).mentions[0]
    assert mention.author.platform_user_id == "kaya"
    assert mention.author.followers == 12
    assert mention.language == "tr"
    assert mention.posted_at == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    assert mention.raw["sentiment"] == "neutral"


def test_cursor_resumes_across_files_and_batches_without_rereading(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", *(line(external_id=f"a{i}") for i in range(5)))
    write(tmp_path / "b.jsonl", *(line(external_id=f"b{i}") for i in range(4)))
    collector = ReplayCollector([str(tmp_path / "*.jsonl")], now=NOW)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        batch = collector.fetch(cursor, limit=3)
        seen += [m.external_id for m in batch.mentions]
        cursor = batch.cursor
        if batch.exhausted:
            break
    assert seen == [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(4)]
    assert collector.fetch(cursor, limit=3).mentions == []


def test_lines_appended_later_are_read_on_the_next_run(tmp_path: Path) -> None:
    file = write(tmp_path / "grow.jsonl", line(external_id="1"))
    collector = ReplayCollector([str(file)], now=NOW)
    first = collector.fetch(None, limit=10)
    with file.open("a", encoding="utf-8") as handle:
        handle.write(line(external_id="2") + "\n")
    second = collector.fetch(first.cursor, limit=10)
    assert [m.external_id for m in second.mentions] == ["2"]


def test_a_path_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    batch = ReplayCollector([str(tmp_path / "nope-*.jsonl")], now=NOW).fetch(None, limit=10)
    assert batch.mentions == []
    assert "no file matches" in batch.skipped[0].reason


def test_without_paths_replay_is_off_and_says_which_setting(settings: Settings) -> None:
    with pytest.raises(NotConfigured, match="SOCIALCRM_REPLAY__PATHS"):
        ReplayCollector.from_settings(settings)
