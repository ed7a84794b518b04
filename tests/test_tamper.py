"""The tamper suite: what someone with write access to the database does, and what ``verify`` says.

Every tampering here is plain SQL through a raw engine (the ``raw_engine`` fixture), around the
database's own guards as the file's owner or a PostgreSQL superuser could: on SQLite the triggers
are dropped (foreign keys are off on a plain connection anyway), on PostgreSQL the session runs with
``session_replication_role = replica`` (no trigger and no foreign-key check fires). Each case is
detected with the exact problem ``verify`` prints.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

import main
from models.case import EncounterInfo, Patient
from models.hashing import GENESIS_HASH, audit_hash_of, canonical_json, sha256_hex
from models.pins import PIN_MARK, patient_pin, split_pins
from models.records import revision_fingerprint
from models.store import Actor, EncounterRecord, Store
from models.witness import read_heads, witness_path

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("T-1001", "Tamperperson", "Jane", dt.date(1961, 4, 2), "female")
JOHN = Patient("T-1002", "Otherperson", "John", dt.date(1970, 1, 9), "male")


@pytest.fixture(autouse=True)
def _encrypted_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the records; the disk warning has its own tests (test_at_rest.py)."""
    from models import at_rest

    monkeypatch.setattr(at_rest, "database_at_rest", lambda path: at_rest.AtRest(at_rest.ENCRYPTED, "test"))


def _verify(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str], list[str]]:
    code = main.main(["--db", url, "verify", *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), [line for line in err.splitlines() if not line.startswith("kneecheck: note: amcheck")]


def _final(store: Store, patient: Patient = JANE) -> EncounterRecord:
    created = store.create_patient(patient, ACTOR)
    draft = store.create_draft(created.id, INFO, {"slr": "positive"}, "first look", ACTOR)
    return store.finalize(draft.id, draft.version, ACTOR)


def _attack(engine: sa.Engine, *statements: tuple[str, dict[str, object]]) -> None:
    """Run ``statements`` as an attacker with write access: past every trigger and foreign key."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all():
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        else:
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            conn.execute(sa.text(sql), params)


def _audit_id(engine: sa.Engine, action: str, **where: int) -> int:
    clause = "".join(f" AND {column} = :{column}" for column in where)
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT MAX(id) FROM audit_event WHERE action = :a{clause}"),
                                {"a": action, **where}).scalar_one())


def test_a_clean_database_verifies_and_the_pins_are_in_the_chain(store: Store, db_url: str, raw_engine: sa.Engine,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    code, lines, err = _verify(db_url, capsys)
    assert (code, err) == (0, []) and lines[0].startswith("all 1 revisions verified"), (lines, err)
    with raw_engine.connect() as conn:
        detail = conn.execute(sa.text("SELECT detail FROM audit_event WHERE action = 'finalized'")).scalar_one()
    text, pins = split_pins(detail)
    assert text == "" and [(kind, ident) for kind, ident, _h in pins] == [("encounter", final.id)]
    # The audit trail shows the detail without its pins.
    assert [e["detail"] for e in store.audit_events() if e["action"] == "finalized"] == [""]


def test_finalized_encounter_rewritten_with_its_revision_and_hash(store: Store, db_url: str, raw_engine: sa.Engine,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Findings, notes, the revision's content and its SHA-256 rewritten together: each hash
    recomputed, so only the pin in the audit chain shows it."""
    final = _final(store)
    with raw_engine.connect() as conn:
        content = conn.execute(sa.text("SELECT content FROM encounter_revision WHERE encounter_id = :e"),
                               {"e": final.id}).scalar_one()
    revision = json.loads(content)
    revision["findings"], revision["notes"] = {"slr": "negative"}, "nothing found"
    forged = canonical_json(revision)
    findings = "CAST(:f AS jsonb)" if raw_engine.dialect.name == "postgresql" else ":f"
    _attack(raw_engine,
            (f"UPDATE encounter SET findings = {findings}, notes = 'nothing found' WHERE id = :e",
             {"f": json.dumps({"slr": "negative"}), "e": final.id}),
            ("UPDATE encounter_revision SET content = :c, content_hash = :h WHERE encounter_id = :e",
             {"c": forged, "h": sha256_hex(forged), "e": final.id}))
    pinned_by = _audit_id(raw_engine, "finalized", encounter_id=final.id)
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [
        f"encounter {final.id}: changed outside KneeCheck: its findings, notes, revision or SHA-256 no longer match "
        f"what audit event {pinned_by} pinned when it was finalized"]


def test_finalized_encounter_deleted(store: Store, db_url: str, raw_engine: sa.Engine,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    _final(store, JOHN)  # another patient's, untouched
    _attack(raw_engine, ("DELETE FROM encounter_revision WHERE encounter_id = :e", {"e": final.id}),
            ("DELETE FROM encounter WHERE id = :e", {"e": final.id}))
    code, lines, _err = _verify(db_url, capsys)
    missing = f"encounter {final.id}: named by audit events but missing (deleted outside KneeCheck)"
    assert code == 1 and missing in lines, lines
    if raw_engine.dialect.name == "sqlite":  # and foreign_key_check names every audit row left dangling
        with raw_engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id FROM audit_event WHERE encounter_id = :e ORDER BY id"),
                                {"e": final.id}).scalars().all()
        dangling = [f"audit_event row {row}: refers to a missing encounter row (foreign_key_check)" for row in rows]
        assert sorted(lines) == sorted([*dangling, missing]), lines
    else:
        assert lines == [missing]


def test_patient_deleted_with_everything_of_theirs(store: Store, db_url: str, raw_engine: sa.Engine,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    _final(store, JOHN)
    patient = final.patient.id
    _attack(raw_engine, ("DELETE FROM encounter_revision WHERE encounter_id IN "
                         "(SELECT id FROM encounter WHERE patient_id = :p)", {"p": patient}),
            ("DELETE FROM encounter WHERE patient_id = :p", {"p": patient}),
            ("DELETE FROM patient WHERE id = :p", {"p": patient}))
    code, lines, _err = _verify(db_url, capsys)
    records = [line for line in lines if "foreign_key_check" not in line]
    assert code == 1 and records == [
        f"patient {patient}: named by audit events but missing (deleted outside KneeCheck)",
        f"encounter {final.id}: named by audit events but missing (deleted outside KneeCheck)"], lines
    if raw_engine.dialect.name == "sqlite":
        assert any(line.endswith("refers to a missing patient row (foreign_key_check)") for line in lines)


@pytest.mark.parametrize("column, value", [("family_name", "Someoneelse"), ("birth_date", "1999-09-09"),
                                           ("sex", "male"), ("mrn", "T-9999")])
def test_patient_changed_by_plain_sql_with_no_audit_row(store: Store, db_url: str, raw_engine: sa.Engine,
                                                        capsys: pytest.CaptureFixture[str], column: str,
                                                        value: str) -> None:
    final = _final(store)
    patient = final.patient.id
    value_sql = "CAST(:v AS date)" if column == "birth_date" and raw_engine.dialect.name == "postgresql" else ":v"
    _attack(raw_engine, (f"UPDATE patient SET {column} = {value_sql} WHERE id = :p", {"v": value, "p": patient}))
    pinned_by = _audit_id(raw_engine, "patient_created", patient_id=patient)
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"patient {patient}: changed outside KneeCheck: its MRN, name, birth date or sex "
                                   f"no longer match what audit event {pinned_by} pinned"]


def test_pins_count_only_on_rows_whose_action_pins(store: Store, db_url: str, raw_engine: sa.Engine,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A pin typed into some other row's detail (a print's, say) pins nothing: it cannot cover a
    later plain-SQL change."""
    final = _final(store)
    patient = final.patient
    forged = patient_pin(patient.id, patient.mrn, "Someoneelse", patient.given_name, patient.birth_date, patient.sex)
    store.record_event("printed", ACTOR, patient_id=patient.id, detail="x" + PIN_MARK + canonical_json([list(forged)]))
    _attack(raw_engine, ("UPDATE patient SET family_name = 'Someoneelse' WHERE id = :p", {"p": patient.id}))
    pinned_by = _audit_id(raw_engine, "patient_created", patient_id=patient.id)
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"patient {patient.id}: changed outside KneeCheck: its MRN, name, birth date or "
                                   f"sex no longer match what audit event {pinned_by} pinned"]


def test_a_correction_through_kneecheck_is_pinned_anew(store: Store, db_url: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    store.update_patient(final.patient.id, Patient(JANE.mrn, "Tamperperson-Lee", "Jane", JANE.birth_date, "female"),
                         ACTOR, expected_version=final.patient.version)
    assert _verify(db_url, capsys)[0] == 0


def test_password_hash_replaced_with_another_accounts(store: Store, db_url: str, raw_engine: sa.Engine,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    victim = store.create_clinician("Dr Target", "correct horse battery", None)
    signed = store.authenticate("Dr Target", "correct horse battery")
    store.create_clinician("Mallory Example", "mallory's own secret", signed)
    _attack(raw_engine, ("UPDATE clinician SET password_hash = (SELECT password_hash FROM clinician "
                         "WHERE name = 'Mallory Example') WHERE id = :v", {"v": victim.id}))
    pinned_by = _audit_id(raw_engine, "clinician_created")
    with raw_engine.connect() as conn:  # the victim's pin is on the first clinician_created row
        pinned_by = int(conn.execute(sa.text("SELECT MIN(id) FROM audit_event WHERE action = 'clinician_created'"))
                        .scalar_one())
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"clinician account {victim.id}: changed outside KneeCheck: its name, password hash, "
                                   f"disabled state or administrator flag no longer match what audit event {pinned_by} pinned"]


def test_a_renewed_password_hash_is_pinned_by_its_sign_in(store: Store, db_url: str, raw_engine: sa.Engine,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import models.accounts

    account = store.create_clinician("Dr Target", "correct horse battery", None)
    monkeypatch.setattr(models.accounts, "needs_rehash", lambda stored: True)
    store.authenticate("Dr Target", "correct horse battery")  # the hash is made again, and pinned
    assert _verify(db_url, capsys)[0] == 0
    renewed_by = _audit_id(raw_engine, "signed_in")
    _attack(raw_engine, ("UPDATE clinician SET password_hash = 'x' WHERE id = :v", {"v": account.id}))
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"clinician account {account.id}: changed outside KneeCheck: its name, password "
                                   f"hash, disabled state or administrator flag no longer match what audit event {renewed_by} pinned"]


def test_account_changes_through_kneecheck_verify_and_a_re_enabled_account_does_not(
        store: Store, db_url: str, raw_engine: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    store.create_clinician("Dr Target", "correct horse battery", None)
    signed = store.authenticate("Dr Target", "correct horse battery")
    other = store.create_clinician("Dr Other", "another fine password", signed)
    store.change_password("Dr Target", "a brand new password", signed, "correct horse battery")
    store.change_password("Dr Other", "reset by a colleague", signed)
    store.disable_clinician("Dr Other", signed)
    assert _verify(db_url, capsys)[0] == 0
    disabled_by = _audit_id(raw_engine, "clinician_disabled")
    _attack(raw_engine, ("UPDATE clinician SET disabled_at = NULL WHERE id = :o", {"o": other.id}))
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"clinician account {other.id}: changed outside KneeCheck: its name, password "
                                   f"hash, disabled state or administrator flag no longer match what audit event {disabled_by} pinned"]


def test_an_account_added_by_plain_sql_is_reported(store: Store, db_url: str, raw_engine: sa.Engine,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    store.create_clinician("Dr Target", "correct horse battery", None)
    _attack(raw_engine, ("INSERT INTO clinician (name, name_key, password_hash, created_at) SELECT 'Backdoor', "
                         "'backdoor', password_hash, created_at FROM clinician", {}))
    with raw_engine.connect() as conn:
        ident = conn.execute(sa.text("SELECT id FROM clinician WHERE name = 'Backdoor'")).scalar_one()
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"clinician account {ident}: stored with no audit event (added outside KneeCheck)"]


def _rewrite_whole_chain(engine: sa.Engine, patient_id: int, family_name: str) -> None:
    """The attacker's full rewrite: the patient's name changed, its pin recomputed, and every audit
    row's hash recomputed from the first on, so the chain and the pins verify."""
    with engine.connect() as conn:
        patient = conn.execute(sa.text("SELECT mrn, given_name, birth_date, sex FROM patient WHERE id = :p"),
                               {"p": patient_id}).one()
        rows = conn.execute(sa.text("SELECT id, at, clinician, os_user, workstation, action, patient_id, "
                                    "encounter_id, detail FROM audit_event ORDER BY id")).all()
    birth = patient.birth_date if isinstance(patient.birth_date, dt.date) else dt.date.fromisoformat(patient.birth_date)
    forged_pin = patient_pin(patient_id, patient.mrn, family_name, patient.given_name, birth, patient.sex)
    statements: list[tuple[str, dict[str, object]]] = [
        ("UPDATE patient SET family_name = :n WHERE id = :p", {"n": family_name, "p": patient_id})]
    previous = GENESIS_HASH
    for row in rows:
        text, pins = split_pins(row.detail)
        pins = [forged_pin if (kind, ident) == ("patient", patient_id) else (kind, ident, h) for kind, ident, h in pins]
        detail = text + PIN_MARK + canonical_json([list(p) for p in pins]) if pins else row.detail
        at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at).replace(tzinfo=dt.UTC)
        previous = audit_hash_of(previous, at.astimezone(dt.UTC).isoformat(), row.clinician, row.os_user,
                                 row.workstation, row.action, row.patient_id, row.encounter_id, detail)
        statements.append(("UPDATE audit_event SET detail = :d, row_hash = :h WHERE id = :i",
                           {"d": detail, "h": previous, "i": row.id}))
    _attack(engine, *statements)


def test_a_full_rewrite_is_caught_by_the_witness_log(store: Store, db_url: str, raw_engine: sa.Engine,
                                                     capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    final = _final(store)
    _final(store, JOHN)
    log = witness_path()
    heads, bad = read_heads(log)
    assert bad == 0 and len(heads) == 6  # one head per committed change
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    witnessed = {h.row: h for h in heads}
    copy = tmp_path / "other-workstation.log"
    shutil.copyfile(log, copy)

    _rewrite_whole_chain(raw_engine, final.patient.id, "Someoneelse")
    with raw_engine.connect() as conn:
        now = dict(conn.execute(sa.text("SELECT id, row_hash FROM audit_event")).all())
    changed = sorted(row for row, head in witnessed.items() if now.get(row) != head.row_hash)
    assert changed, "the rewrite changed witnessed rows"
    first = witnessed[changed[0]]
    expected = (f"the audit chain was rewritten after {first.at}: row {first.row} had hash {first.row_hash}, "
                f"now {now[first.row]} (seen by this workstation's witness log)")
    more = f" ({len(changed) - 1} more head(s) in this workstation's witness log differ)" if len(changed) > 1 else ""
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [expected + more]

    # Without this workstation's log the rewrite verifies: the chain and the pins are all recomputed...
    log.unlink()
    assert _verify(db_url, capsys)[0] == 0
    log.unlink()  # (that clean verify witnessed the forged head: gone again, as on a workstation that never saw it)
    # ...and another workstation's log, given as an anchor, catches it.
    code, lines, _err = _verify(db_url, capsys, "--anchor", str(copy))
    assert code == 1 and lines == [expected.replace("this workstation's witness log", "the anchor file")
                                   + more.replace("this workstation's witness log", "the anchor file")]


def test_removed_newest_audit_rows_are_caught_by_the_witness_log(store: Store, db_url: str, raw_engine: sa.Engine,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The newest rows removed: the chain that is left is whole, the pins of what is left hold (a
    printed event pins nothing), but this workstation saw those rows."""
    final = _final(store)
    store.record_event("printed", ACTOR, encounter_id=final.id)
    store.record_event("exported", ACTOR, encounter_id=final.id)
    heads = read_heads(witness_path())[0]
    with raw_engine.connect() as conn:
        newest = int(conn.execute(sa.text("SELECT MAX(id) FROM audit_event")).scalar_one())
    _attack(raw_engine, ("DELETE FROM audit_event WHERE id >= :n", {"n": newest - 1}))
    first = next(h for h in heads if h.row == newest - 1)
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines == [f"the audit chain was rewritten after {first.at}: row {first.row} had hash "
                                   f"{first.row_hash}, now missing (seen by this workstation's witness log) "
                                   "(1 more head(s) in this workstation's witness log differ)"]


def test_every_committed_change_leaves_its_head_even_a_draft_save(store: Store) -> None:
    """The PostgreSQL draft save runs in one message of its own (models/pipelined.py): its head too."""
    final = _final(store)
    draft = store.create_draft(final.patient.id, INFO, {}, "", ACTOR)
    before = len(read_heads(witness_path())[0])
    store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, "", ACTOR)
    heads = read_heads(witness_path())[0]
    assert len(heads) == before + 1
    newest = store.audit_anchor()
    assert newest is not None and (heads[-1].row, heads[-1].row_hash) == newest
    assert heads[-1].location == store.witness_location and heads[-1].database == store.audit_identity()


def test_witness_log_failure_never_blocks_a_save(store: Store, db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    log = witness_path()
    log.parent.mkdir(parents=True, exist_ok=True)
    log.mkdir()  # cannot be opened as a file
    with caplog.at_level("WARNING", logger="models.witness"):
        final = _final(store)
    assert store.load_encounter(final.id).status == "final"
    assert any("could not add to the witness log" in r.getMessage() for r in caplog.records)


def test_older_rows_without_pins_are_information_and_pinned_from_then_on(
        store: Store, db_url: str, raw_engine: sa.Engine, capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    # As a database written before pins: every detail without them, the chain as that app wrote it.
    with raw_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, at, clinician, os_user, workstation, action, patient_id, "
                                    "encounter_id, detail FROM audit_event ORDER BY id")).all()
    statements: list[tuple[str, dict[str, object]]] = []
    previous = GENESIS_HASH
    for row in rows:
        detail = split_pins(row.detail)[0]
        at = row.at if isinstance(row.at, dt.datetime) else dt.datetime.fromisoformat(row.at).replace(tzinfo=dt.UTC)
        previous = audit_hash_of(previous, at.astimezone(dt.UTC).isoformat(), row.clinician, row.os_user,
                                 row.workstation, row.action, row.patient_id, row.encounter_id, detail)
        statements.append(("UPDATE audit_event SET detail = :d, row_hash = :h WHERE id = :i",
                           {"d": detail, "h": previous, "i": row.id}))
    _attack(raw_engine, *statements)
    witness_path().unlink()  # that history is older than this workstation's log
    code, lines, err = _verify(db_url, capsys)
    assert code == 0 and lines[0].startswith("all 1 revisions verified")
    assert err == ["kneecheck: note: not pinned (written before KneeCheck pinned its records): 1 patient(s), "
                   "1 finalized encounter(s); they are pinned from their next change on"]
    # The next change pins the patient: a later plain-SQL edit is caught.
    store.update_patient(final.patient.id, JANE, ACTOR, expected_version=final.patient.version)
    _attack(raw_engine, ("UPDATE patient SET given_name = 'Janet' WHERE id = :p", {"p": final.patient.id}))
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and lines[0].startswith(f"patient {final.patient.id}: changed outside KneeCheck"), lines


def test_fingerprint_names_the_revision_and_a_wrong_one_fails(store: Store, db_url: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    final = _final(store)
    fingerprint = revision_fingerprint(final.revision_hash)
    assert fingerprint is not None and len(fingerprint) == 19 and fingerprint.count("-") == 3
    code, lines, _err = _verify(db_url, capsys, "--fingerprint", fingerprint)
    digits = fingerprint.replace("-", "").lower()
    assert code == 0 and lines[1] == f"fingerprint {digits}: encounter {final.id}, revision 1 (SHA-256 " \
        f"{final.revision_hash})"
    wrong = ("0000" if not digits.startswith("0000") else "ffff") + digits[4:]
    code, lines, _err = _verify(db_url, capsys, "--fingerprint", wrong)
    assert code == 1 and lines == [f"fingerprint {wrong}: matches no finalized revision in this database"]


def test_the_printed_summary_carries_the_fingerprint_near_the_signature(store: Store) -> None:
    from pypdf import PdfReader

    from models.records import summary_status
    from reports.summary import render_summary

    final = _final(store)
    status = summary_status(final)
    assert status["fingerprint"] == revision_fingerprint(final.revision_hash)
    case = {"format": "kneecheck-case/1", "patient": {"mrn": JANE.mrn, "family_name": JANE.family_name,
                                                      "given_name": JANE.given_name,
                                                      "birth_date": JANE.birth_date.isoformat(), "sex": JANE.sex},
            "encounter": {"date": INFO.date.isoformat(), "clinician": INFO.clinician, "knee": INFO.knee},
            "findings": final.findings, "notes": final.notes}
    pdf = render_summary(case, final.assessment, status=status, invariant=True)
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Fingerprint: {status['fingerprint']}" in text
    assert text.index("Signature:") < text.index("Fingerprint:")
    draft = store.create_draft(final.patient.id, INFO, {}, "", ACTOR)
    assert summary_status(draft)["fingerprint"] is None


# --- the database's own checks ---------------------------------------------------------------------

@pytest.mark.engines("sqlite")
def test_a_corrupted_sqlite_index_fails_verify(store: Store, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes written into one page of an index (found from sqlite_master.rootpage and the page size;
    no PRAGMA writable_schema): integrity_check finds it and verify fails with exit 3, as for any
    damaged database."""
    for n in range(300):
        store.create_patient(Patient(f"C-{n:04d}", f"Indexperson{n:03d}", "Ann", dt.date(1980, 1, 1), "female"), ACTOR)
    path = Path(store.sqlite_file or "")
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        name, root = conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = 'patient' AND sql LIKE '%family_key%'").fetchone()
    conn.close()
    with path.open("r+b") as handle:  # the index's root page: its cells, past the page header
        handle.seek((root - 1) * page_size + 100 if root == 1 else (root - 1) * page_size + 12)
        handle.write(b"\xff" * 64)
    code, lines, err = _verify(db_url, capsys)
    assert (code, lines) == (3, []) and len(err) == 1, (name, lines, err)
    assert err[0].startswith("kneecheck: error: the database file is damaged (integrity_check: ") and \
        "nothing was written to it" in err[0], err


@pytest.mark.engines("postgresql")
def test_postgres_amcheck_runs_where_installed_and_is_said_skipped_otherwise(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """In a database of its own (an extension is database-wide): amcheck installed there by the
    test, never by verify."""
    import secrets

    from tests.conftest import PG_DATABASE, PG_HOST, PG_PORT, postgres_user

    user = postgres_user()[0]
    name = f"kc_amcheck_{secrets.token_hex(4)}"
    admin = sa.create_engine(f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{name}"
    try:
        with Store.open(url) as store:
            _final(store)
        code = main.main(["--db", url, "verify"])
        _out, err = capsys.readouterr()
        assert code == 0 and "kneecheck: note: amcheck not installed: index check skipped" in err.splitlines()
        db = sa.create_engine(url)
        with db.begin() as conn:
            conn.exec_driver_sql("CREATE EXTENSION amcheck")
        db.dispose()
        code = main.main(["--db", url, "verify"])
        out, err = capsys.readouterr()
        notes = [line for line in err.splitlines() if "amcheck" in line]
        assert code == 0 and len(notes) == 1 and notes[0].startswith("kneecheck: note: amcheck: "), (out, err)
        assert int(notes[0].split()[3]) >= 5  # the primary keys and indexes of KneeCheck's tables
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


# --- verify is read-only -------------------------------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.engines("sqlite")
def test_a_read_only_copy_verifies_and_nothing_is_written(store: Store, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _final(store)
    source = Path(store.sqlite_file or "")
    store.close()
    media = tmp_path / "media"
    media.mkdir()
    copy = media / "copy.db"
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    copy.chmod(0o444)
    media.chmod(0o555)
    try:
        before = _files(media)
        code, lines, _err = _verify(f"sqlite:///{copy}", capsys)
        assert code == 0 and lines[0].startswith("all 1 revisions verified"), lines
        assert _files(media) == before  # not a byte, not a -wal or -shm
        # The connection verify reads through cannot write, even as root.
        with Store.open_read_only(f"sqlite:///{copy}") as ro, pytest.raises(sa.exc.OperationalError, match="readonly"), \
                ro._engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM audit_event")
    finally:
        media.chmod(0o755)


@pytest.mark.engines("postgresql")
def test_postgres_is_read_in_read_only_transactions(store: Store, db_url: str) -> None:
    _final(store)
    with Store.open_read_only(db_url) as ro, pytest.raises(sa.exc.DBAPIError, match="read-only transaction"), \
            ro._engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_event")


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_an_older_schema_is_reported_not_upgraded(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from models import migrate
    from models.database import resolve_url

    migrate.upgrade(resolve_url(db_url), "0004_patient_version")
    engine = sa.create_engine(db_url)
    code, lines, err = _verify(db_url, capsys)
    with engine.connect() as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
    engine.dispose()
    assert (code, lines, revision) == (3, [], "0004_patient_version")
    assert len(err) == 1 and "schema at revision 0004_patient_version, this KneeCheck expects " \
        f"{migrate.HEAD_REVISION}: run the app" in err[0], err


def test_a_database_that_is_not_kneechecks_is_said_so_and_left_alone(db_url: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE inventory (id INTEGER PRIMARY KEY, item TEXT)")
    engine.dispose()
    code, lines, err = _verify(db_url, capsys)
    assert (code, lines) == (3, []) and len(err) == 1 and "not a KneeCheck database" in err[0], err
    assert _tables(db_url) == {"inventory"}  # nothing created
    assert not witness_path().exists()


@pytest.mark.engines("sqlite")
def test_an_empty_file_is_not_a_kneecheck_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, lines, err = _verify(f"sqlite:///{empty}", capsys)
    assert (code, lines) == (3, []) and "not a KneeCheck database" in err[0], err
    assert empty.stat().st_size == 0 and sorted(os.listdir(tmp_path)) == ["empty.db"]


def test_an_account_made_administrator_by_plain_sql_is_detected(store: Store, db_url: str, raw_engine: sa.Engine,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An administrator may unlock accounts and add administrators: the flag is pinned too."""
    first = store.create_clinician("Dr Target", "correct horse battery", None)
    signed = store.authenticate("Dr Target", "correct horse battery")
    mallory = store.create_clinician("Mallory Example", "mallory's own secret", signed)
    assert not mallory.is_admin and first.is_admin
    _attack(raw_engine, ("UPDATE clinician SET is_admin = :t WHERE id = :v", {"t": True, "v": mallory.id}))
    code, lines, _err = _verify(db_url, capsys)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"clinician account {mallory.id}: changed outside KneeCheck")
