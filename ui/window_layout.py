"""The window on this workstation's screen: maximised on the first start, then where it was left
(its frame and its splitters, stored per workstation by models/window_layout.py), but only when
that frame still fits the screen of today; on a smaller screen, or one no longer attached, it
opens maximised instead of off screen or cut by the screen's edge.

:class:`WindowPlacement` belongs to the main window: ``show()`` replaces ``show()`` at start-up,
``adopt(splitter)`` restores a named splitter as soon as it exists (the working area and the
checklist editor are built after the window is shown), ``remember()`` stores it all on close.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from models.window_layout import WindowLayout, set_window_layout, window_layout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter, QWidget


def fits_a_screen(frame: QRect) -> bool:
    """``frame`` (the window without its title bar) lies wholly within the usable area of one
    attached screen (taskbars and panels left out)."""
    return any(screen.availableGeometry().contains(frame) for screen in QGuiApplication.screens())


class WindowPlacement:
    """The window's frame and splitters: restored at start, stored at close."""

    def __init__(self, window: QWidget) -> None:
        self.window = window
        self.stored: WindowLayout | None = window_layout()
        self.splitters: dict[str, QSplitter] = {}

    def show(self) -> bool:
        """Show the window where it was left if that fits a screen, else maximised; True if restored."""
        stored = self.stored
        frame = None if stored is None else QRect(stored.x, stored.y, stored.width, stored.height)
        if frame is None or not fits_a_screen(frame):
            self.window.showMaximized()
            return False
        self.window.setGeometry(frame)
        if stored is not None and stored.maximized:
            self.window.showMaximized()  # un-maximising later returns to the stored frame
        else:
            self.window.show()
        return True

    def adopt(self, splitter: QSplitter) -> None:
        """Remember ``splitter`` (by its object name) and give it its stored sizes, if any."""
        name = splitter.objectName()
        self.splitters[name] = splitter
        sizes = None if self.stored is None else self.stored.splitters.get(name)
        if sizes and len(sizes) == splitter.count() and sum(sizes) > 0:
            splitter.setSizes(list(sizes))

    def remember(self) -> bool:
        """Store the window's frame (when not maximised) and its splitters' sizes; True if it wrote."""
        window = self.window
        frame = window.normalGeometry() if window.isMaximized() or window.isFullScreen() else window.geometry()
        if frame.width() <= 0 or frame.height() <= 0:
            return False
        sizes = {name: tuple(s.sizes()) for name, s in self.splitters.items() if sum(s.sizes()) > 0}
        if self.stored is not None:  # a splitter not built this time keeps what it had
            sizes = {**self.stored.splitters, **sizes}
        layout = WindowLayout(frame.x(), frame.y(), frame.width(), frame.height(),
                              maximized=window.isMaximized(), splitters=sizes)
        self.stored = layout
        return set_window_layout(layout)
