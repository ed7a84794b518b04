"""Dark and high-contrast palettes: alert banners and chosen answers keep a text contrast of at least
4.5:1 (WCAG 2 relative luminance), measured on the pixels the widget really draws, and the window
follows a palette set on the application after it was built (it re-derives its colours).

Palettes: the default light one, a dark one and two high-contrast ones (white on black, black on
white), each set on the QApplication; the window is built under the default and then switched, so
the colours measured are the re-derived ones.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from models.case import Patient
from models.store import Store
from tests.ui_helpers import SIGNED_IN, answer_item
from ui.encounter_editor import NOT_ASSESSED, ChoiceRow
from ui.main_window import MainWindow
from ui.palette import contrast, luminance
from ui.patient_dialog import PatientDialog

pytestmark = pytest.mark.engines("sqlite")

MIN_CONTRAST = 4.5
Role = QPalette.ColorRole


def _palette(colours: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette(QApplication.palette())
    for role, name in colours.items():
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(name))
    return palette


def dark() -> QPalette:
    return _palette({Role.Window: "#2b2b2b", Role.WindowText: "#e0e0e0", Role.Base: "#1e1e1e",
                     Role.AlternateBase: "#262626", Role.Text: "#e0e0e0", Role.Button: "#353535",
                     Role.ButtonText: "#e0e0e0", Role.Highlight: "#2a82da", Role.HighlightedText: "#ffffff",
                     Role.ToolTipBase: "#353535", Role.ToolTipText: "#e0e0e0", Role.PlaceholderText: "#9a9a9a"})


def high_contrast_black() -> QPalette:  # as Windows' "High Contrast Black"
    return _palette({Role.Window: "#000000", Role.WindowText: "#ffffff", Role.Base: "#000000",
                     Role.AlternateBase: "#000000", Role.Text: "#ffffff", Role.Button: "#000000",
                     Role.ButtonText: "#ffffff", Role.Highlight: "#1aebff", Role.HighlightedText: "#000000",
                     Role.PlaceholderText: "#c0c0c0"})


def high_contrast_white() -> QPalette:  # as Windows' "High Contrast White"
    return _palette({Role.Window: "#ffffff", Role.WindowText: "#000000", Role.Base: "#ffffff",
                     Role.AlternateBase: "#ffffff", Role.Text: "#000000", Role.Button: "#ffffff",
                     Role.ButtonText: "#000000", Role.Highlight: "#37006e", Role.HighlightedText: "#ffffff",
                     Role.PlaceholderText: "#404040"})


PALETTES = {"light": None, "dark": dark, "high_contrast_black": high_contrast_black,
            "high_contrast_white": high_contrast_white}


@pytest.fixture(name="app_palette")
def app_palette_fixture(qapp: QApplication) -> Iterator[QApplication]:
    original = QPalette(QApplication.palette())
    yield qapp
    QApplication.setPalette(original)


def pixels(image: QImage) -> list[int]:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = bytes(image.constBits())
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    out = []
    for y in range(height):
        row = data[y * stride: y * stride + width * 4]
        out.extend(int.from_bytes(row[x * 4: x * 4 + 3], "little") for x in range(width))
    return out


def measured_contrast(image: QImage) -> tuple[QColor, QColor, float]:
    """(background, text, ratio) of what was drawn: the background is the commonest pixel, the text
    the pixel that differs most from it (glyph cores are drawn in the full text colour)."""
    values = pixels(image)
    assert values, "nothing drawn"
    background = QColor.fromRgb(Counter(values).most_common(1)[0][0] | 0xFF000000)
    text = max((QColor.fromRgb(v | 0xFF000000) for v in set(values)), key=lambda c: contrast(c, background))
    return background, text, contrast(text, background)


def inside(widget: QWidget, inset: int) -> QImage:
    """The widget as drawn, without its frame (``inset`` pixels on each side)."""
    image = widget.grab().toImage()
    return image.copy(QRect(inset, inset, image.width() - 2 * inset, image.height() - 2 * inset))


def check(what: str, image: QImage, window_colour: QColor, failures: list[str]) -> QColor:
    background, text, ratio = measured_contrast(image)
    if ratio < MIN_CONTRAST:
        failures.append(f"{what}: text {text.name()} on {background.name()} is {ratio:.2f}:1")
    return background


def open_encounter(qtbot, window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A new encounter open for a patient; closing the window discards it (no question)."""
    monkeypatch.setattr(window, "ask", lambda *a, **k: QMessageBox.StandardButton.Discard)
    patient = store.create_patient(Patient("P-0001", "Palette", "Pat", dt.date(1961, 3, 4), "female"), SIGNED_IN)
    window.patients_ctl.open(patient)
    assert window.ops.wait_idle()
    qtbot.waitUntil(lambda: window.patient is not None)
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    qtbot.waitUntil(lambda: window.editor.is_built() and window.editor.isVisible(), timeout=10_000)


@pytest.mark.parametrize("name", PALETTES)
def test_banners_and_chosen_answers_keep_their_contrast(qtbot, window: MainWindow, store: Store, app_palette,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    open_encounter(qtbot, window, store, monkeypatch)
    editor = window.editor
    rows = [c for c in editor.controls.values() if isinstance(c, ChoiceRow)]
    red_flags = [i.id for i in window.panel.catalogue.red_flags if isinstance(editor.controls[i.id], ChoiceRow)]
    for item_id in red_flags:  # every red flag "yes": alerts of every tier
        answer_item(qtbot, window, item_id, "yes", by_keyboard=True)
    chosen = next(r for r in rows if r.item.id not in red_flags)
    chosen.set_value(chosen.item.values[0])
    window.integrity_banner.setText("\u26a0 This finalized encounter does not match its signed revision.")
    window.integrity_banner.show()
    window.ruleset_banner.setText("\u2139 This draft was assessed under rule set 2026.1.")
    window.ruleset_banner.show()
    window.panel.prompt_label.setText("Examine the spine.")
    window.panel.prompt_label.show()
    qtbot.waitUntil(lambda: bool(window.panel.alert_rows))

    make = PALETTES[name]
    if make is not None:
        QApplication.setPalette(make())
    qtbot.wait(50)
    palette = QApplication.palette()
    window_colour = palette.color(Role.Window)
    failures: list[str] = []

    banners = {"integrity banner": window.integrity_banner, "rule-set banner": window.ruleset_banner,
               "prompt": window.panel.prompt_label}
    for what, banner in banners.items():
        background = check(what, inside(banner, 3), window_colour, failures)
        # The banner follows the palette: drawn on a tint of the window colour, not a fixed light fill.
        if contrast(background, window_colour) >= 2.5:
            failures.append(f"{what}: background {background.name()} ignores the window colour {window_colour.name()}")
    tiers = set()
    for row in window.panel.alert_rows:
        label = next(c for c in row.findChildren(QWidget) if c.objectName() == "alert_text")
        image = row.grab().toImage().copy(label.geometry())
        check(f"alert {row.objectName()} ({row.property('tier')})", image, window_colour, failures)
        tiers.add(row.property("tier"))
    assert len(tiers) >= 2, tiers  # more than one tier's look was measured

    answered = editor.controls[red_flags[0]]
    assert isinstance(answered, ChoiceRow) and answered.value() == "yes"
    for what, button in (("chosen answer", chosen.buttons[1]), ("chosen red flag", answered.buttons[1 + answered.item.values.index("yes")]),
                         ("not assessed (chosen)", rows[-1].buttons[NOT_ASSESSED] if rows[-1].value() is None else None),
                         ("an answer not chosen", chosen.buttons[NOT_ASSESSED])):
        if button is None:
            continue
        check(what, inside(button, 3), window_colour, failures)
    # The chosen answer stands out from the others (filled), on every palette.
    chosen_fill = measured_contrast(inside(chosen.buttons[1], 3))[0]
    other_fill = measured_contrast(inside(chosen.buttons[2], 3))[0]
    if chosen_fill == other_fill:
        failures.append(f"the chosen answer is drawn like the others ({chosen_fill.name()})")
    if contrast(other_fill, palette.color(Role.Button)) >= 1.5:
        failures.append(f"an answer not chosen is drawn on {other_fill.name()}, not the palette's button colour")
    assert not failures, "\n".join(failures)

    # A palette set before a widget exists counts as well.
    fresh = ChoiceRow(chosen.item)
    qtbot.addWidget(fresh)
    fresh.set_value(chosen.item.values[-1])
    fresh.show()
    qtbot.waitExposed(fresh)
    _, _, ratio = measured_contrast(inside(fresh.buttons[len(chosen.item.values)], 3))
    assert ratio >= MIN_CONTRAST, ratio


@pytest.mark.parametrize("name", ["dark", "high_contrast_black"])
def test_error_text_and_refused_fields_follow_the_palette(qtbot, app_palette, name: str) -> None:  # type: ignore[no-untyped-def]
    QApplication.setPalette(PALETTES[name]())  # type: ignore[misc]
    dialog = PatientDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.birth_date.setText("1961-13-45")
    dialog.show_error("birth_date", "is not a date")
    dialog.birth_date.setCursorPosition(0)
    dialog.birth_date.deselect()
    qtbot.wait(20)
    window_colour = QApplication.palette().color(Role.Window)
    shot = dialog.grab().toImage()
    error = dialog.error
    _, text, ratio = measured_contrast(shot.copy(QRect(error.mapTo(dialog, error.rect().topLeft()), error.size())))
    assert ratio >= MIN_CONTRAST, ("error text", text.name(), ratio)
    field_background, text, ratio = measured_contrast(inside(dialog.birth_date, 4))
    assert ratio >= MIN_CONTRAST, ("refused field", text.name(), field_background.name(), ratio)
    # The refused field is tinted on the palette's base colour, not a fixed light pink.
    base = QApplication.palette().color(Role.Base)
    assert contrast(field_background, base) < 2.5, (field_background.name(), base.name())
    assert abs(luminance(field_background) - luminance(window_colour)) < 0.3
