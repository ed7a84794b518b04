"""Property tests for rule set 2027.1: for any well-formed case, the output keeps the rules of
CHECKLIST.md "The assessment" and "Next steps". The oracles below are written out from the
specification (hard-coded here; the specification is never read at run time), not taken from the
engine. A last test walks the raw JSON of every rule-set file, independently of the loader, and
checks that every condition names things that exist."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.assessment import Assessment, assess
from models.case import Case, parse_case
from models.catalogue import Catalogue, Item, Step, load_catalogue
from tests.helpers import make_case

RULESET_DIR = Path(__file__).resolve().parent.parent / "resources" / "rulesets"

CATALOGUE: Catalogue = load_catalogue("2027.1")
RAW_2027_1: dict[str, Any] = json.loads((RULESET_DIR / "2027.1.json").read_text(encoding="utf-8"))

# CHECKLIST.md "The assessment" step 1: tiers highest first; check alerts do not raise urgency.
TIERS = ("emergency", "urgent", "priority", "check")
RAISING_TIERS = ("emergency", "urgent", "priority")
TARGET_ORDER = ("spinal", "local", "hip")  # ties in sources: spinal, local, hip
# Step 3: the spinal examination items whose absence makes spinal_unexamined.
SPINAL_EXAM = ("slr", "crossed_slr", "slump", "femoral_stretch", "patellar_reflex", "achilles_reflex",
               "motor_weakness", "dermatomal_deficit")
ROOTS = ("L2", "L3", "L4", "L5", "S1")
OUTPUT_KEYS = {"ruleset", "direction", "sources", "spinal_unexamined", "urgency", "scores", "alerts", "levels",
               "contributions", "not_assessed", "reason", "next_steps"}

RED_FLAGS = tuple(i.id for i in CATALOGUE.items if i.red_flag)
KEY_ITEMS = tuple(i.id for i in CATALOGUE.items if i.key)
TABLE_ORDER = {raw["id"]: n for n, raw in enumerate(RAW_2027_1["alerts"])}  # the order of the tables
# Encounters in the 16 years up to the day the tests run, patients up to 106 years old at them: every
# birth date is under the 125-year limit today (cases are checked against today), whatever year it is.
LAST_DATE = dt.date.today()
FIRST_DATE = dt.date(LAST_DATE.year - 16, 1, 1)


# --- strategies ---------------------------------------------------------------------------------

def _number(item: Item) -> st.SearchStrategy[Any]:
    assert item.minimum is not None and item.maximum is not None
    return st.none() | st.integers(int(item.minimum), int(item.maximum)) | st.floats(
        item.minimum, item.maximum, allow_nan=False)


# Choice and yes/no answers come from one byte each (one draw for all of them keeps the file fast;
# a zero byte, where shrinking goes, is "not assessed").
_CHOICES = tuple(i for i in CATALOGUE.items if not i.red_flag and not i.is_number)
_OPTIONS = tuple((None, *i.values) for i in _CHOICES)
_LEAN_OPTIONS = tuple((None, "no", "no", "no", "yes") if i.values == ("yes", "no") else o
                      for i, o in zip(_CHOICES, _OPTIONS, strict=True))  # fewer alerts: more routine and urgent cases
_NUMBERS = {i.id: _number(i) for i in CATALOGUE.items if i.is_number}


@st.composite
def findings_2027_1(draw: st.DrawFn) -> dict[str, Any]:
    """Answers to 2027.1 items (None: not assessed): dense, leaning to "no", sparse, or a full history
    with a sparse spinal examination (spinal_unexamined)."""
    mode = draw(st.sampled_from(["dense", "lean", "sparse", "history"]))
    noise = draw(st.binary(min_size=len(_CHOICES), max_size=len(_CHOICES)))
    findings: dict[str, Any] = {}
    for item, options, lean, byte in zip(_CHOICES, _OPTIONS, _LEAN_OPTIONS, noise, strict=True):
        if mode == "lean":
            findings[item.id] = lean[byte % len(lean)]
        elif mode == "sparse" and byte >= 64 or mode == "history" and item.section == "D" and byte >= 48:
            findings[item.id] = None
        else:
            findings[item.id] = options[byte % len(options)]
    for item_id, strategy in _NUMBERS.items():
        findings[item_id] = draw(strategy)
    if draw(st.booleans()):  # the key items answered, so that a direction can be reached
        for key in KEY_ITEMS:
            if findings.get(key) is None:
                findings[key] = draw(st.sampled_from(CATALOGUE.item(key).values))
    raised = draw(st.just(frozenset()) | st.frozensets(st.sampled_from(RED_FLAGS), max_size=2))
    answered = draw(st.binary(min_size=len(RED_FLAGS), max_size=len(RED_FLAGS)))
    for rf, byte in zip(RED_FLAGS, answered, strict=True):
        findings[rf] = "yes" if rf in raised else (None, None, "no")[byte % 3]
    return findings


@st.composite
def well_formed_cases(draw: st.DrawFn) -> dict[str, Any]:
    encounter = draw(st.dates(min_value=FIRST_DATE, max_value=LAST_DATE))
    age = draw(st.integers(0, 17) | st.integers(0, 105))  # children often: many rules are by age
    birth = draw(st.dates(min_value=dt.date(encounter.year - age - 1, 1, 1),
                          max_value=dt.date(encounter.year - age, 12, 31)))
    birth = min(birth, encounter)
    return make_case(draw(findings_2027_1()), patient={"birth_date": birth.isoformat()},
                     encounter={"date": encounter.isoformat(), "knee": draw(st.sampled_from(["left", "right", "both"]))})


def _run(raw: dict[str, Any]) -> tuple[Case, Assessment]:
    case = parse_case(raw, CATALOGUE)
    return case, assess(case, CATALOGUE)


PROPERTY = settings(max_examples=300, deadline=None)


# --- oracles written out from CHECKLIST.md -----------------------------------------------------

def _yes(f: Mapping[str, Any], item: str) -> bool:
    return f.get(item) == "yes"


def _slr_points_above_0(f: Mapping[str, Any]) -> bool:
    """slr positive -> S+1, but 0 when slr_angle is recorded outside 30-70."""
    angle = f.get("slr_angle")
    return f.get("slr") == "positive" and not (angle is not None and (angle < 30 or angle > 70))


def _motor_points_above_0(f: Mapping[str, Any]) -> bool:
    """mild or marked -> S+2, but 0 when dermatomal_deficit is peripheral and neither
    hip_abductor_weakness is yes nor a reflex is reduced or absent."""
    reflex = f.get("patellar_reflex") in ("reduced", "absent") or f.get("achilles_reflex") in ("reduced", "absent")
    zero = f.get("dermatomal_deficit") == "peripheral" and not _yes(f, "hip_abductor_weakness") and not reflex
    return f.get("motor_weakness") in ("mild", "marked") and not zero


def _hip_abductor_points_above_0(f: Mapping[str, Any]) -> bool:
    """yes -> S+2, but 0 unless radiating_below_knee, sensory_changes or back_pain is yes."""
    return _yes(f, "hip_abductor_weakness") and any(
        _yes(f, i) for i in ("radiating_below_knee", "sensory_changes", "back_pain"))


def objective_spinal_sign(f: Mapping[str, Any]) -> bool:
    """CHECKLIST.md "The assessment" step 3."""
    return (_slr_points_above_0(f)
            or f.get("crossed_slr") == "positive"
            or f.get("slump") == "positive"
            or f.get("femoral_stretch") == "positive"
            or _yes(f, "lumbar_movement_reproduces")
            or f.get("dermatomal_deficit") in ROOTS
            or f.get("patellar_reflex") in ("reduced", "absent")
            or f.get("achilles_reflex") in ("reduced", "absent")
            or _motor_points_above_0(f)
            or _hip_abductor_points_above_0(f))


def _walk_steps(steps: tuple[Step, ...]) -> Iterator[Step]:
    for s in steps:
        yield s
        yield from _walk_steps(s.first)


TREATMENT_LINES = frozenset(
    s.text for steps in (*CATALOGUE.direction_steps.values(), CATALOGUE.finding_steps)
    for s in _walk_steps(steps) if s.treatment)


def test_the_oracles_have_something_to_check() -> None:
    assert tuple(t.id for t in CATALOGUE.tiers) == TIERS
    assert {t.id for t in CATALOGUE.tiers if t.raises_urgency} == set(RAISING_TIERS)
    assert tuple(t.id for t in CATALOGUE.targets) == TARGET_ORDER
    assert len(TREATMENT_LINES) >= 5 and not any("{" in t for t in TREATMENT_LINES)
    assert CATALOGUE.policies["emergency"].closing and CATALOGUE.policies["urgent"].treatment
    assert len(RED_FLAGS) == 12 and len(KEY_ITEMS) == 4
    assert not any("{" in (a.text or "") for alert in CATALOGUE.alerts.values() for a in alert.actions)


# --- properties --------------------------------------------------------------------------------

@PROPERTY
@given(well_formed_cases())
def test_scores_are_the_sum_of_allowed_contributions(raw: dict[str, Any]) -> None:
    case, result = _run(raw)
    f = case.findings
    for target in TARGET_ORDER:
        assert result.scores[target] == sum(c.points for c in result.contributions if c.target == target), target
    assert set(result.scores) == set(TARGET_ORDER)
    for c in result.contributions:
        assert c.value == f[c.item]
        allowed = {(x.target, p) for x in CATALOGUE.item(c.item).contributions if c.value in x.when
                   for p in (x.points, *(m.points for m in x.modifiers))}
        assert (c.target, c.points) in allowed, (c, allowed)
    # every answer with a contribution is listed, once per contribution, in table order
    expected = [(i.id, x.target) for i in CATALOGUE.items if i.id in f for x in i.contributions if f[i.id] in x.when]
    assert [(c.item, c.target) for c in result.contributions] == expected


@PROPERTY
@given(well_formed_cases())
def test_spinal_needs_an_objective_sign(raw: dict[str, Any]) -> None:
    case, result = _run(raw)
    f = case.findings
    sign = objective_spinal_sign(f)
    if not sign:
        assert result.direction != "spinal", result.reason
        assert "spinal" not in result.sources, result.reason
    unexamined = result.scores["spinal"] >= 3 and not sign and any(f.get(i) is None for i in SPINAL_EXAM)
    assert result.spinal_unexamined is unexamined
    assert result.to_dict()["spinal_unexamined"] is unexamined


@PROPERTY
@given(well_formed_cases())
def test_emergency_prints_only_alert_actions_and_the_closing_line(raw: dict[str, Any]) -> None:
    _, result = _run(raw)
    if result.urgency != "emergency":
        return
    closing = CATALOGUE.policies["emergency"].closing
    allowed = {a.text for alert in result.alerts for a in CATALOGUE.alerts[alert.id].actions if a.text} | {closing}
    for line in result.next_steps:
        assert line in allowed, line
    assert result.next_steps and result.next_steps[-1] == closing


@PROPERTY
@given(well_formed_cases())
def test_urgent_prints_no_treatment_line(raw: dict[str, Any]) -> None:
    _, result = _run(raw)
    if result.urgency != "urgent":
        return
    printed = set(result.next_steps) & TREATMENT_LINES
    assert not printed, printed
    assert result.next_steps.count(CATALOGUE.policies["urgent"].treatment) <= 1


@PROPERTY
@given(well_formed_cases())
def test_alerts_urgency_and_red_flags(raw: dict[str, Any]) -> None:
    case, result = _run(raw)
    f = case.findings
    ids = [a.id for a in result.alerts]
    assert len(ids) == len(set(ids)), ids
    for a in result.alerts:
        assert a.tier == CATALOGUE.alerts[a.id].tier
    raised_tiers = {a.tier for a in result.alerts}
    assert result.urgency == next((t for t in RAISING_TIERS if t in raised_tiers), "routine")
    order = [(TIERS.index(a.tier), TABLE_ORDER[a.id]) for a in result.alerts]
    assert order == sorted(order), ids
    assert len(result.next_steps) == len(set(result.next_steps)), result.next_steps
    assert {i for i in ids if i in RED_FLAGS} == {rf for rf in RED_FLAGS if f.get(rf) == "yes"}


@PROPERTY
@given(well_formed_cases())
def test_not_assessed_holds_no_answered_item_and_no_repeat(raw: dict[str, Any]) -> None:
    case, result = _run(raw)
    listed = result.not_assessed
    assert not set(listed) & set(case.findings)
    assert len(listed) == len(set(listed)), listed
    assert set(listed) <= set(CATALOGUE.by_id)


@PROPERTY
@given(well_formed_cases())
def test_sources_follow_the_direction(raw: dict[str, Any]) -> None:
    _, result = _run(raw)
    sources, direction, s = list(result.sources), result.direction, result.scores
    assert result.to_dict()["sources"] == sources
    assert (sources == []) == (direction == "indeterminate")
    if direction == "mixed":
        assert 2 <= len(sources) <= 3 and len(set(sources)) == len(sources), sources
        assert set(sources) <= set(TARGET_ORDER)
        assert sources == sorted(sources, key=lambda t: (-s[t], TARGET_ORDER.index(t))), (sources, s)
    elif direction != "indeterminate":
        assert sources == [direction]


@PROPERTY
@given(well_formed_cases())
def test_output_is_json_with_exactly_the_documented_keys(raw: dict[str, Any]) -> None:
    _, result = _run(raw)
    out = result.to_dict()
    assert set(out) == OUTPUT_KEYS
    assert json.loads(json.dumps(out)) == out
    assert out["ruleset"] == "2027.1"


# --- the raw rule-set files: every condition names what exists ---------------------------------

COMPARISONS = {"lt", "le", "gt", "ge"}
KNEES = {"left", "right", "both"}


class _Names:
    def __init__(self, data: dict[str, Any]) -> None:
        self.items = {i["id"]: i for i in data["items"]}
        self.alerts = {a["id"] for a in data["alerts"]}
        self.definitions = set(data.get("definitions", {}))
        self.lists = set(data.get("lists", {}))
        self.flags = set(data.get("flags", {}))
        self.tiers = {t["id"] for t in data["tiers"]}
        self.targets = {t["id"] for t in data["targets"]}
        self.references = {r["id"] for r in data["references"]}

    def values(self, item_id: str) -> list[str] | None:
        item = self.items[item_id]
        if item["type"] == "yesno":
            return ["yes", "no"]
        if item["type"] == "choice":
            return list(item["values"])
        return None


def _bounds_ok(raw: Any, extra: set[str]) -> bool:
    ops = set(raw) - extra
    return bool(ops) and ops <= COMPARISONS and all(
        isinstance(raw[k], (int, float)) and not isinstance(raw[k], bool) for k in ops)


def _check(cond: Any, where: str, n: _Names, errors: list[str]) -> None:
    def bad(why: str) -> None:
        errors.append(f"{where}: {why}: {json.dumps(cond)[:120]}")

    if not isinstance(cond, dict) or not cond:
        return bad("not a condition")
    keys = set(cond)
    if keys in ({"all"}, {"any"}):
        subs = cond[keys.pop()]
        if not isinstance(subs, list) or not subs:
            return bad("all/any needs conditions")
        for sub in subs:
            _check(sub, where, n, errors)
    elif keys == {"not"}:
        _check(cond["not"], where, n, errors)
    elif "item" in keys:
        item = cond["item"]
        if item not in n.items:
            return bad("unknown item")
        if "is" in keys:
            values = n.values(item)
            if keys != {"item", "is"}:
                bad("extra keys")
            elif values is None:
                bad("'is' on a number item")
            elif not isinstance(cond["is"], list) or not cond["is"] or any(v not in values for v in cond["is"]):
                bad(f"value not among {values}")
        elif n.items[item]["type"] != "number":
            bad("comparison on an item that is not a number")
        elif not _bounds_ok(cond, {"item"}):
            bad("bad comparison")
    elif keys == {"unassessed"}:
        if cond["unassessed"] not in n.items:
            bad("unknown item")
    elif keys == {"unassessed_any"}:
        if cond["unassessed_any"] not in n.lists:
            bad("unknown list")
    elif keys == {"age"}:
        if not isinstance(cond["age"], dict) or not _bounds_ok(cond["age"], set()):
            bad("bad age bounds")
    elif keys == {"knee"}:
        if not isinstance(cond["knee"], list) or not cond["knee"] or not set(cond["knee"]) <= KNEES:
            bad("bad knee")
    elif keys == {"alert"}:
        if cond["alert"] not in n.alerts:
            bad("unknown alert")
    elif keys == {"tier"}:
        if not isinstance(cond["tier"], list) or not cond["tier"] or not set(cond["tier"]) <= n.tiers:
            bad("unknown tier")
    elif "score" in keys:
        if cond["score"] not in n.targets or ("minus" in cond and cond["minus"] not in n.targets):
            bad("unknown target")
        elif not _bounds_ok(cond, {"score", "minus"}):
            bad("bad comparison")
    elif keys == {"keys_assessed"}:
        if not isinstance(cond["keys_assessed"], dict) or not _bounds_ok(cond["keys_assessed"], set()):
            bad("bad keys_assessed bounds")
    elif "points" in keys:
        if cond["points"] not in n.items:
            bad("unknown item")
        elif not _bounds_ok(cond, {"points"}):
            bad("bad comparison")
    elif keys == {"flag"}:
        if cond["flag"] not in n.flags:
            bad("unknown flag")
    elif keys == {"def"}:
        if cond["def"] not in n.definitions:
            bad("unknown definition")
    else:
        bad("unknown condition form")


def _steps(steps: Any, where: str) -> Iterator[tuple[str, Any]]:
    for k, s in enumerate(steps, 1):
        if "when" in s:
            yield f"{where}[{k}]", s["when"]
        yield from _steps(s.get("first", []), f"{where}[{k}]")


def _conditions(d: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(category, where, condition) for every condition a rule-set file holds."""
    for item in d["items"]:
        for c, contribution in enumerate(item.get("contributions", []), 1):
            for m in contribution.get("modifiers", []):
                yield "modifier", f"item {item['id']} contribution {c}", m["when"]
        for key in ("asked_when", "key_assessed_when"):
            if key in item:
                yield key, f"item {item['id']} {key}", item[key]
    for alert in d["alerts"]:
        if "when" in alert:
            yield "alert", f"alert {alert['id']}", alert["when"]
        for a, action in enumerate(alert["actions"], 1):
            if "when" in action:
                yield "action", f"alert {alert['id']} action {a}", action["when"]
    for name, cond in d.get("definitions", {}).items():
        yield "definition", f"definitions.{name}", cond
    for name, cond in d.get("flags", {}).items():
        yield "flag", f"flags.{name}", cond
    for level in d["levels"]:
        yield "level", f"level {level['id']}", level["when"]
    direction = d["direction"]
    for target, cond in direction.get("qualify", {}).items():
        yield "qualify", f"direction.qualify.{target}", cond
    for r, rule in enumerate(direction["rules"], 1):
        if "when" in rule:
            yield "rule", f"direction.rules[{r}]", rule["when"]
    for r, note in enumerate(direction.get("reason_notes", []), 1):
        yield "reason_note", f"direction.reason_notes[{r}]", note["when"]
    for r, first in enumerate(d["not_assessed"].get("first", []), 1):
        yield "not_assessed", f"not_assessed.first[{r}]", first["when"]
    for name, steps in d["next_steps"]["directions"].items():
        for where, cond in _steps(steps, f"next_steps.directions.{name}"):
            yield "step", where, cond
    for where, cond in _steps(d["next_steps"].get("findings", []), "next_steps.findings"):
        yield "finding_step", where, cond
    for r, callout in enumerate(d.get("callouts", []), 1):
        yield "callout", f"callouts[{r}]", callout["when"]
    for r, prompt in enumerate(d.get("prompts", []), 1):
        yield "prompt", f"prompts[{r}]", prompt["when"]


def _cited(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every reference number cited anywhere below ``node`` (a "references" list)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "references":
                for ref in value if isinstance(value, list) else [value]:
                    yield where, ref
            else:
                yield from _cited(value, f"{where}.{key}")
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _cited(value, f"{where}[{k}]")


RULESET_FILES = sorted(RULESET_DIR.glob("[0-9]*.json"))


def test_both_rule_set_files_are_walked() -> None:
    assert [p.stem for p in RULESET_FILES] == ["2026.1", "2027.1"]


@pytest.mark.parametrize("path", RULESET_FILES, ids=lambda p: p.stem)
def test_every_condition_names_what_exists(path: Path) -> None:
    d = json.loads(path.read_text(encoding="utf-8"))
    names = _Names(d)
    errors: list[str] = []
    found = list(_conditions(d))
    for _, where, cond in found:
        _check(cond, where, names, errors)
    assert not errors, "\n".join(errors)
    categories = {category for category, _, _ in found}
    expected = {"asked_when", "alert", "level", "rule", "not_assessed", "callout"}
    if d["ruleset"] == "2027.1":  # the walk reaches every place a condition can be
        expected |= {"step", "modifier", "key_assessed_when", "action", "definition", "flag", "qualify", "reason_note",
                     "finding_step", "prompt"}
    assert expected <= categories, expected - categories
    # references: top-level ids are unique integers, and every number cited exists
    ids = [r["id"] for r in d["references"]]
    assert len(ids) == len(set(ids)) and all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    rest = {k: v for k, v in d.items() if k != "references"}
    cited = list(_cited(rest, d["ruleset"]))
    assert cited, "no reference is cited"
    unknown = [(where, ref) for where, ref in cited if isinstance(ref, bool) or ref not in names.references]
    assert not unknown, unknown
    # lists name existing items
    for name, ids_ in d.get("lists", {}).items():
        assert set(ids_) <= set(names.items), name
