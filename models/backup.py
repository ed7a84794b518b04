"""A consistent copy of a SQLite database while the app (or another workstation process) uses it.

Uses SQLite's online backup API, which copies committed pages including those still in the -wal
file; copying the database file alone could lose recent commits. The copy is a single owner-only
file (rollback journal, not WAL) and is checked with ``PRAGMA integrity_check`` before it counts.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path


class BackupError(RuntimeError):
    """The backup could not be written; the message says why (no patient data in it)."""


class BackupExistsError(BackupError):
    """The backup's file name is taken; nothing was written."""


def backup_sqlite(source: Path, dest: Path) -> None:
    """Copy the SQLite database ``source`` to the new file ``dest`` (created 0600, never overwritten)."""
    if not source.exists():
        raise BackupError(f"there is no database file at {source}")
    try:
        fd = os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise BackupExistsError(f"{dest} already exists; choose a new file name (backups are never overwritten)") from None
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or exc
        raise BackupError(f"cannot create {dest}: {reason}") from None
    os.close(fd)
    try:
        _copy(source, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            dest.unlink()
        raise


def _copy(source: Path, dest: Path) -> None:
    old_umask = os.umask(0o077)  # any journal SQLite makes beside the copy stays owner-only too
    try:
        src = sqlite3.connect(source, isolation_level=None)
        try:
            src.execute("PRAGMA busy_timeout=10000")
            dst = sqlite3.connect(dest, isolation_level=None)
            try:
                src.backup(dst)  # all pages in one step: one consistent snapshot
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                result = dst.execute("PRAGMA integrity_check").fetchone()
                if result is None or result[0] != "ok":
                    raise BackupError(f"the backup copy failed its integrity check ({result[0] if result else 'no result'})")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_FULL", "SQLITE_IOERR")) and _out_of_space(dest):
            raise BackupError(f"the backup failed: the disk holding {dest} is full ({exc}); no backup was kept") from None
        raise BackupError(f"the backup failed: {exc}") from None
    finally:
        os.umask(old_umask)


def _out_of_space(dest: Path) -> bool:
    """SQLite says "database or disk is full" for a short write but "disk I/O error" for others."""
    try:
        fs = os.statvfs(dest.parent)
    except OSError:
        return False
    return (fs.f_bfree if os.geteuid() == 0 else fs.f_bavail) * fs.f_frsize < 1024 * 1024
