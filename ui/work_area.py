"""The working area's widgets, as one typed object: the patient side (search, patients found, the
patient's encounters), the encounter side (header fields, checklist page, notes, summary preview,
banners) and the assessment panel, in a splitter (``page``).

Construction only: what the widgets do is connected to the controllers (ui.patients,
ui.encounter_view). Built once, after the window is shown (see MainWindow.build_work_area); the
window hands out these attributes under the same names (``window.search``, ``window.knee``...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject
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

from ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QDateEdit, QPlainTextEdit, QSplitter, QTableView, QTabWidget

    from models.catalogue import Catalogue
    from ui.assessment_panel import AssessmentPanel
    from ui.encounter_editor import EncounterEditor
    from ui.main_window import MainWindow
    from ui.summary_view import SummaryPreview
    from ui.tables import EncounterTable, PatientTable


KNEE_WORDS = {"left": QT_TRANSLATE_NOOP("MainWindow", "Left"), "right": QT_TRANSLATE_NOOP("MainWindow", "Right"),
              "both": QT_TRANSLATE_NOOP("MainWindow", "Both")}


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


class HeaderFlow(QObject):
    """The encounter's status beside its date, knee and clinician when the header is wide enough
    for both, else on a line of its own below them (a narrow screen: the fields keep their width
    and the status is not squeezed into a column of single words)."""

    STATUS_MIN_CHARS = 28  # "New draft, not saved yet" and a few more letters on one line

    def __init__(self, header: QWidget, fields: QHBoxLayout, rows: QVBoxLayout, status: QLabel) -> None:
        super().__init__(header)
        self.header, self.fields, self.rows, self.status = header, fields, rows, status
        header.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.header and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def beside(self) -> bool:
        return self.fields.indexOf(self.status) >= 0

    def fit(self) -> None:
        items = [self.fields.itemAt(i) for i in range(self.fields.count())]
        fields = sum(item.sizeHint().width() for item in items if item is not None and item.widget() is not self.status)
        fields += self.fields.spacing() * self.fields.count()
        status = self.status.fontMetrics().averageCharWidth() * self.STATUS_MIN_CHARS
        wide = self.header.contentsRect().width() >= fields + status
        if wide == self.beside():
            return
        (self.rows if wide else self.fields).removeWidget(self.status)
        if wide:
            self.fields.addWidget(self.status, 1)
        else:
            self.rows.addWidget(self.status)


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
    clinician: QLabel
    header_labels: dict[str, QLabel]
    status_label: QLabel
    checklist_page: QStackedWidget
    checklist_placeholder: QLabel
    notes: QPlainTextEdit
    preview: SummaryPreview
    tabs: QTabWidget
    integrity_banner: QLabel
    ruleset_banner: QLabel
    save_banner: QLabel
    panel: AssessmentPanel
    header_flow: HeaderFlow
    page: QSplitter

    def __init__(self, window: MainWindow) -> None:
        from PySide6.QtWidgets import QSplitter

        from ui.assessment_panel import AssessmentPanel
        from ui.i18n import shown_catalogue

        self.catalogue = shown_catalogue()
        _build_patient_side(self, window)
        _build_encounter_side(self, window)
        self.panel = AssessmentPanel(self.catalogue)
        self.panel.setMinimumWidth(300)
        self.page = QSplitter()
        self.page.setObjectName("main_splitter")
        for index, (widget, stretch) in enumerate(((self.patient_side, 1), (self.encounter_side, 4), (self.panel, 1))):
            self.page.addWidget(widget)
            self.page.setStretchFactor(index, stretch)
        self.page.setSizes([260, 740, 340])  # at 1366 px; a narrower or wider window scales by the stretches
        self.chain_tab_order(None)

    def tab_ring(self, editor: EncounterEditor | None) -> list[QWidget]:
        """The window's Tab order, one round: the patient side, the encounter's header, the tab bar,
        the page shown (the checklist's answers in on-screen order, or the notes, or the summary), then
        the assessment panel's table and next steps, and back to the search field. Widgets not shown now (the
        pages of other tabs, the Ottawa questions before trauma) are passed over by Tab itself."""
        ring: list[QWidget] = [self.search, self.patient_view, self.new_patient_button, self.edit_patient_button,
                               self.encounter_view, self.new_encounter_button, self.date_edit, self.knee,
                               self.clinician, self.tabs.tabBar()]
        if editor is not None and editor.is_built():
            ring += [editor.controls[i] for i in editor.answer_order()]
        from PySide6.QtCore import Qt

        if self.preview.view is not None:  # the PDF view exists once a summary was shown
            ring.append(self.preview.view)
        ring += [self.notes, *self.panel.tab_stops()]
        # Only widgets that take Tab focus and hold none that do: Qt leaves the order alone for a widget
        # without Tab focus, and puts a container's successor after the container's last child (the
        # tab widget before the checklist made the notes lead back into the checklist, a loop).
        return [w for w in ring if w.focusPolicy() & Qt.FocusPolicy.TabFocus]

    def chain_tab_order(self, editor: EncounterEditor | None) -> None:
        """Apply :meth:`tab_ring`: set once the whole window is built, and again once the editor sits
        in it (an order set on the editor alone was undone by the window: the Tab trap)."""
        ring = self.tab_ring(editor)
        for before, after in zip(ring, ring[1:], strict=False):
            QWidget.setTabOrder(before, after)


def _build_patient_side(w: WorkArea, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    from ui.tables import EncounterTable, PatientTable

    w.patient_side = QWidget()
    w.patient_side.setMinimumWidth(230)  # tables scroll; the editor needs the width more
    layout = QVBoxLayout(w.patient_side)
    layout.setContentsMargins(4, 4, 4, 4)
    search_label = QLabel(translate("MainWindow", "Find pat&ient (name, MRN or birth date):"))  # Alt+F is the File menu
    search_label.setWordWrap(True)  # the side is 230 px wide on a 1024-pixel screen
    w.search = QLineEdit()
    w.search.setObjectName("patient_search")
    w.search.setPlaceholderText(translate("MainWindow", "e.g. Doe, A-1001 or 1961-04-02"))
    w.search.setClearButtonEnabled(True)
    w.search.setAccessibleName(translate("MainWindow", "Find patient"))
    search_label.setBuddy(w.search)
    w.search.textChanged.connect(lambda _t: window.search_timer.start())
    w.search.installEventFilter(window.patients_ctl)  # Return and Down go to the patients found
    w.patients = PatientTable(window)
    w.patient_view = _table(w.patients, "patient_results", translate("MainWindow", "Patients found"))
    w.patient_view.activated.connect(window.patients_ctl.activated)
    w.patient_view.clicked.connect(window.patients_ctl.activated)
    w.search_status = QLabel()
    w.search_status.setObjectName("search_status")
    from ui.flow_layout import FlowLayout

    buttons = FlowLayout(spacing=6)  # one above the other when the patient side is narrow
    w.new_patient_button = QPushButton(translate("MainWindow", "New &patient\u2026"))
    w.new_patient_button.setObjectName("new_patient_button")
    w.new_patient_button.clicked.connect(window.new_patient)
    w.edit_patient_button = QPushButton(translate("MainWindow", "Edi&t patient\u2026"))  # Alt+E is the Encounter menu
    w.edit_patient_button.setObjectName("edit_patient_button")
    w.edit_patient_button.clicked.connect(window.edit_patient)
    buttons.addWidget(w.new_patient_button)
    buttons.addWidget(w.edit_patient_button)

    w.patient_header = QLabel(translate("MainWindow", "No patient selected"))
    w.patient_header.setObjectName("patient_header")
    w.patient_header.setWordWrap(True)
    w.patient_header.setTextFormat(Qt.TextFormat.PlainText)
    w.patient_header.setStyleSheet("font-weight: bold; font-size: 11pt;")
    w.encounters = EncounterTable(window)
    encounters_label = QLabel(translate("MainWindow", "Enco&unters (newest first):"))
    w.encounter_view = _table(w.encounters, "encounter_list", translate("MainWindow", "Encounters"))
    encounters_label.setBuddy(w.encounter_view)
    w.encounter_view.activated.connect(window.patients_ctl.encounter_activated)
    w.encounter_view.doubleClicked.connect(window.patients_ctl.encounter_activated)
    w.new_encounter_button = QPushButton(translate("MainWindow", "&New encounter"))
    w.new_encounter_button.setObjectName("new_encounter_button")
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
    from PySide6.QtWidgets import QComboBox, QGroupBox, QPlainTextEdit, QTabWidget

    from models.case import KNEES
    from ui.fields import DateField
    from ui.palette import banner_style, follow_palette
    from ui.summary_view import SummaryPreview

    w.encounter_side = QWidget()
    layout = QVBoxLayout(w.encounter_side)
    layout.setContentsMargins(4, 4, 4, 4)
    header = QGroupBox(translate("MainWindow", "Encounter"))
    header.setObjectName("encounter_header")
    rows = QVBoxLayout(header)
    form = QHBoxLayout()
    rows.addLayout(form)
    w.date_edit = DateField(QDate.currentDate())
    w.date_edit.setObjectName("encounter_date")
    w.date_edit.setDisplayFormat("yyyy-MM-dd")
    w.date_edit.setCalendarPopup(True)
    w.knee = QComboBox()
    w.knee.setObjectName("knee")
    w.knee.addItem(translate("MainWindow", "Choose\u2026"), None)
    for knee in KNEES:
        w.knee.addItem(tr(KNEE_WORDS.get(knee, knee.capitalize())), knee)
    # The clinician recorded and printed is the signed-in account (ui.encounter_session): shown, not typed.
    w.clinician = QLabel()
    w.clinician.setObjectName("clinician")
    w.clinician.setTextFormat(Qt.TextFormat.PlainText)
    w.status_label = QLabel()
    w.status_label.setObjectName("encounter_status")
    w.status_label.setTextFormat(Qt.TextFormat.PlainText)
    w.status_label.setWordWrap(True)
    w.header_labels = {}
    for text, widget in ((translate("MainWindow", "&Date"), w.date_edit), (translate("MainWindow", "&Knee"), w.knee), (translate("MainWindow", "Clinician"), w.clinician)):
        sub = QFormLayout()
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        sub.addRow(label, widget)
        form.addLayout(sub)
        w.header_labels[widget.objectName()] = label
    form.addWidget(w.status_label, 1)
    w.header_flow = HeaderFlow(header, form, rows, w.status_label)
    w.date_edit.dateChanged.connect(window.encounter_ui.info_changed)
    w.knee.currentIndexChanged.connect(window.encounter_ui.info_changed)

    # Until an encounter is open the checklist page shows what to do; the editor itself is
    # built after the window is shown (see attach_store) and added to this stack.
    w.checklist_page = QStackedWidget()
    w.checklist_page.setObjectName("checklist_page")
    w.checklist_placeholder = QLabel(translate("MainWindow", "Choose a patient, then New encounter (Ctrl+N)."))
    w.checklist_placeholder.setObjectName("checklist_placeholder")
    w.checklist_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.checklist_placeholder.setWordWrap(True)
    w.checklist_page.addWidget(w.checklist_placeholder)
    w.notes = QPlainTextEdit()
    w.notes.setObjectName("notes")
    w.notes.setAccessibleName(translate("MainWindow", "Clinician's notes"))
    w.notes.setTabChangesFocus(True)
    w.notes.textChanged.connect(window.encounter_ui.notes_changed)
    w.preview = SummaryPreview()
    w.tabs = QTabWidget()
    w.tabs.setObjectName("encounter_tabs")
    # Its tab bar is the Tab stop (see WorkArea.tab_ring); the tab widget itself taking Tab focus too
    # made Tab from the last widget of the round jump to the tab bar instead of the search field.
    w.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    w.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Qt passed NoFocus on to its focus proxy
    # Accessible names for what a screen reader reaches without a label of its own: the tabs, the
    # knee list's popup, the checklist's scrolling area (added to the page once the editor is built).
    w.tabs.setAccessibleName(translate("MainWindow", "Encounter"))
    w.knee.view().setAccessibleName(translate("MainWindow", "Knee choices"))
    # (The checklist's scrolling areas are named by the editor itself.)
    w.tabs.addTab(w.checklist_page, translate("MainWindow", "&Checklist"))
    w.tabs.addTab(w.notes, translate("MainWindow", "N&otes"))
    w.tabs.addTab(w.preview, translate("MainWindow", "&Summary"))
    # Shown when an opened encounter fails its integrity check (see _check_integrity).
    w.integrity_banner = QLabel()
    w.integrity_banner.setObjectName("integrity_warning")
    w.integrity_banner.setWordWrap(True)
    w.integrity_banner.setTextFormat(Qt.TextFormat.PlainText)
    follow_palette(w.integrity_banner, lambda p: banner_style(p, "warning", border_width=2,
                                                              extra="padding: 6px; font-weight: bold;"))
    w.integrity_banner.setAccessibleName(translate("MainWindow", "Integrity warning"))
    w.integrity_banner.hide()
    # Shown once a draft assessed under an older rule set is opened, until it is saved (re-assessed).
    w.ruleset_banner = QLabel()
    w.ruleset_banner.setObjectName("ruleset_notice")
    w.ruleset_banner.setWordWrap(True)
    w.ruleset_banner.setTextFormat(Qt.TextFormat.PlainText)
    follow_palette(w.ruleset_banner, lambda p: banner_style(p, "info", extra="padding: 6px;"))
    w.ruleset_banner.setAccessibleName(translate("MainWindow", "Rule set notice"))
    w.ruleset_banner.hide()
    layout.addWidget(header)
    layout.addWidget(w.integrity_banner)
    layout.addWidget(w.ruleset_banner)
    # Shown while the open encounter could not be saved (an incomplete or wrong header), until a save
    # lands or the problem is corrected. A frame and a sign, in the palette's own colours.
    w.save_banner = QLabel()
    w.save_banner.setObjectName("not_saved_banner")
    w.save_banner.setWordWrap(True)
    w.save_banner.setTextFormat(Qt.TextFormat.PlainText)
    w.save_banner.setFrameShape(QLabel.Shape.Box)
    w.save_banner.setLineWidth(2)
    w.save_banner.setMargin(6)
    font = w.save_banner.font()
    font.setBold(True)
    w.save_banner.setFont(font)
    w.save_banner.setAccessibleName(translate("MainWindow", "Not saved"))
    w.save_banner.hide()
    layout.addWidget(w.save_banner)
    layout.addWidget(w.tabs, 1)
