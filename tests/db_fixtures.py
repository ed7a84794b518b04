"""Database fixtures: every store test runs on SQLite (a temporary file) and on PostgreSQL.

PostgreSQL is 127.0.0.1:5432, database ``test``, trust authentication, user the login name or else
``postgres``. Each test gets its own freshly created schema (``kc_<random>``) through the
connection's ``search_path`` and drops it afterwards. Where no server answers, the PostgreSQL
variants are skipped with the reason; under ``CI=true`` that is a failure instead.

Test modules import the ``*_fixture`` functions; pytest knows them by their short names
(``db_url``, ``store``, ``raw_engine``, ``pg_schema_url``).
"""

from __future__ import annotations

import getpass
import os
import secrets
from collections.abc import Iterator
from functools import cache

import pytest
import sqlalchemy as sa

from models.store import Store

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"


@cache
def postgres_user() -> tuple[str | None, str]:
    """(user that can connect, "") or (None, why not)."""
    import psycopg

    reasons = []
    for user in dict.fromkeys([getpass.getuser(), "postgres"]):
        try:
            with psycopg.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user, connect_timeout=3):
                return user, ""
        except psycopg.Error as exc:
            reasons.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    return None, "PostgreSQL not reachable at 127.0.0.1:5432/test (" + "; ".join(reasons) + ")"


def _postgres_or_skip() -> str:
    user, reason = postgres_user()
    if user is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI=true requires PostgreSQL")
        pytest.skip(reason)
    return user


@pytest.fixture(name="pg_schema_url")
def pg_schema_url_fixture() -> Iterator[str]:
    """A PostgreSQL URL whose connections see only a new, empty schema."""
    user = _postgres_or_skip()
    schema = f"kc_{secrets.token_hex(6)}"
    admin = sa.create_engine(f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}")
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"postgresql+psycopg://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


ENGINES = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(name="db_url", params=ENGINES)
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/kneecheck.db"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture(name="store")
def store_fixture(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(name="raw_engine")
def raw_engine_fixture(db_url: str, store: Store) -> Iterator[sa.Engine]:
    """A plain engine on the same database, for tests that go around the store on purpose."""
    engine = sa.create_engine(db_url)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _fk(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA busy_timeout=10000")
    try:
        yield engine
    finally:
        engine.dispose()
