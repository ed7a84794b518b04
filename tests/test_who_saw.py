"""Who saw this patient: ``audit --patient MRN [--since DATE] [--csv FILE]`` on both engines, and the
window's dialog (SQLite), with the audit rows the window now writes when it opens a patient or an
encounter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest

import main
from models.access import CSV_COLUMNS, access_csv
from models.case import EncounterInfo, Patient
from models.store import Actor, NotFoundError, Store

ADA = Actor("Dr Ada Example", "ada", "exam-room-1")
BEA = Actor("Dr Bea, =HYPERLINK(1)", "bea", "exam-room-2")  # a comma and a formula: CSV must keep both inert
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("W-3001", "Doe", "Jane", dt.date(1961, 4, 2), "female")
JOHN = Patient("W-3002", "Roe", "John", dt.date(1970, 1, 1), "male")


def _history(store: Store) -> tuple[int, int, int]:
    """Jane: created, a draft saved, finalized, viewed, printed, exported; John: another patient's rows."""
    jane = store.create_patient(JANE, ADA)
    john = store.create_patient(JOHN, ADA)
    draft = store.create_draft(jane.id, INFO, {"slr": "positive"}, "first", ADA)
    draft = store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "second", ADA)
    final = store.finalize(draft.id, draft.version, ADA)
    store.record_event("viewed", BEA, encounter_id=final.id)  # names the encounter only: still Jane's
    store.record_event("printed", BEA, encounter_id=final.id, patient_id=jane.id, detail="sent to the printer")
    store.record_event("exported", ADA, encounter_id=final.id, detail="case file")
    other = store.create_draft(john.id, INFO, {}, "", ADA)
    store.record_event("viewed", ADA, encounter_id=other.id)
    return jane.id, john.id, final.id


def test_the_store_lists_every_row_about_one_patient_and_no_other(store: Store) -> None:
    jane, john, final = _history(store)
    rows = store.patient_access(mrn="W-3001")
    assert [(r.action, r.kind, r.clinician) for r in rows] == [
        ("patient_created", "change", ADA.clinician), ("encounter_created", "change", ADA.clinician),
        ("draft_saved", "change", ADA.clinician), ("finalized", "change", ADA.clinician),
        ("viewed", "view", BEA.clinician), ("printed", "print", BEA.clinician), ("exported", "export", ADA.clinician)]
    assert all(r.encounter_id in (None, final) for r in rows)
    assert rows[4].workstation == "exam-room-2" and rows[4].os_user == "bea"
    assert [r.action for r in store.patient_access(patient_id=john)] == ["patient_created", "encounter_created", "viewed"]
    assert store.patient_access(mrn="W-3001", since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == []
    with pytest.raises(NotFoundError):
        store.patient_access(mrn="NOBODY")
    assert rows == store.patient_access(patient_id=jane)


def test_since_keeps_the_rows_from_that_time_on(store: Store) -> None:
    jane, _john, final = _history(store)
    boundary = dt.datetime.now(dt.UTC)
    store.record_event("printed", ADA, encounter_id=final, detail="again")
    later = store.patient_access(patient_id=jane, since=boundary)
    assert [(r.action, r.detail) for r in later] == [("printed", "again")]
    assert len(store.patient_access(patient_id=jane)) == 8


def test_audit_command_lists_writes_csv_and_audits_the_look(db_url: str, store: Store, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    jane, _john, final = _history(store)
    assert main.main(["--db", db_url, "audit", "--patient", "W-3001", "--clinician", "Dr Ada Example"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "7 audit row(s) about this patient"
    assert "  Dr Bea, =HYPERLINK(1)  exam-room-2 (bea)  print: printed  " \
           f"encounter {final}  sent to the printer" in out[4 + 1]
    assert all("Doe" not in line and "Jane" not in line for line in out)  # who, when, where, what: no name
    # The look is itself audited, and listed the next time.
    assert store.patient_access(patient_id=jane)[-1].action == "access_listed"
    assert main.main(["--db", db_url, "audit", "--patient", "W-3001", "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out == "0 audit row(s) about this patient since 2999-01-01\n"

    target = tmp_path / "who.csv"
    assert main.main(["--db", db_url, "audit", "--patient", "W-3001", "--csv", str(target)]) == 0
    assert capsys.readouterr().out == f"{target}: 9 row(s)\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    table = list(csv.reader(io.StringIO(target.read_text("utf-8"))))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == 10
    printed = next(row for row in table if row[5] == "printed")
    assert printed[1] == BEA.clinician and printed[3] == "exam-room-2"
    assert printed[6] == str(final) and printed[7] == "sent to the printer" and printed[0].endswith("Z")

    # Bad input, exit 2, and nothing written: an existing file, an unknown MRN, a bad date.
    assert main.main(["--db", db_url, "audit", "--patient", "W-3001", "--csv", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main.main(["--db", db_url, "audit", "--patient", "NOBODY"]) == 2
    assert "no patient with that MRN" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main.main(["--db", db_url, "audit", "--patient", "W-3001", "--since", "yesterday"])
    assert info.value.code == 2


def test_csv_keeps_commas_quotes_newlines_and_formulas_inert(store: Store) -> None:
    jane, _john, final = _history(store)
    store.record_event("exported", ADA, encounter_id=final, detail='to "B", then\nC; -1+1')
    store.record_event("exported", ADA, encounter_id=final, detail="=HYPERLINK(\"http://x\")")
    text = access_csv(store.patient_access(patient_id=jane))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[-2][7] == 'to "B", then\nC; -1+1'  # one field, whatever it holds
    assert rows[-1][7] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet shows it, never runs it
    assert BEA.clinician in {row[1] for row in rows}
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- the window ----------------------------------------------------------------------------------


@pytest.mark.engines("sqlite")
def test_the_window_audits_opening_and_shows_who_saw_the_patient(qtbot, window, store: Store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch: pytest.MonkeyPatch, qtmodeltester) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QPushButton, QTableView

    jane, _john, final = _history(store)
    window.open_patient(store.get_patient(jane))
    assert window.ops.wait_idle()
    window.open_encounter(final)
    assert window.ops.wait_idle()
    opened = [(r.action, r.encounter_id, r.detail, r.clinician) for r in store.patient_access(patient_id=jane)
              if r.action == "opened"]
    assert opened == [("opened", None, "patient", "Dr Ada Example"), ("opened", final, "", "Dr Ada Example")]

    action = window.who_saw_action
    assert action.isEnabled()
    action.trigger()
    assert window.ops.wait_idle()
    dialog = window.findChild(QDialog, "access_dialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableView, "access_table")
    assert not table.tabKeyNavigation() and table.accessibleName() == "Who saw this patient"
    model = table.model()
    qtmodeltester.check(model)
    stored = store.patient_access(patient_id=jane)
    assert stored[-1].action == "access_listed"  # the look itself, written before the list was read
    assert model.rowCount() == len(stored)
    cells = [[model.index(row, col).data() for col in range(model.columnCount())] for row in range(model.rowCount())]
    assert cells[5][1:6] == [BEA.clinician, "exam-room-2", "bea", "Print: printed", str(final)]
    assert cells[-1][4] == "Audit list: access_listed"

    target = tmp_path / "who-saw.csv"
    monkeypatch.setattr(window, "ask_save_path", lambda *_args: (str(target), "CSV files (*.csv)"))
    button = dialog.findChild(QPushButton, "access_export")
    assert button.accessibleName() == "Export CSV"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.ops.wait_idle()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert len(list(csv.reader(io.StringIO(target.read_text("utf-8"))))) == len(stored) + 1
    assert store.patient_access(patient_id=jane)[-1].detail == f"who saw this patient: {len(stored)} row(s) to a CSV file"

    window.lock_now()  # the lock closes it: nothing about the patient stays over the lock
    assert window.ops.wait_idle()
    qtbot.waitUntil(lambda: window.findChild(QDialog, "access_dialog") is None or
                    not window.findChild(QDialog, "access_dialog").isVisible(), timeout=3000)
    assert not window.who_saw_action.isEnabled()
