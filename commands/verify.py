"""``verify``: check the tamper evidence of a database and report every mismatch.

Runs :meth:`models.store.Store.verify`: each finalized revision's content hash and its link to the
revision it amends, each finalized encounter against its frozen revision, the stored assessments'
hashes and the audit trail's hash chain. Problems go to stdout one line each (they name encounters
and rows by id, never patient data) and the exit status is 1; a clean database prints one line and
exits 0. Reading only: nothing is written, not even an audit row, so a damaged database is not
made worse and a read-only copy can be checked.

For a SQLite file it also looks at the disk underneath: KneeCheck leaves encryption at rest to the
operating system, so when the kernel shows no disk encryption there, a one-line warning goes to
stderr (it does not change the exit status: the records themselves verified).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands import UserError, store_failure, write_stdout
from commands._database import open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "verify",
        help="check revision hashes, the amendment chain and the audit trail; exit 1 on any mismatch",
        description="Check every finalized revision's hash and its link to the revision it amends, every "
        "finalized encounter against its revision, and the audit trail's hash chain. Prints each problem on "
        "its own line (by encounter or row id) and exits 1, or prints 'all N revisions verified' and exits 0. "
        "Writes nothing. The success line ends with the audit trail's anchor (newest event id:hash): note it "
        "down outside the database and pass it back later with --anchor to notice removed recent events.",
    )
    p.add_argument("--anchor", metavar="ID:HASH", type=_anchor,
                   help="an anchor printed by an earlier verify: that audit event must still be there, unchanged")
    p.set_defaults(run=run)


def _anchor(text: str) -> tuple[int, str]:
    event, _, digest = text.partition(":")
    if not (event.isdigit() and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
        raise argparse.ArgumentTypeError("expected ID:HASH as printed by verify (a number, a colon, 64 hex digits)")
    return int(event), digest


def run(args: argparse.Namespace) -> int:
    from models.database import DatabaseUrlError, resolve_url, sqlite_path
    from models.store import StoreError

    try:
        path = sqlite_path(resolve_url(args.db))
    except DatabaseUrlError as exc:
        raise UserError(str(exc)) from None
    if path is not None and not path.exists():
        # Opening would create an empty database that then "verifies": refuse instead.
        raise UserError(f"there is no database file at {path}")
    store = open_store(args)
    try:
        problems = store.verify()
        counts = store.integrity_counts()
        head = store.audit_anchor()
        if args.anchor is not None:
            event_id, digest = args.anchor
            if store.audit_anchor(event_id) != (event_id, digest):
                problems.append(f"audit event {event_id}: missing or changed since the anchor was taken "
                                "(audit events were removed or rewritten)")
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    if path is not None:
        _warn_if_unencrypted(path)
    if problems:
        write_stdout("".join(f"{line}\n" for line in problems))
        return 1
    anchor = f"; anchor {head[0]}:{head[1]}" if head else ""
    write_stdout(f"all {counts['revisions']} revisions verified ({counts['finalized']} finalized encounters, "
                 f"{counts['audit_events']} audit events in an unbroken chain{anchor})\n")
    return 0


def _warn_if_unencrypted(path: Path) -> None:
    from models.at_rest import NONE_FOUND, database_at_rest

    at_rest = database_at_rest(path)
    if at_rest.state == NONE_FOUND:
        print(f"kneecheck: warning: no disk encryption found under the database ({at_rest.detail}); "
              "patient records should sit on an encrypted disk (LUKS, BitLocker, FileVault): see README, Security",
              file=sys.stderr)
