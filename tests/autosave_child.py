"""Child process for the autosave crash test: the real window autosaves a draft until it is killed.

Run as ``python tests/autosave_child.py DB_URL JOURNAL SETTINGS_DIR ENCOUNTER_ID``. It imports
KneeCheck and PySide6 once, then waits on stdin for ``go SEED FIRST`` lines. For each one it forks
a worker that builds a QApplication and the real MainWindow (offscreen, signed in as the window
tests are), opens the draft and, from timers on the window's own event loop, keeps clicking
answer buttons in the checklist editor while autosave stores the draft. This process reaps the
worker and prints ``exited STATUS``. Forking a process that has imported everything but has no
QApplication and no database connection yet makes each worker start in a fraction of a second.

``FIRST`` is 1 for the first worker: it opens the draft by id. Every later worker starts the way
the application does after a crash: the settings file's "open draft" marker must name the draft, and
the window's own ``recover_draft`` (its question answered Yes) opens it.

Each autosave is journalled twice, each line fsync'd: ``begin`` with the version the window is
based on and the findings it is about to store, before the store is called, and ``done`` with
the version and findings the store returned, written from the window's ``encounter_saved``
signal, that is only after the store call returned.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from pathlib import Path
from typing import Any, NoReturn

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QMessageLogContext, Qt, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

import ui.main_window
from models.store import Actor, Store
from tests.forking_child import serve_forks
from ui import messages
from ui.encounter_editor import ChoiceRow
from ui.main_window import MainWindow
from ui.settings import Settings, open_draft_marker

# The window's 3 s autosave delay would allow a handful of saves per second of test; 40 ms lets
# dozens land between kills. It is set before the window is built, which reads it once.
AUTOSAVE_TEST_DELAY_MS = 40
SIGNED_IN = Actor("Dr Ada Example", "autosave-crash-test", "exam-room-7")


class Journal:
    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, entry: dict[str, Any]) -> None:
        os.write(self._fd, (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(self._fd)


def fail(reason: str) -> NoReturn:
    """Anything unexpected ends the worker on its own, which the test reports as a failure."""
    print(f"worker failed: {reason}", flush=True)
    os._exit(3)


def _unexpected_box(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
    fail(f"unexpected message box: {args[1:3]}")


class Clinician:
    """Clicks answers like a clinician working quickly: bursts of clicks, then short pauses."""

    def __init__(self, window: MainWindow, rng: random.Random) -> None:
        self.window, self.rng = window, rng
        self.rows = [c for c in window.editor.controls.values() if isinstance(c, ChoiceRow)]
        self.timer = QTimer(window, singleShot=True)
        self.timer.timeout.connect(self.click)

    def click(self) -> None:
        rows = [row for row in self.rows if row.isVisible()]  # Ottawa rows hide until trauma is "yes"
        row = self.rng.choice(rows)
        # Any other answer, "Not assessed" included: every click is a change the draft must keep.
        button_id = self.rng.choice([i for i in row.buttons if i != row.group.checkedId()])
        QTest.mouseClick(row.buttons[button_id], Qt.MouseButton.LeftButton)
        if not (self.window.dirty and self.window.autosave_timer.isActive()):
            fail("a click did not start the autosave timer")
        # Mostly quicker than the autosave delay (the timer restarts), sometimes a pause that lets it fire.
        pause = self.rng.randint(2, 30) if self.rng.random() < 0.5 else self.rng.randint(45, 90)
        self.timer.start(pause)


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    # The offscreen platform warns on every window shown; anything else Qt says still goes to stderr.
    if "does not support propagateSizeHints" not in text:
        print(text, file=sys.stderr, flush=True)


def work(url: str, journal_path: str, settings_dir: str, encounter_id: int, seed: int, first: bool) -> None:
    sys.excepthook = lambda kind, exc, tb: fail("".join(traceback.format_exception(kind, exc, tb))[-600:])
    for name in ("critical", "warning", "information", "question"):
        setattr(QMessageBox, name, staticmethod(_unexpected_box))
    os.environ["XDG_CONFIG_HOME"] = settings_dir  # models.settings.settings_path()
    ui.main_window.AUTOSAVE_DELAY_MS = AUTOSAVE_TEST_DELAY_MS
    qInstallMessageHandler(_qt_message)
    app = QApplication([sys.argv[0]])
    store = Store.open(url)  # opened after the fork: no connection is ever shared between processes
    journal = Journal(journal_path)
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician=SIGNED_IN.clinician), signed_in=SIGNED_IN)
    window.resize(1366, 740)
    window.show()

    asked: list[int] = []

    def ask(message: messages.Message, buttons: QMessageBox.StandardButton, **values: object) -> QMessageBox.StandardButton:
        if message is not messages.RECOVER_DRAFT:
            fail(f"unexpected question: {message.format(**values)[0]}")
        asked.append(int(str(values["encounter_id"])))
        return QMessageBox.StandardButton.Yes

    window.ask = ask  # type: ignore[method-assign]
    if first:
        opened = window.open_encounter(encounter_id)
    else:
        marker = open_draft_marker()
        if marker != encounter_id:
            fail(f"the open-draft marker names {marker}, not draft {encounter_id}")
        opened = window.recover_draft(marker)
    # Both load off the GUI thread: the draft is open once the ops runner is idle.
    if not window.ops.wait_idle(20_000):
        fail("the draft did not open in time")
    opened = opened and (first or asked == [encounter_id])
    if not opened or window.record is None or window.record.id != encounter_id:
        fail("the draft did not open")

    # The open encounter's session takes the editor's content (its snapshot) when a save starts, on
    # the GUI thread, and hands exactly that to the store on a worker thread: "begin" is journalled
    # there, before the store is called.
    session = window.session
    real_save, real_snapshot = session.save, session.snapshot
    assert real_snapshot is not None

    def save(quiet: bool = False, **kwargs: Any) -> str:
        if not quiet:
            fail("only autosave should save here")
        return real_save(quiet, **kwargs)

    def snapshot() -> Any:
        draft = real_snapshot()
        assert window.record is not None
        journal.write({"t": "begin", "base": window.record.version, "findings": draft.findings})
        return draft

    def saved(saved_id: int) -> None:
        record = window.record
        if record is None or saved_id != encounter_id or record.id != encounter_id:
            fail("a save stored some other encounter")
        journal.write({"t": "done", "version": record.version, "findings": record.findings})

    session.save = save  # type: ignore[method-assign]
    session.snapshot = snapshot
    window.encounter_saved.connect(saved)

    def status(text: str) -> None:
        # An autosave that fails reports only in the status bar: here that is a failure of the test.
        if text.startswith(("Not saved", "Automatic save failed")):
            fail(f"status bar: {text}")

    window.statusBar().messageChanged.connect(status)

    clinician = Clinician(window, random.Random(seed))
    clinician.timer.start(0)
    print("ready", flush=True)
    app.exec()
    fail("the event loop ended")


def main() -> None:
    url, journal_path, settings_dir, encounter_id = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

    def run(words: list[str]) -> None:
        seed, first = words
        work(url, journal_path, settings_dir, encounter_id, int(seed), first == "1")

    serve_forks(run)


if __name__ == "__main__":
    main()
