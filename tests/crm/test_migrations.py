"""The Alembic migrations produce exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import crm.models  # noqa: F401  (registers the tables)
from config.settings import Settings
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


def test_the_case_summary_is_kept_by_routing_and_backfilled_by_the_migration(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    from alembic import command
    from sqlmodel import select

    from crm.db import session_scope
    from crm.models import Case
    from tests.socialcrm.test_pipeline import post, run

    run(
        engine,
        settings,
        tmp_path,
        post("1", "how do I? #question", author="ana", ago="-3h", language="tr"),
        post("2", "and now it broke #complaint #legal #churn", author="ana", ago="-2h"),
        post("3", "love it #praise", author="bo", ago="-1h"),
    )

    def summaries() -> list[tuple[object, ...]]:
        with session_scope(engine) as session:
            cases = session.exec(select(Case).order_by(Case.id)).all()
            return [
                (c.priority, c.priority_rank, c.intent, c.sentiment, c.language, c.risk_flags)
                for c in cases
            ]

    routed = summaries()
    assert [row[:3] + row[5:] for row in routed] == [
        ("urgent", 0, "complaint", "churn,legal"),
        ("low", 3, "praise", ""),
    ]
    config = alembic_config(engine)
    command.downgrade(config, "0002")
    command.upgrade(config, "head")
    assert summaries() == routed
