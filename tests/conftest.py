"""The shared test fixtures, each defined here once: databases, stores, isolated settings, the window.

Databases: a test that uses ``db_url`` (or anything built on it: ``store``, ``raw_engine``) runs on
SQLite (a temporary file) and on PostgreSQL; a module or test marked ``@pytest.mark.engines("sqlite")``
runs on the engines it names only (the window tests do). PostgreSQL is 127.0.0.1:5432, database
``test``, trust authentication, user the login name or else ``postgres``. Each test gets its own
freshly created schema (``kc_<random>``) through the connection's ``search_path`` and drops it
afterwards. Where no server answers, the PostgreSQL variants are skipped with the reason; under
``CI=true`` that is a failure instead.

Settings: every test has workstation settings of its own ($XDG_CONFIG_HOME is a temporary folder,
also for the commands it runs in a subprocess); ``isolated_settings`` is that folder. ``window`` is
the real main window, signed in, registered with qtbot (closed and deleted after the test).
Helpers that are not fixtures live in tests/helpers.py and tests/ui_helpers.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import getpass
import secrets
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from models.store import Store

if TYPE_CHECKING:
    from ui.main_window import MainWindow

PG_HOST, PG_PORT, PG_DATABASE = "127.0.0.1", 5432, "test"
ENGINE_PARAMS = {
    "sqlite": pytest.param("sqlite", id="sqlite"),
    "postgresql": pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on ``db_url`` runs once per engine: both, or those its ``engines`` marker names."""
    if "db_url" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("engines")
    names = marker.args if marker is not None else tuple(ENGINE_PARAMS)
    unknown = [name for name in names if name not in ENGINE_PARAMS]
    if unknown or not names:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: engines{names!r}: known are {sorted(ENGINE_PARAMS)}")
    metafunc.parametrize("db_url", [ENGINE_PARAMS[name] for name in names], indirect=True)


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


@pytest.fixture(name="db_url")
def db_url_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: parametrized per engine by pytest_generate_tests above."""
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


@pytest.fixture(autouse=True, scope="session")
def _no_real_workstation_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module- and session-scoped fixtures too run with settings of their own, never this machine's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("session-settings")))
        yield


@pytest.fixture(autouse=True)
def _test_server_login_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is used as a superuser: commands are told so (README "PostgreSQL roles") and
    would print the warning on every run. tests/test_privileges.py takes this away to see it."""
    monkeypatch.setenv("KNEECHECK_ACCEPT_OWNER_LOGIN", "1")


@pytest.fixture(autouse=True)
def _workstation_settings_of_the_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes this machine's real workstation settings: $XDG_CONFIG_HOME (where
    models.settings.settings_path() looks, inherited by the command-line subprocesses) is a folder of
    the test's own, empty until something is saved."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As the app does (ui/gc_guard.py): while a Qt test runs, no cyclic collection on a worker
    thread (one that frees a window defers its deletion to the GUI thread, where deleting it while
    a worker emits deadlocked Qt); its garbage is collected here, on the GUI thread, at the end."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture(name="isolated_settings")
def isolated_settings_fixture(tmp_path: Path) -> Path:
    """The folder the test's workstation settings go to (created): the settings file is
    ``<folder>/KneeCheck/KneeCheck.conf``, as QSettings kept it under ~/.config."""
    folder = tmp_path / "settings"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(name="window")
def window_fixture(qtbot, store: Store, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    """The real window on ``store``, signed in; any message box the test did not patch fails it."""
    from PySide6.QtWidgets import QMessageBox

    from tests.ui_helpers import make_window

    def unexpected(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(unexpected))
    return make_window(qtbot, store)


def pytest_sessionstart(session: pytest.Session) -> None:
    # PySide 6.12 on Python 3.11 drops a reference to True/None on every emit (ui/pyside_refs.py);
    # the app guards itself at start-up, and a test run makes far more calls than a session does.
    from ui.pyside_refs import guard

    guard()
