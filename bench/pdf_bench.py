"""Render time of the printed summary against a bare ReportLab document of the same size.

Run: ``.venv/bin/python bench/pdf_bench.py [--runs N] [--case NAME]``. Both documents are built
alternately in the same process after a warm-up (fonts registered, stylesheet built), so machine load
hits both alike; it prints the medians and the ratio. The bare document has the same text and one
table (standard font, no letterhead, footer, watermark or page numbering).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LETTERHEAD = {"clinic_name": "Riverside Musculoskeletal Clinic", "clinic_address": "12 Example Street\nSpringfield"}


def inputs(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from models.assessment import assess
    from models.case import load_case_file

    case = load_case_file(ROOT / "tests" / "cases" / f"{name}.json")
    return case.to_dict(), assess(case).to_dict()


def bare_document(case: dict[str, Any], assessment: dict[str, Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from models.catalogue import load_catalogue

    catalogue = load_catalogue()
    styles = getSampleStyleSheet()
    p = case["patient"]
    story: list[Any] = [
        Paragraph("Knee pain assessment", styles["Title"]),
        Paragraph(f"{p['family_name']}, {p['given_name']} {p['mrn']} {p['birth_date']}", styles["Normal"]),
        Paragraph(assessment["reason"], styles["Normal"]),
    ]
    rows = [["Item", "Answer", "Direction", "Points"]]
    points = {c["item"]: c for c in assessment["contributions"]}
    for item_id, value in case["findings"].items():
        c = points.get(item_id)
        rows.append([catalogue.item(item_id).short, str(value), c["target"] if c else "", str(c["points"]) if c else ""])
    story.append(Table(rows, repeatRows=1))
    story.append(Paragraph(", ".join(assessment["not_assessed"]), styles["Normal"]))
    story += [Paragraph(s, styles["Normal"]) for s in assessment["next_steps"]]
    story.append(Paragraph(case["notes"] or "-", styles["Normal"]))
    story += [Paragraph(t, styles["Normal"]) for t in catalogue.references.values()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--case", default="sciatica_posterior_knee")
    args = parser.parse_args()

    from reports.summary import render_summary

    case, assessment = inputs(args.case)
    ours, bare = [], []
    for n in range(args.runs + 5):
        t0 = time.perf_counter()
        render_summary(case, assessment, letterhead=LETTERHEAD)
        t1 = time.perf_counter()
        bare_document(case, assessment)
        t2 = time.perf_counter()
        if n >= 5:  # warm-up: font registration, stylesheet, first-use caches
            ours.append((t1 - t0) * 1000)
            bare.append((t2 - t1) * 1000)
    try:
        import _rl_accel  # noqa: F401
        accel = "with rl_accel"
    except ImportError:
        accel = "without rl_accel (pure-Python ReportLab helpers)"
    med_ours, med_bare = statistics.median(ours), statistics.median(bare)
    print(f"case {args.case}, {args.runs} runs each, alternating, {accel}")
    print(f"render_summary      median {med_ours:6.1f} ms")
    print(f"bare platypus doc   median {med_bare:6.1f} ms")
    print(f"ratio               {med_ours / med_bare:6.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
