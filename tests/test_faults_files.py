"""Start-up, files, timeouts and exit statuses under a clinic's real faults (issue 12).

Special files given as case files, unwritable data, log and settings folders, a full disk, a
damaged SQLite file, an unreachable or silent PostgreSQL server, colliding backup names. Every
child process runs with a timeout, so a hang fails the test instead of blocking the suite.

The tests run as root here, and root passes every permission check: an unwritable folder is a
read-only bind mount where ``mount`` works, else (not root) a folder without write permission,
else (root without mount) a folder whose parent is a regular file, which nobody can write into.
A full disk is a small tmpfs where ``mount`` works, else the process's file-size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored so that a write fails instead of killing the process).
Randomised corruption prints its seed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from models import migrate
from models.backup import BackupExistsError, backup_sqlite
from models.database import QUICK_CHECK_AT_OPEN_BYTES, postgres_connect_args, resolve_url
from models.records import DatabaseDamagedError, DatabaseUnavailableError, DiskFullError
from models.store import Store
from tests.helpers import CASES_DIR

ROOT = Path(__file__).resolve().parent.parent
CASE = CASES_DIR / "cauda_equina.json"
CASES = sorted(p for p in CASES_DIR.glob("*.json") if ".expected" not in p.name)
CHILD_TIMEOUT = 60


# --- running KneeCheck ------------------------------------------------------------------------------

def env_for(base: Path, **overrides: str) -> dict[str, str]:
    """A child environment with its own data, log (state) and settings (config) folders."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8",
           "KNEECHECK_CLINICIAN": "Dr Script", "XDG_CONFIG_HOME": str(base / "cfg"),
           "XDG_STATE_HOME": str(base / "state"), "XDG_DATA_HOME": str(base / "data")}
    env.pop("KNEECHECK_DB", None)
    env.update(overrides)
    return env


def kneecheck(*args: str, env: dict[str, str] | None = None, preexec: Callable[[], None] | None = None,
              timeout: float = CHILD_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=timeout, preexec_fn=preexec)


def our_lines(stderr: str) -> list[str]:
    """KneeCheck's own lines (Qt may add warnings of its own under offscreen)."""
    return [line for line in stderr.splitlines() if line.startswith("kneecheck")]


def assert_one_line(result: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = our_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def encounter_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM encounter").fetchone()[0])


# --- mounts ----------------------------------------------------------------------------------------

def _mount(*args: str) -> bool:
    # KNEECHECK_TEST_NO_MOUNT=1 runs the fallbacks where mounting would work.
    if os.geteuid() != 0 or shutil.which("mount") is None or os.environ.get("KNEECHECK_TEST_NO_MOUNT"):
        return False
    return subprocess.run(["mount", *args], capture_output=True, timeout=30).returncode == 0


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


@contextlib.contextmanager
def unwritable_folder(parent: Path, name: str, populate: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """A folder KneeCheck cannot write into, even as root (see the module docstring);
    ``populate`` fills it first (not in the last fallback, where the folder cannot exist)."""
    folder = parent / name
    folder.mkdir(parents=True)
    if populate is not None:
        populate(folder)
    if _mount("--bind", str(folder), str(folder)):
        try:
            if _mount("-o", "remount,bind,ro", str(folder)):
                yield folder
                return
        finally:
            _umount(folder)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    shutil.rmtree(folder)
    blocker = parent / f"{name}.file"
    blocker.write_text("a regular file where a folder's parent should be")
    yield blocker / name


@contextlib.contextmanager
def small_disk(parent: Path, kib: int = 2048) -> Iterator[Path | None]:
    """A tmpfs of ``kib`` KiB mounted in ``parent``, or None where mounting is not allowed."""
    folder = parent / "small-disk"
    folder.mkdir()
    if not _mount("-t", "tmpfs", "-o", f"size={kib}k,mode=0700", "tmpfs", str(folder)):
        yield None
        return
    try:
        yield folder
    finally:
        _umount(folder)


def fill(folder: Path, leave_kib: int) -> Path:
    """Fill the disk under ``folder`` until about ``leave_kib`` KiB are left."""
    filler = folder / "filler"
    filler.unlink(missing_ok=True)
    fs = os.statvfs(folder)
    size = max(0, fs.f_bfree * fs.f_frsize - leave_kib * 1024)
    with open(filler, "wb") as fh:
        with contextlib.suppress(OSError):
            fh.write(b"\0" * size)
    return filler


def file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


# --- 1. special files --------------------------------------------------------------------------------

@pytest.fixture(name="fifo")
def fifo_fixture(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("command", ["assess", "import", "report"])
def test_a_fifo_given_as_a_case_file_is_refused_unread(fifo: Path, tmp_path: Path, command: str) -> None:
    args = {"assess": ["assess", str(fifo)],
            "import": ["--db", f"sqlite:///{tmp_path}/kc.db", "import", str(CASE), str(fifo)],
            "report": ["report", str(fifo), "-o", str(tmp_path / "out.pdf")]}[command]
    started = time.monotonic()
    result = kneecheck(*args, env=env_for(tmp_path), timeout=30)  # a hang fails here, it does not block
    assert time.monotonic() - started < 15
    assert_one_line(result, 2, str(fifo), "named pipe (FIFO)", "not read")
    assert result.stdout == ""
    assert not (tmp_path / "kc.db").exists() and not (tmp_path / "out.pdf").exists()
    # Never opened for reading: a writer that does not wait still finds no reader.
    with pytest.raises(OSError):
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_given_as_a_case_file_is_refused(device: str, tmp_path: Path) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    for args in (["assess", device], ["--db", f"sqlite:///{tmp_path}/kc.db", "import", device]):
        assert_one_line(kneecheck(*args, env=env_for(tmp_path), timeout=30), 2, device, "character device")
    assert not (tmp_path / "kc.db").exists()


def test_a_fhir_bundle_on_a_fifo_is_refused_too(fifo: Path) -> None:
    from models.case import CaseError
    from models.fhir_import import load_import_file

    with pytest.raises(CaseError, match="named pipe"):
        load_import_file(fifo, mrn_system="urn:kneecheck:mrn")


def test_an_ordinary_case_file_still_reads(tmp_path: Path) -> None:
    result = kneecheck("assess", str(CASE), env=env_for(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["urgency"]


# --- 2. unwritable folders -------------------------------------------------------------------------

def test_an_unwritable_data_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with unwritable_folder(tmp_path, "data") as data:
        env = env_for(tmp_path, XDG_DATA_HOME=str(data))
        line = assert_one_line(kneecheck("import", str(CASE), env=env), 2, "data folder", "cannot be written")
        assert "--db" in line  # it says what to do
        assert_one_line(kneecheck("--smoke-test", env=env, timeout=30), 2, "data folder", "cannot be written")


def test_a_database_in_an_unwritable_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "kc.db"
    assert kneecheck("--db", f"sqlite:///{db}", "import", str(CASE), env=env_for(tmp_path)).returncode == 0
    before = sha256(db)
    with unwritable_folder(tmp_path, "ro", populate=lambda folder: shutil.copy(db, folder / "kc.db")) as folder:
        target = folder / "kc.db"
        for args in (["import", str(CASE)], ["export", "1", "--json"]):
            result = kneecheck("--db", f"sqlite:///{target}", *args, env=env_for(tmp_path))
            line = assert_one_line(result, 2, str(folder))
            # (where the folder cannot even exist, the database file cannot be created in it)
            assert "cannot be written" in line or "cannot create the database file" in line, line
        if target.exists():
            assert sha256(target) == before
    assert sha256(db) == before


@pytest.mark.parametrize("which", ["state", "cfg"])
def test_smoke_test_with_an_unwritable_log_or_settings_folder_says_so_and_exits_2(tmp_path: Path, which: str) -> None:
    what = {"state": "log folder", "cfg": "settings folder"}[which]
    variable = {"state": "XDG_STATE_HOME", "cfg": "XDG_CONFIG_HOME"}[which]
    with unwritable_folder(tmp_path, which) as folder:
        started = time.monotonic()
        result = kneecheck("--db", f"sqlite:///{tmp_path}/kc.db", "--smoke-test",
                           env=env_for(tmp_path, **{variable: str(folder)}), timeout=30)
        took = time.monotonic() - started
    line = assert_one_line(result, 2, what, "cannot be written")
    assert took < 15, took
    assert "Traceback" not in result.stderr and "database ready" not in result.stdout, line
    assert not (tmp_path / "kc.db").exists()  # stopped before the database was opened


# The window's start-up runs in a child process: ui.app.main runs and ends the application's event
# loop, after which this process's window tests could no longer wait in nested loops.
WINDOW_CHILD = """
import json, sys
from PySide6.QtWidgets import QMessageBox
shown = []
QMessageBox.critical = staticmethod(lambda _parent, title, text, *a, **k: shown.append([title, text]))
import ui.app
code = ui.app.main(sys.argv[1])
print(json.dumps({"code": code, "shown": shown}), flush=True)
"""


@pytest.mark.parametrize("which", ["state", "cfg"])
def test_the_window_shows_one_dialog_for_an_unwritable_log_or_settings_folder(tmp_path: Path, which: str) -> None:
    what = {"state": "log folder", "cfg": "settings folder"}[which]
    variable = {"state": "XDG_STATE_HOME", "cfg": "XDG_CONFIG_HOME"}[which]
    with unwritable_folder(tmp_path, which) as folder:
        env = env_for(tmp_path, **{variable: str(folder)})
        result = subprocess.run([sys.executable, "-c", WINDOW_CHILD, f"sqlite:///{tmp_path}/kc.db"], env=env,
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 2
    assert len(report["shown"]) == 1, report
    title, text = report["shown"][0]
    assert title == "KneeCheck cannot start" and what in text and "cannot be written" in text
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kc.db").exists()


# --- 3. a full disk --------------------------------------------------------------------------------

def test_a_full_disk_is_said_as_such_and_nothing_is_half_stored(tmp_path: Path) -> None:
    with small_disk(tmp_path) as disk:
        if disk is None:
            pytest.skip("mount not allowed here; test_a_file_size_limit_is_said_as_such covers RLIMIT_FSIZE")
        db = disk / "kc.db"
        url = f"sqlite:///{db}"
        first = kneecheck("--db", url, "import", str(CASE), env=env_for(tmp_path))
        assert first.returncode == 0, first.stderr
        many = [str(p) for p in CASES] * 3
        for leave in (64, 40, 24, 0):  # full while writing the change, or already full at open
            filler = fill(disk, leave)
            result = kneecheck("--db", url, "import", *many, env=env_for(tmp_path))
            line = assert_one_line(result, 3, "full")
            assert "disk" in line and "disk I/O error" not in line.split("(")[0], line
            assert result.stdout == ""
            filler.unlink()
            assert encounter_count(db) == 1, leave  # the import is all or nothing
        other = next(p for p in CASES if p != CASE)  # the same case again would be the stored record
        again = kneecheck("--db", url, "import", str(other), env=env_for(tmp_path))
        assert again.returncode == 0, again.stderr  # space again: it works
        assert encounter_count(db) == 2
        with Store.open(url) as store:
            assert store.verify() == []
        # An output file on the full disk says so too (exit 2: the path, not the database).
        filler = fill(disk, 0)
        report = kneecheck("report", str(CASE), "-o", str(disk / "r.pdf"), env=env_for(tmp_path))
        assert_one_line(report, 2, "disk is full")
        filler.unlink()
        assert not (disk / "r.pdf").exists()


def test_a_file_size_limit_is_said_as_such(tmp_path: Path) -> None:
    """Where no tmpfs can be mounted: RLIMIT_FSIZE makes SQLite's writes fail ("disk I/O error")."""
    db = tmp_path / "kc.db"
    url = f"sqlite:///{db}"
    assert kneecheck("--db", url, "import", str(CASE), env=env_for(tmp_path)).returncode == 0
    assert not Path(f"{db}-wal").exists()
    many = [str(p) for p in CASES] * 3
    result = kneecheck("--db", url, "import", *many, env=env_for(tmp_path), preexec=file_size_limit(db.stat().st_size))
    line = assert_one_line(result, 3)
    assert "file-size limit" in line or "full" in line, line
    assert result.stdout == "" and encounter_count(db) == 1


# --- 4. a damaged SQLite file ----------------------------------------------------------------------

def corrupt_middle(path: Path, seed: int) -> None:
    """Random bytes over the middle third of the file's pages (page 1, the header, is left)."""
    print(f"corrupt_middle seed={seed}")
    rng = random.Random(seed)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // page
    for number in range(max(1, pages // 3), max(2, 2 * pages // 3)):
        data[number * page:(number + 1) * page] = rng.randbytes(page)
    path.write_bytes(bytes(data))


def damaged_database(tmp_path: Path, *, pad_to: int = 0, seed: int | None = None) -> Path:
    db = tmp_path / "kc.db"
    url = f"sqlite:///{db}"
    demo = kneecheck("--db", url, "demo", "--patients", "100", "--encounters", "300", env=env_for(tmp_path))
    assert demo.returncode == 0, demo.stderr
    if pad_to:  # a large file: quick_check is not run at every open, but still before writes
        with contextlib.closing(sqlite3.connect(db)) as conn:
            conn.execute("CREATE TABLE padding (data BLOB)")
            conn.execute("INSERT INTO padding VALUES (zeroblob(?))", (pad_to,))
            conn.commit()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the file; the WAL goes at close
    corrupt_middle(db, seed if seed is not None else random.randrange(1 << 30))
    return db


@pytest.mark.parametrize("size", ["small", "large"])
def test_a_damaged_sqlite_file_is_never_written_to(tmp_path: Path, size: str) -> None:
    db = damaged_database(tmp_path, pad_to=QUICK_CHECK_AT_OPEN_BYTES + (1 << 20) if size == "large" else 0)
    assert (db.stat().st_size > QUICK_CHECK_AT_OPEN_BYTES) == (size == "large")
    before = sha256(db)
    url = f"sqlite:///{db}"
    for args in (["import", str(CASE)], ["backup", str(tmp_path / "copy.db")]):
        result = kneecheck("--db", url, *args, env=env_for(tmp_path))
        assert_one_line(result, 3, "damaged", "quick_check", "nothing was written")
        assert result.stdout == ""
        assert sha256(db) == before, args
    assert not (tmp_path / "copy.db").exists()
    if size == "small":  # checked at every open: even a read-only command says so
        assert_one_line(kneecheck("--db", url, "verify", env=env_for(tmp_path)), 3, "damaged")
        smoke = kneecheck("--db", url, "--smoke-test", env=env_for(tmp_path), timeout=30)
        assert_one_line(smoke, 3, "damaged")
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.glob("kc.db*.bak")) == []


def test_a_damaged_file_is_not_migrated_or_backed_up_before_migrating(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    url = resolve_url(f"sqlite:///{db}")
    migrate.upgrade(url, migrate.KNOWN_REVISIONS[0])
    with contextlib.closing(sqlite3.connect(db)) as conn:  # enough pages to damage the middle ones
        conn.execute("CREATE TABLE padding (data BLOB)")
        conn.executemany("INSERT INTO padding VALUES (randomblob(3000))", [()] * 200)
        conn.commit()
    corrupt_middle(db, 12)
    before = sha256(db)
    with pytest.raises(DatabaseDamagedError, match="quick_check"):
        migrate.upgrade(url)
    assert_one_line(kneecheck("--db", f"sqlite:///{db}", "verify", env=env_for(tmp_path)), 3, "damaged")
    assert sha256(db) == before
    assert list(tmp_path.glob("old.db.before-*")) == []


def test_a_file_that_is_not_a_database_is_refused_with_exit_3(tmp_path: Path) -> None:
    db = tmp_path / "kc.db"
    db.write_bytes(os.urandom(8192))
    before = sha256(db)
    assert_one_line(kneecheck("--db", f"sqlite:///{db}", "import", str(CASE), env=env_for(tmp_path)), 3, "damaged")
    assert sha256(db) == before


def test_a_database_path_that_is_a_fifo_is_refused(fifo: Path, tmp_path: Path) -> None:
    result = kneecheck("--db", f"sqlite:///{fifo}", "verify", env=env_for(tmp_path), timeout=30)
    assert_one_line(result, 2, "not a regular file")


# --- 5. pre-migration backups ----------------------------------------------------------------------

def test_two_pre_migration_backups_in_the_same_instant_get_two_names(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "kc.db"
    with Store.open(f"sqlite:///{db}"):
        pass
    frozen = dt.datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:  # type: ignore[override]
            return frozen  # type: ignore[return-value]

    monkeypatch.setattr(migrate, "dt", SimpleNamespace(datetime=Frozen, UTC=dt.UTC))
    first = migrate.write_pre_migration_backup(db, "0001_initial")
    second = migrate.write_pre_migration_backup(db, "0001_initial")
    assert first != second and first.exists() and second.exists()
    assert first.name.endswith("20261201T093000.123456Z.bak") and second.name.endswith("-2.bak")
    for backup in (first, second):
        with contextlib.closing(sqlite3.connect(backup)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_pre_migration_backup_names_carry_microseconds(tmp_path: Path) -> None:
    names = {migrate.backup_path_for(tmp_path / "kc.db", "0001_initial").name for _ in range(50)}
    assert len(names) > 1  # not one name per second


def test_backups_taken_concurrently_never_overwrite_each_other(tmp_path: Path) -> None:
    db = tmp_path / "kc.db"
    with Store.open(f"sqlite:///{db}"):
        pass
    made: list[Path] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            made.append(migrate.write_pre_migration_backup(db, "0002_audit_by_patient"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(set(made)) == 8
    assert sorted(made) == sorted(tmp_path.glob("kc.db.before-*.bak"))
    before = sha256(made[0])
    with pytest.raises(BackupExistsError):  # an existing name is refused, never overwritten
        backup_sqlite(db, made[0])
    assert sha256(made[0]) == before


# --- 6. PostgreSQL: unreachable, silent, timeouts ------------------------------------------------------

@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never sends a byte (a hung server or proxy)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for conn in accepted:
            conn.close()
        server.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("server", ["nothing listening", "silent"])
def test_smoke_test_on_an_unreachable_postgresql_exits_3_within_15_s(tmp_path: Path, server: str) -> None:
    with contextlib.ExitStack() as stack:
        port = free_port() if server == "nothing listening" else stack.enter_context(silent_server())
        url = f"postgresql+psycopg://kneecheck:secret@127.0.0.1:{port}/kneecheck"
        timings = {}
        for args in (["--smoke-test"], ["verify"], ["import", str(CASE)]):
            started = time.monotonic()
            result = kneecheck("--db", url, *args, env=env_for(tmp_path), timeout=30)
            timings[args[0]] = took = time.monotonic() - started
            line = assert_one_line(result, 3, "cannot open the database")
            assert "secret" not in result.stderr + result.stdout
            assert took < (15 if args[0] == "--smoke-test" else 10), (args, took)
            if server == "silent":
                assert "did not answer in time" in line, line
        print(f"{server}: seconds until the message {timings}")


def test_the_clinic_can_shorten_the_connect_timeout_in_the_url(tmp_path: Path) -> None:
    with silent_server() as port:
        started = time.monotonic()
        result = kneecheck("--db", f"postgresql+psycopg://k@127.0.0.1:{port}/k?connect_timeout=2", "verify",
                           env=env_for(tmp_path), timeout=30)
        took = time.monotonic() - started
    assert_one_line(result, 3, "did not answer in time")
    assert took < 4.5, took


@pytest.mark.parametrize("query", ["connect_timeout=soon", "statement_timeout=5%20s", "keepalives_idle=-1",
                                   "idle_in_transaction_session_timeout=1h"])
def test_a_bad_timeout_in_the_url_is_bad_input(tmp_path: Path, query: str) -> None:
    result = kneecheck("--db", f"postgresql+psycopg://k@127.0.0.1:{free_port()}/k?{query}", "verify",
                       env=env_for(tmp_path), timeout=30)
    assert_one_line(result, 2, query.split("=")[0])


def test_connect_arguments_have_defaults_and_the_url_wins() -> None:
    plain, args, answer = postgres_connect_args(resolve_url("postgresql+psycopg://k@h/d"))
    assert {k: args[k] for k in ("connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
                                 "tcp_user_timeout")} == {"connect_timeout": "5", "keepalives_idle": "5",
                                                          "keepalives_interval": "2", "keepalives_count": "2",
                                                          "tcp_user_timeout": "8000"}
    assert args["options"] == "-c statement_timeout=7s -c idle_in_transaction_session_timeout=5s"
    assert answer == 7.5 and dict(plain.query) == {}
    plain, args, answer = postgres_connect_args(resolve_url(
        "postgresql+psycopg://k@h/d?connect_timeout=3&statement_timeout=20000&options=-csearch_path%3Dx"))
    assert "connect_timeout" not in args and dict(plain.query) == {"connect_timeout": "3"}  # libpq reads it
    assert args["options"] == "-c statement_timeout=20000 -c idle_in_transaction_session_timeout=5s -csearch_path=x"
    assert answer == 20.5
    assert postgres_connect_args(resolve_url("postgresql+psycopg://k@h/d?statement_timeout=0"))[2] is None
    _plain, args, answer = postgres_connect_args(resolve_url("postgresql+psycopg://k@h/d"), long_statements=True)
    assert "statement_timeout=0" in args["options"] and answer is None


@pytest.mark.parametrize("query, says", [
    ("connect_timeout=0", "would wait for ever"), ("connect_timeout=2&connect_timeout=3", "more than once")])
def test_a_bad_timeout_in_the_url_is_refused_naming_it(query: str, says: str) -> None:
    from models.database import DatabaseUrlError

    with pytest.raises(DatabaseUrlError, match=says):
        resolve_url(f"postgresql+psycopg://k@h/d?{query}")


def _query(store: Store, sql: str) -> object:
    # Through the store's own engine and error handling, as every store method runs.
    from models.database import database_error

    try:
        with store._engine.connect() as conn:  # the engine under test
            return conn.exec_driver_sql(sql).scalar()
    except sa.exc.DBAPIError as exc:
        raise database_error(exc) from None


@pytest.mark.postgres
def test_sessions_get_the_timeouts_and_a_long_statement_is_cut(pg_schema_url: str) -> None:
    with Store.open(pg_schema_url) as store:
        assert _query(store, "SHOW statement_timeout") == "7s"
        assert _query(store, "SHOW idle_in_transaction_session_timeout") == "5s"
        assert _query(store, "SHOW search_path").startswith("kc_")  # the URL's own options still apply
    with Store.open(pg_schema_url + "&statement_timeout=1s&idle_in_transaction_session_timeout=1s") as store:
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailableError, match="did not answer in time"):
            _query(store, "SELECT pg_sleep(5)")
        assert time.monotonic() - started < 3
        assert _query(store, "SELECT 1") == 1  # the server's own timeout leaves the connection usable
        with store._engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")  # in a transaction now
            time.sleep(1.6)
            with pytest.raises(sa.exc.DBAPIError) as info:
                conn.exec_driver_sql("SELECT 2")
        from models.database import database_error

        assert isinstance(database_error(info.value), DatabaseUnavailableError)
        assert _query(store, "SELECT 3") == 3


@pytest.mark.postgres
def test_a_server_that_goes_silent_mid_session_is_reported_within_10_s_and_recovers(pg_schema_url: str) -> None:
    from bench.netproxy import NetProxy
    from models.case import load_case_file
    from models.store import Actor

    actor = Actor("Dr Proxy", "tester", "test-host")
    with NetProxy() as proxy, Store.open(proxy.url(pg_schema_url)) as store:
        store.import_cases([load_case_file(CASE)], actor, sources=[str(CASE)])
        proxy.blackhole()
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailableError, match="did not answer"):
            store.find_patients("a")
        took = time.monotonic() - started
        print(f"silent server: reported after {took:.1f} s")
        assert took < 10, took
        proxy.heal()
        assert len(store.audit_events()) >= 1  # the link is back: the next call works


@pytest.mark.postgres
def test_a_cut_connection_is_exit_3_not_bad_input(pg_schema_url: str, tmp_path: Path) -> None:
    from bench.netproxy import NetProxy

    with NetProxy() as proxy:
        url = proxy.url(pg_schema_url)
        assert kneecheck("--db", url, "import", str(CASE), env=env_for(tmp_path)).returncode == 0
        proxy.refuse()
        assert_one_line(kneecheck("--db", url, "export", "1", "--json", env=env_for(tmp_path)), 3)
        proxy.heal()
        assert kneecheck("--db", url, "export", "1", "--json", env=env_for(tmp_path)).returncode == 0


def test_disk_full_and_damage_are_kinds_of_unavailable() -> None:
    # The window and the command line decide on the class: 3 for all of these.
    assert issubclass(DiskFullError, DatabaseUnavailableError)
    assert issubclass(DatabaseDamagedError, DatabaseUnavailableError)
