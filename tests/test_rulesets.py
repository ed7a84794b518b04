"""The rule-set loader and index: both bundled rule sets load, an unknown id is refused, a malformed
rule set is refused with a message naming the broken entry, and no Python file of the product
holds rule-set knowledge (an item id, an alert id or a rule-set id as a string literal)."""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from models.catalogue import (
    CatalogueError,
    UnknownRuleSetError,
    current_ruleset,
    known_rulesets,
    load_catalogue,
    parse_catalogue,
)

ROOT = Path(__file__).resolve().parent.parent
RULESET_DIR = ROOT / "resources" / "rulesets"
RULESET_IDS = ("2026.1", "2027.1")


def _raw(ruleset: str) -> dict[str, Any]:
    return json.loads((RULESET_DIR / f"{ruleset}.json").read_text(encoding="utf-8"))


RAW_2027_1 = _raw("2027.1")


# --- the index and the bundled files -------------------------------------------------------------

def test_the_index_names_both_rule_sets_and_the_current_one() -> None:
    assert known_rulesets() == RULESET_IDS
    assert current_ruleset() == "2027.1"
    assert load_catalogue().ruleset == "2027.1"


@pytest.mark.parametrize("ruleset", RULESET_IDS)
def test_each_bundled_rule_set_loads(ruleset: str) -> None:
    catalogue = load_catalogue(ruleset)
    assert catalogue.ruleset == ruleset
    assert catalogue.items and catalogue.alerts and catalogue.rules
    assert load_catalogue(ruleset) is catalogue  # loaded once per process
    # the raw file also parses on its own, to the same rule set
    parsed = parse_catalogue(_raw(ruleset))
    assert parsed.ruleset == ruleset
    assert [i.id for i in parsed.items] == [i.id for i in catalogue.items]
    assert list(parsed.alerts) == list(catalogue.alerts)


def test_an_unknown_rule_set_is_refused_naming_it_and_the_known_ones() -> None:
    with pytest.raises(UnknownRuleSetError) as info:
        load_catalogue("2025.9")
    message = str(info.value)
    assert "2025.9" in message
    for ruleset in RULESET_IDS:
        assert ruleset in message


# --- malformed rule sets -------------------------------------------------------------------------

def _item(d: dict[str, Any], item_id: str) -> dict[str, Any]:
    found = [i for i in d["items"] if i["id"] == item_id]
    assert len(found) == 1, item_id
    return found[0]


def _alert(d: dict[str, Any], alert_id: str) -> dict[str, Any]:
    found = [a for a in d["alerts"] if a["id"] == alert_id]
    assert len(found) == 1, alert_id
    return found[0]


def _unknown_item_in_alert(d: dict[str, Any]) -> None:
    scfe = _alert(d, "scfe")
    scfe["when"] = {"all": [scfe["when"], {"item": "no_such_item", "is": ["yes"]}]}


def _unknown_value(d: dict[str, Any]) -> None:
    assert _alert(d, "locked_knee")["when"] == {"item": "locked_knee", "is": ["yes"]}
    _alert(d, "locked_knee")["when"] = {"item": "locked_knee", "is": ["sometimes"]}


def _comparison_on_choice(d: dict[str, Any]) -> None:
    assert _item(d, "motor_weakness")["type"] == "choice"
    _alert(d, "major_motor_deficit")["when"] = {"item": "motor_weakness", "ge": 2}


def _unknown_alert(d: dict[str, Any]) -> None:
    unstable = _alert(d, "unstable_scfe")
    text = json.dumps(unstable["when"])
    assert '{"alert": "scfe"}' in text
    unstable["when"] = json.loads(text.replace('{"alert": "scfe"}', '{"alert": "scfe_unknown"}'))


def _cycle(d: dict[str, Any]) -> None:
    assert '{"alert": "scfe"}' in json.dumps(_alert(d, "unstable_scfe")["when"])  # unstable_scfe reads scfe
    scfe = _alert(d, "scfe")
    scfe["when"] = {"all": [scfe["when"], {"not": {"alert": "unstable_scfe"}}]}


def _unknown_placeholder(d: dict[str, Any]) -> None:
    step = d["next_steps"]["directions"]["spinal"][0]
    assert "text" in step
    step["text"] += " Note the {shoe_size}."


def _unknown_reference(d: dict[str, Any]) -> None:
    assert 999 not in {r["id"] for r in d["references"]}
    _item(d, "slr")["references"] = [1, 999]


def _red_flag_without_alert(d: dict[str, Any]) -> None:
    assert _item(d, "rf_dvt_signs")["red_flag"] is True
    assert '"rf_dvt_signs"' not in json.dumps([a for a in d["alerts"] if a["id"] != "rf_dvt_signs"])
    d["alerts"] = [a for a in d["alerts"] if a["id"] != "rf_dvt_signs"]


def _last_rule_not_otherwise(d: dict[str, Any]) -> None:
    assert "otherwise" in d["direction"]["rules"][-1]
    d["direction"]["rules"].pop()


def _unknown_item_key(d: dict[str, Any]) -> None:
    _item(d, "slr")["colour"] = "red"


def _modifier_reads_scores(d: dict[str, Any]) -> None:
    modifier = _item(d, "slr")["contributions"][0]["modifiers"][0]
    modifier["when"] = {"score": "spinal", "ge": 1}


def _placeholder_in_action(d: dict[str, Any]) -> None:
    _alert(d, "locked_knee")["actions"][0]["text"] = "Within 48 hours ({tally}): orthopaedic referral."


def _doubled_braces(d: dict[str, Any]) -> None:
    d["next_steps"]["directions"]["spinal"][0]["text"] = "Examine {{both}} legs."


def _only_alerts_without_closing(d: dict[str, Any]) -> None:
    del d["next_steps"]["policies"]["emergency"]["closing"]


def _duplicate_target(d: dict[str, Any]) -> None:
    d["targets"].append(dict(d["targets"][0]))


def _duplicate_level(d: dict[str, Any]) -> None:
    d["levels"].append(dict(d["levels"][0]))


def _placeholder_in_label(d: dict[str, Any]) -> None:
    d["directions"]["local"]["label"] = "Local knee workup ({sources})"


def _output_without_its_flag(d: dict[str, Any]) -> None:
    del d["flags"]["spinal_unexamined"]
    d["direction"]["reason_notes"] = [n for n in d["direction"]["reason_notes"] if "spinal_unexamined" not in str(n)]
    d["prompts"] = []
    for steps in d["next_steps"]["directions"].values():
        steps[:] = [st for st in steps if "spinal_unexamined" not in str(st)]


BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("placeholder in an action line", _placeholder_in_action, r"alert locked_knee action 1: .*no placeholder"),
    ("doubled braces", _doubled_braces, r"next_steps\.directions\.spinal\[1\]: .*doubled braces"),
    ("only_alerts without a closing line", _only_alerts_without_closing,
     r"next_steps\.policies\.emergency: .*closing"),
    ("a target given twice", _duplicate_target, r"targets: .*twice"),
    ("a level given twice", _duplicate_level, r"levels: .*twice"),
    ("a placeholder in a label", _placeholder_in_label, r"directions\.local: .*no placeholder"),
    ("spinal_unexamined output without its flag", _output_without_its_flag, r"outputs: .*spinal_unexamined"),
    ("unknown item in an alert's when", _unknown_item_in_alert, r"alert scfe: .*unknown item 'no_such_item'"),
    ("unknown value in an is list", _unknown_value, r"alert locked_knee: .*'sometimes'"),
    ("comparison on a choice item", _comparison_on_choice, r"alert major_motor_deficit: .*motor_weakness.*not a number"),
    ("unknown alert id", _unknown_alert, r"alert unstable_scfe: .*unknown alert 'scfe_unknown'"),
    ("alerts referring to each other", _cycle, r"alert (scfe|unstable_scfe): .*cycle"),
    ("unknown template placeholder", _unknown_placeholder,
     r"next_steps\.directions\.spinal\[1\]: .*unknown placeholder \{shoe_size\}"),
    ("unknown reference number", _unknown_reference, r"item slr: .*unknown reference.*999"),
    ("red flag without an alert", _red_flag_without_alert, r"item rf_dvt_signs: .*red flag without an alert"),
    ("last direction rule not otherwise", _last_rule_not_otherwise, r"direction\.rules: .*last rule must be 'otherwise'"),
    ("unknown key in an item", _unknown_item_key, r"item slr: .*unknown key.*colour"),
    ("modifier reads scores", _modifier_reads_scores, r"item slr contribution 1 modifier: .*scores"),
]


def test_the_unbroken_copy_parses() -> None:
    assert parse_catalogue(copy.deepcopy(RAW_2027_1)).ruleset == "2027.1"


@pytest.mark.parametrize(("name", "breakage", "pattern"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_a_malformed_rule_set_is_refused_naming_the_entry(
        name: str, breakage: Callable[[dict[str, Any]], None], pattern: str) -> None:
    data = copy.deepcopy(RAW_2027_1)
    breakage(data)
    assert data != RAW_2027_1
    with pytest.raises(CatalogueError, match=pattern) as info:
        parse_catalogue(data)
    if breakage is _cycle:
        assert "scfe" in str(info.value) and "unstable_scfe" in str(info.value)


# --- no rule-set knowledge in the engine -----------------------------------------------------------

def _product_files() -> list[Path]:
    files = [p for folder in ("models", "reports", "ui", "commands") for p in sorted((ROOT / folder).rglob("*.py"))]
    return [*files, ROOT / "main.py"]


def _rule_set_names() -> set[str]:
    names = set(RULESET_IDS)
    for ruleset in RULESET_IDS:
        d = _raw(ruleset)
        names |= {i["id"] for i in d["items"]} | {a["id"] for a in d["alerts"]}
    return names


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_the_literal_scan_sees_the_product() -> None:
    files = _product_files()
    assert len(files) > 20 and all(p.is_file() for p in files)
    assert (ROOT / "models" / "assessment.py") in files
    names = _rule_set_names()
    assert {"slr", "scfe", "rf_bladder_bowel", "2026.1", "2027.1"} <= names
    literals = [value for p in files for _, value in _string_literals(p)]
    assert len(literals) > 500


def test_no_product_string_literal_is_a_rule_set_name() -> None:
    names = _rule_set_names()
    found = [f"{path.relative_to(ROOT)}:{line}: {value!r}"
             for path in _product_files() for line, value in _string_literals(path) if value in names]
    assert not found, "rule-set names written in Python:\n" + "\n".join(found)
