"""Putting a backup back: ``kneecheck restore BACKUP`` (SQLite).

In this order, and nothing changes until the last step:

1. The backup must be a KneeCheck database that verifies. It is copied (SQLite's backup API, owner
   only, ``integrity_check``) next to the database, and the *copy* is opened and checked with
   :meth:`models.store.Store.verify`, the checks ``kneecheck verify`` runs: the backup file itself
   is never written to (an older schema is migrated in the copy only).
2. The restore is audited in the copy (``restored``: from which file, and where the current
   database was kept); the clinician must be an active account there.
3. The current database is kept as a backup beside it (:meth:`Store.backup`, audited in it as
   ``backed_up``; a damaged one, which cannot be copied, is kept by renaming it).
4. The verified copy replaces the database in one ``rename`` (atomic on one file system).

A bad backup raises :class:`BadBackupError` with the database untouched. PostgreSQL is restored
on the server with ``pg_restore``, not here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from models.backup import BackupError, backup_sqlite
from models.database import sqlite_problem
from models.records import Actor, DatabaseDamagedError, DatabaseUnavailableError, StoreError


class BadBackupError(StoreError):
    """The backup is missing, damaged, not KneeCheck's or does not verify; nothing was changed."""


class DatabaseInUseError(DatabaseUnavailableError):
    """Another process has the database open; nothing was changed."""


@dataclass(frozen=True)
class Restored:
    kept: Path | None
    """Where the database that was replaced now is (None: there was none)."""
    revisions: int
    audit_events: int


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def restore_sqlite(backup: Path, target: Path, actor: Actor) -> Restored:
    """Replace the SQLite database ``target`` with the verified ``backup`` (see the module)."""
    from models.store import Store

    if not backup.is_file():
        raise BadBackupError(f"there is no backup file at {backup}")
    if backup.resolve() == target.resolve():
        raise BadBackupError("the backup is the database itself; give another file")
    problem = sqlite_problem(backup)  # read-only; also "not a database" for any other file
    if problem is not None:
        raise BadBackupError(f"{backup} is damaged or not a SQLite database ({problem}); nothing was changed")
    _refuse_foreign(backup)
    copy = target.with_name(f".{target.name}.restoring-{_stamp()}")
    try:
        backup_sqlite(backup, copy)
    except BackupError as exc:
        raise BadBackupError(f"{backup} could not be copied ({exc}); nothing was changed") from None
    try:
        kept = None
        with Store.open(f"sqlite:///{copy}") as restored:
            if restored.migration_backup:  # the copy's own pre-migration copy: not wanted
                with contextlib.suppress(OSError):
                    os.unlink(restored.migration_backup)
            problems = restored.verify()
            if problems:
                shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
                raise BadBackupError(f"{backup} does not verify ({shown}); nothing was changed")
            kept = target.with_name(f"{target.name}.before-restore-{_stamp()}.bak") if target.exists() else None
            detail = f"from {backup.name}" + (f"; the database it replaced kept as {kept.name}" if kept else "")
            restored.record_event("restored", restored.account_actor(actor), detail=detail)
            counts = restored.integrity_counts()
        if kept is not None:
            _keep_current(target, kept, actor)
        os.replace(copy, target)
        _sync_folder(target.parent)
        return Restored(kept=kept, revisions=counts["revisions"], audit_events=counts["audit_events"])
    finally:
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), Path(f"{copy}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _refuse_foreign(backup: Path) -> None:
    """A SQLite file that is not a KneeCheck database (or one from a newer KneeCheck) is refused
    before anything is copied or opened for writing."""
    import sqlite3
    from urllib.parse import quote

    from models import migrate as m

    conn = sqlite3.connect(f"file:{quote(str(backup))}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables or not {"patient", "encounter", "audit_event"} <= tables:
            raise BadBackupError(f"{backup} is not a KneeCheck database; nothing was changed")
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error as exc:
        raise BadBackupError(f"{backup} cannot be read ({exc}); nothing was changed") from None
    finally:
        conn.close()
    if len(rows) != 1:
        raise BadBackupError(f"{backup} is not a KneeCheck database (no single schema version); nothing was changed")
    try:
        m.check_revision(str(rows[0][0]))
    except m.SchemaError as exc:
        raise BadBackupError(f"{backup}: {exc}") from None


def _keep_current(target: Path, kept: Path, actor: Actor) -> None:
    """Keep the database being replaced: a consistent copy (audited in it), or, when it is damaged
    and cannot be copied, the file itself (and its -wal and -shm) under the new name."""
    from models.store import Store

    if Path(f"{target}-wal").exists():
        raise DatabaseInUseError(f"{target} is open in another KneeCheck (its -wal file is there): close KneeCheck on "
                                 "every workstation using it, then restore again; nothing was changed")
    try:
        with Store.open(f"sqlite:///{target}") as current:
            current.backup(str(kept), current.account_actor(actor) if current.has_clinicians() else actor)
    except DatabaseDamagedError:
        os.rename(target, kept)  # the damaged file itself, for an expert; a rename loses nothing
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.rename(f"{target}{suffix}", f"{kept}{suffix}")
        return
    if Path(f"{target}-wal").exists():  # our own connection is closed: someone else has it open
        with contextlib.suppress(OSError):
            kept.unlink()
        raise DatabaseInUseError(f"{target} is open in another KneeCheck: close KneeCheck on every workstation "
                                 "using it, then restore again; nothing was changed")


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
