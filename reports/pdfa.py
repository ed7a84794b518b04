"""PDF/A-3b: the archival form of the summary, made from ReportLab's PDF with pikepdf.

ReportLab 5.1 has no PDF/A mode, so :func:`to_pdfa` post-processes its output with pikepdf
(qpdf). It never re-encodes fonts or touches page content; it adds and corrects structure:

- XMP metadata declaring PDF/A-3b (``pdfaid:part`` 3, ``pdfaid:conformance`` B), with a generic
  title, the KneeCheck version as creator tool and producer and the document dates; the Info
  dictionary is rewritten to say exactly the same (and nothing else). No patient identifier is
  ever written to either: viewers and file indexers show them.
- An sRGB output intent (``GTS_PDFA1``) with the bundled ICC profile ``resources/icc/sRGB.icc``
  (CC0; see ``resources/icc/LICENSE.md``): the summary paints in DeviceRGB and DeviceGray.
- Each :class:`Attachment` as an embedded file that is an associated file of the document:
  ``/AF`` on the catalog, ``/F``, ``/UF``, ``/Desc`` and ``/AFRelationship`` on the file
  specification, the MIME type as the embedded file's ``/Subtype`` and ``/Params`` with
  ``/Size``, ``/ModDate`` and ``/CheckSum``.
- PDF 1.7, a document ``/ID``, no encryption; the empty page transitions ReportLab writes are
  dropped. Every stream ReportLab wrote (font programs, page contents) is copied byte for byte.

It also checks what it cannot repair without re-encoding: every font is embedded and has a
ToUnicode map, TrueType encodings follow the PDF/A rules, no blend mode, transfer function,
halftone, action or annotation that PDF/A-3 forbids. ReportLab's summary meets all of these (its
TrueType subsets are symbolic fonts with one ``(1,0)`` cmap, no ``/Encoding``, no ``/CIDSet``; its
DRAFT watermark is an opaque light grey, not transparency); the checks guard against a change
of the renderer silently breaking the archive format. Anything wrong raises :class:`PdfaError`
with one line that names the problem, never patient data.

No ReportLab import here: this module works on bytes and costs only pikepdf's import.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String
from pikepdf.models.metadata import decode_pdf_date, encode_pdf_date

from models import APP_NAME, APP_VERSION

ICC_PROFILE = Path(__file__).resolve().parent.parent / "resources" / "icc" / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"  # the ICC registry's name for the sRGB condition
PDF_VERSION = "1.7"  # PDF/A-3 is based on ISO 32000-1 (PDF 1.7)
TITLE = "Knee pain encounter summary"  # generic: never a patient identifier
SUBJECT = "Knee pain assessment: decision support, not a diagnosis"
CREATOR = f"{APP_NAME} {APP_VERSION}"
PRODUCER = f"{APP_NAME} {APP_VERSION} (ReportLab, pikepdf)"
# Invariant output (tests) must not depend on the clock; the same instant as reports.summary's.
INVARIANT_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
RELATIONSHIPS = ("Source", "Data", "Alternative", "Supplement", "Unspecified")

_MIME = re.compile(r"^[-\w+.]+/[-\w+.]+$", re.ASCII)  # veraPDF's test for 6.8-1
_BLEND_MODES = frozenset({
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten", "/ColorDodge",
    "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion", "/Hue", "/Saturation", "/Color",
    "/Luminosity",
})
_ANNOTATION_TYPES = frozenset({
    "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
    "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup", "/FileAttachment",
    "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/Redact",
})
_PRINT, _HIDDEN_FLAGS = 4, 1 | 2 | 32 | 256  # Print; Invisible, Hidden, NoView, ToggleNoView


class PdfaError(ValueError):
    """The summary could not be made PDF/A-3b; the message is one line and holds no patient data."""


@dataclass(frozen=True)
class Attachment:
    """A file to embed as an associated file of the summary.

    ``filename`` is what a reader's attachment list shows and saves as (a plain name, no folder);
    ``mime_type`` e.g. ``application/json``; ``description`` a short generic text (it is not
    compressed: no patient data); ``relationship`` one of :data:`RELATIONSHIPS`: "Data" for
    data the summary is a rendering of, such as the case file and the FHIR Bundle.
    """

    filename: str
    data: bytes
    mime_type: str
    description: str
    relationship: str = "Data"


def to_pdfa(pdf: bytes, *, attachments: Sequence[Attachment], invariant: bool = False) -> bytes:
    """``pdf`` (ReportLab's summary) as PDF/A-3b with ``attachments`` as associated files.

    ``invariant`` gives byte-identical output for the same input (tests): fixed dates and an /ID
    computed from the content. Otherwise the dates are those ReportLab recorded (its creation
    time) and qpdf makes a new /ID.
    """
    _check_attachments(attachments)
    try:
        doc = pikepdf.open(io.BytesIO(pdf))
    except (pikepdf.PdfError, pikepdf.PasswordError):
        raise PdfaError("the summary is not a readable PDF; nothing was written") from None
    with doc:
        if doc.is_encrypted:
            raise PdfaError("the summary PDF is encrypted, which PDF/A forbids")
        _check_structure(doc)
        moment = INVARIANT_TIME if invariant else _created(doc)
        _set_info_and_xmp(doc, moment)
        _set_output_intent(doc)
        _embed(doc, attachments, moment)
        out = io.BytesIO()
        try:
            # Every stream ReportLab wrote (fonts, pages) is copied as it is: qpdf neither decodes nor
            # recompresses anything, which is also most of what a save would cost. What to_pdfa adds is
            # compressed here already, except the XMP, which PDF/A readers expect as plain text.
            doc.save(out, force_version=PDF_VERSION, encryption=False, deterministic_id=invariant,
                     fix_metadata_version=True, compress_streams=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
        except pikepdf.PdfError:
            raise PdfaError("the PDF/A summary could not be written by qpdf") from None
    return out.getvalue()


# --- input checks ------------------------------------------------------------------------------


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    seen: set[str] = set()
    for a in attachments:
        if not isinstance(a.data, bytes | bytearray):
            raise PdfaError(f"attachment {a.filename!r}: data must be bytes")
        name = a.filename
        if not name or "/" in name or "\\" in name or name in (".", "..") or not name.isprintable():
            raise PdfaError(f"attachment {name!r}: give a plain file name without folders")
        if name in seen:
            raise PdfaError(f"attachment {name!r} is given twice")
        seen.add(name)
        if not _MIME.match(a.mime_type):
            raise PdfaError(f"attachment {name!r}: {a.mime_type!r} is not a MIME type such as application/json")
        if a.relationship not in RELATIONSHIPS:
            raise PdfaError(f"attachment {name!r}: relationship {a.relationship!r} is not one of "
                            f"{', '.join(RELATIONSHIPS)}")


def _resources(doc: pikepdf.Pdf) -> Iterator[tuple[str, Dictionary]]:
    """Every resource dictionary of every page, its form XObjects and Type 3 fonts, once each."""
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[str, object]] = [(f"page {n}", page.obj.get("/Resources"))
                                         for n, page in enumerate(doc.pages, start=1)]
    while pending:
        where, res = pending.pop()
        if not isinstance(res, Dictionary):
            continue
        if res.is_indirect:
            if res.objgen in seen:
                continue
            seen.add(res.objgen)
        yield where, res
        xobjects = res.get("/XObject")
        if isinstance(xobjects, Dictionary):
            for key, xobj in xobjects.items():
                if isinstance(xobj, Stream) and xobj.stream_dict.get("/Subtype") == "/Form":
                    pending.append((f"{where}, form {key}", xobj.stream_dict.get("/Resources")))
        fonts = res.get("/Font")
        if isinstance(fonts, Dictionary):
            for key, font in fonts.items():
                if isinstance(font, Dictionary) and font.get("/Subtype") == "/Type3":
                    pending.append((f"{where}, font {key}", font.get("/Resources")))


def _check_structure(doc: pikepdf.Pdf) -> None:
    """Refuse what PDF/A-3b forbids and post-processing cannot repair without touching content."""
    root = doc.Root
    for key in ("/AA", "/OpenAction", "/AcroForm", "/Requirements", "/NeedsRendering"):
        if key in root:
            raise PdfaError(f"the summary's catalog has {key}, which this PDF/A conversion does not support")
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key in ("/JavaScript", "/AlternatePresentations", "/EmbeddedFiles"):
            if key in names:
                raise PdfaError(f"the summary already has {key}, which this PDF/A conversion does not support")
    checked_fonts: set[tuple[int, int]] = set()
    for where, res in _resources(doc):
        fonts = res.get("/Font")
        if isinstance(fonts, Dictionary):
            for key, font in fonts.items():
                if isinstance(font, Dictionary) and (not font.is_indirect or font.objgen not in checked_fonts):
                    if font.is_indirect:
                        checked_fonts.add(font.objgen)
                    _check_font(f"{where}, font {key}", font)
        states = res.get("/ExtGState")
        if isinstance(states, Dictionary):
            for key, state in states.items():
                if isinstance(state, Dictionary):
                    _check_graphics_state(f"{where}, graphics state {key}", state)
    for n, page in enumerate(doc.pages, start=1):
        if "/AA" in page.obj or "/PresSteps" in page.obj:
            raise PdfaError(f"page {n} has page actions or presentation steps, which PDF/A forbids")
        for annot in page.obj.get("/Annots", Array()):
            _fix_annotation(n, annot)
        if "/Trans" in page.obj:
            # ReportLab writes an empty page transition (the default, for slide shows). PDF/A allows it, but
            # allowlist validators do not check it and a record has no use for it.
            del page.obj["/Trans"]


def _check_font(where: str, font: Dictionary) -> None:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return  # glyphs are content streams: nothing to embed
    descendant = font
    if subtype == "/Type0":
        kids = font.get("/DescendantFonts")
        if not isinstance(kids, Array) or len(kids) != 1 or not isinstance(kids[0], Dictionary):
            raise PdfaError(f"{where}: a composite font without its CIDFont")
        descendant = kids[0]
    name = str(font.get("/BaseFont", "?"))
    descriptor = descendant.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or not any(
            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        raise PdfaError(f"{where}: font {name} is not embedded, which PDF/A requires")
    if not isinstance(font.get("/ToUnicode"), Stream):
        raise PdfaError(f"{where}: font {name} has no ToUnicode map, so its text cannot be searched or copied")
    if subtype == "/TrueType":
        symbolic = bool(int(descriptor.get("/Flags", 0)) & 4)
        encoding = font.get("/Encoding")
        if symbolic and encoding is not None:
            raise PdfaError(f"{where}: symbolic TrueType font {name} has an /Encoding, which PDF/A forbids")
        if not symbolic:
            base = encoding.get("/BaseEncoding") if isinstance(encoding, Dictionary) else encoding
            if base not in ("/WinAnsiEncoding", "/MacRomanEncoding"):
                raise PdfaError(f"{where}: TrueType font {name} needs WinAnsiEncoding or MacRomanEncoding for PDF/A")
    if subtype == "/Type0" and "/CIDSet" in descriptor:
        # PDF/A-3 does not require a CIDSet, and an incomplete one is an error: drop it.
        del descriptor["/CIDSet"]
    if subtype == "/Type1" and "/CharSet" in descriptor:
        del descriptor["/CharSet"]  # likewise optional in PDF/A-3, and must be complete when present


def _check_graphics_state(where: str, state: Dictionary) -> None:
    blend = state.get("/BM")
    modes = list(blend) if isinstance(blend, Array) else [blend] if blend is not None else []
    for mode in modes:
        if str(mode) not in _BLEND_MODES:
            raise PdfaError(f"{where}: blend mode {mode} is not one PDF/A-3 allows")
    if "/TR" in state or "/HTP" in state or ("/TR2" in state and state.get("/TR2") != "/Default"):
        raise PdfaError(f"{where}: transfer functions and halftone phases are forbidden in PDF/A")
    halftone = state.get("/HT")
    if isinstance(halftone, Dictionary | Stream):
        raise PdfaError(f"{where}: custom halftones are not supported by this PDF/A conversion")


def _fix_annotation(page: int, annot: object) -> None:
    if not isinstance(annot, Dictionary):
        return
    subtype = str(annot.get("/Subtype", ""))
    if subtype not in _ANNOTATION_TYPES:
        raise PdfaError(f"page {page}: annotation type {subtype or '(none)'} is not allowed in PDF/A")
    if "/A" in annot and str(annot.A.get("/S", "")) not in ("/GoTo", "/GoToR", "/URI", "/Named"):
        raise PdfaError(f"page {page}: a {subtype} annotation has an action PDF/A forbids")
    if subtype != "/Popup":  # printable and visible, as PDF/A requires
        annot.F = (int(annot.get("/F", 0)) | _PRINT) & ~_HIDDEN_FLAGS
    if subtype not in ("/Popup", "/Link") and "/AP" not in annot:
        raise PdfaError(f"page {page}: a {subtype} annotation has no appearance, which PDF/A requires")


# --- what to_pdfa adds ---------------------------------------------------------------------------


def _created(doc: pikepdf.Pdf) -> dt.datetime:
    """The creation time ReportLab recorded, or now."""
    value = doc.docinfo.get("/CreationDate") if "/Info" in doc.trailer else None
    if value is not None:
        try:
            when = decode_pdf_date(str(value))
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.now().astimezone()


def _set_info_and_xmp(doc: pikepdf.Pdf, moment: dt.datetime) -> None:
    """XMP with the PDF/A identification, and an Info dictionary that says the same and no more."""
    stamp = moment.replace(microsecond=0)
    info = Dictionary(
        Title=String(TITLE),
        Subject=String(SUBJECT),
        Creator=String(CREATOR),
        Producer=String(PRODUCER),
        CreationDate=String(encode_pdf_date(stamp)),
        ModDate=String(encode_pdf_date(stamp)),
    )
    doc.trailer.Info = doc.make_indirect(info)  # replaces ReportLab's (empty Author, Keywords, Trapped)
    if "/Metadata" in doc.Root:
        del doc.Root["/Metadata"]
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = TITLE
        meta["dc:description"] = SUBJECT
        meta["dc:format"] = "application/pdf"
        meta["xmp:CreatorTool"] = CREATOR
        meta["pdf:Producer"] = PRODUCER
        meta["xmp:CreateDate"] = stamp.isoformat()
        meta["xmp:ModifyDate"] = stamp.isoformat()
        meta["xmp:MetadataDate"] = stamp.isoformat()
        meta["pdfaid:part"] = "3"
        meta["pdfaid:conformance"] = "B"


@lru_cache(maxsize=1)
def _compressed_icc_profile() -> bytes:
    """The profile deflated once per process: compressing it was most of the cost of every save."""
    return zlib.compress(_icc_profile(), 9)


@lru_cache(maxsize=1)
def _icc_profile() -> bytes:
    try:
        icc = ICC_PROFILE.read_bytes()
    except OSError as exc:
        raise PdfaError(f"the sRGB profile {ICC_PROFILE} cannot be read ({exc.strerror or exc})") from None
    if len(icc) < 128 or icc[36:40] != b"acsp" or int.from_bytes(icc[0:4], "big") != len(icc):
        raise PdfaError(f"{ICC_PROFILE} is not a complete ICC profile")
    if icc[12:16] not in (b"mntr", b"prtr") or icc[16:20] != b"RGB " or icc[8] > 4:
        raise PdfaError(f"{ICC_PROFILE} must be an RGB display or output profile of ICC version 4 or earlier")
    return icc


def _set_output_intent(doc: pikepdf.Pdf) -> None:
    profile = Stream(doc, _compressed_icc_profile())
    profile.stream_dict.Filter = Name.FlateDecode
    profile.stream_dict.N = 3
    doc.Root.OutputIntents = Array([doc.make_indirect(Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String(OUTPUT_CONDITION),
        RegistryName=String("http://www.color.org"),
        Info=String(OUTPUT_CONDITION),
        DestOutputProfile=profile,
    ))])


def _embed(doc: pikepdf.Pdf, attachments: Sequence[Attachment], moment: dt.datetime) -> None:
    stamp = encode_pdf_date(moment.replace(microsecond=0))
    associated = Array()
    for a in attachments:
        spec = pikepdf.AttachedFileSpec(doc, bytes(a.data), description=a.description, filename=a.filename,
                                        mime_type=a.mime_type, creation_date=stamp, mod_date=stamp,
                                        relationship=Name("/" + a.relationship))
        doc.attachments[a.filename] = spec
        filespec = doc.attachments[a.filename].obj  # the file specification the name tree holds
        if not filespec.is_indirect:
            raise PdfaError(f"attachment {a.filename!r}: its file specification is not an indirect object")
        # Compressed: the case file and the Bundle hold patient data, never plain text in the file.
        # /Params (/Size, /CheckSum) describe the uncompressed bytes, as qpdf computed them.
        filespec.EF.F.write(zlib.compress(bytes(a.data), 9), filter=Name.FlateDecode)
        associated.append(filespec)
    doc.Root.AF = associated  # exactly these, in this order (pikepdf may already have listed them)
    # Check what PDF/A-3 clause 6.8 asks of each, as written by qpdf's helpers.
    for entry in associated:
        stream = entry.EF.F
        params = stream.stream_dict.get("/Params") if isinstance(stream, Stream) else None
        if ("/F" not in entry or "/UF" not in entry or "/AFRelationship" not in entry or not isinstance(stream, Stream)
                or "/Subtype" not in stream.stream_dict or not isinstance(params, Dictionary)
                or "/Size" not in params or "/ModDate" not in params):
            raise PdfaError(f"attachment {str(entry.get('/UF', '?'))!r} lacks an entry PDF/A-3 requires")
