"""Opening a database: the SQLite file in the user's data folder, or a clinic's PostgreSQL server.

Every engine is made here so that each one gets the same protections: no patient data in error
text (``hide_parameters``), SQLite with foreign keys, WAL, durable commits, a busy timeout and
``BEGIN IMMEDIATE`` for writes, and database files readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from models import APP_NAME

DEFAULT_FILE_NAME = "kneecheck.db"
BUSY_TIMEOUT_MS = 10_000
# Execution option that marks a connection whose transactions write (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "kneecheck_write"


class DatabaseUrlError(ValueError):
    """A database URL KneeCheck cannot use; the message says why (and never shows a password)."""


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DEFAULT_FILE_NAME


def resolve_url(url: str | None) -> URL:
    """The URL to use: the given one, else the default SQLite file (its folder created 0700)."""
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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
        return parsed.set(drivername="postgresql+psycopg")
    raise DatabaseUrlError(f"database type {backend!r} is not supported; use sqlite or postgresql+psycopg")


def display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


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


def make_engine(url: URL, *, foreign_keys: bool = True) -> sa.Engine:
    """An engine with KneeCheck's settings; ``foreign_keys=False`` only for SQLite migrations."""
    if url.get_backend_name() == "postgresql":
        return sa.create_engine(url, hide_parameters=True, pool_pre_ping=True)

    path = sqlite_path(url)
    assert path is not None
    created = _create_owner_only(path)
    engine = sa.create_engine(url, hide_parameters=True)

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
