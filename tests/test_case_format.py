"""The kneecheck-case/1 format: every kind of bad input is refused with a message naming the field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from models.case import CaseError, loads_case, parse_case
from tests.helpers import make_case

TODAY = dt.date(2026, 11, 23)


def _without(section: str, key: str) -> dict[str, Any]:
    case = make_case()
    del case[section][key]
    return case


BAD_CASES: list[tuple[str, Any, str, str]] = [
    # description, case, field named, words in the message
    ("not an object", [], "", "must be an object"),
    ("unknown top-level key", {**make_case(), "extra": 1}, "extra", "unknown field"),
    ("missing patient", {k: v for k, v in make_case().items() if k != "patient"}, "patient", "required"),
    ("wrong format", {**make_case(), "format": "kneecheck-case/2"}, "format", "expected"),
    ("format not a string", {**make_case(), "format": 1}, "format", "not supported"),
    ("patient not an object", make_case(patient="Doe"), "patient", "must be an object"),
    ("unknown patient key", make_case(patient={"nickname": "JD"}), "patient.nickname", "unknown field"),
    ("missing mrn", _without("patient", "mrn"), "patient.mrn", "required"),
    ("empty mrn", make_case(patient={"mrn": "  "}), "patient.mrn", "empty"),
    ("mrn with spaces around", make_case(patient={"mrn": " A-1 "}), "patient.mrn", "spaces"),
    ("mrn too long", make_case(patient={"mrn": "A" * 65}), "patient.mrn", "limit"),
    ("family name a number", make_case(patient={"family_name": 42}), "patient.family_name", "must be a string"),
    ("control character in name", make_case(patient={"family_name": "Do\x00e"}), "patient.family_name", "control"),
    ("newline in name", make_case(patient={"given_name": "Ja\nne"}), "patient.given_name", "control"),
    ("sex abbreviation", make_case(patient={"sex": "f"}), "patient.sex", "female, male, other, unknown"),
    ("impossible birth date", make_case(patient={"birth_date": "1961-02-30"}), "patient.birth_date", "not a valid date"),
    ("birth date not ISO", make_case(patient={"birth_date": "02/04/1961"}), "patient.birth_date", "not a valid date"),
    ("week date", make_case(patient={"birth_date": "1961-W04-1"}), "patient.birth_date", "not a valid date"),
    ("ordinal date", make_case(encounter={"date": "2026-300"}), "encounter.date", "not a valid date"),
    ("birth date a number", make_case(patient={"birth_date": 19610402}), "patient.birth_date", "ISO 8601"),
    ("birth after encounter", make_case(patient={"birth_date": "2026-11-22"}, encounter={"date": "2026-11-20"}),
     "patient.birth_date", "after the encounter"),
    ("200-year-old patient", make_case(patient={"birth_date": "1826-01-01"}), "patient.birth_date", "over 125"),
    ("birth date in the future", make_case(patient={"birth_date": "2027-01-01"}), "patient.birth_date", "future"),
    ("encounter in the future", make_case(encounter={"date": "2027-06-01"}), "encounter.date", "future"),
    ("missing knee", _without("encounter", "knee"), "encounter.knee", "required"),
    ("knee not allowed", make_case(encounter={"knee": "middle"}), "encounter.knee", "left, right, both"),
    ("empty clinician", make_case(encounter={"clinician": ""}), "encounter.clinician", "empty"),
    ("findings a list", {**make_case(), "findings": []}, "findings", "must be an object"),
    ("unknown item", make_case({"drawer_test": "positive"}), "findings.drawer_test", "unknown checklist item"),
    ("value outside the list", make_case({"slr": "maybe"}), "findings.slr", "positive, negative"),
    ("yes/no as boolean", make_case({"back_pain": True}), "findings.back_pain", "yes, no"),
    ("choice as number", make_case({"swelling": 3}), "findings.swelling", "none, trace, effusion"),
    ("wrong case", make_case({"slr": "Positive"}), "findings.slr", "positive, negative"),
    ("number as string", make_case({"slr_angle": "40"}), "findings.slr_angle", "must be a number"),
    ("number as boolean", make_case({"slr_angle": True}), "findings.slr_angle", "must be a number"),
    ("angle too large", make_case({"slr_angle": 91}), "findings.slr_angle", "out of range"),
    ("integer too large for a float", make_case({"duration_weeks": 10**400}), "findings.duration_weeks",
     "a very large number is out of range"),
    ("negative duration", make_case({"duration_weeks": -1}), "findings.duration_weeks", "out of range"),
    ("notes a number", {**make_case(), "notes": 5}, "notes", "must be a string"),
    ("notes too long", {**make_case(), "notes": "x" * 20001}, "notes", "limit"),
]


@pytest.mark.parametrize(("description", "case", "field", "words"), BAD_CASES, ids=[b[0] for b in BAD_CASES])
def test_bad_case_names_the_field(description: str, case: Any, field: str, words: str) -> None:
    with pytest.raises(CaseError) as err:
        parse_case(case, today=TODAY)
    assert err.value.field == field
    assert words in err.value.message


@pytest.mark.parametrize(("text", "words"), [
    ("{", "not valid JSON"),
    ("", "not valid JSON"),
    ('{"format": NaN}', "NaN is not a valid JSON number"),
    ('{"format": Infinity}', "Infinity is not a valid JSON number"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
])
def test_unparseable_text(text: str, words: str) -> None:
    with pytest.raises(CaseError) as err:
        loads_case(text, today=TODAY)
    assert words in str(err.value)


def test_duplicate_key_is_refused_not_silently_overwritten() -> None:
    text = json.dumps(make_case({"slr": "positive"})).replace('"slr": "positive"', '"slr": "positive", "slr": "negative"')
    with pytest.raises(CaseError) as err:
        loads_case(text, today=TODAY)
    assert err.value.field == "slr" and "twice" in err.value.message


def test_round_trip_keeps_everything() -> None:
    raw = make_case({"slr": "positive", "slr_angle": 45.5, "swelling": "trace", "duration_weeks": 0},
                    notes="Line one\nLine <two> & three\tend", patient={"family_name": "Παπαδόπουλος"})
    case = parse_case(raw, today=TODAY)
    assert case.to_dict() == raw
    assert parse_case(case.to_dict(), today=TODAY) == case


def test_findings_kept_in_checklist_order_and_nulls_dropped() -> None:
    case = parse_case(make_case({"swelling": "none", "pain_region": "medial", "slr": None}), today=TODAY)
    assert list(case.findings) == ["pain_region", "swelling"]


def test_notes_optional_and_empty_given_name_allowed() -> None:
    raw = make_case(patient={"given_name": ""})
    del raw["notes"]
    case = parse_case(raw, today=TODAY)
    assert case.notes == "" and case.patient.display_name == "Testperson"


def test_encounter_tomorrow_allowed_for_time_zones() -> None:
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    assert parse_case(make_case(encounter={"date": tomorrow}), today=TODAY).encounter.date.isoformat() == tomorrow


def test_huge_integer_in_a_file_is_a_clean_error() -> None:
    text = json.dumps(make_case({"slr_angle": 1})).replace('"slr_angle": 1', '"slr_angle": 1' + "0" * 400)
    with pytest.raises(CaseError) as err:
        loads_case(text, today=TODAY)
    assert err.value.field == "findings.slr_angle" and "out of range" in err.value.message


@pytest.mark.parametrize("name", ["Dr Ada\nforged line", "Dr \x1b[31mRed", "", "x" * 201])
def test_audit_clinician_is_validated(name: str) -> None:
    from models.records import Actor

    with pytest.raises(CaseError) as err:
        Actor.current(name)
    assert err.value.field == "clinician"
