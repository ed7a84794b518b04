""""Since the visit of DATE" in the assessment panel: the findings that changed, direction, urgency and
scores then and now, and a small chart of the three scores over the patient's visits (a line style and
marker per score, so that it reads without colour; the rule-set changes marked). Built when a patient
with an earlier visit is first shown. Its input is models.follow_up.FollowUp.to_dict (plain data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from models.catalogue import Catalogue


def tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPanel", text)


translate = QCoreApplication.translate


PEN_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


class ScoreChart(QWidget):
    """The three scores at each visit, oldest left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_chart")
        self.points: Sequence[Mapping[str, Any]] = ()
        self.targets: Sequence[tuple[str, str]] = ()
        self.setMinimumHeight(120)
        self.setAccessibleName(translate("AssessmentPanel", "Scores over the visits"))

    def sizeHint(self) -> QSize:
        return QSize(300, 130)

    def show_points(self, points: Sequence[Mapping[str, Any]], targets: Sequence[tuple[str, str]]) -> None:
        self.points, self.targets = points, targets
        lines = [f"{p['date']}: " + ", ".join(f"{label} {p['scores'].get(t, 0)}" for t, label in targets)
                 + (f" ({translate('AssessmentPanel', 'rule set')} {p['ruleset']})" if p.get("ruleset_changed") else "") for p in points]
        self.setAccessibleDescription("; ".join(lines))
        self.update()

    def plot_area(self) -> QRectF:
        """Room on the left for half a date label, on the right for the legend."""
        metrics = self.fontMetrics()
        date = metrics.horizontalAdvance("2026-12-31")
        legend = max((metrics.horizontalAdvance(label) for _t, label in self.targets), default=0) + 36
        left, right = max(26, date / 2 + 2), max(legend, date / 2 + 2)
        return QRectF(left, 8, max(10, self.width() - left - right), max(10, self.height() - 30))

    def position(self, index: int, value: float, low: float, high: float) -> QPointF:
        area = self.plot_area()
        n = max(1, len(self.points) - 1)
        x = area.left() + area.width() * (index / n if len(self.points) > 1 else 0.5)
        y = area.bottom() - area.height() * (value - low) / (high - low)
        return QPointF(x, y)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.points:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        values = [float(p["scores"].get(t, 0)) for p in self.points for t, _l in self.targets] or [0.0]
        low, high = min(0.0, min(values)) - 1, max(1.0, max(values)) + 1
        area = self.plot_area()
        painter.setPen(QPen(ink, 1))
        painter.drawLine(area.bottomLeft(), area.topLeft())
        zero = self.position(0, 0, low, high).y()
        painter.drawLine(QPointF(area.left(), zero), QPointF(area.right(), zero))
        painter.drawText(QRectF(0, zero - 8, 22, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "0")
        for index, point in enumerate(self.points):
            x = self.position(index, 0, low, high).x()
            painter.drawText(QRectF(x - 40, area.bottom() + 4, 80, 16), Qt.AlignmentFlag.AlignHCenter, str(point["date"]))
            if point.get("ruleset_changed"):
                painter.setPen(QPen(ink, 1, Qt.PenStyle.DotLine))
                left = self.position(index - 1, 0, low, high).x() if index else area.left()
                middle = (left + x) / 2
                painter.drawLine(QPointF(middle, area.top()), QPointF(middle, area.bottom()))
                painter.drawText(QPointF(middle + 2, area.top() + 10), str(point["ruleset"]))
                painter.setPen(QPen(ink, 1))
        for n, (target, label) in enumerate(self.targets):
            pen = QPen(ink, 1.6, PEN_STYLES[n % len(PEN_STYLES)])
            painter.setPen(pen)
            positions = [self.position(i, float(p["scores"].get(target, 0)), low, high) for i, p in enumerate(self.points)]
            for a, b in zip(positions, positions[1:], strict=False):
                painter.drawLine(a, b)
            painter.setPen(QPen(ink, 1))
            for p in positions:
                if n == 0:
                    painter.setBrush(ink)
                    painter.drawEllipse(p, 2.5, 2.5)
                elif n == 1:
                    painter.setBrush(ink)
                    painter.drawRect(QRectF(p.x() - 2.5, p.y() - 2.5, 5, 5))
                else:
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(p, 3, 3)
            y = area.top() + 6 + n * 16
            painter.setPen(pen)
            painter.drawLine(QPointF(area.right() + 8, y), QPointF(area.right() + 26, y))
            painter.setPen(QPen(ink, 1))
            painter.drawText(QPointF(area.right() + 30, y + 4), label)
        painter.end()


class FollowUpBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.changes_label = QLabel()
        self.changes_label.setObjectName("follow_up_changes")
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = ScoreChart()
        layout.addWidget(self.changes_label)
        layout.addWidget(self.chart)

    def show_follow_up(self, data: Mapping[str, Any], catalogue: Catalogue) -> None:
        from reports.follow_up import follow_up_content  # plain words, shared with the summary

        content = follow_up_content(data, catalogue)
        self.setTitle(translate("AssessmentPanel", "Since the visit of {date}").format(date=content.since_date))
        lines = []
        if content.flags_not_asked_yet:  # a red flag present last time, not asked yet: first, marked
            lines.append("\u26a0 " + translate("AssessmentPanel", "Red flags present last time, not asked yet: {flags}").format(
                flags="; ".join(content.flags_not_asked_yet)))
        lines += [f"{label}: {then} \u2192 {now}" for label, then, now in content.rows] \
            or [translate("AssessmentPanel", "No finding changed so far.") if content.draft else translate("AssessmentPanel", "No finding changed.")]
        if content.not_assessed_yet:
            lines.append(translate("AssessmentPanel", "Recorded last time, not yet this time: {items}").format(
                items=", ".join(content.not_assessed_yet)))
        then_now = translate("AssessmentPanel", "(then \u2192 so far)") if content.draft else translate("AssessmentPanel", "(then \u2192 now)")
        for name, (then, now) in ((translate("AssessmentPanel", "Direction"), content.direction), (translate("AssessmentPanel", "Urgency"), content.urgency),
                                  (translate("AssessmentPanel", "Scores"), content.scores)):
            lines.append(f"{name} {then_now}: {then} \u2192 {now}")
        self.changes_label.setText("\n".join(lines))
        self.setAccessibleName(self.title())
        self.chart.show_points(content.chart, list(content.targets))
        self.chart.setVisible(len(content.chart) >= 2)
