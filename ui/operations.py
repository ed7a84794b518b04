"""Store calls off the GUI thread, and the news of what they changed (after Anki's CollectionOp).

Every call that reaches the database (or hashes a password) runs here: :meth:`OpRunner.run` takes a
callable that receives the :class:`~models.store.Store`, runs it on a worker thread, and delivers its
plain-record result (or its exception) back on the GUI thread, to ``success`` (or ``failure``).
Then, if the op said what it changes, :attr:`OpRunner.changed` carries a :class:`Changes` to every
view, which decides for itself whether to refresh; the op's caller never refreshes other views.

Two worker pools: writes (one thread, so they reach the store in the order they were asked for: a
save before the finalize that follows it) and reads (searches and lists, which may overlap and never
wait behind a slow save). :attr:`OpRunner.busy_changed` drives the busy indicator;
:meth:`OpRunner.wait_idle` lets closing the window (and tests) wait for what is in flight while the
event loop keeps running.

The callable must not touch widgets: it runs on a worker thread. It gets the store and returns
frozen dataclasses, never ORM objects.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from ui.pyside_refs import guard

if TYPE_CHECKING:
    from models.store import Store

guard()  # see ui/pyside_refs.py: PySide 6.12 on Python 3.11 drops references to None, True, False


@dataclasses.dataclass(frozen=True)
class Changes:
    """What an op changed in the store; each view reads the flags it cares about."""

    patients: bool = False
    """Patient rows (created, edited): search results and patient headers may be stale."""
    encounters: bool = False
    """Encounter rows (saved, finalized, amended): encounter lists may be stale."""
    patient_id: int | None = None
    encounter_id: int | None = None
    audit: bool = False

    def touches_patient(self, patient_id: int | None) -> bool:
        return patient_id is not None and (self.patient_id is None or self.patient_id == patient_id)


class _Signals(QObject):
    done = Signal(object)
    """The op id whose outcome is ready in ``OpRunner._outcomes``. Never a bool: PySide 6 miscounted
    the references of a bool emitted from a worker thread (a crash at interpreter exit)."""


class _Task(QRunnable):
    """One op on a worker thread. The worker never drops the last reference to anything the GUI
    thread made: the op's call (whose closure may hold widgets) is also held by the runner's
    ``_Pending``, and the outcome is handed over in the runner's ``outcomes``, both released on the
    GUI thread; the worker lets go of its own references before it says the outcome is ready. (A Qt
    object whose last Python reference goes on a worker thread is deleted later on the GUI thread,
    at whatever Python call comes next; inside an event filter during another widget's destruction
    that deadlocked Qt's object mutexes, and a window test hung for good.)"""

    def __init__(self, op_id: int, call: Callable[[], Any], signals: _Signals,
                 outcomes: dict[int, tuple[bool, object]]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op_id, self._signals, self._outcomes = op_id, signals, outcomes
        self._call: Callable[[], Any] | None = call

    def run(self) -> None:
        call, self._call = self._call, None
        assert call is not None, "a task runs once"
        try:
            outcome: tuple[bool, object] = (True, call())
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            outcome = (False, exc)
        except BaseException as exc:  # SystemExit, KeyboardInterrupt...: never an op left pending forever
            error = RuntimeError(f"the operation stopped: {type(exc).__name__}: {exc}")
            error.__cause__ = exc
            outcome = (False, error)
        del call
        self._outcomes[self._op_id] = outcome  # a dict item set is atomic under the GIL
        del outcome
        self._signals.done.emit(self._op_id)


@dataclasses.dataclass
class _Pending:
    label: str
    call: Callable[[], Any]  # kept here so that the GUI thread, not the worker, lets go of it last
    success: Callable[[Any], object] | None
    failure: Callable[[Exception], object] | None
    changes: Changes | Callable[[Any], Changes | None] | None
    initiator: object


class OpRunner(QObject):
    changed = Signal(object, object)
    """A :class:`Changes` and the op's initiator (a view may ignore news it caused itself)."""
    busy_changed = Signal(object)
    """True when the first op starts, False when the last one has been delivered."""
    idle = Signal()
    """The last op in flight has been delivered."""
    failed_unhandled = Signal(str, object)
    """An op without a ``failure`` callback raised: its label and the exception."""

    def __init__(self, store: Callable[[], Store], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(2)
        self._signals = _Signals(self)  # lives on the GUI thread: its slot runs there (queued)
        self._signals.done.connect(self._delivered)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._outcomes: dict[int, tuple[bool, object]] = {}  # filled by the workers, emptied here

    # --- running ----------------------------------------------------------------------------------

    def run(self, label: str, call: Callable[[Store], Any], *,
            success: Callable[[Any], object] | None = None,
            failure: Callable[[Exception], object] | None = None,
            changes: Changes | Callable[[Any], Changes | None] | None = None,
            read: bool = False, initiator: object = None) -> int:
        """Run ``call(store)`` off the GUI thread; ``success(result)`` or ``failure(exc)`` on it after.

        ``changes`` (a :class:`Changes`, or a function of the result) is announced after ``success``.
        ``read``: a query, run beside other queries, not queued behind the writes. Returns the op's id."""
        store = self._store()  # on the GUI thread: raises StoreError here if the database is not open
        return self.run_plain(label, lambda: call(store), success=success, failure=failure, changes=changes,
                              read=read, initiator=initiator)

    def run_plain(self, label: str, call: Callable[[], Any], *,
                  success: Callable[[Any], object] | None = None,
                  failure: Callable[[Exception], object] | None = None,
                  changes: Changes | Callable[[Any], Changes | None] | None = None,
                  read: bool = False, initiator: object = None) -> int:
        """Like :meth:`run` for a call that needs no store (a network send, a file)."""
        op_id = next(self._ids)
        was_idle = not self._pending
        self._pending[op_id] = _Pending(label, call, success, failure, changes, initiator)
        if was_idle:
            self.busy_changed.emit(True)
        (self._reads if read else self._writes).start(_Task(op_id, call, self._signals, self._outcomes))
        del call
        return op_id

    @Slot(object)
    def _delivered(self, op_id: int) -> None:
        ok, value = self._outcomes.pop(op_id, (False, RuntimeError("the operation left no outcome")))
        pending = self._pending.pop(op_id, None)
        try:
            if pending is None:
                return
            if not ok:
                if not isinstance(value, Exception):
                    value = RuntimeError(f"the operation failed: {value!r}")
                if pending.failure is not None:
                    pending.failure(value)
                else:
                    self.failed_unhandled.emit(pending.label, value)
                return
            try:
                if pending.success is not None:
                    pending.success(value)
            finally:  # stored is stored: the views hear of it even when the success callback raised
                changes = pending.changes(value) if callable(pending.changes) else pending.changes
                if changes is not None:
                    self.changed.emit(changes, pending.initiator)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)
                self.idle.emit()

    # --- state ------------------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return bool(self._pending)

    def in_flight(self) -> list[str]:
        """The labels of the ops not yet delivered, oldest first."""
        return [p.label for p in self._pending.values()]

    def is_running(self, op_id: int) -> bool:
        return op_id in self._pending

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Run the event loop until every op has been delivered (results and callbacks included, and
        ops those callbacks start), or ``timeout_ms`` passed; True when idle.

        One nested QEventLoop, not a processEvents() loop: with PySide 6.12 on Python 3.11 every call
        of a Qt method returning nothing drops a reference to None (and every emit one to True), so a
        polling loop would run the interpreter into freeing None within seconds."""
        if not self._pending:
            return True
        loop = QEventLoop()
        timer = QTimer(singleShot=True, interval=max(0, timeout_ms))
        timer.timeout.connect(loop.quit)
        self.idle.connect(loop.quit)
        timer.start()
        try:
            loop.exec()
        finally:
            self.idle.disconnect(loop.quit)
            timer.stop()
        return not self._pending

    def shut_down(self, timeout_ms: int = 10_000) -> bool:
        """Wait for every op, then for the worker threads themselves."""
        idle = self.wait_idle(timeout_ms)
        self._writes.waitForDone(max(0, timeout_ms))
        self._reads.waitForDone(max(0, timeout_ms))
        return idle
