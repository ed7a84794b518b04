"""Idempotent creates (issue 12): a create carries the client's key; a retry finds the first write.

On both engines: a patient, a draft and each imported case stored under a key are stored once
however often the same create is repeated (no second row, no second audit row); the same key with
other content is refused; a save repeated after its reply was lost is the save itself, not a
conflict with itself. The lost replies themselves are in tests/test_faults_network.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from models.case import EncounterInfo, Patient, parse_case
from models.outcomes import KeyReusedError, case_key, new_key
from models.store import Actor, ConflictError, Store, StoreError
from tests.helpers import make_case

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("A-1001", "Doe", "Jane", dt.date(1961, 4, 2), "female")


def _count(raw_engine: sa.Engine, table: str) -> int:
    with raw_engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_a_patient_created_twice_under_one_key_is_stored_once(store: Store, raw_engine: sa.Engine) -> None:
    key = new_key()
    first = store.create_patient(JANE, ACTOR, key=key)
    again = store.create_patient(JANE, ACTOR, key=key)
    assert again == first
    assert _count(raw_engine, "patient") == 1
    assert [e["action"] for e in store.audit_events()] == ["patient_created"]
    with pytest.raises(KeyReusedError, match="already used for a different patient"):
        store.create_patient(dataclasses.replace(JANE, given_name="Janet"), ACTOR, key=key)
    # Another key for the same MRN is a second patient: refused as before.
    with pytest.raises(StoreError, match="already has this MRN"):
        store.create_patient(JANE, ACTOR, key=new_key())
    # Without a key, as before.
    other = store.create_patient(dataclasses.replace(JANE, mrn="A-1002"), ACTOR)
    assert other.id != first.id and store.verify() == []


def test_a_draft_created_twice_under_one_key_is_stored_once(store: Store, raw_engine: sa.Engine) -> None:
    patient = store.create_patient(JANE, ACTOR, key=new_key())
    key = new_key()
    draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "note", ACTOR, key=key)
    # Saved meanwhile (the retry comes later): the key still names the draft as it was created.
    saved = store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "changed", ACTOR)
    again = store.create_draft(patient.id, INFO, {"slr": "positive"}, "note", ACTOR, key=key)
    assert again.id == draft.id and again.version == saved.version and again.notes == "changed"
    assert _count(raw_engine, "encounter") == 1
    assert [e["action"] for e in store.audit_events()] == ["patient_created", "encounter_created", "draft_saved"]
    with pytest.raises(KeyReusedError, match="different encounter"):
        store.create_draft(patient.id, INFO, {"slr": "positive"}, "another note", ACTOR, key=key)
    with pytest.raises(StoreError, match="request key"):
        store.create_draft(patient.id, INFO, {}, "", ACTOR, key="short")
    assert store.create_draft(patient.id, INFO, {}, "", ACTOR).id != draft.id  # no key: a new draft
    assert store.verify() == []


def test_importing_the_same_cases_again_stores_nothing_new(store: Store, raw_engine: sa.Engine) -> None:
    cases = [parse_case(make_case(patient={"mrn": f"IM-{n}"}, notes=f"case {n}")) for n in range(3)]
    keys = [case_key(case) for case in cases]
    assert len(set(keys)) == 3 and keys == [case_key(case) for case in cases]  # derived from content
    ids = store.import_cases(cases, ACTOR, keys=keys)
    audit = len(store.audit_events())
    assert store.import_cases(cases, ACTOR, keys=keys) == ids
    assert len(store.audit_events()) == audit  # nothing at all was written
    assert _count(raw_engine, "encounter") == 3 and _count(raw_engine, "patient") == 3
    # One new case among known ones: only it is stored, the others give their stored ids.
    extra = parse_case(make_case(patient={"mrn": "IM-9"}, notes="new"))
    mixed = store.import_cases([cases[1], extra, cases[0]], ACTOR, keys=[keys[1], case_key(extra), keys[0]])
    assert mixed[0] == ids[1] and mixed[2] == ids[0] and mixed[1] not in ids
    assert _count(raw_engine, "encounter") == 4
    assert store.audit_events()[-1]["detail"] == "1 case file(s); 2 stored before"
    # The same case twice in one import is one record.
    twice = parse_case(make_case(patient={"mrn": "IM-10"}))
    first, second = store.import_cases([twice, twice], ACTOR, keys=[case_key(twice)] * 2)
    assert first == second and _count(raw_engine, "encounter") == 5
    # Without keys, as before: stored again.
    assert store.import_cases(cases[:1], ACTOR)[0] not in ids
    assert store.verify() == []


def test_a_save_repeated_after_it_was_stored_is_not_a_conflict_with_itself(store: Store) -> None:
    patient = store.create_patient(JANE, ACTOR, key=new_key())
    draft = store.create_draft(patient.id, INFO, {}, "", ACTOR, key=new_key())
    saved = store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "mine", ACTOR)
    # The outcome was unknown (OutcomeUnknownError); the window saves the same content, based on
    # the same version, again, saying so: that is the earlier save, stored.
    again = store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "mine", ACTOR, after_unknown=True)
    assert again.version == saved.version == draft.version + 1 and again.notes == "mine"
    assert [e["action"] for e in store.audit_events()].count("draft_saved") == 1
    # Without saying so it is a conflict: another writer saving the same content is not this save.
    with pytest.raises(ConflictError):
        store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "mine", ACTOR)
    # Other content based on the old version is a real conflict, as before.
    with pytest.raises(ConflictError):
        store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "mine", ACTOR, after_unknown=True)


def test_the_database_refuses_a_second_row_with_one_key(store: Store, raw_engine: sa.Engine) -> None:
    """The unique index itself, whatever the store's own look-up does."""
    patient = store.create_patient(JANE, ACTOR, key="key-0001")
    with pytest.raises(sa.exc.IntegrityError), raw_engine.begin() as conn:
        conn.execute(sa.text("UPDATE patient SET request_key = 'key-0001' WHERE id <> :id"), {"id": patient.id})
        conn.execute(sa.text(
            "INSERT INTO patient (mrn, family_name, given_name, birth_date, sex, family_key, given_key, mrn_key, "
            "created_at, updated_at, version, request_key) VALUES ('X-1', 'X', 'X', '1970-01-01', 'male', 'x', 'x', "
            "'x-1', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 'key-0001')"))
