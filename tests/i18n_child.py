"""Run under Xvfb and openbox by tests/test_i18n.py: the real window in the language the locale
variables choose (ui.app's start-up: ui.i18n.chosen_language, then install), opened on every page
and dialog a visit reaches, and every visible text read back.

Usage: python -m tests.i18n_child SQLITE_URL OUT.json

Writes one JSON object: ``texts`` (every visible text: where, the widget's class, the text, and
whether it is shown whole) and ``language`` (the language installed). The caller decides what is
wrong; this child only reads the screen. Pages and dialogs: the first-account sign-in page, the
patient search with the patient found, the checklist (key items, red flags, notes) and the live
panel with an alert, the encounter list, the summary preview, Settings, New patient, Keyboard
shortcuts, About, Amend, a conflict, Go to finding, "Red flags not asked: No" and Finalize's
question, the finalized encounter, and every menu.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from tests.screens_child import open_visit, settle, wait

_TAGS = re.compile(r"<[^>]+>")


def _whole(widget: Any) -> bool:
    """The widget is at least as big as its text needs (a label, button or box title cut off is
    not)."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    seen = widget.visibleRegion().boundingRect()
    if not seen.isEmpty() and seen.width() + 1 < widget.width():
        return False  # cut sideways by a scroll area or pane around it (cut in height is scrolled to)
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.height() + 1 >= widget.heightForWidth(widget.width())
        return widget.width() + 1 >= widget.sizeHint().width() or widget.width() + 1 >= widget.minimumSizeHint().width()
    if isinstance(widget, QAbstractButton):
        return widget.width() + 1 >= widget.minimumSizeHint().width()
    if isinstance(widget, QGroupBox):
        return widget.width() + 1 >= widget.fontMetrics().horizontalAdvance(widget.title()) + 8
    return True


def read(root: Any, where: str) -> list[dict[str, Any]]:
    """Every visible text in ``root`` (a window or a dialog) and its children."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QMenu,
        QMenuBar,
        QStatusBar,
        QTabBar,
        QWidget,
    )

    out: list[dict[str, Any]] = []

    def add(widget: Any, text: str, whole: bool = True, column: int | None = None) -> None:
        text = _TAGS.sub("", text.replace("<br/>", "\n")).replace("&amp;", "&").replace("&nbsp;", " ") if "<" in text else text
        if text.strip():
            out.append({"where": where, "widget": type(widget).__name__, "name": widget.objectName(),
                        "text": text, "whole": whole, "column": column})

    if root.windowTitle():
        add(root, root.windowTitle())
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible() or isinstance(w, QMenu):
            continue
        if w.toolTip():
            add(w, w.toolTip())
        if w.accessibleName():
            add(w, w.accessibleName())
        if w.accessibleDescription():
            add(w, w.accessibleDescription())
        if isinstance(w, QStatusBar):
            add(w, w.currentMessage())
        if isinstance(w, QLabel):
            add(w, w.text(), _whole(w))
        elif isinstance(w, QAbstractButton):
            add(w, w.text(), _whole(w))
        elif isinstance(w, QGroupBox):
            add(w, w.title(), _whole(w))
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w, w.tabText(i), w.tabRect(i).width() + 1 >= w.tabSizeHint(i).width())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, w.itemText(i))
        elif isinstance(w, QLineEdit) and not w.text():
            add(w, w.placeholderText())
        elif isinstance(w, QAbstractSpinBox):
            add(w, w.suffix() if hasattr(w, "suffix") else "")
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            model = w.model()
            for c in range(model.columnCount()):
                add(w, str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for r in range(model.rowCount()):
                    add(w, str(model.data(model.index(r, c)) or ""), column=c)
        elif isinstance(w, QMenuBar):
            for action in w.actions():
                add(w, action.text())
                menu = action.menu()
                if menu is not None:
                    for item in menu.actions():
                        add(menu, item.text())
                        if item.menu() is not None:
                            for sub in item.menu().actions():
                                add(item.menu(), sub.text())
    return out


def with_dialog(open_it: Any, where: str, texts: list[dict[str, Any]]) -> None:
    """Run ``open_it`` (which shows a modal dialog), read the dialog, then close it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[bool] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if len(seen) < 100:
                seen.append(False)
                QTimer.singleShot(50, look)
            return
        settle()
        texts.extend(read(dialog, where))
        seen.append(True)
        dialog.reject() if hasattr(dialog, "reject") else dialog.close()

    QTimer.singleShot(50, look)
    open_it()  # exec() returns once it was read; open() (window-modal, not blocking) right away
    assert wait(lambda: any(seen) or len(seen) >= 100, 10) and any(seen), f"{where}: no dialog opened"


def main(url: str, out_path: str) -> int:

    from PySide6.QtWidgets import QApplication

    from models.store import Store
    from ui.app import application
    from ui.i18n import chosen_language, install
    from ui.main_window import MainWindow
    from ui.settings import Settings

    _app = application()  # kept: the application lives as long as main()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    from ui.settings import load_settings

    language = install(chosen_language(load_settings().language))  # as ui.app.main: Settings, else the locale
    texts: list[dict[str, Any]] = []
    store = Store.open(url)
    settings = Settings(clinic_name="Test Clinic", clinic_address="1 Test Road", default_clinician="Dr Ada Example")

    first = MainWindow(store, settings)  # no account yet: the first-account page
    first.placement.show()
    assert wait(lambda: first.isVisible())
    assert wait(lambda: first.sign_in_page.button.isEnabled(), 15)
    settle()
    texts += read(first, "sign-in page")
    first.close()

    # The visit as tests/screens_child.py opens it (the patient found, a draft of the left knee with
    # FINDINGS answered): the whole window is read, its search side included.
    window = open_visit(url)
    area = window.area
    texts += read(window, "checklist")
    window.save_action.trigger()
    assert window.ops.wait_idle()
    settle()
    texts += read(window, "saved draft")

    with_dialog(window.edit_settings, "Settings", texts)
    with_dialog(window.new_patient, "New patient", texts)
    with_dialog(window.show_shortcuts, "Keyboard shortcuts", texts)
    with_dialog(window.show_about, "About", texts)
    with_dialog(window.go_item, "Go to finding", texts)
    with_dialog(window.red_flags_no, "Red flags not asked: No", texts)
    from ui.dialogs import ConflictDialog

    with_dialog(lambda: ConflictDialog([("Straight leg raise", "Positive", "Negative")], window).exec(),
                "Conflict", texts)

    window.preview_action.trigger()
    # The first summary imports ReportLab, pikepdf and fhirclient (seconds on a slow disk).
    shown = wait(lambda: not window.ops.is_busy() and area.tabs.currentWidget() is area.preview, 90)
    modal = QApplication.activeModalWidget()
    assert shown, (f"no preview: status {window.statusBar().currentMessage()!r}, dialog {modal is not None}, "
                   f"needs save {window.needs_save()}, busy {window.ops.is_busy()}, tab {area.tabs.currentIndex()}, "
                   f"enabled {window.preview_action.isEnabled()}")
    settle()
    texts += read(window, "summary preview")

    from ui import messages
    from ui.asking import AskingWindow

    with_dialog(lambda: AskingWindow.ask_yes(window, messages.CONFIRM_FINALIZE_UNASKED, flags="\u2022 ..."), "Finalize", texts)
    window.ask_yes = lambda *_a, **_k: True  # type: ignore[method-assign]  # its question was read above
    window.finalize_action.trigger()
    assert window.ops.wait_idle()
    assert wait(lambda: window.session.is_final(), 15)
    settle()
    texts += read(window, "finalized encounter")
    with_dialog(window.amend, "Amend", texts)
    with_dialog(window.who_saw_patient, "Who saw this patient", texts)

    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"language": language, "texts": texts}, handle, ensure_ascii=False)
    window.hide()  # the finalized encounter has nothing unsaved; no closing question
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
