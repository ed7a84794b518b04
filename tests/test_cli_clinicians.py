"""The command line with clinician accounts: ``clinician add``, and writing commands that must name
an active account once the database has accounts (no password: OS access to the database is the
command line's trust boundary)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from models.store import Actor, Store
from tests.helpers import CASES_DIR

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long passphrase"
CASE = str(CASES_DIR / "cauda_equina.json")
OTHER_CASE = str(CASES_DIR / "brisk_reflex_umn_not_assessed.json")  # CASE again would be the stored record


def _run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
         monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(name="db")
def db_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("KNEECHECK_CLINICIAN", raising=False)
    return f"sqlite:///{tmp_path}/kc.db"


def _add(db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str,
         *more: str, password: str = PASSWORD) -> tuple[int, str, str]:
    return _run(capsys, "--db", db, "clinician", "add", name, "--password-stdin", *more,
                stdin=password + "\n", monkeypatch=monkeypatch)


def test_first_account_then_later_ones_need_an_active_account(db: str, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert _add(db, capsys, monkeypatch, "Dr Ada Example") == (0, "added clinician account Dr Ada Example\n", "")
    code, out, err = _add(db, capsys, monkeypatch, "Dr Bea Second")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--by NAME" in err
    code, _out, err = _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "Dr Nobody")
    assert code == 2 and "--by: there is no clinician account named 'Dr Nobody'" in err
    assert _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "dr ada example")[0] == 0
    with Store.open(db) as store:
        assert [c.name for c in store.list_clinicians()] == ["Dr Ada Example", "Dr Bea Second"]
        assert store.audit_events()[-1]["clinician"] == "Dr Ada Example"
        assert store.authenticate("Dr Bea Second", PASSWORD).clinician == "Dr Bea Second"


def test_a_short_password_or_bad_name_is_one_line_naming_it(db: str, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = _add(db, capsys, monkeypatch, "Dr Ada Example", password="short")
    assert (code, out) == (2, "") and err == "kneecheck: error: password: must be at least 8 characters long\n"
    code, _out, err = _add(db, capsys, monkeypatch, "   ")
    assert code == 2 and err == "kneecheck: error: NAME: must not be empty\n"
    with Store.open(db) as store:
        assert not store.has_clinicians()


def test_the_password_is_asked_twice_on_a_terminal(db: str, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = _run(capsys, "--db", db, "clinician", "add", "Dr Ada Example")
    assert code == 2 and "--password-stdin" in err  # no terminal to ask on: say how instead

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    code, _out, err = _run(capsys, "--db", db, "clinician", "add", "Dr Ada Example")
    assert code == 2 and "differ" in err and PASSWORD not in err
    answers = iter([PASSWORD, PASSWORD])
    assert _run(capsys, "--db", db, "clinician", "add", "Dr Ada Example")[0] == 0


def test_writing_commands_must_name_an_active_account(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Before accounts, any name goes (as before accounts existed).
    assert _run(capsys, "--db", db, "import", CASE, "--clinician", "Anyone")[0] == 0
    _add(db, capsys, monkeypatch, "Dr Ada Example")
    _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "Dr Ada Example")

    code, out, err = _run(capsys, "--db", db, "import", CASE, "--clinician", "Anyone")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "--clinician: there is no clinician account named 'Anyone'" in err
    backup = tmp_path / "copy.db"
    code, _out, err = _run(capsys, "--db", db, "backup", str(backup))  # the login name is no account
    assert code == 2 and "--clinician" in err and not backup.exists()

    with Store.open(db) as store:
        store.disable_clinician("Dr Bea Second", Actor("Dr Ada Example", "it", "desk"))
    code, _out, err = _run(capsys, "--db", db, "import", CASE, "--clinician", "Dr Bea Second")
    assert code == 2 and "--clinician: the clinician account 'Dr Bea Second' is disabled" in err

    monkeypatch.setenv("KNEECHECK_CLINICIAN", "DR ADA EXAMPLE")
    code, out, _err = _run(capsys, "--db", db, "import", OTHER_CASE)
    assert code == 0
    with Store.open(db) as store:
        imported = [e for e in store.audit_events() if e["action"] == "imported"]
        assert [e["clinician"] for e in imported] == ["Anyone", "Dr Ada Example"]  # the account's spelling
        assert len(store.export_case(int(out.split()[0])).patient.mrn) > 0


def test_clinician_add_as_a_real_process_keeps_the_password_out_of_every_output(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("KNEECHECK_DB", "KNEECHECK_CLINICIAN")}
    db = f"sqlite:///{tmp_path}/kc.db"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, "clinician", "add", "Dr Ada Example",
                             "--password-stdin"], input=PASSWORD + "\n", capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=60)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert PASSWORD not in result.stdout
    with Store.open(db) as store:
        assert store.authenticate("Dr Ada Example", PASSWORD).clinician == "Dr Ada Example"
        assert PASSWORD not in repr(store.audit_events())
