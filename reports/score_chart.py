"""The three scores over the patient's visits on the printed summary (see reports/follow_up.py)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.platypus import Flowable

from models.i18n import _
from reports.follow_up import FollowUpContent

# The three score lines: a dash pattern and a marker each, so that the chart reads without colour.
LINE_STYLES: Sequence[tuple[tuple[float, ...] | None, str]] = ((None, "circle"), ((3, 2), "square"), ((1, 1.5), "diamond"))


class ScoreChart(Flowable):
    """The three scores at each visit (oldest left), the visit dates under the axis, a dotted vertical
    line and the new rule set's id where the rule set changed, a legend on the right. Drawn on the
    canvas directly, in the summary's own font (PDF/A: every font embedded)."""

    def __init__(self, content: FollowUpContent, width: float, height: float, font: str) -> None:
        super().__init__()
        self.content, self.width, self.height, self.font = content, width, height, font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c, points, targets = self.canv, self.content.chart, self.content.targets
        left, bottom, right = 24.0, 16.0, 90.0
        plot_w, plot_h = self.width - left - right, self.height - bottom - 6
        values = [float(p["scores"].get(t, 0)) for p in points for t, _l in targets] or [0.0]
        low, high = min(0.0, min(values)) - 1, max(1.0, max(values)) + 1

        def xy(index: int, value: float) -> tuple[float, float]:
            n = max(1, len(points) - 1)
            x = left + plot_w * (index / n if len(points) > 1 else 0.5)
            return x, bottom + plot_h * (value - low) / (high - low)

        c.saveState()
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        c.setLineWidth(0.6)
        c.line(left, bottom, left, bottom + plot_h)
        zero = xy(0, 0)[1]
        c.line(left, zero, left + plot_w, zero)
        c.setFont(self.font, 6)
        c.drawRightString(left - 3, zero - 2, "0")
        c.drawRightString(left - 3, bottom + plot_h - 6, f"{int(high - 1)}")
        c.drawRightString(left - 3, bottom, f"{int(low + 1)}")
        for index, point in enumerate(points):
            x = xy(index, 0)[0]
            c.drawCentredString(x, bottom - 9, str(point["date"]))
            if point.get("ruleset_changed"):
                middle = (xy(index - 1, 0)[0] + x) / 2 if index else left
                c.setDash(1, 2)
                c.line(middle, bottom, middle, bottom + plot_h)
                c.setDash()
                c.drawString(middle + 2, bottom + plot_h - 6, _("rule set {ruleset}").format(ruleset=point['ruleset']))
        for n, (target, label) in enumerate(targets):
            dash, marker = LINE_STYLES[n % len(LINE_STYLES)]
            line = [xy(i, float(p["scores"].get(target, 0))) for i, p in enumerate(points)]
            c.setLineWidth(1)
            c.setDash(*dash) if dash else c.setDash()
            for (x1, y1), (x2, y2) in zip(line, line[1:], strict=False):
                c.line(x1, y1, x2, y2)
            c.setDash()
            for x, y in line:
                self._marker(marker, x, y)
            ly = bottom + plot_h - 4 - n * 10
            lx = self.width - right + 10
            c.setDash(*dash) if dash else c.setDash()
            c.line(lx, ly + 2, lx + 16, ly + 2)
            c.setDash()
            self._marker(marker, lx + 8, ly + 2)
            c.drawString(lx + 20, ly, label)
        c.restoreState()

    def _marker(self, kind: str, x: float, y: float) -> None:
        c, r = self.canv, 1.8
        if kind == "circle":
            c.circle(x, y, r, stroke=1, fill=1)
        elif kind == "square":
            c.rect(x - r, y - r, 2 * r, 2 * r, stroke=1, fill=1)
        else:
            path = c.beginPath()
            path.moveTo(x, y + r + 0.5)
            path.lineTo(x + r + 0.5, y)
            path.lineTo(x, y - r - 0.5)
            path.lineTo(x - r - 0.5, y)
            path.close()
            c.drawPath(path, stroke=1, fill=0)


def score_chart(content: FollowUpContent, width: float, height: float, font: str) -> Flowable:
    return ScoreChart(content, width, height, font)
