"""Writing files that hold patient data: owner-only from the first byte, atomic, explicit about
overwriting. The command line, the window and exports all write through :func:`write_private_file`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class FileWriteError(ValueError):
    """The file could not be written; the message names the path and why (never its content)."""


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
            os.link(tmp, target)  # fails if the name appeared meanwhile: never clobbers
    except FileExistsError:
        raise FileWriteError(f"{path} already exists; choose a new file name") from None
    except OSError as exc:
        raise FileWriteError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # after os.link the target keeps the data; after os.replace tmp is gone
