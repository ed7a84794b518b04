"""Start the window: QApplication, the window at once, the database behind it, the smoke test.

``main(db_url)`` is what ``python main.py`` calls. Order matters for start-up time: the main
window is shown first (nothing imported up to then touches SQLAlchemy, ReportLab, Alembic or
QtPdf), then the store is opened on a worker thread and handed to the window with
``attach_store``, which asks for a sign-in (or the first account); a leftover draft from a crash
is offered once a clinician has signed in. If the database cannot be
opened, the error dialog says why and the program exits with status 3 (unreachable or damaged) or 2
(a bad URL, an unwritable data folder). A log or settings folder that cannot be written is one
dialog (KneeCheck cannot start), exit 2, checked right after the first frame.

With ``smoke_test=True`` it prints ``window shown in X s`` once the event loop has processed the
show, then ``database ready in Y s`` once the store is attached, waits until the checklist editor
is built and the loop is idle, and exits 0 without signing in (the sign-in page is part of the
window, not a dialog that would wait): a workstation check for IT and the start-up
benchmark. Every failure is one line on stderr and the exit status above, within
:data:`SMOKE_TEST_LIMIT_S` seconds whatever the database does. Times count from ``$KNEECHECK_LAUNCHED_AT`` (``time.time()`` taken by whoever
launched the process, as ``make bench`` does) or else from the first line of ``main.py``.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from models import APP_NAME, APP_VERSION
from ui.settings import ORGANIZATION

if TYPE_CHECKING:
    from models.store import Store

LAUNCHED_AT_VARIABLE = "KNEECHECK_LAUNCHED_AT"


def tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


translate = QCoreApplication.translate


def application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(APP_VERSION)
    from ui.pyside_refs import guard

    guard()  # PySide 6.12 on Python 3.11 drops references to None/True/False: see ui/pyside_refs.py
    app = QApplication(sys.argv[:1])
    from ui.gc_guard import GuiThreadGarbage

    GuiThreadGarbage(app)  # cyclic garbage collected on the GUI thread only: see ui/gc_guard.py
    return app


def seconds_since_launch(started: float) -> float:
    """Seconds since ``$KNEECHECK_LAUNCHED_AT`` (wall clock, set by the launcher just before it
    started this process), else since ``started`` (a ``perf_counter`` taken at the first line of
    main.py, which leaves out the interpreter's own start)."""
    raw = os.environ.get(LAUNCHED_AT_VARIABLE, "")
    try:
        return time.time() - float(raw)
    except ValueError:
        return time.perf_counter() - started


SMOKE_TEST_LIMIT_S = 14.0  # --smoke-test gives up (exit 3) rather than wait past this


def folder_problems() -> str | None:
    """The first of the log and settings folders KneeCheck cannot write, in one sentence, or None.
    (The data folder is checked where the database is opened, models/database.py.) Stdlib only:
    this runs right after the first frame."""
    from models.files import folder_problem
    from ui.error_hook import log_dir
    from ui.settings import settings_path

    settings_file = settings_path()
    for folder, what in ((log_dir(), "log folder"), (settings_file.parent, "settings folder")):
        problem = folder_problem(folder, what)
        if problem:
            return problem
    if settings_file.exists() and not os.access(settings_file, os.W_OK):
        return f"the settings file {settings_file} cannot be written (permission denied)"
    return None


def open_store(db_url: str | None, opened: list[Store]) -> Store:
    """Runs on a worker thread: the only place start-up imports SQLAlchemy (and, if a migration is
    due, Alembic). ``opened`` keeps the store so it is closed even if the window is gone."""
    from models.store import Store

    store = Store.open(db_url)
    opened.append(store)
    return store


def main(db_url: str | None = None, *, smoke_test: bool = False, started: float | None = None) -> int:
    started = time.perf_counter() if started is None else started
    app = application()
    from ui.i18n import chosen_language, install
    from ui.main_window import MainWindow
    from ui.settings import load_settings

    settings = load_settings()
    install(chosen_language(settings.language))  # before the first widget: every text is made in it
    window = MainWindow(settings=settings)
    # The sign-in page, maximised on a first start, else where it was left on this workstation if
    # that still fits the screen; the working area behind it is built right after (see shown).
    window.placement.show()

    opened: list[Store] = []
    opener_pool = QThreadPool()
    opener_pool.setMaxThreadCount(1)
    keep: list[object] = []  # the relay and the opening task live as long as the event loop

    def shown() -> None:
        # First turn of the event loop after show(): the window is on screen.
        if smoke_test:
            print(f"window shown in {seconds_since_launch(started):.3f} s", flush=True)
            QTimer.singleShot(int(SMOKE_TEST_LIMIT_S * 1000), lambda: smoke_test_failed(
                translate("App", "the database was not ready within {s:g} s").format(s=SMOKE_TEST_LIMIT_S), 3))
        from ui.error_hook import ExceptionRelay, setup_logging
        from ui.workers import run_in_pool

        # A folder KneeCheck cannot write is one clear message, before anything needs it.
        problem = folder_problems()
        if problem is None:
            try:
                log_path = setup_logging()
            except OSError as exc:
                problem = translate("App", "the log file cannot be written ({reason})").format(reason=exc.strerror or exc)
        if problem is not None:
            cannot_start(translate("App", "{problem}. KneeCheck needs to write there; ask IT to make it writable.")
                         .format(problem=problem[:1].upper() + problem[1:]))
            return
        relay = ExceptionRelay(log_path)
        if smoke_test:  # nobody is there to close a dialog: say it and fail
            relay.unexpected.connect(lambda kind, log_path: smoke_test_failed(
                translate("App", "unexpected {kind}; details are in {log}").format(kind=kind, log=log_path), 1))
        else:
            relay.unexpected.connect(window.show_unexpected)
        relay.install()
        keep.append(relay)
        keep.append(run_in_pool(opener_pool, open_store, db_url, opened, on_done=attach, on_error=failed))
        window.build_work_area()  # while the database opens on the worker thread

    def attach(store: Store) -> None:
        window.attach_store(store)
        if smoke_test:
            print(f"database ready in {seconds_since_launch(started):.3f} s", flush=True)
            if window.editor_is_built():
                QTimer.singleShot(0, finish_smoke_test)
            else:
                window.editor_ready.connect(lambda: QTimer.singleShot(0, finish_smoke_test))
            return
        from ui.settings import open_draft_marker

        leftover = open_draft_marker()
        if leftover is not None:  # offered to whoever signs in, never before
            window.when_signed_in(lambda: QTimer.singleShot(0, lambda: window.recover_draft(leftover)))

    def smoke_test_failed(reason: str, code: int) -> None:
        if ended:
            return
        ended.append(code)
        print(f"kneecheck: error: {reason}", file=sys.stderr, flush=True)
        window.close()
        app.exit(code)

    def cannot_start(reason: str) -> None:
        """A workstation problem (a folder that cannot be written): exit 2, said once."""
        if smoke_test:
            smoke_test_failed(reason, 2)
            return
        QMessageBox.critical(window, translate("App", "KneeCheck cannot start"), reason)
        window.close()
        app.exit(2)

    def finish_smoke_test() -> None:
        if ended:
            return
        ended.append(0)
        window.close()
        app.quit()

    def failed(exc: Exception) -> None:
        from models.records import DatabaseUnavailableError, StoreError
        from ui.error_hook import describe, log

        # 3: the database cannot be reached or is damaged; 2: a bad URL or an unwritable folder.
        code = 3 if isinstance(exc, DatabaseUnavailableError) else 2
        if isinstance(exc, StoreError):
            reason = str(exc)
        else:  # a bug, not a database problem: where it happened goes to the log, no message text
            log.error("opening the database failed: %s", describe(type(exc), exc.__traceback__))
            reason = translate("App", "unexpected {kind}; details are in the log").format(kind=type(exc).__name__)
        if smoke_test:
            smoke_test_failed(reason, code)
            return
        QMessageBox.critical(window, translate("App", "Cannot open the database"), reason)
        window.close()
        app.exit(code)

    ended: list[int] = []  # a smoke test ends once: the first of done, failed or out of time
    QTimer.singleShot(0, shown)
    try:
        code = int(app.exec())
    finally:
        for item in keep:
            uninstall = getattr(item, "uninstall", None)
            if uninstall is not None:
                uninstall()
    if smoke_test and ended and ended[0] == 3 and not opener_pool.waitForDone(2000):
        # Out of time with the opening thread still waiting (a name lookup the connect timeout does
        # not cover): the check has its answer, and a migration in progress is one transaction
        # that the database rolls back.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    opener_pool.waitForDone(-1)  # a store still opening is closed, not abandoned mid-migration
    for store in opened:
        store.close()
    return code
