"""The printed summary inside the window: preview (QtPdf, from memory), print and export.

The PDF is made by ``reports.summary.render_summary`` (imported on first use: ReportLab and QtPdf
cost start-up time). The bytes live in a QBuffer owned by the preview, so no patient data ever
touches a temporary file. Printing hands the PDF/A summary itself to CUPS (reports.cups): the
print dialog only chooses the queue and its options (:func:`print_request`); "Print to File"
writes the summary owner-only.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from models.store import EncounterRecord
    from ui.settings import Settings

def tr(text: str) -> str:
    return QCoreApplication.translate("SummaryView", text)


translate = QCoreApplication.translate


def render_pdf(record: EncounterRecord, settings: Settings, replaced: EncounterRecord | None = None,
               follow_up: dict[str, Any] | None = None, language: str | None = None) -> bytes:
    """The summary of a stored encounter (``replaced``: the encounter an amendment replaces;
    ``follow_up``: since the visit before, models.follow_up.FollowUp.to_dict; ``language``: the
    print's, None for the window's)."""
    from models.records import summary_status
    from reports.archive import record_summary  # first PDF only: ReportLab costs start-up time

    return record_summary(record.to_case().to_dict(), record.assessment, record.metadata(),
                          mrn_system=mrn_system_of(settings), status=summary_status(record, replaced),
                          letterhead=settings.letterhead(), paper=settings.paper, follow_up=follow_up,
                          language=language)


# What Export offers: (kind, file-dialog filter, suffix). The PDF/A summary carries the case file and
# the FHIR Bundle as associated files; the Bundle carries the PDF/A summary; the HL7 message too.
EXPORT_FORMATS = (
    ("pdf", QT_TRANSLATE_NOOP("SummaryView", "PDF/A summary (*.pdf)"), ".pdf"),
    ("fhir", QT_TRANSLATE_NOOP("SummaryView", "FHIR R4 Bundle (*.json)"), ".json"),
    ("hl7", QT_TRANSLATE_NOOP("SummaryView", "HL7 v2 message (*.hl7)"), ".hl7"),
)


def export_kind(path: str, chosen_filter: str) -> str:
    """The format to write: the file name's ending when it names one (a file called x.hl7 always
    holds an HL7 message), else the filter chosen in the dialog, else the PDF."""
    for kind, _name, suffix in EXPORT_FORMATS:
        if path.lower().endswith(suffix):
            return kind
    for kind, name, _suffix in EXPORT_FORMATS:
        if chosen_filter == tr(name):
            return kind
    return "pdf"


def export_data(kind: str, record: EncounterRecord, settings: Settings, replaced: EncounterRecord | None,
                pdf: bytes) -> tuple[bytes, str]:
    """The file content of ``kind`` for ``record`` (its archival summary ``pdf`` already made) and the
    audit detail naming what left."""
    import json

    if kind == "pdf":
        return pdf, "pdf"
    if kind == "fhir":
        from reports.fhir import encounter_bundle

        bundle = encounter_bundle(record.to_case().to_dict(), record.assessment, record.metadata(),
                                  mrn_system=mrn_system_of(settings), pdf=pdf)
        return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), "fhir bundle"
    from reports.hl7 import message_type

    message, control_id = hl7_for(record, settings, replaced, pdf)
    return message.encode("utf-8"), f"hl7 {message_type(message)}, control id {control_id}"


def hl7_for(record: EncounterRecord, settings: Settings, replaced: EncounterRecord | None,
            pdf: bytes) -> tuple[str, str]:
    """The MDM^T02 of ``record`` with this workstation's facility: (message, control id)."""
    from reports.archive import hl7_message

    facility = facility_of(settings)
    return hl7_message(record, replaced, pdf, facility=facility, mrn_authority=facility,
                       mrn_system=mrn_system_of(settings))


def mrn_system_of(settings: Settings) -> str:
    """The workstation's MRN system, else $KNEECHECK_MRN_SYSTEM, else the default (as the command line)."""
    return settings.mrn_system_or_default()


def facility_of(settings: Settings) -> str:
    """The workstation's HL7 facility, else $KNEECHECK_FACILITY, else the default (as the command line)."""
    return settings.facility_or_default()


def _placeholder() -> str:
    return translate("SummaryView", "Save the encounter, then choose Preview (Ctrl+Shift+V) to see the printed summary.")


def _stale() -> str:
    return translate("SummaryView", "The encounter changed after this summary was made. Choose Preview (Ctrl+Shift+V) to see it as it is now.")


class SummaryPreview(QWidget):
    """Shows PDF bytes with QPdfView; the document is parented to the view, the buffer kept alive."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(translate("SummaryView", "Summary preview"))
        self._stack = QStackedLayout(self)
        self.placeholder = QLabel(_placeholder())
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack.addWidget(self.placeholder)
        self.view: Any = None
        self.document: Any = None
        self._buffer: QBuffer | None = None
        self.pdf_bytes: bytes = b""

    def _ensure_view(self) -> None:
        if self.view is not None:
            return
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setAccessibleName(translate("SummaryView", "Summary preview"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.document = QPdfDocument(self.view)  # the view does not own its document
        self.view.setDocument(self.document)
        self._stack.addWidget(self.view)

    def show_pdf(self, data: bytes) -> int:
        """Load ``data``; returns the page count (0 when it could not be read)."""
        self._ensure_view()
        self.document.close()
        old = self._buffer
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if old is not None:
            old.close()
            old.deleteLater()
        self.pdf_bytes = data
        self._stack.setCurrentWidget(self.view)
        return int(self.document.pageCount())

    def clear(self) -> None:
        if self.document is not None:
            self.document.close()
        self.pdf_bytes = b""
        self.placeholder.setText(_placeholder())
        self._stack.setCurrentWidget(self.placeholder)

    def mark_stale(self) -> None:
        """The encounter changed since this summary was made (an answer, the patient, a finalize):
        it is taken down, never left on screen as if it were the record."""
        if not self.pdf_bytes:
            return
        self.clear()
        self.placeholder.setText(_stale())


def printer_file(printer: QPrinter) -> str | None:
    """The file a print dialog's "Print to File (PDF)" writes, else None (a real printer)."""
    from PySide6.QtPrintSupport import QPrinter

    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return str(printer.outputFileName())
    return None


@dataclasses.dataclass(frozen=True)
class PrintRequest:
    """What the print dialog chose for a real printer, as plain data for reports.cups.print_pdf."""

    printer: str
    copies: int
    options: tuple[tuple[str, str], ...]
    page_ranges: str
    """CUPS' ``-P`` pages ("2-3"), or "" for all."""

    def pages(self, total: int) -> int:
        """How many pages of a ``total``-page summary one copy prints."""
        if not self.page_ranges:
            return total
        first, _, last = self.page_ranges.partition("-")
        return max(0, min(int(last or first), total) - int(first) + 1)


def print_request(printer: QPrinter) -> PrintRequest:
    """The CUPS queue and the options the dialog set on ``printer`` (copies, sides, colour, pages)."""
    from PySide6.QtPrintSupport import QPrinter

    duplex = {QPrinter.DuplexMode.DuplexNone: "one-sided", QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
              QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge"}.get(printer.duplex())
    options: list[tuple[str, str]] = [("sides", duplex)] if duplex else []
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        options.append(("print-color-mode", "monochrome"))
    pages = ""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        pages = f"{printer.fromPage()}-{max(printer.fromPage(), printer.toPage())}"
    return PrintRequest(str(printer.printerName()), max(1, printer.copyCount()), tuple(options), pages)


def write_private_file(path: str | Path, data: bytes) -> None:
    """Write ``data`` owner-only (0600) and atomically; the file dialog already asked before replacing."""
    from models.files import FileWriteError
    from models.files import write_private_file as write

    try:
        write(path, data, overwrite=True)
    except FileWriteError as exc:
        raise OSError(0, str(exc)) from None  # strerror carries the message the window shows


def page_count(data: bytes) -> int:
    """The number of pages of the PDF ``data`` (0 when it cannot be read)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    try:
        document.load(buffer)
        return int(document.pageCount())
    finally:
        document.close()
        buffer.close()
