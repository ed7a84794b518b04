"""``restore BACKUP``: put a verified backup in place of the SQLite database, keeping the current one.

The backup must be a KneeCheck database whose revisions and audit chain verify (the checks of
``verify``, run on a copy: the backup file is never written to); the current database is kept as
a backup beside it first; then the copy replaces it in one rename. A bad backup changes nothing
(exit 2). See :mod:`models.restore`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "restore", help="replace the SQLite database with a verified backup, keeping the current one",
        description="Check that BACKUP is a KneeCheck database whose revisions and audit trail verify (as verify "
        "does, on a copy), keep the current database as a backup beside it (DB.before-restore-<UTC>.bak), then put "
        "the backup in its place in one atomic rename. Close KneeCheck on every workstation first. A bad backup "
        "changes nothing (exit 2). SQLite only: restore PostgreSQL on the server with pg_restore.",
    )
    p.add_argument("backup", metavar="BACKUP", help="the backup file (as written by backup)")
    add_clinician_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.database import DatabaseUrlError, resolve_url, sqlite_path
    from models.restore import restore_sqlite
    from models.store import StoreError

    try:
        target = sqlite_path(resolve_url(args.db))
    except DatabaseUrlError as exc:
        raise UserError(str(exc)) from None
    if target is None:
        raise UserError("restore is for a SQLite database; restore PostgreSQL on the server with pg_restore "
                        "(e.g. pg_restore --clean --dbname DBNAME kneecheck.dump), then run verify")
    actor = actor_for(args)
    try:
        done = restore_sqlite(Path(args.backup), target, actor)
    except StoreError as exc:
        raise store_failure(exc) from None
    kept = f"; the database it replaced is kept as {done.kept}" if done.kept else ""
    write_stdout(f"restored {target} from {args.backup} ({done.revisions} revisions and {done.audit_events} audit "
                 f"events verified){kept}\n")
    return 0
