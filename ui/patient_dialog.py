"""Create or edit a patient, validated by ``models.case.parse_patient`` before anything is stored.

An invalid field is highlighted (a red frame plus a "!" prefix in its label, not colour alone) with
the one-line message naming it; the dialog stays open and nothing is returned.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.case import SEXES, CaseError, Patient, parse_patient
from ui.accessibility import name_combo_popups
from ui.i18n import QT_TRANSLATE_NOOP
from ui.palette import base_palette, error_text_style, follow_palette, invalid_field_style


def tr(text: str) -> str:
    return QCoreApplication.translate("PatientDialog", text)


translate = QCoreApplication.translate


SEX_WORDS = {"female": QT_TRANSLATE_NOOP("PatientDialog", "Female"), "male": QT_TRANSLATE_NOOP("PatientDialog", "Male"),
             "other": QT_TRANSLATE_NOOP("PatientDialog", "Other"), "unknown": QT_TRANSLATE_NOOP("PatientDialog", "Unknown")}
FIELD_LABELS = {"mrn": QT_TRANSLATE_NOOP("PatientDialog", "&MRN"), "family_name": QT_TRANSLATE_NOOP("PatientDialog", "&Family name"), "given_name": QT_TRANSLATE_NOOP("PatientDialog", "&Given name"),
                "birth_date": QT_TRANSLATE_NOOP("PatientDialog", "&Birth date (YYYY-MM-DD)"), "sex": QT_TRANSLATE_NOOP("PatientDialog", "&Sex")}


class PatientDialog(QDialog):
    def __init__(self, patient: Patient | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("PatientDialog", "Edit patient") if patient else translate("PatientDialog", "New patient"))
        self.setObjectName("patient_dialog")
        self.result_patient: Patient | None = None
        self.mrn = QLineEdit()
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(translate("PatientDialog", "YYYY-MM-DD"))
        self.birth_date.setInputMask("")
        self.sex = QComboBox()
        for value in SEXES:
            self.sex.addItem(tr(SEX_WORDS.get(value, value.capitalize())), value)
        self.sex.setCurrentIndex(SEXES.index("unknown"))
        self.fields: dict[str, QWidget] = {
            "mrn": self.mrn, "family_name": self.family_name, "given_name": self.given_name,
            "birth_date": self.birth_date, "sex": self.sex,
        }
        form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for name, widget in self.fields.items():
            widget.setObjectName(name)
            label = QLabel(tr(FIELD_LABELS[name]))
            label.setBuddy(widget)
            widget.setAccessibleName(tr(FIELD_LABELS[name]).replace("&", ""))
            form.addRow(label, widget)
            self.labels[name] = label
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        follow_palette(self.error, error_text_style)
        self.error.setAccessibleName(translate("PatientDialog", "Error"))
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        name_combo_popups(self)
        if patient:
            self.mrn.setText(patient.mrn)
            self.family_name.setText(patient.family_name)
            self.given_name.setText(patient.given_name)
            self.birth_date.setText(patient.birth_date.isoformat())
            self.sex.setCurrentIndex(SEXES.index(patient.sex))
        # Tab follows the form.
        order = list(self.fields.values())
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    def raw(self) -> dict[str, str]:
        return {
            "mrn": self.mrn.text(), "family_name": self.family_name.text(), "given_name": self.given_name.text(),
            "birth_date": self.birth_date.text().strip(), "sex": str(self.sex.currentData()),
        }

    def try_accept(self) -> None:
        """Validate; on success keep the Patient and close, otherwise highlight the field."""
        self.clear_errors()
        try:
            patient = parse_patient(self.raw(), on=dt.date.today())
        except CaseError as exc:
            self.show_error(exc.field.removeprefix("patient."), exc.message)
            return
        self.result_patient = patient
        self.accept()

    def show_error(self, field: str, message: str) -> None:
        widget = self.fields.get(field)
        name = tr(FIELD_LABELS.get(field, field)).replace("&", "")
        self.error.setText(f"{name}: {message}")
        self.error.show()
        if widget is not None:
            widget.setStyleSheet(invalid_field_style(base_palette(widget)))
            widget.setProperty("invalid", True)
            self.labels[field].setText("! " + tr(FIELD_LABELS[field]))
            widget.setAccessibleDescription(message)
            widget.setFocus()

    def clear_errors(self) -> None:
        self.error.hide()
        for name, widget in self.fields.items():
            widget.setStyleSheet("")
            widget.setProperty("invalid", False)
            widget.setAccessibleDescription("")
            self.labels[name].setText(tr(FIELD_LABELS[name]))

    def invalid_fields(self) -> list[str]:
        return [name for name, w in self.fields.items() if w.property("invalid")]


