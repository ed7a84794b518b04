"""The real window with the store off the GUI thread, on SQLite and PostgreSQL (no engines marker:
these run on both): a rename reaches the open encounter's printed summary; two workstations editing
one patient meet a conflict dialog, never last-write-wins; a store call that stalls leaves the window
responsive and loses no entry; closing during a save waits for it and the save is stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer

from models.case import EncounterInfo, Patient
from models.records import EncounterRecord, PatientRecord
from models.store import Actor, Store
from tests.ui_helpers import answer_item
from ui.dialogs import ConflictDialog
from ui.main_window import MainWindow
from ui.settings import open_draft_marker

OTHER = Actor("Dr Other", "other", "exam-room-2")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")


def seed(store: Store) -> tuple[PatientRecord, EncounterRecord]:
    patient = store.create_patient(Patient("CC-1", "Oldname", "Robin", dt.date(1971, 5, 6), "female"), OTHER)
    draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "", OTHER)
    return patient, draft


def open_draft(window: MainWindow, patient: PatientRecord, draft: EncounterRecord) -> None:
    window.open_patient(patient)
    assert window.ops.wait_idle()
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    assert window.record is not None and window.record.id == draft.id
    window.autosave_timer.setInterval(60_000)  # these tests save when they say so


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def rename_in_dialog(family: str):  # type: ignore[no-untyped-def]
    """An ``ask_patient`` that types a new family name into the real patient dialog and accepts it."""
    def fill(dialog: Any) -> bool:
        dialog.family_name.setText(family)
        dialog.try_accept()
        return dialog.result_patient is not None
    return fill


# --- the rename-then-print defect ------------------------------------------------------------------

def test_a_renamed_patient_prints_with_the_new_name_on_the_open_encounter(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    patient, draft = seed(store)
    open_draft(window, patient, draft)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)  # unsaved entries, kept through the edit

    monkeypatch.setattr(window, "ask_patient", rename_in_dialog("Newname"))
    window.edit_patient()
    assert window.ops.wait_idle()
    assert store.get_patient(patient.id).family_name == "Newname"
    assert window.patient is not None and window.patient.family_name == "Newname"
    assert window.record is not None and window.record.patient.family_name == "Newname"
    assert "Newname" in window.patient_header.text()
    assert window.editor.findings()["swelling"] == "effusion" and window.dirty  # nothing typed was lost

    window.preview_action.trigger()  # saves the entries first, then makes the summary
    assert window.ops.wait_idle()
    shown = pdf_text(window.preview.pdf_bytes)
    assert "Newname" in shown and "Oldname" not in shown

    target = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    window.print_summary()
    assert window.ops.wait_idle()
    printed = pdf_text(target.read_bytes())
    assert "Newname" in printed and "Oldname" not in printed, "the open encounter printed the old name"
    stored = store.load_encounter(draft.id)
    assert stored.findings["swelling"] == "effusion" and stored.patient.family_name == "Newname"


# --- two workstations edit one patient ---------------------------------------------------------------

@pytest.mark.parametrize("choice", [ConflictDialog.KEEP_MINE, ConflictDialog.RELOAD_THEIRS, 0])
def test_a_concurrent_patient_edit_shows_both_versions_never_last_write_wins(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch, choice: int) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)

    other = Store.open(db_url)  # the second workstation changes the patient first
    try:
        theirs = other.update_patient(patient.id, dataclasses.replace(patient.to_patient(), given_name="Robyn"),
                                      OTHER, expected_version=patient.version)
    finally:
        other.close()
    assert theirs.version == patient.version + 1

    shown: list[tuple[list[tuple[str, str, str]], str]] = []
    monkeypatch.setattr(window, "ask_conflict", lambda rows, what="encounter": shown.append((rows, what)) or choice)
    asked: list[str] = []

    def ask_patient(dialog: Any) -> bool:
        asked.append(dialog.family_name.text())
        if len(asked) > 1:  # "decide later" shows the dialog again with mine in it: cancel it
            return False
        return bool(rename_in_dialog("Mine")(dialog))

    monkeypatch.setattr(window, "ask_patient", ask_patient)
    window.edit_patient()  # based on the version the window read: the store refuses it
    assert window.ops.wait_idle()

    assert shown, "no conflict dialog: the edit was written over the other workstation's"
    rows, what = shown[0]
    assert what == "patient"
    differing = {stored: mine for _name, stored, mine in rows}
    assert differing.get("Oldname") == "Mine" and differing.get("Robyn") == "Robin"
    now = store.get_patient(patient.id)
    if choice == ConflictDialog.KEEP_MINE:  # mine, as a new version on top of theirs
        assert (now.family_name, now.given_name, now.version) == ("Mine", "Robin", theirs.version + 1)
    else:  # theirs stays stored; the window shows theirs
        assert (now.family_name, now.given_name, now.version) == ("Oldname", "Robyn", theirs.version)
    assert window.patient == now and window.record is not None and window.record.patient == now
    assert asked == (["Oldname", "Mine"] if choice == 0 else ["Oldname"])  # decide later: mine come back


# --- a store call that stalls ------------------------------------------------------------------------

class Stall:
    """Blocks one store method on a worker thread until released."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
        self.release, self.entered = threading.Event(), threading.Event()
        self.calls: list[str] = []
        real = getattr(store, method)

        def stalled(*args: Any, **kwargs: Any) -> Any:
            assert threading.current_thread() is not threading.main_thread(), "a store call on the GUI thread"
            self.calls.append("entered")
            self.entered.set()
            assert self.release.wait(30), "never released"
            result = real(*args, **kwargs)
            self.calls.append("stored")
            return result

        monkeypatch.setattr(store, method, stalled)


def test_a_stalled_save_leaves_the_window_responsive_and_loses_no_entry(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    stall = Stall(store, monkeypatch, "save_draft")
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    assert window.save()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)

    ticks: list[int] = []
    heartbeat = QTimer(window, interval=20)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start()
    qtbot.wait(400)  # the store is stuck; the event loop is not
    assert len(ticks) >= 5, f"the GUI thread was blocked: {len(ticks)} ticks in 400 ms"
    assert window.is_busy() and window.busy_label.isVisible()
    assert "saving" in window.status_label.text()

    # Typed while the save hangs: each answer lands in the editor at once.
    answer_item(qtbot, window, "mcmurray", "positive", by_keyboard=True)
    answer_item(qtbot, window, "warmth", "yes", by_keyboard=False)
    qtbot.keyClicks(window.notes, "typed during the stall")
    shown = window.editor.findings()
    assert (shown["swelling"], shown["mcmurray"], shown["warmth"]) == ("effusion", "positive", "yes")
    assert window.dirty  # the save in flight took the editor as it was; these come after it
    window.save()  # asked again meanwhile: queued, taken from the editor when the first one lands
    heartbeat.stop()

    stall.release.set()
    assert window.ops.wait_idle()
    assert stall.calls == ["entered", "stored", "entered", "stored"]
    assert not window.dirty and not window.is_busy() and not window.busy_label.isVisible()
    stored = store.load_encounter(draft.id)
    assert stored.version == draft.version + 2
    assert (stored.findings["swelling"], stored.findings["mcmurray"], stored.findings["warmth"]) == \
        ("effusion", "positive", "yes")
    assert stored.notes == "typed during the stall"


def test_closing_during_a_save_waits_for_it_and_the_save_is_stored(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    assert open_draft_marker() == draft.id
    stall = Stall(store, monkeypatch, "save_draft")
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    assert window.save()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)

    QTimer.singleShot(300, stall.release.set)  # the server answers a while after Quit
    assert window.close(), "the window refused to close after the save landed"
    assert stall.calls == ["entered", "stored"], "the window closed before its save was stored"
    assert store.load_encounter(draft.id).findings["swelling"] == "effusion"
    assert open_draft_marker() is None  # a clean close: nothing to recover
