"""``socialcrm escalations`` as a user meets it; delivery wired into the pipeline and scheduler."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from config.settings import Settings
from socialcrm.cli import app
from socialcrm.scheduler import build_scheduler
from tests.fakes import TagJudge
from tests.responders.fake_receivers import WebhookReceiver
from tests.responders.test_escalation import escalate, rows, with_channels
from tests.socialcrm.test_pipeline import post, run

runner = CliRunner()


@pytest.fixture
def cli_env(engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The CLI reads the test database through the environment, like a user's shell."""
    monkeypatch.setenv("SOCIALCRM_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return engine


def test_a_delivery_that_keeps_failing_is_listed_then_retried(
    cli_env: Engine, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with WebhookReceiver(secret=None, fail_first=1) as receiver:
        monkeypatch.setenv("SOCIALCRM_ESCALATION__WEBHOOK_URL", receiver.url)
        monkeypatch.setenv("SOCIALCRM_ESCALATION__MAX_ATTEMPTS", "1")
        [escalation_id] = escalate(cli_env, settings, tmp_path, "fire #complaint #safety")

        failed = runner.invoke(app, ["escalations", "deliver"])
        assert failed.exit_code == 1, failed.output
        assert "delivered 0, retrying 0, failed 1" in failed.stdout

        table = runner.invoke(app, ["escalations", "--status", "failed"])
        assert table.exit_code == 0
        header, line = table.stdout.splitlines()
        assert header.split()[:6] == ["ID", "CASE", "LVL", "CHANNEL", "STATUS", "TRIES"]
        assert line.split()[:6] == [str(escalation_id), "C-000001", "1", "webhook", "failed", "1"]
        assert "answered HTTP 503" in line and "token=abc" not in line
        assert runner.invoke(app, ["escalations", "--status", "pending"]).stdout.startswith(
            "no escalations with status pending"
        )

        listed = json.loads(runner.invoke(app, ["escalations", "--json"]).stdout)["escalations"]
        assert [(e["id"], e["status"], e["attempts"]) for e in listed] == [
            (escalation_id, "failed", 1)
        ]
        assert listed[0]["target"] == receiver.url.split("/hooks")[0]

        retried = runner.invoke(app, ["escalations", "retry", str(escalation_id)])
        assert retried.exit_code == 0 and "pending again" in retried.stdout
        delivered = runner.invoke(app, ["escalations", "deliver", "--json"])
    assert delivered.exit_code == 0
    assert json.loads(delivered.stdout)["delivered"] == 1
    assert receiver.keys() == [f"escalation-{escalation_id}"]
    assert [r.status for r in rows(cli_env)] == ["delivered"]


def test_retry_explains_what_cannot_be_retried(cli_env: Engine) -> None:
    missing = runner.invoke(app, ["escalations", "retry", "999"])
    assert missing.exit_code == 1
    assert "there is no escalation 999" in missing.output
    assert runner.invoke(app, ["escalations"]).stdout.strip() == "no escalations"


def test_unconfigured_escalations_say_which_settings_to_set(
    cli_env: Engine, settings: Settings, tmp_path: Path
) -> None:
    escalate(cli_env, settings, tmp_path, "lawyer #complaint #legal")
    result = runner.invoke(app, ["escalations", "deliver"])
    assert result.exit_code == 1 and "escalation.webhook_url" in result.output
    [listed] = json.loads(runner.invoke(app, ["escalations", "--json"]).stdout)["escalations"]
    assert (listed["channel"], listed["status"]) == ("unconfigured", "failed")


def test_the_pipeline_delivers_what_it_escalated_in_the_same_pass(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret="k") as receiver:
        configured = with_channels(settings, webhook_url=receiver.url, webhook_secret="k")
        report = run(sqlite_engine, configured, tmp_path, post("1", "exploded #complaint #safety"))
    assert (report.escalations, report.escalations_delivered) == (1, 1)
    [got] = receiver.received
    assert got.payload["mention"]["text"] == "exploded #complaint #safety"


def test_the_scheduler_delivers_every_few_seconds_and_checks_slas_every_minute(
    sqlite_engine: Engine, settings: Settings
) -> None:
    scheduler = build_scheduler(
        engine=sqlite_engine, settings=settings, collectors=[], judge=TagJudge()
    )
    jobs = {job.id: job for job in scheduler.get_jobs()}
    deliver, sla = jobs["escalations:deliver"], jobs["sla:check"]
    assert deliver.trigger.interval <= timedelta(seconds=2)
    assert sla.trigger.interval == timedelta(minutes=1)
    assert all(job.max_instances == 1 and job.coalesce for job in (deliver, sla))
    assert deliver.func.keywords == {"engine": sqlite_engine, "settings": settings}
    report = deliver.func()  # one real pass on an empty database
    assert report.claimed == 0
    assert sla.func() == []
