"""``socialcrm send --once`` and the ``replies:send`` job, against a fake Mastodon."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from config.settings import Settings, load_settings
from crm.db import create_db_engine, migrate
from crm.enums import ReplyStatus
from socialcrm.cli import app
from socialcrm.scheduler import build_scheduler
from tests.fakes import TagJudge
from tests.responders.fake_write_mastodon import TOKEN, FakeWriteMastodon
from tests.responders.test_sending import approved_reply, load

runner = CliRunner()


@pytest.fixture
def store(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A migrated SQLite file that the CLI is pointed at."""
    url = f"sqlite:///{tmp_path / 'send.db'}"
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", url)
    engine = create_db_engine(url)
    migrate(engine)
    return engine


@pytest.fixture
def mastodon(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWriteMastodon]:
    fake = FakeWriteMastodon()
    with fake.running():
        monkeypatch.setenv("SOCIALCRM_MASTODON__API_BASE_URL", fake.url)
        monkeypatch.setenv("SOCIALCRM_MASTODON__ACCESS_TOKEN", TOKEN)
        yield fake


def test_sending_is_off_unless_enabled(store: Engine, mastodon: FakeWriteMastodon) -> None:
    reply_id = approved_reply(store)

    result = runner.invoke(app, ["send", "--once"])

    assert result.exit_code == 0, result.output
    assert "SOCIALCRM_SEND__ENABLED=true" in result.output
    assert mastodon.requests == []
    assert load(store, reply_id)[0].status == ReplyStatus.APPROVED


def test_one_pass_posts_and_says_what_waits_and_why(
    store: Engine, mastodon: FakeWriteMastodon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCRM_SEND__ENABLED", "true")
    posted = approved_reply(store)
    waiting = approved_reply(store, platform="x", external_id="1859312345678901234")

    result = runner.invoke(app, ["send", "--once"])
    again = runner.invoke(app, ["send", "--once", "--json"])

    assert result.exit_code == 0, result.output
    assert "mastodon: 1 sent" in result.output
    assert "x: 0 sent" in result.output and "waiting: x cannot post" in result.output
    report = json.loads(again.stdout)
    assert "mastodon" not in report["platforms"]  # nothing left to do there
    assert report["platforms"]["x"]["waiting"] == 1
    assert len(mastodon.statuses) == 1
    assert load(store, posted)[0].platform_reply_id == mastodon.statuses[0]["id"]
    assert load(store, waiting)[0].status == ReplyStatus.APPROVED


def test_a_failed_reply_makes_the_exit_status_1(
    store: Engine, mastodon: FakeWriteMastodon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALCRM_SEND__ENABLED", "true")
    reply_id = approved_reply(store)
    mastodon.fail_next("404")

    result = runner.invoke(app, ["send", "--once"])

    assert result.exit_code == 1
    assert "1 failed" in result.output
    assert load(store, reply_id)[0].status == ReplyStatus.FAILED


def test_send_without_once_points_at_run(store: Engine) -> None:
    result = runner.invoke(app, ["send"])

    assert result.exit_code == 1
    assert "socialcrm run" in result.output


def test_the_scheduler_sends_every_few_seconds_only_when_enabled(
    store: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    off = build_scheduler(engine=store, settings=settings, collectors=[], judge=TagJudge())
    monkeypatch.setenv("SOCIALCRM_SEND__ENABLED", "true")
    on = build_scheduler(engine=store, settings=load_settings(), collectors=[], judge=TagJudge())

    assert "replies:send" not in {job.id for job in off.get_jobs()}
    [job] = [job for job in on.get_jobs() if job.id == "replies:send"]
    assert job.max_instances == 1 and job.coalesce
    assert job.trigger.interval.total_seconds() <= 10
