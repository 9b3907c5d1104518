"""The ``socialcrm`` command line: the core commands here, the rest from ``cli_*`` modules.

Every command takes ``--config FILE`` (default: ``./socialcrm.toml`` when it
exists). Errors are one plain sentence on stderr and a non-zero exit status:
2 for unusable settings, 1 for everything else.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn
from sqlalchemy.engine import Engine

from classifiers.errors import ClassifierError
from classifiers.registry import configured_judge
from config.settings import DEFAULT_CONFIG_FILE, Settings
from crm.db import session_scope
from crm.queries import export_rows, totals
from crm.sources import list_gaps, list_source_states
from listener.registry import choose_collectors
from socialcrm.cli_common import (
    ConfigOption,
    JsonOption,
    fail,
    one_line,
    open_store,
    read_settings,
)
from socialcrm.cli_customers import customers_app
from socialcrm.cli_escalations import escalations_app
from socialcrm.cli_labels import labels_app
from socialcrm.cli_policy import policy_app
from socialcrm.cli_report import report_app
from socialcrm.cli_send import send as send_command
from socialcrm.cli_users import token_app, user_app
from socialcrm.export import write_rows
from socialcrm.judging import classify_lines, evaluate_file, format_report
from socialcrm.pipeline import PipelineReport, run_pipeline
from socialcrm.pipeline import Progress as StageProgress

app = typer.Typer(
    help="socialcrm: listen for a brand's mentions, judge them, route complaints, draft replies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

HostOption = Annotated[str | None, typer.Option(help="Address to serve on [console.host].")]
PortOption = Annotated[int | None, typer.Option(help="Port to serve on [console.port].")]


class ExportKind(StrEnum):
    """What ``socialcrm export`` can write."""

    MENTIONS = "mentions"
    CUSTOMERS = "customers"
    CASES = "cases"
    REPLIES = "replies"


class ExportFormat(StrEnum):
    """How ``socialcrm export`` writes."""

    JSONL = "jsonl"
    CSV = "csv"


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Progress]:
    """Progress bars on stderr while a terminal is watching."""
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:>7,}"),
        transient=True,
        disable=not (enabled and sys.stderr.isatty()),
        console=Console(stderr=True),
    )
    with bars:
        yield bars


def _stage_counter(bars: Progress) -> StageProgress:
    """A pipeline progress callback that advances one bar per stage."""
    tasks = {
        stage: bars.add_task(label, total=None)
        for stage, label in (("collect", "collected"), ("judge", "judged"), ("route", "routed"))
    }

    def advance(stage: str, done: int) -> None:
        bars.advance(tasks[stage], done)

    return advance


@app.command()
def init(
    config: ConfigOption = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented settings file (socialcrm.toml, or the --config path)."""
    target = config or DEFAULT_CONFIG_FILE
    if target.exists() and not force:
        fail(f"{target} already exists; use --force to overwrite it")
    example = resources.files("config").joinpath("socialcrm.example.toml").read_text("utf-8")
    target.write_text(example, encoding="utf-8")
    typer.echo(f"wrote {target}; edit it, or set SOCIALCRM_* environment variables")


@app.command()
def demo(
    config: ConfigOption = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Run and exit.")] = False,
    json_out: JsonOption = False,
    host: HostOption = None,
    port: PortOption = None,
) -> None:
    """Run the whole pipeline on bundled demo data (no credentials, no network) and serve it."""
    from socialcrm.demo import DEMO_DATABASE, create_demo_admin, run_demo

    settings = read_settings(config)
    with _progress(not json_out) as bars:
        engine, _report = run_demo(settings, progress=_stage_counter(bars))
    email, password = create_demo_admin(engine)
    typer.echo(f"sign in to the console as {email} with password {password}", err=True)
    with session_scope(engine) as session:
        counts = totals(session=session)
    if json_out:
        typer.echo(json.dumps(counts))
    else:
        typer.echo(
            f"demo database {DEMO_DATABASE}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
        )
    if not no_serve:
        _serve(engine, settings, host=host, port=port, brand="socialcrm demo")


@app.command()
def collect(
    config: ConfigOption = None,
    once: Annotated[bool, typer.Option("--once", help="Run each enabled source once.")] = False,
    source: Annotated[str | None, typer.Option(help="Only this source (e.g. replay).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Collect new mentions from every enabled source, then judge, route and draft them."""
    if not once:
        fail("continuous collection is `socialcrm run`; use `socialcrm collect --once` here")
    settings = read_settings(config)
    try:
        choice = choose_collectors(settings, only=source)
    except ValueError as exc:
        fail(str(exc))
    engine = open_store(settings)
    with _progress(not json_out) as bars:
        report = run_pipeline(
            engine=engine,
            settings=settings,
            collectors=choice.enabled,
            judge=configured_judge(settings.classifier),
            progress=_stage_counter(bars),
        )
    _print_collect(report, off=choice.off, json_out=json_out)
    if any(s.error or s.skipped for s in report.sources):
        raise typer.Exit(1)


def _print_collect(report: PipelineReport, *, off: dict[str, str], json_out: bool) -> None:
    sources = {s.source: s.as_dict() for s in report.sources}
    if json_out:
        payload = {"sources": sources, "off": off, "judged": report.judged, "routed": report.routed}
        typer.echo(json.dumps(payload))
    for name, reason in off.items():
        typer.echo(f"{name}: off — {reason}", err=True)
    for collected in report.sources:
        for skipped in collected.skipped:
            typer.echo(f"skipped {skipped}", err=True)
        if collected.error:
            typer.echo(f"{collected.source}: failed — {collected.error}", err=True)
    if not json_out:
        for name, counts in sources.items():
            typer.echo(f"{name}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        typer.echo(f"judged {report.judged}, routed {report.routed}")


@app.command()
def export(
    kind: Annotated[ExportKind, typer.Argument(help="What to export.")],
    config: ConfigOption = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.JSONL,
    out: Annotated[
        Path | None, typer.Option("--out", help="File to write; default stdout.")
    ] = None,
) -> None:
    """Export mentions, customers, cases or replies as JSON lines or CSV."""
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        rows = export_rows(session=session, kind=kind.value)
        if out is None:
            count = write_rows(rows, out=sys.stdout, fmt=fmt.value)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                count = write_rows(rows, out=handle, fmt=fmt.value)
    if out is not None:
        typer.echo(f"wrote {count} {kind.value} to {out}", err=True)


class Task(StrEnum):
    """What ``socialcrm evaluate`` scores."""

    SENTIMENT = "sentiment"
    INTENT = "intent"
    RISK = "risk"
    ESCALATE = "escalate"


@app.command()
def classify(
    source: Annotated[
        str, typer.Argument(help="JSONL file with a text per line; - for stdin.")
    ] = "-",
    config: ConfigOption = None,
) -> None:
    """Judge JSONL lines and write each back with sentiment, intent, risk, language and scores."""
    settings = read_settings(config)
    judge = configured_judge(settings.classifier)
    if source == "-":
        result = classify_lines(sys.stdin, judge=judge, out=sys.stdout)
    else:
        try:
            with Path(source).open(encoding="utf-8", errors="replace") as handle:
                result = classify_lines(handle, judge=judge, out=sys.stdout)
        except OSError as exc:
            fail(f"cannot read {source}: {exc.strerror}")
    for problem in result.problems:
        typer.echo(f"skipped {problem}", err=True)
    if result.problems:
        raise typer.Exit(1)


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL (text plus the task's label).")],
    task: Annotated[Task, typer.Option("--task", help="What to score.")],
    config: ConfigOption = None,
    json_out: JsonOption = False,
) -> None:
    """Score the judge on labelled data: accuracy, macro-F1/recall, per class and language."""
    settings = read_settings(config)
    if not file.is_file():
        fail(f"{file} does not exist")
    try:
        report, problems = evaluate_file(
            file, task=task.value, judge=configured_judge(settings.classifier)
        )
    except ValueError as exc:
        fail(str(exc))
    if problems:
        typer.echo(f"left out {len(problems)} lines; first: {problems[0]}", err=True)
    typer.echo(json.dumps(report.as_dict()) if json_out else format_report(report))


@app.command()
def train(
    config: ConfigOption = None,
    output: Annotated[Path | None, typer.Option(help="Model directory [training.output].")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed [training.seed].")] = None,
    json_out: JsonOption = False,
) -> None:
    """Train the judge's heads on labelled JSONL (training.paths) and measure them."""
    # torch loads only for this command, so the others start fast.
    from socialcrm.training_run import format_summary, run_training

    settings = read_settings(config)
    try:
        with _progress(not json_out) as bars:
            summary = run_training(settings, output=output, seed=seed, progress=_task_counter(bars))
    except (FileNotFoundError, ClassifierError) as exc:  # a missing file; an encoder this CPU lacks
        fail(str(exc))
    typer.echo(json.dumps(summary) if json_out else format_summary(summary))


@app.command()
def adapt(
    config: ConfigOption = None,
    output: Annotated[Path | None, typer.Option(help="Model directory [training.output].")] = None,
) -> None:
    """Adapt the encoder to our labels (a LoRA adapter); then `socialcrm train` its heads."""
    from socialcrm.training_run import run_adaptation

    settings = read_settings(config)
    try:
        with _progress() as bars:
            path = run_adaptation(settings, output=output, progress=_task_counter(bars))
    except (FileNotFoundError, ClassifierError) as exc:
        fail(str(exc))
    typer.echo(f"wrote {path}; now run `socialcrm train` with the same --config")


def _task_counter(bars: Progress) -> Callable[[str, int, int], None]:
    """A training progress callback: one bar per stage, created on first report."""
    tasks: dict[str, TaskID] = {}

    def advance(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    return advance


@app.command()
def serve(config: ConfigOption = None, host: HostOption = None, port: PortOption = None) -> None:
    """Serve the console and API."""
    settings = read_settings(config)
    _serve(open_store(settings), settings, host=host, port=port, brand=settings.brand.name)


@app.command()
def run(
    config: ConfigOption = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only collect, no console.")] = False,
    host: HostOption = None,
    port: PortOption = None,
) -> None:
    """Collect from every enabled source on a schedule, judge, route and draft; Ctrl-C stops."""
    import threading

    from socialcrm.scheduler import build_scheduler

    settings = read_settings(config)
    choice = choose_collectors(settings)
    for name, reason in choice.off.items():
        typer.echo(f"{name}: off — {reason}", err=True)
    if not choice.enabled:
        fail("no source is enabled; set a platform's credentials or replay.paths (see README)")
    engine = open_store(settings)
    scheduler = build_scheduler(
        engine=engine,
        settings=settings,
        collectors=choice.enabled,
        judge=configured_judge(settings.classifier),
    )
    scheduler.start()
    typer.echo("collecting from " + ", ".join(c.name for c in choice.enabled), err=True)
    try:
        if no_serve:
            threading.Event().wait()
        else:
            _serve(engine, settings, host=host, port=port, brand=settings.brand.name)
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=True)
        typer.echo("stopped", err=True)


@app.command()
def sources(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Health of every source: last run, counts, last error, open gaps, and why others are off."""
    settings = read_settings(config)
    off = choose_collectors(settings).off
    engine = open_store(settings)
    with session_scope(engine) as session:
        states = [state.model_dump(mode="json") for state in list_source_states(session=session)]
        gaps = [gap.model_dump(mode="json") for gap in list_gaps(session=session)]
    if json_out:
        typer.echo(json.dumps({"sources": states, "off": off, "gaps": gaps}))
        return
    for state in states:
        mine = [g for g in gaps if g["source"] == state["name"] and not g["filled_at"]]
        typer.echo(
            f"{state['name']:<10} {state['health']:<12} last run {state['last_run_at'] or 'never'}"
            f", last success {state['last_success_at'] or 'never'}"
            f"\n{'':<10} watermark {one_line(state['cursor'], 70) or '(none yet)'}"
            f"\n{'':<10} fetched {state['fetched_total']:,} stored {state['stored_total']:,}"
            f" duplicates {state['duplicate_total']:,} skipped {state['skipped_total']:,}"
            f" gaps {len(mine)}"
            + (f"\n{'':<10} last error: {state['last_error']}" if state["last_error"] else "")
        )
        for gap in mine:
            typer.echo(
                f"{'':<10} gap {gap['start'] or 'the beginning'} to {gap['end'] or 'now'}: "
                f"{gap['reason']} (seen {gap['detected_at']})"
            )
    for name, reason in off.items():
        typer.echo(f"{name:<10} {'off':<12} {reason}")


@app.command(name="migrate")
def migrate_command(config: ConfigOption = None) -> None:
    """Bring the database to the newest schema (every command does this on start)."""
    engine = open_store(read_settings(config))
    typer.echo(f"{engine.url.render_as_string(hide_password=True)} is at the newest schema")


def _serve(
    engine: Engine, settings: Settings, *, host: str | None, port: int | None, brand: str
) -> None:
    import uvicorn

    from console.app import create_app

    bind_host, bind_port = host or settings.console.host, port or settings.console.port
    typer.echo(f"serving the console at http://{bind_host}:{bind_port} — Ctrl-C to stop", err=True)
    from console.security import load_secret_key

    secret = settings.console.secret_key
    key = load_secret_key(
        configured=secret.get_secret_value() if secret else None,
        database_url=engine.url.render_as_string(hide_password=False),
    )
    uvicorn.run(
        create_app(engine=engine, brand=brand, settings=settings.console, secret_key=key),
        host=bind_host,
        port=bind_port,
        log_level=settings.log_level.lower(),
    )


# Sub-commands that live in their own modules, listed after the core commands in --help.
app.command(name="send")(send_command)
app.add_typer(policy_app, name="policy")
app.add_typer(labels_app, name="labels")
app.add_typer(escalations_app, name="escalations")
app.add_typer(customers_app, name="customers")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(report_app, name="report")
