"""The weekly report as a job: compute, write the files, record the run, deliver.

Used by ``socialcrm report weekly`` and by the scheduler (``WeeklyReportJob``,
a cron job at ``report.weekday``/``report.time`` in ``report.timezone``). When
the scheduler starts after that moment has passed without the last complete
week's report having been made (the machine was off on Monday morning), it
runs the job once at start, so the report still arrives that week.
Files go to ``<out_dir>/<week>/``; re-running a week and language replaces its
files and its row. Delivery reuses ``responders.channels``: e-mail to
``report.email_to`` through ``smtp`` with the PDF attached, and a JSON
webhook to ``report.webhook_url`` (signed with ``escalation.webhook_secret``
when one is set). A failed delivery is recorded on the row, never raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine

from config.settings import Settings
from crm.db import session_scope
from crm.types import utcnow
from reports.errors import UnknownLanguage
from reports.files import file_name, parse_formats, write_report
from reports.model import WeeklyReport
from reports.render import LANGUAGES, render_html, render_pdf, translator
from reports.store import get_report_record, mark_delivery, save_report_record
from reports.weekly import compute_report
from reports.weeks import ReportWeek, last_complete_week, parse_week, zone
from responders.channels import Delivery, post_webhook, send_email

__all__ = [
    "CATCH_UP_JOB",
    "ReportRun",
    "WeeklyReportJob",
    "add_weekly_report_job",
    "deliver_report",
    "missed_week",
    "resolve_week",
    "run_weekly_report",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportRun:
    """What one run made: the week, the files, and how delivery went (None: not attempted)."""

    week: str
    language: str
    directory: Path
    files: list[Path]
    summary: dict[str, object]
    delivered: bool | None
    delivery_error: str | None


def resolve_week(
    settings: Settings, week: str | None, *, now: datetime | None = None
) -> ReportWeek:
    """``week`` parsed in the report's time zone, or the last complete week."""
    tz = zone(settings.report.timezone)
    if week:
        return parse_week(week, tz=tz)
    return last_complete_week(now=now or utcnow(), tz=tz)


def run_weekly_report(
    *,
    engine: Engine,
    settings: Settings,
    week: str | None = None,
    language: str | None = None,
    out_dir: Path | None = None,
    formats: str | list[str] | None = None,
    deliver: bool = False,
    now: datetime | None = None,
) -> ReportRun:
    """Compute, write, record and (if asked) deliver one weekly report."""
    target = resolve_week(settings, week, now=now)
    language = language or settings.report.language
    if language not in LANGUAGES:
        raise UnknownLanguage(
            f"unknown report language {language!r}; choose one of {', '.join(LANGUAGES)}"
        )
    chosen = parse_formats(formats or list(settings.report.formats))
    directory = (out_dir or Path(settings.report.out_dir)) / target.label
    with session_scope(engine) as session:
        report = compute_report(
            session=session,
            week=target,
            language=language,
            brand=settings.brand.name,
            handles=settings.brand.handles,
        )
    files = write_report(report, directory=directory, formats=chosen)
    with session_scope(engine) as session:
        old = get_report_record(session=session, week=target.label, language=language)
        if old is not None:
            # A re-run with fewer formats must not leave last run's other files behind.
            for name in set(old.files) - {p.name for p in files}:
                if name.startswith(f"weekly-{target.label}-{language}."):
                    (Path(old.directory) / name).unlink(missing_ok=True)
        record = save_report_record(
            session=session,
            week=target.label,
            language=language,
            directory=directory.resolve(),
            files=files,
            summary=report.summary(),
            generated_at=report.week.generated_at,
        )
    logger.info(
        "weekly report %s written",
        target.label,
        extra={"week": target.label, "language": language, "files": len(files)},
    )
    delivered, error = None, None
    if deliver:
        error = deliver_report(report, settings=settings, files=files)
        delivered = error is None
        with session_scope(engine) as session:
            mark_delivery(session=session, record=session.merge(record), error=error)
    return ReportRun(target.label, language, directory, files, report.summary(), delivered, error)


def _pdf_bytes(report: WeeklyReport, files: list[Path]) -> bytes:
    existing = next((p for p in files if p.suffix == ".pdf"), None)
    return existing.read_bytes() if existing is not None else render_pdf(render_html(report))


def _text(report: WeeklyReport) -> str:
    t = translator(report.week.language)
    summary = report.summary()
    lines = [f"{t('title')} {report.week.label} — {report.week.brand}", ""]
    lines += [f"{key.replace('_', ' ')}: {value}" for key, value in summary.items()]
    return "\n".join(lines) + "\n"


def deliver_report(report: WeeklyReport, *, settings: Settings, files: list[Path]) -> str | None:
    """Send the report by e-mail and/or webhook as configured; the problems, or None."""
    outcomes: list[tuple[str, Delivery]] = []
    target = settings.report
    label = report.week.label
    if target.email_to:
        name = file_name(label, report.week.language, "pdf")
        outcomes.append(
            (
                "e-mail",
                send_email(
                    settings.smtp,
                    to=target.email_to,
                    subject=f"{translator(report.week.language)('title')} {label}",
                    text=_text(report),
                    attachments=((name, _pdf_bytes(report, files), "application/pdf"),),
                ),
            )
        )
    if target.webhook_url:
        secret = settings.escalation.webhook_secret
        payload = {
            "event": "weekly_report",
            "idempotency_key": f"weekly-report-{label}-{report.week.language}",
            "week": label,
            "language": report.week.language,
            "files": [p.name for p in files],
            "summary": report.summary(),
            "report": report.as_dict(),
        }
        outcomes.append(
            (
                "webhook",
                post_webhook(
                    target.webhook_url,
                    payload,
                    secret=secret.get_secret_value() if secret else None,
                    timeout=settings.escalation.timeout_seconds,
                ),
            )
        )
    if not outcomes:
        return "nowhere to deliver: set report.email_to and/or report.webhook_url"
    problems = [f"{channel}: {d.error}" for channel, d in outcomes if not d.succeeded]
    for channel, outcome in outcomes:
        logger.log(
            logging.INFO if outcome.succeeded else logging.WARNING,
            "weekly report %s by %s: %s",
            label,
            channel,
            "delivered" if outcome.succeeded else outcome.error,
            extra={"week": label, "channel": channel, "duration_ms": outcome.duration_ms},
        )
    return "; ".join(problems) or None


@dataclass
class WeeklyReportJob:
    """The scheduler's weekly job: the last complete week, delivered when a target is set."""

    engine: Engine
    settings: Settings

    job_id = "report:weekly"

    def __call__(self) -> None:
        """One run; failures are logged with the reason, the next week runs anyway."""
        report = self.settings.report
        try:
            run = run_weekly_report(
                engine=self.engine,
                settings=self.settings,
                deliver=bool(report.email_to or report.webhook_url),
            )
        except Exception:
            logger.exception("weekly report failed", extra={"job": self.job_id})
            return
        if run.delivery_error:
            logger.warning(
                "weekly report %s not delivered: %s",
                run.week,
                run.delivery_error,
                extra={"week": run.week},
            )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CATCH_UP_JOB = "report:weekly:catch-up"


def missed_week(*, engine: Engine, settings: Settings, now: datetime) -> str | None:
    """The last complete week, when its report was due before ``now`` and never made."""
    tz = zone(settings.report.timezone)
    week = last_complete_week(now=now, tz=tz)
    hour, minute = (int(part) for part in settings.report.time.split(":"))
    # The run that reports a week happens on the first report.weekday after that week.
    day = week.monday + timedelta(days=7 + WEEKDAYS.index(settings.report.weekday))
    due = datetime.combine(day, time(hour, minute), tzinfo=tz)
    if now < due:
        return None
    with session_scope(engine) as session:
        made = get_report_record(
            session=session, week=week.label, language=settings.report.language
        )
    return None if made is not None else week.label


def add_weekly_report_job(
    scheduler: BaseScheduler,
    *,
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
) -> WeeklyReportJob:
    """Schedule the weekly report at report.weekday and report.time in report.timezone.

    If this week's run is already past and its report missing, it also runs once now.
    """
    hour, minute = (int(part) for part in settings.report.time.split(":"))
    job = WeeklyReportJob(engine=engine, settings=settings)
    moment = now or utcnow()
    missed = missed_week(engine=engine, settings=settings, now=moment)
    if missed is not None:
        logger.info(
            "weekly report %s was due and not made; making it now",
            missed,
            extra={"week": missed, "job": CATCH_UP_JOB},
        )
        scheduler.add_job(
            job,
            "date",
            run_date=moment,
            id=CATCH_UP_JOB,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
            misfire_grace_time=None,
        )
    scheduler.add_job(
        job,
        CronTrigger(
            day_of_week=settings.report.weekday[:3],
            hour=hour,
            minute=minute,
            timezone=zone(settings.report.timezone),
        ),
        id=job.job_id,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=6 * 3600,  # a machine asleep at 08:00 still sends that morning
        replace_existing=True,
    )
    return job
