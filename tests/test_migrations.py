"""Migrations: from empty, the upgrade path with data kept, a newer database refused, rollback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from models import migrate
from models.case import Patient
from models.database import make_engine, resolve_url
from models.schema import Base
from models.store import Actor, PatientConflictError, Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
ACTOR_DR_OLD = Actor("dr old", "tester", "exam-room-1")


def test_head_constant_matches_the_migration_scripts() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_current_head() == migrate.HEAD_REVISION
    history = [rev.revision for rev in scripts.walk_revisions()]  # newest first
    assert tuple(reversed(history)) == migrate.KNOWN_REVISIONS


def _revision(url: str) -> str | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return migrate.database_revision(conn)
    finally:
        engine.dispose()


def test_migration_from_empty_matches_the_models(db_url: str) -> None:
    Store.open(db_url).close()
    assert _revision(db_url) == migrate.HEAD_REVISION
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def _insert_first_revision_data(url: str) -> int:
    """Rows as a KneeCheck at the first schema revision wrote them (plain SQL, no store)."""
    body = json.dumps({"ruleset": "2026.1", "direction": "local", "urgency": "routine"})
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        patient = conn.execute(sa.text(
            "INSERT INTO patient (mrn, family_name, given_name, birth_date, sex, family_key, given_key, mrn_key,"
            " created_at, updated_at) VALUES ('OLD-1', 'Oldtimer', 'Olga', :b, 'female', 'oldtimer', 'olga',"
            " 'old-1', :t, :t) RETURNING id"), {"b": dt.date(1950, 3, 4), "t": dt.datetime(2026, 1, 1, 10)}).scalar_one()
        assessment = conn.execute(sa.text(
            "INSERT INTO assessment (digest, ruleset, body) VALUES (:d, '2026.1', :body) RETURNING id"),
            {"d": hashlib.sha256(body.encode()).hexdigest(), "body": body}).scalar_one()
        encounter = conn.execute(sa.text(
            "INSERT INTO encounter (patient_id, date, knee, clinician, findings, notes, status, ruleset,"
            " assessment_id, direction, urgency, version, created_at, updated_at)"
            " VALUES (:p, :d, 'left', 'Dr Old', :f, 'kept note', 'draft', '2026.1', :a, 'local', 'routine', 1, :t, :t)"
            " RETURNING id"),
            {"p": patient, "a": assessment, "d": dt.date(2026, 1, 5), "f": json.dumps({"swelling": "effusion"}),
             "t": dt.datetime(2026, 1, 5, 9)}).scalar_one()
    engine.dispose()
    return int(encounter)


@pytest.mark.parametrize("start", migrate.KNOWN_REVISIONS[:-1])
def test_upgrade_path_keeps_the_data(db_url: str, tmp_path: Path, start: str) -> None:
    migrate.upgrade(resolve_url(db_url), start)
    assert _revision(db_url) == start
    encounter_id = _insert_first_revision_data(db_url)
    with Store.open(db_url) as store:
        assert _revision(db_url) == migrate.HEAD_REVISION
        record = store.load_encounter(encounter_id)
        assert (record.notes, record.findings, record.patient.family_name) == ("kept note", {"swelling": "effusion"}, "Oldtimer")
        assert [p.mrn for p in store.find_patients("oldt")] == ["OLD-1"]
        store.save_draft(encounter_id, record.version, record.info, {"swelling": "trace"}, "still editable", ACTOR)
        if store.is_sqlite:
            backup = Path(store.migration_backup or "")
            assert backup.parent == tmp_path and os.stat(backup).st_mode & 0o777 == 0o600
            with sqlite3.connect(backup) as old:  # the backup is the database before the migration
                assert old.execute("SELECT version_num FROM alembic_version").fetchone() == (start,)
                assert old.execute("SELECT notes FROM encounter").fetchone() == ("kept note",)
        else:
            assert store.migration_backup is None
        # 0003: accounts work, and once one exists the old rows stay readable and editable by it.
        store.create_clinician("Dr Old", "a long enough password", None)
        record = store.load_encounter(encounter_id)
        store.save_draft(encounter_id, record.version, record.info, {"swelling": "none"}, "by an account", ACTOR_DR_OLD)
        assert store.load_encounter(encounter_id).notes == "by an account"
        # 0004: a patient stored before has version 1; an edit based on it bumps it, a stale one is refused.
        patient = store.load_encounter(encounter_id).patient
        assert patient.version == 1
        corrected = store.update_patient(patient.id, replace(patient.to_patient(), given_name="Olga Maria"), ACTOR_DR_OLD,
                                         expected_version=1)
        assert corrected.version == 2
        with pytest.raises(PatientConflictError):
            store.update_patient(patient.id, patient.to_patient(), ACTOR_DR_OLD, expected_version=1)
        assert store.get_patient(patient.id) == corrected
        # 0005: rows stored before have no request key (any number of them); a keyed create is
        # stored once however often it is repeated.
        from models.outcomes import new_key
        key = new_key()
        keyed = store.create_patient(Patient("NEW-1", "New", "Nina", dt.date(1990, 1, 1), "female"), ACTOR_DR_OLD, key=key)
        assert store.create_patient(keyed.to_patient(), ACTOR_DR_OLD, key=key) == keyed
        store.create_patient(Patient("NEW-2", "New", "Noah", dt.date(1991, 1, 1), "male"), ACTOR_DR_OLD)
        draft = store.create_draft(keyed.id, record.info, {}, "", ACTOR_DR_OLD, key=key)
        assert store.create_draft(keyed.id, record.info, {}, "", ACTOR_DR_OLD, key=key).id == draft.id
        store.create_draft(keyed.id, record.info, {}, "", ACTOR_DR_OLD)
        assert store.verify() == []
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert "ix_audit_event_patient_id_at" in {ix["name"] for ix in sa.inspect(conn).get_indexes("audit_event")}
        assert conn.execute(sa.text("SELECT name FROM clinician")).scalars().all() == ["Dr Old"]
        for table in ("patient", "encounter"):
            assert {ix["name"]: ix["unique"] for ix in sa.inspect(conn).get_indexes(table)}[
                f"uq_{table}_request_key"] in (True, 1)
            keys = conn.execute(sa.text(f"SELECT request_key FROM {table} ORDER BY id")).scalars().all()
            assert keys[0] is None and keys.count(None) >= 2 and len(set(keys) - {None}) == 1
    with pytest.raises(sa.exc.DBAPIError, match="cannot be deleted"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM clinician")
    engine.dispose()


def test_a_newer_database_is_refused_untouched(db_url: str) -> None:
    Store.open(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    engine.dispose()
    with pytest.raises(StoreError, match="newer version.*not changed"):
        Store.open(db_url)
    assert _revision(db_url) == "0099_from_the_future"


def test_a_failed_upgrade_rolls_back_loudly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/broken.db"
    migrate.upgrade(resolve_url(url), "0001_initial")
    raw = sqlite3.connect(tmp_path / "broken.db")
    raw.execute("PRAGMA foreign_keys=OFF")  # an orphan, as a damaged file might hold
    raw.execute("INSERT INTO audit_event (at, clinician, os_user, workstation, action, patient_id, detail, row_hash)"
                " VALUES ('2026-01-01 00:00:00.000000', 'x', 'x', 'x', 'viewed', 4242, '', 'x')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="rolled back.*broken foreign key"):
        Store.open(url)
    assert _revision(url) == "0001_initial"
    engine = make_engine(resolve_url(url))
    with engine.connect() as conn:
        assert "ix_audit_event_patient_id_at" not in {ix["name"] for ix in sa.inspect(conn).get_indexes("audit_event")}
    engine.dispose()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/current.db"
    Store.open(url).close()
    code = ("import sys; from models.store import Store; s = Store.open(sys.argv[1]); s.close(); "
            "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))")
    out = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_workstations_starting_together_on_an_empty_database_all_open(db_url: str) -> None:
    """Four workstations start at once on a new schema: one migrates, the others wait and open it."""
    from concurrent.futures import ThreadPoolExecutor

    def open_and_count(_n: int) -> str:
        store = Store.open(db_url)
        try:
            return str(len(store.find_patients("x")))
        finally:
            store.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(open_and_count, range(4)))
    assert results == ["0"] * 4
    engine = make_engine(resolve_url(db_url))
    try:
        with engine.connect() as conn:
            assert migrate.database_revision(conn) == migrate.HEAD_REVISION
    finally:
        engine.dispose()
