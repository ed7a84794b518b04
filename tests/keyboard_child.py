"""Run by tests/test_ui_keyboard_window.py under Xvfb and openbox (a real X server and window manager):
the real window, shown as a clinician meets it, driven by Tab alone. Prints one JSON line.

Usage: python -m tests.keyboard_child SQLITE_URL WIDTH HEIGHT MAX_TABS
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys


def main(argv: list[str]) -> int:
    url, width, height, max_tabs = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from models.case import Patient
    from models.store import Actor, Store
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    _app = application()  # kept: the application lives as long as main()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    store = Store.open(url)
    actor = Actor("Dr Ada Example", "tester", "exam-room-1")
    patient = store.create_patient(Patient("K-0001", "Keyboard", "Kim", dt.date(1961, 3, 4), "female"), actor)
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician="Dr Ada Example"), signed_in=actor)
    window.resize(width, height)
    window.show()
    window.activateWindow()
    window.raise_()
    QTest.qWaitForWindowActive(window, 5000)

    def wait(condition, timeout_ms: int = 10_000) -> bool:  # type: ignore[no-untyped-def]
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
    QTest.qWait(100)

    order = window.editor.visible_order()
    start = window.editor.controls[order[0]]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    assert wait(lambda: QApplication.focusWidget() is start, 3000), QApplication.focusWidget()

    def name(widget) -> str:  # type: ignore[no-untyped-def]
        if widget is None:
            return "<none>"
        return widget.objectName() or f"<{type(widget).__name__}:{widget.accessibleName()}>"

    visited: list[str] = [name(start)]
    for _ in range(max_tabs):
        focus = QApplication.focusWidget()
        QTest.keyClick(focus if focus is not None else window, Qt.Key.Key_Tab)
        QTest.qWait(5)
        now = QApplication.focusWidget()
        visited.append(name(now))
        if now is start:
            break
    print(json.dumps({"order": [f"answer_{i}" for i in order], "visited": visited,
                      "active": QApplication.activeWindow() is window}))
    sys.stdout.flush()
    # The unsaved draft is of no interest: leave without the close-time questions.
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
