"""Run with Debian's /usr/bin/python3 (python3-pyatspi) inside ``dbus-run-session`` by
tests/test_ui_accessibility.py: starts a private AT-SPI bus, the real window in a child process
(tests/a11y_child.py, with the project's Python) and walks the window's whole accessible tree from
here, as a screen reader sees it. Prints one JSON object: the child's report and every node.

Usage: /usr/bin/python3 tests/a11y_walk.py PROJECT_PYTHON SQLITE_URL
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
REGISTRY = "/usr/libexec/at-spi2-registryd"
MAX_NODES = 20_000


def walk(pyatspi, app):  # type: ignore[no-untyped-def]
    """Every node under ``app``: path, role, name, states; radio buttons with their parent's name."""
    nodes = []
    stack = [(app, "0", None)]
    while stack and len(nodes) < MAX_NODES:
        node, path, parent = stack.pop()
        try:
            states = node.getState()
            role = node.getRoleName()
            name = node.name or ""
            count = node.childCount
        except Exception as exc:  # a node gone while walking: report it, keep walking
            nodes.append({"path": path, "error": repr(exc)})
            continue
        nodes.append({
            "path": path, "role": role, "name": name, "parent_role": parent[0] if parent else None,
            "parent_name": parent[1] if parent else None,
            "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
            "checked": states.contains(pyatspi.STATE_CHECKED),
            "showing": states.contains(pyatspi.STATE_SHOWING),
            "visible": states.contains(pyatspi.STATE_VISIBLE),
        })
        for index in reversed(range(count)):
            try:
                child = node.getChildAtIndex(index)
            except Exception as exc:
                nodes.append({"path": f"{path}.{index}", "error": repr(exc)})
                continue
            if child is not None:
                stack.append((child, f"{path}.{index}", (role, name)))
    return nodes


def main(argv: list[str]) -> int:
    python, url = argv[0], argv[1]
    helpers = [subprocess.Popen([BUS_LAUNCHER, "--launch-immediately"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)]
    child = None
    try:
        time.sleep(0.5)
        if os.path.exists(REGISTRY):  # activated on demand too; started here so it is there at once
            helpers.append(subprocess.Popen([REGISTRY], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(0.3)
        env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
        child = subprocess.Popen([python, "-m", "tests.a11y_child", url, "120"], env=env, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            print(json.dumps({"error": "the window did not start", "stderr": child.stderr.read()[-4000:]}))
            return 1
        report = json.loads(line)
        import pyatspi  # type: ignore[import-not-found]

        app = None
        deadline = time.monotonic() + 20
        while app is None and time.monotonic() < deadline:
            desktop = pyatspi.Registry.getDesktop(0)
            for candidate in desktop:
                try:
                    if candidate is not None and candidate.get_process_id() == child.pid:
                        app = candidate
                except Exception:
                    continue
            if app is None:
                time.sleep(0.2)
        if app is None:
            print(json.dumps({"error": "the window is not on the AT-SPI bus", "report": report}))
            return 1
        nodes = walk(pyatspi, app)
        print(json.dumps({"report": report, "nodes": nodes}))
        return 0
    finally:
        if child is not None:
            if child.stdin is not None:
                child.stdin.close()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)
        for helper in reversed(helpers):
            helper.terminate()
            try:
                helper.wait(5)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait(5)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
