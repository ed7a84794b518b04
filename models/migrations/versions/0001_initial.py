"""The first schema: patients, assessments, encounters, revisions, audit trail, and the triggers
that make finalized encounters, revisions, assessments and audit rows unchangeable.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24

Note for later migrations: a SQLite batch rebuild of a table drops its triggers; recreate them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("assessment", "encounter_revision", "audit_event")


def _utc() -> sa.types.TypeEngine:
    return sa.DateTime().with_variant(sa.DateTime(timezone=True), "postgresql")


def _key(length: int) -> sa.types.TypeEngine:
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mrn", sa.String(64), nullable=False),
        sa.Column("family_name", sa.String(200), nullable=False),
        sa.Column("given_name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("family_key", _key(200), nullable=False),
        sa.Column("given_key", _key(200), nullable=False),
        sa.Column("mrn_key", _key(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("sex IN ('female', 'male', 'other', 'unknown')", name="ck_patient_sex"),
        sa.PrimaryKeyConstraint("id", name="pk_patient"),
        sa.UniqueConstraint("mrn", name="uq_patient_mrn"),
    )
    op.create_index("ix_patient_birth_date", "patient", ["birth_date"])
    op.create_index("ix_patient_given_key", "patient", ["given_key"])
    op.create_index("ix_patient_mrn_key", "patient", ["mrn_key"])
    op.create_index("ix_patient_family_key_given_key", "patient", ["family_key", "given_key"])

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("ruleset", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessment"),
        sa.UniqueConstraint("digest", name="uq_assessment_digest"),
    )

    op.create_table(
        "encounter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("knee", sa.String(8), nullable=False),
        sa.Column("clinician", sa.String(200), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("ruleset", sa.String(32), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(32), nullable=True),
        sa.Column("urgency", sa.String(32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("amend_reason", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("finalized_at", _utc(), nullable=True),
        sa.Column("finalized_by", sa.String(200), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'final')", name="ck_encounter_status"),
        sa.CheckConstraint("knee IN ('left', 'right', 'both')", name="ck_encounter_knee"),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], name="fk_encounter_patient_id_patient", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"], name="fk_encounter_assessment_id_assessment", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["amends_id"], ["encounter.id"], name="fk_encounter_amends_id_encounter", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_encounter"),
        sa.UniqueConstraint("amends_id", name="uq_encounter_amends_id"),
    )
    op.create_index("ix_encounter_assessment_id", "encounter", ["assessment_id"])
    op.create_index("ix_encounter_patient_id_date", "encounter", ["patient_id", "date", "id"])

    op.create_table(
        "encounter_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("encounter_id", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounter.id"], name="fk_encounter_revision_encounter_id_encounter", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["previous_id"], ["encounter_revision.id"], name="fk_encounter_revision_previous_id_encounter_revision", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_encounter_revision"),
        sa.UniqueConstraint("encounter_id", name="uq_encounter_revision_encounter_id"),
        sa.UniqueConstraint("previous_id", name="uq_encounter_revision_previous_id"),
    )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("clinician", sa.String(200), nullable=False),
        sa.Column("os_user", sa.String(200), nullable=False),
        sa.Column("workstation", sa.String(200), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], name="fk_audit_event_patient_id_patient", ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounter.id"], name="fk_audit_event_encounter_id_encounter", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    op.create_index("ix_audit_event_encounter_id", "audit_event", ["encounter_id"])

    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER trg_encounter_final_no_{event.lower()} BEFORE {event} ON encounter "
            "WHEN OLD.status = 'final' "
            "BEGIN SELECT RAISE(ABORT, 'kneecheck: a finalized encounter cannot be changed'); END"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER trg_{table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'kneecheck: {table} rows cannot be changed or deleted'); END"
            )


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION kneecheck_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'kneecheck: % rows cannot be changed or deleted', TG_TABLE_NAME; END $$"
    )
    op.execute(
        "CREATE FUNCTION kneecheck_refuse_final_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'kneecheck: a finalized encounter cannot be changed'; END $$"
    )
    op.execute(
        "CREATE TRIGGER trg_encounter_final BEFORE UPDATE OR DELETE ON encounter FOR EACH ROW "
        "WHEN (OLD.status = 'final') EXECUTE FUNCTION kneecheck_refuse_final_change()"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER trg_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kneecheck_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kneecheck_refuse_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER trg_{table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER trg_{table}_append_only ON {table}")
        op.execute("DROP TRIGGER trg_encounter_final ON encounter")
        op.execute("DROP FUNCTION kneecheck_refuse_final_change()")
        op.execute("DROP FUNCTION kneecheck_refuse_change()")
    for table in ("audit_event", "encounter_revision", "encounter", "assessment", "patient"):
        op.drop_table(table)
