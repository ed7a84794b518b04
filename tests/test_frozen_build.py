"""The clinic's package, built and installed for real: PyInstaller bundle, .deb, dpkg -i, the
installed ``kneecheck`` (window smoke test, migrations, commands, translations and fonts), then
the next version installed over it, and dpkg --purge.

Built once per run (module fixture): PyInstaller into a temporary folder (its work folder is
build/pyinstaller-test, so a second run reuses its analysis), the .deb with packaging/build_deb.py
without the validators (`make package` runs those) and without compression. Needs root and dpkg:
skipped otherwise, and under CI=true that is a failure instead. A kneecheck package already
installed on the machine is never replaced: the test is skipped (fails under CI) then.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import APP_VERSION, migrate
from models.database import resolve_url
from tests.helpers import load_example

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
INSTALLED = Path("/opt/kneecheck")
COMMAND = "/usr/bin/kneecheck"
NEXT_VERSION = f"{APP_VERSION}+next1"  # sorts after APP_VERSION for dpkg


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true requires the frozen-build test to run")
    pytest.skip(reason)


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def _installed_version() -> str | None:
    result = _run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "kneecheck"])
    if result.returncode != 0 or not result.stdout.startswith("install ok installed"):
        return None
    return result.stdout.split()[-1]


def _dpkg_install(deb: Path) -> None:
    result = _run(["dpkg", "-i", str(deb)], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    assert result.returncode == 0, f"dpkg -i {deb.name} failed:\n{result.stdout}\n{result.stderr}"


def _build_deb(bundle: Path, out: Path, version: str) -> Path:
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build_deb.py"), "--bundle", str(bundle),
                    "--out", str(out), "--stage", str(out / "stage"), "--version", version,
                    "--compression", "none", "--no-check"], check=True, capture_output=True, text=True)
    (deb,) = out.glob(f"kneecheck_{version}_*.deb")
    return deb


@pytest.fixture(name="packages", scope="module")
def packages_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(the .deb of APP_VERSION, the .deb of NEXT_VERSION, built from the same bundle); the first
    is installed for the module's tests, and the package purged at the end."""
    if shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None:
        _unavailable("dpkg is not installed (not a Debian machine)")
    if os.geteuid() != 0:
        _unavailable("installing the package needs root (dpkg -i)")
    missing = [tool for tool in ("pyinstaller", "rsvg-convert", "readelf", "strip", "as", "ld")
               if shutil.which(tool, path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}") is None]
    if missing:
        _unavailable(f"{', '.join(missing)} missing: make package-system-deps installs them")
    if _installed_version() is not None:
        _unavailable(f"a kneecheck package ({_installed_version()}) is installed on this machine; the test would replace it")
    out = tmp_path_factory.mktemp("frozen")
    t0 = time.perf_counter()
    if "\ntranslations:" in (ROOT / "Makefile").read_text(encoding="utf-8"):
        subprocess.run(["make", "--no-print-directory", "translations"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(Path(sys.executable).parent / "pyinstaller"), "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(out / "dist"), "--workpath", str(ROOT / "build" / "pyinstaller-test"),
                    str(ROOT / "packaging" / "kneecheck.spec")], cwd=ROOT, check=True, capture_output=True)
    bundle = out / "dist" / "kneecheck"
    first = _build_deb(bundle, out / "v1", APP_VERSION)
    built = time.perf_counter() - t0
    following = _build_deb(bundle, out / "v2", NEXT_VERSION)
    print(f"\nfrozen build: bundle and .deb in {built:.1f} s, the next version's .deb in "
          f"{time.perf_counter() - t0 - built:.1f} s")
    _dpkg_install(first)
    try:
        yield first, following
    finally:
        subprocess.run(["dpkg", "--purge", "kneecheck"], capture_output=True)


@pytest.fixture(name="user")
def user_fixture(tmp_path: Path) -> dict[str, str]:
    """The environment of a clinician's session with a home of its own (data, logs, settings)."""
    home = tmp_path / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "KNEECHECK_DB"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_STATE_HOME=str(home / ".local/state"), XDG_CACHE_HOME=str(home / ".cache"),
               QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    env.pop("PYTHONPATH", None)
    return env


def kneecheck(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return _run([COMMAND, *args], env=env, cwd=cwd or env["HOME"], timeout=120)


def _default_db(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "KneeCheck" / "kneecheck.db"


def _oldest_schema_database(path: Path) -> None:
    """A database as the first schema revision left it, with a patient and an encounter in it."""
    from tests.test_migrations import _insert_first_revision_data

    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    migrate.upgrade(resolve_url(url), migrate.KNOWN_REVISIONS[0])
    _insert_first_revision_data(url)
    path.chmod(0o600)


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _assert_migrated_with_backup(db: Path, result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "window shown in" in result.stdout and "database ready in" in result.stdout
    assert _revision(db) == migrate.HEAD_REVISION
    (backup,) = db.parent.glob(f"{db.name}.before-{migrate.HEAD_REVISION}-from-{migrate.KNOWN_REVISIONS[0]}-*.bak")
    assert backup.stat().st_mode & 0o777 == 0o600
    assert _revision(backup) == migrate.KNOWN_REVISIONS[0]


def test_the_package_installs_the_command_the_desktop_entry_and_the_icon(packages: tuple[Path, Path]) -> None:
    assert _installed_version() == APP_VERSION
    assert os.path.realpath(COMMAND) == str(INSTALLED / "kneecheck")
    share = Path("/usr/share")
    app_id = "invalid.kneecheck.KneeCheck"
    assert (share / "applications" / f"{app_id}.desktop").is_file()
    assert (share / "metainfo" / f"{app_id}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{app_id}.svg").is_file()
    for size in (16, 32, 48, 256):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{app_id}.png").is_file()
    result = _run([COMMAND, "--version"])
    assert result.returncode == 0 and result.stdout.strip() == f"KneeCheck {APP_VERSION}"


def test_smoke_test_on_a_new_database(packages: tuple[Path, Path], user: dict[str, str]) -> None:
    result = kneecheck(user, "--smoke-test")
    assert result.returncode == 0, result.stderr
    assert "window shown in" in result.stdout and "database ready in" in result.stdout
    db = _default_db(user)
    assert _revision(db) == migrate.HEAD_REVISION
    assert not list(db.parent.glob("*.bak"))  # nothing to back up on a new database
    assert (Path(user["XDG_STATE_HOME"]) / "KneeCheck" / "log").is_dir()


def test_smoke_test_migrates_a_database_at_the_oldest_schema_with_a_backup(
        packages: tuple[Path, Path], user: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "clinic" / "kneecheck.db"
    _oldest_schema_database(db)
    _assert_migrated_with_backup(db, kneecheck(user, "--db", f"sqlite:///{db}", "--smoke-test"))
    exported = kneecheck(user, "--db", f"sqlite:///{db}", "export", "1", "--json")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["notes"] == "kept note"


def test_commands_from_the_installed_package(packages: tuple[Path, Path], user: dict[str, str], tmp_path: Path) -> None:
    case, expected = load_example("cauda_equina")
    assessed = kneecheck(user, "assess", str(CASES / "cauda_equina.json"))
    assert assessed.returncode == 0, assessed.stderr
    result = json.loads(assessed.stdout)
    assert (result["direction"], result["urgency"], result["scores"]) == (
        expected["direction"], expected["urgency"], expected["scores"])
    assert sorted(alert["id"] for alert in result["alerts"]) == expected["alerts"]

    report = tmp_path / "report.pdf"
    done = kneecheck(user, "report", str(CASES / "cauda_equina.json"), "-o", str(report))
    assert done.returncode == 0, done.stderr
    assert report.read_bytes().startswith(b"%PDF-")
    fonts = _run(["pdffonts", str(report)])  # the fonts inside the bundle were found and embedded
    assert fonts.returncode == 0 and "DejaVuSans" in fonts.stdout

    imported = kneecheck(user, "import", str(CASES / "cauda_equina.json"), str(CASES / "hip_referred.json"))
    assert imported.returncode == 0, imported.stderr
    ids = imported.stdout.split()
    assert len(ids) == 2
    as_json = kneecheck(user, "export", ids[0], "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["patient"] == case["patient"]
    summary = tmp_path / "summary.pdf"
    exported = kneecheck(user, "export", ids[1], "-o", str(summary))
    assert exported.returncode == 0, exported.stderr
    assert summary.read_bytes().startswith(b"%PDF-")
    hl7 = kneecheck(user, "export", ids[1], "--hl7")
    assert hl7.returncode == 0 and hl7.stdout.startswith("MSH|"), hl7.stderr

    verified = kneecheck(user, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_translations_and_fonts_are_inside_the_bundle(packages: tuple[Path, Path]) -> None:
    internal = INSTALLED / "_internal"
    for lang in ("de", "fr", "es"):
        assert (internal / "PySide6" / "Qt" / "translations" / f"qtbase_{lang}.qm").is_file()
    for source in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        assert (internal / "resources" / "translations" / f"{source.stem}.qm").is_file(), source.name
    for source in sorted((ROOT / "resources" / "locale").glob("*/LC_MESSAGES/*.po")):
        relative = source.relative_to(ROOT / "resources").with_suffix(".mo")
        assert (internal / "resources" / relative).is_file(), str(relative)
    for font in sorted((ROOT / "resources" / "fonts").glob("*.ttf")):
        assert (internal / "resources" / "fonts" / font.name).read_bytes() == font.read_bytes()
    for name in ("rulesets/index.json", "icc/sRGB.icc", "map/leg.svg"):
        assert (internal / "resources" / name).is_file()
    assert (internal / "models" / "migrations" / "env.py").is_file()


def test_the_next_version_installs_over_it_keeps_the_database_and_migrates_it_with_a_backup(
        packages: tuple[Path, Path], user: dict[str, str]) -> None:
    _, following = packages
    db = _default_db(user)
    _oldest_schema_database(db)  # a database left behind at the oldest schema
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    _dpkg_install(following)
    assert _installed_version() == NEXT_VERSION
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # the upgrade itself does not touch it
    _assert_migrated_with_backup(db, kneecheck(user, "--smoke-test"))
    exported = kneecheck(user, "export", "1", "--json")
    assert exported.returncode == 0 and json.loads(exported.stdout)["notes"] == "kept note", exported.stderr

    purged = _run(["dpkg", "--purge", "kneecheck"])
    assert purged.returncode == 0, purged.stderr
    assert _installed_version() is None and not INSTALLED.exists() and not Path(COMMAND).exists()
    assert db.is_file() and list(db.parent.glob("*.bak"))  # per-user data stays, even on purge
