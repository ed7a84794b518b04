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
from PySide6.QtWidgets import QMessageBox

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


# --- after the review of the rebuilt window: leaving mid-save, the lock, a patient changed elsewhere --------

def unlock(window: MainWindow) -> None:
    """The signed-in clinician unlocks (what the sign-in page does once the password is checked)."""
    assert window.sign.actor is not None
    window.sign.accept(window.sign.actor)
    assert window.is_unlocked()


def test_leaving_a_new_draft_mid_save_waits_and_the_next_patient_gets_their_own_encounter(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    a = store.create_patient(Patient("AA-1", "Alpha", "Ann", dt.date(1970, 1, 1), "female"), OTHER)
    b = store.create_patient(Patient("BB-2", "Bravo", "Bob", dt.date(1980, 1, 1), "male"), OTHER)
    window.open_patient(a)
    assert window.ops.wait_idle()
    window.new_encounter()
    window.autosave_timer.setInterval(60_000)
    window.knee.setCurrentIndex(1)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    stall = Stall(store, monkeypatch, "create_draft")
    assert window.save()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    asked: list[object] = []
    monkeypatch.setattr(window, "ask", lambda *args, **kw: asked.append(args) or QMessageBox.StandardButton.Discard)
    window.open_patient(b)  # while A's first save hangs: the switch waits for it
    qtbot.wait(100)
    assert window.patient is not None and window.patient.id == a.id and window.session.patient.id == a.id
    assert "Waiting for the save" in window.statusBar().currentMessage()
    stall.release.set()
    qtbot.waitUntil(lambda: window.patient is not None and window.patient.id == b.id, timeout=5000)
    assert window.ops.wait_idle() and asked == []  # A's entries were all stored: nothing to ask
    window.new_encounter()
    assert window.session.patient.id == b.id and window.record is None
    window.knee.setCurrentIndex(2)
    answer_item(qtbot, window, "mcmurray", "positive", by_keyboard=True)
    assert window.save() and window.ops.wait_idle()
    [of_a], [of_b] = store.list_encounters(a.id), store.list_encounters(b.id)
    assert store.load_encounter(of_a.id).findings == {"swelling": "effusion"}
    stored_b = store.load_encounter(of_b.id)
    assert stored_b.patient.id == b.id and stored_b.findings == {"mcmurray": "positive"}
    assert window.record is not None and window.record.id == of_b.id


def test_a_conflict_of_the_encounter_being_left_is_decided_there_before_the_next_opens(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pa, xa = seed(store)
    pb = store.create_patient(Patient("BB-2", "Bravo", "Bob", dt.date(1980, 1, 1), "male"), OTHER)
    open_draft(window, pa, xa)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    stall = Stall(store, monkeypatch, "save_draft")
    window.save()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    other = Store.open(db_url)  # the second workstation saves X first: our save will conflict
    try:
        other.save_draft(xa.id, xa.version, INFO, {"slr": "negative"}, "theirs", OTHER)
    finally:
        other.close()
    shown: list[tuple[int | None, list[tuple[str, str, str]]]] = []
    monkeypatch.setattr(window, "ask_conflict", lambda rows, what="encounter": shown.append(
        (window.record.id if window.record else None, rows)) or ConflictDialog.KEEP_MINE)
    window.open_patient(pb)
    stall.release.set()
    qtbot.waitUntil(lambda: window.patient is not None and window.patient.id == pb.id, timeout=5000)
    assert window.ops.wait_idle()
    assert [record_id for record_id, _rows in shown] == [xa.id]  # asked while X was still the one shown
    x = store.load_encounter(xa.id)
    assert x.findings.get("swelling") == "effusion" and x.notes == ""  # Keep mine: X's own entries
    window.new_encounter()
    window.knee.setCurrentIndex(2)
    window.notes.setPlainText("B's new exam")
    assert window.save() and window.ops.wait_idle()
    assert store.load_encounter(xa.id).notes == ""  # nothing of B's written into A's encounter
    [of_b] = store.list_encounters(pb.id)
    assert store.load_encounter(of_b.id).notes == "B's new exam"


def test_finalize_asks_nothing_over_the_lock_and_says_so_after_the_unlock(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    stall = Stall(store, monkeypatch, "save_draft")
    asked: list[bool] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(window.sign.locked)
                                                             or QMessageBox.StandardButton.Yes))
    window.finalize()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    window.lock_now()
    stall.release.set()
    assert window.ops.wait_idle()
    assert asked == [] and store.load_encounter(draft.id).status == "draft"
    assert store.load_encounter(draft.id).findings["swelling"] == "effusion"  # the save behind the lock landed
    unlock(window)
    assert "Finalize was not done: the window was locked" in window.statusBar().currentMessage()
    assert window.finalize_action.isEnabled() and not window.is_final()


def test_a_patient_conflict_that_comes_while_locked_is_shown_after_the_unlock(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    stall = Stall(store, monkeypatch, "update_patient")
    monkeypatch.setattr(window, "ask_patient", rename_in_dialog("Mine"))
    shown: list[bool] = []
    monkeypatch.setattr(window, "ask_conflict", lambda rows, what="encounter": shown.append(window.sign.locked)
                        or ConflictDialog.KEEP_MINE)
    window.edit_patient()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    other = Store.open(db_url)
    try:
        other.update_patient(patient.id, dataclasses.replace(patient.to_patient(), given_name="Robyn"), OTHER,
                             expected_version=patient.version)
    finally:
        other.close()
    window.lock_now()
    stall.release.set()
    assert window.ops.wait_idle()
    assert shown == []  # nothing over the lock
    unlock(window)
    assert window.ops.wait_idle()
    assert shown == [False]  # asked once unlocked; mine were kept meanwhile
    assert store.get_patient(patient.id).family_name == "Mine"


def test_the_print_and_export_dialogs_never_open_over_the_lock(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrintDialog

    patient, draft = seed(store)
    open_draft(window, patient, draft)
    opened: list[str] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: opened.append("print") or 0)
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName",
                        lambda *a, **k: opened.append("export") or ("", ""))
    for start in (window.print_summary, window.export_summary):
        answer_item(qtbot, window, "swelling", "effusion" if start == window.print_summary else "none",
                    by_keyboard=True)
        stall = Stall(store, monkeypatch, "save_draft")
        start()
        qtbot.waitUntil(stall.entered.is_set, timeout=5000)
        window.lock_now()
        stall.release.set()
        assert window.ops.wait_idle()
        assert opened == []
        unlock(window)
        word = "Print" if start == window.print_summary else "Export"
        assert f"{word} was not done: the window was locked" in window.statusBar().currentMessage()
        monkeypatch.undo()
        monkeypatch.setattr(QPrintDialog, "exec", lambda self: opened.append("print") or 0)
        monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName",
                            lambda *a, **k: opened.append("export") or ("", ""))
    window.lock_now()
    assert window.ask_printer(object()) is False and window.ask_save_path("x", "y", "z") == ("", "")
    assert opened == []


def test_a_rename_elsewhere_reaches_the_header_and_the_summary_after_a_save(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, db_url: str) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    other = Store.open(db_url)
    try:
        other.update_patient(patient.id, dataclasses.replace(patient.to_patient(), family_name="Renamed"), OTHER,
                             expected_version=patient.version)
    finally:
        other.close()
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    assert window.save() and window.ops.wait_idle()
    assert window.record is not None and window.record.patient.family_name == "Renamed"
    assert window.patient is not None and window.patient.family_name == "Renamed"
    assert "Renamed" in window.patient_header.text()
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    shown = pdf_text(window.preview.pdf_bytes)
    assert "Renamed" in shown and "Oldname" not in shown


def test_the_summary_reloads_the_patient_even_without_a_save(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, db_url: str) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    assert window.save() and window.ops.wait_idle()  # stored, clean: the summary needs no save
    other = Store.open(db_url)
    try:
        other.update_patient(patient.id, dataclasses.replace(patient.to_patient(), family_name="Later"), OTHER,
                             expected_version=patient.version)
    finally:
        other.close()
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    shown = pdf_text(window.preview.pdf_bytes)
    assert "Later" in shown and "Oldname" not in shown
    assert window.record is not None and window.record.patient.family_name == "Later"
    assert "Later" in window.patient_header.text()


def test_amend_is_disabled_while_an_amend_is_in_flight(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, store.finalize(draft.id, draft.version, OTHER))
    told: list[object] = []
    reasons: list[str] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(message))
    monkeypatch.setattr(window, "ask_amend_reason", lambda: reasons.append("asked") or "typo in notes")
    stall = Stall(store, monkeypatch, "amend")
    window.amend()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    assert not window.amend_action.isEnabled() and not window.finalize_action.isEnabled()
    window.amend_action.trigger()  # disabled: nothing happens
    stall.release.set()
    assert window.ops.wait_idle()
    assert stall.calls == ["entered", "stored"] and reasons == ["asked"] and told == []
    assert [(e.status, e.amends_id) for e in store.list_encounters(patient.id)] == [("draft", draft.id),
                                                                                   ("final", None)]


def test_what_is_typed_during_prints_save_is_saved_again_and_printed(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    patient, draft = seed(store)
    open_draft(window, patient, draft)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    target = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    stall = Stall(store, monkeypatch, "save_draft")
    window.print_summary()
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    qtbot.keyClicks(window.notes, "typed while it saved")  # while the pre-save is in flight
    stall.release.set()
    assert window.ops.wait_idle()
    assert stall.calls == ["entered", "stored", "entered", "stored"]  # saved again, then printed
    assert target.exists() and "typed while it saved" in pdf_text(target.read_bytes())
    assert store.load_encounter(draft.id).notes == "typed while it saved" and not window.dirty


def test_closing_during_a_finalize_that_fails_keeps_the_window_and_the_marker(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.records import StoreError

    patient, draft = seed(store)
    open_draft(window, patient, draft)
    assert window.save() and window.ops.wait_idle()
    told: list[dict[str, object]] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(values))
    monkeypatch.setattr(window, "ask_yes", lambda message, **values: True)
    release = threading.Event()

    def refused(*_args: Any, **_kwargs: Any) -> Any:
        assert release.wait(30)
        raise StoreError("the test refuses this finalize")

    monkeypatch.setattr(store, "finalize", refused)
    window.finalize()
    assert window.session.finalizing and window.ops.in_flight() == ["finalize"]
    QTimer.singleShot(300, release.set)
    assert not window.close(), "the window closed though its finalize failed"
    assert window.isVisible() and open_draft_marker() == draft.id
    assert told and "the test refuses this finalize" in str(told[0].get("reason"))
    assert "not finalized" in window.statusBar().currentMessage()
    assert store.load_encounter(draft.id).status == "draft"


def test_closing_while_the_locks_save_is_in_flight_waits_for_it_then_closes(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    stall = Stall(store, monkeypatch, "save_draft")
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    window.lock_now()  # starts the save, which hangs
    qtbot.waitUntil(stall.entered.is_set, timeout=5000)
    assert window.session.locked and window.dirty
    QTimer.singleShot(300, stall.release.set)
    assert window.close(), "the window refused to close while the lock's own save was in flight"
    assert stall.calls == ["entered", "stored"]
    assert store.load_encounter(draft.id).findings["swelling"] == "effusion"
    assert open_draft_marker() is None


# --- found in a new-user trial -------------------------------------------------------------------------

def test_the_summary_is_taken_down_once_the_encounter_changes_or_is_finalized(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    patient, draft = seed(store)
    open_draft(window, patient, draft)
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    assert window.preview.pdf_bytes and "DRAFT" in pdf_text(window.preview.pdf_bytes)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)  # the summary no longer says this
    assert window.preview.pdf_bytes == b"" and "changed after this summary" in window.preview.placeholder.text()

    window.preview_action.trigger()
    assert window.ops.wait_idle()
    assert window.preview.pdf_bytes
    monkeypatch.setattr(window, "ask", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.finalize()
    assert window.ops.wait_idle()
    assert store.load_encounter(draft.id).status == "final"
    assert window.preview.pdf_bytes == b"", "the DRAFT summary stayed on screen after finalize"


def test_the_patient_list_shows_a_rename_and_print_to_file_says_where(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    patient, draft = seed(store)
    window.search.setText("Oldname")
    qtbot.waitUntil(lambda: window.patients.rowCount() == 1, timeout=5000)
    open_draft(window, patient, draft)
    monkeypatch.setattr(window, "ask_patient", rename_in_dialog("Newname"))
    window.edit_patient()
    assert window.ops.wait_idle()
    # the search for "Oldname" runs again: it finds no one now (the list used to keep the old name)
    qtbot.waitUntil(lambda: window.patients.rowCount() == 0, timeout=5000)

    target = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    window.print_summary()
    assert window.ops.wait_idle()
    assert target.exists()
    assert str(target) in window.statusBar().currentMessage() and "printer" not in window.statusBar().currentMessage()
