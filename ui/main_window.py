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

Why nearly 500 lines: every action of ui.actions.ACTIONS names a method of the window as its slot,
and each of those is a one-line hand-over to the controller that owns the state; with the start-up
order (sign-in page first, work area in idle time) they are what is left here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMessageBox, QStackedWidget, QWidget

from models.records import Actor, PatientRecord, StoreError
from ui import actions, messages
from ui.asking import AskingWindow
from ui.encounter_session import SAVE_NOW, SAVE_QUEUED, EncounterSession
from ui.encounter_view import EncounterUi
from ui.idle import IdleWatch
from ui.lock import SignIn
from ui.operations import OpRunner
from ui.patients import Patients
from ui.settings import Settings, load_settings, save_settings, set_open_draft_marker
from ui.sign_in import SignInPage
from ui.summary_controller import Summary
from ui.window_layout import WindowPlacement

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent

    from models.store import Store
    from ui.encounter_editor import EncounterEditor
    from ui.work_area import WorkArea

__all__ = ["QFileDialog", "MainWindow"]  # tests patch QFileDialog.getSaveFileName through this module

WORK_AREA = frozenset({
    "catalogue", "work_page", "patient_side", "search", "patients", "patient_view", "search_status",
    "new_patient_button", "edit_patient_button", "patient_header", "encounters", "encounter_view",
    "new_encounter_button", "encounter_side", "date_edit", "knee", "clinician", "status_label",
    "checklist_page", "checklist_placeholder", "notes", "preview", "tabs", "integrity_banner", "ruleset_banner",
    "panel", "save_banner", "header_labels",
})
"""The working area's widgets (ui.work_area.WorkArea), also read as attributes of the window."""
AUTOSAVE_DELAY_MS = 3000
CLOSE_WAIT_MS = 30_000  # the longest a close waits for a save in flight


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


class MainWindow(AskingWindow):
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
        self._area: WorkArea | None = None
        self.settings = settings or load_settings()
        self.setWindowTitle(translate("MainWindow", "KneeCheck"))
        self.setObjectName("main_window")
        self.ops = OpRunner(lambda: self.store, self)
        self.session = EncounterSession(self.ops, self.actor, self)
        self.session.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.sign_in_page = SignInPage()
        self.sign = SignIn(self, self.sign_in_page, None)
        self.patients_ctl = Patients(self)
        self.encounter_ui = EncounterUi(self)
        self.summary = Summary(self)
        self.placement = WindowPlacement(self)  # where the window and its splitters were left here
        self.search_timer = self.patients_ctl.search_timer
        self.central = QStackedWidget()
        self.central.setObjectName("central_stack")
        self.central.addWidget(self.sign_in_page)
        self.setCentralWidget(self.central)
        self._actions: dict[str, QAction] = actions.build(self)
        self.busy_label = self._status_label("busy_indicator", translate("MainWindow", "Working\u2026"))
        self.busy_label.hide()
        self.user_label = self._status_label("user_label", "")
        self.db_label = self._status_label("db_label", translate("MainWindow", "Database: opening\u2026"))
        self.idle_watch = IdleWatch(self.settings.idle_lock_minutes * 60_000, self)
        self.idle_watch.idle.connect(lambda: self.lock(
            translate("MainWindow", "after {n} minutes without use").format(n=self.settings.idle_lock_minutes), "idle"))
        self.ops.busy_changed.connect(self.busy_label.setVisible)
        self.ops.failed_unhandled.connect(lambda _label, exc: self.tell(messages.STORE_FAILED, reason=str(exc)))
        self.session.marker_changed.connect(set_open_draft_marker)  # when the open draft changes, not per key
        self.encounter_ui.editor_ready.connect(self.editor_ready)
        if signed_in is None:
            self.central.setCurrentWidget(self.sign_in_page)
        else:
            self.sign.accept(signed_in)
        if store is not None:
            self.attach_store(store)
        else:
            self.statusBar().showMessage(translate("MainWindow", "Opening the database\u2026"))
            self.update_actions()

    def _status_label(self, name: str, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        self.statusBar().addPermanentWidget(label)
        return label

    # --- the working area and the store ------------------------------------------------------------

    def build_work_area(self) -> None:
        """Build the patient side, the encounter side and the assessment panel (ui.work_area), once."""
        if self._area is not None:
            return
        from ui.work_area import WorkArea

        self._area = area = WorkArea(self)
        self.central.insertWidget(0, area.page)  # hidden: the stack keeps its current page
        self.placement.adopt(area.page)
        # Style and lay out the hidden page now (before sign-in), not in the first frame after it.
        area.page.ensurePolished()
        area.page.resize(self.central.size())
        if (layout := area.page.layout()) is not None:
            layout.activate()
        area.page.grab()  # one paint off screen: fonts and glyph caches warmed before anyone is waiting
        self.encounter_ui.set_enabled(False)
        self.update_actions()

    def work_area_is_built(self) -> bool:
        return self._area is not None

    @property
    def area(self) -> WorkArea:
        """The working area's widgets, built at once on first use."""
        if self._area is None:
            self.build_work_area()
        assert self._area is not None
        return self._area

    if not TYPE_CHECKING:  # ui/ modules use window.area (typed); tests and the bench read window.knee...
        def __getattr__(self, name: str) -> Any:
            if name in WORK_AREA and "_area" in vars(self):
                return self.area.page if name == "work_page" else getattr(self.area, name)
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
        url = store.url_for_display  # the full URL (query included) in the tooltip; the bar stays short
        self.db_label.setText(translate("MainWindow", "Database: {url}").format(url=url.split("?", 1)[0]))
        self.db_label.setToolTip(url)
        self.statusBar().clearMessage()
        self.update_actions()
        if self.sign.actor is None:
            self.sign.offer()
        elif self.area.search.text().strip():
            self.search_timer.stop()
            self.patients_ctl.start_search()
        elif self.area.search_status.text():
            self.area.search_status.setText("")
        if not self.encounter_ui.editor_is_built():
            self.build_work_area()  # the editor goes into it, built in idle time
            self.encounter_ui.build_timer.start()
        if not store.is_sqlite:  # connected as a role that could rewrite the audit trail? (README "PostgreSQL roles")
            self.ops.run("role check", lambda s: s.connected_role_risk(), success=self.warn_about_role,
                         failure=lambda _exc: None, read=True)
        self.store_attached.emit()

    def warn_about_role(self, risk: str | None) -> None:
        """A lasting status-bar warning, and a log line, when the database role is the schema's
        owner or a superuser: whoever has that login can disable the triggers and rewrite audit rows."""
        if risk is None:
            return
        from ui.error_hook import log

        who = (translate("MainWindow", "KneeCheck is connected as a PostgreSQL superuser") if risk == "superuser"
               else translate("MainWindow", "KneeCheck is connected as the owner of its schema"))
        text = translate("MainWindow", "{who}: anyone with this login can rewrite audit rows; see README \u2018PostgreSQL roles\u2019").format(
            who=who)
        label = self.findChild(QLabel, "role_warning") or self._status_label("role_warning", "")
        label.setText(text)
        label.setAccessibleName(text)
        log.warning("connected as the %s: anyone with this login can rewrite audit rows "
                    "(see README 'PostgreSQL roles')", "PostgreSQL superuser" if risk == "superuser" else "schema owner")

    def is_busy(self) -> bool:
        """An op is in flight (the busy indicator shows)."""
        return self.ops.is_busy()

    # --- what the session, the patient side and the sign-in own, read here as before -----------------

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

    def is_window_locked(self) -> bool:
        """While locked no question or dialog is shown (ui.asking): each is answered with its cancel."""
        sign = vars(self).get("sign")
        return sign is not None and sign.locked

    def when_signed_in(self, callback: Callable[[], object]) -> None:
        self.sign.when_signed_in(callback)

    def actor(self) -> Actor:
        """The signed-in clinician, whom every audit row from this window names."""
        if self.sign.actor is None:
            raise StoreError(translate("MainWindow", "nobody is signed in"))
        return self.sign.actor

    def needs_save(self) -> bool:
        return self.encounter_ui.needs_save()

    def lock_now(self) -> None:
        self.lock(translate("MainWindow", "by hand"), "by hand")

    def lock(self, why: str, audit_detail: str) -> None:
        """Hide every patient detail behind the sign-in page (ui.lock.SignIn.lock)."""
        self.sign.lock(why, audit_detail)

    def update_actions(self) -> None:
        """Apply the one rule (ui.actions.enabled) to every action and button."""
        ctx = actions.Context(session=self.session.state(), signed_in=self.sign.actor is not None,
                              has_store=self.has_store(), has_patient=self.patients_ctl.patient is not None,
                              sending=self.summary.sending, has_destination=bool(self.settings.mllp_destination))
        on = actions.enabled(ctx)
        for name, action in self._actions.items():
            action.setEnabled(on[name])
        if self._area is not None:
            self._area.new_patient_button.setEnabled(on["new_patient"])
            self._area.new_encounter_button.setEnabled(on["new_encounter"])
            self._area.edit_patient_button.setEnabled(on["edit_patient"])

    _update_actions = update_actions

    # --- patients (ui.patients) ----------------------------------------------------------------------

    def focus_search(self) -> None:
        self.patients_ctl.focus_search()

    def _start_search(self) -> None:
        self.patients_ctl.start_search()

    def open_patient(self, patient: PatientRecord) -> None:
        """Show ``patient`` once the open encounter is left; its encounters load off the GUI thread."""
        self.patients_ctl.open(patient)

    def refresh_encounters(self) -> None:
        self.patients_ctl.refresh_encounters()

    def select_open_encounter(self) -> None:
        self.patients_ctl.select_open_encounter()

    def new_patient(self) -> None:
        self.patients_ctl.new_patient()

    def edit_patient(self) -> None:
        self.patients_ctl.edit_patient()

    # --- the open encounter (ui.encounter_session, shown by ui.encounter_view) -------------------------

    def open_encounter(self, encounter_id: int) -> bool:
        """Load and show the encounter off the GUI thread; True when the load was started."""
        try:
            self.encounter_ui.open(encounter_id)
        except StoreError as exc:
            self.tell(messages.STORE_FAILED, reason=str(exc))
            return False
        return True

    def recover_draft(self, encounter_id: int) -> bool:
        """Offer back a draft left open by a session that did not close normally (loaded off the GUI thread)."""
        self.encounter_ui.recover(encounter_id)
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
        """Offer to save unsaved changes, then ``then`` (ui.encounter_view.EncounterUi.leave_then)."""
        return self.encounter_ui.leave_then(then)

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
        self.encounter_ui.finalize()

    def go_checklist(self) -> None:
        self.encounter_ui.go_checklist()

    def go_red_flags(self) -> None:
        self.encounter_ui.go_red_flags()

    def go_notes(self) -> None:
        self.encounter_ui.go_notes()

    def go_item(self) -> None:
        self.encounter_ui.go_item()

    def red_flags_no(self) -> None:
        self.encounter_ui.red_flags_no()

    def undo_answer(self) -> None:
        self.encounter_ui.undo_answer()

    def amend(self) -> None:
        self.encounter_ui.amend()

    def show_preview(self) -> None:
        self.summary.preview()

    def who_saw_patient(self) -> None:
        from ui.access_dialog import show_who_saw

        show_who_saw(self)

    def print_summary(self) -> None:
        self.summary.print()

    def export_summary(self) -> None:
        self.summary.export()

    def send_summary(self) -> None:
        self.summary.send()

    # --- help and signing out ---------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        from ui.help import ShortcutsDialog

        self.show_help(ShortcutsDialog(self))

    def show_about(self) -> None:
        from models.catalogue import load_catalogue
        from ui.help import AboutDialog

        catalogue = self.area.catalogue if self.work_area_is_built() else load_catalogue()
        self.show_help(AboutDialog(catalogue.ruleset, self))

    def show_help(self, dialog: QDialog) -> None:
        """Show a Help dialog (tests patch this)."""
        dialog.exec()
        dialog.deleteLater()

    def sign_out(self) -> None:
        """End this clinician's sign-in and show the sign-in page, for them or another clinician. The
        open encounter is left as anywhere else: unsaved entries are saved or discarded as asked, and
        Cancel (or a save that fails) keeps the clinician signed in with the entries."""
        if not self.sign.is_unlocked():
            return

        def out() -> None:
            self.session.close()
            self.encounter_ui.clear()
            self.patients_ctl.choose(None)
            self.area.search.clear()
            self.area.patients.set_records([])
            self.area.search_status.setText("")
            self.sign.sign_out()

        self.leave_then(out)

    # --- settings and closing --------------------------------------------------------------------------

    def edit_settings(self) -> None:
        from ui.dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if self.ask_settings(dialog):
            self.settings = dialog.settings()
            save_settings(self.settings)
            self.idle_watch.set_timeout_ms(self.settings.idle_lock_minutes * 60_000)
            self.encounter_ui.apply_settings()
            self.update_actions()  # Send needs a destination

    def closeEvent(self, event: QCloseEvent) -> None:
        """Waits for the ops in flight (a save or a finalize lands before the window goes), then asks
        about what is still unsaved; a clean close clears the crash-recovery marker. A finalize that
        did not go through keeps the window open (and the marker), with a word."""
        s = self.session
        finalizing = s.finalizing
        if self.summary.printing:  # a job is out: whether it printed is not known yet
            self.statusBar().showMessage(translate("MainWindow", "Not closed: the summary is still printing on {name}; close again "
                                            "once it is done.").format(name=self.summary.printing))
            event.ignore()
            return
        if self.ops.is_busy():
            self.statusBar().showMessage(translate("MainWindow", "Waiting for the save to finish\u2026"))
            self.ops.wait_idle(CLOSE_WAIT_MS)  # a save in flight lands before the window goes
        if self.ops.is_busy():
            self.statusBar().showMessage(translate("MainWindow", "Not closed: the database has not answered yet; your entries are "
                                            "kept here. Close again later."))
            event.ignore()
            return
        if finalizing and s.editing and not s.is_final():
            self.statusBar().showMessage(translate("MainWindow", "Not closed: the encounter was not finalized (see the message); it is "
                                            "still a draft. Finalize again or close again."))
            event.ignore()
            return
        if s.locked and s.editing and s.dirty and not s.is_final():
            # The lock's save failed (say, no knee chosen yet): only the clinician may discard that.
            self.statusBar().showMessage(translate("MainWindow", "Unsaved entries are kept behind the lock: unlock first, "
                                            "then save or discard them."))
            event.ignore()
            return
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
        self.placement.remember()
        if self._area is not None:
            self._area.preview.clear()  # QtPdf crashed deleting a view whose document was still open
        event.accept()
