"""Opening a database for ``verify`` without changing it, and the checks the database itself offers.

:func:`read_only_engine` never migrates and never creates: a SQLite file is opened through a
``file:...?mode=ro`` URI (so a read-only copy, or one on read-only media, can be checked; when the
file or its folder has no write permission and there is no ``-wal`` file, with ``immutable=1``,
since SQLite would otherwise create the ``-wal`` and ``-shm`` files a WAL database is read with), PostgreSQL with every transaction READ ONLY
(``default_transaction_read_only``). A database that is not KneeCheck's, or whose schema is older
or newer than this KneeCheck's, is refused with :class:`SchemaMismatch` before anything else is read.

:func:`database_checks` runs what the engine offers: SQLite's ``PRAGMA integrity_check`` (every
page, every index against its table) and ``PRAGMA foreign_key_check``; on PostgreSQL amcheck's
``bt_index_check`` over KneeCheck's indexes where the extension is installed (verify never
installs it).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from models import migrate
from models.database import BUSY_TIMEOUT_MS, database_error, display_url, make_engine, sqlite_path
from models.records import StoreError

# The tables every KneeCheck schema has had since its first revision.
KNEECHECK_TABLES = ("patient", "encounter", "encounter_revision", "assessment", "audit_event")


# How the damage a check found begins (verify exits 3 on it, as for any damaged database).
DAMAGED = "the database file is damaged"


def is_damage(problem: str) -> bool:
    return problem.startswith(DAMAGED) or (problem.startswith("index ") and "is damaged (amcheck" in problem)


class SchemaMismatch(StoreError):
    """Not a KneeCheck database, or one at another schema revision: nothing can be checked."""


def read_only_engine(url: sa.URL) -> sa.Engine:
    """An engine on the database at ``url`` that reads only, its schema checked first (used by
    :meth:`models.transactions.StoreBase.open_read_only`). :class:`SchemaMismatch` when it is not
    KneeCheck's or not at this KneeCheck's schema; :class:`StoreError` when it cannot be read."""
    shown = display_url(url)
    path = sqlite_path(url)
    engine = _sqlite_read_only_engine(path) if path is not None else _postgres_read_only_engine(url)
    try:
        with engine.connect() as conn:
            _check_schema(conn)
    except SchemaMismatch as exc:
        engine.dispose()
        raise SchemaMismatch(f"{shown}: {exc}") from None
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise database_error(exc, f"cannot open the database {shown}") from None
    except BaseException:
        engine.dispose()
        raise
    return engine


def _check_schema(conn: sa.Connection) -> None:
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    if "alembic_version" not in tables:
        if tables & {"patient", "encounter"}:
            raise SchemaMismatch("not a KneeCheck database: it has KneeCheck-like tables but no schema version")
        raise SchemaMismatch("not a KneeCheck database (no schema version and no KneeCheck tables); "
                             "nothing was checked or created")
    rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    revision = str(rows[0][0]) if len(rows) == 1 else None
    if revision not in migrate.KNOWN_REVISIONS:
        if not set(KNEECHECK_TABLES) <= tables:
            raise SchemaMismatch(f"not a KneeCheck database (schema version {str(revision)[:40]!r}, and not "
                                 "KneeCheck's tables); nothing was checked")
        raise SchemaMismatch(f"the schema is at revision {str(revision)[:40]}, which this KneeCheck does not know "
                             f"(it expects {migrate.HEAD_REVISION}): it was probably written by a newer KneeCheck; "
                             "verify it with that version")
    if revision != migrate.HEAD_REVISION:
        # Checking an older schema would need that schema's own queries; verify never migrates.
        raise SchemaMismatch(f"schema at revision {revision}, this KneeCheck expects {migrate.HEAD_REVISION}: "
                             "run the app (it backs the file up, then upgrades it) and verify again; "
                             "nothing was checked or changed")


def _sqlite_read_only_engine(path: Path) -> sa.Engine:
    if not path.exists():
        raise StoreError(f"there is no database file at {path}")
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block the open for ever
        raise StoreError(f"{path} is not a regular file (a folder, pipe or device); give a database file")
    uri = f"file:{quote(str(path))}?mode=ro"
    wal = Path(f"{path}-wal")
    # A WAL database is read with its -wal and -shm files, which SQLite creates when they are
    # missing. A read-only copy (the file or its folder without write permission: read-only media,
    # an archived copy) with no -wal to read is read with immutable=1, as it is, creating nothing.
    # (Permission bits as well as access(): root may write anywhere, and must not either.)
    if not wal.exists() and (not _writable(path) or not _writable(path.parent)):
        uri += "&immutable=1"

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return conn

    engine = sa.create_engine("sqlite://", creator=connect, poolclass=sa.pool.NullPool, hide_parameters=True)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")  # one snapshot for each read, as the store's own engine

    return engine


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _postgres_read_only_engine(url: sa.URL) -> sa.Engine:
    options = url.query.get("options", "")
    options = f"{options} -c default_transaction_read_only=on".strip() if isinstance(options, str) else options
    return make_engine(url.update_query_dict({"options": options}))


def database_checks(conn: sa.Connection) -> tuple[list[str], list[str]]:
    """(problems, notes) from the engine's own checks, on a connection of the store's read
    (:meth:`models.audit.AuditMixin.database_checks`); see the module docstring."""
    if conn.dialect.name == "sqlite":
        return _sqlite_checks(conn), []
    return _postgres_checks(conn)


def _sqlite_checks(conn: sa.Connection) -> list[str]:
    problems: list[str] = []
    try:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check(20)")]
    except sa.exc.DatabaseError as exc:  # damage the check itself stumbles over
        if getattr(exc.orig, "sqlite_errorname", "") not in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            raise
        return [f"{DAMAGED} (integrity_check: {_first_line(exc.orig)})"]
    if rows != ["ok"]:
        problems += [f"{DAMAGED} (integrity_check: {line})" for line in rows]
    for table, rowid, parent, _fk in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid}: refers to a missing {parent} row (foreign_key_check)")
    return problems


def _postgres_checks(conn: sa.Connection) -> tuple[list[str], list[str]]:
    installed = conn.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'").first()
    if installed is None:
        return [], ["amcheck not installed: index check skipped"]
    schema = conn.exec_driver_sql("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                                  "ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'").scalar_one()
    indexes = conn.exec_driver_sql(
        "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
        "WHERE t.relnamespace = current_schema()::regnamespace AND a.amname = 'btree' "
        "AND t.relname IN ('patient', 'encounter', 'encounter_revision', 'assessment', 'audit_event', "
        "'clinician', 'alembic_version') ORDER BY c.relname").all()
    problems: list[str] = []
    for oid, name in indexes:
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(f'SELECT "{schema}".bt_index_check(%(oid)s::oid, true)', {"oid": oid})
        except sa.exc.DBAPIError as exc:
            problems.append(f"index {name} is damaged (amcheck: {_first_line(exc.orig)})")
    return problems, [f"amcheck: {len(indexes)} indexes checked"]


def _first_line(exc: Any) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
