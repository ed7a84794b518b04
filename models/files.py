"""Writing files that hold patient data: owner-only from the first byte, atomic, explicit about
overwriting. The command line, the window and exports all write through :func:`write_private_file`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class FileWriteError(ValueError):
    """The file could not be written; the message names the path and why (never its content)."""


class NotARegularFileError(OSError):
    """A path given as an input file names a FIFO, a device, a socket or a folder: never read."""


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of the regular file at ``path`` (one more than allowed, so a
    caller can tell a file that is too large).

    Opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor before a byte is
    read: a FIFO, device or socket is refused with :class:`NotARegularFileError` (opening a FIFO
    without O_NONBLOCK waits for a writer forever, reading ``/dev/zero`` never ends, a tape or
    terminal may change state), and checking the descriptor rather than the name leaves no gap
    for the file to be swapped in between. Other failures raise the usual OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder")
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise NotARegularFileError(errno.EINVAL, f"is {kind}, not a regular file; it was not read")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            return fh.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def folder_problem(folder: Path, what: str) -> str | None:
    """Why KneeCheck cannot keep files in ``folder`` (created 0700 if missing), or None.

    Tried for real (a nameless temporary file, gone when closed), not with ``os.access``: root
    passes every permission check, and only a write tells a read-only mount or a full disk."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
        return f"the {what} {folder} cannot be written ({reason})"
    return None


def write_private_file(path: str | Path, data: bytes, *, overwrite: bool) -> None:
    """Write ``data`` to ``path`` with mode 0600.

    The bytes go to a temporary file in the same folder (0600 from creation), are flushed to disk,
    and only then appear under the target name, so a reader never sees half a file and a crash never
    leaves one. With ``overwrite=False`` an existing file is refused, checked atomically by the link.
    """
    with _private_file(path, overwrite=overwrite) as fh:
        fh.write(data)


@contextlib.contextmanager
def new_private_file(path: str | Path) -> Iterator[BinaryIO]:
    """A new file at ``path``, mode 0600, written as a stream: the caller writes to the handle
    yielded; the bytes go to a temporary file in the same folder and appear under ``path`` only when
    the block ends without an error (flushed to disk first). On any error, or if ``path`` appeared
    meanwhile, nothing is left behind and the target is never touched."""
    with _private_file(path, overwrite=False) as fh:
        yield fh


@contextlib.contextmanager
def _private_file(path: str | Path, *, overwrite: bool) -> Iterator[BinaryIO]:
    target = Path(path)
    if target.is_dir():
        raise FileWriteError(f"{path}: is a folder; give a file name such as summary.pdf")
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"{path}: the folder {folder} does not exist")
    if not overwrite and target.exists():
        raise FileWriteError(f"{path} already exists; choose a new file name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileWriteError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            _publish_new(tmp, target)
    except FileExistsError:
        raise FileWriteError(f"{path} already exists; choose a new file name") from None
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise FileWriteError(f"{path}: cannot be written ({reason}); nothing was written there") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # after os.link the target keeps the data; after os.replace tmp is gone


def _publish_new(tmp: str, target: Path) -> None:
    """Give the finished temporary file its name, never over an existing file: a hard link (atomic:
    it fails if the name appeared meanwhile). Where the file system has no hard links (FAT or exFAT
    USB sticks, some network shares), the name is created exclusively (O_EXCL) and the bytes copied
    into it, then flushed: still never a clobber, though a crash mid-copy can leave a short file."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK):
            raise
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, open(tmp, "rb") as source:
            while chunk := source.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
