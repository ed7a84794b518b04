"""What changed since the last visit (models/follow_up.py) for a patient seen three times on a real
store (both engines): the first visit under 2026.1, the second finalized and then amended, the third a
draft under 2027.1. The amended visit counts once, as its finalized amendment; the rule-set change is
marked; a first visit has no comparison."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import models.catalogue
from models.case import EncounterInfo, Patient
from models.catalogue import load_catalogue
from models.follow_up import CHANGED, NEW, NO_LONGER, follow_up, visit_of, visits
from models.store import Actor, Store

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INDEX_2026 = {"current": "2026.1", "rulesets": ["2026.1", "2027.1"]}
INDEX_2027 = {"current": "2027.1", "rulesets": ["2026.1", "2027.1"]}
FIRST = {"sensory_changes": "no", "joint_line_tenderness": "medial", "swelling": "effusion", "slr": "negative",
         "back_pain": "no"}
SECOND = {"sensory_changes": "no", "joint_line_tenderness": "medial", "swelling": "trace", "slr": "negative",
          "back_pain": "yes"}
AMENDED = {**SECOND, "radiating_below_knee": "yes", "rf_weight_loss_night_pain": "yes"}
THIRD = {"sensory_changes": "yes", "joint_line_tenderness": "none", "swelling": "trace", "slr": "positive",
         "radiating_below_knee": "yes", "dermatomal_deficit": "L5"}


def use(monkeypatch: pytest.MonkeyPatch, index: dict[str, Any]) -> None:
    monkeypatch.setattr(models.catalogue, "_index", dict(index))


def info(day: int) -> EncounterInfo:
    return EncounterInfo(date=dt.date(2026, 3, day), knee="left", clinician=ACTOR.clinician)


def three_visits(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[Any]]:
    use(monkeypatch, INDEX_2026)
    patient = store.create_patient(Patient("FU-1", "Follow", "Fay", dt.date(1958, 5, 6), "female"), ACTOR)
    first = store.create_draft(patient.id, info(2), FIRST, "", ACTOR)
    store.finalize(first.id, first.version, ACTOR)
    use(monkeypatch, INDEX_2027)
    second = store.create_draft(patient.id, info(9), SECOND, "", ACTOR)
    second = store.finalize(second.id, second.version, ACTOR)
    amendment = store.amend(second.id, "radiation below the knee was left out", ACTOR)
    amendment = store.save_draft(amendment.id, amendment.version, info(9), AMENDED, "", ACTOR)
    store.finalize(amendment.id, amendment.version, ACTOR)
    third = store.create_draft(patient.id, info(23), THIRD, "", ACTOR)
    return third, store.patient_history(patient.id)


def test_three_visits_with_an_amendment_and_a_rule_set_change(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    third, history = three_visits(store, monkeypatch)
    assert len(history) == 4  # two versions of the second visit
    order = [i.id for i in load_catalogue("2027.1").items]
    result = follow_up(visit_of(third), [visit_of(h) for h in history], order)
    assert result is not None
    # Since the second visit, as amended (its finalized amendment, not the first signed version).
    assert result.since.date == dt.date(2026, 3, 9) and result.since.amends_id is not None
    got = {c.item_id: (c.then, c.now, c.kind) for c in result.changes}
    assert got == {
        "sensory_changes": ("no", "yes", CHANGED),
        "joint_line_tenderness": ("medial", "none", CHANGED),
        "slr": ("negative", "positive", CHANGED),
        "dermatomal_deficit": (None, "L5", NEW),
        "back_pain": ("yes", None, NO_LONGER),
        "rf_weight_loss_night_pain": ("yes", None, NO_LONGER),
    }  # swelling "trace" and radiating "yes" did not change: not listed
    assert [c.item_id for c in result.changes] == [i for i in order if i in got]  # the checklist's order
    # Then and now: as stored, each under its own rule set.
    stored_then = next(h for h in history if h.id == result.since.id).assessment
    assert result.then["scores"] == stored_then["scores"] and result.then["direction"] == stored_then["direction"]
    assert result.now["scores"] == third.assessment["scores"] and result.now["urgency"] == third.assessment["urgency"]
    # The chart: three visits (the amended one once), oldest first, the rule-set change marked.
    chart = result.chart
    assert [p.date.day for p in chart] == [2, 9, 23]
    assert [p.ruleset for p in chart] == ["2026.1", "2027.1", "2027.1"]
    assert [p.ruleset_changed for p in chart] == [False, True, False]
    assert [p.current for p in chart] == [False, False, True]
    first_stored = next(h for h in history if h.info.date.day == 2)
    assert chart[0].scores == first_stored.assessment["scores"]
    assert set(chart[2].scores) == {"spinal", "local", "hip"}


def test_a_first_visit_has_no_comparison(store: Store) -> None:
    patient = store.create_patient(Patient("FU-2", "First", "Finn", dt.date(1970, 1, 1), "male"), ACTOR)
    draft = store.create_draft(patient.id, info(2), FIRST, "", ACTOR)
    history = store.patient_history(patient.id)
    assert follow_up(visit_of(draft), [visit_of(h) for h in history], []) is None


def test_an_amendment_is_compared_with_the_visit_before_not_with_what_it_amends(store: Store,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    third, history = three_visits(store, monkeypatch)
    amendment = next(h for h in history if h.amends_id is not None)
    result = follow_up(visit_of(amendment), [visit_of(h) for h in history], [])
    assert result is not None and result.since.date == dt.date(2026, 3, 2)  # the first visit
    assert len(visits(visit_of(h) for h in history)) == 3


def summary_text(record: Any, history: list[Any]) -> tuple[str, bytes]:
    import subprocess
    import tempfile

    from models.follow_up import checklist_order
    from models.records import summary_status
    from reports.summary import render_summary

    since = follow_up(visit_of(record), [visit_of(h) for h in history], checklist_order(record.ruleset))
    pdf = render_summary(record.to_case().to_dict(), record.assessment, status=summary_status(record),
                         follow_up=since.to_dict() if since else None)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split()), pdf


def test_the_summary_of_a_follow_up_shows_what_changed_and_a_first_visit_none(store: Store,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    third, history = three_visits(store, monkeypatch)
    text, _pdf = summary_text(third, history)
    assert "Since the visit of 2026-03-09" in text
    assert "Straight leg raise Negative Positive" in text
    assert "Dermatomal deficit not assessed L5" in text
    # A draft: what was recorded last time and not yet now is not a change to "not assessed" (right
    # after New encounter that would be every finding); a red flag present last time comes first.
    assert "Red flags present last time, not asked yet: Weight loss or night pain (Yes last time)" in text
    assert "Recorded last time, not yet this time: Back pain" in text
    assert "Finding Then So far" in text and "Back pain Yes not assessed" not in text
    assert "Swelling Trace" not in text.split("Since the visit of")[1].split("Direction:")[0]
    since = follow_up(visit_of(third), [visit_of(h) for h in history], []).since  # type: ignore[union-attr]
    labels = [(t.id, t.label.lower()) for t in load_catalogue("2027.1").targets]

    def scores(assessment: dict[str, Any]) -> str:
        return ", ".join(f"{label} {assessment['scores'][tid]}" for tid, label in labels)

    assert f"Scores (then \u2192 so far): {scores(dict(since.assessment))} \u2192 {scores(third.assessment)}" in text
    assert "rule set 2027.1" in text  # the chart marks where the rule set changed
    first = min(history, key=lambda h: h.id)
    first_text, _ = summary_text(first, history)
    assert "Since the visit of" not in first_text


def test_the_window_panel_shows_since_the_visit_of_and_the_chart(qtbot, store: Store, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                  isolated_settings: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui_helpers import make_window

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    third, history = three_visits(store, monkeypatch)
    window = make_window(qtbot, store)
    window.open_patient(third.patient)
    assert window.ops.wait_idle()
    assert window.open_encounter(third.id)
    qtbot.waitUntil(lambda: window.session.record is not None and window.session.record.id == third.id)
    assert window.ops.wait_idle()
    box = window.area.panel.follow_up_box
    qtbot.waitUntil(lambda: box is not None or window.area.panel.follow_up_box is not None)
    box = window.area.panel.follow_up_box
    qtbot.waitUntil(box.isVisible)
    assert box.title() == "Since the visit of 2026-03-09"
    text = box.changes_label.text()
    assert "Straight leg raise: Negative \u2192 Positive" in text
    assert "Recorded last time, not yet this time: Back pain" in text
    assert text.startswith("\u26a0 Red flags present last time, not asked yet: Weight loss or night pain (Yes last time)")
    assert "Swelling" not in text
    chart = box.chart
    assert chart.isVisible() and [p["date"] for p in chart.points] == ["2026-03-02", "2026-03-09", "2026-03-23"]
    assert "rule set 2027.1" in chart.accessibleDescription()
    # A live change shows at once: the comparison follows the editor.
    window.editor.controls["swelling"].set_value("effusion")
    assert "Swelling: Trace \u2192 Effusion" in box.changes_label.text()
    # The first visit has no comparison.
    first = min(history, key=lambda h: h.id)
    window.session.close()
    window.encounter_ui.clear()
    assert window.open_encounter(first.id)
    qtbot.waitUntil(lambda: window.session.record is not None and window.session.record.id == first.id)
    assert window.ops.wait_idle()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_follow_up_summary_is_valid_pdfa_as_the_window_makes_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's summaries are PDF/A (every font embedded): the chart once drew in Helvetica."""
    from models.follow_up import checklist_order
    from ui.settings import Settings
    from ui.summary_view import render_pdf

    third, history = three_visits(store, monkeypatch)
    since = follow_up(visit_of(third), [visit_of(h) for h in history], checklist_order(third.ruleset))
    assert since is not None
    pdf = render_pdf(third, Settings(), None, since.to_dict())
    assert pdf.startswith(b"%PDF") and b"/Helvetica" not in pdf


def test_a_finalized_follow_up_lists_what_is_no_longer_assessed_and_only_the_same_knee_counts(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    third, history = three_visits(store, monkeypatch)
    final = store.finalize(third.id, third.version, ACTOR)
    history = store.patient_history(third.patient.id)
    text, _ = summary_text(final, history)
    assert "Finding Then Now" in text and "Back pain Yes not assessed" in text
    assert "Weight loss or night pain Yes not assessed" in text and "not asked yet" not in text
    # A right-knee visit a week later: the earlier visits were all of the left knee, so none to compare.
    right = store.create_draft(third.patient.id, EncounterInfo(date=dt.date(2026, 3, 30), knee="right", clinician=ACTOR.clinician),
                               THIRD, "", ACTOR)
    assert follow_up(visit_of(right), [visit_of(h) for h in store.patient_history(third.patient.id)], []) is None
    # And the left knee's next visit still compares with the left knee's last one.
    left = store.create_draft(third.patient.id, info(30), THIRD, "", ACTOR)
    later = follow_up(visit_of(left), [visit_of(h) for h in store.patient_history(third.patient.id)], [])
    assert later is not None and later.since.id == final.id and [p.date.day for p in later.chart] == [2, 9, 23, 30]
    # Shown again, the visit of the 23rd charts all the knee's visits, the later one too (itself marked).
    again = follow_up(visit_of(final), [visit_of(h) for h in store.patient_history(third.patient.id)], [])
    assert again is not None and [(p.date.day, p.current) for p in again.chart] == [
        (2, False), (9, False), (23, True), (30, False)]


def test_the_command_line_summary_carries_the_same_follow_up(store: Store, db_url: str, tmp_path: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding: only the window's summaries had "Since the visit of"; `export -o` had not."""
    import subprocess

    import main

    third, _history = three_visits(store, monkeypatch)
    out = tmp_path / "third.pdf"
    monkeypatch.setenv("KNEECHECK_CLINICIAN", ACTOR.clinician)
    assert main.main(["--db", db_url, "export", str(third.id), "-o", str(out)]) == 0
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True).stdout.split())
    assert "Since the visit of 2026-03-09" in text and "Straight leg raise Negative Positive" in text


def test_the_visits_are_read_in_one_statement_and_match_the_whole_records(store: Store,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Review finding: the history read each whole record (about four queries each) before every summary."""
    third, history = three_visits(store, monkeypatch)
    assert store.patient_visits(third.patient.id) == [visit_of(h) for h in history]
