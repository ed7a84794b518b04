"""The running window as a screen reader meets it: under Xvfb and openbox, on a private D-Bus session
with its own AT-SPI bus, the real window (signed in, a patient open, a new encounter open, one item
answered by keyboard) is started with Qt's AT-SPI bridge on, and its whole accessible tree is walked
from another process with Debian's python3-pyatspi (tests/a11y_walk.py, tests/a11y_child.py).

Fails on any focusable node without a name, and on any answer row that is not a named group of radio
buttons with exactly one checked (the chosen answer on the answered row, "Not assessed" elsewhere).
Skips with the reason when a tool is missing; under CI=true that is a failure. The dialogs, which
are not part of the running window, are checked in process (offscreen) through Qt's own interfaces.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget

from tests.xserver import x_display

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
ANSWER_ROLE = "radio button"
GROUP_ROLES = {"panel", "grouping"}  # Qt announces QAccessible::Grouping as an AT-SPI panel


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def require_at_spi() -> None:
    missing = [tool for tool in ("dbus-run-session",) if shutil.which(tool) is None]
    missing += [path for path in (BUS_LAUNCHER, SYSTEM_PYTHON) if not os.path.exists(path)]
    if missing:
        _skip_or_fail(f"{', '.join(missing)} not installed (make test installs dbus, at-spi2-core and "
                      "python3-pyatspi on Debian)")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        _skip_or_fail(f"pyatspi does not import in {SYSTEM_PYTHON} (Debian python3-pyatspi): "
                      f"{probe.stderr.strip()[-300:]}")


@pytest.fixture(name="tree", scope="module")
def tree_fixture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_at_spi()
    folder = tmp_path_factory.mktemp("a11y")
    url = f"sqlite:///{folder / 'kneecheck.db'}"
    with x_display(1366, 768) as env:
        env = dict(env, XDG_CONFIG_HOME=str(folder / "settings"), PYTHONPATH=str(ROOT))
        env.pop("QT_ACCESSIBILITY", None)
        walked = subprocess.run(["dbus-run-session", "--", SYSTEM_PYTHON, str(ROOT / "tests" / "a11y_walk.py"),
                                 sys.executable, url], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=240)
    lines = [line for line in walked.stdout.splitlines() if line.startswith("{")]
    assert walked.returncode == 0 and lines, (walked.returncode, walked.stdout[-3000:], walked.stderr[-3000:])
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def test_the_whole_tree_was_walked(tree: dict[str, Any]) -> None:
    nodes = tree["nodes"]
    assert not [n for n in nodes if "error" in n], [n for n in nodes if "error" in n][:5]
    roles = {n["role"] for n in nodes}
    # The window's parts are there: menus, tables, the tabs, text fields, the answers.
    assert {"frame", "menu bar", "table", "page tab list", "page tab", "text", ANSWER_ROLE} <= roles, roles
    assert len(nodes) > 200, len(nodes)


def test_every_focusable_node_has_a_name(tree: dict[str, Any]) -> None:
    unnamed = [f"{n['role']} at {n['path']} (in {n['parent_role']} {n['parent_name']!r})"
               for n in tree["nodes"] if n.get("focusable") and not n.get("name", "").strip()]
    assert not unnamed, "focusable without an accessible name:\n" + "\n".join(unnamed)


def test_answer_rows_are_named_groups_of_radio_buttons(tree: dict[str, Any]) -> None:
    nodes = tree["nodes"]
    report = tree["report"]
    by_path = {n["path"]: n for n in nodes}
    children: dict[str, list[dict[str, Any]]] = {}
    for n in nodes:
        parent = n["path"].rpartition(".")[0]
        children.setdefault(parent, []).append(n)
    rows: dict[str, list[str]] = report["rows"]
    assert len(rows) > 20, rows
    problems = []
    for question, answers in rows.items():
        groups = [n for n in nodes if n.get("name") == question and n["role"] in GROUP_ROLES and n["focusable"]]
        if len(groups) != 1:
            problems.append(f"{question!r}: {len(groups)} focusable groups of that name, not 1")
            continue
        group = groups[0]
        buttons = [c for c in children.get(group["path"], []) if c["name"] in answers]
        if [b["name"] for b in buttons] != answers:
            problems.append(f"{question!r}: answers {[b['name'] for b in buttons]} in its group, not {answers}")
            continue
        wrong = [(b["name"], b["role"]) for b in buttons if b["role"] != ANSWER_ROLE]
        if wrong:
            problems.append(f"{question!r}: not radio buttons: {wrong}")
        checked = [b["name"] for b in buttons if b["checked"]]
        expected = report["chosen"] if question == report["answered_row"] else answers[0]  # "Not assessed"
        if checked != [expected]:
            problems.append(f"{question!r}: checked {checked}, expected exactly [{expected!r}]")
    assert not problems, "\n".join(problems)
    answered = next(n for n in nodes if n.get("name") == report["chosen"])
    assert answered["checked"] and by_path[answered["path"].rpartition(".")[0]]["name"] == report["answered_row"]
    # No answer is announced as a check box or a toggle button anywhere.
    every_answer = {a for answers in rows.values() for a in answers}
    misannounced = [n["name"] for n in nodes if n.get("name") in every_answer and n["role"] != ANSWER_ROLE]
    assert not misannounced, misannounced


def _unnamed_focusable(root: QWidget) -> list[str]:
    """Focusable widgets under ``root`` whose accessible interface has no name. A spin box's inner
    line edit is left out: AT-SPI presents only the (named) spin box."""
    found = []
    for widget in root.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractSpinBox) and widget is parent.findChild(QLineEdit):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        if interface is None or not interface.text(QAccessible.Text.Name).strip():
            found.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(parent).__name__}")
    return found


def test_the_dialogs_name_every_focusable_widget(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import AmendDialog, ConflictDialog, SettingsDialog
    from ui.patient_dialog import PatientDialog
    from ui.settings import Settings

    dialogs = [PatientDialog(), AmendDialog(),
               ConflictDialog([("Knee", "left", "right")]),
               SettingsDialog(Settings(clinic_name="Test Clinic", clinic_address="1 Test Road",
                                       default_clinician="Dr Ada Example"))]
    problems = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        focusable = [w for w in dialog.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
        assert len(focusable) >= 2, type(dialog).__name__
        problems += [f"{type(dialog).__name__}: {p}" for p in _unnamed_focusable(dialog)]
    assert not problems, "\n".join(problems)
