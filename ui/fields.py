"""Input widgets that behave as one Tab stop, whatever Qt's defaults do."""

from __future__ import annotations

from PySide6.QtWidgets import QDateEdit, QWidget


class DateField(QDateEdit):
    """A date edit that Tab leaves at once: QDateEdit moves Tab from the year to the month to the
    day first, three stops for one field (arrows and typing still move between the parts)."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
