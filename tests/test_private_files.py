"""Files that hold patient data are owner-only; no other file holds any; no temporary copies.

A realistic session through real processes, under a permissive umask (022) and with HOME, the
XDG folders and TMPDIR pointed at empty folders of this test: import a case, export it as JSON
and PDF, render a report, back up, verify, and start the window once (``--smoke-test``, which
writes the settings file and the log). Then:

- the database, its -wal and -shm, the backup and every export are mode 0600, folders KneeCheck
  made are 0700;
- no file except the database and its backup contains the patient's name or MRN (settings, logs,
  caches included), in UTF-8 or UTF-16;
- TMPDIR is still empty: no temporary file with patient data was ever left there.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_case

ROOT = Path(__file__).resolve().parent.parent
FAMILY, GIVEN, MRN = "Zwetschgenbaum", "Philomena", "PRIV-778899"
NOTE = "Knee gave way at the Riverside bakery"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, (args, result.stderr)
    return result


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _holds_patient_data(path: Path) -> bool:
    data = path.read_bytes()
    needles = [text.encode(encoding) for text in (FAMILY, GIVEN, MRN, NOTE) for encoding in ("utf-8", "utf-16-le")]
    return any(needle in data for needle in needles)


@pytest.fixture(name="session", scope="module")
def session_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    tmp_path = tmp_path_factory.mktemp("private")
    home = tmp_path / "home"
    places = {name: home / name for name in ("config", "data", "state", "cache")}
    places["tmp"] = tmp_path / "tmp"
    places["out"] = tmp_path / "out"
    for folder in (home, *places.values()):
        folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KNEECHECK_", "XDG_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(places["config"]), XDG_DATA_HOME=str(places["data"]),
               XDG_STATE_HOME=str(places["state"]), XDG_CACHE_HOME=str(places["cache"]), TMPDIR=str(places["tmp"]),
               KNEECHECK_CLINICIAN="Dr Private", QT_QPA_PLATFORM="offscreen")
    case = places["out"] / "case.json"
    case.write_text(json.dumps(make_case({"slr": "positive"}, notes=NOTE,
                                         patient={"family_name": FAMILY, "given_name": GIVEN, "mrn": MRN})),
                    encoding="utf-8")
    old = os.umask(0o022)  # a typical permissive umask must not leak into any file
    try:
        # No --db: the default database in the user data folder, as on a workstation.
        [encounter_id] = _run(env, "import", str(case)).stdout.split()
        out = places["out"]
        _run(env, "export", encounter_id, "--json", "-o", str(out / "export.json"))
        _run(env, "export", encounter_id, "-o", str(out / "export.pdf"))
        _run(env, "report", str(case), "-o", str(out / "report.pdf"))
        _run(env, "backup", str(out / "backup.db"))
        assert _run(env, "verify").stdout.startswith("all 0 revisions verified")
        _run(env, "--smoke-test")  # the window: writes its settings and log files
    finally:
        os.umask(old)
    return home, places


def test_every_file_with_patient_data_is_owner_only(session: tuple[Path, dict[str, Path]]) -> None:
    _home, places = session
    data_folder = places["data"] / "KneeCheck"
    database = data_folder / "kneecheck.db"
    assert {p.name for p in data_folder.iterdir()} >= {"kneecheck.db"}
    for path in [database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))]:
        if path.exists():  # -wal/-shm exist while a connection is open, and may outlive it
            assert _mode(path) == 0o600, path
    assert _mode(data_folder) == 0o700
    for name in ("export.json", "export.pdf", "report.pdf", "backup.db"):
        path = places["out"] / name
        assert _mode(path) == 0o600, name
        assert _holds_patient_data(path) or name.endswith(".pdf"), name  # PDFs hold it compressed
    assert sorted(p.name for p in places["out"].iterdir()) == [
        "backup.db", "case.json", "export.json", "export.pdf", "report.pdf"]  # no leftover temporary files


def test_settings_logs_and_caches_hold_no_patient_data(session: tuple[Path, dict[str, Path]]) -> None:
    home, places = session
    database = places["data"] / "KneeCheck" / "kneecheck.db"
    allowed = {database, database.with_name("kneecheck.db-wal"), database.with_name("kneecheck.db-shm")}
    written = [p for p in home.rglob("*") if p.is_file()]
    # (The witness log of audit chain heads lives there too: hashes and ids, no patient data, 0600.)
    witness = [p for p in written if p.is_relative_to(places["config"]) and p.name == "witness.log"]
    assert all(_mode(p) == 0o600 for p in witness), witness
    settings = [p for p in written if p.is_relative_to(places["config"]) and p not in witness]
    # A start that changes nothing writes no settings (models/settings.py writes only what changed; the
    # settings a window writes while a draft is open are checked in test_ui_robustness's recovery test).
    assert settings == [], settings
    leaking = [str(p.relative_to(home)) for p in written if p not in allowed and _holds_patient_data(p)]
    assert leaking == []
    logs = [p for p in written if p.suffix == ".log"]
    assert logs, "the window wrote no log: the check above would prove nothing for logs"
    assert all(_mode(p) == 0o600 for p in logs), logs  # error reports are the user's own business


def test_no_temporary_files_are_left(session: tuple[Path, dict[str, Path]]) -> None:
    _home, places = session
    assert list(places["tmp"].iterdir()) == []
