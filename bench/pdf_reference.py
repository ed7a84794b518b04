"""The PDF reference: a bare ReportLab platypus document with the same amount of text and one
table as the summary of the same case (standard font, no letterhead, no page templates)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from models.assessment import assess
from models.case import load_case_file
from models.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent


def summary_inputs() -> tuple[dict[str, Any], dict[str, Any]]:
    case = load_case_file(ROOT / "tests" / "cases" / "sciatica_posterior_knee.json")
    return case.to_dict(), assess(case).to_dict()


def bare_document(case: dict[str, Any], assessment: dict[str, Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    catalogue = load_catalogue()
    styles = getSampleStyleSheet()
    p = case["patient"]
    story: list[Any] = [Paragraph("Knee pain assessment", styles["Title"]),
                        Paragraph(f"{p['family_name']}, {p['given_name']} {p['mrn']} {p['birth_date']}", styles["Normal"]),
                        Paragraph(assessment["reason"], styles["Normal"])]
    rows = [["Item", "Answer", "Direction", "Points"]]
    points = {c["item"]: c for c in assessment["contributions"]}
    for item_id, value in case["findings"].items():
        c = points.get(item_id)
        rows.append([catalogue.item(item_id).short, str(value), c["target"] if c else "", str(c["points"]) if c else ""])
    story.append(Table(rows, repeatRows=1))
    story += [Paragraph(", ".join(assessment["not_assessed"]), styles["Normal"])]
    story += [Paragraph(s, styles["Normal"]) for s in assessment["next_steps"]]
    story += [Paragraph(case["notes"] or "-", styles["Normal"])]
    story += [Paragraph(t, styles["Normal"]) for t in catalogue.references.values()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()
