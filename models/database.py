"""Opening a database: the SQLite file in the user's data folder, or a clinic's PostgreSQL server.

Every engine is made here so that each one gets the same protections: no patient data in error
text (``hide_parameters``), SQLite with foreign keys, WAL, durable commits, a busy timeout and
``BEGIN IMMEDIATE`` for writes, and database files readable by their owner only.

PostgreSQL never waits without a limit (psycopg and libpq have none by default: a dropped link
blocked for the kernel's ``tcp_retries2``, about 15 minutes). Every connection gets a connect
timeout, TCP keepalives and a TCP user timeout (a dead link is noticed within about 9 s whether
the connection is idle, waiting for an answer, or has data in flight), every session a
``statement_timeout`` and an ``idle_in_transaction_session_timeout`` (a workstation that hangs
inside a transaction loses it, and its locks, after 5 s), and every wait for the server an
answer deadline half a second past the statement timeout (a peer that keeps the TCP link up but never
answers, such as a hung proxy, is given up on too). Each can be changed in the database URL's
query, which the clinic's IT writes: see :data:`PG_CONNECT_DEFAULTS` and
:data:`PG_SESSION_DEFAULTS`, and the README.

A SQLite file is checked with ``PRAGMA quick_check`` when it is opened and small enough for that
to be cheap, and :func:`refuse_damaged_sqlite` checks it whatever its size before an import,
a backup or a migration: a damaged file is never written to.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from models import APP_NAME
from models.files import folder_problem
from models.records import DatabaseDamagedError, DatabaseUnavailableError, DiskFullError, StoreError

DEFAULT_FILE_NAME = "kneecheck.db"
BUSY_TIMEOUT_MS = 10_000
# Execution option that marks a connection whose transactions write (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "kneecheck_write"
# A SQLite file up to this size is checked with PRAGMA quick_check every time it is opened
# (about 20 ms for 32 MiB); a larger one before every import, backup and migration only.
QUICK_CHECK_AT_OPEN_BYTES = 32 * 1024 * 1024

# libpq connection parameters KneeCheck sets unless the URL's query gives them (seconds; the TCP
# user timeout in milliseconds). A dead link is noticed after keepalives_idle + interval * count
# (9 s) when nothing is in flight, after tcp_user_timeout (8 s) when sent data goes unacknowledged.
PG_CONNECT_DEFAULTS: dict[str, str] = {
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "2",
    "tcp_user_timeout": "8000",
}
# Server settings for KneeCheck's own sessions, also overridable in the URL's query (a number of
# milliseconds, or with a unit: 8s, 1min; 0 turns the limit off). They are sent as libpq
# ``options`` (no extra round trip) before any ``options`` the URL has, which therefore win.
PG_SESSION_DEFAULTS: dict[str, str] = {
    "statement_timeout": "7s",
    "idle_in_transaction_session_timeout": "5s",
}
# How much longer than the statement timeout the client waits for any answer before it closes
# the connection: the server's own timeout comes first and leaves a usable connection.
ANSWER_MARGIN_S = 0.5
# The pool checks a connection it hands out with a trivial statement (pool_pre_ping); a server
# that does not answer that within this time counts as gone, and a new connection is tried.
PING_ANSWER_S = 3.0
_DURATION = re.compile(r"(\d{1,9})(ms|s|min)?")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "min": 60.0, None: 0.001}
_INTEGER_PARAMS = ("connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                   "tcp_user_timeout")


class DatabaseUrlError(ValueError):
    """A database URL KneeCheck cannot use; the message says why (and never shows a password)."""


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE_NAME


def resolve_url(url: str | None) -> URL:
    """The URL to use: the given one, else the default SQLite file (its folder created 0700)."""
    if not url:
        path = default_sqlite_path()
        problem = folder_problem(path.parent, "data folder")
        if problem:
            raise DatabaseUrlError(f"{problem}; KneeCheck keeps its database there. Make it writable, or give "
                                   "another database with --db or $KNEECHECK_DB")
        return URL.create("sqlite", database=str(path))
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseUrlError("the database URL is not valid (expected sqlite:///PATH or postgresql+psycopg://...)") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file:"):
            raise DatabaseUrlError("a SQLite database URL needs a file path, e.g. sqlite:////home/me/kneecheck.db")
        return parsed
    if backend == "postgresql":
        if parsed.get_driver_name() not in ("psycopg", "postgresql"):
            raise DatabaseUrlError("use the psycopg driver for PostgreSQL: postgresql+psycopg://...")
        _check_pg_query(parsed)
        return parsed.set(drivername="postgresql+psycopg")
    raise DatabaseUrlError(f"database type {backend!r} is not supported; use sqlite or postgresql+psycopg")


def _check_pg_query(url: URL) -> None:
    """The timeouts a URL sets are numbers KneeCheck can pass on (nothing else reaches ``options``)."""
    for name in (*_INTEGER_PARAMS, *PG_SESSION_DEFAULTS):
        if name not in url.query:
            continue
        value = url.query[name]
        if not isinstance(value, str):
            raise DatabaseUrlError(f"the database URL gives {name} more than once")
        if name in PG_SESSION_DEFAULTS:
            if not _DURATION.fullmatch(value):
                raise DatabaseUrlError(f"the database URL's {name}={value[:20]!r} is not a duration: "
                                       "give milliseconds, or a number with ms, s or min (0 turns it off)")
        elif not value.isdigit() or len(value) > 9:
            raise DatabaseUrlError(f"the database URL's {name}={value[:20]!r} is not a whole number")
        elif name == "connect_timeout" and int(value) == 0:  # libpq would wait for ever
            raise DatabaseUrlError("the database URL's connect_timeout=0 would wait for ever; give seconds (at least 2)")


def duration_seconds(value: str) -> float:
    """A PostgreSQL duration as :data:`PG_SESSION_DEFAULTS` allows it (8s, 1min, 8000) in seconds."""
    match = _DURATION.fullmatch(value)
    if match is None:
        raise ValueError(f"not a duration: {value!r}")
    return int(match.group(1)) * _DURATION_UNITS[match.group(2)]


def postgres_connect_args(url: URL, *, long_statements: bool = False) -> tuple[URL, dict[str, Any], float | None]:
    """(URL without KneeCheck's own query parameters, psycopg connect arguments, the answer deadline
    in seconds or None). ``long_statements`` is for migrations: no statement timeout and no answer
    deadline (a schema change of a large database may take minutes), idle in transaction 60 s."""
    query = dict(url.query)
    args: dict[str, Any] = {name: value for name, value in PG_CONNECT_DEFAULTS.items() if name not in query}
    session = {name: str(query.pop(name, default)) for name, default in PG_SESSION_DEFAULTS.items()}
    if long_statements:
        session = {"statement_timeout": "0", "idle_in_transaction_session_timeout": "60s"}
    options = " ".join(f"-c {name}={value}" for name, value in session.items())
    if "options" in query:
        options = f"{options} {query.pop('options')}"
    args["options"] = options
    statement = duration_seconds(session["statement_timeout"])
    answer = statement + ANSWER_MARGIN_S if statement > 0 else None
    return url.set(query=query), args, answer


def _guarded_connection_class() -> type:
    """A psycopg connection that waits for the server at most ``answer_timeout`` seconds per
    operation (a statement, a fetch, a commit) and then closes itself. The kernel notices a dead
    link (keepalives, TCP user timeout) but not a peer that acknowledges every packet and never
    answers, such as a hung proxy or a stopped server process whose host is up."""
    import psycopg
    from psycopg import errors

    found = getattr(errors, "_WaitTimeout", None)  # what psycopg raises when a wait's timeout passes
    assert isinstance(found, type) and issubclass(found, BaseException), \
        "psycopg changed: errors._WaitTimeout is gone (see models/database.py)"
    wait_timeout: type[BaseException] = found

    class GuardedConnection(psycopg.Connection):  # type: ignore[type-arg]
        answer_timeout: float | None = None

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            limit = timeout if timeout is not None else self.answer_timeout
            try:
                return super().wait(gen, interval=interval, timeout=limit)
            except wait_timeout:
                if timeout is not None:
                    raise
                self.pgconn.finish()  # mid-protocol: the connection cannot be used again
                raise psycopg.OperationalError(
                    f"the database server did not answer within {limit:g} s; the connection was closed") from None

    return GuardedConnection


_GUARDED: list[type] = []


def _connect_guarded(cparams: dict[str, Any], answer_timeout: float | None) -> Any:
    if not _GUARDED:
        _GUARDED.append(_guarded_connection_class())
    conn = _GUARDED[0].connect(**cparams)  # type: ignore[attr-defined]
    conn.answer_timeout = answer_timeout
    return conn


def display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


# --- what went wrong, in words ------------------------------------------------------------------

def first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def database_error(exc: sa.exc.DBAPIError, prefix: str = "database error") -> StoreError:
    """The :class:`StoreError` for a driver error: :class:`DiskFullError` for a full disk (said as
    such, not "disk I/O error"), :class:`DatabaseDamagedError` for a damaged SQLite file,
    :class:`DatabaseUnavailableError` when the database cannot be reached, timed out or failed
    (exit status 3), else a plain :class:`StoreError` (the database refused the statement)."""
    orig = exc.orig
    message = first_line(orig)
    full = getattr(exc, "kneecheck_disk_full", None) or ("the disk holding the database is full" if _is_disk_full(orig)
                                                         else None)
    if full:
        return DiskFullError(f"{full} ({message}); this change was not stored. Free some space, then try again")
    if getattr(orig, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or \
            "malformed" in message or "not a database" in message:
        return DatabaseDamagedError(f"the database file is damaged ({message}); nothing was written to it. "
                                    "Restore it from a backup (see README, Reliability)")
    if isinstance(exc, (sa.exc.IntegrityError, sa.exc.ProgrammingError, sa.exc.DataError, sa.exc.NotSupportedError)) \
            and not exc.connection_invalidated:
        return StoreError(f"{prefix}: {message}")
    if "timeout" in message or "did not answer" in message:
        return DatabaseUnavailableError(f"{prefix}: the database server did not answer in time ({message})")
    return DatabaseUnavailableError(f"{prefix}: {message}")


def _is_disk_full(orig: BaseException | None) -> bool:
    if orig is None:
        return False
    if getattr(orig, "sqlite_errorname", "") == "SQLITE_FULL" or "database or disk is full" in str(orig):
        return True
    sqlstate = getattr(orig, "sqlstate", None)  # psycopg: 53100 disk_full
    return sqlstate == "53100" or "could not extend file" in str(orig) or "No space left on device" in str(orig)


def _sqlite_out_of_space(path: Path) -> str | None:
    """After SQLite's "disk I/O error": the disk under ``path`` is (nearly) full, or the process's
    file-size limit is reached (said in words), or None. SQLite says SQLITE_FULL only for some
    writes (a short write); a failed fsync, an -shm that cannot grow or a write refused past
    RLIMIT_FSIZE are all "disk I/O error"."""
    import resource

    try:
        fs = os.statvfs(path.parent)
    except OSError:
        return None
    free = (fs.f_bfree if os.geteuid() == 0 else fs.f_bavail) * fs.f_frsize
    if free < 1024 * 1024:
        return "the disk holding the database is full"
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if soft == resource.RLIM_INFINITY:
        return None
    sizes = [p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    if any(size + 65536 > soft for size in sizes):
        return "the database has reached the largest file this process may write (its file-size limit)"
    return None


# --- SQLite integrity ------------------------------------------------------------------------------

def sqlite_problem(path: Path) -> str | None:
    """What ``PRAGMA quick_check`` finds wrong with the SQLite file at ``path`` (None: it passes).

    Read through a read-only connection: nothing is written to the file, not even a checkpoint.
    A file that cannot be opened or is locked raises :class:`DatabaseUnavailableError`."""
    import sqlite3
    from urllib.parse import quote

    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _unreadable(path, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in str(exc) \
                or "not a database" in str(exc):
            return first_line(exc)
        raise _unreadable(path, exc) from None
    finally:
        conn.close()
    if rows == ["ok"]:
        return None
    return "; ".join(line.strip() for row in rows for line in row.splitlines() if line.strip())[:300] or "no result"


def _unreadable(path: Path, exc: Exception) -> DatabaseUnavailableError:
    # Even reading a WAL database needs its -shm file to grow: on a full disk that is "disk I/O error".
    full = "the disk holding the database is full" if _is_disk_full(exc) else None
    if full is None and str(getattr(exc, "sqlite_errorname", "")).startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        full = _sqlite_out_of_space(path)
    if full:
        return DiskFullError(f"{full} ({path}: {first_line(exc)}); nothing was stored. Free some space, then try again")
    return DatabaseUnavailableError(f"cannot read the database file {path}: {first_line(exc)}")


def refuse_damaged_sqlite(path: str | Path | None) -> None:
    """Raise :class:`DatabaseDamagedError` unless the SQLite file passes ``PRAGMA quick_check``
    (nothing to check for PostgreSQL, ``None``, or a file not created yet)."""
    if path is None or not Path(path).exists():
        return
    problem = sqlite_problem(Path(path))
    if problem is not None:
        raise DatabaseDamagedError(f"the database file {path} is damaged (quick_check: {problem}); nothing was "
                                   "written to it. Restore it from a backup, or have it repaired (see README, "
                                   "Reliability)")


def sqlite_path(url: URL) -> Path | None:
    return Path(url.database).resolve() if url.get_backend_name() == "sqlite" and url.database else None


def _create_owner_only(path: Path) -> bool:
    """Create an empty database file 0600 unless it exists; True if it was created now.

    SQLite gives its -wal and -shm files the database file's permissions, so this one file decides
    who can read the patient data.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


@contextlib.contextmanager
def _owner_only_umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _enable_wal(cursor: Any) -> None:
    """Switch to WAL. Converting a new file needs an exclusive lock, and SQLite reports "database is
    locked" at once, without its busy handler, when workstations open a new file together: retry."""
    import sqlite3
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def make_engine(url: URL, *, foreign_keys: bool = True, check: bool = True,
                long_statements: bool = False) -> sa.Engine:
    """An engine with KneeCheck's settings; ``foreign_keys=False`` only for SQLite migrations.

    ``check``: an existing SQLite file up to :data:`QUICK_CHECK_AT_OPEN_BYTES` must pass
    ``PRAGMA quick_check`` (:class:`DatabaseDamagedError` otherwise); its folder must be
    writable (SQLite keeps -wal and -shm files beside it) and the file a regular file. OSError
    when the file cannot be created. ``long_statements``: PostgreSQL without a statement timeout,
    for migrations (see :func:`postgres_connect_args`)."""
    if url.get_backend_name() == "postgresql":
        plain_url, connect_args, answer_timeout = postgres_connect_args(url, long_statements=long_statements)
        # READ COMMITTED whatever the server's default: the audit block's statements must each see
        # the rows committed before it took the lock (under REPEATABLE READ the chain would fork).
        pg_engine = sa.create_engine(plain_url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args,
                                     isolation_level="READ COMMITTED")

        @sa.event.listens_for(pg_engine, "do_connect")
        def _on_do_connect(_dialect: Any, _record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]) -> Any:
            assert not cargs
            return _connect_guarded(cparams, answer_timeout)

        # A pooled connection is pinged before it is handed out: a short deadline for that ping,
        # then the full one for the work. A silent server is then reported after the ping's 3 s
        # and one connect attempt's 5 s, not after a statement's deadline and a connect attempt.
        @sa.event.listens_for(pg_engine, "checkin")
        def _on_checkin(dbapi_connection: Any, _record: Any) -> None:
            if dbapi_connection is not None and answer_timeout is not None:
                dbapi_connection.answer_timeout = min(answer_timeout, PING_ANSWER_S)

        @sa.event.listens_for(pg_engine, "checkout")
        def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            dbapi_connection.answer_timeout = answer_timeout

        return pg_engine

    path = sqlite_path(url)
    assert path is not None
    if path.parent.is_dir():
        problem = folder_problem(path.parent, "database folder")
        if problem:
            raise StoreError(f"{problem}; SQLite keeps its -wal and -shm files beside the database, so the folder "
                             "must be writable")
    created = _create_owner_only(path)
    if not created:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{path} is not a regular file (a folder, pipe or device); give a database file")
        if check and info.st_size <= QUICK_CHECK_AT_OPEN_BYTES:
            refuse_damaged_sqlite(path)
    engine = sa.create_engine(url, hide_parameters=True)

    @sa.event.listens_for(engine, "handle_error")
    def _on_error(context: sa.engine.ExceptionContext) -> None:
        # "disk I/O error" is often a full disk or a file-size limit: say so where it is.
        name = getattr(context.original_exception, "sqlite_errorname", "")
        if name.startswith("SQLITE_IOERR") and context.sqlalchemy_exception is not None:
            full = _sqlite_out_of_space(path)
            if full:
                context.sqlalchemy_exception.kneecheck_disk_full = full  # type: ignore[attr-defined]

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would issue a deferred BEGIN; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # first: the PRAGMAs below may wait
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        _enable_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A deferred BEGIN that later writes fails at once with "database is locked" when another
        # connection committed in between; IMMEDIATE takes the write lock up front and waits.
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    if created:
        # First connection on a new file: WAL creates -wal/-shm now; keep them owner-only too.
        with _owner_only_umask(), engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    return engine
