""""Since the visit of DATE" on the printed summary: the findings that changed, the direction,
urgency and scores then and now, and the three scores over the patient's visits as a small chart,
readable in black and white (a line style and a marker per score, the rule-set changes marked).

Its input is :meth:`models.follow_up.FollowUp.to_dict` (plain data); the words come from the rule sets.
No ReportLab here (the window shows the same words): the chart is reports/score_chart.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.catalogue import Catalogue, UnknownRuleSetError, load_catalogue


@dataclass(frozen=True)
class FollowUpContent:
    since_date: str
    rows: tuple[tuple[str, str, str], ...]     # finding, then, now
    direction: tuple[str, str]                 # then, now
    urgency: tuple[str, str]
    scores: tuple[str, str]
    targets: tuple[tuple[str, str], ...]       # (id, label) in the rule set's order
    chart: tuple[Mapping[str, Any], ...]
    draft: bool = False                        # this visit is not signed yet: "so far", not "now"
    # A draft's findings recorded last time and not (yet) this time, kept out of ``rows`` (right after
    # "New encounter" that is every finding): the red flags that were present last time first, named.
    flags_not_asked_yet: tuple[str, ...] = ()  # "History of cancer (Yes last time)"
    not_assessed_yet: tuple[str, ...] = ()

    @property
    def now_word(self) -> str:
        return "So far" if self.draft else "Now"


def _catalogue(ruleset: str, fallback: Catalogue) -> Catalogue:
    try:
        return load_catalogue(ruleset)
    except UnknownRuleSetError:
        return fallback


def _answer(value: Any, unit: str) -> str:
    if value is None:
        return "not assessed"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g} {unit}".strip()
    text = str(value)
    return text[:1].upper() + text[1:]


def follow_up_content(data: Mapping[str, Any], catalogue: Catalogue) -> FollowUpContent:
    """The words of the section, from the comparison and the rule set of the encounter printed (the
    earlier visit's words from its own rule set where an item is only there)."""
    then_catalogue = _catalogue(str(data["then"].get("ruleset") or ""), catalogue)
    draft = not data.get("final", True)
    rows, flags, pending = [], [], []
    for change in data["changes"]:
        item = catalogue.by_id.get(change["item"]) or then_catalogue.by_id.get(change["item"])
        label, unit = (item.short, item.unit) if item is not None else (change["item"], "")
        if draft and change["now"] is None:
            if item is not None and item.red_flag and change["then"] != item.absent_value:
                flags.append(f"{label} ({_answer(change['then'], unit)} last time)")
            else:
                pending.append(label)
            continue
        rows.append((label, _answer(change["then"], unit), _answer(change["now"], unit)))
    targets = tuple((t.id, t.label) for t in catalogue.targets)

    def direction(side: Mapping[str, Any], words: Catalogue) -> str:
        value = side.get("direction")
        return words.direction_label(str(value)) if value else "not recorded"

    def urgency(side: Mapping[str, Any], words: Catalogue) -> str:
        value = str(side.get("urgency") or "")
        return words.tier_labels.get(value, value or "not recorded").lower() if value != "routine" else "routine"

    def scores(side: Mapping[str, Any]) -> str:
        values = side.get("scores") or {}
        return ", ".join(f"{label.lower()} {values.get(tid, 0)}" for tid, label in targets)

    then, now = data["then"], data["now"]
    return FollowUpContent(
        since_date=str(data["since_date"]), rows=tuple(rows),
        direction=(direction(then, then_catalogue), direction(now, catalogue)),
        urgency=(urgency(then, then_catalogue), urgency(now, catalogue)),
        scores=(scores(then), scores(now)), targets=targets, chart=tuple(data["chart"]), draft=draft,
        flags_not_asked_yet=tuple(flags), not_assessed_yet=tuple(pending))
