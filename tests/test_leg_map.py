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
from models.leg_map import Shape, load_map
from models.store import Store
from reports.summary import render_summary
from tests.ui_helpers import SIGNED_IN
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


def shape(shape_id: str) -> Shape:
    return next(s for s in load_map().shapes if s.id == shape_id)


EXPECTED = {"L3": ("derm_L3_front", "derm_S1_back"), "S1": ("derm_S1_back", "derm_L3_front")}


# --- the window --------------------------------------------------------------------------------------


def open_case(qtbot, window: MainWindow, store: Store, case: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    patient = store.create_patient(Patient("LM-1", "Map", "Mo", dt.date(1961, 3, 4), "female"), SIGNED_IN)
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    window.knee.setCurrentIndex(window.knee.findData("left"))
    window.autosave_timer.setInterval(60_000)
    qtbot.waitUntil(window.editor_is_built)
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
    assert lit_fraction(image, view, inner_points(shape(on)), blended) > 0.8
    assert lit_fraction(image, view, inner_points(shape(off)), blended) < 0.05
    # The nerve of the level is drawn thick, the other thin; the map in words says the same.
    assert level in view.accessibleDescription()
    assert ("femoral" if level == "L3" else "sciatic") in view.accessibleDescription()


def test_clicking_a_dermatome_answers_the_dermatomal_deficit(qtbot, window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    case = case_for("L3")
    open_case(qtbot, window, store, case)
    view = window.area.panel.leg_map
    window.area.panel.ensureWidgetVisible(view)
    x, y = inner_points(shape("derm_L5_front"))[0]
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.from_drawing(x, y).toPoint())
    assert window.editor.findings()["dermatomal_deficit"] == "L5"
    assert window.session.dirty
    qtbot.waitUntil(lambda: "L5" in view.accessibleDescription())
    x, y = inner_points(shape("derm_S1_back"))[0]
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


def map_origin(pdf: Path) -> tuple[float, float, float]:
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
    leg = load_map()
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
    image, origin = page_image(pdf, dpi), map_origin(pdf)
    on, off = EXPECTED[level]
    # Hatched: a good share of dark lines in black and white; not lit: white inside (a nerve or a label
    # may cross it).
    assert dark_fraction(image, origin, dpi, inner_points(shape(on))) > 0.2
    assert dark_fraction(image, origin, dpi, inner_points(shape(off))) < 0.1
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert f"dermatomal deficit {level}" in " ".join(text.split())
