"""Encounters: drafts, saving, finalizing and amending, one encounter at a time.

A stale save raises :class:`ConflictError` and writes nothing; a finalized encounter is refused
here (:class:`FinalizedError`) and again by a database trigger. Finalizing freezes a hashed
revision chained to the one it amends. Every stored result is an assessment of the content as
validated by the case-file rules (:func:`validated_case`), stored once per distinct result
(:func:`assessment_id_for`).

Why nearly 500 lines: each of the five writes (create, import, save, finalize, amend) has its
attempt and its check after a lost reply (models/outcomes.py) side by side, which is what has to be
read together.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from models import outcomes, pipelined
from models.assessment import assess
from models.case import Case, CaseError, EncounterInfo, parse_case
from models.catalogue import current_ruleset, known_rulesets
from models.hashing import canonical_json, revision_content, sha256_hex
from models.patients import insert_patient, patient_record, validated_patient
from models.pins import encounter_pin, patient_row_pin, with_pins
from models.records import (
    Actor,
    ConflictError,
    DuplicateMrnError,
    EncounterRecord,
    EncounterSummary,
    FinalizedError,
    KeyTakenError,
    NotFoundError,
    PatientRecord,
    StoreError,
)
from models.schema import AssessmentRow, EncounterRow, PatientRow, RevisionRow, utcnow
from models.transactions import DETAIL_LIMIT, PG_WRITE_LOCK, StoreBase, database_errors, get_row

if TYPE_CHECKING:
    from models.follow_up import Visit

REASON_LIMIT = 2000


class EncountersMixin(StoreBase):
    """The encounter methods of :class:`models.store.Store`."""

    def list_encounters(self, patient_id: int) -> list[EncounterSummary]:
        """The patient's encounters, newest first."""
        successor = aliased(EncounterRow)
        # One statement (one round trip on PostgreSQL): the patient, outer-joined to its encounters,
        # so that no row says there is no such patient and one row of NULLs that it has none.
        query = (
            sa.select(EncounterRow.id, EncounterRow.date, EncounterRow.knee, EncounterRow.clinician,
                      EncounterRow.direction, EncounterRow.urgency, EncounterRow.status, EncounterRow.amends_id,
                      successor.id, EncounterRow.ruleset, successor.status)
            .select_from(PatientRow)
            .outerjoin(EncounterRow, EncounterRow.patient_id == PatientRow.id)
            .outerjoin(successor, successor.amends_id == EncounterRow.id)
            .where(PatientRow.id == patient_id)
            .order_by(EncounterRow.date.desc(), EncounterRow.id.desc())
        )
        with self._read_statement() as session:
            rows = session.execute(query).all()
        if not rows:
            raise NotFoundError(f"there is no patient with id {patient_id}")
        return [EncounterSummary(*row[:9], ruleset=row[9], amended_by_final=row[10] == "final")
                for row in rows if row[0] is not None]

    def load_encounter(self, encounter_id: int) -> EncounterRecord:
        with self._read() as session:
            return encounter_record(session, get_row(session, EncounterRow, encounter_id, "encounter"))

    def patient_visits(self, patient_id: int) -> list[Visit]:
        """What a follow-up compares (models/follow_up.py) of every stored encounter of the patient,
        every version of an amended one, oldest first: one statement, one round trip on PostgreSQL
        (the whole records would cost about four queries each)."""
        from models.follow_up import Visit

        query = (sa.select(EncounterRow.id, EncounterRow.date, EncounterRow.created_at, EncounterRow.status,
                           EncounterRow.ruleset, EncounterRow.findings, AssessmentRow.body, EncounterRow.amends_id,
                           EncounterRow.knee)
                 .outerjoin(AssessmentRow, AssessmentRow.id == EncounterRow.assessment_id)
                 .where(EncounterRow.patient_id == patient_id)
                 .order_by(EncounterRow.date, EncounterRow.id))
        with self._read_statement() as session:
            rows = session.execute(query).all()
        return [Visit(id=r[0], date=r[1], created_at=r[2], status=r[3], ruleset=r[4], findings=dict(r[5]),
                      assessment=json.loads(r[6]) if r[6] else {}, amends_id=r[7], knee=r[8]) for r in rows]

    def patient_history(self, patient_id: int) -> list[EncounterRecord]:
        """Every stored encounter of the patient (every version of an amended one), oldest first: the
        earlier visits a follow-up compares with (models/follow_up.py)."""
        with self._read() as session:
            rows = session.scalars(sa.select(EncounterRow).where(EncounterRow.patient_id == patient_id)
                                   .order_by(EncounterRow.date, EncounterRow.id)).all()
            return [encounter_record(session, row) for row in rows]

    def export_case(self, encounter_id: int) -> Case:
        return self.load_encounter(encounter_id).to_case()

    def create_draft(self, patient_id: int, info: EncounterInfo, findings: dict[str, Any], notes: str,
                     actor: Actor, *, key: str | None = None) -> EncounterRecord:
        """A new draft. ``key`` (:func:`models.outcomes.new_key`, made once by the caller and kept
        for every retry of this create): a draft already stored under it is returned and nothing is
        written; the same key with other content is refused (:class:`models.outcomes.KeyReusedError`)."""
        key = outcomes.checked_key(key)
        digest = outcomes.draft_digest(patient_id, info, findings, notes) if key is not None else ""

        def attempt() -> EncounterRecord:
            try:
                with self._change(actor, "encounter_created") as change:
                    session = change.session
                    if key is not None:
                        stored = outcomes.stored_by_key(session, EncounterRow, key, digest)
                        if stored is not None:
                            raise outcomes.already_stored(encounter_record(session, stored))
                    patient = get_row(session, PatientRow, patient_id, "patient")
                    row = _insert_draft(session, patient.id, validated_case(patient, info, findings, notes),
                                        key, digest)
                    change.patient_id, change.encounter_id = patient.id, row.id
                    return encounter_record(session, row)
            except outcomes.Found as found:
                return found.record  # type: ignore[no-any-return]

        def verify() -> EncounterRecord | None:
            assert key is not None
            with self._verify_read() as session:
                row = outcomes.stored_by_key(session, EncounterRow, key, digest)
                return encounter_record(session, row) if row is not None else None

        if key is None or self.is_sqlite:
            return attempt()
        # A retry that meets the first attempt committed late (its key taken) finds it by the key.
        return outcomes.settle("the new draft", attempt, verify, after_refusal=(KeyTakenError,))

    def import_cases(self, cases: list[Case], actor: Actor, sources: list[str] | None = None,
                     keys: list[str] | None = None) -> list[int]:
        """Store each case as a draft, all in one transaction; returns the new encounter ids.

        A new MRN creates the patient. A known MRN must name the same person: a different name,
        birth date or sex is bad input (:class:`CaseError` naming the field), and nothing is stored.
        ``keys``, one per case (the ``import`` command passes :func:`models.outcomes.case_key`,
        derived from the content): a case whose key is already stored is not stored again, its
        stored encounter's id is returned in its place; when every case is stored already nothing
        at all is written. After a lost reply the store checks the keys (models/outcomes.py).
        """
        names = sources or [f"case {n + 1}" for n in range(len(cases))]
        if keys is not None:
            keys = [outcomes.required_key(k) for k in keys]
            if len(keys) != len(cases):
                raise StoreError(f"{len(keys)} request keys for {len(cases)} cases")
            digests = [outcomes.case_key(case).removeprefix("case-") for case in cases]  # what each key was asked for

            def verify() -> list[int] | None:
                with self._verify_read() as session:
                    found = _stored_keys(session, keys, digests)
                return [found[k] for k in keys] if all(k in found for k in keys) else None

            def attempt() -> list[int]:
                try:
                    return self._import_cases(cases, actor, names, keys, digests)
                except outcomes.Found as found:
                    return found.record  # type: ignore[no-any-return]

            # A retry that meets the first attempt committed late (a key, or a new patient's MRN, taken)
            # finds it by the keys; a real MRN clash is said as such.
            return attempt() if self.is_sqlite else outcomes.settle(
                f"the import of {len(cases)} case(s)", attempt, verify, after_refusal=(KeyTakenError, DuplicateMrnError))
        return self._import_cases(cases, actor, names, None, None)

    def _import_cases(self, cases: list[Case], actor: Actor, names: list[str], keys: list[str] | None,
                      digests: list[str] | None) -> list[int]:
        ids: list[int] = []
        new = 0
        with self._change(actor, "imported") as change:
            session = change.session
            stored: dict[str, int] = {}
            if keys is not None:
                stored = _stored_keys(session, keys, digests)
                if all(k in stored for k in keys):
                    raise outcomes.already_stored([stored[k] for k in keys])  # nothing new: nothing written
            for n, (case, source) in enumerate(zip(cases, names, strict=True)):
                key = keys[n] if keys is not None else None
                if key is not None and key in stored:
                    ids.append(stored[key])  # imported before (or twice in this import): that record
                    continue
                patient = session.scalar(sa.select(PatientRow).where(PatientRow.mrn == case.patient.mrn))
                if patient is None:
                    patient = insert_patient(session, validated_patient(case.patient))
                    change.more.append(("patient_created", patient.id, None,
                                        with_pins("import", [patient_row_pin(patient)], DETAIL_LIMIT)))
                else:
                    for name in ("family_name", "given_name", "birth_date", "sex"):
                        if getattr(patient, name) != getattr(case.patient, name):
                            raise CaseError(f"patient.{name}", "differs from the stored patient with this MRN; "
                                            "correct the file or update the patient first", source)
                row = _insert_draft(session, patient.id, validated_case(patient, case.encounter, case.findings, case.notes),
                                    key, digests[n] if digests is not None else None)
                change.more.append(("encounter_created", patient.id, row.id, "import"))
                ids.append(row.id)
                new += 1
                if key is not None:
                    stored[key] = row.id
            change.detail = f"{new} case file(s)" if new == len(ids) else \
                f"{new} case file(s); {len(ids) - new} stored before"
        return ids

    def save_draft(self, encounter_id: int, expected_version: int, info: EncounterInfo, findings: dict[str, Any],
                   notes: str, actor: Actor, *, after_unknown: bool = False) -> EncounterRecord:
        """Store new content for a draft and re-assess it; stale ``expected_version`` -> ConflictError.

        After a lost reply the store checks on a fresh connection whether the draft is at
        ``expected_version`` + 1 with exactly this content, and if so reports it saved
        (models/outcomes.py). ``after_unknown``: this is the same save again after an earlier
        attempt raised :class:`OutcomeUnknownError`; a draft at ``expected_version`` + 1 with
        exactly this content is then that attempt, stored, and returned instead of a conflict
        with itself. (Only then: otherwise a second writer saving the same content would count.)
        """
        def attempt() -> EncounterRecord:
            try:
                return self._save_draft_once(encounter_id, expected_version, info, findings, notes, actor)
            except ConflictError as exc:
                if after_unknown and exc.stored.version == expected_version + 1 and exc.stored.status == "draft" \
                        and _holds(exc.stored, exc.stored.patient, info, findings, notes):
                    return exc.stored  # our own earlier attempt, stored although its reply was lost
                raise

        def verify() -> EncounterRecord | None:
            with self._verify_read() as session:
                row = get_row(session, EncounterRow, encounter_id, "encounter")
                if row.version != expected_version + 1 or row.status != "draft":
                    return None
                record = encounter_record(session, row)
                return record if _holds(record, session.get_one(PatientRow, row.patient_id), info, findings, notes) \
                    else None

        if self.is_sqlite:
            return attempt()
        return outcomes.settle(f"the save of encounter {encounter_id}", attempt, verify, after_refusal=(ConflictError,))

    def _save_draft_once(self, encounter_id: int, expected_version: int, info: EncounterInfo,
                         findings: dict[str, Any], notes: str, actor: Actor) -> EncounterRecord:
        if not self.is_sqlite:
            saved = self._save_draft_pipelined(encounter_id, expected_version, info, findings, notes, actor)
            if saved is not None:
                return saved
        # SQLite, or what the pipelined save leaves to this path: a stale version, a changed patient
        # or account, no such encounter. It raises the error for it, or saves as always.
        try:
            with self._change(actor, "draft_saved") as change:
                session = change.session
                row = get_row(session, EncounterRow, encounter_id, "encounter")
                _refuse_final(row)
                if row.version != expected_version:
                    raise ConflictError(encounter_record(session, row), expected_version, info, dict(findings), notes)
                _refuse_unknown_ruleset(row)
                case = validated_case(session.get_one(PatientRow, row.patient_id), info, findings, notes)
                _fill_encounter(session, row, case)
                row.updated_at = utcnow()
                session.flush()
                change.patient_id, change.encounter_id = row.patient_id, row.id
                change.detail = f"version {row.version}"
                return encounter_record(session, row)
        except StaleDataError:
            # Another workstation's save committed between our read and our UPDATE.
            raise ConflictError(self.load_encounter(encounter_id), expected_version, info, dict(findings), notes) from None

    def _save_draft_pipelined(self, encounter_id: int, expected_version: int, info: EncounterInfo,
                              findings: dict[str, Any], notes: str, actor: Actor) -> EncounterRecord | None:
        """PostgreSQL: the save in one read and one batch on one connection (models/pipelined.py);
        None when it stored nothing and the ORM path must decide."""
        with database_errors(), self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            with Session(bind=conn, expire_on_commit=False) as session:  # closed (objects kept) before the batch
                read = pipelined.read_for_save(session, encounter_id, actor)
                if read is None or read.encounter.version != expected_version:
                    return None
                signed = pipelined.signed_actor(read, actor)
                if signed is None:
                    return None
                row, patient = read.encounter, read.patient
                _refuse_final(row)
                _refuse_unknown_ruleset(row)
                case = validated_case(patient, info, findings, notes)
                result = assess(case).to_dict()
                body = canonical_json(result)
                now = utcnow()
                values = {"date": case.encounter.date, "clinician": case.encounter.clinician,
                          "knee": case.encounter.knee, "findings": dict(case.findings), "notes": case.notes}
            heads: list[tuple[int, str, str]] = []
            if not pipelined.save_in_one_batch(conn, PG_WRITE_LOCK, read, signed, values, result, body,
                                               sha256_hex(body), now, heads):
                return None
        self._witness(heads)
        return EncounterRecord(
            id=row.id, patient=patient_record(patient),
            info=EncounterInfo(date=case.encounter.date, clinician=case.encounter.clinician, knee=case.encounter.knee),
            findings=dict(case.findings), notes=case.notes, status="draft", version=expected_version + 1,
            ruleset=result["ruleset"], assessment=json.loads(body), created_at=row.created_at, updated_at=now,
            finalized_at=None, finalized_by=None, amends_id=row.amends_id, amend_reason=row.amend_reason,
            amended_by_id=None,  # only a finalized encounter is ever amended
            revision_hash=None, amended_by_final=False, amends_created_at=read.amends_created_at,
        )

    def finalize(self, encounter_id: int, expected_version: int, actor: Actor) -> EncounterRecord:
        """Make a draft read-only, record who and when, and freeze a hashed revision of it. After a
        lost reply: finalized when the encounter is final at ``expected_version`` + 1."""
        def verify() -> EncounterRecord | None:
            with self._verify_read() as session:
                row = get_row(session, EncounterRow, encounter_id, "encounter")
                ours = row.status == "final" and row.version == expected_version + 1
                return encounter_record(session, row) if ours else None

        def attempt() -> EncounterRecord:
            return self._finalize_once(encounter_id, expected_version, actor)

        if self.is_sqlite:
            return attempt()
        return outcomes.settle(f"the finalizing of encounter {encounter_id}", attempt, verify,
                               after_refusal=(FinalizedError, ConflictError))

    def _finalize_once(self, encounter_id: int, expected_version: int, actor: Actor) -> EncounterRecord:
        try:
            with self._change(actor, "finalized") as change:
                session = change.session
                row = get_row(session, EncounterRow, encounter_id, "encounter")
                _refuse_final(row)
                if row.version != expected_version:
                    stored = encounter_record(session, row)
                    raise ConflictError(stored, expected_version, stored.info, stored.findings, stored.notes)
                _refuse_unknown_ruleset(row)
                # What is signed is the assessment of what is stored now, under the current rule set and
                # for the patient as now recorded: never a stale result. The stored one is stale when it
                # was made under an older rule set, or before the patient was last changed (a corrected
                # birth date changes the age, and with it the alerts); then it is made again here.
                patient = session.get_one(PatientRow, row.patient_id)
                if row.ruleset != current_ruleset() or patient.updated_at > row.updated_at:
                    info = EncounterInfo(date=row.date, clinician=row.clinician, knee=row.knee)
                    _fill_encounter(session, row, validated_case(patient, info, dict(row.findings), row.notes))
                row.status = "final"
                row.finalized_at = utcnow()
                row.finalized_by = actor.clinician
                row.updated_at = row.finalized_at
                session.flush()
                previous = None
                if row.amends_id is not None:
                    previous = session.scalar(sa.select(RevisionRow).where(RevisionRow.encounter_id == row.amends_id))
                assessment = json.loads(session.get_one(AssessmentRow, row.assessment_id).body)
                content = canonical_json(revision_content(
                    row, session.get_one(PatientRow, row.patient_id), assessment,
                    previous.content_hash if previous else None))
                revision = RevisionRow(
                    encounter_id=row.id, previous_id=previous.id if previous else None, created_at=row.finalized_at,
                    created_by=actor.clinician, reason=row.amend_reason, content=content,
                    content_hash=sha256_hex(content))
                session.add(revision)
                change.patient_id, change.encounter_id = row.patient_id, row.id
                session.flush()
                change.pins = [encounter_pin(row, revision.id, revision.content_hash)]
                return encounter_record(session, row)
        except StaleDataError:
            stored = self.load_encounter(encounter_id)
            raise ConflictError(stored, expected_version, stored.info, stored.findings, stored.notes) from None

    def amend(self, encounter_id: int, reason: str, actor: Actor) -> EncounterRecord:
        """Open a new draft that amends a finalized encounter; the original is never changed. After
        a lost reply: opened when the encounter's amendment exists with this reason."""
        reason = reason.strip()
        if not reason:
            raise CaseError("amend_reason", "is required: say why the finalized encounter is amended")
        if len(reason) > REASON_LIMIT:
            raise CaseError("amend_reason", f"is {len(reason)} characters long; the limit is {REASON_LIMIT}")

        def verify() -> EncounterRecord | None:
            with self._verify_read() as session:
                row = session.scalar(sa.select(EncounterRow).where(EncounterRow.amends_id == encounter_id))
                return encounter_record(session, row) if row is not None and row.amend_reason == reason else None

        if self.is_sqlite:
            return self._amend_once(encounter_id, reason, actor)
        return outcomes.settle(f"the amendment of encounter {encounter_id}",
                               lambda: self._amend_once(encounter_id, reason, actor), verify,
                               after_refusal=(StoreError,))

    def _amend_once(self, encounter_id: int, reason: str, actor: Actor) -> EncounterRecord:
        with self._change(actor, "amended") as change:
            session = change.session
            original = get_row(session, EncounterRow, encounter_id, "encounter")
            if original.status != "final":
                raise StoreError(f"encounter {encounter_id} is a draft; only a finalized encounter can be amended")
            successor = session.scalar(sa.select(EncounterRow.id).where(EncounterRow.amends_id == encounter_id))
            if successor is not None:
                raise StoreError(f"encounter {encounter_id} was already amended by encounter {successor}; amend that one")
            now = utcnow()
            row = EncounterRow(
                patient_id=original.patient_id, date=original.date, knee=original.knee, clinician=original.clinician,
                findings=dict(original.findings), notes=original.notes, status="draft", ruleset=original.ruleset,
                assessment_id=original.assessment_id, direction=original.direction, urgency=original.urgency,
                amends_id=original.id, amend_reason=reason, created_at=now, updated_at=now,
            )
            session.add(row)
            session.flush()
            change.patient_id, change.encounter_id = row.patient_id, row.id
            change.detail = f"amends encounter {original.id}"
            return encounter_record(session, row)


# --- helpers --------------------------------------------------------------------------------------

def _refuse_final(row: EncounterRow) -> None:
    if row.status == "final":
        raise FinalizedError(f"encounter {row.id} is finalized and cannot be changed; amend it instead")


def _refuse_unknown_ruleset(row: EncounterRow) -> None:
    """A draft assessed under a rule set this KneeCheck does not have (a newer release on another
    workstation) is not re-assessed under an older one: that would silently downgrade it."""
    if row.ruleset not in known_rulesets():
        raise StoreError(f"encounter {row.id} was assessed under rule set {row.ruleset}, which this KneeCheck "
                         f"does not have ({', '.join(known_rulesets())}); update KneeCheck on this workstation "
                         "before changing it")


def _stored_keys(session: Session, keys: list[str], digests: list[str] | None) -> dict[str, int]:
    """The encounters already created under these keys: {key: encounter id};
    :class:`models.outcomes.KeyReusedError` when one was created for other content."""
    wanted = dict(zip(keys, digests, strict=True)) if digests is not None else {}
    rows = session.execute(sa.select(EncounterRow.request_key, EncounterRow.id, EncounterRow.request_digest)
                           .where(EncounterRow.request_key.in_(set(keys)))).all()
    for key, ident, digest in rows:
        if key in wanted and digest != wanted[key]:
            raise outcomes.KeyReusedError(f"the request key {str(key)[:40]!r} was already used for different "
                                          f"content (encounter {ident}); nothing was stored")
    return {str(key): int(ident) for key, ident, _digest in rows}


def _holds(record: EncounterRecord, patient: PatientRow | PatientRecord, info: EncounterInfo,
           findings: dict[str, Any], notes: str) -> bool:
    """The stored draft holds exactly this content, as a save validates and stores it."""
    try:
        case = validated_case(patient, info, findings, notes)
    except CaseError:
        return False
    return outcomes.same_draft_content(record, case.encounter, case.findings, case.notes)


def validated_case(patient: PatientRow | PatientRecord, info: EncounterInfo, findings: dict[str, Any], notes: str) -> Case:
    """Run the case-file validation over stored patient + new content: one set of rules everywhere."""
    return parse_case({
        "format": "kneecheck-case/1",
        "patient": {"mrn": patient.mrn, "family_name": patient.family_name, "given_name": patient.given_name,
                    "birth_date": patient.birth_date.isoformat(), "sex": patient.sex},
        "encounter": {"date": info.date.isoformat() if isinstance(info.date, dt.date) else info.date,
                      "clinician": info.clinician, "knee": info.knee},
        "findings": dict(findings),
        "notes": notes,
    })


def _insert_draft(session: Session, patient_id: int, case: Case, key: str | None = None,
                  digest: str | None = None) -> EncounterRow:
    now = utcnow()
    row = EncounterRow(patient_id=patient_id, status="draft", created_at=now, updated_at=now,
                       request_key=key, request_digest=digest if key is not None else None)
    _fill_encounter(session, row, case)
    session.add(row)
    session.flush()
    return row


def assessment_id_for(session_or_conn: Session | sa.Connection, result: dict[str, Any]) -> int:
    """The id of the stored assessment equal to ``result``, inserting it once if new."""
    body = canonical_json(result)
    digest = sha256_hex(body)
    found = session_or_conn.scalar(sa.select(AssessmentRow.id).where(AssessmentRow.digest == digest))
    if found is not None:
        return int(found)
    dialect = session_or_conn.get_bind().dialect.name if isinstance(session_or_conn, Session) else session_or_conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    # Another workstation may store the same result at the same moment: the unique digest decides.
    session_or_conn.execute(insert(AssessmentRow).values(digest=digest, ruleset=result["ruleset"], body=body)
                            .on_conflict_do_nothing(index_elements=["digest"]))
    stored = session_or_conn.scalar(sa.select(AssessmentRow.id).where(AssessmentRow.digest == digest))
    assert stored is not None
    return int(stored)


def _fill_encounter(session: Session, row: EncounterRow, case: Case) -> None:
    result = assess(case).to_dict()
    # Look the assessment up before touching the row: an autoflush in between would UPDATE the row
    # twice and bump its version twice.
    assessment_id = assessment_id_for(session, result)
    row.date, row.clinician, row.knee = case.encounter.date, case.encounter.clinician, case.encounter.knee
    row.findings = dict(case.findings)  # a new dict, so the JSON column sees the change
    row.notes = case.notes
    row.ruleset = result["ruleset"]
    row.assessment_id = assessment_id
    row.direction, row.urgency = result["direction"], result["urgency"]


def encounter_record(session: Session, row: EncounterRow) -> EncounterRecord:
    patient = session.get_one(PatientRow, row.patient_id)
    body = session.scalar(sa.select(AssessmentRow.body).where(AssessmentRow.id == row.assessment_id))
    successor = session.execute(sa.select(EncounterRow.id, EncounterRow.status)
                                .where(EncounterRow.amends_id == row.id)).first()
    amended_by = successor[0] if successor is not None else None
    amends_created_at = session.scalar(sa.select(EncounterRow.created_at).where(EncounterRow.id == row.amends_id)) \
        if row.amends_id is not None else None
    revision_hash = session.scalar(sa.select(RevisionRow.content_hash).where(RevisionRow.encounter_id == row.id)) \
        if row.status == "final" else None
    return EncounterRecord(
        id=row.id, patient=patient_record(patient),
        info=EncounterInfo(date=row.date, clinician=row.clinician, knee=row.knee),
        findings=dict(row.findings), notes=row.notes, status=row.status, version=row.version,
        ruleset=row.ruleset, assessment=json.loads(body) if body else {},
        created_at=row.created_at, updated_at=row.updated_at, finalized_at=row.finalized_at,
        finalized_by=row.finalized_by, amends_id=row.amends_id, amend_reason=row.amend_reason,
        amended_by_id=amended_by, revision_hash=revision_hash,
        amended_by_final=successor is not None and successor[1] == "final", amends_created_at=amends_created_at,
    )
