"""Sign-in that resists guessing, on SQLite and PostgreSQL: a doubling delay after a few failures,
a lock-out after more, kept in the database (another store on the same database sees it), the same
for an unknown name as for a wrong password, reset by the right password or an administrator's
unlock, and every step audited. The throttle's clock is the store's ``clock``: tests move it
instead of sleeping. The numbers come from models/sign_in_policy.py, never repeated here as
literals where the policy gives them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import time

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from models import migrate, passwords
from models.database import resolve_url
from models.sign_in_policy import POLICY, ThrottlePolicy, wait_seconds
from models.store import AccountError, Actor, NotFoundError, SignInError, Store

ADA, BEA, CY = "Dr Ada Example", "Dr Bea Second", "Dr Cy Third"
ADA_PASSWORD, BEA_PASSWORD, CY_PASSWORD = "knee-joint-line-42", "straight leg raise", "lachman test grade 2"
ADA_ACTOR = Actor(ADA, "tester", "exam-room-1")
REFUSED = "the name or the password is not right"
START = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(name="clock")
def clock_fixture(store: Store) -> Clock:
    clock = Clock()
    store.clock = clock  # type: ignore[method-assign]
    return clock


@pytest.fixture(name="cheap_hashes")
def cheap_hashes_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters, for tests of the count rather than of argon2's cost (the real cost
    is kept where cost is compared: unknown name against wrong password)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: cheap)
    dummy = cheap.hash("not a password of anyone")
    monkeypatch.setattr(passwords, "dummy_hash", lambda: dummy)
    monkeypatch.setattr("models.accounts.dummy_hash", lambda: dummy)


def _refusal(store: Store, name: str, password: str) -> SignInError:
    with pytest.raises(SignInError) as info:
        store.authenticate(name, password, "exam-room-9")
    return info.value


def _actions(store: Store, since: int) -> list[str]:
    return [e["action"] for e in store.audit_events()[since:]]


def test_the_policy_doubles_then_caps_then_locks_out() -> None:
    # Pure arithmetic of the one policy: free failures, then 1, 2, 4 ... s up to the cap, then the lock-out.
    delays = [POLICY.delay_after(n).total_seconds() for n in range(POLICY.lockout_failures)]
    assert delays[:POLICY.free_failures] == [0] * POLICY.free_failures
    doubling = delays[POLICY.free_failures:]
    assert doubling[0] == POLICY.first_delay.total_seconds()
    assert all(b == min(2 * a, POLICY.max_delay.total_seconds()) for a, b in zip(doubling, doubling[1:], strict=False))
    assert doubling[-1] == POLICY.max_delay.total_seconds()  # the cap is reached before the lock-out
    assert not POLICY.locks_out(POLICY.lockout_failures - 1) and POLICY.locks_out(POLICY.lockout_failures)
    # Rounded up to whole seconds; the later of the delay and a lock-out counts.
    assert wait_seconds(4, START, None, START + dt.timedelta(seconds=0.2)) == 2
    assert wait_seconds(4, START, START + dt.timedelta(minutes=5), START) == 300
    assert wait_seconds(4, START, None, START + dt.timedelta(seconds=2)) == 0
    small = ThrottlePolicy(1, dt.timedelta(seconds=10), dt.timedelta(seconds=15), 5, dt.timedelta(seconds=99))
    assert [small.delay_after(n).total_seconds() for n in range(4)] == [0, 10, 15, 15]


@pytest.mark.usefixtures("cheap_hashes")
def test_failures_in_a_row_wait_a_doubling_delay_before_even_being_checked(store: Store, clock: Clock,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    start = len(store.audit_events())
    first = [_refusal(store, ADA, "a wrong guess") for _ in range(POLICY.free_failures)]
    # Free: refused at once; the last free one says how long the next attempt waits.
    assert [(str(e), e.retry_after) for e in first] == [(REFUSED, None), (REFUSED, None), (f"{REFUSED}; try again in 1 s", 1)]

    checked: list[str] = []
    real_verify = passwords.verify_password

    def spy(stored_hash: str, password: str) -> bool:
        checked.append(stored_hash)
        return real_verify(stored_hash, password)

    monkeypatch.setattr("models.accounts.verify_password", spy)
    expected_waits = [int(POLICY.delay_after(n).total_seconds())
                      for n in range(POLICY.free_failures, POLICY.lockout_failures - 1)]
    assert expected_waits == [1, 2, 4, 8, 16, 32]
    for wait in expected_waits:
        clock.advance(wait - 0.5)  # too soon: refused unchecked, even with the right password
        checked.clear()
        too_soon = _refusal(store, ADA, ADA_PASSWORD)
        assert str(too_soon) == f"{REFUSED}; try again in 1 s" and too_soon.retry_after == 1
        assert checked == [passwords.dummy_hash()]  # the same cost, but never Ada's hash
        clock.advance(0.5)
        checked.clear()
        wrong = _refusal(store, ADA, "another wrong guess")
        assert checked != [passwords.dummy_hash()] and len(checked) == 1  # now it is checked
        assert wrong.retry_after is not None and wrong.retry_after == min(2 * wait, 60)
    assert str(wrong) == f"{REFUSED}; try again in 60 s"  # 64 s, capped
    state = store.sign_in_throttle("dr ada EXAMPLE")
    assert state is not None and state["failures"] == POLICY.lockout_failures - 1 and state["locked_until"] is None
    assert state["last_failure_at"] == clock.now
    actions = _actions(store, start)
    assert actions.count("sign_in_failed") == POLICY.lockout_failures - 1
    assert actions.count("sign_in_throttled") == len(expected_waits)
    throttled = [e for e in store.audit_events() if e["action"] == "sign_in_throttled"]
    assert throttled[0]["detail"] == "refused unchecked after 3 failed attempts in a row; next attempt in 1 s"
    assert ADA_PASSWORD not in repr(store.audit_events())
    assert store.verify() == []


def _lock_out(store: Store, clock: Clock, name: str, password: str = "a wrong guess") -> None:
    for _ in range(POLICY.lockout_failures):
        clock.advance(POLICY.max_delay.total_seconds())
        _refusal(store, name, password)


@pytest.mark.usefixtures("cheap_hashes")
def test_ten_failures_lock_the_account_the_right_password_too(store: Store, clock: Clock, db_url: str) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    start = len(store.audit_events())
    _lock_out(store, clock, ADA)
    assert _actions(store, start)[-2:] == ["sign_in_failed", "locked_out"]
    locked = store.audit_events()[-1]
    assert (locked["clinician"], locked["detail"]) == (ADA, "10 failed attempts in a row; no attempt is checked for 900 s")
    state = store.sign_in_throttle(ADA)
    assert state is not None and state["locked_until"] == clock.now + POLICY.lockout

    lockout = int(POLICY.lockout.total_seconds())
    error = _refusal(store, ADA, ADA_PASSWORD)
    assert str(error) == f"{REFUSED}; try again in {lockout} s"
    clock.advance(lockout - 1)
    assert str(_refusal(store, ADA, ADA_PASSWORD)) == f"{REFUSED}; try again in 1 s"
    # Another workstation, or the app started again: the count is in the database.
    with Store.open(db_url) as other:
        other.clock = clock  # type: ignore[method-assign]
        assert str(_refusal(other, ADA, ADA_PASSWORD)) == f"{REFUSED}; try again in 1 s"
        clock.advance(1)
        # The lock-out is over, but the count is kept: one more failure locks it again at once.
        assert str(_refusal(other, ADA, "yet another guess")) == f"{REFUSED}; try again in {lockout} s"
        assert _actions(other, len(other.audit_events()) - 2) == ["sign_in_failed", "locked_out"]
    clock.advance(lockout)
    assert store.authenticate(ADA, ADA_PASSWORD).clinician == ADA  # after the lock-out: the right password works
    assert store.sign_in_throttle(ADA) == {"failures": 0, "last_failure_at": None, "locked_until": None}
    assert store.verify() == []


@pytest.mark.usefixtures("cheap_hashes")
def test_the_right_password_after_337_wrong_ones_is_refused_while_locked_out(store: Store, clock: Clock) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    for attempt in range(337):  # a script that tries once a second
        clock.advance(1)
        _refusal(store, ADA, f"guess number {attempt}")
    clock.advance(1)
    error = _refusal(store, ADA, ADA_PASSWORD)
    state = store.sign_in_throttle(ADA)
    assert state is not None and state["failures"] == POLICY.lockout_failures  # only ten were ever checked
    locked_until = state["locked_until"]
    assert isinstance(locked_until, dt.datetime) and locked_until > clock.now
    assert error.retry_after == round((locked_until - clock.now).total_seconds()) > 600
    assert str(error) == f"{REFUSED}; try again in {error.retry_after} s"
    events = store.audit_events()
    assert [e["action"] for e in events].count("sign_in_failed") == POLICY.lockout_failures
    assert [e["action"] for e in events].count("sign_in_throttled") == 338 - POLICY.lockout_failures
    assert [e["action"] for e in events].count("locked_out") == 1


def test_an_unknown_name_is_throttled_like_a_wrong_password(store: Store, clock: Clock) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    answers: dict[str, list[tuple[str, int | None]]] = {ADA: [], "Dr Nobody": []}
    costs: dict[str, list[float]] = {ADA: [], "Dr Nobody": []}
    for _ in range(POLICY.free_failures + 2):
        for name in answers:
            began = time.perf_counter()
            error = _refusal(store, name, "a wrong guess")
            costs[name].append(time.perf_counter() - began)
            answers[name].append((str(error), error.retry_after))
        clock.advance(0.5)
    assert answers[ADA] == answers["Dr Nobody"]  # one message, the same waits
    assert answers[ADA] == [(REFUSED, None), (REFUSED, None), (f"{REFUSED}; try again in 1 s", 1),
                            (f"{REFUSED}; try again in 1 s", 1), (f"{REFUSED}; try again in 2 s", 2)]
    # The same stored effect: a counter row for either name, equal in everything.
    assert store.sign_in_throttle(ADA) == store.sign_in_throttle("dr nobody")
    assert store.sign_in_throttle("Dr Never Tried") is None
    tried = [(e["action"], e["clinician"]) for e in store.audit_events()[1:]]
    assert [a for a, c in tried if c == ADA] == [a for a, c in tried if c == "Dr Nobody"]
    # Roughly the same cost (each includes one argon2 check, checked or throttled alike).
    ada, nobody = statistics.median(costs[ADA]), statistics.median(costs["Dr Nobody"])
    assert 0.5 < ada / nobody < 2, (ada, nobody)
    # An account created later under a name that was guessed starts with that name's count: the
    # count belongs to the name, whoever holds it.
    store.create_clinician("Dr Nobody", BEA_PASSWORD, ADA_ACTOR)
    assert str(_refusal(store, "Dr Nobody", BEA_PASSWORD)).startswith(f"{REFUSED}; try again in")


@pytest.mark.usefixtures("cheap_hashes")
def test_success_resets_the_count(store: Store, clock: Clock) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    for _ in range(POLICY.free_failures + 2):
        clock.advance(POLICY.max_delay.total_seconds())
        _refusal(store, ADA, "a wrong guess")
    assert store.sign_in_throttle(ADA)["failures"] == POLICY.free_failures + 2  # type: ignore[index]
    clock.advance(POLICY.max_delay.total_seconds())
    assert store.authenticate(ADA, ADA_PASSWORD, unlock=True).clinician == ADA  # the lock screen counts alike
    assert store.sign_in_throttle(ADA) == {"failures": 0, "last_failure_at": None, "locked_until": None}
    # Free failures again, right away.
    for _ in range(POLICY.free_failures - 1):
        assert str(_refusal(store, ADA, "a wrong guess")) == REFUSED
    assert store.audit_events()[-1]["action"] == "sign_in_failed"


@pytest.fixture(name="three")
def three_fixture(store: Store, clock: Clock, cheap_hashes: None) -> Store:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    store.create_clinician(BEA, BEA_PASSWORD, ADA_ACTOR)
    store.create_clinician(CY, CY_PASSWORD, ADA_ACTOR)
    return store


def test_an_administrator_unlocks_others_cannot(three: Store, clock: Clock) -> None:
    store = three
    assert [(c.name, c.is_admin) for c in store.list_clinicians()] == [(ADA, True), (BEA, False), (CY, False)]
    _lock_out(store, clock, CY)
    bea = dataclasses.replace(ADA_ACTOR, clinician=BEA)
    before = store.sign_in_throttle(CY)
    with pytest.raises(AccountError, match="only an administrator can unlock an account; 'Dr Bea Second' is not one"):
        store.unlock_clinician(CY, bea)
    assert store.sign_in_throttle(CY) == before
    refused = store.audit_events()[-1]
    assert (refused["action"], refused["clinician"], refused["detail"]) == (
        "account_unlock_refused", BEA, "account Dr Cy Third: Dr Bea Second is not an administrator")
    with pytest.raises(AccountError, match="no clinician account named 'Dr Nobody'"):
        store.unlock_clinician(CY, dataclasses.replace(ADA_ACTOR, clinician="Dr Nobody"))
    with pytest.raises(SignInError, match="try again in"):
        store.authenticate(CY, CY_PASSWORD)

    unlocked = store.unlock_clinician("dr cy third", dataclasses.replace(ADA_ACTOR, clinician="DR ADA EXAMPLE"))
    assert unlocked.name == CY
    event = store.audit_events()[-1]
    assert (event["action"], event["clinician"], event["detail"]) == (
        "account_unlocked", ADA, "account Dr Cy Third, after 10 failed attempts in a row")
    assert store.authenticate(CY, CY_PASSWORD).clinician == CY  # at once, no wait
    with pytest.raises(NotFoundError, match="no clinician account named 'Dr Nobody'"):
        store.unlock_clinician("Dr Nobody", ADA_ACTOR)
    assert store.verify() == []


def test_only_an_administrator_adds_an_administrator(three: Store) -> None:
    store = three
    bea = dataclasses.replace(ADA_ACTOR, clinician=BEA)
    with pytest.raises(AccountError, match="only an administrator can add an administrator"):
        store.create_clinician("Dr Dee Fourth", "a fine password", bea, admin=True)
    assert store.find_clinician("Dr Dee Fourth") is None
    dee = store.create_clinician("Dr Dee Fourth", "a fine password", ADA_ACTOR, admin=True)
    assert dee.is_admin
    assert store.audit_events()[-1]["detail"] == "account Dr Dee Fourth, an administrator"
    store.unlock_clinician(BEA, dataclasses.replace(ADA_ACTOR, clinician="Dr Dee Fourth"))


def test_the_guard_triggers_let_the_new_columns_change_and_still_refuse_renames(store: Store,
                                                                               raw_engine: sa.Engine) -> None:
    store.create_clinician(ADA, ADA_PASSWORD, None)
    with raw_engine.begin() as conn:
        conn.execute(sa.text("UPDATE clinician SET is_admin = :f"), {"f": False})
    assert not store.find_clinician(ADA).is_admin  # type: ignore[union-attr]
    with pytest.raises(sa.exc.DBAPIError, match="cannot be changed"), raw_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE clinician SET name = 'Dr Someone Else', is_admin = TRUE")
    with pytest.raises(sa.exc.DBAPIError, match="cannot be deleted"), raw_engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM clinician")


def test_migration_0006_makes_the_oldest_active_account_the_administrator(db_url: str) -> None:
    migrate.upgrade(resolve_url(db_url), "0005_request_keys")
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        for name, disabled in (("Dr Gone", dt.datetime(2026, 2, 1)), ("Dr Old", None), ("Dr Later", None)):
            conn.execute(sa.text("INSERT INTO clinician (name, name_key, password_hash, created_at, disabled_at) "
                                 "VALUES (:n, :k, 'x', :t, :d)"),
                         {"n": name, "k": name.casefold(), "t": dt.datetime(2026, 1, 1), "d": disabled})
    engine.dispose()
    with Store.open(db_url) as store:
        assert [(c.name, c.is_admin) for c in store.list_clinicians()] == [
            ("Dr Gone", False), ("Dr Later", False), ("Dr Old", True)]
        assert store.sign_in_throttle("Dr Old") is None


def test_the_real_clock_is_the_default(store: Store) -> None:
    # Without a test clock the throttle goes by real UTC time.
    store.create_clinician(ADA, ADA_PASSWORD, None)
    before = dt.datetime.now(dt.UTC)
    _refusal(store, ADA, "a wrong guess")
    state = store.sign_in_throttle(ADA)
    assert state is not None and before <= state["last_failure_at"] <= dt.datetime.now(dt.UTC)  # type: ignore[operator]


@pytest.mark.usefixtures("cheap_hashes")
def test_attempts_at_the_same_time_are_counted_one_after_another(store: Store, clock: Clock, db_url: str) -> None:
    # Eight attempts at once from two stores (two workstations), the clock standing still: only the
    # free ones are checked, however they interleave; the others wait.
    from concurrent.futures import ThreadPoolExecutor

    store.create_clinician(ADA, ADA_PASSWORD, None)
    with Store.open(db_url) as other:
        other.clock = clock  # type: ignore[method-assign]
        stores = [store, other] * 4
        with ThreadPoolExecutor(max_workers=8) as pool:
            errors = list(pool.map(lambda s: _refusal(s, ADA, "a wrong guess"), stores))
    assert sum(e.retry_after is None for e in errors) == POLICY.free_failures - 1  # the third says "1 s" already
    state = store.sign_in_throttle(ADA)
    assert state is not None and state["failures"] == POLICY.free_failures
    actions = [e["action"] for e in store.audit_events()]
    assert actions.count("sign_in_failed") == POLICY.free_failures
    assert actions.count("sign_in_throttled") == len(stores) - POLICY.free_failures


def test_the_first_account_is_an_administrator_however_it_is_made(store: Store) -> None:
    # Before accounts any name may act; the first account is the administrator even when named by one.
    first = store.create_clinician(ADA, ADA_PASSWORD, dataclasses.replace(ADA_ACTOR, clinician="Someone"))
    assert first.is_admin and store.find_clinician(ADA).is_admin  # type: ignore[union-attr]
    second = store.create_clinician(BEA, BEA_PASSWORD, ADA_ACTOR)
    assert not second.is_admin
