"""PostgreSQL: how every write ends. The clinic-wide audit lock, the audit rows and COMMIT in one message.

The audit trail is one hash chain in id order, so its rows must be appended one writer at a time:
each write reads the newest row's hash and chains to it. On PostgreSQL that is an advisory lock
(:data:`models.transactions.PG_WRITE_LOCK`). A write used to take it at its start and hold it for
its whole transaction, across every round trip; a workstation that hung inside a transaction then
held every other workstation's writes until the server's idle-in-transaction timeout ended it.

Now a write does all its own work without the lock (its rows are locked by the statements that
write them, as any PostgreSQL transaction's are, so a hung writer can delay only writers of the
same rows, and only until the idle-in-transaction timeout ends it), and then sends **one simple
Query message** holding: a PL/pgSQL block that

1. takes KEY SHARE locks on the existing patient and encounter rows its audit rows name (what
   their foreign keys' checks would take; taken *before* the audit lock, so that under the lock
   nothing waits for a row lock: no lock-order deadlock, and no hung transaction's row lock is
   waited for with the clinic-wide lock held);
2. takes the audit lock;
3. checks that the actor's account is still as the write found it at its start (active; or, when
   there were no accounts, that nobody else has made one since), as serialising every write
   behind the lock used to guarantee; :class:`AccountError` otherwise;
4. reads the newest audit row's hash (a new statement, so in READ COMMITTED it sees every write
   that held the lock before), chains the new rows' hashes to it on the server, byte for byte as
   :func:`models.hashing.audit_hash_of` (the canonical JSON ``[previous, at, clinician, os_user,
   workstation, action, patient_id, encounter_id, detail]`` is ``'["' || previous || '",'``
   followed by the canonical JSON of the rest without its ``[``, made here in Python), takes the
   rows' ids from the sequence (under the lock, so id order is chain order) and inserts them;

followed by ``COMMIT``, which releases the lock. The server reads a message whole before it runs
any of it, so the lock is taken only once the COMMIT has arrived too, and is held while the
server runs that one block: no round trip, and a client whose link dies can never leave it held
(if the link dies while the message is on its way, the server never starts it; the transaction
is then idle and its idle-in-transaction timeout ends it). ``verify`` checks these rows like any
other. SQLite keeps its own path (BEGIN IMMEDIATE already serialises writers there).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from models.hashing import GENESIS_HASH, canonical_json
from models.records import AccountError, StoreError

DETAIL_LIMIT = 2000  # as models.transactions.DETAIL_LIMIT
NAME_LIMIT = 200  # as the audit row's name columns
ACCOUNT_CHANGED = "KC001"  # the SQLSTATE the block raises when step 3 fails

# One audit row to append: (action, patient_id, encounter_id, detail).
Event = tuple[str, int | None, int | None, str]


@dataclass(frozen=True)
class AccountCheck:
    """What the write found at its start about its actor's account (step 3).

    ``key`` is the account's name key, or None when there were no accounts at all; ``skip`` for
    the audit rows of refused sign-ins, which name whoever tried."""

    key: str | None
    skip: bool = False


# In the block: psycopg's client-side placeholders (%(name)s), bound as SQL literals by
# ClientCursor, so the whole batch is one simple Query message.
_BLOCK = """
DO $TAG$
DECLARE
    previous text;
    hashes text[] := ARRAY[]::text[];
    tail text;
    ids bigint[];
    mine xid := pg_current_xact_id()::xid;
BEGIN
    GUARD
    PERFORM 1 FROM patient WHERE id = ANY(%(patient_ids)s::bigint[]) AND xmin <> mine FOR KEY SHARE;
    PERFORM 1 FROM encounter WHERE id = ANY(%(encounter_ids)s::bigint[]) AND xmin <> mine FOR KEY SHARE;
    PERFORM pg_advisory_xact_lock(%(lock)s);
    IF NOT (ACCOUNT) THEN
        RAISE EXCEPTION USING ERRCODE = 'KC001', MESSAGE = 'kneecheck: the clinician account changed';
    END IF;
    SELECT row_hash INTO previous FROM audit_event ORDER BY id DESC LIMIT 1;
    previous := COALESCE(previous, %(genesis)s);
    FOREACH tail IN ARRAY %(tails)s::text[] LOOP
        previous := encode(sha256(convert_to('["' || previous || '",' || tail, 'UTF8')), 'hex');
        hashes := hashes || previous;
    END LOOP;
    SELECT array_agg(i ORDER BY i) INTO ids
      FROM (SELECT nextval(pg_get_serial_sequence('audit_event', 'id')) AS i
              FROM generate_series(1, cardinality(hashes))) AS reserved;
    INSERT INTO audit_event (id, at, clinician, os_user, workstation, action, patient_id, encounter_id, detail,
                             row_hash)
    SELECT u.id, %(at)s::timestamptz, %(clinician)s, %(os_user)s, %(workstation)s, u.action, u.patient_id,
           u.encounter_id, u.detail, u.row_hash
      FROM unnest(ids, %(actions)s::text[], %(event_patients)s::bigint[], %(event_encounters)s::bigint[],
                  %(details)s::text[], hashes) AS u(id, action, patient_id, encounter_id, detail, row_hash);
    RAISE NOTICE 'kneecheck-head %%:%%:%%', ids[cardinality(ids)], previous,
        (SELECT row_hash FROM audit_event ORDER BY id LIMIT 1);
END
$TAG$;
COMMIT
"""
_ACCOUNT_ACTIVE = ("EXISTS (SELECT 1 FROM clinician WHERE name_key = %(account_key)s AND name = %(clinician)s "
                   "AND (disabled_at IS NULL OR xmin = mine))")
_NO_OTHER_ACCOUNTS = "NOT EXISTS (SELECT 1 FROM clinician WHERE xmin <> mine)"
# The pipelined draft save (models/pipelined.py): its UPDATE matched nothing, so no audit row.
_GUARD_UPDATED = ("IF NOT EXISTS (SELECT 1 FROM encounter WHERE id = %(guard_encounter)s AND xmin = mine) "
                  "THEN RETURN; END IF;")


def batch(at: dt.datetime, clinician: str, os_user: str, workstation: str, events: Sequence[Event],
          account: AccountCheck, lock_key: int, *, guard_encounter: int | None = None) -> tuple[str, dict[str, Any]]:
    """The SQL (with %(name)s placeholders for psycopg's ClientCursor) and its parameters.

    ``guard_encounter``: append the rows only if this transaction itself updated that encounter."""
    clinician, os_user, workstation = clinician[:NAME_LIMIT], os_user[:NAME_LIMIT], workstation[:NAME_LIMIT]
    rows = [(action, patient_id, encounter_id, detail[:DETAIL_LIMIT])
            for action, patient_id, encounter_id, detail in events]
    head = ",".join(canonical_json(v) for v in (at.astimezone(dt.UTC).isoformat(), clinician, os_user, workstation))
    tails = [f"{head},{canonical_json(list(row))[1:]}" for row in rows]
    if account.skip:
        check = "true"
    elif account.key is None:
        check = _NO_OTHER_ACCOUNTS
    else:
        check = _ACCOUNT_ACTIVE
    params: dict[str, Any] = {
        "patient_ids": sorted({r[1] for r in rows if r[1] is not None}),
        "encounter_ids": sorted({r[2] for r in rows if r[2] is not None}),
        "lock": lock_key, "genesis": GENESIS_HASH, "tails": tails, "at": at, "clinician": clinician,
        "os_user": os_user, "workstation": workstation, "actions": [r[0] for r in rows],
        "event_patients": [r[1] for r in rows], "event_encounters": [r[2] for r in rows],
        "details": [r[3] for r in rows], "account_key": account.key, "guard_encounter": guard_encounter,
    }
    sql = (_BLOCK.replace("ACCOUNT", check)
           .replace("GUARD", _GUARD_UPDATED if guard_encounter is not None else ""))
    return sql, params


HEAD_NOTICE = "kneecheck-head "  # the block's notice: the newest audit row's id and hash, for the witness log


def run(conn: sa.Connection, sql: str, params: dict[str, Any], *, before: str = "",
        heads: list[tuple[int, str, str]] | None = None) -> Any:
    """Send ``before`` (statements to run first, e.g. the pipelined save's BEGIN and UPDATE) and the
    block with its COMMIT as one simple Query message on ``conn``'s driver connection; the
    transaction is committed when this returns. Returns the psycopg cursor (its results in order,
    ``nextset()`` to step through them). ``heads`` gets the (id, hash) of the newest audit row the
    block appended and the hash of the first audit row (the database's identity), from its notice
    (no extra round trip), for the witness log (models/witness.py).

    Driver errors are raised as SQLAlchemy's DBAPIError (so the store's error handling applies as
    to any statement), a changed account as :class:`AccountError`; a connection that broke is
    invalidated, otherwise what the server still holds is rolled back."""
    import psycopg

    raw: Any = conn.connection.driver_connection
    cursor = psycopg.ClientCursor(raw)
    # The literals are bound by psycopg (quoted, escaped); the block's dollar-quote tag is made
    # so that no literal can contain it.
    tag = "$kc$"
    try:
        text = cursor.mogrify(before + sql.replace("$TAG$", tag), params)
        while text.count(tag) != 2:
            tag = f"$kc{secrets.token_hex(8)}$"
            text = cursor.mogrify(before + sql.replace("$TAG$", tag), params)
    except (psycopg.DataError, UnicodeEncodeError) as exc:  # a NUL or a lone surrogate: nothing was sent
        _recover(conn, raw, exc)
        raise StoreError("the text to store holds a character the database cannot keep (a NUL or an "
                         f"unpaired surrogate, {type(exc).__name__}); nothing was stored") from None
    def notice(diag: Any) -> None:
        message = str(diag.message_primary or "")
        if heads is not None and message.startswith(HEAD_NOTICE):
            ident, digest, first = (message[len(HEAD_NOTICE):].split(":") + ["", ""])[:3]
            if ident.isdigit() and len(digest) == 64 and len(first) == 64:
                heads.append((int(ident), digest, first))

    raw.add_notice_handler(notice)
    try:
        cursor.execute(text, prepare=False)
    except psycopg.Error as exc:
        _recover(conn, raw, exc)
        if getattr(exc, "sqlstate", None) == ACCOUNT_CHANGED:
            raise AccountError("the clinician account was changed (disabled, or accounts were created) "
                               "while this was being stored; nothing was stored") from None
        raise sa.exc.DBAPIError.instance("audit batch", None, exc, psycopg.Error, hide_parameters=True) from None
    finally:
        raw.remove_notice_handler(notice)
    return cursor


def _recover(conn: sa.Connection, raw: Any, exc: Exception) -> None:
    """After a failed batch: roll back what the server still holds, or drop a broken connection."""
    import psycopg

    if raw.broken or raw.closed or isinstance(exc, psycopg.OperationalError):
        conn.invalidate()
        return
    try:
        raw.rollback()
    except psycopg.Error:
        conn.invalidate()
