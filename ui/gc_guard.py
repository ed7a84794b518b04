"""Cyclic garbage is collected on the GUI thread only.

Python's collector runs in whichever thread happens to allocate past its threshold; a worker thread
(ui.operations) that collects a cycle holding a Qt object has that object's deletion deferred to
the GUI thread, where it then runs at an arbitrary moment, and deleting a widget tree while a worker
emits a signal can deadlock Qt's object mutexes (seen in the test suite, which makes and drops
hundreds of windows). So automatic collection is turned off and this timer does the same work on
the GUI thread: each generation is collected when its count passes the threshold Python would use,
so the cost per tick is what an ordinary collection costs (the usual recipe for Qt applications).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
# Once the window is built, what exists then (widgets, rule sets, modules: about 100,000 objects)
# lives as long as the program: it is collected once and frozen (gc.freeze), so that later full
# collections on the GUI thread look only at what came after (about 36 ms -> under 1 ms measured).
FREEZE_AFTER_MS = 5_000


class GuiThreadGarbage(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        QTimer.singleShot(FREEZE_AFTER_MS, self.freeze)

    def freeze(self) -> None:
        gc.collect()
        gc.freeze()

    def check(self) -> None:
        first, second, third = gc.get_count()
        if first > self.threshold[0]:
            gc.collect(0)
            if second > self.threshold[1]:
                gc.collect(1)
                if third > self.threshold[2]:
                    gc.collect(2)
