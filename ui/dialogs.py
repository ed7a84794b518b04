"""Small dialogs of the encounter workflow: amend (with a required reason), a save conflict from
another workstation (both versions side by side) and the workstation settings.

Each has an ``ask``-style entry point the main window calls and tests patch, so no test ever
blocks on ``exec()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.accessibility import name_combo_popups
from ui.i18n import shown_catalogue
from ui.palette import error_text_style, follow_palette
from ui.settings import IDLE_LOCK_MINUTES_RANGE, PAPER_SIZES, Settings


def tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


translate = QCoreApplication.translate


class AmendDialog(QDialog):
    """Asks why a finalized encounter is being amended; OK stays disabled until a reason is typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Dialogs", "Amend encounter"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("amend_reason")
        self.reason.setAccessibleName(translate("Dialogs", "Reason for the amendment"))
        self.reason.setTabChangesFocus(True)
        label = QLabel(translate("Dialogs", "&Reason for the amendment (required; printed on the summary):"))
        label.setBuddy(self.reason)
        label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda: ok.setEnabled(bool(self.reason.toPlainText().strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class ConflictDialog(QDialog):
    """Another workstation saved first: show each differing field, theirs beside yours.

    Nothing is lost whichever way the clinician goes: "Keep mine" saves the window's content on
    top of theirs (as a new version, their save stays in the history); "Reload theirs" replaces
    the window's content with the stored version.
    """

    KEEP_MINE = 1
    RELOAD_THEIRS = 2

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None, *,
                 what: str = "encounter") -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Dialogs", "Saved elsewhere in the meantime"))
        self.choice = 0
        intro = QLabel(translate("Dialogs", "This patient's details were changed and saved on another workstation after you opened "
                          "them. Nothing has been overwritten. The differences:") if what == "patient" else
                       translate("Dialogs", "This encounter was changed and saved on another workstation after you opened it. "
                          "Nothing has been overwritten. The differences:"))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("conflict_table")
        self.table.setAccessibleName(translate("Dialogs", "Differences between the stored version and yours"))
        self.table.setHorizontalHeaderLabels([translate("Dialogs", "Field"), translate("Dialogs", "Stored (other workstation)"), translate("Dialogs", "Yours (this window)")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # one Tab stop: arrows move between cells
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(r, c, cell)
        keep = QPushButton(translate("Dialogs", "&Keep mine (save on top)"))
        reload_ = QPushButton(translate("Dialogs", "&Reload theirs"))
        cancel = QPushButton(translate("Dialogs", "Decide &later"))
        keep.clicked.connect(lambda: self._choose(self.KEEP_MINE))
        reload_.clicked.connect(lambda: self._choose(self.RELOAD_THEIRS))
        cancel.clicked.connect(self.reject)
        box = QDialogButtonBox()
        box.addButton(keep, QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton(reload_, QDialogButtonBox.ButtonRole.DestructiveRole)
        box.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(box)
        self.resize(720, 360)

    def _choose(self, choice: int) -> None:
        self.choice = choice
        self.accept()


def conflict_rows(stored: Mapping[str, Any], mine: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(field, stored, yours) for every field that differs; findings named by their short label."""
    catalogue = shown_catalogue()
    rows = []
    for key in list(dict.fromkeys([*stored, *mine])):
        a, b = stored.get(key), mine.get(key)
        if a == b:
            continue
        item = catalogue.by_id.get(key)
        name = item.short if item else key.replace("_", " ").capitalize()
        rows.append((name, translate("Dialogs", "Not assessed") if a is None else str(a), translate("Dialogs", "Not assessed") if b is None else str(b)))
    return rows


class SettingsDialog(QDialog):
    """Clinic letterhead, default clinician, paper size and idle lock time for this workstation."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Dialogs", "Settings"))
        self._original = settings
        self.clinic_name = QLineEdit(settings.clinic_name)
        self.clinic_address = QPlainTextEdit(settings.clinic_address)
        self.clinic_address.setTabChangesFocus(True)
        self.clinic_address.setFixedHeight(70)
        self.default_clinician = QLineEdit(settings.default_clinician)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES))
        self.paper.setCurrentText(settings.paper)
        self.idle_lock_minutes = QSpinBox()
        self.idle_lock_minutes.setRange(*IDLE_LOCK_MINUTES_RANGE)
        self.idle_lock_minutes.setSuffix(translate("Dialogs", " min"))
        self.idle_lock_minutes.setValue(settings.idle_lock_minutes)
        self.mrn_system = QLineEdit(settings.mrn_system)
        self.mrn_system.setPlaceholderText(translate("Dialogs", "e.g. urn:oid:1.2.3 (empty: $KNEECHECK_MRN_SYSTEM, else urn:kneecheck:mrn)"))
        self.facility = QLineEdit(settings.facility)
        self.facility.setPlaceholderText(translate("Dialogs", "HL7 sending facility (empty: $KNEECHECK_FACILITY, else KNEECHECK)"))
        self.mllp_destination = QLineEdit(settings.mllp_destination)
        self.mllp_destination.setPlaceholderText(translate("Dialogs", "HOST:PORT of the record system (empty: no sending)"))
        self.advance_on_answer = QCheckBox(translate("Dialogs", "A key that answers an item moves to the next item"))
        self.advance_on_answer.setObjectName("advance_on_answer")
        self.advance_on_answer.setChecked(settings.advance_on_answer)
        from models import i18n

        self.language = QComboBox()
        self.language.setObjectName("language")
        from ui.i18n import chosen_language

        system = chosen_language("")  # what the window starts in without a choice here
        self.language.addItem(translate("Dialogs", "System language ({language})").format(
            language=i18n.language_name(system)), "")
        for code in i18n.available_languages():
            self.language.addItem(i18n.language_name(code), code)
        found = self.language.findData(settings.language)
        self.language.setCurrentIndex(max(found, 0))
        self.language.setToolTip(translate("Dialogs", "The window's language from the next start of KneeCheck; "
                                                      "summaries are printed in it unless another is chosen"))
        self.error = QLabel()
        self.error.setObjectName("settings_error")
        self.error.setWordWrap(True)
        follow_palette(self.error, error_text_style)
        self.error.hide()
        form = QFormLayout()
        for text, widget in ((translate("Dialogs", "Clinic &name"), self.clinic_name), (translate("Dialogs", "Clinic &address"), self.clinic_address),
                             (translate("Dialogs", "Default &clinician"), self.default_clinician), (translate("Dialogs", "&Paper size"), self.paper),
                             (translate("Dialogs", "&Lock after no use for"), self.idle_lock_minutes),
                             (translate("Dialogs", "&MRN identifier system (FHIR)"), self.mrn_system),
                             (translate("Dialogs", "HL7 &facility"), self.facility),
                             (translate("Dialogs", "Send records &to (MLLP)"), self.mllp_destination),
                             (translate("Dialogs", "C&hecklist"), self.advance_on_answer),
                             (translate("Dialogs", "Lan&guage (from the next start)"), self.language)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
        note = QLabel(translate("Dialogs", "Stored on this workstation only; no patient data is kept in settings."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)
        name_combo_popups(self)

    def problem(self) -> tuple[QWidget, str] | None:
        """The first field that is not valid, and why: the rules of models/settings.py, which the
        command line applies too; the error names its field, so that field gets the focus."""
        problems = self.settings().problems()
        if not problems:
            return None
        fields: dict[str, QWidget] = {
            "clinic_name": self.clinic_name, "clinic_address": self.clinic_address,
            "default_clinician": self.default_clinician, "paper": self.paper,
            "idle_lock_minutes": self.idle_lock_minutes, "mrn_system": self.mrn_system,
            "facility": self.facility, "mllp_destination": self.mllp_destination,
            "advance_on_answer": self.advance_on_answer, "language": self.language,
        }
        return fields[problems[0].field], problems[0].message

    def _accept_if_valid(self) -> None:
        found = self.problem()
        if found is None:
            self.accept()
            return
        widget, text = found
        self.error.setText(text)
        self.error.show()
        widget.setFocus()

    def settings(self) -> Settings:
        import dataclasses

        # replace(): a setting this dialog does not show (window geometry...) keeps its value.
        return dataclasses.replace(self._original, clinic_name=self.clinic_name.text().strip(),
                        clinic_address=self.clinic_address.toPlainText().strip(),
                        default_clinician=self.default_clinician.text().strip(),
                        paper=self.paper.currentText(), idle_lock_minutes=self.idle_lock_minutes.value(),
                        mrn_system=self.mrn_system.text().strip(), facility=self.facility.text().strip(),
                        mllp_destination=self.mllp_destination.text().strip(),
                        advance_on_answer=self.advance_on_answer.isChecked(),
                        language=str(self.language.currentData() or ""))
