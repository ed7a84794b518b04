"""The audit trail and the integrity check: recording events, reading them back, and verifying
every revision, stored assessment and audit row against its hash.

The audit rows themselves are appended by :meth:`models.transactions.StoreBase._change`, with
every change; :meth:`AuditMixin.record_event` audits what changes nothing stored (viewed,
printed, exported, backed up).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.hashing import GENESIS_HASH, audit_hash, canonical_json, revision_content, sha256_hex
from models.records import Actor
from models.schema import AssessmentRow, AuditRow, EncounterRow, PatientRow, RevisionRow
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
        """Every revision's hash and chain, each finalized encounter against its revision, and the
        audit chain. One line per problem; an empty list means everything verifies."""
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
            for audit in session.scalars(sa.select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=1000)):
                if audit_hash(previous, audit) != audit.row_hash:
                    problems.append(f"audit event {audit.id}: breaks the audit chain (edited, or an earlier row removed)")
                previous = audit.row_hash
        return problems

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
                     "encounter_id": r.encounter_id, "detail": r.detail} for r in session.scalars(query)]


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


def _assessment_problems(assessment_id: int, digest: str, body: str) -> list[str]:
    return [] if sha256_hex(body) == digest else [f"assessment {assessment_id}: content does not match its hash"]
