"""Run by tests/test_ui_keyboard_window.py under Xvfb and openbox: a whole visit in the real window by
key events alone, counted. Sign in, find the patient, a new encounter on the left knee, the four key
items, eight more, one red flag (History of cancer: Yes), every other red flag "No" at once, a note,
save, finalize, preview, print to a file, export. Prints one JSON line with the keys pressed and what
was stored and written.

Usage: python -m tests.keyboard_visit_child SQLITE_URL WORKDIR

Every step runs from a timer of the event loop, so a step can answer a modal dialog that the step
before opened (the dialog's own event loop runs the timer). Keys go to the widget that has the focus
(or the active modal dialog's), never to a widget picked by the test: a key that the window does not
route where the clinician expects leaves the visit stuck, and the child says at which step.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAME, PASSWORD, MRN = "Dr Kim Keyboard", "correct horse 42", "K-0001"
NOTE = "Medial knee pain after gardening; no back pain."
# (item id, digit): the four key items, then the next eight in the checklist's order.
ANSWERS = [("sensory_changes", "2"), ("joint_line_tenderness", "2"), ("swelling", "3"), ("slr", "2"),
           ("pain_region", "2"), ("recent_trauma", "2"), ("fall_at_onset", "2"), ("duration_weeks", "6"),
           ("fever", "2"), ("cannot_bear_weight", "2"), ("knee_prosthesis", "2"), ("pain_localized", "1")]


def main(argv: list[str]) -> int:
    url, workdir = argv[0], Path(argv[1])
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from models.case import Patient
    from models.store import Actor, Store
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    _app = application()  # kept: the application lives as long as main()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    store = Store.open(url)
    admin = Actor(NAME, "tester", "exam-room-1")  # with accounts, a change is made by one
    store.create_clinician(NAME, PASSWORD, None)
    store.create_patient(Patient(MRN, "Keyboard", "Kim", dt.date(1961, 3, 4), "female"), admin)
    os.chdir(workdir)  # where Print to File and Export write by default
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road"), signed_in=None)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)

    keys: list[str] = []
    log: list[str] = []

    def target() -> Any:
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if modal is not None and (focus is None or not modal.isAncestorOf(focus)):
            return modal
        return focus if focus is not None else window

    def press(key: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> Callable[[], bool]:
        def step() -> bool:
            widget = target()
            keys.append(f"{mods.name if mods else ''}+{Qt.Key(key).name}" if mods else Qt.Key(key).name)
            log.append(f"key {keys[-1]} -> {type(widget).__name__}:{widget.objectName()}")
            QTest.keyClick(widget, key, mods)
            return True
        step.action = True  # type: ignore[attr-defined]
        return step

    def digit(text: str) -> Callable[[], bool]:
        return press(getattr(Qt.Key, f"Key_{text}"))

    def typed(text: str) -> Callable[[], bool]:
        def step() -> bool:
            widget = target()
            log.append(f"type {text!r} -> {type(widget).__name__}:{widget.objectName()}")
            QTest.keyClicks(widget, text)
            return True
        step.action = True  # type: ignore[attr-defined]
        return step

    def until(what: str, condition: Callable[[], bool]) -> Callable[[], bool]:
        def step() -> bool:
            if condition():
                log.append(f"ok: {what}")
                return True
            return False
        step.__name__ = what
        return step

    def focus_on(name: str) -> Callable[[], bool]:
        return until(f"focus on {name}", lambda: (QApplication.focusWidget() is not None
                                                  and QApplication.focusWidget().objectName() == name))

    def dialog_open(kind: str) -> Callable[[], bool]:
        return until(f"a {kind} is open", lambda: QApplication.activeModalWidget() is not None
                     and type(QApplication.activeModalWidget()).__name__ == kind)

    def no_dialog() -> Callable[[], bool]:
        return until("no dialog", lambda: QApplication.activeModalWidget() is None)

    def idle() -> Callable[[], bool]:
        return until("the store answered", lambda: not window.ops.is_busy())

    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    record = lambda: window.session.record  # noqa: E731
    steps: list[Callable[[], bool]] = [
        focus_on("sign_in_name"), typed(NAME), press(Qt.Key.Key_Tab), typed(PASSWORD), press(Qt.Key.Key_Return),
        until("signed in", lambda: window.sign.actor is not None), idle(),
        press(Qt.Key.Key_F, ctrl), focus_on("patient_search"), typed(MRN), press(Qt.Key.Key_Return),
        focus_on("patient_results"), press(Qt.Key.Key_Return),
        until("the patient is open", lambda: window.patient is not None), idle(),
        press(Qt.Key.Key_N, ctrl), until("a new encounter", lambda: window.session.editing), focus_on("knee"),
        press(Qt.Key.Key_L), until("left knee", lambda: window.area.knee.currentData() == "left"),
        until("the checklist is built", lambda: window.editor_is_built()),
        press(Qt.Key.Key_1, ctrl), focus_on(f"answer_{ANSWERS[0][0]}"),
    ]
    for item_id, value in ANSWERS:
        steps.append(focus_on(f"answer_{item_id}"))
        if item_id == "duration_weeks":
            steps += [typed(value), press(Qt.Key.Key_Return)]
        else:
            steps.append(digit(value))
    steps += [
        press(Qt.Key.Key_G, ctrl), dialog_open("QInputDialog"), typed("cancer"), press(Qt.Key.Key_Return),
        no_dialog(), focus_on("answer_rf_cancer_history"), digit("1"),
        press(Qt.Key.Key_R, ctrl | shift), dialog_open("QMessageBox"), press(Qt.Key.Key_Return), no_dialog(),
        press(Qt.Key.Key_3, ctrl), focus_on("notes"), typed(NOTE),
        press(Qt.Key.Key_S, ctrl), until("saved", lambda: record() is not None and not window.session.dirty), idle(),
        press(Qt.Key.Key_F, ctrl | shift), dialog_open("QMessageBox"), press(Qt.Key.Key_Return), no_dialog(), idle(),
        until("finalized", lambda: record() is not None and record().status == "final"),
        press(Qt.Key.Key_V, ctrl | shift), until("the preview shows", lambda: bool(window.area.preview.pdf_bytes)),
        press(Qt.Key.Key_P, ctrl), dialog_open("QPrintDialog"), press(Qt.Key.Key_Return), no_dialog(), idle(),
        until("printed", lambda: any(p.suffix == ".pdf" and not p.name.startswith("kneecheck-encounter")
                                     for p in workdir.iterdir())),
        press(Qt.Key.Key_E, ctrl), dialog_open("QFileDialog"), press(Qt.Key.Key_Return), no_dialog(), idle(),
        until("exported", lambda: any(p.name.startswith("kneecheck-encounter") for p in workdir.iterdir())),
    ]
    started = dt.datetime.now()
    state = {"next": 0, "stuck_at": None}

    def finish() -> None:
        """Report and leave at once, also from inside a dialog's event loop (a stuck visit)."""
        final = window.session.record
        stored = store.load_encounter(final.id) if final is not None else None
        focus = QApplication.focusWidget()
        modal = QApplication.activeModalWidget()
        result = {
            "keys": keys, "steps_done": state["next"], "steps": len(steps), "stuck_at": state["stuck_at"],
            "log": log[-15:],
            "focus": f"{type(focus).__name__}:{focus.objectName()}" if focus is not None else None,
            "dialog": type(modal).__name__ if modal is not None else None,
            "status": stored.status if stored else None,
            "knee": stored.info.knee if stored else None,
            "clinician": stored.info.clinician if stored else None,
            "findings": dict(stored.findings) if stored else {},
            "notes": stored.notes if stored else None,
            "files": sorted(p.name for p in workdir.iterdir()),
            "file_modes": {p.name: oct(p.stat().st_mode & 0o777) for p in workdir.iterdir()},
        }
        print(json.dumps(result))
        sys.stdout.flush()
        os._exit(0)  # the finalized encounter is stored; nothing to close

    def tick() -> None:
        # The next tick is a new timer, armed before the step runs: a step that opens a modal dialog
        # does not return until the dialog closes, and Qt never fires a timer inside its own timeout.
        QTimer.singleShot(30, tick)
        if state["next"] >= len(steps):
            finish()
        if (dt.datetime.now() - started).total_seconds() > 90:
            state["stuck_at"] = getattr(steps[state["next"]], "__name__", "?")
            finish()
        step = steps[state["next"]]
        if getattr(step, "action", False):
            state["next"] += 1  # counted done first: a key that opens a dialog returns when it closes
            step()
        elif step():
            state["next"] += 1

    QTimer.singleShot(30, tick)
    QApplication.exec()
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
