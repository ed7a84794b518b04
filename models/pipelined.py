"""PostgreSQL: a draft's save in two round trips, with the clinic-wide audit lock held for one block.

Through the ORM a save was 14 round trips (pool ping, BEGIN, lock, account, encounter, patient,
assessment look-up and insert, UPDATE, previous audit hash, audit INSERT, COMMIT, and five reads
to return the record): 300 ms with the server 20 ms away. Here it is:

1. one read, outside any transaction: the encounter, its patient, the account of the actor and
   the creation time of the encounter it amends (:func:`read_for_save`); the case is validated and
   assessed from it in Python, exactly as the ORM path does (:func:`models.encounters.validated_case`);
2. one simple Query message (:mod:`models.audit_commit`): ``BEGIN``; the assessment ``INSERT ...
   ON CONFLICT DO NOTHING``; one UPDATE of the draft ``WHERE version = expected`` and the
   patient's and the account's versions are still those read in step 1 (``RETURNING id``); the
   audit block, which appends the audit row only if this transaction's UPDATE changed the draft
   (its ``xmin``), under the audit lock, with its hash computed by the server; ``COMMIT``.

What this keeps, and why:

- **The optimistic version check**: the UPDATE matches only the expected version of a draft; a
  stale save changes nothing and is handed to the ORM path, which raises the same
  :class:`ConflictError` (or :class:`AccountError`, :class:`FinalizedError`) as before, or, when
  only the patient changed in between, saves with the patient as now stored.
- **The audit row**: in the same transaction as the UPDATE; the block writes it exactly when the
  UPDATE changed the row, and an error anywhere rolls back both.
- **The hash chain and the order**: as for every write on PostgreSQL (:mod:`models.audit_commit`):
  the lock, then the newest hash read by a new statement, the hash computed by the server byte for
  byte as :func:`models.hashing.audit_hash_of`, then COMMIT; chain order is commit order.
- **The lock's span**: the UPDATE runs *before* the lock (its row lock is the draft's own); the
  lock is taken only once the whole message, COMMIT included, is at the server, and held while
  the server runs the audit block: never across a round trip.

SQLite keeps the ORM path: it has no round trips to save.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from models import audit_commit
from models.case import CaseError
from models.passwords import name_key
from models.records import Actor
from models.schema import ClinicianRow, EncounterRow, PatientRow

DETAIL_LIMIT = 2000  # as models.transactions.DETAIL_LIMIT
NAME_LIMIT = 200  # as the audit row's name columns


@dataclass
class SaveRead:
    """What step 1 read."""

    encounter: EncounterRow
    patient: PatientRow
    amends_created_at: dt.datetime | None
    account_name: str | None
    account_disabled: bool
    any_account: bool


def read_for_save(session: Session, encounter_id: int, actor: Actor) -> SaveRead | None:
    """Step 1 in one statement; None if there is no such encounter."""
    try:
        key: str | None = name_key(actor.clinician)
    except CaseError:  # not a valid account name: the ORM path says so
        key = None
    amended = aliased(EncounterRow)
    account = aliased(ClinicianRow)
    query = (
        sa.select(
            EncounterRow, PatientRow,
            sa.select(amended.created_at).where(amended.id == EncounterRow.amends_id).scalar_subquery(),
            sa.select(account.name).where(account.name_key == key).scalar_subquery(),
            sa.select(account.disabled_at.is_not(None)).where(account.name_key == key).scalar_subquery(),
            sa.exists(sa.select(ClinicianRow.id)),
        )
        .join(PatientRow, PatientRow.id == EncounterRow.patient_id)
        .where(EncounterRow.id == encounter_id)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    created = row[2]
    if isinstance(created, dt.datetime):
        created = created.replace(tzinfo=dt.UTC) if created.tzinfo is None else created.astimezone(dt.UTC)
    return SaveRead(row[0], row[1], created, row[3], bool(row[4]), bool(row[5]))


def signed_actor(read: SaveRead, actor: Actor) -> Actor | None:
    """The actor as the audit row names it, or None when the ORM path must decide (no such
    account, a disabled one: it raises the error for it)."""
    if not read.any_account:
        return actor
    if read.account_name is None or read.account_disabled:
        return None
    return actor if read.account_name == actor.clinician else Actor(read.account_name, actor.os_user, actor.workstation)


_SAVE = """
UPDATE encounter
   SET date = %(date)s, clinician = %(clinician)s, knee = %(knee)s, findings = %(findings)s::json,
       notes = %(notes)s, ruleset = %(ruleset)s,
       assessment_id = (SELECT id FROM assessment WHERE digest = %(digest)s),
       direction = %(direction)s, urgency = %(urgency)s, updated_at = %(now)s, version = version + 1
 WHERE id = %(encounter_id)s AND version = %(version)s AND status = 'draft'
   AND EXISTS (SELECT 1 FROM patient WHERE id = %(patient_id)s AND version = %(patient_version)s)
   AND {account}
RETURNING id;
"""
_ACTIVE_ACCOUNT = "EXISTS (SELECT 1 FROM clinician WHERE name_key = %(account_key)s AND name = %(actor)s AND disabled_at IS NULL)"
_NO_ACCOUNTS = "NOT EXISTS (SELECT 1 FROM clinician)"
_ASSESSMENT = "INSERT INTO assessment (digest, ruleset, body) VALUES (%(digest)s, %(ruleset)s, %(body)s) ON CONFLICT (digest) DO NOTHING;"


def save_in_one_batch(conn: sa.Connection, lock_key: int, read: SaveRead, actor: Actor, values: dict[str, Any],
                      result: dict[str, Any], body: str, digest: str, now: dt.datetime,
                      heads: list[tuple[int, str, str]] | None = None) -> bool:
    """Step 2 on ``conn`` (in autocommit, no transaction open); True when the draft was saved with
    its audit row, False when the UPDATE matched nothing (stale version, patient or account
    changed): then nothing of the encounter changed and no audit row was written.

    ``values``: the draft's new date, clinician, knee, findings, notes. Driver errors are raised
    as SQLAlchemy's DBAPIError, so the store's error handling applies as to any statement.
    ``heads`` gets the new audit chain head, for the witness log (models/audit_commit.run).
    """
    encounter, patient = read.encounter, read.patient
    clinician = actor.clinician[:NAME_LIMIT]
    detail = f"version {encounter.version + 1}"[:DETAIL_LIMIT]
    account = audit_commit.AccountCheck(name_key(actor.clinician) if read.any_account else None)
    sql, params = audit_commit.batch(now, actor.clinician, actor.os_user, actor.workstation,
                                     [("draft_saved", encounter.patient_id, encounter.id, detail)], account, lock_key,
                                     guard_encounter=encounter.id)
    params.update({
        **values, "findings": json.dumps(values["findings"]), "ruleset": result["ruleset"], "digest": digest,
        "body": body, "direction": result["direction"], "urgency": result["urgency"], "now": now,
        "encounter_id": encounter.id, "version": encounter.version, "patient_id": encounter.patient_id,
        "patient_version": patient.version, "actor": clinician,
    })
    # values["clinician"] is the encounter's clinician (the UPDATE's); the audit row's is params' "clinician"
    # in the block: keep them apart.
    params["clinician"] = clinician
    params["encounter_clinician"] = values["clinician"]
    statement = _SAVE.replace("clinician = %(clinician)s", "clinician = %(encounter_clinician)s").format(
        account=_ACTIVE_ACCOUNT if read.any_account else _NO_ACCOUNTS)
    raw: Any = conn.connection.driver_connection
    assert raw.autocommit, "the batch runs its own BEGIN and COMMIT"
    cursor = audit_commit.run(conn, sql, params, before="BEGIN;\n" + _ASSESSMENT + statement, heads=heads)
    # Results: BEGIN, the assessment INSERT, the UPDATE (its RETURNING), the block, COMMIT.
    cursor.nextset()
    cursor.nextset()
    return cursor.fetchone() is not None
