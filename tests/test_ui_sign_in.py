"""The window with clinician accounts: the first account at the first start, sign-in failures
and success in the audit trail, audit rows naming the signed-in clinician, the idle lock hiding
every patient detail and keeping unsaved entries, another clinician unlocking, Lock now, the
idle-time setting, and the warning on an encounter that fails its integrity check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)

from models.case import EncounterInfo, Patient
from models.store import Actor, Store
from tests.ui_helpers import make_window
from ui.encounter_editor import ChoiceRow
from ui.main_window import MainWindow
from ui.settings import Settings, last_clinician, load_settings, set_last_clinician, settings_path
from ui.sign_in import FIRST_ACCOUNT, LOCKED, OPENING, SIGN_IN

ADA, ADA_PASSWORD = "Dr Ada Example", "joint line 2026"
BEA, BEA_PASSWORD = "Dr Bea Second", "straight leg raise"
# The window tests run on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

PATIENT = Patient("S-300", "Lockwoodova", "Zuzana", dt.date(1968, 2, 9), "female")


@pytest.fixture(autouse=True)
def _no_message_boxes(monkeypatch: pytest.MonkeyPatch, isolated_settings: Path) -> None:
    def unexpected(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))


def _accounts(store: Store) -> Actor:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    ada = Actor(ADA, "tester", "exam-room-1")
    store.create_clinician(BEA, BEA_PASSWORD, ada)
    return ada


def _type_sign_in(qtbot, window: MainWindow, name: str, password: str, again: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page = window.sign_in_page
    page.name.clear()
    qtbot.keyClicks(page.name, name)
    qtbot.keyClicks(page.password, password)
    if again is not None:
        qtbot.keyClicks(page.password_again, again)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert window.ops.wait_idle()


def _audit(store: Store) -> list[tuple[str, str, str]]:
    return [(e["action"], e["clinician"], e["detail"]) for e in store.audit_events()]


def _visible_text(window: MainWindow) -> str:
    """Everything a passer-by could read on the window right now."""
    parts = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            parts += [str(model.index(r, c).data()) for r in range(model.rowCount()) for c in range(model.columnCount())]
    return "\n".join(parts)


def _click(qtbot, window: MainWindow, item_id: str, value: str) -> None:  # type: ignore[no-untyped-def]
    row = window.editor.controls[item_id]
    assert isinstance(row, ChoiceRow)
    qtbot.mouseClick(row.buttons[row.item.values.index(value) + 1], Qt.MouseButton.LeftButton)


def test_first_start_creates_the_first_account_and_signs_in(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(settings=Settings(default_clinician="Dr Default"))  # as ui.app starts it
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.sign_in_page
    assert window.central.currentWidget() is page and page.mode == OPENING and not page.button.isEnabled()
    assert window.ops.wait_idle()
    assert not window.work_page.isVisible() and not window.search.isVisible()

    waiting: list[str] = []
    window.when_signed_in(lambda: waiting.append("recover the draft"))  # as ui.app offers a leftover draft
    window.attach_store(store)
    assert window.ops.wait_idle()
    assert page.mode == FIRST_ACCOUNT and page.password_again.isVisible() and waiting == []
    assert not window.new_patient_action.isEnabled() and not window.find_action.isEnabled()

    _type_sign_in(qtbot, window, ADA, ADA_PASSWORD, ADA_PASSWORD + "x")
    assert "differ" in page.error.text() and not store.has_clinicians()
    _type_sign_in(qtbot, window, ADA, "short", "short")
    assert "at least 8 characters" in page.error.text() and not store.has_clinicians()
    assert page.password.text() == "" and page.password_again.text() == ""  # never left in the fields

    with qtbot.waitSignal(window.clinician_signed_in) as signed:
        _type_sign_in(qtbot, window, ADA, ADA_PASSWORD, ADA_PASSWORD)
    assert signed.args == [ADA] and waiting == ["recover the draft"]  # offered only after the sign-in
    assert window.central.currentWidget() is window.work_page and window.search.isVisible()
    assert window.actor().clinician == ADA and window.new_patient_action.isEnabled()
    assert _audit(store) == [("clinician_created", ADA, f"account {ADA} (the first account, an administrator)"), ("signed_in", ADA, "")]
    assert last_clinician() == ADA
    assert ADA_PASSWORD not in repr(store.audit_events())


def test_sign_in_failure_then_success_and_audit_rows_name_the_signed_in_clinician(
        qtbot, store: Store, isolated_settings: Path) -> None:  # type: ignore[no-untyped-def]
    patient = store.create_patient(PATIENT, _accounts(store))
    set_last_clinician(BEA)
    window = make_window(qtbot, store, signed_in=None)
    page = window.sign_in_page
    window.search.setText("Lockw")  # typed (or scripted) while nobody is signed in: no search runs
    with qtbot.assertNotEmitted(window.search_done, wait=300):
        window._start_search()
        assert window.ops.wait_idle()
    assert window.patients.rowCount() == 0
    assert page.mode == SIGN_IN and page.name.text() == BEA  # prefilled from this workstation's settings
    assert not page.password_again.isVisible()

    _type_sign_in(qtbot, window, BEA, "a wrong guess")
    assert page.error.text() == "\u26a0 The name or the password is not right"
    _type_sign_in(qtbot, window, "Dr Nobody", BEA_PASSWORD)
    assert page.error.text() == "\u26a0 The name or the password is not right"  # the same: no hint the name exists
    assert window.central.currentWidget() is page and not window.work_page.isVisible()
    _type_sign_in(qtbot, window, "dr bea second", BEA_PASSWORD)
    assert window.actor().clinician == BEA and window.central.currentWidget() is window.work_page
    assert BEA in window.windowTitle() and BEA in window.user_label.text()
    qtbot.waitUntil(lambda: window.patients.rowCount() == 1, timeout=5000)  # the typed search, now
    assert _audit(store)[-3:] == [("sign_in_failed", BEA, "wrong password"),
                                  ("sign_in_failed", "Dr Nobody", "no such account"), ("signed_in", BEA, "")]

    # A visit: the clinician recorded is the signed-in account, shown and not editable; so is the audit trail's.
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter()
    assert window.ops.wait_idle()
    assert window.clinician.text() == BEA  # the signed-in clinician, not the default "Dr Ada Example"
    assert isinstance(window.clinician, QLabel) and window.clinician.focusPolicy() == Qt.FocusPolicy.NoFocus
    window.clinician.setText("Dr Student Examining")  # even text put there by code is not what is recorded
    window.knee.setCurrentIndex(window.knee.findData("right"))
    _click(qtbot, window, "swelling", "effusion")
    assert window.save()
    assert window.ops.wait_idle()
    assert window.record is not None
    rows = store.audit_events(encounter_id=window.record.id)
    assert [(r["action"], r["clinician"]) for r in rows] == [("encounter_created", BEA)]
    assert store.load_encounter(window.record.id).info.clinician == BEA
    assert "Dr Default" not in repr(store.audit_events()) and "Dr Ada Example" != rows[0]["clinician"]


def test_idle_lock_hides_patient_data_and_unlock_keeps_unsaved_entries(qtbot, store: Store,  # type: ignore[no-untyped-def]
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ada = _accounts(store)
    patient = store.create_patient(PATIENT, ada)
    window = make_window(qtbot, store, signed_in=ada)
    window.search.setText("Lockw")
    qtbot.waitUntil(lambda: window.patients.rowCount() == 1, timeout=5000)
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter()  # no knee chosen yet: this draft cannot be saved, only kept
    assert window.ops.wait_idle()
    _click(qtbot, window, "swelling", "effusion")
    _click(qtbot, window, "slr", "positive")
    window.notes.setPlainText("typed, not saved: pain since the fall")
    entered = (window.editor.findings(), window.notes.toPlainText(), window.clinician.text())
    assert window.dirty
    shown = _visible_text(window)
    assert PATIENT.family_name in shown and PATIENT.mrn in shown  # the check below can see a name

    window.idle_watch.set_timeout_ms(150)
    with qtbot.waitSignal(window.window_locked, timeout=5000):
        pass  # no input: the idle timer runs out
    page = window.sign_in_page
    assert window.central.currentWidget() is page and page.mode == LOCKED and page.name.text() == ADA
    assert "10 minutes" in page.explanation.text()
    assert not window.work_page.isVisible()
    hidden = _visible_text(window)
    for secret in (PATIENT.family_name, PATIENT.given_name, PATIENT.mrn, "pain since the fall"):
        assert secret not in hidden
    assert window.windowTitle() == "KneeCheck \u2014 locked"
    assert not any(a.isEnabled() for a in (window.find_action, window.new_patient_action, window.save_action,
                                           window.preview_action, window.print_action, window.export_action,
                                           window.settings_action, window.lock_action))
    assert store.list_encounters(patient.id) == []  # could not be saved (no knee): kept in memory only
    assert not window.close() and window.isVisible()  # nobody at the lock may throw the entries away

    _type_sign_in(qtbot, window, ADA, "not my password")
    assert "not right" in page.error.text() and not window.work_page.isVisible()
    _type_sign_in(qtbot, window, ADA, ADA_PASSWORD)
    assert window.work_page.isVisible() and window.is_unlocked()
    assert (window.editor.findings(), window.notes.toPlainText(), window.clinician.text()) == entered
    assert window.dirty and window.editing and window.patient == patient
    assert [a for a in _audit(store) if a[0] in ("locked", "unlock_failed", "unlocked")] == [
        ("locked", ADA, "idle"), ("unlock_failed", ADA, "wrong password"), ("unlocked", ADA, "")]
    # The test ends here; the draft without a knee is let go when the window closes.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def test_lock_now_saves_the_draft_first_and_another_clinician_may_unlock(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    ada = _accounts(store)
    patient = store.create_patient(PATIENT, ada)
    draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), ADA, "left"), {}, "", ada)
    window = make_window(qtbot, store, signed_in=ada)
    window.autosave_timer.setInterval(600_000)  # only the lock saves it
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    _click(qtbot, window, "mcmurray", "positive")
    assert window.dirty
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")

    window.lock_action.trigger()
    assert window.ops.wait_idle()
    assert window.sign_in_page.mode == LOCKED and not window.work_page.isVisible()
    assert store.load_encounter(draft.id).findings == {"mcmurray": "positive"}  # saved before hiding
    assert not window.dirty

    _type_sign_in(qtbot, window, BEA, BEA_PASSWORD)  # Bea takes over the workstation
    assert window.actor().clinician == BEA and BEA in window.windowTitle()
    _click(qtbot, window, "mcmurray", "negative")
    assert window.save()
    assert window.ops.wait_idle()
    assert [(r["action"], r["clinician"]) for r in store.audit_events(encounter_id=draft.id)][-2:] == [
        ("draft_saved", ADA), ("draft_saved", BEA)]
    assert ("locked", ADA, "by hand") in _audit(store) and ("unlocked", BEA, "") in _audit(store)


def test_throttled_sign_in_and_unlock_say_when_to_try_again(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    from models.sign_in_policy import POLICY

    now = [dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)]
    store.clock = lambda: now[0]  # the store's throttle clock: moved by the test, no sleeping
    _accounts(store)
    window = make_window(qtbot, store, signed_in=None)
    page = window.sign_in_page
    qtbot.waitUntil(lambda: page.mode == SIGN_IN, timeout=5000)
    for _ in range(POLICY.free_failures - 1):
        _type_sign_in(qtbot, window, BEA, "a wrong guess")
        assert page.error.text() == "\u26a0 The name or the password is not right"
    _type_sign_in(qtbot, window, BEA, "a wrong guess")
    assert page.error.text() == "\u26a0 The name or the password is not right; try again in 1 s"
    _type_sign_in(qtbot, window, BEA, BEA_PASSWORD)  # the right one, too soon: refused unchecked
    assert page.error.text() == "\u26a0 The name or the password is not right; try again in 1 s"
    assert window.central.currentWidget() is page and window.sign.actor is None
    assert page.button.isEnabled() and page.password.text() == ""
    now[0] += dt.timedelta(seconds=1)
    _type_sign_in(qtbot, window, BEA, BEA_PASSWORD)
    assert window.actor().clinician == BEA

    # The lock screen is throttled alike: a locked-out account stays out, another clinician may unlock.
    window.lock_action.trigger()
    assert window.ops.wait_idle() and page.mode == LOCKED
    for _ in range(POLICY.lockout_failures):
        now[0] += POLICY.max_delay
        _type_sign_in(qtbot, window, BEA, "a wrong guess")
    lockout = int(POLICY.lockout.total_seconds())
    assert page.error.text() == f"\u26a0 The name or the password is not right; try again in {lockout} s"
    _type_sign_in(qtbot, window, BEA, BEA_PASSWORD)
    assert "try again in" in page.error.text() and not window.is_unlocked()
    assert [a[0] for a in _audit(store)].count("locked_out") == 1
    assert [a[0] for a in _audit(store)][-1] == "unlock_throttled"
    _type_sign_in(qtbot, window, ADA, ADA_PASSWORD)
    assert window.is_unlocked() and window.actor().clinician == ADA
    assert store.sign_in_throttle(BEA)["locked_until"] is not None  # type: ignore[index]


def test_idle_time_is_a_workstation_setting_with_a_sane_default(isolated_settings: Path) -> None:
    assert load_settings().idle_lock_minutes == 10
    settings_path().parent.mkdir(parents=True)
    for raw, expected in (("3", 3), ("not a number", 10), ("0", 10), ("600", 10)):
        settings_path().write_text(f"[General]\nsettings_version=1\n\n[workstation]\nidle_lock_minutes={raw}\n")
        assert load_settings().idle_lock_minutes == expected, raw


def test_the_settings_dialog_changes_the_idle_time(qtbot, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, store)

    def accept(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.idle_lock_minutes.setValue(2)
        return True

    monkeypatch.setattr(window, "ask_settings", accept)
    window.edit_settings()
    assert window.idle_watch.timer.interval() == 120_000 and load_settings().idle_lock_minutes == 2


def _tampered_history(store: Store, db_url: str) -> tuple[int, int, int]:
    """A finalized encounter whose revision was edited around the trigger, a draft amending it,
    and an untouched finalized encounter."""
    actor = Actor(ADA, "tester", "exam-room-1")
    patient = store.create_patient(PATIENT, actor)
    info = EncounterInfo(dt.date(2026, 11, 20), ADA, "left")
    altered = store.create_draft(patient.id, info, {"slr": "positive"}, "first look", actor)
    altered = store.finalize(altered.id, altered.version, actor)
    amendment = store.amend(altered.id, "wrong knee", actor)
    clean = store.create_draft(patient.id, info, {}, "another visit", actor)
    clean = store.finalize(clean.id, clean.version, actor)
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER trg_encounter_revision_no_update")
        conn.execute(sa.text("UPDATE encounter_revision SET content = REPLACE(content, 'first look', 'edited') "
                             "WHERE encounter_id = :e"), {"e": altered.id})
    engine.dispose()
    return altered.id, amendment.id, clean.id


def test_an_encounter_that_fails_verification_shows_a_warning(qtbot, store: Store, db_url: str) -> None:  # type: ignore[no-untyped-def]
    altered, amendment, clean = _tampered_history(store, db_url)
    window = make_window(qtbot, store)
    assert window.open_encounter(clean)
    assert window.ops.wait_idle()
    assert not window.integrity_banner.isVisible()

    assert window.open_encounter(altered)
    assert window.ops.wait_idle()
    banner = window.integrity_banner
    assert banner.isVisible()
    assert banner.text() == ("\u26a0 This finalized encounter does not match its signed revision: it may have been "
                             "altered outside KneeCheck. Run `verify` and tell IT.")
    assert f"(encounter {altered})" in banner.toolTip() and PATIENT.family_name not in banner.toolTip()

    assert window.open_encounter(amendment)  # a draft amending the altered encounter says so too
    assert window.ops.wait_idle()
    assert banner.isVisible() and banner.text().startswith("\u26a0 The finalized encounter this draft amends")
    window.new_encounter()
    assert window.ops.wait_idle()
    assert not banner.isVisible()


def test_a_dialog_open_at_lock_time_is_cancelled_not_left_over_the_lock(qtbot, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, store)
    before = window.settings
    left_open: list[QDialog] = []

    def fallback() -> None:  # only so that a regression fails instead of hanging
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                left_open.append(w)
                w.reject()

    QTimer.singleShot(200, window.lock_now)  # the lock comes while the dialog waits for the clinician
    QTimer.singleShot(3000, fallback)
    window.edit_settings()  # a real, modal exec(): returns only because the lock cancelled it
    assert left_open == []
    assert window.sign_in_page.mode == LOCKED and window.settings == before
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
