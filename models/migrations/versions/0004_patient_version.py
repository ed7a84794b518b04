"""Patient edits are versioned like encounters: a ``version`` column on ``patient``, 1 for every
patient stored before (an edit then names the version it was based on; a stale one is refused).

Revision ID: 0004_patient_version
Revises: 0003_clinicians
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_patient_version"
down_revision = "0003_clinicians"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The server default fills the existing rows (and stays: a row inserted by plain SQL starts at 1).
    op.add_column("patient", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("version")
