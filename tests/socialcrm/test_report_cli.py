"""``socialcrm report weekly|list``, delivery through real local receivers, and the weekly job."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner, Result

from config.settings import Settings, load_settings
from crm.db import session_scope
from crm.models import WeeklyReport as WeeklyReportRecord
from socialcrm.cli import app
from socialcrm.report_job import (
    CATCH_UP_JOB,
    WeeklyReportJob,
    add_weekly_report_job,
    missed_week,
    run_weekly_report,
)
from socialcrm.scheduler import build_scheduler
from tests.fakes import TagJudge
from tests.reports import dataset
from tests.responders.fake_receivers import SmtpReceiver, WebhookReceiver


def invoke(engine: Engine, *args: str, **env: str) -> Result:
    environment = {
        "SOCIALCRM_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SOCIALCRM_REPORT__TIMEZONE": "Europe/Berlin",
        **env,
    }
    return CliRunner().invoke(app, ["report", *args], env=environment)


def rows(engine: Engine) -> list[WeeklyReportRecord]:
    with session_scope(engine) as session:
        return list(session.exec(select(WeeklyReportRecord)))


def test_weekly_writes_records_and_replaces_its_own_files(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    dataset.build(engine)
    out = tmp_path / "out"
    first = invoke(
        engine, "weekly", "--week", "2026-W44", "--format", "json,csv", "--out", str(out)
    )
    assert first.exit_code == 0, first.output
    week_dir = out / "2026-W44"
    assert sorted(p.name for p in week_dir.iterdir()) == [
        "weekly-2026-W44-en.csv",
        "weekly-2026-W44-en.json",
    ]
    data = json.loads((week_dir / "weekly-2026-W44-en.json").read_text(encoding="utf-8"))
    assert data["volume"]["total"]["value"] == 27
    second = invoke(
        engine, "weekly", "--week", "2026-w44", "--format", "json", "--out", str(out), "--json"
    )
    assert second.exit_code == 0, second.output
    printed = json.loads(second.stdout)
    assert printed["week"] == "2026-W44" and printed["delivered"] is None
    assert [p.name for p in week_dir.iterdir()] == ["weekly-2026-W44-en.json"]
    (row,) = rows(engine)
    assert (row.week, row.language, row.files) == ("2026-W44", "en", ["weekly-2026-W44-en.json"])
    assert row.summary["mentions"] == 27 and row.delivered_at is None
    listed = invoke(engine, "list", "--json")
    reports = json.loads(listed.stdout)["reports"]
    assert [(r["week"], r["files"]) for r in reports] == [("2026-W44", ["weekly-2026-W44-en.json"])]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--week", "2026-W60"], 2, "2026 has ISO weeks 01 to 53"),
        (["--week", "last week"], 2, "write it as YEAR-Www"),
        (["--format", "html,docx"], 2, "unknown report format docx"),
        (["--language", "de"], 2, "'de' is not one of"),
    ],
)
def test_weekly_refuses_bad_input_with_a_reason(
    sqlite_engine: Engine, settings: Settings, args: list[str], code: int, message: str
) -> None:
    result = invoke(sqlite_engine, "weekly", *args)
    assert result.exit_code == code
    assert message in result.output
    assert rows(sqlite_engine) == []


def test_weekly_says_when_the_directory_cannot_be_written(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = invoke(sqlite_engine, "weekly", "--format", "json", "--out", str(blocker))
    assert result.exit_code == 1
    assert "cannot create the report directory" in result.output
    assert "--out" in result.output


def test_delivery_by_email_with_the_pdf_and_by_signed_webhook(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    dataset.build(sqlite_engine)
    with SmtpReceiver() as smtp, WebhookReceiver(secret="s3cret") as hook:
        result = invoke(
            sqlite_engine,
            "weekly",
            "--week",
            "2026-W44",
            "--format",
            "json",
            "--out",
            str(tmp_path),
            "--deliver",
            SOCIALCRM_SMTP__HOST="127.0.0.1",
            SOCIALCRM_SMTP__PORT=str(smtp.port),
            SOCIALCRM_SMTP__TLS="none",
            SOCIALCRM_REPORT__EMAIL_TO='["lead@example.com"]',
            SOCIALCRM_REPORT__WEBHOOK_URL=hook.url,
            SOCIALCRM_ESCALATION__WEBHOOK_SECRET="s3cret",
        )
        assert result.exit_code == 0, result.output
        assert "delivered" in result.output
        ((envelope, message),) = smtp.messages
        assert envelope.rcpt_tos == ["lead@example.com"]
        assert "2026-W44" in message["Subject"]
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_filename() == "weekly-2026-W44-en.pdf"
        assert attachment.get_content().startswith(b"%PDF")
        assert "mentions: 27" in message.get_body(("plain",)).get_content()
        (request,) = hook.received
        assert hook.rejected == []  # the signature checked out
        payload = request.payload
        assert payload["week"] == "2026-W44" and payload["summary"]["mentions"] == 27
        assert set(payload["report"]) >= {"advocates", "at_risk", "service", "topics"}
    (row,) = rows(sqlite_engine)
    assert row.delivered_at is not None and row.delivery_error is None


def test_failed_delivery_is_recorded_and_listed(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    with WebhookReceiver(secret=None, fail_first=5, fail_status=500) as hook:
        result = invoke(
            sqlite_engine,
            "weekly",
            "--format",
            "json",
            "--out",
            str(tmp_path),
            "--deliver",
            SOCIALCRM_REPORT__WEBHOOK_URL=hook.url,
        )
    assert result.exit_code == 1
    assert "answered HTTP 500" in result.output
    assert "token=abc" not in result.output
    (row,) = rows(sqlite_engine)
    assert row.delivered_at is None and "HTTP 500" in (row.delivery_error or "")
    listed = invoke(sqlite_engine, "list")
    assert "not delivered: webhook:" in listed.output


def test_the_scheduler_runs_the_report_weekly_at_the_set_local_time(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    configured = load_settings(
        database_url=settings.database_url,
        report={
            "weekday": "tuesday",
            "time": "07:30",
            "timezone": "Europe/Istanbul",
            "out_dir": str(tmp_path / "reports"),
            "formats": ["json"],
        },
    )
    scheduler = build_scheduler(
        engine=sqlite_engine, settings=configured, collectors=[], judge=TagJudge()
    )
    job = scheduler.get_job(WeeklyReportJob.job_id)
    assert job is not None and isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("tue", "7", "30")
    assert str(job.trigger.timezone) == "Europe/Istanbul"
    assert job.max_instances == 1 and job.coalesce is True
    job.func()  # one run now: the last complete week, nowhere to deliver
    (row,) = rows(sqlite_engine)
    assert (tmp_path / "reports" / row.week / f"weekly-{row.week}-en.json").is_file()
    assert row.delivered_at is None and row.delivery_error is None


def test_a_missed_weekly_run_is_made_up_when_the_scheduler_starts(
    sqlite_engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    """Off on Monday morning: started on Wednesday, the scheduler makes last week's report."""
    configured = load_settings(
        database_url=settings.database_url,
        report={
            "weekday": "monday",
            "time": "08:00",
            "timezone": "Europe/Berlin",
            "out_dir": str(tmp_path / "reports"),
            "formats": ["json"],
        },
    )
    # 07:00 in Berlin on Monday 2 November: W44's run is not due for another hour.
    early = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
    assert missed_week(engine=sqlite_engine, settings=configured, now=early) is None
    wednesday = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
    assert missed_week(engine=sqlite_engine, settings=configured, now=wednesday) == "2026-W44"
    scheduler = BackgroundScheduler()
    add_weekly_report_job(scheduler, engine=sqlite_engine, settings=configured, now=wednesday)
    catch_up = scheduler.get_job(CATCH_UP_JOB)
    assert catch_up is not None and catch_up.trigger.run_date == wednesday
    run_weekly_report(engine=sqlite_engine, settings=configured, week="2026-W44")
    # Once made (by hand here), a restart does not make it again.
    assert missed_week(engine=sqlite_engine, settings=configured, now=wednesday) is None
    again = BackgroundScheduler()
    add_weekly_report_job(again, engine=sqlite_engine, settings=configured, now=wednesday)
    assert again.get_job(CATCH_UP_JOB) is None
    assert again.get_job(WeeklyReportJob.job_id) is not None
