"""The example cases from the specification, each with the assessment it must give under both rule sets.

``NAME.expected.json`` is the current rule set's (2027.1) result, ``NAME.expected-2026.1.json`` the
2026.1 result where the case is valid under 2026.1; the other cases use 2027.1's new items, so
2026.1 refuses them as bad input. Checked in process here and through the real command line in
``test_cli_assess.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.assessment import assess
from models.case import CaseError, parse_case
from models.catalogue import current_ruleset, load_catalogue
from tests.helpers import CASE_NAMES, CASE_NAMES_2026_1, load_example

OLD = load_catalogue("2026.1")


def comparable(result: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The fields an expectation file lists, alerts as sorted ids."""
    return {k: sorted(a["id"] for a in result["alerts"]) if k == "alerts" else result[k] for k in expected}


def test_all_examples_present() -> None:
    assert len(CASE_NAMES) == 19
    assert len(CASE_NAMES_2026_1) == 10
    assert current_ruleset() == "2027.1"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_example_case_matches_expected(name: str) -> None:
    raw, expected = load_example(name)
    assert set(expected) == {"direction", "urgency", "scores", "alerts", "levels", "sources", "spinal_unexamined"}
    result = assess(parse_case(raw)).to_dict()
    assert comparable(result, expected) == expected
    assert result["ruleset"] == "2027.1"
    for target, total in result["scores"].items():  # the listed contributions add up to the scores
        assert sum(c["points"] for c in result["contributions"] if c["target"] == target) == total


@pytest.mark.parametrize("name", CASE_NAMES_2026_1)
def test_example_case_matches_expected_under_2026_1(name: str) -> None:
    raw, expected = load_example(name, "2026.1")
    assert set(expected) == {"direction", "urgency", "scores", "alerts", "levels"}
    result = assess(parse_case(raw, OLD), OLD).to_dict()
    assert comparable(result, expected) == expected
    assert result["ruleset"] == "2026.1"
    assert "sources" not in result and "spinal_unexamined" not in result


@pytest.mark.parametrize("name", sorted(set(CASE_NAMES) - set(CASE_NAMES_2026_1)))
def test_new_cases_are_bad_input_under_2026_1(name: str) -> None:
    raw, _ = load_example(name)
    with pytest.raises(CaseError, match=r"^findings\."):
        parse_case(raw, OLD)
