"""Bulk reads for export: every encounter matching a filter, counted or streamed in id order.

Rows are read as plain tuples in keyset-paginated batches (each batch its own short read
transaction), never as ORM objects, so a bulk export of a clinic's database stays fast and never
holds the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from models.case import EncounterInfo
from models.records import EncounterRecord, PatientRecord
from models.schema import AssessmentRow, EncounterRow, PatientRow, RevisionRow
from models.transactions import StoreBase

_ENCOUNTER = EncounterRow.__table__
_PATIENT = PatientRow.__table__
_SUCCESSOR = EncounterRow.__table__.alias("successor")
_AMENDED = EncounterRow.__table__.alias("amended")
_REVISION = RevisionRow.__table__
_BULK_FROM = (_ENCOUNTER.join(_PATIENT, _PATIENT.c.id == _ENCOUNTER.c.patient_id)
              .outerjoin(_SUCCESSOR, _SUCCESSOR.c.amends_id == _ENCOUNTER.c.id)
              .outerjoin(_AMENDED, _AMENDED.c.id == _ENCOUNTER.c.amends_id)
              .outerjoin(_REVISION, _REVISION.c.encounter_id == _ENCOUNTER.c.id))


class BulkMixin(StoreBase):
    """The bulk-export reads of :class:`models.store.Store`."""

    def count_encounters(self, since: dt.date | None = None, mrn: str | None = None) -> int:
        """How many encounters :meth:`iter_encounters` gives for the same filter."""
        query = sa.select(sa.func.count()).select_from(_ENCOUNTER.join(_PATIENT, _PATIENT.c.id == _ENCOUNTER.c.patient_id))
        with self._read() as session:
            return int(session.scalar(query.where(*_bulk_filter(since, mrn))) or 0)

    def iter_encounters(self, since: dt.date | None = None, mrn: str | None = None,
                        batch: int = 1000) -> Iterator[EncounterRecord]:
        """Every encounter dated on or after ``since`` (all when None), of the patient with MRN
        ``mrn`` (all when None), in id order, as plain records: for bulk export.

        One query per ``batch`` encounters (keyset pagination by id, each batch its own short read
        transaction, so a long export never holds the database), plus one for the stored
        assessments not read yet; rows are read as plain tuples, not ORM objects. An encounter
        added during the export with a higher id is included; one finalized meanwhile is given
        as it was when its batch was read.
        """
        batch = max(1, int(batch))
        e, p, succ, rev, a = (_ENCOUNTER, _PATIENT, _SUCCESSOR, _REVISION, AssessmentRow.__table__)
        columns = (e.c.id, e.c.date, e.c.knee, e.c.clinician, e.c.findings, e.c.notes, e.c.status, e.c.version,
                   e.c.ruleset, e.c.assessment_id, e.c.created_at, e.c.updated_at, e.c.finalized_at, e.c.finalized_by,
                   e.c.amends_id, e.c.amend_reason, succ.c.id, rev.c.content_hash,
                   p.c.id, p.c.mrn, p.c.family_name, p.c.given_name, p.c.birth_date, p.c.sex,
                   succ.c.status, _AMENDED.c.created_at, p.c.version)
        query = sa.select(*columns).select_from(_BULK_FROM).where(*_bulk_filter(since, mrn)).order_by(e.c.id)
        assessments: dict[int, dict[str, Any]] = {}  # shared by the records: never change one
        patients: dict[int, PatientRecord] = {}
        after = 0
        while True:
            with self._read() as session:
                rows = session.execute(query.where(e.c.id > after).limit(batch)).all()
                missing = {r[9] for r in rows} - assessments.keys()
                if missing:
                    if len(assessments) > 50_000:
                        assessments.clear()
                    for assessment_id, body in session.execute(
                            sa.select(a.c.id, a.c.body).where(a.c.id.in_(sorted(missing)))):
                        assessments[assessment_id] = json.loads(body)
            if not rows:
                return
            if len(patients) > 50_000:
                patients.clear()
            for r in rows:
                patient = patients.get(r[18])
                if patient is None:
                    patient = patients[r[18]] = PatientRecord(id=r[18], mrn=r[19], family_name=r[20],
                                                              given_name=r[21], birth_date=r[22], sex=r[23],
                                                              version=r[26])
                yield EncounterRecord(
                    id=r[0], patient=patient, info=EncounterInfo(date=r[1], clinician=r[3], knee=r[2]),
                    findings=dict(r[4]), notes=r[5], status=r[6], version=r[7], ruleset=r[8],
                    assessment=assessments.get(r[9], {}), created_at=r[10], updated_at=r[11],
                    finalized_at=r[12], finalized_by=r[13], amends_id=r[14], amend_reason=r[15],
                    amended_by_id=r[16], revision_hash=r[17] if r[6] == "final" else None,
                    amended_by_final=r[24] == "final", amends_created_at=_as_utc(r[25]),
                )
            after = rows[-1][0]
            if len(rows) < batch:
                return


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A time read through a Core query (no TypeDecorator on an alias' column in every engine): UTC."""
    if value is None or not isinstance(value, dt.datetime):
        return value
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _bulk_filter(since: dt.date | None, mrn: str | None) -> list[sa.ColumnElement[bool]]:
    conditions = []
    if since is not None:
        conditions.append(_ENCOUNTER.c.date >= since)
    if mrn is not None:
        conditions.append(_PATIENT.c.mrn == mrn)
    return conditions
