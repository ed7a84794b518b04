"""The open encounter after a lost reply (issue 12): the window's session (ui.encounter_session) on a
real store whose write is stored but whose answer is "outcome unknown" (OutcomeUnknownError, as
when the link stays down while the store checks). The retry, with what was typed since, stores
one draft, never a second one, and a save after it never conflicts with itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from models.case import EncounterInfo, Patient
from models.records import Actor, OutcomeUnknownError
from models.store import Store
from ui.encounter_session import Draft, EncounterSession
from ui.operations import OpRunner

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")


class LosesReplies:
    """The store, except that the next call of a method in ``lose`` is stored and then answered
    with OutcomeUnknownError."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.lose: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.store, name)
        if name not in self.lose:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.lose.discard(name)
            real(*args, **kwargs)
            raise OutcomeUnknownError("the link failed; not known whether it was stored")

        return call


@pytest.fixture(name="setup")
def setup_fixture(qtbot, store: Store) -> Any:  # type: ignore[no-untyped-def]
    patient = store.create_patient(Patient("L-1", "Lost", "Lee", dt.date(1980, 5, 1), "female"), ACTOR)
    lossy = LosesReplies(store)
    ops = OpRunner(lambda: lossy)  # type: ignore[arg-type,return-value]
    session = EncounterSession(ops, lambda: ACTOR)
    content = {"notes": ""}
    session.snapshot = lambda: Draft(EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"), {},
                                     content["notes"])
    session.autosave_timer.setInterval(60_000)
    failures: list[str] = []
    session.failed.connect(lambda kind, text, _quiet: failures.append(kind))
    conflicts: list[object] = []
    session.conflict.connect(lambda exc, _draft: conflicts.append(exc))
    yield session, ops, lossy, content, patient, failures, conflicts
    ops.shut_down()


def _encounters(store: Store) -> int:
    engine = sa.create_engine(store._url)  # what is really stored
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT COUNT(*) FROM encounter")).scalar_one())
    finally:
        engine.dispose()


def test_a_new_draft_whose_reply_was_lost_is_stored_once(qtbot, setup, store: Store) -> None:  # type: ignore[no-untyped-def]
    session, ops, lossy, content, patient, failures, conflicts = setup
    session.start_new(patient)
    content["notes"] = "first"
    session.mark_changed()
    lossy.lose = {"create_draft"}
    session.save()
    assert ops.wait_idle(5000)
    assert failures == ["unreachable"] and session.record is None and session.dirty  # entries kept, retried later
    content["notes"] = "first, then more"  # typed while the outcome was unknown
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000)
    assert session.record is not None and not session.dirty and conflicts == []
    assert _encounters(store) == 1  # the retry found the first attempt's draft
    assert store.load_encounter(session.record.id).notes == "first, then more"


@pytest.mark.parametrize("typed_since", [False, True])
def test_a_save_whose_reply_was_lost_does_not_conflict_with_itself(qtbot, setup, store: Store,  # type: ignore[no-untyped-def]
                                                                  typed_since: bool) -> None:
    session, ops, lossy, content, patient, failures, conflicts = setup
    session.start_new(patient)
    session.mark_changed()
    session.save()
    assert ops.wait_idle(5000)
    first = session.record
    assert first is not None
    content["notes"] = "saved, reply lost"
    session.mark_changed()
    lossy.lose = {"save_draft"}
    session.save()
    assert ops.wait_idle(5000)
    assert failures == ["unreachable"] and session.dirty
    assert store.load_encounter(first.id).version == first.version + 1  # it was stored
    if typed_since:
        content["notes"] = "saved, reply lost, and more"
        session.mark_changed()
    session.save()
    assert ops.wait_idle(5000)
    assert conflicts == [] and not session.held and not session.dirty
    stored = store.load_encounter(first.id)
    assert stored.notes == content["notes"] and session.record is not None
    assert session.record.version == stored.version == first.version + (2 if typed_since else 1)
    assert _encounters(store) == 1
