"""Index the audit trail by patient and time ("who looked at this patient's record, and when").

Revision ID: 0002_audit_by_patient
Revises: 0001_initial
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0002_audit_by_patient"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_event_patient_id_at", "audit_event", ["patient_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_patient_id_at", table_name="audit_event")
