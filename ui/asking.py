"""The window's questions and messages, in one place: every controller asks the clinician through
these methods of the window (never through QMessageBox or a dialog's ``exec()`` directly), so a test
patches one method on the window and never blocks on a modal dialog.

One rule for the lock: nothing is shown over it. While :meth:`AskingWindow.is_window_locked`, every
``ask_*`` answers at once with its cancel (No, Cancel, decide later, no file) without showing
anything, and every ``tell`` waits; after the unlock (:meth:`AskingWindow.after_unlock`) the
status bar says which flows were not done because of the lock, and the messages kept are shown.
A flow that must not lose what was typed (a patient's details) asks :meth:`later` to run it again
after the unlock instead of being answered "cancel".

:class:`AskingWindow` is the main window's base class (a QMainWindow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMessageBox, QWidget

from ui import messages
from ui.messages import Message

if TYPE_CHECKING:
    from ui.dialogs import SettingsDialog
    from ui.patient_dialog import PatientDialog


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


class AskingWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._not_done: list[str] = []  # flows answered "cancel" because the window was locked
        self._kept: list[tuple[Message, dict[str, object]]] = []  # messages that came while locked
        self._later: list[Callable[[], object]] = []

    # --- the lock ---------------------------------------------------------------------------------

    def is_window_locked(self) -> bool:
        """Overridden by the main window: True while the lock screen is shown."""
        return False

    def _refused_locked(self, what: str) -> bool:
        """True (and ``what`` is said after the unlock) when the window is locked: ask nothing."""
        if not self.is_window_locked():
            return False
        if what not in self._not_done:
            self._not_done.append(what)
        return True

    def status_note(self, what: str) -> None:
        """``what`` (a sentence) was not done because the window was locked: said after the unlock."""
        if self.is_window_locked():
            self._refused_locked(what)
        else:
            self.statusBar().showMessage(what)

    def later(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` after the unlock (now, when not locked)."""
        if self.is_window_locked():
            self._later.append(callback)
        else:
            callback()

    def after_unlock(self) -> None:
        """Called once the working area is shown again: say what was not done, show what was kept."""
        not_done, self._not_done = self._not_done, []
        kept, self._kept = self._kept, []
        later, self._later = self._later, []
        if not_done:
            self.statusBar().showMessage(" ".join(not_done))
        for message, values in kept:
            self.tell(message, **values)
        for callback in later:
            callback()

    # --- messages and questions --------------------------------------------------------------------

    def tell(self, message: Message, **values: object) -> None:
        if self.is_window_locked():
            self._kept.append((message, values))  # shown after the unlock, never over the lock
            return
        title, text = message.format(**values)
        box = {"critical": QMessageBox.critical, "information": QMessageBox.information}.get(
            message.severity, QMessageBox.warning)
        box(self, title, text)

    def ask(self, message: Message, buttons: QMessageBox.StandardButton, **values: object) -> QMessageBox.StandardButton:
        title, text = message.format(**values)
        if self._refused_locked(translate("MainWindow", "{what} was not done: the window was locked.").format(what=title)):
            for cancel in (QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.No):
                if buttons & cancel:
                    return cancel
            return QMessageBox.StandardButton.NoButton
        return QMessageBox.question(self, title, text, buttons)

    def ask_yes(self, message: Message, **values: object) -> bool:
        """A Yes/No question through :meth:`ask`; True for Yes."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return self.ask(message, buttons, **values) == QMessageBox.StandardButton.Yes

    def ask_patient(self, dialog: PatientDialog) -> bool:
        if self._refused_locked(translate("MainWindow", "The patient's details were not shown: the window was locked.")):
            return False
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_amend_reason(self) -> str | None:
        from ui.dialogs import AmendDialog

        if self._refused_locked(translate("MainWindow", "Amend was not done: the window was locked.")):
            return None
        dialog = AmendDialog(self)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None

    def ask_conflict(self, rows: list[tuple[str, str, str]], what: str = "encounter") -> int:
        from ui.dialogs import ConflictDialog

        if self._refused_locked(translate("MainWindow", "A conflict with another workstation waits: the window was locked.")):
            return 0  # decide later: neither Keep mine nor Reload theirs
        dialog = ConflictDialog(rows, self, what=what)
        dialog.exec()
        return dialog.choice

    def ask_settings(self, dialog: SettingsDialog) -> bool:
        if self._refused_locked(translate("MainWindow", "Settings were not changed: the window was locked.")):
            return False
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_printer(self, printer: Any) -> bool:
        from PySide6.QtPrintSupport import QPrintDialog

        if self._refused_locked(translate("MainWindow", "Print was not done: the window was locked. Print again.")):
            return False
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def ask_item(self) -> str | None:
        """The text typed in "Go to finding"; None when cancelled or locked."""
        from PySide6.QtWidgets import QInputDialog

        if self._refused_locked(translate("MainWindow", "Go to finding was not done: the window was locked.")):
            return None
        # A plain text field: a completing list took the first Return for its completion and the
        # next answer key landed in the dialog.
        text, ok = QInputDialog.getText(self, translate("MainWindow", "Go to finding"), translate("MainWindow", "Finding (type part of its name):"))
        return text if ok and text.strip() else None

    def ask_save_path(self, caption: str, name: str, filters: str) -> tuple[str, str]:
        """A file to write (and the filter chosen); ("", "") when cancelled or locked."""
        if self._refused_locked(translate("MainWindow", "Export was not done: the window was locked. Export again.")):
            return "", ""
        import os

        # In the folder of the last export, else the user's documents (never the program's folder).
        from PySide6.QtCore import QStandardPaths

        folder = getattr(self, "_export_folder", "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or os.path.expanduser("~")
        if not os.path.isdir(folder):
            folder = os.path.expanduser("~")
        path, chosen = QFileDialog.getSaveFileName(self, caption, os.path.join(folder, name), filters)
        if path:
            self._export_folder = os.path.dirname(os.path.abspath(path))
        return path, chosen

    def show_unexpected(self, kind: str, log_path: str) -> None:
        """Connected to the exception relay: the window and its content stay as they are."""
        self.tell(messages.UNEXPECTED_ERROR, kind=kind, log=log_path)
