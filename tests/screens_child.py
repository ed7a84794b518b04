"""Run under Xvfb and openbox (a real X server and window manager) by tests/test_ui_screens.py and
tests/screenshots.py: the real window as it opens at start-up (maximised, or where it was left on
this workstation), signed in, with a patient and a realistic draft encounter, at whatever size the
X screen has. ``$XDG_CONFIG_HOME`` (set by the caller) holds this workstation's settings.

Usage: python -m tests.screens_child SQLITE_URL MODE [ARG]
  measure          print one JSON line: the screen, the window frame, the checklist and red-flag
                   pane heights, and for each label that matters whether it is shown whole
  move W H         measure, then un-maximise to a W x H frame at (20, 40), drag both splitters,
                   save the encounter and close the window normally (which stores the layout)
  shot PATH        save a screenshot of the whole screen to PATH (PNG)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.main_window import MainWindow

# A visit as a clinician leaves it half way: the four key items, a few more, one red flag answered
# "yes" (so an alert shows), knee chosen, a note.
FINDINGS: dict[str, Any] = {
    "pain_region": "medial", "recent_trauma": "no", "duration_weeks": 6, "back_pain": "yes",
    "radiating_below_knee": "yes", "sensory_changes": "yes", "joint_line_tenderness": "medial",
    "swelling": "trace", "slr": "positive", "weight_bearing_aggravates": "yes", "groin_pain": "no",
    "rf_cancer_history": "yes", "rf_hot_swollen_knee": "no", "rf_bladder_bowel": "no",
}
ENCOUNTER_DATE = dt.date(2026, 11, 30)


def wait(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTest.qWait(20)
    return True


def settle() -> None:
    """Let the window manager's configure events and the layouts they start run to the end."""
    from PySide6.QtTest import QTest

    for _ in range(5):
        QTest.qWait(60)


def open_visit(url: str) -> MainWindow:
    """The start-up window (ui.app's placement), signed in, with the patient and the draft open."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QApplication

    from models.case import Patient
    from models.store import Actor, Store
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = application()
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    if os.environ.get("KNEECHECK_SCREENS_LANGUAGE"):  # screenshots in a language (tests/screenshots.py --language)
        from ui.i18n import install

        install(os.environ["KNEECHECK_SCREENS_LANGUAGE"])
    store = Store.open(url)
    actor = Actor("Dr Ada Example", "tester", "exam-room-1")
    patient = store.patient_by_mrn("K-0001") or store.create_patient(  # a second start: the same patient
        Patient("K-0001", "Example", "Kim", dt.date(1961, 3, 4), "female"), actor)
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                        default_clinician="Dr Ada Example"), signed_in=actor)
    window.placement.show()
    window.activateWindow()
    assert wait(lambda: window.isVisible() and app.activeWindow() is window), "the window did not open"
    window.patients_ctl.open(patient)
    assert window.ops.wait_idle()
    assert wait(lambda: window.patient is not None)
    window.new_encounter_action.trigger()
    assert window.ops.wait_idle()
    assert wait(lambda: window.editor.is_built() and window.editor.isVisible())
    area = window.area
    area.date_edit.setDate(QDate(ENCOUNTER_DATE.year, ENCOUNTER_DATE.month, ENCOUNTER_DATE.day))
    area.knee.setCurrentIndex(area.knee.findData("left"))
    window.editor.set_findings(FINDINGS)
    window.autosave_timer.stop()  # the draft stays as typed: no "saved at" time in a screenshot
    settle()
    return window


def rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def shown_whole(widget: QWidget, window: QWidget) -> dict[str, Any]:
    """Whether ``widget`` is on screen and nothing of it is cut off: visible, wholly inside the
    window and inside every scroll area or splitter pane around it (its visible region is its whole
    rectangle), and wide (wrapped: tall) enough for its text."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QLabel

    top_left = widget.mapTo(window, QPoint(0, 0))
    in_window = QRect(top_left, widget.size())
    seen = widget.visibleRegion().boundingRect()
    hint = widget.sizeHint()
    if isinstance(widget, QLabel) and widget.wordWrap():
        # A wrapped label's width hint is its one-line width; what must fit is its height at its width.
        needed = [widget.width(), widget.heightForWidth(widget.width())]
    else:
        needed = [hint.width(), hint.height()]
    return {
        "text": widget.text() if isinstance(widget, QLabel) else "",
        "visible": widget.isVisible(),
        "size": [widget.width(), widget.height()],
        "needed": needed,
        "in_window": window.rect().contains(in_window),
        "unclipped": seen == widget.rect(),
    }


def points_column(window: MainWindow) -> dict[str, Any]:
    """The "Points" column of the contributing findings: its header and cells whole, in view."""
    view = window.area.panel.contribution_view
    header = view.horizontalHeader()
    column = 3
    left = header.sectionViewportPosition(column)
    width = header.sectionSize(column)
    cells = [view.sizeHintForColumn(column)] if view.model().rowCount() else []
    return {
        "text": str(view.model().headerData(column, header.orientation())),
        "visible": view.isVisible() and not header.isSectionHidden(column),
        "size": [width, header.height()],
        "needed": [max([header.sectionSizeHint(column), *cells]), header.sizeHint().height()],
        "in_window": left >= 0 and left + width <= view.viewport().width(),
        "unclipped": shown_whole(view, window)["unclipped"],
    }


def measure(window: MainWindow) -> dict[str, Any]:
    from PySide6.QtGui import QGuiApplication

    area, editor = window.area, window.editor
    panel = area.panel
    screen = QGuiApplication.primaryScreen()
    labels: dict[str, dict[str, Any]] = {
        "hip score": shown_whole(panel.score_labels["hip"], window),
        "hip score name": shown_whole(panel.score_names["hip"], window),
        "points": points_column(window),
        "encounter status": shown_whole(area.status_label, window),
        "status bar user": shown_whole(window.user_label, window),
        "status bar database": shown_whole(window.db_label, window),
    }
    for n, row in enumerate(panel.alert_rows):
        from PySide6.QtWidgets import QLabel

        text = row.findChild(QLabel, "alert_text")
        labels[f"alert text {n + 1}"] = shown_whole(text, window)
    pane = editor.red_flag_pane
    return {
        "screen": rect(screen.geometry()),
        "available": rect(screen.availableGeometry()),
        "frame": rect(window.frameGeometry()),
        "geometry": rect(window.geometry()),
        "maximized": window.isMaximized(),
        "minimum": [window.minimumSizeHint().width(), window.minimumSizeHint().height()],
        "editor_height": editor.height(),
        "checklist_height": editor.scroll_area.viewport().height(),
        "checklist_sideways": editor.scroll_area.horizontalScrollBar().maximum(),
        "red_flags_sideways": pane.horizontalScrollBar().maximum(),
        "red_flag_pane_height": pane.height(),
        "red_flag_content_height": pane.widget().height(),
        "red_flag_scroll_max": pane.verticalScrollBar().maximum(),
        "splitters": {name: s.sizes() for name, s in window.placement.splitters.items()},
        "alerts": panel.alert_ids(),
        "labels": labels,
    }


def move_and_close(window: MainWindow, width: int, height: int) -> dict[str, Any]:
    """As a clinician would: un-maximise, resize, drag both splitters, save, close."""
    from PySide6.QtCore import QRect

    window.showNormal()
    settle()
    window.setGeometry(QRect(20, 40, width, height))
    assert wait(lambda: window.geometry() == QRect(20, 40, width, height), 5), rect(window.geometry())
    settle()
    main = window.area.page
    checklist = window.editor.splitter
    dragged = {name: s.sizes() for name, s in window.placement.splitters.items()}
    main.moveSplitter(main.sizes()[0] + 40, 1)  # the patient side 40 px wider
    checklist.moveSplitter(checklist.sizes()[0] + 30, 1)  # the red-flag pane 30 px lower
    settle()
    result = {"geometry": rect(window.geometry()), "before_drag": dragged,
              "splitters": {name: s.sizes() for name, s in window.placement.splitters.items()}}
    window.save()
    assert window.ops.wait_idle()
    assert wait(lambda: not window.dirty), "the encounter was not saved"
    closed = window.close()
    result["closed"] = closed
    return result


def main(argv: list[str]) -> int:
    url, mode = argv[0], argv[1]
    window = open_visit(url)
    if mode == "measure":
        out = measure(window)
    elif mode == "move":
        out = {"before": measure(window), "moved": move_and_close(window, int(argv[2]), int(argv[3]))}
    elif mode == "shot":
        from PySide6.QtGui import QGuiApplication

        window.editor.scroll_area.verticalScrollBar().setValue(0)
        settle()
        image = QGuiApplication.primaryScreen().grabWindow(0)
        if not image.save(argv[2], "PNG"):
            raise SystemExit(f"could not write {argv[2]}")
        out = {"saved": argv[2], "size": [image.width(), image.height()]}
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(out))
    sys.stdout.flush()
    if mode == "move":
        return 0
    os._exit(0)  # the unsaved draft is of no interest: leave without the close-time questions


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
