"""The Alembic migrations produce exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import crm.models  # noqa: F401  (registers the tables)
from crm.db import alembic_config, migrate


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_database_is_at_head_and_migrating_again_changes_nothing(engine: Engine) -> None:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    migrate(engine)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        tables = set(sa.inspect(connection).get_table_names())
    assert current == head
    assert {"mention", "identity", "customer", "case", "reply", "escalation"} <= tables


def test_mention_and_identity_carry_their_unique_constraints(engine: Engine) -> None:
    inspector = sa.inspect(engine)
    mention = {tuple(c["column_names"]) for c in inspector.get_unique_constraints("mention")}
    identity = {tuple(c["column_names"]) for c in inspector.get_unique_constraints("identity")}
    assert ("platform", "external_id") in mention
    assert ("platform", "platform_user_id") in identity
