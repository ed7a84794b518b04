"""The exam-room window: find the patient, record the encounter, see the assessment, print it.

Left: patient search as you type (the store's indexed query with a limit, run off the GUI thread)
and the patient's encounters, newest first. Centre: the encounter header (date, knee, clinician),
the checklist editor, notes and the summary preview. Right: the live assessment panel.

Saving: Ctrl+S saves now; every change also restarts a short timer after which the draft is saved
automatically, so a crash loses at most the last few seconds. While an editable draft is open, its
id (a number, no patient data) is kept in QSettings; at the next start a leftover id means the
last session did not close normally and the draft is offered back.

Start-up: the window is shown before the database is open (importing SQLAlchemy alone takes
longer than showing a Qt window), so this module never imports ``models.store``: it names records
and errors from ``models.records``. ``MainWindow()`` starts in an "opening the database" state:
the search field takes typing, actions that need the store are disabled; ``attach_store`` then
enables them and runs the search typed so far. The window starts on the sign-in page, so the
working area behind it (patient side, encounter side, assessment panel) is not built for the first
frame: ``build_work_area`` builds it in idle time right after the window is shown, or at once on
sign-in or on first access to one of its widgets. The checklist editor (hundreds of widgets) is
built in idle time after the store is attached, one group per event-loop turn, or at once when it
is first needed.

Signing in: the working area is one page of a stack; the other is the sign-in page
(:mod:`ui.sign_in`). Until a clinician signs in (or creates the first account) and whenever the
window is locked, the sign-in page is shown instead and every action that reaches patient data is
disabled, so nothing of a patient is on screen. The signed-in :class:`Actor` is the one every
audit row names. The window locks after the workstation's idle time without keyboard or mouse
input (:mod:`ui.idle`), or at once with Lock now (Ctrl+L): a dirty draft is saved first, and
whatever could not be saved stays in the editor, behind the lock, until the window is unlocked.
Any active clinician may unlock; the window then acts in their name.

Widgets never open database sessions: every storage call goes through ``models.store.Store``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.records import (
    AccountError,
    Actor,
    ConflictError,
    EncounterRecord,
    FinalizedError,
    PatientRecord,
    StoreError,
)
from ui import messages
from ui.idle import IdleWatch
from ui.messages import Message
from ui.settings import (
    Settings,
    last_clinician,
    load_settings,
    save_settings,
    set_last_clinician,
    set_open_draft_marker,
)
from ui.sign_in import FIRST_ACCOUNT, LOCKED, OPENING, SIGN_IN, SignInPage
from ui.workers import run_in_pool

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QTableView

    from models.case import EncounterInfo
    from models.store import Store
    from ui.dialogs import SettingsDialog
    from ui.encounter_editor import EncounterEditor
    from ui.patient_dialog import PatientDialog

# Start-up: at first the window shows only the sign-in page, so these are imported where they are
# first used, not here: the dialogs (ui.dialogs, ui.patient_dialog) where they are opened; the
# working area's modules (tables, checklist editor, assessment panel, summary preview), the widget
# classes only it uses (PySide creates each class on first import, some take milliseconds) and
# models.case (with the catalogue, ~20 ms) where they are needed; and PySide6.QtCore.Qt, whose
# enums PySide creates on first use in about 25 ms, a sixth of a whole Qt start.

# The working area's attributes: built by MainWindow.build_work_area, on first access if need be.
WORK_AREA = frozenset({
    "catalogue", "work_page", "patient_side", "search", "patients", "patient_view", "search_status",
    "new_patient_button", "edit_patient_button", "patient_header", "encounters", "encounter_view",
    "new_encounter_button", "encounter_side", "date_edit", "knee", "clinician", "status_label",
    "checklist_page", "checklist_placeholder", "notes", "preview", "tabs", "integrity_banner", "ruleset_banner",
    "panel",
})

SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 50
AUTOSAVE_DELAY_MS = 3000


SEND_TIMEOUT_S = 30.0  # the longest wait for the record system's ACK


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class MainWindow(QMainWindow):
    encounter_saved = Signal(int)
    """A draft was stored (by Ctrl+S or autosave); carries the encounter id."""
    search_done = Signal(int)
    """A patient search finished; carries the number of patients found."""
    store_attached = Signal()
    """The database is open and attached: search and every stored action work from now on."""
    editor_ready = Signal()
    """The checklist editor is built (in idle time after the store was attached, or on first use)."""
    clinician_signed_in = Signal(str)
    """A clinician signed in or unlocked the window; carries the account's name."""
    window_locked = Signal()
    """The window locked itself (idle time or Lock now): patient data is hidden."""

    def __init__(self, store: Store | None = None, settings: Settings | None = None,
                 parent: QWidget | None = None, *, signed_in: Actor | None = None) -> None:
        """Without ``store`` the window opens in the "opening the database" state; see :meth:`attach_store`.
        Without ``signed_in`` it asks for a sign-in (or the first account) once the store is attached."""
        super().__init__(parent)
        self._store: Store | None = None
        self._actor: Actor | None = signed_in  # who every audit row names
        self._locked = False
        self._saving_for_lock = False
        self._when_signed_in: list[Callable[[], object]] = []
        self._editor: EncounterEditor | None = None  # built after the window is shown
        self._work_area_built = False
        self.settings = settings or load_settings()
        self.patient: PatientRecord | None = None
        self.record: EncounterRecord | None = None  # the stored version the editor is based on
        self.editing = False  # an encounter (stored or not yet) is open in the editor
        self.dirty = False
        self._loading = False
        self._hold_autosave = False  # a conflict awaits the clinician's decision
        self._search_seq = 0
        self._pending: set[Any] = set()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.setWindowTitle(tr("KneeCheck"))
        self.setObjectName("main_window")

        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._start_search)
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        # Builds the editor one group per event-loop turn; a 0 ms timer fires when the loop is idle.
        self.editor_build_timer = QTimer(self, interval=0)
        self.editor_build_timer.timeout.connect(self._build_editor_step)

        # The working area (patients, encounter, assessment) is built by build_work_area, see there.
        self.sign_in_page = SignInPage()
        self.sign_in_page.sign_in_requested.connect(self._sign_in)
        self.sign_in_page.create_requested.connect(self._create_first_account)
        self.central = QStackedWidget()
        self.central.setObjectName("central_stack")
        self.central.addWidget(self.sign_in_page)
        self.setCentralWidget(self.central)
        self._build_actions()

        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel(tr("Database: opening\u2026"))
        self.db_label.setObjectName("db_label")
        self.statusBar().addPermanentWidget(self.db_label)
        self.idle_watch = IdleWatch(self.settings.idle_lock_minutes * 60_000, self)
        self.idle_watch.idle.connect(self._idle)

        if signed_in is None:
            self.central.setCurrentWidget(self.sign_in_page)
        else:
            self._signed_in_as(signed_in)
        if store is not None:
            self.attach_store(store)
        else:
            self.statusBar().showMessage(tr("Opening the database\u2026"))
            self._update_actions()

    # --- the working area, the store and the editor, all ready after the window is shown --------

    def build_work_area(self) -> None:
        """Build the patient side, the encounter side and the assessment panel, once.

        At start the window shows the sign-in page, so this is not needed for the first frame:
        ``ui.app`` calls it in idle time right after the window is shown; a sign-in, the store
        being attached, or any access to one of its widgets (``WORK_AREA``) builds it at once."""
        if self._work_area_built:
            return
        self._work_area_built = True  # first: the build reads the widgets it has just made
        from PySide6.QtWidgets import QSplitter

        from models.catalogue import load_catalogue
        from ui.assessment_panel import AssessmentPanel

        self.catalogue = load_catalogue()
        self._build_patient_side()
        self._build_encounter_side()
        self.panel = AssessmentPanel(self.catalogue)
        self.panel.setMinimumWidth(300)
        splitter = QSplitter()
        splitter.setObjectName("main_splitter")
        splitter.addWidget(self.patient_side)
        splitter.addWidget(self.encounter_side)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([290, 700, 380])
        self.work_page = splitter
        self.central.insertWidget(0, self.work_page)  # hidden: the stack keeps its current page
        self._set_editor_enabled(False)
        self._update_actions()

    def work_area_is_built(self) -> bool:
        return self._work_area_built

    if not TYPE_CHECKING:  # mypy sees the attributes where build_work_area assigns them
        def __getattr__(self, name: str) -> Any:
            # Only called for attributes not set (yet): a working-area widget asked for before the
            # idle-time build builds the area now, so every caller finds it as if built in __init__.
            if name in WORK_AREA and not vars(self).get("_work_area_built", True):
                self.build_work_area()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def store(self) -> Store:
        """The open store; only reached by actions that stay disabled until :meth:`attach_store`."""
        if self._store is None:
            raise StoreError("the database is not open yet")
        return self._store

    def has_store(self) -> bool:
        return self._store is not None

    def attach_store(self, store: Store) -> None:
        """The database is open: enable what needs it, run the search typed so far, build the editor."""
        self._store = store
        self.db_label.setText(tr("Database: {url}").format(url=store.url_for_display))
        self.statusBar().clearMessage()
        self._update_actions()
        if self._actor is None:
            self._offer_sign_in()
        elif self.search.text().strip():
            self.search_timer.stop()
            self._start_search()
        elif self.search_status.text():
            self.search_status.setText("")
        if self._editor is None or not self._editor.is_built():
            self.build_work_area()  # the editor goes into it
            self.editor_build_timer.start()
        self.store_attached.emit()

    # --- signing in, the idle lock ----------------------------------------------------------------

    def signed_in_actor(self) -> Actor | None:
        return self._actor

    def is_unlocked(self) -> bool:
        """A clinician is signed in and the window is not locked: patient data may be shown."""
        return self._actor is not None and not self._locked

    def when_signed_in(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now if a clinician is signed in, else right after the sign-in."""
        if self._actor is not None:
            callback()
        else:
            self._when_signed_in.append(callback)

    def _offer_sign_in(self) -> None:
        try:
            mode = SIGN_IN if self.store.has_clinicians() else FIRST_ACCOUNT
        except StoreError as exc:
            self.sign_in_page.set_mode(OPENING)
            self.sign_in_page.show_error(str(exc))
            return
        self.sign_in_page.set_mode(mode, name=last_clinician())
        self.central.setCurrentWidget(self.sign_in_page)

    def _sign_in(self, name: str, password: str) -> None:
        unlock = self._locked
        try:
            actor = self.store.authenticate(name, password, unlock=unlock)  # audits either way
        except StoreError as exc:
            self.sign_in_page.show_error(_sentence(str(exc)))
            return
        self._signed_in_as(actor)

    def _create_first_account(self, name: str, password: str) -> None:
        from models.case import CaseError

        try:
            self.store.create_clinician(name, password, None)
            actor = self.store.authenticate(name, password)
        except CaseError as exc:
            self.sign_in_page.show_error(_sentence(str(exc)))
            return
        except AccountError:  # another workstation created the first account meanwhile
            self.sign_in_page.set_mode(SIGN_IN, name=name)
            self.sign_in_page.show_error(tr("Another workstation has just created the first account; sign in."))
            return
        except StoreError as exc:
            self.sign_in_page.show_error(_sentence(str(exc)))
            return
        self._signed_in_as(actor)

    def _signed_in_as(self, actor: Actor) -> None:
        self.build_work_area()
        self._actor = actor
        self._locked = False
        self.sign_in_page.clear_passwords()
        self.central.setCurrentWidget(self.work_page)
        self.setWindowTitle(tr("KneeCheck \u2014 {name}").format(name=actor.clinician))
        self.user_label.setText(tr("Signed in: {name}").format(name=actor.clinician))
        set_last_clinician(actor.clinician)
        self.idle_watch.start()
        self._update_actions()
        if self.dirty and not self._hold_autosave:
            self.autosave_timer.start()  # what could not be saved before the lock is saved now
        if self._store is not None and self.search.text().strip() and not self.patients.rowCount():
            self._start_search()  # typed while the database opened
        waiting, self._when_signed_in = self._when_signed_in, []
        for callback in waiting:
            callback()
        self.clinician_signed_in.emit(actor.clinician)

    def _idle(self) -> None:
        self.lock(tr("after {n} minutes without use").format(n=self.settings.idle_lock_minutes), "idle")

    def lock_now(self) -> None:
        self.lock(tr("by hand"), "by hand")

    def lock(self, why: str, audit_detail: str) -> None:
        """Hide every patient detail behind the sign-in page until a clinician signs in again."""
        actor = self._actor
        if actor is None or self._locked:
            return
        self._close_dialogs()
        self._save_before_lock()
        self._locked = True
        self.idle_watch.stop()
        self.autosave_timer.stop()  # no save (and no conflict dialog) can pop up over the lock
        self.search_timer.stop()
        self.sign_in_page.set_mode(LOCKED, name=actor.clinician, why=why)
        self.central.setCurrentWidget(self.sign_in_page)
        self.setWindowTitle(tr("KneeCheck \u2014 locked"))
        self._update_actions()
        if self._store is not None:
            try:
                self.store.record_event("locked", actor, detail=audit_detail)
            except StoreError:
                pass  # locking must not fail because the database is away
        self.window_locked.emit()

    def _close_dialogs(self) -> None:
        """Cancel any dialog open over the window (a patient's details, a conflict, a question):
        nothing may stay on screen over the lock. Each one's caller sees a cancel and keeps the
        editor as it was."""
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def _save_before_lock(self) -> None:
        if not (self.editing and self.dirty and not self.is_final() and not self._hold_autosave
                and self._store is not None):
            return
        self._saving_for_lock = True
        try:
            self.save(quiet=True)  # if it cannot be saved, the entries stay in the editor
        finally:
            self._saving_for_lock = False

    @property
    def editor(self) -> EncounterEditor:
        """The checklist editor; finishes building it now if idle time has not done so yet."""
        if self._editor is None or not self._editor.is_built():
            self.editor_build_timer.stop()
            if self._editor is None:
                self._editor = self._new_editor()
            self._editor.finish_building()
            self._install_editor()
        assert self._editor is not None
        return self._editor

    def editor_is_built(self) -> bool:
        return self._editor is not None and self._editor.is_built()

    def _new_editor(self) -> EncounterEditor:
        from ui.encounter_editor import EncounterEditor

        return EncounterEditor(self.catalogue, defer=True)

    def _build_editor_step(self) -> None:
        if self._editor is None:
            self._editor = self._new_editor()
        if self._editor.build_step():
            self.editor_build_timer.stop()
            self._install_editor()

    def _install_editor(self) -> None:
        editor = self._editor
        assert editor is not None and editor.is_built()
        if self.checklist_page.indexOf(editor) >= 0:
            return
        editor.findings_changed.connect(self._findings_changed)
        editor.set_read_only(self.is_final())
        self.checklist_page.addWidget(editor)
        if self.editing:
            self.checklist_page.setCurrentWidget(editor)
        QWidget.setTabOrder(self.tabs, editor.first_control())
        self.editor_ready.emit()

    # --- construction -------------------------------------------------------------------------

    def _build_patient_side(self) -> None:
        from PySide6.QtCore import Qt

        from ui.tables import EncounterTable, PatientTable

        self.patient_side = QWidget()
        self.patient_side.setMinimumWidth(230)  # tables scroll; the editor needs the width more
        layout = QVBoxLayout(self.patient_side)
        layout.setContentsMargins(4, 4, 4, 4)
        search_label = QLabel(tr("&Find patient (name, MRN or birth date):"))
        self.search = QLineEdit()
        self.search.setObjectName("patient_search")
        self.search.setPlaceholderText(tr("e.g. Doe, A-1001 or 1961-04-02"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Find patient"))
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(lambda _t: self.search_timer.start())
        self.patients = PatientTable(self)
        self.patient_view = self._table(self.patients, "patient_results", tr("Patients found"))
        self.patient_view.activated.connect(self._patient_activated)
        self.patient_view.clicked.connect(self._patient_activated)
        self.search_status = QLabel()
        self.search_status.setObjectName("search_status")
        buttons = QHBoxLayout()
        self.new_patient_button = QPushButton(tr("New &patient\u2026"))
        self.new_patient_button.clicked.connect(self.new_patient)
        self.edit_patient_button = QPushButton(tr("&Edit patient\u2026"))
        self.edit_patient_button.clicked.connect(self.edit_patient)
        buttons.addWidget(self.new_patient_button)
        buttons.addWidget(self.edit_patient_button)

        self.patient_header = QLabel(tr("No patient selected"))
        self.patient_header.setObjectName("patient_header")
        self.patient_header.setWordWrap(True)
        self.patient_header.setTextFormat(Qt.TextFormat.PlainText)
        self.patient_header.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.encounters = EncounterTable(self)
        encounters_label = QLabel(tr("Encoun&ters (newest first):"))
        self.encounter_view = self._table(self.encounters, "encounter_list", tr("Encounters"))
        encounters_label.setBuddy(self.encounter_view)
        self.encounter_view.activated.connect(self._encounter_activated)
        self.encounter_view.doubleClicked.connect(self._encounter_activated)
        self.new_encounter_button = QPushButton(tr("&New encounter"))
        self.new_encounter_button.clicked.connect(self.new_encounter)

        for widget in (search_label, self.search, self.patient_view, self.search_status):
            layout.addWidget(widget)  # type: ignore[arg-type]
        layout.addLayout(buttons)
        layout.addSpacing(8)
        for item in (self.patient_header, encounters_label, self.encounter_view, self.new_encounter_button):
            layout.addWidget(item)
        layout.setStretchFactor(self.patient_view, 2)
        layout.setStretchFactor(self.encounter_view, 3)

    def _table(self, model: Any, name: str, accessible: str) -> QTableView:
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

    def _build_encounter_side(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QComboBox, QDateEdit, QGroupBox, QPlainTextEdit, QTabWidget

        from models.case import KNEES
        from ui.summary_view import SummaryPreview

        self.encounter_side = QWidget()
        layout = QVBoxLayout(self.encounter_side)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QGroupBox(tr("Encounter"))
        header.setObjectName("encounter_header")
        form = QHBoxLayout(header)
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("encounter_date")
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.knee = QComboBox()
        self.knee.setObjectName("knee")
        self.knee.addItem(tr("Choose\u2026"), None)
        for knee in KNEES:
            self.knee.addItem(tr(knee.capitalize()), knee)
        self.clinician = QLineEdit()
        self.clinician.setObjectName("clinician")
        self.status_label = QLabel()
        self.status_label.setObjectName("encounter_status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        for text, widget in ((tr("&Date"), self.date_edit), (tr("&Knee"), self.knee), (tr("C&linician"), self.clinician)):
            sub = QFormLayout()
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            sub.addRow(label, widget)
            form.addLayout(sub)
        form.addWidget(self.status_label, 1)
        self.date_edit.dateChanged.connect(self._info_changed)
        self.knee.currentIndexChanged.connect(self._info_changed)
        self.clinician.textEdited.connect(self._info_changed)

        # Until an encounter is open the checklist page shows what to do; the editor itself is
        # built after the window is shown (see attach_store) and added to this stack.
        self.checklist_page = QStackedWidget()
        self.checklist_page.setObjectName("checklist_page")
        self.checklist_placeholder = QLabel(tr("Choose a patient, then New encounter (Ctrl+N)."))
        self.checklist_placeholder.setObjectName("checklist_placeholder")
        self.checklist_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.checklist_placeholder.setWordWrap(True)
        self.checklist_page.addWidget(self.checklist_placeholder)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setAccessibleName(tr("Clinician's notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.textChanged.connect(self._notes_changed)
        self.preview = SummaryPreview()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("encounter_tabs")
        self.tabs.addTab(self.checklist_page, tr("&Checklist"))
        self.tabs.addTab(self.notes, tr("N&otes"))
        self.tabs.addTab(self.preview, tr("&Summary"))
        # Shown when an opened encounter fails its integrity check (see _check_integrity).
        self.integrity_banner = QLabel()
        self.integrity_banner.setObjectName("integrity_warning")
        self.integrity_banner.setWordWrap(True)
        self.integrity_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.integrity_banner.setStyleSheet("background: #fff0c0; color: #5a3a00; border: 2px solid #b36b00;"
                                            " padding: 6px; font-weight: bold;")
        self.integrity_banner.setAccessibleName(tr("Integrity warning"))
        self.integrity_banner.hide()
        # Shown once a draft assessed under an older rule set is opened, until it is saved (re-assessed).
        self.ruleset_banner = QLabel()
        self.ruleset_banner.setObjectName("ruleset_notice")
        self.ruleset_banner.setWordWrap(True)
        self.ruleset_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.ruleset_banner.setStyleSheet("background: #e7f1ff; color: #052c65; border: 1px solid #0a58ca; padding: 6px;")
        self.ruleset_banner.setAccessibleName(tr("Rule set notice"))
        self.ruleset_banner.hide()
        layout.addWidget(header)
        layout.addWidget(self.integrity_banner)
        layout.addWidget(self.ruleset_banner)
        layout.addWidget(self.tabs, 1)
        QWidget.setTabOrder(self.date_edit, self.knee)
        QWidget.setTabOrder(self.knee, self.clinician)
        QWidget.setTabOrder(self.clinician, self.tabs)

    def _action(self, text: str, slot: Any, shortcut: QKeySequence.StandardKey | str | None = None, name: str = "") -> QAction:
        action = QAction(self)  # QAction(text, self) would make PySide create QIcon's enums (~1.5 ms)
        action.setText(text)
        action.setObjectName(name)
        # setShortcuts(StandardKey) also gives the platform's alternative bindings. Neither call
        # resolves QKeySequence's constructor overloads, which would make PySide create the whole
        # Qt namespace (~25 ms) before the first frame.
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcuts(QKeySequence.listFromString(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.find_action = self._action(tr("&Find patient"), self.focus_search, QKeySequence.StandardKey.Find, "find")
        self.new_patient_action = self._action(tr("New &patient\u2026"), self.new_patient, "Ctrl+Shift+N", "new_patient")
        self.new_encounter_action = self._action(tr("&New encounter"), self.new_encounter, QKeySequence.StandardKey.New,
                                                 "new_encounter")
        self.save_action = self._action(tr("&Save"), self.save, QKeySequence.StandardKey.Save, "save")
        self.finalize_action = self._action(tr("&Finalize\u2026"), self.finalize, None, "finalize")
        self.amend_action = self._action(tr("&Amend\u2026"), self.amend, None, "amend")
        self.preview_action = self._action(tr("Pre&view summary"), self.show_preview, "Ctrl+Shift+V", "preview")
        self.print_action = self._action(tr("&Print summary\u2026"), self.print_summary, QKeySequence.StandardKey.Print,
                                         "print")
        self.export_action = self._action(tr("&Export\u2026"), self.export_summary, "Ctrl+E", "export")
        self.export_action.setToolTip(tr("Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message"))
        self.send_action = self._action(tr("Sen&d to record system"), self.send_summary, "Ctrl+Shift+E", "send")
        self.settings_action = self._action(tr("Se&ttings\u2026"), self.edit_settings, None, "settings")
        self.lock_action = self._action(tr("&Lock now"), self.lock_now, "Ctrl+L", "lock")
        self.quit_action = self._action(tr("&Quit"), self.close, QKeySequence.StandardKey.Quit, "quit")
        file_menu = self.menuBar().addMenu(tr("&File"))
        for action in (self.find_action, self.new_patient_action, self.settings_action, self.lock_action,
                       self.quit_action):
            file_menu.addAction(action)
        encounter_menu = self.menuBar().addMenu(tr("&Encounter"))
        for action in (self.new_encounter_action, self.save_action, self.finalize_action, self.amend_action,
                       self.preview_action, self.print_action, self.export_action, self.send_action):
            encounter_menu.addAction(action)
        toolbar = self.addToolBar(tr("Encounter"))
        toolbar.setObjectName("encounter_toolbar")
        for action in (self.new_encounter_action, self.save_action, self.finalize_action, self.amend_action,
                       self.preview_action, self.print_action, self.export_action):
            toolbar.addAction(action)

    # --- messages and patchable dialogs ---------------------------------------------------------

    def tell(self, message: Message, **values: object) -> None:
        title, text = message.format(**values)
        if message.severity == "critical":
            QMessageBox.critical(self, title, text)
        elif message.severity == "information":
            QMessageBox.information(self, title, text)
        else:
            QMessageBox.warning(self, title, text)

    def ask(self, message: Message, buttons: QMessageBox.StandardButton, **values: object) -> QMessageBox.StandardButton:
        title, text = message.format(**values)
        return QMessageBox.question(self, title, text, buttons)

    def ask_patient(self, dialog: PatientDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_amend_reason(self) -> str | None:
        from ui.dialogs import AmendDialog

        dialog = AmendDialog(self)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text() else None

    def ask_conflict(self, rows: list[tuple[str, str, str]]) -> int:
        from ui.dialogs import ConflictDialog

        dialog = ConflictDialog(rows, self)
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

    # --- patients -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _start_search(self) -> None:
        if not self.is_unlocked():
            return  # nobody signed in may look patients up; the sign-in runs the typed search
        self._search_seq += 1
        seq, text = self._search_seq, self.search.text().strip()
        if not text:
            self.patients.set_records([])
            self.search_status.setText("")
            self.search_done.emit(0)
            return
        if self._store is None:  # attach_store runs it
            self.search_status.setText(tr("Opening the database\u2026 the search runs as soon as it is open."))
            return
        task = run_in_pool(self.pool, self.store.find_patients, text, SEARCH_LIMIT,
                           on_done=lambda found: self._search_finished(seq, found),
                           on_error=lambda exc: self._search_failed(seq, exc))
        self._pending.add(task)
        task.signals.finished.connect(lambda _r: self._pending.discard(task))
        task.signals.failed.connect(lambda _e: self._pending.discard(task))

    def _search_finished(self, seq: int, found: list[PatientRecord]) -> None:
        if seq != self._search_seq:
            return  # an older search answered late; the newer one wins
        self.patients.set_records(found)
        if len(found) >= SEARCH_LIMIT:
            self.search_status.setText(tr("First {n} matches; type more to narrow.").format(n=SEARCH_LIMIT))
        else:
            self.search_status.setText(tr("{n} patient(s) found").format(n=len(found)) if found
                                       else tr("No patient found. Create one with New patient."))
        self.search_done.emit(len(found))

    def _search_failed(self, seq: int, exc: Exception) -> None:
        if seq == self._search_seq:
            self.search_status.setText(tr("Search failed: {reason}").format(
                reason=str(exc) if isinstance(exc, StoreError) else type(exc).__name__))

    def _patient_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_patient(self.patients.record(index.row()))

    def open_patient(self, patient: PatientRecord) -> None:
        if self.patient is not None and patient.id == self.patient.id:
            return
        if not self.confirm_leave_encounter():
            return
        self.patient = patient
        self._close_encounter()
        self._show_patient_header()
        self.refresh_encounters()
        self._update_actions()

    def _show_patient_header(self) -> None:
        from models.case import age_on

        p = self.patient
        if p is None:
            self.patient_header.setText(tr("No patient selected"))
            return
        age = age_on(p.birth_date, dt.date.today())
        self.patient_header.setText(
            f"{p.family_name}, {p.given_name}\n" + tr("MRN {mrn} \u00b7 born {birth} ({age} y) \u00b7 {sex}").format(
                mrn=p.mrn, birth=p.birth_date.isoformat(), age=age, sex=tr(p.sex)))

    def refresh_encounters(self) -> None:
        if self.patient is None:
            self.encounters.set_records([])
            return
        try:
            self.encounters.set_records(self.store.list_encounters(self.patient.id))
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))
        if self.record is not None:
            for row, summary in enumerate(self.encounters.records()):
                if summary.id == self.record.id:
                    self.encounter_view.selectRow(row)

    def new_patient(self) -> None:
        from models.case import CaseError
        from ui.patient_dialog import PatientDialog

        dialog = PatientDialog(parent=self)
        while self.ask_patient(dialog):
            assert dialog.result_patient is not None
            try:
                created = self.store.create_patient(dialog.result_patient, self.actor())
            except (StoreError, CaseError) as exc:
                dialog.show_error("mrn" if "MRN" in str(exc) else "", str(exc))
                continue
            self.search.setText(created.mrn)
            self.open_patient(created)
            return

    def edit_patient(self) -> None:
        if self.patient is None:
            self.tell(messages.NO_PATIENT)
            return
        from models.case import CaseError
        from ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self.patient.to_patient(), parent=self)
        while self.ask_patient(dialog):
            assert dialog.result_patient is not None
            try:
                self.patient = self.store.update_patient(self.patient.id, dialog.result_patient, self.actor())
            except (StoreError, CaseError) as exc:
                dialog.show_error("mrn" if "MRN" in str(exc) else "", str(exc))
                continue
            if self.record is not None and self.record.patient.id == self.patient.id:
                # The open encounter shows, prints and exports the patient as now stored.
                self.record = dataclasses.replace(self.record, patient=self.patient)
            self._show_patient_header()
            self._refresh_age()
            return

    def actor(self) -> Actor:
        """The signed-in clinician, whom every audit row from this window names."""
        if self._actor is None:
            raise StoreError(tr("nobody is signed in"))
        return self._actor

    # --- encounters: open, new, edit ------------------------------------------------------------

    def _encounter_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        summary = self.encounters.record(index.row())
        if self.record is not None and summary.id == self.record.id:
            return
        if self.confirm_leave_encounter():
            self.open_encounter(summary.id)

    def open_encounter(self, encounter_id: int) -> bool:
        try:
            record = self.store.load_encounter(encounter_id)
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))
            return False
        if self.patient is None or self.patient.id != record.patient.id:
            self.patient = record.patient
            self._show_patient_header()
            self.refresh_encounters()
        self._show_record(record)
        return True

    def _show_record(self, record: EncounterRecord) -> None:
        self.record = record
        self.editing = True
        self._hold_autosave = False
        self.autosave_timer.stop()
        self._loading = True
        try:
            self.date_edit.setDate(QDate(record.info.date.year, record.info.date.month, record.info.date.day))
            self.knee.setCurrentIndex(self.knee.findData(record.info.knee))
            self.clinician.setText(record.info.clinician)
            self.notes.setPlainText(record.notes)
            self.editor.set_findings(record.findings)
        finally:
            self._loading = False
        self.dirty = False
        self.preview.clear()
        self._set_editor_enabled(True)
        self._apply_status()
        self._refresh_age()
        self.refresh_encounters()
        self._check_integrity(record)
        self._tell_ruleset(record)

    def _needs_save(self) -> bool:
        """Unsaved entries, a draft never stored, or a draft whose stored assessment is from an older
        rule set than the one the panel shows: finalizing or printing it must store what is shown."""
        record = self.record
        if self.dirty or record is None:
            return True
        if record.status == "final":
            return False
        live = self.panel.assessment
        # An older rule set, or a patient corrected since the last save (a new age): the panel's
        # live assessment is what must be stored before it is signed or printed.
        return record.ruleset != self.panel.catalogue.ruleset or (live is not None and live.to_dict() != record.assessment)

    def _tell_ruleset(self, record: EncounterRecord | None) -> None:
        """Say once, while it applies, that an opened draft was assessed under an older rule set."""
        from models.catalogue import known_rulesets

        current = self.panel.catalogue.ruleset
        other = record is not None and record.status != "final" and record.ruleset != current
        if other and record is not None:
            message = messages.RULESET_CHANGED if record.ruleset in known_rulesets() else messages.RULESET_UNKNOWN
            self.ruleset_banner.setText("\u2139 " + message.format(old=record.ruleset, new=current)[1])
        self.ruleset_banner.setVisible(other)

    def _check_integrity(self, record: EncounterRecord) -> None:
        """Warn when a finalized encounter (or the one a draft amends) no longer matches its signed
        revision: someone changed the database outside KneeCheck."""
        problems: list[str] = []
        if record.status == "final" or record.amends_id is not None:
            try:
                problems = self.store.verify_encounter(record.id)
            except StoreError as exc:
                problems = [str(exc)]
        if problems:
            warning = messages.INTEGRITY_FINAL if record.status == "final" else messages.INTEGRITY_AMENDED
            self.integrity_banner.setText("\u26a0 " + warning.format()[1])
            self.integrity_banner.setToolTip("\n".join(problems))  # ids and what failed; no patient data
        self.integrity_banner.setVisible(bool(problems))

    def new_encounter(self) -> None:
        if self.patient is None:
            self.tell(messages.NO_PATIENT)
            return
        if not self.confirm_leave_encounter():
            return
        self._close_encounter()
        editor = self.editor
        self.editing = True
        self._loading = True
        try:
            self.date_edit.setDate(QDate.currentDate())
            self.knee.setCurrentIndex(0)
            # The examining clinician is usually the one signed in; the field stays editable.
            self.clinician.setText(self._actor.clinician if self._actor is not None else self.settings.default_clinician)
            self.notes.setPlainText("")
            editor.set_findings({})
        finally:
            self._loading = False
        self._set_editor_enabled(True)
        self._apply_status()
        self._refresh_age()
        self.tabs.setCurrentWidget(self.checklist_page)
        self.knee.setFocus()

    def _close_encounter(self) -> None:
        self.autosave_timer.stop()
        self.record = None
        self.editing = False
        self.dirty = False
        self._hold_autosave = False
        self._loading = True
        try:
            if self._editor is not None and self._editor.is_built():  # nothing to clear before it exists
                self._editor.set_findings({})
            self.notes.setPlainText("")
        finally:
            self._loading = False
        self.preview.clear()
        self.integrity_banner.hide()
        self.ruleset_banner.hide()
        set_open_draft_marker(None)
        self._set_editor_enabled(False)
        self._apply_status()

    def _set_editor_enabled(self, enabled: bool) -> None:
        for widget in (self.date_edit, self.knee, self.clinician, self.tabs):
            widget.setEnabled(enabled)
        shown = self._editor if enabled and self._editor is not None and self._editor.is_built() else None
        self.checklist_page.setCurrentWidget(shown or self.checklist_placeholder)

    def is_final(self) -> bool:
        return self.record is not None and self.record.status == "final"

    def _apply_status(self) -> None:
        final = self.is_final()
        if self.editor_is_built():
            self.editor.set_read_only(final)
        self.notes.setReadOnly(final)
        for widget in (self.date_edit, self.knee, self.clinician):
            widget.setEnabled(self.editing and not final)
        record = self.record
        if not self.editing:
            text = tr("No encounter open")
        elif record is None:
            text = tr("New draft, not saved yet")
        elif final:
            when = record.finalized_at.astimezone().strftime("%Y-%m-%d %H:%M") if record.finalized_at else ""
            text = tr("FINAL, read-only: signed by {who} on {when}").format(who=record.finalized_by or "", when=when)
            if record.amended_by_id is not None:
                text += "\n" + tr("Superseded by amendment {number}").format(number=record.amended_by_id)
        else:
            text = tr("DRAFT {number}, version {version}").format(number=record.id, version=record.version)
            if record.amends_id is not None:
                text += "\n" + tr("Amends encounter {number}: {reason}").format(
                    number=record.amends_id, reason=record.amend_reason or "")
        if self.dirty:
            text += " \u2014 " + tr("unsaved changes")
        self.status_label.setText(text)
        # The marker lets the next start offer back a draft that was open at a crash.
        set_open_draft_marker(record.id if record is not None and not final else None)
        self._update_actions()

    def _update_actions(self) -> None:
        # Signed out or locked: nothing that reaches patient data (or settings) can be triggered.
        unlocked = self.is_unlocked()
        has_patient = self.patient is not None and unlocked
        ready = self._store is not None and unlocked
        self.new_patient_action.setEnabled(ready)
        final = self.is_final()
        stored = self.record is not None
        editing = self.editing and unlocked
        self.new_encounter_action.setEnabled(has_patient)
        if self._work_area_built:  # else build_work_area sets its buttons when it is built
            self.new_patient_button.setEnabled(ready)
            self.new_encounter_button.setEnabled(has_patient)
            self.edit_patient_button.setEnabled(has_patient)
        self.save_action.setEnabled(editing and not final)
        self.finalize_action.setEnabled(editing and not final)
        self.amend_action.setEnabled(unlocked and final and self.record is not None
                                     and self.record.amended_by_id is None)
        for action in (self.preview_action, self.print_action, self.export_action):
            action.setEnabled(unlocked and (stored or self.editing))
        self.send_action.setEnabled(unlocked and (stored or self.editing) and bool(self.settings.mllp_destination)
                                    and not getattr(self, "_sending", False))
        for action in (self.find_action, self.settings_action):
            action.setEnabled(unlocked)
        self.lock_action.setEnabled(unlocked)

    def encounter_date(self) -> dt.date:
        qdate = self.date_edit.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def _refresh_age(self) -> None:
        age = self._age()
        if not self.editor_is_built():
            self.panel.show_findings({}, age)  # no encounter has been open yet: no findings
            return
        self.editor.set_age(age)
        self._refresh_panel(self.editor.findings())

    def _refresh_panel(self, findings: dict) -> None:
        """A finalized encounter shows what was stored, never a new assessment; a draft, the live one."""
        if self.is_final() and self.record is not None:
            self.panel.show_stored(self.record.assessment)
        else:
            self.panel.show_findings(findings, self._age(), self.knee.currentData())

    def _mark_changed(self) -> None:
        if self._loading or not self.editing or self.is_final():
            return
        self.dirty = True
        self._apply_status()
        if not self._hold_autosave:
            self.autosave_timer.start()  # restarted on every change: saves once the clinician pauses

    def _findings_changed(self, findings: dict) -> None:
        self._refresh_panel(findings)
        self._mark_changed()

    def _age(self) -> int | None:
        from models.case import age_on

        if self.patient is None:
            return None
        date = self.encounter_date()
        return age_on(self.patient.birth_date, date) if date >= self.patient.birth_date else None

    def _info_changed(self, *_args: object) -> None:
        if not self._loading:
            self._refresh_age()
        self._mark_changed()

    def _notes_changed(self) -> None:
        self._mark_changed()

    # --- saving ---------------------------------------------------------------------------------

    def encounter_info(self) -> EncounterInfo:
        """The header fields, validated like a case file (CaseError names the field)."""
        from models.case import CaseError, parse_encounter_info

        assert self.patient is not None
        knee = self.knee.currentData()
        raw = {"date": self.encounter_date().isoformat(), "clinician": self.clinician.text().strip(),
               "knee": knee if knee is not None else ""}
        if knee is None:
            raise CaseError("encounter.knee", tr("choose the knee (left, right or both)"))
        return parse_encounter_info(raw, self.patient.to_patient())

    def autosave(self) -> None:
        if self.dirty and not self._hold_autosave and not self._locked:
            self.save(quiet=True)

    def save(self, quiet: bool = False) -> bool:
        """Store the editor's content; ``quiet`` (autosave) reports problems in the status bar only."""
        from models.case import CaseError

        self.autosave_timer.stop()
        if not self.editing or self.patient is None:
            return True
        if self.is_final():
            if not quiet:
                self.tell(messages.FINALIZED_READ_ONLY)
            return True
        try:
            info = self.encounter_info()
        except CaseError as exc:
            if quiet:
                self.statusBar().showMessage(tr("Not saved yet: {reason}").format(reason=str(exc)), 10000)
            else:
                self.tell(messages.SAVE_FAILED, reason=str(exc))
            return False
        findings, notes = self.editor.findings(), self.notes.toPlainText()
        try:
            if self.record is None:
                record = self.store.create_draft(self.patient.id, info, findings, notes, self.actor())
            else:
                record = self.store.save_draft(self.record.id, self.record.version, info, findings, notes,
                                               self.actor())
        except ConflictError as exc:
            if self._saving_for_lock:  # nobody is there to decide: keep the entries, decide after unlock
                self._hold_autosave = True
                self.statusBar().showMessage(tr("Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide."))
                return False
            return self.resolve_conflict(exc, info, findings, notes)
        except (StoreError, CaseError) as exc:
            if quiet:
                self.statusBar().showMessage(tr("Automatic save failed: {reason}").format(reason=str(exc)), 10000)
            else:
                self.tell(messages.SAVE_FAILED, reason=str(exc))
            return False
        self._stored(record, tr("Saved automatically at {time}") if quiet else tr("Saved at {time}"))
        return True

    def _stored(self, record: EncounterRecord, note: str) -> None:
        self.record = record
        self.dirty = False
        self._hold_autosave = False
        self._tell_ruleset(record)
        self._apply_status()
        self.refresh_encounters()
        self.statusBar().showMessage(note.format(time=dt.datetime.now().strftime("%H:%M:%S")), 5000)
        self.encounter_saved.emit(record.id)

    def resolve_conflict(self, exc: ConflictError, info: EncounterInfo, findings: dict, notes: str) -> bool:
        """Another workstation saved first: show both versions; nothing in the window is lost."""
        from models.case import CaseError
        from ui.dialogs import ConflictDialog, conflict_rows

        stored = exc.stored

        def as_fields(i: EncounterInfo, f: dict, n: str) -> dict[str, Any]:
            return {"date": i.date.isoformat(), "knee": i.knee, "clinician": i.clinician, **f, "notes": n}

        rows = conflict_rows(as_fields(stored.info, stored.findings, stored.notes), as_fields(info, findings, notes))
        self._hold_autosave = True  # no dialog every few seconds while the clinician decides
        choice = self.ask_conflict(rows)
        if choice == ConflictDialog.RELOAD_THEIRS:
            self._show_record(stored)
            return False
        if choice == ConflictDialog.KEEP_MINE:
            if stored.status == "final":
                self.tell(messages.SAVE_FAILED, reason=tr("it was finalized on another workstation; amend it instead"))
                return False
            try:
                record = self.store.save_draft(stored.id, stored.version, info, findings, notes, self.actor())
            except ConflictError as again:
                return self.resolve_conflict(again, info, findings, notes)
            except (StoreError, CaseError) as failure:
                self.tell(messages.SAVE_FAILED, reason=str(failure))
                return False
            self._stored(record, tr("Saved on top of the other workstation's version at {time}"))
            return True
        self.statusBar().showMessage(tr("Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide."))
        return False

    def confirm_leave_encounter(self) -> bool:
        """Before the editor shows something else: offer to save unsaved changes."""
        if not (self.editing and self.dirty and not self.is_final()):
            return True
        answer = self.ask(messages.UNSAVED_CHANGES, QMessageBox.StandardButton.Save
                          | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # --- finalize and amend ---------------------------------------------------------------------

    def finalize(self) -> None:
        if not self.editing or self.is_final():
            return
        if self._needs_save() and not self.save():
            return
        assert self.record is not None
        catalogue = self.panel.catalogue
        unasked = [tr(i.short) for i in catalogue.red_flags if self.record.findings.get(i.id) is None]
        if unasked:
            question = messages.CONFIRM_FINALIZE_UNASKED
            values = {"flags": "\n".join(f"\u2022 {name}" for name in unasked)}
        else:
            question, values = messages.CONFIRM_FINALIZE, {}
        if self.ask(question, QMessageBox.StandardButton.Yes
                    | QMessageBox.StandardButton.No, **values) != QMessageBox.StandardButton.Yes:
            return
        try:
            record = self.store.finalize(self.record.id, self.record.version, self.actor())
        except ConflictError as exc:
            self.resolve_conflict(exc, self.encounter_info(), self.editor.findings(), self.notes.toPlainText())
            return
        except (StoreError, FinalizedError) as exc:
            self.tell(messages.SAVE_FAILED, reason=str(exc))
            return
        self.record = record
        self.dirty = False
        self._apply_status()
        self._refresh_panel(record.findings)  # from now on the stored assessment, as signed
        self.refresh_encounters()
        self.statusBar().showMessage(tr("Finalized"), 5000)

    def amend(self) -> None:
        if self.record is None or not self.is_final():
            return
        reason = self.ask_amend_reason()
        if not reason:
            return
        try:
            draft = self.store.amend(self.record.id, reason, self.actor())
        except StoreError as exc:
            self.tell(messages.SAVE_FAILED, reason=str(exc))
            return
        self._show_record(draft)
        self.statusBar().showMessage(tr("Amendment opened as a new draft; the original is kept"), 5000)

    # --- the summary ------------------------------------------------------------------------------

    def _summary_pdf(self) -> bytes | None:
        made = self._summary()
        return made[0] if made is not None else None

    def _summary(self) -> tuple[bytes, EncounterRecord | None] | None:
        """The archival summary of the open encounter (saved first when needed) and the encounter an
        amendment replaces; None (and a message) when there is none."""
        if not self.editing:
            self.tell(messages.NO_ENCOUNTER)
            return None
        if self._needs_save() and not self.save():
            return None
        assert self.record is not None
        replaced = None
        if self.record.amends_id is not None:
            try:
                replaced = self.store.load_encounter(self.record.amends_id)
            except StoreError:
                replaced = None  # the summary still names the encounter it replaces, without its date
        try:
            from ui.summary_view import render_pdf

            return render_pdf(self.record, self.settings, replaced), replaced
        except Exception as exc:  # the renderer's own errors: say so, keep the window
            self.tell(messages.PDF_UNAVAILABLE, reason=type(exc).__name__)
            return None

    def _record_event(self, action: str, detail: str = "") -> bool:
        """Audit a disclosure. Called BEFORE the summary is shown, printed or written: patient data
        never leaves without its audit row; False (and a message) when the row could not be written."""
        assert self.record is not None
        try:
            self.store.record_event(action, self.actor(), encounter_id=self.record.id,
                                    patient_id=self.record.patient.id, detail=detail)
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))
            return False
        return True

    def show_preview(self) -> None:
        data = self._summary_pdf()
        if data is None or not self._record_event("viewed"):
            return
        self.preview.show_pdf(data)
        self.tabs.setCurrentWidget(self.preview)

    def print_summary(self) -> None:
        data = self._summary_pdf()
        if data is None:
            return
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if not self.ask_printer(printer):
            return
        from ui.summary_view import printer_file

        to_file = printer_file(printer) is not None  # "Print to File": the PDF/A summary itself
        if not self._record_event("printed", detail="printed to a PDF file" if to_file else "sent to the printer"):
            return
        try:
            from ui.summary_view import print_pdf

            pages = print_pdf(data, printer)
        except OSError as exc:
            self._record_event("print_failed", detail=type(exc).__name__)
            self.tell(messages.PRINT_FAILED, reason=str(exc))
            return
        self.statusBar().showMessage(tr("Sent {n} page(s) to the printer").format(n=pages), 5000)

    def export_summary(self) -> None:
        """Export the open encounter as a PDF/A summary, a FHIR R4 Bundle or an HL7 v2 message."""
        made = self._summary()
        if made is None:
            return
        pdf, replaced = made
        assert self.record is not None
        from ui.summary_view import EXPORT_FORMATS, export_data, export_kind
        from ui.summary_view import tr as view_tr

        filters = ";;".join(view_tr(name) for _kind, name, _suffix in EXPORT_FORMATS)
        path, chosen = QFileDialog.getSaveFileName(
            self, tr("Export encounter"), f"kneecheck-encounter-{self.record.id}.pdf", filters)
        if not path:
            return
        try:
            data, detail = export_data(export_kind(path, chosen), self.record, self.settings, replaced, pdf)
        except ValueError as exc:  # the FHIR or HL7 builder refused: its message names the field
            self.tell(messages.EXPORT_FAILED, reason=str(exc))
            return
        if not self._record_event("exported", detail=detail):
            return
        try:
            from ui.summary_view import write_private_file

            write_private_file(path, data)
        except OSError as exc:
            self._record_event("export_failed", detail=detail)
            self.tell(messages.EXPORT_FAILED, reason=exc.strerror or type(exc).__name__)
            return
        self.statusBar().showMessage(tr("Exported"), 5000)

    def send_summary(self) -> None:
        """Send the open encounter to the clinic's record system as an HL7 v2 message over MLLP (the
        destination is a workstation setting). The audit row is written first; the delivery runs off
        the GUI thread, and its answer is audited and reported when it comes."""
        destination = self.settings.mllp_destination
        if not destination:
            self.tell(messages.NO_DESTINATION)
            return
        made = self._summary()
        if made is None:
            return
        pdf, replaced = made
        record = self.record
        assert record is not None
        from reports.hl7 import Hl7Error, parse_destination
        from ui.summary_view import hl7_for

        try:
            host, port = parse_destination(destination)
            message, control_id = hl7_for(record, self.settings, replaced, pdf)
        except Hl7Error as exc:
            self.tell(messages.SEND_FAILED, reason=str(exc), said="")
            return
        from reports.hl7 import message_type

        what = f"hl7 {message_type(message)} to {destination}, control id {control_id}"
        if not self._record_event("sent", detail=what):
            return
        from reports.mllp import RemoteError, deliver
        from ui.workers import run_in_pool

        self._sending = True
        self.send_action.setEnabled(False)
        self.statusBar().showMessage(tr("Sending to {where}\u2026").format(where=destination))
        # The open encounter, even the signed-in clinician, may change before the answer comes: the
        # answer is filed under this encounter, in the name of whoever sent it.
        encounter_id, patient_id, sender = record.id, record.patient.id, self.actor()

        def done() -> None:
            self._sending = False
            self._update_actions()

        def accepted(ack: Any) -> None:
            done()
            self._audit("send_accepted", encounter_id, patient_id, f"{what}: {ack.code}", sender)
            self.statusBar().showMessage(tr("Encounter {number} accepted by {where} ({code})").format(
                number=encounter_id, where=destination, code=ack.code), 10000)

        def failed(exc: Exception) -> None:
            done()
            reason = str(exc) if isinstance(exc, RemoteError) else type(exc).__name__
            self._audit("send_failed", encounter_id, patient_id, f"{what}: {reason}", sender)
            self.statusBar().clearMessage()
            said = exc.remote_text if isinstance(exc, RemoteError) else ""
            self.tell(messages.SEND_FAILED, reason=reason, said=f" {said}" if said else "")

        self._send_task = run_in_pool(self.pool, deliver, host, port, message, control_id, SEND_TIMEOUT_S,
                                      on_done=accepted, on_error=failed)

    def _audit(self, action: str, encounter_id: int, patient_id: int, detail: str, actor: Actor) -> None:
        """An audit row for a named encounter (an answer arriving after the clinician moved on)."""
        try:
            self.store.record_event(action, actor, encounter_id=encounter_id, patient_id=patient_id, detail=detail)
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))

    # --- settings and closing ---------------------------------------------------------------------

    def edit_settings(self) -> None:
        from ui.dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if self.ask_settings(dialog):
            self.settings = dialog.settings()
            save_settings(self.settings)
            self.idle_watch.set_timeout_ms(self.settings.idle_lock_minutes * 60_000)
            self._update_actions()  # Send needs a destination

    def recover_draft(self, encounter_id: int) -> bool:
        """Offer back a draft left open by a session that did not close normally."""
        try:
            record = self.store.load_encounter(encounter_id)
        except StoreError:
            set_open_draft_marker(None)
            return False
        if record.status != "draft":
            set_open_draft_marker(None)
            return False
        if self.ask(messages.RECOVER_DRAFT, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    encounter_id=encounter_id) != QMessageBox.StandardButton.Yes:
            set_open_draft_marker(None)
            return False
        return self.open_encounter(encounter_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._locked and self.editing and self.dirty and not self.is_final():
            # The lock's save failed (say, no knee chosen yet): only the clinician may discard that.
            self.statusBar().showMessage(tr("Unsaved entries are kept behind the lock: unlock first, "
                                            "then save or discard them."))
            event.ignore()
            return
        if not self.confirm_leave_encounter():
            event.ignore()
            return
        self.autosave_timer.stop()
        self.search_timer.stop()
        self.editor_build_timer.stop()
        self.idle_watch.stop()
        self.pool.waitForDone(5000)
        set_open_draft_marker(None)  # a clean close: nothing to recover next time
        if self._work_area_built:
            self.preview.clear()  # QtPdf crashed deleting a view whose document was still open
        event.accept()
