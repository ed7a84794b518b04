"""Run by tests/test_ui_accessibility.py (through tests/a11y_walk.py) under Xvfb, openbox and a
private AT-SPI bus: the real window, signed in, a patient open and a new encounter open with one item
answered, shown with Qt's AT-SPI bridge on. Prints one JSON line when ready, then keeps the window
up until its stdin closes (the walker reads the accessible tree meanwhile) or ``SECONDS`` pass.

Usage: python -m tests.a11y_child SQLITE_URL SECONDS
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def main(argv: list[str]) -> int:
    url, seconds = argv[0], float(argv[1])
    from PySide6.QtCore import QSocketNotifier, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from models.case import Patient
    from models.store import Actor, Store
    from ui.app import application
    from ui.encounter_editor import ChoiceRow
    from ui.main_window import MainWindow
    from ui.settings import Settings

    application()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    store = Store.open(url)
    actor = Actor("Dr Ada Example", "tester", "exam-room-1")
    patient = store.create_patient(Patient("A-0001", "Access", "Alex", dt.date(1961, 3, 4), "female"), actor)
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician="Dr Ada Example"), signed_in=actor)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)

    def wait(condition, timeout_ms: int = 15_000) -> bool:  # type: ignore[no-untyped-def]
        deadline = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
        while not condition():
            if dt.datetime.now() > deadline:
                return False
            QTest.qWait(20)
        return True

    window.patients_ctl.open(patient)
    assert window.ops.wait_idle()
    assert wait(lambda: window.patient is not None)
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    assert wait(lambda: window.editor.is_built() and window.editor.isVisible())
    # One row answered by keyboard, as a clinician does: its second answer.
    row = next(c for c in window.editor.controls.values() if isinstance(c, ChoiceRow))
    row.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(row, Qt.Key.Key_2)
    assert row.value() == row.item.values[1], row.value()
    QTest.qWait(200)
    rows = {c.accessibleName(): [b.accessibleName() for _, b in sorted(c.buttons.items())]
            for c in window.editor.controls.values() if isinstance(c, ChoiceRow)}
    print(json.dumps({"ready": os.getpid(), "answered_row": row.accessibleName(),
                      "chosen": row.buttons[2].accessibleName(), "rows": rows}))
    sys.stdout.flush()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: QApplication.quit())  # stdin readable: closed by the walker
    QTimer.singleShot(int(seconds * 1000), QApplication.quit)
    QApplication.exec()
    # The unsaved draft is of no interest: leave without the close-time questions.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
