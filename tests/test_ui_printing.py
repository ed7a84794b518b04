"""Printing: through a real CUPS queue (a private cupsd with cups-pdf, tests/cups_server.py) from the
real window, and "Print to File" owner-only. "Sent to printer" is said (and "printed" audited)
only once CUPS reports the job printed; a queue that refuses, is stopped or never prints says so.

The CUPS tests skip with the reason where cupsd, cups-pdf or root are missing; under CI=true they fail.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models.case import EncounterInfo, Patient
from models.store import Actor, Store
from reports import cups
from tests.cups_server import CupsServer, cups_server, pointed_at
from ui import messages
from ui.main_window import MainWindow

pytestmark = pytest.mark.engines("sqlite")

ACTOR = Actor("Dr Other", "other", "exam-room-2")
MRN = "MRN-PRINT-7731"


def seed(store: Store) -> tuple[int, int]:
    patient = store.create_patient(Patient(MRN, "Lindqvist", "Åsa", dt.date(1968, 5, 17), "female"), ACTOR)
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "right")
    draft = store.create_draft(patient.id, info, {"swelling": "effusion", "slr": "positive"}, "", ACTOR)
    return patient.id, draft.id


def opened(window: MainWindow, store: Store) -> int:
    _, encounter_id = seed(store)
    assert window.open_encounter(encounter_id)
    assert window.ops.wait_idle()
    return encounter_id


def audit(store: Store, encounter_id: int) -> list[tuple[str, str]]:
    return [(e["action"], e["detail"]) for e in store.audit_events(encounter_id=encounter_id)
            if e["action"].startswith("print")]


def summary_pages(window: MainWindow) -> int:
    """The page count of the summary as the window makes it (through Preview)."""
    window.show_preview()
    assert window.ops.wait_idle()
    assert window.preview.pdf_bytes
    from ui.summary_view import page_count

    return page_count(window.preview.pdf_bytes)


def run_tool(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


@pytest.fixture(name="cupsd")
def cupsd_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[CupsServer]:
    """A private cupsd with the cups-pdf queue, this process (Qt and the CUPS commands) pointed at it."""
    with cups_server() as server, pointed_at(server, monkeypatch):
        yield server


def choose(queue: str, chosen: list[Any] | None = None) -> Any:
    """An ``ask_printer`` that picks ``queue`` in code, as the dialog would, without showing it."""

    def ask(printer: Any) -> bool:
        printer.setPrinterName(queue)
        assert printer.printerName() == queue, "Qt's print support does not see the private CUPS queue"
        if chosen is not None:
            chosen.append(printer)
        return True

    return ask


def told_messages(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> list[tuple[messages.Message, dict[str, object]]]:
    told: list[tuple[messages.Message, dict[str, object]]] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append((message, values)))
    return told


# --- through a real CUPS queue ------------------------------------------------------------------------

def test_a_summary_printed_through_a_real_cups_queue_comes_out_whole(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, cupsd: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    encounter_id = opened(window, store)
    pages = summary_pages(window)
    assert pages >= 1
    monkeypatch.setattr(window, "ask_printer", choose(cupsd.queue))
    beats: list[bool] = []  # the event loop keeps running while CUPS has the job

    window.print_action.trigger()
    qtbot.waitUntil(lambda: "Sending to printer" in window.statusBar().currentMessage(), timeout=20_000)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: beats.append(window.ops.is_busy()))
    assert window.ops.wait_idle(90_000), window.ops.in_flight()
    assert beats and beats[0] is True, "the window did not handle events while the job was printing"

    status = window.statusBar().currentMessage()
    assert f"Sent to printer {cupsd.queue}" in status, f"{status}\n{cupsd.log()}"
    printed = cupsd.printed()
    assert len(printed) == 1, (printed, cupsd.log())
    info = run_tool(["pdfinfo", str(printed[0])], cupsd.env)
    assert re.search(rf"^Pages: +{pages}$", info, re.MULTILINE), info
    text = run_tool(["pdftotext", str(printed[0]), "-"], cupsd.env)
    assert MRN in text
    assert "Lindqvist" not in printed[0].name, "the job title (listed to every user of the queue) named the patient"

    events = audit(store, encounter_id)
    assert events[0] == ("print_requested", f"printer {cupsd.queue}")
    assert [action for action, _ in events] == ["print_requested", "printed"]
    job_id = events[1][1].split("CUPS job ")[1].split(":")[0]
    assert events[1][1].startswith(f"printer {cupsd.queue}, CUPS job {cupsd.queue}-")
    assert f"CUPS job {job_id}" in status
    completed = run_tool(["lpstat", "-W", "completed", "-o", cupsd.queue], cupsd.env)
    assert job_id in completed


def test_a_queue_that_refuses_jobs_is_never_reported_as_printed(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, cupsd: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    encounter_id = opened(window, store)
    monkeypatch.setattr(window, "ask_printer", choose(cupsd.queue))
    told = told_messages(monkeypatch, window)
    run_tool(["cupsreject", "-r", "out of toner", cupsd.queue], cupsd.env)

    window.print_action.trigger()
    assert window.ops.wait_idle(60_000)

    status = window.statusBar().currentMessage()
    assert status.startswith(f"Printer {cupsd.queue} did not take the job: "), status
    assert "not accepting jobs" in status and "Sent" not in status
    assert [m for m, _ in told] == [messages.PRINTER_REFUSED]
    assert told[0][1]["name"] == cupsd.queue
    events = audit(store, encounter_id)
    assert [action for action, _ in events] == ["print_requested", "print_failed"]
    assert "not accepting jobs" in events[1][1]
    assert cupsd.printed() == []


def test_a_stopped_printer_is_reported_and_its_job_cancelled(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, cupsd: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """CUPS accepts a job for a stopped (paused) queue and keeps it: that is not "sent"; the job is
    cancelled so that it does not come out later, when nobody waits at the printer."""
    encounter_id = opened(window, store)
    monkeypatch.setattr(window, "ask_printer", choose(cupsd.queue))
    told = told_messages(monkeypatch, window)
    run_tool(["cupsdisable", "-r", "paper jam in tray 2", cupsd.queue], cupsd.env)

    window.print_action.trigger()
    assert window.ops.wait_idle(60_000)

    status = window.statusBar().currentMessage()
    assert status == (f"Printer {cupsd.queue} did not take the job: the printer is stopped (paper jam in tray 2); "
                      "the job was cancelled"), status
    assert [m for m, _ in told] == [messages.PRINTER_REFUSED]
    assert [action for action, _ in audit(store, encounter_id)] == ["print_requested", "print_failed"]
    assert run_tool(["lpstat", "-W", "not-completed", "-o", cupsd.queue], cupsd.env).strip() == ""
    run_tool(["cupsenable", cupsd.queue], cupsd.env)
    assert cupsd.printed() == []  # cancelled: nothing comes out once the printer runs again


def test_a_job_the_printer_never_finishes_is_cancelled_after_the_timeout(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, cupsd: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job held in the queue (here: held by the queue's default hold) is still waiting at the
    timeout: reported as not taken, cancelled, audited print_failed."""
    encounter_id = opened(window, store)
    monkeypatch.setattr(window, "ask_printer", choose(cupsd.queue))
    told = told_messages(monkeypatch, window)
    monkeypatch.setattr(cups, "PRINT_TIMEOUT_S", 3.0)
    run_tool(["lpadmin", "-p", cupsd.queue, "-o", "job-hold-until-default=indefinite"], cupsd.env)

    window.print_action.trigger()
    qtbot.waitUntil(lambda: "Sending to printer" in window.statusBar().currentMessage(), timeout=20_000)
    window.print_action.trigger()  # a second print while the first waits: not a second job
    assert window.statusBar().currentMessage() == f"Still printing on {cupsd.queue}: wait until it is done."
    assert window.ops.wait_idle(60_000)

    status = window.statusBar().currentMessage()
    assert status.startswith(f"Printer {cupsd.queue} did not take the job: it was not printed within 3 s (held"), status
    assert status.endswith("the job was cancelled")
    assert [m for m, _ in told] == [messages.PRINTER_REFUSED]
    assert [action for action, _ in audit(store, encounter_id)] == ["print_requested", "print_failed"]
    assert run_tool(["lpstat", "-W", "not-completed", "-o", cupsd.queue], cupsd.env).strip() == ""
    assert cupsd.printed() == []


def test_the_dialogs_copies_sides_and_pages_reach_cups(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    from ui.summary_view import print_request

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    assert print_request(printer).copies == 1 and print_request(printer).page_ranges == ""
    printer.setCopyCount(3)
    printer.setDuplex(QPrinter.DuplexMode.DuplexLongSide)  # the PDF engine here has no duplex: it stays one-sided
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    request = print_request(printer)
    assert request.copies == 3 and request.page_ranges == "2-3"
    assert printer.duplex() == QPrinter.DuplexMode.DuplexNone
    assert dict(request.options) == {"sides": "one-sided", "print-color-mode": "monochrome"}
    assert request.pages(5) == 2 and request.pages(2) == 1

    calls: list[list[str]] = []

    def run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        assert args[0] == "lp" and data == b"%PDF-summary"
        return subprocess.CompletedProcess(args, 0, "request id is office-9 (0 file(s))\n", "")

    job = cups.print_pdf("office", b"%PDF-summary", title="KneeCheck encounter 4", copies=request.copies,
                         options=request.options, page_ranges=request.page_ranges, run=run,
                         query=lambda printer, job_id: cups.JobState(job_id, 9, ("job-completed-successfully",)))
    assert job == cups.PrintedJob("office", "office-9", "completed: job-completed-successfully")
    assert calls == [["lp", "-d", "office", "-t", "KneeCheck encounter 4", "-n", "3", "-o", "sides=one-sided",
                      "-o", "print-color-mode=monochrome", "-P", "2-3", "-"]]


# --- reading CUPS' answers ----------------------------------------------------------------------------

def fake_cups(states: list[cups.JobState | None], printer_line: str = "printer office is idle.  enabled since x\n",
              ) -> tuple[Any, Any, list[list[str]]]:
    """A run (lp, lpstat -p, cancel) and a query answering ``states`` one poll after another."""
    calls: list[list[str]] = []

    def run(args: list[str], data: bytes | None = None) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        if args[0] == "lp":
            return subprocess.CompletedProcess(args, 0, "request id is office-3 (0 file(s))\n", "")
        if args[0] == "lpstat":
            return subprocess.CompletedProcess(args, 0, printer_line, "")
        return subprocess.CompletedProcess(args, 0, "", "")

    def query(printer: str, job_id: str) -> cups.JobState | None:
        assert (printer, job_id) == ("office", "office-3")
        return states.pop(0) if len(states) > 1 else states[0]

    return run, query, calls


def test_cups_answers_are_read() -> None:
    assert cups.parse_request_id("request id is kneecheck-pdf-12 (1 file(s))\n") == "kneecheck-pdf-12"
    assert cups.parse_request_id("lp: Destination \"x\" is not accepting jobs.\n") == ""
    assert cups.JobState("a-1", 8, ("processing-to-stop-point",), "Backend failed").reason() == "aborted: Backend failed"
    assert cups.JobState("a-1", 7, ("job-canceled-by-user",)).reason() == "cancelled: job-canceled-by-user"
    assert not cups.JobState("a-1", 8).printed and cups.JobState("a-1", 8).ended
    assert cups.JobState("a-1", 9).printed and not cups.JobState("a-1", 5).ended


def test_a_job_printed_after_a_while_is_printed_and_nothing_is_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cups, "POLL_S", 0.0)
    run, query, calls = fake_cups([None, cups.JobState("office-3", 3), cups.JobState("office-3", 5),
                                   cups.JobState("office-3", 9)])
    assert cups.print_pdf("office", b"%PDF", title="t", run=run, query=query).job_id == "office-3"
    assert not [c for c in calls if c[0] == "cancel"]


def test_a_stopped_queue_fails_at_once_and_cancels() -> None:
    run, query, calls = fake_cups([cups.JobState("office-3", 3)],
                                  "printer office disabled since Thu Dec  3 10:07:37 2026 -\n\tpaper jam.\n")
    with pytest.raises(cups.PrintError, match=r"^the printer is stopped \(paper jam\); the job was cancelled$"):
        cups.print_pdf("office", b"%PDF", title="t", run=run, query=query)
    assert calls[-1] == ["cancel", "office-3"]


def test_a_job_cups_forgets_or_cannot_tell_is_never_reported_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cups, "POLL_S", 0.0)
    run, query, calls = fake_cups([cups.JobState("office-3", 5), None])
    with pytest.raises(cups.PrintError, match=r"^CUPS no longer lists job office-3: it may or may not have printed$"):
        cups.print_pdf("office", b"%PDF", title="t", run=run, query=query)

    def unreachable(printer: str, job_id: str) -> cups.JobState | None:
        raise cups.PrintError("CUPS did not say how the job is doing (Connection refused)")

    run, _query, calls = fake_cups([None])
    with pytest.raises(cups.PrintError, match=r"\(Connection refused\); the job was cancelled$"):
        cups.print_pdf("office", b"%PDF", title="t", run=run, query=unreachable)
    assert calls[-1] == ["cancel", "office-3"]


@pytest.mark.parametrize(("state", "reason", "cancelled"), [
    (cups.JobState("office-3", 8, ("processing-to-stop-point",), "Backend failed"),
     "CUPS job office-3 aborted: Backend failed", False),
    (cups.JobState("office-3", 7, ("job-canceled-by-user",)), "CUPS job office-3 cancelled: job-canceled-by-user", False),
    (cups.JobState("office-3", 6, (), "Filter failed"), "CUPS stopped the job (stopped: Filter failed); the job was "
     "cancelled", True),
])
def test_a_job_cups_did_not_print_is_a_failure_with_cups_reason(state: cups.JobState, reason: str,
                                                                 cancelled: bool) -> None:
    run, query, calls = fake_cups([state])
    with pytest.raises(cups.PrintError) as caught:
        cups.print_pdf("office", b"%PDF", title="t", run=run, query=query)
    assert str(caught.value) == reason and caught.value.job_id == "office-3"
    assert (["cancel", "office-3"] in calls) is cancelled


def test_no_cups_commands_is_a_clear_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(cups.PrintError, match=r"the CUPS command lp is not installed \(Debian: cups-client\)"):
        cups.print_pdf("office", b"%PDF", title="t")
    with pytest.raises(cups.PrintError, match="no printer was chosen"):
        cups.print_pdf("", b"%PDF", title="t")


# --- Print to File ------------------------------------------------------------------------------------

def test_print_to_file_is_owner_only_even_over_a_wider_file_and_says_where(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    encounter_id = opened(window, store)
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"an older file, readable by everyone")
    target.chmod(0o644)
    monkeypatch.chdir(tmp_path)

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName("summary.pdf")  # relative: the status still gives the full path
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    window.print_action.trigger()
    assert window.ops.wait_idle()
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_bytes().startswith(b"%PDF-")
    assert window.statusBar().currentMessage() == f"Summary written to {target}"
    assert audit(store, encounter_id) == [("printed", "printed to a PDF file")]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".summary.pdf.")]  # no temporary file left


def test_print_to_a_file_that_cannot_be_written_says_why(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtPrintSupport import QPrinter

    encounter_id = opened(window, store)
    told = told_messages(monkeypatch, window)
    missing = tmp_path / "no such folder" / "summary.pdf"

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(missing))
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    window.print_action.trigger()
    assert window.ops.wait_idle()
    assert [m for m, _ in told] == [messages.PRINT_FAILED]
    assert "does not exist" in str(told[0][1]["reason"])
    assert [action for action, _ in audit(store, encounter_id)] == ["printed", "print_failed"]
    assert not missing.exists()


def test_the_window_does_not_close_while_a_print_job_is_out(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.summary.printing = "Exam-Room-2"  # as Summary.print sets it until CUPS says how the job ended
    assert window.close() is False
    assert window.isVisible()
    assert "still printing on Exam-Room-2" in window.statusBar().currentMessage()
    window.summary.printing = ""


def test_printing_leaves_the_preview_as_it_was(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in a new-user trial: after a print the preview said "The encounter changed after this
    summary was made" (the print's audit row re-read the same patient)."""
    from PySide6.QtPrintSupport import QPrinter

    opened(window, store)
    window.show_preview()
    assert window.ops.wait_idle()
    shown = window.preview.pdf_bytes
    assert shown

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "summary.pdf"))
        return True

    monkeypatch.setattr(window, "ask_printer", to_file)
    window.print_action.trigger()
    assert window.ops.wait_idle()
    qtbot.wait(200)
    assert window.ops.wait_idle()
    assert (tmp_path / "summary.pdf").exists()
    assert window.preview.pdf_bytes == shown and "changed after" not in window.preview.placeholder.text()


def test_a_printer_state_check_that_fails_cancels_the_job_it_was_watching() -> None:
    """Review finding: lpstat failing after lp had taken the job left the job printing while the
    window said it was not printed (and the clinician printed again)."""
    calls: list[list[str]] = []

    def run(args: list[str], data: bytes | None = None) -> Any:
        import subprocess

        calls.append(list(args))
        if args[0] == "lp":
            return subprocess.CompletedProcess(args, 0, "request id is office-7 (1 file(s))\n", "")
        if args[0] == "lpstat":
            return subprocess.CompletedProcess(args, 1, "", 'lpstat: Invalid destination name in list "office".\n')
        return subprocess.CompletedProcess(args, 0, "", "")

    with pytest.raises(cups.PrintError) as refused:
        cups.print_pdf("office", b"%PDF", title="t", run=run, query=lambda printer, job: cups.JobState(job, 3),
                       timeout=5)
    assert refused.value.job_id == "office-7" and "the job was cancelled" in str(refused.value)
    assert any(c[0] == "cancel" and "office-7" in c for c in calls), calls


def test_export_offers_a_folder_of_the_user_and_says_where_it_wrote(  # type: ignore[no-untyped-def]
        qtbot, window: MainWindow, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found in a new-user trial: Export opened in the program's own folder and then said only "Exported"."""
    from PySide6.QtWidgets import QFileDialog

    opened(window, store)
    monkeypatch.setenv("HOME", str(tmp_path))
    offered: list[str] = []
    target = tmp_path / "chosen" / "summary.json"
    target.parent.mkdir()

    def choose_file(parent: Any, caption: str, name: str, filters: str) -> tuple[str, str]:
        offered.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose_file))
    window.export_action.trigger()
    assert window.ops.wait_idle()
    assert os.path.isabs(offered[0]) and not offered[0].startswith(os.getcwd() + os.sep), offered
    assert window.statusBar().currentMessage() == f"Exported the FHIR R4 Bundle to {target}"
    window.export_action.trigger()  # the next export starts in the folder of this one
    assert window.ops.wait_idle()
    assert os.path.dirname(offered[1]) == str(target.parent)
