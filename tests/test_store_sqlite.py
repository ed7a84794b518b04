"""What only SQLite has: the file and its modes, PRAGMAs, write locking, the default location, backup."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from models.case import EncounterInfo, Patient
from models.store import Actor, Store, StoreError

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")


def _mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777


def _patient(n: int) -> Patient:
    return Patient(f"S-{n:05d}", "Sqlitetest", f"Person{n}", dt.date(1980, 1, 1), "unknown")


def test_database_wal_and_shm_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a typical permissive umask must not leak into the files
    try:
        with Store.open(f"sqlite:///{tmp_path}/kc.db") as store:
            store.create_patient(_patient(1), ACTOR)
            files = {p.name: _mode(p) for p in tmp_path.iterdir() if p.name != "settings"}  # (the witness log's)
    finally:
        os.umask(old)
    assert files == {"kc.db": 0o600, "kc.db-wal": 0o600, "kc.db-shm": 0o600}


def test_connections_use_wal_foreign_keys_and_durable_commits(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path}/kc.db") as store, store._engine.connect() as conn:
        pragmas = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                   for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")}
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2, "busy_timeout": 10_000}


def test_concurrent_writers_wait_instead_of_failing(tmp_path: Path) -> None:
    """Read-then-write transactions from two stores at once: BEGIN IMMEDIATE makes them queue."""
    url = f"sqlite:///{tmp_path}/kc.db"
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            with Store.open(url) as store:
                for n in range(offset, offset + 15):
                    patient = store.create_patient(_patient(n), ACTOR)
                    draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "", ACTOR)
                    store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "", ACTOR)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    Store.open(url).close()
    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(url) as store:
        assert len(store.find_patients("sqlitetest", limit=500)) == 45
        assert store.verify() == []


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with Store.open(None) as store:
        assert store.sqlite_file == str(tmp_path / "data" / "KneeCheck" / "kneecheck.db")
        assert _mode(Path(store.sqlite_file)) == 0o600


def test_backup_while_another_connection_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/kc.db"
    with Store.open(url) as store:
        first = store.create_patient(_patient(0), ACTOR)
        store.create_draft(first.id, INFO, {"slr": "positive"}, "before the backup", ACTOR)
        stop = threading.Event()
        written: list[int] = []

        def keep_writing() -> None:
            with Store.open(url) as writer:
                n = 1
                while not stop.is_set():
                    writer.create_patient(_patient(n), ACTOR)
                    written.append(n)
                    n += 1

        thread = threading.Thread(target=keep_writing)
        thread.start()
        try:
            while len(written) < 5:  # the writer is really running
                threading.Event().wait(0.01)
            store.backup(str(tmp_path / "copy.db"), ACTOR)
        finally:
            stop.set()
            thread.join()
        with pytest.raises(StoreError, match="already exists"):
            store.backup(str(tmp_path / "copy.db"), ACTOR)
        assert [e["action"] for e in store.audit_events(limit=100_000)].count("backed_up") == 1

    copy = tmp_path / "copy.db"
    assert _mode(copy) == 0o600
    assert not (tmp_path / "copy.db-wal").exists()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT notes FROM encounter").fetchall() == [("before the backup",)]
        patients = conn.execute("SELECT COUNT(*) FROM patient").fetchone()[0]
    assert 1 + 5 <= patients <= 1 + len(written)  # a consistent snapshot taken mid-stream
    with Store.open(f"sqlite:///{copy}") as restored:  # and KneeCheck opens it as it is
        assert restored.verify() == []


def test_postgresql_backup_points_to_pg_dump(tmp_path: Path) -> None:
    store = Store(sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"),
                  sa.make_url("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    with pytest.raises(StoreError, match="pg_dump"):
        store.backup(str(tmp_path / "x.db"), ACTOR)
    assert not (tmp_path / "x.db").exists()


def test_find_patients_uses_indexes(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path}/kc.db") as store, store._engine.connect() as conn:
        for column in ("family_key", "given_key", "mrn_key"):
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT * FROM patient WHERE {column} >= 'mu' AND {column} < 'mv' "
                f"ORDER BY {column}, id LIMIT 50"))
            assert "USING INDEX" in plan and "SCAN patient" not in plan.replace("USING INDEX", ""), plan
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM encounter WHERE patient_id = 1 ORDER BY date DESC, id DESC"))
        assert "ix_encounter_patient_id_date" in plan and "TEMP B-TREE" not in plan, plan
