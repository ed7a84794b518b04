"""Unexpected exceptions: log them, then show a dialog on the GUI thread; the window stays up.

``sys.excepthook`` runs for exceptions raised in slots and in worker threads. It only writes the
log and emits a signal; the queued signal brings the report to the GUI thread, where the main
window shows a dialog. The log holds the exception type and traceback (code locations), never
the exception message, which could quote patient data.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal

from models import APP_NAME

log = logging.getLogger("kneecheck.ui")


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def setup_logging(directory: Path | None = None) -> Path:
    """Log to ``kneecheck.log`` in the user log folder (owner-only); returns the file path."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / "kneecheck.log"
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in log.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        path.chmod(0o600)
    return path


def describe(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Type and code locations only: no exception message, no source lines (a literal in the code
    could be quoted), no local values."""
    frames = "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in traceback.extract_tb(tb))
    return f"{exc_type.__module__}.{exc_type.__qualname__}\n{frames}"


class ExceptionRelay(QObject):
    """Installed as sys.excepthook; re-emits each unexpected exception to the GUI thread."""

    unexpected = Signal(str, str)
    """An unexpected exception: (kind, log file path); connected to the window's dialog."""

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._previous: Callable[..., object] | None = None

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if self._previous is not None and sys.excepthook == self.handle:
            sys.excepthook = self._previous  # type: ignore[assignment]
        self._previous = None

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            if self._previous:
                self._previous(exc_type, exc, tb)
            return
        log.error("unexpected exception: %s", describe(exc_type, tb))
        self.unexpected.emit(exc_type.__name__, str(self.log_path))
