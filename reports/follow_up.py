""""Since the visit of DATE" on the printed summary: the findings that changed, the direction,
urgency and scores then and now, and the three scores over the patient's visits as a small chart,
readable in black and white (a line style and a marker per score, the rule-set changes marked).

Its input is :meth:`models.follow_up.FollowUp.to_dict` (plain data); the words come from the rule sets.
No ReportLab here (the window shows the same words): the chart is reports/score_chart.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models import i18n
from models.catalogue import Catalogue, UnknownRuleSetError, load_catalogue
from models.i18n import _, pgettext


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
        return _("So far") if self.draft else _("Now")


def _catalogue(ruleset: str, fallback: Catalogue) -> Catalogue:
    try:
        return load_catalogue(ruleset, fallback.language)
    except UnknownRuleSetError:
        return fallback


def _answer(value: Any, unit: str, catalogue: Catalogue) -> str:
    if value is None:
        return _("not assessed")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{i18n.format_number(value)} {unit}".strip()
    return catalogue.value_label(str(value))


def _date_words(value: Any) -> str:
    try:
        return i18n.format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


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
                flags.append(_("{item} ({answer} last time)").format(item=label, answer=_answer(change['then'], unit, catalogue)))
            else:
                pending.append(label)
            continue
        rows.append((label, _answer(change["then"], unit, catalogue), _answer(change["now"], unit, catalogue)))
    targets = tuple((t.id, t.label) for t in catalogue.targets)

    def direction(side: Mapping[str, Any], words: Catalogue) -> str:
        value = side.get("direction")
        return words.direction_label(str(value)) if value else _("not recorded")

    def urgency(side: Mapping[str, Any], words: Catalogue) -> str:
        value = str(side.get("urgency") or "")
        if value == "routine":
            return pgettext("urgency", "routine")
        return words.in_sentence(words.tier_labels.get(value, value or _("not recorded")))

    def scores(side: Mapping[str, Any]) -> str:
        values = side.get("scores") or {}
        return ", ".join(f"{catalogue.in_sentence(label)} {values.get(tid, 0)}" for tid, label in targets)

    then, now = data["then"], data["now"]
    return FollowUpContent(
        since_date=_date_words(data["since_date"]), rows=tuple(rows),
        direction=(direction(then, then_catalogue), direction(now, catalogue)),
        urgency=(urgency(then, then_catalogue), urgency(now, catalogue)),
        scores=(scores(then), scores(now)), targets=targets, chart=tuple(data["chart"]), draft=draft,
        flags_not_asked_yet=tuple(flags), not_assessed_yet=tuple(pending))
