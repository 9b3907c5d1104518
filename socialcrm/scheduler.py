"""``socialcrm run``: one scheduled job per enabled source, each running the whole pipeline.

Jobs never overlap (``max_instances=1``) and missed runs collapse into one
(``coalesce``). A rate limit never blocks a thread: the job moves its own next
run to the platform's reset. A source without a reset (X's monthly cap) waits
``CAP_WAIT``; repeated failures back off with jitter up to ``MAX_BACKOFF``. A
source whose credential was refused is taken off the schedule until restart.
The log speaks when a source's health changes (the runner says why), never on
every failed run.
"""

from __future__ import annotations

import functools
import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from classifiers.judgement import Judge
from config.settings import Settings
from crm.types import utcnow
from listener.base import Collector
from responders.escalation import deliver_due
from responders.sending import OFF_NOTE, SendJob
from responders.sla import run_sla_check
from socialcrm.pipeline import run_pipeline
from socialcrm.report_job import add_weekly_report_job

__all__ = ["SourceJob", "build_scheduler", "poll_seconds"]

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 60  # a source without a section of its own in the settings
SEND_INTERVAL = 5  # seconds between sending passes (replies:send)
# Seconds between escalation delivery passes (retries, console and SLA escalations) and SLA checks.
DELIVER_INTERVAL = 2
SLA_INTERVAL = 60
CAP_WAIT = timedelta(hours=6)
MAX_BACKOFF = timedelta(minutes=30)


@dataclass
class SourceJob:
    """Runs one source through the pipeline and decides when it should run next."""

    collector: Collector
    engine: Engine
    settings: Settings
    judge: Judge
    scheduler: BackgroundScheduler | None = None
    failures: int = field(default=0)
    health: str = field(default="ok")

    @property
    def job_id(self) -> str:
        """The scheduler's id for this source."""
        return f"source:{self.collector.name}"

    def __call__(self) -> None:
        """One run; on trouble, move the next run instead of sleeping."""
        report = run_pipeline(
            engine=self.engine,
            settings=self.settings,
            collectors=[self.collector],
            judge=self.judge,
        ).sources[0]
        changed, self.health = report.health != self.health, report.health
        if report.health == "auth_failed" and self.scheduler is not None:
            self.scheduler.remove_job(self.job_id)
            logger.info(  # the runner has already warned, with the setting to fix
                "source %s is off the schedule until socialcrm run is restarted",
                self.collector.name,
                extra={"source": self.collector.name, "health": report.health},
            )
            return
        delay = self._delay(
            report.error, rate_limited=report.rate_limited, retry_after=report.retry_after
        )
        if delay is not None and self.scheduler is not None:
            next_run = utcnow() + delay
            self.scheduler.modify_job(self.job_id, next_run_time=next_run)
            logger.log(
                logging.INFO if changed else logging.DEBUG,
                "source %s tries again at %s",
                self.collector.name,
                next_run.isoformat(timespec="seconds"),
                extra={"source": self.collector.name, "health": report.health},
            )

    def _delay(
        self, error: str | None, *, rate_limited: bool, retry_after: float | None
    ) -> timedelta | None:
        if error is None:
            self.failures = 0
            return None
        if rate_limited:
            return timedelta(seconds=retry_after + 1) if retry_after is not None else CAP_WAIT
        self.failures += 1
        backoff = min(MAX_BACKOFF.total_seconds(), 30 * 2 ** min(self.failures, 10))
        return timedelta(seconds=backoff * random.uniform(0.5, 1.0))  # noqa: S311 (jitter)


def poll_seconds(settings: Settings, source: str) -> int:
    """Seconds between runs of ``source``: its ``poll_seconds`` setting (floored per platform)."""
    section = getattr(settings, source, None)
    return int(getattr(section, "poll_seconds", DEFAULT_POLL_SECONDS))


def build_scheduler(
    *, engine: Engine, settings: Settings, collectors: list[Collector], judge: Judge
) -> BackgroundScheduler:
    """A scheduler with one job per collector; call ``start()`` to begin."""
    scheduler = BackgroundScheduler(timezone="UTC")
    for collector in collectors:
        job = SourceJob(collector, engine, settings, judge, scheduler)
        scheduler.add_job(
            job,
            "interval",
            seconds=poll_seconds(settings, collector.name),
            id=job.job_id,
            max_instances=1,
            coalesce=True,
            next_run_time=utcnow(),
            misfire_grace_time=None,
        )
    if settings.send.enabled:  # posts approved replies, once each
        send = SendJob(engine=engine, settings=settings)
        scheduler.add_job(
            send,
            "interval",
            seconds=SEND_INTERVAL,
            id=send.job_id,
            max_instances=1,
            coalesce=True,
            next_run_time=utcnow(),
            misfire_grace_time=None,
        )
    else:
        logger.info(OFF_NOTE, extra={"job": SendJob.job_id})
    for job_id, seconds, work in (
        ("escalations:deliver", DELIVER_INTERVAL, deliver_due),
        ("sla:check", SLA_INTERVAL, run_sla_check),
    ):
        scheduler.add_job(
            functools.partial(work, engine=engine, settings=settings),
            "interval",
            seconds=seconds,
            id=job_id,
            max_instances=1,
            coalesce=True,
            next_run_time=utcnow(),
            misfire_grace_time=None,
        )
    add_weekly_report_job(scheduler, engine=engine, settings=settings)
    return scheduler
