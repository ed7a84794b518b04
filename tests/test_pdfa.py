"""The archival summary is PDF/A-3b: checked with pikepdf and with poppler (pdffonts, pdfinfo, pdfdetach).

Each requirement is checked on several summaries (a plain one, one with alerts, the many-page stress
case), on what the window exports and on ``export ID -o`` / ``report -o`` through real processes.
Where a check is one veraPDF would make (the glyphs text selects, their widths), it is made here
from the PDF objects and the embedded font programs. ``make verapdf`` runs veraPDF itself over the
summaries this module writes (``python -m tests.test_pdfa FOLDER``) where veraPDF is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pikepdf import Name

from models import APP_NAME, APP_VERSION
from models.assessment import assess
from models.case import Case, EncounterInfo, Patient, loads_case, parse_case
from models.store import Store
from reports.archive import CASE_FILENAME, case_attachment, case_file_bytes, encounter_summary, unstored_metadata
from reports.pdfa import ICC_PROFILE, TITLE, Attachment, PdfaError, to_pdfa
from reports.summary import render_summary
from tests.helpers import CASES_DIR, load_example, make_case
from tests.summary_cases import stress_case

# The window here runs on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 31)
GENERATED = dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.UTC)
# Distinctive identifiers: any of them in the metadata is a leak, found by a plain search.
PATIENT = {"mrn": "PDFA-5517-XQ", "family_name": "Quastenflosser", "given_name": "Ottilie",
           "birth_date": "1957-08-19", "sex": "female"}
ALLOWED_RELATIONSHIPS = {"/Source", "/Data", "/Alternative", "/Supplement", "/Unspecified"}
BLEND_MODES = {"/Normal", "/Compatible"}  # what an opaque summary may use at most


def _plain() -> dict[str, Any]:
    return make_case({"slr": "positive", "sensory_changes": "yes", "joint_line_tenderness": "none"},
                     patient=PATIENT, notes="Knee gave way on the stairs.")


def _alerts() -> dict[str, Any]:
    raw, _ = load_example("cauda_equina")
    raw["patient"] = dict(PATIENT)
    return raw


def _stress() -> dict[str, Any]:
    return stress_case()


KINDS: dict[str, Callable[[], dict[str, Any]]] = {"plain": _plain, "alerts": _alerts, "stress": _stress}


@dataclass(frozen=True)
class Summary:
    kind: str
    case: Case
    pdf: bytes
    attachments: tuple[Attachment, ...]

    @property
    def identifiers(self) -> list[str]:
        """The patient's name (whole and its first words), MRN and birth date, as the case file has them."""
        p = self.case.patient
        names = [p.family_name, p.given_name]
        return sorted({*names, *(n.split()[0] for n in names if n.split()), p.mrn, p.birth_date.isoformat()})


def bundle_attachment(case: Case) -> Attachment:
    """A stand-in for the FHIR Bundle (another engineer builds the real one): JSON with the patient."""
    bundle = {"resourceType": "Bundle", "type": "document",
              "entry": [{"resource": {"resourceType": "Patient", "identifier": [{"value": case.patient.mrn}],
                                      "name": [{"family": case.patient.family_name}]}}]}
    return Attachment("bundle.json", json.dumps(bundle, ensure_ascii=False).encode("utf-8"), "application/fhir+json",
                      "The encounter as a FHIR R4 document Bundle (JSON)", "Data")


@cache
def summary(kind: str, with_bundle: bool = False, invariant: bool = False) -> Summary:
    case = parse_case(KINDS[kind](), today=TODAY)
    files = (case_attachment(case.to_dict()),) + ((bundle_attachment(case),) if with_bundle else ())
    pdf = encounter_summary(case.to_dict(), assess(case).to_dict(), generated_at=GENERATED, invariant=invariant,
                            attachments=files if with_bundle else None,
                            letterhead={"clinic_name": "Riverside Clinic", "clinic_address": "1 Main Street"})
    return Summary(kind, case, pdf, files)


@pytest.fixture(name="s", params=sorted(KINDS))
def summary_fixture(request: pytest.FixtureRequest) -> Summary:
    return summary(request.param)


def opened(pdf: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf))


def tool(*args: str | Path) -> str:
    """Run a poppler tool; a missing one fails the test (make test installs poppler-utils)."""
    if shutil.which(str(args[0])) is None:
        pytest.fail(f"{args[0]} is not installed: apt-get install poppler-utils (make test does)")
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def written(tmp_path: Path, pdf: bytes, name: str = "summary.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


# --- the checks, each usable on any PDF/A summary ---------------------------------------------------


def check_xmp(pdf: bytes) -> None:
    with opened(pdf) as doc:
        metadata = doc.Root.get("/Metadata")
        assert isinstance(metadata, pikepdf.Stream), "no XMP metadata stream on the catalog"
        assert metadata.stream_dict.get("/Type") == "/Metadata" and metadata.stream_dict.get("/Subtype") == "/XML"
        packet = metadata.read_bytes().decode("utf-8")  # PDF/A: the packet is UTF-8
        header = packet[: packet.index("?>")]
        assert header.startswith("<?xpacket begin=") and "bytes=" not in header and "encoding=" not in header
        meta = doc.open_metadata()
        assert meta.get("pdfaid:part") == "3" and meta.get("pdfaid:conformance") == "B"
        assert meta.get("dc:title") == TITLE
        assert meta.get("xmp:CreatorTool") == f"{APP_NAME} {APP_VERSION}"
        assert f"{APP_NAME} {APP_VERSION}" in str(meta.get("pdf:Producer"))


def check_info_matches_xmp(pdf: bytes) -> None:
    with opened(pdf) as doc:
        meta = doc.open_metadata()
        info = doc.docinfo
        pairs = {"/Title": "dc:title", "/Subject": "dc:description", "/Creator": "xmp:CreatorTool",
                 "/Producer": "pdf:Producer", "/Author": "dc:creator", "/Keywords": "pdf:Keywords"}
        # Only entries that have an XMP equivalent, each saying the same as its XMP property.
        assert set(info.keys()) <= {*pairs, "/CreationDate", "/ModDate"}, set(info.keys())
        for key, prop in pairs.items():
            if key in info:
                assert str(info[key]) == str(meta.get(prop)), key
        for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
            assert key in info and prop in meta, key
            from pikepdf.models.metadata import decode_pdf_date

            assert decode_pdf_date(str(info[key])) == dt.datetime.fromisoformat(str(meta[prop])), key


def metadata_text(pdf: bytes) -> str:
    """Everything a viewer or an indexer reads without opening a page or an attachment."""
    with opened(pdf) as doc:
        parts = [doc.Root.Metadata.read_bytes().decode("utf-8")]
        parts += [f"{k}={v}" for k, v in doc.docinfo.items()]
        for filespec in doc.Root.get("/AF", []):
            parts += [str(filespec.get(k, "")) for k in ("/F", "/UF", "/Desc")]
        return "\n".join(parts)


def check_output_intent(pdf: bytes) -> None:
    with opened(pdf) as doc:
        intents = doc.Root.get("/OutputIntents")
        assert isinstance(intents, pikepdf.Array) and len(intents) == 1, "one PDF/A output intent"
        intent = intents[0]
        assert intent.get("/Type") == "/OutputIntent" and intent.get("/S") == "/GTS_PDFA1"
        assert str(intent.get("/OutputConditionIdentifier", "")).strip()
        profile = intent.DestOutputProfile
        assert isinstance(profile, pikepdf.Stream) and int(profile.stream_dict.N) == 3
        icc = profile.read_bytes()
        assert icc == ICC_PROFILE.read_bytes()
        assert icc[12:16] == b"mntr" and icc[16:20] == b"RGB " and icc[8] <= 4  # display, RGB, ICC v4 or older


def attached(pdf: bytes) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """The associated files: name -> (data, what the file specification says)."""
    out: dict[str, tuple[bytes, dict[str, Any]]] = {}
    with opened(pdf) as doc:
        tree = {name: spec.obj.objgen for name, spec in doc.attachments.items()}
        af = doc.Root.get("/AF")
        assert isinstance(af, pikepdf.Array), "no /AF array on the catalog"
        for filespec in af:
            assert filespec.is_indirect and filespec.get("/Type") == "/Filespec"
            name = str(filespec.UF)
            assert tree.get(name) == filespec.objgen, f"{name}: /AF and the EmbeddedFiles tree disagree"
            stream = filespec.EF.F
            params = stream.stream_dict.Params
            data = stream.read_bytes()
            out[name] = (data, {
                "F": str(filespec.F), "Desc": str(filespec.get("/Desc", "")),
                "AFRelationship": str(filespec.get("/AFRelationship", "")),
                "Subtype": str(stream.stream_dict.get("/Subtype", "")), "Size": int(params.Size),
                "ModDate": str(params.get("/ModDate", "")), "filtered": "/Filter" in stream.stream_dict,
            })
        assert set(out) == set(tree), "an embedded file that is not an associated file"
    return out


def check_attachments(pdf: bytes, expected: tuple[Attachment, ...]) -> None:
    files = attached(pdf)
    assert list(files) == [a.filename for a in expected]
    for a in expected:
        data, spec = files[a.filename]
        assert data == a.data
        assert spec["F"] == a.filename and spec["Desc"] == a.description
        assert spec["AFRelationship"] == "/" + a.relationship and spec["AFRelationship"] in ALLOWED_RELATIONSHIPS
        assert spec["Subtype"] == "/" + a.mime_type and re.fullmatch(r"/[-\w+.]+/[-\w+.]+", spec["Subtype"])
        assert spec["Size"] == len(a.data)
        assert re.fullmatch(r"D:\d{14}(Z|[+-]\d\d'\d\d'?)", spec["ModDate"]), spec["ModDate"]
        assert spec["filtered"], "embedded files are compressed: no patient data in plain text in the file"


def check_file_structure(pdf: bytes) -> None:
    assert re.match(rb"%PDF-1\.7\r?\n%[\x80-\xff]{4}", pdf), pdf[:16]
    with opened(pdf) as doc:
        assert not doc.is_encrypted and "/Encrypt" not in doc.trailer
        assert tuple(int(x) for x in doc.pdf_version.split(".")) >= (1, 7)
        ids = doc.trailer.get("/ID")
        assert isinstance(ids, pikepdf.Array) and len(ids) == 2 and all(len(bytes(i)) >= 16 for i in ids)
        for key in ("/AA", "/OpenAction", "/AcroForm", "/Requirements", "/NeedsRendering"):
            assert key not in doc.Root, key
        assert "/JavaScript" not in doc.Root.get("/Names", {})


def check_fonts_with_pikepdf(pdf: bytes) -> None:
    with opened(pdf) as doc:
        fonts = 0
        for page in doc.pages:
            resources = page.obj.Resources
            assert "/XObject" not in resources, "form XObjects: extend these checks before using them"
            for font in resources.Font.values():
                fonts += 1
                assert font.Subtype == "/TrueType", font.Subtype  # ReportLab's subsets: simple TrueType
                assert "/FontFile2" in font.FontDescriptor, f"{font.BaseFont} is not embedded"
                assert isinstance(font.get("/ToUnicode"), pikepdf.Stream), f"{font.BaseFont} has no ToUnicode"
                symbolic = int(font.FontDescriptor.Flags) & 4
                assert symbolic and "/Encoding" not in font, "a symbolic TrueType font has no /Encoding"
                assert len(TrueType(font.FontDescriptor.FontFile2.read_bytes()).cmaps) == 1  # exactly one cmap
                assert "/CIDSet" not in font.FontDescriptor and "/CharSet" not in font.FontDescriptor
        assert fonts


def check_no_transparency(pdf: bytes) -> None:
    """The DRAFT watermark and the fills are opaque: no graphics state, soft mask or transparency group."""
    with opened(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            assert "/Group" not in page.obj, n
            for state in page.obj.Resources.get("/ExtGState", {}).values():
                assert str(state.get("/BM", "/Normal")) in BLEND_MODES, n
                assert float(state.get("/ca", 1)) == 1 and float(state.get("/CA", 1)) == 1, n
                assert str(state.get("/SMask", "/None")) == "/None", n
            assert "/Annots" not in page.obj, n


class TrueType:
    """Just enough of a TrueType font program: the cmap subtables, advance widths and units per em."""

    def __init__(self, data: bytes) -> None:
        count = struct.unpack(">H", data[4:6])[0]
        self.tables = {data[12 + 16 * i: 16 + 16 * i].decode("latin-1"):
                       struct.unpack(">II", data[20 + 16 * i: 28 + 16 * i]) for i in range(count)}
        self.data = data
        self.units = struct.unpack(">H", self.table("head")[18:20])[0]
        self.metrics = struct.unpack(">H", self.table("hhea")[34:36])[0]
        cmap = self.table("cmap")
        self.cmaps: dict[tuple[int, int], dict[int, int]] = {}
        for i in range(struct.unpack(">H", cmap[2:4])[0]):
            platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i: 12 + 8 * i])
            self.cmaps[(platform, encoding)] = self._subtable(cmap[offset:])

    def table(self, tag: str) -> bytes:
        offset, length = self.tables[tag]
        return self.data[offset: offset + length]

    @staticmethod
    def _subtable(sub: bytes) -> dict[int, int]:
        fmt = struct.unpack(">H", sub[:2])[0]
        if fmt == 0:
            return dict(enumerate(sub[6:262]))
        if fmt == 6:
            first, count = struct.unpack(">HH", sub[6:10])
            return {first + i: g for i, g in enumerate(struct.unpack(f">{count}H", sub[10: 10 + 2 * count]))}
        raise AssertionError(f"cmap format {fmt}: not what ReportLab writes; extend this reader")

    def glyph(self, code: int) -> int:
        """The glyph a symbolic TrueType font draws for ``code`` (ISO 32000-1 9.6.6.4)."""
        if (3, 0) in self.cmaps:
            table = self.cmaps[(3, 0)]
            return table.get(code, table.get(0xF000 + code, 0))
        return self.cmaps.get((1, 0), {}).get(code, 0)

    def width(self, glyph: int) -> float:
        hmtx = self.table("hmtx")
        index = min(glyph, self.metrics - 1)
        return struct.unpack(">H", hmtx[4 * index: 4 * index + 2])[0] * 1000 / self.units


def shown_codes(doc: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary, int]]:
    """(page, font, code) for every character code a text-showing operator draws."""
    for n, page in enumerate(doc.pages, start=1):
        fonts = page.obj.Resources.Font
        font = None
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "Tf":
                font = fonts[str(operands[0])]
            strings: list[Any] = []
            if op in ("Tj", "'"):
                strings = [operands[0]]
            elif op == '"':
                strings = [operands[2]]
            elif op == "TJ":
                strings = [x for x in operands[0] if isinstance(x, pikepdf.String)]
            for string in strings:
                assert font is not None, f"page {n}: text before Tf"
                for code in bytes(string):
                    yield n, font, code


def check_glyphs(pdf: bytes) -> None:
    """No text selects .notdef (ISO 19005-3 6.2.11.8) and /Widths match the font program (6.2.11.5)."""
    with opened(pdf) as doc:
        programs: dict[tuple[int, int], TrueType] = {}
        shown = 0
        for n, font, code in shown_codes(doc):
            shown += 1
            program = programs.get(font.objgen)
            if program is None:
                program = programs[font.objgen] = TrueType(font.FontDescriptor.FontFile2.read_bytes())
            glyph = program.glyph(code)
            assert glyph != 0, f"page {n}: code {code} of {font.BaseFont} draws .notdef"
            first = int(font.FirstChar)
            assert first <= code <= int(font.LastChar)
            assert abs(float(font.Widths[code - first]) - program.width(glyph)) <= 1, (font.BaseFont, code)
        assert shown > 100


def check_with_poppler(tmp_path: Path, pdf: bytes, expected: tuple[Attachment, ...]) -> None:
    path = written(tmp_path, pdf, "poppler.pdf")
    rows = tool("pdffonts", path).splitlines()[2:]
    assert rows, "pdffonts lists no font"
    for row in rows:
        emb, _sub, uni = row.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), row
    info = dict(line.split(":", 1) for line in tool("pdfinfo", "-isodates", path).splitlines() if ":" in line)
    info = {k.strip(): v.strip() for k, v in info.items()}
    assert info["Encrypted"] == "no" and info["PDF version"] == "1.7" and info["Metadata Stream"] == "yes"
    assert info["Title"] == TITLE and info["Creator"] == f"{APP_NAME} {APP_VERSION}"
    if "PDF subtype" in info:  # poppler reports it in some versions only
        assert info["PDF subtype"].startswith("PDF/A-3"), info["PDF subtype"]
    with opened(pdf) as doc:
        assert dt.datetime.fromisoformat(info["CreationDate"]) == dt.datetime.fromisoformat(
            str(doc.open_metadata()["xmp:CreateDate"]))
    xmp = tool("pdfinfo", "-meta", path)
    assert re.search(r"pdfaid:part[^<]*>\s*3\s*<", xmp) or 'pdfaid:part="3"' in xmp, xmp
    assert re.search(r"pdfaid:conformance[^<]*>\s*B\s*<", xmp) or 'pdfaid:conformance="B"' in xmp, xmp
    listing = tool("pdfdetach", "-list", path).splitlines()
    assert listing[0] == f"{len(expected)} embedded files"
    # In name-tree order, which is sorted by name.
    assert [line.split(": ", 1)[1] for line in listing[1:]] == sorted(a.filename for a in expected)
    for a in expected:
        out = tmp_path / f"detached-{a.filename}"
        tool("pdfdetach", "-savefile", a.filename, "-o", out, path)
        assert out.read_bytes() == a.data, a.filename


def record_attachments(case: dict[str, Any], assessment: dict[str, Any],
                       metadata: dict[str, Any]) -> tuple[Attachment, Attachment]:
    """The two associated files every archival summary of an encounter carries: its case file and its
    FHIR Bundle (valid R4, with no DocumentReference: it cannot hold the PDF that holds it)."""
    from fhirclient.models.bundle import Bundle

    from models.fhir_terms import DEFAULT_MRN_SYSTEM
    from reports.fhir import encounter_bundle

    bundle = encounter_bundle(case, assessment, metadata, mrn_system=DEFAULT_MRN_SYSTEM, pdf=None)
    Bundle(bundle)  # fhirclient's R4 models accept it
    assert "DocumentReference" not in {e["resource"]["resourceType"] for e in bundle["entry"]}
    from reports.archive import bundle_attachment as archival_bundle

    return case_attachment(case), archival_bundle(bundle)


def check_pdfa(tmp_path: Path, pdf: bytes, expected: tuple[Attachment, ...]) -> None:
    """Every check of this module, for summaries made elsewhere (the window, the command line)."""
    check_file_structure(pdf)
    check_xmp(pdf)
    check_info_matches_xmp(pdf)
    check_output_intent(pdf)
    check_attachments(pdf, expected)
    check_fonts_with_pikepdf(pdf)
    check_no_transparency(pdf)
    check_glyphs(pdf)
    check_with_poppler(tmp_path, pdf, expected)


# --- the summaries, requirement by requirement --------------------------------------------------------


def test_the_summaries_are_what_they_claim(s: Summary) -> None:
    with opened(s.pdf) as doc:
        pages = len(doc.pages)
    assert pages >= (5 if s.kind == "stress" else 1)
    if s.kind == "alerts":
        assert assess(s.case).to_dict()["alerts"]


def test_xmp_declares_pdfa_3b(s: Summary) -> None:
    check_xmp(s.pdf)


def test_info_dictionary_says_what_the_xmp_says(s: Summary) -> None:
    check_info_matches_xmp(s.pdf)


def test_no_patient_identifier_in_the_metadata(s: Summary) -> None:
    text = metadata_text(s.pdf)
    case_text = attached(s.pdf)[CASE_FILENAME][0].decode("utf-8")
    born = s.case.patient.birth_date
    for identifier in s.identifiers:
        assert identifier in case_text, identifier  # the search would find it: the document holds it
        assert identifier not in text, identifier
    for date in (born.strftime("%Y%m%d"), born.strftime("%d.%m.%Y"), born.strftime("%m/%d/%Y")):
        assert date not in text, date
    # Nowhere in the file as plain text either (pages and attachments are compressed streams): a leak
    # into some dictionary this test does not list would still be found.
    for identifier in s.identifiers:
        for encoding in ("utf-8", "utf-16-be"):
            assert identifier.encode(encoding) not in s.pdf, (identifier, encoding)


def test_srgb_output_intent_with_the_bundled_profile(s: Summary) -> None:
    check_output_intent(s.pdf)
    assert (ROOT / "resources" / "icc" / "LICENSE.md").read_text(encoding="utf-8").count("CC0") >= 1


def test_the_case_file_is_an_associated_file(s: Summary) -> None:
    check_attachments(s.pdf, s.attachments)
    data = attached(s.pdf)[CASE_FILENAME][0]
    assert data == case_file_bytes(s.case.to_dict())
    assert loads_case(data.decode("utf-8"), today=TODAY).to_dict() == s.case.to_dict()


def test_the_fhir_bundle_is_attached_when_given(tmp_path: Path) -> None:
    s = summary("alerts", with_bundle=True)
    assert [a.filename for a in s.attachments] == [CASE_FILENAME, "bundle.json"]
    check_attachments(s.pdf, s.attachments)
    check_with_poppler(tmp_path, s.pdf, s.attachments)
    assert json.loads(attached(s.pdf)["bundle.json"][0])["resourceType"] == "Bundle"


def test_pdf_1_7_with_an_id_and_no_encryption(s: Summary) -> None:
    check_file_structure(s.pdf)


def test_every_font_embedded_with_a_tounicode_map(s: Summary) -> None:
    check_fonts_with_pikepdf(s.pdf)


def test_no_text_draws_notdef_and_widths_match_the_fonts(s: Summary) -> None:
    check_glyphs(s.pdf)


def test_characters_no_bundled_font_has_do_not_draw_notdef() -> None:
    """PDF/A-3 forbids drawing .notdef (6.2.11.8): such characters print as U+FFFD, which the font has."""
    raw = make_case(patient={"family_name": "\u0928\u092e\u0938\u094d\u0924\u0947", "given_name": "\u0e2a\u0e27\u0e31\u0e2a"})
    case = parse_case(raw, today=TODAY)
    check_glyphs(encounter_summary(case.to_dict(), assess(case).to_dict(), invariant=True))


def test_no_transparency_or_annotations(s: Summary) -> None:
    check_no_transparency(s.pdf)
    with opened(s.pdf) as doc:
        first = doc.pages[0].obj.Contents.read_bytes()
    assert b"DRAFT" in first and b".9 .9 .9 rg" in first and b" gs" not in first  # an opaque light grey


def test_poppler_reads_fonts_info_and_attachments(s: Summary, tmp_path: Path) -> None:
    check_with_poppler(tmp_path, s.pdf, s.attachments)
    detached = tmp_path / "detached-case.json"
    assert loads_case(detached.read_text(encoding="utf-8"), today=TODAY).to_dict() == s.case.to_dict()


def test_invariant_output_is_byte_identical() -> None:
    first = summary("alerts", invariant=True).pdf
    summary.cache_clear()
    again = summary("alerts", invariant=True).pdf
    assert first == again
    assert first != summary("plain", invariant=True).pdf
    case = parse_case(_alerts(), today=TODAY)
    plain = render_summary(case.to_dict(), assess(case).to_dict(), invariant=True)
    files = [case_attachment(case.to_dict())]
    assert to_pdfa(plain, attachments=files, invariant=True) == to_pdfa(plain, attachments=files, invariant=True)
    with opened(first) as doc:
        assert doc.open_metadata()["xmp:CreateDate"].startswith("2000-01-01")


def _raw_streams(pdf: bytes) -> dict[str, list[bytes]]:
    with opened(pdf) as doc:
        fonts = sorted(f.FontDescriptor.FontFile2.read_raw_bytes() for p in doc.pages for f in p.obj.Resources.Font.values())
        pages = [bytes(p.obj.Contents.read_raw_bytes()) for p in doc.pages]
        return {"fonts": sorted(set(fonts)), "pages": pages}


def test_fonts_and_pages_are_copied_not_re_encoded() -> None:
    """The font programs and page contents ReportLab wrote are in the PDF/A file byte for byte."""
    case = parse_case(_alerts(), today=TODAY)
    kwargs: dict[str, Any] = {"generated_at": GENERATED, "invariant": True}
    before = render_summary(case.to_dict(), assess(case).to_dict(), **kwargs)
    after = encounter_summary(case.to_dict(), assess(case).to_dict(), **kwargs)
    assert _raw_streams(after) == _raw_streams(before)


def test_the_pages_look_as_before(tmp_path: Path) -> None:
    """PDF/A post-processing changes structure, not pages: poppler renders them pixel for pixel the same."""
    case = parse_case(_stress(), today=TODAY)
    kwargs: dict[str, Any] = {"generated_at": GENERATED, "invariant": True}
    before = written(tmp_path, render_summary(case.to_dict(), assess(case).to_dict(), **kwargs), "before.pdf")
    after = written(tmp_path, encounter_summary(case.to_dict(), assess(case).to_dict(), **kwargs), "after.pdf")
    for path in (before, after):
        tool("pdftoppm", "-r", "40", "-gray", path, tmp_path / path.stem)
    pages = sorted(tmp_path.glob("before-*.pgm"))
    assert len(pages) >= 5
    for page in pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("before", "after")).read_bytes(), page.name


def test_pikepdfs_own_pdfa_validator_approves(s: Summary) -> None:
    try:
        import pikepdf.pdfa as validator
    except ImportError as exc:
        pytest.skip(f"pikepdf's PDF/A-3b validator needs pikepdf[pdfa] ({exc.name} missing)")
    report = validator.validate_written(io.BytesIO(s.pdf), "3b")
    assert report.passed, [str(f) for f in report.findings]


# --- refusals: each check above can fail, and to_pdfa says why in one line ------------------------------


def _one_line(exc: pytest.ExceptionInfo[PdfaError], *words: str) -> None:
    message = str(exc.value)
    assert "\n" not in message and all(w in message for w in words), message
    assert PATIENT["family_name"] not in message and PATIENT["mrn"] not in message


@pytest.mark.parametrize(("attachment", "words"), [
    (Attachment("case.json", b"{}", "json", "x"), ["MIME type"]),
    (Attachment("../case.json", b"{}", "application/json", "x"), ["plain file name"]),
    (Attachment("case.json", b"{}", "application/json", "x", "Related"), ["relationship", "Data"]),
])
def test_bad_attachments_are_refused(attachment: Attachment, words: list[str]) -> None:
    plain = summary("plain").pdf
    with pytest.raises(PdfaError) as exc:
        to_pdfa(plain, attachments=[attachment])
    _one_line(exc, *words)
    with pytest.raises(PdfaError) as exc:
        to_pdfa(plain, attachments=[case_attachment({}), case_attachment({})])
    _one_line(exc, "twice")


def _reportlab_pdf(draw: Callable[[Any], None]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_unembedded_fonts_and_unreadable_input_are_refused() -> None:
    helvetica = _reportlab_pdf(lambda c: c.drawString(72, 72, "Helvetica is never embedded"))
    with pytest.raises(PdfaError) as exc:
        to_pdfa(helvetica, attachments=[])
    _one_line(exc, "Helvetica", "not embedded")
    with pytest.raises(PdfaError) as exc:
        to_pdfa(b"%PDF-1.4 not really", attachments=[])
    _one_line(exc, "not a readable PDF")


def bare(kind: str = "plain") -> bytes:
    """ReportLab's summary before post-processing."""
    case = parse_case(KINDS[kind](), today=TODAY)
    return render_summary(case.to_dict(), assess(case).to_dict(), generated_at=GENERATED)


def test_encrypted_input_and_forbidden_blend_modes_are_refused() -> None:
    with opened(bare()) as doc:
        out = io.BytesIO()
        doc.save(out, encryption=pikepdf.Encryption(owner="o", user=""))
        encrypted = out.getvalue()
        doc.pages[0].obj.Resources.ExtGState = pikepdf.Dictionary(G0=pikepdf.Dictionary(BM=Name("/Dissolve")))
        out = io.BytesIO()
        doc.save(out)
        blended = out.getvalue()
    with pytest.raises(PdfaError) as exc:
        to_pdfa(encrypted, attachments=[])
    _one_line(exc, "encrypted")
    with pytest.raises(PdfaError) as exc:
        to_pdfa(blended, attachments=[])
    _one_line(exc, "blend mode /Dissolve")


def test_the_checks_fail_on_reportlabs_own_output() -> None:
    """Without post-processing the same summary fails the checks: they test something."""
    case = parse_case(_plain(), today=TODAY)
    bare = render_summary(case.to_dict(), assess(case).to_dict())
    for check in (check_file_structure, check_xmp, check_info_matches_xmp, check_output_intent):
        with pytest.raises((AssertionError, KeyError)):
            check(bare)
    with pytest.raises(AssertionError):
        check_attachments(bare, (case_attachment(case.to_dict()),))
    with pytest.raises(AssertionError):  # and a PDF/A summary without the expected Bundle fails too
        check_attachments(summary("plain").pdf, summary("plain").attachments + (bundle_attachment(case),))


# --- where summaries are written to files: the window and the command line ------------------------------


def test_the_windows_export_is_pdfa(qtbot, window, store: Store, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = PATIENT
    patient = store.create_patient(Patient(p["mrn"], p["family_name"], p["given_name"],
                                           dt.date.fromisoformat(p["birth_date"]), p["sex"]), window.actor())
    draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"),
                               {"slr": "positive", "sensory_changes": "yes"}, "Stairs.", window.actor())
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    target = tmp_path / "window.pdf"
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_summary()
    assert window.ops.wait_idle()
    record = store.load_encounter(draft.id)
    expected = record_attachments(record.to_case().to_dict(), record.assessment, record.metadata())
    check_pdfa(tmp_path, target.read_bytes(), expected)
    assert not any(i in metadata_text(target.read_bytes()) for i in (p["family_name"], p["mrn"], p["birth_date"]))


def kneecheck(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KNEECHECK_CLINICIAN": "Dr Script"}
    env.pop("KNEECHECK_DB", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=120)


def test_export_and_report_on_the_command_line_write_pdfa(tmp_path: Path) -> None:
    """A round trip through a SQLite store: import, export -o OUT.pdf, and the case file comes back out of it."""
    db = f"sqlite:///{tmp_path / 'kc.db'}"
    source = tmp_path / "case.json"
    source.write_text(json.dumps(_alerts()), encoding="utf-8")
    result = kneecheck(db, "import", str(source))
    assert result.returncode == 0, result.stderr
    [encounter_id] = result.stdout.split()
    exported = kneecheck(db, "export", encounter_id, "--json")
    assert exported.returncode == 0, exported.stderr
    assert kneecheck(db, "export", encounter_id, "-o", str(tmp_path / "export.pdf")).returncode == 0
    pdf = (tmp_path / "export.pdf").read_bytes()
    case_file = exported.stdout.encode("utf-8")
    from models.store import Store

    stored = Store.open(db)
    try:
        record = stored.load_encounter(int(encounter_id))
    finally:
        stored.close()
    case_and_bundle = record_attachments(record.to_case().to_dict(), record.assessment, record.metadata())
    assert case_and_bundle[0].data == case_file  # the same bytes as export --json
    check_pdfa(tmp_path, pdf, (Attachment(CASE_FILENAME, case_file, "application/json",
                                          case_attachment({}).description), case_and_bundle[1]))
    assert loads_case(exported.stdout).patient.mrn == PATIENT["mrn"]

    # report: the same archival summary of a case file, and still no database touched.
    report, unused = tmp_path / "report.pdf", tmp_path / "never.db"
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", str(CASES_DIR / "hip_referred.json"),
                           "-o", str(report)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "KNEECHECK_DB": f"sqlite:///{unused}"})
    assert proc.returncode == 0, proc.stderr
    hip = loads_case((CASES_DIR / "hip_referred.json").read_text(encoding="utf-8"))
    # A case file is not stored: its Bundle is made "now" (new ids each time), so the expected one is
    # made for the moment the report's own Bundle says.
    with pikepdf.open(io.BytesIO(report.read_bytes())) as doc:
        inner = json.loads(doc.attachments["bundle.json"].get_file().read_bytes())
    authored = next(e["resource"]["authored"] for e in inner["entry"]
                    if e["resource"]["resourceType"] == "QuestionnaireResponse")
    made = dt.datetime.fromisoformat(authored.replace("Z", "+00:00"))
    check_pdfa(tmp_path, report.read_bytes(),
               record_attachments(hip.to_dict(), assess(hip).to_dict(), unstored_metadata(made)))
    assert not unused.exists()


# --- make verapdf: the same summaries as files ----------------------------------------------------------


def write_summaries(folder: Path) -> list[Path]:
    """The test summaries as PDF files in ``folder`` (for veraPDF)."""
    paths = []
    for kind in sorted(KINDS):
        for with_bundle in (False, True):
            path = folder / f"summary-{kind}{'-bundle' if with_bundle else ''}.pdf"
            path.write_bytes(summary(kind, with_bundle=with_bundle).pdf)
            paths.append(path)
    return paths


if __name__ == "__main__":
    for written_path in write_summaries(Path(sys.argv[1])):
        print(written_path)
