"""``verify``: check the tamper evidence of a database and report every mismatch.

Runs :meth:`models.store.Store.verify`: each finalized revision's content hash and its link to the
revision it amends, each finalized encounter against its frozen revision, the stored assessments'
hashes, the audit trail's hash chain, and every patient, finalized encounter and clinician account
against the hash its newest audit row pinned (models/pins.py); every patient and encounter the
audit rows name must exist. Then the database's own checks (SQLite ``integrity_check`` and
``foreign_key_check``; PostgreSQL amcheck where installed) and this workstation's witness log of
the chain heads it saw (models/witness.py), and any ``--anchor``. Problems go to stdout one line
each (they name records and rows by id, never patient data) and the exit status is 1; notes
(information, not failures) go to stderr; a clean database prints one line and exits 0.

Reading only (models/integrity.py): SQLite is opened read-only, PostgreSQL in read-only
transactions; nothing is migrated, created or written in the database, not even an audit row, so
a damaged database is not made worse and a read-only copy can be checked. A database that is not
KneeCheck's, or at another schema revision, is said so with exit status 3. After a clean run the
head it saw goes to the witness log (outside the database).

For a SQLite file it also looks at the disk underneath: KneeCheck leaves encryption at rest to the
operating system, so when the kernel shows no disk encryption there, a one-line warning goes to
stderr (it does not change the exit status: the records themselves verified).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from commands import DatabaseProblem, UserError, store_failure, write_stdout

if TYPE_CHECKING:
    from models.store import Store

# A fingerprint is at least this many hex digits of the revision's SHA-256 (the printed one has 16).
FINGERPRINT_MIN_DIGITS = 12


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "verify",
        help="check revision hashes, pinned records, the audit trail and its witnesses; exit 1 on any mismatch",
        description="Check every finalized revision's hash and its link to the revision it amends, every "
        "finalized encounter against its revision, the audit trail's hash chain, every patient, finalized "
        "encounter and clinician account against the hash its audit trail pinned, the database's own "
        "integrity checks, and this workstation's witness log of the audit chain heads it saw. Prints each "
        "problem on its own line (by record or row id) and exits 1, or prints 'all N revisions verified' and "
        "exits 0; exit 3 when the database cannot be read or is not a KneeCheck database at this version's "
        "schema. Writes nothing to the database (it is opened read-only). The success line ends with the "
        "audit trail's anchor (newest event id:hash): note it down outside the database and pass it back "
        "later with --anchor to notice removed or rewritten events.",
    )
    p.add_argument("--anchor", metavar="ID:HASH|FILE", type=_anchor, action="append", default=[],
                   help="an anchor printed by an earlier verify, or a witness log file (another workstation's): "
                   "those audit events must still be there, unchanged (may be given more than once)")
    p.add_argument("--fingerprint", metavar="FP", type=_fingerprint,
                   help="the fingerprint printed on a finalized summary: it must match a stored finalized "
                   "revision (prints which encounter and revision)")
    p.set_defaults(run=run)


def _anchor(text: str) -> tuple[int, str] | Path:
    event, _, digest = text.partition(":")
    if event.isdigit() and len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
        return int(event), digest
    if Path(text).is_file():
        return Path(text)
    raise argparse.ArgumentTypeError("expected ID:HASH as printed by verify (a number, a colon, 64 hex digits), "
                                     "or a witness log file that exists")


def _fingerprint(text: str) -> str:
    digits = "".join(c for c in text.lower() if c not in "- ")
    if len(digits) < FINGERPRINT_MIN_DIGITS or any(c not in "0123456789abcdef" for c in digits):
        raise argparse.ArgumentTypeError(f"expected the fingerprint as printed on the summary (at least "
                                         f"{FINGERPRINT_MIN_DIGITS} hex digits, dashes allowed)")
    return digits


def run(args: argparse.Namespace) -> int:
    from models.database import DatabaseUrlError, resolve_url, sqlite_path
    from models.integrity import SchemaMismatch
    from models.store import Store, StoreError

    try:
        path = sqlite_path(resolve_url(args.db))
    except DatabaseUrlError as exc:
        raise UserError(str(exc)) from None
    if path is not None and not path.exists():
        # Opening would create an empty database that then "verifies": refuse instead.
        raise UserError(f"there is no database file at {path}")
    try:
        store = Store.open_read_only(args.db)
    except SchemaMismatch as exc:
        raise DatabaseProblem(str(exc)) from None
    except StoreError as exc:
        raise store_failure(exc) from None
    from commands._database import warn_about_role

    warn_about_role(store)  # verify reads as the workstations' role: an owner or superuser login is said
    try:
        problems, notes, summary, head, identity = _check(store, args)
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    if path is not None:
        _warn_if_unencrypted(path)
    for note in notes:
        print(f"kneecheck: note: {note}", file=sys.stderr)
    if problems:
        write_stdout("".join(f"{line}\n" for line in problems))
        return 1
    if head is not None and identity is not None:
        from models import witness

        witness.record_head(store.witness_location, identity, head)  # seen, clean: a witness from now on
    write_stdout(summary)
    return 0


def _check(store: Store, args: argparse.Namespace) -> tuple[list[str], list[str], str, tuple[int, str] | None,
                                                             str | None]:
    from models.integrity import is_damage
    from models.store import StoreError

    problems, notes = store.database_checks()
    damage = [line for line in problems if is_damage(line)]
    if damage:  # a damaged database is exit 3, as everywhere (README, exit statuses)
        more = f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""
        raise DatabaseProblem(f"{damage[0]}{more}; nothing was written to it. Restore it from a backup, or have "
                              "it repaired (see README, Reliability)")
    try:
        found, found_notes = store.verify_report()
    except StoreError as exc:
        if not problems and not _damaged(exc):
            raise
        found, found_notes = [f"the records could not be read ({exc})"], []
    problems += found
    notes += found_notes
    counts = store.integrity_counts() if not problems else {}
    head = store.audit_anchor()
    identity = store.audit_identity()
    for anchor in args.anchor:
        if isinstance(anchor, Path):
            problems += _witness_problems(store, identity, anchor, explicit=True)
            continue
        event_id, digest = anchor
        if store.audit_anchor(event_id) != (event_id, digest):
            problems.append(f"audit event {event_id}: missing or changed since the anchor was taken "
                            "(audit events were removed or rewritten)")
    from models import witness

    problems += _witness_problems(store, identity, witness.witness_path(), explicit=False)
    if args.fingerprint is not None:
        matches = store.find_fingerprint(args.fingerprint)
        if not matches:
            problems.append(f"fingerprint {args.fingerprint}: matches no finalized revision in this database")
        elif len(matches) > 1:
            problems.append(f"fingerprint {args.fingerprint}: matches {len(matches)} revisions; give more digits")
    summary = ""
    if not problems:
        anchor_text = f"; anchor {head[0]}:{head[1]}" if head else ""
        summary = (f"all {counts['revisions']} revisions verified ({counts['finalized']} finalized encounters, "
                   f"{counts['audit_events']} audit events in an unbroken chain{anchor_text})\n")
        if args.fingerprint is not None:
            revision_id, encounter_id, full = store.find_fingerprint(args.fingerprint)[0]
            summary += (f"fingerprint {args.fingerprint}: encounter {encounter_id}, revision {revision_id} "
                        f"(SHA-256 {full})\n")
    return problems, notes, summary, head, identity


def _damaged(exc: Exception) -> bool:
    from models.records import DatabaseDamagedError

    return isinstance(exc, DatabaseDamagedError)


def _witness_problems(store: Store, identity: str | None, path: Path, *, explicit: bool) -> list[str]:
    """A witness log against the database: each head it saw of this database must still be there
    with the same hash. The first such difference is reported (and how many more there are)."""
    from models import witness

    if not explicit and not path.exists():
        return []
    try:
        heads, _bad = witness.read_heads(path)
    except OSError as exc:
        if explicit:
            raise UserError(f"--anchor {path}: cannot be read ({exc.strerror or exc})") from None
        print(f"kneecheck: warning: the witness log {path} cannot be read ({exc.strerror or exc})", file=sys.stderr)
        return []
    mine = witness.heads_of(heads, identity, store.witness_location)
    if explicit and heads and not mine:
        return [f"--anchor {path}: none of its {len(heads)} heads are of this database (the database was replaced "
                "or rewritten from its first audit event on, or the file is another database's)"]
    # Each row's hash covers every row before it, so once one witnessed head differs every later one
    # does: the newest tells whether anything was rewritten, a binary search finds the first (a few
    # look-ups however long the log).
    by_row: dict[int, witness.Head] = {}
    for head in sorted(mine, key=lambda h: h.at):
        by_row.setdefault(head.row, head)  # the first time each row was seen
    rows = sorted(by_row)

    def differs(index: int) -> tuple[bool, str | None]:
        head = by_row[rows[index]]
        now = store.audit_hashes([head.row]).get(head.row)
        return now != head.row_hash, now

    if not rows or not differs(len(rows) - 1)[0]:
        return []
    low, high = 0, len(rows) - 1  # rows[high] differs
    while low < high:
        middle = (low + high) // 2
        if differs(middle)[0]:
            high = middle
        else:
            low = middle + 1
    first = by_row[rows[high]]
    now = differs(high)[1]
    later = len(rows) - 1 - high
    source = "the anchor file" if explicit else "this workstation's witness log"
    more = f" ({later} more head(s) in {source} differ)" if later else ""
    return [f"the audit chain was rewritten after {first.at}: row {first.row} had hash {first.row_hash}, "
            f"now {now if now is not None else 'missing'} (seen by {source}){more}"]


def _warn_if_unencrypted(path: Path) -> None:
    from models.at_rest import NONE_FOUND, database_at_rest

    at_rest = database_at_rest(path)
    if at_rest.state == NONE_FOUND:
        print(f"kneecheck: warning: no disk encryption found under the database ({at_rest.detail}); "
              "patient records should sit on an encrypted disk (LUKS, BitLocker, FileVault): see README, Security",
              file=sys.stderr)
