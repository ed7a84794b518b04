"""PySide 6.12 on CPython 3.11 drops a reference to True on every Signal.emit (see ui/pyside_refs.py);
the guard must keep a long session from ever freeing the singletons."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from ui import pyside_refs


class _Emitter(QObject):
    ping = Signal()


def test_guard_keeps_the_singletons_alive_through_a_long_session(qapp: object) -> None:
    applies = pyside_refs.guard()
    if not applies:
        assert not pyside_refs.loses_references()  # the defect is gone: the guard can be removed
        return
    assert sys.getrefcount(True) > pyside_refs.RESERVE // 2
    emitter, label = _Emitter(), QLabel()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(20_000):  # far more than True's ordinary count: would abort without the guard
        emitter.ping.emit()
        label.setText("x")
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert after[0] > pyside_refs.RESERVE // 2 and after[1] > pyside_refs.RESERVE // 2
    assert before[0] - after[0] < 2 * 20_000  # still losing (the defect), but harmless


def test_cyclic_garbage_is_collected_on_the_gui_thread_only(qapp: object, qtbot) -> None:  # type: ignore[no-untyped-def]
    import gc
    import threading
    import weakref

    from ui.gc_guard import GuiThreadGarbage

    was_enabled = gc.isenabled()
    guard = GuiThreadGarbage(interval_ms=10)
    try:
        assert not gc.isenabled()
        freed_on: list[int] = []

        class Node:
            pass

        for _ in range(50):  # cycles, past the first generation's threshold
            a, b = Node(), Node()
            a.other, b.other = b, a  # type: ignore[attr-defined]
            weakref.finalize(a, lambda: freed_on.append(threading.get_ident()))
            del a, b
        kept: list[list[object]] = []

        def allocate_on_a_worker() -> None:  # far past the threshold that would start a collection here
            kept.extend([] for _ in range(5 * gc.get_threshold()[0]))

        worker = threading.Thread(target=allocate_on_a_worker)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(freed_on) == 50, timeout=5000)
        assert set(freed_on) == {threading.get_ident()}
    finally:
        guard.timer.stop()
        if was_enabled:
            gc.enable()
