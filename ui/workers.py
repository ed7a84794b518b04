"""Run one store call off the GUI thread and deliver its plain-data result back as a signal.

A QRunnable cannot emit signals, so each task carries a small QObject that does. Each task makes
exactly one store call (the store opens and closes its own session inside it) and hands back
frozen dataclasses, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    finished = Signal(object)
    """The call returned; carries its result."""
    failed = Signal(object)
    """The call raised; carries the exception."""


class StoreTask(QRunnable):
    def __init__(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.signals = TaskSignals()
        self._call, self._args, self._kwargs = call, args, kwargs

    def run(self) -> None:
        try:
            result = self._call(*self._args, **self._kwargs)
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_in_pool(pool: QThreadPool, call: Callable[..., Any], *args: Any,
                on_done: Callable[[Any], None], on_error: Callable[[Exception], None]) -> StoreTask:
    task = StoreTask(call, *args)
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    pool.start(task)
    return task
