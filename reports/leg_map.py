"""The leg map on the printed summary: the same drawing as the window's (resources/map/leg.svg, read by
models/leg_map.py), drawn as vector graphics with ReportLab, readable in black and white: a lit
dermatome is hatched and outlined thickly, a lit knee region cross-hatched with a thick outline, a lit
nerve a thick solid line (the others thin and dashed). Its legend says the same in words."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from models.i18n import _
from models.leg_map import LegMap, Lit, Shape, load_map

INK = colors.black
GREY = colors.Color(0.55, 0.55, 0.55)


class LegMapFlowable(Flowable):
    """The drawing, ``width`` points wide (its height follows the drawing's aspect)."""

    def __init__(self, state: Lit, width: float, font: str, leg: LegMap | None = None) -> None:
        super().__init__()
        self.state = state
        self.leg = leg or load_map()
        self.scale = width / self.leg.width
        self.width, self.height = width, self.leg.height * self.scale
        self.font = font

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, self.height - y * self.scale

    def _path(self, shape: Shape) -> Any:
        c = self.canv
        path = c.beginPath()
        if shape.element == "ellipse":
            (cx, cy), (rx, ry) = shape.points
            x, y = self._xy(cx, cy)
            path.ellipse(x - rx * self.scale, y - ry * self.scale, 2 * rx * self.scale, 2 * ry * self.scale)
            return path
        first, *rest = shape.points
        path.moveTo(*self._xy(*first))
        for point in rest:
            path.lineTo(*self._xy(*point))
        if shape.element == "polygon":
            path.close()
        return path

    def _hatch(self, shape: Shape, *, cross: bool) -> None:
        """Diagonal lines (and the other diagonal too when ``cross``) clipped to the shape."""
        c = self.canv
        c.saveState()
        c.clipPath(self._path(shape), stroke=0, fill=0)
        c.setStrokeColor(INK)
        c.setLineWidth(0.5)
        step = 2.2
        span = self.width + self.height
        n = 0.0
        while n < span:
            c.line(n, 0, n - self.height, self.height)
            if cross:
                c.line(n - self.height, 0, n, self.height)
            n += step
        c.restoreState()

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setLineJoin(1)
        for shape in self.leg.shapes:
            on = shape.id in self.state.shapes
            if shape.kind == "outline":
                c.setStrokeColor(INK)
                c.setFillColor(colors.white)
                c.setLineWidth(0.7)
                c.setDash()
                c.drawPath(self._path(shape), stroke=1, fill=1)
            elif shape.kind in ("dermatome", "knee-region"):
                if on:
                    self._hatch(shape, cross=shape.kind == "knee-region")
                c.setStrokeColor(INK if on else GREY)
                c.setLineWidth(1.6 if on else 0.3)
                c.setDash() if on or shape.kind == "dermatome" else c.setDash(1, 1.5)
                c.drawPath(self._path(shape), stroke=1, fill=0)
        for shape in self.leg.of_kind("nerve"):
            on = shape.id in self.state.shapes
            c.setStrokeColor(INK if on else GREY)
            c.setLineWidth(2.0 if on else 0.5)
            c.setDash() if on else c.setDash(2, 1.5)
            c.drawPath(self._path(shape), stroke=1, fill=0)
        c.setDash()
        c.setFillColor(INK)
        for label in self.leg.labels:
            size = 6.5 if label.kind == "caption" else 5.5
            c.setFont(self.font, size)
            x, y = self._xy(label.x, label.y)
            c.drawCentredString(x, y, _(label.text) if label.kind == "caption" else label.text)
        c.restoreState()
