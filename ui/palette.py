"""Colours derived from the palette the widget really uses, so a dark or a high-contrast system
palette stays readable: no style sheet in ui/ names a fixed background or text colour.

A banner keeps its hue (an accent, the only fixed colours here) as a tint of the palette's window
colour, with the text colour chosen for contrast (at least 4.5:1, WCAG 2 relative luminance; the
palette's own text colour when it reaches 7:1). :func:`follow_palette` re-derives a widget's style
sheet when the system or application palette changes.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

MIN_CONTRAST = 4.5  # WCAG 2 AA for normal text
GOOD_CONTRAST = 7.0  # WCAG 2 AAA: the palette's own text colour is kept when it reaches this

# Hues of the banners by kind; what is drawn is a tint of the palette computed from them.
ACCENTS = {
    "warning": "#b36b00",
    "info": "#0a58ca",
    "danger": "#b02a37",
    "urgent": "#c25700",
    "priority": "#997404",
}


def luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def mix(base: QColor, other: QColor, amount: float) -> QColor:
    """``base`` moved ``amount`` (0..1) of the way towards ``other``."""
    return QColor.fromRgbF(*(b + (o - b) * amount for b, o in zip(
        (base.redF(), base.greenF(), base.blueF()), (other.redF(), other.greenF(), other.blueF()), strict=True)))


def readable(background: QColor, preferred: QColor) -> QColor:
    """The text colour for ``background``: ``preferred`` when it reaches 7:1, else black or white,
    whichever contrasts more (one of them always reaches 4.5:1)."""
    if contrast(preferred, background) >= GOOD_CONTRAST:
        return QColor(preferred)
    best = max((QColor(0, 0, 0), QColor(255, 255, 255)), key=lambda c: contrast(c, background))
    if contrast(preferred, background) >= contrast(best, background):
        return QColor(preferred)
    return best


def fill_for(background: QColor, text: QColor) -> tuple[QColor, QColor]:
    """(fill, text) for a filled control that should keep ``text`` (the palette's highlighted text):
    the fill is darkened (or lightened, for dark text) until the text reaches 4.5:1; the text turns
    black or white only when even that does not suffice."""
    away = QColor(0, 0, 0) if luminance(text) > 0.5 else QColor(255, 255, 255)
    for step in range(7):  # at most 60 % of the way, so the palette's hue stays recognisable
        fill = mix(background, away, step / 10)
        if contrast(fill, text) >= MIN_CONTRAST:
            return fill, QColor(text)
    return QColor(background), readable(background, text)


def is_high_contrast(palette: QPalette) -> bool:
    """A palette whose window text already stands out at 15:1 or more (black on white counts too)."""
    return contrast(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)) >= 15


def banner_colours(palette: QPalette, kind: str) -> tuple[QColor, QColor, QColor]:
    """(background, text, border) of a banner of ``kind`` (a key of ACCENTS) on ``palette``."""
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    accent = QColor(ACCENTS.get(kind, ACCENTS["warning"]))
    # A light tint on a light window, a deep one on a dark window; a high-contrast palette keeps its
    # own background and shows the hue in the border only.
    tint = 0.0 if is_high_contrast(palette) and luminance(window) < 0.05 else (0.16 if luminance(window) > 0.4 else 0.28)
    background = mix(window, accent, tint)
    border = accent if contrast(accent, background) >= 3 else mix(accent, text, 0.5)
    return background, readable(background, text), border


def banner_style(palette: QPalette, kind: str, selector: str = "", border_width: int = 1,
                 extra: str = "", line: str = "solid") -> str:
    """A style sheet for a banner label or frame; ``selector`` limits it (``QFrame#alert_x``)."""
    background, text, border = banner_colours(palette, kind)
    body = (f"background: {background.name()}; color: {text.name()}; "
            f"border: {border_width}px {line} {border.name()}; {extra}").strip()
    return f"{selector} {{ {body} }}" if selector else body


def text_colour(palette: QPalette, kind: str) -> QColor:
    """Text in the hue of ``kind`` (an error message) that is readable on the palette's window."""
    window = palette.color(QPalette.ColorRole.Window)
    accent = QColor(ACCENTS.get(kind, ACCENTS["danger"]))
    text = palette.color(QPalette.ColorRole.WindowText)
    for step in range(11):  # towards the palette's text colour until it reads well
        colour = mix(accent, text, step / 10)
        if contrast(colour, window) >= MIN_CONTRAST:
            return colour
    return readable(window, text)


def error_text_style(palette: QPalette) -> str:
    """An error message: bold text in the danger hue, readable on the palette's window."""
    return f"color: {text_colour(palette, 'danger').name()}; font-weight: bold;"


def invalid_field_style(palette: QPalette) -> str:
    """A field holding a value that was refused: a border in the danger hue and a tinted base,
    its text chosen for contrast."""
    base = palette.color(QPalette.ColorRole.Base)
    accent = QColor(ACCENTS["danger"])
    fill = mix(base, accent, 0.12 if luminance(base) > 0.4 else 0.3)
    border = accent if contrast(accent, fill) >= 3 else text_colour(palette, "danger")
    return (f"border: 2px solid {border.name()}; background: {fill.name()}; "
            f"color: {readable(fill, palette.color(QPalette.ColorRole.Text)).name()};")


def base_palette(widget: QWidget) -> QPalette:
    """The palette a widget inherits (its parent's, else the application's): not the widget's own,
    which its style sheet has already recoloured."""
    parent = widget.parentWidget()
    return parent.palette() if parent is not None else QGuiApplication.palette()


class _ParentWatch(QObject):
    """One per parent: passes the parent's palette changes to the followers of its children (one
    call per parent event, however many children follow)."""

    NAME = "palette_watch"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(self.NAME)
        self.followers: list[_PaletteFollower] = []
        parent.installEventFilter(self)

    @classmethod
    def of(cls, parent: QWidget) -> _ParentWatch:
        # Its direct children only (no Qt.FindChildOption: the sign-in page shows before Qt's enums exist).
        found = next((c for c in parent.children() if isinstance(c, cls)), None)
        return found if found is not None else cls(parent)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.PaletteChange:
            self.followers = [f for f in self.followers if shiboken6.isValid(f)]
            for follower in self.followers:
                follower.timer.start()
        return False


class _PaletteFollower(QObject):
    """Re-applies a style sheet made from the palette whenever the palette the widget inherits changes.

    Watches the parent too: a widget whose style sheet sets its colours has a palette of its own, so
    a change of the parent's (or the application's) palette sends it no event. Re-applied once the
    event loop is idle again, when every palette on the way down has been resolved."""

    EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.ParentChange)

    def __init__(self, widget: QWidget, make: Callable[[QPalette], str]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.make = make
        self.watch: _ParentWatch | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.apply)
        widget.installEventFilter(self)
        self._watch_parent()
        self.apply()

    def _watch_parent(self) -> None:
        # The old parent is alive here: a parent deletes its children (and so this follower) with itself.
        if self.watch is not None and shiboken6.isValid(self.watch) and self in self.watch.followers:
            self.watch.followers.remove(self)
        parent = self.widget.parentWidget()
        self.watch = _ParentWatch.of(parent) if parent is not None else None
        if self.watch is not None:
            self.watch.followers.append(self)

    def apply(self) -> None:
        widget = self.widget
        sheet = self.make(base_palette(widget))
        if sheet != widget.styleSheet():  # setting a sheet changes the palette: no loop
            widget.setStyleSheet(sheet)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.EVENTS:
            if event.type() == QEvent.Type.ParentChange:
                self._watch_parent()
            self.timer.start()
        return False


def follow_palette(widget: QWidget, make: Callable[[QPalette], str]) -> None:
    """Give ``widget`` the style sheet ``make(palette)`` now and after every palette change."""
    _PaletteFollower(widget, make)
