"""Hostile and broken input: case files for ``assess``, ``report`` and ``import``, and text into the PDF.

Case files are written to disk and run through ``main.main`` in this process (fast enough for
Hypothesis), plus a few real subprocess runs. Whatever the file holds (random JSON, wrong types,
huge strings, any Unicode, control characters, deep nesting, random bytes), the outcome is either
success or exit status 2 with exactly one short line on stderr: never a traceback, and ``import``
stores nothing at all when it refuses.

Into the PDF, names and notes of any validated Unicode, markup-like text included, always render
and read back literally. What "literally" means, decided from what a PDF can hold: text is compared
with all whitespace removed (lines wrap; ReportLab turns tabs into spaces); a character neither
bundled font has prints as the replacement mark U+FFFD (a glyph DejaVu Sans has: PDF/A forbids drawing
.notdef) and reads back as U+FFFD, one per character, never dropped;
format characters (Cf: soft hyphen, zero-width
joiners, direction marks) are invisible and not compared; right-to-left scripts are excluded from the round trip because ReportLab lays them out left to right
in typed order and a PDF reader reorders them (a documented limit: see test_right_to_left_text_...).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import main
from models.assessment import assess
from models.case import parse_case
from models.store import Store
from tests.helpers import make_case

ROOT = Path(__file__).resolve().parent.parent
MAX_ERROR_LINE = 300  # a clear message names the field; it never echoes a huge value
BASE = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# --- what goes into the case files ------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=30))
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=15)
hostile_text = st.one_of(
    st.text(max_size=60),  # any Unicode, control characters included
    st.integers(min_value=190, max_value=25_000).map(lambda n: "Ω" * n),  # around and over the limits
    st.sampled_from(["", " ", "\u0000", "\x1b[31m", "\u202eevil", "<b>", "</para>", "&amp;", "'; DROP TABLE patient;--",
                     "\ud800" * 0 + "\U0010ffff", "2026-02-30", "9999-12-31", "0001-01-01", "1970-01-01T00:00:00"]),
)
FIELDS = [("format",), ("patient",), ("patient", "mrn"), ("patient", "family_name"), ("patient", "given_name"),
          ("patient", "birth_date"), ("patient", "sex"), ("encounter",), ("encounter", "date"),
          ("encounter", "clinician"), ("encounter", "knee"), ("findings",), ("findings", "slr"),
          ("findings", "duration_weeks"), ("notes",)]


@st.composite
def mutated_case(draw: st.DrawFn) -> bytes:
    """A valid case with one to three fields replaced, removed or added: wrong types, odd text."""
    case = make_case({"slr": "positive", "duration_weeks": 6}, notes="seen today")
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(FIELDS))
        parent: Any = case
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "remove":
            parent.pop(path[-1], None)
        elif action == "add":
            parent[draw(st.text(min_size=1, max_size=20))] = draw(json_values)
        else:
            parent[path[-1]] = draw(st.one_of(json_values, hostile_text))
    return json.dumps(case, ensure_ascii=draw(st.booleans())).encode("utf-8")


@st.composite
def odd_text_case(draw: st.DrawFn) -> bytes:
    """A case whose names, MRN, clinician and notes are any Unicode: often valid, so it gets stored."""
    case = make_case({"slr": "negative"})
    text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
    case["patient"].update(mrn=draw(text), family_name=draw(text), given_name=draw(text))
    case["encounter"]["clinician"] = draw(text)
    case["notes"] = draw(st.text(max_size=200))
    return json.dumps(case, ensure_ascii=draw(st.booleans())).encode("utf-8")


case_files = st.one_of(
    mutated_case(),
    odd_text_case(),
    json_values.map(lambda v: json.dumps(v).encode("utf-8")),
    st.binary(max_size=600),
    st.integers(min_value=1, max_value=100_000).map(lambda n: ("[" * n + "]" * n).encode()),
    st.integers(min_value=1, max_value=50_000).map(lambda n: ('{"patient":' * n + "1" + "}" * n).encode()),
    mutated_case().map(lambda b: b.decode("utf-8").encode("utf-16")),
    mutated_case().map(lambda b: b[: len(b) // 2]),  # truncated, as after a crash of the writer
    st.sampled_from([b"", b"\xef\xbb\xbf", b"null", b"NaN", b'{"format": NaN}', b"1" * 5000, b"\xff\xfe\x00"]),
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_outcome(code: int, out: str, err: str) -> None:
    """Success, or exit 2 with one short plain line on stderr and nothing on stdout."""
    if code == 0:
        assert err == "", err
        return
    assert code == 2, (code, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("kneecheck: error: ") and "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert len(err) <= MAX_ERROR_LINE, f"{len(err)} characters: {err[:200]}..."


# --- assess, report, import ----------------------------------------------------------------------------

@settings(BASE, max_examples=150)
@given(data=case_files)
def test_assess_survives_any_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(data)
    code, out, err = _run(capsys, "assess", str(path))
    event(f"exit status {code}")
    _assert_outcome(code, out, err)
    if code == 0:
        assert set(json.loads(out)) >= {"ruleset", "direction", "urgency", "scores", "alerts"}


@settings(BASE, max_examples=60)
@given(data=case_files)
def test_report_survives_any_file_and_leaves_no_partial_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           data: bytes) -> None:
    folder = tmp_path / "report"
    folder.mkdir(exist_ok=True)
    for leftover in folder.iterdir():
        leftover.unlink()
    path = tmp_path / "case.json"
    path.write_bytes(data)
    code, out, err = _run(capsys, "report", str(path), "-o", str(folder / "out.pdf"))
    event(f"exit status {code}")
    _assert_outcome(code, out, err)
    written = sorted(p.name for p in folder.iterdir())
    if code == 0:
        assert written == ["out.pdf"] and (folder / "out.pdf").read_bytes().startswith(b"%PDF-")
    else:
        assert written == []  # neither the PDF nor its temporary file


def _encounter_ids(db: Path) -> set[int]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM encounter")}


def _row_counts(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # fixed table names
                for table in ("patient", "encounter", "assessment", "audit_event")}


@pytest.fixture(name="import_db", scope="module")
def import_db_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "kc.db"
    Store.open(f"sqlite:///{db}").close()
    return db


@settings(BASE, max_examples=60)
@given(data=case_files)
def test_import_survives_any_file_and_stores_nothing_when_it_refuses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], import_db: Path, data: bytes) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(make_case({"slr": "negative"}, patient={"mrn": "H-GOOD"})), encoding="utf-8")
    bad.write_bytes(data)
    before, stored_before = _row_counts(import_db), _encounter_ids(import_db)
    # The good file goes first: refusing the second must take the first back out too.
    code, out, err = _run(capsys, "--db", f"sqlite:///{import_db}", "import", str(good), str(bad))
    event(f"exit status {code}")
    _assert_outcome(code, out, err)
    after = _row_counts(import_db)
    if code == 2:
        assert after == before
    else:
        # A case stored by an earlier example is that record again (imports are idempotent): it
        # prints its id and adds nothing; every other printed id is a new encounter.
        ids = [int(i) for i in out.split()]
        assert len(ids) == 2 and _encounter_ids(import_db) == stored_before | set(ids)
        assert after["encounter"] == before["encounter"] + len(set(ids) - stored_before)


CRAFTED = {
    "line break in a key": make_case({}, patient={"a\nb": 1}),
    "terminal escape in a key": make_case({"\x1b[2J\u2028x": "yes"}),
    "huge finding key": make_case({"k" * 10_000: "yes"}),
    "huge date": make_case({}, encounter={"date": "2026-" * 2_000}),
    "huge finding value": make_case({"slr": "positive " * 5_000}),
    "huge format": {**make_case({}), "format": "kneecheck-case/" + "9" * 50_000},
    "huge name": make_case({}, patient={"family_name": "N" * 50_000}),
    "line separator value": make_case({}, patient={"sex": "female\u2028male\u0085"}),
}


@pytest.mark.parametrize("name", CRAFTED)
def test_crafted_files_give_one_short_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CRAFTED[name]), encoding="utf-8")
    code, out, err = _run(capsys, "assess", str(path))
    assert code == 2
    _assert_outcome(code, out, err)
    assert len(err.splitlines()) == 1  # no line break of any kind (U+2028, U+0085 included)


# --- real processes -----------------------------------------------------------------------------------

def _kneecheck(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "KNEECHECK_CLINICIAN": "Dr Script"}
    env.pop("KNEECHECK_DB", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=env, cwd=ROOT, timeout=120)


def test_hostile_files_through_real_processes(tmp_path: Path) -> None:
    files = {
        "bytes.json": bytes(range(256)) * 4,
        "deep.json": b"[" * 200_000 + b"]" * 200_000,
        "control.json": json.dumps(make_case({}, patient={"family_name": "Doe\u0007\u001b[2J"})).encode(),
        "huge.json": json.dumps(make_case({}, patient={"sex": "x" * 100_000})).encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    db = tmp_path / "kc.db"
    Store.open(f"sqlite:///{db}").close()
    before = _row_counts(db)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(make_case({"slr": "positive"})), encoding="utf-8")
    runs = [
        ("assess", str(tmp_path / "bytes.json")),
        ("report", str(tmp_path / "deep.json"), "-o", str(tmp_path / "out.pdf")),
        ("--db", f"sqlite:///{db}", "import", str(good), str(tmp_path / "control.json")),
        ("--db", f"sqlite:///{db}", "import", str(good), str(tmp_path / "huge.json")),
    ]
    for argv in runs:
        result = _kneecheck(*argv)
        assert result.returncode == 2, (argv, result.stderr)
        assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr) <= MAX_ERROR_LINE, result.stderr[:300]
    assert not (tmp_path / "out.pdf").exists()
    assert _row_counts(db) == before


# --- names and notes into the PDF ---------------------------------------------------------------------

FINAL = {"state": "final", "finalized_by": "Dr Ada Example", "finalized_at": "2026-11-23T14:02:00+00:00",
         "amendment": None}
MARKUP = ["<b>", "</b>", "<i>x</i>", "&", "&amp;", "&lt;", "&#169;", "</para>", "<para>", "<img src=x/>",
          "<img src='/etc/passwd'/>", "<br/>", '<font name="Courier">', "<![CDATA[", "]]>", "<unknown>", "\\"]
RIGHT_TO_LEFT = {"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "PDF", "PDI"}


@cache
def _faces() -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(in every DejaVu face, in some DejaVu face, in the CJK fallback)."""
    from reportlab.pdfbase.ttfonts import TTFont

    from reports.fonts import FONT_DIR, summary_fonts

    faces = [frozenset(TTFont(name, str(FONT_DIR / f"{name}.ttf")).face.charToGlyph)
             for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")]
    return frozenset.intersection(*faces), frozenset.union(*faces), summary_fonts().cjk_covers


def _covered() -> frozenset[int]:
    every, _some, cjk = _faces()
    return every | cjk


def _printable_the_same_in_every_face(ch: str) -> bool:
    # About 140 characters DejaVu Sans has are missing from its bold face (700 from oblique): they
    # print in plain text but as boxes in a bold name. Their outcome depends on where they stand, so
    # the round trip below takes characters every face has, or none has (see the report).
    every, some, _cjk = _faces()
    return ord(ch) in every or ord(ch) not in some


def _left_to_right(ch: str) -> bool:
    return unicodedata.bidirectional(ch) not in RIGHT_TO_LEFT


def _compared(ch: str) -> bool:
    # Whitespace moves with line wrapping; format characters (soft hyphen, zero-width joiners,
    # direction marks) are invisible by definition, and ReportLab uses a soft hyphen as a break hint.
    return not ch.isspace() and unicodedata.category(ch) != "Cf"


def _expected(text: str) -> str:
    """What a PDF reader gives back for ``text``: U+FFFD per character no bundled font has."""
    covered = _covered()
    return "".join(ch if ord(ch) in covered else "\ufffd" for ch in text if _compared(ch))


def _read_back(pdf: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(ch for ch in text if _compared(ch))


pdf_text = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(st.characters(exclude_categories=("Cc", "Cs"))
                                                                    .filter(_left_to_right)
                                                                    .filter(_printable_the_same_in_every_face),
                                                                    max_size=12)),
                    min_size=1, max_size=6).map("".join)


@settings(BASE, max_examples=50)
@given(family=pdf_text, given_name=pdf_text, notes=pdf_text)
def test_any_name_and_note_prints_literally(family: str, given_name: str, notes: str) -> None:
    raw = make_case({"slr": "positive"}, patient={"family_name": family, "given_name": given_name},
                    notes=notes + "\n" + notes)
    try:
        case = parse_case(raw, today=dt.date(2026, 12, 31))
    except Exception:  # only validated text reaches the PDF: empty or over-long names are refused earlier
        return
    pdf = render_summary_of(case.to_dict(), FINAL)
    text = _read_back(pdf)
    for value in (case.patient.family_name, case.patient.given_name, case.notes):
        assert _expected(value) in text, (value, _expected(value))


def render_summary_of(case: dict[str, Any], status: dict[str, Any]) -> bytes:
    from reports.summary import render_summary

    return render_summary(case, assess(parse_case(case, today=dt.date(2026, 12, 31))).to_dict(), status=status,
                          generated_at=dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.UTC))


def test_characters_beyond_the_basic_plane_read_back() -> None:
    """Emoji and mathematical letters the font has: printed and searchable (ReportLab's ToUnicode fix)."""
    name = "Smith \U0001f600 \U0001d538\U0001d539"
    assert ord("\U0001f600") in _covered()
    pdf = render_summary_of(make_case({}, patient={"family_name": name}), FINAL)
    assert _expected(name) in _read_back(pdf)


def test_right_to_left_text_prints_every_character_in_typed_order() -> None:
    """The documented limit: Hebrew and Arabic print left to right in typed order (no bidi in ReportLab).

    Every character is there (the reader's reordering aside), nothing is lost or replaced.
    """
    name, notes = "כהן", "ألم في الركبة"
    pdf = render_summary_of(make_case({}, patient={"family_name": name}, notes=notes), FINAL)
    text = _read_back(pdf)
    for value in (name, notes):
        letters = re.sub(r"\s", "", value)
        assert any(sorted(text[i:i + len(letters)]) == sorted(letters) for i in range(len(text))), value
