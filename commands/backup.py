"""``backup DEST``: a consistent, owner-only copy of the SQLite database, safe while it is in use."""

from __future__ import annotations

import argparse

from commands import store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "backup",
        help="write a consistent copy of the SQLite database (safe while in use)",
        description="Copy the SQLite database with SQLite's online backup API, while workstations keep working. "
        "DEST must not exist; it is created readable by you only and checked with PRAGMA integrity_check. "
        "A PostgreSQL database is backed up on the server with pg_dump instead.",
    )
    p.add_argument("dest", metavar="DEST", help="the new backup file")
    add_clinician_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.database import refuse_damaged_sqlite
    from models.store import StoreError

    actor = actor_for(args)
    store = open_store(args)
    try:
        # A damaged file is refused (exit 3) before the backup is audited in it or copied.
        refuse_damaged_sqlite(store.sqlite_file)
        store.backup(args.dest, actor)
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout(f"{args.dest}\n")
    return 0
