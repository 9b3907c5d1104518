"""model version names the heads

A judgement's model version now carries the heads' digest beside the encoder's
version, adapter and precision, which can pass 80 characters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.alter_column(
            'model_version',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=80),
            type_=sqlmodel.sql.sqltypes.AutoString(length=160),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.alter_column(
            'model_version',
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=160),
            type_=sqlmodel.sql.sqltypes.AutoString(length=80),
            existing_nullable=True,
        )
