"""Rule set 2026.1 (CHECKLIST-2026.1.md) as tables: one row, one expectation.

Stored encounters were assessed with it, and `assess --ruleset 2026.1` must still give exactly its
results, so these tables stay as they were written for it, run against its own rule-set file.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.assessment import assess, assess_findings, direction_for
from models.case import parse_case
from models.catalogue import load_catalogue
from tests.helpers import make_case

AGE = 40
RULES = load_catalogue("2026.1")

# item, value, target, points  (CHECKLIST.md sections B-E)
CONTRIBUTIONS = [
    ("pain_localized", "point", "local", 1),
    ("pain_localized", "diffuse", "spinal", 1),
    ("back_pain", "yes", "spinal", 1),
    ("known_spinal_condition", "yes", "spinal", 1),
    ("radiating_below_knee", "yes", "spinal", 2),
    ("sensory_changes", "yes", "spinal", 2),
    ("spinal_posture_aggravates", "yes", "spinal", 1),
    ("neurogenic_claudication", "yes", "spinal", 3),
    ("weight_bearing_aggravates", "yes", "local", 1),
    ("mechanical_symptoms", "yes", "local", 2),
    ("joint_line_tenderness", "medial", "local", 2),
    ("joint_line_tenderness", "lateral", "local", 2),
    ("joint_line_tenderness", "both", "local", 2),
    ("joint_line_tenderness", "none", "local", -1),
    ("swelling", "effusion", "local", 3),
    ("swelling", "trace", "local", 1),
    ("swelling", "none", "local", -1),
    ("warmth", "yes", "local", 1),
    ("knee_loading_reproduces", "yes", "local", 2),
    ("knee_loading_reproduces", "no", "local", -1),
    ("mcmurray", "positive", "local", 2),
    ("thessaly", "positive", "local", 2),
    ("lachman", "positive", "local", 3),
    ("slr", "positive", "spinal", 2),
    ("slr", "negative", "spinal", -1),
    ("crossed_slr", "positive", "spinal", 3),
    ("slump", "positive", "spinal", 2),
    ("femoral_stretch", "positive", "spinal", 2),
    ("lumbar_movement_reproduces", "yes", "spinal", 2),
    ("dermatomal_deficit", "L2", "spinal", 2),
    ("dermatomal_deficit", "L3", "spinal", 2),
    ("dermatomal_deficit", "L4", "spinal", 2),
    ("dermatomal_deficit", "L5", "spinal", 2),
    ("dermatomal_deficit", "S1", "spinal", 2),
    ("patellar_reflex", "reduced", "spinal", 2),
    ("patellar_reflex", "absent", "spinal", 2),
    ("achilles_reflex", "reduced", "spinal", 2),
    ("achilles_reflex", "absent", "spinal", 2),
    ("motor_weakness", "mild", "spinal", 2),
    ("motor_weakness", "marked", "spinal", 2),
    ("hip_rotation_reproduces", "yes", "hip", 3),
    ("hip_rotation_limited", "yes", "hip", 2),
]

# answers that add nothing
NO_CONTRIBUTION = [
    ("back_pain", "no"), ("known_spinal_condition", "no"), ("radiating_below_knee", "no"),
    ("sensory_changes", "no"), ("spinal_posture_aggravates", "no"), ("neurogenic_claudication", "no"),
    ("weight_bearing_aggravates", "no"), ("mechanical_symptoms", "no"), ("warmth", "no"),
    ("mcmurray", "negative"), ("thessaly", "negative"), ("lachman", "negative"),
    ("crossed_slr", "negative"), ("slump", "negative"), ("femoral_stretch", "negative"),
    ("lumbar_movement_reproduces", "no"), ("dermatomal_deficit", "none"), ("patellar_reflex", "normal"),
    ("patellar_reflex", "brisk"), ("achilles_reflex", "normal"), ("motor_weakness", "none"),
    ("hip_rotation_reproduces", "no"), ("hip_rotation_limited", "no"),
    ("pain_region", "anterior"), ("recent_trauma", "yes"), ("duration_weeks", 12),
    ("ottawa_patella_tender", "yes"), ("rf_cancer_history", "yes"),
]


@pytest.mark.parametrize(("item", "value", "target", "points"), CONTRIBUTIONS)
def test_contribution(item: str, value: str, target: str, points: int) -> None:
    result = assess_findings({item: value}, AGE, RULES)
    assert [(c.item, c.value, c.target, c.points) for c in result.contributions] == [(item, value, target, points)]
    expected = {"spinal": 0, "local": 0, "hip": 0}
    expected[target] = points
    assert result.scores == expected


@pytest.mark.parametrize(("item", "value"), NO_CONTRIBUTION)
def test_no_contribution(item: str, value: Any) -> None:
    result = assess_findings({item: value}, AGE, RULES)
    assert result.contributions == ()
    assert result.scores == {"spinal": 0, "local": 0, "hip": 0}


def test_every_scored_answer_is_in_the_table() -> None:
    scored = {(i.id, v) for i in RULES.items for c in i.contributions for v in c.when}
    assert scored == {(item, value) for item, value, _, _ in CONTRIBUTIONS}


@pytest.mark.parametrize(("angle", "points"), [(None, 2), (0, 1), (29, 1), (29.9, 1), (30, 2), (50, 2), (70, 2),
                                               (70.5, 1), (71, 1), (90, 1)])
def test_slr_angle(angle: float | None, points: int) -> None:
    findings: dict[str, Any] = {"slr": "positive"}
    if angle is not None:
        findings["slr_angle"] = angle
    assert assess_findings(findings, AGE, RULES).scores["spinal"] == points


def test_slr_angle_does_not_change_a_negative_slr() -> None:
    assert assess_findings({"slr": "negative", "slr_angle": 20}, AGE, RULES).scores["spinal"] == -1


# red flag id, tier
RED_FLAGS = [
    ("rf_bladder_bowel", "emergency"), ("rf_saddle_anaesthesia", "emergency"), ("rf_bilateral_neuro", "emergency"),
    ("rf_hot_swollen_knee", "emergency"), ("rf_fever_infection_risk", "emergency"), ("rf_dvt_signs", "urgent"),
    ("rf_cancer_history", "priority"), ("rf_weight_loss_night_pain", "priority"), ("rf_fracture_risk", "priority"),
]


@pytest.mark.parametrize(("flag", "tier"), RED_FLAGS)
def test_red_flag(flag: str, tier: str) -> None:
    raised = assess_findings({flag: "yes"}, AGE, RULES)
    assert [(a.id, a.tier) for a in raised.alerts] == [(flag, tier)]
    assert raised.urgency == tier
    assert raised.alerts[0].action in raised.next_steps
    quiet = assess_findings({flag: "no"}, AGE, RULES)
    assert quiet.alerts == () and quiet.urgency == "routine"


@pytest.mark.parametrize(("findings", "alert", "tier"), [
    ({"patellar_reflex": "brisk"}, "cord_signs", "emergency"),
    ({"motor_weakness": "marked"}, "major_motor_deficit", "urgent"),
    ({"recent_trauma": "yes", "ottawa_patella_tender": "yes"}, "ottawa_radiograph", "urgent"),
    ({"recent_trauma": "yes", "ottawa_fibular_head_tender": "yes"}, "ottawa_radiograph", "urgent"),
    ({"recent_trauma": "yes", "ottawa_cannot_flex_90": "yes"}, "ottawa_radiograph", "urgent"),
    ({"recent_trauma": "yes", "ottawa_cannot_bear_weight": "yes"}, "ottawa_radiograph", "urgent"),
])
def test_derived_alert(findings: dict[str, str], alert: str, tier: str) -> None:
    result = assess_findings(findings, AGE, RULES)
    assert [(a.id, a.tier) for a in result.alerts] == [(alert, tier)]


@pytest.mark.parametrize("findings", [
    {"patellar_reflex": "reduced"}, {"motor_weakness": "mild"},
    {"recent_trauma": "no", "ottawa_patella_tender": "yes"},
    {"ottawa_cannot_bear_weight": "yes"},  # no trauma recorded: the Ottawa rule does not apply
    {"recent_trauma": "yes", "ottawa_patella_tender": "no", "ottawa_fibular_head_tender": "no",
     "ottawa_cannot_flex_90": "no", "ottawa_cannot_bear_weight": "no"},
])
def test_no_derived_alert(findings: dict[str, str]) -> None:
    assert assess_findings(findings, AGE, RULES).alerts == ()


def _age_case(birth: str, date: str, findings: dict[str, str]) -> Any:
    return assess(parse_case(make_case(findings, patient={"birth_date": birth}, encounter={"date": date}), RULES), RULES)


# Ottawa: age 55 or more after recent trauma. Birth 1970-06-15: 55 on 2025-06-15.
@pytest.mark.parametrize(("date", "raised"), [("2025-06-14", False), ("2025-06-15", True), ("2026-01-01", True)])
def test_ottawa_age_gate(date: str, raised: bool) -> None:
    result = _age_case("1970-06-15", date, {"recent_trauma": "yes"})
    assert ("ottawa_radiograph" in [a.id for a in result.alerts]) is raised


def test_ottawa_age_needs_trauma() -> None:
    result = _age_case("1950-01-01", "2026-11-01", {"recent_trauma": "no"})
    assert result.alerts == ()


# SCFE: age 8 to 15 with a hip sign. Birth 2010-03-10: 8 on 2018-03-10, 16 on 2026-03-10.
@pytest.mark.parametrize(("date", "raised"), [
    ("2018-03-09", False), ("2018-03-10", True), ("2026-03-09", True), ("2026-03-10", False),
])
@pytest.mark.parametrize("sign", ["hip_rotation_limited", "hip_rotation_reproduces"])
def test_scfe_age_gate(date: str, raised: bool, sign: str) -> None:
    result = _age_case("2010-03-10", date, {sign: "yes"})
    assert ("scfe" in [a.id for a in result.alerts]) is raised


def test_scfe_needs_a_hip_sign() -> None:
    result = _age_case("2012-01-01", "2024-01-01", {"hip_rotation_limited": "no", "hip_rotation_reproduces": "no"})
    assert result.alerts == ()


def test_urgency_is_the_highest_tier_and_alerts_are_ordered() -> None:
    result = assess_findings({"rf_cancer_history": "yes", "rf_dvt_signs": "yes", "patellar_reflex": "brisk"}, AGE, RULES)
    assert result.urgency == "emergency"
    assert [a.tier for a in result.alerts] == ["emergency", "urgent", "priority"]


def test_alert_never_hides_the_direction() -> None:
    findings = {"sensory_changes": "yes", "slr": "positive", "joint_line_tenderness": "none", "swelling": "none",
                "rf_saddle_anaesthesia": "yes"}
    result = assess_findings(findings, AGE, RULES)
    assert result.direction == "spinal" and result.urgency == "emergency"


# spinal, local, hip, key items assessed -> direction
DIRECTIONS = [
    ((10, 0, 0), 2, "indeterminate"),   # rule 1: fewer than 3 key items
    ((0, 10, 0), 2, "indeterminate"),
    ((0, 0, 10), 2, "indeterminate"),
    ((3, 1, 0), 3, "spinal"),           # S = 3, S - L = 2
    ((2, 0, 0), 3, "indeterminate"),    # S = 2
    ((3, 2, 0), 3, "indeterminate"),    # S - L = 1
    ((5, 3, 0), 4, "spinal"),
    ((1, 3, 0), 3, "local"),            # L = 3, L - S = 2
    ((0, 2, 0), 3, "indeterminate"),    # L = 2
    ((2, 3, 0), 4, "indeterminate"),    # L - S = 1
    ((4, 4, 0), 4, "mixed"),            # S = L = 4
    ((4, 3, 0), 4, "indeterminate"),    # L = 3: not mixed, and S - L = 1
    ((3, 4, 0), 4, "indeterminate"),
    ((6, 5, 0), 3, "mixed"),
    ((8, 4, 0), 3, "mixed"),            # mixed is checked before spinal
    ((3, 0, 3), 3, "hip"),              # H ties S: hip
    ((0, 3, 3), 3, "hip"),              # H ties L: hip
    ((4, 4, 4), 4, "hip"),              # hip is checked before mixed
    ((4, 0, 3), 3, "spinal"),           # H < S
    ((0, 4, 3), 3, "local"),            # H < L
    ((0, 0, 2), 4, "indeterminate"),    # H = 2
    ((-1, -2, 5), 4, "hip"),
    ((0, 0, 0), 4, "indeterminate"),
]


@pytest.mark.parametrize(("scores", "keys", "direction"), DIRECTIONS)
def test_direction_rules(scores: tuple[int, int, int], keys: int, direction: str) -> None:
    s, loc, h = scores
    assert direction_for({"spinal": s, "local": loc, "hip": h}, keys, RULES)[0] == direction


@pytest.mark.parametrize(("findings", "direction"), [
    # three key items: spinal 2 - 1 = ... sensory yes (+2), slr positive (+2) -> S 4; jlt none -> L -1
    ({"sensory_changes": "yes", "slr": "positive", "joint_line_tenderness": "none"}, "spinal"),
    # two key items only: indeterminate however strong
    ({"sensory_changes": "yes", "slr": "positive", "crossed_slr": "positive"}, "indeterminate"),
    # "no" is an answer: sensory_changes no counts as assessed
    ({"sensory_changes": "no", "swelling": "effusion", "joint_line_tenderness": "medial"}, "local"),
])
def test_key_item_gate(findings: dict[str, str], direction: str) -> None:
    assert assess_findings(findings, AGE, RULES).direction == direction


def test_missing_key_items_named_in_reason() -> None:
    result = assess_findings({"swelling": "none"}, AGE, RULES)
    assert result.direction == "indeterminate"
    assert "1 of the 4 key items" in result.reason
    assert "straight leg raise" in result.reason and "sensory changes" in result.reason
    assert result.not_assessed[:3] == ("sensory_changes", "joint_line_tenderness", "slr")


def test_null_is_not_assessed_and_never_no() -> None:
    with_null = assess(parse_case(make_case({"slr": None, "swelling": "none"}), RULES), RULES)
    missing = assess(parse_case(make_case({"swelling": "none"}), RULES), RULES)
    assert with_null == missing
    assert "slr" in with_null.not_assessed
    as_no = assess(parse_case(make_case({"sensory_changes": "no", "swelling": "none"}), RULES), RULES)
    assert "sensory_changes" not in as_no.not_assessed
    assert "sensory_changes" in missing.not_assessed


# levels: findings -> nerve levels
LEVELS = [
    ({"femoral_stretch": "positive"}, ("L2-L4",)),
    ({"patellar_reflex": "reduced"}, ("L2-L4",)),
    ({"patellar_reflex": "absent"}, ("L2-L4",)),
    ({"dermatomal_deficit": "L2"}, ("L2-L4",)),
    ({"dermatomal_deficit": "L3"}, ("L2-L4",)),
    ({"dermatomal_deficit": "L4"}, ("L2-L4",)),
    ({"slr": "positive"}, ("L4-S1",)),
    ({"crossed_slr": "positive"}, ("L4-S1",)),
    ({"achilles_reflex": "reduced"}, ("L4-S1",)),
    ({"achilles_reflex": "absent"}, ("L4-S1",)),
    ({"dermatomal_deficit": "L5"}, ("L4-S1",)),
    ({"dermatomal_deficit": "S1"}, ("L4-S1",)),
    ({"femoral_stretch": "positive", "slr": "positive"}, ("L2-L4", "L4-S1")),
    ({"slr": "negative", "femoral_stretch": "negative", "patellar_reflex": "brisk", "dermatomal_deficit": "none"}, ()),
]


@pytest.mark.parametrize(("findings", "levels"), LEVELS)
def test_levels(findings: dict[str, str], levels: tuple[str, ...]) -> None:
    assert assess_findings(findings, AGE, RULES).levels == levels


def test_not_assessed_order_and_child_hip_callout() -> None:
    child = _age_case("2014-05-05", "2026-11-01", {"swelling": "none"})
    assert child.not_assessed[:3] == ("sensory_changes", "joint_line_tenderness", "slr")
    assert child.not_assessed[3:5] == ("hip_rotation_reproduces", "hip_rotation_limited")
    assert "Hip screen not assessed" in child.reason
    adult = _age_case("1970-05-05", "2026-11-01", {"swelling": "none"})
    assert adult.not_assessed[3] == "pain_localized"
    assert "Hip screen" not in adult.reason


def test_follow_up_items_not_listed_as_missing() -> None:
    quiet = assess_findings({}, AGE, RULES)
    assert "ottawa_patella_tender" not in quiet.not_assessed and "slr_angle" not in quiet.not_assessed
    trauma = assess_findings({"recent_trauma": "yes", "slr": "positive"}, AGE, RULES)
    assert "ottawa_patella_tender" in trauma.not_assessed and "slr_angle" in trauma.not_assessed


@pytest.mark.parametrize("direction", ["spinal", "local", "hip", "mixed", "indeterminate"])
def test_next_steps_follow_the_direction(direction: str) -> None:
    findings = {
        "spinal": {"sensory_changes": "yes", "slr": "positive", "swelling": "none"},
        "local": {"sensory_changes": "no", "swelling": "effusion", "joint_line_tenderness": "medial"},
        "hip": {"sensory_changes": "no", "swelling": "none", "slr": "negative", "hip_rotation_reproduces": "yes"},
        "mixed": {"sensory_changes": "yes", "slr": "positive", "swelling": "effusion", "joint_line_tenderness": "both"},
        "indeterminate": {},
    }[direction]
    result = assess_findings(findings, AGE, RULES)
    assert result.direction == direction
    assert result.next_steps == tuple(step.text for step in RULES.direction_steps[direction])
