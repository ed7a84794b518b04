"""Clinician accounts for signing in, with triggers that refuse deleting an account or renaming it
(the audit trail names clinicians; every name there must stay the account it was).

Revision ID: 0003_clinicians
Revises: 0002_audit_by_patient
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_clinicians"
down_revision = "0002_audit_by_patient"
branch_labels = None
depends_on = None

NO_DELETE = "kneecheck: clinician accounts cannot be deleted; disable them instead"
NO_RENAME = "kneecheck: the name of a clinician account cannot be changed"


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime().with_variant(sa.DateTime(timezone=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "clinician",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("disabled_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clinician"),
        sa.UniqueConstraint("name", name="uq_clinician_name"),
        sa.UniqueConstraint("name_key", name="uq_clinician_name_key"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION kneecheck_guard_clinician() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION '{NO_DELETE}'; END IF; "
            "IF NEW.id <> OLD.id OR NEW.name <> OLD.name OR NEW.name_key <> OLD.name_key "
            f"OR NEW.created_at <> OLD.created_at THEN RAISE EXCEPTION '{NO_RENAME}'; END IF; "
            "RETURN NEW; END $$"
        )
        op.execute("CREATE TRIGGER trg_clinician_guard BEFORE UPDATE OR DELETE ON clinician "
                   "FOR EACH ROW EXECUTE FUNCTION kneecheck_guard_clinician()")
        op.execute("CREATE TRIGGER trg_clinician_no_truncate BEFORE TRUNCATE ON clinician "
                   "FOR EACH STATEMENT EXECUTE FUNCTION kneecheck_guard_clinician()")
    else:
        op.execute("CREATE TRIGGER trg_clinician_no_delete BEFORE DELETE ON clinician "
                   f"BEGIN SELECT RAISE(ABORT, '{NO_DELETE}'); END")
        op.execute(
            "CREATE TRIGGER trg_clinician_no_rename BEFORE UPDATE ON clinician "
            "WHEN NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.name_key IS NOT OLD.name_key "
            "OR NEW.created_at IS NOT OLD.created_at "
            f"BEGIN SELECT RAISE(ABORT, '{NO_RENAME}'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER trg_clinician_no_truncate ON clinician")
        op.execute("DROP TRIGGER trg_clinician_guard ON clinician")
        op.execute("DROP FUNCTION kneecheck_guard_clinician()")
    op.drop_table("clinician")
