"""A FHIR R4 Bundle made by KneeCheck (``export ID --fhir``) back into a case, for ``import``.

fhirclient's R4 models read the Bundle first (an unknown element, a wrong type or a missing
required element is refused); then the KneeCheck parts are found through the Bundle's references
(QuestionnaireResponse -> Patient, Encounter -> Practitioner, RiskAssessment based on the response)
and turned into a ``kneecheck-case/1`` dict, which :func:`models.case.parse_case` checks against
the rule set the response's questionnaire names (``Questionnaire/kneecheck|2027.1``), exactly as a
case file is checked. Every problem is a :class:`~models.case.CaseError` naming the FHIR element;
nothing is guessed. What the Bundle says about the assessment, the status and who finalized it is
not read back: an imported encounter is a draft, assessed again when it is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from models.case import FORMAT, Case, CaseError, load_case_file, parse_case
from models.catalogue import known_rulesets, load_catalogue
from models.fhir_terms import (
    BUNDLE_ID_SYSTEM,
    CODE_SYSTEM_URL,
    KNEE_PREFIX,
    QUESTIONNAIRE_URL,
    validation_message,
)

MAX_BUNDLE_BYTES = 32 * 1024 * 1024  # a Bundle carries the summary PDF (base64)

# Where each case field comes from, for error messages.
_FHIR_PATHS = {
    "patient.mrn": "Patient.identifier (MRN)",
    "patient.family_name": "Patient.name.family",
    "patient.given_name": "Patient.name.given",
    "patient.birth_date": "Patient.birthDate",
    "patient.sex": "Patient.gender",
    "encounter.date": "Encounter.period.start",
    "encounter.clinician": "Practitioner.name.text",
    "encounter.knee": "Encounter.reasonCode",
    "notes": "RiskAssessment.note.text",
}


def is_fhir_resource(data: Any) -> bool:
    return isinstance(data, dict) and "resourceType" in data


def _fail(field: str, message: str) -> CaseError:
    return CaseError(field, message)


def _one(found: list[Any], what: str) -> Any:
    if len(found) != 1:
        raise _fail("Bundle", f"must hold exactly one {what} (found {len(found)})")
    return found[0]


def _resolve(index: dict[str, Any], reference: Any, where: str, resource_type: str) -> Any:
    target = getattr(reference, "reference", None) if reference is not None else None
    if not isinstance(target, str):
        raise _fail(where, f"must reference the {resource_type} in the Bundle")
    resource = index.get(target)
    if resource is None or resource.resource_type != resource_type:
        raise _fail(where, f"does not resolve to a {resource_type} in the Bundle")
    return resource


def _check_kneecheck(data: dict[str, Any]) -> None:
    """The parts that make a Bundle KneeCheck's, checked on the raw JSON before anything else."""
    kind = data.get("resourceType")
    if kind != "Bundle":
        shown = kind if isinstance(kind, str) and re.fullmatch(r"[A-Za-z]{1,64}", kind) else "resource"
        raise _fail("resourceType", f"this is a FHIR {shown}, not a KneeCheck Bundle")
    identifier = data.get("identifier")
    if not isinstance(identifier, dict) or identifier.get("system") != BUNDLE_ID_SYSTEM:
        raise _fail("Bundle.identifier", "not a KneeCheck Bundle (made by `export ID --fhir`); "
                    "other FHIR Bundles cannot be imported")
    if data.get("type") != "collection":
        raise _fail("Bundle.type", "must be \"collection\", as KneeCheck writes it")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise _fail("Bundle.entry", "is missing")
    # A response item without a linkId: said plainly, before fhirclient's general message.
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "QuestionnaireResponse":
            items = resource.get("item", [])
            for n, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and not isinstance(item.get("linkId"), str):
                    raise _fail(f"QuestionnaireResponse.item[{n}]", "has no linkId (the checklist item id)")


def case_from_bundle(data: Any, *, mrn_system: str, today: dt.date | None = None) -> Case:
    """The case in a KneeCheck Bundle, validated like a case file under the response's rule set."""
    from fhirclient.models.bundle import Bundle

    if not isinstance(data, dict):
        raise _fail("(file)", "is not a FHIR resource (a JSON object)")
    _check_kneecheck(data)
    try:
        bundle = Bundle(data)
    except Exception as exc:  # fhirclient raises FHIRValidationError, and plain Exceptions for odd input
        raise _fail("Bundle", f"not valid FHIR R4: {validation_message(exc)}") from None

    index: dict[str, Any] = {}
    for n, entry in enumerate(bundle.entry or []):
        if not entry.fullUrl or entry.resource is None:
            raise _fail(f"Bundle.entry[{n}]", "needs a fullUrl and a resource")
        if entry.fullUrl in index:
            raise _fail(f"Bundle.entry[{n}].fullUrl", "appears twice")
        index[entry.fullUrl] = entry.resource
    resources = list(index.values())
    # Only what KneeCheck's own Bundle holds: anything else would be silently dropped, which a
    # clinician would take for stored. At most one Patient, Encounter, RiskAssessment and
    # DocumentReference; a Practitioner for the clinician and one for whoever finalized.
    limits = {"Patient": 1, "Practitioner": 2, "Encounter": 1, "QuestionnaireResponse": 1, "RiskAssessment": 1,
              "DocumentReference": 1, "Provenance": 1}
    for kind in sorted({r.resource_type for r in resources}):
        count = sum(1 for r in resources if r.resource_type == kind)
        if kind not in limits:
            raise _fail("Bundle.entry", f"holds a {kind}, which a KneeCheck Bundle never has; nothing was stored")
        if count > limits[kind]:
            raise _fail("Bundle.entry", f"holds {count} {kind} resources, more than a KneeCheck Bundle has")

    response = _one([r for r in resources if r.resource_type == "QuestionnaireResponse"], "QuestionnaireResponse")
    canonical = response.questionnaire or ""
    url, _, ruleset = canonical.partition("|")
    if url != QUESTIONNAIRE_URL:
        raise _fail("QuestionnaireResponse.questionnaire", f"must be {QUESTIONNAIRE_URL}|<rule set>")
    if ruleset not in known_rulesets():
        raise _fail("QuestionnaireResponse.questionnaire", f"names no rule set this KneeCheck has; known rule sets: "
                    f"{', '.join(known_rulesets())}")
    catalogue = load_catalogue(ruleset)

    patient = _resolve(index, response.subject, "QuestionnaireResponse.subject", "Patient")
    encounter = _resolve(index, response.encounter, "QuestionnaireResponse.encounter", "Encounter")
    if _resolve(index, encounter.subject, "Encounter.subject", "Patient") is not patient:
        raise _fail("Encounter.subject", "is not the response's patient")
    participants = [p for p in encounter.participant or [] if p.individual is not None]
    practitioner = _resolve(index, _one(participants, "Encounter.participant").individual,
                            "Encounter.participant.individual", "Practitioner")

    mrns = [i for i in patient.identifier or [] if i.system == mrn_system]
    if len(mrns) != 1 or not mrns[0].value:
        raise _fail("Patient.identifier", f"needs one MRN under the MRN system {mrn_system} (give the Bundle's "
                    "system with --mrn-system if it came from another clinic's setting)")
    names = patient.name or []
    if len(names) != 1:
        raise _fail("Patient.name", f"must be one name (found {len(names)})")
    given = names[0].given or []
    if len(given) > 1:
        raise _fail("Patient.name.given", "must be one string (KneeCheck keeps given names together)")
    clinician_names = practitioner.name or []
    if len(clinician_names) != 1 or not clinician_names[0].text:
        raise _fail("Practitioner.name", "must be one name with its text")

    knees = [c.code for rc in encounter.reasonCode or [] for c in rc.coding or []
             if c.system == CODE_SYSTEM_URL and (c.code or "").startswith(KNEE_PREFIX)]
    knee = _one(knees, "knee code in Encounter.reasonCode")[len(KNEE_PREFIX):]
    if encounter.period is None or encounter.period.start is None:
        raise _fail("Encounter.period.start", "is required (the encounter date)")

    findings: dict[str, Any] = {}
    for n, item in enumerate(response.item or []):
        where = f"QuestionnaireResponse.item[{n}]"
        link = item.linkId
        if link in findings:
            raise _fail(f"QuestionnaireResponse.item[linkId={_safe(link)}]", "appears twice")
        if item.item:
            raise _fail(where, "has nested items; KneeCheck's checklist is flat")
        if catalogue.by_id.get(link) is None:
            raise _fail(f"QuestionnaireResponse.item[linkId={_safe(link)}]",
                        f"unknown checklist item (rule set {ruleset})")
        answers = item.answer or []
        if len(answers) != 1:
            raise _fail(f"QuestionnaireResponse.item[linkId={link}]", "must have exactly one answer "
                        "(an item not assessed is left out)")
        findings[link] = _answer_value(answers[0], f"QuestionnaireResponse.item[linkId={link}]")

    risks = [r for r in resources if r.resource_type == "RiskAssessment"]
    notes = ""
    if risks:
        risk = _one(risks, "RiskAssessment")
        if risk.note:
            note = _one(risk.note, "RiskAssessment.note")
            notes = note.text or ""

    case = {
        "format": FORMAT,
        "patient": {
            "mrn": mrns[0].value,
            "family_name": names[0].family if names[0].family is not None else "",
            "given_name": given[0] if given else "",
            "birth_date": patient.birthDate.as_json() if patient.birthDate is not None else "",
            "sex": patient.gender if patient.gender is not None else "",
        },
        "encounter": {
            "date": encounter.period.start.as_json(),
            "clinician": clinician_names[0].text,
            "knee": knee,
        },
        "findings": findings,
        "notes": notes,
    }
    try:
        return parse_case(case, catalogue, today=today)
    except CaseError as exc:
        field = exc.field
        if field.startswith("findings."):
            field = f"QuestionnaireResponse.item[linkId={field[len('findings.'):]}]"
        # The case file's "null" is a left-out item here.
        message = exc.message.replace(" (or null for not assessed)", " (an item not assessed is left out)")
        raise CaseError(_FHIR_PATHS.get(field, field), message.replace(", or null", "")) from None


def _safe(link: Any) -> str:
    text = str(link)
    return text if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", text) else json.dumps(text[:40], ensure_ascii=True)


def _answer_value(answer: Any, where: str) -> Any:
    if answer.valueCoding is not None:
        coding = answer.valueCoding
        if coding.system != CODE_SYSTEM_URL or not coding.code:
            raise _fail(f"{where}.answer.valueCoding", f"must be a code of {CODE_SYSTEM_URL}")
        return coding.code
    if answer.valueDecimal is not None:
        return answer.valueDecimal
    if answer.valueInteger is not None:
        return answer.valueInteger
    raise _fail(f"{where}.answer", "must be a valueCoding (a choice) or a valueDecimal (a number)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError("duplicate key")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _fhir_json(raw: bytes) -> dict[str, Any] | None:
    """The decoded JSON when ``raw`` is a FHIR resource (an object with a resourceType), else None."""
    try:
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return data if is_fhir_resource(data) else None


def load_import_file(path: str | Path, *, mrn_system: str, today: dt.date | None = None) -> Case:
    """A file for ``import``: a ``kneecheck-case/1`` case file, or a FHIR Bundle made by KneeCheck.

    Anything that is not a FHIR resource is read as a case file, with the case file's rules and
    messages (:func:`models.case.load_case_file`). Errors name the file and the field.
    """
    from models.files import read_regular_file

    name = str(path)
    try:  # a FIFO or device is refused unread (load_case_file says so)
        raw = read_regular_file(path, MAX_BUNDLE_BYTES)
    except OSError:
        return load_case_file(path)  # it says what is wrong with the file, in the case file's words
    data = _fhir_json(raw) if len(raw) <= MAX_BUNDLE_BYTES else None
    if data is None:
        return load_case_file(path)
    try:
        return case_from_bundle(data, mrn_system=mrn_system, today=today)
    except CaseError as exc:
        raise CaseError(name if exc.field == "(file)" else exc.field, exc.message, name) from None
