"""Writing output files that hold patient data: atomic, owner-only, never over a folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from commands import UserError


def write_private_file(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600, or raise :class:`UserError`.

    The bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
    the target: a reader never sees half a PDF and a crash never leaves one behind. The file is
    owner-only from the moment it exists, since a summary names a patient.
    """
    target = Path(path)
    if target.is_dir():
        raise UserError(f"{path}: is a folder; give a file name such as summary.pdf")
    folder = target.parent
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)  # created 0600
    except OSError as exc:
        raise UserError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{path}: cannot be written ({exc.strerror or exc})") from None
