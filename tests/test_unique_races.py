"""Two workstations writing what only one may at the same instant: the same MRN for two new
patients, or an amendment of the same finalized encounter. The store checks before it writes; when
both pass that check before either commits, the database's unique constraint decides, and the
loser is told what the check would have said (DuplicateMrnError, "already amended"), never a
generic "the database refused the change". On SQLite writers take turns (BEGIN IMMEDIATE), so the
race itself runs on PostgreSQL; the constraint's mapping is checked on both engines with the check
before the write taken away.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest

from models.case import EncounterInfo, Patient
from models.records import Actor, DuplicateMrnError, StoreError
from models.store import Store

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Other", "other", "exam-room-2")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")


def both_at_once(db_url: str, write: Callable[[Store, Actor], Any]) -> list[object]:
    """Run ``write`` on two Stores (two workstations) in two threads; each result or exception."""
    stores = [Store.open(db_url), Store.open(db_url)]
    results: list[object] = [None, None]

    def run(index: int) -> None:
        try:
            results[index] = write(stores[index], (ACTOR, OTHER)[index])
        except Exception as exc:  # what each workstation was told
            results[index] = exc

    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for store in stores:
            store.close()
    return results


def test_a_duplicate_mrn_caught_by_the_constraint_is_a_duplicate_mrn_error(store: Store,  # type: ignore[no-untyped-def]
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store.create_patient(Patient("MRN-1", "First", "Ann", dt.date(1970, 1, 1), "female"), ACTOR)
    monkeypatch.setattr("models.patients.refuse_duplicate_mrn", lambda *_a: None)  # as if the check had passed
    with pytest.raises(DuplicateMrnError) as caught:
        store.create_patient(Patient("MRN-1", "Second", "Bob", dt.date(1980, 1, 1), "male"), ACTOR)
    assert caught.value.field == "mrn"


@pytest.mark.engines("postgresql")
def test_two_workstations_creating_one_mrn_at_once_one_gets_duplicate_mrn(db_url: str,  # type: ignore[no-untyped-def]
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import models.patients

    Store.open(db_url).close()  # migrated before the race
    barrier = threading.Barrier(2, timeout=20)
    real = models.patients.refuse_duplicate_mrn

    def checked_then_wait(session: Any, mrn: str) -> None:
        real(session, mrn)
        barrier.wait()  # both have found no such MRN before either inserts

    monkeypatch.setattr(models.patients, "refuse_duplicate_mrn", checked_then_wait)
    results = both_at_once(db_url, lambda store, actor: store.create_patient(
        Patient("SAME-1", "Twin", actor.clinician[:10], dt.date(1970, 1, 1), "female"), actor))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], DuplicateMrnError), repr(errors[0])


@pytest.mark.engines("postgresql")
def test_two_workstations_amending_one_encounter_at_once_one_is_told_already_amended(  # type: ignore[no-untyped-def]
        db_url: str, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.encounters

    patient = store.create_patient(Patient("AM-1", "Amend", "Ann", dt.date(1970, 1, 1), "female"), ACTOR)
    draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "", ACTOR)
    signed = store.finalize(draft.id, draft.version, ACTOR)
    barrier = threading.Barrier(2, timeout=20)
    real = models.encounters.utcnow
    waited: list[int] = []

    def now_after_both_checked() -> Any:  # _amend_once: right after its "already amended?" check
        if len(waited) < 2:
            waited.append(1)
            barrier.wait()
        return real()

    monkeypatch.setattr(models.encounters, "utcnow", now_after_both_checked)
    results = both_at_once(db_url, lambda s, actor: s.amend(signed.id, f"corrected by {actor.os_user}", actor))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(waited) == 2 and len(errors) == 1, results
    assert isinstance(errors[0], StoreError) and "already amended" in str(errors[0]), repr(errors[0])
    assert "refused the change" not in str(errors[0])
    amendments = [e for e in store.list_encounters(patient.id) if e.amends_id == signed.id]
    assert len(amendments) == 1
