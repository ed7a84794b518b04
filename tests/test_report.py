"""The printed summary, read back from the PDF: content, escaping, scripts, pages, fonts, metadata."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader

from models.assessment import assess
from models.case import parse_case
from models.catalogue import load_catalogue
from reports.content import SummaryInputError
from reports.summary import render_summary
from tests.helpers import CASE_NAMES, CASE_NAMES_2026_1, load_example, make_case
from tests.summary_cases import MARKUP_FAMILY, MARKUP_GIVEN, MARKUP_NOTE, NON_LATIN, stress_case

GENERATED = dt.datetime(2026, 11, 23, 14, 5, tzinfo=dt.UTC)
FINAL = {"state": "final", "finalized_by": "Dr Ada Example", "finalized_at": "2026-11-23T14:02:00+00:00",
         "amendment": None}
STANDARD_14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


def summary(raw: dict[str, Any], **kwargs: Any) -> bytes:
    case = parse_case(raw, today=dt.date(2026, 12, 31))
    kwargs.setdefault("generated_at", GENERATED)
    return render_summary(case.to_dict(), assess(case).to_dict(), **kwargs)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces folded, for phrases that may wrap."""
    return re.sub(r"\s+", " ", text)


@cache
def example(name: str, ruleset: str | None = None) -> tuple[dict[str, Any], dict[str, Any], str]:
    raw, _ = load_example(name, ruleset)
    catalogue = load_catalogue(ruleset)
    case = parse_case(raw, catalogue, today=dt.date(2026, 12, 31))
    result = assess(case, catalogue).to_dict()
    pdf = render_summary(case.to_dict(), result, generated_at=GENERATED,
                         letterhead={"clinic_name": "Riverside Clinic", "clinic_address": "1 Main Street\nSpringfield"})
    return raw, result, "\n".join(pages_text(pdf))


@pytest.mark.parametrize(("name", "ruleset"), [(n, None) for n in CASE_NAMES] + [(n, "2026.1") for n in CASE_NAMES_2026_1])
def test_example_summary_says_everything(name: str, ruleset: str | None) -> None:
    raw, result, text = example(name, ruleset)
    catalogue = load_catalogue(ruleset)
    folded = flat(text)
    p, e = raw["patient"], raw["encounter"]
    for value in (p["family_name"], p["given_name"], p["mrn"], p["birth_date"], e["date"], e["clinician"],
                  e["knee"].capitalize(), p["sex"].capitalize(), "Riverside Clinic", "Springfield"):
        assert value in text, value
    assert catalogue.direction_label(result["direction"], result.get("sources", ())) in text
    assert flat(result["reason"]) in folded
    assert f"Rule set {catalogue.ruleset}" in text
    assert "Decision support, not a diagnosis." in folded
    for item_id in (k for k, v in raw["findings"].items() if v is not None):
        assert catalogue.item(item_id).short in text, item_id
    for alert in result["alerts"]:
        assert flat(alert["text"]) in folded
        assert any(flat(x.text) in folded for x in catalogue.alerts[alert["id"]].actions if x.text)
        assert alert["tier"].upper() in text
    for step in result["next_steps"]:
        assert flat(step) in folded
    nerves = {"L2-L4": "L2-L4 (femoral nerve)", "L4-S1": "L4-S1 (sciatic nerve)"}
    for level in result["levels"]:
        assert nerves[level] in text
    assert "nerve nerve" not in text
    scores = result["scores"]
    assert f"spinal {scores['spinal']}, local knee {scores['local']}, hip {scores['hip']}" in folded
    unasked = [i.short for i in catalogue.red_flags if raw["findings"].get(i.id) is None]
    if unasked:  # the line may break across a page, so each name is looked for after its start
        start = folded.index("Red flags not asked:")
        for name in unasked:
            assert name.split()[0] in folded[start:], name
    else:
        assert "Red flags not asked" not in folded


def test_alert_box_only_when_there_are_alerts() -> None:
    _, _, calm = example("knee_osteoarthritis")
    _, _, alarming = example("cauda_equina")
    assert "ALERT" not in calm
    assert "ALERTS: urgency EMERGENCY" in alarming


def test_answers_points_and_cited_references_are_printed() -> None:
    raw, result, text = example("sciatica_posterior_knee")
    catalogue = load_catalogue()
    assert "Positive" in text and "40 degrees" in text
    # 2027.1: a positive SLR counts +1 (LR+ about 1.2)
    assert re.search(r"Straight leg raise \[1, 2\]\s+Positive\s+Spinal\s+\+1", text)
    # the scored rows (SLR 1, 2; radiating pain 5; joint line 6; swelling 8), the spinal direction and
    # its printed steps (NICE NG59 9, ACR 10, Chou 24): nothing else
    cited = {1, 2, 5, 6, 8, 9, 10, 24}
    for number in cited:
        assert flat(catalogue.references[number]) in flat(text), number
    uncited = set(catalogue.references) - cited
    for number in uncited:
        assert flat(catalogue.references[number]) not in flat(text), number


def test_findings_follow_checklist_order() -> None:
    raw, _, text = example("mixed_sources")
    catalogue = load_catalogue()
    answered = [i.short for i in catalogue.items if raw["findings"].get(i.id) is not None]
    positions = [text.index(label) for label in answered]
    assert positions == sorted(positions)


def test_markup_in_names_and_notes_prints_literally() -> None:
    pdf = summary(make_case({"slr": "positive"}, patient={"family_name": MARKUP_FAMILY, "given_name": MARKUP_GIVEN},
                            encounter={"clinician": "Dr <b>Who</b> & Co"}, notes=MARKUP_NOTE))
    text = "\n".join(pages_text(pdf))
    assert f"{MARKUP_FAMILY}, {MARKUP_GIVEN}" in text
    assert "Dr <b>Who</b> & Co" in text
    for line in MARKUP_NOTE.split("\n"):  # each line of the note on its own line
        assert line in text.split("\n"), line


@pytest.mark.parametrize("script", sorted(NON_LATIN))
def test_non_latin_names_print(script: str) -> None:
    family, given = NON_LATIN[script]
    pdf = summary(make_case({}, patient={"family_name": family, "given_name": given}, notes=f"{given} {family}"))
    pages = pages_text(pdf)
    assert f"{family}, {given}" in pages[0]
    assert all(f"{family}, {given}" in page for page in pages)  # the footer of every page


def test_cjk_runs_use_an_embedded_cjk_font() -> None:
    pdf = summary(make_case({}, patient={"family_name": "山田", "given_name": "太郎"}))
    fonts = {str(f["/BaseFont"]).split("+")[-1] for f in fonts_of(pdf)}
    assert "DroidSansFallback" in fonts


def test_right_to_left_names_do_not_crash() -> None:
    # A documented limit: Arabic and Hebrew print, but in logical order and unshaped.
    pdf = summary(make_case({}, patient={"family_name": "כהן", "given_name": "مريم"}, notes="שלום مرحبا"))
    assert pdf.startswith(b"%PDF")


def fonts_of(pdf: bytes) -> list[Any]:
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            out.append(font)
            for descendant in font.get("/DescendantFonts", []):
                out.append(descendant.get_object())
    return out


def test_every_font_is_embedded() -> None:
    pdf = summary(stress_case())
    fonts = fonts_of(pdf)
    assert fonts
    for font in fonts:
        if font["/Subtype"] == "/Type0":
            continue  # its descendant carries the descriptor
        base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        assert base not in STANDARD_14, base
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, base


def test_long_note_makes_numbered_pages() -> None:
    note = "\n".join(f"Observation {n}: the knee was examined again and nothing new was found." for n in range(150))
    pdf = summary(make_case({"slr": "negative"}, notes=note))
    pages = pages_text(pdf)
    assert len(pages) >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Testperson, Alex" in page and "T-0001" in page and "1970-01-01" in page and "2026-11-20" in page
        assert "left knee" in page and "Dr Test" in page  # the side examined, on every page
    assert "Observation 149: the knee was examined again" in flat(" ".join(pages))  # nothing lost at a break


def test_invariant_output_is_byte_identical() -> None:
    raw = make_case({"slr": "positive", "swelling": "effusion"}, notes="Same every time")
    first = summary(raw, invariant=True)
    second = summary(raw, invariant=True)
    assert first == second
    assert summary(raw, invariant=True, generated_at=None) == summary(raw, invariant=True, generated_at=None)


def test_metadata_is_set_and_names_no_patient() -> None:
    pdf = summary(make_case({}, patient={"family_name": "Identifiable", "given_name": "Person", "mrn": "MRN-77"}))
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.title == "KneeCheck encounter summary"
    assert meta.subject and meta.creator and meta.producer
    assert "KneeCheck" in meta.producer
    for value in meta.values():
        assert "MRN-77" not in str(value) and "Identifiable" not in str(value) and "Person" not in str(value)


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_paper_sizes(paper: str, size: tuple[float, float]) -> None:
    pdf = summary(make_case({}), paper=paper)
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == size


def test_unknown_paper_names_the_allowed_sizes() -> None:
    with pytest.raises(ValueError, match="A4, Letter"):
        summary(make_case({}), paper="A5")


def test_draft_watermark_on_every_page_until_final() -> None:
    note = "\n".join("A line of notes that fills the page." for _ in range(120))
    draft = pages_text(summary(make_case({}, notes=note)))
    final = pages_text(summary(make_case({}, notes=note), status=FINAL))
    assert len(draft) >= 2
    assert all("DRAFT" in page for page in draft)
    assert not any("DRAFT" in page for page in final)
    assert "draft, not finalized" in flat(" ".join(draft))
    assert "Finalized by Dr Ada Example on 2026-11-23 14:02 UTC" in flat(" ".join(final))


def test_amendment_is_shown() -> None:
    status = {"state": "draft", "finalized_by": None, "finalized_at": None,
              "amendment": {"date": "2026-11-24T09:30:00+00:00", "author": "Dr Second Opinion",
                            "reason": "Reflex <re-tested> & corrected", "replaces": "encounter 12 finalized 2026-11-20"}}
    text = flat(" ".join(pages_text(summary(make_case({}), status=status))))
    assert "Amended version: replaces encounter 12 finalized 2026-11-20" in text
    assert "Amended 2026-11-24 09:30 UTC by Dr Second Opinion" in text
    assert "Reason: Reflex <re-tested> & corrected" in text


def test_superseded_final_record_says_so_on_every_page() -> None:
    note = "\n".join("A line of notes that fills the page." for _ in range(120))
    superseded = {**FINAL, "superseded_by": 31}
    pages = pages_text(summary(make_case({}, notes=note), status=superseded))
    assert len(pages) >= 2 and all("SUPERSEDED" in page for page in pages)
    assert "Superseded: encounter 31 amends it; this is not the current version" in flat(" ".join(pages))
    current = pages_text(summary(make_case({}, notes=note), status={**FINAL, "superseded_by": None}))
    assert not any("SUPERSEDED" in page or "Superseded" in page for page in current)


def test_stored_assessment_is_printed_as_it_was() -> None:
    raw = make_case({"slr": "positive"})
    case = parse_case(raw, today=dt.date(2026, 12, 31))
    stored = assess(case).to_dict()
    stored["reason"] = "The reason given at the time of the visit."
    stored["next_steps"] = ["A next step that the current rules would not suggest."]
    text = flat(" ".join(pages_text(render_summary(case.to_dict(), stored, generated_at=GENERATED))))
    assert stored["reason"] in text and stored["next_steps"][0] in text


def test_malformed_input_names_the_field_not_the_value() -> None:
    raw = make_case({}, patient={"family_name": "Secretname"})
    case = parse_case(raw, today=dt.date(2026, 12, 31)).to_dict()
    del case["patient"]["mrn"]
    with pytest.raises(SummaryInputError, match=r"patient\.mrn") as info:
        render_summary(case, assess(parse_case(raw, today=dt.date(2026, 12, 31))).to_dict())
    assert "Secretname" not in str(info.value)


def test_stress_case_renders_on_many_pages_with_repeated_header() -> None:
    raw = stress_case()
    case = parse_case(raw, today=dt.date(2026, 12, 31))
    result = assess(case).to_dict()
    # 2027.1's alerts exclude each other in places (a child and an adult, a replaced and a native
    # knee), so the case raises most of them, of every tier
    assert len(result["alerts"]) >= 20
    assert {a["tier"] for a in result["alerts"]} >= {"emergency", "urgent", "priority"}
    for paper in ("A4", "Letter"):
        pages = pages_text(summary(raw, paper=paper))
        assert len(pages) >= 3
        header_pages = [p for p in pages if re.search(r"Item\s+Answer\s+Direction\s+Points", p)]
        assert len(header_pages) >= 2  # the findings table split and its header row came along
        text = flat(" ".join(pages))
        for alert in result["alerts"]:
            assert flat(alert["text"]) in text
        assert "69. Follow-up observation with <markup> & details" in text
        for n, page in enumerate(pages, start=1):
            assert f"Page {n} of {len(pages)}" in page


def test_markup_escapes_keeps_lines_and_splits_cjk_runs() -> None:
    from reports.text import to_markup

    latin = {ord(c) for c in "abcΩЖ "}
    cjk = {ord(c) for c in "山田"}
    assert to_markup("a <b> &amp; </para>", fallback_font="CJK", main_covers=latin, fallback_covers=cjk) == \
        "a &lt;b&gt; &amp;amp; &lt;/para&gt;"
    assert to_markup("one\r\ntwo\nthree", fallback_font="CJK", main_covers=latin, fallback_covers=cjk) == \
        "one<br/>two<br/>three"
    assert to_markup("Ω 山田 Ж", fallback_font="CJK", main_covers=latin, fallback_covers=cjk) == \
        'Ω <font name="CJK">山田</font> Ж'
    assert to_markup("a   b", fallback_font="CJK", main_covers=latin, fallback_covers=cjk) == "a &nbsp;&nbsp;b"
