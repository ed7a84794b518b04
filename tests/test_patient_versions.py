"""Versioned patient edits, demo data through the audited write path, and errors carrying their
field as data; on SQLite and on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

import models.maintenance
from models.case import CaseError, EncounterInfo, Patient
from models.pins import split_pins
from models.store import (
    Actor,
    DuplicateMrnError,
    NotFoundError,
    PatientConflictError,
    Store,
    StoreError,
)

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Bea Second", "tester2", "exam-room-2")
JANE = Patient("A-1001", "Doe", "Jane", dt.date(1961, 4, 2), "female")


def _patient_row(engine: sa.Engine, patient_id: int) -> tuple[object, ...]:
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT mrn, family_name, given_name, birth_date, sex, version FROM patient "
                                   "WHERE id = :i"), {"i": patient_id}).one()
    return tuple(row)


# --- versions -------------------------------------------------------------------------------------

def test_a_new_patient_is_version_1_and_every_update_bumps_it(store: Store) -> None:
    created = store.create_patient(JANE, ACTOR)
    assert created.version == 1
    assert store.get_patient(created.id).version == 1
    renamed = store.update_patient(created.id, dataclasses.replace(JANE, given_name="Janet"), ACTOR,
                                   expected_version=1)
    assert (renamed.given_name, renamed.version) == ("Janet", 2)
    # An edit that changes nothing is still a stored edit: the version moves on (and is audited).
    same = store.update_patient(created.id, renamed.to_patient(), ACTOR, expected_version=2)
    assert same.version == 3
    assert store.get_patient(created.id) == same
    assert [p.version for p in store.find_patients("doe")] == [3]
    assert store.patient_by_mrn("A-1001") == same
    draft = store.create_draft(created.id, EncounterInfo(dt.date(2026, 11, 20), "Dr A", "left"), {}, "", ACTOR)
    assert draft.patient == same and store.load_encounter(draft.id).patient.version == 3
    assert [r.patient.version for r in store.iter_encounters()] == [3]
    details = [(e["action"], e["detail"]) for e in store.audit_events(patient_id=created.id)][:3]
    assert details == [("patient_created", ""), ("patient_updated", "changed: given_name"),
                       ("patient_updated", "changed: nothing")]


def test_two_workstations_editing_one_patient_the_second_gets_a_conflict(db_url: str, store: Store,
                                                                         raw_engine: sa.Engine) -> None:
    created = store.create_patient(JANE, ACTOR)
    with Store.open(db_url) as second:
        mine = store.get_patient(created.id)
        theirs = second.get_patient(created.id)
        assert mine == theirs and mine.version == 1
        saved = store.update_patient(mine.id, dataclasses.replace(JANE, family_name="Doe-Smith"), ACTOR,
                                     expected_version=mine.version)
        assert saved.version == 2
        before = _patient_row(raw_engine, created.id)
        events_before = second.integrity_counts()["audit_events"]
        attempted = dataclasses.replace(JANE, given_name="Janine", mrn="A-2002")
        with pytest.raises(PatientConflictError) as info:
            second.update_patient(theirs.id, attempted, OTHER, expected_version=theirs.version)
        conflict = info.value
        assert isinstance(conflict, StoreError) and conflict.field is None
        assert conflict.stored == saved and conflict.stored.family_name == "Doe-Smith"
        assert conflict.expected_version == 1 and conflict.attempted == attempted
        assert "Doe" not in str(conflict) and "A-1001" not in str(conflict)  # no patient data in the words
        # Nothing written: the row, its version and the audit trail are as the first edit left them.
        assert _patient_row(raw_engine, created.id) == before
        assert before[1:] == ("Doe-Smith", "Jane", before[3], "female", 2)
        assert second.integrity_counts()["audit_events"] == events_before
        assert second.patient_by_mrn("A-2002") is None
        actions = [(e["action"], e["clinician"]) for e in store.audit_events(patient_id=created.id)]
        assert actions == [("patient_created", ACTOR.clinician), ("patient_updated", ACTOR.clinician)]
        # Given the stored version, the second workstation's edit goes in.
        again = second.update_patient(theirs.id, attempted, OTHER, expected_version=conflict.stored.version)
        assert (again.given_name, again.mrn, again.version) == ("Janine", "A-2002", 3)
    assert store.verify() == []


def test_a_writer_between_the_check_and_the_update_is_a_conflict_too(store: Store, raw_engine: sa.Engine,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer commits between the store's version check and its UPDATE (the version
    column guards the UPDATE itself). On SQLite BEGIN IMMEDIATE makes that window impossible, so
    there the bump is made inside the store's own transaction."""
    import models.patients as patients_module

    created = store.create_patient(JANE, ACTOR)
    real = patients_module.fill_patient

    def interloper(row, patient):  # type: ignore[no-untyped-def]
        sql = sa.text("UPDATE patient SET version = version + 1, given_name = 'Interloper' WHERE id = :i")
        if raw_engine.dialect.name == "sqlite":
            session = sa.orm.object_session(row)
            assert session is not None
            session.execute(sql, {"i": created.id})
        else:
            with raw_engine.begin() as conn:
                conn.execute(sql, {"i": created.id})
        real(row, patient)

    monkeypatch.setattr(patients_module, "fill_patient", interloper)
    with pytest.raises(PatientConflictError) as info:
        store.update_patient(created.id, dataclasses.replace(JANE, given_name="Mine"), ACTOR, expected_version=1)
    monkeypatch.undo()
    stored = store.get_patient(created.id)
    assert stored.given_name != "Mine"
    if raw_engine.dialect.name == "postgresql":
        assert info.value.stored == stored and (stored.given_name, stored.version) == ("Interloper", 2)
    else:
        assert (stored.given_name, stored.version) == ("Jane", 1)  # the whole transaction rolled back
    assert [e["action"] for e in store.audit_events(patient_id=created.id)] == ["patient_created"]


def test_an_unknown_patient_is_not_found_whatever_the_version(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.update_patient(4242, JANE, ACTOR, expected_version=1)


# --- errors carry their field ---------------------------------------------------------------------

def test_errors_carry_their_field_as_data(store: Store) -> None:
    jane = store.create_patient(JANE, ACTOR)
    other = store.create_patient(Patient("B-2002", "Roe", "Rick", dt.date(1970, 1, 1), "male"), ACTOR)
    with pytest.raises(DuplicateMrnError) as created:
        store.create_patient(dataclasses.replace(JANE, family_name="Else"), ACTOR)
    with pytest.raises(DuplicateMrnError) as updated:
        store.update_patient(other.id, dataclasses.replace(JANE, family_name="Roe"), ACTOR, expected_version=1)
    for error in (created.value, updated.value):
        assert isinstance(error, StoreError) and error.field == "mrn"
    assert store.get_patient(other.id).mrn == "B-2002" and store.get_patient(other.id).version == 1
    with pytest.raises(CaseError) as bad:
        store.update_patient(jane.id, dataclasses.replace(JANE, family_name=""), ACTOR, expected_version=1)
    assert bad.value.field == "patient.family_name"
    assert StoreError("plain").field is None and StoreError("x", field="name").field == "name"


# --- demo data ------------------------------------------------------------------------------------

def test_the_fast_audit_chain_equals_the_row_by_row_hash() -> None:
    from models.hashing import GENESIS_HASH, audit_chain, audit_hash_of

    at = dt.datetime(2026, 12, 2, 3, 4, 5, 678, tzinfo=dt.UTC).isoformat()
    who = ('Dr "Quote" Ünïcødé \\ 名前', "os\tuser", "ws\u2028\x00")
    events = [("patient_created", 1, None, "demo"), ("encounter_created", 1, 2, 'déjà "vu"\n'),
              ("demo_loaded", None, None, ""), ("x", 2**40, 0, "\ud7ff\U0001f600")]
    expected, previous = [], GENESIS_HASH
    for event in events:
        previous = audit_hash_of(previous, at, *who, *event)
        expected.append(previous)
    assert list(audit_chain(GENESIS_HASH, at, *who, events)) == expected
    assert list(audit_chain('x"y', at, *who, events[:1])) == [audit_hash_of('x"y', at, *who, *events[0])]


def _check_demo_audited(store: Store, raw_engine: sa.Engine) -> tuple[int, int]:
    """Every stored patient and encounter has exactly one creating audit row; returns the counts."""
    with raw_engine.connect() as conn:
        patients = conn.execute(sa.text("SELECT id FROM patient")).scalars().all()
        encounters = conn.execute(sa.text("SELECT id, patient_id FROM encounter")).all()
        created = conn.execute(sa.text("SELECT patient_id, encounter_id, action, detail FROM audit_event "
                                       "WHERE action IN ('patient_created', 'encounter_created')")).all()
    assert sorted(r[0] for r in created if r[2] == "patient_created") == sorted(patients)
    assert sorted((r[1], r[0]) for r in created if r[2] == "encounter_created") == sorted(map(tuple, encounters))
    assert {split_pins(r[3])[0] for r in created} <= {"demo", ""}
    # Each creating row pins its patient (models/pins.py).
    assert sorted(split_pins(r[3])[1][0][1] for r in created if r[2] == "patient_created") == sorted(patients)
    assert store.verify() == []
    return len(patients), len(encounters)


def test_demo_goes_through_the_audited_path(store: Store, raw_engine: sa.Engine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models.maintenance, "CHUNK", 16)
    monkeypatch.setattr(models.maintenance, "PG_CHUNK", 16)
    seen: list[tuple[str, int, int]] = []
    assert store.load_demo(40, 90, ACTOR, progress=lambda *a: seen.append(a)) == (40, 90)
    assert seen == [("patients", 16, 40), ("patients", 32, 40), ("patients", 40, 40),
                    *[("encounters", n, 90) for n in (16, 32, 48, 64, 80, 90)]]
    assert _check_demo_audited(store, raw_engine) == (40, 90)
    events = store.audit_events(limit=10_000)
    assert len(events) == 40 + 90 + 9  # one per record, and one per chunk naming the chunk
    chunk_rows = [e for e in events if e["action"] == "demo_loaded"]
    assert [e["detail"] for e in chunk_rows[:3]] == ["demo patients 1-16 of 40", "demo patients 17-32 of 40",
                                                     "demo patients 33-40 of 40"]
    assert all(e["clinician"] == ACTOR.clinician and e["workstation"] == ACTOR.workstation for e in events)
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    demo = store.find_patients("testpatient", limit=500)
    assert len(demo) == 40 and all(p.version == 1 and p.mrn.startswith("DEMO-") for p in demo)
    for patient in demo[:5]:
        assert [e["action"] for e in store.audit_events(patient_id=patient.id)][0] == "patient_created"
    # A demo patient is edited like any other.
    first = demo[0]
    assert store.update_patient(first.id, first.to_patient(), ACTOR, expected_version=1).version == 2
    assert store.verify() == []


def test_demo_with_accounts_needs_an_active_account(store: Store) -> None:
    store.create_clinician("Dr Ada Example", "a long enough password", None)
    from models.records import AccountError

    with pytest.raises(AccountError):
        store.load_demo(3, 3, OTHER)
    assert store.find_patients("testpatient") == []


@pytest.mark.parametrize("where", ["mid_chunk", "between_chunks"])
def test_an_interrupted_demo_leaves_only_whole_audited_chunks(store: Store, raw_engine: sa.Engine,
                                                              monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Stopped part-way, the load leaves whole chunks, each record with its audit row; on
    PostgreSQL the id sequences are past every row, so the next patient and encounter go in."""
    import models.transactions

    before = store.create_patient(JANE, ACTOR)
    monkeypatch.setattr(models.maintenance, "CHUNK", 10)
    monkeypatch.setattr(models.maintenance, "PG_CHUNK", 10)

    class Interrupted(Exception):
        pass

    if where == "mid_chunk":
        # The third chunk's rows are in its transaction when its audit rows fail to go in (on
        # PostgreSQL they go in with the commit, in one message: models/audit_commit.py).
        import models.audit_commit

        module, name = (models.transactions, "_append_audit_rows") if store.is_sqlite else (models.audit_commit, "run")
        real = getattr(module, name)
        calls = []

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            if len(calls) == 3:
                raise Interrupted("power cut")
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, failing)
        progress = None
        expected = (1 + 20, 0)
    else:
        def progress(stage: str, done: int, total: int) -> None:
            if stage == "encounters" and done == 20:
                raise Interrupted("closed")
        expected = (1 + 25, 20)

    with pytest.raises(Interrupted):
        store.load_demo(25, 40, ACTOR, progress=progress)
    monkeypatch.undo()
    assert _check_demo_audited(store, raw_engine) == expected
    # The store carries on normally: new ids go past the rows (PostgreSQL sequences never behind).
    after = store.create_patient(Patient("N-1", "Next", "Nora", dt.date(1980, 1, 1), "female"), ACTOR)
    assert after.id > before.id and after.id > max(p.id for p in store.find_patients("testpatient", limit=500))
    draft = store.create_draft(after.id, EncounterInfo(dt.date(2026, 11, 20), "Dr A", "left"), {}, "", ACTOR)
    with raw_engine.connect() as conn:
        assert draft.id > int(conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM encounter "
                                                   "WHERE id <> :i"), {"i": draft.id}).scalar_one())
    store.load_demo(2, 2, ACTOR)  # and a later demo load too
    assert store.verify() == []

