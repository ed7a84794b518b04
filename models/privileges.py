"""The store's side of the PostgreSQL roles (:mod:`models.roles`): applying them, and telling the
window and the commands when they are connected as the schema's owner or a superuser, who can
disable the triggers and rewrite audit rows."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa

from models.database import first_line
from models.records import StoreError
from models.roles import RolePlan, roles_sql
from models.transactions import StoreBase, database_errors

# Kinds of :meth:`PrivilegesMixin.connected_role_risk`.
SUPERUSER = "superuser"
SCHEMA_OWNER = "owner"


class PrivilegesMixin(StoreBase):
    """Applying :func:`roles_sql`, and what the connected role could do that it should not."""

    def connected_role_risk(self) -> str | None:
        """On PostgreSQL, :data:`SUPERUSER` or :data:`SCHEMA_OWNER` when the connected role is a
        superuser, or owns (or is a member of the owner of) the schema or its audit table: it can
        then disable triggers and rewrite audit rows. None otherwise, and always on SQLite (the
        file's owner can do anything; see README, Security)."""
        if self.is_sqlite:
            return None
        query = sa.text(
            "SELECT r.rolsuper, "
            "pg_has_role(current_user, n.nspowner, 'MEMBER') "
            "OR coalesce(pg_has_role(current_user, c.relowner, 'MEMBER'), false) "
            "FROM pg_roles r, pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'audit_event' "
            "WHERE r.rolname = current_user AND n.nspname = current_schema()")
        with self._read_statement() as session:
            row = session.execute(query).first()
        if row is None:
            return None
        if row[0]:
            return SUPERUSER
        return SCHEMA_OWNER if row[1] else None

    def current_schema(self) -> str:
        """The schema the store's tables are in (PostgreSQL's ``current_schema()``)."""
        with self._read_statement() as session:
            return str(session.scalar(sa.text("SELECT current_schema()")))

    def apply_roles(self, plan: RolePlan) -> None:
        """Run :func:`roles_sql` on this database, in one transaction (all or nothing)."""
        if self.is_sqlite:
            raise ValueError("roles are a PostgreSQL matter: a SQLite file is guarded by its file permissions")
        import psycopg

        sql = roles_sql(plan)
        with database_errors(), self._engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # the script has its own BEGIN/COMMIT
            raw = conn.connection.driver_connection
            assert raw is not None
            try:
                raw.execute(sql)  # several statements, no parameters: psycopg sends them as one query
            except psycopg.Error as exc:
                with contextlib.suppress(psycopg.Error):
                    raw.execute("ROLLBACK")  # the script's transaction, left open by the failed statement
                message = first_line(exc)
                raise StoreError(f"the roles were not set up (nothing was changed): {message}") from None
