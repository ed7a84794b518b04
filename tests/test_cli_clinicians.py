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
         *more: str, password: str = PASSWORD, by_password: str | None = None) -> tuple[int, str, str]:
    """``clinician add NAME --password-stdin``: standard input holds the --by account's password
    first (when ``by_password`` is given), then the new account's."""
    stdin = ("" if by_password is None else by_password + "\n") + password + "\n"
    return _run(capsys, "--db", db, "clinician", "add", name, "--password-stdin", *more,
                stdin=stdin, monkeypatch=monkeypatch)


def test_first_account_then_later_ones_need_an_active_account(db: str, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert _add(db, capsys, monkeypatch, "Dr Ada Example") == (
        0, "added clinician account Dr Ada Example (an administrator)\n", "")
    code, out, err = _add(db, capsys, monkeypatch, "Dr Bea Second")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "--by NAME" in err
    # An unknown --by and a wrong password get one message: it does not tell whether the name exists.
    code, _out, err = _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "Dr Nobody", by_password=PASSWORD)
    assert (code, err) == (2, "kneecheck: error: --by: the name or the password is not right; nothing was changed\n")
    assert _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "dr ada example", by_password=PASSWORD)[0] == 0
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
    assert _add(db, capsys, monkeypatch, "Dr Bea Second", "--by", "Dr Ada Example", by_password=PASSWORD)[0] == 0

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


@pytest.fixture(name="cheap_hashes")
def cheap_hashes_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters for the in-process commands of tests that count many attempts."""
    from argon2 import PasswordHasher

    from models import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    dummy = cheap.hash("not a password of anyone")
    monkeypatch.setattr(passwords, "hasher", lambda: cheap)
    monkeypatch.setattr("models.accounts.dummy_hash", lambda: dummy)


def test_adding_in_someones_name_needs_their_password(db: str, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _add(db, capsys, monkeypatch, "Dr Target", password="the target's secret")
    # Mallory knows the name, not the password: refused, nothing added, counted as a failed sign-in.
    code, out, err = _add(db, capsys, monkeypatch, "Mallory", "--by", "Dr Target", password="mallory's own pw",
                          by_password="a guess at it")
    assert (code, out) == (2, "") and err == (
        "kneecheck: error: --by: the name or the password is not right; nothing was changed\n")
    # No password at all (standard input is no terminal): refused too, saying how to give one.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _out, err = _run(capsys, "--db", db, "clinician", "add", "Mallory", "--by", "Dr Target")
    assert code == 2 and "--password-stdin" in err
    with Store.open(db) as store:
        assert [c.name for c in store.list_clinicians()] == ["Dr Target"]
        assert store.sign_in_throttle("Dr Target")["failures"] == 1  # type: ignore[index]
        failed = store.audit_events()[-1]
        assert (failed["action"], failed["clinician"], failed["detail"]) == ("sign_in_failed", "Dr Target", "wrong password")
        assert "a guess at it" not in repr(store.audit_events())
    # With the right password it works, and the count is back to zero.
    assert _add(db, capsys, monkeypatch, "Mallory", "--by", "Dr Target", password="mallory's own pw",
                by_password="the target's secret")[:2] == (0, "added clinician account Mallory\n")
    with Store.open(db) as store:
        assert store.sign_in_throttle("Dr Target")["failures"] == 0  # type: ignore[index]
        assert store.audit_events()[-1]["clinician"] == "Dr Target"


def test_on_a_terminal_the_by_password_is_asked_first(db: str, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    _add(db, capsys, monkeypatch, "Dr Ada Example")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    prompts: list[str] = []
    answers = iter([PASSWORD, "bea's password", "bea's password"])

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", ask)
    code, out, _err = _run(capsys, "--db", db, "clinician", "add", "Dr Bea Second", "--by", "dr ada example")
    assert (code, out) == (0, "added clinician account Dr Bea Second\n")
    assert prompts == ["Password of dr ada example: ", "Password for the new account: ", "The same password again: "]
    with Store.open(db) as store:
        assert store.authenticate("Dr Bea Second", "bea's password").clinician == "Dr Bea Second"


@pytest.mark.usefixtures("cheap_hashes")
def test_disable_and_unlock_need_the_password_and_unlock_an_administrator(
        db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from models.accounts import AccountsMixin
    from models.sign_in_policy import POLICY

    # The throttle's clock stands still here: "too soon" must not depend on how fast the commands run.
    frozen = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(AccountsMixin, "clock", staticmethod(lambda: frozen))
    _add(db, capsys, monkeypatch, "Dr Ada Example")
    for name in ("Dr Bea Second", "Dr Cy Third"):
        assert _add(db, capsys, monkeypatch, name, "--by", "Dr Ada Example", by_password=PASSWORD)[0] == 0

    def command(*argv: str, stdin: str) -> tuple[int, str, str]:
        return _run(capsys, "--db", db, "clinician", *argv, "--password-stdin", stdin=stdin + "\n",
                    monkeypatch=monkeypatch)

    code, _out, err = command("add", "Dr Dee", "--admin", "--by", "Dr Bea Second", stdin=PASSWORD + "\n" + PASSWORD)
    assert code == 2 and "only an administrator can add an administrator" in err
    # Wrong passwords from the command line count as failed sign-ins: they lock Cy out too.
    for _ in range(POLICY.free_failures):
        code, _out, err = command("disable", "Dr Bea Second", "--by", "Dr Cy Third", stdin="a wrong guess")
        assert code == 2 and "the name or the password is not right" in err
    code, _out, err = command("disable", "Dr Bea Second", "--by", "Dr Cy Third", stdin=PASSWORD)
    assert code == 2 and "; try again in " in err  # the right password, too soon: not even checked
    with Store.open(db) as store:
        assert store.find_clinician("Dr Bea Second").active  # type: ignore[union-attr]
        assert store.sign_in_throttle("Dr Cy Third")["failures"] == POLICY.free_failures  # type: ignore[index]

    code, _out, err = command("unlock", "Dr Cy Third", "--by", "Dr Bea Second", stdin=PASSWORD)
    assert (code, err) == (2, "kneecheck: error: only an administrator can unlock an account; "
                              "'Dr Bea Second' is not one\n")
    code, _out, err = command("unlock", "Dr Cy Third", "--by", "Dr Ada Example", stdin="a wrong guess")
    assert code == 2 and "the name or the password is not right" in err
    assert command("unlock", "dr cy third", "--by", "Dr Ada Example", stdin=PASSWORD)[:2] == (
        0, "unlocked clinician account Dr Cy Third\n")
    assert command("disable", "Dr Bea Second", "--by", "Dr Cy Third", stdin=PASSWORD)[:2] == (
        0, "disabled clinician account Dr Bea Second\n")
    code, _out, err = command("unlock", "Dr Nobody", "--by", "Dr Ada Example", stdin=PASSWORD)
    assert code == 2 and "no clinician account named 'Dr Nobody'" in err
    with Store.open(db) as store:
        assert not store.find_clinician("Dr Bea Second").active  # type: ignore[union-attr]
        actions = [(e["action"], e["clinician"]) for e in store.audit_events()]
    assert ("account_unlock_refused", "Dr Bea Second") in actions
    assert ("account_unlocked", "Dr Ada Example") in actions
    assert actions[-3:] == [("signed_in", "Dr Cy Third"), ("clinician_disabled", "Dr Cy Third"),
                            ("signed_in", "Dr Ada Example")]


def test_unlock_without_accounts_or_without_by_is_refused(db: str, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = _run(capsys, "--db", db, "clinician", "unlock", "Dr Ada Example", "--password-stdin",
                           stdin="x\n", monkeypatch=monkeypatch)
    assert code == 2 and "no clinician accounts" in err
    _add(db, capsys, monkeypatch, "Dr Ada Example")
    code, _out, err = _run(capsys, "--db", db, "clinician", "disable", "Dr Ada Example", "--password-stdin",
                           stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 2 and "--by NAME" in err


def test_mallory_as_a_real_process_is_refused_without_the_password(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("KNEECHECK_DB", "KNEECHECK_CLINICIAN")}
    db = f"sqlite:///{tmp_path}/kc.db"

    def kneecheck(*argv: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, "clinician", *argv],
                              input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)

    assert kneecheck("add", "Dr Target", "--password-stdin", stdin=PASSWORD + "\n").returncode == 0
    refused = kneecheck("add", "Mallory", "--by", "Dr Target", stdin="")  # no terminal, no --password-stdin
    assert refused.returncode == 2 and "--password-stdin" in refused.stderr
    wrong = kneecheck("add", "Mallory", "--by", "Dr Target", "--password-stdin", stdin="guess one\nmallory pw 1\n")
    assert (wrong.returncode, wrong.stdout) == (2, "") and "not right" in wrong.stderr
    right = kneecheck("add", "Mallory", "--by", "Dr Target", "--password-stdin", stdin=f"{PASSWORD}\nmallory pw 1\n")
    assert (right.returncode, right.stderr) == (0, ""), right.stderr
    assert PASSWORD not in right.stdout + wrong.stderr + refused.stderr
    with Store.open(db) as store:
        assert [c.name for c in store.list_clinicians()] == ["Dr Target", "Mallory"]
