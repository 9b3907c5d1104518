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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy-and-rename, which foreign keys that
            # point at it would refuse; SQLite only changes this outside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.commit()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
