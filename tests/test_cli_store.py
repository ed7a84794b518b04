"""The storage commands as IT staff and scripts use them: import, export, backup, demo."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from models.assessment import assess
from models.case import parse_case
from models.store import Actor, Store
from tests.helpers import CASES_DIR, make_case

ROOT = Path(__file__).resolve().parent.parent


def kneecheck(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "KNEECHECK_CLINICIAN": "Dr Script"}
    env.pop("KNEECHECK_DB", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_import_prints_ids_and_export_gives_the_case_back(db_url: str, tmp_path: Path) -> None:
    files = [CASES_DIR / "cauda_equina.json", CASES_DIR / "l3_radiculopathy.json"]
    result = kneecheck(db_url, "import", *map(str, files))
    assert result.returncode == 0, result.stderr
    ids = [int(line) for line in result.stdout.splitlines()]
    assert len(ids) == 2 and len(set(ids)) == 2
    for encounter_id, path in zip(ids, files, strict=True):
        exported = kneecheck(db_url, "export", str(encounter_id), "--json")
        assert exported.returncode == 0, exported.stderr
        original = json.loads(path.read_text(encoding="utf-8"))
        original["findings"] = {k: v for k, v in original["findings"].items() if v is not None}
        assert json.loads(exported.stdout) == {**original, "notes": original.get("notes", "")}
    out = tmp_path / "case.json"
    assert kneecheck(db_url, "export", str(ids[0]), "--json", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["patient"]["mrn"] == json.loads(files[0].read_text())["patient"]["mrn"]
    assert os.stat(out).st_mode & 0o777 == 0o600
    with Store.open(db_url) as store:
        actions = [(e["action"], e["clinician"]) for e in store.audit_events()]
    assert actions.count(("exported", "Dr Script")) == 3 and ("imported", "Dr Script") in actions


def test_a_bad_case_stores_nothing_and_says_why_in_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kc.db"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(make_case({"slr": "sometimes"})), encoding="utf-8")
    result = kneecheck(db, "import", str(CASES_DIR / "cauda_equina.json"), str(bad))
    assert_one_line_error(result, "bad.json", "findings.slr")
    assert not (tmp_path / "kc.db").exists()  # every file is validated before the database is opened

    assert kneecheck(db, "import", str(CASES_DIR / "cauda_equina.json")).returncode == 0
    same_mrn = json.loads((CASES_DIR / "cauda_equina.json").read_text(encoding="utf-8"))
    stored_birth = same_mrn["patient"]["birth_date"]
    same_mrn["patient"]["birth_date"] = "1990-01-01"
    clash = tmp_path / "clash.json"
    clash.write_text(json.dumps(same_mrn), encoding="utf-8")
    result = kneecheck(db, "import", str(CASES_DIR / "hip_referred.json"), str(clash))
    assert_one_line_error(result, "clash.json", "patient.birth_date", "differs from the stored patient")
    with sqlite3.connect(tmp_path / "kc.db") as conn:  # all or nothing: the good first file is not kept
        assert conn.execute("SELECT COUNT(*) FROM encounter").fetchone() == (1,)
        assert conn.execute("SELECT birth_date FROM patient").fetchall() == [(stored_birth,)]  # never changed
    assert_one_line_error(kneecheck(db, "export", "999", "--json"), "no encounter with id 999")
    assert_one_line_error(kneecheck(db, "export", "1"), "--json")


def test_backup_command_and_its_refusals(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kc.db"
    assert kneecheck(db, "import", str(CASES_DIR / "hip_referred.json")).returncode == 0
    dest = tmp_path / "backup.db"
    result = kneecheck(db, "backup", str(dest))
    assert result.returncode == 0, result.stderr
    assert os.stat(dest).st_mode & 0o777 == 0o600
    with sqlite3.connect(dest) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM encounter").fetchone() == (1,)
    assert_one_line_error(kneecheck(db, "backup", str(dest)), "already exists")
    pg = kneecheck("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "backup", str(tmp_path / "pg.db"))
    assert pg.returncode == 3, pg.stderr  # the database is unreachable: not bad input (tests/test_faults_files.py)
    assert pg.stdout == "" and len(pg.stderr.strip().splitlines()) == 1 and "Traceback" not in pg.stderr
    assert "secret" not in pg.stderr


def test_demo_fills_a_small_database(db_url: str) -> None:
    result = kneecheck(db_url, "demo", "--patients", "50", "--encounters", "200")
    assert result.returncode == 0, result.stderr
    assert "200/200" in result.stderr  # the progress bar
    with Store.open(db_url) as store:
        found = store.find_patients("testpatient", limit=500)
        assert len(found) == 50 and all(p.mrn.startswith("DEMO-") for p in found)
        encounters = [e for p in found for e in store.list_encounters(p.id)]
        assert len(encounters) == 200
        for summary in encounters[:40]:  # reused assessments are the ones these findings get
            record = store.load_encounter(summary.id)
            assert record.assessment == assess(record.to_case()).to_dict()
            assert (summary.direction, summary.urgency) == (record.assessment["direction"], record.assessment["urgency"])
        assert store.verify() == []
        # Ids carry on normally after the bulk load (PostgreSQL sequences moved past it).
        [more] = store.import_cases([parse_case(make_case({"slr": "positive"}))], Actor("Dr Test", "tester", "host"))
        assert more > max(e.id for e in encounters)
