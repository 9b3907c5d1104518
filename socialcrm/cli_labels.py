"""``socialcrm labels export``: corrections as a labelled file that ``socialcrm train`` reads."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from crm.db import session_scope
from crm.labels import corrected_rows
from socialcrm.cli_common import ConfigOption, fail, open_store, read_settings
from socialcrm.cli_policy import parse_since

__all__ = ["labels_app"]

labels_app = typer.Typer(help="Labels people gave in the console.", no_args_is_help=True)


@labels_app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="JSONL file to write (replaced atomically).")],
    since: Annotated[str | None, typer.Option(help="Only corrections since: 30d, a date.")] = None,
    config: ConfigOption = None,
) -> None:
    """Write every corrected mention as a training row; add OUT to training.paths to use it."""
    try:
        start = parse_since(since) if since else None
    except ValueError as exc:
        fail(str(exc), code=2)
    engine = open_store(read_settings(config))
    partial = out.with_name(out.name + ".partial")
    count = 0
    try:
        with session_scope(engine) as session, partial.open("w", encoding="utf-8") as handle:
            for row in corrected_rows(session=session, since=start):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"cannot write {out}: {exc.strerror}")
    typer.echo(
        f"wrote {count:,} corrected mentions to {out}; "
        f'train on them with training.paths = [..., "{out}"]'
    )
