"""The ``kneecheck-case/1`` case file: parsing, validation and serialisation.

A case file is the exchange format for import, export and tests. Validation is strict: an unknown
key, a wrong type, a value outside the checklist, a duplicated key or an impossible date is bad
input and raises :class:`CaseError` naming the field. Nothing is guessed or silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.catalogue import Catalogue, load_catalogue

FORMAT = "kneecheck-case/1"
SEXES = ("female", "male", "other", "unknown")
KNEES = ("left", "right", "both")
MAX_AGE_YEARS = 125
MAX_FILE_BYTES = 2 * 1024 * 1024
LIMITS = {"mrn": 64, "family_name": 200, "given_name": 200, "clinician": 200, "notes": 20000}

FindingValue = str | int | float


class CaseError(ValueError):
    """Bad case input. ``field`` is the dotted path of the offending field (or the file)."""

    def __init__(self, field: str, message: str, source: str | None = None) -> None:
        where = f"{source}: {field}" if source and field != source else field
        super().__init__(f"{where}: {message}")
        self.field = field
        self.message = message
        self.source = source


@dataclass(frozen=True)
class Patient:
    mrn: str
    family_name: str
    given_name: str
    birth_date: dt.date
    sex: str

    @property
    def display_name(self) -> str:
        return f"{self.family_name}, {self.given_name}" if self.given_name else self.family_name


@dataclass(frozen=True)
class EncounterInfo:
    date: dt.date
    clinician: str
    knee: str


@dataclass(frozen=True)
class Case:
    patient: Patient
    encounter: EncounterInfo
    findings: dict[str, FindingValue] = field(default_factory=dict)
    notes: str = ""

    @property
    def age_years(self) -> int:
        return age_on(self.patient.birth_date, self.encounter.date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "patient": {
                "mrn": self.patient.mrn,
                "family_name": self.patient.family_name,
                "given_name": self.patient.given_name,
                "birth_date": self.patient.birth_date.isoformat(),
                "sex": self.patient.sex,
            },
            "encounter": {
                "date": self.encounter.date.isoformat(),
                "clinician": self.encounter.clinician,
                "knee": self.encounter.knee,
            },
            "findings": dict(self.findings),
            "notes": self.notes,
        }


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Whole years completed on ``on`` (the birthday itself counts; 29 February turns over on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# --- field checks -------------------------------------------------------------------------------

def _shown(value: Any, limit: int = 40) -> str:
    """A bad value as an error message may quote it: on one line, short, invisible characters spelled out.

    The value may be anything a file held (100,000 characters, a line break, a terminal escape);
    quoting it whole would flood the one-line message and could carry patient text into logs.
    """
    if not (isinstance(value, (str, int, float, bool)) or value is None):
        return _json_type(value)
    text = json.dumps(value, ensure_ascii=False)
    text = "".join(ch if ch.isprintable() else (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
                   for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key(path: str, key: Any) -> str:
    """The dotted path of a key the file used; an odd key is quoted like a value."""
    name = key if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9_]{1,64}", key) else _shown(key)
    return f"{path}.{name}" if path else name


def _object(path: str, value: Any, required: set[str], optional: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    if not isinstance(value, dict):
        raise CaseError(path, f"must be an object, not {_json_type(value)}")
    unknown = sorted(set(value) - required - optional)
    if unknown:
        allowed = ", ".join(sorted(required | optional))
        raise CaseError(_key(path, unknown[0]), f"unknown field (allowed: {allowed})")
    missing = sorted(required - set(value))
    if missing:
        raise CaseError(f"{path}.{missing[0]}" if path else missing[0], "is required")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _text(path: str, value: Any, limit: int, *, required: bool = True, multiline: bool = False) -> str:
    if not isinstance(value, str):
        raise CaseError(path, f"must be a string, not {_json_type(value)}")
    if required and not value.strip():
        raise CaseError(path, "must not be empty")
    if len(value) > limit:
        raise CaseError(path, f"is {len(value)} characters long; the limit is {limit}")
    allowed_controls = {"\n", "\t", "\r"} if multiline else set()
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed_controls:
            raise CaseError(path, f"contains a control character (U+{ord(ch):04X})")
    return value


check_text = _text  # the public name: other modules validate free text (e.g. a clinician) the same way


def _choice(path: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise CaseError(path, f"{_shown(value)} is not allowed; use one of: {', '.join(allowed)}")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> dt.date | None:
    """A calendar date written exactly YYYY-MM-DD, else ``None``.

    ``date.fromisoformat`` alone also takes week dates such as 2026-W04-1 (and, in later Pythons,
    compact forms), which would be stored as a different-looking date than the one typed.
    """
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _date(path: str, value: Any) -> dt.date:
    if not isinstance(value, str):
        raise CaseError(path, f"must be an ISO 8601 date string (YYYY-MM-DD), not {_json_type(value)}")
    parsed = parse_iso_date(value)
    if parsed is None:
        raise CaseError(path, f"{_shown(value)} is not a valid date (YYYY-MM-DD)")
    return parsed


def parse_finding(item_id: str, value: Any, catalogue: Catalogue) -> FindingValue | None:
    """Check one answer against the catalogue; ``None`` (not assessed) passes through."""
    path = _key("findings", item_id)
    item = catalogue.by_id.get(item_id)
    if item is None:
        raise CaseError(path, f"unknown checklist item (rule set {catalogue.ruleset})")
    if value is None:
        return None
    if item.is_number:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and not math.isfinite(value)):
            raise CaseError(path, f"must be a number from {item.minimum:g} to {item.maximum:g}, or null")
        assert item.minimum is not None and item.maximum is not None
        # Compared before any formatting: an integer of 400 digits cannot become a float.
        if not item.minimum <= value <= item.maximum:
            shown = f"{value:g}" if isinstance(value, float) or abs(value) < 10**15 else "a very large number"
            raise CaseError(path, f"{shown} is out of range; allowed {item.minimum:g} to {item.maximum:g}")
        return value
    if not isinstance(value, str) or value not in item.values:
        raise CaseError(path, f"{_shown(value)} is not allowed; use one of: {', '.join(item.values)} (or null for not assessed)")
    return value


def parse_findings(raw: Any, catalogue: Catalogue) -> dict[str, FindingValue]:
    """Answered findings only: keys with ``null`` are not assessed and are not kept."""
    if not isinstance(raw, dict):
        raise CaseError("findings", f"must be an object, not {_json_type(raw)}")
    findings: dict[str, FindingValue] = {}
    for item_id, value in raw.items():
        parsed = parse_finding(item_id, value, catalogue)
        if parsed is not None:
            findings[item_id] = parsed
    # Keep checklist order so every consumer (storage, PDF, export) sees the same sequence.
    order = {item.id: n for n, item in enumerate(catalogue.items)}
    return dict(sorted(findings.items(), key=lambda kv: order[kv[0]]))


def parse_patient(raw: Any, *, on: dt.date | None = None) -> Patient:
    p = _object("patient", raw, {"mrn", "family_name", "given_name", "birth_date", "sex"})
    mrn = _text("patient.mrn", p["mrn"], LIMITS["mrn"])
    if mrn != mrn.strip():
        raise CaseError("patient.mrn", "must not start or end with spaces")
    family = _text("patient.family_name", p["family_name"], LIMITS["family_name"])
    given = _text("patient.given_name", p["given_name"], LIMITS["given_name"], required=False)
    birth = _date("patient.birth_date", p["birth_date"])
    today = on or dt.date.today()
    if birth > today:
        raise CaseError("patient.birth_date", f"{birth.isoformat()} is in the future")
    if age_on(birth, today) > MAX_AGE_YEARS:
        raise CaseError("patient.birth_date", f"{birth.isoformat()} gives an age over {MAX_AGE_YEARS} years")
    sex = _choice("patient.sex", p["sex"], SEXES)
    return Patient(mrn=mrn, family_name=family, given_name=given, birth_date=birth, sex=sex)


def parse_encounter_info(raw: Any, patient: Patient, *, today: dt.date | None = None) -> EncounterInfo:
    e = _object("encounter", raw, {"date", "clinician", "knee"})
    date = _date("encounter.date", e["date"])
    today = today or dt.date.today()
    if date > today + dt.timedelta(days=1):
        raise CaseError("encounter.date", f"{date.isoformat()} is in the future")
    if date < patient.birth_date:
        raise CaseError("patient.birth_date", f"{patient.birth_date.isoformat()} is after the encounter date {date.isoformat()}")
    if age_on(patient.birth_date, date) > MAX_AGE_YEARS:
        raise CaseError("patient.birth_date", f"gives an age over {MAX_AGE_YEARS} years at the encounter")
    clinician = _text("encounter.clinician", e["clinician"], LIMITS["clinician"])
    knee = _choice("encounter.knee", e["knee"], KNEES)
    return EncounterInfo(date=date, clinician=clinician, knee=knee)


def parse_case(data: Any, catalogue: Catalogue | None = None, *, today: dt.date | None = None) -> Case:
    """Validate decoded JSON as a ``kneecheck-case/1`` case."""
    catalogue = catalogue or load_catalogue()
    top = _object("", data, {"format", "patient", "encounter", "findings"}, {"notes"})
    if top["format"] != FORMAT:
        raise CaseError("format", f"{_shown(top['format']) if isinstance(top['format'], str) else _json_type(top['format'])} is not supported; expected \"{FORMAT}\"")
    # The encounter date bounds the birth date, so parse the patient against today first.
    patient = parse_patient(top["patient"], on=today)
    encounter = parse_encounter_info(top["encounter"], patient, today=today)
    findings = parse_findings(top["findings"], catalogue)
    notes = _text("notes", top.get("notes", ""), LIMITS["notes"], required=False, multiline=True)
    return Case(patient=patient, encounter=encounter, findings=findings, notes=notes)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise CaseError(_key("", key), "appears twice in the same object")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise CaseError("(file)", f"{name} is not a valid JSON number")


def loads_case(text: str, catalogue: Catalogue | None = None, *, today: dt.date | None = None) -> Case:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except CaseError:
        raise
    except json.JSONDecodeError as exc:
        raise CaseError("(file)", f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise CaseError("(file)", "nested too deeply to be a case file") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise CaseError("(file)", f"not a valid case file ({exc})") from None
    return parse_case(data, catalogue, today=today)


def load_case_file(path: str | Path, catalogue: Catalogue | None = None) -> Case:
    """Read and validate a case file; every failure is a :class:`CaseError` naming the file or field."""
    from models.files import NotARegularFileError, read_regular_file

    name = str(path)
    try:  # a FIFO or device is refused before a byte is read (it could block or never end)
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise CaseError(name, "no such file", name) from None
    except IsADirectoryError:
        raise CaseError(name, "is a folder, not a case file", name) from None
    except NotARegularFileError as exc:
        raise CaseError(name, exc.strerror or "is not a regular file", name) from None
    except OSError as exc:
        raise CaseError(name, f"cannot be read ({exc.strerror or exc})", name) from None
    if len(raw) > MAX_FILE_BYTES:
        raise CaseError(name, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a case file", name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(name, "is not UTF-8 text", name) from None
    try:
        return loads_case(text, catalogue)
    except CaseError as exc:
        field = name if exc.field == "(file)" else exc.field
        raise CaseError(field, exc.message, name) from None
