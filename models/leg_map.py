"""The leg map (resources/map/leg.svg): its shapes, which of them an encounter lights, and the same
drawing as SVG text for the window. Qt-free: the printed summary draws the shapes with ReportLab.

What lights a shape is data of the drawing, not of this code: a dermatome is lit by the answer of the
item the drawing names (``data-dermatome-item``) equal to its ``data-dermatome``; a knee region by one
of its ``data-region`` answers of ``data-region-item``; a nerve by one of its ``data-levels`` among the
assessment's nerve levels.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.i18n import N_, _

SVG = "{http://www.w3.org/2000/svg}"
# The drawing's captions (resources/map/leg.svg), translated where drawn.
CAPTIONS = (N_("Front"), N_("Back"))
MAP_PATH = Path(__file__).resolve().parent.parent / "resources" / "map" / "leg.svg"


@dataclass(frozen=True)
class Shape:
    id: str
    kind: str                     # outline | dermatome | knee-region | nerve
    element: str                  # polygon | polyline | ellipse
    points: tuple[tuple[float, float], ...]   # polygon and polyline corners; an ellipse: centre, radii
    keys: frozenset[str]          # what lights it (dermatome value, region answers or level ids)

    def contains(self, x: float, y: float) -> bool:
        """Whether the point (in the drawing's units) is inside this polygon or ellipse."""
        if self.element == "ellipse":
            (cx, cy), (rx, ry) = self.points
            return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0
        if self.element != "polygon":
            return False
        inside = False
        pts = self.points
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
        return inside


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    kind: str  # caption | label


@dataclass(frozen=True)
class LegMap:
    width: float
    height: float
    dermatome_item: str
    region_item: str
    shapes: tuple[Shape, ...]
    labels: tuple[Label, ...]
    title: str
    mirrored: bool = False  # the left leg

    @property
    def leg_words(self) -> str:
        return N_("left leg") if self.mirrored else N_("right leg")  # translated where printed

    def of_kind(self, kind: str) -> list[Shape]:
        return [s for s in self.shapes if s.kind == kind]

    def dermatome_at(self, x: float, y: float) -> str | None:
        """The dermatome value at a point of the drawing (None: none there)."""
        for shape in reversed(self.of_kind("dermatome")):
            if shape.contains(x, y):
                return next(iter(shape.keys))
        return None


@dataclass(frozen=True)
class Lit:
    """What one encounter lights on the map, and the same in words."""

    dermatomes: frozenset[str]
    regions: frozenset[str]  # the recorded pain region's answer, when it lights a region
    levels: frozenset[str]
    shapes: frozenset[str]  # the ids of the lit shapes

    def is_empty(self) -> bool:
        return not self.shapes


def _points(text: str) -> tuple[tuple[float, float], ...]:
    numbers = [float(n) for n in text.replace(",", " ").split()]
    return tuple(zip(numbers[0::2], numbers[1::2], strict=True))


def _tree(path: Path, mirrored: bool) -> ET.Element:
    """The drawing's elements; ``mirrored``: the left leg (each view mirrored about its own centre
    line, the words not)."""
    root = ET.parse(path).getroot()
    if not mirrored:
        return root
    for group in root.iter(f"{SVG}g"):
        axis = float(group.attrib["data-mirror"])
        for element in group.iter():
            tag = element.tag.removeprefix(SVG)
            if tag in ("polygon", "polyline"):
                points = _points(element.attrib["points"])
                element.set("points", " ".join(f"{axis - x:g},{y:g}" for x, y in points))
            elif tag == "ellipse":
                element.set("cx", f"{axis - float(element.attrib['cx']):g}")
            elif tag == "text":
                element.set("x", f"{axis - float(element.attrib['x']):g}")
    return root


def mirrored_for(knee: str | None) -> bool:
    """Whether the map is drawn as the left leg for an encounter of ``knee`` (the right leg otherwise,
    both knees included)."""
    return knee == "left"


@functools.cache
def load_map(path: Path = MAP_PATH, mirrored: bool = False) -> LegMap:
    """The drawing's shapes: the right leg, or (``mirrored``) the left."""
    root = _tree(path, mirrored)
    _x, _y, width, height = (float(n) for n in root.attrib["viewBox"].split())
    shapes: list[Shape] = []
    labels: list[Label] = []
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        kind = element.attrib.get("class", "")
        if tag in ("polygon", "polyline"):
            points = _points(element.attrib["points"])
        elif tag == "ellipse":
            a = element.attrib
            points = ((float(a["cx"]), float(a["cy"])), (float(a["rx"]), float(a["ry"])))
        elif tag == "text":
            labels.append(Label(float(element.attrib["x"]), float(element.attrib["y"]), element.text or "", kind))
            continue
        else:
            continue
        keys = element.attrib.get("data-dermatome") or element.attrib.get("data-region") \
            or element.attrib.get("data-levels") or ""
        shapes.append(Shape(element.attrib["id"], kind, tag, points, frozenset(keys.split())))
    title = root.find(f"{SVG}title")
    return LegMap(width, height, root.attrib["data-dermatome-item"], root.attrib["data-region-item"],
                  tuple(shapes), tuple(labels), title.text or "" if title is not None else "", mirrored)


def lit(findings: Mapping[str, Any], levels: Iterable[str], leg: LegMap | None = None) -> Lit:
    """What the recorded findings and the assessment's nerve levels light."""
    leg = leg or load_map()
    dermatome, region = findings.get(leg.dermatome_item), findings.get(leg.region_item)
    level_set = frozenset(levels)
    on: set[str] = set()
    dermatomes: set[str] = set()
    regions: set[str] = set()
    for shape in leg.shapes:
        if shape.kind == "dermatome" and dermatome in shape.keys:
            on.add(shape.id)
            dermatomes.add(str(dermatome))
        elif shape.kind == "knee-region" and region in shape.keys:
            on.add(shape.id)
            regions.add(str(region))
        elif shape.kind == "nerve" and shape.keys & level_set:
            on.add(shape.id)
    return Lit(frozenset(dermatomes), frozenset(regions), level_set & frozenset(
        k for s in leg.of_kind("nerve") for k in s.keys), frozenset(on))


@dataclass(frozen=True)
class Colours:
    """The window's colours for the drawing (from its palette): text and outline, fill, lit fill."""

    ink: str
    paper: str
    lit: str
    lit_ink: str
    muted: str


def styled_svg(state: Lit, colours: Colours, leg: LegMap | None = None, path: Path = MAP_PATH,
               mirrored: bool = False) -> bytes:
    """The drawing as SVG text with every shape styled for ``state``: lit shapes filled and outlined
    thickly, lit nerves drawn thick and solid, the rest thin (QtSvg renders it in the window);
    ``mirrored``: the left leg."""
    root = _tree(path, mirrored)
    ET.register_namespace("", SVG[1:-1])
    for element in root.iter():
        kind, shape_id = element.attrib.get("class", ""), element.attrib.get("id", "")
        on = shape_id in state.shapes
        style: dict[str, str] = {}
        if kind == "outline":
            style = {"fill": colours.paper, "stroke": colours.ink, "stroke-width": "1.2"}
        elif kind == "dermatome":
            style = {"fill": colours.lit if on else "none", "fill-opacity": "0.85" if on else "0",
                     "stroke": colours.ink if on else colours.muted, "stroke-width": "2.2" if on else "0.6"}
        elif kind == "knee-region":
            style = {"fill": colours.lit if on else "none", "fill-opacity": "0.6" if on else "0",
                     "stroke": colours.ink if on else colours.muted, "stroke-width": "2" if on else "0.6",
                     "stroke-dasharray": "none" if on else "2,2"}
        elif kind == "nerve":
            style = {"fill": "none", "stroke": colours.ink if on else colours.muted,
                     "stroke-width": "3" if on else "1", "stroke-dasharray": "none" if on else "3,2"}
        elif kind in ("label", "caption"):
            style = {"fill": colours.ink, "font-size": "9" if kind == "caption" else "7",
                     "font-family": "sans-serif", "text-anchor": "middle",
                     "font-weight": "bold" if kind == "caption" else "normal"}
            if kind == "caption" and element.text:
                element.text = _(element.text)  # "Front", "Back" in the window's language
        for name, value in style.items():
            element.set(name, value)
    return ET.tostring(root, encoding="utf-8")


def describe(state: Lit, level_labels: Mapping[str, str], region_labels: Mapping[str, str]) -> str:
    """The map in words, for the accessible description and the summary's text equivalent."""
    parts = []
    if state.regions:
        parts.append(_("knee pain region: {regions}").format(
            regions=", ".join(sorted(region_labels.get(r, r) for r in state.regions))))
    if state.dermatomes:
        parts.append(_("dermatomal deficit: {levels}").format(levels=", ".join(sorted(state.dermatomes))))
    if state.levels:
        parts.append(_("nerve levels: {levels}").format(
            levels="; ".join(level_labels.get(lv, lv) for lv in sorted(state.levels))))
    return "; ".join(parts) if parts else _("nothing marked")
