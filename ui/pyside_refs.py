"""A guard against a reference-counting defect of PySide 6.12 on CPython 3.11.

There every call of a Qt method that returns ``None`` or a bool (``QTimer.stop()``, ``setText()``,
``processEvents()``, any ``Signal.emit()``) gives the caller a reference to ``None``/``True``/``False``
without taking one first, so each call drops one reference to these singletons for good. CPython
3.12 made them immortal, so it does no harm there; on 3.11 a long session (or a test run with many
store ops) drives a count to zero and the interpreter aborts ("bool_dealloc: deallocating True or
False"), most often at exit. :func:`guard` measures the loss once and, when there is one, gives each
singleton a reserve of references held by a list that is never freed. Nothing else changes.
"""

from __future__ import annotations

import sys

_reserve: list[object] = []


def _loses_references() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(10):
        probe.ping.emit()
        probe.blockSignals(False)
    after = sys.getrefcount(True), sys.getrefcount(None)
    return after < before


def guard() -> None:
    """Give None, True and False a reserve of references if this PySide drops them (once)."""
    if _reserve or sys.version_info >= (3, 12) or not _loses_references():
        return
    import ctypes

    for singleton in (None, True, False):
        # One reference from a list costs 8 bytes; 1M per singleton is 24 MB and lasts for about
        # a million lost calls. The lists themselves are given an extra reference so that they are
        # never freed, not even at interpreter exit (when freeing them would give the loss back).
        keep = [singleton] * 1_000_000
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(keep))
        _reserve.append(keep)
