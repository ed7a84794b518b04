"""The store's engine and its transactions: the only places a database session is opened.

:class:`StoreBase` opens and closes the database (migrating it when due) and gives the other store
modules their two kinds of session: :meth:`StoreBase._read`, a read transaction, and
:meth:`StoreBase._change`, one write transaction that ends by appending its audit rows, so no
change can be stored without them. Once the database has clinician accounts, ``_change`` refuses
any change whose actor is not an active account, and the audit rows carry the account's own
spelling of the name. Driver errors become :class:`StoreError` here, naming the problem without
patient data. :func:`bulk_insert` and :func:`reserve_ids` let a change write many rows at once
(demo data, an import's audit rows) inside that same transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from models import audit_commit
from models.case import CaseError
from models.database import (
    WRITE_OPTION,
    DatabaseUrlError,
    database_error,
    display_url,
    make_engine,
    resolve_url,
    sqlite_path,
)
from models.hashing import GENESIS_HASH, audit_chain, audit_hash
from models.passwords import name_key
from models.pins import Pin, with_pins
from models.records import (
    AccountError,
    Actor,
    DuplicateMrnError,
    FinalizedError,
    KeyTakenError,
    NotFoundError,
    StoreError,
)
from models.schema import AuditRow, ClinicianRow, utcnow

DETAIL_LIMIT = 2000
_ACTION = re.compile(r"[a-z][a-z_]{0,31}")
# PostgreSQL: every write takes this lock so audit rows chain in commit order, only in its final
# one-message batch (models/audit_commit.py), never across a round trip
# (SQLite's BEGIN IMMEDIATE already serialises writers).
PG_WRITE_LOCK = 0x4B4E4545
_AUDIT_COLUMNS = ("id", "at", "clinician", "os_user", "workstation", "action", "patient_id", "encounter_id",
                  "detail", "row_hash")

# The limits of the read that checks what a failed write stored (see StoreBase._verify_read).
VERIFY_LIMITS = {"connect_timeout": "2", "statement_timeout": "3s"}

# One audit row to append: (action, patient_id, encounter_id, detail).
AuditEvent = tuple[str, int | None, int | None, str]


@dataclass
class _Change:
    """The write in progress: the mutating method fills in what the audit row should name."""

    session: Session
    actor: Actor  # as the audit row names it (an account's own spelling once accounts exist)
    patient_id: int | None = None
    encounter_id: int | None = None
    detail: str = ""
    # Further audit rows for a change that touches several records (an import, demo data), written
    # before the change's own row, in this order.
    more: list[AuditEvent] = field(default_factory=list)
    # The records this change stored, pinned in its own audit row's detail (models/pins.py).
    pins: list[Pin] = field(default_factory=list)


class StoreBase:
    """The database connection of a :class:`models.store.Store` and its two kinds of transaction."""

    def __init__(self, engine: sa.Engine, url: sa.URL) -> None:
        self._engine = engine
        self._url = url
        self.url_for_display = display_url(url)
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.migration_backup: str | None = None
        self._audit_identity: str | None = None  # the first audit row's hash, once read (the witness log's)
        self._verify_engine: sa.Engine | None = None  # made on the first ambiguous failure (models/outcomes.py)
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        # One-statement reads on PostgreSQL run in autocommit: no BEGIN and COMMIT round trips. In
        # READ COMMITTED a transaction gives a read nothing one statement does not (each statement
        # sees its own snapshot either way); reads of several statements keep _read.
        self._statement_sessions = sessionmaker(
            engine if self.is_sqlite else engine.execution_options(isolation_level="AUTOCOMMIT"),
            expire_on_commit=False)
        self._write_sessions = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)

    @classmethod
    def open(cls, url: str | None = None) -> Self:
        """Open (creating if needed) the database at ``url``; ``None`` is the default SQLite file.

        Runs migrations when the schema is older than this app (a backup of a SQLite file first);
        refuses a database written by a newer app without touching it. On PostgreSQL a role that
        cannot migrate (the app role of README "PostgreSQL roles") migrates through
        ``$KNEECHECK_MIGRATE_URL`` (the owner's) when that is set, and is refused otherwise.
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
                through = migrate.migration_url(conn, resolved, revision) if due else None
            backup = migrate.upgrade(through[0], grant_to=through[1]) if through is not None else None
        except migrate.SchemaError as exc:
            engine.dispose()
            raise StoreError(f"{shown}: {exc}") from None
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            raise database_error(exc, f"cannot open the database {shown}") from None
        except StoreError:  # a damaged file refused before migrating (models/migrate.py)
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            raise StoreError(f"updating the database schema of {shown} failed and was rolled back: "
                             f"{type(exc).__name__}: {first_line(exc)}") from exc
        store = cls(engine, resolved)
        store.migration_backup = str(backup) if backup else None
        return store

    @classmethod
    def open_read_only(cls, url: str | None = None) -> Self:
        """Open the database at ``url`` for ``verify``: reading only, never migrating or creating
        anything (models/integrity.py). :class:`models.integrity.SchemaMismatch` when it is not a
        KneeCheck database at this KneeCheck's schema."""
        from models.integrity import read_only_engine

        try:
            resolved = resolve_url(url)
        except DatabaseUrlError as exc:
            raise StoreError(str(exc)) from None
        return cls(read_only_engine(resolved), resolved)

    def close(self) -> None:
        self._engine.dispose()
        if self._verify_engine is not None:
            self._verify_engine.dispose()

    def __enter__(self) -> Self:
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
        with database_errors(), self._read_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _read_statement(self) -> Iterator[Session]:
        """A read that is one statement (on PostgreSQL one round trip, after the pool's ping)."""
        with database_errors(), self._statement_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def _verify_read(self) -> Iterator[Session]:
        """A read on a new connection with short limits (connect 2 s, statement 3 s), to find out
        after a failed write what was stored (models/outcomes.py): a dead link is not waited for twice."""
        if self.is_sqlite:
            with self._read() as session:
                yield session
            return
        if self._verify_engine is None:
            self._verify_engine = make_engine(self._url.update_query_dict(VERIFY_LIMITS))
        try:
            with database_errors(), Session(self._verify_engine, expire_on_commit=False) as session, session.begin():
                yield session
        finally:
            self._verify_engine.dispose()  # the next check opens a fresh connection too

    @contextlib.contextmanager
    def _change(self, actor: Actor, action: str, *, any_name: bool = False) -> Iterator[_Change]:
        """One write transaction ending with its audit rows; on any error nothing is kept.

        With clinician accounts in the database the actor must be an active account
        (:class:`AccountError` otherwise); ``any_name`` lifts that for the audit rows of refused
        sign-ins, which name whoever tried.
        """
        if not _ACTION.fullmatch(action):
            raise StoreError(f"audit action {action!r} is not a lowercase word")
        heads: list[tuple[int, str, str]] = []  # (newest audit row id, its hash, the first row's hash)
        with database_errors(), self._write_sessions() as session, session.begin():
            if any_name:
                change, check = _Change(session, actor), audit_commit.AccountCheck(None, skip=True)
            else:
                signed, key = _account_in(session, actor)
                change, check = _Change(session, signed), audit_commit.AccountCheck(key)
            yield change
            session.flush()
            detail = with_pins(change.detail, change.pins, DETAIL_LIMIT)
            event = (action, change.patient_id, change.encounter_id, detail)
            if not self.is_sqlite:
                # The lock, the audit rows and COMMIT in one message (models/audit_commit.py): the
                # clinic-wide lock is held only while the server runs it, never across a round trip.
                sql, params = audit_commit.batch(utcnow(), change.actor.clinician, change.actor.os_user,
                                                 change.actor.workstation, [*change.more, event], check,
                                                 PG_WRITE_LOCK)
                audit_commit.run(session.connection(), sql, params, heads=heads)
            else:
                previous = session.scalar(sa.select(AuditRow.row_hash).order_by(AuditRow.id.desc()).limit(1))
                previous = previous or GENESIS_HASH
                if change.more:
                    head = _append_audit_rows(session, change.actor, [*change.more, event], previous)
                else:
                    head = _append_audit_row(session, change.actor, event, previous)
                first = self._audit_identity or session.scalar(  # the first row's hash: read once
                    sa.select(AuditRow.row_hash).order_by(AuditRow.id).limit(1)) or head[1]
                heads.append((*head, first))
        self._witness(heads)

    def _witness(self, heads: list[tuple[int, str, str]]) -> None:
        """A committed change's new head (id, hash, first row's hash) to this workstation's
        witness log (models/witness.py)."""
        for row_id, row_hash, first in heads[-1:]:
            from models import witness

            self._audit_identity = first  # committed: it is this database's first row
            witness.record_head(self.witness_location, first, (row_id, row_hash))

    @property
    def witness_location(self) -> str:
        """Where this database is, as the witness log names it (a SQLite file's full path, or the
        PostgreSQL URL without its password)."""
        return self.sqlite_file or self.url_for_display


def _append_audit_row(session: Session, actor: Actor, event: AuditEvent, previous: str) -> tuple[int, str]:
    """The one audit row of an ordinary change, chained to ``previous`` (the newest row's hash);
    returns its (id, hash)."""
    row = AuditRow(
        at=utcnow(), clinician=actor.clinician[:200], os_user=actor.os_user[:200],
        workstation=actor.workstation[:200], action=event[0], patient_id=event[1],
        encounter_id=event[2], detail=event[3][:DETAIL_LIMIT], row_hash="",
    )
    row.row_hash = audit_hash(previous, row)
    session.add(row)
    session.flush()
    return row.id, row.row_hash


def _append_audit_rows(session: Session, actor: Actor, events: Sequence[AuditEvent], previous: str) -> tuple[int, str]:
    """Many audit rows at once, chained in the order given (each gets an id above the one before,
    reserved first, so the id order the chain is checked in is this order on every engine)."""
    now = utcnow()
    at_iso = now.astimezone(dt.UTC).isoformat()
    at = driver_time(session, now)
    clinician, os_user, workstation = actor.clinician[:200], actor.os_user[:200], actor.workstation[:200]
    events = [(action, patient_id, encounter_id, detail[:DETAIL_LIMIT])
              for action, patient_id, encounter_id, detail in events]
    hashes = audit_chain(previous, at_iso, clinician, os_user, workstation, events)
    rows = [(ident, at, clinician, os_user, workstation, *event, row_hash)
            for ident, event, row_hash in zip(reserve_ids(session, "audit_event", len(events)), events, hashes,
                                              strict=True)]
    bulk_insert(session, "audit_event", _AUDIT_COLUMNS, rows)
    return rows[-1][0], rows[-1][-1]


# --- many rows in one change -----------------------------------------------------------------------

def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def reserve_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` new ids for ``table``, ascending, for rows this change inserts with explicit ids.

    PostgreSQL: taken from the table's own sequence first, so the sequence is never behind the rows
    (whatever happens to the transaction later, a sequence never goes back). SQLite: the ids after
    the highest one; the write transaction holds the database, so nobody else takes them.
    """
    if count <= 0:
        return []
    if _is_sqlite(session):
        first = int(session.scalar(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")) or 0) + 1
        return list(range(first, first + count))
    ids = session.scalars(sa.text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                                  "FROM generate_series(1, :n)"), {"n": count}).all()
    return sorted(int(i) for i in ids)


def driver_time(session: Session, value: dt.datetime) -> Any:
    """A tz-aware time as :func:`bulk_insert` takes it: on SQLite the UTC text SQLAlchemy itself
    stores (so it reads back equal), on PostgreSQL the object."""
    if _is_sqlite(session):
        return value.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def driver_date(session: Session) -> Any:
    """The function that turns a date into what :func:`bulk_insert` takes (ISO text on SQLite)."""
    return dt.date.isoformat if _is_sqlite(session) else (lambda d: d)


def bulk_insert(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (driver values, see :func:`driver_time`) in the change's own transaction, in
    order: the driver's executemany on SQLite, COPY on PostgreSQL (ten times faster there)."""
    if not rows:
        return
    names = ", ".join(columns)
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


# --- shared by the store's modules -----------------------------------------------------------------

def account_actor_in(session: Session, actor: Actor) -> Actor:
    """``actor`` as the audit trail will name it, read inside the caller's transaction: with accounts
    in the database it must be an active one (:class:`AccountError` otherwise) and gets the
    account's spelling of the name."""
    return _account_in(session, actor)[0]


def _account_in(session: Session, actor: Actor) -> tuple[Actor, str | None]:
    """:func:`account_actor_in`, and the account's name key (None when there are no accounts), which
    the commit checks again under the audit lock (models/audit_commit.py)."""
    try:
        key: str | None = name_key(actor.clinician)
    except CaseError:
        key = None
    row = session.execute(sa.select(ClinicianRow.name, ClinicianRow.disabled_at)
                          .where(ClinicianRow.name_key == key)).first() if key else None
    if row is None:
        if session.scalar(sa.select(ClinicianRow.id).limit(1)) is None:
            return actor, None  # no accounts yet: the name is the clinician's word, as before accounts
        raise AccountError(f"there is no clinician account named {actor.clinician[:60]!r}")
    if row.disabled_at is not None:
        raise AccountError(f"the clinician account {row.name!r} is disabled")
    return (actor if row.name == actor.clinician else replace(actor, clinician=row.name)), key


def get_row(session: Session, model: type[Any], ident: int, what: str) -> Any:
    row = session.get(model, ident)
    if row is None:
        raise NotFoundError(f"there is no {what} with id {ident}")
    return row


def first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextlib.contextmanager
def database_errors() -> Iterator[None]:
    """Turn driver errors into StoreErrors that name the problem (parameters are hidden)."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        message = first_line(exc.orig)
        if "finalized encounter cannot be changed" in message:
            raise FinalizedError("a finalized encounter cannot be changed; amend it instead") from None
        if "kneecheck: " in message:  # the database's own guards (triggers) say what they refused
            raise StoreError(message.split("kneecheck: ", 1)[1]) from None
        if isinstance(exc, sa.exc.IntegrityError):
            refusal = _unique_refusal(exc)
            if refusal is not None:  # two workstations at once: the constraint decided, said as the check would
                raise refusal from None
            raise StoreError(f"the database refused the change: {message}") from None
        raise database_error(exc) from None  # unreachable, timed out, damaged or full: said as such


# The unique constraints whose violation means what the store's own check before the write says:
# another workstation wrote the same MRN (or amended the same encounter) between that check and the
# commit. PostgreSQL names the constraint (diag.constraint_name); SQLite names the column.
_UNIQUE_REFUSALS: dict[str, Callable[[], StoreError]] = {
    "uq_patient_mrn": DuplicateMrnError,
    # A retry's create met its own first attempt, committed late (models/outcomes.settle finds it).
    "uq_patient_request_key": lambda: KeyTakenError("this patient was just stored by an earlier attempt"),
    "uq_encounter_request_key": lambda: KeyTakenError("this encounter was just stored by an earlier attempt"),
    "uq_encounter_amends_id": lambda: StoreError(
        "the encounter was already amended on another workstation just now; open that amendment and amend it"),
}
_SQLITE_UNIQUE = {"patient.mrn": "uq_patient_mrn", "encounter.amends_id": "uq_encounter_amends_id",
                  "patient.request_key": "uq_patient_request_key", "encounter.request_key": "uq_encounter_request_key"}


def _unique_refusal(exc: sa.exc.IntegrityError) -> StoreError | None:
    name = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
    if name is None:
        found = re.search(r"UNIQUE constraint failed: ([\w.]+)", str(exc.orig))
        name = _SQLITE_UNIQUE.get(found.group(1)) if found else None
    make = _UNIQUE_REFUSALS.get(name) if name else None
    return make() if make is not None else None
