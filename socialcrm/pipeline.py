"""The pipeline: collect → store → judge → route → draft → deliver escalations, in one function.

The CLI, the scheduler and the tests all call :func:`run_pipeline`. Each
stage reads its work from the store (mentions not yet judged, judged but not
routed) and commits per batch, so a crash anywhere resumes where it stopped
and a second run over the same input stores and decides nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy.engine import Engine

from classifiers.judgement import Judge
from config.settings import Settings
from crm.db import session_scope
from crm.mentions import pending_judgement, pending_routing, record_judgement
from listener.base import Collector
from listener.runner import CollectReport, run_collector
from responders.escalation import deliver_due
from responders.policy_file import policy_from_settings
from responders.routing import route_mentions
from responders.sla import use_sla

__all__ = [
    "PipelineReport",
    "Progress",
    "deliver_escalations",
    "judge_pending",
    "route_pending",
    "run_pipeline",
]

logger = logging.getLogger(__name__)

# Called with the stage name and how many items it just finished.
Progress = Callable[[str, int], None]

ROUTE_BATCH = 200
# Escalations delivered at most per pass; the scheduler's escalations:deliver job takes the rest.
DELIVER_LIMIT = 1000


@dataclass
class PipelineReport:
    """What one pass of the pipeline did."""

    sources: list[CollectReport] = field(default_factory=list)
    judged: int = 0
    routed: int = 0
    cases_opened: int = 0
    escalations: int = 0
    drafts: int = 0
    escalations_delivered: int = 0
    escalations_failed: int = 0


def run_pipeline(
    *,
    engine: Engine,
    settings: Settings,
    collectors: list[Collector],
    judge: Judge,
    progress: Progress | None = None,
) -> PipelineReport:
    """Collect from every collector, then judge and route everything that is waiting."""
    report = PipelineReport()
    own = frozenset(handle.casefold().lstrip("@") for handle in settings.brand.handles)
    for collector in collectors:
        collected = run_collector(collector, engine=engine, own_handles=own)
        report.sources.append(collected)
        _tell(progress, "collect", collected.fetched + len(collected.skipped))
    report.judged = judge_pending(
        engine=engine, judge=judge, batch_size=settings.classifier.batch_size, progress=progress
    )
    route_pending(engine=engine, settings=settings, report=report, progress=progress)
    deliver_escalations(engine=engine, settings=settings, report=report)
    logger.info("pipeline pass done", extra={"judged": report.judged, "routed": report.routed})
    return report


def judge_pending(
    *, engine: Engine, judge: Judge, batch_size: int, progress: Progress | None = None
) -> int:
    """Judge every stored mention that has no judgement yet; commits per batch."""
    judged = 0
    while True:
        with session_scope(engine) as session:
            mentions = pending_judgement(session=session, limit=batch_size)
            if not mentions:
                return judged
            verdicts = judge.predict([mention.text for mention in mentions])
            for mention, verdict in zip(mentions, verdicts, strict=True):
                record_judgement(session=session, mention=mention, judgement=asdict(verdict))
        judged += len(mentions)
        _tell(progress, "judge", len(mentions))


def route_pending(
    *, engine: Engine, settings: Settings, report: PipelineReport, progress: Progress | None = None
) -> None:
    """Route every judged mention not routed yet, oldest first; commits per batch."""
    policy = policy_from_settings(settings.routing)
    while True:
        with session_scope(engine) as session, use_sla(settings.sla):
            mentions = pending_routing(session=session, limit=ROUTE_BATCH)
            if not mentions:
                return
            outcomes = route_mentions(
                session=session, mentions=mentions, settings=settings.routing, policy=policy
            )
            for outcome in outcomes:
                report.cases_opened += outcome.opened_case
                report.escalations += outcome.escalated
                report.drafts += outcome.drafted
        report.routed += len(mentions)
        _tell(progress, "route", len(mentions))


def deliver_escalations(*, engine: Engine, settings: Settings, report: PipelineReport) -> None:
    """Deliver what routing just escalated (and anything else due) right after its commit."""
    delivery = deliver_due(engine=engine, settings=settings, limit=DELIVER_LIMIT)
    report.escalations_delivered += delivery.delivered
    report.escalations_failed += delivery.failed


def _tell(progress: Progress | None, stage: str, done: int) -> None:
    if progress is not None and done:
        progress(stage, done)
