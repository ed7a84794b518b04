"""Conditions written as data in a rule-set file, compiled once into small predicates.

A rule set says *when* a contribution is modified, an alert holds, a direction is chosen or a
next-step line prints with conditions such as ``{"item": "fever", "is": ["yes"]}`` or
``{"age": {"ge": 65}}`` (docs/rulesets.md lists every form). :func:`compile_condition` checks a
condition against the rule set it belongs to and turns it into a function of a :class:`Facts`;
a malformed one raises :class:`CatalogueError` naming the entry, so a broken rule set never loads.

"Not assessed" is never "no": a condition on an answer holds only when that answer was given.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

FindingValue = str | int | float

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}


class CatalogueError(ValueError):
    """The rule-set resource is malformed; the message names the entry."""


@dataclass
class Facts:
    """What a condition may look at. Later phases fill in more (scores, alerts, flags)."""

    findings: Mapping[str, FindingValue]
    age: int | None
    knee: str | None
    points: dict[str, int] = field(default_factory=dict)        # item -> its listed points
    scores: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, bool] = field(default_factory=dict)       # filled in dependency order
    tiers: set[str] = field(default_factory=set)
    flags: dict[str, bool] = field(default_factory=dict)
    keys_assessed: int | None = None


Predicate = Callable[[Facts], bool]


class RuleSetNames(Protocol):
    """What compiling a condition checks names against (the rule set being loaded)."""

    def item_values(self, item_id: str) -> tuple[str, ...] | None: ...  # None: unknown item
    def is_number(self, item_id: str) -> bool: ...
    def has_alert(self, alert_id: str) -> bool: ...
    def has_tier(self, tier: str) -> bool: ...
    def has_target(self, target: str) -> bool: ...
    def has_flag(self, name: str) -> bool: ...
    def has_list(self, name: str) -> bool: ...
    def list_items(self, name: str) -> tuple[str, ...]: ...
    def definition(self, name: str) -> Compiled | None: ...


@dataclass(frozen=True)
class Compiled:
    test: Predicate
    uses: frozenset[str]   # the phases it reads: "answers", "points", "scores", "alerts", "flags", "keys"
    alerts: frozenset[str] = frozenset()  # alert ids it reads (for ordering alerts)


_KNEES = ("left", "right", "both")


def _bounds(entry: str, raw: Mapping[str, Any], allowed: set[str]) -> list[tuple[Callable[[Any, Any], bool], float]]:
    ops = [(k, v) for k, v in raw.items() if k in COMPARISONS]
    for k, v in ops:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise CatalogueError(f"rule set entry {entry}: '{k}' must be a number")
    unknown = set(raw) - allowed - set(COMPARISONS)
    if unknown:
        raise CatalogueError(f"rule set entry {entry}: unknown key(s) {', '.join(sorted(unknown))} in a condition")
    if not ops:
        raise CatalogueError(f"rule set entry {entry}: a comparison needs one of lt, le, gt, ge")
    return [(COMPARISONS[k], v) for k, v in ops]


def compile_condition(raw: Any, entry: str, names: RuleSetNames) -> Compiled:
    """Check ``raw`` against the rule set and compile it; errors name ``entry``."""
    if not isinstance(raw, dict) or not raw:
        raise CatalogueError(f"rule set entry {entry}: a condition must be a non-empty object")

    def sub(items: Any, word: str) -> list[Compiled]:
        if not isinstance(items, list) or not items:
            raise CatalogueError(f"rule set entry {entry}: '{word}' needs a non-empty list of conditions")
        return [compile_condition(c, entry, names) for c in items]

    def only(*keys: str) -> None:
        unknown = set(raw) - set(keys)
        if unknown:
            raise CatalogueError(f"rule set entry {entry}: unknown key(s) {', '.join(sorted(unknown))} in a condition")

    def merge(parts: list[Compiled]) -> tuple[frozenset[str], frozenset[str]]:
        return (frozenset().union(*(p.uses for p in parts)), frozenset().union(*(p.alerts for p in parts)))

    if "all" in raw or "any" in raw:
        word = "all" if "all" in raw else "any"
        only(word)
        parts = sub(raw[word], word)
        tests = tuple(p.test for p in parts)
        uses, alerts = merge(parts)
        if word == "all":
            return Compiled(lambda f: all(t(f) for t in tests), uses, alerts)
        return Compiled(lambda f: any(t(f) for t in tests), uses, alerts)
    if "not" in raw:
        only("not")
        inner = compile_condition(raw["not"], entry, names)
        test = inner.test
        return Compiled(lambda f: not test(f), inner.uses, inner.alerts)

    if "item" in raw:
        item_id = raw["item"]
        values = names.item_values(item_id) if isinstance(item_id, str) else None
        if values is None:
            raise CatalogueError(f"rule set entry {entry}: condition names unknown item {item_id!r}")
        if "is" in raw:
            only("item", "is")
            wanted = raw["is"]
            if not isinstance(wanted, list) or not wanted or any(v not in values for v in wanted):
                raise CatalogueError(f"rule set entry {entry}: {item_id} 'is' {wanted!r} is not among {values}")
            allowed = frozenset(wanted)
            return Compiled(lambda f: f.findings.get(item_id) in allowed, frozenset({"answers"}))
        if not names.is_number(item_id):
            raise CatalogueError(f"rule set entry {entry}: {item_id} is not a number item; compare with 'is'")
        checks = _bounds(entry, raw, {"item"})

        def compare(f: Facts) -> bool:
            v = f.findings.get(item_id)
            return isinstance(v, (int, float)) and not isinstance(v, bool) and all(op(v, n) for op, n in checks)
        return Compiled(compare, frozenset({"answers"}))

    if "unassessed" in raw:
        only("unassessed")
        item_id = raw["unassessed"]
        if not isinstance(item_id, str) or names.item_values(item_id) is None:
            raise CatalogueError(f"rule set entry {entry}: condition names unknown item {item_id!r}")
        return Compiled(lambda f: f.findings.get(item_id) is None, frozenset({"answers"}))

    if "unassessed_any" in raw:
        only("unassessed_any")
        name = raw["unassessed_any"]
        if not isinstance(name, str) or not names.has_list(name):
            raise CatalogueError(f"rule set entry {entry}: condition names unknown list {name!r}")
        ids = names.list_items(name)
        return Compiled(lambda f: any(f.findings.get(i) is None for i in ids), frozenset({"answers"}))

    if "age" in raw:
        only("age")
        if not isinstance(raw["age"], dict):
            raise CatalogueError(f"rule set entry {entry}: 'age' must be an object of bounds")
        checks = _bounds(entry, raw["age"], set())
        return Compiled(lambda f: f.age is not None and all(op(f.age, n) for op, n in checks), frozenset({"answers"}))

    if "knee" in raw:
        only("knee")
        knees = raw["knee"]
        if not isinstance(knees, list) or not knees or any(k not in _KNEES for k in knees):
            raise CatalogueError(f"rule set entry {entry}: 'knee' must list some of {_KNEES}")
        allowed_knees = frozenset(knees)
        return Compiled(lambda f: f.knee in allowed_knees, frozenset({"answers"}))

    if "alert" in raw:
        only("alert")
        alert_id = raw["alert"]
        if not isinstance(alert_id, str) or not names.has_alert(alert_id):
            raise CatalogueError(f"rule set entry {entry}: condition names unknown alert {alert_id!r}")
        return Compiled(lambda f: f.alerts[alert_id], frozenset({"alerts"}), frozenset({alert_id}))

    if "tier" in raw:
        only("tier")
        tiers = raw["tier"]
        if not isinstance(tiers, list) or not tiers or any(not names.has_tier(t) for t in tiers):
            raise CatalogueError(f"rule set entry {entry}: 'tier' must list known tiers")
        wanted_tiers = frozenset(tiers)
        return Compiled(lambda f: bool(f.tiers & wanted_tiers), frozenset({"tiers"}))

    if "score" in raw:
        target = raw["score"]
        if not isinstance(target, str) or not names.has_target(target):
            raise CatalogueError(f"rule set entry {entry}: condition names unknown score {target!r}")
        minus = raw.get("minus")
        if minus is not None and (not isinstance(minus, str) or not names.has_target(minus)):
            raise CatalogueError(f"rule set entry {entry}: 'minus' names unknown score {minus!r}")
        checks = _bounds(entry, raw, {"score", "minus"})

        def score(f: Facts) -> bool:
            value = f.scores[target] - (f.scores[minus] if minus else 0)
            return all(op(value, n) for op, n in checks)
        return Compiled(score, frozenset({"scores"}))

    if "points" in raw:
        item_id = raw["points"]
        if not isinstance(item_id, str) or names.item_values(item_id) is None:
            raise CatalogueError(f"rule set entry {entry}: condition names unknown item {item_id!r}")
        checks = _bounds(entry, raw, {"points"})

        def points(f: Facts) -> bool:
            value = f.points.get(item_id)
            return value is not None and all(op(value, n) for op, n in checks)
        return Compiled(points, frozenset({"points"}))

    if "keys_assessed" in raw:
        only("keys_assessed")
        if not isinstance(raw["keys_assessed"], dict):
            raise CatalogueError(f"rule set entry {entry}: 'keys_assessed' must be an object of bounds")
        checks = _bounds(entry, raw["keys_assessed"], set())

        def keys(f: Facts) -> bool:
            assert f.keys_assessed is not None
            return all(op(f.keys_assessed, n) for op, n in checks)
        return Compiled(keys, frozenset({"keys"}))

    if "flag" in raw:
        only("flag")
        name = raw["flag"]
        if not isinstance(name, str) or not names.has_flag(name):
            raise CatalogueError(f"rule set entry {entry}: condition names unknown flag {name!r}")
        return Compiled(lambda f: f.flags[name], frozenset({"flags"}))

    if "def" in raw:
        only("def")
        name = raw["def"]
        found = names.definition(name) if isinstance(name, str) else None
        if found is None:
            raise CatalogueError(f"rule set entry {entry}: condition names unknown definition {name!r}")
        return found

    raise CatalogueError(f"rule set entry {entry}: unknown condition {sorted(raw)!r}")
