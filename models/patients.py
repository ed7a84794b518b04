"""Patients: finding, creating and correcting them, each edit versioned.

A patient edit names the version it was based on; a stale one raises
:class:`PatientConflictError` and writes nothing (two workstations editing one patient never
overwrite each other). A second patient with a stored MRN is refused with
:class:`DuplicateMrnError` (``field="mrn"``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from models import outcomes
from models.case import CaseError, Patient, parse_iso_date, parse_patient
from models.pins import patient_row_pin
from models.records import (
    Actor,
    DatabaseUnavailableError,
    DuplicateMrnError,
    PatientConflictError,
    PatientRecord,
    StoreError,
)
from models.schema import EncounterRow, PatientRow, search_key, utcnow
from models.transactions import StoreBase, get_row

SEARCH_LIMIT_MAX = 500


class PatientsMixin(StoreBase):
    """The patient methods of :class:`models.store.Store`."""

    def find_patients(self, text: str, limit: int = 50) -> list[PatientRecord]:
        """Patients whose family or given name or MRN starts with ``text`` (any case, accents
        ignored), or born on the ISO date ``text``; "family, given" narrows by both. Sorted by name."""
        text = text.strip()
        if not text:
            return []
        limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
        by_name = (PatientRow.family_key, PatientRow.given_key, PatientRow.id)
        queries: list[sa.Select[PatientRow]] = []
        birth = parse_iso_date(text)
        if birth is not None:
            queries.append(sa.select(PatientRow).where(PatientRow.birth_date == birth).order_by(*by_name))
        elif "," in text:
            family, given = (search_key(part) for part in text.split(",", 1))
            conditions = [*_prefix(PatientRow.family_key, family), *_prefix(PatientRow.given_key, given)]
            if conditions:
                queries.append(sa.select(PatientRow).where(*conditions).order_by(*by_name))
        else:
            key = search_key(text)
            if key:
                for column in (PatientRow.family_key, PatientRow.given_key, PatientRow.mrn_key):
                    # Ordered by the searched column so each query reads only `limit` index entries.
                    queries.append(sa.select(PatientRow).where(*_prefix(column, key)).order_by(column, PatientRow.id))
        if not queries:
            return []
        # One statement (one round trip on PostgreSQL): each query, limited by its own index, as a
        # subquery of one UNION ALL; duplicates are merged here.
        if len(queries) == 1:
            query: sa.Select[Any] = queries[0].limit(limit)
        else:
            union = sa.union_all(*(sa.select(q.limit(limit).subquery()) for q in queries)).subquery()
            query = sa.select(aliased(PatientRow, union))
        found: dict[int, PatientRow] = {}
        with self._read_statement() as session:
            for row in session.scalars(query):
                found.setdefault(row.id, row)
            rows = sorted(found.values(), key=lambda r: (r.family_key, r.given_key, r.id))[:limit]
            return [patient_record(r) for r in rows]

    def get_patient(self, patient_id: int) -> PatientRecord:
        with self._read() as session:
            return patient_record(get_row(session, PatientRow, patient_id, "patient"))

    def patient_by_mrn(self, mrn: str) -> PatientRecord | None:
        """The patient with exactly this MRN, or None."""
        with self._read() as session:
            row = session.scalar(sa.select(PatientRow).where(PatientRow.mrn == mrn))
            return patient_record(row) if row is not None else None

    def create_patient(self, patient: Patient, actor: Actor, *, key: str | None = None) -> PatientRecord:
        """Store a new patient. ``key`` (:func:`models.outcomes.new_key`, made once by the caller and
        kept for every retry of this create): when a patient was already stored under it, that
        patient is returned and nothing is written (after a lost reply, a retry finds the first
        write); the same key with other details is refused (:class:`KeyReusedError`)."""
        patient = validated_patient(patient)
        key = outcomes.checked_key(key)
        if key is None:
            return self._create_patient(patient, actor, None, "")
        digest = outcomes.digest_of(["patient", patient.mrn, patient.family_name, patient.given_name,
                                     patient.birth_date.isoformat(), patient.sex])

        def verify() -> PatientRecord | None:
            with self._verify_read() as session:
                row = outcomes.stored_by_key(session, PatientRow, key, digest)
                return patient_record(row) if row is not None else None

        if self.is_sqlite:
            return self._create_patient(patient, actor, key, digest)
        return outcomes.settle("the new patient", lambda: self._create_patient(patient, actor, key, digest), verify)

    def _create_patient(self, patient: Patient, actor: Actor, key: str | None, digest: str) -> PatientRecord:
        try:
            with self._change(actor, "patient_created") as change:
                if key is not None:
                    stored = outcomes.stored_by_key(change.session, PatientRow, key, digest)
                    if stored is not None:
                        raise outcomes.already_stored(patient_record(stored))  # rolled back: no second audit row
                row = insert_patient(change.session, patient, key, digest)
                change.patient_id = row.id
                change.pins = [patient_row_pin(row)]
                return patient_record(row)
        except outcomes.Found as found:
            return found.record  # type: ignore[no-any-return]
        except DatabaseUnavailableError:
            raise  # models/outcomes.settle finds out what was stored
        except StoreError:
            if key is None:
                raise
            with self._read() as session:  # the same key stored meanwhile by another attempt: that one
                stored = outcomes.stored_by_key(session, PatientRow, key, digest)
            if stored is None:
                raise
            return patient_record(stored)

    def update_patient(self, patient_id: int, patient: Patient, actor: Actor, *,
                       expected_version: int) -> PatientRecord:
        """Store corrected details; the version goes up by one. ``expected_version`` is the version
        the edit was based on: if the patient was changed since, :class:`PatientConflictError`
        (with the stored patient and the refused edit) and nothing is written."""
        patient = validated_patient(patient)
        try:
            with self._change(actor, "patient_updated") as change:
                session = change.session
                row = get_row(session, PatientRow, patient_id, "patient")
                if row.version != expected_version:
                    raise PatientConflictError(patient_record(row), expected_version, patient)
                if patient.mrn != row.mrn:
                    refuse_duplicate_mrn(session, patient.mrn)
                first = session.scalar(sa.select(sa.func.min(EncounterRow.date))
                                       .where(EncounterRow.patient_id == patient_id))
                if first is not None and patient.birth_date > first:
                    raise CaseError("patient.birth_date", f"is after this patient's encounter on {first.isoformat()}")
                before = patient_record(row).to_patient()
                fill_patient(row, patient)
                row.updated_at = utcnow()  # always changes: every stored edit bumps the version
                change.patient_id = row.id
                changed = [name for name in ("mrn", "family_name", "given_name", "birth_date", "sex")
                           if getattr(before, name) != getattr(patient, name)]
                change.detail = "changed: " + (", ".join(changed) or "nothing")
                session.flush()
                change.pins = [patient_row_pin(row)]
                return patient_record(row)
        except StaleDataError:
            # Another writer's change committed between our read and our UPDATE.
            raise PatientConflictError(self.get_patient(patient_id), expected_version, patient) from None


# --- helpers, also used by the encounter import ---------------------------------------------------

def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with ``prefix`` (code-point order)."""
    nxt = ord(prefix[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:  # surrogates cannot be stored; skip past them
        nxt = 0xE000
    return None if nxt > 0x10FFFF else prefix[:-1] + chr(nxt)


def _prefix(column: sa.orm.InstrumentedAttribute[str], key: str) -> list[sa.ColumnElement[bool]]:
    if not key:
        return []
    upper = _prefix_upper_bound(key)
    return [column >= key] + ([column < upper] if upper is not None else [])


def refuse_duplicate_mrn(session: Session, mrn: str) -> None:
    if session.scalar(sa.select(PatientRow.id).where(PatientRow.mrn == mrn)) is not None:
        raise DuplicateMrnError()


def validated_patient(patient: Patient) -> Patient:
    return parse_patient({"mrn": patient.mrn, "family_name": patient.family_name, "given_name": patient.given_name,
                          "birth_date": patient.birth_date.isoformat() if isinstance(patient.birth_date, dt.date) else patient.birth_date,
                          "sex": patient.sex})


def insert_patient(session: Session, patient: Patient, key: str | None = None, digest: str = "") -> PatientRow:
    refuse_duplicate_mrn(session, patient.mrn)
    now = utcnow()
    row = PatientRow(created_at=now, updated_at=now, request_key=key, request_digest=digest if key else None)
    fill_patient(row, patient)
    session.add(row)
    session.flush()
    return row


def fill_patient(row: PatientRow, patient: Patient) -> None:
    row.mrn, row.family_name, row.given_name = patient.mrn, patient.family_name, patient.given_name
    row.birth_date, row.sex = patient.birth_date, patient.sex
    row.family_key, row.given_key, row.mrn_key = (search_key(patient.family_name), search_key(patient.given_name),
                                                 search_key(patient.mrn))


def patient_record(row: PatientRow) -> PatientRecord:
    return PatientRecord(id=row.id, mrn=row.mrn, family_name=row.family_name, given_name=row.given_name,
                         birth_date=row.birth_date, sex=row.sex, version=row.version)
