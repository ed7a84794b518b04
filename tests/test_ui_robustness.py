"""The window when things go wrong or get interrupted: another workstation saves first, an
unexpected exception, a crash with a draft open, autosave, and the editor's generated behaviour
(Ottawa items, hip screen call-out, Not assessed vs No), plus every Qt model under qtmodeltester.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from models.case import EncounterInfo, Patient
from models.catalogue import load_catalogue
from models.store import Actor, Store
from tests.ui_helpers import make_window
from ui import messages
from ui.assessment_panel import ContributionsModel
from ui.dialogs import ConflictDialog
from ui.encounter_editor import ChoiceRow, EncounterEditor
from ui.error_hook import ExceptionRelay, setup_logging
from ui.main_window import MainWindow
from ui.settings import open_draft_marker
from ui.tables import EncounterTable, PatientTable

# The window tests run on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Other", "other", "exam-room-2")


def seed(store: Store, family: str = "Petrova") -> tuple[int, int]:
    patient = store.create_patient(Patient("R-100", family, "Анна", dt.date(1975, 3, 4), "female"), ACTOR)
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
    draft = store.create_draft(patient.id, info, {"slr": "positive", "sensory_changes": "yes"}, "", ACTOR)
    return patient.id, draft.id


def click(qtbot, window: MainWindow, item_id: str, value: str | None) -> None:  # type: ignore[no-untyped-def]
    row = window.editor.controls[item_id]
    assert isinstance(row, ChoiceRow)
    position = 0 if value is None else row.item.values.index(value) + 1
    qtbot.mouseClick(row.buttons[position], Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("choice", [ConflictDialog.KEEP_MINE, ConflictDialog.RELOAD_THEIRS, 0])
def test_conflict_shows_both_versions_and_loses_nothing(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                        db_url: str, monkeypatch, choice: int) -> None:
    _, encounter_id = seed(store)
    assert window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    window.autosave_timer.setInterval(60_000)
    click(qtbot, window, "swelling", "effusion")  # our unsaved change

    other = Store.open(db_url)  # a second workstation on the same database saves first
    try:
        theirs = other.load_encounter(encounter_id)
        other.save_draft(encounter_id, theirs.version, theirs.info, {**theirs.findings, "swelling": "trace"},
                         "seen by colleague", ACTOR)
    finally:
        other.close()

    shown: list[list[tuple[str, str, str]]] = []
    monkeypatch.setattr(window, "ask_conflict", lambda rows: shown.append(rows) or choice)
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    stored_ids: list[int] = []
    window.encounter_saved.connect(stored_ids.append)
    window.save()  # returns before the store answers: the conflict comes back from the worker
    assert window.ops.wait_idle()
    saved = encounter_id in stored_ids
    assert shown, "the conflict dialog was not shown"
    rows = {name: (stored, mine) for name, stored, mine in shown[0]}
    assert rows["Swelling"] == ("trace", "effusion")
    assert rows["Notes"] == ("seen by colleague", "")
    stored_now = store.load_encounter(encounter_id)
    if choice == ConflictDialog.KEEP_MINE:
        assert saved and stored_now.findings["swelling"] == "effusion" and stored_now.version == theirs.version + 2
        assert window.editor.findings()["swelling"] == "effusion" and not window.dirty
    elif choice == ConflictDialog.RELOAD_THEIRS:
        assert not saved and window.editor.findings()["swelling"] == "trace"
        assert window.notes.toPlainText() == "seen by colleague" and not window.dirty
    else:  # decide later: theirs stays stored, ours stays in the window, unsaved
        assert not saved and stored_now.findings["swelling"] == "trace"
        assert window.editor.findings()["swelling"] == "effusion" and window.dirty
        assert not window.autosave_timer.isActive()
        monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def test_closing_with_unsaved_changes_asks_first(qtbot, window: MainWindow, store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, encounter_id = seed(store)
    window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    window.autosave_timer.setInterval(60_000)
    click(qtbot, window, "mcmurray", "positive")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answers.pop(0)))
    assert not window.close() and window.isVisible()  # Cancel: stays open, nothing lost
    assert window.editor.findings()["mcmurray"] == "positive"
    assert window.close()  # Save: stored, then closed
    assert store.load_encounter(encounter_id).findings["mcmurray"] == "positive"


def test_autosave_writes_a_few_seconds_after_a_change(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    _, encounter_id = seed(store)
    window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    click(qtbot, window, "joint_line_tenderness", "medial")
    assert window.dirty and window.autosave_timer.isActive()
    qtbot.waitUntil(lambda: store.load_encounter(encounter_id).findings.get("joint_line_tenderness") == "medial",
                    timeout=6000)
    assert not window.dirty


def test_crash_recovery_offers_the_open_draft(qtbot, store: Store, isolated_settings: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _, encounter_id = seed(store)
    first = make_window(qtbot, store)
    first.open_encounter(encounter_id)
    assert first.ops.wait_idle()
    click(qtbot, first, "warmth", "no")
    assert first.save(quiet=True)
    assert first.ops.wait_idle()
    assert open_draft_marker() == encounter_id  # only the id: no patient data in QSettings
    settings_text = "".join(p.read_text(errors="replace") for p in isolated_settings.rglob("*") if p.is_file())
    assert "Petrova" not in settings_text and "R-100" not in settings_text
    first.hide()  # the "crash": no closeEvent, the marker stays

    second = make_window(qtbot, store)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes))
    assert second.recover_draft(open_draft_marker() or 0)
    assert second.ops.wait_idle()
    assert asked and str(encounter_id) in asked[0]
    assert second.record is not None and second.record.id == encounter_id
    assert second.editor.findings()["warmth"] == "no"
    second.close()
    assert open_draft_marker() is None  # a clean close leaves nothing to recover


def test_unexpected_exception_shows_a_dialog_logs_and_keeps_the_window(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                                       tmp_path: Path, monkeypatch) -> None:
    _, encounter_id = seed(store)
    window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    click(qtbot, window, "warmth", "yes")
    before = window.editor.findings()
    log_path = setup_logging(tmp_path / "log")
    relay = ExceptionRelay(log_path)
    relay.unexpected.connect(window.show_unexpected)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: shown.append(a[2])))

    def worker() -> None:  # an exception in a worker thread, passed to the hook as Python would
        try:
            raise ValueError("patient Petrova R-100 broke something")
        except ValueError as exc:
            relay.handle(type(exc), exc, exc.__traceback__)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)  # delivered on the GUI thread
    assert "ValueError" in shown[0] and "Petrova" not in shown[0]
    log_text = log_path.read_text(encoding="utf-8")
    assert "ValueError" in log_text and "Petrova" not in log_text and "R-100" not in log_text
    assert "test_ui_robustness.py" in log_text and "in worker" in log_text  # where, for the developer
    assert window.isVisible() and window.editor.findings() == before and window.dirty
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def test_relay_is_the_excepthook_while_installed(tmp_path: Path) -> None:
    relay = ExceptionRelay(tmp_path / "x.log")
    previous = sys.excepthook
    relay.install()
    try:
        assert sys.excepthook == relay.handle
    finally:
        relay.uninstall()
    assert sys.excepthook is previous


def test_ottawa_items_follow_recent_trauma_and_keep_answers(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.show()
    ottawa = [i for i, c in editor.controls.items() if editor.catalogue.item(i).group]
    assert ottawa and not any(editor.controls[i].isVisible() for i in ottawa)
    trauma = editor.controls["recent_trauma"]
    qtbot.keyClick(trauma, Qt.Key.Key_Y)
    assert all(editor.controls[i].isVisible() for i in ottawa)
    qtbot.keyClick(editor.controls[ottawa[0]], Qt.Key.Key_Y)
    qtbot.keyClick(trauma, Qt.Key.Key_N)
    # Answered Ottawa items stay visible (with a note) rather than vanishing with their answer.
    assert editor.controls[ottawa[0]].isVisible() and editor.findings()[ottawa[0]] == "yes"
    assert "kept" in editor.ottawa_note.text()
    qtbot.keyClick(editor.controls[ottawa[0]], Qt.Key.Key_Delete)
    assert ottawa[0] not in editor.findings()
    assert not editor.controls[ottawa[0]].isVisible()


def test_not_assessed_is_distinct_from_no_and_hip_screen_called_out(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.show()
    with qtbot.waitSignal(editor.findings_changed) as signal:
        qtbot.keyClick(editor.controls["back_pain"], Qt.Key.Key_N)
    assert signal.args == [{"back_pain": "no"}]
    qtbot.keyClick(editor.controls["back_pain"], Qt.Key.Key_0)
    assert editor.findings() == {}
    duration = editor.controls["duration_weeks"]
    assert duration.text() == "Not assessed"
    duration.setValue(0)
    assert editor.findings() == {"duration_weeks": 0}
    for age, shown in ((2, False), (3, True), (12, True), (16, True), (17, False), (40, False)):  # 2027.1: 3-16
        editor.set_age(age)
        assert editor.hip_callout.isVisible() is shown, age
        assert ("Age 3-16" in editor.hip_callout.text()) is shown, age
        assert ("called out" in editor.section_groups["E"].title()) is shown, age


def test_every_control_is_named_and_tab_follows_the_checklist(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    order = editor.answer_order()
    assert order[:4] == [i.id for i in editor.catalogue.key_items]
    red_flags = [i.id for i in editor.catalogue.section_items("F")]
    assert len(red_flags) == 12 and order[-12:] == red_flags
    for item_id in order:
        control = editor.controls[item_id]
        assert control.accessibleName() and control.toolTip() == editor.catalogue.item(item_id).help
        assert editor.labels[item_id].buddy() is control
    controls = set(editor.controls.values())

    def next_tab_stop(widget):  # type: ignore[no-untyped-def]
        candidate = widget.nextInFocusChain()
        while candidate is not widget:
            tabbable = bool(candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) and candidate.isVisibleTo(editor)
            if tabbable and candidate.parent() not in controls:  # skip a spin box's own line edit
                return candidate
            candidate = candidate.nextInFocusChain()
        return None

    visible = [i for i in order if editor.controls[i].isVisibleTo(editor)]  # Ottawa items hidden
    assert len(visible) == len(order) - 4
    for before, after in zip(visible, visible[1:], strict=False):
        assert next_tab_stop(editor.controls[before]) is editor.controls[after], (before, after)


def test_models_pass_qtmodeltester(qtmodeltester, store: Store) -> None:  # type: ignore[no-untyped-def]
    patient_id, encounter_id = seed(store)
    patients = PatientTable()
    patients.set_records(store.find_patients("Pet"))
    qtmodeltester.check(patients)
    encounters = EncounterTable()
    encounters.set_records(store.list_encounters(patient_id))
    qtmodeltester.check(encounters)
    contributions = ContributionsModel(load_catalogue())
    from models.assessment import assess_findings
    contributions.set_contributions(assess_findings(store.load_encounter(encounter_id).findings, 50).contributions)
    assert contributions.rowCount() == 2
    qtmodeltester.check(contributions)
    assert encounters.data(encounters.index(0, 4)) == "Draft"


def test_smoke_test_starts_the_window_and_exits(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", f"sqlite:///{tmp_path / 'kc.db'}",
                             "--smoke-test"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    shown, ready = result.stdout.strip().splitlines()
    assert shown.startswith("window shown in ") and shown.endswith(" s")
    assert ready.startswith("database ready in ") and ready.endswith(" s")
    assert 0 < float(shown.split()[3]) <= float(ready.split()[3])  # the window comes first


def test_print_to_no_printer_is_a_failure_never_audited_as_printed(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                                    monkeypatch) -> None:
    """A real printer gets the PDF/A summary through CUPS (tests/test_ui_printing.py, which prints through a
    private cupsd); a dialog that left no printer chosen is a failure, audited print_failed, never "printed",
    and nothing is submitted."""
    _, encounter_id = seed(store)
    window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    told: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append((message, values)))
    monkeypatch.setattr(window, "ask_printer", lambda printer: True)  # a dialog accepted with no printer
    monkeypatch.setattr("ui.summary_view.printer_file", lambda printer: None)  # not "Print to File" either
    window.print_action.trigger()
    assert window.ops.wait_idle()
    assert told == [(messages.PRINT_FAILED, {"reason": "no printer was chosen."})]
    assert "Sent" not in window.statusBar().currentMessage()
    events = store.audit_events(encounter_id=encounter_id)
    assert [(e["action"], e["detail"]) for e in events if e["action"].startswith("print")] == [
        ("print_failed", "no printer was chosen")]


def test_no_export_without_its_audit_row(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                         tmp_path: Path, monkeypatch) -> None:
    """Patient data leaves only after its audit row is written: a failing audit stops the export."""
    from models.store import StoreError

    _, encounter_id = seed(store)
    window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise StoreError("database error: database is locked")

    told: list[str] = []
    monkeypatch.setattr(store, "record_event", refuse)
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(message.title))
    window.export_summary()
    assert window.ops.wait_idle()
    assert not target.exists()
    assert told == ["Database problem"]


def test_numbers_keep_their_stored_precision_and_take_tenths(qtbot) -> None:  # type: ignore[no-untyped-def]
    """An imported 9/7 weeks (9 days) comes back exactly as stored after opening and saving; tenths can
    be typed; whole numbers stay whole; a value between "not assessed" and 0 is not an answer."""
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.set_findings({"duration_weeks": 9 / 7, "slr": "positive", "slr_angle": 45})
    assert editor.findings()["duration_weeks"] == 9 / 7
    assert editor.findings()["slr_angle"] == 45 and isinstance(editor.findings()["slr_angle"], int)
    duration = editor.controls["duration_weeks"]
    assert duration.text().startswith("1.3")
    duration.setValue(2.5)
    assert editor.findings()["duration_weeks"] == 2.5
    duration.setValue(3)
    assert editor.findings()["duration_weeks"] == 3 and isinstance(editor.findings()["duration_weeks"], int)
    duration.setValue(-0.5)
    assert "duration_weeks" not in editor.findings() and duration.text() == "Not assessed"


@pytest.mark.parametrize("locale_name", ["en_GB", "de_DE", "fr_FR"])
@pytest.mark.parametrize(("typed", "expected"), [("0.5", 0.5), ("0,5", 0.5), ("1.3", 1.3), ("12", 12)])
def test_typed_numbers_read_the_same_in_every_locale(qtbot, locale_name: str, typed: str,  # type: ignore[no-untyped-def]
                                                     expected: float) -> None:
    """A German workstation reading "0.5" weeks as 5 would cross the 1- and 2-week alert lines."""
    from PySide6.QtCore import QLocale

    previous = QLocale()
    QLocale.setDefault(QLocale(locale_name))
    try:
        editor = EncounterEditor()
        qtbot.addWidget(editor)
        duration = editor.controls["duration_weeks"]
        duration.setFocus()
        duration.lineEdit().selectAll()
        qtbot.keyClicks(duration, typed)
        duration.interpretText()
        assert editor.findings()["duration_weeks"] == expected
    finally:
        QLocale.setDefault(previous)
