"""Round trips of the store on PostgreSQL, and the save that makes them few (models/pipelined.py):
what it returns is what is stored, every save has its audit row and the chain verifies, and what
changed between its read and its write (a newer version, the patient, the account) is never
overwritten. On both engines where the behaviour is the engine's business; the counts on
PostgreSQL, through bench/netproxy.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from bench.netproxy import NetProxy
from models import pipelined
from models.case import EncounterInfo, Patient
from models.store import AccountError, Actor, ConflictError, Store

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Bea Second", "tester2", "exam-room-2")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
PATIENT = Patient("RT-1", "Roundtrip", "Rita", dt.date(1961, 3, 4), "female")


def _draft(store: Store, findings: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    patient = store.create_patient(PATIENT, ACTOR)
    return patient, store.create_draft(patient.id, INFO, findings or {"slr": "negative"}, "", ACTOR)


def test_a_saved_draft_is_returned_as_stored(store: Store) -> None:
    patient, draft = _draft(store)
    saved = store.save_draft(draft.id, draft.version, INFO, {"slr": "positive", "swelling": "none"}, "note ü", ACTOR)
    assert saved == store.load_encounter(draft.id)
    assert saved.version == draft.version + 1 and saved.notes == "note ü"
    assert saved.assessment == store.load_encounter(draft.id).assessment != draft.assessment
    # An amendment's draft: what it amends is named, and its first-stored time.
    final = store.finalize(saved.id, saved.version, ACTOR)
    amendment = store.amend(final.id, "typo", ACTOR)
    again = store.save_draft(amendment.id, amendment.version, INFO, {"slr": "negative"}, "fixed", ACTOR)
    assert again == store.load_encounter(amendment.id)
    assert again.amends_id == final.id and again.amends_created_at is not None
    assert [e["action"] for e in store.audit_events(encounter_id=draft.id)].count("draft_saved") == 1
    assert store.verify() == []


def test_every_save_has_its_audit_row_and_the_chain_verifies(store: Store) -> None:
    patient, draft = _draft(store)
    record = draft
    for n in range(6):
        record = store.save_draft(record.id, record.version, INFO, {"slr": ["positive", "negative"][n % 2]},
                                  f"n{n}", ACTOR)
        store.record_event("viewed", ACTOR, encounter_id=record.id)  # an ORM-path write in between
    saves = [e for e in store.audit_events(encounter_id=draft.id) if e["action"] == "draft_saved"]
    assert [e["detail"] for e in saves] == [f"version {v}" for v in range(draft.version + 1, draft.version + 7)]
    assert all(e["clinician"] == ACTOR.clinician and e["patient_id"] == patient.id for e in saves)
    assert store.verify() == []


def test_a_stale_save_conflicts_and_writes_nothing(store: Store) -> None:
    _patient, draft = _draft(store)
    store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "first", ACTOR)
    before = store.audit_events()
    with pytest.raises(ConflictError) as caught:
        store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "stale", OTHER)
    assert caught.value.stored.notes == "first"
    assert store.load_encounter(draft.id).notes == "first"
    assert store.audit_events() == before
    assert store.verify() == []


@pytest.fixture(name="between")
def between_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:  # type: ignore[type-arg]
    """Actions run right after the pipelined save has read (PostgreSQL), as another workstation's."""
    actions: list = []  # type: ignore[type-arg]
    real = pipelined.read_for_save

    def read_then_act(*args, **kwargs):  # type: ignore[no-untyped-def]
        read = real(*args, **kwargs)
        while actions:
            actions.pop(0)()
        return read

    monkeypatch.setattr(pipelined, "read_for_save", read_then_act)
    yield actions


@pytest.mark.engines("postgresql")
def test_a_save_racing_another_save_conflicts(store: Store, between: list) -> None:  # type: ignore[type-arg]
    _patient, draft = _draft(store)
    between.append(lambda: store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "theirs", OTHER))
    with pytest.raises(ConflictError):
        store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "mine", ACTOR)
    assert not between  # the other save ran between the read and the write
    assert store.load_encounter(draft.id).notes == "theirs"
    saves = [e for e in store.audit_events(encounter_id=draft.id) if e["action"] == "draft_saved"]
    assert [e["clinician"] for e in saves] == [OTHER.clinician]
    assert store.verify() == []


@pytest.mark.engines("postgresql")
def test_a_patient_corrected_meanwhile_is_the_one_assessed(store: Store, between: list) -> None:  # type: ignore[type-arg]
    patient, draft = _draft(store, {"slr": "negative"})
    older = dataclasses.replace(PATIENT, birth_date=dt.date(1931, 3, 4))  # another age: another assessment
    between.append(lambda: store.update_patient(patient.id, older, OTHER, expected_version=patient.version))
    saved = store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "mine", ACTOR)
    assert not between
    assert saved.patient.birth_date == older.birth_date
    assert saved == store.load_encounter(draft.id)
    expected = store.load_encounter(draft.id).to_case()
    from models.assessment import assess

    assert saved.assessment == assess(expected).to_dict()
    assert store.verify() == []


@pytest.mark.engines("postgresql")
def test_an_account_disabled_meanwhile_cannot_save(store: Store, between: list) -> None:  # type: ignore[type-arg]
    store.create_clinician(ACTOR.clinician, "correct horse 2026", None)
    store.create_clinician(OTHER.clinician, "battery staple 2026", ACTOR)
    _patient, draft = _draft(store)
    between.append(lambda: store.disable_clinician(ACTOR.clinician, OTHER))
    with pytest.raises(AccountError):
        store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "mine", ACTOR)
    assert not between
    assert store.load_encounter(draft.id).version == draft.version
    assert store.verify() == []


@pytest.mark.engines("postgresql")
def test_round_trips_on_postgresql_meet_their_targets(pg_schema_url: str) -> None:
    """Counted at the proxy: a save at most 4, a search and an encounter list at most 2 (they were
    14, 6 and 5). Each includes the pool's ping of the connection it uses."""
    with NetProxy() as proxy, Store.open(proxy.url(pg_schema_url)) as store:
        patient, draft = _draft(store)
        record = draft
        counts: dict[str, list[int]] = {"save": [], "search": [], "list": []}
        for n in range(5):
            proxy.reset_counts()
            record = store.save_draft(record.id, record.version, INFO, {"slr": ["positive", "negative"][n % 2]},
                                      f"n{n}", ACTOR)
            counts["save"].append(proxy.round_trips)
            proxy.reset_counts()
            assert [p.id for p in store.find_patients("Roundtr")] == [patient.id]
            counts["search"].append(proxy.round_trips)
            proxy.reset_counts()
            assert [e.id for e in store.list_encounters(patient.id)] == [draft.id]
            counts["list"].append(proxy.round_trips)
        assert max(counts["save"][1:]) <= 4 and max(counts["search"][1:]) <= 2 and max(counts["list"][1:]) <= 2, counts
        assert store.verify() == []
