""""Since the visit of DATE" on the printed summary: the findings that changed, the direction,
urgency and scores then and now, and the three scores over the patient's visits as a small chart,
readable in black and white (a line style and a marker per score, the rule-set changes marked).

Its input is :meth:`models.follow_up.FollowUp.to_dict` (plain data); the words come from the rule sets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    rows = []
    for change in data["changes"]:
        item = catalogue.by_id.get(change["item"]) or then_catalogue.by_id.get(change["item"])
        label, unit = (item.short, item.unit) if item is not None else (change["item"], "")
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
        scores=(scores(then), scores(now)), targets=targets, chart=tuple(data["chart"]))


# The three score lines: a dash pattern and a marker each, so that the chart reads without colour.
LINE_STYLES: Sequence[tuple[tuple[float, ...] | None, str]] = ((None, "FilledCircle"), ((3, 2), "FilledSquare"),
                                                               ((1, 1.5), "FilledDiamond"))


def score_chart(content: FollowUpContent, width: float, height: float, font: str) -> Any:
    """A ReportLab Drawing: the three scores at each visit (oldest left), a dashed vertical line and
    the new rule set's id where the rule set changed, the visit dates under the axis."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.graphics.widgets.markers import makeMarker
    from reportlab.lib import colors

    points = content.chart
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 28, 22
    plot.width, plot.height = width - 110, height - 32
    series = []
    for target_id, _label in content.targets:
        series.append([(n, float(p["scores"].get(target_id, 0))) for n, p in enumerate(points)])
    plot.data = series
    values = [v for line in series for _n, v in line] or [0.0]
    low, high = min(0.0, min(values)), max(1.0, max(values))
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low - 1, high + 1
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.3, max(1, len(points) - 1) + 0.3
    plot.xValueAxis.valueSteps = list(range(len(points)))
    plot.xValueAxis.labelTextFormat = lambda n: str(points[int(round(n))]["date"]) if 0 <= round(n) < len(points) else ""
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    plot.yValueAxis.labelTextFormat = "%d"
    for n, (dash, marker) in enumerate(LINE_STYLES[:len(series)]):
        plot.lines[n].strokeColor = colors.black
        plot.lines[n].strokeWidth = 1
        plot.lines[n].strokeDashArray = dash
        plot.lines[n].symbol = makeMarker(marker, size=3.5)
    drawing.add(plot)
    for n, p in enumerate(points):
        if p.get("ruleset_changed"):
            x = plot.x + plot.width * ((n - 0.5) - plot.xValueAxis.valueMin) / (plot.xValueAxis.valueMax
                                                                                  - plot.xValueAxis.valueMin)
            drawing.add(Line(x, plot.y, x, plot.y + plot.height, strokeColor=colors.black, strokeWidth=0.5,
                             strokeDashArray=(1, 2)))
            drawing.add(String(x + 1.5, plot.y + plot.height - 6, f"rule set {p['ruleset']}", fontName=font,
                               fontSize=5.5))
    for n, (_target, label) in enumerate(content.targets[:len(LINE_STYLES)]):
        y = plot.y + plot.height - 8 - n * 11
        dash, marker = LINE_STYLES[n]
        drawing.add(Line(width - 76, y + 2, width - 60, y + 2, strokeColor=colors.black, strokeWidth=1,
                         strokeDashArray=dash))
        symbol = makeMarker(marker, size=3.5)
        symbol.x, symbol.y = width - 68, y + 2
        drawing.add(symbol)
        drawing.add(String(width - 56, y, label, fontName=font, fontSize=6))
    return drawing
