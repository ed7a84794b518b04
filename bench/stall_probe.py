"""The longest GUI-thread stall of the real window while a clinician works, as JSON on stdout:
`python -m bench.stall_probe DB_URL` (the database needs demo data and the account
bench.roundtrips.BENCH_CLINICIAN; `make bench` makes it, and puts its delay proxy in the URL).

A 5 ms repeating QTimer ticks on the GUI thread the whole time; a gap between two ticks beyond
those 5 ms is time the event loop could not run: the window was frozen. The probe drives the real
MainWindow (offscreen) through its public methods and key events, one phase at a time, each
waiting for its own result before the next begins, and reports the longest gap in each phase:

sign_in    type the name and password on the sign-in page and press the button; until signed in
open_patient  open a demo patient (the encounter list)
open_encounter  open one of the patient's drafts
answer_autosave  answer 6 items by keyboard, 300 ms apart, then wait for the autosave to store them
search     type 10 characters into the patient search, one every 120 ms; until the last result shows
save       type a note, then Save (Ctrl+S); until stored
finalize   Finalize and confirm; until the editor is read-only

A phase that does not reach its result within its time limit is reported with "completed": false.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

TICK_MS = 5
KEY_INTERVAL_MS = 120
ANSWER_INTERVAL_MS = 300
PHASE_LIMIT_S = 20.0
SEARCH_TEXT = "Testpatien"

Step = tuple[str, Any]  # ("phase", name) | ("wait", ms) | ("until", predicate)


class Heartbeat:
    def __init__(self) -> None:
        self.phase = "start"
        self.last = time.perf_counter()
        self.worst: dict[str, float] = {}
        self.timer = QTimer(interval=TICK_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self.last) * 1000.0 - TICK_MS
        self.last = now
        self.worst[self.phase] = max(self.worst.get(self.phase, 0.0), gap)

    def start_phase(self, name: str) -> None:
        self.tick()  # the gap before this belongs to the phase before
        self.phase = name


def _first(window: Any, *names: str) -> Any:
    for name in names:
        value = getattr(window, name, None)
        if value is not None:
            return value
    raise AttributeError(f"the window has none of {names}")


def _signed_in(window: Any) -> bool:
    actor = window.signed_in_actor() if callable(getattr(window, "signed_in_actor", None)) else None
    return actor is not None


def _record(window: Any) -> Any:
    session = getattr(window, "session", None)  # the rebuilt window's open-encounter object
    return getattr(session, "record", None) if session is not None else getattr(window, "record", None)


def _dirty(window: Any) -> bool:
    session = getattr(window, "session", None)
    return bool(getattr(session, "dirty", False) if session is not None else getattr(window, "dirty", False))


def _busy(window: Any) -> bool:
    for name in ("is_busy", "busy"):
        value = getattr(window, name, None)
        if callable(value):
            return bool(value())
        if isinstance(value, bool):
            return value
    return False


def script(window: Any, store: Any, password: str, clinician: str, results: dict[str, Any]) -> Generator[Step]:
    from ui.encounter_editor import ChoiceRow

    yield ("wait", 500)  # first paint, lazy building
    yield ("phase", "sign_in")
    page = window.sign_in_page
    yield ("until", lambda: page.isVisible() and page.name.isVisible())
    page.name.clear()
    QTest.keyClicks(page.name, clinician)
    QTest.keyClicks(page.password, password)
    QTest.mouseClick(page.button, Qt.MouseButton.LeftButton)
    yield ("until", lambda: _signed_in(window))
    yield ("wait", 300)

    # The probe's own look-up of a demo draft runs on this thread: not the window's stall, not reported.
    yield ("phase", "probe_setup")
    patient = store.find_patients("DEMO-0000", limit=50)
    drafts = []
    for candidate in patient:
        drafts = [e for e in store.list_encounters(candidate.id) if e.status == "draft"]
        if drafts:
            break
    assert drafts, "no demo draft to open"
    yield ("phase", "open_patient")
    window.open_patient(candidate)
    yield ("until", lambda: not _busy(window))
    yield ("wait", 300)

    yield ("phase", "open_encounter")
    window.open_encounter(drafts[0].id)
    yield ("until", lambda: _record(window) is not None and _record(window).id == drafts[0].id and not _busy(window))
    yield ("wait", 300)

    yield ("phase", "answer_autosave")
    record = _record(window)
    saved_version = record.version
    editor = window.editor
    answered = 0
    for item_id, control in editor.controls.items():
        if not isinstance(control, ChoiceRow) or answered >= 6:
            continue
        current = record.findings.get(item_id)
        values = list(control.item.values)
        choice = values[(values.index(current) + 1) % len(values)] if current in values else values[0]
        control.setFocus()
        QTest.keyClick(control, Qt.Key(Qt.Key.Key_0 + values.index(choice) + 1))
        answered += 1
        yield ("wait", ANSWER_INTERVAL_MS)
    yield ("until", lambda: _record(window).version > saved_version and not _dirty(window) and not _busy(window))
    results["autosave_version"] = _record(window).version

    yield ("phase", "search")
    search = _first(window, "search")
    search.setFocus()
    search.clear()
    done: list[int] = []
    window.search_done.connect(done.append)
    for ch in SEARCH_TEXT:
        QTest.keyClicks(search, ch)
        yield ("wait", KEY_INTERVAL_MS)
    yield ("until", lambda: len(done) > 0)
    yield ("wait", 600)  # any search still running shows its rows
    results["searches_finished"] = len(done)

    yield ("phase", "save")
    notes = _first(window, "notes")
    notes.setFocus()
    QTest.keyClicks(notes, " bench note")
    before = _record(window).version
    window.save_action.trigger()
    yield ("until", lambda: _record(window).version > before and not _dirty(window) and not _busy(window))

    yield ("phase", "finalize")
    window.finalize_action.trigger()
    yield ("until", lambda: window.editor.is_read_only() and _record(window).status == "final" and not _busy(window))
    yield ("wait", 300)


def main() -> int:
    url = sys.argv[1]
    from bench.roundtrips import BENCH_CLINICIAN, BENCH_PASSWORD

    settings_dir = tempfile.mkdtemp(prefix="kneecheck-stall-settings-")
    from ui.app import application

    app = application()  # as the app starts (its garbage collection on the GUI thread included)
    os.environ["XDG_CONFIG_HOME"] = settings_dir  # models.settings.settings_path(): not this machine's settings
    unexpected: list[str] = []

    def yes(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        return QMessageBox.StandardButton.Yes

    def refuse(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        unexpected.append(" / ".join(str(a) for a in args[1:3]))
        return QMessageBox.StandardButton.Ok

    QMessageBox.question = staticmethod(yes)  # type: ignore[method-assign, assignment]
    for name in ("critical", "warning", "information"):
        setattr(QMessageBox, name, staticmethod(refuse))

    from models.store import Store
    from ui.main_window import MainWindow
    from ui.settings import Settings

    store = Store.open(url)  # the window's own store; the probe reads through it only between phases
    window = MainWindow(store, Settings(clinic_name="Bench Clinic", clinic_address="1 Bench Road",
                                        default_clinician=BENCH_CLINICIAN))
    window.resize(1366, 740)
    window.show()
    window.build_work_area()  # as ui.app.run does after the first paint, while the database opens

    beat = Heartbeat()
    results: dict[str, Any] = {}
    completed: dict[str, bool] = {}
    steps = script(window, store, BENCH_PASSWORD, BENCH_CLINICIAN, results)
    state: dict[str, Any] = {"deadline": 0.0}

    def advance(value: Step | None = None) -> None:
        try:
            step = next(steps)
        except StopIteration:
            finish()
            return
        except Exception as exc:  # a step that could not be done: report it, stop
            results["error"] = f"{type(exc).__name__}: {exc}"
            finish()
            return
        kind, arg = step
        if kind == "phase":
            beat.start_phase(arg)
            completed[arg] = False
            state["deadline"] = time.monotonic() + PHASE_LIMIT_S
            QTimer.singleShot(0, advance)
        elif kind == "wait":
            QTimer.singleShot(int(arg), advance)
        else:
            poll(arg)

    def poll(predicate: Callable[[], bool]) -> None:
        if predicate():
            completed[beat.phase] = True
            QTimer.singleShot(0, advance)
        elif time.monotonic() > state["deadline"]:
            results["error"] = f"phase {beat.phase} did not finish within {PHASE_LIMIT_S:.0f} s"
            finish()
        else:
            QTimer.singleShot(10, lambda: poll(predicate))

    def finish() -> None:
        beat.start_phase("end")
        app.quit()

    beat.timer.start()
    QTimer.singleShot(0, advance)
    app.exec()
    beat.timer.stop()
    phases = {name: {"max_stall_ms": round(beat.worst.get(name, 0.0), 1), "completed": completed[name]}
              for name in completed}
    print(json.dumps({"phases": phases, "unexpected_messages": unexpected, **results}))
    window.close()
    store.close()
    return 0 if all(completed.values()) and "error" not in results else 1


if __name__ == "__main__":
    sys.exit(main())
