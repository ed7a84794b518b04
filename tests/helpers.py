"""Shared test helpers: building valid cases without repeating the patient block everywhere."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_NAMES = sorted(p.name[: -len(".json")] for p in CASES_DIR.glob("*.json") if ".expected" not in p.name)
# The cases that are valid under rule set 2026.1: they have a NAME.expected-2026.1.json.
CASE_NAMES_2026_1 = sorted(p.name[: -len(".expected-2026.1.json")] for p in CASES_DIR.glob("*.expected-2026.1.json"))

BASE_CASE: dict[str, Any] = {
    "format": "kneecheck-case/1",
    "patient": {"mrn": "T-0001", "family_name": "Testperson", "given_name": "Alex",
                "birth_date": "1970-01-01", "sex": "unknown"},
    "encounter": {"date": "2026-11-20", "clinician": "Dr Test", "knee": "left"},
    "findings": {},
    "notes": "",
}


def make_case(findings: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid case dict; ``overrides`` replace top-level parts (patient=..., encounter=...)."""
    case = copy.deepcopy(BASE_CASE)
    case["findings"] = dict(findings or {})
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(case.get(key), dict):
            case[key].update(value)
        else:
            case[key] = value
    return case


def load_example(name: str, ruleset: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A case file and what ``assess`` must give for it: under the current rule set (2027.1) by
    default, or under ``ruleset`` (its NAME.expected-RULESET.json)."""
    case = json.loads((CASES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    suffix = "expected" if ruleset is None else f"expected-{ruleset}"
    expected = json.loads((CASES_DIR / f"{name}.{suffix}.json").read_text(encoding="utf-8"))
    return case, expected
