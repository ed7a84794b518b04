"""The reference for start-up: a minimal PySide6 program that shows one QMainWindow and quits
once the event loop is idle, exactly as `main.py --smoke-test` does for the real window."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(0, app.quit)  # runs once the window is shown and pending events are processed
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
