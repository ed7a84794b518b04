"""The names KneeCheck's FHIR R4 records use, shared by the builder (:mod:`reports.fhir`) and the
importer (:mod:`models.fhir_import`): canonical URLs, identifier systems, the status codes for a
draft and a finalized encounter, and the table of verified external codes.

KneeCheck's own code system and questionnaire live under ``http://kneecheck.invalid/fhir/``: the
``.invalid`` top-level domain is reserved (RFC 2606) and never resolves, so the URLs are stable
names that nobody else can own, not addresses to fetch. A clinic may map them to its own canonical
base in its integration engine.

No SNOMED CT or LOINC code is written here or anywhere in Python. ``resources/fhir/codes.json`` is
the one place for verified codes (every list empty until someone checks a code in the code system's
own browser and records who and when); :func:`verified_codes` loads and checks it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from models.catalogue import RESOURCE_DIR, known_rulesets, load_catalogue

FHIR_VERSION = "4.0.1"
CANONICAL_BASE = "http://kneecheck.invalid/fhir"
CODE_SYSTEM_URL = f"{CANONICAL_BASE}/CodeSystem/kneecheck"
QUESTIONNAIRE_URL = f"{CANONICAL_BASE}/Questionnaire/kneecheck"
BUNDLE_ID_SYSTEM = f"{CANONICAL_BASE}/sid/bundle"
REVISION_ID_SYSTEM = f"{CANONICAL_BASE}/sid/revision-sha256"
# The MRN's identifier system is a clinic setting (--mrn-system, $KNEECHECK_MRN_SYSTEM); this
# placeholder says plainly that no clinic system was chosen.
DEFAULT_MRN_SYSTEM = "urn:kneecheck:mrn"
MRN_SYSTEM_ENV = "KNEECHECK_MRN_SYSTEM"

# HL7's own terminology (terminology.hl7.org), each checked against the published R4 code system.
IDENTIFIER_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0203"   # MR: Medical record number
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"       # AMB: ambulatory
PROVENANCE_AGENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"  # attester
MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"

# Statuses (required bindings in R4) for a draft, a finalized encounter and a finalized amendment.
ENCOUNTER_STATUS = {"draft": "in-progress", "final": "finished", "amended": "finished"}
RESPONSE_STATUS = {"draft": "in-progress", "final": "completed", "amended": "amended"}
RISK_STATUS = {"draft": "preliminary", "final": "final", "amended": "amended"}
DOC_STATUS = {"draft": "preliminary", "final": "final", "amended": "amended"}

# The prefixes of the code system's concepts that are not checklist items or answers.
KNEE_PREFIX, DIRECTION_PREFIX, URGENCY_PREFIX, ALERT_PREFIX = "knee-", "direction-", "urgency-", "alert-"
ROUTINE = "routine"  # the urgency when no alert raises it (models.assessment)

CODES_PATH = RESOURCE_DIR / "fhir" / "codes.json"
CODES_FORMAT = "kneecheck-fhir-codes/1"
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]+")


class CodesError(ValueError):
    """resources/fhir/codes.json is malformed; the message names the entry."""


MRN_SYSTEM_ENV = "KNEECHECK_MRN_SYSTEM"


def mrn_system_default() -> str:
    """The MRN system when none is given: ``$KNEECHECK_MRN_SYSTEM`` if it is a valid URI, else
    :data:`DEFAULT_MRN_SYSTEM`. The command line and the window use the same default."""
    import os

    value = os.environ.get(MRN_SYSTEM_ENV, "")
    return value if value and valid_uri(value) else DEFAULT_MRN_SYSTEM


def valid_uri(text: str) -> bool:
    """An absolute URI as FHIR's ``uri`` type needs it (a scheme, no spaces): urn:..., http(s)://..."""
    return bool(_URI.fullmatch(text))


@dataclass(frozen=True)
class VerifiedCode:
    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}


@dataclass(frozen=True)
class VerifiedCodes:
    items: dict[str, tuple[VerifiedCode, ...]]
    answers: dict[str, tuple[VerifiedCode, ...]]


def _checked_entries(where: str, raw: Any) -> tuple[VerifiedCode, ...]:
    if not isinstance(raw, list):
        raise CodesError(f"{CODES_PATH.name}: {where} must be a list")
    out = []
    for n, entry in enumerate(raw, 1):
        here = f"{where}[{n}]"
        if not isinstance(entry, dict):
            raise CodesError(f"{CODES_PATH.name}: {here} must be an object")
        required = {"system", "code", "display", "verified_by", "verified_on"}
        unknown = sorted(set(entry) - required - {"note"})
        missing = sorted(required - set(entry))
        if unknown or missing:
            raise CodesError(f"{CODES_PATH.name}: {here}: " + (f"unknown key {unknown[0]}" if unknown
                                                               else f"missing {missing[0]}"))
        if not all(isinstance(entry[k], str) and entry[k].strip() for k in required):
            raise CodesError(f"{CODES_PATH.name}: {here}: every field must be a non-empty string")
        if not valid_uri(entry["system"]) or entry["system"].startswith(CANONICAL_BASE):
            raise CodesError(f"{CODES_PATH.name}: {here}: system must be another code system's URI")
        try:
            dt.date.fromisoformat(entry["verified_on"])
        except ValueError:
            raise CodesError(f"{CODES_PATH.name}: {here}: verified_on must be a date (YYYY-MM-DD)") from None
        out.append(VerifiedCode(entry["system"], entry["code"], entry["display"]))
    return tuple(out)


def parse_verified_codes(data: Any) -> VerifiedCodes:
    """Check the verified-codes table: every item id and answer must exist in a bundled rule set."""
    if not isinstance(data, dict) or data.get("format") != CODES_FORMAT:
        raise CodesError(f"{CODES_PATH.name}: needs \"format\": \"{CODES_FORMAT}\"")
    unknown = sorted(set(data) - {"format", "about", "items", "answers"})
    if unknown:
        raise CodesError(f"{CODES_PATH.name}: unknown key {unknown[0]}")
    item_ids: set[str] = set()
    answers: set[str] = set()
    for ruleset in known_rulesets():
        for item in load_catalogue(ruleset).items:
            item_ids.add(item.id)
            answers.update(item.values)
    tables: dict[str, dict[str, tuple[VerifiedCode, ...]]] = {}
    for key, known in (("items", item_ids), ("answers", answers)):
        raw = data.get(key, {})
        if not isinstance(raw, dict):
            raise CodesError(f"{CODES_PATH.name}: {key} must be an object")
        for name in raw:
            if name not in known:
                raise CodesError(f"{CODES_PATH.name}: {key}.{name} is not in any rule set")
        tables[key] = {name: _checked_entries(f"{key}.{name}", value) for name, value in raw.items()}
    return VerifiedCodes(items=tables["items"], answers=tables["answers"])


@cache
def verified_codes() -> VerifiedCodes:
    """The bundled table of verified external codes, loaded and checked once per process."""
    try:
        data = json.loads(Path(CODES_PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CodesError(f"{CODES_PATH.name}: cannot be read ({exc})") from exc
    return parse_verified_codes(data)


def validation_message(exc: BaseException) -> str:
    """fhirclient's FHIRValidationError (a tree of errors, several lines, object reprs) as one
    short line: the path of the first problem and what is wrong there. Values are not quoted."""
    path: list[str] = []
    error: BaseException = exc
    for _ in range(64):
        errors = getattr(error, "errors", None)
        if not isinstance(errors, list) or not errors:
            break
        if getattr(error, "path", None):
            path.append(str(error.path))  # type: ignore[attr-defined]
        error = errors[0]
    text = str(error.args[0]) if error.args else type(error).__name__
    text = re.sub(r" (on|for|in data for) <[^>]*>", "", text)
    text = re.sub(r"<class '([^']*)'>", lambda m: m.group(1).rsplit(".", 1)[-1], text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)  # a key from the file may hold anything
    text = " ".join(text.split())[:200]
    where = ".".join(path)
    return f"{where}: {text}" if where else text


def record_state(status: str, amends_id: int | None) -> str:
    """draft, final, or amended (a finalized amendment of an earlier finalized encounter)."""
    if status != "final":
        return "draft"
    return "amended" if amends_id is not None else "final"
