"""The summary of a stored encounter as it leaves KneeCheck: one entry point for every export.

``encounter_summary`` is what the command line, the window, the FHIR DocumentReference and the
HL7 v2 message all put in the record, so a summary written to a file is the same wherever it is
made. Plain data in (the case dict, the stored assessment, the status), PDF bytes out: a PDF/A-3b
file (``reports.pdfa``) that carries the encounter's data as associated files, by default its
``kneecheck-case/1`` case file as ``case.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from reports.pdfa import Attachment, to_pdfa

CASE_FILENAME = "case.json"
CASE_MIME_TYPE = "application/json"
CASE_DESCRIPTION = "The encounter as a kneecheck-case/1 case file (JSON, UTF-8)"


def case_file_bytes(case: Mapping[str, Any]) -> bytes:
    """The ``kneecheck-case/1`` file of ``case``, exactly as ``export ID --json`` writes it."""
    return (json.dumps(dict(case), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def case_attachment(case: Mapping[str, Any]) -> Attachment:
    """The case file as an associated file of the summary (``case.json``, relationship Data)."""
    return Attachment(CASE_FILENAME, case_file_bytes(case), CASE_MIME_TYPE, CASE_DESCRIPTION, "Data")


def encounter_summary(case: Mapping[str, Any], assessment: Mapping[str, Any], *,
                      status: Mapping[str, Any] | None = None, letterhead: Mapping[str, Any] | None = None,
                      paper: str = "A4", generated_at: dt.datetime | None = None, invariant: bool = False,
                      attachments: Sequence[Attachment] | None = None) -> bytes:
    """The printed summary of a stored encounter, as written to a file or sent to a record: PDF/A-3b.

    ``attachments`` are the associated files embedded in it; by default (``None``) the case file
    built from ``case`` (:func:`case_attachment`). A caller that adds more passes the whole list,
    the case file first: ``attachments=[case_attachment(case), bundle]``. Raises
    ``reports.pdfa.PdfaError`` if the PDF/A file cannot be made.
    """
    from reports.summary import render_summary  # ReportLab loads only when a PDF is made

    pdf = render_summary(dict(case), dict(assessment), status=dict(status) if status else None,
                         letterhead=dict(letterhead) if letterhead else None, paper=paper,
                         generated_at=generated_at, invariant=invariant)
    files = (case_attachment(case),) if attachments is None else tuple(attachments)
    return to_pdfa(pdf, attachments=files, invariant=invariant)
