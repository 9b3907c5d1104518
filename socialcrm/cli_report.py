"""``socialcrm report weekly`` and ``socialcrm report list``: the weekly advocacy report by hand."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crm.db import session_scope
from reports.errors import ReportError
from reports.store import list_report_records
from socialcrm.cli_common import ConfigOption, JsonOption, fail, open_store, read_settings
from socialcrm.report_job import run_weekly_report

__all__ = ["report_app"]

report_app = typer.Typer(help="The weekly advocacy report.", no_args_is_help=True)


class Language(StrEnum):
    """Languages the report is written in."""

    EN = "en"
    TR = "tr"
    FA = "fa"


@report_app.command("weekly")
def weekly(
    config: ConfigOption = None,
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2026-W47; default: the last complete week.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Directory for the files [report.out_dir].")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Comma-separated: html,pdf,csv,json [report.formats]."),
    ] = None,
    language: Annotated[
        Language | None, typer.Option(help="Report language [report.language].")
    ] = None,
    deliver: Annotated[
        bool,
        typer.Option(
            "--deliver/--no-deliver", help="Send by e-mail/webhook as report.* settings say."
        ),
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Write the weekly report for one ISO week, record it, and deliver it when asked."""
    settings = read_settings(config)
    engine = open_store(settings)
    try:
        run = run_weekly_report(
            engine=engine,
            settings=settings,
            week=week,
            language=language.value if language else None,
            out_dir=out,
            formats=fmt,
            deliver=deliver,
        )
    except ReportError as exc:
        fail(str(exc), code=2 if isinstance(exc, ValueError) else 1)
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "week": run.week,
                    "language": run.language,
                    "files": [str(p) for p in run.files],
                    "summary": run.summary,
                    "delivered": run.delivered,
                    "delivery_error": run.delivery_error,
                },
                ensure_ascii=False,
            )
        )
    else:
        typer.echo(f"weekly report {run.week} ({run.language}):")
        for path in run.files:
            typer.echo(f"  {path}")
        if run.delivered is not None:
            typer.echo("delivered" if run.delivered else f"not delivered: {run.delivery_error}")
    if run.delivered is False:
        raise typer.Exit(1)


@report_app.command("list")
def list_reports(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Reports generated so far, newest week first, with their files and delivery."""
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        rows = [record.model_dump(mode="json") for record in list_report_records(session=session)]
    if json_out:
        typer.echo(json.dumps({"reports": rows}, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no weekly reports yet; make one with `socialcrm report weekly`")
    for row in rows:
        delivery = (
            f"delivered {row['delivered_at']}"
            if row["delivered_at"]
            else f"not delivered: {row['delivery_error']}"
            if row["delivery_error"]
            else "not delivered"
        )
        typer.echo(
            f"{row['week']} {row['language']}  generated {row['generated_at']}  {delivery}\n"
            f"    {row['directory']}: {', '.join(row['files'])}"
        )
