"""Offscreen parts of the window's fit on small screens (the real screens are in
tests/test_ui_screens.py): the stored layout in the workstation settings, the fit check, the
red-flag pane's limits and its one or two columns, the encounter header's status line."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QGridLayout

from models.settings import load_settings, save_settings
from models.window_layout import WindowLayout, set_window_layout, window_layout
from ui.encounter_editor import ChecklistSplitter, EncounterEditor
from ui.settings import Settings
from ui.window_layout import fits_a_screen


def test_layout_round_trip_keeps_the_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    save_settings(Settings(clinic_name="Test Clinic", idle_lock_minutes=7), path)
    assert window_layout(path) is None
    layout = WindowLayout(20, 40, 1100, 650, maximized=True,
                          splitters={"main_splitter": (230, 500, 300), "checklist_splitter": (300, 200)})
    assert set_window_layout(layout, path)
    assert not set_window_layout(layout, path), "the same layout is not written again"
    assert window_layout(path) == layout
    assert load_settings(path) == Settings(clinic_name="Test Clinic", idle_lock_minutes=7)
    assert path.stat().st_mode & 0o077 == 0


def test_a_layout_that_does_not_read_is_none(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    for broken in ("geometry=\"1,2,x,4\"\n", "geometry=\"1,2,3\"\n", "geometry=\"1,2,0,4\"\n", ""):
        path.write_text(f"[window]\n{broken}", encoding="utf-8")
        assert window_layout(path) is None, broken
    path.write_text('[window]\ngeometry="5, 6, 700, 500"\nsplitter_main="1,x"\nsplitter_ok="3,4"\n', encoding="utf-8")
    assert window_layout(path) == WindowLayout(5, 6, 700, 500, splitters={"ok": (3, 4)})


def test_fits_only_inside_a_screen(qapp) -> None:  # type: ignore[no-untyped-def]
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert fits_a_screen(QRect(screen.x(), screen.y(), screen.width(), screen.height()))
    assert not fits_a_screen(QRect(screen.x(), screen.y(), screen.width() + 1, screen.height()))
    assert not fits_a_screen(QRect(screen.right() - 10, screen.y(), 100, 100))
    assert not fits_a_screen(QRect(-5000, -5000, 300, 200))


def red_flag_columns(editor: EncounterEditor) -> int:
    grid = editor.red_flag_group.layout()
    assert isinstance(grid, QGridLayout)
    used = {grid.getItemPosition(i)[1] for i in range(grid.count()) if grid.itemAt(i).widget() is not None}
    return len({column // 2 for column in used})


def test_red_flag_pane_keeps_the_checklist_at_least_half(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.resize(1000, 900)
    editor.show()
    qtbot.waitExposed(editor)
    splitter: ChecklistSplitter = editor.splitter
    content = editor.red_flag_group.sizeHint().height()
    qtbot.waitUntil(lambda: splitter.sizes()[1] == content)  # tall enough: all red flags, no more
    assert editor.red_flag_pane.verticalScrollBar().maximum() == 0

    editor.resize(1000, 380)  # low: the pane shrinks to its default share and scrolls
    qtbot.waitUntil(lambda: splitter.sizes()[1] == round(sum(splitter.sizes()) * splitter.RED_FLAGS_DEFAULT))
    assert editor.scroll_area.viewport().height() / editor.height() >= 0.45
    assert editor.red_flag_pane.verticalScrollBar().maximum() > 0

    # Dragged lower by the clinician: kept, but never past half of the height.
    splitter.moveSplitter(20, 1)
    qtbot.waitUntil(lambda: splitter.sizes()[1] == int(sum(splitter.sizes()) * splitter.RED_FLAGS_MOST))
    assert splitter.red_flag_share is not None and splitter.red_flag_share > splitter.RED_FLAGS_MOST
    editor.resize(1000, 460)
    qtbot.waitUntil(lambda: splitter.sizes()[1] == int(sum(splitter.sizes()) * splitter.RED_FLAGS_MOST))

    # A stored share (a second start) is what the pane takes.
    splitter.setSizes([300, 100])
    qtbot.waitUntil(lambda: abs(splitter.sizes()[1] - sum(splitter.sizes()) / 4) <= 1)


def test_red_flags_in_one_column_when_two_do_not_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.resize(1100, 800)
    editor.show()
    qtbot.waitExposed(editor)
    assert red_flag_columns(editor) == 2
    order = [editor.labels[i.id] for i in editor.catalogue.red_flags]
    editor.resize(480, 800)
    qtbot.waitUntil(lambda: red_flag_columns(editor) == 1)
    pane = editor.red_flag_pane
    assert pane.widget().width() <= pane.viewport().width(), "nothing cut off at the right"
    grid = editor.red_flag_group.layout()
    assert isinstance(grid, QGridLayout)
    rows = [grid.getItemPosition(grid.indexOf(label))[0] for label in order]
    assert rows == sorted(rows), "the red flags keep their order, top to bottom"
    for item in editor.catalogue.red_flags:  # each answer stays beside its label
        label_row = grid.getItemPosition(grid.indexOf(editor.labels[item.id]))
        control_row = grid.getItemPosition(grid.indexOf(editor.controls[item.id]))
        assert (control_row[0], control_row[1]) == (label_row[0], label_row[1] + 1)
    editor.resize(1100, 800)
    qtbot.waitUntil(lambda: red_flag_columns(editor) == 2)



def test_encounter_status_moves_below_the_fields_when_narrow(window) -> None:  # type: ignore[no-untyped-def]
    flow = window.area.header_flow
    status = window.status_label
    status.setText("New draft, not saved yet \u2014 unsaved changes")
    window.clinician.setText("Dr Ada Example")  # as an open encounter shows it (a label now, sized to it)
    window.resize(1900, 740)
    QTest.qWait(50)
    assert flow.beside()
    header_top = status.parentWidget().mapTo(window, status.parentWidget().rect().topLeft()).y()
    window.resize(1024, 740)  # the encounter side as narrow as on a 1024-pixel screen
    QTest.qWait(50)
    assert not flow.beside()
    assert status.isVisible() and status.width() >= status.fontMetrics().horizontalAdvance(status.text())
    assert status.mapTo(window, status.rect().topLeft()).y() > window.knee.mapTo(window, window.knee.rect().topLeft()).y()
    assert window.clinician.width() >= window.clinician.fontMetrics().horizontalAdvance("Dr Ada Example")
    assert header_top == status.parentWidget().mapTo(window, status.parentWidget().rect().topLeft()).y()
    window.resize(1900, 740)
    QTest.qWait(50)
    assert flow.beside(), "back beside the fields when there is room again"


def test_long_labels_wrap_only_when_the_rows_do_not_fit(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = EncounterEditor()
    qtbot.addWidget(editor)
    editor.resize(1200, 800)
    editor.show()
    qtbot.waitExposed(editor)
    sideways = editor.scroll_area.horizontalScrollBar()
    long_label = max(editor.splitter.labels, key=lambda label: label.sizeHint().width())
    assert not long_label.wordWrap() and sideways.maximum() == 0
    wide = editor.scroll_area.widget().minimumSizeHint().width()
    editor.resize(wide - 40, 800)  # a little narrower than the rows on one line: they wrap and fit
    qtbot.waitUntil(lambda: long_label.wordWrap())
    qtbot.waitUntil(lambda: sideways.maximum() == 0)
    assert long_label.width() <= ChecklistSplitter.LABEL_NARROW
    assert long_label.height() >= long_label.heightForWidth(long_label.width()), "wrapped, not cut"
    red_flag_label = editor.labels[editor.catalogue.red_flags[0].id]
    assert red_flag_label not in editor.splitter.labels, "the red flags wrap by their own rule (two columns)"
    editor.resize(1200, 800)
    qtbot.waitUntil(lambda: not long_label.wordWrap())
    assert sideways.maximum() == 0
