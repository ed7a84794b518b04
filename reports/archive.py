"""The summary of a stored encounter as it leaves KneeCheck: one entry point for every export.

``encounter_summary`` is what the command line, the window, the FHIR DocumentReference and the
HL7 v2 message all put in the record, so a summary written to a file is the same wherever it is
made. Plain data in (the case dict, the stored assessment, the status), PDF bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def encounter_summary(case: Mapping[str, Any], assessment: Mapping[str, Any], *,
                      status: Mapping[str, Any] | None = None, letterhead: Mapping[str, Any] | None = None,
                      paper: str = "A4", generated_at: dt.datetime | None = None, invariant: bool = False) -> bytes:
    """The printed summary of a stored encounter, as written to a file or sent to a record."""
    from reports.summary import render_summary  # ReportLab loads only when a PDF is made

    return render_summary(dict(case), dict(assessment), status=dict(status) if status else None,
                          letterhead=dict(letterhead) if letterhead else None, paper=paper,
                          generated_at=generated_at, invariant=invariant)
