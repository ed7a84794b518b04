"""The "Who saw this patient" dialog: every audit row about the chosen patient (views, prints,
exports, changes), as ``kneecheck audit --patient`` lists them, with "Export CSV…".

The rows are read (and the look itself audited as ``access_listed``) off the GUI thread through
the OpRunner; the dialog gets plain :class:`models.access.PatientAccess` records. The table is one
Tab stop (no Tab navigation inside it); the lock closes the dialog with every other one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QLabel, QPushButton, QTableView, QVBoxLayout

from models.records import PatientRecord, StoreError
from ui import messages
from ui.i18n import QT_TRANSLATE_NOOP
from ui.tables import RecordTable

if TYPE_CHECKING:
    from models.access import PatientAccess
    from ui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("AccessDialog", text)


translate = QCoreApplication.translate


KIND_WORDS = {  # the list's words for models.access.ACTION_KINDS, translated where shown (tr)
    "view": QT_TRANSLATE_NOOP("AccessDialog", "View"),
    "print": QT_TRANSLATE_NOOP("AccessDialog", "Print"),
    "export": QT_TRANSLATE_NOOP("AccessDialog", "Export"),
    "change": QT_TRANSLATE_NOOP("AccessDialog", "Change"),
    "audit": QT_TRANSLATE_NOOP("AccessDialog", "Audit list"),
    "other": QT_TRANSLATE_NOOP("AccessDialog", "Other"),
}


class AccessTable(RecordTable):
    """One audit row per line, oldest first, as the store returned them (headers translated by RecordTable)."""

    HEADERS = (QT_TRANSLATE_NOOP("Tables", "When (UTC)"), QT_TRANSLATE_NOOP("Tables", "Clinician"),
               QT_TRANSLATE_NOOP("Tables", "Workstation"), QT_TRANSLATE_NOOP("Tables", "OS user"),
               QT_TRANSLATE_NOOP("Tables", "What"), QT_TRANSLATE_NOOP("Tables", "Encounter"),
               QT_TRANSLATE_NOOP("Tables", "Detail"))  # the context RecordTable translates headers in

    def cell(self, record: Any, column: int) -> str:
        if column == 0:
            return str(record.at.strftime("%Y-%m-%d %H:%M:%S"))
        if column == 4:
            return f"{tr(KIND_WORDS.get(record.kind, QT_TRANSLATE_NOOP('AccessDialog', 'Other')))}: {record.action}"
        if column == 5:
            return "" if record.encounter_id is None else str(record.encounter_id)
        return str((record.clinician, record.workstation, record.os_user, "", "", record.detail)[column - 1])


class AccessDialog(QDialog):
    """The list and its two buttons: Export CSV… and Close."""

    def __init__(self, window: MainWindow, patient: PatientRecord, rows: list[PatientAccess]) -> None:
        super().__init__(window)
        self.w, self.patient, self.rows = window, patient, rows
        self.setObjectName("access_dialog")
        self.setWindowTitle(translate("AccessDialog", "Who saw this patient"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        heading = QLabel(translate("AccessDialog", "{name}, MRN {mrn}: {n} audit rows (views, prints, exports and changes), oldest first")
                         .format(name=f"{patient.family_name}, {patient.given_name}", mrn=patient.mrn, n=len(rows)))
        heading.setObjectName("access_heading")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.model = AccessTable(self)
        self.model.set_records(rows)
        self.table = QTableView(self)
        self.table.setObjectName("access_table")
        self.table.setAccessibleName(translate("AccessDialog", "Who saw this patient"))
        self.table.setAccessibleDescription(translate("AccessDialog", "One audit row per line: when, who, where and what"))
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)  # one Tab stop: arrows move inside, Tab leaves (PITFALLS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        heading.setBuddy(self.table)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(translate("AccessDialog", "Export &CSV\u2026"), self)
        self.export_button.setObjectName("access_export")
        self.export_button.setAccessibleName(translate("AccessDialog", "Export CSV"))
        self.export_button.setEnabled(bool(rows))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export_csv)
        layout.addWidget(buttons)
        self.resize(900, 480)

    def export_csv(self) -> None:
        """Ask for a new file, then write it (0600) and audit it, off the GUI thread."""
        w, rows, patient = self.w, self.rows, self.patient
        path, _chosen = w.ask_save_path(translate("AccessDialog", "Export who saw this patient"), "who-saw-this-patient.csv",
                                        translate("AccessDialog", "CSV files (*.csv)"))
        if not path:
            return
        try:
            who = w.actor()
        except StoreError:
            return

        def write(store: Any) -> str:
            from models.access import access_csv
            from models.files import FileWriteError, write_private_file

            try:
                write_private_file(path, access_csv(rows).encode("utf-8"), overwrite=False)
            except FileWriteError as exc:
                raise StoreError(str(exc)) from None
            store.record_event("access_listed", who, patient_id=patient.id,
                               detail=f"who saw this patient: {len(rows)} row(s) to a CSV file")
            return path

        w.ops.run("export who saw this patient", write,
                  success=lambda written: w.statusBar().showMessage(translate("AccessDialog", "Written: {path}").format(path=written), 8000),
                  failure=lambda exc: w.tell(messages.STORE_FAILED, reason=str(exc)))


def show_who_saw(window: MainWindow) -> None:
    """Read the chosen patient's audit rows off the GUI thread (auditing the look), then show them."""
    patient = window.patients_ctl.patient
    if patient is None:
        return
    who = window.actor()
    patient_id = patient.id

    def read(store: Any) -> list[PatientAccess]:
        store.record_event("access_listed", who, patient_id=patient_id, detail="who saw this patient")
        return store.patient_access(patient_id=patient_id)  # type: ignore[no-any-return]

    def shown(rows: list[PatientAccess]) -> None:
        if window.is_window_locked():  # locked while it was read: show nothing over the lock
            return
        AccessDialog(window, patient, rows).open()  # window-modal, not blocking: the lock can close it

    window.ops.run("who saw this patient", read, success=shown,
                   failure=lambda exc: window.tell(messages.STORE_FAILED, reason=str(exc)))
