"""The exam-room window: a shell around one owner per state.

Left: patient search and the patient's encounters (:mod:`ui.patients`). Centre: the encounter header,
checklist editor, notes and summary preview (:mod:`ui.work_area` builds them, :mod:`ui.encounter_view`
binds them to the open encounter). Right: the live assessment panel.

Who owns what: the open encounter (record, dirty generation, held autosave, saving, conflict, lock)
is :class:`ui.encounter_session.EncounterSession`; the chosen patient and the search are
:class:`ui.patients.Patients`; who is signed in and whether the window is locked is
:class:`ui.lock.SignIn`; the summary's ways out are :class:`ui.summary_controller.Summary`; which
actions are enabled is ONE rule, :func:`ui.actions.enabled`. Every store call runs off the GUI
thread through :class:`ui.operations.OpRunner` (with a busy indicator in the status bar); after a
change every view is told what changed (:class:`ui.operations.Changes`) and refreshes itself.

Start-up: the window is shown before the database is open, so this module never imports
``models.store``. ``MainWindow()`` starts in an "opening the database" state; ``attach_store`` then
enables the actions that need it. The working area is built in idle time right after the window is
shown, or at once on first access to one of its widgets (``WORK_AREA``); the checklist editor in
idle time after the store is attached. Closing waits for the ops in flight (a save lands).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

from models.records import Actor, EncounterRecord, PatientRecord, StoreError
from ui import messages
from ui.actions import ACTIONS, Context, enabled
from ui.encounter_session import SAVE_NOW, SAVE_QUEUED, EncounterSession
from ui.encounter_view import EncounterUi
from ui.idle import IdleWatch
from ui.lock import SignIn
from ui.messages import Message
from ui.operations import OpRunner
from ui.patients import Patients
from ui.settings import Settings, load_settings, save_settings, set_open_draft_marker
from ui.sign_in import SignInPage
from ui.summary_controller import Summary

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QCloseEvent

    from models.store import Store
    from ui.dialogs import SettingsDialog
    from ui.encounter_editor import EncounterEditor
    from ui.patient_dialog import PatientDialog

__all__ = ["QFileDialog", "MainWindow"]  # tests patch QFileDialog.getSaveFileName through this module

WORK_AREA = frozenset({
    "catalogue", "work_page", "patient_side", "search", "patients", "patient_view", "search_status",
    "new_patient_button", "edit_patient_button", "patient_header", "encounters", "encounter_view",
    "new_encounter_button", "encounter_side", "date_edit", "knee", "clinician", "status_label",
    "checklist_page", "checklist_placeholder", "notes", "preview", "tabs", "integrity_banner", "ruleset_banner",
    "panel",
})
AUTOSAVE_DELAY_MS = 3000
CLOSE_WAIT_MS = 30_000  # the longest a close waits for a save in flight


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    encounter_saved = Signal(int)
    """A draft was stored (by Ctrl+S or autosave); carries the encounter id."""
    search_done = Signal(int)
    """A patient search finished; carries the number of patients found."""
    store_attached = Signal()
    editor_ready = Signal()
    clinician_signed_in = Signal(str)
    window_locked = Signal()

    def __init__(self, store: Store | None = None, settings: Settings | None = None,
                 parent: QWidget | None = None, *, signed_in: Actor | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._work_area_built = False
        self.settings = settings or load_settings()
        self.setWindowTitle(tr("KneeCheck"))
        self.setObjectName("main_window")
        self.ops = OpRunner(lambda: self.store, self)
        self.session = EncounterSession(self.ops, self.actor, self)
        self.session.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.sign_in_page = SignInPage()
        self.sign = SignIn(self, self.sign_in_page, None)
        self.patients_ctl = Patients(self)
        self.encounter_ui = EncounterUi(self)
        self.summary = Summary(self)
        self.search_timer = self.patients_ctl.search_timer
        self.central = QStackedWidget()
        self.central.setObjectName("central_stack")
        self.central.addWidget(self.sign_in_page)
        self.setCentralWidget(self.central)
        self._build_actions()
        self.busy_label = QLabel(tr("Working\u2026"))
        self.busy_label.setObjectName("busy_indicator")
        self.busy_label.hide()
        self.statusBar().addPermanentWidget(self.busy_label)
        self.user_label = QLabel()
        self.user_label.setObjectName("user_label")
        self.statusBar().addPermanentWidget(self.user_label)
        self.db_label = QLabel(tr("Database: opening\u2026"))
        self.db_label.setObjectName("db_label")
        self.statusBar().addPermanentWidget(self.db_label)
        self.idle_watch = IdleWatch(self.settings.idle_lock_minutes * 60_000, self)
        self.idle_watch.idle.connect(lambda: self.lock(
            tr("after {n} minutes without use").format(n=self.settings.idle_lock_minutes), "idle"))
        self.ops.busy_changed.connect(self.busy_label.setVisible)
        self.ops.failed_unhandled.connect(lambda _label, exc: self.tell(messages.STORE_FAILED, reason=str(exc)))
        self.session.marker_changed.connect(set_open_draft_marker)  # when the open draft changes, not per key
        self.encounter_ui.editor_ready.connect(self.editor_ready)
        self.sign.signed_in.connect(self._signed_in_as)
        self.patients_ctl.patient_changed.connect(self._patient_changed)
        if signed_in is None:
            self.central.setCurrentWidget(self.sign_in_page)
        else:
            self.sign.accept(signed_in)
        if store is not None:
            self.attach_store(store)
        else:
            self.statusBar().showMessage(tr("Opening the database\u2026"))
            self.update_actions()

    # --- the working area and the store ------------------------------------------------------------

    def build_work_area(self) -> None:
        """Build the patient side, the encounter side and the assessment panel, once."""
        if self._work_area_built:
            return
        self._work_area_built = True  # first: the build reads the widgets it has just made
        from PySide6.QtWidgets import QSplitter

        from models.catalogue import load_catalogue
        from ui.assessment_panel import AssessmentPanel
        from ui.work_area import build_encounter_side, build_patient_side

        self.catalogue = load_catalogue()
        build_patient_side(self)
        build_encounter_side(self)
        self.panel = AssessmentPanel(self.catalogue)
        self.panel.setMinimumWidth(300)
        splitter = QSplitter()
        splitter.setObjectName("main_splitter")
        for index, (widget, stretch) in enumerate(((self.patient_side, 0), (self.encounter_side, 3), (self.panel, 1))):
            splitter.addWidget(widget)
            splitter.setStretchFactor(index, stretch)
        splitter.setSizes([290, 700, 380])
        self.work_page = splitter
        self.central.insertWidget(0, self.work_page)  # hidden: the stack keeps its current page
        self.encounter_ui.set_enabled(False)
        self.update_actions()

    def work_area_is_built(self) -> bool:
        return self._work_area_built

    if not TYPE_CHECKING:  # mypy sees the attributes where build_work_area assigns them
        def __getattr__(self, name: str) -> Any:
            if name in WORK_AREA and not vars(self).get("_work_area_built", True):
                self.build_work_area()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def store(self) -> Store:
        if self._store is None:
            raise StoreError("the database is not open yet")
        return self._store

    def has_store(self) -> bool:
        return self._store is not None

    def attach_store(self, store: Store) -> None:
        self._store = store
        self.db_label.setText(tr("Database: {url}").format(url=store.url_for_display))
        self.statusBar().clearMessage()
        self.update_actions()
        if self.sign.actor is None:
            self.sign.offer()
        elif self.search.text().strip():
            self.search_timer.stop()
            self.patients_ctl.start_search()
        elif self.search_status.text():
            self.search_status.setText("")
        if not self.encounter_ui.editor_is_built():
            self.build_work_area()  # the editor goes into it
            self.encounter_ui.build_timer.start()
        self.store_attached.emit()

    def is_busy(self) -> bool:
        """An op is in flight (the busy indicator shows)."""
        return self.ops.is_busy()

    # --- what the session, the patient side and the sign-in own, as before ----------------------

    record = property(lambda self: self.session.record, doc="The stored version the editor is based on.")
    dirty = property(lambda self: self.session.dirty)
    editing = property(lambda self: self.session.editing)
    patient = property(lambda self: self.patients_ctl.patient, doc="The chosen patient.")
    autosave_timer = property(lambda self: self.session.autosave_timer)
    editor_build_timer = property(lambda self: self.encounter_ui.build_timer)

    @property
    def editor(self) -> EncounterEditor:
        return self.encounter_ui.editor

    def editor_is_built(self) -> bool:
        return self.encounter_ui.editor_is_built()

    def is_final(self) -> bool:
        return self.session.is_final()

    def signed_in_actor(self) -> Actor | None:
        return self.sign.actor

    def is_unlocked(self) -> bool:
        return self.sign.is_unlocked()

    def when_signed_in(self, callback: Callable[[], object]) -> None:
        self.sign.when_signed_in(callback)

    def actor(self) -> Actor:
        """The signed-in clinician, whom every audit row from this window names."""
        if self.sign.actor is None:
            raise StoreError(tr("nobody is signed in"))
        return self.sign.actor

    def needs_save(self) -> bool:
        return self.encounter_ui.needs_save()

    # --- signing in and the lock -----------------------------------------------------------------

    def _signed_in_as(self, actor: Actor) -> None:
        self.build_work_area()
        self.session.locked = False
        self.central.setCurrentWidget(self.work_page)
        self.setWindowTitle(tr("KneeCheck \u2014 {name}").format(name=actor.clinician))
        self.user_label.setText(tr("Signed in: {name}").format(name=actor.clinician))
        self.idle_watch.start()
        self.update_actions()
        if self.session.dirty and not self.session.held:
            self.autosave_timer.start()  # what could not be saved before the lock is saved now
        if self._store is not None and self.search.text().strip() and not self.patients.rowCount():
            self.patients_ctl.start_search()  # typed while the database opened
        self.clinician_signed_in.emit(actor.clinician)

    def lock_now(self) -> None:
        self.lock(tr("by hand"), "by hand")

    def lock(self, why: str, audit_detail: str) -> None:
        """Hide every patient detail behind the sign-in page until a clinician signs in again; a
        dirty draft's save is started first and lands behind the lock."""
        s = self.session

        def save_first() -> None:
            if s.editing and s.dirty and not s.is_final() and not s.held and self._store is not None:
                s.save(quiet=True)  # if it cannot be saved, the entries stay in the editor

        if not self.sign.lock(why, audit_detail, save_first):
            return
        s.locked = True
        self.idle_watch.stop()
        self.autosave_timer.stop()  # no save (and no conflict dialog) can pop up over the lock
        self.search_timer.stop()
        self.central.setCurrentWidget(self.sign_in_page)
        self.setWindowTitle(tr("KneeCheck \u2014 locked"))
        self.update_actions()
        self.window_locked.emit()

    # --- actions -------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        menus = {"file": self.menuBar().addMenu(tr("&File")), "encounter": self.menuBar().addMenu(tr("&Encounter"))}
        toolbar = self.addToolBar(tr("Encounter"))
        toolbar.setObjectName("encounter_toolbar")
        for spec in ACTIONS:
            action = QAction(self)  # QAction(text, self) would make PySide create QIcon's enums (~1.5 ms)
            action.setText(tr(spec.text))
            action.setObjectName(spec.name)
            # Neither call resolves QKeySequence's constructor overloads (which would create the Qt namespace).
            if spec.shortcut and spec.shortcut.startswith("std:"):
                action.setShortcuts(getattr(QKeySequence.StandardKey, spec.shortcut[4:]))
            elif spec.shortcut:
                action.setShortcuts(QKeySequence.listFromString(spec.shortcut))
            action.triggered.connect(lambda _checked=False, slot=spec.slot: getattr(self, slot)())
            setattr(self, f"{spec.name}_action", action)
            menus[spec.menu].addAction(action)
            if spec.toolbar:
                toolbar.addAction(action)
        self.export_action.setToolTip(tr("Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message"))

    def update_actions(self) -> None:
        """Apply the one rule (ui.actions.enabled) to every action and button."""
        ctx = Context(session=self.session.state(), signed_in=self.sign.actor is not None, has_store=self.has_store(),
                      has_patient=self.patients_ctl.patient is not None, sending=self.summary.sending,
                      has_destination=bool(self.settings.mllp_destination))
        on = enabled(ctx)
        for spec in ACTIONS:
            getattr(self, f"{spec.name}_action").setEnabled(on[spec.name])
        if self._work_area_built:
            self.new_patient_button.setEnabled(on["new_patient"])
            self.new_encounter_button.setEnabled(on["new_encounter"])
            self.edit_patient_button.setEnabled(on["edit_patient"])

    _update_actions = update_actions

    # --- messages and patchable dialogs -------------------------------------------------------------

    def tell(self, message: Message, **values: object) -> None:
        title, text = message.format(**values)
        box = {"critical": QMessageBox.critical, "information": QMessageBox.information}.get(
            message.severity, QMessageBox.warning)
        box(self, title, text)

    def ask(self, message: Message, buttons: QMessageBox.StandardButton, **values: object) -> QMessageBox.StandardButton:
        title, text = message.format(**values)
        return QMessageBox.question(self, title, text, buttons)

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

    # --- patients --------------------------------------------------------------------------------------

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _start_search(self) -> None:
        self.patients_ctl.start_search()

    def _patient_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_patient(self.patients.record(index.row()))

    def open_patient(self, patient: PatientRecord) -> None:
        if self.patient is not None and patient.id == self.patient.id:
            return
        self.leave_then(lambda: self._choose_patient(patient))

    def _choose_patient(self, patient: PatientRecord) -> None:
        self.session.close()
        self.encounter_ui.clear()
        self.patients_ctl.choose(patient)
        self.update_actions()

    def _patient_changed(self, patient: PatientRecord | None) -> None:
        if patient is not None:
            self.session.set_patient(patient)  # the open encounter shows and prints the patient as now stored
        self.update_actions()

    def refresh_encounters(self) -> None:
        self.patients_ctl.refresh_encounters()

    def select_open_encounter(self) -> None:
        record = self.session.record
        if record is not None and self._work_area_built:
            for row, summary in enumerate(self.encounters.records()):
                if summary.id == record.id:
                    self.encounter_view.selectRow(row)

    def new_patient(self) -> None:
        self.patients_ctl.new_patient()

    def edit_patient(self) -> None:
        self.patients_ctl.edit_patient()

    # --- encounters ---------------------------------------------------------------------------------

    def _encounter_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        summary = self.encounters.record(index.row())
        if self.record is None or summary.id != self.record.id:
            self.leave_then(lambda: self.open_encounter(summary.id))

    def open_encounter(self, encounter_id: int) -> bool:
        """Load and show the encounter off the GUI thread; True when the load was started."""

        def opened(record: EncounterRecord | None, problems: list[str]) -> None:
            if record is None:
                return
            if self.patient is None or self.patient.id != record.patient.id:
                self.patients_ctl.choose(record.patient)
            self.encounter_ui.show_problems(record, problems)

        try:
            self.session.open(encounter_id, done=opened,
                              failure=lambda exc: self.tell(messages.STORE_FAILED, reason=str(exc)))
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))
            return False
        return True

    def new_encounter(self) -> None:
        patient = self.patient
        if patient is None:
            self.tell(messages.NO_PATIENT)
            return

        def start() -> None:
            self.session.start_new(patient)
            actor = self.sign.actor
            self.encounter_ui.show_new(actor.clinician if actor is not None else self.settings.default_clinician)

        self.leave_then(start)

    def leave_then(self, then: Callable[[], object]) -> bool:
        """Before the editor shows something else: offer to save unsaved changes; ``then`` once they
        are saved (after the save lands) or discarded. False when the clinician cancelled."""
        s = self.session
        if not (s.editing and s.dirty and not s.is_final()):
            then()
            return True
        answer = self.ask(messages.UNSAVED_CHANGES, QMessageBox.StandardButton.Save
                          | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            s.save(done=lambda ok: then() if ok else None)
            return True
        if answer == QMessageBox.StandardButton.Discard:
            then()
            return True
        return False

    def autosave(self) -> None:
        self.session.autosave()

    def save(self, quiet: bool = False) -> bool:
        """Store the editor's content off the GUI thread; ``quiet`` (autosave) reports problems in the
        status bar only. False when it was refused at once (an incomplete header); else True, and the
        result comes later (``encounter_saved``, ``ops.wait_idle``)."""
        finished: list[bool] = []
        decision = self.session.save(quiet, done=finished.append)
        if finished:
            return finished[0]
        return decision in (SAVE_NOW, SAVE_QUEUED)

    def finalize(self) -> None:
        s = self.session
        if not s.editing or s.is_final():
            return
        catalogue = self.panel.catalogue

        def confirm(record: EncounterRecord) -> bool:
            unasked = [tr(i.short) for i in catalogue.red_flags if record.findings.get(i.id) is None]
            question, values = messages.CONFIRM_FINALIZE, {}
            if unasked:
                question = messages.CONFIRM_FINALIZE_UNASKED
                values = {"flags": "\n".join(f"\u2022 {name}" for name in unasked)}
            return self.ask(question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                            **values) == QMessageBox.StandardButton.Yes

        s.finalize(must_save=self.needs_save(), confirm=confirm)

    def amend(self) -> None:
        if self.record is None or not self.is_final():
            return
        reason = self.ask_amend_reason()
        if reason:
            self.session.amend(reason, done=lambda ok: ok and self.statusBar().showMessage(
                tr("Amendment opened as a new draft; the original is kept"), 5000))

    def show_preview(self) -> None:
        self.summary.preview()

    def print_summary(self) -> None:
        self.summary.print()

    def export_summary(self) -> None:
        self.summary.export()

    def send_summary(self) -> None:
        self.summary.send()

    # --- settings, recovery and closing ---------------------------------------------------------------

    def edit_settings(self) -> None:
        from ui.dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if self.ask_settings(dialog):
            self.settings = dialog.settings()
            save_settings(self.settings)
            self.idle_watch.set_timeout_ms(self.settings.idle_lock_minutes * 60_000)
            self.update_actions()  # Send needs a destination

    def recover_draft(self, encounter_id: int) -> bool:
        """Offer back a draft left open by a session that did not close normally (loaded off the GUI thread)."""

        def ask() -> bool:
            return self.ask(messages.RECOVER_DRAFT, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                            encounter_id=encounter_id) == QMessageBox.StandardButton.Yes

        def opened(record: EncounterRecord | None, problems: list[str]) -> None:
            if record is not None:
                if self.patient is None or self.patient.id != record.patient.id:
                    self.patients_ctl.choose(record.patient)
                self.encounter_ui.show_problems(record, problems)

        self.session.recover(encounter_id, ask, done=opened)
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        s = self.session
        if s.locked and s.editing and s.dirty and not s.is_final():
            # The lock's save failed (say, no knee chosen yet): only the clinician may discard that.
            self.statusBar().showMessage(tr("Unsaved entries are kept behind the lock: unlock first, "
                                            "then save or discard them."))
            event.ignore()
            return
        if self.ops.is_busy():
            self.statusBar().showMessage(tr("Waiting for the save to finish\u2026"))
            self.ops.wait_idle(CLOSE_WAIT_MS)  # a save in flight lands before the window goes
        if s.editing and s.dirty and not s.is_final():
            answer = self.ask(messages.UNSAVED_CHANGES, QMessageBox.StandardButton.Save
                              | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save()
                self.ops.wait_idle(CLOSE_WAIT_MS)
                if s.dirty:  # not stored (a conflict left undecided, a refusal): the window stays
                    event.ignore()
                    return
        self.autosave_timer.stop()
        self.search_timer.stop()
        self.editor_build_timer.stop()
        self.idle_watch.stop()
        self.ops.shut_down(5000)
        set_open_draft_marker(None)  # a clean close: nothing to recover next time
        if self._work_area_built:
            self.preview.clear()  # QtPdf crashed deleting a view whose document was still open
        event.accept()
