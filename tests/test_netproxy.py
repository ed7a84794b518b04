"""The TCP proxy of the bench and the fault tests (bench/netproxy.py), against the real PostgreSQL
server: the delay it adds, what it counts, and that each fault does what it says."""

from __future__ import annotations

import getpass
import os
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa

from bench.netproxy import NetProxy

pytestmark = pytest.mark.postgres
HOST, PORT, DATABASE = "127.0.0.1", 5432, "test"


def _user() -> str:
    reasons = []
    for user in dict.fromkeys([getpass.getuser(), "postgres"]):
        try:
            with psycopg.connect(host=HOST, port=PORT, dbname=DATABASE, user=user, connect_timeout=3):
                return user
        except psycopg.Error as exc:
            reasons.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    why = "PostgreSQL not reachable at 127.0.0.1:5432/test (" + "; ".join(reasons) + ")"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(name="proxy")
def proxy_fixture() -> Iterator[NetProxy]:
    with NetProxy((HOST, PORT)) as proxy:
        yield proxy


def _connect(proxy: NetProxy, **kwargs: object) -> psycopg.Connection:
    return psycopg.connect(host=proxy.host, port=proxy.port, dbname=DATABASE, user=_user(), sslmode="disable",
                           gssencmode="disable", autocommit=True, connect_timeout=5, **kwargs)  # type: ignore[arg-type]


def _median_ms(fn, runs: int = 9) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return sorted(samples)[runs // 2]


def test_forwards_and_listens_on_an_ephemeral_loopback_port(proxy: NetProxy) -> None:
    assert proxy.host == "127.0.0.1" and proxy.port not in (0, PORT)
    with _connect(proxy) as conn:
        assert conn.execute("SELECT 41 + 1").fetchone() == (42,)
    assert proxy.connections == 1


def test_round_trip_delay_is_added_and_split_each_way(proxy: NetProxy) -> None:
    with _connect(proxy) as conn:
        base = _median_ms(lambda: conn.execute("SELECT 1").fetchone())
        proxy.set_delay(round_trip_ms=20)
        delayed = _median_ms(lambda: conn.execute("SELECT 1").fetchone())
        proxy.set_delay(up_ms=30, down_ms=0)
        one_way = _median_ms(lambda: conn.execute("SELECT 1").fetchone())
    assert 19 <= delayed - base <= 30, (base, delayed)
    assert 29 <= one_way - base <= 40, (base, one_way)


def test_delay_is_latency_not_a_throughput_cap(proxy: NetProxy) -> None:
    """8 MB through a 20 ms round trip: chunks are in flight together, not one per 20 ms."""
    proxy.set_delay(round_trip_ms=20)
    with _connect(proxy) as conn:
        t0 = time.perf_counter()
        row = conn.execute("SELECT repeat('x', 8 * 1024 * 1024)").fetchone()
        elapsed = time.perf_counter() - t0
    assert row is not None and len(row[0]) == 8 * 1024 * 1024
    # 8 MB in 64 KiB chunks is 128 chunks: 128 x 10 ms would be 1.3 s one way if the delay capped it.
    assert elapsed < 0.6, elapsed


def test_counts_each_answered_client_burst_once(proxy: NetProxy) -> None:
    with _connect(proxy) as conn:
        proxy.reset_counts()
        conn.execute("SELECT 1").fetchone()  # simple query: one round trip
        assert proxy.round_trips == 1 and proxy.messages["Q"] == 1
        conn.execute("SELECT %s::int", [2]).fetchone()  # extended protocol, still one round trip
        assert proxy.round_trips == 2
        assert proxy.messages["P"] == 1 and proxy.messages["B"] == 1 and proxy.messages["S"] == 1
        proxy.reset_counts()
        with conn.pipeline():  # four statements, one sync: one round trip
            cursors = [conn.execute("SELECT %s::int", [n]) for n in range(4)]
        assert [c.fetchone() for c in cursors] == [(0,), (1,), (2,), (3,)]
        assert proxy.round_trips == 1 and proxy.messages["E"] == 4
        proxy.reset_counts()
        conn.autocommit = False
        conn.execute("SELECT 1").fetchone()  # psycopg sends BEGIN first, then the query: two
        conn.commit()  # and one for COMMIT
        assert proxy.round_trips == 3
    proxy.reset_counts()
    with _connect(proxy):  # start-up counted; the Terminate at close is not answered, not counted
        pass
    assert proxy.round_trips == 1 and proxy.connections == 1 and proxy.messages["X"] == 1


def test_counts_what_sqlalchemy_sends(proxy: NetProxy) -> None:
    """The round trips of one read through a pre-pinging pool, as the store's engine had it."""
    engine = sa.create_engine(proxy.url(f"postgresql+psycopg://{_user()}@{HOST}:{PORT}/{DATABASE}"), pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        proxy.reset_counts()
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 7")).scalar() == 7
        # ping, BEGIN, SELECT, and the ROLLBACK when the connection goes back to the pool
        assert proxy.round_trips == 4, proxy.messages
    finally:
        engine.dispose()


def test_cut_resets_open_connections_and_new_ones_work(proxy: NetProxy) -> None:
    conn = _connect(proxy)
    conn.execute("SELECT 1")
    proxy.cut()
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
    conn.close()
    assert proxy.open_connections == 0
    with _connect(proxy) as again:
        assert again.execute("SELECT 2").fetchone() == (2,)


def test_refuse_resets_new_connections_until_healed(proxy: NetProxy) -> None:
    with _connect(proxy) as open_one:
        proxy.refuse()
        with pytest.raises(psycopg.OperationalError):
            _connect(proxy)
        assert open_one.execute("SELECT 3").fetchone() == (3,)  # an open connection goes on
        proxy.heal()
        with _connect(proxy) as again:
            assert again.execute("SELECT 4").fetchone() == (4,)


@pytest.mark.parametrize("pipelined", [False, True], ids=["simple", "pipeline"])
def test_drop_reply_at_commit_commits_but_the_client_never_hears(proxy: NetProxy, pipelined: bool) -> None:
    table = f"netproxy_commit_{os.getpid()}_{int(pipelined)}"
    with psycopg.connect(host=HOST, port=PORT, dbname=DATABASE, user=_user(), autocommit=True) as direct:
        direct.execute(f"DROP TABLE IF EXISTS {table}")
        direct.execute(f"CREATE TABLE {table} (n int)")
        try:
            conn = _connect(proxy)
            conn.execute(f"INSERT INTO {table} VALUES (0)")  # autocommit: no COMMIT sent, nothing dropped
            proxy.drop_reply_at_commit()
            with pytest.raises(psycopg.OperationalError):
                if pipelined:
                    with conn.pipeline():
                        conn.execute("BEGIN")
                        conn.execute(f"INSERT INTO {table} VALUES (%s)", [1])
                        conn.execute("COMMIT")
                else:
                    conn.execute("BEGIN")
                    conn.execute(f"INSERT INTO {table} VALUES (1)")
                    conn.execute("COMMIT")
            conn.close()
            assert proxy.commits_dropped == 1
            # The server committed although the client got no answer.
            assert direct.execute(f"SELECT n FROM {table} ORDER BY n").fetchall() == [(0,), (1,)]
            # Only the next COMMIT was armed: the one after it is answered.
            with _connect(proxy) as again:
                again.execute("BEGIN")
                again.execute(f"INSERT INTO {table} VALUES (2)")
                again.execute("COMMIT")
            assert proxy.commits_dropped == 1
            assert direct.execute(f"SELECT count(*) FROM {table}").fetchone() == (3,)
        finally:
            direct.execute(f"DROP TABLE IF EXISTS {table}")


def test_a_commit_word_in_data_or_a_rollback_is_not_a_commit(proxy: NetProxy) -> None:
    with _connect(proxy) as conn:
        proxy.drop_reply_at_commit()
        assert conn.execute("SELECT %s::text", ["recommitted"]).fetchone() == ("recommitted",)
        conn.execute("BEGIN")
        conn.execute("ROLLBACK")
        assert proxy.commits_dropped == 0
        proxy.heal()


def test_blackhole_holds_both_ways_until_healed(proxy: NetProxy) -> None:
    with _connect(proxy) as conn:
        proxy.blackhole()
        result: list[object] = []
        worker = threading.Thread(target=lambda: result.append(conn.execute("SELECT 5").fetchone()))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive() and result == []  # no answer, no error: the link just went quiet
        assert proxy.open_connections == 1
        # A new connection is accepted but gets nowhere: connect_timeout ends the wait.
        t0 = time.perf_counter()
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(host=proxy.host, port=proxy.port, dbname=DATABASE, user=_user(), sslmode="disable",
                            gssencmode="disable", connect_timeout=2)
        assert 1.5 < time.perf_counter() - t0 < 5
        proxy.heal()
        worker.join(5)
        assert result == [(5,)]  # what was held was delivered
        assert conn.execute("SELECT 6").fetchone() == (6,)
