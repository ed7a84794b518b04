"""The database schema: patients, encounters, their immutable revisions, the audit trail and the
clinicians' accounts.

SQLAlchemy 2 typed ORM classes. Only :mod:`models.store` uses them; every other layer sees the
store's plain dataclasses. The shape here must match the head Alembic revision in
``models/migrations/versions`` (a test compares them). Triggers that make finalized encounters,
revisions, assessments and audit rows unchangeable (and clinician accounts undeletable) live in the
migrations, where they are created.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so SQLite batch migrations can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A point in time stored as UTC and always returned tz-aware.

    SQLite's DateTime drops an offset without converting it, so every value is converted to UTC
    before it is bound; naive values are refused rather than guessed.
    """

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.DateTime(timezone=True))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored; give it a time zone")
        value = value.astimezone(dt.UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def search_key(text: str) -> str:
    """How names and MRNs are compared in search: accents dropped, case folded.

    "Müller", "MULLER" and "muller" share one key, so a clinician finds the patient however the
    name was typed.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold().strip()


def _key_column(length: int) -> sa.types.TypeEngine[str]:
    # Byte-order collation on PostgreSQL so a range scan "key >= p AND key < next(p)" is a prefix
    # match that uses the index; SQLite's default BINARY collation already behaves this way.
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class PatientRow(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(sa.String(64), unique=True)
    family_name: Mapped[str] = mapped_column(sa.String(200))
    given_name: Mapped[str] = mapped_column(sa.String(200))
    birth_date: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    sex: Mapped[str] = mapped_column(sa.String(16))
    family_key: Mapped[str] = mapped_column(_key_column(200))
    given_key: Mapped[str] = mapped_column(_key_column(200), index=True)
    mrn_key: Mapped[str] = mapped_column(_key_column(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Counts stored edits, like an encounter's: an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(sa.Integer)
    # The key the client made for the create (models/outcomes.py): a retry after a lost reply finds
    # this row instead of making another; the digest is of what was asked to be created, so the
    # same key with other content is refused. NULL for rows stored before 0005 (unique allows many).
    request_key: Mapped[str | None] = mapped_column(sa.String(100))
    request_digest: Mapped[str | None] = mapped_column(sa.String(64))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("sex IN ('female', 'male', 'other', 'unknown')", name="sex"),
        sa.Index("ix_patient_family_key_given_key", "family_key", "given_key"),
        sa.Index("uq_patient_request_key", "request_key", unique=True),
    )


class AssessmentRow(Base):
    """One distinct assessment result, stored once however many encounters share it.

    Content-addressed (``digest`` is the SHA-256 of its canonical JSON) and never changed, so an
    encounter keeps exactly the result it was given even after the rules change.
    """

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    ruleset: Mapped[str] = mapped_column(sa.String(32))
    body: Mapped[str] = mapped_column(sa.Text)


class EncounterRow(Base):
    __tablename__ = "encounter"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(sa.ForeignKey("patient.id", ondelete="RESTRICT"))
    date: Mapped[dt.date] = mapped_column(sa.Date)
    knee: Mapped[str] = mapped_column(sa.String(8))
    clinician: Mapped[str] = mapped_column(sa.String(200))
    findings: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    notes: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(8))
    ruleset: Mapped[str] = mapped_column(sa.String(32))
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment.id", ondelete="RESTRICT"), index=True)
    # Copied from the assessment so a patient's encounter list needs no JSON.
    direction: Mapped[str | None] = mapped_column(sa.String(32))
    urgency: Mapped[str | None] = mapped_column(sa.String(32))
    version: Mapped[int] = mapped_column(sa.Integer)
    # Unique: an encounter is superseded by at most one amendment, enforced by the database.
    amends_id: Mapped[int | None] = mapped_column(sa.ForeignKey("encounter.id", ondelete="RESTRICT"), unique=True)
    amend_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    finalized_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finalized_by: Mapped[str | None] = mapped_column(sa.String(200))
    # As the patient's: the client's key for the create (a new draft, an imported case) and the
    # digest of what was asked to be created.
    request_key: Mapped[str | None] = mapped_column(sa.String(100))
    request_digest: Mapped[str | None] = mapped_column(sa.String(64))

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("status IN ('draft', 'final')", name="status"),
        sa.Index("uq_encounter_request_key", "request_key", unique=True),
        sa.CheckConstraint("knee IN ('left', 'right', 'both')", name="knee"),
        # "Newest first" reads this index backwards; both engines do that as fast as a DESC index.
        sa.Index("ix_encounter_patient_id_date", "patient_id", "date", "id"),
    )


class RevisionRow(Base):
    """An immutable snapshot of a finalized encounter, chained to the revision it amends."""

    __tablename__ = "encounter_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(sa.ForeignKey("encounter.id", ondelete="RESTRICT"), unique=True)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("encounter_revision.id", ondelete="RESTRICT"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(sa.String(200))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    content: Mapped[str] = mapped_column(sa.Text)  # canonical JSON, hashed byte for byte
    content_hash: Mapped[str] = mapped_column(sa.String(64))


class AuditRow(Base):
    """Who did what, when, where. Append-only; each row's hash chains to the previous row's."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    clinician: Mapped[str] = mapped_column(sa.String(200))
    os_user: Mapped[str] = mapped_column(sa.String(200))
    workstation: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[str] = mapped_column(sa.String(32))
    patient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("patient.id", ondelete="RESTRICT"))
    encounter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("encounter.id", ondelete="RESTRICT"), index=True)
    detail: Mapped[str] = mapped_column(sa.Text)
    row_hash: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (sa.Index("ix_audit_event_patient_id_at", "patient_id", "at"),)


class ClinicianRow(Base):
    """A clinician's account for signing in. Never deleted (a trigger refuses it) so every name in
    the audit trail stays an account; ``disabled_at`` retires one. The name never changes either."""

    __tablename__ = "clinician"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Case-folded name (models.passwords.name_key): "dr ada" and "Dr Ada" cannot both exist.
    name_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))  # argon2id, PHC string format
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # May unlock a locked-out account; the first account is one (migration 0006_sign_in_throttle).
    is_admin: Mapped[bool] = mapped_column(sa.Boolean(), server_default=sa.false())


class SignInThrottleRow(Base):
    """Failed sign-ins in a row for one name tried, an account or not (models/sign_in_policy.py):
    kept in the database, so another workstation or a restarted app does not start from zero."""

    __tablename__ = "sign_in_throttle"

    name_key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)  # as models.passwords.name_key
    failures: Mapped[int] = mapped_column(sa.Integer())
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
