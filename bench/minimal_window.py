"""The reference for start-up: a minimal PySide6 program that shows one QMainWindow.

It measures and prints exactly what `main.py --smoke-test` prints first: `window shown in X s`,
taken on the first event-loop turn after show(), counted from $KNEECHECK_LAUNCHED_AT (the
launcher's time.time() just before it started this process), else from this file's first line.
"""

import time

_STARTED = time.perf_counter()

import os  # noqa: E402 - after the clock starts
import sys  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


def seconds_since_launch() -> float:
    # The same computation as ui.app.seconds_since_launch, repeated so the reference imports nothing of ours.
    try:
        return time.time() - float(os.environ.get("KNEECHECK_LAUNCHED_AT", ""))
    except ValueError:
        return time.perf_counter() - _STARTED


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1366, 740)
    window.show()

    def shown() -> None:
        print(f"window shown in {seconds_since_launch():.3f} s", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)  # the first event-loop turn after show(), as in ui.app
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
