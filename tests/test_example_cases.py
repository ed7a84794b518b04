"""The example cases from the specification, each with the assessment it must produce."""

from __future__ import annotations

import pytest

from models.assessment import assess
from models.case import parse_case
from tests.helpers import CASE_NAMES, load_example


def test_all_examples_present() -> None:
    assert len(CASE_NAMES) == 8


@pytest.mark.parametrize("name", CASE_NAMES)
def test_example_case_matches_expected(name: str) -> None:
    raw, expected = load_example(name)
    result = assess(parse_case(raw)).to_dict()
    assert result["direction"] == expected["direction"]
    assert result["urgency"] == expected["urgency"]
    assert result["scores"] == expected["scores"]
    assert sorted(a["id"] for a in result["alerts"]) == expected["alerts"]
    assert result["levels"] == expected["levels"]
    assert result["ruleset"] == "2026.1"
    # the listed contributions add up to the scores
    for target, total in result["scores"].items():
        assert sum(c["points"] for c in result["contributions"] if c["target"] == target) == total
