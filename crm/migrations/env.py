"""Alembic environment: runs on the engine socialcrm hands over, or SOCIALCRM_DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlmodel import SQLModel

import crm.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from crm.db import create_db_engine

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Run migrations on a live connection; SQLite gets batch mode for ALTERs."""
    engine = context.config.attributes.get("engine")
    if engine is None:
        engine = create_db_engine(
            os.environ.get("SOCIALCRM_DATABASE_URL", "sqlite:///socialcrm.db")
        )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
