"""FHIR R4 records: the Bundle builder, the Questionnaire and CodeSystem, the verified-codes table,
the importer, and the store's bulk read. fhirclient (R4 models) reads every Bundle back; FHIRPath
(tests/fhir_checks.py) checks what fhirclient does not: required bindings, references, the
attachment's size and hash, one item per finding, no empty values."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import sqlalchemy as sa
from fhirclient.models.bundle import Bundle
from fhirclient.models.codesystem import CodeSystem
from fhirclient.models.questionnaire import Questionnaire

from models.assessment import assess
from models.case import CaseError, parse_case
from models.catalogue import known_rulesets, load_catalogue
from models.fhir_import import case_from_bundle
from models.fhir_terms import (
    CODE_SYSTEM_URL,
    DEFAULT_MRN_SYSTEM,
    QUESTIONNAIRE_URL,
    CodesError,
    VerifiedCode,
    VerifiedCodes,
    parse_verified_codes,
    verified_codes,
)
from models.store import Actor, Store
from reports.fhir import (
    FhirBuildError,
    ShapeValidator,
    code_system,
    document_uuid,
    encounter_bundle,
    patient_uuid,
    practitioner_uuid,
    questionnaire,
    validate_bundle,
)
from tests.fhir_checks import bundle_problems, definition_problems, fp
from tests.helpers import CASE_NAMES, CASE_NAMES_2026_1, load_example, make_case

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
SHA = hashlib.sha256(b"revision").hexdigest()
PDF = b"%PDF-1.7\n% a stand-in for the summary\n%%EOF\n"
MRN_SYSTEM = "https://clinic.example/fhir/mrn"


def meta(state: str = "draft", encounter_id: int = 7, finalized_by: str = "Dr Ada Example") -> dict[str, Any]:
    final = state != "draft"
    return {"id": encounter_id, "status": "final" if final else "draft",
            "amends_id": 3 if state == "amended" else None,
            "updated_at": "2026-11-20T09:30:00.250000+00:00",
            "finalized_at": "2026-11-20T10:15:00+01:00" if final else None,
            "finalized_by": finalized_by if final else None, "revision_sha256": SHA if final else None,
            "created_at": "2026-11-20T09:00:00.123456+00:00", "version": 3}


def example(name: str, ruleset: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    raw, _ = load_example(name)
    case = parse_case(raw, load_catalogue(ruleset))
    return case.to_dict(), assess(case, load_catalogue(ruleset)).to_dict()


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


# --- the Bundle ------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["draft", "final", "amended"])
@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_example_case_makes_a_valid_bundle(name: str, state: str) -> None:
    case, assessment = example(name)
    bundle = encounter_bundle(case, assessment, meta(state), mrn_system=MRN_SYSTEM, pdf=PDF)
    assert Bundle(bundle).as_json() == bundle  # fhirclient reads it and writes back the same
    assert bundle_problems(bundle) == []
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    expected = ["Patient", "Practitioner", "Encounter", "QuestionnaireResponse", "RiskAssessment", "DocumentReference"]
    assert kinds == expected + (["Provenance"] if state != "draft" else [])
    # One item per recorded finding, in checklist order, linkId = item id.
    [response] = resources(bundle, "QuestionnaireResponse")
    assert [i["linkId"] for i in response["item"]] == list(case["findings"])
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|2027.1"
    [patient] = resources(bundle, "Patient")
    assert fp(patient, "identifier.where(system = %s).value", {"s": MRN_SYSTEM}) == [case["patient"]["mrn"]]


@pytest.mark.parametrize("name", CASE_NAMES_2026_1)
def test_a_2026_1_encounter_points_at_the_2026_1_questionnaire(name: str) -> None:
    case, assessment = example(name, "2026.1")
    bundle = encounter_bundle(case, assessment, meta("final"), pdf=PDF)
    assert bundle_problems(bundle) == []
    [response] = resources(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|2026.1"
    assert case_from_bundle(bundle, mrn_system=DEFAULT_MRN_SYSTEM).to_dict() == case


def test_not_assessed_items_get_no_item_and_answers_are_the_questionnaires() -> None:
    raw = make_case({"slr": "positive", "slr_angle": 40, "sensory_changes": None, "fever": "no", "swelling": None})
    case = parse_case(raw)
    bundle = encounter_bundle(case.to_dict(), assess(case).to_dict(), meta())
    [response] = resources(bundle, "QuestionnaireResponse")
    assert [i["linkId"] for i in response["item"]] == ["fever", "slr", "slr_angle"]
    assert fp(response, "item.where(linkId = 'slr_angle').answer.valueDecimal") == [40]
    # Every coded answer is one of its item's answer options in the Questionnaire.
    q = questionnaire("2027.1")
    options = {i["linkId"]: [o["valueCoding"]["code"] for o in i.get("answerOption", [])] for i in q["item"]}
    for item in response["item"]:
        coding = item["answer"][0].get("valueCoding")
        if coding:
            assert coding["system"] == CODE_SYSTEM_URL and coding["code"] in options[item["linkId"]]
    empty = encounter_bundle(parse_case(make_case({})).to_dict(), assess(parse_case(make_case({}))).to_dict(), meta())
    [nothing] = resources(empty, "QuestionnaireResponse")
    assert "item" not in nothing and bundle_problems(empty) == []


def test_every_kneecheck_code_in_a_bundle_is_in_the_codesystem() -> None:
    for name in CASE_NAMES:
        case, assessment = example(name)
        bundle = encounter_bundle(case, assessment, meta("final"), pdf=PDF)
        codes = {c["code"] for c in code_system("2027.1")["concept"]}
        used = fp(bundle, "Bundle.entry.resource.descendants().where(system = %s).code", {"s": CODE_SYSTEM_URL})
        assert used and set(used) <= codes, set(used) - codes


def test_the_risk_assessment_carries_direction_urgency_alerts_reason_and_notes() -> None:
    case, assessment = example("cauda_equina")
    case["notes"] = "Seen with her daughter.\nLine two."
    bundle = encounter_bundle(case, assessment, meta("final"))
    [risk] = resources(bundle, "RiskAssessment")
    assert risk["status"] == "final"
    first, *alerts = risk["prediction"]
    assert first["outcome"]["coding"][0]["code"] == "direction-spinal"
    assert first["qualitativeRisk"]["coding"][0]["code"] == "urgency-emergency"
    assert first["rationale"] == assessment["reason"]
    assert [a["outcome"]["coding"][0]["code"] for a in alerts] == [f"alert-{a['id']}" for a in assessment["alerts"]]
    assert [a["outcome"]["text"] for a in alerts] == [a["text"] for a in assessment["alerts"]]
    assert risk["mitigation"].split("\n") == assessment["next_steps"]
    assert risk["note"][0]["text"] == case["notes"]
    assert fp(bundle, "Bundle.entry.resource.ofType(RiskAssessment).basis.reference") == \
        fp(bundle, "Bundle.entry.where(resource is QuestionnaireResponse).fullUrl")


def test_statuses_follow_draft_final_and_amended() -> None:
    case, assessment = example("hip_referred")
    seen = {}
    for state in ("draft", "final", "amended"):
        bundle = encounter_bundle(case, assessment, meta(state), pdf=PDF)
        seen[state] = [fp(bundle, f"Bundle.entry.resource.ofType({kind}).{element}")[0] for kind, element in (
            ("Encounter", "status"), ("QuestionnaireResponse", "status"), ("RiskAssessment", "status"),
            ("DocumentReference", "docStatus"))]
    assert seen == {"draft": ["in-progress", "in-progress", "preliminary", "preliminary"],
                    "final": ["finished", "completed", "final", "final"],
                    "amended": ["finished", "amended", "amended", "amended"]}


def test_provenance_names_who_finalized_when_with_the_revision_hash() -> None:
    case, assessment = example("l3_radiculopathy")
    assert not resources(encounter_bundle(case, assessment, meta("draft")), "Provenance")
    bundle = encounter_bundle(case, assessment, meta("final", finalized_by="Dr Bea Second"), pdf=PDF)
    [provenance] = resources(bundle, "Provenance")
    assert provenance["recorded"] == "2026-11-20T09:15:00Z"  # the finalize time, in UTC
    assert fp(provenance, "entity.what.identifier.value") == [SHA]
    who = provenance["agent"][0]["who"]["reference"]
    [finalizer] = [e["resource"] for e in bundle["entry"] if e["fullUrl"] == who]
    assert finalizer["name"][0]["text"] == "Dr Bea Second"  # not the encounter's clinician
    assert len(resources(bundle, "Practitioner")) == 2
    targets = set(fp(provenance, "target.reference"))
    assert targets == set(fp(bundle, "Bundle.entry.where(resource is Encounter or resource is QuestionnaireResponse "
                                     "or resource is RiskAssessment or resource is DocumentReference).fullUrl"))
    same = encounter_bundle(case, assessment, meta("final"), pdf=PDF)
    assert len(resources(same, "Practitioner")) == 1  # the clinician finalized it: one Practitioner
    with pytest.raises(FhirBuildError, match="revision_sha256"):
        encounter_bundle(case, assessment, {**meta("final"), "revision_sha256": None})


def test_the_document_reference_holds_the_pdf_with_size_and_sha1() -> None:
    from reports.archive import encounter_summary

    case, assessment = example("knee_osteoarthritis")
    pdf = encounter_summary(case, assessment, invariant=True)
    bundle = encounter_bundle(case, assessment, meta("final"), pdf=pdf)
    [document] = resources(bundle, "DocumentReference")
    attachment = document["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == pdf and pdf.startswith(b"%PDF")
    assert attachment["size"] == len(pdf)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()
    assert bundle_problems(bundle) == []
    assert not resources(encounter_bundle(case, assessment, meta("final")), "DocumentReference")  # bulk: no PDF


def test_the_same_encounter_gets_the_same_ids_and_another_one_other_ids() -> None:
    """Ids are stable per encounter; the patient is one Patient and a clinician one Practitioner in
    every Bundle; another database's encounter with the same row number (of the same patient or
    another) shares nothing with it but those."""
    case, assessment = example("mixed_sources")
    one = encounter_bundle(case, assessment, meta(encounter_id=7), mrn_system=MRN_SYSTEM)
    assert encounter_bundle(case, assessment, meta(encounter_id=7), mrn_system=MRN_SYSTEM) == one
    ids = set(fp(one, "Bundle.entry.fullUrl"))
    clinician = practitioner_uuid(MRN_SYSTEM, case["encounter"]["clinician"])
    shared = {patient_uuid(MRN_SYSTEM, case["patient"]["mrn"]), clinician}
    assert shared <= ids

    def ids_of(c: dict[str, Any], m: dict[str, Any], system: str = MRN_SYSTEM) -> set[str]:
        return set(fp(encounter_bundle(c, assessment, m, mrn_system=system), "Bundle.entry.fullUrl"))

    assert ids & ids_of(case, meta(encounter_id=8)) == shared                       # the next visit
    # Another database: encounter 7 again (row numbers restart), first stored at another time.
    assert ids & ids_of(case, {**meta(encounter_id=7), "created_at": "2026-10-01T08:00:00.000001+00:00"}) == shared
    other_patient = copy.deepcopy(case)
    other_patient["patient"]["mrn"] = "P-9999"
    assert ids & ids_of(other_patient, meta(encounter_id=7)) == {clinician}
    assert not ids & ids_of(case, meta(encounter_id=7), DEFAULT_MRN_SYSTEM)        # another clinic's system

@pytest.mark.parametrize("mutation, problem", [
    (lambda b: b["entry"][2]["resource"].update(status="closed"), "Encounter).status"),
    (lambda b: b["entry"][3]["resource"].update(status="done"), "QuestionnaireResponse).status"),
    (lambda b: b["entry"][4]["resource"].update(status="draft"), "RiskAssessment).status"),
    (lambda b: b["entry"][5]["resource"].update(status="final"), "DocumentReference).status"),
    (lambda b: b["entry"][0]["resource"].update(gender="f"), "gender"),
    (lambda b: b["entry"][2]["resource"]["subject"].update(reference="urn:uuid:0"), "does not resolve"),
    (lambda b: b["entry"][5]["resource"]["content"][0]["attachment"].update(size=1), "Attachment.size"),
    (lambda b: b["entry"][5]["resource"]["content"][0]["attachment"].update(hash="AAAA"), "Attachment.hash"),
    (lambda b: b["entry"][3]["resource"]["item"].append(copy.deepcopy(b["entry"][3]["resource"]["item"][0])),
     "linkId appears twice"),
    (lambda b: b["entry"][3]["resource"]["item"][0].update(answer=[]), "empty or null"),
    (lambda b: b["entry"][1]["resource"]["name"][0].update(text=None), "empty or null"),
    (lambda b: b["entry"][1].update(fullUrl=b["entry"][0]["fullUrl"]), "not unique"),
])
def test_the_fhirpath_checks_catch_a_broken_bundle(mutation: Any, problem: str) -> None:
    case, assessment = example("sciatica_posterior_knee")
    bundle = encounter_bundle(case, assessment, meta("final"), pdf=PDF)
    mutation(bundle)
    assert any(problem in p for p in bundle_problems(bundle)), bundle_problems(bundle)


def test_fhirclient_refuses_what_the_builder_must_never_write() -> None:
    case, assessment = example("sciatica_posterior_knee")
    bundle = encounter_bundle(case, assessment, meta())
    for change in (lambda b: b["entry"][2]["resource"].pop("status"),           # required element missing
                   lambda b: b["entry"][0]["resource"].update(colour="blue"),   # unknown element
                   lambda b: b["entry"][0]["resource"].update(birthDate="20.11.1970")):  # not a FHIR date
        broken = copy.deepcopy(bundle)
        change(broken)
        with pytest.raises(FhirBuildError):
            validate_bundle(broken)


def test_the_shape_validator_validates_each_new_structure_in_full() -> None:
    validator = ShapeValidator()
    bundles = []
    for name in ("sciatica_posterior_knee", "l3_radiculopathy", "sciatica_posterior_knee"):
        case, assessment = example(name)
        bundles.append(encounter_bundle(case, assessment, meta(), validator=validator))
    assert validator.validated <= 2  # the third had a structure already validated
    case, assessment = example("cauda_equina")
    encounter_bundle(case, assessment, meta("final"), validator=validator)
    assert validator.validated >= 2
    before = validator.validated
    broken = copy.deepcopy(bundles[0])
    broken["entry"][2]["resource"]["colour"] = "blue"  # a structure never seen: validated, refused
    with pytest.raises(FhirBuildError):
        validator.check(broken)
    assert validator.validated == before
    # Values are checked by the builder itself, whatever the validator has seen.
    bad_date = copy.deepcopy(example("sciatica_posterior_knee")[0])
    bad_date["patient"]["birth_date"] = "1970-02-30"
    with pytest.raises(FhirBuildError, match="birth_date"):
        encounter_bundle(bad_date, example("sciatica_posterior_knee")[1], meta(), validator=validator)


def test_bad_builder_input_is_refused_naming_the_field() -> None:
    case, assessment = example("hip_referred")
    with pytest.raises(FhirBuildError, match="MRN system"):
        encounter_bundle(case, assessment, meta(), mrn_system="not a uri")
    with pytest.raises(FhirBuildError, match="findings.nonsense"):
        encounter_bundle({**case, "findings": {"nonsense": "yes"}}, assessment, meta())
    with pytest.raises(FhirBuildError, match="findings.slr"):
        encounter_bundle({**case, "findings": {"slr": "maybe"}}, assessment, meta())
    with pytest.raises(FhirBuildError, match="updated_at"):
        encounter_bundle(case, assessment, {**meta(), "updated_at": "2026-11-20T09:30:00"})
    with pytest.raises(FhirBuildError, match="ruleset"):
        encounter_bundle(case, {**assessment, "ruleset": "1999.9"}, meta())


# --- Questionnaire, CodeSystem and the verified codes --------------------------------------------

@pytest.mark.parametrize("ruleset", known_rulesets())
def test_the_questionnaire_has_one_item_per_checklist_item(ruleset: str) -> None:
    catalogue = load_catalogue(ruleset)
    q = questionnaire(ruleset)
    assert Questionnaire(q).as_json() == q and definition_problems(q) == []
    assert (q["url"], q["version"]) == (QUESTIONNAIRE_URL, ruleset)
    assert [(i["linkId"], i["text"]) for i in q["item"]] == [(i.id, i.label) for i in catalogue.items]
    for entry, item in zip(q["item"], catalogue.items, strict=True):
        assert entry["type"] == ("decimal" if item.is_number else "choice")
        if item.is_number:
            assert [e["valueDecimal"] for e in entry["extension"]] == [item.minimum, item.maximum]
        else:
            assert [o["valueCoding"]["code"] for o in entry["answerOption"]] == list(item.values)
        assert entry["code"] == [{"system": CODE_SYSTEM_URL, "code": item.id, "display": item.label}]


@pytest.mark.parametrize("ruleset", known_rulesets())
def test_the_codesystem_holds_every_item_and_answer(ruleset: str) -> None:
    catalogue = load_catalogue(ruleset)
    cs = code_system(ruleset)
    assert CodeSystem(cs).as_json() == cs and definition_problems(cs) == []
    assert (cs["url"], cs["version"], cs["content"]) == (CODE_SYSTEM_URL, ruleset, "complete")
    kinds = {c["code"]: c["property"][0]["valueCode"] for c in cs["concept"]}
    assert all(kinds[i.id] == "item" for i in catalogue.items)
    assert all(kinds[v] == "answer" for i in catalogue.items for v in i.values)
    assert all(kinds[f"alert-{a}"] == "alert" for a in catalogue.alerts)
    assert {"knee-left", "knee-right", "knee-both", "urgency-routine", "direction-mixed"} <= set(kinds)


def test_the_verified_codes_table_covers_every_item_and_holds_no_unverified_code() -> None:
    table = verified_codes()
    for ruleset in known_rulesets():
        for item in load_catalogue(ruleset).items:
            assert item.id in table.items, f"resources/fhir/codes.json has no entry for {item.id}"
            assert all(v in table.answers for v in item.values)
    # Shipped empty: no SNOMED CT or LOINC code was written from memory.
    assert all(not codes for codes in table.items.values()) and all(not codes for codes in table.answers.values())


def test_the_verified_codes_table_refuses_unknown_ids_and_unverified_entries() -> None:
    good = {"system": "http://snomed.info/sct", "code": "0", "display": "x", "verified_by": "Dr A",
            "verified_on": "2026-11-01"}
    assert parse_verified_codes({"format": "kneecheck-fhir-codes/1", "items": {"slr": [good]}}).items["slr"]
    for bad, words in [({"items": {"no_such_item": []}}, "no_such_item"),
                       ({"answers": {"sometimes": []}}, "sometimes"),
                       ({"items": {"slr": [{k: v for k, v in good.items() if k != "verified_by"}]}}, "verified_by"),
                       ({"items": {"slr": [{**good, "verified_on": "yesterday"}]}}, "verified_on"),
                       ({"items": {"slr": [{**good, "system": CODE_SYSTEM_URL}]}}, "system")]:
        with pytest.raises(CodesError, match=words):
            parse_verified_codes({"format": "kneecheck-fhir-codes/1", **bad})


def test_a_verified_code_goes_into_the_questionnaire_and_the_codesystem(monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.fhir

    code = VerifiedCode("http://loinc.org", "EXAMPLE-1", "An example, not a real code")
    monkeypatch.setattr(reports.fhir, "verified_codes",
                        lambda: VerifiedCodes(items={"slr": (code,)}, answers={"yes": (code,)}))
    [slr] = [i for i in questionnaire()["item"] if i["linkId"] == "slr"]
    assert slr["code"][1] == code.coding()
    concepts = {c["code"]: c for c in code_system()["concept"]}
    assert {"code": "equivalent", "valueCoding": code.coding()} in concepts["slr"]["property"]
    assert {"code": "equivalent", "valueCoding": code.coding()} in concepts["yes"]["property"]


def test_the_command_line_default_mrn_system_is_the_models_one() -> None:
    import commands._fhir

    assert commands._fhir.DEFAULT_MRN_SYSTEM == DEFAULT_MRN_SYSTEM


# --- import: a Bundle back into a case ---------------------------------------------------------------

@pytest.mark.parametrize("name", CASE_NAMES)
def test_a_bundle_gives_back_its_case(name: str) -> None:
    case, assessment = example(name)
    case["notes"] = "Free text\nwith a second line"
    bundle = json.loads(json.dumps(encounter_bundle(case, assessment, meta("final"), mrn_system=MRN_SYSTEM, pdf=PDF)))
    assert case_from_bundle(bundle, mrn_system=MRN_SYSTEM).to_dict() == case


def _bundle() -> dict[str, Any]:
    case, assessment = example("sciatica_posterior_knee")
    return json.loads(json.dumps(encounter_bundle(case, assessment, meta("final"), pdf=PDF)))


def _response(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")


def _set_answer(bundle: dict[str, Any], answer: dict[str, Any]) -> None:
    _response(bundle)["item"][0]["answer"] = [answer]


@pytest.mark.parametrize("change, field, words", [
    (lambda b: b.update(resourceType="Patient"), "resourceType", "not a KneeCheck Bundle"),
    (lambda b: b.pop("identifier"), "Bundle.identifier", "not a KneeCheck Bundle"),
    (lambda b: b["identifier"].update(system="https://elsewhere.example/bundles"), "Bundle.identifier", "KneeCheck"),
    (lambda b: b.update(type="transaction"), "Bundle.type", "collection"),
    (lambda b: _response(b)["item"][0].update(linkId="no_such_item"),
     "QuestionnaireResponse.item[linkId=no_such_item]", "unknown checklist item"),
    (lambda b: _response(b)["item"][0].pop("linkId"), "QuestionnaireResponse.item[0]", "no linkId"),
    (lambda b: _set_answer(b, {"valueCoding": {"system": CODE_SYSTEM_URL, "code": "sometimes"}}),
     "QuestionnaireResponse.item[linkId=pain_region]", "not allowed"),
    (lambda b: _set_answer(b, {"valueCoding": {"system": "http://snomed.info/sct", "code": "yes"}}),
     "QuestionnaireResponse.item[linkId=pain_region].answer.valueCoding", CODE_SYSTEM_URL),
    (lambda b: _set_answer(b, {"valueString": "yes"}), "QuestionnaireResponse.item[linkId=pain_region].answer",
     "valueCoding"),
    (lambda b: _set_answer(b, {"valueDecimal": 3}), "QuestionnaireResponse.item[linkId=pain_region]", "not allowed"),
    (lambda b: _response(b)["item"].append(copy.deepcopy(_response(b)["item"][0])),
     "QuestionnaireResponse.item[linkId=pain_region]", "appears twice"),
    (lambda b: _response(b)["item"][0].update(answer=[]), "QuestionnaireResponse.item[linkId=pain_region]",
     "exactly one answer"),
    (lambda b: _response(b).update(questionnaire=f"{QUESTIONNAIRE_URL}|1999.9"), "QuestionnaireResponse.questionnaire",
     "2027.1"),
    (lambda b: _response(b).update(questionnaire="http://elsewhere.example/q|2027.1"),
     "QuestionnaireResponse.questionnaire", QUESTIONNAIRE_URL),
    (lambda b: _response(b)["subject"].update(reference="urn:uuid:00000000-0000-5000-8000-000000000000"),
     "QuestionnaireResponse.subject", "does not resolve"),
    (lambda b: b["entry"][0]["resource"]["identifier"][0].update(system="urn:other:mrn"), "Patient.identifier",
     "MRN system"),
    (lambda b: b["entry"][0]["resource"].update(birthDate=f"{dt.date.today().year + 2}-01-01"), "Patient.birthDate",
     "future"),
    (lambda b: b["entry"][0]["resource"].update(gender="f"), "Patient.gender", "not allowed"),
    (lambda b: b["entry"][0]["resource"].update(colour="blue"), "Bundle", "not valid FHIR R4"),
    (lambda b: b["entry"][2]["resource"]["reasonCode"][0]["coding"][0].update(code="knee-middle"),
     "Encounter.reasonCode", "not allowed"),
    # Resources a KneeCheck Bundle never holds, or too many of one, would be dropped silently: refused.
    (lambda b: b["entry"].append({"fullUrl": "urn:uuid:11111111-1111-5111-8111-111111111111", "resource": {
        "resourceType": "Observation", "status": "final", "code": {"text": "extra"}}}), "Bundle.entry", "Observation"),
    (lambda b: b["entry"].append({"fullUrl": "urn:uuid:22222222-2222-5222-8222-222222222222",
                                  "resource": copy.deepcopy(b["entry"][0]["resource"])}), "Bundle.entry",
     "2 Patient resources"),
])
def test_a_bad_bundle_is_a_case_error_naming_the_element(change: Any, field: str, words: str) -> None:
    bundle = _bundle()
    change(bundle)
    with pytest.raises(CaseError) as info:
        case_from_bundle(bundle, mrn_system=DEFAULT_MRN_SYSTEM)
    assert info.value.field == field, str(info.value)
    assert words in info.value.message, str(info.value)
    assert "Müller" not in str(info.value) and "P-0003" not in str(info.value)  # no patient data
    assert "\n" not in str(info.value)


# --- the store's bulk read ---------------------------------------------------------------------------

def _fill(store: Store) -> list[int]:
    cases = []
    for n, (mrn, date) in enumerate([("B-1", "2026-01-05"), ("B-2", "2026-02-10"), ("B-1", "2026-03-15"),
                                     ("B-3", "2026-03-15"), ("B-2", "2026-04-01")]):
        cases.append(parse_case(make_case({"slr": ["positive", "negative"][n % 2], "fever": "no"},
                                          patient={"mrn": mrn, "family_name": f"Bulk{mrn[-1]}"},
                                          encounter={"date": date}, notes=f"note {n}")))
    return store.import_cases(cases, ACTOR)


def test_iter_encounters_gives_the_stored_records_in_batches_with_filters(store: Store) -> None:
    ids = _fill(store)
    record = store.load_encounter(ids[1])
    final = store.finalize(record.id, record.version, ACTOR)
    assert final.revision_hash is not None and len(final.revision_hash) == 64
    every = list(store.iter_encounters(batch=2))  # three batches
    assert every == [store.load_encounter(i) for i in ids]
    assert every[1].revision_hash == final.revision_hash and every[0].revision_hash is None
    since = list(store.iter_encounters(since=dt.date(2026, 3, 15), batch=1))
    assert [r.id for r in since] == ids[2:]
    assert store.count_encounters(since=dt.date(2026, 3, 15)) == 3
    b1 = list(store.iter_encounters(mrn="B-1"))
    assert [r.id for r in b1] == [ids[0], ids[2]] and store.count_encounters(mrn="B-1") == 2
    assert [r.id for r in store.iter_encounters(since=dt.date(2026, 2, 1), mrn="B-2")] == [ids[1], ids[4]]
    assert list(store.iter_encounters(mrn="nobody")) == [] and store.count_encounters(mrn="nobody") == 0
    assert store.patient_by_mrn("B-3") is not None and store.patient_by_mrn("B-") is None
    amendment = store.amend(ids[1], "typo", ACTOR)
    [original] = [r for r in store.iter_encounters() if r.id == ids[1]]
    assert original.amended_by_id == amendment.id and original == store.load_encounter(ids[1])


def test_the_revision_hash_is_the_stored_revisions(store: Store, raw_engine: sa.Engine) -> None:
    [encounter_id] = _fill(store)[:1]
    record = store.load_encounter(encounter_id)
    final = store.finalize(record.id, record.version, ACTOR)
    with raw_engine.connect() as conn:
        content, stored_hash = conn.execute(sa.text("SELECT content, content_hash FROM encounter_revision "
                                                    "WHERE encounter_id = :e"), {"e": encounter_id}).one()
    assert final.revision_hash == stored_hash == hashlib.sha256(content.encode("utf-8")).hexdigest()


def test_an_amendment_replaces_the_amended_summary_which_is_then_superseded() -> None:
    """A finalized amendment's DocumentReference replaces the amended document (by its identifier, also
    HL7's TXA-12); a draft amendment replaces nothing; the amended one is superseded only once the
    amendment is finalized. masterIdentifier is version-specific, identifier names the document."""
    case, assessment = example("mixed_sources")
    pdf = b"%PDF-1.7 test"
    mrn = case["patient"]["mrn"]
    original_created = meta("final", encounter_id=3)["created_at"]

    def document(m: dict[str, Any]) -> dict[str, Any]:
        bundle = encounter_bundle(case, assessment, m, mrn_system=MRN_SYSTEM, pdf=pdf)
        [found] = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DocumentReference"]
        return found

    amendment = {**meta("amended", encounter_id=9), "amends_created_at": original_created}
    signed = document(amendment)
    assert signed["status"] == "current"
    assert signed["relatesTo"] == [{"code": "replaces", "target": {"identifier": {
        "system": "urn:ietf:rfc:3986", "value": document_uuid(MRN_SYSTEM, mrn, 3, original_created)}}}]
    assert "relatesTo" not in document({**amendment, "status": "draft", "finalized_at": None, "finalized_by": None,
                                        "revision_sha256": None})
    original = document({**meta("final", encounter_id=3), "amended_by_id": 9, "superseded": True})
    assert original["status"] == "superseded" and "relatesTo" not in original
    assert original["identifier"] == [{"system": "urn:ietf:rfc:3986",
                                       "value": document_uuid(MRN_SYSTEM, mrn, 3, original_created)}]
    while_draft = document({**meta("final", encounter_id=3), "amended_by_id": 9, "superseded": False})
    assert while_draft["status"] == "current"
    assert document({**meta("final", encounter_id=3), "version": 2})["masterIdentifier"] != \
        document({**meta("final", encounter_id=3), "version": 3})["masterIdentifier"]
