"""The keyboard's ways through a visit, one at a time, in the real window (offscreen): answering moves
on (a setting), the jumps to the checklist, red flags, notes and any finding, "red flags not asked
yet: No", Return and Down in the search field, and one shortcut per action. The whole visit by keys
alone, under a real window manager, is tests/test_ui_keyboard_window.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from models.case import Patient
from models.store import Store
from tests.ui_helpers import SIGNED_IN, start_new_encounter
from ui import messages
from ui.actions import ACTIONS
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _discard_at_close(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """These drafts are of no interest: pytest-qt closes the window (before the fixtures end) and the
    save question is answered Discard; any other question still fails the test."""
    unsaved = messages.UNSAVED_CHANGES.format()[0]

    def question(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        if title != unsaved:
            raise AssertionError(f"unexpected message box: {title}: {text}")
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))


def open_new(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    patient = store.create_patient(Patient("KB-1", "Keys", "Kai", dt.date(1970, 1, 2), "male"), SIGNED_IN)
    start_new_encounter(qtbot, window, patient)
    window.activateWindow()


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else "<none>"


def test_a_key_that_answers_moves_to_the_next_item_and_arrows_do_not(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    open_new(qtbot, window, store)
    order = window.editor.visible_order()
    window.goto_checklist_action.trigger()
    qtbot.waitUntil(lambda: focused() == f"answer_{order[0]}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)  # sensory changes: no
    qtbot.waitUntil(lambda: focused() == f"answer_{order[1]}")
    assert window.editor.findings()[order[0]] == "no"
    # Right and Left step through the answers and stay on the item.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.wait(50)
    assert focused() == f"answer_{order[1]}"
    # "²" (a key of French keyboards) is no digit of an answer, and breaks nothing.
    qtbot.keyClicks(QApplication.focusWidget(), "\u00b2")
    assert focused() == f"answer_{order[1]}"
    # A first letter answers but stays: a word typed by mistake must not answer item after item.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M)
    qtbot.wait(50)
    assert focused() == f"answer_{order[1]}" and window.editor.findings()[order[1]] == "medial"
    assert "Joint-line tenderness: Medial (Ctrl+Z undoes)" in window.statusBar().currentMessage()
    # Ctrl+Z puts back what the keys did, last first (Right gave "none", then "m" gave medial).
    window.undo_answer_action.trigger()
    assert window.editor.findings()[order[1]] == "none"
    window.undo_answer_action.trigger()
    assert order[1] not in window.editor.findings()
    window.undo_answer_action.trigger()
    assert order[0] not in window.editor.findings()  # the first answer, "2" on sensory changes
    window.undo_answer_action.trigger()
    assert window.statusBar().currentMessage() == "No answer to undo"
    window.editor.focus_item(order[1])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    # A number is confirmed by Return, which moves on too.
    window.editor.focus_item("duration_weeks")
    qtbot.keyClicks(QApplication.focusWidget(), "6")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    after = window.editor.visible_order()[window.editor.visible_order().index("duration_weeks") + 1]
    qtbot.waitUntil(lambda: focused() == f"answer_{after}")
    assert window.editor.findings()["duration_weeks"] == 6


def test_moving_on_is_a_workstation_setting(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    open_new(qtbot, window, store)
    window.settings = dataclasses.replace(window.settings, advance_on_answer=False)
    window.encounter_ui.apply_settings()
    first = window.editor.visible_order()[0]
    window.editor.focus_item(first)
    qtbot.waitUntil(lambda: focused() == f"answer_{first}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    qtbot.wait(50)
    assert focused() == f"answer_{first}" and window.editor.findings()[first] == "yes"


def test_red_flags_not_asked_yet_no_asks_once_and_lists_them(qtbot, window: MainWindow, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    open_new(qtbot, window, store)
    window.editor.controls["rf_cancer_history"].set_value("yes")
    asked: list[dict[str, Any]] = []

    def ask(message: Any, buttons: Any, **values: Any) -> Any:
        asked.append({"message": message, **values})
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(window, "ask", ask)
    window.red_flags_no_action.trigger()  # declined: nothing changes
    flags = [i for i in window.editor.catalogue.red_flags if i.id != "rf_cancer_history"]
    assert all(window.editor.findings().get(i.id) is None for i in flags)
    window.red_flags_no_action.trigger()
    assert len(asked) == 2 and asked[1]["message"] is messages.RED_FLAGS_NO
    listed = asked[1]["flags"].splitlines()
    assert len(listed) == len(flags) == 11 and "History of cancer" not in asked[1]["flags"]
    findings = window.editor.findings()
    assert findings["rf_cancer_history"] == "yes"
    assert all(findings[i.id] == "no" for i in flags)
    assert window.session.dirty  # a change like any other: saved by the next save
    # Nothing left to ask: said, not asked.
    told: list[Any] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(message))
    window.red_flags_no_action.trigger()
    assert told == [messages.ALL_RED_FLAGS_ASKED] and len(asked) == 2


def test_jumps_to_the_checklist_red_flags_notes_and_any_finding(qtbot, window: MainWindow, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    open_new(qtbot, window, store)
    editor = window.editor
    for item in editor.catalogue.key_items:
        editor.controls[item.id].set_value(item.values[0])
    window.goto_checklist_action.trigger()  # the key items are answered: the first item that is not
    first_open = next(i for i in editor.visible_order() if i not in editor.findings())
    qtbot.waitUntil(lambda: focused() == f"answer_{first_open}")
    editor.controls["rf_bladder_bowel"].set_value("no")
    window.goto_red_flags_action.trigger()  # the first red flag not answered
    qtbot.waitUntil(lambda: focused() == "answer_rf_saddle_anaesthesia")
    window.goto_notes_action.trigger()
    qtbot.waitUntil(lambda: focused() == "notes")
    assert window.area.tabs.currentWidget() is window.area.notes
    monkeypatch.setattr(window, "ask_item", lambda: "cancer")
    window.goto_item_action.trigger()
    qtbot.waitUntil(lambda: focused() == "answer_rf_cancer_history")
    assert window.area.tabs.currentWidget() is window.area.checklist_page
    told: list[Any] = []
    monkeypatch.setattr(window, "ask_item", lambda: "no such finding here")
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append((message, values)))
    window.goto_item_action.trigger()
    assert told == [(messages.NO_SUCH_FINDING, {"text": "no such finding here"})]
    assert focused() == "answer_rf_cancer_history"


def test_return_and_down_in_the_search_field_go_to_the_results(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        store.create_patient(Patient(f"SR-{n}", "Searchperson", f"S{n}", dt.date(1960, 1, 1 + n), "female"), SIGNED_IN)
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: focused() == "patient_search")
    qtbot.keyClicks(window.area.search, "Searchperson")
    qtbot.keyClick(window.area.search, Qt.Key.Key_Return)  # before the typing pause ran the search
    qtbot.waitUntil(lambda: focused() == "patient_results")
    assert window.area.patient_view.currentIndex().row() == 0 and window.area.patients.rowCount() == 3
    window.find_action.trigger()
    qtbot.waitUntil(lambda: focused() == "patient_search")
    qtbot.keyClick(window.area.search, Qt.Key.Key_Down)  # the results are of this text: at once
    assert focused() == "patient_results"


def test_every_action_that_needs_one_has_its_own_shortcut() -> None:
    shortcuts = [spec.shortcut for spec in ACTIONS if spec.shortcut]
    assert len(shortcuts) == len(set(shortcuts))
    names = {spec.name for spec in ACTIONS if spec.shortcut}
    for needed in ("finalize", "save", "new_encounter", "find", "goto_checklist", "goto_red_flags", "goto_notes",
                   "goto_item", "red_flags_no", "preview", "print", "export"):
        assert needed in names, needed
    plain = [QKeySequence(s).toString() for s in shortcuts if not s.startswith("std:")]
    assert "" not in plain


def test_the_readme_lists_every_shortcut_of_the_window() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for spec in ACTIONS:
        if spec.shortcut and not spec.shortcut.startswith("std:"):
            assert f"| {spec.shortcut} |" in readme, spec


def mnemonic(text: str) -> str | None:
    import re

    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def test_no_two_alt_keys_of_the_window_are_the_same(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Menus, labels with a buddy, buttons and tabs: one Alt+letter each (Alt+F went to the search
    field's label instead of the File menu)."""
    open_new(qtbot, window, store)
    check_alt_keys(window)


def check_alt_keys(window: MainWindow) -> None:
    """One Alt+letter per menu, buddied label, button and tab of the window; one per item in each
    menu (also run per language, tests/test_i18n.py)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar

    keys: dict[str, list[str]] = {}

    def add(text: str, where: str) -> None:
        letter = mnemonic(text)
        if letter:
            keys.setdefault(letter, []).append(f"{where}: {text}")

    for action in window.menuBar().actions():
        add(action.text(), "menu")
    for label in window.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(window):
            add(label.text(), "label")
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and not button.objectName().startswith("answer_"):
            add(button.text(), "button")
    for bar in window.findChildren(QTabBar):
        for n in range(bar.count()):
            add(bar.tabText(n), "tab")
    clashes = {k: v for k, v in keys.items() if len(v) > 1}
    assert not clashes, clashes
    assert len([a for a in window.menuBar().actions() if mnemonic(a.text())]) == 4  # the menus have theirs
    # Inside each menu too (review finding: "Go to the &notes" and "Red flags not asked yet: &No" made
    # Alt+G, N stop at the first without opening it).
    for top in window.menuBar().actions():
        letters = [mnemonic(a.text()) for a in top.menu().actions() if not a.isSeparator()]
        named = [letter for letter in letters if letter]
        assert len(named) == len(set(named)), (top.text(), [a.text() for a in top.menu().actions()])


def test_a_date_can_be_typed_through_and_tab_leaves_the_field(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Found in a new-user trial: typing 2026-11-26 jumped to the knee at the first "-"."""
    open_new(qtbot, window, store)
    date = window.area.date_edit
    date.setFocus()
    qtbot.waitUntil(lambda: focused() == "encounter_date")
    from PySide6.QtWidgets import QDateTimeEdit

    date.setSelectedSection(QDateTimeEdit.Section.YearSection)  # as a Tab into the field leaves it
    qtbot.keyClicks(date, "2026-11-26")
    assert focused() == "encounter_date"
    date.interpretText()
    assert date.date().toPython() == dt.date(2026, 11, 26)
    qtbot.keyClick(date, Qt.Key.Key_Tab)
    assert focused() == "knee"


def test_go_to_finding_prefers_the_short_names(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Found in a new-user trial: "night" went to Suspicious spinal pain (its full question mentions
    night pain), not to the red flag "Weight loss or night pain"."""
    open_new(qtbot, window, store)
    found = window.editor.find_items("night")
    assert found[0] == "rf_weight_loss_night_pain", found
    assert window.editor.find_items("cancer")[0] == "rf_cancer_history"
    assert window.editor.find_items("sensory")[0] == "sensory_changes"


def test_return_in_an_empty_search_does_not_take_the_focus_later(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    """Review finding: Return in the empty field left a "go to the results" behind, and the next search
    typed took the focus to the table mid-word."""
    store.create_patient(Patient("SE-1", "Doe", "Jane", dt.date(1961, 4, 2), "female"), SIGNED_IN)
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: focused() == "patient_search")
    qtbot.keyClick(window.area.search, Qt.Key.Key_Return)
    assert window.ops.wait_idle()
    qtbot.keyClicks(window.area.search, "Do")
    with qtbot.waitSignal(window.search_done, timeout=3000):
        pass
    qtbot.wait(50)
    assert focused() == "patient_search"
