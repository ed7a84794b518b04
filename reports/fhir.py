"""A stored encounter as FHIR R4 (4.0.1): a Bundle, and the Questionnaire and CodeSystem it points at.

Plain data in (the case dict, the stored assessment, the encounter's metadata, the PDF bytes), a
JSON dict out. Every resource goes through its fhirclient model (FHIR 4.0.1) and that model's
``as_json()``, which refuses a missing required element, an unknown element and a wrong type; the
invariants fhirclient does not check (required bindings, references that resolve inside the Bundle)
are tested with FHIRPath in ``tests/test_fhir.py``.

The Bundle (type ``collection``, see README "Records and interoperability"):

- Patient: the MRN as an identifier (type v2-0203 MR) under the clinic's MRN system, name, sex, birth date.
- Practitioner: the encounter's clinician, and whoever finalized it when that is someone else.
- Encounter: status, ambulatory class, the date, the clinician, the knee (reasonCode).
- QuestionnaireResponse: one item per recorded finding (linkId = item id), none for "not assessed",
  pointing at ``Questionnaire/kneecheck|<rule set>``.
- RiskAssessment: the direction with its reason and the urgency, one prediction per alert with its
  tier, the next steps (mitigation), the clinician's notes; based on the QuestionnaireResponse.
- DocumentReference: the PDF/A summary (base64, size, SHA-1 hash), unless no PDF is given (bulk).
- Provenance, for a finalized encounter only: who finalized it and when, and the SHA-256 of the
  frozen revision.

``fullUrl``s are ``urn:uuid:`` UUIDs derived (uuid5): the Patient's from the MRN system and the MRN,
a Practitioner's from the clinician's name, every other from the MRN system, the MRN, the encounter
id and the resource's role. Exporting the same encounter twice gives the same ids, the same
patient is the same Patient in every Bundle, and two databases never give two patients' records
the same ids. The DocumentReference's id is also its masterIdentifier and HL7's TXA-12; an
amendment's DocumentReference ``replaces`` the amended one, which is then ``superseded``.

Why it is long: one builder per resource of the Bundle, plus the Questionnaire and CodeSystem they
point at, kept together so that every fullUrl and reference is made in one place.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fhirclient.models.bundle import Bundle
from fhirclient.models.codesystem import CodeSystem
from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.questionnaire import Questionnaire

from models import APP_NAME, APP_VERSION
from models.case import KNEES, parse_iso_date
from models.catalogue import Catalogue, UnknownRuleSetError, load_catalogue
from models.fhir_terms import (
    ACT_CODE_SYSTEM,
    ALERT_PREFIX,
    BUNDLE_ID_SYSTEM,
    CANONICAL_BASE,
    CODE_SYSTEM_URL,
    DEFAULT_MRN_SYSTEM,
    DIRECTION_PREFIX,
    DOC_STATUS,
    ENCOUNTER_STATUS,
    IDENTIFIER_TYPE_SYSTEM,
    KNEE_PREFIX,
    MAX_VALUE_URL,
    MIN_VALUE_URL,
    PROVENANCE_AGENT_SYSTEM,
    QUESTIONNAIRE_URL,
    RESPONSE_STATUS,
    REVISION_ID_SYSTEM,
    RISK_STATUS,
    ROUTINE,
    URGENCY_PREFIX,
    record_state,
    valid_uri,
    validation_message,
    verified_codes,
)

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)
URI_SYSTEM = "urn:ietf:rfc:3986"  # an identifier that is itself a URI (the document's urn:uuid)
_SHA256 = re.compile(r"[0-9a-f]{64}")
SUMMARY_TITLE = "KneeCheck exam summary"
DISCLAIMER = "Decision support, not a diagnosis."


class FhirBuildError(ValueError):
    """The data handed to the builder cannot make a valid record; names the field, never its value."""


def resource_uuid(mrn_system: str, mrn: str, encounter_id: int, created_at: str, role: str) -> str:
    """The ``urn:uuid:`` of one resource of one encounter's Bundle: the same every export.

    A name-based (version 5, SHA-1) UUID of "<MRN system>|<MRN> encounter/<id>@<first stored>
    <role>" in KneeCheck's namespace, as ``uuid.uuid5`` makes it. The MRN and the time the
    encounter was first stored (to the microsecond) are in it, so two databases (two workstations, a
    rebuilt database, an import) never give two encounters the same ids although their row numbers
    restart at 1; computed without building UUID objects (bulk export makes eight per encounter)."""
    return _uuid5(f"{mrn_system}|{mrn} encounter/{encounter_id}@{created_at} {role}")


def patient_uuid(mrn_system: str, mrn: str) -> str:
    """The Patient's ``urn:uuid:``: one per MRN under its system, the same in every Bundle."""
    return _uuid5(f"{mrn_system}|{mrn} Patient")


def practitioner_uuid(mrn_system: str, name: str) -> str:
    """A Practitioner's ``urn:uuid:``: one per clinician's name within the clinic (its MRN system)."""
    return _uuid5(f"{mrn_system} practitioner {name}")


def document_uuid(mrn_system: str, mrn: str, encounter_id: int, created_at: str) -> str:
    """The summary document's identifier, one per encounter (DocumentReference.identifier, HL7's TXA-12)."""
    return resource_uuid(mrn_system, mrn, encounter_id, created_at, "document")


def document_version_uuid(mrn_system: str, mrn: str, encounter_id: int, created_at: str, version: int) -> str:
    """One version of the summary document (DocumentReference.masterIdentifier is version-specific)."""
    return resource_uuid(mrn_system, mrn, encounter_id, created_at, f"document version {version}")


def _uuid5(name: str) -> str:
    digest = bytearray(hashlib.sha1(_NAMESPACE.bytes + name.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def answer_display(value: str) -> str:
    """An answer in words, as the window shows it ("yes" -> "Yes", "L4" stays "L4")."""
    return value[:1].upper() + value[1:]


def knee_display(knee: str) -> str:
    return "Both knees" if knee == "both" else f"{answer_display(knee)} knee"


def urgency_display(catalogue: Catalogue, urgency: str) -> str:
    label = catalogue.tier_labels.get(urgency, urgency.upper())
    return label[:1] + label[1:].lower()


def fhir_instant(text: str, field: str) -> str:
    """An ISO 8601 time with its offset as a FHIR instant in UTC ("...Z")."""
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise FhirBuildError(f"FHIR input: {field} is not an ISO date and time") from None
    if value.tzinfo is None:
        raise FhirBuildError(f"FHIR input: {field} has no time zone")
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _iso_date(text: str, field: str) -> str:
    """A date as FHIR writes it (YYYY-MM-DD), checked here so that every Bundle's dates are valid
    whether or not fhirclient reads that Bundle (see :class:`ShapeValidator`)."""
    if parse_iso_date(text) is None:
        raise FhirBuildError(f"FHIR input: {field} is not a date (YYYY-MM-DD)")
    return text


def _valid(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` read into its fhirclient model and written back by ``as_json()``: refused if it
    misses a required element, has an unknown one or a value of the wrong type."""
    try:
        return model(data).as_json()  # type: ignore[no-any-return]
    except FHIRValidationError as exc:
        raise FhirBuildError(f"{model.resource_type}: {validation_message(exc)}") from None


# --- per rule set: the words and codings every record of that rule set shares --------------------

@dataclass(frozen=True)
class _Vocabulary:
    catalogue: Catalogue
    item_order: dict[str, int]
    answers: dict[str, dict[str, str]]  # answer code -> its Coding


@cache
def _vocabulary(ruleset: str) -> _Vocabulary:
    try:
        catalogue = load_catalogue(ruleset)
    except UnknownRuleSetError:
        raise FhirBuildError("FHIR input: assessment.ruleset is not a rule set this KneeCheck has") from None
    answers = {v: {"system": CODE_SYSTEM_URL, "code": v, "display": answer_display(v)}
               for item in catalogue.items for v in item.values}
    return _Vocabulary(catalogue, {item.id: n for n, item in enumerate(catalogue.items)}, answers)


def _ref(full_url: str) -> dict[str, str]:
    return {"reference": full_url}


def _get(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = data.get(key) if type(data) is dict or isinstance(data, Mapping) else None
    if type(value) is kind:  # the common case, without the ABC machinery
        return value
    if not isinstance(value, kind) or isinstance(value, bool):
        raise FhirBuildError(f"FHIR input: {where}.{key} is missing or has the wrong type")
    return value


# --- the Bundle -------------------------------------------------------------------------------------

def encounter_bundle(case: Mapping[str, Any], assessment: Mapping[str, Any], encounter: Mapping[str, Any], *,
                     mrn_system: str = DEFAULT_MRN_SYSTEM, pdf: bytes | None = None,
                     validator: ShapeValidator | None = None) -> dict[str, Any]:
    """The Bundle of one stored encounter (see the module docstring).

    ``case``: the ``kneecheck-case/1`` dict; ``assessment``: the stored assessment; ``encounter``:
    ``id``, ``status`` (draft/final), ``amends_id``, ``updated_at``, and for a finalized one
    ``finalized_at``, ``finalized_by`` and ``revision_sha256``; ``pdf``: the summary, or None for no
    DocumentReference (bulk export); ``validator``: for a stream of Bundles, validates each distinct
    structure once (:class:`ShapeValidator`); without it every Bundle is validated in full.
    """
    if not valid_uri(mrn_system):
        raise FhirBuildError("FHIR input: the MRN system must be an absolute URI (urn:... or https://...)")
    encounter_id = _get(encounter, "id", int, "encounter")
    state = record_state(_get(encounter, "status", str, "encounter"), encounter.get("amends_id"))
    ruleset = _get(assessment, "ruleset", str, "assessment")
    vocabulary = _vocabulary(ruleset)
    catalogue = vocabulary.catalogue
    patient = _get(case, "patient", Mapping, "case")
    info = _get(case, "encounter", Mapping, "case")
    findings = _get(case, "findings", Mapping, "case")
    notes = case.get("notes") or ""
    clinician = _get(info, "clinician", str, "case.encounter")
    date = _iso_date(_get(info, "date", str, "case.encounter"), "case.encounter.date")
    knee = _get(info, "knee", str, "case.encounter")
    if knee not in KNEES:
        raise FhirBuildError("FHIR input: case.encounter.knee is not a knee KneeCheck knows")
    updated = fhir_instant(_get(encounter, "updated_at", str, "encounter"), "encounter.updated_at")

    mrn = _get(patient, "mrn", str, "case.patient")
    created = str(encounter.get("created_at") or "")

    def url(role: str) -> str:
        return resource_uuid(mrn_system, mrn, encounter_id, created, role)

    patient_url = patient_uuid(mrn_system, mrn)
    author_url, encounter_url = practitioner_uuid(mrn_system, clinician), url("Encounter")
    response_url, risk_url = url("QuestionnaireResponse"), url("RiskAssessment")
    document_url, provenance_url = url("DocumentReference"), url("Provenance")
    entries: list[tuple[str, dict[str, Any]]] = []

    name: dict[str, Any] = {"family": _get(patient, "family_name", str, "case.patient")}
    given = patient.get("given_name") or ""
    if given:
        name["given"] = [given]
    entries.append((patient_url, {
        "resourceType": "Patient",
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": "MR", "display": "Medical record number"}]},
            "system": mrn_system,
            "value": _get(patient, "mrn", str, "case.patient"),
        }],
        "name": [name],
        "gender": _get(patient, "sex", str, "case.patient"),
        "birthDate": _iso_date(_get(patient, "birth_date", str, "case.patient"), "case.patient.birth_date"),
    }))
    entries.append((author_url, {"resourceType": "Practitioner", "name": [{"text": clinician}]}))

    finalizer_url = author_url
    if state != "draft":
        finalized_by = _get(encounter, "finalized_by", str, "encounter")
        if finalized_by != clinician:
            finalizer_url = practitioner_uuid(mrn_system, finalized_by)
            entries.append((finalizer_url, {"resourceType": "Practitioner", "name": [{"text": finalized_by}]}))

    entries.append((encounter_url, {
        "resourceType": "Encounter",
        "status": ENCOUNTER_STATUS[state],
        "class": {"system": ACT_CODE_SYSTEM, "code": "AMB", "display": "ambulatory"},
        "subject": _ref(patient_url),
        "participant": [{"individual": _ref(author_url)}],
        "period": {"start": date},
        "reasonCode": [{
            "coding": [{"system": CODE_SYSTEM_URL, "code": KNEE_PREFIX + knee, "display": knee_display(knee)}],
            "text": f"Knee pain: {knee_display(knee).lower()}",
        }],
    }))

    items = []
    order = vocabulary.item_order
    for item_id in sorted(findings, key=lambda i: order.get(i, len(order))):
        item = catalogue.by_id.get(item_id)
        value = findings[item_id]
        if item is None:
            raise FhirBuildError(f"FHIR input: findings.{item_id} is not an item of rule set {ruleset}")
        if value is None:
            continue  # not assessed: no item at all
        if item.is_number:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise FhirBuildError(f"FHIR input: findings.{item_id} must be a number")
            answer: dict[str, Any] = {"valueDecimal": value}
        else:
            coding = vocabulary.answers.get(value) if value in item.values else None
            if coding is None:
                raise FhirBuildError(f"FHIR input: findings.{item_id} is not one of the item's answers")
            answer = {"valueCoding": dict(coding)}  # a copy: the caller may change what it gets
        items.append({"linkId": item_id, "text": item.label, "answer": [answer]})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{ruleset}",
        "status": RESPONSE_STATUS[state],
        "subject": _ref(patient_url),
        "encounter": _ref(encounter_url),
        "authored": updated,
        "author": _ref(author_url),
    }
    if items:
        response["item"] = items
    entries.append((response_url, response))

    entries.append((risk_url, _risk_assessment(
        assessment, catalogue, state, patient_url, encounter_url, response_url, author_url, date, notes)))

    targets = [encounter_url, response_url, risk_url]
    if pdf is not None:
        digest = base64.b64encode(hashlib.sha1(pdf).digest()).decode("ascii")  # R4: Attachment.hash is SHA-1
        version = encounter.get("version")
        document: dict[str, Any] = {
            "resourceType": "DocumentReference",
            # This version of the summary; and the document (all its versions), which is HL7's TXA-12.
            "masterIdentifier": {"system": URI_SYSTEM, "value": document_version_uuid(
                mrn_system, mrn, encounter_id, created, int(version) if isinstance(version, int) else 1)},
            "identifier": [{"system": URI_SYSTEM, "value": document_uuid(mrn_system, mrn, encounter_id, created)}],
            # A finalized amendment replaces this encounter's summary: it is no longer the current one.
            "status": "superseded" if encounter.get("superseded") else "current",
            "docStatus": DOC_STATUS[state],
            "type": {"text": SUMMARY_TITLE},
            "subject": _ref(patient_url),
            "date": updated,
            "author": [_ref(author_url)],
            "description": f"The printed summary of the encounter (PDF/A), made by {APP_NAME} {APP_VERSION}",
            "content": [{"attachment": {
                "contentType": "application/pdf",
                "data": base64.b64encode(pdf).decode("ascii"),
                "size": len(pdf),
                "hash": digest,
                "title": SUMMARY_TITLE,
            }}],
            "context": {"encounter": [_ref(encounter_url)], "period": {"start": date}},
        }
        amends, amends_created = encounter.get("amends_id"), encounter.get("amends_created_at")
        if state != "draft" and amends is not None and amends_created:
            # Once finalized, it replaces the amended encounter's summary (by that document's
            # identifier); a draft amendment replaces nothing yet.
            document["relatesTo"] = [{"code": "replaces", "target": {"identifier": {
                "system": URI_SYSTEM, "value": document_uuid(mrn_system, mrn, int(amends), str(amends_created))}}}]
        entries.append((document_url, document))
        targets.append(document_url)

    if state != "draft":
        sha = _get(encounter, "revision_sha256", str, "encounter")
        if not _SHA256.fullmatch(sha):
            raise FhirBuildError("FHIR input: encounter.revision_sha256 is not a SHA-256 in hex")
        entries.append((provenance_url, {
            "resourceType": "Provenance",
            "target": [_ref(t) for t in targets],
            "recorded": fhir_instant(_get(encounter, "finalized_at", str, "encounter"), "encounter.finalized_at"),
            "agent": [{
                "type": {"coding": [{"system": PROVENANCE_AGENT_SYSTEM, "code": "attester", "display": "Attester"}]},
                "who": _ref(finalizer_url),
            }],
            "entity": [{
                "role": "source",
                "what": {"identifier": {"system": REVISION_ID_SYSTEM, "value": sha},
                         "display": "the finalized revision (SHA-256 of its canonical JSON)"},
            }],
        }))

    bundle = {
        "resourceType": "Bundle",
        "identifier": {"system": BUNDLE_ID_SYSTEM, "value": url("Bundle")[len("urn:uuid:"):]},
        "type": "collection",
        "entry": [{"fullUrl": full_url, "resource": resource} for full_url, resource in entries],
    }
    if validator is None:
        validate_bundle(bundle)
    else:
        validator.check(bundle)
    return bundle


def validate_bundle(bundle: dict[str, Any]) -> None:
    """Read the Bundle, every resource in it, into fhirclient's R4 models and write it back with
    ``as_json()``: a missing required element, an unknown element or a wrong type is refused."""
    try:
        Bundle(bundle).as_json()
    except FHIRValidationError as exc:
        raise FhirBuildError(f"Bundle: {validation_message(exc)}") from None


def _shape(value: Any) -> Any:
    """The structure of a JSON value without its values: keys, nesting and primitive types; a
    list's shape is the set of its elements' shapes, so 5 or 50 answers of one kind are one shape."""
    kind = type(value)
    if kind is dict:
        return tuple([(k, _shape(v)) for k, v in value.items()])
    if kind is list:
        return frozenset([_shape(v) for v in value])
    return kind


class ShapeValidator:
    """fhirclient validation for a stream of Bundles (bulk export), once per distinct structure.

    fhirclient reads and writes a Bundle in about 1.2 ms, too slow for 1,000 encounters a second.
    What it checks (required elements present, no unknown element, each value of its type, dates in
    FHIR's formats) depends on the structure alone once the builder has checked the values it was
    given (it parses every date and time it writes), so a Bundle whose structure was already
    validated passes the same checks. Every new structure is validated in full.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self._seen: set[Any] = set()
        self._limit = limit
        self.validated = 0

    def check(self, bundle: dict[str, Any]) -> None:
        shape = _shape(bundle)
        if shape in self._seen:
            return
        validate_bundle(bundle)
        self.validated += 1
        if len(self._seen) < self._limit:
            self._seen.add(shape)


def _risk_assessment(assessment: Mapping[str, Any], catalogue: Catalogue, state: str, patient_url: str,
                     encounter_url: str, response_url: str, author_url: str, date: str, notes: str) -> dict[str, Any]:
    direction = _get(assessment, "direction", str, "assessment")
    urgency = _get(assessment, "urgency", str, "assessment")
    sources = [str(s) for s in assessment.get("sources") or ()]
    label = catalogue.direction_label(direction, sources)
    direction_prediction: dict[str, Any] = {
        "outcome": {"coding": [{"system": CODE_SYSTEM_URL, "code": DIRECTION_PREFIX + direction,
                                "display": catalogue.direction_label(direction)}],
                    "text": label},
        "qualitativeRisk": _urgency(catalogue, urgency),
    }
    reason = assessment.get("reason") or ""
    if reason:
        direction_prediction["rationale"] = reason
    predictions = [direction_prediction]
    for n, alert in enumerate(_get(assessment, "alerts", list, "assessment")):
        alert_id = _get(alert, "id", str, f"assessment.alerts[{n}]")
        text = _get(alert, "text", str, f"assessment.alerts[{n}]")
        coding = {"system": CODE_SYSTEM_URL, "code": ALERT_PREFIX + alert_id}
        known = catalogue.alerts.get(alert_id)
        if known is not None:
            coding["display"] = known.text
        predictions.append({"outcome": {"coding": [coding], "text": text},
                            "qualitativeRisk": _urgency(catalogue, _get(alert, "tier", str, f"assessment.alerts[{n}]"))})
    risk: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": RISK_STATUS[state],
        "subject": _ref(patient_url),
        "encounter": _ref(encounter_url),
        "occurrenceDateTime": date,
        "method": {"text": f"{APP_NAME} rule set {catalogue.ruleset}. {DISCLAIMER}"},
        "basis": [_ref(response_url)],
        "prediction": predictions,
    }
    steps = [s for s in _get(assessment, "next_steps", list, "assessment") if isinstance(s, str) and s]
    if steps:
        risk["mitigation"] = "\n".join(steps)
    if notes:
        risk["note"] = [{"authorReference": _ref(author_url), "text": notes}]
    return risk


def _urgency(catalogue: Catalogue, urgency: str) -> dict[str, Any]:
    display = urgency_display(catalogue, urgency)
    return {"coding": [{"system": CODE_SYSTEM_URL, "code": URGENCY_PREFIX + urgency, "display": display}],
            "text": display}


# --- the definitions a QuestionnaireResponse points at -----------------------------------------------

def questionnaire(ruleset: str | None = None) -> dict[str, Any]:
    """The canonical Questionnaire of a rule set (the current one by default): one item per
    checklist item, linkId = item id, text = its label, answers coded in the KneeCheck CodeSystem."""
    catalogue = load_catalogue(ruleset)
    codes = verified_codes()
    vocabulary = _vocabulary(catalogue.ruleset)
    items = []
    for item in catalogue.items:
        entry: dict[str, Any] = {
            "linkId": item.id,
            "prefix": item.section,
            "text": item.label,
            "code": [{"system": CODE_SYSTEM_URL, "code": item.id, "display": item.label},
                     *(c.coding() for c in codes.items.get(item.id, ()))],
            "type": "decimal" if item.is_number else "choice",
            "required": False,
            "repeats": False,
        }
        if item.is_number:
            entry["extension"] = [{"url": MIN_VALUE_URL, "valueDecimal": item.minimum},
                                  {"url": MAX_VALUE_URL, "valueDecimal": item.maximum}]
        else:
            entry["answerOption"] = [{"valueCoding": dict(vocabulary.answers[v])} for v in item.values]
        items.append(entry)
    data = {
        "resourceType": "Questionnaire",
        "url": QUESTIONNAIRE_URL,
        "version": catalogue.ruleset,
        "name": "KneeCheckChecklist",
        "title": f"{APP_NAME} knee pain checklist, rule set {catalogue.ruleset}",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": APP_NAME,
        "description": "The exam checklist of KneeCheck: is this knee pain from the knee, the hip or a lumbar "
                       "nerve root? An item left out of a response was not assessed, which is never the same as "
                       f"\"no\". {DISCLAIMER}",
        "item": items,
    }
    return _valid(Questionnaire, data)


def code_system(ruleset: str | None = None) -> dict[str, Any]:
    """The KneeCheck CodeSystem of a rule set: its checklist items and answers, and the knee,
    direction, urgency and alert codes the Bundle uses, with any verified equivalent codes."""
    catalogue = load_catalogue(ruleset)
    codes = verified_codes()

    def concept(code: str, display: str, kind: str, definition: str = "",
                equivalents: tuple[Any, ...] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {"code": code, "display": display}
        if definition:
            out["definition"] = definition
        out["property"] = [{"code": "kind", "valueCode": kind},
                           *({"code": "equivalent", "valueCoding": c.coding()} for c in equivalents)]
        return out

    concepts = [concept(i.id, i.label, "item", i.help, codes.items.get(i.id, ())) for i in catalogue.items]
    answers = dict.fromkeys(v for i in catalogue.items for v in i.values)
    concepts += [concept(v, answer_display(v), "answer", "", codes.answers.get(v, ())) for v in answers]
    concepts += [concept(KNEE_PREFIX + k, knee_display(k), "knee") for k in KNEES]
    concepts += [concept(DIRECTION_PREFIX + d, catalogue.direction_label(d), "direction", text.summary)
                 for d, text in catalogue.directions.items()]
    urgencies = [t.id for t in catalogue.tiers] + [ROUTINE]
    concepts += [concept(URGENCY_PREFIX + u, urgency_display(catalogue, u), "urgency") for u in urgencies]
    concepts += [concept(ALERT_PREFIX + a.id, a.text, "alert") for a in catalogue.alerts.values()]
    seen: set[str] = set()
    for c in concepts:
        if c["code"] in seen:
            raise FhirBuildError(f"CodeSystem: rule set {catalogue.ruleset} gives the code {c['code']!r} twice")
        seen.add(c["code"])
    data = {
        "resourceType": "CodeSystem",
        "url": CODE_SYSTEM_URL,
        "version": catalogue.ruleset,
        "name": "KneeCheck",
        "title": f"{APP_NAME} checklist and assessment codes, rule set {catalogue.ruleset}",
        "status": "active",
        "publisher": APP_NAME,
        "description": "Checklist items (code = item id) and answers (code = the answer) of the KneeCheck exam, "
                       "and the knee-, direction-, urgency- and alert- codes of its assessments. The canonical URL is "
                       "under the reserved .invalid domain and resolves nowhere; a clinic may map it.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "property": [
            {"code": "kind", "type": "code",
             "description": "item, answer, knee, direction, urgency or alert"},
            {"code": "equivalent", "type": "Coding",
             "description": "a verified code for the same concept in another code system (resources/fhir/codes.json)"},
        ],
        "concept": concepts,
    }
    return _valid(CodeSystem, data)
