"""The exam checklist catalogue: items, contributions, alerts, next steps and references.

The clinical content lives in ``resources/checklist.json`` (data, not code). This module loads it,
checks every entry at once, and exposes it as frozen dataclasses. A malformed entry raises
:class:`CatalogueError` naming the entry, so a broken resource never reaches a clinician.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

RESOURCE_DIR = Path(__file__).resolve().parent.parent / "resources"
CHECKLIST_PATH = RESOURCE_DIR / "checklist.json"

TARGETS = ("spinal", "local", "hip")
DIRECTIONS = ("spinal", "local", "hip", "mixed", "indeterminate")
TIERS = ("emergency", "urgent", "priority")  # highest first
ITEM_TYPES = ("yesno", "choice", "number")
YES_NO = ("yes", "no")
# Alerts computed from findings and age rather than answered directly (CHECKLIST.md "Derived alerts").
DERIVED_ALERTS = ("cord_signs", "major_motor_deficit", "ottawa_radiograph", "scfe")

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogueError(ValueError):
    """The checklist resource is malformed; the message names the entry."""


@dataclass(frozen=True)
class AngleRule:
    """Points replace the contribution's when ``item`` is recorded outside [min, max]."""

    item: str
    min: float
    max: float
    points: int


@dataclass(frozen=True)
class Contribution:
    when: tuple[str, ...]
    target: str
    points: int
    angle_outside: AngleRule | None = None


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
    ottawa: bool = False
    alert: bool = False
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    contributions: tuple[Contribution, ...] = ()
    references: tuple[int, ...] = ()

    @property
    def is_number(self) -> bool:
        return self.type == "number"


@dataclass(frozen=True)
class Alert:
    id: str
    tier: str
    text: str
    action: str


@dataclass(frozen=True)
class Level:
    id: str
    nerve: str
    when: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Catalogue:
    ruleset: str
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    alerts: dict[str, Alert]
    levels: tuple[Level, ...]
    direction_labels: dict[str, str]
    direction_summaries: dict[str, str]
    next_steps: dict[str, tuple[str, ...]]
    direction_references: dict[str, tuple[int, ...]]
    references: dict[int, str]
    by_id: dict[str, Item] = field(default_factory=dict)

    def item(self, item_id: str) -> Item:
        return self.by_id[item_id]

    @property
    def key_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.key)

    def section_items(self, section_id: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.section == section_id)


def _require(entry: str, data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in data:
        raise CatalogueError(f"checklist entry {entry}: missing '{name}'")
    value = data[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise CatalogueError(f"checklist entry {entry}: '{name}' has the wrong type")
    return value


def _check_keys(entry: str, data: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise CatalogueError(f"checklist entry {entry}: unknown key(s) {', '.join(unknown)}")


def _parse_contribution(entry: str, item_values: tuple[str, ...], raw: Any) -> Contribution:
    if not isinstance(raw, dict):
        raise CatalogueError(f"checklist entry {entry}: a contribution must be an object")
    _check_keys(entry, raw, {"when", "target", "points", "angle_outside"})
    when = _require(entry, raw, "when", list)
    if not when or any(v not in item_values for v in when):
        raise CatalogueError(f"checklist entry {entry}: contribution 'when' {when!r} is not among {item_values}")
    target = _require(entry, raw, "target", str)
    if target not in TARGETS:
        raise CatalogueError(f"checklist entry {entry}: target {target!r} is not one of {TARGETS}")
    points = _require(entry, raw, "points", int)
    if points == 0:
        raise CatalogueError(f"checklist entry {entry}: a contribution of 0 points says nothing")
    angle = None
    if "angle_outside" in raw:
        a = raw["angle_outside"]
        if not isinstance(a, dict):
            raise CatalogueError(f"checklist entry {entry}: angle_outside must be an object")
        _check_keys(entry, a, {"item", "min", "max", "points"})
        angle = AngleRule(
            item=_require(entry, a, "item", str),
            min=_require(entry, a, "min", (int, float)),
            max=_require(entry, a, "max", (int, float)),
            points=_require(entry, a, "points", int),
        )
    return Contribution(when=tuple(when), target=target, points=points, angle_outside=angle)


_ITEM_KEYS = {
    "id", "section", "type", "values", "key", "ottawa", "alert", "min", "max", "unit",
    "label", "short", "help", "contributions", "references",
}


def _parse_item(raw: Any, sections: set[str], reference_ids: set[int]) -> Item:
    if not isinstance(raw, dict):
        raise CatalogueError("checklist: every item must be an object")
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not _ID_RE.match(item_id):
        raise CatalogueError(f"checklist item {item_id!r}: the id must be lower_snake_case")
    entry = f"item {item_id}"
    _check_keys(entry, raw, _ITEM_KEYS)
    section = _require(entry, raw, "section", str)
    if section not in sections:
        raise CatalogueError(f"checklist entry {entry}: unknown section {section!r}")
    item_type = _require(entry, raw, "type", str)
    if item_type not in ITEM_TYPES:
        raise CatalogueError(f"checklist entry {entry}: type {item_type!r} is not one of {ITEM_TYPES}")
    values: tuple[str, ...] = ()
    minimum = maximum = None
    if item_type == "yesno":
        values = YES_NO
        if "values" in raw:
            raise CatalogueError(f"checklist entry {entry}: a yesno item takes no 'values'")
    elif item_type == "choice":
        raw_values = _require(entry, raw, "values", list)
        if len(raw_values) < 2 or len(set(raw_values)) != len(raw_values) or not all(
            isinstance(v, str) and v for v in raw_values
        ):
            raise CatalogueError(f"checklist entry {entry}: 'values' must be two or more distinct strings")
        values = tuple(raw_values)
    else:
        minimum = _require(entry, raw, "min", (int, float))
        maximum = _require(entry, raw, "max", (int, float))
        if minimum >= maximum:
            raise CatalogueError(f"checklist entry {entry}: min must be below max")
    contributions = tuple(
        _parse_contribution(entry, values, c) for c in raw.get("contributions", [])
    )
    if item_type == "number" and contributions:
        raise CatalogueError(f"checklist entry {entry}: number items carry no points")
    references = tuple(raw.get("references", []))
    for ref in references:
        if ref not in reference_ids:
            raise CatalogueError(f"checklist entry {entry}: unknown reference {ref!r}")
    flags = {name: raw.get(name, False) for name in ("key", "ottawa", "alert")}
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise CatalogueError(f"checklist entry {entry}: '{name}' must be true or false")
    if flags["alert"] and section != "F":
        raise CatalogueError(f"checklist entry {entry}: red flags belong to section F")
    if flags["alert"] and contributions:
        raise CatalogueError(f"checklist entry {entry}: red flags carry no points")
    return Item(
        id=item_id,
        section=section,
        type=item_type,
        label=_require(entry, raw, "label", str),
        short=_require(entry, raw, "short", str),
        help=_require(entry, raw, "help", str),
        values=values,
        key=flags["key"],
        ottawa=flags["ottawa"],
        alert=flags["alert"],
        minimum=minimum,
        maximum=maximum,
        unit=raw.get("unit", ""),
        contributions=contributions,
        references=references,
    )


def parse_catalogue(data: Any) -> Catalogue:
    """Build and check a catalogue from the decoded JSON of ``checklist.json``."""
    if not isinstance(data, dict):
        raise CatalogueError("checklist: the top level must be an object")
    _check_keys("(top level)", data, {
        "ruleset", "sections", "items", "alerts", "levels", "directions", "next_steps",
        "direction_references", "references",
    })
    ruleset = _require("(top level)", data, "ruleset", str)

    references: dict[int, str] = {}
    for raw in _require("(top level)", data, "references", list):
        ref_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(ref_id, int) or ref_id in references or not isinstance(raw.get("text"), str):
            raise CatalogueError(f"checklist reference {ref_id!r}: needs a unique integer id and a text")
        references[ref_id] = raw["text"]

    sections = tuple(
        Section(id=_require("section", s, "id", str), title=_require("section", s, "title", str))
        for s in _require("(top level)", data, "sections", list)
    )
    section_ids = {s.id for s in sections}

    items: list[Item] = []
    by_id: dict[str, Item] = {}
    for raw in _require("(top level)", data, "items", list):
        item = _parse_item(raw, section_ids, set(references))
        if item.id in by_id:
            raise CatalogueError(f"checklist entry item {item.id}: duplicate id")
        items.append(item)
        by_id[item.id] = item
    for item in items:
        for c in item.contributions:
            if c.angle_outside and (c.angle_outside.item not in by_id or not by_id[c.angle_outside.item].is_number):
                raise CatalogueError(f"checklist entry item {item.id}: angle_outside names no number item")
    if len([i for i in items if i.key]) != 4:
        raise CatalogueError("checklist: exactly four items must be marked key")

    alerts: dict[str, Alert] = {}
    for raw in _require("(top level)", data, "alerts", list):
        alert_id = raw.get("id") if isinstance(raw, dict) else None
        entry = f"alert {alert_id}"
        if not isinstance(alert_id, str) or alert_id in alerts:
            raise CatalogueError(f"checklist {entry}: needs a unique id")
        _check_keys(entry, raw, {"id", "tier", "text", "action"})
        tier = _require(entry, raw, "tier", str)
        if tier not in TIERS:
            raise CatalogueError(f"checklist entry {entry}: tier {tier!r} is not one of {TIERS}")
        is_red_flag = alert_id in by_id and by_id[alert_id].alert
        if not is_red_flag and alert_id not in DERIVED_ALERTS:
            raise CatalogueError(f"checklist entry {entry}: neither a red-flag item nor a derived alert")
        alerts[alert_id] = Alert(alert_id, tier, _require(entry, raw, "text", str), _require(entry, raw, "action", str))
    for item in items:
        if item.alert and item.id not in alerts:
            raise CatalogueError(f"checklist entry item {item.id}: red flag without an alert entry")
    for derived in DERIVED_ALERTS:
        if derived not in alerts:
            raise CatalogueError(f"checklist entry alert {derived}: derived alert missing")

    levels = []
    for raw in _require("(top level)", data, "levels", list):
        entry = f"level {raw.get('id') if isinstance(raw, dict) else raw!r}"
        when = _require(entry, raw, "when", dict)
        for item_id, vals in when.items():
            if item_id not in by_id or not isinstance(vals, list) or any(v not in by_id[item_id].values for v in vals):
                raise CatalogueError(f"checklist entry {entry}: condition on {item_id!r} is not valid")
        levels.append(Level(_require(entry, raw, "id", str), _require(entry, raw, "nerve", str),
                            {k: tuple(v) for k, v in when.items()}))

    directions = _require("(top level)", data, "directions", dict)
    next_steps = _require("(top level)", data, "next_steps", dict)
    direction_refs = _require("(top level)", data, "direction_references", dict)
    for d in DIRECTIONS:
        for name, table in (("directions", directions), ("next_steps", next_steps),
                            ("direction_references", direction_refs)):
            if d not in table:
                raise CatalogueError(f"checklist entry {name}.{d}: missing")
        if not isinstance(directions[d], dict) or not {"label", "summary"} <= set(directions[d]):
            raise CatalogueError(f"checklist entry directions.{d}: needs a label and a summary")
        if not next_steps[d] or not all(isinstance(s, str) and s for s in next_steps[d]):
            raise CatalogueError(f"checklist entry next_steps.{d}: needs one or more lines")
        if any(r not in references for r in direction_refs[d]):
            raise CatalogueError(f"checklist entry direction_references.{d}: unknown reference")

    return Catalogue(
        ruleset=ruleset,
        sections=sections,
        items=tuple(items),
        alerts=alerts,
        levels=tuple(levels),
        direction_labels={d: directions[d]["label"] for d in DIRECTIONS},
        direction_summaries={d: directions[d]["summary"] for d in DIRECTIONS},
        next_steps={d: tuple(next_steps[d]) for d in DIRECTIONS},
        direction_references={d: tuple(direction_refs[d]) for d in DIRECTIONS},
        references=references,
        by_id=by_id,
    )


def load_catalogue_file(path: Path) -> Catalogue:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"checklist {path.name}: cannot be read ({exc})") from exc
    return parse_catalogue(data)


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The bundled catalogue, loaded and checked once per process."""
    return load_catalogue_file(CHECKLIST_PATH)
