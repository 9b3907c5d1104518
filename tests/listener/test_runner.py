"""The runner: stores once, moves the cursor with the batch, survives a crash mid-run."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from crm.models import AuditEvent, Mention, SourceState
from crm.sources import list_gaps
from listener.base import Batch, Gap, Skipped
from listener.errors import (
    AuthFailed,
    ListenerError,
    MalformedPayload,
    RateLimited,
    SourceUnavailable,
    UsageCapped,
)
from listener.replay import ReplayCollector
from listener.runner import RATE_LIMIT_WAIT, run_collector
from tests.conftest import make_mention


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
    assert (state.health, state.cursor) == ("rate_limited", None)
    assert state.last_error == "rate limited; retry in 60 s"


class _Scripted:
    """A collector that hands out prepared batches, one per fetch, and records the cursors."""

    name = "scripted"

    def __init__(self, *batches: Batch) -> None:
        self.batches = list(batches)
        self.cursors: list[str | None] = []

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        self.cursors.append(cursor)
        return self.batches.pop(0) if self.batches else Batch(cursor=cursor)


def test_deletions_are_purged_and_gaps_recorded_with_the_cursor(engine: Engine) -> None:
    kept, gone = make_mention(text="stays"), make_mention(text="my address is 1 Main St")
    gap = Gap("2026-01-01T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "x search: too old")
    run_collector(_Scripted(Batch(mentions=[kept, gone], cursor="1")), engine=engine)
    second = _Scripted(
        Batch(cursor="2", deleted=[gone.external_id, "never-stored"], gaps=[gap, gap])
    )
    second_run = run_collector(second, engine=engine)
    assert len(second_run.purged_ids) == 1 and second_run.gaps == [gap, gap]
    with Session(engine) as session:
        texts = {
            m.external_id: (m.text, m.raw, m.deleted_at) for m in session.exec(select(Mention))
        }
        assert texts[kept.external_id][0] == "stays"
        assert texts[gone.external_id][:2] == ("", {})
        assert texts[gone.external_id][2] is not None
        assert session.exec(select(SourceState)).one().cursor == "2"
        gaps = list_gaps(session=session, source="scripted")
        assert [(g.start, g.end, g.reason) for g in gaps] == [(gap.start, gap.end, gap.reason)]
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "mention.deleted")).one()
        assert audit.detail == {"source": "scripted"}
    again = run_collector(_Scripted(Batch(cursor="3", deleted=[gone.external_id])), engine=engine)
    assert again.purged_ids == []  # purged once; a repeated report changes nothing


def test_a_crash_while_purging_keeps_the_old_cursor_and_the_text(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = make_mention(text="delete me")
    run_collector(_Scripted(Batch(mentions=[gone], cursor="1")), engine=engine)

    def crash(**_: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr("listener.runner.record_gap", crash)
    with pytest.raises(RuntimeError):
        run_collector(
            _Scripted(Batch(cursor="2", deleted=[gone.external_id], gaps=[Gap(None, None, "x")])),
            engine=engine,
        )
    with Session(engine) as session:
        assert session.exec(select(Mention.text)).one() == "delete me"
        assert session.exec(select(SourceState)).one().cursor == "1"


class _Failing:
    """Raises the queued errors one fetch each, then hands out an empty batch."""

    name = "failing"

    def __init__(self, *errors: ListenerError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return Batch(cursor="after")


def _health(engine: Engine, name: str) -> tuple[str, str | None]:
    with Session(engine) as session:
        state = session.exec(select(SourceState).where(SourceState.name == name)).one()
        return state.health, state.last_error


@pytest.mark.parametrize(
    ("error", "health", "wait"),
    [
        (RateLimited(30.0, "slow down"), "rate_limited", 30.0),
        (RateLimited(None, "slow down, no reset"), "rate_limited", RATE_LIMIT_WAIT),
        (UsageCapped("monthly cap reached; it resets with the billing month"), "capped", None),
        (SourceUnavailable("503 from the platform"), "unavailable", None),
    ],
)
def test_each_failure_sets_its_own_health_and_wait(
    engine: Engine, error: ListenerError, health: str, wait: float | None
) -> None:
    report = run_collector(_Failing(error), engine=engine)
    assert (report.health, report.retry_after) == (health, wait)
    assert report.rate_limited is isinstance(error, RateLimited)
    assert _health(engine, "failing") == (health, str(error))


def test_a_refused_credential_stops_the_collector_until_it_is_built_again(engine: Engine) -> None:
    collector = _Failing(AuthFailed("x.bearer_token (SOCIALCRM_X__BEARER_TOKEN)", "401"))
    first = run_collector(collector, engine=engine)
    again = run_collector(collector, engine=engine)
    assert collector.calls == 1  # the platform is not asked again with the refused credential
    assert first.health == again.health == "auth_failed"
    assert "x.bearer_token" in (again.error or "") and "restart" in (again.error or "")
    assert _health(engine, "failing")[0] == "auth_failed"
    rebuilt = run_collector(_Failing(), engine=engine)  # a restart builds a new collector
    assert (rebuilt.error, rebuilt.health) == (None, "ok")
    assert _health(engine, "failing") == ("ok", None)


def test_the_log_speaks_when_health_changes_not_on_every_failure(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    down = [SourceUnavailable("platform answered 503") for _ in range(3)]
    collector = _Failing(*down, RateLimited(10.0, "rate limited"))
    with caplog.at_level(logging.DEBUG, logger="listener.runner"):
        for _ in range(6):
            run_collector(collector, engine=engine)
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.INFO]
    assert said == [
        ("WARNING", "source failing is unavailable: platform answered 503"),
        ("WARNING", "source failing is rate_limited: rate limited"),
        ("INFO", "source failing is healthy again (was rate_limited)"),
    ]
    assert all(r.__dict__["source"] == "failing" for r in caplog.records)


def test_skipped_items_are_one_line_a_batch_and_a_known_gap_is_logged_once(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    bad = [MalformedPayload(f"x tweet {i}", "no text") for i in range(5)]
    skipped = [Skipped(e.where, e.why) for e in bad]
    gap = Gap("2026-01-01", "2026-01-03", "x search: too old")
    collector = _Scripted(
        Batch(skipped=skipped, gaps=[gap], cursor="1"), Batch(gaps=[gap], cursor="2")
    )
    with caplog.at_level(logging.WARNING, logger="listener.runner"):
        run_collector(collector, engine=engine)
        run_collector(collector, engine=engine)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "source scripted skipped 5 item(s), e.g. x tweet 0: no text; x tweet 1: no text; "
        "x tweet 2: no text",
        f"source scripted lost data: {gap}",
    ]
    with Session(engine) as session:
        assert session.exec(select(SourceState)).one().skipped_total == 5
