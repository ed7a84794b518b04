"""The working area's widgets, as one typed object: the patient side (search, patients found, the
patient's encounters), the encounter side (header fields, checklist page, notes, summary preview,
banners) and the assessment panel, in a splitter (``page``).

Construction only: what the widgets do is connected to the controllers (ui.patients,
ui.encounter_view). Built once, after the window is shown (see MainWindow.build_work_area); the
window hands out these attributes under the same names (``window.search``, ``window.knee``...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QDateEdit, QPlainTextEdit, QSplitter, QTableView, QTabWidget

    from models.catalogue import Catalogue
    from ui.assessment_panel import AssessmentPanel
    from ui.main_window import MainWindow
    from ui.summary_view import SummaryPreview
    from ui.tables import EncounterTable, PatientTable


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WorkArea:
    """Every widget of the working area, typed; ``page`` holds them all."""

    catalogue: Catalogue
    patient_side: QWidget
    search: QLineEdit
    patients: PatientTable
    patient_view: QTableView
    search_status: QLabel
    new_patient_button: QPushButton
    edit_patient_button: QPushButton
    patient_header: QLabel
    encounters: EncounterTable
    encounter_view: QTableView
    new_encounter_button: QPushButton
    encounter_side: QWidget
    date_edit: QDateEdit
    knee: QComboBox
    clinician: QLineEdit
    status_label: QLabel
    checklist_page: QStackedWidget
    checklist_placeholder: QLabel
    notes: QPlainTextEdit
    preview: SummaryPreview
    tabs: QTabWidget
    integrity_banner: QLabel
    ruleset_banner: QLabel
    panel: AssessmentPanel
    page: QSplitter

    def __init__(self, window: MainWindow) -> None:
        from PySide6.QtWidgets import QSplitter

        from models.catalogue import load_catalogue
        from ui.assessment_panel import AssessmentPanel

        self.catalogue = load_catalogue()
        _build_patient_side(self, window)
        _build_encounter_side(self, window)
        self.panel = AssessmentPanel(self.catalogue)
        self.panel.setMinimumWidth(300)
        self.page = QSplitter()
        self.page.setObjectName("main_splitter")
        for index, (widget, stretch) in enumerate(((self.patient_side, 0), (self.encounter_side, 3), (self.panel, 1))):
            self.page.addWidget(widget)
            self.page.setStretchFactor(index, stretch)
        self.page.setSizes([290, 700, 380])


def _build_patient_side(w: WorkArea, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    from ui.tables import EncounterTable, PatientTable

    w.patient_side = QWidget()
    w.patient_side.setMinimumWidth(230)  # tables scroll; the editor needs the width more
    layout = QVBoxLayout(w.patient_side)
    layout.setContentsMargins(4, 4, 4, 4)
    search_label = QLabel(tr("&Find patient (name, MRN or birth date):"))
    w.search = QLineEdit()
    w.search.setObjectName("patient_search")
    w.search.setPlaceholderText(tr("e.g. Doe, A-1001 or 1961-04-02"))
    w.search.setClearButtonEnabled(True)
    w.search.setAccessibleName(tr("Find patient"))
    search_label.setBuddy(w.search)
    w.search.textChanged.connect(lambda _t: window.search_timer.start())
    w.patients = PatientTable(window)
    w.patient_view = _table(w.patients, "patient_results", tr("Patients found"))
    w.patient_view.activated.connect(window.patients_ctl.activated)
    w.patient_view.clicked.connect(window.patients_ctl.activated)
    w.search_status = QLabel()
    w.search_status.setObjectName("search_status")
    buttons = QHBoxLayout()
    w.new_patient_button = QPushButton(tr("New &patient\u2026"))
    w.new_patient_button.clicked.connect(window.new_patient)
    w.edit_patient_button = QPushButton(tr("&Edit patient\u2026"))
    w.edit_patient_button.clicked.connect(window.edit_patient)
    buttons.addWidget(w.new_patient_button)
    buttons.addWidget(w.edit_patient_button)

    w.patient_header = QLabel(tr("No patient selected"))
    w.patient_header.setObjectName("patient_header")
    w.patient_header.setWordWrap(True)
    w.patient_header.setTextFormat(Qt.TextFormat.PlainText)
    w.patient_header.setStyleSheet("font-weight: bold; font-size: 11pt;")
    w.encounters = EncounterTable(window)
    encounters_label = QLabel(tr("Encoun&ters (newest first):"))
    w.encounter_view = _table(w.encounters, "encounter_list", tr("Encounters"))
    encounters_label.setBuddy(w.encounter_view)
    w.encounter_view.activated.connect(window.patients_ctl.encounter_activated)
    w.encounter_view.doubleClicked.connect(window.patients_ctl.encounter_activated)
    w.new_encounter_button = QPushButton(tr("&New encounter"))
    w.new_encounter_button.clicked.connect(window.new_encounter)

    for widget in (search_label, w.search, w.patient_view, w.search_status):
        layout.addWidget(widget)  # type: ignore[arg-type]
    layout.addLayout(buttons)
    layout.addSpacing(8)
    for item in (w.patient_header, encounters_label, w.encounter_view, w.new_encounter_button):
        layout.addWidget(item)
    layout.setStretchFactor(w.patient_view, 2)
    layout.setStretchFactor(w.encounter_view, 3)


def _table(model: Any, name: str, accessible: str) -> QTableView:
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setTabKeyNavigation(False)
    return view


def _build_encounter_side(w: WorkArea, window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QDateEdit, QGroupBox, QPlainTextEdit, QTabWidget

    from models.case import KNEES
    from ui.palette import banner_style, follow_palette
    from ui.summary_view import SummaryPreview

    w.encounter_side = QWidget()
    layout = QVBoxLayout(w.encounter_side)
    layout.setContentsMargins(4, 4, 4, 4)
    header = QGroupBox(tr("Encounter"))
    header.setObjectName("encounter_header")
    form = QHBoxLayout(header)
    w.date_edit = QDateEdit(QDate.currentDate())
    w.date_edit.setObjectName("encounter_date")
    w.date_edit.setDisplayFormat("yyyy-MM-dd")
    w.date_edit.setCalendarPopup(True)
    w.knee = QComboBox()
    w.knee.setObjectName("knee")
    w.knee.addItem(tr("Choose\u2026"), None)
    for knee in KNEES:
        w.knee.addItem(tr(knee.capitalize()), knee)
    w.clinician = QLineEdit()
    w.clinician.setObjectName("clinician")
    w.status_label = QLabel()
    w.status_label.setObjectName("encounter_status")
    w.status_label.setTextFormat(Qt.TextFormat.PlainText)
    w.status_label.setWordWrap(True)
    for text, widget in ((tr("&Date"), w.date_edit), (tr("&Knee"), w.knee), (tr("C&linician"), w.clinician)):
        sub = QFormLayout()
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        sub.addRow(label, widget)
        form.addLayout(sub)
    form.addWidget(w.status_label, 1)
    w.date_edit.dateChanged.connect(window.encounter_ui.info_changed)
    w.knee.currentIndexChanged.connect(window.encounter_ui.info_changed)
    w.clinician.textEdited.connect(window.encounter_ui.info_changed)

    # Until an encounter is open the checklist page shows what to do; the editor itself is
    # built after the window is shown (see attach_store) and added to this stack.
    w.checklist_page = QStackedWidget()
    w.checklist_page.setObjectName("checklist_page")
    w.checklist_placeholder = QLabel(tr("Choose a patient, then New encounter (Ctrl+N)."))
    w.checklist_placeholder.setObjectName("checklist_placeholder")
    w.checklist_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.checklist_placeholder.setWordWrap(True)
    w.checklist_page.addWidget(w.checklist_placeholder)
    w.notes = QPlainTextEdit()
    w.notes.setObjectName("notes")
    w.notes.setAccessibleName(tr("Clinician's notes"))
    w.notes.setTabChangesFocus(True)
    w.notes.textChanged.connect(window.encounter_ui.notes_changed)
    w.preview = SummaryPreview()
    w.tabs = QTabWidget()
    w.tabs.setObjectName("encounter_tabs")
    # Accessible names for what a screen reader reaches without a label of its own: the tabs, the
    # knee list's popup, the checklist's scrolling area (added to the page once the editor is built).
    w.tabs.setAccessibleName(tr("Encounter"))
    w.knee.view().setAccessibleName(tr("Knee choices"))
    w.checklist_page.widgetAdded.connect(lambda _i: _name_scroll_areas(w.checklist_page, tr("Checklist")))
    w.tabs.addTab(w.checklist_page, tr("&Checklist"))
    w.tabs.addTab(w.notes, tr("N&otes"))
    w.tabs.addTab(w.preview, tr("&Summary"))
    # Shown when an opened encounter fails its integrity check (see _check_integrity).
    w.integrity_banner = QLabel()
    w.integrity_banner.setObjectName("integrity_warning")
    w.integrity_banner.setWordWrap(True)
    w.integrity_banner.setTextFormat(Qt.TextFormat.PlainText)
    follow_palette(w.integrity_banner, lambda p: banner_style(p, "warning", border_width=2,
                                                              extra="padding: 6px; font-weight: bold;"))
    w.integrity_banner.setAccessibleName(tr("Integrity warning"))
    w.integrity_banner.hide()
    # Shown once a draft assessed under an older rule set is opened, until it is saved (re-assessed).
    w.ruleset_banner = QLabel()
    w.ruleset_banner.setObjectName("ruleset_notice")
    w.ruleset_banner.setWordWrap(True)
    w.ruleset_banner.setTextFormat(Qt.TextFormat.PlainText)
    follow_palette(w.ruleset_banner, lambda p: banner_style(p, "info", extra="padding: 6px;"))
    w.ruleset_banner.setAccessibleName(tr("Rule set notice"))
    w.ruleset_banner.hide()
    layout.addWidget(header)
    layout.addWidget(w.integrity_banner)
    layout.addWidget(w.ruleset_banner)
    layout.addWidget(w.tabs, 1)
    QWidget.setTabOrder(w.date_edit, w.knee)
    QWidget.setTabOrder(w.knee, w.clinician)
    QWidget.setTabOrder(w.clinician, w.tabs)


def _name_scroll_areas(page: QWidget, name: str) -> None:
    """Give every unnamed scrolling area on ``page`` the accessible name ``name``."""
    from PySide6.QtWidgets import QScrollArea

    for area in page.findChildren(QScrollArea):
        if not area.accessibleName():
            area.setAccessibleName(name)
