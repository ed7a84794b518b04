"""Accessible names Qt does not give by itself.

A combo box's popup list takes the focus while open; Qt leaves it unnamed, so a screen reader says
only "list". :func:`name_combo_popups` names each after its combo box ("Sex choices").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("Accessibility", text)


translate = QCoreApplication.translate


def name_combo_popups(root: QWidget) -> None:
    """Name the popup list of every combo box under ``root`` after the combo box."""
    for combo in root.findChildren(QComboBox):
        view = combo.view()
        if view.accessibleName():
            continue
        interface = QAccessible.queryAccessibleInterface(combo)
        # The combo's own name, else its label's; never its current text.
        name = combo.accessibleName() or (interface.text(QAccessible.Text.Name) if interface is not None else "")
        if name and name != combo.currentText():
            view.setAccessibleName(translate("Accessibility", "{name} choices").format(name=name))
        else:
            view.setAccessibleName(translate("Accessibility", "Choices"))
