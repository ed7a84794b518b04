"""Sign-in that resists guessing: ``sign_in_throttle`` (failed sign-ins in a row per name tried, an
account or not, with the last failure's time and the end of a lock-out; models/sign_in_policy.py)
and ``clinician.is_admin`` (may unlock a locked-out account). The oldest active account becomes the
administrator, as the first account created is from now on.

The clinician guard triggers of 0003 compare only id, name, name_key and created_at: they still
refuse renames and deletes and let ``is_admin`` change; the throttle rows live in their own table.

Revision ID: 0006_sign_in_throttle
Revises: 0005_request_keys
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sign_in_throttle"
down_revision = "0005_request_keys"
branch_labels = None
depends_on = None


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime().with_variant(sa.DateTime(timezone=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", _utc(), nullable=True),
        sa.Column("locked_until", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("name_key", name="pk_sign_in_throttle"),
    )
    # Plain ADD COLUMN with a constant default on both engines: no table rebuild on SQLite.
    op.add_column("clinician", sa.Column("is_admin", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE clinician SET is_admin = TRUE WHERE id = (SELECT MIN(id) FROM clinician WHERE disabled_at IS NULL)"
               if op.get_bind().dialect.name == "postgresql" else
               "UPDATE clinician SET is_admin = 1 WHERE id = (SELECT MIN(id) FROM clinician WHERE disabled_at IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table("clinician") as batch:
        batch.drop_column("is_admin")
    op.drop_table("sign_in_throttle")
