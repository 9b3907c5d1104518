"""What every ``socialcrm`` command shares: the --config and --json options, settings, the store.

Command groups live in their own ``socialcrm/cli_*.py`` modules as Typer sub-apps
and import these instead of reaching into ``socialcrm.cli`` (which registers them).
Errors are one plain sentence on stderr and a non-zero exit status: 2 for
unusable settings, 1 for everything else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from config.settings import ConfigError, Settings, load_settings
from crm.db import create_db_engine, migrate
from socialcrm.logs import configure_logging

__all__ = ["ConfigOption", "JsonOption", "fail", "one_line", "open_store", "read_settings"]

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Settings file (TOML); default ./socialcrm.toml if present."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


def fail(message: str, *, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def read_settings(config: Path | None) -> Settings:
    """The settings, or exit 2 naming what is wrong; configures logging."""
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        fail(str(exc), code=2)
    configure_logging(settings.log_level)
    return settings


def open_store(settings: Settings) -> Engine:
    """The database in the settings, migrated to the newest schema."""
    engine = create_db_engine(settings.database_url)
    try:
        migrate(engine)
    except OperationalError as exc:
        fail(
            f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
            f"{str(exc.orig).strip()}. Check database_url (SOCIALCRM_DATABASE_URL)."
        )
    return engine


def one_line(text: str | None, width: int) -> str:
    """One printable line, cut to ``width``: errors and cursors may quote a platform's answer."""
    if not text:
        return ""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return line if len(line) <= width else line[: width - 1] + "…"
