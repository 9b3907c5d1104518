"""Engines, sessions and schema migrations.

The caller owns the transaction: open one with :func:`session_scope` and let
data functions add and flush inside it. :func:`migrate` brings any database
to the newest Alembic revision and runs on every start.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlmodel import Session

__all__ = [
    "create_db_engine",
    "drop_schema",
    "migrate",
    "normalise_database_url",
    "reset_schema",
    "scratch_schema",
    "session_scope",
]

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def normalise_database_url(url: str) -> str:
    """Point plain ``postgresql://`` URLs at the psycopg 3 driver that socialcrm installs."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys and a lock timeout that suit a service."""
    url = normalise_database_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to ``engine``, no ini file needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Apply every Alembic revision the database does not have yet."""
    command.upgrade(alembic_config(engine), "head")
    logger.debug("database schema is at head", extra={"database": engine.url.render_as_string()})


# Throwaway PostgreSQL schemas, for tests and benchmarks that share one database.
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _schema_url(url: str, schema: str) -> str:
    """``url`` with every connection's search_path set to ``schema``."""
    if not _SCHEMA_NAME.fullmatch(schema):
        raise ValueError(f"{schema!r} is not a plain schema name (a-z, 0-9, _)")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


def reset_schema(url: str, schema: str) -> str:
    """Empty ``schema`` in the PostgreSQL database at ``url``; the address that works in it."""
    address = _schema_url(url, schema)
    admin = create_db_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return address


def drop_schema(url: str, schema: str) -> None:
    """Drop ``schema`` and everything in it, leaving the database as it was."""
    _schema_url(url, schema)  # checks the name
    admin = create_db_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@contextmanager
def scratch_schema(url: str, *, prefix: str) -> Iterator[str]:
    """A new, empty schema named ``<prefix>_<random>`` (its address yielded), dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    address = reset_schema(url, schema)
    try:
        yield address
    finally:
        drop_schema(url, schema)
