"""Checks of a FHIR R4 Bundle that fhirclient does not make: FHIRPath (fhirpathpy) over the JSON.

:func:`bundle_problems` returns one line per broken rule (an empty list: all hold), so tests can
show both that KneeCheck's Bundles pass and that each check catches a Bundle that breaks it.
The value sets are the R4 (4.0.1) required bindings of the elements KneeCheck writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from fhirpathpy import evaluate

# R4 required bindings (http://hl7.org/fhir/R4/valueset-*.html) of the coded elements in KneeCheck's records.
REQUIRED_BINDINGS: dict[str, tuple[str, ...]] = {
    "Bundle.type": ("document", "message", "transaction", "transaction-response", "batch", "batch-response",
                    "history", "searchset", "collection"),
    "Bundle.entry.resource.ofType(Patient).gender": ("male", "female", "other", "unknown"),
    "Bundle.entry.resource.ofType(Patient).identifier.use": ("usual", "official", "temp", "secondary", "old"),
    "Bundle.entry.resource.ofType(Encounter).status": ("planned", "arrived", "triaged", "in-progress", "onleave",
                                                       "finished", "cancelled", "entered-in-error", "unknown"),
    "Bundle.entry.resource.ofType(QuestionnaireResponse).status": ("in-progress", "completed", "amended",
                                                                   "entered-in-error", "stopped"),
    "Bundle.entry.resource.ofType(RiskAssessment).status": ("registered", "preliminary", "final", "amended",
                                                            "corrected", "cancelled", "entered-in-error", "unknown"),
    "Bundle.entry.resource.ofType(DocumentReference).status": ("current", "superseded", "entered-in-error"),
    "Bundle.entry.resource.ofType(DocumentReference).docStatus": ("preliminary", "final", "amended",
                                                                  "entered-in-error"),
    "Bundle.entry.resource.ofType(DocumentReference).content.attachment.contentType": ("application/pdf",),
    "Bundle.entry.resource.ofType(Provenance).entity.role": ("derivation", "revision", "quotation", "source",
                                                             "removal"),
}
PUBLICATION_STATUS = ("draft", "active", "retired", "unknown")
ITEM_TYPES = ("group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text",
              "url", "choice", "open-choice", "attachment", "reference", "quantity")
_UUID_URN = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fp(resource: Any, path: str, env: dict[str, Any] | None = None) -> list[Any]:
    return list(evaluate(resource, path, env or {}))


def empty_values(value: Any, path: str = "") -> list[str]:
    """JSON nulls, empty strings, lists and objects (FHIR: every element has a value or children)."""
    if value is None:
        return [path or "(root)"]
    if isinstance(value, dict):
        found = [] if value else [path]
        for key, item in value.items():
            found += empty_values(item, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        found = [] if value else [path]
        for n, item in enumerate(value):
            found += empty_values(item, f"{path}[{n}]")
        return found
    if isinstance(value, str) and not value.strip():
        return [path]
    return []


def bundle_problems(bundle: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    full_urls = fp(bundle, "Bundle.entry.fullUrl")
    if len(full_urls) != len(fp(bundle, "Bundle.entry")):
        problems.append("an entry has no fullUrl")
    if len(set(full_urls)) != len(full_urls):
        problems.append("fullUrls are not unique (bdl-7)")
    problems += [f"fullUrl {u!r} is not a urn:uuid" for u in full_urls if not _UUID_URN.fullmatch(str(u))]
    # Every reference resolves to an entry of this Bundle.
    dangling = fp(bundle, "Bundle.entry.resource.descendants().reference.where(($this in %urls).not())",
                  {"urls": full_urls})
    problems += [f"reference {r!r} does not resolve inside the Bundle" for r in dangling]
    for path, allowed in REQUIRED_BINDINGS.items():
        bad = fp(bundle, f"{path}.where(($this in %allowed).not())", {"allowed": list(allowed)})
        problems += [f"{path}: {b!r} is not in its required value set" for b in bad]
    # Attachment: size and SHA-1 hash of the data, as R4 defines them.
    for attachment in fp(bundle, "Bundle.entry.resource.ofType(DocumentReference).content.attachment"):
        try:
            data = base64.b64decode(attachment.get("data", ""), validate=True)
        except binascii.Error:
            problems.append("Attachment.data is not base64")
            continue
        if attachment.get("size") != len(data):
            problems.append("Attachment.size is not the length of the data")
        if attachment.get("hash") != base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"):
            problems.append("Attachment.hash is not base64(SHA-1(data))")
    if fp(bundle, "Bundle.entry.resource.ofType(QuestionnaireResponse).item.where(answer.count() != 1)"):
        problems.append("a QuestionnaireResponse item has no answer or several")
    link_ids = fp(bundle, "Bundle.entry.resource.ofType(QuestionnaireResponse).item.linkId")
    if len(set(link_ids)) != len(link_ids):
        problems.append("a linkId appears twice in the QuestionnaireResponse")
    problems += [f"empty or null value at {p}" for p in empty_values(bundle)]
    return problems


def definition_problems(resource: dict[str, Any]) -> list[str]:
    """The same kind of checks for a Questionnaire or a CodeSystem."""
    problems = [f"empty or null value at {p}" for p in empty_values(resource)]
    if fp(resource, "status.where(($this in %s).not())", {"s": list(PUBLICATION_STATUS)}):
        problems.append("status is not a PublicationStatus")
    if resource.get("resourceType") == "Questionnaire":
        if fp(resource, "item.type.where(($this in %t).not())", {"t": list(ITEM_TYPES)}):
            problems.append("an item type is not a QuestionnaireItemType")
        link_ids = fp(resource, "item.linkId")
        if len(set(link_ids)) != len(link_ids):
            problems.append("linkIds are not unique (que-2)")
        if not fp(resource, "name.matches('^[A-Z]([A-Za-z0-9_]){0,254}$')") == [True]:
            problems.append("name is not a computer-friendly name (que-0)")
        if fp(resource, "item.where(type = 'choice' and answerOption.empty())"):
            problems.append("a choice item has no answer options")
    if resource.get("resourceType") == "CodeSystem":
        if fp(resource, "content.where(($this in ('not-present' | 'example' | 'fragment' | 'complete' | "
                        "'supplement')).not())"):
            problems.append("content is not a CodeSystemContentMode")
        codes = fp(resource, "concept.code")
        if len(set(codes)) != len(codes):
            problems.append("concept codes are not unique (csd-1)")
        if fp(resource, "count") != [len(codes)]:
            problems.append("count is not the number of concepts")
    return problems
