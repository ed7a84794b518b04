"""The leg map in the assessment panel: the drawing of resources/map/leg.svg rendered by QtSvg, with
the recorded pain region, the recorded dermatomal deficit and the assessment's nerve levels lit.
Clicking a dermatome answers the dermatomal deficit (the answer buttons stay for the keyboard); the
map in words is the widget's accessible description.

Imported when the panel first shows an assessment, not at start-up (QtSvg costs start-up time).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from models.leg_map import Colours, describe, lit, load_map, mirrored_for, styled_svg

translate = QCoreApplication.translate


class LegMapView(QWidget):
    dermatome_clicked = Signal(str)
    """A dermatome of the drawing was clicked: its value of the dermatomal-deficit item."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leg_map")
        self.leg = load_map()
        self.renderer = QSvgRenderer(self)
        self.state = lit({}, ())
        self.read_only = False
        self._text = ""
        self.setAccessibleName(translate("AssessmentPanel", "Leg map"))
        self.setToolTip(translate("AssessmentPanel", "Click a dermatome to record it as the dermatomal deficit"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(230)  # the drawing keeps its aspect, centred: 184 px wide at this height
        self._render()

    def dermatome_item(self) -> str:
        return self.leg.dermatome_item

    def show_state(self, findings: Mapping[str, Any], levels: Iterable[str], level_labels: Mapping[str, str],
                   region_words: Mapping[str, str], knee: str | None = None) -> None:
        """Light what ``findings`` and ``levels`` say, on the leg of ``knee`` (the left leg mirrored)."""
        mirrored = mirrored_for(knee)
        if mirrored != self.leg.mirrored:
            self.leg = load_map(mirrored=mirrored)
            self.setAccessibleName(translate("AssessmentPanel", "Leg map ({leg})").format(leg=_leg_words(self.leg.leg_words)))
        self.state = lit(findings, levels, self.leg)
        from ui.answer_controls import value_label

        regions = {r: value_label(r).lower() for r in self.state.regions}  # "medial" in the window's language
        self._text = describe(self.state, level_labels, {**regions, **region_words})
        self.setAccessibleDescription(translate("AssessmentPanel", "Leg map: {what}").format(what=self._text))
        self._render()

    def text(self) -> str:
        """The map in words (what is lit)."""
        return self._text

    def _colours(self) -> Colours:
        p = self.palette()
        return Colours(ink=p.color(QPalette.ColorRole.WindowText).name(), paper=p.color(QPalette.ColorRole.Base).name(),
                       lit=p.color(QPalette.ColorRole.Highlight).name(),
                       lit_ink=p.color(QPalette.ColorRole.HighlightedText).name(),
                       muted=p.color(QPalette.ColorRole.Mid).name())

    def _render(self) -> None:
        self.renderer.load(styled_svg(self.state, self._colours(), self.leg, mirrored=self.leg.mirrored))
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._render()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(184, 230)

    def target(self) -> QRectF:
        """Where the drawing sits in the widget (its aspect kept, centred)."""
        scale = min(self.width() / self.leg.width, self.height() / self.leg.height)
        w, h = self.leg.width * scale, self.leg.height * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def to_drawing(self, point: QPointF) -> tuple[float, float]:
        t = self.target()
        return ((point.x() - t.x()) * self.leg.width / t.width(), (point.y() - t.y()) * self.leg.height / t.height())

    def from_drawing(self, x: float, y: float) -> QPointF:
        t = self.target()
        return QPointF(t.x() + x * t.width() / self.leg.width, t.y() + y * t.height() / self.leg.height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.renderer.render(painter, self.target())
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not self.read_only:
            value = self.leg.dermatome_at(*self.to_drawing(event.position()))
            if value is not None:
                self.dermatome_clicked.emit(value)
                event.accept()
                return
        super().mousePressEvent(event)


def _leg_words(words: str) -> str:
    """"left leg" / "right leg", declared in models.leg_map for gettext."""
    from models.i18n import _

    return _(words)
