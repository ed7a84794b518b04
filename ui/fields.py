"""Input widgets that behave as one Tab stop, whatever Qt's defaults do."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget


class DateField(QDateEdit):
    """A date edit that Tab leaves at once: QDateEdit moves Tab from the year to the month to the
    day first, three stops for one field. Typing still works as in QDateEdit: the separator ("-")
    moves to the next part, so 2026-11-26 can be typed through."""

    _tabbing = False
    _advanced = False  # the last digit filled a part and Qt moved to the next part by itself

    def event(self, event: QEvent) -> bool:
        from PySide6.QtCore import Qt

        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):  # type: ignore[attr-defined]
            self._tabbing = True
            try:
                return super().event(event)
            finally:
                self._tabbing = False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # "2026-11-26": the year's fourth digit already moves on to the month, so the "-" typed after
        # it would skip the month. A separator right after such a move is taken as typed, and dropped.
        if event.text() in ("-", "/", ".") and self._advanced:
            self._advanced = False
            event.accept()
            return
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._advanced = event.text().isdigit() and self.currentSectionIndex() != before

    def focusNextPrevChild(self, next: bool) -> bool:
        if self._tabbing:  # Tab or Shift+Tab: the next widget, not the next part of the date
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)
