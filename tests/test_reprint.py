"""A stored assessment keeps its rule set: reprints and re-assessment across a rule-set change.

An encounter finalized under 2026.1 is reprinted byte for byte (``invariant=True``) after 2027.1
became current, from its stored assessment and its own rule set's words: never recomputed. A draft
stored under 2026.1 is re-assessed under 2027.1 when it is next saved; a finalized one never is.
The findings used make the two rule sets disagree: a brisk patellar reflex with upper motor neuron
signs not examined is ``cord_signs`` (emergency) under 2026.1 and ``brisk_reflex_check`` (check)
under 2027.1, and the saddle anaesthesia action line is worded differently in each.

Runs on SQLite and on PostgreSQL (the ``store`` fixture of tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import models.catalogue
from models.assessment import assess, assess_findings
from models.case import EncounterInfo, Patient
from models.catalogue import INDEX_PATH, current_ruleset, load_catalogue
from models.records import summary_status
from models.store import Actor, EncounterRecord, FinalizedError, Store
from reports.summary import render_summary

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
PATIENT = Patient("RS-2026", "Reprint", "Rosa", dt.date(1968, 5, 17), "female")
AGE = 58  # on INFO.date
LETTERHEAD = {"clinic_name": "Riverside Clinic", "clinic_address": "1 Main Street\nSpringfield"}

# Back pain and a radicular picture, saddle anaesthesia, a brisk knee reflex; upper motor neuron
# signs not examined (2027.1 has that item, 2026.1 does not).
FINDINGS: dict[str, Any] = {
    "back_pain": "yes",
    "radiating_below_knee": "yes",
    "sensory_changes": "yes",
    "slr": "positive",
    "joint_line_tenderness": "none",
    "swelling": "none",
    "patellar_reflex": "brisk",
    "rf_saddle_anaesthesia": "yes",
    "rf_bladder_bowel": "no",
}

INDEX_2026 = {"current": "2026.1", "rulesets": ["2026.1", "2027.1"]}
INDEX_2027 = {"current": "2027.1", "rulesets": ["2026.1", "2027.1"]}


def use_ruleset(monkeypatch: pytest.MonkeyPatch, index: dict[str, Any]) -> None:
    monkeypatch.setattr(models.catalogue, "_index", dict(index))
    assert current_ruleset() == index["current"]


def alert_ids(result: dict[str, Any]) -> list[str]:
    return [a["id"] for a in result["alerts"]]


def reprint(record: EncounterRecord, **kwargs: Any) -> bytes:
    """The summary exactly as the app renders a stored encounter (ui/summary_view.render_pdf)."""
    kwargs.setdefault("invariant", True)
    return render_summary(record.to_case().to_dict(), record.assessment, status=summary_status(record),
                          letterhead=LETTERHEAD, **kwargs)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def finalized_under_2026(store: Store, monkeypatch: pytest.MonkeyPatch) -> EncounterRecord:
    """An encounter drafted and finalized while 2026.1 was current; 2027.1 is current afterwards."""
    use_ruleset(monkeypatch, INDEX_2026)
    patient = store.create_patient(PATIENT, ACTOR)
    draft = store.create_draft(patient.id, INFO, FINDINGS, "saddle numbness since this morning", ACTOR)
    assert draft.ruleset == "2026.1" and draft.assessment["ruleset"] == "2026.1"
    final = store.finalize(draft.id, draft.version, ACTOR)
    use_ruleset(monkeypatch, INDEX_2027)
    return final


def test_the_two_rule_sets_really_disagree_on_these_findings() -> None:
    old = assess_findings(FINDINGS, AGE, load_catalogue("2026.1"), knee="left").to_dict()
    new = assess_findings(FINDINGS, AGE, load_catalogue("2027.1"), knee="left").to_dict()
    assert "cord_signs" in alert_ids(old) and "brisk_reflex_check" not in alert_ids(old)
    assert "brisk_reflex_check" in alert_ids(new) and "cord_signs" not in alert_ids(new)
    assert set(old["next_steps"]).isdisjoint(new["next_steps"])
    assert old["scores"] != new["scores"]


def test_finalized_2026_1_encounter_reprints_byte_identically_after_2027_1_becomes_current(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    use_ruleset(monkeypatch, INDEX_2026)
    patient = store.create_patient(PATIENT, ACTOR)
    draft = store.create_draft(patient.id, INFO, FINDINGS, "saddle numbness since this morning", ACTOR)
    final = store.finalize(draft.id, draft.version, ACTOR)
    at_the_time = store.load_encounter(final.id)
    assert at_the_time.status == "final" and at_the_time.ruleset == "2026.1"
    expected_2026 = assess(at_the_time.to_case(), load_catalogue("2026.1")).to_dict()
    assert at_the_time.assessment == expected_2026
    first = reprint(at_the_time)

    use_ruleset(monkeypatch, INDEX_2027)
    later = store.load_encounter(final.id)
    second = reprint(later)
    assert second == first, "the reprint of a finalized 2026.1 encounter changed once 2027.1 became current"

    # The stored assessment is the 2026.1 one, kept as it was: not recomputed under 2027.1.
    assert later.ruleset == "2026.1" and later.assessment["ruleset"] == "2026.1"
    assert later.assessment == at_the_time.assessment == expected_2026
    now_2027 = assess(later.to_case()).to_dict()
    assert now_2027["ruleset"] == "2027.1" and now_2027 != later.assessment
    assert "cord_signs" in alert_ids(later.assessment) and "brisk_reflex_check" not in alert_ids(later.assessment)
    assert "brisk_reflex_check" in alert_ids(now_2027)
    [summary] = store.list_encounters(later.patient.id)
    assert (summary.direction, summary.urgency) == (expected_2026["direction"], expected_2026["urgency"])

    # What it prints: the 2026.1 alerts with their 2026.1 actions, next steps and references.
    text = flat(pdf_text(second))
    old, new = load_catalogue("2026.1"), load_catalogue("2027.1")
    assert "Rule set 2026.1" in text and "Rule set 2027.1" not in text
    for alert in later.assessment["alerts"]:
        assert flat(alert["text"]) in text
        action, refs = old.action_given(alert["id"], later.assessment["next_steps"])
        assert action and flat(action) in text, alert["id"]
        for ref in refs:
            assert flat(old.references[ref]) in text, (alert["id"], ref)
    for step in later.assessment["next_steps"]:
        assert flat(step) in text
    for alert in now_2027["alerts"]:
        assert flat(new.alerts[alert["id"]].text) not in text or alert["id"] in alert_ids(later.assessment)
    for step in now_2027["next_steps"]:
        assert flat(step) not in text, step
    assert store.verify() == []


def test_export_command_prints_the_2026_1_summary_with_2027_1_current(
        db_url: str, store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    final = finalized_under_2026(store, monkeypatch)
    # The command runs in a new process, which reads the real index: 2027.1 is current there.
    assert json.loads(INDEX_PATH.read_text(encoding="utf-8"))["current"] == "2027.1"
    out = tmp_path / "summary.pdf"
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "KNEECHECK_CLINICIAN": "Dr Script"}
    env.pop("KNEECHECK_DB", None)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db_url, "export", str(final.id),
                             "-o", str(out)], capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    exported = out.read_bytes()

    record = store.load_encounter(final.id)
    assert record.ruleset == "2026.1" and record.assessment == final.assessment
    # The command prints the generation time (not invariant): render the same way now and
    # compare the text with every time stamp folded out.
    same = render_summary(record.to_case().to_dict(), record.assessment, status=summary_status(record),
                          generated_at=dt.datetime.now().astimezone())
    stamp = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC(?:[+-]\d{2}:\d{2})?")
    cli_text, expected_text = pdf_text(exported), pdf_text(same)
    assert stamp.sub("<time>", cli_text) == stamp.sub("<time>", expected_text)
    folded = flat(cli_text)
    assert "Rule set 2026.1" in folded
    old = load_catalogue("2026.1")
    for alert in record.assessment["alerts"]:
        action, _refs = old.action_given(alert["id"], record.assessment["next_steps"])
        assert flat(alert["text"]) in folded and flat(action) in folded
    for step in assess(record.to_case()).next_steps:  # what 2027.1 would say now
        assert flat(step) not in folded, step


def test_a_2026_1_draft_is_reassessed_under_2027_1_when_next_saved_a_finalized_one_never(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    use_ruleset(monkeypatch, INDEX_2026)
    patient = store.create_patient(PATIENT, ACTOR)
    draft = store.create_draft(patient.id, INFO, FINDINGS, "", ACTOR)
    other = store.create_draft(patient.id, INFO, FINDINGS, "signed", ACTOR)
    final = store.finalize(other.id, other.version, ACTOR)
    old_result = assess(draft.to_case(), load_catalogue("2026.1")).to_dict()
    assert draft.ruleset == final.ruleset == "2026.1"
    assert draft.assessment == final.assessment == old_result

    use_ruleset(monkeypatch, INDEX_2027)
    # Loading changes nothing: the draft still holds its 2026.1 assessment until it is saved.
    loaded = store.load_encounter(draft.id)
    assert loaded.ruleset == "2026.1" and loaded.assessment == old_result
    saved = store.save_draft(loaded.id, loaded.version, loaded.info, loaded.findings, loaded.notes, ACTOR)
    new_result = assess(saved.to_case(), load_catalogue("2027.1")).to_dict()
    assert new_result != old_result
    assert saved.ruleset == "2027.1" and saved.assessment == new_result
    again = store.load_encounter(draft.id)
    assert again.ruleset == "2027.1" and again.assessment == new_result
    assert "brisk_reflex_check" in alert_ids(again.assessment) and "cord_signs" not in alert_ids(again.assessment)
    by_id = {s.id: s for s in store.list_encounters(patient.id)}
    assert (by_id[draft.id].direction, by_id[draft.id].urgency) == (new_result["direction"], new_result["urgency"])

    # The finalized 2026.1 encounter stays 2026.1 and cannot be re-assessed by a save.
    still = store.load_encounter(final.id)
    assert still.ruleset == "2026.1" and still.assessment == old_result
    with pytest.raises(FinalizedError):
        store.save_draft(still.id, still.version, still.info, still.findings, still.notes, ACTOR)
    assert store.load_encounter(final.id).assessment == old_result
    assert (by_id[final.id].direction, by_id[final.id].urgency) == (old_result["direction"], old_result["urgency"])

    # Its amendment starts as a copy (a draft stored under 2026.1) and is re-assessed when saved;
    # the finalized original keeps its 2026.1 assessment.
    amendment = store.amend(final.id, "reflex re-examined", ACTOR)
    assert amendment.ruleset == "2026.1" and amendment.assessment == old_result
    amended = store.save_draft(amendment.id, amendment.version, amendment.info, amendment.findings,
                               amendment.notes, ACTOR)
    assert amended.ruleset == "2027.1" and amended.assessment == assess(amended.to_case()).to_dict()
    assert store.load_encounter(final.id).ruleset == "2026.1"
    assert store.load_encounter(final.id).assessment == old_result
    assert store.verify() == []


def test_finalizing_a_2026_1_draft_under_2027_1_signs_the_2027_1_assessment(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever calls finalize (the window saves first; the store does not rely on it), a draft last
    saved under 2026.1 is never signed with its stale 2026.1 result."""
    use_ruleset(monkeypatch, INDEX_2026)
    patient = store.create_patient(PATIENT, ACTOR)
    draft = store.create_draft(patient.id, INFO, FINDINGS, "", ACTOR)
    assert draft.ruleset == "2026.1" and "cord_signs" in alert_ids(draft.assessment)
    use_ruleset(monkeypatch, INDEX_2027)
    final = store.finalize(draft.id, draft.version, ACTOR)
    assert final.ruleset == "2027.1"
    assert final.assessment == assess(final.to_case(), load_catalogue("2027.1")).to_dict()
    assert "brisk_reflex_check" in alert_ids(final.assessment) and "cord_signs" not in alert_ids(final.assessment)
    assert store.verify() == []


def test_finalize_after_a_birth_date_correction_signs_the_corrected_assessment(store: Store) -> None:
    """The draft was saved for a 30-year-old; the birth date is then corrected to a 12-year-old's:
    finalize (whoever calls it) signs the assessment at 12, with its slipped-epiphysis alert."""
    adult = Patient("RS-2027", "Korrigiert", "Kim", dt.date(1996, 5, 17), "unknown")
    patient = store.create_patient(adult, ACTOR)
    draft = store.create_draft(patient.id, INFO, {"hip_rotation_limited": "yes", "swelling": "none"}, "", ACTOR)
    assert "scfe" not in alert_ids(draft.assessment)
    store.update_patient(patient.id, Patient("RS-2027", "Korrigiert", "Kim", dt.date(2014, 5, 17), "unknown"), ACTOR,
                         expected_version=patient.version)
    final = store.finalize(draft.id, draft.version, ACTOR)
    assert "scfe" in alert_ids(final.assessment)
    assert final.assessment == assess(final.to_case()).to_dict()
    assert store.verify() == []
