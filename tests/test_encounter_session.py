"""The open encounter's owner (ui.encounter_session) without widgets, and the one action rule.

The state machine as tables: for each state (dirty, saving, held conflict, locked, finalized) what a
save and an autosave do, and which actions are enabled. Then the session on a real store (both
engines): a save runs off the GUI thread, an entry made while a save is stalled is kept and saved
next, a conflict is offered and resolved without losing the entries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import Qt

from models.case import EncounterInfo, Patient
from models.records import Actor, ConflictError
from models.store import Store
from ui.actions import ACTIONS, Context, enabled
from ui.encounter_session import (
    SAVE_HELD,
    SAVE_NOTHING,
    SAVE_NOW,
    SAVE_QUEUED,
    SAVE_REFUSED_FINAL,
    Draft,
    EncounterSession,
    SessionState,
    save_decision,
)
from ui.operations import Changes, OpRunner

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
S = SessionState

# (state, what Ctrl+S does, what an autosave does)
SAVE_TABLE = [
    (S(), SAVE_NOTHING, SAVE_NOTHING),
    (S(editing=True), SAVE_NOW, SAVE_NOW),  # a new draft, not stored yet
    (S(editing=True, stored=True), SAVE_NOW, SAVE_NOTHING),  # clean: autosave has nothing to do
    (S(editing=True, stored=True, dirty=True), SAVE_NOW, SAVE_NOW),
    (S(editing=True, stored=True, dirty=True, saving=True), SAVE_QUEUED, SAVE_QUEUED),
    (S(editing=True, stored=True, dirty=True, held=True), SAVE_NOW, SAVE_HELD),  # Ctrl+S decides a conflict
    (S(editing=True, stored=True, dirty=True, locked=True), SAVE_NOW, SAVE_HELD),
    (S(editing=True, stored=True, final=True), SAVE_REFUSED_FINAL, SAVE_REFUSED_FINAL),
    (S(editing=True, stored=True, final=True, superseded=True), SAVE_REFUSED_FINAL, SAVE_REFUSED_FINAL),
]


@pytest.mark.parametrize(("state", "by_hand", "automatic"), SAVE_TABLE)
def test_what_a_save_does(state: SessionState, by_hand: str, automatic: str) -> None:
    assert save_decision(state, quiet=False) == by_hand
    assert save_decision(state, quiet=True) == automatic


ON = dict(signed_in=True, has_store=True, has_patient=True, has_destination=True)
ALL = {spec.name for spec in ACTIONS} | {"edit_patient"}
GO = {"goto_checklist", "goto_red_flags", "goto_notes", "goto_item"}
EDIT = {"save", "finalize", "preview", "print", "export", "send", "red_flags_no", "undo_answer"} | GO
HELP = {"quit", "shortcuts", "about"}  # whoever is at the workstation, locked or not
ALWAYS = {"find", "new_patient", "settings", "lock", "sign_out", "new_encounter", "edit_patient", "who_saw"} | HELP
# (context, the actions enabled: every other one is disabled)
ACTION_TABLE = [
    (Context(), HELP),
    (Context(signed_in=True), {"find", "settings", "lock", "sign_out"} | HELP),  # the database is still opening
    (Context(**ON), ALWAYS),
    (Context(S(editing=True), **ON), ALWAYS | EDIT),
    (Context(S(editing=True, stored=True, dirty=True), **ON), ALWAYS | EDIT),
    # a save in flight: Save stays (it is queued), no second finalize
    (Context(S(editing=True, stored=True, dirty=True, saving=True), **ON), ALWAYS | EDIT - {"finalize"}),
    (Context(S(editing=True, stored=True, dirty=True, held=True), **ON), ALWAYS | EDIT),
    (Context(S(editing=True, stored=True, final=True), **ON),
     ALWAYS | GO | {"amend", "preview", "print", "export", "send"}),
    (Context(S(editing=True, stored=True, final=True, superseded=True), **ON),
     ALWAYS | GO | {"preview", "print", "export", "send"}),
    (Context(S(editing=True, stored=True, final=True, saving=True), **ON),
     ALWAYS | GO | {"preview", "print", "export", "send"}),
    # locked: nothing that reaches patient data, whatever is open
    (Context(S(editing=True, stored=True, dirty=True, locked=True), **ON), HELP),
    (Context(S(editing=True, stored=True), **{**ON, "has_destination": False}), ALWAYS | EDIT - {"send"}),
    (Context(S(editing=True, stored=True), sending=True, **ON), ALWAYS | EDIT - {"send"}),
]


@pytest.mark.parametrize(("context", "expected"), ACTION_TABLE)
def test_which_actions_are_enabled(context: Context, expected: set[str]) -> None:
    answer = enabled(context)
    assert set(answer) == ALL
    assert {name for name, on in answer.items() if on} == expected


# --- the session on a real store ---------------------------------------------------------------


class Stall:
    """A store whose chosen methods block on an event until released (a slow database)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.methods: set[str] = set()
        self.release = threading.Event()
        self.entered = threading.Event()
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.store, name)
        if not callable(real):
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            if name in self.methods:
                self.entered.set()
                assert self.release.wait(20), "the test never released the stalled call"
            return real(*args, **kwargs)

        return call


class Editor:
    """What a window's editor would hold: the session's snapshot reads it."""

    def __init__(self, patient: Patient) -> None:
        self.patient = patient
        self.findings: dict[str, Any] = {}
        self.notes = ""
        self.knee = "left"

    def draft(self) -> Draft:
        return Draft(EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", self.knee), dict(self.findings), self.notes)


@pytest.fixture(name="setup")
def setup_fixture(qtbot, store: Store) -> Any:  # type: ignore[no-untyped-def]
    patient = store.create_patient(Patient("S-1", "Session", "Sam", dt.date(1980, 5, 1), "female"), ACTOR)
    stall = Stall(store)
    ops = OpRunner(lambda: stall)  # type: ignore[arg-type,return-value]
    session = EncounterSession(ops, lambda: ACTOR)
    editor = Editor(patient.to_patient())
    session.snapshot = editor.draft
    session.autosave_timer.setInterval(60_000)
    news: list[Changes] = []
    ops.changed.connect(lambda changes, _who: news.append(changes))
    yield session, ops, stall, editor, patient, news
    stall.release.set()
    ops.shut_down()


def test_a_save_runs_off_the_gui_thread_and_says_what_changed(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, patient, news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    assert session.dirty and session.autosave_timer.isActive()
    stall.methods = {"create_draft"}
    main = threading.get_ident()
    threads: list[int] = []
    real = stall.store.create_draft
    stall.store.create_draft = lambda *a, **k: (threads.append(threading.get_ident()), real(*a, **k))[1]  # type: ignore[method-assign]
    assert session.save() == SAVE_NOW
    assert stall.entered.wait(5)
    assert session.saving and session.dirty and ops.is_busy() and ops.in_flight() == ["save"]
    stall.release.set()
    assert ops.wait_idle(5000)
    assert threads and threads[0] != main
    assert not session.saving and not session.dirty and session.record is not None
    assert store.load_encounter(session.record.id).findings["swelling"] == "effusion"
    assert news == [Changes(encounters=True, encounter_id=session.record.id, patient_id=patient.id)]


def test_an_entry_made_during_a_stalled_save_is_kept_and_saved_next(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, patient, _news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    assert session.save() == SAVE_NOW
    assert ops.wait_idle(5000)
    first = session.record
    assert first is not None
    stall.methods = {"save_draft"}
    editor.notes = "first note"
    session.mark_changed()
    assert session.save() == SAVE_NOW
    assert stall.entered.wait(5)
    # typed while the save hangs: the session stays dirty and a second save is queued, not lost
    editor.notes = "first note, and a second thought"
    session.mark_changed()
    assert session.save(quiet=True) == SAVE_QUEUED
    assert session.dirty and session.saving
    stall.release.set()
    assert ops.wait_idle(5000)
    assert not session.dirty and not session.saving
    assert session.record is not None and session.record.version == first.version + 2
    assert store.load_encounter(first.id).notes == "first note, and a second thought"


def test_an_entry_after_a_save_started_stays_dirty_and_autosaves(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, patient, _news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    stall.methods = {"create_draft"}
    session.save()
    assert stall.entered.wait(5)
    editor.notes = "typed during the save"
    session.mark_changed()
    stall.release.set()
    assert ops.wait_idle(5000)
    assert session.record is not None and session.dirty  # the note is not in the stored version
    assert store.load_encounter(session.record.id).notes == ""
    assert session.autosave_timer.isActive()  # and is saved next
    session.autosave_timer.setInterval(10)
    session.autosave_timer.start()
    qtbot.waitUntil(lambda: not session.dirty and not ops.is_busy(), timeout=5000)
    assert store.load_encounter(session.record.id).notes == "typed during the save"


def test_a_conflict_is_offered_and_keep_mine_saves_over_theirs(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    mine = session.record
    theirs = store.save_draft(mine.id, mine.version, mine.info, mine.findings, "their note", ACTOR)
    offered: list[tuple[ConflictError, Draft]] = []
    session.conflict.connect(lambda exc, draft: offered.append((exc, draft)))
    editor.notes = "my note"
    session.mark_changed()
    landed: list[bool] = []
    session.save(done=landed.append)
    assert ops.wait_idle(5000)
    assert len(offered) == 1 and offered[0][0].stored.version == theirs.version
    assert offered[0][1].notes == "my note"
    assert session.held and session.dirty and landed == []
    assert save_decision(session.state(), quiet=True) == SAVE_HELD  # no autosave while undecided
    session.resolve(EncounterSession.KEEP_MINE, offered[0][0])
    assert ops.wait_idle(5000)
    assert landed == [True] and not session.held and not session.dirty
    assert store.load_encounter(mine.id).notes == "my note"


def test_a_conflict_reload_shows_theirs(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    mine = session.record
    theirs = store.save_draft(mine.id, mine.version, mine.info, {"swelling": "none"}, "theirs", ACTOR)
    offered: list[ConflictError] = []
    shown: list[Any] = []
    session.conflict.connect(lambda exc, _draft: offered.append(exc))
    session.shown.connect(shown.append)
    editor.notes = "mine"
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and offered
    session.resolve(EncounterSession.RELOAD_THEIRS, offered[0])
    assert shown == [theirs] and session.record == theirs and not session.dirty and not session.held


def test_finalize_saves_first_then_signs_and_amend_opens_a_draft(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    asked: list[int] = []
    session.finalize(must_save=False, confirm=lambda record: asked.append(record.version) or True)
    assert ops.wait_idle(5000)
    assert asked == [1] and session.is_final() and session.record is not None
    assert store.load_encounter(session.record.id).status == "final"
    session.mark_changed()
    assert not session.dirty  # a finalized encounter takes no changes
    assert save_decision(session.state(), quiet=False) == SAVE_REFUSED_FINAL
    original = session.record
    session.amend("corrected history")
    assert ops.wait_idle(5000)
    assert session.record is not None and session.record.amends_id == original.id
    assert session.record.status == "draft" and not session.dirty


def test_locked_conflict_is_held_for_after_unlock(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    mine = session.record
    store.save_draft(mine.id, mine.version, mine.info, mine.findings, "theirs", ACTOR)
    offered: list[Any] = []
    session.conflict.connect(lambda *a: offered.append(a))
    editor.notes = "mine"
    session.mark_changed()
    session.save(quiet=True)  # the lock's save
    session.locked = True
    assert ops.wait_idle(5000)
    assert offered == [] and session.held and session.dirty  # nothing pops up over the lock
    assert store.load_encounter(mine.id).notes == "theirs"


def test_the_open_record_takes_the_patient_as_now_stored(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, _editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    renamed = dataclasses.replace(patient, family_name="Renamed")
    session.set_patient(renamed)
    assert session.record.patient == renamed and session.patient == renamed


def test_an_unreachable_database_keeps_the_entries_and_retries_with_backoff(qtbot, setup, store: Store,  # type: ignore[no-untyped-def]
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from models.records import DatabaseUnavailableError

    session, ops, stall, editor, patient, _news = setup
    session.start_new(patient)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    assert session.save() == SAVE_NOW
    assert ops.wait_idle(5000)
    first = session.record
    assert first is not None
    failures: list[tuple[str, str, object]] = []
    session.failed.connect(lambda kind, reason, quiet: failures.append((kind, reason, quiet)))
    real_save = stall.store.save_draft
    away = {"left": 2}
    attempts: list[float] = []

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        attempts.append(time.monotonic())
        if away["left"] > 0:
            away["left"] -= 1
            raise DatabaseUnavailableError("the database did not answer in time")
        return real_save(*args, **kwargs)

    stall.store.save_draft = unreachable  # type: ignore[method-assign]
    session.retry_timer.setTimerType(Qt.TimerType.PreciseTimer)
    import ui.encounter_session as es
    monkeypatch.setattr(es, "RETRY_DELAYS_MS", (200, 400))
    editor.notes = "typed while the server is away"
    session.mark_changed()
    session.save(quiet=True)
    qtbot.waitUntil(lambda: len(failures) == 1, timeout=5000)
    assert failures[0][0] == "unreachable" and failures[0][2] is True
    assert session.dirty and session.retry_timer.isActive() and session.retries == 1
    # typing meanwhile neither drops the entries nor starts a save before the retry is due
    editor.notes += ", and more"
    session.mark_changed()
    assert not session.autosave_timer.isActive() and session.retry_timer.isActive()
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5000)
    assert session.retries == 2 and session.dirty
    qtbot.waitUntil(lambda: not session.dirty and not session.saving, timeout=5000)
    assert ops.wait_idle(5000)
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.18 and attempts[2] - attempts[1] >= 0.38  # backing off
    assert session.retries == 0 and not session.retry_timer.isActive()
    assert store.load_encounter(first.id).notes == "typed while the server is away, and more"


# --- a result that comes back after the editor moved on (the review of the rebuilt window) -------------


def test_a_late_create_of_a_left_new_draft_never_becomes_the_next_drafts_base(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, first, _news = setup
    second = store.create_patient(Patient("S-2", "Second", "Sid", dt.date(1981, 6, 2), "male"), ACTOR)
    session.start_new(first)
    editor.findings = {"swelling": "effusion"}
    session.mark_changed()
    stall.methods = {"create_draft"}
    assert session.save() == SAVE_NOW
    assert stall.entered.wait(5)
    key_before = session._create_key
    session.start_new(second)  # moved on to the next patient while the first draft's create hangs
    assert session._create_key is None and not session.saving  # the new epoch owns no key, no save
    stall.release.set()
    assert ops.wait_idle(5000)
    assert session.record is None and session.patient == second  # stored, but not the open one's base
    stall.methods = set()
    editor.findings = {"mcmurray": "positive"}
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    assert session._create_key != key_before
    assert session.record.patient.id == second.id
    [of_first] = store.list_encounters(first.id)
    [of_second] = store.list_encounters(second.id)
    assert store.load_encounter(of_first.id).findings == {"swelling": "effusion"}
    assert store.load_encounter(of_second.id).findings == {"mcmurray": "positive"}


def test_a_conflict_of_a_left_encounter_is_said_never_offered_over_the_next(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    left = session.record
    other = store.create_draft(patient.id, left.info, {"slr": "negative"}, "the next one", ACTOR)
    editor.notes = "mine, for the first"
    session.mark_changed()
    stall.methods = {"save_draft"}
    session.save()
    assert stall.entered.wait(5)
    store.save_draft(left.id, left.version, left.info, {}, "theirs", ACTOR)  # another workstation first
    offered: list[Any] = []
    failures: list[tuple[str, str]] = []
    session.conflict.connect(lambda *a: offered.append(a))
    session.failed.connect(lambda kind, reason, _quiet: failures.append((kind, reason)))
    session.show(other)  # the editor shows the next encounter now
    editor.notes = "typed into the next one"
    session.mark_changed()
    stall.release.set()
    assert ops.wait_idle(5000)
    assert offered == [] and not session.held and session.record == other
    assert failures and failures[0][0] == "stale" and f"encounter {left.id}" in failures[0][1]
    assert "changed on another workstation" in failures[0][1]
    assert store.load_encounter(other.id).notes == "the next one"  # nothing of ours written into it
    assert store.load_encounter(left.id).notes == "theirs"


def test_keep_mine_stores_the_draft_the_dialog_showed_and_saves_later_entries_next(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    mine = session.record
    store.save_draft(mine.id, mine.version, mine.info, {}, "theirs", ACTOR)
    offered: list[tuple[ConflictError, Draft]] = []
    session.conflict.connect(lambda exc, draft: offered.append((exc, draft)))
    editor.notes = "as the dialog showed it"
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and offered
    editor.notes = "as the dialog showed it, and typed after"  # the editor shows more by now
    session.mark_changed()
    session.resolve(EncounterSession.KEEP_MINE, offered[0][0])
    assert ops.wait_idle(5000)
    assert store.load_encounter(mine.id).notes == "as the dialog showed it"  # what the clinician chose
    assert session.dirty and session.autosave_timer.isActive()  # and the rest is saved next
    session.save()
    assert ops.wait_idle(5000) and not session.dirty
    assert store.load_encounter(mine.id).notes == "as the dialog showed it, and typed after"


def test_finalize_behind_the_lock_asks_nothing_and_signs_nothing(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    editor.notes = "last words"
    session.mark_changed()
    stall.methods = {"save_draft"}
    asked: list[int] = []
    failures: list[tuple[str, str]] = []
    session.failed.connect(lambda kind, reason, _quiet: failures.append((kind, reason)))
    session.finalize(must_save=True, confirm=lambda record: asked.append(record.id) or True)
    assert stall.entered.wait(5) and session.finalizing
    session.locked = True  # the window locks while the finalize's save is in flight
    stall.release.set()
    assert ops.wait_idle(5000)
    assert asked == [] and not session.is_final() and not session.finalizing
    assert store.load_encounter(session.record.id).status == "draft"
    assert store.load_encounter(session.record.id).notes == "last words"  # the save itself landed
    assert ("locked", "Finalize was not done: the window was locked. Finalize again") in failures


def test_an_amend_in_flight_is_busy_and_a_second_one_is_not_sent(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, stall, _editor, patient, _news = setup
    draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"), {}, "",
                               ACTOR)
    session.show(store.finalize(draft.id, draft.version, ACTOR))
    stall.methods = {"amend"}
    session.amend("first reason")
    assert stall.entered.wait(5)
    assert session.saving and not session.settled()
    on = enabled(Context(session.state(), **ON))
    assert not on["amend"] and not on["finalize"]
    session.amend("second reason")  # Amend is disabled; asked anyway, nothing is sent
    stall.release.set()
    assert ops.wait_idle(5000)
    assert stall.calls.count("amend") == 1
    assert session.record is not None and session.record.amend_reason == "first reason" and not session.saving


def test_a_save_brings_back_the_newer_patient_and_an_older_one_never_replaces_it(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000)
    told: list[Any] = []
    session.patient_changed.connect(told.append)
    renamed = store.update_patient(patient.id, dataclasses.replace(patient.to_patient(), family_name="Renamed"),
                                   ACTOR, expected_version=patient.version)  # another workstation
    editor.notes = "after the rename elsewhere"
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    assert session.record.patient == renamed and session.patient == renamed and told == [renamed]
    session.set_patient(patient)  # a read that answered late: the older version changes nothing
    assert session.patient == renamed and session.record.patient == renamed and told == [renamed]


def test_the_clinician_stored_is_the_signed_in_account_whatever_the_editor_holds(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, _stall, editor, patient, _news = setup

    def typed() -> Draft:  # an editor whose clinician field says someone else
        return dataclasses.replace(editor.draft(), info=EncounterInfo(dt.date(2026, 11, 20), "Dr Typed In A Field",
                                                                      editor.knee))

    session.snapshot = typed
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000) and session.record is not None
    assert store.load_encounter(session.record.id).info.clinician == ACTOR.clinician
    # A draft stored under a name typed by hand (before accounts) is saved under the account.
    old = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 19), "dr old free text", "left"), {}, "", ACTOR)
    assert store.load_encounter(old.id).info.clinician == "dr old free text"  # older records stay as stored
    session.open(old.id)
    assert ops.wait_idle(5000)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000)
    assert store.load_encounter(old.id).info.clinician == ACTOR.clinician


def test_an_op_whose_success_raises_still_says_what_changed_and_a_base_exception_is_delivered(qtbot) -> None:  # type: ignore[no-untyped-def]
    ops = OpRunner(lambda: None)  # type: ignore[arg-type,return-value]
    news: list[Changes] = []
    ops.changed.connect(lambda changes, _who: news.append(changes))
    errors: list[BaseException] = []

    def success(_result: object) -> None:
        raise ValueError("a view's defect")

    import sys

    hook, sys.excepthook = sys.excepthook, lambda *exc: errors.append(exc[1])  # PySide hands a slot's error here
    try:
        ops.run("save", lambda _store: 1, success=success, changes=Changes(encounters=True, encounter_id=1))
        assert ops.wait_idle(5000)
    finally:
        sys.excepthook = hook
    assert news == [Changes(encounters=True, encounter_id=1)] and not ops.is_busy()

    def stops(_store: object) -> None:
        raise SystemExit(3)

    failed: list[Exception] = []
    ops.run("stops", stops, failure=failed.append)
    assert ops.wait_idle(5000), "a BaseException in the worker left the op pending"
    assert not ops.is_busy() and len(failed) == 1 and isinstance(failed[0].__cause__, SystemExit)
    ops.shut_down()


def test_a_worker_thread_never_drops_the_last_reference_to_a_widget(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A widget whose last Python reference goes on a worker thread is deleted later on the GUI
    # thread, at whatever Python call comes next; inside an event filter during another widget's
    # destruction that deadlocked Qt (a window test hung). The op's closure holds the widget here.
    import weakref

    from PySide6.QtWidgets import QLabel

    ops = OpRunner(lambda: None)  # type: ignore[arg-type,return-value]
    release = threading.Event()
    widget = QLabel("held by an op")
    freed_on: list[int] = []
    weakref.finalize(widget, lambda: freed_on.append(threading.get_ident()))
    ops.run_plain("hold", lambda held=widget: release.wait(5) and None)
    del widget
    release.set()
    assert ops.wait_idle(5000)
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.get_ident()], "the widget was released on a worker thread"
    ops.shut_down()
