"""Bringing a database to the schema this app expects, at start-up.

Checking is cheap and needs no Alembic: the ``alembic_version`` row is read with plain SQL and
compared with :data:`HEAD_REVISION` (a test keeps that constant equal to the migration scripts'
head). Alembic is imported only when a migration is really due. Before migrating a SQLite file
that holds data, a consistent owner-only backup is written next to it. A database written by a
newer KneeCheck is refused, never touched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from models.backup import BackupExistsError, backup_sqlite
from models.database import WRITE_OPTION, make_engine, refuse_damaged_sqlite, sqlite_path
from models.roles import RoleNameError, RolePlan, checked_name, roles_sql

# Every revision this app knows, oldest first; the last is the head.
KNOWN_REVISIONS = ("0001_initial", "0002_audit_by_patient", "0003_clinicians", "0004_patient_version",
                   "0005_request_keys", "0006_sign_in_throttle")
HEAD_REVISION = KNOWN_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaError(RuntimeError):
    """The database cannot be used by this version of the app; the message says what to do."""


def database_revision(conn: sa.Connection) -> str | None:
    """The schema revision stamped in the database, or ``None`` for an empty database."""
    inspector = sa.inspect(conn)
    if not inspector.has_table("alembic_version"):
        if inspector.has_table("patient") or inspector.has_table("encounter"):
            raise SchemaError("this database has KneeCheck-like tables but no schema version; it was not made by KneeCheck")
        return None
    rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) != 1:
        raise SchemaError(f"the database's schema version table holds {len(rows)} rows; expected one")
    return str(rows[0][0])


def check_revision(revision: str | None) -> bool:
    """True when a migration is due; raises :class:`SchemaError` for a newer or unknown schema."""
    if revision == HEAD_REVISION:
        return False
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaError(
            f"the database has schema revision {revision}, which this KneeCheck does not know "
            f"(it knows up to {HEAD_REVISION}); it was probably written by a newer version. "
            "Update KneeCheck on this workstation; the database was not changed."
        )
    return True


MIGRATE_URL_VARIABLE = "KNEECHECK_MIGRATE_URL"


def migration_url(conn: sa.Connection, url: sa.URL, revision: str | None) -> tuple[sa.URL, tuple[str, str] | None]:
    """The URL a due migration runs over, and the roles to set up again after it. ``url`` itself
    (and None) when its role may change the schema (SQLite, or a PostgreSQL role that owns it); else
    ``$KNEECHECK_MIGRATE_URL``, the schema owner's (the app role of README "PostgreSQL roles" owns
    nothing, on purpose), with (app role, schema): the migration gives that role its privileges;
    :class:`SchemaError` without it."""
    import os

    from models.database import DatabaseUrlError, display_url, resolve_url

    if conn.dialect.name != "postgresql":
        return url, None
    can, role, schema = conn.execute(sa.text(
        "SELECT has_schema_privilege(current_schema(), 'CREATE') AND coalesce(("
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.relname = 'alembic_version' AND c.relnamespace = "
        "(SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema())), true), "
        "current_user, current_schema()")).one()
    conn.rollback()
    if can:
        return url, None
    owner_url = os.environ.get(MIGRATE_URL_VARIABLE, "").strip()
    if owner_url:
        try:
            return resolve_url(owner_url), (checked_name(role, "the app role"), checked_name(schema or "", "the schema"))
        except (DatabaseUrlError, RoleNameError) as exc:
            raise SchemaError(f"${MIGRATE_URL_VARIABLE}: {exc}") from None
    have = f"schema revision {revision}" if revision else "no KneeCheck schema yet"
    raise SchemaError(
        f"the database has {have} and this KneeCheck needs {HEAD_REVISION}, but the role {role!r} may not change "
        "the schema (as the app role should not: see README 'PostgreSQL roles'). Nothing was changed. Set "
        f"${MIGRATE_URL_VARIABLE} to the schema owner's database URL (for example "
        f"{display_url(url.set(username='OWNER', password=None))}), or have IT start KneeCheck once as the owner")


def alembic_config(connection: sa.Connection | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


MIGRATION_LOCK = 0x4B4E4D47  # PostgreSQL advisory lock key held while migrating


def backup_path_for(db_path: Path, revision: str, attempt: int = 0) -> Path:
    """The name of a pre-migration backup: UTC time to the microsecond, and from the second
    attempt on a counter, so two backups (two workstations, or two upgrades in one second) never
    share a name; :func:`write_pre_migration_backup` takes the first name nobody has taken."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    suffix = f"-{attempt + 1}" if attempt else ""
    return db_path.with_name(f"{db_path.name}.before-{HEAD_REVISION}-from-{revision}-{stamp}{suffix}.bak")


def write_pre_migration_backup(db_path: Path, revision: str) -> Path:
    """Back up ``db_path`` under a new name (created exclusively: an existing file is never
    overwritten, and a name taken meanwhile makes it try the next one)."""
    for attempt in range(100):
        candidate = backup_path_for(db_path, revision, attempt)
        try:
            backup_sqlite(db_path, candidate)
        except BackupExistsError:
            continue
        return candidate
    raise RuntimeError(f"no free name for a backup of {db_path} after 100 attempts")


def upgrade(url: sa.URL, target: str = "head", *, grant_to: tuple[str, str] | None = None) -> Path | None:
    """Migrate the database at ``url`` to ``target``; returns the backup file written, if any.

    The whole upgrade is one transaction: on any failure nothing is kept and the error propagates.
    ``grant_to`` (app role, schema; from :func:`migration_url`): in the same transaction, that role
    gets its privileges (:func:`models.roles.roles_sql`), the migrating role being the owner.
    """
    from alembic import command

    backup: Path | None = None
    path = sqlite_path(url)
    refuse_damaged_sqlite(path)  # whatever its size: a damaged file is never migrated or backed up
    # A migration may take minutes on a large PostgreSQL database, and workstations started
    # together wait here for the first one's: no statement timeout (dead links are still noticed).
    engine = make_engine(url, foreign_keys=False, check=False, long_statements=True)
    try:
        with engine.connect() as conn:
            revision = database_revision(conn)
            conn.rollback()
            if target == "head" and not check_revision(revision):
                return None
            if path is not None and revision is not None:
                backup = write_pre_migration_backup(path, revision)
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # Workstations started together on an old or empty schema queue here; each
                    # later one then finds the schema current (Alembic re-reads it) and does nothing.
                    # SQLite's BEGIN IMMEDIATE serialises them already.
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                command.upgrade(alembic_config(conn), target)
                if grant_to is not None:
                    owner = str(conn.exec_driver_sql("SELECT current_user").scalar())
                    plan = RolePlan(owner=owner, app=grant_to[0], schema=grant_to[1])
                    raw = conn.connection.driver_connection
                    assert raw is not None
                    raw.execute(roles_sql(plan, transaction=False))  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    return backup
