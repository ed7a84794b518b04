"""Hashing: the one definition of how stored content is serialised and hashed.

Canonical JSON, SHA-256, the audit chain's row hash and the content a finalized revision freezes.
Plain functions, no database import (the rows are only read through their attributes), so the
demo generator and the integrity check share them without importing the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.schema import AuditRow, EncounterRow, PatientRow

# The hash the first audit row chains to.
GENESIS_HASH = "0" * 64


# One encoder, made once (json.dumps with these options would make a new one on every call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def audit_hash_of(previous: str, at_utc_iso: str, clinician: str, os_user: str, workstation: str, action: str,
                  patient_id: int | None, encounter_id: int | None, detail: str) -> str:
    """An audit row's hash from its fields (``at_utc_iso``: its time in UTC, ISO format)."""
    return sha256_hex(canonical_json([
        previous, at_utc_iso, clinician, os_user, workstation, action, patient_id, encounter_id, detail,
    ]))


def audit_chain(previous: str, at_utc_iso: str, clinician: str, os_user: str, workstation: str,
                events: Iterable[tuple[str, int | None, int | None, str]]) -> Iterator[str]:
    """The hashes of consecutive audit rows of one change (same time and actor), each chained to the
    one before, starting from ``previous``: each equal to :func:`audit_hash_of` of its row, made
    faster by encoding the fields the rows share once (a canonical JSON list is its items'
    canonical JSON, comma-separated, in brackets)."""
    shared = ",".join(_CANONICAL.encode(v) for v in (at_utc_iso, clinician, os_user, workstation))
    encoded: dict[str, str] = {}
    for action, patient_id, encounter_id, detail in events:
        tail = encoded.get(detail)
        if tail is None:
            tail = encoded[detail] = _CANONICAL.encode(detail)
        text = (f'[{_CANONICAL.encode(previous)},{shared},{_CANONICAL.encode(action)},'
                f'{"null" if patient_id is None else int(patient_id)},'
                f'{"null" if encounter_id is None else int(encounter_id)},{tail}]')
        previous = hashlib.sha256(text.encode("utf-8")).hexdigest()
        yield previous


def audit_hash(previous: str, row: AuditRow) -> str:
    return audit_hash_of(previous, row.at.astimezone(dt.UTC).isoformat(), row.clinician, row.os_user,
                         row.workstation, row.action, row.patient_id, row.encounter_id, row.detail)


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
