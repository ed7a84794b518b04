"""The leg map: the regions an L3 and an S1 case light, checked on the pixels of the map rendered in
the real window and on the summary's page rendered by pdftoppm; clicking a dermatome answers it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette

from models.assessment import assess_findings
from models.case import Patient
from models.catalogue import load_catalogue
from models.leg_map import Shape, load_map, mirrored_for
from models.store import Store
from reports.summary import render_summary
from tests.ui_helpers import SIGNED_IN, start_new_encounter
from ui.main_window import MainWindow

CASES = Path(__file__).resolve().parent / "cases"


def case_for(level: str) -> dict[str, Any]:
    """An L3 radiculopathy (the example case) or an S1 sciatica (the posterior-knee sciatica case with
    an S1 deficit recorded)."""
    if level == "L3":
        case = json.loads((CASES / "l3_radiculopathy.json").read_text())
    else:
        case = json.loads((CASES / "sciatica_posterior_knee.json").read_text())
        case["findings"]["dermatomal_deficit"] = "S1"
    assert case["findings"]["dermatomal_deficit"] == level
    return case  # type: ignore[no-any-return]


def inner_points(shape: Shape, margin: float = 2.5) -> list[tuple[float, float]]:
    """Points of a grid inside ``shape`` and at least ``margin`` drawing units inside its edges."""
    xs = [p[0] for p in shape.points]
    ys = [p[1] for p in shape.points]
    found = []
    for gx in range(int(min(xs)), int(max(xs)) + 1):
        for gy in range(int(min(ys)), int(max(ys)) + 1):
            if all(shape.contains(gx + dx, gy + dy) for dx, dy in ((0, 0), (margin, 0), (-margin, 0), (0, margin), (0, -margin))):
                found.append((float(gx), float(gy)))
    assert len(found) > 20, shape.id
    return found


def shape(shape_id: str, knee: str = "right") -> Shape:
    """A shape of the map as drawn for an encounter of ``knee`` (the left leg is the mirror image)."""
    return next(s for s in load_map(mirrored=mirrored_for(knee)).shapes if s.id == shape_id)


EXPECTED = {"L3": ("derm_L3_front", "derm_S1_back"), "S1": ("derm_S1_back", "derm_L3_front")}


# --- the window --------------------------------------------------------------------------------------


def open_case(qtbot, window: MainWindow, store: Store, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    patient = store.create_patient(Patient("LM-1", "Map", "Mo", dt.date(1961, 3, 4), "female"), SIGNED_IN)
    start_new_encounter(qtbot, window, patient)
    window.editor.set_findings(case["findings"])
    window.encounter_ui.refresh_panel(window.editor.findings())


@pytest.fixture(autouse=True)
def _discard_at_close(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


def lit_fraction(image: QImage, view: Any, points: list[tuple[float, float]], colour: Any) -> float:
    near = 0
    for x, y in points:
        p = view.from_drawing(x, y)
        pixel = image.pixelColor(int(p.x() * image.devicePixelRatio()), int(p.y() * image.devicePixelRatio()))
        if abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) + abs(pixel.blue() - colour.blue()) < 60:
            near += 1
    return near / len(points)


def nerve_ink(image: QImage, view: Any, nerve: Shape, ink: Any) -> float:
    """The share of points along a nerve's line (between its corners) drawn in ``ink``."""
    points = [(a[0] + (b[0] - a[0]) * t / 10, a[1] + (b[1] - a[1]) * t / 10)
              for a, b in zip(nerve.points, nerve.points[1:], strict=False) for t in range(1, 10)]
    return lit_fraction(image, view, points, ink)


@pytest.mark.parametrize("level", ["L3", "S1"])
def test_the_window_map_lights_the_dermatome_the_case_records(qtbot, window: MainWindow, store: Store, level: str) -> None:  # type: ignore[no-untyped-def]
    open_case(qtbot, window, store, case_for(level))
    view = window.area.panel.leg_map
    assert view is not None and view.isVisible()
    image = view.grab().toImage()
    palette = view.palette()
    highlight, paper = palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base)
    blended = highlight.fromRgbF(*(0.85 * a + 0.15 * b for a, b in zip(highlight.getRgbF()[:3], paper.getRgbF()[:3],
                                                                        strict=True)))
    on, off = EXPECTED[level]
    knee = case_for(level)["encounter"]["knee"]
    assert lit_fraction(image, view, inner_points(shape(on, knee)), blended) > 0.8
    assert lit_fraction(image, view, inner_points(shape(off, knee)), blended) < 0.05
    # The nerves of the level are drawn thick in the text colour, the others thin in a muted one.
    ink = palette.color(QPalette.ColorRole.WindowText)
    lit_nerves = {"L3": ("nerve_femoral", "nerve_sciatic"), "S1": ("nerve_sciatic", "nerve_femoral")}[level]
    assert nerve_ink(image, view, shape(lit_nerves[0], knee), ink) > 0.7
    assert nerve_ink(image, view, shape(lit_nerves[1], knee), ink) < 0.3
    # The nerve of the level is drawn thick, the other thin; the map in words says the same.
    assert level in view.accessibleDescription()
    assert ("femoral" if level == "L3" else "sciatic") in view.accessibleDescription()


def test_clicking_a_dermatome_answers_the_dermatomal_deficit(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    case = case_for("L3")
    open_case(qtbot, window, store, case)
    view = window.area.panel.leg_map
    window.area.panel.ensureWidgetVisible(view)
    x, y = inner_points(shape("derm_L5_front", case["encounter"]["knee"]))[0]
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.from_drawing(x, y).toPoint())
    assert window.editor.findings()["dermatomal_deficit"] == "L5"
    assert window.session.dirty
    qtbot.waitUntil(lambda: "L5" in view.accessibleDescription())
    x, y = inner_points(shape("derm_S1_back", case["encounter"]["knee"]))[0]
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.from_drawing(x, y).toPoint())
    assert window.editor.findings()["dermatomal_deficit"] == "S1"


# --- the printed summary --------------------------------------------------------------------------


def page_image(pdf: Path, dpi: int) -> QImage:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is missing: make test installs it")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    image = QImage(str(pdf.with_suffix(".png")))
    assert not image.isNull()
    return image


def map_origin(pdf: Path, knee: str) -> tuple[float, float, float]:
    """Where the map is on page 1 (points from the top left) and its scale, found from its "Front" and
    "Back" captions as pdftotext places them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    words: dict[str, tuple[float, float, float, float]] = {}
    for line in out.splitlines():
        if ">Front<" in line or ">Back<" in line:
            parts = dict(p.split("=") for p in line.strip().removeprefix("<word ").split(">")[0].split())
            box = tuple(float(parts[k].strip('"')) for k in ("xMin", "yMin", "xMax", "yMax"))
            words.setdefault(line.split(">")[1].split("<")[0], box)  # type: ignore[arg-type]
    leg = load_map(mirrored=mirrored_for(knee))
    front, back = next(t for t in leg.labels if t.text == "Front"), next(t for t in leg.labels if t.text == "Back")
    fx, bx = (words["Front"][0] + words["Front"][2]) / 2, (words["Back"][0] + words["Back"][2]) / 2
    scale = (bx - fx) / (back.x - front.x)
    x0 = fx - front.x * scale
    baseline = words["Front"][3] - 0.24 * (words["Front"][3] - words["Front"][1])
    return x0, baseline - front.y * scale, scale


def dark_fraction(image: QImage, origin: tuple[float, float, float], dpi: int, points: list[tuple[float, float]]) -> float:
    x0, y0, scale = origin
    px = dpi / 72
    dark = 0
    for x, y in points:
        pixel = image.pixelColor(int((x0 + x * scale) * px), int((y0 + y * scale) * px))
        dark += pixel.lightness() < 140
    return dark / len(points)


@pytest.mark.parametrize("level", ["L3", "S1"])
def test_the_printed_map_hatches_the_dermatome_the_case_records(tmp_path: Path, level: str) -> None:
    case = case_for(level)
    assessment = assess_findings(case["findings"], 58, load_catalogue(), knee=case["encounter"]["knee"]).to_dict()
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(render_summary(case, assessment))
    dpi = 200
    knee = case["encounter"]["knee"]
    image, origin = page_image(pdf, dpi), map_origin(pdf, knee)
    on, off = EXPECTED[level]
    # Hatched: a good share of dark lines in black and white; not lit: white inside (a nerve or a label
    # may cross it).
    assert dark_fraction(image, origin, dpi, inner_points(shape(on, knee))) > 0.2
    assert dark_fraction(image, origin, dpi, inner_points(shape(off, knee))) < 0.1
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert f"dermatomal deficit {level}" in " ".join(text.split())
    assert f"Map ({knee} leg, front and back)" in " ".join(text.split())


def test_the_knee_is_in_the_dermatomes_the_rule_set_names_and_the_left_leg_is_the_mirror() -> None:
    """Review finding: the front and medial knee fell in L4; the rule set's help says L3 anterior knee."""
    help_text = load_catalogue().item("dermatomal_deficit").help
    assert "L3 anterior knee" in help_text
    right, left = load_map(), load_map(mirrored=True)
    for region in ("knee_anterior", "knee_medial"):
        (cx, cy), _radii = next(s for s in right.shapes if s.id == region).points
        assert right.dermatome_at(cx, cy) == "L3", region
        (mx, my), _radii = next(s for s in left.shapes if s.id == region).points
        assert left.dermatome_at(mx, my) == "L3" and mx != cx, region
    assert {s.id for s in right.shapes} == {s.id for s in left.shapes} and left.leg_words == "left leg"


def test_the_map_loads_only_when_an_encounter_shows_findings(tmp_path: Path) -> None:
    """Review finding: the empty panel, built before sign-in, loaded QtSvg and drew the map."""
    import os
    import sys

    code = ("import sys; from ui.app import application; application(); "
            "from ui.assessment_panel import AssessmentPanel; p = AssessmentPanel(); "
            "before = 'PySide6.QtSvg' in sys.modules; p.show_findings({'dermatomal_deficit': 'L3'}, 50, 'left'); "
            "print(before, 'PySide6.QtSvg' in sys.modules, p.leg_map is not None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent, check=True,
                         capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    assert out.split()[-3:] == ["False", "True", "True"], out
