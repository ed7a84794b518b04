"""``db roles``: the PostgreSQL owner and app roles (README "PostgreSQL roles").

Prints the SQL of :func:`models.privileges.roles_sql` for a DBA to read and run, or with
``--apply`` runs it on ``--db`` (connected as a superuser or the schema's owner). An empty
database is first brought to the current schema by that connection, so one command sets up a
new clinic's server.
"""

from __future__ import annotations

import argparse

from commands import UserError, store_failure, write_stdout


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "db", help="database administration: the PostgreSQL roles",
        description="Database administration for IT.",
    )
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True, parser_class=type(p))
    roles = actions.add_parser(
        "roles", help="print (or --apply) the SQL of the PostgreSQL owner and app roles",
        description="Least privilege on PostgreSQL: OWNER owns the schema and runs migrations; APP, the role every "
        "workstation connects as, may read and insert, update drafts, patients and clinician accounts, and "
        "nothing more (no UPDATE or DELETE of audit rows, revisions or assessments, no DELETE or TRUNCATE, no "
        "DDL, so no DISABLE TRIGGER). Prints the SQL; --apply runs it on --db, connected as a superuser or OWNER. "
        "Run it again after every upgrade. See README 'PostgreSQL roles'.",
    )
    roles.add_argument("--owner", metavar="OWNER", required=True, help="the role that owns the schema (created if missing)")
    roles.add_argument("--app", metavar="APP", required=True, help="the workstations' role (created if missing)")
    roles.add_argument("--schema", metavar="NAME", default=None,
                       help="the schema KneeCheck's tables are in (default: public; with --apply, the "
                       "connection's current schema)")
    roles.add_argument("--apply", action="store_true",
                       help="run the SQL on --db (PostgreSQL, as a superuser or OWNER), in one transaction")
    roles.set_defaults(run=run_roles)


def run_roles(args: argparse.Namespace) -> int:
    from models.roles import RoleNameError, RolePlan, roles_sql

    def plan_for(schema: str) -> RolePlan:
        try:
            return RolePlan(owner=args.owner, app=args.app, schema=schema)
        except RoleNameError as exc:
            raise UserError(str(exc)) from None

    if not args.apply:
        write_stdout(roles_sql(plan_for(args.schema or "public")))
        return 0
    plan_for(args.schema or "public")  # bad names are bad input before anything connects
    return _apply(args, plan_for)


def _apply(args: argparse.Namespace, plan_for) -> int:  # type: ignore[no-untyped-def]
    from models.database import DatabaseUrlError, resolve_url
    from models.privileges import SCHEMA_OWNER, SUPERUSER
    from models.store import Store, StoreError

    try:
        if resolve_url(args.db).get_backend_name() != "postgresql":
            raise UserError("db roles --apply is for PostgreSQL (--db postgresql+psycopg://...); a SQLite file is "
                            "guarded by its file permissions")
    except DatabaseUrlError as exc:
        raise UserError(str(exc)) from None
    try:
        store = Store.open(args.db)
    except StoreError as exc:
        raise store_failure(exc) from None
    try:
        if store.connected_role_risk() not in (SUPERUSER, SCHEMA_OWNER):
            raise UserError("db roles --apply must connect as a superuser or as the owner of the schema; this role "
                            "is neither (print the SQL without --apply and give it to your DBA)")
        plan = plan_for(args.schema or store.current_schema())
        store.apply_roles(plan)
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout(f"schema {plan.schema}: owned by {plan.owner}; {plan.app} may read, insert, and update "
                 "encounter drafts, patients and clinician accounts, nothing more\n")
    return 0
