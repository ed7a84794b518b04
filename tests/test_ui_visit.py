"""A clinician's whole visit, driven through the real window with keyboard and mouse.

Find or create the patient, answer an example case's items, watch the live panel reach the case's
expected direction and alerts, save, finalize (read-only), amend with a reason, export the PDF and
read it back. Message boxes and dialogs are patched at their static methods / exec wrappers.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from models.catalogue import load_catalogue
from tests.helpers import load_example
from tests.ui_helpers import answer_item
from ui.encounter_editor import ChoiceRow
from ui.main_window import MainWindow

# The window tests run on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

CATALOGUE = load_catalogue()


def fill_patient_dialog(qtbot, values: dict[str, str], accept_result: list[bool]):  # type: ignore[no-untyped-def]
    """An ask_patient replacement that types ``values`` into the real dialog and presses OK."""
    def ask(dialog) -> bool:  # type: ignore[no-untyped-def]
        for name, text in values.items():
            widget = dialog.fields[name]
            if name == "sex":
                widget.setCurrentIndex(widget.findData(text))
            else:
                widget.clear()
                qtbot.keyClicks(widget, text)
        dialog.try_accept()
        accepted = dialog.result_patient is not None
        accept_result.append(accepted)
        return accepted
    return ask


def test_whole_visit(qtbot, window: MainWindow, store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    case, expected = load_example("cauda_equina")
    patient = case["patient"]

    # Find the patient: nobody yet, so create one through the validated dialog.
    qtbot.keyClicks(window.search, patient["family_name"])
    with qtbot.waitSignal(window.search_done, timeout=3000):
        pass
    assert window.patients.rowCount() == 0
    accepted: list[bool] = []
    monkeypatch.setattr(window, "ask_patient", fill_patient_dialog(qtbot, patient, accepted))
    qtbot.mouseClick(window.new_patient_button, Qt.MouseButton.LeftButton)
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert accepted == [True]
    assert window.patient is not None and window.patient.mrn == patient["mrn"]

    # Searching again finds the stored patient; clicking the row opens it.
    window.search.clear()
    qtbot.keyClicks(window.search, patient["mrn"][:3])
    qtbot.waitUntil(lambda: window.patients.rowCount() == 1, timeout=3000)
    rect = window.patient_view.visualRect(window.patients.index(0, 0))
    qtbot.mouseClick(window.patient_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert window.patient.family_name == patient["family_name"]

    # A new encounter: header by keyboard, then every finding of the case.
    window.new_encounter_action.trigger()
    encounter_date = dt.date.fromisoformat(case["encounter"]["date"])
    window.date_edit.setDate(QDate(encounter_date.year, encounter_date.month, encounter_date.day))
    window.knee.setFocus()
    window.knee.setCurrentIndex(window.knee.findData(case["encounter"]["knee"]))
    assert window.clinician.text() == "Dr Ada Example"
    window.autosave_timer.setInterval(60_000)  # this test saves explicitly
    for n, (item_id, value) in enumerate(case["findings"].items()):
        answer_item(qtbot, window, item_id, value, by_keyboard=n % 2 == 0)
    assert window.editor.findings() == case["findings"]

    # The live panel shows the expected direction, urgency, scores, alerts and levels.
    assessment = window.panel.assessment
    assert assessment is not None
    assert assessment.direction == expected["direction"]
    assert assessment.urgency == expected["urgency"]
    assert assessment.scores == expected["scores"]
    assert sorted(window.panel.alert_ids()) == expected["alerts"]
    assert list(assessment.levels) == expected["levels"]
    assert window.panel.direction_label.text() == CATALOGUE.direction_labels[expected["direction"]]
    banner = [w.accessibleDescription() for w in window.panel.alert_rows]
    assert all(text.startswith("EMERGENCY:") for text in banner)  # tier in words, not colour alone
    assert window.panel.contributions.rowCount() == len(assessment.contributions) > 0

    # Save with Ctrl+S (the action's shortcut), then check what was stored.
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    window.save_action.trigger()
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert window.record is not None and not window.dirty
    stored = store.load_encounter(window.record.id)
    assert stored.findings == case["findings"]
    assert stored.info.knee == case["encounter"]["knee"] and stored.info.date == encounter_date
    assert stored.assessment["direction"] == expected["direction"]
    assert window.encounters.rowCount() == 1

    # Finalize after confirming: the editor becomes read-only.
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.Yes))
    window.finalize_action.trigger()
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert asked == ["Finalize encounter"]
    assert store.load_encounter(stored.id).status == "final"
    assert window.editor.is_read_only() and window.notes.isReadOnly()
    row = window.editor.controls["back_pain"]
    assert isinstance(row, ChoiceRow)
    qtbot.mouseClick(row.buttons[2], Qt.MouseButton.LeftButton)  # "No": must not take
    qtbot.keyClick(row, Qt.Key.Key_N)
    assert window.editor.findings() == case["findings"]
    assert not window.save_action.isEnabled() and "FINAL" in window.status_label.text()

    # Amend with a required reason: a new draft pointing at the original, which is kept.
    monkeypatch.setattr(window, "ask_amend_reason", lambda: "Bladder symptom history corrected")
    window.amend_action.trigger()
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert window.record is not None and window.record.id != stored.id
    assert window.record.amends_id == stored.id and window.record.status == "draft"
    assert window.record.amend_reason == "Bladder symptom history corrected"
    assert not window.editor.is_read_only()
    assert store.load_encounter(stored.id).status == "final"
    assert window.encounters.rowCount() == 2

    # Export the summary of the amendment through the (patched) file dialog; read the PDF back.
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    window.export_action.trigger()
    assert window.ops.wait_idle()  # the store call runs off the GUI thread
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = "\n".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert patient["family_name"] in text and patient["mrn"] in text
    assert "Bladder symptom history corrected" in text
    assert "cauda equina" in text.lower()
    actions = [e["action"] for e in store.audit_events(encounter_id=window.record.id)]
    assert "exported" in actions


def test_invalid_patient_is_highlighted_and_nothing_stored(qtbot, window: MainWindow, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[list[str], str]] = []

    def ask(dialog) -> bool:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.mrn, "Z-1")
        qtbot.keyClicks(dialog.family_name, "Future")
        qtbot.keyClicks(dialog.birth_date, (dt.date.today() + dt.timedelta(days=30)).isoformat())
        dialog.try_accept()
        seen.append((dialog.invalid_fields(), dialog.error.text()))
        return False  # the clinician cancels after reading the message

    monkeypatch.setattr(window, "ask_patient", ask)
    window.new_patient_action.trigger()
    assert seen and seen[0][0] == ["birth_date"]
    assert "in the future" in seen[0][1] and seen[0][1].startswith("Birth date")
    assert store.find_patients("Z-1") == [] and store.find_patients("Future") == []
    assert window.patient is None


@pytest.mark.parametrize("raw, field", [
    ({"mrn": "", "family_name": "Doe", "birth_date": "1960-01-01"}, "mrn"),
    ({"mrn": "A-1", "family_name": "", "birth_date": "1960-01-01"}, "family_name"),
    ({"mrn": "A-1", "family_name": "Doe", "birth_date": "1960-02-30"}, "birth_date"),
    ({"mrn": "A-1", "family_name": "Doe", "birth_date": "1800-01-01"}, "birth_date"),
])
def test_patient_dialog_names_the_bad_field(qtbot, raw: dict[str, str], field: str) -> None:  # type: ignore[no-untyped-def]
    from ui.patient_dialog import PatientDialog

    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    for name, text in raw.items():
        qtbot.keyClicks(dialog.fields[name], text)
    dialog.try_accept()
    assert dialog.result_patient is None and dialog.invalid_fields() == [field]
    assert dialog.fields[field].styleSheet() and dialog.labels[field].text().startswith("!")
