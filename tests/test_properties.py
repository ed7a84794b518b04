"""Property tests: for any well-formed case the arithmetic and the rules hold; any malformed input
is a clean CaseError, never another exception."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.assessment import assess
from models.case import MAX_AGE_YEARS, CaseError, loads_case, parse_case
from models.catalogue import load_catalogue
from tests.helpers import make_case

CATALOGUE = load_catalogue("2026.1")  # its direction rules, written out below as an independent oracle
TIERS = [t.id for t in CATALOGUE.tiers]


def _answer(item: Any) -> st.SearchStrategy[Any]:
    if item.is_number:
        return st.none() | st.integers(int(item.minimum), int(item.maximum)) | st.floats(
            item.minimum, item.maximum, allow_nan=False)
    return st.none() | st.sampled_from(item.values)


findings_strategy = st.fixed_dictionaries({}, optional={item.id: _answer(item) for item in CATALOGUE.items})
# Dates relative to the day the tests run (cases are checked against today): every birth date drawn
# is under the 125-year limit today, whatever year that is, and no encounter is after today.
TODAY = dt.date.today()
EARLIEST_BIRTH = dt.date(TODAY.year - (MAX_AGE_YEARS - 1), 1, 1)
dates = st.dates(min_value=EARLIEST_BIRTH, max_value=TODAY)


def years_after(day: dt.date, years: int) -> dt.date:
    """``day`` in the year ``years`` later (29 February becomes 28 February in a common year)."""
    return day.replace(year=day.year + years, day=min(day.day, 28) if day.month == 2 else day.day)


@st.composite
def well_formed_cases(draw: st.DrawFn) -> dict[str, Any]:
    birth = draw(dates)
    encounter = draw(st.dates(min_value=birth, max_value=min(years_after(birth, 120), TODAY)))
    return make_case(draw(findings_strategy), patient={"birth_date": birth.isoformat()},
                     encounter={"date": encounter.isoformat(), "knee": draw(st.sampled_from(["left", "right", "both"]))})


@settings(max_examples=300, deadline=None)
@given(well_formed_cases())
def test_scores_and_direction_follow_the_rules(raw: dict[str, Any]) -> None:
    case = parse_case(raw, CATALOGUE)
    result = assess(case, CATALOGUE)
    findings = case.findings

    # scores are exactly the sum of the listed contributions, and each contribution is the catalogue's
    for target in ("spinal", "local", "hip"):
        assert result.scores[target] == sum(c.points for c in result.contributions if c.target == target)
    for c in result.contributions:
        allowed = {(x.target, p) for x in CATALOGUE.item(c.item).contributions if c.value in x.when
                   for p in (x.points, *(m.points for m in x.modifiers))}
        assert (c.target, c.points) in allowed
        assert c.value == findings[c.item]

    s, loc, h = result.scores["spinal"], result.scores["local"], result.scores["hip"]
    keys = sum(1 for i in CATALOGUE.key_items if i.id in findings)
    if keys < 3:
        expected = "indeterminate"
    elif h >= 3 and h >= s and h >= loc:
        expected = "hip"
    elif s >= 4 and loc >= 4:
        expected = "mixed"
    elif s >= 3 and s - loc >= 2:
        expected = "spinal"
    elif loc >= 3 and loc - s >= 2:
        expected = "local"
    else:
        expected = "indeterminate"
    assert result.direction == expected

    tiers = [a.tier for a in result.alerts]
    assert result.urgency == (min(tiers, key=TIERS.index) if tiers else "routine")
    red_flags = {i.id for i in CATALOGUE.items if i.red_flag and findings.get(i.id) == "yes"}
    assert red_flags <= {a.id for a in result.alerts}
    # not-assessed items are never answered ones
    assert not set(result.not_assessed) & set(findings)
    json.dumps(result.to_dict())  # always serialisable


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_random_json_is_a_clean_error(value: Any) -> None:
    try:
        parse_case(value)
    except CaseError as exc:
        assert str(exc)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([i.id for i in CATALOGUE.items]), json_values)
def test_any_bad_answer_names_the_item(item_id: str, value: Any) -> None:
    raw = make_case({item_id: value})
    try:
        case = parse_case(raw)
    except CaseError as exc:
        assert exc.field == f"findings.{item_id}"
    else:  # accepted only when it is a legal answer, and then kept unchanged
        assert value is None or case.findings[item_id] == value


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_a_clean_error(text: str) -> None:
    try:
        loads_case(text)
    except CaseError as exc:
        assert str(exc)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["patient", "encounter"]), st.sampled_from(
    ["mrn", "family_name", "given_name", "birth_date", "sex", "date", "clinician", "knee"]), json_values)
def test_any_bad_identity_field_names_it(section: str, key: str, value: Any) -> None:
    raw = make_case()
    raw[section][key] = value
    try:
        parse_case(raw)
    except CaseError as exc:
        assert exc.field.startswith(("patient.", "encounter.", section))
