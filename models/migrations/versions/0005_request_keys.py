"""Idempotent creates: a ``request_key`` (made by the client, unique) and a ``request_digest`` (of
what was asked to be created) on ``patient`` and ``encounter``. A create retried after a lost reply
finds the row its key names instead of storing a second one (models/outcomes.py). Rows stored
before have NULL keys; a unique index allows any number of NULLs on both engines.

Revision ID: 0005_request_keys
Revises: 0004_patient_version
Create Date: 2026-12-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_request_keys"
down_revision = "0004_patient_version"
branch_labels = None
depends_on = None

_TABLES = ("patient", "encounter")


def upgrade() -> None:
    for table in _TABLES:
        # Plain ADD COLUMN (nullable, no default) on both engines: no table rebuild on SQLite, and
        # on PostgreSQL no rewrite of the rows (and no trigger on finalized encounters fires).
        op.add_column(table, sa.Column("request_key", sa.String(100), nullable=True))
        op.add_column(table, sa.Column("request_digest", sa.String(64), nullable=True))
        op.create_index(f"uq_{table}_request_key", table, ["request_key"], unique=True)


def downgrade() -> None:
    for table in _TABLES:
        op.drop_index(f"uq_{table}_request_key", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("request_digest")
            batch.drop_column("request_key")
