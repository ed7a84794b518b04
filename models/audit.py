"""The audit trail and the integrity check: recording events, reading them back, and verifying
every revision, stored assessment and audit row against its hash.

The audit rows themselves are appended by :meth:`models.transactions.StoreBase._change`, with
every change; :meth:`AuditMixin.record_event` audits what changes nothing stored (viewed,
printed, exported, backed up).
"""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.hashing import GENESIS_HASH, audit_hash, canonical_json, revision_content, sha256_hex
from models.pins import (
    CLINICIAN,
    ENCOUNTER,
    PATIENT,
    PINNING_ACTIONS,
    clinician_pin,
    display_detail,
    encounter_pin,
    patient_row_pin,
    split_pins,
)
from models.records import Actor
from models.schema import AssessmentRow, AuditRow, ClinicianRow, EncounterRow, PatientRow, RevisionRow
from models.transactions import StoreBase, get_row


class AuditMixin(StoreBase):
    """The audit and integrity methods of :class:`models.store.Store`."""

    def record_event(self, action: str, actor: Actor, *, encounter_id: int | None = None,
                     patient_id: int | None = None, detail: str = "") -> None:
        """Audit something that changes nothing stored: "viewed", "printed", "exported", "backed_up"."""
        with self._change(actor, action) as change:
            if encounter_id is not None:
                encounter = get_row(change.session, EncounterRow, encounter_id, "encounter")
                patient_id = patient_id if patient_id is not None else encounter.patient_id
            if patient_id is not None:
                get_row(change.session, PatientRow, patient_id, "patient")
            change.patient_id, change.encounter_id, change.detail = patient_id, encounter_id, detail

    def verify(self) -> list[str]:
        """Every revision's hash and chain, each finalized encounter against its revision, the
        audit chain, and every pinned record against its pin. One line per problem; an empty list
        means everything verifies."""
        return self.verify_report()[0]

    def verify_report(self) -> tuple[list[str], list[str]]:
        """(problems, notes): :meth:`verify`'s problems, and what is information, not a failure
        (records written before KneeCheck pinned them)."""
        problems: list[str] = []
        with self._read() as session:
            hashes: dict[int, str] = {}
            revised: set[int] = set()
            for rev in session.scalars(sa.select(RevisionRow).order_by(RevisionRow.id)):
                revised.add(rev.encounter_id)
                hashes[rev.id] = rev.content_hash
                problems += _revision_problems(session, rev, hashes)
            unrevised = session.scalars(
                sa.select(EncounterRow.id).where(EncounterRow.status == "final").order_by(EncounterRow.id))
            problems += [f"encounter {eid}: finalized but has no revision" for eid in unrevised if eid not in revised]
            for digest_row in session.execute(sa.select(AssessmentRow.id, AssessmentRow.digest, AssessmentRow.body)):
                problems += _assessment_problems(digest_row.id, digest_row.digest, digest_row.body)
            previous = GENESIS_HASH
            seen = _AuditSeen()
            for audit in session.scalars(sa.select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=1000)):
                if audit_hash(previous, audit) != audit.row_hash:
                    problems.append(f"audit event {audit.id}: breaks the audit chain (edited, or an earlier row removed)")
                previous = audit.row_hash
                seen.add(audit)
            accused = {int(m.group(1) or m.group(2)) for m in map(_ENCOUNTER_NAMED.search, problems) if m}
            pinned, notes = _pin_problems(session, seen, accused)
            problems += pinned
        return problems, notes

    def database_checks(self) -> tuple[list[str], list[str]]:
        """(problems, notes) of the database's own checks (models/integrity.py): SQLite's
        integrity_check and foreign_key_check, PostgreSQL amcheck where installed."""
        from models.integrity import database_checks
        from models.records import DatabaseDamagedError

        found: tuple[list[str], list[str]] | None = None
        try:
            with self._read() as session:
                found = database_checks(session.connection())
        except DatabaseDamagedError as exc:
            if found is None or not found[0]:  # (ending the read can fail too on a damaged file)
                return [str(exc).split("; nothing was written")[0]], []
        assert found is not None
        return found

    def audit_identity(self) -> str | None:
        """The hash of the first audit row: which database this is, for the witness logs."""
        with self._read_statement() as session:
            return session.scalar(sa.select(AuditRow.row_hash).order_by(AuditRow.id).limit(1))

    def audit_hashes(self, ids: list[int]) -> dict[int, str]:
        """{audit row id: hash} of those of ``ids`` that exist."""
        found: dict[int, str] = {}
        wanted = sorted(set(ids))
        with self._read() as session:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found.update((int(i), str(h)) for i, h in session.execute(
                    sa.select(AuditRow.id, AuditRow.row_hash).where(AuditRow.id.in_(chunk))))
        return found

    def find_fingerprint(self, fingerprint: str) -> list[tuple[int, int, str]]:
        """The finalized revisions whose SHA-256 starts with ``fingerprint`` (hex digits, any case,
        dashes and spaces ignored): (revision id, encounter id, full hash)."""
        digits = "".join(c for c in fingerprint.lower() if c not in "- ")
        with self._read() as session:
            rows = session.execute(sa.select(RevisionRow.id, RevisionRow.encounter_id, RevisionRow.content_hash)
                                   .where(RevisionRow.content_hash.startswith(digits, autoescape=True))
                                   .order_by(RevisionRow.id)).all()
        return [(int(r[0]), int(r[1]), str(r[2])) for r in rows]

    def verify_encounter(self, encounter_id: int) -> list[str]:
        """What :meth:`verify` says about one encounter, cheaply enough to run when it is opened:
        its revision (for an amendment's draft, the revision it amends) and every earlier revision
        of its chain, and its stored assessment. The audit chain is left to :meth:`verify`."""
        problems: list[str] = []
        with self._read() as session:
            encounter = get_row(session, EncounterRow, encounter_id, "encounter")
            start = encounter.id if encounter.status == "final" else encounter.amends_id
            rev = None
            if start is not None:
                rev = session.scalar(sa.select(RevisionRow).where(RevisionRow.encounter_id == start))
                if rev is None:
                    problems.append(f"encounter {start}: finalized but has no revision")
            seen: set[int] = set()
            while rev is not None and rev.id not in seen:
                seen.add(rev.id)
                problems += _revision_problems(session, rev, {})
                rev = session.get(RevisionRow, rev.previous_id) if rev.previous_id is not None else None
            assessment = session.get(AssessmentRow, encounter.assessment_id)
            if assessment is not None:
                problems += _assessment_problems(assessment.id, assessment.digest, assessment.body)
        return problems

    def integrity_counts(self) -> dict[str, int]:
        """How many revisions, finalized encounters and audit events :meth:`verify` covers."""
        with self._read() as session:
            return {
                "revisions": session.scalar(sa.select(sa.func.count()).select_from(RevisionRow)) or 0,
                "finalized": session.scalar(sa.select(sa.func.count()).select_from(EncounterRow)
                                            .where(EncounterRow.status == "final")) or 0,
                "audit_events": session.scalar(sa.select(sa.func.count()).select_from(AuditRow)) or 0,
            }

    def audit_anchor(self, event_id: int | None = None) -> tuple[int, str] | None:
        """(id, hash) of the newest audit event, or of event ``event_id``; None if there is none.

        A hash chain cannot show that its newest rows were removed. Noted down outside the database
        (with each backup, say), the anchor shows it later: ``verify --anchor ID:HASH``.
        """
        query = sa.select(AuditRow.id, AuditRow.row_hash)
        query = query.where(AuditRow.id == event_id) if event_id is not None else query.order_by(AuditRow.id.desc())
        with self._read() as session:
            row = session.execute(query.limit(1)).first()
            return (int(row[0]), str(row[1])) if row else None

    def audit_events(self, *, encounter_id: int | None = None, patient_id: int | None = None,
                     limit: int = 1000) -> list[dict[str, Any]]:
        """Audit rows, oldest first, as plain dicts (for tests and an audit viewer)."""
        query = sa.select(AuditRow).order_by(AuditRow.id).limit(limit)
        if encounter_id is not None:
            query = query.where(AuditRow.encounter_id == encounter_id)
        if patient_id is not None:
            query = query.where(AuditRow.patient_id == patient_id)
        with self._read() as session:
            return [{"id": r.id, "at": r.at, "clinician": r.clinician, "os_user": r.os_user,
                     "workstation": r.workstation, "action": r.action, "patient_id": r.patient_id,
                     "encounter_id": r.encounter_id, "detail": display_detail(r.detail)}
                    for r in session.scalars(query)]


def _revision_problems(session: Session, rev: RevisionRow, hashes: dict[int, str]) -> list[str]:
    """One revision against its hash, its predecessor and the encounter it froze.

    ``hashes`` holds content hashes of revisions already read (revision id -> hash); a missing
    predecessor is looked up.
    """
    problems: list[str] = []
    where = f"revision {rev.id} (encounter {rev.encounter_id})"
    if sha256_hex(rev.content) != rev.content_hash:
        problems.append(f"{where}: content does not match its hash")
    try:
        content = json.loads(rev.content)
    except ValueError:
        return [*problems, f"{where}: content is not valid JSON"]
    if not isinstance(content, dict):
        return [*problems, f"{where}: content is not a revision"]
    expected_previous = hashes.get(rev.previous_id) if rev.previous_id is not None else None
    if rev.previous_id is not None and expected_previous is None:
        expected_previous = session.scalar(sa.select(RevisionRow.content_hash).where(RevisionRow.id == rev.previous_id))
    if content.get("previous_hash") != expected_previous:
        problems.append(f"{where}: link to the previous revision does not match")
    encounter = session.get(EncounterRow, rev.encounter_id)
    if encounter is None or encounter.status != "final" or encounter.finalized_at is None:
        return [*problems, f"{where}: its encounter is missing or no longer finalized"]
    try:
        assessment = json.loads(session.get_one(AssessmentRow, encounter.assessment_id).body)
    except ValueError:
        return [*problems, f"{where}: its stored assessment is not valid JSON"]
    now = revision_content(encounter, session.get_one(PatientRow, encounter.patient_id), assessment,
                           content.get("previous_hash"))
    now["patient"] = content.get("patient")  # demographics may be corrected later, legitimately
    if canonical_json(now) != canonical_json(content):
        problems.append(f"{where}: the encounter no longer matches its finalized revision")
    return problems


_ENCOUNTER_NAMED = re.compile(r"\(encounter (\d+)\)|^encounter (\d+):")


class _AuditSeen:
    """What the audit rows say about the records, gathered while the chain is checked."""

    def __init__(self) -> None:
        self.pins: dict[tuple[str, int], tuple[int, str]] = {}  # newest pin of each record
        self.first_pin: int | None = None  # the first audit row that carries pins
        self.patients: set[int] = set()  # named by any audit row
        self.encounters: set[int] = set()
        self.finalized: set[int] = set()  # encounters with a "finalized" audit row
        self.account_names: set[str] = set()  # accounts a "clinician_created" row names

    def add(self, audit: AuditRow) -> None:
        if audit.patient_id is not None:
            self.patients.add(audit.patient_id)
        if audit.encounter_id is not None:
            self.encounters.add(audit.encounter_id)
            if audit.action == "finalized":
                self.finalized.add(audit.encounter_id)
        text, pins = split_pins(audit.detail)
        kind = PINNING_ACTIONS.get(audit.action)
        named = {PATIENT: audit.patient_id, ENCOUNTER: audit.encounter_id}
        # A pin counts on a row whose action pins that kind of record, and (for patients and
        # encounters) of the record the row itself names.
        pins = [pin for pin in pins if pin[0] == kind and named.get(kind, pin[1]) == pin[1]]
        if audit.action == "clinician_created" and text.startswith("account "):
            self.account_names.add(text.removeprefix("account ").removesuffix(" (the first account)"))
        for kind, ident, digest in pins:
            self.pins[(kind, ident)] = (audit.id, digest)
        if pins and self.first_pin is None:
            self.first_pin = audit.id


def _pin_problems(session: Session, seen: _AuditSeen, accused: set[int]) -> tuple[list[str], list[str]]:
    """Every patient, finalized encounter and clinician account against the hash its newest audit
    row pinned; every record the audit rows name must exist. ``accused``: encounters already
    reported (by their revision), not reported twice. Returns (problems, notes)."""
    problems: list[str] = []
    unpinned = {PATIENT: 0, ENCOUNTER: 0, CLINICIAN: 0}
    outside = "changed outside KneeCheck"
    patients = sa.select(PatientRow.id, PatientRow.mrn, PatientRow.family_name, PatientRow.given_name,
                         PatientRow.birth_date, PatientRow.sex).order_by(PatientRow.id)
    for row in session.execute(patients.execution_options(yield_per=5000)):
        pin = seen.pins.get((PATIENT, row.id))
        if pin is not None:
            if patient_row_pin(row)[2] != pin[1]:
                problems.append(f"patient {row.id}: {outside}: its MRN, name, birth date or sex no longer match "
                                f"what audit event {pin[0]} pinned")
        elif row.id in seen.patients:
            unpinned[PATIENT] += 1
        else:
            problems.append(f"patient {row.id}: stored with no audit event (added outside KneeCheck)")
        seen.patients.discard(row.id)
    problems += [f"patient {ident}: named by audit events but missing (deleted outside KneeCheck)"
                 for ident in sorted(seen.patients)]
    existing = set(session.scalars(sa.select(EncounterRow.id)))
    problems += [f"encounter {ident}: named by audit events but missing (deleted outside KneeCheck)"
                 for ident in sorted(seen.encounters - existing)]
    finals = session.execute(sa.select(EncounterRow.id, EncounterRow.patient_id, EncounterRow.date, EncounterRow.knee,
                                       EncounterRow.clinician, EncounterRow.findings, EncounterRow.notes,
                                       EncounterRow.status, EncounterRow.finalized_by, RevisionRow.id.label("rev_id"),
                                       RevisionRow.content_hash)
                             .outerjoin(RevisionRow, RevisionRow.encounter_id == EncounterRow.id)
                             .where(EncounterRow.status == "final").order_by(EncounterRow.id)
                             .execution_options(yield_per=5000))
    final_ids: set[int] = set()
    for encounter in finals:
        revision_id, revision_hash = encounter.rev_id, encounter.content_hash
        final_ids.add(encounter.id)
        pin = seen.pins.get((ENCOUNTER, encounter.id))
        if encounter.id in accused or revision_id is None:
            continue
        if pin is not None:
            if encounter_pin(encounter, revision_id, revision_hash)[2] != pin[1]:
                problems.append(f"encounter {encounter.id}: {outside}: its findings, notes, revision or SHA-256 no "
                                f"longer match what audit event {pin[0]} pinned when it was finalized")
        elif encounter.id in seen.finalized:
            unpinned[ENCOUNTER] += 1
        else:
            problems.append(f"encounter {encounter.id}: finalized with no audit event (finalized outside KneeCheck)")
    problems += [f"encounter {ident}: finalized (audit event {pin[0]}) but no longer final (changed outside KneeCheck)"
                 for (kind, ident), pin in sorted(seen.pins.items())
                 if kind == ENCOUNTER and ident in existing and ident not in final_ids and ident not in accused]
    for account in session.scalars(sa.select(ClinicianRow).order_by(ClinicianRow.id)):
        pin = seen.pins.get((CLINICIAN, account.id))
        if pin is not None:
            if clinician_pin(account)[2] != pin[1]:
                problems.append(f"clinician account {account.id}: {outside}: its name, password hash, disabled "
                                f"state or administrator flag no longer match what audit event {pin[0]} pinned")
        elif account.name in seen.account_names:
            unpinned[CLINICIAN] += 1
        else:
            problems.append(f"clinician account {account.id}: stored with no audit event (added outside KneeCheck)")
    words = {PATIENT: "patient(s)", ENCOUNTER: "finalized encounter(s)", CLINICIAN: "clinician account(s)"}
    counted = [f"{n} {words[kind]}" for kind, n in unpinned.items() if n]
    notes = [f"not pinned (written before KneeCheck pinned its records): {', '.join(counted)}; they are pinned "
             "from their next change on"] if counted else []
    return problems, notes


def _assessment_problems(assessment_id: int, digest: str, body: str) -> list[str]:
    return [] if sha256_hex(body) == digest else [f"assessment {assessment_id}: content does not match its hash"]
