"""PostgreSQL: no workstation can stop the clinic (issue 12), and the audit chain stays whole.

Every write takes the clinic-wide audit lock only in its final one-message batch
(models/audit_commit.py). A workstation that hangs inside a write transaction — in the app
between its statements, at the raw driver with the app's statements, or behind a network black
hole — delays nobody else's writes (only writes of the very rows it changed, and those only until
the server's idle-in-transaction timeout ends it); afterwards ``verify`` is clean. Ten writers at
once keep the chain whole and every acknowledged write has its audit row. An account disabled
while a write is in flight refuses that write at its commit.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from bench.netproxy import NetProxy
from models.case import EncounterInfo, Patient
from models.pins import patient_row_pin
from models.records import AccountError, StoreError
from models.schema import PatientRow
from models.store import Actor, ConflictError, Store

pytestmark = pytest.mark.postgres

ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Ben Other", "tester", "exam-room-2")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr A", "left")
# Well under the 5 s idle-in-transaction timeout a hung writer is ended by: a write that waited
# for a hung one would take at least that long.
QUICK = 1.5


def _patient(n: int) -> Patient:
    return Patient(f"L-{n:05d}", "Locktest", f"Pat{n}", dt.date(1970, 1, 1) + dt.timedelta(days=n), "unknown")


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    value = call()
    return value, time.monotonic() - started


def _other_writes(store: Store, patient_id: int, draft_id: int, version: int, n: int) -> list[float]:
    """One of each kind of write, on rows the hung writer did not touch; their durations."""
    times: list[float] = []
    p, t = _timed(lambda: store.create_patient(_patient(n), OTHER))
    times.append(t)
    d, t = _timed(lambda: store.create_draft(p.id, INFO, {"slr": "positive"}, "new", OTHER))
    times.append(t)
    saved, t = _timed(lambda: store.save_draft(draft_id, version, INFO, {"slr": "negative"}, f"n{n}", OTHER))
    times.append(t)
    _, t = _timed(lambda: store.finalize(d.id, d.version, OTHER))
    times.append(t)
    _, t = _timed(lambda: store.record_event("viewed", OTHER, patient_id=patient_id))
    times.append(t)
    assert saved.version == version + 1
    return times


@pytest.fixture(name="stores")
def stores_fixture(pg_schema_url: str) -> Iterator[tuple[Store, Store]]:
    a, b = Store.open(pg_schema_url), Store.open(pg_schema_url)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def test_a_workstation_hung_inside_its_write_delays_no_other_write(stores: tuple[Store, Store]) -> None:
    hung, other = stores
    target = hung.create_patient(_patient(1), ACTOR)
    draft = other.create_draft(target.id, INFO, {}, "", OTHER)
    entered, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def hang() -> None:
        try:
            with hung._change(ACTOR, "patient_updated") as change:  # as update_patient does, then hangs
                row = change.session.get_one(PatientRow, target.id)
                row.given_name = "Changed"
                change.session.flush()
                change.patient_id = row.id
                change.pins = [patient_row_pin(row)]  # as update_patient pins it
                entered.set()
                release.wait(30)
            outcome["stored"] = True
        except StoreError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=hang)
    thread.start()
    try:
        assert entered.wait(10)
        times = _other_writes(other, target.id, draft.id, draft.version, 2)
        assert max(times) < QUICK, times  # nobody waited for the hung transaction
    finally:
        release.set()
        thread.join(30)
    assert outcome == {"stored": True}  # released within the idle timeout, it commits normally
    assert other.get_patient(target.id).given_name == "Changed"
    assert other.verify() == []
    assert [e["action"] for e in other.audit_events(patient_id=target.id)][-1] == "patient_updated"


def test_a_raw_connection_hung_mid_write_blocks_only_its_own_rows_and_only_until_the_timeout(
        stores: tuple[Store, Store], pg_schema_url: str) -> None:
    """The app's statements sent by hand, then silence: BEGIN, a patient UPDATE (as update_patient
    sends it), an assessment insert; never COMMIT. With the old design this transaction would also
    have held the clinic-wide lock from its start."""
    _, other = stores
    target = other.create_patient(_patient(1), ACTOR)
    draft = other.create_draft(target.id, INFO, {}, "", OTHER)
    url = sa.make_url(pg_schema_url)
    schema = str(url.query["options"]).split("=", 1)[1]
    raw = psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database,
                          options=f"-c search_path={schema} -c idle_in_transaction_session_timeout=5s")
    try:
        raw.execute("UPDATE patient SET given_name = 'Hung', version = version + 1 WHERE id = %s", [target.id])
        raw.execute("INSERT INTO assessment (digest, ruleset, body) VALUES ('f' || repeat('0', 63), 'x', '{}')")
        hung_at = time.monotonic()
        times = _other_writes(other, target.id, draft.id, draft.version, 2)
        assert max(times) < QUICK, times
        # A write to the hung transaction's own row waits for it, and only until the server's
        # idle-in-transaction timeout (5 s) ends it.
        edit = other.get_patient(target.id)
        updated, _ = _timed(lambda: other.update_patient(target.id, _patient(1), OTHER, expected_version=edit.version))
        waited = time.monotonic() - hung_at
        assert updated.version == edit.version + 1 and updated.given_name == "Pat1"
        assert waited < 5 + 3, waited
    finally:
        raw.close()
    assert other.verify() == []


def test_a_black_hole_mid_transaction_delays_no_other_workstation(pg_schema_url: str) -> None:
    """Workstation A reaches the server through a proxy that stops forwarding while A's write is
    inside its transaction; its COMMIT message never arrives. B's writes go on at full speed; A
    gets a clear error within its timeouts; the chain verifies."""
    with NetProxy() as proxy, Store.open(proxy.url(pg_schema_url)) as a, Store.open(pg_schema_url) as b:
        target = a.create_patient(_patient(1), ACTOR)
        draft = b.create_draft(target.id, INFO, {}, "", OTHER)
        entered = threading.Event()
        outcome: dict[str, Any] = {}

        def write() -> None:
            started = time.monotonic()
            try:
                with a._change(ACTOR, "patient_updated") as change:
                    row = change.session.get_one(PatientRow, target.id)
                    row.given_name = "Cut"
                    change.session.flush()
                    change.patient_id = row.id
                    proxy.blackhole()
                    entered.set()
                outcome["stored"] = True
            except StoreError as exc:
                outcome["error"] = exc
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=write)
        thread.start()
        try:
            assert entered.wait(10)
            times = _other_writes(b, target.id, draft.id, draft.version, 2)
            assert max(times) < QUICK, times
            thread.join(30)
        finally:
            proxy.heal()
            thread.join(30)
        assert "error" in outcome and outcome["seconds"] < 15, outcome
        # Nothing of A's write was stored (its COMMIT never reached the server; the server ended
        # the transaction), and the trail is whole.
        assert b.get_patient(target.id).given_name == "Pat1"
        assert b.verify() == []


def test_an_account_disabled_while_a_write_is_in_flight_refuses_it_at_commit(stores: tuple[Store, Store]) -> None:
    writer, admin = stores
    admin.create_clinician("Dr Ada Example", "correct horse battery", Actor("Dr Ada Example", "t", "w"))
    admin.create_clinician("Dr Ben Other", "correct horse battery", Actor("Dr Ada Example", "t", "w"))
    target = admin.create_patient(_patient(1), ACTOR)
    entered, release = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def write() -> None:
        try:
            with writer._change(ACTOR, "patient_updated") as change:  # the account is active here
                row = change.session.get_one(PatientRow, target.id)
                row.given_name = "Late"
                change.session.flush()
                change.patient_id = row.id
                entered.set()
                release.wait(30)
            outcome["stored"] = True
        except StoreError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=write)
    thread.start()
    assert entered.wait(10)
    admin.disable_clinician("Dr Ada Example", OTHER)
    release.set()
    thread.join(30)
    assert isinstance(outcome.get("error"), AccountError), outcome
    assert admin.get_patient(target.id).given_name == "Pat1"
    assert [e["action"] for e in admin.audit_events(patient_id=target.id)] == ["patient_created"]
    assert admin.verify() == []


def test_ten_writers_at_once_keep_the_chain_whole_and_every_write_audited(pg_schema_url: str) -> None:
    with Store.open(pg_schema_url) as setup:
        base = setup.create_patient(_patient(0), ACTOR)
        shared = setup.create_draft(base.id, INFO, {}, "shared", ACTOR)
        start_count = setup.integrity_counts()["audit_events"]
    barrier = threading.Barrier(10)
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        done = {"writes": 0, "conflicts": 0, "errors": []}
        with Store.open(pg_schema_url) as store:
            actor = Actor(f"Dr W{n}", "tester", f"ws-{n}")
            barrier.wait(10)
            deadline = time.monotonic() + 3
            i = 0
            while time.monotonic() < deadline:
                i += 1
                try:
                    patient = store.create_patient(_patient(1000 * (n + 1) + i), actor)
                    draft = store.create_draft(patient.id, INFO, {"slr": "positive"}, f"{n}/{i}", actor)
                    draft = store.save_draft(draft.id, draft.version, INFO, {"slr": "negative"}, f"{n}/{i}+", actor)
                    store.update_patient(patient.id, _patient(1000 * (n + 1) + i), actor, expected_version=patient.version)
                    if i % 3 == 0:
                        store.finalize(draft.id, draft.version, actor)
                    done["writes"] += 4 + (i % 3 == 0)  # type: ignore[operator]
                    current = store.load_encounter(shared.id)
                    try:
                        store.save_draft(shared.id, current.version, INFO, {}, f"shared {n}/{i}", actor)
                        done["writes"] += 1  # type: ignore[operator]
                    except ConflictError:
                        done["conflicts"] += 1  # type: ignore[operator]
                except StoreError as exc:
                    done["errors"].append(repr(exc))  # type: ignore[attr-defined]
        with lock:
            results.append(done)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 10
    assert [r["errors"] for r in results] == [[]] * 10
    writes = sum(r["writes"] for r in results)
    with Store.open(pg_schema_url) as store:
        assert store.verify() == []
        # every acknowledged write has exactly one audit row, and nothing else has one
        assert store.integrity_counts()["audit_events"] - start_count == writes
        ids = [e["id"] for e in store.audit_events(limit=1_000_000)]
        assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert writes > 50
