"""Rule sets in the real window: a stored assessment keeps its rule set, the 2027.1 additions.

A finalized encounter is shown as stored, from its own rule set, never re-assessed: not after a
birth-date correction (the SCFE alert stays, as it stays on the PDF), nor when 2027.1 became
current after it was signed under 2026.1. A draft stored under 2026.1 opened with 2027.1 current
says so (the rule-set banner) until it is saved, re-assessed; what is printed or signed from it is
the 2027.1 assessment the panel showed, never the stale stored one. Finalize lists the red flags never
asked. 2027.1's mixed direction names its sources, its ``spinal_unexamined`` prompt asks for the
spinal examination, and every item new in 2027.1 has its control, in its section, with its help.

Message boxes are patched at ``window.ask`` / ``window.tell`` (any other one fails the test).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QMessageBox

import models.catalogue
from models.assessment import assess, assess_findings
from models.case import EncounterInfo, Patient, age_on
from models.catalogue import current_ruleset, join_words, load_catalogue
from models.store import Actor, EncounterRecord, PatientRecord, Store
from tests.ui_helpers import answer_item, make_window
from ui import messages
from ui.encounter_editor import ChoiceRow
from ui.main_window import MainWindow

# The window tests run on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

NEW = load_catalogue("2027.1")
OLD = load_catalogue("2026.1")
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INDEX_2026 = {"current": "2026.1", "rulesets": ["2026.1", "2027.1"]}
INDEX_2027 = {"current": "2027.1", "rulesets": ["2026.1", "2027.1"]}
# Rule sets disagree here: cord_signs (2026.1) vs brisk_reflex_check (2027.1); see test_reprint.py.
DISAGREEING: dict[str, Any] = {
    "back_pain": "yes", "radiating_below_knee": "yes", "sensory_changes": "yes", "slr": "positive",
    "joint_line_tenderness": "none", "swelling": "none", "patellar_reflex": "brisk",
    "rf_saddle_anaesthesia": "yes",
}
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")


# --- helpers ------------------------------------------------------------------------------------

def use_ruleset(monkeypatch: pytest.MonkeyPatch, index: dict[str, Any]) -> None:
    monkeypatch.setattr(models.catalogue, "_index", dict(index))
    assert current_ruleset() == index["current"]


def years_ago(years: float) -> dt.date:
    """A birth date giving ``years`` (rounded down) today."""
    return dt.date.today() - dt.timedelta(days=round(years * 365.25))


def new_patient(store: Store, mrn: str = "RU-1", birth: dt.date = dt.date(1970, 3, 4)) -> PatientRecord:
    return store.create_patient(Patient(mrn, "Rulesetperson", "Robin", birth, "unknown"), ACTOR)


def start_encounter(window: MainWindow, patient: PatientRecord, knee: str = "left") -> None:
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    window.knee.setCurrentIndex(window.knee.findData(knee))
    window.autosave_timer.setInterval(60_000)  # these tests save explicitly


def answer(qtbot, window: MainWindow, item_id: str, value: Any) -> None:  # type: ignore[no-untyped-def]
    answer_item(qtbot, window, item_id, value, by_keyboard=True)


def answer_all(qtbot, window: MainWindow, findings: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    for item_id, value in findings.items():
        answer(qtbot, window, item_id, value)
    shown = window.editor.findings()
    assert {k: shown.get(k) for k in findings} == findings


class Asked:
    """A ``window.ask`` replacement: records each question and its values, answers ``reply``."""

    def __init__(self, reply: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> None:
        self.reply = reply
        self.calls: list[tuple[messages.Message, dict[str, object]]] = []

    def __call__(self, message: messages.Message, buttons: QMessageBox.StandardButton,
                 **values: object) -> QMessageBox.StandardButton:
        message.format(**values)  # every placeholder is given
        self.calls.append((message, values))
        return self.reply


def stored_under_2026(store: Store, monkeypatch: pytest.MonkeyPatch, *, finalize: bool) -> EncounterRecord:
    """An encounter saved (and, if asked, finalized) while 2026.1 was current; 2027.1 is current after."""
    use_ruleset(monkeypatch, INDEX_2026)
    patient = new_patient(store)
    record = store.create_draft(patient.id, INFO, DISAGREEING, "", ACTOR)
    if finalize:
        record = store.finalize(record.id, record.version, ACTOR)
    use_ruleset(monkeypatch, INDEX_2027)
    assert record.ruleset == "2026.1"
    return record


def alert_row(window: MainWindow, alert_id: str) -> QFrame:
    [row] = [r for r in window.panel.alert_rows if r.objectName() == f"alert_{alert_id}"]
    return row


def assert_panel_shows_stored(window: MainWindow, stored: dict[str, Any]) -> None:
    """The panel shows ``stored`` exactly, worded by its own rule set; nothing live."""
    panel = window.panel
    catalogue = load_catalogue(stored["ruleset"])
    assert panel.assessment is None, "a finalized encounter was re-assessed in the panel"
    assert panel.result == stored
    assert panel.alert_ids() == [a["id"] for a in stored["alerts"]]
    assert panel.reason_label.text() == f"Why: {stored['reason']}"
    assert panel.next_steps_label.text() == "\n".join(f"\u2022 {step}" for step in stored["next_steps"])
    assert panel.ruleset_label.text() == f"Rule set {stored['ruleset']}"
    assert panel.direction_label.text() == catalogue.direction_label(stored["direction"], stored.get("sources") or ())
    for alert in stored["alerts"]:
        action, _refs = catalogue.action_given(alert["id"], stored["next_steps"])
        described = alert_row(window, alert["id"]).accessibleDescription()
        assert alert["text"] in described and action in described, alert["id"]
    assert not panel.prompt_label.isVisible()


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def reopen_from_the_list(qtbot, window: MainWindow, encounter_id: int) -> None:  # type: ignore[no-untyped-def]
    """Leave the encounter (a new, empty one), then double-click it in the patient's list."""
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    assert window.record is None
    row = next(n for n, s in enumerate(window.encounters.records()) if s.id == encounter_id)
    rect = window.encounter_view.visualRect(window.encounters.index(row, 0))
    qtbot.mouseClick(window.encounter_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.encounter_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ops.wait_idle()
    assert window.record is not None and window.record.id == encounter_id


# --- a finalized encounter is shown as stored -----------------------------------------------------

def test_birth_date_correction_keeps_the_finalized_scfe_alert(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                             monkeypatch) -> None:
    patient = new_patient(store, "RU-12", years_ago(12.5))
    assert age_on(patient.birth_date, dt.date.today()) == 12
    start_encounter(window, patient)
    answer(qtbot, window, "hip_rotation_limited", "yes")
    assert "scfe" in window.panel.alert_ids()  # live, under 2027.1, at 12

    asked = Asked()
    monkeypatch.setattr(window, "ask", asked)
    window.finalize_action.trigger()
    assert window.ops.wait_idle()
    assert [m for m, _ in asked.calls] == [messages.CONFIRM_FINALIZE_UNASKED]
    assert window.is_final()
    signed = store.load_encounter(window.record.id)
    assert signed.status == "final" and signed.ruleset == "2027.1"
    assert "scfe" in [a["id"] for a in signed.assessment["alerts"]]
    assert_panel_shows_stored(window, signed.assessment)

    # The birth date was wrong: correct it through the patient dialog, so the patient is 30.
    corrected = years_ago(30.5)

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.birth_date.clear()
        qtbot.keyClicks(dialog.birth_date, corrected.isoformat())
        dialog.try_accept()
        return dialog.result_patient is not None

    monkeypatch.setattr(window, "ask_patient", fill)
    qtbot.mouseClick(window.edit_patient_button, Qt.MouseButton.LeftButton)
    assert window.ops.wait_idle()
    assert window.patient is not None and window.patient.birth_date == corrected
    assert store.get_patient(patient.id).birth_date == corrected
    assert_panel_shows_stored(window, signed.assessment)  # still open: the stored alerts, unchanged

    # At 30 the same findings would not raise it...
    at_30 = assess_findings(signed.findings, 30, NEW, knee=signed.info.knee)
    assert "scfe" not in [a.id for a in at_30.alerts]
    reloaded = store.load_encounter(signed.id)
    assert reloaded.patient.birth_date == corrected and reloaded.assessment == signed.assessment
    assert "scfe" not in [a.id for a in assess(reloaded.to_case()).alerts]

    # ...but the finalized encounter, reopened, still shows what was signed.
    reopen_from_the_list(qtbot, window, signed.id)
    assert window.is_final()
    assert_panel_shows_stored(window, signed.assessment)
    scfe = next(a for a in signed.assessment["alerts"] if a["id"] == "scfe")
    scfe_action, _ = NEW.action_given("scfe", signed.assessment["next_steps"])
    assert scfe_action and scfe_action in alert_row(window, "scfe").accessibleDescription()

    # The screen and the printed summary agree.
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    printed = pdf_text(window.preview.pdf_bytes)
    assert " ".join(scfe["text"].split()) in printed and " ".join(scfe_action.split()) in printed

    # So does a window opened afresh on the same database.
    fresh = make_window(qtbot, store)
    assert fresh.open_encounter(signed.id)
    assert fresh.ops.wait_idle()
    assert_panel_shows_stored(fresh, signed.assessment)
    fresh.close()


def test_summary_right_after_a_birth_date_correction_prints_the_corrected_patient(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch) -> None:
    patient = new_patient(store, "RU-13", years_ago(12.5))
    start_encounter(window, patient)
    answer(qtbot, window, "hip_rotation_limited", "yes")
    monkeypatch.setattr(window, "ask", Asked())
    window.finalize_action.trigger()
    assert window.ops.wait_idle()
    signed = store.load_encounter(window.record.id)
    assert signed.status == "final" and "scfe" in [a["id"] for a in signed.assessment["alerts"]]
    corrected = years_ago(30.5)

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.birth_date.clear()
        qtbot.keyClicks(dialog.birth_date, corrected.isoformat())
        dialog.try_accept()
        return dialog.result_patient is not None

    monkeypatch.setattr(window, "ask_patient", fill)
    window.edit_patient_button.click()
    assert window.ops.wait_idle()
    assert window.patient is not None and window.patient.birth_date == corrected
    # Printed straight away, the encounter still open: the corrected patient, the signed alerts
    # (what `export ID -o OUT.pdf` prints from the database too).
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    printed = pdf_text(window.preview.pdf_bytes)
    assert corrected.isoformat() in printed and patient.birth_date.isoformat() not in printed, \
        "the summary printed after the correction still shows the old birth date"
    assert f"{age_on(corrected, signed.info.date)} years" in printed
    scfe = next(a for a in signed.assessment["alerts"] if a["id"] == "scfe")
    assert " ".join(scfe["text"].split()) in printed
    assert_panel_shows_stored(window, signed.assessment)


def test_finalized_2026_1_encounter_is_shown_in_2026_1_with_2027_1_current(qtbot, window: MainWindow,  # type: ignore[no-untyped-def]
                                                                          store: Store, monkeypatch) -> None:
    signed = stored_under_2026(store, monkeypatch, finalize=True)
    assert window.panel.catalogue.ruleset == "2027.1"
    assert window.open_encounter(signed.id)
    assert window.ops.wait_idle()
    assert window.is_final() and window.editor.is_read_only()
    stored = store.load_encounter(signed.id).assessment
    assert stored["ruleset"] == "2026.1"
    assert_panel_shows_stored(window, stored)
    assert window.panel.alert_ids() == ["cord_signs", "rf_saddle_anaesthesia"]
    assert "2026.1" in window.panel.ruleset_label.text() and "2027.1" not in window.panel.ruleset_label.text()
    live = assess_findings(signed.findings, age_on(signed.patient.birth_date, signed.info.date), NEW, knee="left")
    assert "brisk_reflex_check" in [a.id for a in live.alerts]
    assert "brisk_reflex_check" not in window.panel.alert_ids()
    # 2026.1's own words for the alert actions, not 2027.1's.
    cord_action, _ = OLD.action_given("cord_signs", stored["next_steps"])
    assert cord_action == "Refer now: urgent MRI of the spine including the cord."
    assert cord_action in alert_row(window, "cord_signs").accessibleDescription()
    assert not window.ruleset_banner.isVisible()  # a finalized encounter is never re-assessed


# --- a 2026.1 draft under 2027.1 ------------------------------------------------------------------

def test_2026_1_draft_is_shown_under_2027_1_and_the_window_says_so_until_saved(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch) -> None:
    draft = stored_under_2026(store, monkeypatch, finalize=False)
    told: list[messages.Message] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(message))

    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    banner = window.ruleset_banner
    assert banner.isVisible(), "a draft stored under 2026.1 was opened with 2027.1 current, and nothing says so"
    assert "2026.1" in banner.text() and "2027.1" in banner.text()
    expected = assess_findings(draft.findings, age_on(draft.patient.birth_date, draft.info.date), NEW, knee="left")
    panel = window.panel
    assert panel.assessment is not None and panel.assessment.ruleset == "2027.1"
    assert panel.assessment.to_dict() == expected.to_dict()
    assert panel.alert_ids() == [a.id for a in expected.alerts]
    assert "brisk_reflex_check" in panel.alert_ids() and "cord_signs" not in panel.alert_ids()
    assert panel.ruleset_label.text() == "Rule set 2027.1"
    assert store.load_encounter(draft.id).ruleset == "2026.1"  # opening it wrote nothing

    window.save_action.trigger()
    assert window.ops.wait_idle()
    assert not banner.isVisible()
    saved = store.load_encounter(draft.id)
    assert saved.ruleset == "2027.1" and saved.version == draft.version + 1
    assert saved.assessment == assess(saved.to_case()).to_dict() == expected.to_dict()

    reopen_from_the_list(qtbot, window, draft.id)
    assert not banner.isVisible()
    fresh = make_window(qtbot, store)
    assert fresh.open_encounter(draft.id)
    assert fresh.ops.wait_idle()
    assert not fresh.ruleset_banner.isVisible()
    fresh.close()
    assert told.count(messages.RULESET_CHANGED) <= 1  # said once, not again on every save or opening
    assert [m for m in told if m is not messages.RULESET_CHANGED] == []


def test_the_summary_of_a_2026_1_draft_opened_under_2027_1_says_what_the_panel_shows(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch) -> None:
    draft = stored_under_2026(store, monkeypatch, finalize=False)
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    shown = window.panel.assessment
    assert shown is not None and shown.ruleset == "2027.1"
    window.preview_action.trigger()
    assert window.ops.wait_idle()
    printed = pdf_text(window.preview.pdf_bytes)
    assert "Rule set 2027.1" in printed and "Rule set 2026.1" not in printed, \
        "the draft's summary prints its stale 2026.1 assessment while the panel shows 2027.1"
    for alert in shown.alerts:
        assert " ".join(alert.text.split()) in printed, alert.id
    assert " ".join(OLD.alerts["cord_signs"].text.split()) not in printed


def test_finalizing_a_2026_1_draft_signs_the_2027_1_assessment_the_panel_showed(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, monkeypatch) -> None:
    draft = stored_under_2026(store, monkeypatch, finalize=False)
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    assert window.panel.assessment is not None
    shown = window.panel.assessment.to_dict()
    assert shown["ruleset"] == "2027.1" and "brisk_reflex_check" in [a["id"] for a in shown["alerts"]]
    asked = Asked()
    monkeypatch.setattr(window, "ask", asked)
    window.finalize_action.trigger()  # straight away: nothing was changed, so nothing made it dirty
    assert window.ops.wait_idle()
    [(message, values)] = asked.calls
    assert message is messages.CONFIRM_FINALIZE_UNASKED
    signed = store.load_encounter(draft.id)
    assert signed.status == "final"
    assert signed.ruleset == "2027.1" and signed.assessment == shown, \
        f"signed the {signed.ruleset} assessment {[a['id'] for a in signed.assessment['alerts']]} " \
        f"while the panel showed {[a['id'] for a in shown['alerts']]}"
    # The red flags the confirmation named are the signed rule set's.
    signed_flags = load_catalogue(signed.ruleset).red_flags
    assert [line[2:] for line in str(values["flags"]).splitlines()] == [
        i.short for i in signed_flags if signed.findings.get(i.id) is None]
    assert window.panel.alert_ids() == [a["id"] for a in shown["alerts"]]
    assert store.verify() == []


# --- finalize names the red flags never asked -------------------------------------------------------

def test_finalize_confirmation_lists_every_red_flag_never_asked(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                                monkeypatch) -> None:
    red_flags = window.panel.catalogue.red_flags
    assert len(red_flags) == 12
    start_encounter(window, new_patient(store))
    answered = {"rf_bladder_bowel", "rf_saddle_anaesthesia", "rf_knee_dislocation", "rf_fracture_risk"}
    answer_all(qtbot, window, {"sensory_changes": "no", "joint_line_tenderness": "medial", "swelling": "trace",
                               "slr": "negative", **{i: "no" for i in sorted(answered)}})

    asked = Asked(QMessageBox.StandardButton.No)
    monkeypatch.setattr(window, "ask", asked)
    window.finalize_action.trigger()
    assert window.ops.wait_idle()
    [(message, values)] = asked.calls
    assert message is messages.CONFIRM_FINALIZE_UNASKED
    assert set(values) == {"flags"}
    lines = str(values["flags"]).splitlines()
    assert all(line.startswith("\u2022 ") for line in lines), lines
    assert [line[2:] for line in lines] == [i.short for i in red_flags if i.id not in answered]
    text = message.format(**values)[1]
    for item in red_flags:
        assert (item.short in text) is (item.id not in answered), item.id
    # "No": nothing is signed.
    assert not window.is_final() and window.record is not None
    assert store.load_encounter(window.record.id).status == "draft"

    answer_all(qtbot, window, {i.id: "no" for i in red_flags})
    asked.reply = QMessageBox.StandardButton.Yes
    asked.calls.clear()
    window.finalize_action.trigger()
    assert window.ops.wait_idle()
    [(message, values)] = asked.calls
    assert message is messages.CONFIRM_FINALIZE and values == {}
    assert window.is_final() and store.load_encounter(window.record.id).status == "final"


# --- 2027.1's panel: mixed sources, the spinal examination prompt ------------------------------------

def test_mixed_picture_names_its_sources(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    start_encounter(window, new_patient(store))
    answer_all(qtbot, window, {"swelling": "effusion", "joint_line_tenderness": "medial", "slr": "positive",
                               "slr_angle": 50, "sensory_changes": "yes", "radiating_below_knee": "yes"})
    panel = window.panel
    assert panel.assessment is not None and panel.assessment.direction == "mixed"
    assert panel.assessment.sources == ("spinal", "local")
    assert NEW.direction_label("mixed", ("spinal", "local")) == "Mixed workup: spinal and local knee"
    assert panel.direction_label.text() == "Mixed workup: spinal and local knee"
    window.save_action.trigger()
    assert window.ops.wait_idle()
    stored = store.load_encounter(window.record.id).assessment
    assert stored["direction"] == "mixed" and stored["sources"] == ["spinal", "local"]


def test_spinal_history_without_spinal_examination_prompts_for_it(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    start_encounter(window, new_patient(store))
    answer_all(qtbot, window, {"back_pain": "yes", "radiating_below_knee": "yes", "sensory_changes": "yes",
                               "joint_line_tenderness": "none", "swelling": "none"})
    panel = window.panel
    assert panel.assessment is not None and panel.assessment.spinal_unexamined
    assert panel.prompt_label.isVisible(), "no prompt to examine the spine"
    exam = [NEW.item(i).short.lower() for i in NEW.lists["spinal_exam"]]
    [prompt] = NEW.prompts
    assert panel.prompt_label.text() == prompt.text.format(unassessed_spinal_exam=join_words(exam))
    for name in exam:
        assert name in panel.prompt_label.text()

    answer(qtbot, window, "slr", "negative")  # examined, but not an objective sign: still asked
    assert panel.prompt_label.isVisible()
    remaining = [NEW.item(i).short.lower() for i in NEW.lists["spinal_exam"] if i != "slr"]
    assert panel.prompt_label.text() == prompt.text.format(unassessed_spinal_exam=join_words(remaining))

    answer(qtbot, window, "femoral_stretch", "positive")  # an objective spinal sign
    assert not panel.assessment.spinal_unexamined
    assert not panel.prompt_label.isVisible() and panel.prompt_label.isHidden()
    window.save_action.trigger()
    assert window.ops.wait_idle()
    assert store.load_encounter(window.record.id).assessment["spinal_unexamined"] is False


# --- 2027.1's new items in the editor ----------------------------------------------------------------

def test_every_new_2027_1_item_has_a_control_in_its_section_with_help(window: MainWindow) -> None:
    editor = window.editor
    assert editor.catalogue.ruleset == "2027.1"
    new_items = [i for i in NEW.items if i.id not in OLD.by_id]
    assert {"fever", "groin_pain", "limp", "distal_pulses", "knee_prosthesis"} <= {i.id for i in new_items}
    titles = {s.id: s.title for s in NEW.sections}
    problems = []
    for item in new_items:
        control, label = editor.controls.get(item.id), editor.labels.get(item.id)
        if control is None or label is None:
            problems.append(f"{item.id}: no control")
            continue
        if item.key:
            box = editor.key_group
        elif item.red_flag:
            box = editor.red_flag_group
        else:
            box = editor.section_groups[item.section]
            if not box.title().startswith(f"{item.section}. {titles[item.section]}"):
                problems.append(f"{item.id}: section box titled {box.title()!r}")
        if not (box.isAncestorOf(control) and box.isAncestorOf(label)):
            problems.append(f"{item.id}: not inside the group box of section {item.section}")
        if label.buddy() is not control:
            problems.append(f"{item.id}: label is not the control's buddy")
        if not item.help or item.help not in label.toolTip():
            problems.append(f"{item.id}: label tooltip {label.toolTip()!r} lacks the help text")
        if control.toolTip() != item.help:
            problems.append(f"{item.id}: control tooltip is not the help text")
        if isinstance(control, ChoiceRow) and [b.text() for k, b in sorted(control.buttons.items()) if k] != [
                v[:1].upper() + v[1:] for v in item.values]:
            problems.append(f"{item.id}: answers are not the item's values")
    assert problems == []
