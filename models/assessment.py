"""The assessment: alerts and urgency, the three sums, the direction, nerve levels and next steps.

Pure functions over plain data, exactly to CHECKLIST.md "The assessment". Red flags are checked
first; an alert never hides the direction. No probability is ever computed or shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.case import Case, FindingValue, age_on
from models.catalogue import TARGETS, TIERS, Catalogue, Item, load_catalogue

HIP_SCREEN_AGES = range(8, 16)  # 8 to 15 inclusive
OTTAWA_AGE = 55
KEY_ITEMS_NEEDED = 3


@dataclass(frozen=True)
class ContributionResult:
    item: str
    value: FindingValue
    target: str
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "value": self.value, "target": self.target, "points": self.points}


@dataclass(frozen=True)
class AlertResult:
    id: str
    tier: str
    text: str
    action: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "tier": self.tier, "text": self.text}


@dataclass(frozen=True)
class Assessment:
    ruleset: str
    direction: str
    urgency: str
    scores: dict[str, int]
    alerts: tuple[AlertResult, ...]
    levels: tuple[str, ...]
    contributions: tuple[ContributionResult, ...]
    not_assessed: tuple[str, ...]
    reason: str
    next_steps: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``assess`` output of PRODUCT.md, also what an encounter stores."""
        return {
            "ruleset": self.ruleset,
            "direction": self.direction,
            "urgency": self.urgency,
            "scores": dict(self.scores),
            "alerts": [a.to_dict() for a in self.alerts],
            "levels": list(self.levels),
            "contributions": [c.to_dict() for c in self.contributions],
            "not_assessed": list(self.not_assessed),
            "reason": self.reason,
            "next_steps": list(self.next_steps),
        }


def item_points(item: Item, value: FindingValue, findings: Mapping[str, FindingValue]) -> list[tuple[str, int]]:
    """The (target, points) pairs one answered item contributes."""
    out = []
    for c in item.contributions:
        if value not in c.when:
            continue
        points = c.points
        rule = c.angle_outside
        if rule is not None:
            angle = findings.get(rule.item)
            if isinstance(angle, (int, float)) and not rule.min <= angle <= rule.max:
                points = rule.points
        out.append((c.target, points))
    return out


def _is_yes(findings: Mapping[str, FindingValue], item_id: str) -> bool:
    return findings.get(item_id) == "yes"


def derived_alerts(findings: Mapping[str, FindingValue], age: int | None, catalogue: Catalogue) -> list[str]:
    """Ids of the derived alerts that hold (CHECKLIST.md "Derived alerts")."""
    holds: list[str] = []
    if findings.get("patellar_reflex") == "brisk":
        holds.append("cord_signs")
    if findings.get("motor_weakness") == "marked":
        holds.append("major_motor_deficit")
    if _is_yes(findings, "recent_trauma"):
        ottawa_items = [i.id for i in catalogue.items if i.ottawa]
        if (age is not None and age >= OTTAWA_AGE) or any(_is_yes(findings, i) for i in ottawa_items):
            holds.append("ottawa_radiograph")
    if age is not None and age in HIP_SCREEN_AGES and (
        _is_yes(findings, "hip_rotation_limited") or _is_yes(findings, "hip_rotation_reproduces")
    ):
        holds.append("scfe")
    return holds


def direction_for(scores: Mapping[str, int], keys_assessed: int) -> str:
    s, loc, h = scores["spinal"], scores["local"], scores["hip"]
    if keys_assessed < KEY_ITEMS_NEEDED:
        return "indeterminate"
    if h >= 3 and h >= s and h >= loc:
        return "hip"
    if s >= 4 and loc >= 4:
        return "mixed"
    if s >= 3 and s - loc >= 2:
        return "spinal"
    if loc >= 3 and loc - s >= 2:
        return "local"
    return "indeterminate"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _reason(direction: str, scores: Mapping[str, int], missing_keys: list[Item],
            contributions: list[ContributionResult], catalogue: Catalogue) -> str:
    s, loc, h = scores["spinal"], scores["local"], scores["hip"]
    tally = f"spinal {s}, local {loc}, hip {h}"

    def strongest(target: str) -> str:
        named = [c for c in contributions if c.target == target and c.points > 0]
        named.sort(key=lambda c: -c.points)
        return _join([catalogue.item(c.item).short.lower() for c in named[:3]])

    if direction == "indeterminate" and len(missing_keys) > 4 - KEY_ITEMS_NEEDED:
        assessed = 4 - len(missing_keys)
        names = _join([k.short.lower() for k in missing_keys])
        return f"Only {assessed} of the 4 key items assessed; missing: {names}. Complete them to get a direction ({tally})."
    if direction == "hip":
        return f"Hip findings are at least as strong as spinal and local findings ({tally}): {strongest('hip')}."
    if direction == "mixed":
        return (f"Both spinal and local knee findings are substantial ({tally}). "
                f"Spinal: {strongest('spinal')}. Local: {strongest('local')}.")
    if direction == "spinal":
        return f"Spinal findings outweigh local knee findings by {s - loc} ({tally}): {strongest('spinal')}."
    if direction == "local":
        return f"Local knee findings outweigh spinal findings by {loc - s} ({tally}): {strongest('local')}."
    return f"Findings are weak or balanced ({tally}); no source reaches the threshold for a direction."


def assess_findings(findings: Mapping[str, FindingValue], age: int | None,
                    catalogue: Catalogue | None = None) -> Assessment:
    """Assess validated findings for a patient of ``age`` years (``None`` when unknown)."""
    catalogue = catalogue or load_catalogue()

    contributions: list[ContributionResult] = []
    scores = dict.fromkeys(TARGETS, 0)
    for item in catalogue.items:
        value = findings.get(item.id)
        if value is None:
            continue
        for target, points in item_points(item, value, findings):
            contributions.append(ContributionResult(item.id, value, target, points))
            scores[target] += points

    alert_ids = [i.id for i in catalogue.items if i.alert and _is_yes(findings, i.id)]
    alert_ids += derived_alerts(findings, age, catalogue)
    tier_rank = {t: n for n, t in enumerate(TIERS)}
    alerts = sorted(
        (AlertResult(a.id, a.tier, a.text, a.action) for a in (catalogue.alerts[i] for i in alert_ids)),
        key=lambda a: (tier_rank[a.tier], a.id),
    )
    urgency = alerts[0].tier if alerts else "routine"

    missing_keys = [i for i in catalogue.key_items if findings.get(i.id) is None]
    direction = direction_for(scores, len(catalogue.key_items) - len(missing_keys))

    levels = tuple(
        level.id for level in catalogue.levels
        if any(findings.get(item_id) in values for item_id, values in level.when.items())
    )

    not_assessed = _not_assessed(findings, age, missing_keys, catalogue)

    reason = _reason(direction, scores, missing_keys, contributions, catalogue)
    child_hip_missing = age is not None and age in HIP_SCREEN_AGES and any(
        findings.get(i.id) is None for i in catalogue.section_items("E")
    )
    if child_hip_missing:
        reason += (" Hip screen not assessed: at ages 8-15 hip disease such as a slipped capital"
                   " femoral epiphysis often presents as knee pain.")

    seen: set[str] = set()
    next_steps: list[str] = []
    for line in [a.action for a in alerts] + list(catalogue.next_steps[direction]):
        if line not in seen:  # several cauda equina flags share one action
            seen.add(line)
            next_steps.append(line)

    return Assessment(
        ruleset=catalogue.ruleset,
        direction=direction,
        urgency=urgency,
        scores=scores,
        alerts=tuple(alerts),
        levels=levels,
        contributions=tuple(contributions),
        not_assessed=not_assessed,
        reason=reason,
        next_steps=tuple(next_steps),
    )


def _not_assessed(findings: Mapping[str, FindingValue], age: int | None,
                  missing_keys: list[Item], catalogue: Catalogue) -> tuple[str, ...]:
    """Missing key items first; for ages 8-15 the hip screen next; then the rest of sections B-E.

    Ottawa items count only after recent trauma and the SLR angle only with a positive SLR: they
    are follow-up questions, not omissions, otherwise.
    """
    def relevant(item: Item) -> bool:
        if item.ottawa:
            return _is_yes(findings, "recent_trauma")
        if item.id == "slr_angle":
            return findings.get("slr") == "positive"
        return True

    rest = [i for i in catalogue.items
            if i.section in ("B", "C", "D", "E") and not i.key and findings.get(i.id) is None and relevant(i)]
    if age is not None and age in HIP_SCREEN_AGES:
        rest.sort(key=lambda i: i.section != "E")  # stable: hip screen first, checklist order kept
    return tuple(i.id for i in missing_keys) + tuple(i.id for i in rest)


def assess(case: Case, catalogue: Catalogue | None = None) -> Assessment:
    """Assess a validated case."""
    return assess_findings(case.findings, case.age_years, catalogue)


def age_for(birth_date: dt.date | None, encounter_date: dt.date) -> int | None:
    return None if birth_date is None else age_on(birth_date, encounter_date)
