"""Run by tests/test_ui_help_window.py under Xvfb and openbox (a real X server and window manager):
the real window, signed in: F1 opens the keyboard shortcuts (Escape closes them); in the File menu
(opened from its menu bar entry) O signs out; another clinician signs in on the sign-in page by keys.
Prints one JSON line.

Usage: python -m tests.help_child SQLITE_URL
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

ADA, BEA = "Dr Ada Example", "Dr Bea Second"
PASSWORDS = {ADA: "correct horse 2026", BEA: "battery staple 2026"}


def main(argv: list[str]) -> int:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from models.store import Actor, Store
    from ui.app import application
    from ui.help import ShortcutsDialog
    from ui.main_window import MainWindow
    from ui.settings import Settings

    application()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    store = Store.open(argv[0])
    store.create_clinician(ADA, PASSWORDS[ADA], None)
    ada = Actor(ADA, "tester", "exam-room-1")
    store.create_clinician(BEA, PASSWORDS[BEA], ada)
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road"), signed_in=ada)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    window.raise_()
    QTest.qWaitForWindowActive(window, 5000)

    def wait(condition: Any, timeout_ms: int = 10_000) -> bool:
        deadline = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
        while not condition():
            if dt.datetime.now() > deadline:
                return False
            QTest.qWait(20)
        return True

    def focus() -> Any:
        return QApplication.focusWidget() or window

    result: dict[str, Any] = {"active": wait(window.isActiveWindow, 5000)}
    window.search.setFocus()
    wait(lambda: QApplication.focusWidget() is window.search, 3000)

    # F1: the dialog runs its own event loop, so what it shows is read from inside it.
    def read_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        result["f1_dialog"] = type(dialog).__name__ if dialog is not None else None
        if isinstance(dialog, ShortcutsDialog):
            model = dialog.model
            result["f1_rows"] = {model.item(r, 0).text(): model.item(r, 1).text() for r in range(model.rowCount())}
            result["f1_visible"] = dialog.isVisible()
            QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
        elif dialog is not None:
            dialog.close()

    QTimer.singleShot(500, read_dialog)
    QTest.keyClick(focus(), Qt.Key.Key_F1)
    result["after_f1_modal"] = QApplication.activeModalWidget() is not None
    result["active_again"] = wait(window.isActiveWindow, 3000)  # the window manager gives the focus back
    if not result["active_again"]:
        window.activateWindow()
        wait(window.isActiveWindow, 3000)

    # The File menu, opened from its menu bar entry; O (Sign out's mnemonic) chooses the item.
    bar = window.menuBar()
    bar.setActiveAction(next(a for a in bar.actions() if a.text() == "&File"))
    result["file_menu"] = wait(lambda: QApplication.activePopupWidget() is not None, 3000)
    popup = QApplication.activePopupWidget()
    if popup is not None:
        QTest.keyClick(popup, Qt.Key.Key_O)
    assert window.ops.wait_idle()
    result["signed_out"] = wait(lambda: window.signed_in_actor() is None and window.sign_in_page.isVisible(), 5000)
    result["focus_after_sign_out"] = focus().objectName()

    # Another clinician signs in by keys alone.
    QTest.keyClicks(window.sign_in_page.name, BEA)
    QTest.keyClick(window.sign_in_page.name, Qt.Key.Key_Tab)
    QTest.keyClicks(focus(), PASSWORDS[BEA])
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    wait(lambda: window.ops.wait_idle(100) and window.signed_in_actor() is not None, 10_000)
    actor = window.signed_in_actor()
    result["signed_in"] = actor.clinician if actor is not None else None
    result["audit"] = [(e["action"], e["clinician"]) for e in store.audit_events()][-2:]
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
