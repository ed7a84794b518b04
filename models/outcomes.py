"""The truth after a lost reply: idempotent creates and the retry-or-verify of every write.

When the link to PostgreSQL drops while a change is being stored, say right after the server got
the COMMIT, the client cannot know whether the change was kept. The store finds out instead of
guessing (:func:`settle`):

1. the write is tried; a failure that is not the link's (a conflict, bad input) is raised as is;
2. if nothing reached the server (the connection could not even be opened), nothing was stored:
   :class:`DatabaseUnavailableError` saying so;
3. otherwise the write is *verified* on a fresh connection: a create is looked up by the key the
   client made for it (stored under a unique index, with the digest of what was asked); a save of
   version v is stored when the draft is at version v + 1 with exactly the content just sent; a
   finalize when the encounter is final at v + 1. Found: that record is returned, as if the reply
   had arrived;
4. not found: the write is tried once more. That is safe whatever happened to the first attempt:
   a create carries the same key (the unique index refuses a second row, and the first attempt's
   transaction, if the server still holds it, is waited for on the audit lock or that index), a
   save the same expected version (a second save of it is refused by the version check);
5. if the database still does not answer, :class:`OutcomeUnknownError`: "not known whether it was
   stored; it will be checked when the database answers". Never "not saved" for something stored.

Only PostgreSQL needs this: a SQLite COMMIT returns or raises in this process.

Keys: :func:`new_key` (a uuid4 string) for a create the window or a command starts; a key is kept
until the create is stored, so every retry of it carries the same one. An imported case's key is
derived from its content (:func:`case_key`): importing the same case file again finds the record
the first import stored, and prints its id, instead of storing it twice.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from models.hashing import canonical_json, sha256_hex
from models.records import (
    DatabaseDamagedError,
    DatabaseUnavailableError,
    DiskFullError,
    OutcomeUnknownError,
    StoreError,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models.case import Case, EncounterInfo
    from models.records import EncounterRecord

T = TypeVar("T")
KEY_LIMIT = 100
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")
# What psycopg says when a connection could not be opened at all: nothing of the change was sent.
_NOT_CONNECTED = re.compile(r"connection failed|connection timeout expired|could not connect|connection refused",
                            re.IGNORECASE)


class KeyReusedError(StoreError):
    """A create's key is already stored for something else: a client bug, never a retry."""


class Found(Exception):  # not an error: the write's outcome, found inside its transaction
    """Raised inside a write transaction that finds its key already stored: rolls it back (no
    second row, no second audit row) and hands the stored record out."""

    def __init__(self, record: Any) -> None:
        super().__init__("already stored")
        self.record = record


def new_key() -> str:
    """A key for one create, made by the client before its first attempt and kept for its retries."""
    return str(uuid.uuid4())


def checked_key(key: str | None) -> str | None:
    return None if key is None else required_key(key)


def required_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise StoreError(f"a request key must be 8 to {KEY_LIMIT} letters, digits or ._:- (got {str(key)[:20]!r})")
    return key


def digest_of(value: Any) -> str:
    return sha256_hex(canonical_json(value))


def case_key(case: Case) -> str:
    """An imported case's key: the SHA-256 of its canonical content (patient, encounter, findings,
    notes). The same case imported twice is the same record."""
    return "case-" + digest_of(case.to_dict())


def draft_digest(patient_id: int, info: EncounterInfo, findings: dict[str, Any], notes: str) -> str:
    """What a new draft was asked to hold, for comparing a retry with the stored create."""
    date = info.date.isoformat() if hasattr(info.date, "isoformat") else str(info.date)
    return digest_of({"patient_id": patient_id, "date": date, "clinician": info.clinician, "knee": info.knee,
                      "findings": dict(findings), "notes": notes})


def same_draft_content(record: EncounterRecord, info: EncounterInfo, findings: dict[str, Any], notes: str) -> bool:
    """The stored draft holds exactly this content (as the save validated and stored it)."""
    return (record.info.date, record.info.clinician, record.info.knee, record.findings, record.notes) == \
        (info.date, info.clinician, info.knee, dict(findings), notes)


def already_stored(record: Any) -> Found:
    return Found(record)


def stored_by_key(session: Session, model: type[Any], key: str, digest: str) -> Any:
    """The row created under ``key`` (None if none); :class:`KeyReusedError` when that row was
    created for other content."""
    import sqlalchemy as sa

    row = session.scalar(sa.select(model).where(model.request_key == key))
    if row is not None and row.request_digest != digest:
        raise KeyReusedError(f"the request key {key[:40]!r} was already used for a different {model.__tablename__}; "
                             "nothing was stored")
    return row


def nothing_sent(exc: StoreError) -> bool:
    """The write failed before any of it reached the server (no connection could be opened)."""
    return bool(_NOT_CONNECTED.search(str(exc)))


def settle(what: str, attempt: Callable[[], T], verify: Callable[[], T | None], *,
           after_refusal: tuple[type[StoreError], ...] = ()) -> T:
    """Run ``attempt`` and, when the link failed under it, find out what was stored (see the
    module's text). ``verify`` reads on a fresh connection: the stored record, or None when the
    write is not stored; it raises :class:`DatabaseUnavailableError` when the database does not
    answer. ``after_refusal``: errors of a *second* attempt that mean the first one was stored
    after all (a conflict with itself, "already finalized"); ``verify`` decides."""
    started = time.monotonic()
    try:
        return attempt()
    except (DiskFullError, DatabaseDamagedError, OutcomeUnknownError):
        raise
    except DatabaseUnavailableError as exc:
        if nothing_sent(exc):
            raise DatabaseUnavailableError(f"{what} was not stored: {exc}") from None
        first: StoreError = exc
    refusal: StoreError | None = None
    for retry in (True, False):
        try:
            found = verify()
        except DatabaseUnavailableError:
            raise _unknown(what, first, started) from None
        if found is not None:
            return found
        if refusal is not None:
            raise refusal  # not our own write: a real conflict (or the like), as without the failure
        if not retry:
            break
        try:
            return attempt()
        except (DiskFullError, DatabaseDamagedError, OutcomeUnknownError):
            raise
        except after_refusal as exc:
            refusal = exc  # verify says whether it was the first attempt's own write
        except DatabaseUnavailableError as exc:
            if nothing_sent(exc):
                raise _unknown(what, first, started) from None  # the first attempt's outcome is still unknown
            first = exc
    raise _unknown(what, first, started)


def _unknown(what: str, exc: StoreError, started: float) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        f"the link to the database failed while {what} was being stored, and the database did not answer "
        f"afterwards ({time.monotonic() - started:.0f} s): it is not known whether it was stored. It will be "
        f"checked when the database answers again; trying the same change again finds it if it was ({exc})")
