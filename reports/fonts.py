"""The bundled fonts of the printed summary, registered with ReportLab once per process.

DejaVu Sans (regular, bold, oblique, bold oblique) sets Latin, Greek and Cyrillic; Droid Sans
Fallback (TrueType outlines, which ReportLab requires) sets CJK. Both are subset-embedded in every
PDF, so the summary prints the same on any machine. Reading a TTF takes tens of milliseconds (the
CJK one about 150 ms), so registration happens on first use and is then reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"

REGULAR = "KneeCheckSans"
BOLD = "KneeCheckSans-Bold"
ITALIC = "KneeCheckSans-Oblique"
BOLD_ITALIC = "KneeCheckSans-BoldOblique"
CJK = "KneeCheckCJK"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}


_REPORTLAB_TO_UNICODE_CMAP = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 surrogate pairs.

    ReportLab 5.1 writes them as five hex digits (``<1F601>``), which PDF readers reject: such a
    character (an emoji, a mathematical letter) printed but could not be searched or copied.
    """
    cmap = _REPORTLAB_TO_UNICODE_CMAP(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>")
    return cmap


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@dataclass(frozen=True)
class FontSet:
    """Registered font names and what the main and fallback fonts cover (sets of code points)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    cjk: str
    main_covers: frozenset[int]
    cjk_covers: frozenset[int]


@lru_cache(maxsize=1)
def summary_fonts() -> FontSet:
    """Register the bundled fonts (first call only) and describe them."""
    fonts: dict[str, TTFont] = {}
    for name, filename in _FILES.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        fonts[name] = font
    # <b> and <i> in a paragraph pick the faces through this family mapping.
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    # CJK has a single face: bold or italic CJK runs fall back to it instead of failing.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)
    return FontSet(
        regular=REGULAR,
        bold=BOLD,
        italic=ITALIC,
        bold_italic=BOLD_ITALIC,
        cjk=CJK,
        main_covers=frozenset(fonts[REGULAR].face.charToGlyph),
        cjk_covers=frozenset(fonts[CJK].face.charToGlyph),
    )
