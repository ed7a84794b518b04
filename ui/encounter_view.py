"""The encounter side's widgets bound to the one owner of the open encounter (ui.encounter_session).

The session owns the state; this only shows it: it fills the header, the checklist editor, the notes
and the panel from a record (plain data), reads them back as a :class:`~ui.encounter_session.Draft`
for a save, marks the session changed on every edit, shows the status line, the banners and what a
save said, and asks the clinician about a conflict. The checklist editor (hundreds of widgets) is
built in idle time, one group per event-loop turn, or at once when first needed.

Why a little over 400 lines: it is the one binding between the session and about a dozen widgets
(header, editor, notes, panel, preview, status); split, each half would reach into the other's widgets.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from models.records import Actor, ConflictError, EncounterRecord, StoreError
from ui import messages
from ui.encounter_session import Draft
from ui.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger("kneecheck.ui")  # the error hook's handlers write it to the log file

if TYPE_CHECKING:
    from models.case import EncounterInfo
    from ui.encounter_editor import EncounterEditor
    from ui.main_window import MainWindow
    from ui.not_saved import NotSaved


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


_HOW = {"saved": QT_TRANSLATE_NOOP("MainWindow", "Saved at {time}"), "autosaved": QT_TRANSLATE_NOOP("MainWindow", "Saved automatically at {time}"),
        "over_theirs": QT_TRANSLATE_NOOP("MainWindow", "Saved on top of the other workstation's version at {time}"), "finalized": QT_TRANSLATE_NOOP("MainWindow", "Finalized")}


class EncounterUi(QObject):
    editor_ready = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.session = window.session
        self._editor: EncounterEditor | None = None
        self.history: list[Any] = []  # models.follow_up.Visit: the patient's stored encounters
        self._history_of: int | None = None  # the patient they are of
        self._map_connected = False
        self._patient_seen: tuple[object, object] = (None, None)  # the patient (id, version) last shown  # the panel's leg map answers the dermatomal deficit (see _install)
        self._loading = False
        self._leaving: Callable[[], object] | None = None  # the leave that waits for a save in flight
        self._not_saved: NotSaved | None = None
        self.build_timer = QTimer(self, interval=0)  # a 0 ms timer fires when the loop is idle
        self.build_timer.timeout.connect(self._build_step)
        s = self.session
        s.snapshot = self.snapshot
        s.shown.connect(self.show_record)
        s.stored.connect(self._stored)
        s.failed.connect(self._failed)
        s.conflict.connect(self._conflict)
        s.changed.connect(self.apply_status)
        s.patient_changed.connect(self._patient_changed)
        window.sign.signed_in.connect(self._signed_in)

    @property
    def not_saved(self) -> NotSaved:
        """The Not saved banner and the marked header field (ui.not_saved), once the working area exists."""
        if self._not_saved is None:
            from ui.not_saved import NotSaved

            self._not_saved = NotSaved(self.w.area)
        return self._not_saved

    # --- the editor, built in idle time -------------------------------------------------------------

    @property
    def editor(self) -> EncounterEditor:
        if self._editor is None or not self._editor.is_built():
            self.build_timer.stop()
            if self._editor is None:
                self._editor = self._new_editor()
            self._editor.finish_building()
            self._install()
        assert self._editor is not None
        return self._editor

    def editor_is_built(self) -> bool:
        return self._editor is not None and self._editor.is_built()

    def _new_editor(self) -> EncounterEditor:
        from ui.encounter_editor import EncounterEditor

        editor = EncounterEditor(self.w.area.catalogue, defer=True)
        editor.advance_on_answer = self.w.settings.advance_on_answer
        return editor

    def _build_step(self) -> None:
        if self._editor is None:
            self._editor = self._new_editor()
        if self._editor.build_step():
            self.build_timer.stop()
            self._install()

    def _install(self) -> None:
        editor, w = self._editor, self.w
        assert editor is not None and editor.is_built()
        if w.area.checklist_page.indexOf(editor) >= 0:
            return
        editor.findings_changed.connect(self._findings_changed)
        editor.answered_by_key.connect(self._answered_by_key)
        if not self._map_connected:  # one panel, whatever editors come and go
            w.area.panel.dermatome_chosen.connect(self._dermatome_chosen)
            self._map_connected = True
        editor.set_read_only(self.session.is_final())
        w.area.checklist_page.addWidget(editor)
        w.placement.adopt(editor.splitter)
        if self.session.editing:
            w.area.checklist_page.setCurrentWidget(editor)
        w.area.chain_tab_order(editor)
        self.editor_ready.emit()

    # --- showing a record -----------------------------------------------------------------------------

    def show_record(self, record: EncounterRecord) -> None:
        w = self.w
        self._loading = True
        try:
            d = record.info.date
            w.area.date_edit.setDate(QDate(d.year, d.month, d.day))
            w.area.knee.setCurrentIndex(w.area.knee.findData(record.info.knee))
            # The clinician the record names; a draft shows the signed-in account once they change
            # something (their save records them: see mark_changed).
            w.area.clinician.setText(record.info.clinician)
            w.area.notes.setPlainText(record.notes)
            self.editor.set_findings(record.findings)
        finally:
            self._loading = False
        w.area.preview.clear()
        w.area.integrity_banner.hide()
        self.not_saved.clear()
        self.set_enabled(True)
        self.apply_status()
        self.refresh_age()
        self.tell_ruleset(record)
        w.patients_ctl.select_open_encounter()
        self.load_history()

    def show_problems(self, record: EncounterRecord, problems: list[str]) -> None:
        """An opened encounter failed its integrity check: someone changed the database outside KneeCheck."""
        w = self.w
        if problems:
            warning = messages.INTEGRITY_FINAL if record.status == "final" else messages.INTEGRITY_AMENDED
            w.area.integrity_banner.setText("\u26a0 " + warning.format()[1])
            w.area.integrity_banner.setToolTip("\n".join(problems))  # ids and what failed; no patient data
        w.area.integrity_banner.setVisible(bool(problems))

    def show_new(self, clinician: str) -> None:
        w = self.w
        editor = self.editor
        self._loading = True
        try:
            w.area.date_edit.setDate(QDate.currentDate())
            w.area.knee.setCurrentIndex(0)
            w.area.clinician.setText(clinician)  # the examining clinician is usually the one signed in
            w.area.notes.setPlainText("")
            editor.set_findings({})
        finally:
            self._loading = False
        self._blank(enabled=True)
        self.refresh_age()
        w.area.tabs.setCurrentWidget(w.area.checklist_page)
        w.area.knee.setFocus()
        self.load_history()

    def clear(self) -> None:
        w = self.w
        self._loading = True
        try:
            if self.editor_is_built():  # nothing to clear before it exists
                self.editor.set_findings({})
            w.area.notes.setPlainText("")
        finally:
            self._loading = False
        self._blank(enabled=False)

    def _blank(self, *, enabled: bool) -> None:
        """No summary, no banners, the editor on or off: what a new and a closed encounter share."""
        area = self.w.area
        area.preview.clear()
        area.integrity_banner.hide()
        area.ruleset_banner.hide()
        self.not_saved.clear()
        self.set_enabled(enabled)
        self.apply_status()

    def set_enabled(self, enabled: bool) -> None:
        w = self.w
        for widget in (w.area.date_edit, w.area.knee, w.area.clinician, w.area.tabs):
            widget.setEnabled(enabled)
        shown = self._editor if enabled and self.editor_is_built() else None
        w.area.checklist_page.setCurrentWidget(shown or w.area.checklist_placeholder)

    def tell_ruleset(self, record: EncounterRecord | None) -> None:
        """Say once, while it applies, that an opened draft was assessed under an older rule set."""
        from models.catalogue import known_rulesets

        w = self.w
        current = w.area.panel.catalogue.ruleset
        other = record is not None and record.status != "final" and record.ruleset != current
        if other and record is not None:
            message = messages.RULESET_CHANGED if record.ruleset in known_rulesets() else messages.RULESET_UNKNOWN
            w.area.ruleset_banner.setText("\u2139 " + message.format(old=record.ruleset, new=current)[1])
        w.area.ruleset_banner.setVisible(other)

    def apply_status(self) -> None:
        w, s = self.w, self.session
        if not w.work_area_is_built():
            w.update_actions()
            return
        final = s.is_final()
        if self.editor_is_built():
            self.editor.set_read_only(final)
        w.area.notes.setReadOnly(final)
        for widget in (w.area.date_edit, w.area.knee, w.area.clinician):
            widget.setEnabled(s.editing and not final)
        record = s.record
        if not s.editing:
            text = translate("MainWindow", "No encounter open")
        elif record is None:
            text = translate("MainWindow", "New draft, not saved yet")
        elif final:
            when = record.finalized_at.astimezone().strftime("%Y-%m-%d %H:%M") if record.finalized_at else ""
            text = translate("MainWindow", "FINAL, read-only: signed by {who} on {when}").format(who=record.finalized_by or "", when=when)
            if record.amended_by_id is not None:
                text += "\n" + translate("MainWindow", "Superseded by amendment {number}").format(number=record.amended_by_id)
        else:
            text = translate("MainWindow", "DRAFT {number}, version {version}").format(number=record.id, version=record.version)
            if record.amends_id is not None:
                text += "\n" + translate("MainWindow", "Amends encounter {number}: {reason}").format(
                    number=record.amends_id, reason=record.amend_reason or "")
        if s.saving:
            text += " \u2014 " + translate("MainWindow", "saving\u2026")
        elif s.dirty:
            text += " \u2014 " + translate("MainWindow", "unsaved changes")
        w.area.status_label.setText(text)
        w.update_actions()

    # --- opening, leaving, finalize and amend ----------------------------------------------------------

    def open(self, encounter_id: int) -> None:
        """Load and show the encounter off the GUI thread (raises StoreError when no database is open)."""
        self.session.open(encounter_id, done=self.opened,
                          failure=lambda exc: self.w.tell(messages.STORE_FAILED, reason=str(exc)))

    def recover(self, encounter_id: int) -> None:
        """Offer back a draft left open by a session that did not close normally."""
        self.session.recover(encounter_id, lambda: self.w.ask_yes(messages.RECOVER_DRAFT, encounter_id=encounter_id),
                             done=self.opened)

    def opened(self, record: EncounterRecord | None, problems: list[str]) -> None:
        """An opened (or recovered) record is shown: its patient becomes the chosen one; integrity."""
        if record is None:
            return
        chosen = self.w.patients_ctl
        if chosen.patient is None or chosen.patient.id != record.patient.id:
            chosen.choose(record.patient)
        self.show_problems(record, problems)
        self._audit_opened(record)

    def _audit_opened(self, record: EncounterRecord) -> None:
        """An encounter shown is a view of it: its audit row, off the GUI thread."""
        w = self.w
        try:
            who = w.actor()
        except StoreError:
            return
        w.ops.run("audit opened", lambda store: store.record_event(
            "opened", who, encounter_id=record.id, patient_id=record.patient.id),
            failure=lambda exc: w.tell(messages.STORE_FAILED, reason=str(exc)))

    def leave_then(self, then: Callable[[], object]) -> bool:
        """Before the editor shows something else: offer to save unsaved changes; ``then`` once they
        are saved (after the save lands) or discarded. False when the clinician cancelled.

        A save, finalize or amend in flight (or its conflict, not yet answered) is waited for first:
        the next encounter opens only once it has landed, and if it failed or something was typed
        meanwhile the clinician is asked again. Asked to leave twice while waiting, the last wins."""
        s = self.session
        if not s.settled():
            waiting = self._leaving is not None
            self._leaving = then
            self.w.statusBar().showMessage(translate("MainWindow", "Waiting for the save to finish\u2026"))
            if not waiting:
                s.when_settled(self._left_after_save)
            return True
        if not (s.editing and s.dirty and not s.is_final()):
            then()
            return True
        answer = self.w.ask(messages.UNSAVED_CHANGES, QMessageBox.StandardButton.Save
                            | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Save:
            s.save(done=lambda ok: then() if ok else None)
            return True
        if answer == QMessageBox.StandardButton.Discard:
            then()
            return True
        return False

    def _left_after_save(self) -> None:
        then, self._leaving = self._leaving, None
        if then is not None:
            self.w.statusBar().clearMessage()
            self.leave_then(then)

    def finalize(self) -> None:
        """Save first when needed, ask (naming the red flags not asked about), then sign."""
        s = self.session
        if not s.editing or s.is_final():
            return
        catalogue = self.w.area.panel.catalogue

        def confirm(record: EncounterRecord) -> bool:
            unasked = [i.short for i in catalogue.red_flags if record.findings.get(i.id) is None]
            if not unasked:
                return self.w.ask_yes(messages.CONFIRM_FINALIZE)
            return self.w.ask_yes(messages.CONFIRM_FINALIZE_UNASKED,
                                  flags="\n".join(f"\u2022 {name}" for name in unasked))

        s.finalize(must_save=self.needs_save(), confirm=confirm)

    # --- the keyboard's ways around the checklist --------------------------------------------------

    def _checklist_editor(self) -> EncounterEditor | None:
        """The editor, on show, when an encounter is open and its editor is built; else None."""
        if not self.session.editing or not self.editor_is_built():
            return None
        self.w.area.tabs.setCurrentWidget(self.w.area.checklist_page)
        return self.editor

    def apply_settings(self) -> None:
        """The workstation's settings changed: the editor follows them."""
        if self._editor is not None:
            self._editor.advance_on_answer = self.w.settings.advance_on_answer

    def go_checklist(self) -> None:
        editor = self._checklist_editor()
        if editor is not None:
            editor.focus_checklist()

    def go_red_flags(self) -> None:
        editor = self._checklist_editor()
        if editor is not None:
            editor.focus_red_flags()

    def go_notes(self) -> None:
        if self.session.editing:
            from PySide6.QtCore import Qt  # not at import: the Qt namespace costs start-up time

            self.w.area.tabs.setCurrentWidget(self.w.area.notes)
            self.w.area.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def go_item(self) -> None:
        """Ask for part of a finding's name and go to the first finding shown that matches."""
        editor = self._checklist_editor()
        if editor is None:
            return
        text = self.w.ask_item()
        if text is None:
            return
        found = editor.find_items(text)
        if not found:
            self.w.tell(messages.NO_SUCH_FINDING, text=text)
            return
        editor.focus_item(found[0])

    def red_flags_no(self) -> None:
        """Every red flag not asked yet: "No", after one question that lists them."""
        editor = self._checklist_editor()
        if editor is None or self.session.is_final():
            return
        focus = QApplication.focusWidget()
        unasked = editor.unasked_red_flags()
        if not unasked:
            self.w.tell(messages.ALL_RED_FLAGS_ASKED)
            return
        if self.w.ask_yes(messages.RED_FLAGS_NO, flags="\n".join(f"\u2022 {i.short}" for i in unasked)):
            editor.answer_absent([i.id for i in unasked])
            self.w.statusBar().showMessage(translate("MainWindow", "{n} red flag(s) recorded as No").format(n=len(unasked)), 5000)
        if focus is not None:
            from PySide6.QtCore import Qt

            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def amend(self) -> None:
        if self.session.record is None or not self.session.is_final():
            return
        reason = self.w.ask_amend_reason()
        if reason:
            self.session.amend(reason, done=self._amended)

    def _amended(self, ok: bool) -> None:
        if ok:
            self.w.statusBar().showMessage(translate("MainWindow", "Amendment opened as a new draft; the original is kept"), 5000)

    # --- edits ----------------------------------------------------------------------------------------

    def encounter_date(self) -> dt.date:
        q = self.w.area.date_edit.date()
        return dt.date(q.year(), q.month(), q.day())

    def age(self) -> int | None:
        from models.case import age_on

        patient = self.session.patient if self.session.editing else self.w.patients_ctl.patient
        if patient is None:
            return None
        date = self.encounter_date()
        return age_on(patient.birth_date, date) if date >= patient.birth_date else None

    def refresh_age(self) -> None:
        age = self.age()
        if not self.editor_is_built():
            self.w.area.panel.show_findings({}, age)  # no encounter has been open yet: no findings
            return
        self.editor.set_age(age)
        self.refresh_panel(self.editor.findings())

    def refresh_panel(self, findings: dict[str, Any]) -> None:
        """A finalized encounter shows what was stored, never a new assessment; a draft, the live one."""
        record = self.session.record
        panel = self.w.area.panel
        if self.session.is_final() and record is not None:
            panel.show_stored(record.assessment, record.findings, record.info.knee, self.age())
        else:
            panel.show_findings(findings, self.age(), self.w.area.knee.currentData())
        self._show_follow_up(findings)

    # --- since the last visit -------------------------------------------------------------------------

    def load_history(self) -> None:
        """The patient's stored encounters, read off the GUI thread, for "Since the visit of"."""
        patient = self.session.patient
        if patient is None or not self.w.has_store():
            self.history, self._history_of = [], None
            return
        patient_id = patient.id

        def read(store: Any) -> list[Any]:
            return store.patient_visits(patient_id)  # type: ignore[no-any-return]

        def loaded(visits: list[Any]) -> None:
            current = self.session.patient
            if current is not None and current.id == patient_id:
                self.history, self._history_of = visits, patient_id
                if self.session.editing and self.editor_is_built():
                    self._show_follow_up(self.editor.findings())

        self.w.ops.run("history", read, read=True, success=loaded, failure=lambda _exc: None)

    def _show_follow_up(self, findings: dict[str, Any]) -> None:
        panel, patient, record = self.w.area.panel, self.session.patient, self.session.record
        if not self.session.editing or patient is None or self._history_of != patient.id or panel.result is None:
            panel.show_follow_up(None)
            return
        from models.follow_up import Visit, checklist_order, follow_up

        now = dt.datetime.now(dt.UTC)
        shown = record.findings if self.session.is_final() and record is not None else findings
        current = Visit(id=record.id if record is not None else -1, date=self.encounter_date(),
                        created_at=record.created_at if record is not None else now,
                        status=record.status if record is not None else "draft",
                        ruleset=str(panel.result.get("ruleset") or ""), findings=dict(shown),
                        assessment=dict(panel.result), amends_id=record.amends_id if record is not None else None,
                        knee=str(self.w.area.knee.currentData() or ""))
        since = follow_up(current, self.history, checklist_order(current.ruleset))
        panel.show_follow_up(since.to_dict() if since is not None else None)

    def _answered_by_key(self, item_id: str) -> None:
        """Say what a key just answered (a stray key in the checklist must not go unseen)."""
        from ui.encounter_editor import value_label

        editor = self.editor
        value = editor.findings().get(item_id)
        words = translate("MainWindow", "Not assessed") if value is None else value_label(str(value))
        self.w.statusBar().showMessage(translate("MainWindow", "{item}: {answer} (Ctrl+Z undoes)").format(
            item=editor.catalogue.item(item_id).short, answer=words), 4000)

    def undo_answer(self) -> None:
        if self.session.editing and not self.session.is_final() and self.editor_is_built():
            item_id = self.editor.undo_answer()
            if item_id is None:
                self.w.statusBar().showMessage(translate("MainWindow", "No answer to undo"), 3000)

    def _dermatome_chosen(self, item_id: str, value: str) -> None:
        """A dermatome of the leg map was clicked: the same answer as its button in the checklist."""
        if not self.session.editing or self.session.is_final() or not self.editor_is_built():
            return
        control = self.editor.controls.get(item_id)
        if control is not None and not self.editor.is_read_only():
            control.set_value(value)

    def _findings_changed(self, findings: dict[str, Any]) -> None:
        self.refresh_panel(findings)
        self.mark_changed()

    def info_changed(self, *_args: object) -> None:
        if not self._loading:
            self.refresh_age()
            if self.session.editing and self.session.patient is not None:
                self.not_saved.recheck(self.encounter_info)
        self.mark_changed()

    def _signed_in(self, actor: Actor) -> None:
        """Another clinician unlocked or signed in: an open draft with unsaved changes is saved as them,
        and shows them; an unchanged one keeps the clinician it was stored under."""
        if (self.w.work_area_is_built() and self.session.editing and not self.session.is_final()
                and (self.session.dirty or self.session.record is None)):
            self.w.area.clinician.setText(actor.clinician)

    def notes_changed(self) -> None:
        self.mark_changed()

    def _patient_changed(self, patient: object) -> None:
        self.refresh_age()
        seen = (getattr(patient, "id", None), getattr(patient, "version", None))
        if seen != self._patient_seen:
            # Another version of the patient: the preview printed them as they were. (The same version
            # read again, after a print's audit row, say, changes nothing the summary shows.)
            if self._patient_seen != (None, None):
                self.w.area.preview.mark_stale()
            self._patient_seen = seen

    def mark_changed(self) -> None:
        if not self._loading:
            self.w.area.preview.mark_stale()
            self.session.mark_changed()
            actor = self.w.signed_in_actor()
            if actor is not None and self.session.editing and not self.session.is_final():
                self.w.area.clinician.setText(actor.clinician)  # the next save records them

    # --- saving ---------------------------------------------------------------------------------------

    def encounter_info(self) -> EncounterInfo:
        """The header fields, validated like a case file (CaseError names the field)."""
        from models.case import CaseError, parse_encounter_info

        patient = self.session.patient
        assert patient is not None
        knee = self.w.area.knee.currentData()
        actor = self.w.signed_in_actor()  # the session records the signed-in account whatever is shown
        raw = {"date": self.encounter_date().isoformat(),
               "clinician": actor.clinician if actor is not None else self.w.area.clinician.text().strip(),
               "knee": knee if knee is not None else ""}
        if knee is None:
            raise CaseError("encounter.knee", translate("MainWindow", "choose the knee (left, right or both)"))
        return parse_encounter_info(raw, patient.to_patient())

    def snapshot(self) -> Draft:
        from models.case import CaseError

        try:
            info = self.encounter_info()
        except CaseError as exc:
            self.not_saved.mark(exc)
            raise
        self.not_saved.mark(None)
        return Draft(info, self.editor.findings(), self.w.area.notes.toPlainText())

    def needs_save(self) -> bool:
        """Unsaved entries, a draft never stored, or a draft whose stored assessment is from an older
        rule set than the one the panel shows (or a patient corrected since): it must be stored first."""
        s, record = self.session, self.session.record
        if s.dirty or record is None:
            return True
        if record.status == "final":
            return False
        panel = self.w.area.panel
        live = panel.assessment
        if record.ruleset != panel.catalogue.ruleset:
            return True
        if live is None:
            return False
        if panel.catalogue.language != "en":
            # The panel's is worded in the window's language; what is stored is the rule set's own
            # wording, so that is what the stored one must equal, word for word.
            from models.assessment import assess_findings
            from models.catalogue import load_catalogue

            live = assess_findings(panel.findings, self.age(), load_catalogue(record.ruleset), knee=panel.knee)
        return live.to_dict() != record.assessment

    def _stored(self, record: EncounterRecord, how: str) -> None:
        self.tell_ruleset(record)
        self.not_saved.clear()
        if how == "finalized":
            self.w.area.preview.mark_stale()  # the preview said DRAFT; the record is now signed
            self.refresh_panel(record.findings)  # from now on the stored assessment, as signed
        self.w.patients_ctl.select_open_encounter()
        self.w.statusBar().showMessage(tr(_HOW[how]).format(time=dt.datetime.now().strftime("%H:%M:%S")), 5000)
        if how != "finalized":
            self.w.encounter_saved.emit(record.id)

    def _failed(self, kind: str, reason: str, quiet: bool) -> None:
        if kind == "incomplete" or (kind == "refused" and self.session.dirty):
            self.not_saved.show(kind, reason)  # the entries are not stored: said in sight until put right
        if kind in ("stale", "locked"):  # an encounter no longer open, or a flow the lock cancelled
            self.w.status_note(reason[:1].upper() + reason[1:].rstrip(".") + ".")  # worded by the session
        elif kind == "held":
            self.w.statusBar().showMessage(translate("MainWindow", "Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide."))
        elif kind == "unreachable":  # kept until a save lands: the entries are here, not in the database
            log.warning("save not stored: %s", reason)  # the driver's words are for IT, in the log
            due = dt.datetime.now() + dt.timedelta(milliseconds=max(0, self.session.retry_timer.remainingTime()))
            self.w.statusBar().showMessage(
                translate("MainWindow", "Not saved: the database cannot be reached. Your entries are kept here; "
                   "KneeCheck tries again at {time} (or press Ctrl+S).").format(time=due.strftime("%H:%M:%S")))
            if not quiet:
                self.w.tell(messages.SAVE_FAILED, reason=translate("MainWindow", "the database cannot be reached (details are in the log); "
                                                             "your entries are kept and saved when it answers"))
        elif kind == "read_only":
            self.w.tell(messages.FINALIZED_READ_ONLY)
        elif quiet:
            text = translate("MainWindow", "Not saved yet: {reason}") if kind == "incomplete" else translate("MainWindow", "Automatic save failed: {reason}")
            self.w.statusBar().showMessage(text.format(reason=reason), 10000)
        else:
            self.w.tell(messages.SAVE_FAILED, reason=reason)

    def _conflict(self, exc: ConflictError, mine: Draft) -> None:
        """Another workstation saved first: show both versions; nothing in the window is lost."""
        from ui.dialogs import conflict_rows

        stored = exc.stored
        theirs = Draft(stored.info, stored.findings, stored.notes)
        choice = self.w.ask_conflict(conflict_rows(theirs.fields(), mine.fields()))
        self.session.resolve(choice, exc)
