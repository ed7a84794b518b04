"""The window's questions and messages, in one place: every controller asks the clinician through
these methods of the window (never through QMessageBox or a dialog's ``exec()`` directly), so a test
patches one method on the window and never blocks on a modal dialog.

:class:`AskingWindow` is the main window's base class (a QMainWindow); it holds no state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from ui import messages
from ui.messages import Message

if TYPE_CHECKING:
    from ui.dialogs import SettingsDialog
    from ui.patient_dialog import PatientDialog


class AskingWindow(QMainWindow):
    def tell(self, message: Message, **values: object) -> None:
        title, text = message.format(**values)
        box = {"critical": QMessageBox.critical, "information": QMessageBox.information}.get(
            message.severity, QMessageBox.warning)
        box(self, title, text)

    def ask(self, message: Message, buttons: QMessageBox.StandardButton, **values: object) -> QMessageBox.StandardButton:
        title, text = message.format(**values)
        return QMessageBox.question(self, title, text, buttons)

    def ask_yes(self, message: Message, **values: object) -> bool:
        """A Yes/No question through :meth:`ask`; True for Yes."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return self.ask(message, buttons, **values) == QMessageBox.StandardButton.Yes

    def ask_patient(self, dialog: PatientDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_amend_reason(self) -> str | None:
        from ui.dialogs import AmendDialog

        dialog = AmendDialog(self)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None

    def ask_conflict(self, rows: list[tuple[str, str, str]], what: str = "encounter") -> int:
        from ui.dialogs import ConflictDialog

        dialog = ConflictDialog(rows, self, what=what)
        dialog.exec()
        return dialog.choice

    def ask_settings(self, dialog: SettingsDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_printer(self, printer: Any) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def show_unexpected(self, kind: str, log_path: str) -> None:
        """Connected to the exception relay: the window and its content stay as they are."""
        self.tell(messages.UNEXPECTED_ERROR, kind=kind, log=log_path)
