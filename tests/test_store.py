"""The store on SQLite and on PostgreSQL: round trips, conflicts, finalize, amend, audit, search."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models.assessment import assess
from models.case import CaseError, EncounterInfo, Patient, parse_case
from models.store import Actor, ConflictError, DuplicateMrnError, FinalizedError, NotFoundError, Store, StoreError
from tests.helpers import CASE_NAMES, load_example, make_case

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Bea Second", "tester2", "exam-room-2")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("A-1001", "Doe", "Jane", dt.date(1961, 4, 2), "female")


def _draft(store: Store, findings: dict | None = None, notes: str = "first"):  # type: ignore[no-untyped-def]
    patient = store.create_patient(JANE, ACTOR)
    return store.create_draft(patient.id, INFO, findings or {"slr": "positive", "sensory_changes": "yes"}, notes, ACTOR)


def _actions(store: Store) -> list[str]:
    return [e["action"] for e in store.audit_events()]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_import_then_export_gives_back_the_same_case(store: Store, name: str) -> None:
    raw, _expected = load_example(name)
    case = parse_case(raw)
    [encounter_id] = store.import_cases([case], ACTOR)
    assert store.export_case(encounter_id).to_dict() == case.to_dict()
    record = store.load_encounter(encounter_id)
    assert record.status == "draft" and record.version == 1
    assert record.assessment == assess(case).to_dict()  # the result it was given is stored with it


def test_import_is_all_or_nothing_and_never_changes_a_known_patient(store: Store) -> None:
    first = parse_case(make_case({"slr": "positive"}))
    store.import_cases([first], ACTOR)
    renamed = parse_case(make_case({}, patient={"family_name": "Otherperson"}))
    new_patient = parse_case(make_case({}, patient={"mrn": "T-0002"}))
    with pytest.raises(CaseError) as info:
        store.import_cases([new_patient, renamed], ACTOR, sources=["new.json", "renamed.json"])
    assert info.value.field == "patient.family_name" and "renamed.json" in str(info.value)
    assert "Otherperson" not in str(info.value) and "Testperson" not in str(info.value)
    assert store.find_patients("T-0002") == []  # the first file of the failed import left nothing
    [kept] = store.find_patients("T-0001")
    assert kept.family_name == "Testperson"


def test_stale_save_raises_conflict_and_keeps_the_first_save(db_url: str, store: Store) -> None:
    draft = _draft(store)
    with Store.open(db_url) as second:  # another workstation
        mine = store.load_encounter(draft.id)
        theirs = second.load_encounter(draft.id)
        saved = store.save_draft(mine.id, mine.version, mine.info, {"slr": "negative"}, "first wins", ACTOR)
        assert saved.version == mine.version + 1
        with pytest.raises(ConflictError) as info:
            second.save_draft(theirs.id, theirs.version, theirs.info, {"swelling": "effusion"}, "second", OTHER)
    conflict = info.value
    assert conflict.stored.notes == "first wins" and conflict.stored.version == saved.version
    assert conflict.attempted_notes == "second" and conflict.attempted_findings == {"swelling": "effusion"}
    now = store.load_encounter(draft.id)
    assert (now.notes, now.findings, now.version) == ("first wins", {"slr": "negative"}, saved.version)


def test_conflict_detected_in_the_update_itself(db_url: str, store: Store, raw_engine: sa.Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer commits between the store's version check and its UPDATE (PostgreSQL lets a
    non-store writer in; on SQLite BEGIN IMMEDIATE makes the window impossible, so simulate it there)."""
    import models.encounters as store_module

    draft = _draft(store)
    real = store_module.validated_case

    def interloper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if raw_engine.dialect.name == "sqlite":
            session = sa.orm.object_session(args[0])  # the window cannot exist: bump inside the transaction
            assert session is not None
            session.execute(sa.text("UPDATE encounter SET version = version + 1, notes = 'interloper' WHERE id = :i"),
                            {"i": draft.id})
        else:
            with raw_engine.begin() as conn:
                conn.execute(sa.text("UPDATE encounter SET version = version + 1, notes = 'interloper' WHERE id = :i"),
                             {"i": draft.id})
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "validated_case", interloper)
    with pytest.raises(ConflictError) as info:
        store.save_draft(draft.id, draft.version, draft.info, {"slr": "negative"}, "mine", ACTOR)
    monkeypatch.undo()
    if raw_engine.dialect.name == "postgresql":
        assert info.value.stored.notes == "interloper"
        assert store.load_encounter(draft.id).notes == "interloper"
    else:
        assert store.load_encounter(draft.id).notes == "first"  # the whole transaction rolled back
    assert store.load_encounter(draft.id).findings != {"slr": "negative"}


def test_save_draft_reassesses_and_stores_the_result(store: Store) -> None:
    draft = _draft(store, {"slr": "negative"})
    findings = {"slr": "positive", "sensory_changes": "yes", "femoral_stretch": "positive",
                "joint_line_tenderness": "none", "swelling": "none"}
    saved = store.save_draft(draft.id, draft.version, INFO, findings, "", ACTOR)
    case = parse_case(make_case(findings, patient={"mrn": "A-1001", "family_name": "Doe", "given_name": "Jane",
                                                   "birth_date": "1961-04-02", "sex": "female"},
                                encounter={"date": "2026-11-20", "clinician": "Dr Ada Example", "knee": "left"}))
    expected = assess(case).to_dict()
    assert saved.assessment == expected and store.load_encounter(draft.id).assessment == expected
    [row] = store.list_encounters(draft.patient.id)
    assert (row.direction, row.urgency) == (expected["direction"], expected["urgency"])


def test_bad_content_is_refused_naming_the_field(store: Store) -> None:
    draft = _draft(store)
    with pytest.raises(CaseError) as info:
        store.save_draft(draft.id, draft.version, INFO, {"slr": "maybe"}, "", ACTOR)
    assert info.value.field == "findings.slr"
    early = EncounterInfo(dt.date(1950, 1, 1), "Dr Ada Example", "left")
    with pytest.raises(CaseError) as info:
        store.save_draft(draft.id, draft.version, early, {}, "", ACTOR)
    assert info.value.field == "patient.birth_date"
    assert store.load_encounter(draft.id).version == draft.version


def test_finalized_encounter_refuses_every_change(store: Store, raw_engine: sa.Engine) -> None:
    draft = _draft(store)
    final = store.finalize(draft.id, draft.version, ACTOR)
    assert final.status == "final" and final.finalized_by == ACTOR.clinician
    assert final.finalized_at is not None and final.finalized_at.tzinfo is not None
    with pytest.raises(FinalizedError):
        store.save_draft(final.id, final.version, INFO, {}, "changed", ACTOR)
    with pytest.raises(FinalizedError):
        store.finalize(final.id, final.version, ACTOR)
    for statement in ("UPDATE encounter SET notes = 'tampered' WHERE id = :i", "DELETE FROM encounter WHERE id = :i",
                      "UPDATE encounter_revision SET reason = 'x' WHERE encounter_id = :i",
                      "DELETE FROM encounter_revision WHERE encounter_id = :i"):
        with pytest.raises(sa.exc.DBAPIError, match="cannot be changed"), raw_engine.begin() as conn:
            conn.execute(sa.text(statement), {"i": final.id})
    assert store.load_encounter(final.id).notes == "first"
    assert store.verify() == []


def test_amendment_chain_verifies_and_tampering_shows(store: Store, raw_engine: sa.Engine) -> None:
    first = _draft(store)
    first = store.finalize(first.id, first.version, ACTOR)
    with pytest.raises(CaseError):
        store.amend(first.id, "   ", ACTOR)
    second = store.amend(first.id, "wrong knee recorded", OTHER)
    assert (second.status, second.amends_id, second.amend_reason) == ("draft", first.id, "wrong knee recorded")
    with pytest.raises(StoreError, match="already amended"):
        store.amend(first.id, "again", ACTOR)
    with pytest.raises(StoreError, match="draft"):
        store.amend(second.id, "not final yet", ACTOR)
    second = store.save_draft(second.id, second.version, EncounterInfo(INFO.date, INFO.clinician, "right"),
                              second.findings, second.notes, OTHER)
    second = store.finalize(second.id, second.version, OTHER)
    third = store.amend(second.id, "add a note", ACTOR)
    third = store.finalize(third.id, third.version, ACTOR)

    original = store.load_encounter(first.id)
    assert original.info.knee == "left" and original.amended_by_id == second.id  # the original is kept
    summaries = {s.id: s for s in store.list_encounters(first.patient.id)}
    assert summaries[first.id].amended_by_id == second.id and summaries[third.id].amends_id == second.id
    assert store.verify() == []

    with raw_engine.connect() as conn:
        revisions = conn.execute(sa.text("SELECT id, encounter_id, previous_id, content, content_hash "
                                         "FROM encounter_revision ORDER BY id")).all()
    assert [r.encounter_id for r in revisions] == [first.id, second.id, third.id]
    assert [r.previous_id for r in revisions] == [None, revisions[0].id, revisions[1].id]
    assert len({r.content_hash for r in revisions}) == 3

    # Hand-edit the middle revision, around the trigger, as someone with file or superuser access could.
    sqlite = raw_engine.dialect.name == "sqlite"
    with raw_engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER trg_encounter_revision_no_update" if sqlite
                             else "ALTER TABLE encounter_revision DISABLE TRIGGER trg_encounter_revision_append_only")
        conn.execute(sa.text("UPDATE encounter_revision SET content = REPLACE(content, 'right', 'left') WHERE id = :i"),
                     {"i": revisions[1].id})
    problems = store.verify()
    assert problems == [f"revision {revisions[1].id} (encounter {second.id}): content does not match its hash",
                        f"revision {revisions[1].id} (encounter {second.id}): the encounter no longer matches its "
                        "finalized revision"]


def test_edited_finalized_encounter_no_longer_verifies(store: Store, raw_engine: sa.Engine) -> None:
    draft = _draft(store)
    final = store.finalize(draft.id, draft.version, ACTOR)
    with raw_engine.begin() as conn:
        if raw_engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER trg_encounter_final_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE encounter DISABLE TRIGGER trg_encounter_final")
        conn.execute(sa.text("UPDATE encounter SET notes = 'rewritten later' WHERE id = :i"), {"i": final.id})
    assert store.verify() == [f"revision 1 (encounter {final.id}): the encounter no longer matches its finalized revision"]


def test_every_action_is_audited_and_the_audit_cannot_be_changed(store: Store, raw_engine: sa.Engine) -> None:
    patient = store.create_patient(JANE, ACTOR)
    store.update_patient(patient.id, Patient("A-1001", "Doe", "Janet", JANE.birth_date, "female"), ACTOR,
                         expected_version=patient.version)
    draft = store.create_draft(patient.id, INFO, {}, "", ACTOR)
    draft = store.save_draft(draft.id, draft.version, INFO, {"slr": "positive"}, "", ACTOR)
    final = store.finalize(draft.id, draft.version, ACTOR)
    amendment = store.amend(final.id, "typo", OTHER)
    store.record_event("printed", ACTOR, encounter_id=final.id)
    events = store.audit_events()
    assert [e["action"] for e in events] == ["patient_created", "patient_updated", "encounter_created", "draft_saved",
                                             "finalized", "amended", "printed"]
    assert [e["encounter_id"] for e in events] == [None, None, draft.id, draft.id, draft.id, amendment.id, final.id]
    assert all(e["patient_id"] == patient.id for e in events)
    assert events[1]["detail"] == "changed: given_name"
    assert events[5]["clinician"] == OTHER.clinician and events[5]["workstation"] == OTHER.workstation
    assert all(e["at"].tzinfo is not None and e["at"].utcoffset() == dt.timedelta(0) for e in events)

    for statement in ("UPDATE audit_event SET detail = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(sa.exc.DBAPIError, match="audit_event rows cannot be changed"), raw_engine.begin() as conn:
            conn.exec_driver_sql(statement)
    assert len(store.audit_events()) == 7 and store.verify() == []

    # A failed change leaves no audit row: the audit is written in the change's own transaction.
    with pytest.raises(FinalizedError):
        store.save_draft(final.id, final.version, INFO, {}, "", ACTOR)
    assert len(store.audit_events()) == 7

    with raw_engine.begin() as conn:  # tamper around the trigger: the hash chain shows it
        if raw_engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER trg_audit_event_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event_append_only")
        conn.execute(sa.text("DELETE FROM audit_event WHERE id = :i"), {"i": events[3]["id"]})
    assert store.verify() == [f"audit event {events[4]['id']}: breaks the audit chain (edited, or an earlier row removed)"]


def test_find_patients_by_name_prefix_mrn_and_birth_date(store: Store) -> None:
    people = [Patient("M-100", "Müller", "Anna", dt.date(1950, 5, 6), "female"),
              Patient("M-101", "Mueller", "Bernd", dt.date(1960, 7, 8), "male"),
              Patient("X-200", "Smith", "Müge", dt.date(1950, 5, 6), "other"),
              Patient("Z-300", "Иванова", "Мария", dt.date(1970, 1, 1), "female")]
    ids = {p.mrn: store.create_patient(p, ACTOR).id for p in people}
    assert store.find_patients("") == [] and store.find_patients("   ") == []
    assert [p.mrn for p in store.find_patients("MUL")] == ["M-100"]  # accent and case ignored
    assert [p.mrn for p in store.find_patients("mu")] == ["M-101", "M-100", "X-200"]  # family or given name
    assert [p.mrn for p in store.find_patients("m-1")] == ["M-101", "M-100"]
    assert [p.mrn for p in store.find_patients("1950-05-06")] == ["X-200", "M-100"] or \
        [p.mrn for p in store.find_patients("1950-05-06")] == ["M-100", "X-200"]
    assert [p.mrn for p in store.find_patients("иван")] == ["Z-300"]
    assert [p.mrn for p in store.find_patients("müller, a")] == ["M-100"]
    assert [p.mrn for p in store.find_patients("mu", limit=1)] == ["M-101"]
    assert store.find_patients("nobody") == []
    assert store.get_patient(ids["Z-300"]).family_name == "Иванова"
    with pytest.raises(NotFoundError):
        store.get_patient(999_999)


def test_patient_rules(store: Store) -> None:
    patient = store.create_patient(JANE, ACTOR)
    with pytest.raises(DuplicateMrnError) as duplicate:
        store.create_patient(Patient("A-1001", "Else", "Someone", dt.date(1990, 1, 1), "male"), ACTOR)
    assert duplicate.value.field == "mrn" and "A-1001" not in str(duplicate.value)
    with pytest.raises(CaseError) as info:
        store.create_patient(Patient("B-1", "", "x", dt.date(1990, 1, 1), "male"), ACTOR)
    assert info.value.field == "patient.family_name"
    store.create_draft(patient.id, INFO, {}, "", ACTOR)
    with pytest.raises(CaseError) as info:  # born after an existing encounter: refused
        store.update_patient(patient.id, Patient("A-1001", "Doe", "Jane", dt.date(2026, 11, 21), "female"), ACTOR,
                             expected_version=patient.version)
    assert info.value.field == "patient.birth_date"
    assert store.get_patient(patient.id).birth_date == JANE.birth_date


def test_times_are_utc_and_listing_is_newest_first(store: Store) -> None:
    patient = store.create_patient(JANE, ACTOR)
    older = store.create_draft(patient.id, EncounterInfo(dt.date(2025, 1, 1), "Dr A", "left"), {}, "", ACTOR)
    newer = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 1, 1), "Dr A", "both"), {}, "", ACTOR)
    assert [s.id for s in store.list_encounters(patient.id)] == [newer.id, older.id]
    loaded = store.load_encounter(older.id)
    assert loaded.created_at.utcoffset() == dt.timedelta(0)
    assert abs(loaded.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_database_errors_carry_no_patient_data(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import models.patients as store_module

    store.create_patient(JANE, ACTOR)
    engine = store._engine  # the store's own engine: hide_parameters must be on
    with pytest.raises(sa.exc.IntegrityError) as raw, engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO patient (mrn, family_name, given_name, birth_date, sex, family_key, given_key,"
                             " mrn_key, created_at, updated_at) VALUES (:m, :f, :g, :b, 'female', 'k', 'k', 'k', :t, :t)"),
                     {"m": "A-1001", "f": "Secretname", "g": "Hidden", "b": dt.date(1961, 4, 2),
                      "t": dt.datetime(2026, 1, 1)})
    assert "parameters hidden" in str(raw.value) and "Secretname" not in str(raw.value)
    # PostgreSQL's own DETAIL line repeats the key value; the store passes on only the first line.
    monkeypatch.setattr(store_module, "refuse_duplicate_mrn", lambda session, mrn: None)
    with pytest.raises(StoreError) as info:
        store.create_patient(Patient("A-1001", "Secretname", "Hidden", dt.date(1990, 1, 1), "male"), ACTOR)
    assert isinstance(info.value, DuplicateMrnError)  # the constraint decided: said as the check before it would
    assert not any(secret in str(info.value) for secret in ("A-1001", "Secretname", "Hidden", "1990"))
    assert info.value.__suppress_context__


def test_record_event_checks_its_targets(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.record_event("viewed", ACTOR, encounter_id=424242)
    with pytest.raises(StoreError):
        store.record_event("Not An Action!", ACTOR)
    assert _actions(store) == []
