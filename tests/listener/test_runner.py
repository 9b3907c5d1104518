"""The runner: stores once, moves the cursor with the batch, survives a crash mid-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from crm.models import Mention, SourceState
from listener.base import Batch
from listener.errors import RateLimited
from listener.replay import ReplayCollector
from listener.runner import run_collector


def _jsonl(path: Path, count: int, *, start: int = 0, handle: str = "fan") -> Path:
    lines = [
        json.dumps(
            {
                "platform": "mastodon",
                "external_id": str(1000 + i),
                "author": {"id": f"u{i % 7}", "handle": f"{handle}{i % 7}@example.social"},
                "text": f"mention number {i}",
                "posted_at": f"-{i}m",
            }
        )
        for i in range(start, start + count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Mention)).one()


def test_run_stores_everything_and_a_second_run_stores_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    collector = ReplayCollector([str(_jsonl(tmp_path / "m.jsonl", 25))])
    first = run_collector(collector, engine=engine, limit=10)
    second = run_collector(collector, engine=engine, limit=10)
    assert (first.fetched, first.new, first.duplicates) == (25, 25, 0)
    assert (second.fetched, second.new) == (0, 0)
    assert _stored(engine) == 25
    with Session(engine) as session:
        state = session.exec(select(SourceState)).one()
    assert (state.health, state.stored_total, state.fetched_total) == ("ok", 25, 25)


def test_a_fresh_cursor_over_the_same_data_stores_nothing_twice(
    engine: Engine, tmp_path: Path
) -> None:
    path = _jsonl(tmp_path / "m.jsonl", 12)
    run_collector(ReplayCollector([str(path)]), engine=engine)
    with Session(engine) as session:
        session.exec(select(SourceState)).one().cursor = None
        session.commit()
    again = run_collector(ReplayCollector([str(path)]), engine=engine)
    assert (again.new, again.duplicates) == (0, 12)
    assert _stored(engine) == 12


class CrashingCollector:
    """Replays a file but dies on its Nth fetch, as a killed process would."""

    name = "replay"

    def __init__(self, inner: ReplayCollector, *, crash_on: int) -> None:
        self.inner, self.crash_on, self.calls = inner, crash_on, 0

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        self.calls += 1
        if self.calls == self.crash_on:
            raise KeyboardInterrupt("killed mid-run")
        return self.inner.fetch(cursor, limit=limit)


@pytest.mark.parametrize("crash_on", [1, 2, 3])
def test_crash_between_batches_loses_nothing_and_repeats_nothing(
    engine: Engine, tmp_path: Path, crash_on: int
) -> None:
    path = _jsonl(tmp_path / "m.jsonl", 30)
    with pytest.raises(KeyboardInterrupt):
        run_collector(
            CrashingCollector(ReplayCollector([str(path)]), crash_on=crash_on),
            engine=engine,
            limit=10,
        )
    assert _stored(engine) == 10 * (crash_on - 1)
    resumed = run_collector(ReplayCollector([str(path)]), engine=engine, limit=10)
    assert resumed.duplicates == 0
    assert _stored(engine) == 30


def test_brand_own_posts_are_not_collected(engine: Engine, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "m.jsonl", 7, handle="brand")
    report = run_collector(
        ReplayCollector([str(path)]),
        engine=engine,
        own_handles=frozenset({"brand0@example.social"}),
    )
    assert report.new == 6
    assert _stored(engine) == 6


class RateLimitedCollector:
    name = "limited"

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        raise RateLimited(retry_after=60, message="rate limited; retry in 60 s")


def test_a_failing_source_is_recorded_unhealthy_and_keeps_its_cursor(engine: Engine) -> None:
    report = run_collector(RateLimitedCollector(), engine=engine)
    assert report.error == "rate limited; retry in 60 s"
    with Session(engine) as session:
        state = session.exec(select(SourceState).where(SourceState.name == "limited")).one()
    assert (state.health, state.cursor) == ("error", None)
    assert state.last_error == "rate limited; retry in 60 s"
