"""``socialcrm escalations``: list escalations and their delivery, retry a failed one, deliver now.

``socialcrm escalations [--status failed] [--json]`` lists them newest first;
``socialcrm escalations retry ID`` re-arms a failed one (audited);
``socialcrm escalations deliver`` runs one delivery pass and prints what it did
(exit status 1 when a try failed).
"""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from typing import Annotated, Any

import typer

from crm.db import session_scope
from crm.enums import EscalationStatus
from responders.errors import EscalationError
from responders.escalation import DeliveryReport, deliver_due
from responders.escalation_records import EscalationRow, list_escalations, retry_escalation
from socialcrm.cli_common import (
    ConfigOption,
    JsonOption,
    fail,
    one_line,
    open_store,
    read_settings,
)

__all__ = ["escalations_app"]

escalations_app = typer.Typer(
    help="Escalations to people: delivery status, retries, a delivery pass.",
    invoke_without_command=True,
)

StatusOption = Annotated[
    EscalationStatus | None, typer.Option("--status", help="Only escalations in this status.")
]
LimitOption = Annotated[int, typer.Option(min=1, help="At most this many, newest first.")]
ERROR_COLUMN = 60


@escalations_app.callback()
def escalations(
    ctx: typer.Context,
    status: StatusOption = None,
    limit: LimitOption = 200,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """List escalations: case, level, channel, status, attempts, last error, next attempt."""
    if ctx.invoked_subcommand is not None:
        return
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        rows = list_escalations(session=session, statuses=(status,) if status else (), limit=limit)
    if json_out:
        typer.echo(json.dumps({"escalations": [_as_json(row) for row in rows]}, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no escalations" + (f" with status {status}" if status else ""))
        return
    typer.echo(
        f"{'ID':>6}  {'CASE':<9} {'LVL':>3}  {'CHANNEL':<12} {'STATUS':<12} {'TRIES':>5}  "
        f"{'NEXT ATTEMPT':<20} LAST ERROR"
    )
    for row in rows:
        typer.echo(
            f"{row.id:>6}  {row.case_ref:<9} {row.level:>3}  {row.channel:<12} {row.status:<12} "
            f"{row.attempts:>5}  {_when(row.next_attempt_at):<20} "
            + one_line(row.last_error, ERROR_COLUMN)
        )


@escalations_app.command("retry")
def retry(
    escalation_id: Annotated[int, typer.Argument(metavar="ID", help="The escalation to re-arm.")],
    config: ConfigOption = None,
) -> None:
    """Re-arm a failed escalation: it is delivered on the next pass, tries counted afresh."""
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            escalation = retry_escalation(
                session=session, escalation_id=escalation_id, actor=f"cli:{_user()}"
            )
            channel = escalation.channel
    except EscalationError as exc:
        fail(str(exc))
    typer.echo(
        f"escalation {escalation_id} ({channel}) is pending again; `socialcrm escalations "
        "deliver` sends it now, `socialcrm run` within seconds"
    )


@escalations_app.command("deliver")
def deliver(
    limit: LimitOption = 1000, json_out: JsonOption = False, config: ConfigOption = None
) -> None:
    """Deliver every due escalation once, now; exit status 1 when a try failed."""
    settings = read_settings(config)
    report = deliver_due(engine=open_store(settings), settings=settings, limit=limit)
    if json_out:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    if report.failed or report.retrying:
        raise typer.Exit(1)


def _print_report(report: DeliveryReport) -> None:
    typer.echo(
        f"claimed {report.claimed}, delivered {report.delivered}, retrying {report.retrying}, "
        f"failed {report.failed}, put back {report.deferred}"
    )
    for error in report.errors:
        typer.echo(f"  {one_line(error, 300)}", err=True)


def _as_json(row: EscalationRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "case_id": row.case_id,
        "case_ref": row.case_ref,
        "level": row.level,
        "channel": row.channel,
        "target": row.target,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "next_attempt_at": _iso(row.next_attempt_at),
        "delivered_at": _iso(row.delivered_at),
        "created_at": _iso(row.created_at),
    }


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
