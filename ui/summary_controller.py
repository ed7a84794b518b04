"""The summary of the open encounter: preview, print, export and send.

Each starts by making sure what is shown is stored (the open draft is saved first when it has
unsaved entries, was never stored, or its stored assessment is stale), then makes the archival PDF/A
summary off the GUI thread from the record as stored and the patient as now stored, writes the audit
row (off the GUI thread, BEFORE anything leaves: patient data never leaves without it), and only then
shows, prints, writes or sends it. Printing, writing and sending run off the GUI thread; a print to
a printer is reported (and audited "printed") only once CUPS says the printer took it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject

from models.records import Actor, EncounterRecord, StoreError
from ui import messages
from ui.operations import Changes

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.summary_view import PrintRequest

SEND_TIMEOUT_S = 30.0  # the longest wait for the record system's ACK

Made = Callable[[bytes, EncounterRecord, "EncounterRecord | None"], object]


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


class _Stage(Exception):
    """An export step failed: which one, and the error."""

    def __init__(self, stage: str, error: Exception) -> None:
        super().__init__(stage)
        self.stage, self.error = stage, error


class Summary(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.sending = False
        self.printing = ""  # the printer a job is waiting on, "" when none
        self.language: str | None = None  # the summaries' language; None: the window's (Encounter > Summary language)

    def _made(self, then: Made, on_fail: Callable[[], object] = lambda: None, saves: int = 0) -> None:
        """Save first when needed, then make the summary off the GUI thread and call ``then``."""
        w = self.w
        if not w.session.editing:
            on_fail()
            w.tell(messages.NO_ENCOUNTER)
            return
        if w.needs_save():
            if saves >= 3:  # typed on through three saves: say so rather than chase the typing
                on_fail()
                w.status_note(translate("MainWindow", "The summary was not made: the entries kept changing; try again."))
                return
            w.session.save(done=lambda ok: self._saved(ok, then, on_fail, saves + 1))
            return
        self._render(then, on_fail)

    def _saved(self, ok: bool, then: Made, on_fail: Callable[[], object], saves: int) -> None:
        """The pre-save landed (or not): typed meanwhile, it saves again and goes on; not stored,
        it says so (the save's own message says why); never silently nothing."""
        if ok and self.w.session.editing:
            self._made(then, on_fail, saves)  # needs_save again when something was typed while it was in flight
            return
        on_fail()
        self.w.status_note(translate("MainWindow", "The summary was not made: the entries are not stored yet."))

    def _render(self, then: Made, on_fail: Callable[[], object]) -> None:
        w = self.w
        record, settings = w.session.record, w.settings
        language = self.language  # chosen on the GUI thread: the worker prints in it
        if record is None:
            on_fail()
            return

        def make(store: Any) -> tuple[bytes, EncounterRecord, EncounterRecord | None]:
            from ui.summary_view import render_pdf

            nonlocal record
            assert record is not None
            patient = store.get_patient(record.patient.id)  # the patient as now stored, never as cached
            if patient.version >= record.patient.version:
                record = dataclasses.replace(record, patient=patient)
            replaced = None
            if record.amends_id is not None:
                try:
                    replaced = store.load_encounter(record.amends_id)
                except StoreError:
                    replaced = None  # the summary still names the encounter it replaces, without its date
            from models.follow_up import follow_up_of

            since = follow_up_of(store, record)  # since the visit before, if any
            try:
                return render_pdf(record, settings, replaced, since, language), record, replaced
            except Exception as exc:  # the renderer's own errors: say so, keep the window
                raise _Stage("render", exc) from exc

        def failed(exc: Exception) -> None:
            on_fail()
            if isinstance(exc, _Stage):
                w.tell(messages.PDF_UNAVAILABLE, reason=type(exc.error).__name__)
            else:
                w.tell(messages.STORE_FAILED, reason=str(exc))

        def made(result: tuple[bytes, EncounterRecord, EncounterRecord | None]) -> None:
            w.session.set_patient(result[1].patient)  # newer: the header and the open record show it too
            then(*result)

        w.ops.run("summary", make, success=made, failure=failed)

    def _audit(self, record: EncounterRecord, action: str, detail: str, then: Callable[[], object] | None,
               actor: Actor | None = None) -> None:
        """The audit row of a disclosure, off the GUI thread; ``then`` only once it is written."""
        w = self.w
        who = actor or w.actor()
        w.ops.run(f"audit {action}", lambda store: store.record_event(
            action, who, encounter_id=record.id, patient_id=record.patient.id, detail=detail),
            success=lambda _r: then() if then is not None else None,
            failure=lambda exc: w.tell(messages.STORE_FAILED, reason=str(exc)),
            changes=Changes(audit=True, encounter_id=record.id, patient_id=record.patient.id))

    # --- the four ways out --------------------------------------------------------------------------

    def preview(self) -> None:
        def made(pdf: bytes, record: EncounterRecord, _replaced: EncounterRecord | None) -> None:
            def show() -> None:
                self.w.area.preview.show_pdf(pdf)
                self.w.area.tabs.setCurrentWidget(self.w.area.preview)

            self._audit(record, "viewed", "", show)

        self._made(made)

    def print(self) -> None:
        """Print through the print dialog: to a real printer (a CUPS queue) the PDF/A summary is
        submitted off the GUI thread and reported sent only once CUPS says the printer took it;
        "Print to File" writes the summary itself, owner-only (0600)."""
        if self.printing:
            self.w.statusBar().showMessage(translate("MainWindow", "Still printing on {name}: wait until it is done.").format(
                name=self.printing), 5000)
            return

        def made(pdf: bytes, record: EncounterRecord, _replaced: EncounterRecord | None) -> None:
            from PySide6.QtPrintSupport import QPrinter

            from ui.summary_view import print_request, printer_file

            if self.w.is_window_locked():  # locked while the summary was made: nothing shown over the lock
                self.w.status_note(translate("MainWindow", "Print was not done: the window was locked. Print again."))
                return
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            if not self.w.ask_printer(printer):
                return
            target = printer_file(printer)  # "Print to File": the PDF/A summary itself
            if target is not None:
                self._print_to_file(pdf, record, os.path.abspath(target))
            else:
                self._print_to_printer(pdf, record, print_request(printer))

        self._made(made)

    def _print_to_file(self, pdf: bytes, record: EncounterRecord, path: str) -> None:
        """Write the summary to ``path`` owner-only, off the GUI thread, after its audit row."""
        from ui.summary_view import write_private_file

        def failed(exc: Exception) -> None:
            self._audit(record, "print_failed", f"to a PDF file: {type(exc).__name__}", None)
            self.w.tell(messages.PRINT_FAILED, reason=exc.strerror if isinstance(exc, OSError) and exc.strerror
                        else str(exc))

        def write() -> None:
            self.w.ops.run_plain("print to file", lambda: write_private_file(path, pdf), failure=failed,
                                 success=lambda _r: self.w.statusBar().showMessage(
                                     translate("MainWindow", "Summary written to {path}").format(path=path), 10000))

        self._audit(record, "printed", "printed to a PDF file", write)

    def _print_to_printer(self, pdf: bytes, record: EncounterRecord, request: PrintRequest) -> None:
        """Submit the summary to the CUPS queue of ``request`` and wait, off the GUI thread, until
        CUPS says it was printed; "printed" (or "print_failed") is audited when the answer comes.
        The request is audited before anything leaves ("print_requested")."""
        from ui.summary_view import page_count

        name, actor = request.printer, self.w.actor()
        if not name:  # nothing leaves: no queue to send it to
            self._audit(record, "print_failed", "no printer was chosen", None, actor)
            self.w.tell(messages.PRINT_FAILED, reason=translate("MainWindow", "no printer was chosen."))
            return
        pages = request.pages(page_count(pdf))
        self.printing = name

        def taken(job: Any) -> None:
            self.printing = ""
            self._audit(record, "printed", f"printer {name}, CUPS job {job.job_id}: {job.status}", None, actor)
            self.w.statusBar().showMessage(translate("MainWindow", "Sent to printer {name}: {n} page(s), CUPS job {job}").format(
                name=name, n=pages * request.copies, job=job.job_id), 10000)

        def refused(exc: Exception) -> None:
            from reports.cups import PrintError

            self.printing = ""
            reason = str(exc) if isinstance(exc, PrintError) else type(exc).__name__
            self._audit(record, "print_failed", f"printer {name}: {reason}", None, actor)
            self.w.statusBar().showMessage(translate("MainWindow", "Printer {name} did not take the job: {reason}").format(
                name=name, reason=reason))
            self.w.tell(messages.PRINTER_REFUSED, name=name, reason=reason)

        def submit() -> None:
            from reports.cups import print_pdf

            self.w.statusBar().showMessage(translate("MainWindow", "Sending to printer {name}\u2026").format(name=name))
            title = f"KneeCheck encounter {record.id}"  # listed to every user of the queue: no patient data
            self.w.ops.run_plain("print", lambda: print_pdf(name, pdf, title=title, copies=request.copies,
                                                            options=request.options, page_ranges=request.page_ranges),
                                 success=taken, failure=refused, read=True)

        def audit_failed(exc: Exception) -> None:
            self.printing = ""
            self.w.tell(messages.STORE_FAILED, reason=str(exc))

        self.w.ops.run("audit print_requested", lambda store: store.record_event(
            "print_requested", actor, encounter_id=record.id, patient_id=record.patient.id,
            detail=f"printer {name}"), success=lambda _r: submit(), failure=audit_failed,
            changes=Changes(audit=True, encounter_id=record.id, patient_id=record.patient.id))

    def export(self) -> None:
        """Export as a PDF/A summary, a FHIR R4 Bundle or an HL7 v2 message (the file name or the
        dialog's type chooses)."""

        def made(pdf: bytes, record: EncounterRecord, replaced: EncounterRecord | None) -> None:
            from ui.summary_view import EXPORT_FORMATS, export_kind
            from ui.summary_view import tr as view_tr

            filters = ";;".join(view_tr(name) for _kind, name, _suffix in EXPORT_FORMATS)
            if self.w.is_window_locked():
                self.w.status_note(translate("MainWindow", "Export was not done: the window was locked. Export again."))
                return
            path, chosen = self.w.ask_save_path(translate("MainWindow", "Export encounter"), f"kneecheck-encounter-{record.id}.pdf",
                                                filters)
            if not path:
                return
            kind, settings, actor = export_kind(path, chosen), self.w.settings, self.w.actor()

            def write(store: Any) -> None:
                from ui.summary_view import export_data, write_private_file

                try:
                    data, detail = export_data(kind, record, settings, replaced, pdf)
                except ValueError as exc:  # the FHIR or HL7 builder refused: its message names the field
                    raise _Stage("build", exc) from exc
                try:
                    store.record_event("exported", actor, encounter_id=record.id, patient_id=record.patient.id,
                                       detail=detail)
                except StoreError as exc:
                    raise _Stage("audit", exc) from exc
                try:
                    write_private_file(path, data)
                except OSError as exc:
                    try:
                        store.record_event("export_failed", actor, encounter_id=record.id,
                                           patient_id=record.patient.id, detail=detail)
                    except StoreError:
                        pass  # the message below still says the file was not written
                    raise _Stage("write", exc) from exc

            def failed(exc: Exception) -> None:
                error = exc.error if isinstance(exc, _Stage) else exc
                if isinstance(exc, _Stage) and exc.stage == "audit":
                    self.w.tell(messages.STORE_FAILED, reason=str(error))
                elif isinstance(error, OSError):
                    self.w.tell(messages.EXPORT_FAILED, reason=error.strerror or type(error).__name__)
                else:
                    self.w.tell(messages.EXPORT_FAILED, reason=str(error))

            what = {"pdf": translate("MainWindow", "PDF/A summary"), "fhir": translate("MainWindow", "FHIR R4 Bundle"), "hl7": translate("MainWindow", "HL7 v2 message")}.get(kind, kind)
            written = os.path.abspath(path)
            self.w.ops.run("export", write, success=lambda _r: self.w.statusBar().showMessage(
                               translate("MainWindow", "Exported the {what} to {path}").format(what=what, path=written), 8000),
                           failure=failed, changes=Changes(audit=True, encounter_id=record.id))

        self._made(made)

    def send(self) -> None:
        """Send as an HL7 v2 message over MLLP to the destination in Settings; the audit row first,
        the delivery off the GUI thread, its answer audited and reported when it comes."""
        destination = self.w.settings.mllp_destination
        if not destination:
            self.w.tell(messages.NO_DESTINATION)
            return
        if self.sending:
            return
        self.sending = True  # no second send while this one is being made, audited or delivered
        self.w.update_actions()

        def done() -> None:
            self.sending = False
            self.w.update_actions()

        def made(pdf: bytes, record: EncounterRecord, replaced: EncounterRecord | None) -> None:
            from reports.hl7 import Hl7Error, message_type, parse_destination
            from ui.summary_view import hl7_for

            try:
                host, port = parse_destination(destination)
                message, control_id = hl7_for(record, self.w.settings, replaced, pdf)
            except Hl7Error as exc:
                done()
                self.w.tell(messages.SEND_FAILED, reason=str(exc), said="")
                return
            what = f"hl7 {message_type(message)} to {destination}, control id {control_id}"
            # The open encounter, even the signed-in clinician, may change before the answer comes: the
            # answer is filed under this encounter, in the name of whoever sent it.
            sender = self.w.actor()

            def deliver() -> None:
                self.w.statusBar().showMessage(translate("MainWindow", "Sending to {where}\u2026").format(where=destination))
                from reports.mllp import deliver as mllp_deliver

                self.w.ops.run_plain("send", lambda: mllp_deliver(host, port, message, control_id, SEND_TIMEOUT_S),
                                     success=accepted, failure=refused, read=True)

            def accepted(ack: Any) -> None:
                done()
                self._audit(record, "send_accepted", f"{what}: {ack.code}", None, sender)
                self.w.statusBar().showMessage(translate("MainWindow", "Encounter {number} accepted by {where} ({code})").format(
                    number=record.id, where=destination, code=ack.code), 10000)

            def refused(exc: Exception) -> None:
                from reports.mllp import RemoteError

                done()
                reason = str(exc) if isinstance(exc, RemoteError) else type(exc).__name__
                self._audit(record, "send_failed", f"{what}: {reason}", None, sender)
                self.w.statusBar().clearMessage()
                said = exc.remote_text if isinstance(exc, RemoteError) else ""
                self.w.tell(messages.SEND_FAILED, reason=reason, said=f" {said}" if said else "")

            def audit_failed(exc: Exception) -> None:
                done()
                self.w.tell(messages.STORE_FAILED, reason=str(exc))

            self.w.ops.run("audit sent", lambda store: store.record_event(
                "sent", sender, encounter_id=record.id, patient_id=record.patient.id, detail=what),
                success=lambda _r: deliver(), failure=audit_failed)

        self._made(made, done)
