"""Start the window: QApplication, the store, the exception relay, crash recovery, smoke test.

``main(db_url)`` is what ``python main.py`` calls. With ``smoke_test=True`` it starts everything
on the chosen database, waits until the main window is shown and the event loop is idle, prints
the seconds start-up took and exits 0: a workstation check for IT and a start-up benchmark.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from models import APP_NAME, APP_VERSION
from ui.settings import ORGANIZATION


def tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(APP_VERSION)
    return QApplication(sys.argv[:1])


def main(db_url: str | None = None, *, smoke_test: bool = False, started: float | None = None) -> int:
    started = time.perf_counter() if started is None else started
    app = application()
    from models.store import Store, StoreError
    from ui.error_hook import ExceptionRelay, setup_logging
    from ui.main_window import MainWindow
    from ui.settings import open_draft_marker

    try:
        store = Store.open(db_url)
    except StoreError as exc:
        if smoke_test:
            print(f"kneecheck: error: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, tr("Cannot open the database"), str(exc))
        return 2
    relay = ExceptionRelay(setup_logging())
    window = MainWindow(store)
    relay.unexpected.connect(window.show_unexpected)
    relay.install()
    window.resize(1366, 740)
    window.show()
    try:
        if smoke_test:
            def report() -> None:
                # Runs once the event loop has shown the window and has nothing else queued.
                print(f"started in {time.perf_counter() - started:.2f} s", flush=True)
                window.close()
                app.quit()

            QTimer.singleShot(0, report)
        else:
            leftover = open_draft_marker()
            if leftover is not None:
                QTimer.singleShot(0, lambda: window.recover_draft(leftover))
            window.focus_search()
        return int(app.exec())
    finally:
        relay.uninstall()
        store.close()
