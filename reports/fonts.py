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
from reportlab.pdfbase import pdfmetrics
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
