"""Fixtures for the window tests: a temporary SQLite store, isolated QSettings, the real window.

Each fixture owns what it creates: the window is registered with qtbot (closed and deleted after
the test), the store is closed, QSettings and the log go to the test's temporary folder.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from models.store import Actor, Store
from ui.encounter_editor import ChoiceRow, NumberField
from ui.main_window import MainWindow
from ui.settings import Settings

# The window tests start signed in (sign-in itself is tested in test_ui_sign_in.py). Their stores
# have no accounts, so this name is accepted as it is.
SIGNED_IN = Actor("Dr Ada Example", "tester", "exam-room-1")


@pytest.fixture(name="isolated_settings")
def isolated_settings_fixture(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture(name="db_url")
def db_url_fixture(tmp_path: Path) -> str:
    return "sqlite:///" + str(tmp_path / "kc.db")


@pytest.fixture(name="store")
def store_fixture(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


def make_window(qtbot, store: Store, signed_in: Actor | None = SIGNED_IN) -> MainWindow:  # type: ignore[no-untyped-def]
    """The real window on ``store``, already signed in as ``signed_in`` (None: at the sign-in page)."""
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician="Dr Ada Example"), signed_in=signed_in)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture(name="window")
def window_fixture(qtbot, store: Store, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    # No test may block on a real message box: anything not patched by the test fails loudly.
    def unexpected(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))
    return make_window(qtbot, store)


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
