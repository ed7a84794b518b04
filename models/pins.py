"""Pins: the hash of a record as an audit row saw it, carried in that row's detail.

Every change that stores a patient, finalizes an encounter or changes a clinician account pins
the record: its audit row's detail ends with ``PIN_MARK`` and the canonical JSON of a list of
``[kind, id, hash]``. The detail is part of the row's hash and the row of the chain, so a record
rewritten by plain SQL, its own hash recomputed, no longer matches the hash its newest audit row
pinned; and the pin cannot be changed without breaking the chain (or, for a rewrite of the whole
chain, without the workstations' witness logs noticing: models/witness.py).

No schema change: the pins live in a column every audit row already has and already hashes. The
human-readable detail comes first and :func:`split_pins` separates them again for display.
Plain functions over plain values (no database import).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from models.hashing import canonical_json, sha256_hex

# Where the pins begin in an audit row's detail (a newline: no human detail KneeCheck writes has one
# followed by this word).
PIN_MARK = "\npins:"
PATIENT, ENCOUNTER, CLINICIAN = "patient", "encounter", "clinician"
KINDS = (PATIENT, ENCOUNTER, CLINICIAN)

Pin = tuple[str, int, str]  # (kind, record id, hash)

# The audit actions whose rows pin records, and what they pin: pins anywhere else (say, typed into
# a backup's file name) are text, not pins.
PINNING_ACTIONS = {
    "patient_created": PATIENT, "patient_updated": PATIENT, "finalized": ENCOUNTER,
    "clinician_created": CLINICIAN, "password_changed": CLINICIAN, "clinician_disabled": CLINICIAN,
    "signed_in": CLINICIAN, "unlocked": CLINICIAN,
}


def patient_pin(ident: int, mrn: str, family_name: str, given_name: str, birth_date: dt.date, sex: str) -> Pin:
    """A patient's identity as stored: MRN, name, birth date and sex."""
    return PATIENT, int(ident), sha256_hex(canonical_json(
        [PATIENT, int(ident), mrn, family_name, given_name, birth_date.isoformat(), sex]))


def patient_row_pin(row: Any) -> Pin:
    return patient_pin(row.id, row.mrn, row.family_name, row.given_name, row.birth_date, row.sex)


def encounter_pin(encounter: Any, revision_id: int, revision_hash: str) -> Pin:
    """A finalized encounter: its findings, notes, date, knee and signer, its revision's number and
    that revision's SHA-256 as stored."""
    return ENCOUNTER, int(encounter.id), sha256_hex(canonical_json([
        ENCOUNTER, int(encounter.id), int(encounter.patient_id), encounter.date.isoformat(), encounter.knee,
        encounter.clinician, dict(encounter.findings), encounter.notes, encounter.status, encounter.finalized_by,
        int(revision_id), revision_hash]))


def clinician_pin(row: Any) -> Pin:
    """A clinician account: its name, password hash, whether it is disabled and whether it is an
    administrator (who may unlock accounts and add administrators)."""
    return CLINICIAN, int(row.id), sha256_hex(canonical_json(
        [CLINICIAN, int(row.id), row.name, row.name_key, row.password_hash, row.disabled_at is not None,
         bool(row.is_admin)]))


def with_pins(detail: str, pins: Sequence[Pin], limit: int) -> str:
    """``detail`` (shortened to fit ``limit`` with the pins) followed by the pins."""
    if not pins:
        return detail[:limit]
    suffix = PIN_MARK + canonical_json([list(pin) for pin in pins])
    return detail[:max(0, limit - len(suffix))] + suffix


def split_pins(detail: str) -> tuple[str, list[Pin]]:
    """(the human-readable detail, the pins it carries); a detail without valid pins is all text."""
    at = detail.rfind(PIN_MARK)
    if at < 0:
        return detail, []
    try:
        raw = json.loads(detail[at + len(PIN_MARK):])
    except ValueError:
        return detail, []
    pins: list[Pin] = []
    if not isinstance(raw, list):
        return detail, []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3 and item[0] in KINDS and isinstance(item[1], int)
                and not isinstance(item[1], bool) and isinstance(item[2], str) and len(item[2]) == 64):
            return detail, []
        pins.append((item[0], item[1], item[2]))
    return detail[:at], pins


def display_detail(detail: str) -> str:
    return split_pins(detail)[0]


def latest_pins(pins_by_row: Mapping[int, Sequence[Pin]]) -> dict[tuple[str, int], tuple[int, str]]:
    """{(kind, id): (audit row id, hash)} of the newest pin of each record."""
    latest: dict[tuple[str, int], tuple[int, str]] = {}
    for row_id in sorted(pins_by_row):
        for kind, ident, digest in pins_by_row[row_id]:
            latest[(kind, ident)] = (row_id, digest)
    return latest
