"""The store: the one place that opens database sessions. Everything else gets plain records.

Patients, draft encounters, finalizing, amending, the audit trail, the integrity check and the
clinicians' accounts. Every change goes through :meth:`Store._change`, one write transaction that
also appends the audit row for it, so no change can be stored without its audit row. Once the
database has clinician accounts, :meth:`Store._change` also refuses any change whose actor is not
an active account, and the audit row carries the account's own spelling of the name. A stale save raises
:class:`ConflictError` and writes nothing; a finalized encounter is refused here
(:class:`FinalizedError`) and again by a database trigger.

The plain records and errors are defined in :mod:`models.records` (no SQLAlchemy there, so the
window can start without it) and re-exported here: ``from models.store import Actor`` still works.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from models.assessment import assess
from models.case import Case, CaseError, EncounterInfo, Patient, parse_case, parse_iso_date, parse_patient
from models.catalogue import current_ruleset, known_rulesets
from models.database import (
    WRITE_OPTION,
    DatabaseUrlError,
    display_url,
    make_engine,
    resolve_url,
    sqlite_path,
)
from models.passwords import (
    clinician_name,
    dummy_hash,
    hash_password,
    name_key,
    needs_rehash,
    verify_password,
)
from models.records import (
    AccountError,
    Actor,
    ClinicianRecord,
    ConflictError,
    EncounterRecord,
    EncounterSummary,
    FinalizedError,
    NotFoundError,
    PatientRecord,
    SignInError,
    StoreError,
)
from models.schema import (
    AssessmentRow,
    AuditRow,
    ClinicianRow,
    EncounterRow,
    PatientRow,
    RevisionRow,
    search_key,
    utcnow,
)

GENESIS_HASH = "0" * 64
REASON_LIMIT = 2000
DETAIL_LIMIT = 2000
SEARCH_LIMIT_MAX = 500
_ACTION = re.compile(r"[a-z][a-z_]{0,31}")
# PostgreSQL: every write transaction takes this lock so audit rows chain in commit order
# (SQLite's BEGIN IMMEDIATE already serialises writers).
_PG_WRITE_LOCK = 0x4B4E4545
# Said for every refused sign-in, whatever the reason: it must not tell whether a name exists.
SIGN_IN_REFUSED = "the name or the password is not right"


# --- hashing --------------------------------------------------------------------------------------

def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def audit_hash(previous: str, row: AuditRow) -> str:
    return sha256_hex(canonical_json([
        previous, row.at.astimezone(dt.UTC).isoformat(), row.clinician, row.os_user, row.workstation,
        row.action, row.patient_id, row.encounter_id, row.detail,
    ]))


def revision_content(encounter: EncounterRow, patient: PatientRow, assessment: dict[str, Any],
                     previous_hash: str | None) -> dict[str, Any]:
    """What a revision freezes: the signed encounter as the clinician saw it, and its predecessor."""
    assert encounter.finalized_at is not None
    return {
        "encounter_id": encounter.id,
        "patient": {"mrn": patient.mrn, "family_name": patient.family_name, "given_name": patient.given_name,
                    "birth_date": patient.birth_date.isoformat(), "sex": patient.sex},
        "encounter": {"date": encounter.date.isoformat(), "clinician": encounter.clinician, "knee": encounter.knee},
        "findings": encounter.findings,
        "notes": encounter.notes,
        "ruleset": encounter.ruleset,
        "assessment": assessment,
        "amends_id": encounter.amends_id,
        "amend_reason": encounter.amend_reason,
        "finalized_at": encounter.finalized_at.astimezone(dt.UTC).isoformat(),
        "finalized_by": encounter.finalized_by,
        "previous_hash": previous_hash,
    }


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string above every string starting with ``prefix`` (code-point order)."""
    nxt = ord(prefix[-1]) + 1
    if 0xD800 <= nxt <= 0xDFFF:  # surrogates cannot be stored; skip past them
        nxt = 0xE000
    return None if nxt > 0x10FFFF else prefix[:-1] + chr(nxt)


@dataclass
class _Change:
    """The write in progress: the mutating method fills in what the audit row should name."""

    session: Session
    actor: Actor  # as the audit row names it (an account's own spelling once accounts exist)
    patient_id: int | None = None
    encounter_id: int | None = None
    detail: str = ""
    # Further audit rows for a change that touches several records (an import of many cases).
    more: list[tuple[str, int | None, int | None, str]] = field(default_factory=list)


# --- the store ------------------------------------------------------------------------------------

class Store:
    """KneeCheck's records in one database. Open with :meth:`open`; close when done."""

    def __init__(self, engine: sa.Engine, url: sa.URL) -> None:
        self._engine = engine
        self._url = url
        self.url_for_display = display_url(url)
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.migration_backup: str | None = None
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating if needed) the database at ``url``; ``None`` is the default SQLite file.

        Runs migrations when the schema is older than this app (a backup of a SQLite file first);
        refuses a database written by a newer app without touching it.
        """
        from models import migrate

        try:
            resolved = resolve_url(url)
        except DatabaseUrlError as exc:
            raise StoreError(str(exc)) from None
        shown = display_url(resolved)
        try:
            engine = make_engine(resolved)
        except OSError as exc:
            raise StoreError(f"cannot create the database file for {shown}: {exc.strerror or exc}") from None
        try:
            with engine.connect() as conn:
                revision = migrate.database_revision(conn)
            due = migrate.check_revision(revision)
            backup = migrate.upgrade(resolved) if due else None
        except migrate.SchemaError as exc:
            engine.dispose()
            raise StoreError(f"{shown}: {exc}") from None
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the database {shown}: {_first_line(exc.orig)}") from None
        except Exception as exc:
            engine.dispose()
            raise StoreError(f"updating the database schema of {shown} failed and was rolled back: "
                             f"{type(exc).__name__}: {_first_line(exc)}") from exc
        store = cls(engine, resolved)
        store.migration_backup = str(backup) if backup else None
        return store

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sqlite_file(self) -> str | None:
        path = sqlite_path(self._url)
        return str(path) if path else None

    # --- sessions: the only places a session is opened ------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        with _database_errors(), self._read_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _change(self, actor: Actor, action: str, *, any_name: bool = False) -> Iterator[_Change]:
        """One write transaction ending with its audit row; on any error nothing is kept.

        With clinician accounts in the database the actor must be an active account
        (:class:`AccountError` otherwise); ``any_name`` lifts that for the audit rows of refused
        sign-ins, which name whoever tried.
        """
        if not _ACTION.fullmatch(action):
            raise StoreError(f"audit action {action!r} is not a lowercase word")
        with _database_errors(), self._write_sessions() as session, session.begin():
            if not self.is_sqlite:
                session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            change = _Change(session, actor if any_name else _account_actor(session, actor))
            yield change
            session.flush()
            previous = session.scalar(sa.select(AuditRow.row_hash).order_by(AuditRow.id.desc()).limit(1))
            previous = previous or GENESIS_HASH
            now = utcnow()
            actor = change.actor
            for event in [*change.more, (action, change.patient_id, change.encounter_id, change.detail)]:
                row = AuditRow(
                    at=now, clinician=actor.clinician[:200], os_user=actor.os_user[:200],
                    workstation=actor.workstation[:200], action=event[0], patient_id=event[1],
                    encounter_id=event[2], detail=event[3][:DETAIL_LIMIT], row_hash="",
                )
                row.row_hash = previous = audit_hash(previous, row)
                session.add(row)
                session.flush()  # ids in insertion order, the order the chain is checked in

    # --- patients ---------------------------------------------------------------------------------

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
        found: dict[int, PatientRow] = {}
        with self._read() as session:
            for query in queries:
                for row in session.scalars(query.limit(limit)):
                    found.setdefault(row.id, row)
            rows = sorted(found.values(), key=lambda r: (r.family_key, r.given_key, r.id))[:limit]
            return [_patient_record(r) for r in rows]

    def get_patient(self, patient_id: int) -> PatientRecord:
        with self._read() as session:
            return _patient_record(_get(session, PatientRow, patient_id, "patient"))

    def create_patient(self, patient: Patient, actor: Actor) -> PatientRecord:
        patient = _validated_patient(patient)
        with self._change(actor, "patient_created") as change:
            row = _insert_patient(change.session, patient)
            change.patient_id = row.id
            return _patient_record(row)

    def update_patient(self, patient_id: int, patient: Patient, actor: Actor) -> PatientRecord:
        patient = _validated_patient(patient)
        with self._change(actor, "patient_updated") as change:
            session = change.session
            row = _get(session, PatientRow, patient_id, "patient")
            if patient.mrn != row.mrn:
                _refuse_duplicate_mrn(session, patient.mrn)
            first = session.scalar(sa.select(sa.func.min(EncounterRow.date)).where(EncounterRow.patient_id == patient_id))
            if first is not None and patient.birth_date > first:
                raise CaseError("patient.birth_date", f"is after this patient's encounter on {first.isoformat()}")
            before = _patient_record(row).to_patient()
            _fill_patient(row, patient)
            row.updated_at = utcnow()
            change.patient_id = row.id
            changed = [name for name in ("mrn", "family_name", "given_name", "birth_date", "sex")
                       if getattr(before, name) != getattr(patient, name)]
            change.detail = "changed: " + (", ".join(changed) or "nothing")
            session.flush()
            return _patient_record(row)

    # --- encounters -------------------------------------------------------------------------------

    def list_encounters(self, patient_id: int) -> list[EncounterSummary]:
        """The patient's encounters, newest first."""
        successor = aliased(EncounterRow)
        query = (
            sa.select(EncounterRow.id, EncounterRow.date, EncounterRow.knee, EncounterRow.clinician,
                      EncounterRow.direction, EncounterRow.urgency, EncounterRow.status, EncounterRow.amends_id,
                      successor.id, EncounterRow.ruleset)
            .outerjoin(successor, successor.amends_id == EncounterRow.id)
            .where(EncounterRow.patient_id == patient_id)
            .order_by(EncounterRow.date.desc(), EncounterRow.id.desc())
        )
        with self._read() as session:
            _get(session, PatientRow, patient_id, "patient")
            return [EncounterSummary(*row[:9], ruleset=row[9]) for row in session.execute(query)]

    def load_encounter(self, encounter_id: int) -> EncounterRecord:
        with self._read() as session:
            return _encounter_record(session, _get(session, EncounterRow, encounter_id, "encounter"))

    def create_draft(self, patient_id: int, info: EncounterInfo, findings: dict[str, Any], notes: str,
                     actor: Actor) -> EncounterRecord:
        with self._change(actor, "encounter_created") as change:
            session = change.session
            patient = _get(session, PatientRow, patient_id, "patient")
            row = _insert_draft(session, patient.id, _validated_case(patient, info, findings, notes))
            change.patient_id, change.encounter_id = patient.id, row.id
            return _encounter_record(session, row)

    def import_cases(self, cases: list[Case], actor: Actor, sources: list[str] | None = None) -> list[int]:
        """Store each case as a draft, all in one transaction; returns the new encounter ids.

        A new MRN creates the patient. A known MRN must name the same person: a different name,
        birth date or sex is bad input (:class:`CaseError` naming the field), and nothing is stored.
        """
        names = sources or [f"case {n + 1}" for n in range(len(cases))]
        ids: list[int] = []
        with self._change(actor, "imported") as change:
            session = change.session
            for case, source in zip(cases, names, strict=True):
                patient = session.scalar(sa.select(PatientRow).where(PatientRow.mrn == case.patient.mrn))
                if patient is None:
                    patient = _insert_patient(session, _validated_patient(case.patient))
                    change.more.append(("patient_created", patient.id, None, "import"))
                else:
                    for name in ("family_name", "given_name", "birth_date", "sex"):
                        if getattr(patient, name) != getattr(case.patient, name):
                            raise CaseError(f"patient.{name}", "differs from the stored patient with this MRN; "
                                            "correct the file or update the patient first", source)
                row = _insert_draft(session, patient.id, _validated_case(patient, case.encounter, case.findings, case.notes))
                change.more.append(("encounter_created", patient.id, row.id, "import"))
                ids.append(row.id)
            change.detail = f"{len(ids)} case file(s)"
        return ids

    def save_draft(self, encounter_id: int, expected_version: int, info: EncounterInfo, findings: dict[str, Any],
                   notes: str, actor: Actor) -> EncounterRecord:
        """Store new content for a draft and re-assess it; stale ``expected_version`` -> ConflictError."""
        try:
            with self._change(actor, "draft_saved") as change:
                session = change.session
                row = _get(session, EncounterRow, encounter_id, "encounter")
                _refuse_final(row)
                if row.version != expected_version:
                    raise ConflictError(_encounter_record(session, row), expected_version, info, dict(findings), notes)
                _refuse_unknown_ruleset(row)
                case = _validated_case(session.get_one(PatientRow, row.patient_id), info, findings, notes)
                _fill_encounter(session, row, case)
                row.updated_at = utcnow()
                session.flush()
                change.patient_id, change.encounter_id = row.patient_id, row.id
                change.detail = f"version {row.version}"
                return _encounter_record(session, row)
        except StaleDataError:
            # Another workstation's save committed between our read and our UPDATE.
            raise ConflictError(self.load_encounter(encounter_id), expected_version, info, dict(findings), notes) from None

    def finalize(self, encounter_id: int, expected_version: int, actor: Actor) -> EncounterRecord:
        """Make a draft read-only, record who and when, and freeze a hashed revision of it."""
        try:
            with self._change(actor, "finalized") as change:
                session = change.session
                row = _get(session, EncounterRow, encounter_id, "encounter")
                _refuse_final(row)
                if row.version != expected_version:
                    stored = _encounter_record(session, row)
                    raise ConflictError(stored, expected_version, stored.info, stored.findings, stored.notes)
                _refuse_unknown_ruleset(row)
                # What is signed is the assessment of what is stored now, under the current rule set and
                # for the patient as now recorded: never a stale result. The stored one is stale when it
                # was made under an older rule set, or before the patient was last changed (a corrected
                # birth date changes the age, and with it the alerts); then it is made again here.
                patient = session.get_one(PatientRow, row.patient_id)
                if row.ruleset != current_ruleset() or patient.updated_at > row.updated_at:
                    info = EncounterInfo(date=row.date, clinician=row.clinician, knee=row.knee)
                    _fill_encounter(session, row, _validated_case(patient, info, dict(row.findings), row.notes))
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
                session.add(RevisionRow(
                    encounter_id=row.id, previous_id=previous.id if previous else None, created_at=row.finalized_at,
                    created_by=actor.clinician, reason=row.amend_reason, content=content,
                    content_hash=sha256_hex(content)))
                change.patient_id, change.encounter_id = row.patient_id, row.id
                session.flush()
                return _encounter_record(session, row)
        except StaleDataError:
            stored = self.load_encounter(encounter_id)
            raise ConflictError(stored, expected_version, stored.info, stored.findings, stored.notes) from None

    def amend(self, encounter_id: int, reason: str, actor: Actor) -> EncounterRecord:
        """Open a new draft that amends a finalized encounter; the original is never changed."""
        reason = reason.strip()
        if not reason:
            raise CaseError("amend_reason", "is required: say why the finalized encounter is amended")
        if len(reason) > REASON_LIMIT:
            raise CaseError("amend_reason", f"is {len(reason)} characters long; the limit is {REASON_LIMIT}")
        with self._change(actor, "amended") as change:
            session = change.session
            original = _get(session, EncounterRow, encounter_id, "encounter")
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
            return _encounter_record(session, row)

    def record_event(self, action: str, actor: Actor, *, encounter_id: int | None = None,
                     patient_id: int | None = None, detail: str = "") -> None:
        """Audit something that changes nothing stored: "viewed", "printed", "exported", "backed_up"."""
        with self._change(actor, action) as change:
            if encounter_id is not None:
                encounter = _get(change.session, EncounterRow, encounter_id, "encounter")
                patient_id = patient_id if patient_id is not None else encounter.patient_id
            if patient_id is not None:
                _get(change.session, PatientRow, patient_id, "patient")
            change.patient_id, change.encounter_id, change.detail = patient_id, encounter_id, detail

    def export_case(self, encounter_id: int) -> Case:
        return self.load_encounter(encounter_id).to_case()

    # --- clinician accounts -------------------------------------------------------------------------

    def has_clinicians(self) -> bool:
        """True once the first account exists; from then on every change needs an active account."""
        with self._read() as session:
            return session.scalar(sa.select(ClinicianRow.id).limit(1)) is not None

    def list_clinicians(self) -> list[ClinicianRecord]:
        with self._read() as session:
            return [_clinician_record(r) for r in session.scalars(sa.select(ClinicianRow).order_by(ClinicianRow.name_key))]

    def find_clinician(self, name: str) -> ClinicianRecord | None:
        """The account called ``name`` (any case), active or not; None if there is none."""
        try:
            key = name_key(name)
        except CaseError:
            return None
        with self._read() as session:
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == key))
            return _clinician_record(row) if row is not None else None

    def account_actor(self, actor: Actor) -> Actor:
        """``actor`` as the audit trail will name it: with accounts in the database it must be an
        active one (:class:`AccountError` otherwise) and gets the account's spelling of the name."""
        with self._read() as session:
            return _account_actor(session, actor)

    def create_clinician(self, name: str, password: str, actor: Actor | None) -> ClinicianRecord:
        """Add an account. The first one needs nobody signed in (``actor`` None: it is audited as
        created by itself); every later one needs ``actor``, an active account."""
        name = clinician_name(name)
        password_hash = hash_password(password)  # the policy is checked before anything is written
        if actor is None and self.has_clinicians():
            raise AccountError("a new clinician account must be added by a signed-in clinician")
        with self._change(actor or Actor.current(name), "clinician_created") as change:
            session = change.session
            if session.scalar(sa.select(ClinicianRow.id).where(ClinicianRow.name_key == name_key(name))) is not None:
                raise CaseError("name", "a clinician account with this name already exists")
            row = ClinicianRow(name=name, name_key=name_key(name), password_hash=password_hash, created_at=utcnow())
            session.add(row)
            session.flush()
            change.detail = f"account {name}" + ("" if actor is not None else " (the first account)")
            return _clinician_record(row)

    def authenticate(self, name: str, password: str, workstation: str | None = None, *,
                     unlock: bool = False) -> Actor:
        """The signed-in :class:`Actor` for a right name and password of an active account.

        Anything else raises :class:`SignInError` with one message for every reason, after a hash
        check of the same cost, so neither the text nor the time tells whether the name exists.
        Audited as ``signed_in``/``sign_in_failed`` (``unlocked``/``unlock_failed`` when the window
        is unlocked) with the name tried and the workstation; never the password. A hash made with
        weaker parameters than today's is replaced on success.
        """
        tried = " ".join(str(name).split())[:200] or "(no name given)"
        here = Actor.current(tried)
        if workstation:
            here = replace(here, workstation=workstation[:200])
        try:
            key: str | None = name_key(name)
        except CaseError:
            key = None
        with self._read() as session:
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == key)) if key else None
            account = (row.id, row.name, row.password_hash, row.disabled_at) if row is not None else None
        # Verify even for an unknown name, against a hash nobody has: the same cost either way.
        matches = verify_password(account[2] if account else dummy_hash(), password if isinstance(password, str) else "")
        if account is None or not matches or account[3] is not None:
            reason = ("no such account" if account is None else "wrong password" if not matches else "account disabled")
            with self._change(here, "unlock_failed" if unlock else "sign_in_failed", any_name=True) as change:
                change.detail = reason
            if account is not None and matches:  # the password is right: saying so reveals nothing new
                raise SignInError("this clinician account is disabled; ask a colleague to add a new one")
            raise SignInError(SIGN_IN_REFUSED)
        account_id, account_name, old_hash, _disabled = account
        new_hash = hash_password(password) if needs_rehash(old_hash) else None
        signed_in = replace(here, clinician=account_name)
        with self._change(signed_in, "unlocked" if unlock else "signed_in") as change:
            if new_hash is not None:
                change.session.execute(sa.update(ClinicianRow).where(
                    ClinicianRow.id == account_id, ClinicianRow.password_hash == old_hash).values(password_hash=new_hash))
                change.detail = "password hash renewed"
        return signed_in

    def change_password(self, name: str, new_password: str, actor: Actor, current_password: str | None = None) -> None:
        """Set a new password for the account ``name``. Your own needs ``current_password``; a
        colleague's (a forgotten password) may be reset by any active account, and says so in the
        audit trail."""
        name = clinician_name(name)
        new_hash = hash_password(new_password, "new_password")
        own = _same_name(name, actor.clinician)
        if own:
            with self._read() as session:
                stored = session.scalar(sa.select(ClinicianRow.password_hash).where(ClinicianRow.name_key == name_key(name)))
            if stored is None or not verify_password(stored, current_password or ""):
                with self._change(actor, "password_change_failed", any_name=True) as change:
                    change.detail = "current password not right"
                raise SignInError("the current password is not right")
        with self._change(actor, "password_changed") as change:
            row = change.session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError(f"there is no clinician account named {name[:60]!r}")
            row.password_hash = new_hash
            change.detail = f"account {row.name}" + ("" if own else ", reset by a colleague")

    def disable_clinician(self, name: str, actor: Actor) -> ClinicianRecord:
        """Retire an account: it can no longer sign in or change anything. Accounts are never
        deleted, so the audit trail's names stay accounts. The last active account stays."""
        name = clinician_name(name)
        with self._change(actor, "clinician_disabled") as change:
            session = change.session
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError(f"there is no clinician account named {name[:60]!r}")
            if row.disabled_at is not None:
                raise AccountError(f"the clinician account {row.name!r} is already disabled")
            active = session.scalar(sa.select(sa.func.count()).select_from(ClinicianRow)
                                    .where(ClinicianRow.disabled_at.is_(None))) or 0
            if active <= 1:
                raise AccountError(f"{row.name!r} is the last active clinician account; add another one first")
            row.disabled_at = utcnow()
            change.detail = f"account {row.name}"
            session.flush()
            return _clinician_record(row)

    # --- integrity --------------------------------------------------------------------------------

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
            encounter = _get(session, EncounterRow, encounter_id, "encounter")
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

    # --- bulk and maintenance ---------------------------------------------------------------------

    def patient_by_mrn(self, mrn: str) -> PatientRecord | None:
        """The patient with exactly this MRN, or None."""
        with self._read() as session:
            row = session.scalar(sa.select(PatientRow).where(PatientRow.mrn == mrn))
            return _patient_record(row) if row is not None else None

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
                   succ.c.status, _AMENDED.c.created_at)
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
                                                              given_name=r[21], birth_date=r[22], sex=r[23])
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

    def backup(self, dest: str, actor: Actor) -> None:
        """Write a consistent owner-only copy of the SQLite database to the new file ``dest``."""
        from pathlib import Path

        from models.backup import BackupError, backup_sqlite

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
                  progress: Callable[[str, int, int], None] | None = None) -> tuple[int, int]:
        """Fill the database with synthetic, obviously fake patients and draft encounters."""
        from models.demo import load_demo

        with _database_errors(), self._engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            load_demo(conn, patients, encounters, progress)
        self.record_event("demo_loaded", actor, detail=f"{patients} patients, {encounters} encounters")
        return patients, encounters


# --- helpers --------------------------------------------------------------------------------------

_ENCOUNTER = EncounterRow.__table__
_PATIENT = PatientRow.__table__
_SUCCESSOR = EncounterRow.__table__.alias("successor")
_AMENDED = EncounterRow.__table__.alias("amended")
_REVISION = RevisionRow.__table__
_BULK_FROM = (_ENCOUNTER.join(_PATIENT, _PATIENT.c.id == _ENCOUNTER.c.patient_id)
              .outerjoin(_SUCCESSOR, _SUCCESSOR.c.amends_id == _ENCOUNTER.c.id)
              .outerjoin(_AMENDED, _AMENDED.c.id == _ENCOUNTER.c.amends_id)
              .outerjoin(_REVISION, _REVISION.c.encounter_id == _ENCOUNTER.c.id))


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


def _same_name(a: str, b: str) -> bool:
    try:
        return name_key(a) == name_key(b)
    except CaseError:
        return False


def _account_actor(session: Session, actor: Actor) -> Actor:
    """See :meth:`Store.account_actor`; runs inside the caller's transaction."""
    try:
        key: str | None = name_key(actor.clinician)
    except CaseError:
        key = None
    row = session.execute(sa.select(ClinicianRow.name, ClinicianRow.disabled_at)
                          .where(ClinicianRow.name_key == key)).first() if key else None
    if row is None:
        if session.scalar(sa.select(ClinicianRow.id).limit(1)) is None:
            return actor  # no accounts yet: the name is the clinician's word, as before accounts
        raise AccountError(f"there is no clinician account named {actor.clinician[:60]!r}")
    if row.disabled_at is not None:
        raise AccountError(f"the clinician account {row.name!r} is disabled")
    return actor if row.name == actor.clinician else replace(actor, clinician=row.name)


def _clinician_record(row: ClinicianRow) -> ClinicianRecord:
    return ClinicianRecord(id=row.id, name=row.name, created_at=row.created_at, disabled_at=row.disabled_at)


def _assessment_problems(assessment_id: int, digest: str, body: str) -> list[str]:
    return [] if sha256_hex(body) == digest else [f"assessment {assessment_id}: content does not match its hash"]



def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextlib.contextmanager
def _database_errors() -> Iterator[None]:
    """Turn driver errors into StoreErrors that name the problem (parameters are hidden)."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        message = _first_line(exc.orig)
        if "finalized encounter cannot be changed" in message:
            raise FinalizedError("a finalized encounter cannot be changed; amend it instead") from None
        if "kneecheck: " in message:  # the database's own guards (triggers) say what they refused
            raise StoreError(message.split("kneecheck: ", 1)[1]) from None
        if isinstance(exc, sa.exc.IntegrityError):
            raise StoreError(f"the database refused the change: {message}") from None
        raise StoreError(f"database error: {message}") from None


def _prefix(column: sa.orm.InstrumentedAttribute[str], key: str) -> list[sa.ColumnElement[bool]]:
    if not key:
        return []
    upper = _prefix_upper_bound(key)
    return [column >= key] + ([column < upper] if upper is not None else [])


def _get(session: Session, model: type[Any], ident: int, what: str) -> Any:
    row = session.get(model, ident)
    if row is None:
        raise NotFoundError(f"there is no {what} with id {ident}")
    return row


def _refuse_final(row: EncounterRow) -> None:
    if row.status == "final":
        raise FinalizedError(f"encounter {row.id} is finalized and cannot be changed; amend it instead")


def _refuse_duplicate_mrn(session: Session, mrn: str) -> None:
    if session.scalar(sa.select(PatientRow.id).where(PatientRow.mrn == mrn)) is not None:
        raise CaseError("patient.mrn", "another patient already has this MRN")


def _validated_patient(patient: Patient) -> Patient:
    return parse_patient({"mrn": patient.mrn, "family_name": patient.family_name, "given_name": patient.given_name,
                          "birth_date": patient.birth_date.isoformat() if isinstance(patient.birth_date, dt.date) else patient.birth_date,
                          "sex": patient.sex})


def _refuse_unknown_ruleset(row: EncounterRow) -> None:
    """A draft assessed under a rule set this KneeCheck does not have (a newer release on another
    workstation) is not re-assessed under an older one: that would silently downgrade it."""
    if row.ruleset not in known_rulesets():
        raise StoreError(f"encounter {row.id} was assessed under rule set {row.ruleset}, which this KneeCheck "
                         f"does not have ({', '.join(known_rulesets())}); update KneeCheck on this workstation "
                         "before changing it")


def _validated_case(patient: PatientRow, info: EncounterInfo, findings: dict[str, Any], notes: str) -> Case:
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


def _insert_patient(session: Session, patient: Patient) -> PatientRow:
    _refuse_duplicate_mrn(session, patient.mrn)
    now = utcnow()
    row = PatientRow(created_at=now, updated_at=now)
    _fill_patient(row, patient)
    session.add(row)
    session.flush()
    return row


def _insert_draft(session: Session, patient_id: int, case: Case) -> EncounterRow:
    now = utcnow()
    row = EncounterRow(patient_id=patient_id, status="draft", created_at=now, updated_at=now)
    _fill_encounter(session, row, case)
    session.add(row)
    session.flush()
    return row


def _fill_patient(row: PatientRow, patient: Patient) -> None:
    row.mrn, row.family_name, row.given_name = patient.mrn, patient.family_name, patient.given_name
    row.birth_date, row.sex = patient.birth_date, patient.sex
    row.family_key, row.given_key, row.mrn_key = (search_key(patient.family_name), search_key(patient.given_name),
                                                 search_key(patient.mrn))


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


def _patient_record(row: PatientRow) -> PatientRecord:
    return PatientRecord(id=row.id, mrn=row.mrn, family_name=row.family_name, given_name=row.given_name,
                         birth_date=row.birth_date, sex=row.sex)


def _encounter_record(session: Session, row: EncounterRow) -> EncounterRecord:
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
        id=row.id, patient=_patient_record(patient),
        info=EncounterInfo(date=row.date, clinician=row.clinician, knee=row.knee),
        findings=dict(row.findings), notes=row.notes, status=row.status, version=row.version,
        ruleset=row.ruleset, assessment=json.loads(body) if body else {},
        created_at=row.created_at, updated_at=row.updated_at, finalized_at=row.finalized_at,
        finalized_by=row.finalized_by, amends_id=row.amends_id, amend_reason=row.amend_reason,
        amended_by_id=amended_by, revision_hash=revision_hash,
        amended_by_final=successor is not None and successor[1] == "final", amends_created_at=amends_created_at,
    )
