"""A guard against a reference-counting defect of PySide 6.12 on CPython 3.11.

There every call of a Qt method that returns ``None`` or a bool (``QTimer.stop()``, ``setText()``,
``processEvents()``, any ``Signal.emit()``) hands back a reference to ``None``/``True``/``False``
without taking one first, so each call drops one reference to these singletons for good. CPython
3.12 made them immortal, so it does no harm there; on 3.11 a long session (or a test run) drives a
count to zero and the interpreter aborts ("bool_dealloc: deallocating True or False"). Reproduce:
emit a Signal 10,000 times in a loop and watch ``sys.getrefcount(True)`` fall by 10,000.

PySide 6.11.3 does not have the defect, but QtPdf (the preview) ships for 6.12 only as the small
``PySide6_Pdf`` wheel; 6.11 needs the 175 MB ``PySide6_Addons``. So KneeCheck stays on 6.12 and
:func:`guard` measures the loss once at start-up and, when there is one, raises the three
singletons' reference counts by 2**40 (they are statically allocated and never freed, so a count
that never reaches zero changes nothing else). Remove this module when the pin moves past the defect
(the test ``tests/test_pyside_refs.py`` says when it no longer applies).
"""

from __future__ import annotations

import sys

RESERVE = 1 << 40
_guarded: list[bool] = []


def loses_references() -> bool:
    """True if emitting a Qt signal drops a reference to True (the defect above)."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(10):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def guard() -> bool:
    """Raise None's, True's and False's reference counts if this PySide drops them (once).

    Returns True when the reserve was given (now or before)."""
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not loses_references():
        return False
    import ctypes

    for singleton in (None, True, False):
        # CPython < 3.12: ob_refcnt is the first field of every object (Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(singleton)).value += RESERVE
    _guarded.append(True)
    return True
