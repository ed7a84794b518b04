"""The patient side: search as you type, the chosen patient, their encounters, new and edit patient.

Every store call runs off the GUI thread (:mod:`ui.operations`). The search is read-only and may
overlap an earlier one (the newest wins); a patient created or edited is announced as
:class:`~ui.operations.Changes`, and the views (the header, the encounter list, the open encounter)
refresh from that news. Patient edits are versioned: when another workstation changed the patient
first, the store refuses and the clinician sees both versions; nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from models.records import PatientRecord, StoreError
from ui import messages
from ui.i18n import QT_TRANSLATE_NOOP
from ui.operations import Changes

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QModelIndex

    from models.case import Patient
    from ui.main_window import MainWindow
    from ui.patient_dialog import PatientDialog

SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 50


# The patient's sex as the header says it (ids as stored).
SEX_WORDS = {"female": QT_TRANSLATE_NOOP("MainWindow", "female"), "male": QT_TRANSLATE_NOOP("MainWindow", "male"),
             "other": QT_TRANSLATE_NOOP("MainWindow", "other"), "unknown": QT_TRANSLATE_NOOP("MainWindow", "unknown")}


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


class Patients(QObject):
    patient_changed = Signal(object)
    """The chosen patient (a PatientRecord, or None)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.patient: PatientRecord | None = None
        self._search_seq = 0
        self._focus_results = False  # Return in the search field: focus the results when they come
        self._shown_text: str | None = None  # the search text the list shows the result of
        self._list_seq = 0
        self._create_keys: dict[Patient, str] = {}  # a new patient's key, kept while its outcome is unknown
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.start_search)
        window.ops.changed.connect(self._store_changed)
        self.patient_changed.connect(self._tell_session)
        window.session.patient_changed.connect(self._from_session)

    # --- search -----------------------------------------------------------------------------------

    def start_search(self) -> None:
        w = self.w
        if not w.is_unlocked():
            self._focus_results = False
            return  # nobody signed in may look patients up; the sign-in runs the typed search
        self._search_seq += 1
        seq, text = self._search_seq, w.area.search.text().strip()
        if not text:
            w.area.patients.set_records([])
            w.area.search_status.setText("")
            self._shown_text = ""
            self._focus_results = False  # Return on an empty search: nothing to go to, now or later
            w.search_done.emit(0)
            return
        if not w.has_store():  # attach_store runs it
            self._focus_results = False
            w.area.search_status.setText(translate("MainWindow", "Opening the database\u2026 the search runs as soon as it is open."))
            return
        w.ops.run("search", lambda store: store.find_patients(text, SEARCH_LIMIT), read=True,
                  success=lambda found: self._found(seq, found, text), failure=lambda exc: self._search_failed(seq, exc))

    def _found(self, seq: int, found: list[PatientRecord], text: str) -> None:
        if seq != self._search_seq:
            return  # an older search answered late; the newer one wins
        w = self.w
        w.area.patients.set_records(found)
        self._shown_text = text
        if len(found) >= SEARCH_LIMIT:
            w.area.search_status.setText(translate("MainWindow", "First {n} matches; type more to narrow.").format(n=SEARCH_LIMIT))
        else:
            w.area.search_status.setText(translate("MainWindow", "{n} patient(s) found").format(n=len(found)) if found
                                    else translate("MainWindow", "No patient found. Create one with New patient."))
        w.search_done.emit(len(found))
        if self._focus_results:
            self.focus_results()

    def _search_failed(self, seq: int, exc: Exception) -> None:
        if seq == self._search_seq:
            self._focus_results = False
            self.w.area.search_status.setText(translate("MainWindow", "Search failed: {reason}").format(
                reason=str(exc) if isinstance(exc, StoreError) else type(exc).__name__))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Return or Down in the search field go to the patients found (Return runs a search that
        is still waiting for its typing pause first, and goes there when it answers)."""
        from PySide6.QtCore import QEvent, Qt

        # Neither touches the window's work area, which may be under construction when this first runs.
        if event.type() != QEvent.Type.KeyPress or watched.objectName() != "patient_search":
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            return False
        if not self.search_timer.isActive() and self._shown_text == self.w.area.search.text().strip():
            self.focus_results()
        else:  # the list is not of this text yet: search now, and go there when it answers
            self.search_timer.stop()
            self._focus_results = True
            self.start_search()
        return True

    def focus_results(self) -> None:
        """The patients found get the focus, on the first row (nothing happens when none was found)."""
        from PySide6.QtCore import Qt

        self._focus_results = False
        view = self.w.area.patient_view
        if self.w.area.patients.rowCount() == 0:
            return
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not view.currentIndex().isValid():
            view.setCurrentIndex(self.w.area.patients.index(0, 0))
        view.selectRow(view.currentIndex().row())

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.w.area.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.w.area.search.selectAll()

    # --- the chosen patient and their encounters ---------------------------------------------------

    def activated(self, index: QModelIndex) -> None:
        """A row of the patients found was clicked or activated."""
        if index.isValid():
            self.w.open_patient(self.w.area.patients.record(index.row()))

    def open(self, patient: PatientRecord) -> None:
        """Show ``patient``, once the open encounter is left (saved or discarded, as the clinician says)."""
        if self.patient is not None and patient.id == self.patient.id:
            return
        w = self.w

        def leave() -> None:
            w.session.close()
            w.encounter_ui.clear()
            self.choose(patient)
            self._audit_opened(patient)

        w.leave_then(leave)

    def _audit_opened(self, patient: PatientRecord) -> None:
        """Showing a patient (name, MRN, encounter list) is a view: its audit row, off the GUI thread."""
        w = self.w
        try:
            who = w.actor()
        except StoreError:
            return
        w.ops.run("audit opened", lambda store: store.record_event("opened", who, patient_id=patient.id, detail="patient"),
                  failure=lambda exc: w.tell(messages.STORE_FAILED, reason=str(exc)))

    def encounter_activated(self, index: QModelIndex) -> None:
        """A row of the patient's encounters was double-clicked or activated: open it."""
        if not index.isValid():
            return
        w = self.w
        summary = w.area.encounters.record(index.row())
        record = w.session.record
        if record is None or summary.id != record.id:
            w.leave_then(lambda: w.open_encounter(summary.id))

    def select_open_encounter(self) -> None:
        record, area = self.w.session.record, self.w.area
        if record is not None:
            for row, summary in enumerate(area.encounters.records()):
                if summary.id == record.id:
                    area.encounter_view.selectRow(row)

    def _from_session(self, record: PatientRecord) -> None:
        """A save or a summary brought back a newer version of the chosen patient: show it."""
        if self.patient is not None and self.patient.id == record.id and record.version > self.patient.version:
            self.patient = record
            self.show_header()
            self.patient_changed.emit(record)

    def _tell_session(self, patient: PatientRecord | None) -> None:
        if patient is not None:
            self.w.session.set_patient(patient)  # the open encounter shows and prints the patient as now stored
        self.w.update_actions()


    def choose(self, patient: PatientRecord | None) -> None:
        """``patient`` is now the one the window shows (the caller has left the open encounter)."""
        self.patient = patient
        self.show_header()
        self.refresh_encounters()
        self.patient_changed.emit(patient)

    def show_header(self) -> None:
        from models.case import age_on

        p, header = self.patient, self.w.area.patient_header
        if p is None:
            header.setText(translate("MainWindow", "No patient selected"))
            return
        age = age_on(p.birth_date, dt.date.today())
        header.setText(f"{p.family_name}, {p.given_name}\n" + translate("MainWindow", "MRN {mrn} \u00b7 born {birth} ({age} y) \u00b7 {sex}").format(
            mrn=p.mrn, birth=p.birth_date.isoformat(), age=age, sex=tr(SEX_WORDS.get(p.sex, p.sex))))

    def refresh_encounters(self) -> None:
        w = self.w
        if self.patient is None or not w.has_store():
            w.area.encounters.set_records([])
            return
        self._list_seq += 1
        seq, patient_id = self._list_seq, self.patient.id

        def listed(rows: list[Any]) -> None:
            if seq != self._list_seq:
                return
            w.area.encounters.set_records(rows)
            self.select_open_encounter()

        def failed(exc: Exception) -> None:
            if seq == self._list_seq:
                w.tell(messages.STORE_FAILED, reason=str(exc))

        w.ops.run("list encounters", lambda store: store.list_encounters(patient_id), read=True,
                  success=listed, failure=failed)

    def _store_changed(self, changes: Changes, _initiator: object) -> None:
        """The news after an op: refresh what shows this patient."""
        if changes.patients and self.w.area.search.text().strip():
            self.start_search()  # the result list shows names as stored (a rename, a new patient)
        patient = self.patient
        if patient is None:
            return
        if changes.encounters and changes.touches_patient(patient.id):
            self.refresh_encounters()
        if changes.patients and changes.touches_patient(patient.id):
            self.reload_patient(patient.id)

    def reload_patient(self, patient_id: int) -> None:
        """The patient as now stored, for the header and the open encounter."""

        def loaded(record: PatientRecord) -> None:
            if self.patient is not None and self.patient.id == record.id:
                self.patient = record
                self.show_header()
                self.patient_changed.emit(record)

        self.w.ops.run("load patient", lambda store: store.get_patient(patient_id), read=True, success=loaded,
                       failure=lambda exc: self.w.tell(messages.STORE_FAILED, reason=str(exc)))

    # --- new and edit -------------------------------------------------------------------------------

    def new_patient(self) -> None:
        from ui.patient_dialog import PatientDialog

        dialog = PatientDialog(parent=self.w)
        self._ask(dialog, None)

    def edit_patient(self) -> None:
        if self.patient is None:
            self.w.tell(messages.NO_PATIENT)
            return
        from ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self.patient.to_patient(), parent=self.w)
        self._ask(dialog, self.patient)

    def _ask(self, dialog: PatientDialog, base: PatientRecord | None) -> None:
        """Show ``dialog`` and store what it gives; refused: shown again with the field named."""
        if not self.w.ask_patient(dialog):
            return
        assert dialog.result_patient is not None
        self._store(dialog.result_patient, base, dialog)

    def _store(self, patient: Patient, base: PatientRecord | None, dialog: PatientDialog | None) -> None:
        """Create or update off the GUI thread; on a conflict show both versions. Nothing typed is lost."""
        actor = self.w.actor()
        if base is None and patient not in self._create_keys:
            from models.outcomes import new_key

            self._create_keys[patient] = new_key()  # kept until stored: a retry finds a lost reply's patient
        key = self._create_keys.get(patient)

        def call(store: Any) -> PatientRecord:
            if base is None:
                return store.create_patient(patient, actor, key=key)  # type: ignore[no-any-return]
            return store.update_patient(base.id, patient, actor, expected_version=base.version)  # type: ignore[no-any-return]

        def stored(record: PatientRecord) -> None:
            if base is None:
                self._create_keys.pop(patient, None)
                self.w.area.search.setText(record.mrn)
                self.w.open_patient(record)
            elif self.patient is not None and self.patient.id == record.id:
                self.patient = record
                self.show_header()
                self.patient_changed.emit(record)

        def refused(exc: Exception) -> None:
            from models.case import CaseError
            from models.records import OutcomeUnknownError, PatientConflictError

            if not isinstance(exc, OutcomeUnknownError):
                self._create_keys.pop(patient, None)  # known not stored: a new attempt is a new create

            if isinstance(exc, PatientConflictError):  # nothing over the lock: asked after the unlock
                self.w.later(lambda: self._conflict(exc, patient))
                return
            if not isinstance(exc, (StoreError, CaseError)):
                raise exc
            if dialog is None:
                self.w.tell(messages.STORE_FAILED, reason=str(exc))
                return
            dialog.show_error(_field(exc), exc.message if isinstance(exc, CaseError) else str(exc))  # it names the field
            self.w.later(lambda: self._ask(dialog, base))  # shown again with what was typed, never over the lock

        self.w.ops.run("save patient", call, success=stored, failure=refused,
                       changes=lambda r: Changes(patients=True, patient_id=r.id))

    def _conflict(self, exc: Any, mine: Patient) -> None:
        """Another workstation changed the patient first: both versions, field by field; Keep mine
        stores mine as a new version on top of theirs, Reload theirs shows theirs."""
        from ui.dialogs import ConflictDialog, conflict_rows

        stored: PatientRecord = exc.stored

        def fields(p: Patient) -> dict[str, Any]:
            return {"mrn": p.mrn, "family_name": p.family_name, "given_name": p.given_name,
                    "birth_date": p.birth_date.isoformat(), "sex": p.sex}

        choice = self.w.ask_conflict(conflict_rows(fields(stored.to_patient()), fields(mine)), what="patient")
        if self.patient is not None and self.patient.id == stored.id:
            self.patient = stored  # theirs is what is stored now, whatever the choice
            self.show_header()
            self.patient_changed.emit(stored)
        if choice == ConflictDialog.KEEP_MINE:
            self._store(mine, stored, None)
        elif choice != ConflictDialog.RELOAD_THEIRS:  # decide later: mine stay in the dialog, on top of theirs
            from ui.patient_dialog import PatientDialog

            self._ask(PatientDialog(mine, parent=self.w), stored)


def _field(exc: Exception) -> str:
    """The dialog field an error names, as data (StoreError.field, CaseError.path), never from its text."""
    field = getattr(exc, "field", None)
    return field.removeprefix("patient.") if isinstance(field, str) else ""
