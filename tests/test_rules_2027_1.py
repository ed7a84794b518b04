"""Rule set 2027.1 (CHECKLIST.md) as tables a clinician can read: one row, one expectation.

Every contribution and modifier, every alert at its boundaries (ages 3/8/16/17, 24/25, 55, 65;
duration 1 and 2 weeks; "not assessed" against "no"), every direction rule, and the next-step rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from models.assessment import Assessment, assess_findings, direction_for
from models.catalogue import load_catalogue

RULES = load_catalogue("2027.1")
ADULT = 40
CLOSING = "Work up the knee pain once the emergency has been dealt with."
TREATMENT_LATER = "Treatment once the urgent problem has been assessed."


def run(findings: dict[str, Any], age: int | None = ADULT, knee: str = "left") -> Assessment:
    return assess_findings(findings, age, RULES, knee=knee)


def points(result: Assessment, item: str) -> list[tuple[str, int]]:
    return [(c.target, c.points) for c in result.contributions if c.item == item]


def alert_ids(result: Assessment) -> set[str]:
    return {a.id for a in result.alerts}


# --- contributions ------------------------------------------------------------------------------
# item, value, other answers, expected (target, points) of that item
CONTRIBUTIONS: list[tuple[str, Any, dict[str, Any], list[tuple[str, int]]]] = [
    ("pain_localized", "point", {}, [("local", 1)]),
    ("pain_localized", "diffuse", {}, [("spinal", 1)]),
    ("back_pain", "yes", {}, [("spinal", 1)]),
    ("known_spinal_condition", "yes", {}, [("spinal", 1)]),
    ("radiating_below_knee", "yes", {}, [("spinal", 2)]),
    ("sensory_changes", "yes", {}, [("spinal", 2)]),
    ("spinal_posture_aggravates", "yes", {}, [("spinal", 1)]),
    ("neurogenic_claudication", "yes", {}, [("spinal", 3)]),
    ("neurogenic_claudication", "yes", {"distal_pulses": "normal"}, [("spinal", 3)]),
    ("neurogenic_claudication", "yes", {"distal_pulses": "reduced"}, [("spinal", 1)]),   # vascular likelier
    ("neurogenic_claudication", "yes", {"distal_pulses": "absent"}, [("spinal", 1)]),
    ("weight_bearing_aggravates", "yes", {}, [("local", 1)]),
    ("mechanical_symptoms", "yes", {}, [("local", 2)]),
    ("groin_pain", "yes", {}, [("hip", 2)]),
    ("joint_line_tenderness", "medial", {}, [("local", 2)]),
    ("joint_line_tenderness", "lateral", {}, [("local", 2)]),
    ("joint_line_tenderness", "both", {}, [("local", 2)]),
    ("joint_line_tenderness", "none", {}, [("local", -1)]),
    ("swelling", "effusion", {}, [("local", 3)]),
    ("swelling", "trace", {}, [("local", 1)]),
    ("swelling", "none", {}, [("local", -1)]),
    ("warmth", "yes", {}, [("local", 1)]),
    ("knee_loading_reproduces", "yes", {}, [("local", 2)]),
    ("knee_loading_reproduces", "no", {}, [("local", -1)]),
    ("mcmurray", "positive", {}, [("local", 2)]),
    ("thessaly", "positive", {}, [("local", 1)]),          # CHANGED: LR+ about 1.1 in primary care
    ("lachman", "positive", {}, [("local", 3)]),
    ("patellofemoral_signs", "yes", {}, [("local", 2)]),
    ("locked_knee", "yes", {}, [("local", 2)]),
    ("popliteal_swelling", "soft", {}, [("local", 1)]),
    ("popliteal_swelling", "pulsatile", {}, [("local", 0)]),
    ("prepatellar_swelling", "yes", {}, [("local", 1)]),
    ("soft_tissue_tenderness", "yes", {}, [("local", 2)]),
    ("apophysis_tender", "yes", {}, [("local", 2)]),
    # straight leg raise: +1, 0 outside 30-70 degrees; -1 negative, 0 beside an upper-root sign
    ("slr", "positive", {}, [("spinal", 1)]),
    ("slr", "positive", {"slr_angle": 29}, [("spinal", 0)]),
    ("slr", "positive", {"slr_angle": 29.9}, [("spinal", 0)]),
    ("slr", "positive", {"slr_angle": 30}, [("spinal", 1)]),
    ("slr", "positive", {"slr_angle": 70}, [("spinal", 1)]),
    ("slr", "positive", {"slr_angle": 70.5}, [("spinal", 0)]),
    ("slr", "positive", {"slr_angle": 0}, [("spinal", 0)]),
    ("slr", "negative", {}, [("spinal", -1)]),
    ("slr", "negative", {"slr_angle": 20}, [("spinal", -1)]),  # the angle only modifies a positive test
    ("slr", "negative", {"femoral_stretch": "positive"}, [("spinal", 0)]),
    ("slr", "negative", {"femoral_stretch": "negative"}, [("spinal", -1)]),
    ("slr", "negative", {"patellar_reflex": "reduced"}, [("spinal", 0)]),
    ("slr", "negative", {"patellar_reflex": "absent"}, [("spinal", 0)]),
    ("slr", "negative", {"patellar_reflex": "brisk"}, [("spinal", -1)]),
    ("slr", "negative", {"dermatomal_deficit": "L2"}, [("spinal", 0)]),
    ("slr", "negative", {"dermatomal_deficit": "L3"}, [("spinal", 0)]),
    ("slr", "negative", {"dermatomal_deficit": "L4"}, [("spinal", 0)]),
    ("slr", "negative", {"dermatomal_deficit": "L5"}, [("spinal", -1)]),
    ("slr", "negative", {"dermatomal_deficit": "peripheral"}, [("spinal", -1)]),
    ("crossed_slr", "positive", {}, [("spinal", 2)]),
    ("slump", "positive", {}, [("spinal", 2)]),
    ("femoral_stretch", "positive", {}, [("spinal", 3)]),
    ("lumbar_movement_reproduces", "yes", {}, [("spinal", 2)]),
    *[("dermatomal_deficit", root, {}, [("spinal", 2)]) for root in ("L2", "L3", "L4", "L5", "S1")],
    ("dermatomal_deficit", "peripheral", {}, [("spinal", 0)]),
    ("patellar_reflex", "reduced", {}, [("spinal", 3)]),
    ("patellar_reflex", "absent", {}, [("spinal", 3)]),
    ("achilles_reflex", "reduced", {}, [("spinal", 2)]),
    ("achilles_reflex", "absent", {}, [("spinal", 2)]),
    # motor weakness: 0 in a peripheral nerve's territory unless a root sign goes with it
    ("motor_weakness", "mild", {}, [("spinal", 2)]),
    ("motor_weakness", "marked", {}, [("spinal", 2)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "peripheral"}, [("spinal", 0)]),
    ("motor_weakness", "marked", {"dermatomal_deficit": "peripheral"}, [("spinal", 0)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "peripheral", "hip_abductor_weakness": "yes"}, [("spinal", 2)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "peripheral", "hip_abductor_weakness": "no"}, [("spinal", 0)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "peripheral", "patellar_reflex": "reduced"}, [("spinal", 2)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "peripheral", "achilles_reflex": "absent"}, [("spinal", 2)]),
    ("motor_weakness", "mild", {"dermatomal_deficit": "L5"}, [("spinal", 2)]),
    # hip abductor weakness: the L5 sign only with a radicular story
    ("hip_abductor_weakness", "yes", {}, [("spinal", 0)]),
    ("hip_abductor_weakness", "yes", {"radiating_below_knee": "yes"}, [("spinal", 2)]),
    ("hip_abductor_weakness", "yes", {"sensory_changes": "yes"}, [("spinal", 2)]),
    ("hip_abductor_weakness", "yes", {"back_pain": "yes"}, [("spinal", 2)]),
    ("hip_abductor_weakness", "yes", {"back_pain": "no", "sensory_changes": "no"}, [("spinal", 0)]),
    ("hip_rotation_reproduces", "yes", {}, [("hip", 3)]),   # CHANGED: FADIR no longer part of it
    ("hip_rotation_limited", "yes", {}, [("hip", 2)]),
    ("hip_flexion_limited", "yes", {}, [("hip", 1)]),
]

NO_POINTS = [
    ("fall_at_onset", "yes"), ("fever", "yes"), ("cannot_bear_weight", "yes"), ("knee_prosthesis", "yes"),
    ("spinal_pain_suspicious", "yes"), ("inflammatory_features", "yes"), ("bony_swelling", "yes"),
    ("active_slr_impossible", "yes"), ("upper_motor_neuron_signs", "yes"), ("distal_pulses", "absent"),
    ("limp", "yes"), ("mcmurray", "negative"), ("thessaly", "negative"), ("lachman", "negative"),
    ("crossed_slr", "negative"), ("slump", "negative"), ("femoral_stretch", "negative"),
    ("popliteal_swelling", "none"), ("dermatomal_deficit", "none"), ("patellar_reflex", "normal"),
    ("patellar_reflex", "brisk"), ("motor_weakness", "none"), ("groin_pain", "no"), ("pain_region", "anterior"),
    ("duration_weeks", 12), ("rf_cancer_history", "yes"),
]


@pytest.mark.parametrize(("item", "value", "others", "expected"), CONTRIBUTIONS)
def test_contribution(item: str, value: Any, others: dict[str, Any], expected: list[tuple[str, int]]) -> None:
    result = run({item: value, **others})
    assert points(result, item) == expected
    for target in ("spinal", "local", "hip"):  # the scores are the listed contributions, nothing else
        assert result.scores[target] == sum(c.points for c in result.contributions if c.target == target)


@pytest.mark.parametrize(("item", "value"), NO_POINTS)
def test_no_points(item: str, value: Any) -> None:
    assert points(run({item: value}), item) == []


def test_every_scored_answer_is_in_the_table() -> None:
    scored = {(i.id, v) for i in RULES.items for c in i.contributions for v in c.when}
    assert scored == {(item, value) for item, value, _, _ in CONTRIBUTIONS}


def test_case_files_written_for_2026_1_stay_valid() -> None:
    old = load_catalogue("2026.1")
    for item in old.items:
        assert item.id in RULES.by_id
        assert set(item.values) <= set(RULES.item(item.id).values)
    assert RULES.item("dermatomal_deficit").values[-1] == "peripheral"


# --- red flags ----------------------------------------------------------------------------------
RED_FLAGS = [
    ("rf_bladder_bowel", "emergency"), ("rf_saddle_anaesthesia", "emergency"), ("rf_bilateral_neuro", "emergency"),
    ("rf_hot_swollen_knee", "emergency"), ("rf_fever_infection_risk", "emergency"),
    ("rf_acute_limb_ischaemia", "emergency"), ("rf_knee_dislocation", "emergency"),
    ("rf_compartment_syndrome", "emergency"), ("rf_dvt_signs", "urgent"), ("rf_cancer_history", "priority"),
    ("rf_weight_loss_night_pain", "priority"), ("rf_fracture_risk", "priority"),
]


@pytest.mark.parametrize(("flag", "tier"), RED_FLAGS)
def test_red_flag(flag: str, tier: str) -> None:
    raised = run({flag: "yes"})
    assert [(a.id, a.tier) for a in raised.alerts if a.id == flag] == [(flag, tier)]
    assert raised.urgency == tier
    assert raised.alerts[0].action and raised.alerts[0].action in raised.next_steps
    quiet = run({flag: "no"})
    assert flag not in alert_ids(quiet) and quiet.urgency == "routine"


def test_every_red_flag_is_in_the_table() -> None:
    assert [i.id for i in RULES.red_flags] == [f for f, _ in RED_FLAGS]


# --- derived alerts: findings, age, knee -> does the alert hold ------------------------------------
TRAUMA_HIP = {"recent_trauma": "yes", "groin_pain": "yes"}
WARM_EFFUSION = {"warmth": "yes", "swelling": "effusion"}
# alert, findings, age, knee, holds
DERIVED: list[tuple[str, dict[str, Any], int | None, str, bool]] = [
    ("cord_signs", {"upper_motor_neuron_signs": "yes"}, ADULT, "left", True),
    ("cord_signs", {"upper_motor_neuron_signs": "no"}, ADULT, "left", False),
    ("cord_signs", {"patellar_reflex": "brisk"}, ADULT, "left", False),      # CHANGED: no longer alone
    ("brisk_reflex_check", {"patellar_reflex": "brisk"}, ADULT, "left", True),
    ("brisk_reflex_check", {"patellar_reflex": "brisk", "upper_motor_neuron_signs": "no"}, ADULT, "left", False),
    ("brisk_reflex_check", {"patellar_reflex": "brisk", "upper_motor_neuron_signs": "yes"}, ADULT, "left", False),
    ("brisk_reflex_check", {"patellar_reflex": "normal"}, ADULT, "left", False),
    # metastatic spinal cord compression: cancer, suspicious spinal pain, a neurological finding
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "dermatomal_deficit": "L4"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "motor_weakness": "mild"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "achilles_reflex": "absent"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "upper_motor_neuron_signs": "yes"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "rf_bilateral_neuro": "yes"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "slr": "positive"}, ADULT, "left", False),  # a neurodynamic test alone
    # neurological symptoms count too (NICE NG234: sensory loss, radicular pain): the safer reading
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "sensory_changes": "yes"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "radiating_below_knee": "yes"}, ADULT, "left", True),
    ("spinal_metastasis_neuro", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                                 "dermatomal_deficit": "peripheral"}, ADULT, "left", False),
    ("spinal_metastasis", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes"}, ADULT, "left", True),
    ("spinal_metastasis", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "yes",
                           "dermatomal_deficit": "L4"}, ADULT, "left", False),   # the neuro alert instead
    ("spinal_metastasis", {"rf_cancer_history": "yes", "spinal_pain_suspicious": "no"}, ADULT, "left", False),
    ("spinal_metastasis", {"rf_cancer_history": "yes", "back_pain": "yes"}, ADULT, "left", False),
    ("spinal_metastasis", {"rf_cancer_history": "no", "spinal_pain_suspicious": "yes"}, ADULT, "left", False),
    # hip fracture: fall, 65 or fracture risk, under 1 week (or not assessed), hip sign
    ("hip_fracture", {**TRAUMA_HIP, "duration_weeks": 0.5}, 65, "left", True),
    ("hip_fracture", {**TRAUMA_HIP, "duration_weeks": 0.5}, 64, "left", False),
    ("hip_fracture", {**TRAUMA_HIP, "duration_weeks": 0.5, "rf_fracture_risk": "yes"}, 40, "left", True),
    ("hip_fracture", TRAUMA_HIP, 80, "left", True),                               # duration not assessed
    ("hip_fracture", {**TRAUMA_HIP, "duration_weeks": 1}, 80, "left", False),     # late instead
    ("hip_fracture", {"fall_at_onset": "yes", "hip_rotation_reproduces": "yes"}, 80, "left", True),
    ("hip_fracture", {"recent_trauma": "yes", "groin_pain": "no", "hip_rotation_reproduces": "no"}, 80, "left", False),
    ("hip_fracture", {"recent_trauma": "no", "fall_at_onset": "no", "groin_pain": "yes"}, 80, "left", False),
    ("hip_fracture_late", {**TRAUMA_HIP, "duration_weeks": 1}, 80, "left", True),
    ("hip_fracture_late", {"fall_at_onset": "yes", "groin_pain": "yes", "duration_weeks": 9 / 7}, 81, "left", True),
    ("hip_fracture_late", {**TRAUMA_HIP, "duration_weeks": 0.9}, 80, "left", False),
    ("hip_fracture_late", {**TRAUMA_HIP, "duration_weeks": 3}, 64, "left", False),
    ("fragility_fracture", {"rf_fracture_risk": "yes", "bony_swelling": "yes"}, ADULT, "left", True),
    ("fragility_fracture", {"rf_fracture_risk": "yes", "cannot_bear_weight": "yes"}, ADULT, "left", True),
    ("fragility_fracture", {"rf_fracture_risk": "yes", "ottawa_cannot_bear_weight": "yes"}, ADULT, "left", True),
    ("fragility_fracture", {"rf_fracture_risk": "yes"}, ADULT, "left", False),
    ("fragility_fracture", {"rf_fracture_risk": "no", "bony_swelling": "yes"}, ADULT, "left", False),
    ("warm_traumatic_effusion", {**WARM_EFFUSION, "recent_trauma": "yes", "fever": "no"}, 55, "left", True),
    ("warm_traumatic_effusion", {**WARM_EFFUSION, "recent_trauma": "yes"}, 55, "left", True),  # fever not asked
    ("warm_traumatic_effusion", {**WARM_EFFUSION, "recent_trauma": "yes", "fever": "no"}, 54, "left", False),
    ("warm_traumatic_effusion", {**WARM_EFFUSION, "recent_trauma": "yes", "fever": "yes"}, 60, "left", False),
    ("warm_traumatic_effusion", {**WARM_EFFUSION, "recent_trauma": "yes", "knee_prosthesis": "yes"}, 60, "left",
     False),
    ("hip_fracture_check", {"recent_trauma": "yes", "cannot_bear_weight": "yes"}, 65, "left", True),
    ("hip_fracture_check", {"recent_trauma": "yes", "ottawa_cannot_bear_weight": "yes"}, 70, "left", True),
    ("hip_fracture_check", {"recent_trauma": "yes", "cannot_bear_weight": "yes"}, 64, "left", False),
    # a fall 9 days ago is no longer "recent trauma" but still a fall at onset (the safer reading)
    ("hip_fracture_check", {"fall_at_onset": "yes", "cannot_bear_weight": "yes", "duration_weeks": 1.3}, 80, "left",
     True),
    ("hip_fracture_check", {"recent_trauma": "yes", "cannot_bear_weight": "yes", "rf_fracture_risk": "yes"}, 50,
     "left", True),
    ("hip_fracture_check", {"recent_trauma": "yes", "cannot_bear_weight": "yes",
                            "hip_rotation_reproduces": "no"}, 80, "left", False),  # the hip was examined
    ("hip_fracture_check", {"recent_trauma": "yes", "cannot_bear_weight": "yes", "groin_pain": "yes"}, 80, "left",
     False),                                                                       # hip_fracture instead
    # children's hips
    ("septic_hip_child", {"fever": "yes", "hip_rotation_limited": "yes"}, 16, "left", True),
    ("septic_hip_child", {"fever": "yes", "hip_rotation_limited": "yes"}, 17, "left", False),
    ("septic_hip_child", {"fever": "yes", "limp": "yes"}, 5, "left", True),
    ("septic_hip_child", {"fever": "yes", "limp": "yes", "swelling": "none"}, 5, "left", True),
    ("septic_hip_child", {"fever": "yes", "limp": "yes", "swelling": "effusion"}, 5, "left", False),  # knee instead
    ("septic_hip_child", {"fever": "yes", "cannot_bear_weight": "yes"}, 2, "left", True),
    ("septic_hip_child", {"fever": "no", "hip_rotation_limited": "yes"}, 5, "left", False),
    ("septic_hip_child", {"hip_rotation_limited": "yes"}, 5, "left", False),        # fever not asked
    ("febrile_cannot_bear_weight", {"fever": "yes", "cannot_bear_weight": "yes"}, 17, "left", True),
    ("febrile_cannot_bear_weight", {"fever": "yes", "ottawa_cannot_bear_weight": "yes"}, 70, "left", True),
    ("febrile_cannot_bear_weight", {"fever": "yes", "cannot_bear_weight": "yes"}, 16, "left", False),
    ("febrile_cannot_bear_weight", {"fever": "yes", "cannot_bear_weight": "yes", "knee_prosthesis": "yes"}, 70,
     "left", False),
    ("febrile_cannot_bear_weight", {"fever": "yes", "cannot_bear_weight": "yes", "swelling": "effusion"}, 30,
     "left", False),                                                               # septic_joint holds
    ("prosthetic_infection_febrile", {"knee_prosthesis": "yes", "fever": "yes"}, 70, "left", True),
    ("prosthetic_infection_febrile", {"knee_prosthesis": "no", "fever": "yes"}, 70, "left", False),
    ("prosthetic_infection", {"knee_prosthesis": "yes", "warmth": "yes"}, 70, "left", True),
    ("prosthetic_infection", {"knee_prosthesis": "yes", "swelling": "effusion", "fever": "no"}, 70, "left", True),
    ("prosthetic_infection", {"knee_prosthesis": "yes", "warmth": "yes", "fever": "yes"}, 70, "left", False),
    ("prosthetic_infection", {"knee_prosthesis": "yes", "swelling": "trace"}, 70, "left", False),
    ("septic_joint", {"swelling": "effusion", "fever": "yes"}, ADULT, "left", True),
    ("septic_joint", {**WARM_EFFUSION, "recent_trauma": "no", "duration_weeks": 1.9}, ADULT, "left", True),
    ("septic_joint", WARM_EFFUSION, ADULT, "left", True),                  # trauma and duration not assessed
    ("septic_joint", {**WARM_EFFUSION, "recent_trauma": "no", "duration_weeks": 2}, ADULT, "left", False),
    ("septic_joint", {**WARM_EFFUSION, "recent_trauma": "yes", "duration_weeks": 0.5}, ADULT, "left", False),
    ("septic_joint", {"warmth": "yes", "swelling": "trace"}, ADULT, "left", False),
    ("septic_joint", {"swelling": "effusion", "fever": "yes", "knee_prosthesis": "yes"}, ADULT, "left", False),
    ("warm_effusion", {**WARM_EFFUSION, "fever": "no", "recent_trauma": "no", "duration_weeks": 2}, ADULT, "left",
     True),
    ("warm_effusion", {**WARM_EFFUSION, "duration_weeks": 3}, ADULT, "left", True),  # fever, trauma not asked
    ("warm_effusion", {**WARM_EFFUSION, "duration_weeks": 1.5}, ADULT, "left", False),
    ("warm_effusion", {**WARM_EFFUSION, "duration_weeks": 3, "fever": "yes"}, ADULT, "left", False),
    ("warm_effusion", WARM_EFFUSION, ADULT, "left", False),                # duration not assessed: septic_joint
    ("septic_bursitis", {"prepatellar_swelling": "yes", "warmth": "yes"}, ADULT, "left", True),
    ("septic_bursitis", {"prepatellar_swelling": "yes", "fever": "yes"}, ADULT, "left", True),
    ("septic_bursitis", {"prepatellar_swelling": "yes", "warmth": "no", "fever": "no"}, ADULT, "left", False),
    ("major_motor_deficit", {"motor_weakness": "marked"}, ADULT, "left", True),
    ("major_motor_deficit", {"motor_weakness": "mild"}, ADULT, "left", False),
    ("ottawa_radiograph", {"recent_trauma": "yes"}, 55, "left", True),
    ("ottawa_radiograph", {"recent_trauma": "yes"}, 54, "left", False),
    ("ottawa_radiograph", {"recent_trauma": "yes"}, None, "left", False),
    ("ottawa_radiograph", {"recent_trauma": "yes", "ottawa_fibular_head_tender": "yes"}, 20, "left", True),
    ("ottawa_radiograph", {"recent_trauma": "no", "ottawa_patella_tender": "yes"}, 60, "left", False),
    # slipped capital femoral epiphysis: 8-16
    ("scfe", {"hip_rotation_limited": "yes"}, 8, "left", True),
    ("scfe", {"hip_rotation_limited": "yes"}, 7, "left", False),
    ("scfe", {"hip_rotation_reproduces": "yes"}, 16, "left", True),
    ("scfe", {"hip_rotation_reproduces": "yes"}, 17, "left", False),
    ("scfe", {"groin_pain": "yes"}, 12, "left", True),
    ("scfe", {"limp": "yes"}, 14, "left", True),                           # hip not yet examined
    ("scfe", {"limp": "yes", "hip_rotation_limited": "no"}, 14, "left", False),
    ("scfe", {"limp": "yes", "hip_rotation_reproduces": "no"}, 14, "left", False),
    ("scfe", {"limp": "no"}, 14, "left", False),
    ("unstable_scfe", {"hip_rotation_limited": "yes", "cannot_bear_weight": "yes"}, 13, "left", True),
    ("unstable_scfe", {"hip_rotation_limited": "yes", "ottawa_cannot_bear_weight": "yes"}, 13, "left", True),
    ("unstable_scfe", {"hip_rotation_limited": "yes", "cannot_bear_weight": "no"}, 13, "left", False),
    ("unstable_scfe", {"cannot_bear_weight": "yes"}, 17, "left", False),
    ("irritable_hip_child", {"cannot_bear_weight": "yes"}, 7, "left", True),
    ("irritable_hip_child", {"cannot_bear_weight": "yes"}, 8, "left", False),
    ("irritable_hip_child", {"cannot_bear_weight": "yes", "fever": "yes"}, 4, "left", False),  # septic hip instead
    ("child_hip_signs", {"hip_rotation_limited": "yes"}, 3, "left", True),
    ("child_hip_signs", {"hip_rotation_reproduces": "yes"}, 7, "left", True),
    ("child_hip_signs", {"hip_rotation_limited": "yes"}, 2, "left", False),
    ("child_hip_signs", {"hip_rotation_limited": "yes"}, 8, "left", False),
    ("hip_screen_child", {}, 3, "left", True),
    ("hip_screen_child", {}, 16, "left", True),
    ("hip_screen_child", {}, 2, "left", False),
    ("hip_screen_child", {}, 17, "left", False),
    ("hip_screen_child", {"hip_rotation_limited": "no"}, 10, "left", False),
    ("hip_screen_child", {"limp": "yes"}, 12, "left", False),               # scfe holds
    ("hip_screen_child", {"fever": "yes", "limp": "yes"}, 5, "left", False),  # septic_hip_child holds
    # bone pain and bone lesions: under 25 / from 25
    ("paediatric_bone_pain", {"bony_swelling": "yes"}, 24, "left", True),
    ("paediatric_bone_pain", {"bony_swelling": "yes"}, 25, "left", False),
    ("paediatric_bone_pain", {"rf_weight_loss_night_pain": "yes"}, 14, "left", True),
    ("paediatric_bone_pain", {"rf_weight_loss_night_pain": "yes"}, 14, "both", False),  # growing pains pattern
    ("paediatric_bone_pain", {"bony_swelling": "yes"}, 14, "both", True),
    ("bone_lesion", {"bony_swelling": "yes"}, 25, "left", True),
    ("bone_lesion", {"bony_swelling": "yes"}, 24, "left", False),
    ("bone_lesion", {"bony_swelling": "yes", "rf_cancer_history": "yes"}, 60, "left", False),
    ("bone_metastasis", {"bony_swelling": "yes", "rf_cancer_history": "yes"}, 60, "left", True),
    ("bone_metastasis", {"rf_weight_loss_night_pain": "yes", "rf_cancer_history": "yes"}, 25, "left", True),
    ("bone_metastasis", {"cannot_bear_weight": "yes", "rf_cancer_history": "yes"}, 70, "left", True),
    ("bone_metastasis", {"bony_swelling": "yes", "rf_cancer_history": "yes"}, 24, "left", False),
    ("bone_metastasis", {"rf_cancer_history": "yes"}, 60, "left", False),
    ("extensor_mechanism", {"active_slr_impossible": "yes"}, ADULT, "left", True),
    ("extensor_mechanism", {"active_slr_impossible": "no"}, ADULT, "left", False),
    ("locked_knee", {"locked_knee": "yes"}, ADULT, "left", True),
    ("locked_knee", {"locked_knee": "no"}, ADULT, "left", False),
    ("peripheral_arterial_disease", {"distal_pulses": "reduced"}, ADULT, "left", True),
    ("peripheral_arterial_disease", {"distal_pulses": "absent"}, ADULT, "left", True),
    ("peripheral_arterial_disease", {"distal_pulses": "normal"}, ADULT, "left", False),
    ("peripheral_arterial_disease", {"distal_pulses": "absent", "rf_knee_dislocation": "yes"}, ADULT, "left", False),
    ("peripheral_arterial_disease", {"distal_pulses": "absent", "rf_acute_limb_ischaemia": "yes"}, ADULT, "left",
     False),
    ("inflammatory_arthritis", {"inflammatory_features": "yes"}, ADULT, "left", True),
    ("inflammatory_arthritis", {"inflammatory_features": "no"}, ADULT, "left", False),
    ("popliteal_aneurysm", {"popliteal_swelling": "pulsatile"}, ADULT, "left", True),
    ("popliteal_aneurysm", {"popliteal_swelling": "soft"}, ADULT, "left", False),
]


@pytest.mark.parametrize(("alert", "findings", "age", "knee", "holds"), DERIVED)
def test_derived_alert(alert: str, findings: dict[str, Any], age: int | None, knee: str, holds: bool) -> None:
    assert (alert in alert_ids(run(findings, age, knee))) is holds


def test_every_derived_alert_is_in_the_table() -> None:
    derived = {a.id for a in RULES.alerts.values() if a.when is not None}
    assert derived == {row[0] for row in DERIVED}
    for alert in derived:  # each has a row where it holds and one where it does not
        assert {row[4] for row in DERIVED if row[0] == alert} == {True, False}, alert


def test_check_alerts_are_listed_but_raise_no_urgency() -> None:
    result = run({"patellar_reflex": "brisk"})
    assert [(a.id, a.tier) for a in result.alerts] == [("brisk_reflex_check", "check")]
    assert result.urgency == "routine"
    assert result.alerts[0].action in result.next_steps


def test_alerts_are_ordered_by_tier_then_table() -> None:
    result = run({"rf_dvt_signs": "yes", "rf_cancer_history": "yes", "rf_saddle_anaesthesia": "yes",
                  "patellar_reflex": "brisk", "locked_knee": "yes", "motor_weakness": "marked"})
    assert [a.id for a in result.alerts] == ["rf_saddle_anaesthesia", "rf_dvt_signs", "major_motor_deficit",
                                             "locked_knee", "rf_cancer_history", "brisk_reflex_check"]
    assert result.urgency == "emergency"


# --- levels -------------------------------------------------------------------------------------
LEVELS = [
    ({"femoral_stretch": "positive"}, ("L2-L4",)),
    ({"patellar_reflex": "reduced"}, ("L2-L4",)),
    ({"dermatomal_deficit": "L3"}, ("L2-L4",)),
    ({"slr": "positive"}, ("L4-S1",)),
    ({"crossed_slr": "positive"}, ("L4-S1",)),
    ({"achilles_reflex": "absent"}, ("L4-S1",)),
    ({"dermatomal_deficit": "S1"}, ("L4-S1",)),
    ({"hip_abductor_weakness": "yes", "back_pain": "yes"}, ("L4-S1",)),
    ({"hip_abductor_weakness": "yes"}, ()),            # with 0 points it names no level
    ({"dermatomal_deficit": "peripheral"}, ()),        # a peripheral nerve, not a root
    ({"femoral_stretch": "positive", "slr": "positive"}, ("L2-L4", "L4-S1")),
]


@pytest.mark.parametrize(("findings", "levels"), LEVELS)
def test_levels(findings: dict[str, Any], levels: tuple[str, ...]) -> None:
    assert run(findings).levels == levels


# --- the direction ----------------------------------------------------------------------------
SIGN = {"femoral_stretch": "positive"}     # an objective spinal sign
# scores (S, L, H), objective spinal sign, key items assessed -> direction, sources
DIRECTIONS = [
    ((9, 9, 9), True, 2, "indeterminate", ()),                   # rule 1: fewer than 3 key items
    ((3, 0, 0), True, 3, "spinal", ("spinal",)),                 # rule 5: 3 and 2 ahead
    ((3, 1, 1), True, 4, "spinal", ("spinal",)),
    ((3, 2, 0), True, 4, "indeterminate", ()),                   # L 2 does not qualify; S leads by 1
    ((9, 0, 0), False, 4, "indeterminate", ()),                  # no objective sign: spinal cannot qualify
    ((5, 2, 0), False, 4, "indeterminate", ()),                  # neither qualifies
    ((2, 3, 0), False, 4, "indeterminate", ()),                  # L leads S as reported by only 1
    ((1, 3, 1), True, 4, "local", ("local",)),
    ((0, 3, 1), False, 4, "local", ("local",)),
    ((0, 0, 3), False, 4, "hip", ("hip",)),
    ((1, 1, 3), False, 4, "hip", ("hip",)),
    ((2, 1, 3), False, 4, "indeterminate", ()),                  # H leads S by 1 only
    # rule 4: two or more qualify within 2 points of the highest, or with 5 or more each
    ((5, 4, 0), True, 4, "mixed", ("spinal", "local")),
    ((4, 5, 0), True, 4, "mixed", ("local", "spinal")),
    ((5, 5, 0), True, 4, "mixed", ("spinal", "local")),           # a tie lists spinal first
    ((0, 5, 5), False, 4, "mixed", ("local", "hip")),
    ((3, 5, 3), True, 4, "mixed", ("local", "spinal", "hip")),    # three sources, ties spinal before hip
    ((5, 4, 4), True, 4, "mixed", ("spinal", "local", "hip")),
    ((8, 5, 0), True, 4, "mixed", ("spinal", "local")),           # 3 apart but both 5 or more
    ((9, 5, 3), True, 4, "mixed", ("spinal", "local")),           # hip 3 qualifies but is neither near nor 5
    ((6, 3, 0), True, 4, "spinal", ("spinal",)),                 # 3 apart and local under 5: spinal leads
    ((7, 6, 4), True, 4, "mixed", ("spinal", "local")),
    ((6, 6, 6), True, 4, "mixed", ("spinal", "local", "hip")),
    ((8, 5, 5), True, 4, "mixed", ("spinal", "local", "hip")),    # strong names more than near
    ((8, 4, 0), False, 4, "indeterminate", ()),                  # L qualifies but S as reported is higher
    ((0, 4, 3), False, 4, "mixed", ("local", "hip")),
    ((0, 6, 3), False, 4, "local", ("local",)),
    ((0, 0, 0), False, 4, "indeterminate", ()),
    ((-1, -2, -1), False, 4, "indeterminate", ()),
]


@pytest.mark.parametrize(("scores", "sign", "keys", "direction", "sources"), DIRECTIONS)
def test_direction_rules(scores: tuple[int, int, int], sign: bool, keys: int, direction: str,
                         sources: tuple[str, ...]) -> None:
    s, loc, h = scores
    got = direction_for({"spinal": s, "local": loc, "hip": h}, keys, RULES, findings=SIGN if sign else {})
    assert got == (direction, sources)


@pytest.mark.parametrize(("alerts", "scores", "direction"), [
    (("septic_hip_child",), (0, 9, 0), "hip"),                  # rule 2 whatever the scores
    (("scfe",), (0, 9, 0), "hip"),                              # with a hip finding (below)
    (("hip_fracture",), (5, 5, 0), "hip"),
    (("hip_fracture_late",), (0, 0, 0), "hip"),
    (("unstable_scfe", "scfe"), (0, 6, 0), "hip"),
    (("paediatric_bone_pain",), (6, 0, 6), "local"),            # rule 3
    (("bone_lesion",), (0, 0, 9), "local"),
    (("septic_hip_child", "paediatric_bone_pain"), (0, 0, 0), "hip"),  # rule 2 before rule 3
])
def test_alerts_that_set_the_direction(alerts: tuple[str, ...], scores: tuple[int, int, int], direction: str) -> None:
    s, loc, h = scores
    got = direction_for({"spinal": s, "local": loc, "hip": h}, 4, RULES, findings={"groin_pain": "yes"},
                        alerts=alerts)
    assert got == (direction, (direction,))


def test_scfe_without_a_hip_finding_does_not_set_the_direction() -> None:
    got = direction_for({"spinal": 0, "local": 6, "hip": 0}, 4, RULES, findings={"limp": "yes"}, alerts=("scfe",))
    assert got == ("local", ("local",))


def test_a_young_child_counts_the_hip_screen_for_sensory_changes_and_slr() -> None:
    findings = {"joint_line_tenderness": "none", "swelling": "effusion", "hip_rotation_limited": "no",
                "hip_rotation_reproduces": "no", "mcmurray": "positive"}
    assert run(findings, 5).direction == "local"
    assert run(findings, 6).direction == "indeterminate"        # from 6, the two items are needed
    only_one = {k: v for k, v in findings.items() if k != "hip_rotation_reproduces"}
    assert run(only_one, 5).direction == "indeterminate"


def test_spinal_unexamined_and_unsupported() -> None:
    history = {"back_pain": "yes", "radiating_below_knee": "yes", "sensory_changes": "yes",
               "joint_line_tenderness": "none", "swelling": "none"}
    open_exam = run(history)
    assert open_exam.scores["spinal"] == 5 and open_exam.direction == "indeterminate"
    assert open_exam.spinal_unexamined is True
    assert "femoral stretch" in open_exam.reason and "straight leg raise" in open_exam.reason
    assert any("femoral stretch" in p for p in open_exam.prompts)
    negative = {**history, "slr": "negative", "crossed_slr": "negative", "slump": "negative",
                "femoral_stretch": "negative", "patellar_reflex": "normal", "achilles_reflex": "normal",
                "motor_weakness": "none", "dermatomal_deficit": "none"}
    closed = run(negative)
    assert closed.spinal_unexamined is False and closed.direction == "indeterminate"
    assert "not supported by the examination" in closed.reason
    assert closed.prompts == ()
    examined = run({**history, "slr": "negative", "femoral_stretch": "positive"})
    assert examined.spinal_unexamined is False and examined.direction == "spinal"


def test_missing_key_items_are_named() -> None:
    result = run({"swelling": "none"})
    assert result.direction == "indeterminate" and result.sources == ()
    assert "1 of the 4 key items" in result.reason
    assert "straight leg raise" in result.reason and "sensory changes" in result.reason
    assert result.not_assessed[:3] == ("sensory_changes", "joint_line_tenderness", "slr")
    assert result.next_steps[0].startswith("Complete ") and "straight leg raise" in result.next_steps[0]


def test_not_assessed_order_for_children() -> None:
    child = run({"swelling": "none"}, 12)
    assert child.not_assessed[:3] == ("sensory_changes", "joint_line_tenderness", "slr")
    assert child.not_assessed[3:7] == ("hip_rotation_reproduces", "hip_rotation_limited", "hip_flexion_limited", "limp")
    assert "Hip screen" in child.reason
    for age in (2, 17):
        other = run({"swelling": "none"}, age)
        assert other.not_assessed[3] == "pain_localized"
        assert "Hip screen" not in other.reason


def test_follow_up_items_are_not_missing_until_they_apply() -> None:
    quiet = run({})
    assert "ottawa_patella_tender" not in quiet.not_assessed and "slr_angle" not in quiet.not_assessed
    asked = run({"recent_trauma": "yes", "slr": "positive"})
    assert "ottawa_patella_tender" in asked.not_assessed and "slr_angle" in asked.not_assessed


# --- next steps ---------------------------------------------------------------------------------
SPINAL = {"sensory_changes": "yes", "radiating_below_knee": "yes", "slr": "positive", "femoral_stretch": "positive",
          "joint_line_tenderness": "none", "swelling": "none"}
LOCAL = {"sensory_changes": "no", "slr": "negative", "joint_line_tenderness": "medial", "swelling": "trace",
         "mcmurray": "positive"}
HIP = {"sensory_changes": "no", "slr": "negative", "joint_line_tenderness": "none", "swelling": "none",
       "hip_rotation_reproduces": "yes", "hip_rotation_limited": "yes"}


def steps_text(result: Assessment) -> str:
    return "\n".join(result.next_steps)


def test_under_an_emergency_only_the_alert_actions_and_the_closing_line() -> None:
    result = run({**SPINAL, "rf_saddle_anaesthesia": "yes", "rf_bladder_bowel": "yes"})
    assert result.direction == "spinal" and result.urgency == "emergency"  # the direction is still shown
    assert len(result.next_steps) == 2                                     # one shared cauda equina line
    assert "4 hours" in result.next_steps[0] and result.next_steps[-1] == CLOSING


def test_under_an_emergency_the_finding_lines_wait_too() -> None:
    result = run({**LOCAL, "distal_pulses": "absent", "rf_hot_swollen_knee": "yes"})
    assert "ankle-brachial index before" not in steps_text(result)
    assert result.next_steps[-1] == CLOSING


def test_under_an_urgent_alert_imaging_prints_but_treatment_waits() -> None:
    result = run({**SPINAL, "motor_weakness": "marked"})
    assert result.urgency == "urgent" and result.direction == "spinal"
    text = steps_text(result)
    assert "MRI of the lumbar spine" in text and "Surgical opinion" in text
    assert "NSAID" not in text and "physical therapy" not in text and "Epidural" not in text
    assert result.next_steps.count(TREATMENT_LATER) == 1
    routine = steps_text(run(SPINAL))
    assert "NSAID" in routine and TREATMENT_LATER not in routine


def test_epidural_line_for_neurogenic_claudication() -> None:
    assert "No epidural injection for neurogenic claudication" in steps_text(run({**SPINAL,
                                                                                 "neurogenic_claudication": "yes"}))
    assert "Epidural steroid injection for severe acute radicular pain" in steps_text(run(SPINAL))


@pytest.mark.parametrize(("extra", "age", "words"), [
    ({"knee_prosthesis": "yes"}, 70, "Painful knee replacement"),
    ({"apophysis_tender": "yes"}, 12, "Apophysitis"),
    ({"apophysis_tender": "yes"}, 17, "Knee radiograph first"),         # 17: not a growing child
    ({"patellofemoral_signs": "yes"}, 30, "Patellofemoral pain"),
    ({"soft_tissue_tenderness": "yes"}, 30, "Tendinopathy or bursitis"),
    ({"lachman": "positive"}, 30, "Early orthopaedic referral"),
    ({"recent_trauma": "yes", "mechanical_symptoms": "yes"}, 30, "Early orthopaedic referral"),
    ({}, 45, "Osteoarthritis or a degenerative meniscal tear is a clinical diagnosis"),
    ({}, 44, "Knee radiograph first"),
    ({"warmth": "yes"}, 60, "Knee radiograph first"),
    ({"rf_cancer_history": "yes"}, 60, "Knee radiograph first"),            # a priority alert: no OA line
    ({"bony_swelling": "yes"}, 30, "MRI whenever the radiograph is normal"),
    ({"recent_trauma": "yes", "ottawa_patella_tender": "no", "ottawa_fibular_head_tender": "no",
      "ottawa_cannot_flex_90": "no", "ottawa_cannot_bear_weight": "no"}, 30, "no knee radiograph needed"),
    ({"recent_trauma": "yes", "ottawa_patella_tender": "no", "ottawa_fibular_head_tender": "no",
      "ottawa_cannot_flex_90": "no"}, 30, "Knee radiograph first"),         # one Ottawa item not asked
])
def test_local_steps(extra: dict[str, Any], age: int, words: str) -> None:
    result = run({**LOCAL, **extra}, age)
    assert result.direction == "local"
    assert words in steps_text(result)


def test_bone_pain_gets_mri_whenever_the_radiograph_is_normal() -> None:
    text = steps_text(run({**LOCAL, "rf_weight_loss_night_pain": "yes"}, 14))
    assert "MRI whenever the radiograph is normal" in text and "not routinely in the first 4-6 weeks" not in text


def test_a_late_hip_fracture_keeps_the_hip_direction_step() -> None:
    """The alert's same-day radiographs, and the hip direction's own step as the specification writes it."""
    result = run({**HIP, "fall_at_onset": "yes", "duration_weeks": 1.3}, 80)
    assert "hip_fracture_late" in alert_ids(result) and result.direction == "hip"
    assert result.next_steps[0].startswith("Same day: AP pelvis and lateral hip radiographs")
    assert "AP pelvis and lateral hip radiographs." in result.next_steps
    assert not any(line.startswith("Hip osteoarthritis") for line in result.next_steps)


def test_a_young_child_is_told_the_hip_rotation_items_stand_in() -> None:
    result = run({"joint_line_tenderness": "none", "swelling": "none"}, 4)
    assert "both hip rotation items stands in" in result.reason
    assert "both hip rotation items stand in" in result.next_steps[-1]
    assert "stand in" not in run({"joint_line_tenderness": "none", "swelling": "none"}, 6).reason


def test_direction_labels() -> None:
    assert RULES.direction_label("mixed", ("spinal", "hip")) == "Mixed workup: spinal and hip"
    assert RULES.direction_label("mixed") == "Mixed workup"          # a list that does not hold the sources
    assert RULES.direction_label("local") == "Local knee workup"


def test_a_painful_knee_replacement_never_gets_osteoarthritis_or_radiograph_first() -> None:
    text = steps_text(run({**LOCAL, "knee_prosthesis": "yes"}, 70))
    assert "Osteoarthritis" not in text and "Knee radiograph first" not in text


@pytest.mark.parametrize(("age", "extra", "words", "absent"), [
    # under 8 with no hip alert saying more: groin pain and limited flexion, rotation normal
    (5, {"hip_rotation_reproduces": "no", "hip_rotation_limited": "no", "groin_pain": "yes", "hip_flexion_limited": "yes"},
     "within a week (Perthes disease); hip ultrasound", "lateral hip radiographs."),
    (5, {}, "Within a week: AP pelvis and frog-leg", "hip ultrasound"),  # child_hip_signs gives the action
    (12, {}, "Same day: AP pelvis and frog-leg", "Hip osteoarthritis"),       # the scfe alert gives it
    (30, {}, "AP pelvis and lateral hip radiographs", "frog-leg"),
    (76, {}, "Hip osteoarthritis is a clinical diagnosis", "frog-leg"),
    (76, {"fall_at_onset": "yes", "duration_weeks": 4}, "AP pelvis and lateral hip radiographs", "Hip osteoarthritis"),
])
def test_hip_steps_by_age(age: int, extra: dict[str, Any], words: str, absent: str) -> None:
    result = run({**HIP, **extra}, age)
    assert result.direction == "hip"
    text = steps_text(result)
    assert words in text and absent not in text


def test_mixed_prints_the_first_step_of_each_source_then_reassess() -> None:
    result = run({**SPINAL, "joint_line_tenderness": "medial", "swelling": "effusion", "mcmurray": "positive"})
    assert result.direction == "mixed" and result.sources == ("spinal", "local")
    assert result.next_steps[0].startswith("Complete a full bilateral lumbar")
    assert result.next_steps[1].startswith("Knee radiograph first")
    assert result.next_steps[-1].startswith("Reassess once the first results are back")
    assert "spinal and local knee" in result.reason


@pytest.mark.parametrize(("findings", "age", "included", "excluded"), [
    # septic arthritis lines give way to the arthroplasty line in a replaced knee
    ({"rf_hot_swollen_knee": "yes"}, 60, "aspirate the knee for Gram stain", "arthroplasty"),
    ({"rf_hot_swollen_knee": "yes", "knee_prosthesis": "yes"}, 60, "arthroplasty team", "aspirate the knee for"),
    ({**WARM_EFFUSION, "fever": "yes", "knee_prosthesis": "yes"}, 60, "Emergency department now, with the arthroplasty",
     "aspirate the knee for"),
    ({"rf_fever_infection_risk": "yes", "knee_prosthesis": "yes"}, 60, "MRI of the spine", "aspirate the knee when"),
    ({**WARM_EFFUSION, "duration_weeks": 3}, 40, "Within 24 hours: aspirate", "paediatric"),
    ({**WARM_EFFUSION, "duration_weeks": 3}, 16, "paediatric assessment", "Within 24 hours: aspirate"),
    # an unstable slip's action replaces the slip's
    ({"hip_rotation_limited": "yes", "cannot_bear_weight": "yes"}, 13, "cross-table lateral",
     "Same day: AP pelvis and frog-leg"),
    ({"hip_rotation_limited": "yes"}, 13, "frog-leg", "cross-table"),
])
def test_alert_action_lines(findings: dict[str, Any], age: int, included: str, excluded: str) -> None:
    text = steps_text(run(findings, age))
    assert included in text and excluded not in text


@pytest.mark.parametrize(("findings", "words"), [
    ({"popliteal_swelling": "soft"}, "duplex ultrasound; exclude a deep vein thrombosis first"),
    ({"dermatomal_deficit": "peripheral"}, "nerve conduction studies"),
    ({"distal_pulses": "reduced"}, "ankle-brachial index before attributing claudication to the spine"),
])
@pytest.mark.parametrize("picture", [LOCAL, HIP, {}])
def test_finding_lines_whatever_the_direction(findings: dict[str, Any], words: str, picture: dict[str, Any]) -> None:
    result = run({**picture, **findings}, 60)
    assert sum(words in line for line in result.next_steps) == 1


def test_indeterminate_review_only_without_an_urgent_alert() -> None:
    balanced = {"sensory_changes": "no", "slr": "negative", "joint_line_tenderness": "none", "swelling": "none"}
    assert "review in 2-4 weeks" in steps_text(run(balanced))
    urgent = run({**balanced, "rf_dvt_signs": "yes"})
    assert urgent.direction == "indeterminate"
    assert "review in 2-4 weeks" not in steps_text(urgent)
    assert "examine the items not yet assessed" in steps_text(urgent)


def test_no_line_repeats() -> None:
    result = run({"rf_bladder_bowel": "yes", "rf_saddle_anaesthesia": "yes", "rf_bilateral_neuro": "yes"})
    assert len(result.next_steps) == len(set(result.next_steps)) == 2
