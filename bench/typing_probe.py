"""Type 10 characters into the real window's patient search and report the longest event-loop
stall, as JSON on stdout: `python -m bench.typing_probe DB_URL`.

A 2 ms repeating timer ticks on the GUI thread while a clinician-speed typist (one key every
120 ms) types a name prefix; any gap between ticks beyond the timer's own interval is time the GUI
thread was blocked. Searches finishing after the last key are waited for too.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

TEXT = "Testpatien"  # 10 characters; matches the demo's family names, so every search returns rows
TICK_MS = 2
KEY_INTERVAL_MS = 120


def main() -> int:
    app = QApplication(sys.argv[:1])
    from models.store import Actor, Store
    from ui.main_window import MainWindow

    store = Store.open(sys.argv[1])
    window = MainWindow(store, signed_in=Actor.current("Bench Typist"))  # the demo database has no accounts
    window.resize(1366, 740)
    window.show()
    search = window.findChild(QLineEdit, "patient_search")
    assert search is not None, "no patient_search field"
    found: list[int] = []
    window.search_done.connect(found.append)

    ticks: list[float] = []
    ticker = QTimer(interval=TICK_MS)
    ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
    keys = list(TEXT)

    def type_next() -> None:
        if keys:
            QTest.keyClick(search, keys.pop(0), Qt.KeyboardModifier.NoModifier)
            QTimer.singleShot(KEY_INTERVAL_MS, type_next)
        else:
            QTimer.singleShot(1500, app.quit)  # let the last debounced search finish and show

    QTimer.singleShot(300, lambda: (ticker.start(), type_next()))  # after first paint
    app.exec()
    ticker.stop()
    gaps = [(b - a) * 1000.0 - TICK_MS for a, b in zip(ticks, ticks[1:], strict=False)]
    print(json.dumps({"max_stall_ms": max(gaps) if gaps else float("nan"), "ticks": len(ticks),
                      "searches_finished": len(found), "last_result_count": found[-1] if found else None}))
    window.close()
    store.close()
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
