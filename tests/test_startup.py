"""Start-up: the window is shown before the database layer is imported, then the store is attached.

The import checks run in a fresh interpreter (this test process has long imported everything).
The window tests drive ``MainWindow()`` without a store, as ``ui.app`` starts it, and attach one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QToolBar

from models.case import EncounterInfo, Patient
from models.store import Actor, Store
from tests.ui_helpers import SIGNED_IN
from ui.main_window import MainWindow
from ui.settings import Settings

# The window here runs on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "alembic", "reportlab", "psycopg", "PySide6.QtPdf", "PySide6.QtPdfWidgets",
         "PySide6.QtPrintSupport")
# The working area behind the sign-in page is built after the first frame; so are its modules.
WORK_AREA_MODULES = ("ui.assessment_panel", "ui.encounter_editor", "ui.tables", "ui.summary_view")


def fresh_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
            "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data")}


def heavy_loaded(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_window_modules_import_no_database_pdf_or_print_code(tmp_path: Path) -> None:
    code = ("import sys, json, main, ui.app, ui.main_window; "
            "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=fresh_env(tmp_path), check=True,
                         capture_output=True, text=True).stdout
    modules = json.loads(out)
    assert heavy_loaded(modules) == []
    assert [m for m in WORK_AREA_MODULES if m in modules] == []


def test_gui_start_shows_the_window_before_the_database_layer_is_imported(tmp_path: Path) -> None:
    # Runs the real `main.py --smoke-test` in a child; at the moment the window is reported shown
    # (the first call of seconds_since_launch) the child records which heavy modules are loaded.
    code = (
        "import sys, json, main, ui.app\n"
        "import PySide6.QtCore\n"
        "real, seen, qt_namespace = ui.app.seconds_since_launch, [], []\n"
        "def spy(started):\n"
        "    seen.append(sorted(sys.modules))\n"
        "    qt_namespace.append('Qt' in vars(PySide6.QtCore))\n"
        "    return real(started)\n"
        "ui.app.seconds_since_launch = spy\n"
        "code = main.main(['--db', sys.argv[1], '--smoke-test'])\n"
        "print(json.dumps({'code': code, 'at_show': seen[0], 'at_end': sorted(sys.modules),\n"
        "                  'qt_namespace_at_show': qt_namespace[0]}))\n"
    )
    url = f"sqlite:///{tmp_path / 'kc.db'}"
    for run in ("new database", "current database"):
        result = subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, env=fresh_env(tmp_path),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0].startswith("window shown in ") and lines[1].startswith("database ready in ")
        report = json.loads(lines[-1])
        assert report["code"] == 0
        assert heavy_loaded(report["at_show"]) == [], run
        # The first frame is the sign-in page: the working area and its modules come after it.
        assert [m for m in WORK_AREA_MODULES if m in report["at_show"]] == [], run
        assert set(WORK_AREA_MODULES) <= set(report["at_end"])  # built in idle time after the show
        # PySide creates the Qt namespace's enums (~25 ms) on first use; the sign-in page needs none.
        assert report["qt_namespace_at_show"] is False, run
        assert "sqlalchemy" in report["at_end"]  # the store was really opened, on the worker thread
        if run == "current database":  # schema revision checked with plain SQL; no PDF or print code
            assert {m.split(".")[0] for m in heavy_loaded(report["at_end"])} == {"sqlalchemy"}


def test_smoke_test_exits_2_with_one_line_when_the_database_cannot_be_opened(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "kc.db"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", f"sqlite:///{missing}", "--smoke-test"],
                            cwd=ROOT, env=fresh_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stdout.startswith("window shown in ")
    ours = [line for line in result.stderr.splitlines() if line.startswith("kneecheck")]  # Qt may warn too
    assert len(ours) == 1 and ours[0].startswith("kneecheck: error: cannot create the database file")


@pytest.fixture(name="opening_window")
def opening_window_fixture(qtbot, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # type: ignore[no-untyped-def]
    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: pytest.fail(f"message box {a[1:3]}")))
    window = MainWindow(settings=Settings(default_clinician="Dr Ada Example"), signed_in=SIGNED_IN)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_window_opens_before_the_store_and_runs_the_typed_search_once_attached(
        qtbot, opening_window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = opening_window
    store.create_patient(Patient(mrn="R-100", family_name="Petrova", given_name="Ana",
                                 birth_date=__import__("datetime").date(1961, 4, 2), sex="female"),
                         Actor.current("Dr Ada Example"))
    assert not window.has_store()
    assert "opening" in window.statusBar().currentMessage().lower()
    assert not window.new_patient_action.isEnabled() and not window.new_patient_button.isEnabled()
    assert not window.editor_is_built()  # nothing of the checklist editor before it is needed
    assert window.checklist_page.currentWidget() is window.checklist_placeholder

    qtbot.keyClicks(window.search, "Petr")  # typing works while the database opens
    qtbot.waitUntil(lambda: "opening" in window.search_status.text().lower(), timeout=3000)
    assert window.patients.rowCount() == 0

    with qtbot.waitSignal(window.search_done, timeout=5000) as found:
        window.attach_store(store)
        assert window.ops.wait_idle()
    assert found.args == [1] and window.patients.record(0).mrn == "R-100"
    assert window.new_patient_action.isEnabled() and window.statusBar().currentMessage() == ""
    assert store.url_for_display in window.db_label.text()
    qtbot.waitUntil(window.editor_is_built, timeout=5000)  # built in idle time after the attach


def test_new_encounter_before_idle_build_finishes_builds_the_editor_at_once(
        qtbot, opening_window: MainWindow, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = opening_window
    patient = store.create_patient(Patient(mrn="R-200", family_name="Okafor", given_name="Chidi",
                                           birth_date=__import__("datetime").date(1970, 1, 5), sex="male"),
                                   Actor.current("Dr Ada Example"))
    window.attach_store(store)
    assert window.ops.wait_idle()
    window.open_patient(patient)
    assert window.ops.wait_idle()
    window.new_encounter()  # the idle-time build may not have finished: it completes now
    assert window.ops.wait_idle()
    assert window.editor_is_built() and not window.editor_build_timer.isActive()
    assert window.checklist_page.currentWidget() is window.editor
    window.editor.controls["back_pain"].set_value("yes")
    window.knee.setCurrentIndex(window.knee.findData("left"))
    assert window.save()
    assert window.ops.wait_idle()
    assert window.record is not None
    stored = store.load_encounter(window.record.id)
    assert stored.findings == {"back_pain": "yes"}
    assert stored.info == EncounterInfo(date=stored.info.date, clinician="Dr Ada Example", knee="left")


def test_the_window_starts_on_the_sign_in_page_and_builds_the_working_area_after_it(
        qtbot, isolated_settings: Path, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.work_area_is_built()
    assert window.central.currentWidget() is window.sign_in_page and window.central.count() == 1
    toolbar = window.findChild(QToolBar, "encounter_toolbar")
    assert [a.objectName() for a in toolbar.actions()] == ["new_encounter", "save", "finalize", "amend",
                                                           "preview", "print", "export"]
    assert not any(a.isEnabled() for a in toolbar.actions())  # on screen, disabled until signed in
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Encounter", "&Go", "&Help"]
    assert not window.new_patient_action.isEnabled() and not window.find_action.isEnabled()
    assert "opening" in window.db_label.text().lower()

    window.build_work_area()  # what ui.app does right after the first frame
    assert window.work_area_is_built() and window.central.count() == 2
    assert window.central.currentWidget() is window.sign_in_page  # still hidden behind the sign-in
    assert not window.work_page.isVisible() and not window.search.isVisible()
    assert not window.new_patient_button.isEnabled() and not window.new_encounter_button.isEnabled()
    page = window.work_page
    window.build_work_area()
    assert window.work_page is page and window.central.count() == 2  # built once

    window.attach_store(store)
    assert window.ops.wait_idle()
    assert window.sign_in_page.mode in ("first_account", "sign_in")
    assert not window.work_page.isVisible()


def test_a_working_area_widget_asked_for_before_the_build_builds_it(qtbot, isolated_settings: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.work_area_is_built()
    assert window.search.objectName() == "patient_search"  # built on this first access
    assert window.work_area_is_built() and window.panel.parent() is not None
    with pytest.raises(AttributeError):
        window.no_such_widget  # noqa: B018 - anything else still fails as usual


def test_signing_in_builds_the_working_area_and_shows_it(qtbot, isolated_settings: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(signed_in=SIGNED_IN)
    qtbot.addWidget(window)
    assert window.work_area_is_built()
    window.show()
    qtbot.waitExposed(window)
    assert window.central.currentWidget() is window.work_page and window.search.isVisible()
