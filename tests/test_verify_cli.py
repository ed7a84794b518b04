"""``main.py verify``: tamper evidence from the command line, on SQLite and PostgreSQL.

The tampering goes around the database's own guards (dropping or disabling the trigger), as
someone with access to the file or a superuser account could.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

import main
from models.case import EncounterInfo, Patient
from models.store import Actor, EncounterRecord, Store

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("V-1001", "Verifyperson", "Jane", dt.date(1961, 4, 2), "female")


@pytest.fixture(autouse=True)
def _encrypted_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the records; the disk warning has its own tests (test_at_rest.py)."""
    from models import at_rest

    monkeypatch.setattr(at_rest, "database_at_rest", lambda path: at_rest.AtRest(at_rest.ENCRYPTED, "test"))


def _history(url: str) -> tuple[EncounterRecord, EncounterRecord, EncounterRecord]:
    """A finalized encounter, its finalized amendment, and an open draft."""
    with Store.open(url) as store:
        patient = store.create_patient(JANE, ACTOR)
        first = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first look", ACTOR)
        first = store.finalize(first.id, first.version, ACTOR)
        second = store.amend(first.id, "wrong knee", ACTOR)
        second = store.save_draft(second.id, second.version, EncounterInfo(INFO.date, INFO.clinician, "right"),
                                  second.findings, second.notes, ACTOR)
        second = store.finalize(second.id, second.version, ACTOR)
        draft = store.create_draft(patient.id, INFO, {}, "still open", ACTOR)
        return first, second, draft


def _verify(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main.main(["--db", url, "verify"])
    out, err = capsys.readouterr()
    return code, out.splitlines(), _without_notes(err)


def _without_notes(err: str) -> str:
    """stderr without verify's notes (information, e.g. amcheck not installed on this server)."""
    return "".join(line for line in err.splitlines(keepends=True) if not line.startswith("kneecheck: note: "))


def _raw(url: str) -> sa.Engine:
    return sa.create_engine(url)


def test_clean_database_verifies_with_one_line(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _history(db_url)
    code, lines, err = _verify(db_url, capsys)
    assert (code, err) == (0, "")
    assert len(lines) == 1 and lines[0].startswith("all 2 revisions verified (2 finalized encounters, "), lines


def test_edited_revision_is_reported_by_encounter_and_exits_1(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    first, second, _draft = _history(db_url)
    engine = _raw(db_url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER trg_encounter_revision_no_update")
        else:
            conn.exec_driver_sql("ALTER TABLE encounter_revision DISABLE TRIGGER trg_encounter_revision_append_only")
        conn.execute(sa.text("UPDATE encounter_revision SET content = REPLACE(content, 'right', 'left') "
                             "WHERE encounter_id = :e"), {"e": second.id})
    engine.dispose()
    code, lines, err = _verify(db_url, capsys)
    assert code == 1 and err == ""
    assert lines and all(f"(encounter {second.id})" in line for line in lines), lines
    assert any("does not match its hash" in line for line in lines)
    assert not any(f"(encounter {first.id})" in line for line in lines)  # the untouched one is not accused


def test_rewritten_finalized_encounter_and_broken_chain_are_reported(db_url: str,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    first, second, _draft = _history(db_url)
    engine = _raw(db_url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER trg_encounter_final_no_update" if sqlite
                             else "ALTER TABLE encounter DISABLE TRIGGER trg_encounter_final")
        conn.execute(sa.text("UPDATE encounter SET notes = 'rewritten later' WHERE id = :e"), {"e": first.id})
        conn.exec_driver_sql("DROP TRIGGER trg_audit_event_no_update" if sqlite
                             else "ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event_append_only")
        audit_id = conn.execute(sa.text("SELECT MIN(id) FROM audit_event WHERE action = 'finalized'")).scalar_one()
        conn.execute(sa.text("UPDATE audit_event SET clinician = 'Dr Nobody' WHERE id = :a"), {"a": audit_id})
    engine.dispose()
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1
    assert lines == [f"revision 1 (encounter {first.id}): the encounter no longer matches its finalized revision",
                     f"audit event {audit_id}: breaks the audit chain (edited, or an earlier row removed)"]


def test_missing_file_is_refused_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/absent.db"
    code, lines, err = _verify(url, capsys)
    assert code == 2 and lines == []
    assert err.count("\n") == 1 and "no database file" in err
    assert list(tmp_path.iterdir()) == []


def test_verify_as_a_real_process(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/kc.db"
    _history(url)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", url, "verify"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("all 2 revisions verified")
    # This machine's disk may or may not be encrypted: at most the one warning line.
    assert result.stderr == "" or (result.stderr.startswith("kneecheck: warning: no disk encryption found")
                                   and result.stderr.count("\n") == 1), result.stderr


def _anchor_from(line: str) -> str:
    anchor = line.rsplit("; anchor ", 1)[1].rstrip(")")
    event, digest = anchor.split(":")
    assert event.isdigit() and len(digest) == 64
    return anchor


def test_anchor_shows_removed_newest_audit_events(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from models.witness import witness_path

    _first, second, _draft = _history(db_url)
    witness_log = witness_path()
    code, lines, _err = _verify(db_url, capsys)
    anchor = _anchor_from(lines[0])
    assert _verify_with(db_url, capsys, anchor)[0] == 0  # nothing changed since: the anchor holds

    engine = _raw(db_url)
    with engine.begin() as conn:  # remove the newest events, around the trigger
        conn.exec_driver_sql("DROP TRIGGER trg_audit_event_no_delete" if engine.dialect.name == "sqlite"
                             else "ALTER TABLE audit_event DISABLE TRIGGER trg_audit_event_append_only")
        conn.exec_driver_sql("DELETE FROM audit_event WHERE id >= (SELECT MAX(id) - 1 FROM audit_event)")
    engine.dispose()
    witness_log.unlink()  # the chain that is left is unbroken, and this workstation's witnesses are gone...
    code, lines, _err = _verify(db_url, capsys)
    # ...but the pins show the last finalizing's audit row gone...
    assert code == 1 and lines == [f"encounter {second.id}: finalized with no audit event (finalized outside "
                                   "KneeCheck)"], lines
    # ...and the anchor shows the removed events themselves.
    code, lines, _err = _verify_with(db_url, capsys, anchor)
    event_id = anchor.split(":")[0]
    assert code == 1 and f"audit event {event_id}: missing or changed since the anchor was taken " \
        "(audit events were removed or rewritten)" in lines, lines


def _verify_with(url: str, capsys: pytest.CaptureFixture[str], anchor: str) -> tuple[int, list[str], str]:
    code = main.main(["--db", url, "verify", "--anchor", anchor])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.mark.parametrize("anchor", ["12", "x:" + "0" * 64, "3:" + "g" * 64, "3:abc"])
def test_malformed_anchor_is_a_one_line_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   anchor: str) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(["--db", f"sqlite:///{tmp_path}/kc.db", "verify", "--anchor", anchor])
    _out, err = capsys.readouterr()
    assert info.value.code == 2 and err.count("\n") == 1 and "ID:HASH" in err
