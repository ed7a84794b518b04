"""Turning user text into safe ReportLab paragraph markup.

ReportLab parses paragraph text as markup: a name such as ``a <b>bold`` breaks the parser and
``<img src='/etc/passwd'/>`` makes it open a file. Every piece of text that reaches a Paragraph,
user-typed or from the catalogue, goes through :func:`to_markup`: escaped with
``xml.sax.saxutils.escape`` (never ``escapeOnce``, which would turn a typed ``&amp;`` into ``&``),
newlines kept as ``<br/>``, and characters the main font lacks (CJK) wrapped in ``<font>`` runs of
the fallback font, because ReportLab has no per-glyph fallback.

No ReportLab import here: the font coverage comes in as a plain set of code points.
"""

from __future__ import annotations

import re
from collections.abc import Container
from xml.sax.saxutils import escape

_SPACE_RUN = re.compile(r" {2,}")
REPLACEMENT = "\ufffd"


def _keep_spaces(escaped: str) -> str:
    # Paragraphs collapse runs of spaces; a clinician's aligned note should keep its shape.
    return _SPACE_RUN.sub(lambda m: " " + "&nbsp;" * (len(m.group()) - 1), escaped)


def split_runs(text: str, main_covers: Container[int], fallback_covers: Container[int]) -> list[tuple[bool, str]]:
    """Split ``text`` into (uses_fallback, chunk) runs.

    A character goes to the fallback font only when the main font lacks it and the fallback has it.
    Anything neither font has becomes U+FFFD, the replacement character (a visible mark, never a
    vanished letter): drawing the font's .notdef glyph instead would break PDF/A, which forbids it.
    """
    runs: list[tuple[bool, str]] = []
    current: list[str] = []
    current_fallback = False
    replacement = REPLACEMENT if ord(REPLACEMENT) in main_covers else None
    for ch in text:
        code = ord(ch)
        fallback = code > 0x2FF and code not in main_covers and code in fallback_covers
        if code > 0x2FF and not fallback and code not in main_covers and replacement is not None:
            ch = replacement
        if fallback != current_fallback and current:
            runs.append((current_fallback, "".join(current)))
            current = []
        current_fallback = fallback
        current.append(ch)
    if current:
        runs.append((current_fallback, "".join(current)))
    return runs


def to_markup(text: str, *, fallback_font: str, main_covers: Container[int],
              fallback_covers: Container[int]) -> str:
    """Safe paragraph markup for ``text``: prints literally, newlines kept, CJK in the fallback font."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    if text.isascii():  # the common case: no font runs needed
        parts = [escape(text)]
    else:
        parts = [
            f'<font name="{fallback_font}">{escape(chunk)}</font>' if fallback else escape(chunk)
            for fallback, chunk in split_runs(text, main_covers, fallback_covers)
        ]
    return _keep_spaces("".join(parts)).replace("\n", "<br/>")
