"""Who saw this patient: every audit row about one patient (a view, a print, an export, a change),
read back as plain records for ``kneecheck audit --patient`` and the window's "Who saw this
patient" dialog, and written as CSV.

A row is about the patient when it names the patient, or one of the patient's encounters (rows
written before migration 0002 named only the encounter). Reading only: nothing here is audited, as
reading the audit trail discloses no clinical content (the list shows who, when, where and what,
never findings or notes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import sqlalchemy as sa

from models.pins import split_pins
from models.records import NotFoundError
from models.schema import AuditRow, EncounterRow, PatientRow
from models.transactions import StoreBase

# What an audit action is, in the list's words; actions not named here are "other" (sign-ins,
# locks and backups name no patient anyway).
ACTION_KINDS: dict[str, str] = {
    "opened": "view", "viewed": "view",
    "printed": "print", "print_failed": "print",
    "exported": "export", "export_completed": "export", "export_failed": "export",
    "sent": "export", "send_accepted": "export", "send_failed": "export",
    "patient_created": "change", "patient_updated": "change", "encounter_created": "change",
    "draft_saved": "change", "finalized": "change", "amended": "change", "imported": "change",
    "demo_loaded": "change", "access_listed": "audit",
}
# The most rows one listing returns: a patient seen daily for years has a few thousand.
ACCESS_LIMIT = 100_000
CSV_COLUMNS = ("when_utc", "clinician", "os_user", "workstation", "kind", "action", "encounter", "detail", "event")


@dataclass(frozen=True)
class PatientAccess:
    """One audit row about a patient: who, when (UTC), where, and what."""

    event_id: int
    at: dt.datetime
    clinician: str
    os_user: str
    workstation: str
    action: str
    kind: str
    encounter_id: int | None
    detail: str

    def csv_row(self) -> tuple[str, ...]:
        return (self.at.strftime("%Y-%m-%dT%H:%M:%SZ"), self.clinician, self.os_user, self.workstation, self.kind,
                self.action, "" if self.encounter_id is None else str(self.encounter_id), self.detail,
                str(self.event_id))


def access_csv(rows: list[PatientAccess]) -> str:
    """The rows as CSV (a header, then one line each), through the csv module: a comma, quote or
    newline in a name or a detail stays inside its field. A cell that a spreadsheet would run as a
    formula (=, +, -, @ first) gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_inert(cell) for cell in row.csv_row()])
    return out.getvalue()


def _inert(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


class AccessMixin(StoreBase):
    """Reading one patient's audit rows: :meth:`patient_access`."""

    def patient_access(self, *, mrn: str | None = None, patient_id: int | None = None,
                       since: dt.datetime | None = None) -> list[PatientAccess]:
        """Every audit row about the patient with ``mrn`` (or ``patient_id``), oldest first, from
        ``since`` (UTC) on. :class:`NotFoundError` for an unknown patient."""
        with self._read() as session:
            if patient_id is None:
                patient_id = session.scalar(sa.select(PatientRow.id).where(PatientRow.mrn == (mrn or "").strip()))
                if patient_id is None:
                    raise NotFoundError("there is no patient with that MRN")
            elif session.get(PatientRow, patient_id) is None:
                raise NotFoundError(f"there is no patient {patient_id}")
            encounters = sa.select(EncounterRow.id).where(EncounterRow.patient_id == patient_id)
            query = sa.select(AuditRow).where(sa.or_(AuditRow.patient_id == patient_id,
                                                     AuditRow.encounter_id.in_(encounters)))
            if since is not None:
                query = query.where(AuditRow.at >= since)
            rows = session.scalars(query.order_by(AuditRow.id).limit(ACCESS_LIMIT))
            return [PatientAccess(event_id=r.id, at=r.at, clinician=r.clinician, os_user=r.os_user,
                                  workstation=r.workstation, action=r.action, kind=ACTION_KINDS.get(r.action, "other"),
                                  encounter_id=r.encounter_id, detail=split_pins(r.detail)[0]) for r in rows]
