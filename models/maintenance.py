"""Maintenance: a backup copy of a SQLite database, and loading synthetic demo data.

Demo data goes through the same audited write path as everything else
(:meth:`models.transactions.StoreBase._change`): each chunk of patients or encounters is one
transaction holding the rows, one audit row per record (``patient_created`` /
``encounter_created`` with detail ``demo``) and the chunk's own ``demo_loaded`` row. An
interrupted load therefore leaves whole chunks of audited records, never a record without its
audit row. Ids are reserved first (:func:`models.transactions.reserve_ids`), so a PostgreSQL
sequence is never behind the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from models.audit import AuditMixin
from models.backup import BackupError, backup_sqlite
from models.database import sqlite_path
from models.demo import DemoData, demo_names
from models.encounters import assessment_id_for
from models.pins import patient_pin, with_pins
from models.records import Actor, StoreError
from models.schema import search_key, utcnow
from models.transactions import DETAIL_LIMIT, AuditEvent, bulk_insert, driver_date, driver_time, reserve_ids

# Records per demo transaction: large enough to be fast, small enough that an interruption loses
# little and that no transaction holds the database for long.
CHUNK = 50_000
# On PostgreSQL a chunk's audit rows are chained and inserted by one block under the clinic-wide
# audit lock (models/audit_commit.py): 50,000 held it for about 1.5 s, which every other
# workstation's write would wait for; 5,000 keep it to about a tenth of a second.
PG_CHUNK = 5_000
PATIENT_COLUMNS = ("id", "mrn", "family_name", "given_name", "birth_date", "sex", "family_key", "given_key", "mrn_key",
                   "created_at", "updated_at", "version")
ENCOUNTER_COLUMNS = ("id", "patient_id", "date", "knee", "clinician", "findings", "notes", "status", "ruleset",
                     "assessment_id", "direction", "urgency", "version", "created_at", "updated_at")

Progress = Callable[[str, int, int], None]


class MaintenanceMixin(AuditMixin):
    """The backup and demo methods of :class:`models.store.Store`."""

    def backup(self, dest: str, actor: Actor) -> None:
        """Write a consistent owner-only copy of the SQLite database to the new file ``dest``."""
        path = sqlite_path(self._url)
        if path is None:
            raise StoreError("this is a PostgreSQL database: back it up on the server with pg_dump "
                             "(e.g. pg_dump --format=custom --file=kneecheck.dump DBNAME)")
        if Path(dest).exists():  # refused before anything is audited or written
            raise StoreError(f"{dest} already exists; choose a new file name (backups are never overwritten)")
        # Audited first, so the copy itself holds the row recording that it was taken, and no
        # copy of patient data ever exists without one.
        self.record_event("backed_up", actor, detail=f"to {dest}")
        try:
            backup_sqlite(path, Path(dest))
        except BackupError as exc:
            self.record_event("backup_failed", actor, detail=f"to {dest}")
            raise StoreError(str(exc)) from None

    def load_demo(self, patients: int, encounters: int, actor: Actor,
                  progress: Progress | None = None) -> tuple[int, int]:
        """Fill the database with synthetic, obviously fake patients and draft encounters.

        ``progress(stage, done, total)`` is called after each chunk is stored; if it (or anything)
        raises, the chunks stored so far stay, each complete with its audit rows.
        """
        data = DemoData(patients, encounters)
        report = progress or (lambda _stage, _done, _total: None)
        patient_ids: list[int] = []
        size = CHUNK if self.is_sqlite else PG_CHUNK
        for chunk in data.patient_chunks(size):
            first = len(patient_ids) + 1
            with self._change(actor, "demo_loaded") as change:
                session = change.session
                ids = reserve_ids(session, "patient", len(chunk))
                stamp, as_date = driver_time(session, utcnow()), driver_date(session)
                rows: list[tuple[Any, ...]] = []
                pinned: list[AuditEvent] = []
                for ident, p in zip(ids, chunk, strict=True):
                    family, mrn = demo_names(ident)
                    rows.append((ident, mrn, family, p.given_name, as_date(p.birth_date), p.sex, search_key(family),
                                 search_key(p.given_name), search_key(mrn), stamp, stamp, 1))
                    pin = patient_pin(ident, mrn, family, p.given_name, p.birth_date, p.sex)
                    pinned.append(("patient_created", ident, None, with_pins("demo", [pin], DETAIL_LIMIT)))
                bulk_insert(session, "patient", PATIENT_COLUMNS, rows)
                change.more = pinned
                change.detail = f"demo patients {first}-{first + len(ids) - 1} of {patients}"
            patient_ids += ids
            report("patients", len(patient_ids), patients)

        stored: dict[str, tuple[int, str, str]] = {}  # digest -> (assessment id, direction, urgency)
        done = 0
        for encounter_chunk in data.encounter_chunks(size):
            with self._change(actor, "demo_loaded") as change:
                session = change.session
                ids = reserve_ids(session, "encounter", len(encounter_chunk))
                stamp, as_date = driver_time(session, utcnow()), driver_date(session)
                rows = []
                events: list[AuditEvent] = []
                for ident, e in zip(ids, encounter_chunk, strict=True):
                    assessment = stored.get(e.digest)
                    if assessment is None:
                        assessment = stored[e.digest] = (assessment_id_for(session, e.assessment),
                                                         e.assessment["direction"], e.assessment["urgency"])
                    patient_id = patient_ids[e.patient_index]
                    rows.append((ident, patient_id, as_date(e.date), e.knee, e.clinician, e.findings_json, "", "draft",
                                 data.ruleset, *assessment, 1, stamp, stamp))
                    events.append(("encounter_created", patient_id, ident, "demo"))
                bulk_insert(session, "encounter", ENCOUNTER_COLUMNS, rows)
                change.more = events
                change.detail = f"demo encounters {done + 1}-{done + len(ids)} of {encounters}"
            done += len(ids)
            report("encounters", done, encounters)
        return patients, encounters
