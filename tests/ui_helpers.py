"""Helpers for the window tests (their fixtures are in tests/conftest.py): the signed-in actor,
the real window on a store, answering one item the way a user does."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from typing import Any

from PySide6.QtCore import Qt

from models.store import Actor, Store
from ui.encounter_editor import ChoiceRow, NumberField
from ui.main_window import MainWindow
from ui.settings import Settings

# The window tests start signed in (sign-in itself is tested in test_ui_sign_in.py). Their stores
# have no accounts, so this name is accepted as it is.
SIGNED_IN = Actor("Dr Ada Example", "tester", "exam-room-1")


def make_window(qtbot, store: Store, signed_in: Actor | None = SIGNED_IN) -> MainWindow:  # type: ignore[no-untyped-def]
    """The real window on ``store``, already signed in as ``signed_in`` (None: at the sign-in page)."""
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician="Dr Ada Example"), signed_in=signed_in)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


def answer_item(qtbot, window: MainWindow, item_id: str, value: Any, by_keyboard: bool) -> None:  # type: ignore[no-untyped-def]
    control = window.editor.controls[item_id]
    if isinstance(control, NumberField):
        control.setFocus()
        control.selectAll()
        qtbot.keyClicks(control, str(value))
        control.interpretText()
        return
    assert isinstance(control, ChoiceRow)
    position = control.item.values.index(value) + 1
    if by_keyboard:
        qtbot.keyClick(control, Qt.Key.Key_0 + position)  # digit n picks the n-th answer
    else:
        qtbot.mouseClick(control.buttons[position], Qt.MouseButton.LeftButton)


def start_new_encounter(qtbot, window: MainWindow, patient: Any, knee: str = "left") -> None:  # type: ignore[no-untyped-def]
    """``patient`` opened and a new encounter of ``knee`` started in the real window, its checklist
    built; autosave put off (these tests save, or not, themselves)."""
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    window.knee.setCurrentIndex(window.knee.findData(knee))
    window.autosave_timer.setInterval(60_000)
    qtbot.waitUntil(window.editor_is_built)
