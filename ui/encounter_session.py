"""The open encounter: ONE owner of its state, with save, autosave, conflicts, finalize, amend and
recovery. No widgets: the window gives it a ``snapshot`` function (what the editor shows now, as
plain data) and listens to its signals; tests drive it with a plain function and a real store.

State, all here and nowhere else:

- ``record``: the stored version the editor is based on (None: a new draft not stored yet);
  ``patient``: the patient as now stored (an open record is re-based on a corrected patient).
- ``generation`` / ``saved_generation``: a counter bumped by every change, and the one the last
  stored save was taken at. Dirty means they differ, so an entry typed while a save is in flight
  stays dirty after that save lands and is saved next: never lost, never marked saved by mistake.
- ``saving``: a save, finalize or amend is in flight; a further save asked for meanwhile is queued
  and taken from the editor when the first one lands. ``finalizing``: a finalize asked for and not
  yet signed or given up.
- ``epoch``: bumped whenever the editor shows another encounter (:meth:`_reset`). Every write
  captures it; a result that comes back under another epoch is stored but never becomes the open
  record, never re-bases it and never offers its conflict over another encounter (the clinician is
  told in the status bar instead). The window waits for a save in flight before it switches
  (:meth:`when_settled`), so in the window that happens only after a reload of theirs.
- ``held``: a conflict awaits the clinician's decision (or the window was locked when it came):
  autosave waits, Save (Ctrl+S) decides.
- ``locked``: the window is locked; nothing pops up, autosave waits; a save started by the lock
  still lands.
- final / superseded: read from ``record``.

Every store call goes through :class:`ui.operations.OpRunner`, off the GUI thread.

Why this module is over 400 lines: it is the one state machine of the open encounter, and its
transitions (save, a save asked mid-save, a conflict held while locked, finalize saving first,
amend, recovery, and the epoch that keeps a late result off the next encounter) change the same few
fields and must be read together to see that no entry is ever marked saved by mistake, or stored
into another encounter; split across modules, each half would have to know the other's fields.
The pure parts (:class:`SessionState`, :func:`save_decision`) are already apart and tested as a
table (tests/test_encounter_session.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from models.records import ConflictError, EncounterRecord, PatientRecord, StoreError
from ui import messages
from ui.operations import Changes, OpRunner

if TYPE_CHECKING:
    from models.case import EncounterInfo
    from models.records import Actor

translate = QCoreApplication.translate

AUTOSAVE_DELAY_MS = 3000
# While the database cannot be reached the entries stay here and a save is tried again after these
# delays (the last one repeats): no save storm against a server that is away, and back within a
# minute of it answering again. A save asked for by hand (Ctrl+S) is tried at once.
RETRY_DELAYS_MS = (2_000, 5_000, 10_000, 20_000, 30_000, 60_000)

# What a save request does in a given state (see :func:`save_decision`).
SAVE_NOTHING = "nothing"          # no encounter open, or nothing changed (an autosave)
SAVE_REFUSED_FINAL = "read_only"  # finalized: amend it instead
SAVE_QUEUED = "queued"            # a save is in flight: this one follows with what the editor shows then
SAVE_HELD = "held"                # an autosave while a conflict awaits a decision, or while locked
SAVE_NOW = "save"


@dataclasses.dataclass(frozen=True)
class Draft:
    """What the editor shows, as plain data."""

    info: EncounterInfo
    findings: dict[str, Any]
    notes: str

    def fields(self) -> dict[str, Any]:
        return {"date": self.info.date.isoformat(), "knee": self.info.knee, "clinician": self.info.clinician,
                **self.findings, "notes": self.notes}


@dataclasses.dataclass(frozen=True)
class SessionState:
    """A snapshot of the session's state: the one input of the action rule (ui.actions) and of
    :func:`save_decision`."""

    editing: bool = False
    stored: bool = False
    final: bool = False
    superseded: bool = False
    dirty: bool = False
    saving: bool = False
    held: bool = False
    locked: bool = False


def save_decision(state: SessionState, *, quiet: bool) -> str:
    """What a save asked for in ``state`` does; ``quiet``: an autosave (or the lock's save)."""
    if not state.editing:
        return SAVE_NOTHING
    if state.final:
        return SAVE_REFUSED_FINAL
    if quiet and (state.held or state.locked):
        return SAVE_HELD
    if quiet and not state.dirty and state.stored:
        return SAVE_NOTHING
    if state.saving:
        return SAVE_QUEUED
    return SAVE_NOW


Done = Callable[[bool], object]


class EncounterSession(QObject):
    changed = Signal()
    """Any state changed (dirty, saving, record, held): refresh the status line and the actions."""
    shown = Signal(object)
    """Show this record in the editor (opened, amended, reloaded after a conflict)."""
    stored = Signal(object, str)
    """A save or finalize landed: the record and how ("saved", "autosaved", "over_theirs", "finalized")."""
    conflict = Signal(object, object)
    """Another workstation saved first: the ConflictError and our Draft; answer with :meth:`resolve`."""
    failed = Signal(str, str, object)
    """A save could not be made: why ("incomplete": the header is not filled in; "held": a conflict
    waits for Ctrl+S; "read_only"; "refused": the store said no; "unreachable": the database did not
    answer, the entries are kept and :attr:`retry_timer` tries again), the reason in words, and whether
    it was quiet (status bar only)."""
    marker_changed = Signal(object)
    """The id of the open stored draft changed (None: none): the crash-recovery marker."""
    patient_changed = Signal(object)
    """The open encounter's patient is now this PatientRecord (as now stored)."""

    KEEP_MINE, RELOAD_THEIRS, DECIDE_LATER = 1, 2, 0  # the ConflictDialog's choices

    def __init__(self, ops: OpRunner, actor: Callable[[], Actor], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._actor = actor
        self.snapshot: Callable[[], Draft] | None = None
        """Set by the window: the editor's content now (raises CaseError when the header is incomplete)."""
        self.patient: PatientRecord | None = None
        self.record: EncounterRecord | None = None
        self.editing = False
        self.generation = 0
        self.saved_generation = 0
        self.saving = False
        self.finalizing = False
        self.held = False
        self.locked = False
        self.epoch = 0
        self._settled: list[Callable[[], object]] = []  # waiting for the writes in flight to settle
        self._conflict_mine: tuple[Draft, int] | None = None  # the Draft a conflict dialog shows, its generation
        self._queued: tuple[bool, list[Done]] | None = None  # (quiet, callbacks) of a save asked mid-save
        self._conflict_done: list[Done] = []
        self._marker: int | None = None
        # The truth after a lost reply (models/outcomes.py): a new draft's key, made once and kept
        # until it is stored, with the content of the first attempt under it (the key names that
        # content); and a save whose outcome the store could not find out (draft id, version, content).
        self._create_key: str | None = None
        self._create_first: Draft | None = None
        self._unknown_save: tuple[int, int, Draft] | None = None
        self.autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.retries = 0  # saves in a row that found the database unreachable
        self.retry_timer = QTimer(self, singleShot=True)
        self.retry_timer.timeout.connect(self.autosave)

    # --- state ------------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editing and self.generation != self.saved_generation

    def is_final(self) -> bool:
        return self.record is not None and self.record.status == "final"

    def state(self) -> SessionState:
        record = self.record
        return SessionState(editing=self.editing, stored=record is not None, final=self.is_final(),
                            superseded=record is not None and record.amended_by_id is not None,
                            dirty=self.dirty, saving=self.saving, held=self.held, locked=self.locked)

    def _changed(self) -> None:
        record = self.record
        marker = record.id if self.editing and record is not None and record.status == "draft" else None
        if marker != self._marker:  # written when the open draft changes, never on a keystroke
            self._marker = marker
            self.marker_changed.emit(marker)
        self.changed.emit()

    # --- opening and closing ------------------------------------------------------------------------

    def start_new(self, patient: PatientRecord) -> None:
        """A new draft for ``patient``, not stored until the first save."""
        self._reset(patient, None)

    def show(self, record: EncounterRecord) -> None:
        """``record`` (loaded, amended, or theirs after a conflict) is now open, unchanged."""
        self._reset(record.patient, record)
        self.shown.emit(record)

    def close(self) -> None:
        self._reset(self.patient, None, editing=False)

    def _reset(self, patient: PatientRecord | None, record: EncounterRecord | None, *, editing: bool = True) -> None:
        self.autosave_timer.stop()
        self.retry_timer.stop()
        self.retries = 0
        self.epoch += 1  # what is in flight now belongs to the encounter left, not to this one
        self.patient, self.record, self.editing = patient, record, editing
        self.generation = self.saved_generation = 0
        self.held = self.saving = self.finalizing = False
        dropped = (self._queued[1] if self._queued else []) + self._conflict_done
        self._queued, self._conflict_done, self._conflict_mine = None, [], None
        self._create_key, self._create_first, self._unknown_save = None, None, None  # keys of this epoch only
        self._changed()
        self._finish(dropped, False)  # asked for on the encounter left: not done on this one
        self._fire_settled()

    def settled(self) -> bool:
        """No write of the open encounter in flight and no conflict waiting for its answer."""
        return not self.saving and self._conflict_mine is None

    def when_settled(self, callback: Callable[[], object]) -> None:
        """``callback()`` now, or once the write in flight has landed or failed (and a conflict it
        met has been answered): leaving an encounter waits for that, so nothing typed is lost."""
        if self.settled():
            callback()
        else:
            self._settled.append(callback)

    def _fire_settled(self) -> None:
        if not self.settled():
            return
        waiting, self._settled = self._settled, []
        for callback in waiting:
            callback()

    def _moved_on(self, epoch: int) -> bool:
        return epoch != self.epoch or not self.editing

    def open(self, encounter_id: int, *, done: Callable[[EncounterRecord | None, list[str]], object] | None = None,
             failure: Callable[[Exception], object] | None = None) -> None:
        """Load the encounter off the GUI thread (and verify it when it is final or amends one); then
        show it. ``done(record, problems)`` after it is shown."""

        def load(store: Any) -> tuple[EncounterRecord, list[str]]:
            record = store.load_encounter(encounter_id)
            problems: list[str] = []
            if record.status == "final" or record.amends_id is not None:
                try:
                    problems = store.verify_encounter(record.id)
                except StoreError as exc:
                    problems = [str(exc)]
            return record, problems

        def loaded(result: tuple[EncounterRecord, list[str]]) -> None:
            record, problems = result
            self.show(record)
            if done is not None:
                done(record, problems)

        self.ops.run("open encounter", load, success=loaded, failure=failure)

    def set_patient(self, patient: PatientRecord) -> None:
        """The patient as now stored (renamed, corrected): the open record shows and prints it. An
        older version than the one held (a read that answered late) changes nothing."""
        if self.patient is None or self.patient.id != patient.id or patient.version < self.patient.version:
            return
        self.patient = patient
        if self.record is not None and self.record.patient != patient:
            self.record = dataclasses.replace(self.record, patient=patient)
        self.patient_changed.emit(patient)
        self._changed()

    # --- changes and saving -----------------------------------------------------------------------

    def mark_changed(self) -> None:
        """The clinician changed something in the editor."""
        if not self.editing or self.is_final():
            return
        self.generation += 1
        if not self.held and not self.locked and not self.retry_timer.isActive():
            self.autosave_timer.start()  # restarted on every change: saves once the clinician pauses
        self._changed()

    def autosave(self) -> None:
        if self.dirty:
            self.save(quiet=True)

    def save(self, quiet: bool = False, *, done: Done | None = None) -> str:
        """Store what the editor shows, off the GUI thread; ``done(saved)`` once it landed or failed.
        Returns the :func:`save_decision` taken."""
        self.autosave_timer.stop()
        self.retry_timer.stop()  # this save is the retry
        decision = save_decision(self.state(), quiet=quiet)
        if decision == SAVE_QUEUED:
            if self._queued is None:
                self._queued = (quiet, [])
            self._queued = (self._queued[0] and quiet, self._queued[1] + ([done] if done else []))
            return decision
        if decision != SAVE_NOW:
            if decision == SAVE_REFUSED_FINAL and not quiet:
                self.failed.emit("read_only", translate("EncounterSession", "it is finalized and read-only; amend it instead"), False)
            if done is not None:
                done(decision == SAVE_NOTHING)
            return decision
        self._start_save(quiet, [done] if done else [])
        return decision

    def _take_snapshot(self, quiet: bool) -> Draft | None:
        from models.case import CaseError

        assert self.snapshot is not None, "the window sets the snapshot function"
        try:
            draft = self.snapshot()
        except CaseError as exc:
            self.failed.emit("incomplete", messages.reason(exc), quiet)
            return None
        # The clinician recorded (and printed) is the signed-in account, whatever the editor says, once
        # they changed something; a save without their edits (a re-assessment before a summary, say)
        # keeps the clinician the draft was stored under: looking at a colleague's draft never re-signs it.
        record = self.record
        if self.dirty or record is None:
            clinician = self._actor().clinician
        else:
            clinician = record.info.clinician
        if draft.info.clinician != clinician:
            draft = dataclasses.replace(draft, info=dataclasses.replace(draft.info, clinician=clinician))
        return draft

    def _start_save(self, quiet: bool, done: list[Done], *, over: EncounterRecord | None = None,
                    mine: tuple[Draft, int] | None = None) -> None:
        """Save the editor's content (or ``mine``: a Draft and the generation it was taken at, the
        one a conflict dialog showed) on top of ``over`` or the open record."""
        draft = mine[0] if mine is not None else self._take_snapshot(quiet)
        if draft is None or self.patient is None:
            self._finish(done, False)
            self._fire_settled()
            return
        base, patient_id, actor, epoch = over or self.record, self.patient.id, self._actor(), self.epoch
        generation = mine[1] if mine is not None else self.generation
        assert base is None or base.patient.id == patient_id, "a save re-based on another patient's encounter"
        if base is None and self._create_key is None:
            from models.outcomes import new_key

            self._create_key, self._create_first = new_key(), draft
        key, first = self._create_key, self._create_first
        unknown = self._unknown_save if base is not None and self._unknown_save is not None and \
            self._unknown_save[:2] == (base.id, base.version) else None

        def call(store: Any) -> EncounterRecord:
            if base is None:
                # A retry carries the first attempt's key and content: the store finds that draft
                # if it was stored (its reply lost), and what was typed since is saved on top.
                assert first is not None
                record: EncounterRecord = store.create_draft(patient_id, first.info, first.findings, first.notes,
                                                             actor, key=key)
                if first == draft:
                    return record
                return store.save_draft(record.id, record.version, draft.info, draft.findings,  # type: ignore[no-any-return]
                                        draft.notes, actor)
            version = base.version
            if unknown is not None and unknown[2] != draft:
                # The earlier save's outcome was unknown: find it (or store it) first, then this one.
                version = store.save_draft(base.id, version, unknown[2].info, unknown[2].findings, unknown[2].notes,
                                           actor, after_unknown=True).version
            return store.save_draft(base.id, version, draft.info, draft.findings, draft.notes, actor,  # type: ignore[no-any-return]
                                    after_unknown=unknown is not None and unknown[2] == draft)

        how = "over_theirs" if over is not None else "autosaved" if quiet else "saved"
        self.saving = True
        self._changed()
        self.ops.run("save", call, success=lambda record: self._landed(record, generation, how, done, epoch),
                     failure=lambda exc: self._save_failed(exc, draft, quiet, done, base, epoch, generation),
                     changes=lambda r: Changes(encounters=True, encounter_id=r.id, patient_id=patient_id))

    def _landed(self, record: EncounterRecord, generation: int, how: str, done: list[Done], epoch: int) -> None:
        if self._moved_on(epoch) or self.patient is None or record.patient.id != self.patient.id or \
                (self.record is not None and self.record.id != record.id):
            self._finish(done, True)  # stored, but the editor shows another encounter now: not its base
            return
        self.saving = False
        newer: PatientRecord | None = None
        if record.patient != self.patient:  # whichever version of the patient is the newer one is kept
            if record.patient.version < self.patient.version:
                record = dataclasses.replace(record, patient=self.patient)
            else:
                newer = record.patient
        self.record = record
        if newer is not None:
            self.set_patient(newer)  # the header and the patient side learn it too
        self.saved_generation = generation
        self.held = False
        self._create_key, self._create_first, self._unknown_save = None, None, None
        self.retries = 0
        self.stored.emit(record, how)
        self._after_save(done, True)

    def _after_save(self, done: list[Done], ok: bool, *, retry_later: bool = False) -> None:
        queued, self._queued = self._queued, None
        self._changed()
        if queued is not None and not retry_later and self.editing and not self.is_final() and \
                (self.dirty or not ok or self.record is None):
            self._start_save(queued[0], done + queued[1])  # asked for while this one was in flight
            return
        if queued is not None:
            done = done + queued[1]
        if ok and self.dirty and not self.held and not self.locked:
            self.autosave_timer.start()  # typed while the save was in flight: saved next
        self._finish(done, ok)
        self._fire_settled()

    def _save_failed(self, exc: Exception, draft: Draft, quiet: bool, done: list[Done],
                     base: EncounterRecord | None, epoch: int, generation: int) -> None:
        from models.case import CaseError
        from models.records import DatabaseUnavailableError, OutcomeUnknownError

        if self._moved_on(epoch):  # the encounter it was for is no longer open: say so, offer nothing here
            self._stale_failure(exc, base)
            self._finish(done, False)
            if not isinstance(exc, (StoreError, CaseError)):
                raise exc
            return
        self.saving = False
        if isinstance(exc, OutcomeUnknownError) and base is not None and self._unknown_save is None:
            self._unknown_save = (base.id, base.version, draft)  # the retry finds out (see _start_save)
        if base is None and not isinstance(exc, OutcomeUnknownError):
            self._create_key = self._create_first = None  # known not stored: the next attempt is a new create
        if isinstance(exc, ConflictError) and self.editing:
            self.held = True  # no dialog every few seconds while the clinician decides
            if self.locked:  # nobody is there to decide: keep the entries, decide after unlock
                self.failed.emit("held", translate("EncounterSession", "the encounter was changed elsewhere"), True)
                self._after_save(done, False)
                return
            self._conflict_done = done + (self._queued[1] if self._queued else [])
            self._queued = None
            self._conflict_mine = (draft, generation)  # Keep mine stores this, whatever the editor shows later
            self._changed()
            self.conflict.emit(exc, draft)
            return
        if not isinstance(exc, (StoreError, CaseError)):
            self._after_save(done, False)
            raise exc  # a defect: the error hook logs it and says so; the entries stay
        if isinstance(exc, DatabaseUnavailableError) and self.editing:
            # Unreachable, timed out or outcome unknown: nothing typed is dropped; try again later.
            delay = RETRY_DELAYS_MS[min(self.retries, len(RETRY_DELAYS_MS) - 1)]
            self.retries += 1
            self.retry_timer.start(delay)
            self.failed.emit("unreachable", str(exc), quiet)
            self._after_save(done, False, retry_later=True)
            return
        self.failed.emit("refused", messages.reason(exc), quiet)
        self._after_save(done, False)

    def _stale_failure(self, exc: Exception, base: EncounterRecord | None) -> None:
        """A write for an encounter the editor no longer shows failed: nothing pops up over the one
        open now; the status bar says which one was not stored and that it can be opened to redo."""
        which = (translate("EncounterSession", "encounter {number}").format(number=base.id) if base is not None
                 else translate("EncounterSession", "the new draft of the earlier patient"))
        why = (translate("EncounterSession", "it was changed on another workstation meanwhile")
               if isinstance(exc, ConflictError) else messages.reason(exc))
        self.failed.emit("stale", translate("EncounterSession", "the last save of {which} was not stored ({why}); open it "
                                            "to redo those entries").format(which=which, why=why), True)

    def resolve(self, choice: int, exc: ConflictError) -> None:
        """The clinician's answer to :attr:`conflict`. Keep mine stores the Draft the dialog showed
        (never a new snapshot: the editor may show other entries by now, typed after it; those stay
        dirty and are saved next)."""
        done, self._conflict_done = self._conflict_done, []
        mine, self._conflict_mine = self._conflict_mine, None
        stored = exc.stored
        if mine is None or self.record is None or stored.id != self.record.id:
            self._stale_failure(exc, stored)  # not the open encounter's conflict (any more)
            self._finish(done, False)
        elif choice == self.RELOAD_THEIRS:
            self.show(stored)
            self._finish(done, False)
        elif choice == self.KEEP_MINE:
            if stored.status == "final":
                self.failed.emit("refused", translate("EncounterSession", "it was finalized on another workstation; amend it "
                                                      "instead"), False)
                self._finish(done, False)
            else:
                self._start_save(False, done, over=stored, mine=mine)
                return
        else:
            self.failed.emit("held", translate("EncounterSession", "the encounter was changed elsewhere"), True)
            self._finish(done, False)
        self._changed()
        self._fire_settled()

    @staticmethod
    def _finish(done: list[Done], ok: bool) -> None:
        for callback in done:
            callback(ok)

    # --- finalize, amend, recovery ------------------------------------------------------------------

    def finalize(self, *, must_save: bool, confirm: Callable[[EncounterRecord], bool],
                 done: Done | None = None) -> None:
        """Save first when ``must_save`` (unsaved entries, a stale assessment), then ask ``confirm``
        with the stored record, then sign it off the GUI thread."""
        if not self.editing or self.is_final() or self.finalizing:
            return
        epoch = self.epoch

        def end(ok: bool) -> None:
            if epoch == self.epoch:
                self.finalizing = False
            if done is not None:
                done(ok)

        self.finalizing = True
        if must_save or self.record is None or self.dirty:
            self.save(done=lambda ok: self._finalize_saved(ok, confirm, [end], epoch))
            return
        self._finalize_saved(True, confirm, [end], epoch)

    def _finalize_saved(self, ok: bool, confirm: Callable[[EncounterRecord], bool], done: list[Done],
                        epoch: int) -> None:
        record = self.record
        if self._moved_on(epoch):  # the save landed for an encounter the editor no longer shows
            self._finish(done, False)
            return
        if ok and self.locked:  # nobody may be asked, and nothing is signed, behind the lock
            self.failed.emit("locked", translate("EncounterSession", "Finalize was not done: the window was locked. "
                                                     "Finalize again"), True)
            self._finish(done, False)
            self._changed()
            return
        if not ok or record is None or self.dirty or self.saving or not confirm(record):
            self._finish(done, False)
            self._changed()
            return
        if self._moved_on(epoch) or self.record is not record or self.dirty or self.locked:
            self._finish(done, False)  # changed (or locked) while the question was open
            self._changed()
            return
        actor, generation = self._actor(), self.generation
        self.saving = True
        self._changed()
        self.ops.run("finalize", lambda store: store.finalize(record.id, record.version, actor),
                     success=lambda signed: self._landed(signed, generation, "finalized", done, epoch),
                     failure=lambda exc: self._finalize_failed(exc, record, generation, done, epoch),
                     changes=Changes(encounters=True, encounter_id=record.id, patient_id=record.patient.id))

    def _finalize_failed(self, exc: Exception, record: EncounterRecord, generation: int, done: list[Done],
                         epoch: int) -> None:
        if self._moved_on(epoch):
            self._stale_failure(exc, record)
            self._finish(done, False)
            return
        if isinstance(exc, ConflictError):  # what was being signed is what the conflict dialog shows as mine
            self._save_failed(exc, Draft(record.info, record.findings, record.notes), False, done, record,
                              epoch, generation)
            return
        self.saving = False
        self.failed.emit("refused", messages.reason(exc), False)
        self._after_save(done, False)

    def amend(self, reason: str, *, done: Done | None = None) -> None:
        record = self.record
        if record is None or not self.is_final() or self.saving:
            return  # an amend in flight already (Amend is disabled meanwhile)
        actor, epoch = self._actor(), self.epoch
        self.saving = True  # busy: no second amend, no finalize; leaving waits for it
        self._changed()

        def opened(draft: EncounterRecord) -> None:
            if self._moved_on(epoch):
                self.failed.emit("stale", translate("EncounterSession", "the amendment was stored as draft {number}; open it "
                                                    "from the list").format(number=draft.id), True)
            else:
                self.saving = False
                self.show(draft)
            if done is not None:
                done(True)

        def refused(exc: Exception) -> None:
            if not self._moved_on(epoch):
                self.saving = False
                self._changed()
            self.failed.emit("refused", messages.reason(exc), False)
            if done is not None:
                done(False)
            self._fire_settled()

        self.ops.run("amend", lambda store: store.amend(record.id, reason, actor), success=opened, failure=refused,
                     changes=Changes(encounters=True, encounter_id=record.id, patient_id=record.patient.id))

    def recover(self, encounter_id: int, ask: Callable[[], bool],
                done: Callable[[EncounterRecord | None, list[str]], object] | None = None) -> None:
        """A draft left open by a session that did not close normally: offer it back (``ask``)."""

        def loaded(result: tuple[EncounterRecord | None, list[str]]) -> None:
            record, problems = result
            if record is None or record.status != "draft" or not ask():
                self.marker_changed.emit(None)
                if done is not None:
                    done(None, [])
                return
            self.show(record)
            if done is not None:
                done(record, problems)

        def load(store: Any) -> tuple[EncounterRecord | None, list[str]]:
            try:
                record = store.load_encounter(encounter_id)
            except StoreError:
                return None, []
            problems = store.verify_encounter(record.id) if record.amends_id is not None else []
            return record, problems

        self.ops.run("recover draft", load, success=loaded,
                     failure=lambda _exc: loaded((None, [])))
