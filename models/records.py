"""The store's plain records and errors, importable without SQLAlchemy.

The window is shown before the database is opened (SQLAlchemy alone costs about half a second to
import), so everything the window needs to name (the records it displays and the errors it
catches) lives here, free of any database import. :mod:`models.store` re-exports all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.case import Case, EncounterInfo, FindingValue, Patient

# models.case (with the catalogue it loads) is imported where a record is turned into a case or a
# patient, not here: the window imports this module before its first frame, and needs neither.

# --- plain records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who does a thing, for the audit trail."""

    clinician: str
    os_user: str
    workstation: str

    @classmethod
    def current(cls, clinician: str) -> Actor:
        # getpass and socket are imported here, not at start-up: only a change needs an actor.
        import getpass
        import socket

        from models.case import LIMITS, check_text

        # Validated like a case file's clinician: it is written into every audit row.
        clinician = check_text("clinician", clinician.strip(), LIMITS["clinician"])
        try:
            os_user = getpass.getuser()
        except (KeyError, OSError):
            os_user = "unknown"
        return cls(clinician=clinician, os_user=os_user, workstation=socket.gethostname() or "unknown")


@dataclass(frozen=True)
class ClinicianRecord:
    """A clinician's account (never its password hash)."""

    id: int
    name: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    is_admin: bool = False  # may unlock a locked-out account

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class PatientRecord:
    id: int
    mrn: str
    family_name: str
    given_name: str
    birth_date: dt.date
    sex: str
    # Bumped by every stored change: an edit based on an older version is refused
    # (:class:`PatientConflictError`), never last-write-wins.
    version: int

    def to_patient(self) -> Patient:
        from models.case import Patient

        return Patient(mrn=self.mrn, family_name=self.family_name, given_name=self.given_name,
                       birth_date=self.birth_date, sex=self.sex)


@dataclass(frozen=True)
class EncounterSummary:
    """One row of a patient's encounter list."""

    id: int
    date: dt.date
    knee: str
    clinician: str
    direction: str | None
    urgency: str | None
    status: str
    amends_id: int | None
    amended_by_id: int | None
    ruleset: str = ""  # the rule set its stored assessment was made with (its words label the row)
    amended_by_final: bool = False  # the amendment that replaces it is finalized (else it is in progress)


@dataclass(frozen=True)
class EncounterRecord:
    id: int
    patient: PatientRecord
    info: EncounterInfo
    findings: dict[str, FindingValue]
    notes: str
    status: str
    version: int
    ruleset: str
    assessment: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    finalized_at: dt.datetime | None
    finalized_by: str | None
    amends_id: int | None
    amend_reason: str | None
    amended_by_id: int | None
    # The SHA-256 of the frozen revision of a finalized encounter (None for a draft).
    revision_hash: str | None = None
    amended_by_final: bool = False            # the amendment that replaces it is finalized
    amends_created_at: dt.datetime | None = None  # when the encounter this one amends was first stored

    def metadata(self) -> dict[str, Any]:
        """What a record export needs to know about a stored encounter beyond its case and assessment
        (plain data: the FHIR Bundle and the HL7 message are built from it)."""
        return {
            "id": self.id,
            "status": self.status,
            "amends_id": self.amends_id,
            "updated_at": self.updated_at.isoformat(),
            "finalized_at": self.finalized_at.isoformat() if self.finalized_at else None,
            "finalized_by": self.finalized_by,
            "revision_sha256": self.revision_hash,
            "amended_by_id": self.amended_by_id,
            # A record's identity (its ids in FHIR and HL7) includes when it was first stored: the
            # same MRN and encounter number in two databases are never taken for one record.
            "created_at": self.created_at.isoformat(),
            "amends_created_at": self.amends_created_at.isoformat() if self.amends_created_at else None,
            "superseded": self.amended_by_final,
            "version": self.version,
        }

    def to_case(self) -> Case:
        from models.case import Case

        return Case(patient=self.patient.to_patient(), encounter=self.info, findings=dict(self.findings), notes=self.notes)


# --- errors ---------------------------------------------------------------------------------------

class StoreError(Exception):
    """A clear, user-facing storage error; the message names the problem, never patient data.

    ``field`` names the input field the error is about, as data (``"mrn"``: the patient's MRN), or
    is None; a caller highlights the field from it, never from the message's words.
    """

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


class DatabaseUnavailableError(StoreError):
    """The database cannot be reached, answers too late, is damaged, or cannot store anything (its
    disk is full). Not the user's input: the command line exits 3 on it (bad input exits 2), and
    the window keeps what was entered."""


class OutcomeUnknownError(DatabaseUnavailableError):
    """The link to the database failed while a change was being stored (say at its COMMIT), and the
    store could not find out afterwards whether it was stored: the database did not answer. Never
    "not saved": it may well be stored. Retrying the same change (a create with the same key, a save
    of the same version and content) finds the earlier write instead of making another one."""


class DatabaseDamagedError(DatabaseUnavailableError):
    """A SQLite file that fails ``PRAGMA quick_check`` (or is not a database): nothing is written to it."""


class DiskFullError(DatabaseUnavailableError):
    """The disk holding the database is full (or a file-size limit was reached): nothing was stored."""


class NotFoundError(StoreError):
    pass


class DuplicateMrnError(StoreError):
    """Another patient already has this MRN (``field`` is ``"mrn"``). Nothing was written."""

    def __init__(self, message: str = "another patient already has this MRN") -> None:
        super().__init__(message, field="mrn")


class SignInError(StoreError):
    """A sign-in, unlock or password check was refused. The message never says whether the name
    exists, and never contains the password. ``retry_after``: seconds before the next attempt
    for this name is checked at all (models/sign_in_policy.py), or None."""

    def __init__(self, *args: object, field: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(*args, field=field)
        self.retry_after = retry_after


class AccountError(StoreError):
    """A change names no active clinician account although the database has accounts (or the
    account rules forbid it: adding one without signing in, disabling the last one)."""


class KeyTakenError(StoreError):
    """A create's request key was stored by another transaction between its check and its commit:
    after a lost reply, the first attempt committing late while the retry ran
    (:func:`models.outcomes.settle` then finds that record)."""


class FinalizedError(StoreError):
    """Any change to a finalized encounter (amend it instead)."""


class ConflictError(StoreError):
    """A stale save: someone else saved this encounter first. Nothing was written."""

    def __init__(self, stored: EncounterRecord, expected_version: int, attempted_info: EncounterInfo,
                 attempted_findings: dict[str, FindingValue], attempted_notes: str) -> None:
        super().__init__(
            f"encounter {stored.id} was changed elsewhere (stored version {stored.version}, "
            f"yours was based on version {expected_version}); nothing was saved"
        )
        self.stored = stored
        self.expected_version = expected_version
        self.attempted_info = attempted_info
        self.attempted_findings = attempted_findings
        self.attempted_notes = attempted_notes


class PatientConflictError(StoreError):
    """A stale patient edit: someone else changed this patient first. Nothing was written.

    ``stored`` is the patient as stored now, ``attempted`` the edit that was refused, and
    ``expected_version`` the version that edit was based on.
    """

    def __init__(self, stored: PatientRecord, expected_version: int, attempted: Patient) -> None:
        super().__init__(
            f"patient {stored.id} was changed elsewhere (stored version {stored.version}, "
            f"yours was based on version {expected_version}); nothing was saved"
        )
        self.stored = stored
        self.expected_version = expected_version
        self.attempted = attempted


# --- the printed summary's status block -------------------------------------------------------


def revision_fingerprint(revision_hash: str | None) -> str | None:
    """The short form of a finalized revision's SHA-256 printed on its summary (the first 16 hex
    digits in groups of four): ``verify --fingerprint`` finds the revision it belongs to."""
    if not revision_hash:
        return None
    digits = revision_hash[:16].upper()
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def summary_status(record: EncounterRecord, replaced: EncounterRecord | None = None) -> dict[str, Any]:
    """The renderer's ``status`` for a stored encounter: draft or final, who signed and when, and
    for an amendment its reason and what it replaces (``replaced``: the amended encounter)."""
    status: dict[str, Any] = {
        "state": "final" if record.status == "final" else "draft",
        "finalized_by": record.finalized_by,
        "finalized_at": record.finalized_at.isoformat() if record.finalized_at else None,
        "amendment": None,
        "superseded_by": record.amended_by_id,
        "fingerprint": revision_fingerprint(record.revision_hash) if record.status == "final" else None,
    }
    if record.amends_id is not None:
        replaces = f"encounter {record.amends_id}"
        if replaced is not None and replaced.finalized_at is not None:
            replaces += f" finalized {replaced.finalized_at:%Y-%m-%d}"
        status["amendment"] = {
            "date": record.created_at.isoformat(),
            "author": record.finalized_by or record.info.clinician,
            "reason": record.amend_reason or "",
            "replaces": replaces,
        }
    return status

