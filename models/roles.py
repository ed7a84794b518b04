"""PostgreSQL least privilege: the two roles KneeCheck's schema is meant to be used with, as SQL.

- The **owner** owns the schema, its tables, sequences and trigger functions, and runs the
  migrations. Whoever logs in as the owner can ``ALTER TABLE ... DISABLE TRIGGER`` and rewrite
  audit rows, so only IT uses that login, for upgrades.
- The **app** role is what every workstation connects as. It can read everything and insert rows,
  update only the rows the store updates (:data:`APP_UPDATES`), and nothing else: no UPDATE or
  DELETE of audit rows, revisions or assessments (refused by the GRANTs, whatever the triggers),
  no DELETE or TRUNCATE anywhere, no DDL (it owns nothing and cannot create in the schema), so it
  cannot disable the triggers that keep finalized encounters and clinician names unchanged.

:func:`roles_sql` writes the SQL that sets this up (``kneecheck db roles``);
:class:`models.privileges.PrivilegesMixin` applies it and tells the window and the commands when
they run as the owner or a superuser. Plain text only here: no database, no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The tables the store UPDATEs (read from its code): a draft encounter's save, finalize and amend
# (models/encounters.py, models/pipelined.py; the trigger trg_encounter_final refuses finalized
# rows), a patient's correction (models/patients.py), a clinician's password, disabling and
# sign-in counters (models/accounts.py; its trigger refuses renames). SELECT ... FOR UPDATE on
# clinician (disabling the last accounts) needs UPDATE too; the failed sign-ins per name
# (sign_in_throttle, models/accounts.py: counted before each check, reset by success or an
# administrator's unlock). The store DELETEs nothing.
APP_UPDATES = ("encounter", "patient", "clinician", "sign_in_throttle")
# Read only for the app: the schema version is the owner's to change.
APP_READ_ONLY = ("alembic_version",)
# What `verify` and the tests name as append-only at the GRANT level (no UPDATE, DELETE, TRUNCATE).
APPEND_ONLY = ("audit_event", "encounter_revision", "assessment")

_ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}")


class RoleNameError(ValueError):
    """A role or schema name KneeCheck will not put into SQL."""


def checked_name(name: str, what: str) -> str:
    """``name`` if it is a plain PostgreSQL identifier (letters, digits, _ and $, at most 63)."""
    if not _ROLE_NAME.fullmatch(name):
        raise RoleNameError(f"{what} {name[:70]!r} is not a plain PostgreSQL name (letters, digits, _ or $, "
                            "starting with a letter or _, at most 63 characters)")
    return name


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class RolePlan:
    owner: str
    app: str
    schema: str

    def __post_init__(self) -> None:
        checked_name(self.owner, "the owner role")
        checked_name(self.app, "the app role")
        checked_name(self.schema, "the schema")
        if self.owner == self.app:
            raise RoleNameError("the owner and the app role must be two different roles")


def roles_sql(plan: RolePlan, *, transaction: bool = True) -> str:
    """The SQL that gives ``plan.schema`` to the owner and the app role only what it needs.

    Idempotent (run it again after every migration: a table a migration adds gets SELECT and
    INSERT from the default privileges, and UPDATE here if it is in :data:`APP_UPDATES`). Run as a
    superuser, or as the owner once the roles exist. It ends by checking the app role: a superuser,
    a member of the owner role or an owner of the schema or database is refused (the transaction
    rolls back). ``transaction=False`` leaves out BEGIN and COMMIT, to run inside another
    transaction (a migration's)."""
    o, a, s = _ident(plan.owner), _ident(plan.app), _ident(plan.schema)
    lo, la, ls = _literal(plan.owner), _literal(plan.app), _literal(plan.schema)
    updates = ", ".join(_literal(t) for t in APP_UPDATES)
    read_only = ", ".join(_literal(t) for t in APP_READ_ONLY)
    script = f"""\
-- KneeCheck PostgreSQL roles: owner {plan.owner} (schema, migrations), app {plan.app} (workstations).
-- Set the passwords yourself afterwards (psql: \\password {plan.owner}, \\password {plan.app}).
BEGIN;
DO $kneecheck$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lo}) THEN
    CREATE ROLE {o} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {la}) THEN
    CREATE ROLE {a} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
  END IF;
END $kneecheck$;
DO $kneecheck$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = {ls}) THEN
    CREATE SCHEMA {s} AUTHORIZATION {o};
  END IF;
END $kneecheck$;
-- The owner owns the schema and everything in it: tables (their sequences follow), other
-- sequences, and the trigger functions (an owner of those could replace them with no-ops).
ALTER SCHEMA {s} OWNER TO {o};
DO $kneecheck$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = {ls} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relowner <> {lo}::regrole LOOP
    EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', {ls}, r.relname, {lo});
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = {ls} AND c.relkind = 'S' AND c.relowner <> {lo}::regrole LOOP
    EXECUTE format('ALTER SEQUENCE %I.%I OWNER TO %I', {ls}, r.relname, {lo});
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS routine FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = {ls} AND p.proowner <> {lo}::regrole LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.routine, {lo});
  END LOOP;
END $kneecheck$;
-- The app role: use the schema, never create in it.
REVOKE CREATE ON SCHEMA {s} FROM PUBLIC;
REVOKE ALL ON SCHEMA {s} FROM {a};
GRANT USAGE ON SCHEMA {s} TO {a};
-- Tables: read and append everywhere; UPDATE only where the app updates; never DELETE, TRUNCATE,
-- REFERENCES or TRIGGER. Audit rows, revisions and assessments are append-only here.
REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {a};
REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC;
GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA {s} TO {a};
DO $kneecheck$ DECLARE t text; BEGIN  -- those of them that exist yet (an empty schema has none)
  FOREACH t IN ARRAY ARRAY[{updates}] LOOP
    IF to_regclass(format('%I.%I', {ls}, t)) IS NOT NULL THEN
      EXECUTE format('GRANT UPDATE ON %I.%I TO %I', {ls}, t, {la});
    END IF;
  END LOOP;
  FOREACH t IN ARRAY ARRAY[{read_only}] LOOP
    IF to_regclass(format('%I.%I', {ls}, t)) IS NOT NULL THEN
      EXECUTE format('REVOKE INSERT ON %I.%I FROM %I', {ls}, t, {la});
    END IF;
  END LOOP;
END $kneecheck$;
-- Sequences: the ids of new rows.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {a};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a};
-- Whatever later migrations (run by the owner) create: read and append, no more.
ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} REVOKE ALL ON TABLES FROM {a};
ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT SELECT, INSERT ON TABLES TO {a};
ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {a};
-- The app role must not be able to get round any of this.
DO $kneecheck$ BEGIN
  IF (SELECT rolsuper OR rolbypassrls OR rolcreaterole FROM pg_roles WHERE rolname = {la}) THEN
    RAISE EXCEPTION 'kneecheck: the app role % is a superuser or may create roles or bypass row security; '
      'make it an ordinary login role (ALTER ROLE % NOSUPERUSER NOCREATEROLE NOBYPASSRLS)', {la}, {la};
  END IF;
  IF pg_has_role({la}, {lo}, 'MEMBER') THEN
    RAISE EXCEPTION 'kneecheck: the app role % is a member of the owner role %; REVOKE % FROM %', {la}, {lo}, {lo}, {la};
  END IF;
  IF pg_has_role({la}, (SELECT nspowner FROM pg_namespace WHERE nspname = {ls}), 'MEMBER')
     OR pg_has_role({la}, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER') THEN
    RAISE EXCEPTION 'kneecheck: the app role % owns the schema % or this database; give them to the owner role %',
      {la}, {ls}, {lo};
  END IF;
END $kneecheck$;
COMMIT;
"""
    return script if transaction else script.replace("\nBEGIN;\n", "\n").replace("\nCOMMIT;\n", "\n")
