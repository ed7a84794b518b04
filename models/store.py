"""The store: the one place that opens database sessions. Everything else gets plain records.

:class:`Store` is composed from one module per job, each behind this same API:

- :mod:`models.transactions`: the engine, opening and closing, the read and the audited write
  transaction (every change ends with its audit row; with accounts, only an active one may change)
- :mod:`models.patients`: finding, creating and correcting patients (versioned edits)
- :mod:`models.encounters`: drafts, saving, finalizing and amending encounters
- :mod:`models.bulk`: bulk reads of encounters for export
- :mod:`models.audit`: recording and reading audit events, and the integrity check
- :mod:`models.accounts`: clinician accounts, sign-in and passwords
- :mod:`models.maintenance`: backup and demo data
- :mod:`models.privileges`: the PostgreSQL owner and app roles
- :mod:`models.access`: who saw a patient (the audit rows about one patient)
- :mod:`models.hashing`: canonical JSON and the hashes of revisions and audit rows

The plain records and errors are defined in :mod:`models.records` (no SQLAlchemy there, so the
window can start without it) and re-exported here: ``from models.store import Actor`` still works,
as do the hashing functions and :func:`assessment_id_for`.
"""

from __future__ import annotations

from models.access import AccessMixin
from models.accounts import SIGN_IN_REFUSED, AccountsMixin
from models.bulk import BulkMixin
from models.encounters import REASON_LIMIT, EncountersMixin, assessment_id_for
from models.hashing import GENESIS_HASH, audit_hash, canonical_json, revision_content, sha256_hex
from models.maintenance import MaintenanceMixin
from models.patients import SEARCH_LIMIT_MAX, PatientsMixin
from models.privileges import PrivilegesMixin
from models.records import (
    AccountError,
    Actor,
    ClinicianRecord,
    ConflictError,
    DuplicateMrnError,
    EncounterRecord,
    EncounterSummary,
    FinalizedError,
    NotFoundError,
    PatientConflictError,
    PatientRecord,
    SignInError,
    StoreError,
)
from models.transactions import DETAIL_LIMIT

__all__ = [
    "DETAIL_LIMIT", "GENESIS_HASH", "REASON_LIMIT", "SEARCH_LIMIT_MAX", "SIGN_IN_REFUSED",
    "AccountError", "Actor", "ClinicianRecord", "ConflictError", "DuplicateMrnError", "EncounterRecord", "EncounterSummary", "FinalizedError", "NotFoundError",
    "PatientConflictError", "PatientRecord", "SignInError", "Store", "StoreError",
    "assessment_id_for", "audit_hash", "canonical_json", "revision_content", "sha256_hex",
]


class Store(PatientsMixin, EncountersMixin, BulkMixin, AccountsMixin, MaintenanceMixin, PrivilegesMixin,
            AccessMixin):
    """KneeCheck's records in one database. Open with :meth:`open`; close when done.

    The methods live in the modules listed above, one job each; they share the engine and the
    transactions of :class:`models.transactions.StoreBase`.
    """
