"""Scheduling: one polite job per source; rate limits move the next run instead of sleeping."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from config.settings import Settings
from listener.base import Batch
from listener.errors import RateLimited, SourceUnavailable
from listener.replay import ReplayCollector
from socialcrm.scheduler import CAP_WAIT, MAX_BACKOFF, SourceJob, build_scheduler
from tests.fakes import TagJudge


class Failing:
    """A source that always fails with the given error."""

    def __init__(self, name: str, error: Exception) -> None:
        self.name, self.error = name, error

    def fetch(self, cursor: str | None, *, limit: int) -> Batch:
        raise self.error


@contextlib.contextmanager
def _paused(engine: Engine, settings: Settings, collector: object) -> Iterator[BackgroundScheduler]:
    """A started, paused scheduler with ``collector``'s job; shut down afterwards."""
    scheduler = build_scheduler(
        engine=engine,
        settings=settings,
        judge=TagJudge(),
        collectors=[collector],  # type: ignore[list-item]
    )
    scheduler.start(paused=True)
    try:
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)


def _job(engine: Engine, settings: Settings, collector: object) -> SourceJob:
    scheduler = build_scheduler(
        engine=engine,
        settings=settings,
        collectors=[collector],  # type: ignore[list-item]
        judge=TagJudge(),
    )
    return scheduler.get_job(f"source:{collector.name}").func  # type: ignore[attr-defined,no-any-return]


def test_each_source_gets_one_non_overlapping_coalescing_job(
    sqlite_engine: Engine, settings: Settings
) -> None:
    scheduler = build_scheduler(
        engine=sqlite_engine,
        settings=settings,
        judge=TagJudge(),
        collectors=[
            Failing("x", SourceUnavailable("down")),
            Failing("reddit", SourceUnavailable("down")),
        ],
    )
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert {"source:x", "source:reddit", "escalations:deliver", "sla:check"} <= set(jobs)
    assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
    assert jobs["source:x"].trigger.interval == timedelta(seconds=120)
    assert jobs["source:reddit"].trigger.interval == timedelta(seconds=60)


def test_poll_intervals_come_from_settings_and_respect_each_platforms_floor(
    sqlite_engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config.settings import ConfigError, load_settings

    monkeypatch.setenv("SOCIALCRM_X__POLL_SECONDS", "300")
    scheduler = build_scheduler(
        engine=sqlite_engine,
        settings=load_settings(),
        judge=TagJudge(),
        collectors=[Failing("x", SourceUnavailable("down"))],
    )
    assert scheduler.get_job("source:x").trigger.interval == timedelta(seconds=300)

    monkeypatch.setenv("SOCIALCRM_X__POLL_SECONDS", "5")
    with pytest.raises(ConfigError, match=r"x\.poll_seconds"):
        load_settings()


def test_rate_limit_waits_for_the_reset_and_a_cap_waits_long(
    sqlite_engine: Engine, settings: Settings
) -> None:
    job = _job(sqlite_engine, settings, Failing("x", RateLimited(900, "rate limited")))
    assert job._delay("rate limited", rate_limited=True, retry_after=900) == timedelta(seconds=901)
    assert job._delay("monthly cap", rate_limited=True, retry_after=None) == CAP_WAIT


def test_failures_back_off_with_jitter_and_success_resets(
    sqlite_engine: Engine, settings: Settings
) -> None:
    job = _job(sqlite_engine, settings, Failing("x", SourceUnavailable("down")))
    delays = [job._delay("down", rate_limited=False, retry_after=None) for _ in range(12)]
    assert all(d is not None and d <= MAX_BACKOFF for d in delays)
    assert delays[0] is not None and delays[3] is not None and delays[3] > delays[0]
    assert job._delay(None, rate_limited=False, retry_after=None) is None
    assert job.failures == 0


def test_a_rate_limited_run_moves_its_own_next_run(
    sqlite_engine: Engine, settings: Settings
) -> None:
    with _paused(sqlite_engine, settings, Failing("x", RateLimited(600, "rate limited"))) as sched:
        job = sched.get_job("source:x")
        before = job.next_run_time
        job.func()
        after = sched.get_job("source:x").next_run_time
        assert after - before >= timedelta(seconds=590)


def test_a_job_runs_the_whole_pipeline(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps(
            {
                "platform": "x",
                "external_id": "1",
                "author": {"id": "a"},
                "text": "broken #complaint #legal",
                "posted_at": "-1h",
            }
        )
        + "\n"
    )
    _job(sqlite_engine, settings, ReplayCollector([str(path)]))()
    with sqlite_engine.connect() as connection:
        routed = connection.execute(sa.text("select route_rule from mention")).scalar_one()
    assert routed == "complaint-with-risk"


def test_run_collects_until_ctrl_c(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps(
            {
                "platform": "x",
                "external_id": "1",
                "author": {"id": "a"},
                "text": "hello",
                "posted_at": "-1h",
            }
        )
        + "\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALCRM_")}
    env.update(
        SOCIALCRM_REPLAY__PATHS=json.dumps([str(path)]),
        SOCIALCRM_CLASSIFIER__JUDGE="baseline",
        SOCIALCRM_DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "socialcrm", "run", "--no-serve"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'run.db'}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with engine.connect() as connection:
                    if connection.execute(
                        sa.text("select count(*) from mention where routed_at is not null")
                    ).scalar():
                        break
            except sa.exc.OperationalError:
                pass
            time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "collecting from replay" in stderr and "stopped" in stderr


def test_a_source_failing_the_same_way_again_is_quiet(
    sqlite_engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    failing = Failing("x", SourceUnavailable("connection refused"))
    with _paused(sqlite_engine, settings, failing) as scheduler:
        job = scheduler.get_job("source:x").func
        caplog.set_level("DEBUG")
        for _ in range(4):
            job()
        loud = [r for r in caplog.records if r.levelno >= logging.INFO and "x" in r.getMessage()]
        # One line from the runner (ok -> unavailable) and one with the next try; not four each.
        assert [r.name for r in loud] == ["listener.runner", "socialcrm.scheduler"], loud
        assert "unavailable" in loud[0].getMessage()


def test_a_refused_credential_takes_the_source_off_the_schedule(
    sqlite_engine: Engine, settings: Settings
) -> None:
    from listener.errors import AuthFailed

    refused = Failing("x", AuthFailed("x.bearer_token", "401 Unauthorized"))
    with _paused(sqlite_engine, settings, refused) as scheduler:
        scheduler.get_job("source:x").func()
        assert scheduler.get_job("source:x") is None
        assert scheduler.get_job("sla:check") is not None  # the rest goes on
