"""``socialcrm send``: one sending pass — reconcile replies of uncertain outcome, then post.

Continuous sending is the ``replies:send`` job of ``socialcrm run``; this
command runs one pass by hand (or from cron) and reports, per platform, what
was sent, failed, found again or left waiting, and why.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from responders.sending import SendReport, send_approved
from socialcrm.cli_common import ConfigOption, JsonOption, fail, open_store, read_settings

__all__ = ["format_report", "send"]


def send(
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run one sending pass and exit.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Post at most this many replies.")] = 50,
    json_out: JsonOption = False,
) -> None:
    """Post approved replies exactly once each (reconciling uncertain ones first)."""
    if not once:
        fail("continuous sending is part of `socialcrm run`; use `socialcrm send --once` here")
    settings = read_settings(config)
    engine = open_store(settings)
    report = send_approved(engine=engine, settings=settings, limit=limit)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        typer.echo(format_report(report))
    if any(counts.failed for counts in report.platforms.values()):
        raise typer.Exit(1)


def format_report(report: SendReport) -> str:
    """One line per platform with its counts, then why replies wait."""
    if not report.enabled:
        return report.note or "sending is off"
    if not report.platforms:
        return "nothing to send"
    lines = []
    for name, counts in sorted(report.platforms.items()):
        lines.append(
            f"{name}: {counts.sent} sent, {counts.reconciled} found after an uncertain attempt, "
            f"{counts.uncertain} uncertain, {counts.retried} to retry, {counts.failed} failed, "
            f"{counts.waiting} waiting"
        )
        lines.extend(f"  waiting: {why}" for why in counts.why_waiting)
    return "\n".join(lines)
