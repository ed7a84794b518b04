"""``restore BACKUP``: a verified backup replaces the SQLite database and the current one is kept;
a bad backup (missing, not SQLite, not KneeCheck's, tampered with) changes nothing, exit 2."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

import main
from models.case import EncounterInfo, Patient
from models.store import Actor, Store

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("R-4001", "Doe", "Jane", dt.date(1961, 4, 2), "female")
LATER = Patient("R-4002", "Roe", "Later", dt.date(1970, 1, 1), "male")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(name="clinic")
def clinic_fixture(tmp_path: Path) -> tuple[Path, Path]:
    """A database with a finalized encounter, its backup, then a later patient only in the database."""
    db = tmp_path / "kneecheck.db"
    backup = tmp_path / "monday.db"
    with Store.open(f"sqlite:///{db}") as store:
        patient = store.create_patient(JANE, ACTOR)
        draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first", ACTOR)
        store.finalize(draft.id, draft.version, ACTOR)
        store.backup(str(backup), ACTOR)
        store.create_patient(LATER, ACTOR)
    return db, backup


def _restore(db: Path, backup: Path) -> int:
    return main.main(["--db", f"sqlite:///{db}", "restore", str(backup), "--clinician", ACTOR.clinician])


def _files(folder: Path) -> set[str]:
    """The folder's files, without the test's own workstation settings folder (where the witness log
    of the audit chain heads lives: $XDG_CONFIG_HOME is tmp_path/settings in every test)."""
    return {p.name for p in folder.iterdir() if p.name != "settings"}


def test_a_verified_backup_replaces_the_database_and_the_current_one_is_kept(
        clinic: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, backup = clinic
    backup_before = _digest(backup)
    assert _restore(db, backup) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"restored {db} from {backup} (1 revisions and ")
    [kept] = [p for p in db.parent.iterdir() if ".before-restore-" in p.name]
    assert f"kept as {kept}" in out
    assert _files(db.parent) == {db.name, backup.name, kept.name}  # no copy left behind
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600 and stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert _digest(backup) == backup_before  # the backup itself is never written to
    with Store.open(f"sqlite:///{db}") as restored:
        assert restored.patient_by_mrn("R-4001") is not None
        assert restored.patient_by_mrn("R-4002") is None  # the later patient is not in Monday's backup
        assert restored.verify() == []
        last = restored.audit_events()[-1]
        assert (last["action"], last["clinician"]) == ("restored", ACTOR.clinician)
        assert last["detail"] == f"from {backup.name}; the database it replaced kept as {kept.name}"
    with Store.open(f"sqlite:///{kept}") as previous:  # nothing lost: the replaced database, whole
        assert previous.patient_by_mrn("R-4002") is not None
        assert previous.audit_events()[-1]["action"] == "backed_up"
        assert previous.verify() == []


def test_a_tampered_backup_changes_nothing(clinic: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, backup = clinic
    conn = sqlite3.connect(backup)
    conn.execute("DROP TRIGGER trg_encounter_revision_no_update")
    conn.execute("UPDATE encounter_revision SET content = replace(content, 'positive', 'negative')")
    conn.commit()
    conn.close()
    before, names = _digest(db), _files(db.parent)
    assert _restore(db, backup) == 2
    err = capsys.readouterr().err
    assert f"{backup} does not verify (revision 1 (encounter 1): content does not match its hash" in err
    assert "nothing was changed" in err
    assert _digest(db) == before and _files(db.parent) == names


@pytest.mark.parametrize("content, refusal", [
    (None, "there is no backup file at"),
    (b"these are not the droids\n" * 100, "is damaged or not a SQLite database"),
    ("other-sqlite", "is not a KneeCheck database"),
    ("newer", "which this KneeCheck does not know"),
])
def test_a_bad_backup_changes_nothing(clinic: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      content: bytes | str | None, refusal: str) -> None:
    db, backup = clinic
    bad = tmp_path / "bad.db"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content == "other-sqlite":
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    elif content == "newer":
        bad.write_bytes(backup.read_bytes())
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before, names = _digest(db), _files(db.parent)
    assert _restore(db, bad) == 2
    assert refusal in capsys.readouterr().err
    assert _digest(db) == before and _files(db.parent) == names


def test_a_database_in_use_is_not_replaced(clinic: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, backup = clinic
    with Store.open(f"sqlite:///{db}") as other_workstation:
        other_workstation.find_patients("Doe")  # its connection is open: the -wal file is there
        assert Path(f"{db}-wal").exists()
        assert _restore(db, backup) == 3
        assert "open in another KneeCheck" in capsys.readouterr().err
        assert other_workstation.patient_by_mrn("R-4002") is not None
    assert not [p for p in db.parent.iterdir() if ".before-restore-" in p.name or ".restoring-" in p.name]


def test_a_damaged_database_is_kept_as_it_is_and_replaced(clinic: tuple[Path, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    db, backup = clinic
    data = bytearray(db.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page: quick_check fails
    db.write_bytes(bytes(data))
    damaged = _digest(db)
    assert _restore(db, backup) == 0, capsys.readouterr().err
    kept_files = sorted(p.name for p in db.parent.iterdir() if ".before-restore-" in p.name)
    [kept] = [db.parent / name for name in kept_files if name.endswith(".bak")]
    assert _digest(kept) == damaged  # kept byte for byte, for an expert (with its -wal and -shm if any)
    assert set(kept_files) <= {kept.name, f"{kept.name}-wal", f"{kept.name}-shm"}
    with Store.open(f"sqlite:///{db}") as restored:
        assert restored.verify() == [] and restored.patient_by_mrn("R-4001") is not None


def test_postgresql_is_restored_on_the_server(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    backup.write_bytes(b"x")
    assert main.main(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "restore", str(backup)]) == 2
    assert "pg_restore" in capsys.readouterr().err
