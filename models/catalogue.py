"""Rule sets: the exam checklist and every rule that turns answers into a suggestion, as data.

Each clinical rule set is one file, ``resources/rulesets/<id>.json`` (docs/rulesets.md describes
it); ``resources/rulesets/index.json`` lists them and names the current one, which new assessments
use. This module loads a file, checks every entry at once (each id, value, alert, list, reference
and template placeholder a rule names must exist), compiles its conditions, and exposes it as
frozen dataclasses. A malformed entry raises :class:`CatalogueError` naming the entry, so a broken
resource never reaches a clinician. Nothing here knows an item id, an age or a threshold.

Why it is long: every part of a rule set (items, alerts, levels, flags, direction rules, next steps,
call-outs) is checked where it is parsed, so each refusal names its entry; splitting the loader
would split that one pass over the file.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import i18n
from models.conditions import CatalogueError, Compiled, compile_condition

RESOURCE_DIR = Path(__file__).resolve().parent.parent / "resources"
RULESET_DIR = RESOURCE_DIR / "rulesets"
INDEX_PATH = RULESET_DIR / "index.json"

DIRECTIONS = ("spinal", "local", "hip", "mixed", "indeterminate")
ITEM_TYPES = ("yesno", "choice", "number")
YES_NO = ("yes", "no")
OUTPUTS = ("sources", "spinal_unexamined")
ALERT_ORDERS = ("tier_then_table", "tier_then_id")
PHASES_BEFORE_SCORES = frozenset({"answers"})

# Placeholders a template may use (docs/rulesets.md); list- and target-named ones are added per rule set.
BASE_PLACEHOLDERS = frozenset({"tally", "lead", "assessed_keys", "missing_keys", "sources", "source_details"})

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

__all__ = ["CatalogueError", "UnknownRuleSetError", "Catalogue", "Item", "Alert", "load_catalogue",
           "current_ruleset", "known_rulesets"]


class UnknownRuleSetError(ValueError):
    """A rule set was asked for by an id KneeCheck does not have."""


@dataclass(frozen=True)
class Modifier:
    when: Compiled
    points: int


@dataclass(frozen=True)
class Contribution:
    when: tuple[str, ...]
    target: str
    points: int
    modifiers: tuple[Modifier, ...] = ()


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    type: str
    label: str
    short: str
    help: str
    values: tuple[str, ...] = ()
    key: bool = False
    red_flag: bool = False
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    contributions: tuple[Contribution, ...] = ()
    references: tuple[int, ...] = ()
    asked_when: Compiled | None = None
    asked_when_items: tuple[str, ...] = ()  # the items its asked_when condition reads, for the editor
    key_assessed_when: Compiled | None = None
    group: str = ""     # items asked together (the Ottawa questions) share a group name and note
    group_note: str = ""

    @property
    def is_number(self) -> bool:
        return self.type == "number"

    @property
    def alert(self) -> bool:  # a red flag raises the alert of its own id
        return self.red_flag

    @property
    def absent_value(self) -> str | None:
        """The answer that says the finding is absent ("no" of a yes/no item), for "every red flag not
        yet asked: No"; None for choice and number items, which have no single absent answer."""
        return YES_NO[1] if self.type == "yesno" else None


@dataclass(frozen=True)
class Action:
    when: Compiled | None
    text: str | None
    references: tuple[int, ...]


@dataclass(frozen=True)
class Alert:
    id: str
    tier: str
    text: str
    when: Compiled | None   # None: a red flag, raised by its item answered yes
    actions: tuple[Action, ...]
    references: tuple[int, ...]


@dataclass(frozen=True)
class Tier:
    id: str
    label: str
    raises_urgency: bool


@dataclass(frozen=True)
class Target:
    id: str
    label: str
    word: str


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    when: Compiled


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class DirectionRule:
    kind: str                       # when | mixed | lead | otherwise
    reason: str
    direction: str = "indeterminate"
    when: Compiled | None = None
    sources: tuple[str, ...] | None = None
    within: int = 0
    each_at_least: int = 0
    margin: int = 0


@dataclass(frozen=True)
class Note:
    when: Compiled
    text: str


@dataclass(frozen=True)
class Callout:
    """A note the editor shows above a section while its condition holds (the hip screen in children)."""

    section: str
    when: Compiled
    text: str


@dataclass(frozen=True)
class Step:
    """One next-step entry: a line, a group of alternatives (``first``), or the mixed sources' first lines."""

    text: str = ""
    when: Compiled | None = None
    references: tuple[int, ...] = ()
    treatment: bool = False
    first: tuple[Step, ...] = ()
    sources_first: bool = False


@dataclass(frozen=True)
class Policy:
    only_alerts: bool = False
    closing: str = ""
    treatment: str = ""


@dataclass(frozen=True)
class DirectionText:
    label: str
    summary: str
    references: tuple[int, ...]


@dataclass(frozen=True)
class Catalogue:
    ruleset: str
    outputs: tuple[str, ...]
    sections: tuple[Section, ...]
    red_flag_section: str
    tiers: tuple[Tier, ...]
    alert_order: str
    targets: tuple[Target, ...]
    items: tuple[Item, ...]
    lists: dict[str, tuple[str, ...]]
    alerts: dict[str, Alert]              # table order
    alert_evaluation: tuple[str, ...]     # every alert after the alerts its condition reads
    levels: tuple[Level, ...]
    flags: tuple[tuple[str, Compiled], ...]
    keys_needed: int
    qualify: dict[str, Compiled]
    rules: tuple[DirectionRule, ...]
    reason_notes: tuple[Note, ...]
    directions: dict[str, DirectionText]
    not_assessed_sections: tuple[str, ...]
    not_assessed_first: tuple[tuple[Compiled, tuple[str, ...]], ...]
    policies: dict[str, Policy]
    direction_steps: dict[str, tuple[Step, ...]]
    finding_steps: tuple[Step, ...]
    callouts: tuple[Callout, ...]
    prompts: tuple[Note, ...]
    references: dict[int, str]
    by_id: dict[str, Item] = field(default_factory=dict)
    language: str = i18n.SOURCE_LANGUAGE  # the wording's language (rules are the same in every one)

    def item(self, item_id: str) -> Item:
        return self.by_id[item_id]

    def value_label(self, value: str) -> str:
        """An answer in words ("yes" -> "Yes", "L4" stays "L4"), in this catalogue's language."""
        return i18n.pgettext_in(self.language, "answer", value[:1].upper() + value[1:])

    def score_word(self, target: str) -> str:
        """A score's name in a tally ("spinal 5, local 2"): its id in English."""
        return i18n.pgettext_in(self.language, "score", target)

    def in_sentence(self, text: str) -> str:
        """A short label as it reads inside a sentence: lower case, except in German, whose nouns
        keep their capital."""
        return text if self.language.split("_")[0] == "de" else text.lower()

    def join(self, words: list[str]) -> str:
        return i18n.join_words(words, self.language)

    @property
    def key_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.key)

    @property
    def red_flags(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.red_flag)

    def section_items(self, section_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == section_id)

    @property
    def tier_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.tiers}

    @property
    def target_labels(self) -> dict[str, str]:
        return {t.id: t.label for t in self.targets}

    @property
    def direction_labels(self) -> dict[str, str]:
        return {d: t.label for d, t in self.directions.items()}

    @property
    def direction_summaries(self) -> dict[str, str]:
        return {d: t.summary for d, t in self.directions.items()}

    @property
    def direction_references(self) -> dict[str, tuple[int, ...]]:
        return {d: t.references for d, t in self.directions.items()}

    def direction_label(self, direction: str, sources: list[str] | tuple[str, ...] = ()) -> str:
        """The direction in words; a ``mixed`` label may name its sources."""
        text = self.directions[direction].label if direction in self.directions else direction
        if not sources:  # a list that does not hold the sources (the encounter list): the label alone
            return re.sub(r"[\s:,(-]*\{sources\}\)?", "", text).strip()
        words = {t.id: t.word for t in self.targets}
        return text.replace("{sources}", self.join([words.get(s, s) for s in sources]))

    def action_given(self, alert_id: str, next_steps: list[str] | tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
        """The action line an assessment's alert gave, read from its stored next steps (never
        re-evaluated), with the references the alert and that line cite: ("", refs) for none."""
        alert = self.alerts.get(alert_id)
        if alert is None:
            return "", ()
        printed = set(next_steps)
        chosen = next((a for a in alert.actions if a.text and a.text in printed), None)
        if chosen is None:
            return "", alert.references
        # The line cites what supports that line (an arthroplasty line does not cite the guideline
        # that says to aspirate a native knee).
        return chosen.text or "", chosen.references

    def direction_steps_printed(self, next_steps: list[str] | tuple[str, ...]) -> bool:
        """Whether any of these next steps is a direction's or a finding's line (not an alert's action or
        a policy's closing line): only then does the direction cite its references."""
        return any(line not in self._not_direction_lines for line in next_steps)

    @functools.cached_property
    def _not_direction_lines(self) -> frozenset[str]:
        lines = {a.text for alert in self.alerts.values() for a in alert.actions if a.text}
        return frozenset(lines | {p.closing for p in self.policies.values() if p.closing})

    @functools.cached_property
    def step_references(self) -> dict[str, tuple[int, ...]]:
        """Each next-step and alert-action line's text -> the references it cites (for the summary);
        made once per rule set."""
        found: dict[str, tuple[int, ...]] = {}

        def walk(steps: tuple[Step, ...]) -> None:
            for s in steps:
                if s.text and not _has_placeholder(s.text):
                    found.setdefault(s.text, s.references)
                walk(s.first)
        for steps in self.direction_steps.values():
            walk(steps)
        walk(self.finding_steps)
        for alert in self.alerts.values():
            for action in alert.actions:
                if action.text:
                    found.setdefault(action.text, action.references)
        return found


def join_words(words: list[str]) -> str:
    """"a", "a and b", "a, b and c" (English: the stored wording)."""
    return i18n.join_words(words, i18n.SOURCE_LANGUAGE)


def _has_placeholder(text: str) -> bool:
    return any(name for _, name, _, _ in string.Formatter().parse(text))


# --- parsing -------------------------------------------------------------------------------------

def _require(entry: str, data: Any, name: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(data, dict):
        raise CatalogueError(f"rule set entry {entry}: must be an object")
    if name not in data:
        raise CatalogueError(f"rule set entry {entry}: missing '{name}'")
    value = data[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise CatalogueError(f"rule set entry {entry}: '{name}' has the wrong type")
    return value


def _check_keys(entry: str, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise CatalogueError(f"rule set entry {entry}: unknown key(s) {', '.join(unknown)}")


class _Loader:
    """Parses one rule set; also the name table conditions are checked against."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict):
            raise CatalogueError("rule set: the top level must be an object")
        self.data = data
        self.by_id: dict[str, Item] = {}
        self.raw_items: dict[str, dict[str, Any]] = {}
        self.alert_ids: set[str] = set()
        self.tier_ids: set[str] = set()
        self.target_ids: tuple[str, ...] = ()
        self.flag_names: set[str] = set()
        self.lists: dict[str, tuple[str, ...]] = {}
        self.definitions: dict[str, Compiled] = {}
        self.reference_ids: set[int] = set()

    # RuleSetNames
    def item_values(self, item_id: str) -> tuple[str, ...] | None:
        raw = self.raw_items.get(item_id)
        if raw is None:
            return None
        if raw.get("type") == "yesno":
            return YES_NO
        return tuple(raw.get("values", ()))

    def is_number(self, item_id: str) -> bool:
        return self.raw_items.get(item_id, {}).get("type") == "number"

    def has_alert(self, alert_id: str) -> bool:
        return alert_id in self.alert_ids

    def has_tier(self, tier: str) -> bool:
        return tier in self.tier_ids

    def has_target(self, target: str) -> bool:
        return target in self.target_ids

    def has_flag(self, name: str) -> bool:
        return name in self.flag_names

    def has_list(self, name: str) -> bool:
        return name in self.lists

    def list_items(self, name: str) -> tuple[str, ...]:
        return self.lists[name]

    def definition(self, name: str) -> Compiled | None:
        return self.definitions.get(name)

    # helpers
    def cond(self, raw: Any, entry: str, allowed: frozenset[str] | None = None) -> Compiled:
        compiled = compile_condition(raw, entry, self)
        if allowed is not None and not compiled.uses <= allowed:
            bad = ", ".join(sorted(compiled.uses - allowed))
            raise CatalogueError(f"rule set entry {entry}: this condition cannot read {bad} (not known yet there)")
        return compiled

    def refs(self, entry: str, raw: Any) -> tuple[int, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or any(isinstance(r, bool) or r not in self.reference_ids for r in raw):
            raise CatalogueError(f"rule set entry {entry}: unknown reference in {raw!r}")
        return tuple(raw)

    def template(self, entry: str, text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"rule set entry {entry}: needs a text")
        allowed = set(BASE_PLACEHOLDERS) | set(self.target_ids)
        allowed |= {f"strongest_{t}" for t in self.target_ids}
        allowed |= {f"{a}_minus_{b}" for a in self.target_ids for b in self.target_ids if a != b}
        allowed |= {f"unassessed_{name}" for name in self.lists}
        if "{{" in text or "}}" in text:  # a line's text is also its key for citations: no escapes
            raise CatalogueError(f"rule set entry {entry}: doubled braces are not allowed in a text")
        try:
            names = [name for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
        except ValueError as exc:
            raise CatalogueError(f"rule set entry {entry}: malformed template ({exc})") from None
        for name in names:
            if name not in allowed:
                raise CatalogueError(f"rule set entry {entry}: unknown placeholder {{{name}}}")
        return text

    def plain(self, entry: str, text: Any, allowed: frozenset[str] = frozenset()) -> str:
        """A text shown as written (an alert's action line, a label): no placeholder but ``allowed``."""
        if not isinstance(text, str) or not text.strip():
            raise CatalogueError(f"rule set entry {entry}: needs a text")
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise CatalogueError(f"rule set entry {entry}: malformed text ({exc})") from None
        if names - allowed or "{{" in text or "}}" in text:
            raise CatalogueError(f"rule set entry {entry}: this text takes no placeholder but {sorted(allowed)}")
        return text

    @staticmethod
    def unique(entry: str, ids: list[str]) -> None:
        if len(set(ids)) != len(ids):
            raise CatalogueError(f"rule set entry {entry}: an id is given twice")

    # sections of the file
    def parse(self) -> Catalogue:
        d = self.data
        top = "(top level)"
        _check_keys(top, d, {
            "ruleset", "outputs", "sections", "red_flag_section", "tiers", "alert_order", "targets", "items",
            "definitions", "lists", "alerts", "levels", "flags", "direction", "directions", "not_assessed",
            "next_steps", "callouts", "prompts", "references",
        })
        ruleset = _require(top, d, "ruleset", str)
        outputs = tuple(d.get("outputs", []))
        if any(o not in OUTPUTS for o in outputs):
            raise CatalogueError(f"rule set entry outputs: only {OUTPUTS} are known")

        for raw in _require(top, d, "references", list):
            ref_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(ref_id, int) or isinstance(ref_id, bool) or ref_id in self.reference_ids \
                    or not isinstance(raw.get("text"), str):
                raise CatalogueError(f"rule set reference {ref_id!r}: needs a unique integer id and a text")
            self.reference_ids.add(ref_id)
        references = {r["id"]: r["text"] for r in d["references"]}

        sections = tuple(Section(_require("section", s, "id", str), _require("section", s, "title", str))
                         for s in _require(top, d, "sections", list))
        section_ids = {s.id for s in sections}
        red_section = _require(top, d, "red_flag_section", str)
        if red_section not in section_ids:
            raise CatalogueError("rule set entry red_flag_section: unknown section")

        tiers = []
        for raw in _require(top, d, "tiers", list):
            tiers.append(Tier(_require("tier", raw, "id", str), _require("tier", raw, "label", str),
                              _require("tier", raw, "raises_urgency", bool)))
        self.unique("tiers", [t.id for t in tiers])
        self.tier_ids = {t.id for t in tiers}
        alert_order = _require(top, d, "alert_order", str)
        if alert_order not in ALERT_ORDERS:
            raise CatalogueError(f"rule set entry alert_order: one of {ALERT_ORDERS}")
        targets = tuple(Target(_require("target", t, "id", str), _require("target", t, "label", str),
                               _require("target", t, "word", str)) for t in _require(top, d, "targets", list))
        self.target_ids = tuple(t.id for t in targets)
        self.unique("targets", list(self.target_ids))

        # Names first, so conditions may refer to anything in the file.
        raw_items = _require(top, d, "items", list)
        for raw in raw_items:
            item_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(item_id, str) or not _ID_RE.match(item_id):
                raise CatalogueError(f"rule set item {item_id!r}: the id must be lower_snake_case")
            if item_id in self.raw_items:
                raise CatalogueError(f"rule set entry item {item_id}: duplicate id")
            self.raw_items[item_id] = raw
        raw_alerts = _require(top, d, "alerts", list)
        for raw in raw_alerts:
            alert_id = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(alert_id, str) or alert_id in self.alert_ids:
                raise CatalogueError(f"rule set alert {alert_id!r}: needs a unique id")
            self.alert_ids.add(alert_id)
        for name, ids in d.get("lists", {}).items():
            if not isinstance(ids, list) or any(i not in self.raw_items for i in ids):
                raise CatalogueError(f"rule set entry lists.{name}: names an unknown item")
            self.lists[name] = tuple(ids)
        raw_flags = d.get("flags", {})
        if not isinstance(raw_flags, dict):
            raise CatalogueError("rule set entry flags: must be an object")
        self.flag_names = set(raw_flags)
        # Definitions may use earlier definitions only (no cycles by construction).
        for name, raw in d.get("definitions", {}).items():
            self.definitions[name] = self.cond(raw, f"definitions.{name}")

        items = tuple(self.item(raw, section_ids, red_section) for raw in raw_items)
        self.by_id = {i.id: i for i in items}
        if not any(i.key for i in items):
            raise CatalogueError("rule set: no item is marked key")

        alerts: dict[str, Alert] = {}
        for raw in raw_alerts:
            alert = self.alert(raw)
            alerts[alert.id] = alert
        for item in items:
            if item.red_flag and item.id not in alerts:
                raise CatalogueError(f"rule set entry item {item.id}: red flag without an alert entry")
        evaluation = self.alert_evaluation_order(alerts)

        levels = tuple(
            Level(_require("level", raw, "id", str), _require(f"level {raw.get('id')}", raw, "label", str),
                  self.cond(_require(f"level {raw.get('id')}", raw, "when", dict), f"level {raw.get('id')}",
                            frozenset({"answers", "points"})))
            for raw in _require(top, d, "levels", list))
        self.unique("levels", [level.id for level in levels])

        after_scores = frozenset({"answers", "points", "scores", "alerts", "tiers"})
        if "spinal_unexamined" in outputs and "spinal_unexamined" not in raw_flags:
            raise CatalogueError("rule set entry outputs: spinal_unexamined needs a flag of that name")
        flags = []
        for name, raw in raw_flags.items():
            flags.append((name, self.cond(raw, f"flags.{name}", after_scores)))
        for name, compiled in flags:
            if "flags" in compiled.uses:
                raise CatalogueError(f"rule set entry flags.{name}: a flag cannot read another flag")

        direction = _require(top, d, "direction", dict)
        _check_keys("direction", direction, {"keys_needed", "qualify", "rules", "reason_notes"})
        keys_needed = _require("direction", direction, "keys_needed", int)
        everything = after_scores | {"flags", "keys"}
        qualify = {}
        for target, raw in direction.get("qualify", {}).items():
            if target not in self.target_ids:
                raise CatalogueError(f"rule set entry direction.qualify.{target}: unknown target")
            qualify[target] = self.cond(raw, f"direction.qualify.{target}", everything)
        rules = tuple(self.rule(raw, n, everything, bool(qualify))
                      for n, raw in enumerate(_require("direction", direction, "rules", list), 1))
        if not rules or rules[-1].kind != "otherwise":
            raise CatalogueError("rule set entry direction.rules: the last rule must be 'otherwise'")
        reason_notes = tuple(
            Note(self.cond(_require(f"direction.reason_notes[{n}]", raw, "when", dict),
                           f"direction.reason_notes[{n}]", everything),
                 self.template(f"direction.reason_notes[{n}]", raw.get("text")))
            for n, raw in enumerate(direction.get("reason_notes", []), 1))

        directions: dict[str, DirectionText] = {}
        raw_directions = _require(top, d, "directions", dict)
        for name in DIRECTIONS:
            raw = raw_directions.get(name)
            entry = f"directions.{name}"
            if not isinstance(raw, dict):
                raise CatalogueError(f"rule set entry {entry}: missing")
            _check_keys(entry, raw, {"label", "summary", "references"})
            label = self.plain(entry, raw.get("label"), frozenset({"sources"}) if name == "mixed" else frozenset())
            directions[name] = DirectionText(label, self.plain(entry, raw.get("summary")),
                                             self.refs(entry, raw.get("references")))

        na = _require(top, d, "not_assessed", dict)
        _check_keys("not_assessed", na, {"sections", "first"})
        na_sections = tuple(_require("not_assessed", na, "sections", list))
        if any(s not in section_ids for s in na_sections):
            raise CatalogueError("rule set entry not_assessed.sections: unknown section")
        na_first = []
        for n, raw in enumerate(na.get("first", []), 1):
            entry = f"not_assessed.first[{n}]"
            ids = _require(entry, raw, "items", list)
            if any(i not in self.raw_items for i in ids):
                raise CatalogueError(f"rule set entry {entry}: names an unknown item")
            na_first.append((self.cond(_require(entry, raw, "when", dict), entry, frozenset({"answers"})), tuple(ids)))

        ns = _require(top, d, "next_steps", dict)
        _check_keys("next_steps", ns, {"policies", "directions", "findings"})
        policies = {}
        for tier, raw in ns.get("policies", {}).items():
            entry = f"next_steps.policies.{tier}"
            if tier not in self.tier_ids:
                raise CatalogueError(f"rule set entry {entry}: unknown tier")
            _check_keys(entry, raw, {"only_alerts", "closing", "treatment"})
            if raw.get("only_alerts") and "closing" not in raw:
                raise CatalogueError(f"rule set entry {entry}: only_alerts needs a closing line")
            policies[tier] = Policy(bool(raw.get("only_alerts", False)),
                                    self.template(entry, raw["closing"]) if "closing" in raw else "",
                                    self.template(entry, raw["treatment"]) if "treatment" in raw else "")
        raw_steps = _require("next_steps", ns, "directions", dict)
        steps = {}
        for name in DIRECTIONS:
            if name not in raw_steps:
                raise CatalogueError(f"rule set entry next_steps.directions.{name}: missing")
            steps[name] = self.steps(raw_steps[name], f"next_steps.directions.{name}", everything,
                                     allow_sources=name == "mixed")
        finding_steps = self.steps(ns.get("findings", []), "next_steps.findings", everything, allow_sources=False)
        callouts = []
        for n, raw in enumerate(d.get("callouts", []), 1):
            entry = f"callouts[{n}]"
            _check_keys(entry, raw, {"section", "when", "text"})
            section = _require(entry, raw, "section", str)
            if section not in section_ids:
                raise CatalogueError(f"rule set entry {entry}: unknown section {section!r}")
            callouts.append(Callout(section, self.cond(_require(entry, raw, "when", dict), entry, frozenset({"answers"})),
                                    _require(entry, raw, "text", str)))

        prompts = tuple(
            Note(self.cond(_require(f"prompts[{n}]", raw, "when", dict), f"prompts[{n}]", everything),
                 self.template(f"prompts[{n}]", raw.get("text")))
            for n, raw in enumerate(d.get("prompts", []), 1))
        return Catalogue(
            ruleset=ruleset, outputs=outputs, sections=sections, red_flag_section=red_section, tiers=tuple(tiers),
            alert_order=alert_order, targets=targets, items=items, lists=dict(self.lists), alerts=alerts,
            alert_evaluation=evaluation, levels=levels, flags=tuple(flags), keys_needed=keys_needed,
            qualify=qualify, rules=rules, reason_notes=reason_notes, directions=directions,
            not_assessed_sections=na_sections, not_assessed_first=tuple(na_first), policies=policies,
            direction_steps=steps, finding_steps=finding_steps, callouts=tuple(callouts), prompts=prompts, references=references,
            by_id=self.by_id,
        )

    def item(self, raw: dict[str, Any], sections: set[str], red_section: str) -> Item:
        item_id = raw["id"]
        entry = f"item {item_id}"
        _check_keys(entry, raw, {
            "id", "section", "type", "values", "key", "red_flag", "min", "max", "unit", "label", "short", "help",
            "contributions", "references", "asked_when", "key_assessed_when", "group", "group_note",
        })
        section = _require(entry, raw, "section", str)
        if section not in sections:
            raise CatalogueError(f"rule set entry {entry}: unknown section {section!r}")
        item_type = _require(entry, raw, "type", str)
        if item_type not in ITEM_TYPES:
            raise CatalogueError(f"rule set entry {entry}: type {item_type!r} is not one of {ITEM_TYPES}")
        values: tuple[str, ...] = ()
        minimum = maximum = None
        if item_type == "yesno":
            values = YES_NO
            if "values" in raw:
                raise CatalogueError(f"rule set entry {entry}: a yesno item takes no 'values'")
        elif item_type == "choice":
            raw_values = _require(entry, raw, "values", list)
            if len(raw_values) < 2 or len(set(raw_values)) != len(raw_values) or not all(
                    isinstance(v, str) and v for v in raw_values):
                raise CatalogueError(f"rule set entry {entry}: 'values' must be two or more distinct strings")
            values = tuple(raw_values)
        else:
            minimum = _require(entry, raw, "min", (int, float))
            maximum = _require(entry, raw, "max", (int, float))
            if minimum >= maximum:
                raise CatalogueError(f"rule set entry {entry}: min must be below max")
        flags = {name: raw.get(name, False) for name in ("key", "red_flag")}
        for name, flag in flags.items():
            if not isinstance(flag, bool):
                raise CatalogueError(f"rule set entry {entry}: '{name}' must be true or false")
        if flags["red_flag"] != (section == red_section):
            raise CatalogueError(f"rule set entry {entry}: red flags, and only they, belong to section {red_section}")
        contributions = []
        for n, c in enumerate(raw.get("contributions", []), 1):
            centry = f"{entry} contribution {n}"
            if not isinstance(c, dict):
                raise CatalogueError(f"rule set entry {centry}: must be an object")
            _check_keys(centry, c, {"when", "target", "points", "modifiers"})
            when = _require(centry, c, "when", list)
            if not when or any(v not in values for v in when):
                raise CatalogueError(f"rule set entry {centry}: 'when' {when!r} is not among {values}")
            target = _require(centry, c, "target", str)
            if target not in self.target_ids:
                raise CatalogueError(f"rule set entry {centry}: target {target!r} is not one of {self.target_ids}")
            modifiers = tuple(
                Modifier(self.cond(_require(f"{centry} modifier", m, "when", dict), f"{centry} modifier",
                                   PHASES_BEFORE_SCORES),
                         _require(f"{centry} modifier", m, "points", int))
                for m in c.get("modifiers", []))
            contributions.append(Contribution(tuple(when), target, _require(centry, c, "points", int), modifiers))
        if item_type == "number" and contributions:
            raise CatalogueError(f"rule set entry {entry}: number items carry no points")
        if flags["red_flag"] and contributions:
            raise CatalogueError(f"rule set entry {entry}: red flags carry no points")
        asked = raw.get("asked_when")
        key_when = raw.get("key_assessed_when")
        if key_when is not None and not flags["key"]:
            raise CatalogueError(f"rule set entry {entry}: key_assessed_when on an item that is not key")
        return Item(
            id=item_id, section=section, type=item_type,
            label=_require(entry, raw, "label", str), short=_require(entry, raw, "short", str),
            help=_require(entry, raw, "help", str), values=values, key=flags["key"], red_flag=flags["red_flag"],
            minimum=minimum, maximum=maximum, unit=raw.get("unit", ""), contributions=tuple(contributions),
            references=self.refs(entry, raw.get("references")),
            asked_when=None if asked is None else self.cond(asked, f"{entry} asked_when", PHASES_BEFORE_SCORES),
            asked_when_items=tuple(sorted(_named_items(asked, self.lists))) if asked is not None else (),
            key_assessed_when=None if key_when is None else self.cond(
                key_when, f"{entry} key_assessed_when", PHASES_BEFORE_SCORES),
            group=str(raw.get("group", "")), group_note=str(raw.get("group_note", "")),
        )

    def alert(self, raw: dict[str, Any]) -> Alert:
        alert_id = raw["id"]
        entry = f"alert {alert_id}"
        _check_keys(entry, raw, {"id", "tier", "when", "text", "actions", "references"})
        tier = _require(entry, raw, "tier", str)
        if tier not in self.tier_ids:
            raise CatalogueError(f"rule set entry {entry}: tier {tier!r} is not one of {sorted(self.tier_ids)}")
        item = self.by_id.get(alert_id)
        is_red_flag = item is not None and item.red_flag
        if is_red_flag == ("when" in raw):
            raise CatalogueError(f"rule set entry {entry}: a red flag's alert has no 'when'; a derived alert needs one")
        everything_but = frozenset({"answers", "points", "scores", "alerts"})
        when = None if is_red_flag else self.cond(raw["when"], entry, everything_but)
        actions = []
        for n, a in enumerate(_require(entry, raw, "actions", list), 1):
            aentry = f"{entry} action {n}"
            _check_keys(aentry, a, {"when", "text", "references"})
            text = a.get("text")
            if text is not None:
                text = self.plain(aentry, text)  # printed as written: no placeholders
            actions.append(Action(None if "when" not in a else self.cond(a["when"], aentry, everything_but | {"tiers"}),
                                  text, self.refs(aentry, a.get("references"))))
        if not actions or actions[-1].when is not None:
            raise CatalogueError(f"rule set entry {entry}: the last action needs no 'when' (the default)")
        return Alert(alert_id, tier, _require(entry, raw, "text", str), when, tuple(actions),
                     self.refs(entry, raw.get("references")))

    def alert_evaluation_order(self, alerts: dict[str, Alert]) -> tuple[str, ...]:
        order: list[str] = []
        state: dict[str, int] = {}

        def visit(alert_id: str, path: tuple[str, ...]) -> None:
            if state.get(alert_id) == 2:
                return
            if state.get(alert_id) == 1:
                raise CatalogueError(f"rule set entry alert {alert_id}: conditions form a cycle ({' -> '.join(path)})")
            state[alert_id] = 1
            when = alerts[alert_id].when
            for other in sorted(when.alerts if when else ()):
                visit(other, (*path, other))
            state[alert_id] = 2
            order.append(alert_id)
        for alert_id in alerts:
            visit(alert_id, (alert_id,))
        return tuple(order)

    def rule(self, raw: Any, n: int, uses: frozenset[str], has_qualify: bool) -> DirectionRule:
        entry = f"direction.rules[{n}]"
        if not isinstance(raw, dict):
            raise CatalogueError(f"rule set entry {entry}: must be an object")
        reason = self.template(entry, raw.get("reason"))
        if "mixed" in raw or "lead" in raw:
            kind = "mixed" if "mixed" in raw else "lead"
            _check_keys(entry, raw, {kind, "reason"})
            if not has_qualify:
                raise CatalogueError(f"rule set entry {entry}: '{kind}' needs direction.qualify")
            spec = _require(entry, raw, kind, dict)
            if kind == "mixed":
                return DirectionRule("mixed", reason, "mixed", within=_require(entry, spec, "within", int),
                                     each_at_least=_require(entry, spec, "each_at_least", int))
            return DirectionRule("lead", reason, margin=_require(entry, spec, "margin", int))
        if "otherwise" in raw:
            _check_keys(entry, raw, {"otherwise", "reason"})
            if raw["otherwise"] not in DIRECTIONS:
                raise CatalogueError(f"rule set entry {entry}: unknown direction")
            return DirectionRule("otherwise", reason, raw["otherwise"])
        _check_keys(entry, raw, {"when", "direction", "sources", "reason"})
        direction = _require(entry, raw, "direction", str)
        if direction not in DIRECTIONS:
            raise CatalogueError(f"rule set entry {entry}: unknown direction {direction!r}")
        sources = raw.get("sources")
        if sources is not None and (not isinstance(sources, list) or any(s not in self.target_ids for s in sources)):
            raise CatalogueError(f"rule set entry {entry}: sources must be targets")
        return DirectionRule("when", reason, direction, when=self.cond(_require(entry, raw, "when", dict), entry, uses),
                             sources=None if sources is None else tuple(sources))

    def steps(self, raw: Any, entry: str, uses: frozenset[str], *, allow_sources: bool) -> tuple[Step, ...]:
        if not isinstance(raw, list):
            raise CatalogueError(f"rule set entry {entry}: must be a list of steps")
        out = []
        for n, s in enumerate(raw, 1):
            sentry = f"{entry}[{n}]"
            if not isinstance(s, dict):
                raise CatalogueError(f"rule set entry {sentry}: must be an object")
            if s.get("first_step_of_sources"):
                _check_keys(sentry, s, {"first_step_of_sources"})
                if not allow_sources:
                    raise CatalogueError(f"rule set entry {sentry}: first_step_of_sources belongs to mixed only")
                out.append(Step(sources_first=True))
                continue
            when = None if "when" not in s else self.cond(s["when"], sentry, uses)
            if "first" in s:
                _check_keys(sentry, s, {"first", "when"})
                out.append(Step(when=when, first=self.steps(s["first"], sentry, uses, allow_sources=False)))
                continue
            _check_keys(sentry, s, {"text", "when", "references", "treatment"})
            out.append(Step(text=self.template(sentry, s.get("text")), when=when,
                            references=self.refs(sentry, s.get("references")),
                            treatment=bool(s.get("treatment", False))))
        return tuple(out)


def _named_items(raw: Any, lists: dict[str, tuple[str, ...]]) -> set[str]:
    """Every item id a raw condition reads (for the editor: which answers change what is asked)."""
    found: set[str] = set()
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key in ("item", "unassessed", "points") and isinstance(value, str):
                found.add(value)
            elif key == "unassessed_any" and value in lists:
                found.update(lists[value])
            elif isinstance(value, (dict, list)):
                found |= _named_items(value, lists)
    elif isinstance(raw, list):
        for value in raw:
            found |= _named_items(value, lists)
    return found


def parse_catalogue(data: Any) -> Catalogue:
    """Build and check a rule set from its decoded JSON."""
    return _Loader(data).parse()


def load_catalogue_file(path: Path) -> Catalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"rule set {path.name}: cannot be read ({exc})") from exc
    catalogue = parse_catalogue(data)
    if path.suffix == ".json" and path.parent == RULESET_DIR and catalogue.ruleset != path.stem:
        raise CatalogueError(f"rule set {path.name}: says it is {catalogue.ruleset!r}")
    return catalogue


_index: dict[str, Any] | None = None
_loaded: dict[str, Catalogue] = {}


def _rule_set_index() -> dict[str, Any]:
    global _index
    if _index is None:
        try:
            index = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"rule set index {INDEX_PATH.name}: cannot be read ({exc})") from exc
        if not isinstance(index, dict) or not isinstance(index.get("rulesets"), list) \
                or index.get("current") not in index["rulesets"]:
            raise CatalogueError(f"rule set index {INDEX_PATH.name}: needs 'rulesets' and a 'current' among them")
        _index = index
    return _index


def known_rulesets() -> tuple[str, ...]:
    return tuple(_rule_set_index()["rulesets"])


def current_ruleset() -> str:
    """The rule set new assessments use (named in resources/rulesets/index.json)."""
    return str(_rule_set_index()["current"])


def load_catalogue(ruleset: str | None = None, language: str | None = None) -> Catalogue:
    """A bundled rule set (the current one by default), loaded and checked once per process.

    ``language`` (a code such as "de") gives the same rules with their wording translated, for
    showing and printing; None or "en" gives the rule set's own wording, which assessments store.
    A translation is checked like the file itself: a template whose placeholders a translator
    changed is refused (CatalogueError), never shown."""
    ruleset = current_ruleset() if ruleset is None else ruleset
    found = _loaded.get(ruleset)
    if found is None:
        if ruleset not in known_rulesets():
            raise UnknownRuleSetError(f"unknown rule set {ruleset!r}; known rule sets: {', '.join(known_rulesets())}")
        found = _loaded[ruleset] = load_catalogue_file(RULESET_DIR / f"{ruleset}.json")
    if language is None or language == i18n.SOURCE_LANGUAGE:
        return found
    key = f"{ruleset}@{language}"
    translated = _loaded.get(key)
    if translated is None:
        data = json.loads((RULESET_DIR / f"{ruleset}.json").read_text(encoding="utf-8"))
        translation = i18n.translation(language)
        try:
            parsed = parse_catalogue(translate_wording(data, translation.gettext))
        except CatalogueError as exc:
            raise CatalogueError(f"rule set {ruleset} in language {language}: {exc}") from exc
        translated = _loaded[key] = dataclasses.replace(parsed, language=language)
    return translated


# The keys whose string values are wording (docs/rulesets.md); everything else is an id, a value
# or a condition. References are citations and stay as published.
WORDING_KEYS = frozenset({"title", "label", "short", "help", "unit", "group_note", "text", "reason", "summary",
                          "word", "closing", "treatment"})
UNTRANSLATED_SECTIONS = frozenset({"references"})


def wording(data: Any) -> Iterator[str]:
    """Every wording string of a decoded rule set, in file order (for extraction)."""
    found: list[str] = []

    def keep(text: str) -> str:
        found.append(text)
        return text
    translate_wording(data, keep)
    yield from found


def translate_wording(data: Any, gettext: Callable[[str], str]) -> Any:
    """A copy of a decoded rule set with every wording string passed through ``gettext``."""
    def walk(value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {k: (v if k in UNTRANSLATED_SECTIONS else walk(v, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in WORDING_KEYS and value:
            return gettext(value)
        return value
    return walk(data, None)
