"""Shared fixtures: migrated databases on SQLite and PostgreSQL, settings, and factories.

PostgreSQL tests use the server at 127.0.0.1:5432 (database ``test``, trust
auth; override with SOCIALCRM_TEST_POSTGRES_URL). Each test gets its own
schema, dropped afterwards. Without a server they skip with the reason,
except under CI=true, where a missing server fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from config.settings import Settings, load_settings
from crm.db import create_db_engine, migrate, scratch_schema
from crm.schemas import MentionIn

POSTGRES_URL = os.environ.get(
    "SOCIALCRM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _postgres_problem() -> str | None:
    try:
        with create_db_engine(POSTGRES_URL).connect() as connection:
            connection.execute(sa.text("select 1"))
    except Exception as exc:  # any failure to connect means "no server here"
        return f"no PostgreSQL at {POSTGRES_URL}: {exc.__class__.__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem} (CI=true requires PostgreSQL)")
    pytest.skip(problem)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'test.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgresql_engine(postgres_available: None) -> Iterator[Engine]:
    with scratch_schema(POSTGRES_URL, prefix="t") as url:
        engine = create_db_engine(url)
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings from defaults only: no socialcrm.toml, no SOCIALCRM_ variables."""
    for name in list(os.environ):
        if name.startswith("SOCIALCRM_") and name != "SOCIALCRM_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=f"sqlite:///{tmp_path / 'settings.db'}")


_counter = iter(range(1, 10**9))


def make_mention(**overrides: Any) -> MentionIn:
    """A valid mention; any field can be overridden, ``author`` as a dict."""
    number = next(_counter)
    fields: dict[str, Any] = {
        "platform": "x",
        "external_id": f"1{number:018d}",
        "url": f"https://x.com/someone/status/1{number:018d}",
        "author": {
            "id": f"u{number}",
            "handle": f"user{number}",
            "name": f"User {number}",
            "followers": 10,
        },
        "text": f"@Brand my order {number} never arrived",
        "posted_at": datetime.now(UTC) - timedelta(minutes=number % 600),
    }
    fields.update(overrides)
    return MentionIn.model_validate(fields)


@pytest.fixture
def mention_factory() -> Any:
    return make_mention
