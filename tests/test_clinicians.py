"""Clinician accounts in the store, on SQLite and PostgreSQL: the first account, sign-in with
audit rows, the password policy, disabling, accounts that cannot be deleted or renamed, and the
per-encounter integrity check the window runs when it opens an encounter.

Each argon2 hash costs about 0.1 s: the tests make only the few they need.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from models import passwords
from models.case import CaseError, EncounterInfo, Patient
from models.store import AccountError, Actor, SignInError, Store, StoreError

ADA_PASSWORD = "knee-joint-line-42"
BEA_PASSWORD = "straight leg raise"
ADA = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
JANE = Patient("C-1001", "Accountperson", "Jane", dt.date(1961, 4, 2), "female")


def _first(store: Store) -> None:
    store.create_clinician("Dr Ada Example", ADA_PASSWORD, None)


def _everything_audited(store: Store) -> str:
    return repr(store.audit_events())


def test_the_first_account_needs_nobody_signed_in_later_ones_do(store: Store) -> None:
    assert not store.has_clinicians()
    first = store.create_clinician("  Dr   Ada Example ", ADA_PASSWORD, None)
    assert (first.name, first.active) == ("Dr Ada Example", True)
    assert store.has_clinicians()
    [event] = store.audit_events()
    assert (event["action"], event["clinician"], event["detail"]) == (
        "clinician_created", "Dr Ada Example", "account Dr Ada Example (the first account, an administrator)")

    with pytest.raises(AccountError, match="signed-in clinician"):
        store.create_clinician("Dr Bea Second", BEA_PASSWORD, None)
    with pytest.raises(AccountError, match="no clinician account named 'Dr Nobody'"):
        store.create_clinician("Dr Bea Second", BEA_PASSWORD, dataclasses.replace(ADA, clinician="Dr Nobody"))
    # Any case of an account's name is that account; the audit row spells it as the account does.
    second = store.create_clinician("Dr Bea Second", BEA_PASSWORD, dataclasses.replace(ADA, clinician="dr ada EXAMPLE"))
    assert second.name == "Dr Bea Second"
    assert store.audit_events()[-1]["clinician"] == "Dr Ada Example"
    assert [c.name for c in store.list_clinicians()] == ["Dr Ada Example", "Dr Bea Second"]
    assert _everything_audited(store).count("clinician_created") == 2
    assert ADA_PASSWORD not in _everything_audited(store) and BEA_PASSWORD not in _everything_audited(store)


def test_names_are_unique_whatever_the_case(store: Store) -> None:
    _first(store)
    with pytest.raises(CaseError) as info:
        store.create_clinician("DR ADA EXAMPLE", "another password", ADA)
    assert info.value.field == "name" and "already exists" in str(info.value)
    assert len(store.list_clinicians()) == 1


@pytest.mark.parametrize(("password", "why"), [("short1!", "at least 8 characters"), (" " * 9, "only spaces"),
                                                ("x" * 257, "at most 256 characters")])
def test_password_policy_names_the_field_and_stores_nothing(store: Store, password: str, why: str) -> None:
    with pytest.raises(CaseError) as info:
        store.create_clinician("Dr Ada Example", password, None)
    assert info.value.field == "password" and why in str(info.value)
    assert password.strip() == "" or password not in str(info.value)
    assert not store.has_clinicians() and store.audit_events() == []


@pytest.mark.parametrize("name", ["", "   ", "Dr\u200bAda", "Dr\nAda", "x" * 201])
def test_a_bad_account_name_names_the_field(store: Store, name: str) -> None:
    with pytest.raises(CaseError) as info:
        store.create_clinician(name, ADA_PASSWORD, None)
    assert info.value.field == "name"


def test_the_hash_is_argon2id_and_never_the_password(store: Store, raw_engine: sa.Engine) -> None:
    _first(store)
    with raw_engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM clinician")).scalar_one()
    assert stored.startswith("$argon2id$") and ADA_PASSWORD not in stored
    assert not passwords.needs_rehash(stored)


def test_sign_in_success_and_failures_are_audited_without_the_password(store: Store,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _first(store)
    signed = store.authenticate("dr ada example", ADA_PASSWORD, "exam-room-7")
    assert (signed.clinician, signed.workstation) == ("Dr Ada Example", "exam-room-7")
    assert signed.os_user

    # An unknown name still costs a hash check, against a hash nobody has.
    checked: list[str] = []
    real_verify = passwords.verify_password
    def spy(stored_hash: str, password: str) -> bool:
        checked.append(stored_hash)
        return real_verify(stored_hash, password)

    monkeypatch.setattr("models.accounts.verify_password", spy)
    with pytest.raises(SignInError) as unknown:
        store.authenticate("Dr Nobody", ADA_PASSWORD, "exam-room-7")
    with pytest.raises(SignInError) as wrong:
        store.authenticate("Dr Ada Example", "not-the-password", "exam-room-8")
    assert checked == [passwords.dummy_hash(), checked[1]] and checked[1].startswith("$argon2id$")
    # One message for both: it does not tell whether the name exists.
    assert str(unknown.value) == str(wrong.value) == "the name or the password is not right"

    events = [(e["action"], e["clinician"], e["workstation"], e["detail"]) for e in store.audit_events()[1:]]
    assert events == [("signed_in", "Dr Ada Example", "exam-room-7", ""),
                      ("sign_in_failed", "Dr Nobody", "exam-room-7", "no such account"),
                      ("sign_in_failed", "Dr Ada Example", "exam-room-8", "wrong password")]
    assert ADA_PASSWORD not in _everything_audited(store) and "not-the-password" not in _everything_audited(store)
    assert store.verify() == []  # the failed attempts are part of the audit chain


def test_once_accounts_exist_every_change_needs_an_active_one(store: Store) -> None:
    store.create_patient(JANE, dataclasses.replace(ADA, clinician="anyone at all"))  # before accounts: free text
    _first(store)
    with pytest.raises(AccountError, match="no clinician account named 'anyone at all'"):
        store.create_patient(dataclasses.replace(JANE, mrn="C-1002"), dataclasses.replace(ADA, clinician="anyone at all"))
    assert store.find_patients("C-1002") == []
    patient = store.create_patient(dataclasses.replace(JANE, mrn="C-1002"), dataclasses.replace(ADA, clinician="DR ADA example"))
    assert store.audit_events(patient_id=patient.id)[-1]["clinician"] == "Dr Ada Example"
    assert store.account_actor(ADA) == ADA


def test_disabled_accounts_cannot_sign_in_or_change_anything(store: Store) -> None:
    _first(store)
    store.create_clinician("Dr Bea Second", BEA_PASSWORD, ADA)
    bea = dataclasses.replace(ADA, clinician="Dr Bea Second")
    disabled = store.disable_clinician("dr bea second", ADA)
    assert not disabled.active and disabled.disabled_at is not None
    with pytest.raises(SignInError, match="disabled"):
        store.authenticate("Dr Bea Second", BEA_PASSWORD, "exam-room-2")
    with pytest.raises(SignInError, match="^the name or the password is not right$"):
        store.authenticate("Dr Bea Second", "a wrong guess", "exam-room-2")
    with pytest.raises(AccountError, match="disabled"):
        store.create_patient(JANE, bea)
    with pytest.raises(AccountError, match="already disabled"):
        store.disable_clinician("Dr Bea Second", ADA)
    with pytest.raises(AccountError, match="last active clinician account"):
        store.disable_clinician("Dr Ada Example", ADA)
    assert [e["detail"] for e in store.audit_events() if e["action"] == "sign_in_failed"] == [
        "account disabled", "wrong password"]


def test_change_own_password_needs_the_current_one_a_colleague_can_reset(store: Store) -> None:
    _first(store)
    with pytest.raises(SignInError, match="current password"):
        store.change_password("Dr Ada Example", "a new passphrase", ADA, current_password="wrong guess")
    with pytest.raises(CaseError) as info:
        store.change_password("Dr Ada Example", "short", ADA, current_password=ADA_PASSWORD)
    assert info.value.field == "new_password"
    store.change_password("Dr Ada Example", "a new passphrase", ADA, current_password=ADA_PASSWORD)
    with pytest.raises(SignInError):
        store.authenticate("Dr Ada Example", ADA_PASSWORD)
    assert store.authenticate("Dr Ada Example", "a new passphrase").clinician == "Dr Ada Example"

    store.create_clinician("Dr Bea Second", BEA_PASSWORD, ADA)
    store.change_password("Dr Bea Second", "reset by ada 123", ADA)  # Bea forgot hers
    actions = [(e["action"], e["detail"]) for e in store.audit_events()]
    assert ("password_change_failed", "current password not right") in actions
    assert ("password_changed", "account Dr Ada Example") in actions
    assert actions[-1] == ("password_changed", "account Dr Bea Second, reset by a colleague")


def test_a_weaker_hash_is_renewed_at_sign_in(store: Store, raw_engine: sa.Engine) -> None:
    _first(store)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(ADA_PASSWORD)
    with raw_engine.begin() as conn:
        conn.execute(sa.text("UPDATE clinician SET password_hash = :h"), {"h": weak})
    store.authenticate("Dr Ada Example", ADA_PASSWORD)
    with raw_engine.connect() as conn:
        renewed = conn.execute(sa.text("SELECT password_hash FROM clinician")).scalar_one()
    assert renewed != weak and not passwords.needs_rehash(renewed)
    assert store.audit_events()[-1]["detail"] == "password hash renewed"
    assert store.authenticate("Dr Ada Example", ADA_PASSWORD).clinician == "Dr Ada Example"


def test_accounts_cannot_be_deleted_or_renamed_in_the_database(store: Store, raw_engine: sa.Engine) -> None:
    _first(store)
    for statement, refusal in (("DELETE FROM clinician", "cannot be deleted"),
                               ("UPDATE clinician SET name = 'Dr Someone Else'", "cannot be changed")):
        with pytest.raises(sa.exc.DBAPIError, match=refusal), raw_engine.begin() as conn:
            conn.exec_driver_sql(statement)
    if not store.is_sqlite:
        with pytest.raises(sa.exc.DBAPIError, match="cannot be deleted"), raw_engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE clinician")
    with raw_engine.begin() as conn:  # disabling is the allowed way out
        conn.execute(sa.text("UPDATE clinician SET disabled_at = :t"), {"t": dt.datetime(2026, 11, 24, 8, 0)})
    assert [c.name for c in store.list_clinicians()] == ["Dr Ada Example"]


def test_verify_encounter_checks_one_encounter_and_its_chain(store: Store, raw_engine: sa.Engine) -> None:
    patient = store.create_patient(JANE, ADA)
    first = store.create_draft(patient.id, INFO, {"slr": "positive"}, "first look", ADA)
    first = store.finalize(first.id, first.version, ADA)
    amendment = store.amend(first.id, "wrong knee", ADA)
    other = store.create_draft(patient.id, INFO, {}, "another visit", ADA)
    other = store.finalize(other.id, other.version, ADA)
    assert [store.verify_encounter(e) for e in (first.id, amendment.id, other.id)] == [[], [], []]

    with raw_engine.begin() as conn:  # around the guard, as someone with the file could
        conn.exec_driver_sql("DROP TRIGGER trg_encounter_revision_no_update" if store.is_sqlite
                             else "ALTER TABLE encounter_revision DISABLE TRIGGER trg_encounter_revision_append_only")
        conn.execute(sa.text("UPDATE encounter_revision SET content = REPLACE(content, 'first look', 'edited') "
                             "WHERE encounter_id = :e"), {"e": first.id})
    problems = store.verify_encounter(first.id)
    assert problems and all(f"(encounter {first.id})" in p for p in problems)
    assert store.verify_encounter(amendment.id) == problems  # the draft amends the altered revision
    assert store.verify_encounter(other.id) == []
    assert set(problems) <= set(store.verify())  # the same findings as the whole check


def test_sign_in_refusals_are_store_errors(store: Store) -> None:
    # The window and the command line catch StoreError: account errors must be among them.
    assert issubclass(SignInError, StoreError) and issubclass(AccountError, StoreError)
    with pytest.raises(SignInError):
        store.authenticate("Dr Ada Example", ADA_PASSWORD)  # no accounts at all: refused, audited
    assert [e["action"] for e in store.audit_events()] == ["sign_in_failed"]
