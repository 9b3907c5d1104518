"""``socialcrm customers``: import a CRM's CSV, merge and unmerge customers, list them.

The column format of the CSV is in :mod:`crm.customer_import`. Merges are
audited as ``cli:<user>``; every one of them can be undone with
``socialcrm customers unmerge MERGE_ID``.
"""

from __future__ import annotations

import csv
import getpass
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from crm.customers import (
    CSV_COLUMNS,
    CustomerError,
    ImportReport,
    import_customers_csv,
    list_customers,
    merge_customers,
    unmerge,
)
from crm.db import session_scope
from socialcrm.cli_common import ConfigOption, JsonOption, fail, open_store, read_settings

__all__ = ["customers_app"]

customers_app = typer.Typer(
    help="Customers: import from a CRM, merge one person's records, list.", no_args_is_help=True
)


def _actor() -> str:
    """Who ran the command, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_csv(path: Path) -> list[dict[str, object]]:
    """The rows of ``path``, each with its line number under ``_line``; exits on a broken file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                fail(f"{path} is empty; it needs a header line with: {', '.join(CSV_COLUMNS)}")
            return list(_numbered(reader))
    except FileNotFoundError:
        fail(f"{path} does not exist")
    except UnicodeDecodeError as exc:
        fail(f"{path} is not UTF-8 text (byte {exc.start}); export it from your CRM as UTF-8 CSV")
    except csv.Error as exc:
        fail(f"{path} is not readable CSV: {exc}")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


def _numbered(reader: csv.DictReader[str]) -> Iterator[dict[str, object]]:
    for row in reader:
        numbered: dict[str, object] = {str(k): v for k, v in row.items() if k is not None}
        numbered["_line"] = reader.line_num
        yield numbered


@customers_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV with a header line; see the README.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change, change nothing.")
    ] = False,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Create or update customers from a CRM export and merge in their platform identities.

    Exits 1 when some rows were refused (the others are imported).
    """
    rows = _read_csv(file)
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        report = import_customers_csv(session=session, rows=rows, actor=_actor())  # type: ignore[arg-type]
        if dry_run:
            session.rollback()
    _print_import(report, dry_run=dry_run, json_out=json_out)
    if report.errors:
        raise typer.Exit(1)  # the other rows were imported; the refused ones need fixing


def _print_import(report: ImportReport, *, dry_run: bool, json_out: bool) -> None:
    if json_out:
        typer.echo(json.dumps(report.as_dict() | {"dry_run": dry_run}, ensure_ascii=False))
        return
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.merges)} merged, "
        f"{len(report.pending)} handles not seen yet, {len(report.errors)} rows refused"
    )
    for warning in report.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for error in report.errors:
        typer.echo(f"refused {error}", err=True)
    if report.pending:
        typer.echo(
            "handles not collected yet (import the file again once they post): "
            + ", ".join(report.pending[:20])
            + (" ..." if len(report.pending) > 20 else "")
        )


@customers_app.command("merge")
def merge_command(
    source_id: Annotated[int, typer.Argument(help="The customer that goes away.")],
    target_id: Annotated[int, typer.Argument(help="The customer that stays.")],
    reason: Annotated[str, typer.Option(help="Why; kept in the audit trail.")] = "",
    config: ConfigOption = None,
) -> None:
    """Merge one customer into another (one person on several platforms); undo with unmerge."""
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            merge = merge_customers(
                session=session,
                source_id=source_id,
                target_id=target_id,
                actor=_actor(),
                reason=reason,
            )
    except CustomerError as exc:
        fail(str(exc))
    typer.echo(
        f"merge #{merge.id}: customer #{source_id} into #{merge.target_customer_id} "
        f"({len(merge.identity_ids)} identities, {len(merge.case_ids)} open cases moved); "
        f"undo with `socialcrm customers unmerge {merge.id}`"
    )


@customers_app.command("unmerge")
def unmerge_command(
    merge_id: Annotated[int, typer.Argument(help="The merge number that merge printed.")],
    config: ConfigOption = None,
) -> None:
    """Undo one merge: its identities, cases and notes go back to the customer they came from."""
    engine = open_store(read_settings(config))
    try:
        with session_scope(engine) as session:
            unmerge(session=session, merge_id=merge_id, actor=_actor())
    except CustomerError as exc:
        fail(str(exc))
    typer.echo(f"merge #{merge_id} undone")


@customers_app.command("list")
def list_command(
    search: Annotated[
        str | None, typer.Option(help="Part of a name, e-mail, CRM id or handle.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 100,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Customers (merged ones hidden), newest first."""
    engine = open_store(read_settings(config))
    with session_scope(engine) as session:
        customers = list_customers(session=session, search=search, limit=limit)
    if json_out:
        typer.echo(json.dumps([c.as_dict() for c in customers], ensure_ascii=False))
        return
    for customer in customers:
        typer.echo(
            f"#{customer.id:<6} {_one_line(customer.name)[:40]:<40} "
            f"{customer.email or '-':<30} {customer.external_crm_id or '-':<12} "
            f"{customer.tier:<10} {' '.join(customer.identities)[:200]}"
        )
    if not customers:
        typer.echo("no customers" + (f" matching {search!r}" if search else ""))


def _one_line(text: str) -> str:
    """A name as one terminal line: newlines and other controls shown as spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text)
