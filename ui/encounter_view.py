"""The encounter side's widgets bound to the one owner of the open encounter (ui.encounter_session).

The session owns the state; this only shows it: it fills the header, the checklist editor, the notes
and the panel from a record (plain data), reads them back as a :class:`~ui.encounter_session.Draft`
for a save, marks the session changed on every edit, shows the status line, the banners and what a
save said, and asks the clinician about a conflict. The checklist editor (hundreds of widgets) is
built in idle time, one group per event-loop turn, or at once when first needed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from models.records import ConflictError, EncounterRecord
from ui import messages
from ui.encounter_session import Draft

if TYPE_CHECKING:
    from models.case import EncounterInfo
    from ui.encounter_editor import EncounterEditor
    from ui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


_HOW = {"saved": "Saved at {time}", "autosaved": "Saved automatically at {time}",
        "over_theirs": "Saved on top of the other workstation's version at {time}", "finalized": "Finalized"}


class EncounterUi(QObject):
    editor_ready = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.session = window.session
        self._editor: EncounterEditor | None = None
        self._loading = False
        self.build_timer = QTimer(self, interval=0)  # a 0 ms timer fires when the loop is idle
        self.build_timer.timeout.connect(self._build_step)
        s = self.session
        s.snapshot = self.snapshot
        s.shown.connect(self.show_record)
        s.stored.connect(self._stored)
        s.failed.connect(self._failed)
        s.conflict.connect(self._conflict)
        s.changed.connect(self.apply_status)
        s.patient_changed.connect(lambda _p: self.refresh_age())

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

        return EncounterEditor(self.w.catalogue, defer=True)

    def _build_step(self) -> None:
        if self._editor is None:
            self._editor = self._new_editor()
        if self._editor.build_step():
            self.build_timer.stop()
            self._install()

    def _install(self) -> None:
        editor, w = self._editor, self.w
        assert editor is not None and editor.is_built()
        if w.checklist_page.indexOf(editor) >= 0:
            return
        editor.findings_changed.connect(self._findings_changed)
        editor.set_read_only(self.session.is_final())
        w.checklist_page.addWidget(editor)
        if self.session.editing:
            w.checklist_page.setCurrentWidget(editor)
        QWidget.setTabOrder(w.tabs, editor.first_control())
        self.editor_ready.emit()

    # --- showing a record -----------------------------------------------------------------------------

    def show_record(self, record: EncounterRecord) -> None:
        w = self.w
        self._loading = True
        try:
            d = record.info.date
            w.date_edit.setDate(QDate(d.year, d.month, d.day))
            w.knee.setCurrentIndex(w.knee.findData(record.info.knee))
            w.clinician.setText(record.info.clinician)
            w.notes.setPlainText(record.notes)
            self.editor.set_findings(record.findings)
        finally:
            self._loading = False
        w.preview.clear()
        w.integrity_banner.hide()
        self.set_enabled(True)
        self.apply_status()
        self.refresh_age()
        self.tell_ruleset(record)
        w.select_open_encounter()

    def show_problems(self, record: EncounterRecord, problems: list[str]) -> None:
        """An opened encounter failed its integrity check: someone changed the database outside KneeCheck."""
        w = self.w
        if problems:
            warning = messages.INTEGRITY_FINAL if record.status == "final" else messages.INTEGRITY_AMENDED
            w.integrity_banner.setText("\u26a0 " + warning.format()[1])
            w.integrity_banner.setToolTip("\n".join(problems))  # ids and what failed; no patient data
        w.integrity_banner.setVisible(bool(problems))

    def show_new(self, clinician: str) -> None:
        w = self.w
        editor = self.editor
        self._loading = True
        try:
            w.date_edit.setDate(QDate.currentDate())
            w.knee.setCurrentIndex(0)
            w.clinician.setText(clinician)  # the examining clinician is usually the one signed in
            w.notes.setPlainText("")
            editor.set_findings({})
        finally:
            self._loading = False
        w.preview.clear()
        w.integrity_banner.hide()
        w.ruleset_banner.hide()
        self.set_enabled(True)
        self.apply_status()
        self.refresh_age()
        w.tabs.setCurrentWidget(w.checklist_page)
        w.knee.setFocus()

    def clear(self) -> None:
        w = self.w
        self._loading = True
        try:
            if self.editor_is_built():  # nothing to clear before it exists
                self.editor.set_findings({})
            w.notes.setPlainText("")
        finally:
            self._loading = False
        w.preview.clear()
        w.integrity_banner.hide()
        w.ruleset_banner.hide()
        self.set_enabled(False)
        self.apply_status()

    def set_enabled(self, enabled: bool) -> None:
        w = self.w
        for widget in (w.date_edit, w.knee, w.clinician, w.tabs):
            widget.setEnabled(enabled)
        shown = self._editor if enabled and self.editor_is_built() else None
        w.checklist_page.setCurrentWidget(shown or w.checklist_placeholder)

    def tell_ruleset(self, record: EncounterRecord | None) -> None:
        """Say once, while it applies, that an opened draft was assessed under an older rule set."""
        from models.catalogue import known_rulesets

        w = self.w
        current = w.panel.catalogue.ruleset
        other = record is not None and record.status != "final" and record.ruleset != current
        if other and record is not None:
            message = messages.RULESET_CHANGED if record.ruleset in known_rulesets() else messages.RULESET_UNKNOWN
            w.ruleset_banner.setText("\u2139 " + message.format(old=record.ruleset, new=current)[1])
        w.ruleset_banner.setVisible(other)

    def apply_status(self) -> None:
        w, s = self.w, self.session
        if not w.work_area_is_built():
            w.update_actions()
            return
        final = s.is_final()
        if self.editor_is_built():
            self.editor.set_read_only(final)
        w.notes.setReadOnly(final)
        for widget in (w.date_edit, w.knee, w.clinician):
            widget.setEnabled(s.editing and not final)
        record = s.record
        if not s.editing:
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
        if s.saving:
            text += " \u2014 " + tr("saving\u2026")
        elif s.dirty:
            text += " \u2014 " + tr("unsaved changes")
        w.status_label.setText(text)
        w.update_actions()

    # --- edits ----------------------------------------------------------------------------------------

    def encounter_date(self) -> dt.date:
        q = self.w.date_edit.date()
        return dt.date(q.year(), q.month(), q.day())

    def age(self) -> int | None:
        from models.case import age_on

        patient = self.session.patient if self.session.editing else self.w.patient
        if patient is None:
            return None
        date = self.encounter_date()
        return age_on(patient.birth_date, date) if date >= patient.birth_date else None

    def refresh_age(self) -> None:
        age = self.age()
        if not self.editor_is_built():
            self.w.panel.show_findings({}, age)  # no encounter has been open yet: no findings
            return
        self.editor.set_age(age)
        self.refresh_panel(self.editor.findings())

    def refresh_panel(self, findings: dict[str, Any]) -> None:
        """A finalized encounter shows what was stored, never a new assessment; a draft, the live one."""
        record = self.session.record
        if self.session.is_final() and record is not None:
            self.w.panel.show_stored(record.assessment)
        else:
            self.w.panel.show_findings(findings, self.age(), self.w.knee.currentData())

    def _findings_changed(self, findings: dict[str, Any]) -> None:
        self.refresh_panel(findings)
        self.mark_changed()

    def info_changed(self, *_args: object) -> None:
        if not self._loading:
            self.refresh_age()
        self.mark_changed()

    def notes_changed(self) -> None:
        self.mark_changed()

    def mark_changed(self) -> None:
        if not self._loading:
            self.session.mark_changed()

    # --- saving ---------------------------------------------------------------------------------------

    def encounter_info(self) -> EncounterInfo:
        """The header fields, validated like a case file (CaseError names the field)."""
        from models.case import CaseError, parse_encounter_info

        patient = self.session.patient
        assert patient is not None
        knee = self.w.knee.currentData()
        raw = {"date": self.encounter_date().isoformat(), "clinician": self.w.clinician.text().strip(),
               "knee": knee if knee is not None else ""}
        if knee is None:
            raise CaseError("encounter.knee", tr("choose the knee (left, right or both)"))
        return parse_encounter_info(raw, patient.to_patient())

    def snapshot(self) -> Draft:
        return Draft(self.encounter_info(), self.editor.findings(), self.w.notes.toPlainText())

    def needs_save(self) -> bool:
        """Unsaved entries, a draft never stored, or a draft whose stored assessment is from an older
        rule set than the one the panel shows (or a patient corrected since): it must be stored first."""
        s, record = self.session, self.session.record
        if s.dirty or record is None:
            return True
        if record.status == "final":
            return False
        live = self.w.panel.assessment
        return record.ruleset != self.w.panel.catalogue.ruleset or (live is not None and live.to_dict() != record.assessment)

    def _stored(self, record: EncounterRecord, how: str) -> None:
        self.tell_ruleset(record)
        if how == "finalized":
            self.refresh_panel(record.findings)  # from now on the stored assessment, as signed
        self.w.select_open_encounter()
        self.w.statusBar().showMessage(tr(_HOW[how]).format(time=dt.datetime.now().strftime("%H:%M:%S")), 5000)
        if how != "finalized":
            self.w.encounter_saved.emit(record.id)

    def _failed(self, kind: str, reason: str, quiet: bool) -> None:
        if kind == "held":
            self.w.statusBar().showMessage(tr("Not saved: the encounter was changed elsewhere. Save (Ctrl+S) to decide."))
        elif kind == "read_only":
            self.w.tell(messages.FINALIZED_READ_ONLY)
        elif quiet:
            text = tr("Not saved yet: {reason}") if kind == "incomplete" else tr("Automatic save failed: {reason}")
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
