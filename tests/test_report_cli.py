"""The summary from the command line: ``report CASE.json -o OUT.pdf`` and ``export ID -o OUT.pdf``."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from main import main
from models.case import EncounterInfo, Patient
from models.store import Actor, Store, StoreError
from tests.helpers import CASES_DIR, make_case

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
OTHER = Actor("Dr Bea Second", "tester2", "exam-room-2")


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages))


def test_report_writes_an_owner_only_draft_summary(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    assert main(["report", str(CASES_DIR / "cauda_equina.json"), "-o", str(out), "--paper", "Letter"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdf_text(out)
    assert "Silva, Ana" in text and "P-0005" in text and "DRAFT" in text and "EMERGENCY" in text
    assert float(PdfReader(str(out)).pages[0].mediabox.width) == 612.0
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("make_input", "message"),
    [
        (lambda d: d / "missing.json", "no such file"),
        (lambda d: _write(d / "bad.json", make_case({"slr": "maybe"})), "findings.slr"),
        (lambda d: _write(d / "broken.json", "{not json"), "not valid JSON"),
    ],
)
def test_report_bad_case_exits_2_with_one_line(tmp_path: Path, make_input, message: str) -> None:  # type: ignore[no-untyped-def]
    case = make_input(tmp_path)
    out = tmp_path / "out.pdf"
    proc = subprocess.run([sys.executable, "main.py", "report", str(case), "-o", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr
    assert not out.exists()


def test_report_refuses_a_folder_as_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(CASES_DIR / "hip_referred.json"), "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_starting_up_does_not_import_reportlab() -> None:
    code = "import sys, main; main.build_parser(); print(any(m.startswith('reportlab') for m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr


def _write(path: Path, content: object) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_export_pdf_shows_the_stored_status_and_amendment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kneecheck.db'}"
    with Store.open(url) as store:
        patient = store.create_patient(Patient("A-1001", "Doe", "Jane", dt.date(1961, 4, 2), "female"), ACTOR)
        info = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
        first = store.create_draft(patient.id, info, {"slr": "positive", "sensory_changes": "yes"}, "first", ACTOR)
        draft_id = first.id
        first = store.finalize(first.id, first.version, ACTOR)
        second = store.amend(first.id, "Reflex re-tested & corrected", OTHER)
        second = store.finalize(second.id, second.version, OTHER)

    draft_pdf, amended_pdf = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert main(["--db", url, "export", str(draft_id), "-o", str(draft_pdf), "--clinician", "Dr Ada Example"]) == 0
    assert main(["--db", url, "export", str(second.id), "-o", str(amended_pdf), "--clinician", "Dr Ada Example"]) == 0

    first_text = pdf_text(draft_pdf)
    assert "Doe, Jane" in first_text and "A-1001" in first_text
    finalized_on = f"{first.finalized_at.astimezone(dt.UTC):%Y-%m-%d}"  # today: the test's own finalize
    assert "DRAFT" not in first_text and f"Status: final. Finalized by Dr Ada Example on {finalized_on}" in first_text
    assert "SUPERSEDED" in first_text and f"encounter {second.id} amends it" in " ".join(first_text.split())

    text = pdf_text(amended_pdf)
    assert "DRAFT" not in text and "SUPERSEDED" not in text
    assert "Finalized by Dr Bea Second" in text
    assert f"replaces encounter {first.id} finalized {first.finalized_at:%Y-%m-%d}" in text
    assert "Reason: Reflex re-tested & corrected" in text
    assert stat.S_IMODE(amended_pdf.stat().st_mode) == 0o600


@pytest.mark.parametrize("args", [["-o", "out.pdf"], ["--json", "-o", "out.json"], ["--json"]])
def test_export_writes_nothing_without_its_audit_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    url = f"sqlite:///{tmp_path / 'kneecheck.db'}"
    with Store.open(url) as store:
        patient = store.create_patient(Patient("A-1001", "Doe", "Jane", dt.date(1961, 4, 2), "female"), ACTOR)
        record = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"),
                                    {"slr": "positive"}, "", ACTOR)

    def refuse(*_a: object, **_k: object) -> None:
        raise StoreError("database error: database is locked")

    monkeypatch.setattr(Store, "record_event", refuse)
    monkeypatch.chdir(tmp_path)
    assert main(["--db", url, "export", str(record.id), *args, "--clinician", "Dr Ada Example"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and "database is locked" in out.err
    assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "out.json").exists()
