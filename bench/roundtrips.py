"""Round trips per store call, and the databases the GUI-stall probe runs on.

PostgreSQL is counted at :class:`bench.netproxy.NetProxy` (answered client bursts, see there):
the store opens its URL through the proxy, so every connection, ping, BEGIN, statement, COMMIT
and pool reset it makes is seen. SQLite has no network: there a "round trip" is one call into the
library, counted as every statement the engine executes (``before_cursor_execute``, which sees
BEGIN, PRAGMAs and queries alike) plus every COMMIT and ROLLBACK (engine events); it is shown for
reference, since each costs microseconds, not a network's round-trip time.

The PostgreSQL figures use the real server at 127.0.0.1:5432, database ``test``, in a schema of
their own that is dropped afterwards; where no server answers, :func:`postgres_base_url` says why
and the bench prints that line instead of the rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"
BENCH_CLINICIAN, BENCH_PASSWORD = "Dr Bench", "bench knee 2026"
OPERATIONS = ("save", "search", "list")
TARGETS = {"save": 4, "search": 2, "list": 2}
WHAT = {"save": "save (save_draft, existing draft)", "search": "search (find_patients)",
        "list": "encounter list (list_encounters)"}


def postgres_base_url() -> tuple[str | None, str]:
    """(URL of the test database for a user that can connect, "") or (None, why not)."""
    import psycopg

    reasons = []
    for user in dict.fromkeys([getpass.getuser(), "postgres"]):
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, connect_timeout=3):
                return f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}", ""
        except psycopg.Error as exc:
            reasons.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    return None, f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT}/{PG_DATABASE} (" + "; ".join(reasons) + ")"


@contextlib.contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """``base_url`` with a search_path to a new schema, dropped on the way out."""
    import sqlalchemy as sa

    schema = f"kc_bench_{secrets.token_hex(5)}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def fill(url: str, patients: int, encounters: int, *, account: bool) -> None:
    """Demo data, and (``account``) the bench's clinician account, in the database at ``url``."""
    from models.store import Actor, Store

    with Store.open(url) as store:
        store.load_demo(patients, encounters, Actor.current(BENCH_CLINICIAN))
        if account:
            store.create_clinician(BENCH_CLINICIAN, BENCH_PASSWORD, None)


class SqliteCounter:
    """Statements plus COMMITs and ROLLBACKs on one SQLAlchemy engine."""

    def __init__(self, engine: Any) -> None:
        import sqlalchemy as sa

        self.count = 0

        def bump(*_args: object, **_kwargs: object) -> None:
            self.count += 1

        for name in ("before_cursor_execute", "commit", "rollback"):
            sa.event.listen(engine, name, bump)

    def reset(self) -> None:
        self.count = 0

    @property
    def round_trips(self) -> int:
        return self.count


class ProxyCounter:
    """Round trips as the proxy counts them."""

    def __init__(self, proxy: Any) -> None:
        self.proxy = proxy

    def for_store(self, _store: Any) -> ProxyCounter:
        return self

    def reset(self) -> None:
        self.proxy.reset_counts()

    @property
    def round_trips(self) -> int:
        return int(self.proxy.round_trips)


@dataclass
class Figures:
    round_trips: dict[str, int]
    """median round trips per operation"""
    spread: dict[str, tuple[int, int]]
    """fewest and most round trips seen per operation"""
    median_ms: dict[str, float]


def store_engine(store: Any) -> Any:
    """The store's SQLAlchemy engine (private to the store; the bench listens on it)."""
    for name in ("_engine", "engine"):
        engine = getattr(store, name, None)
        if engine is not None:
            return engine
    raise RuntimeError("cannot find the store's engine to count its statements")


def measure(url: str, counter_for: Callable[[Any], Any], runs: int = 20) -> Figures:
    """Round trips and time of save, search and list on the store at ``url``, after a warm-up.

    ``counter_for(store)`` returns an object with ``reset()`` and ``round_trips``.
    """
    from models.case import EncounterInfo
    from models.store import Actor, Store

    store = Store.open(url)
    try:
        counter = counter_for(store)
        actor = store.account_actor(Actor.current(BENCH_CLINICIAN))
        patients = store.find_patients("DEMO-", limit=50)
        info = EncounterInfo(date=dt.date(2026, 11, 20), clinician=BENCH_CLINICIAN, knee="left")
        record = store.create_draft(patients[0].id, info, {"slr": "negative"}, "", actor)
        answers = ["positive", "negative"]
        probes = ["Testpatient-0001", "DEMO-00012", "te", "Alex"]
        counts: dict[str, list[int]] = {op: [] for op in OPERATIONS}
        times: dict[str, list[float]] = {op: [] for op in OPERATIONS}

        def save(n: int) -> None:
            nonlocal record
            findings = {"slr": answers[n % 2], "swelling": "none", "sensory_changes": "no"}
            record = store.save_draft(record.id, record.version, info, findings, f"note {n}", actor)

        ops: dict[str, Callable[[int], object]] = {
            "save": save,
            "search": lambda n: store.find_patients(probes[n % len(probes)], limit=50),
            "list": lambda n: store.list_encounters(patients[n % len(patients)].id),
        }
        for n in range(3):  # warm-up: pooled connections, each assessment stored once
            for fn in ops.values():
                fn(n)
        for n in range(runs):
            for op, fn in ops.items():
                counter.reset()
                t0 = time.perf_counter()
                fn(n)
                times[op].append((time.perf_counter() - t0) * 1000.0)
                counts[op].append(counter.round_trips)
        return Figures({op: int(statistics.median(c)) for op, c in counts.items()},
                       {op: (min(c), max(c)) for op, c in counts.items()},
                       {op: statistics.median(t) for op, t in times.items()})
    finally:
        store.close()
