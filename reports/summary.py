"""The printed encounter summary: one ReportLab renderer, plain data in, PDF bytes out.

:class:`SummaryRenderer` owns everything about the page: the bundled fonts, one stylesheet of named
paragraph styles, the first-page template with the letterhead, a numbered canvas for "page X of Y",
the DRAFT watermark and the footer. Every piece of text goes through :func:`reports.text.to_markup`
before it enters a Paragraph. Printing and saving are the callers' business.

Import this module lazily (inside the function that makes the first PDF): ReportLab costs about
0.2 s to import and the fonts another 0.25 s to read, once per process.

Why nearly 600 lines: it is one page's layout, section by section (identifiers, alerts, direction with
the nerve levels and the map, since the visit before, findings, lists, notes, signature and status,
references), sharing one stylesheet and one set of cell helpers; the drawings beside it are their own
modules (reports/leg_map.py, reports/score_chart.py) and the words come from reports/content.py.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache, partial
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models import APP_NAME, APP_VERSION, i18n
from models.i18n import N_, _, ngettext
from reports.content import SummaryContent, summary_content
from reports.fonts import FontSet, summary_fonts
from reports.text import to_markup

# Binary (zlib only) streams instead of ASCII85 over zlib: a quarter smaller and no pure-Python
# encoding of the font subsets on every render. KneeCheck's PDFs are all made here.
rl_config.useA85 = 0

PAPER_SIZES = {"A4": A4, "Letter": LETTER}
TITLE = N_("Knee pain encounter summary")
METADATA_TITLE = f"{APP_NAME} encounter summary"  # never a patient identifier: viewers show it
DISCLAIMER = N_("Decision support, not a diagnosis.")
# Invariant output (tests) must not depend on the clock.
INVARIANT_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

MARGIN_X = 18 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 10 * mm
FOOTER_GAP = 4 * mm
PAGE_LABEL_WIDTH = 24 * mm
CELL_PADDING = 6  # ReportLab's default left and right cell padding

BLACK = colors.black
MID_GREY = colors.Color(0.55, 0.55, 0.55)
RULE_GREY = colors.Color(0.6, 0.6, 0.6)
FOOTER_GREY = colors.Color(0.3, 0.3, 0.3)
LABEL_FILL = colors.Color(0.93, 0.93, 0.93)
HEADER_FILL = colors.Color(0.84, 0.84, 0.84)
WATERMARK_GREY = colors.Color(0.9, 0.9, 0.9)

# Tier cells are told apart by word and by fill, never by hue: they must survive a B&W printer.
TIER_CELL = {
    "emergency": (colors.black, colors.white),
    "urgent": (colors.Color(0.45, 0.45, 0.45), colors.white),
    "priority": (colors.white, colors.black),
    "check": (colors.white, colors.black),
}
# By rank: the highest tier gets the most markers; an examination to do now gets a circle.
TIER_MARKS = {"emergency": "\u25b2\u25b2\u25b2", "urgent": "\u25b2\u25b2", "priority": "\u25b2", "check": "\u25cb"}


def _cites(refs: tuple[int, ...]) -> str:
    return f" [{', '.join(str(r) for r in refs)}]" if refs else ""


@lru_cache(maxsize=1)
def _stylesheet() -> dict[str, ParagraphStyle]:
    """The one stylesheet: every paragraph of the summary uses one of these named styles."""
    f = summary_fonts()
    body = ParagraphStyle("body", fontName=f.regular, bulletFontName=f.regular, fontSize=9.5, leading=12.5)
    styles = {
        "body": body,
        "body_after": ParagraphStyle("body_after", parent=body, spaceAfter=3),
        "clinic": ParagraphStyle("clinic", parent=body, fontName=f.bold, fontSize=13, leading=16),
        "address": ParagraphStyle("address", parent=body, fontSize=8.5, leading=10.5),
        "letterhead_right": ParagraphStyle("letterhead_right", parent=body, fontSize=8.5, leading=10.5,
                                           alignment=TA_RIGHT, textColor=MID_GREY),
        "title": ParagraphStyle("title", parent=body, fontName=f.bold, fontSize=15, leading=19, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontName=f.bold, fontSize=10, leading=13, spaceAfter=2),
        "heading": ParagraphStyle("heading", parent=body, fontName=f.bold, fontSize=10.5, leading=13,
                                  spaceBefore=10, spaceAfter=5),
        "direction": ParagraphStyle("direction", parent=body, fontName=f.bold, fontSize=12.5, leading=16,
                                    spaceAfter=2),
        "label": ParagraphStyle("label", parent=body, fontName=f.bold, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=f.bold, fontSize=8.5, leading=11),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=body, fontName=f.bold, fontSize=8.5,
                                          leading=11, alignment=TA_RIGHT),
        "section_row": ParagraphStyle("section_row", parent=body, fontName=f.bold, fontSize=8, leading=10),
        "alert_head": ParagraphStyle("alert_head", parent=body, fontName=f.bold, fontSize=10, leading=13),
        "alert_tier": ParagraphStyle("alert_tier", parent=body, fontName=f.bold, fontSize=8.5, leading=11),
        "alert_text": ParagraphStyle("alert_text", parent=body, fontName=f.bold, fontSize=9.5, leading=12),
        "step": ParagraphStyle("step", parent=body, leftIndent=14, bulletIndent=0, bulletFontSize=9.5, spaceAfter=2),
        "reference": ParagraphStyle("reference", parent=body, fontSize=7.5, leading=9.5, leftIndent=18,
                                    bulletIndent=0, bulletFontSize=7.5, spaceAfter=1),
        "footer": ParagraphStyle("footer", parent=body, fontSize=7.5, leading=9.5),
        "footer_small": ParagraphStyle("footer_small", parent=body, fontSize=6.8, leading=8.6, textColor=FOOTER_GREY),
    }
    for name in ("alert_tier",):
        styles[name + "_inverse"] = ParagraphStyle(name + "_inverse", parent=styles[name], textColor=colors.white)
    return styles


@lru_cache(maxsize=512)
def _parsed(markup: str, style: str, bullet: str | None) -> tuple[list[Any], Any]:
    # Paragraph accepts ready-made fragments (its own split() relies on that) and never changes them.
    prototype = Paragraph(markup, _stylesheet()[style], bulletText=bullet)
    return prototype.frags, prototype.bulletText


class _Heading(Flowable):
    """A section heading (our own fixed wording, drawn, never parsed) underlined across the frame.

    A heading never ends a page: with less than ``keep_space`` left below it, it asks for more
    room than there is and so moves to the next page. This does what keepWithNext or KeepTogether
    would, without wrapping the following content twice (a long findings table or note made that
    the costliest part of a render).
    """

    def __init__(self, text: str, style: ParagraphStyle, keep_space: float) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.keep_space = keep_space
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if availHeight < self.keep_space:
            return availWidth, availHeight + 1
        return availWidth, self.style.leading

    def draw(self) -> None:
        canv = self.canv
        canv.setFont(self.style.fontName, self.style.fontSize)
        canv.drawString(0, self.style.leading - self.style.fontSize, self.text)
        canv.setStrokeColor(BLACK)
        canv.setLineWidth(0.6)
        canv.line(0, -2.5, self.width, -2.5)


class _NumberedCanvas(Canvas):
    """Holds every page until the end so that each can say "Page X of Y"."""

    def __init__(self, *args: Any, page_label_at: tuple[float, float], font: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._page_label_at = page_label_at
        self._label_font = font
        self._page_words = _("Page {page} of {total}")

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            x, y = self._page_label_at
            self.setFont(self._label_font, 8.5)
            self.setFillColor(BLACK)
            self.drawRightString(x, y, self._page_words.format(page=self._pageNumber, total=total))
            super().showPage()
        super().save()


class SummaryRenderer:
    """Lays out one :class:`SummaryContent` on A4 or Letter paper and returns the PDF bytes."""

    def __init__(self, paper: str = "A4") -> None:
        if paper not in PAPER_SIZES:
            raise ValueError(f"paper {paper!r} is not supported; use one of: {', '.join(PAPER_SIZES)}")
        self.paper = paper
        self.page_width, self.page_height = PAPER_SIZES[paper]
        self.fonts: FontSet = summary_fonts()
        self.styles = _stylesheet()
        self.frame_width = self.page_width - 2 * MARGIN_X

    # --- text ------------------------------------------------------------------------------------

    def m(self, text: str) -> str:
        """Safe markup for any text: user-typed, stored or from the catalogue."""
        return to_markup(text, fallback_font=self.fonts.cjk, main_covers=self.fonts.main_covers,
                         fallback_covers=self.fonts.cjk_covers)

    def para(self, markup: str, style: str) -> Paragraph:
        return Paragraph(markup, self.styles[style])

    def fixed_para(self, markup: str, style: str, bullet: str | None = None) -> Paragraph:
        """A Paragraph for text that recurs across summaries (catalogue and rule wording, never patient
        data): its markup is parsed once per process, which is most of what a Paragraph costs to make."""
        frags, bullet_frags = _parsed(markup, style, bullet)
        return Paragraph(markup, self.styles[style], bulletText=bullet_frags, frags=frags)

    def cell(self, text: str, style: str, width: float) -> str | Paragraph:
        """A table cell for ``text``: a plain string when it is ASCII and fits on one line, else a Paragraph.

        A plain string is drawn as it is (never parsed as markup) and costs a tenth of a Paragraph;
        anything that must wrap or needs the CJK font becomes an escaped Paragraph. The table's
        FONT command must match ``style`` so both kinds look the same.
        """
        st = self.styles[style]
        covered = text.isascii() or all(ord(ch) in self.fonts.main_covers for ch in text)
        if covered and "\n" not in text and stringWidth(text, st.fontName, st.fontSize) <= width - 2 * CELL_PADDING:
            return text
        return Paragraph(self.m(text), st)

    def table(self, rows: list[list[Any]], widths: list[float], style: list[tuple[Any, ...]], **kwargs: Any) -> Table:
        """A table whose plain-string cells (empty ones too) use the bundled font, never Helvetica."""
        cell = self.styles["cell"]
        font = [("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading)]
        return Table(rows, colWidths=widths, style=TableStyle(font + style), **kwargs)

    # --- the document ----------------------------------------------------------------------------

    def render(self, content: SummaryContent, *, invariant: bool = False) -> bytes:
        buffer = io.BytesIO()
        letterhead = self._letterhead(content)
        letterhead_height = self._height(letterhead)
        footer = self._footer(content)
        footer_height = self._height(footer)

        frame_bottom = MARGIN_BOTTOM + footer_height + FOOTER_GAP
        first_top = self.page_height - MARGIN_TOP - (letterhead_height + 6 * mm if letterhead_height else 0)
        later_top = self.page_height - MARGIN_TOP

        def frame(top: float, name: str) -> Frame:
            return Frame(MARGIN_X, frame_bottom, self.frame_width, top - frame_bottom, id=name,
                         leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

        draw_page = partial(self._draw_page, content=content, footer=footer, footer_height=footer_height)
        doc = BaseDocTemplate(
            buffer,
            pagesize=(self.page_width, self.page_height),
            title=METADATA_TITLE,
            subject=_("Knee pain assessment: decision support, not a diagnosis"),
            creator=f"{APP_NAME} {APP_VERSION}",
            producer=f"{APP_NAME} {APP_VERSION} summary renderer (ReportLab)",
            author="",
            invariant=1 if invariant else 0,
            initialFontName=self.fonts.regular,  # otherwise an unembedded Helvetica lands in every page
            lang="en",
            pageTemplates=[
                PageTemplate("first", [frame(first_top, "first")], autoNextPageTemplate="later",
                             onPage=partial(draw_page, letterhead=letterhead)),
                PageTemplate("later", [frame(later_top, "later")], onPage=partial(draw_page, letterhead=None)),
            ],
        )
        page_label_at = (self.page_width - MARGIN_X, MARGIN_BOTTOM + footer_height - 9)
        doc.build(self._story(content),
                  canvasmaker=partial(_NumberedCanvas, page_label_at=page_label_at, font=self.fonts.bold))
        return buffer.getvalue()

    def _height(self, flowables: list[Flowable]) -> float:
        """Total height of flowables already wrapped to their width, with a point between each."""
        return sum(f.height + 1 for f in flowables)

    # --- page furniture: letterhead, footer, watermark ---------------------------------------------

    def _letterhead(self, c: SummaryContent) -> list[Flowable]:
        if not c.clinic_name and not c.clinic_address:
            return []
        parts: list[Flowable] = []
        if c.clinic_name:
            parts.append(self.para(self.m(c.clinic_name), "clinic"))
        if c.clinic_address:
            parts.append(self.para(self.m(c.clinic_address), "address"))
        for part in parts:
            part.wrap(self.frame_width, self.page_height)
        return parts

    def _footer(self, c: SummaryContent) -> list[Flowable]:
        """Identity line (beside "Page X of Y") and the facts line, wrapped once, drawn on every page."""
        identity = f"<b>{self.m(c.patient_name)}</b> \u00b7 " + _(
            "MRN {mrn} \u00b7 born {birth} \u00b7 encounter {date} \u00b7 {knee} \u00b7 {clinician}").format(
            mrn=self.m(c.mrn), birth=c.birth_date, date=c.encounter_date, knee=self.m(_knee_words(c.knee)),
            clinician=self.m(c.clinician))
        refs = ", ".join(str(n) for n, _text in c.references)
        facts = (f"<b>{_(DISCLAIMER)}</b> " + _("Rule set {ruleset} \u00b7 {app} \u00b7 generated {when}").format(
            ruleset=self.m(c.ruleset), app=self.m(c.app), when=c.generated)
            + (" \u00b7 " + _("references [{numbers}] at the end").format(numbers=refs) if refs else ""))
        identity_para = self.para(identity, "footer")
        identity_para.wrap(self.frame_width - PAGE_LABEL_WIDTH, self.page_height)
        facts_para = self.para(facts, "footer_small")
        facts_para.wrap(self.frame_width, self.page_height)
        return [identity_para, facts_para]

    def _draw_page(self, canvas: Canvas, doc: BaseDocTemplate, *, content: SummaryContent,
                   footer: list[Flowable], footer_height: float, letterhead: list[Flowable] | None) -> None:
        canvas.saveState()
        if not content.status.is_final:
            self._draw_watermark(canvas, _("DRAFT"), 120)
        elif content.status.superseded_by:
            self._draw_watermark(canvas, _("SUPERSEDED"), 72)
        if letterhead:
            self._draw_letterhead(canvas, letterhead)
        top = MARGIN_BOTTOM + footer_height
        canvas.setStrokeColor(BLACK)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top + 2.5, self.page_width - MARGIN_X, top + 2.5)
        y = top
        for flowable in footer:
            y -= flowable.height + 1
            flowable.drawOn(canvas, MARGIN_X, y)
        canvas.restoreState()

    def _draw_letterhead(self, canvas: Canvas, letterhead: list[Flowable]) -> None:
        y = self.page_height - MARGIN_TOP
        for flowable in letterhead:
            y -= flowable.height + 1
            flowable.drawOn(canvas, MARGIN_X, y)
        canvas.setStrokeColor(BLACK)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN_X, y - 3 * mm, self.page_width - MARGIN_X, y - 3 * mm)

    def _draw_watermark(self, canvas: Canvas, word: str, size: float) -> None:
        canvas.saveState()
        canvas.setFillColor(WATERMARK_GREY)
        canvas.setFont(self.fonts.bold, size)
        canvas.translate(self.page_width / 2, self.page_height / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -size / 3, word)
        canvas.restoreState()

    # --- the story ---------------------------------------------------------------------------------

    def _story(self, c: SummaryContent) -> list[Flowable]:
        story: list[Flowable] = [self.fixed_para(_(TITLE), "title")]
        amendment = c.status.amendment
        if amendment:
            story.append(self.para(_("Amended version: replaces {encounter}").format(encounter=self.m(amendment['replaces'])), "subtitle"))
        story.append(Spacer(0, 4))
        story.append(self._identifiers(c))
        if c.alerts:
            story += [Spacer(0, 9), self._alert_box(c)]
        story += self._direction(c)
        if c.follow_up is not None:
            story += self._follow_up(c.follow_up)
        story += self._findings(c)
        story += self._list_section(_("Not assessed"), c.not_assessed, _("None: every relevant item was recorded."),
                                    joined=True)
        if c.red_flags_not_asked:
            story.append(self.para("<b>" + _("Red flags not asked:") + "</b> " + "; ".join(self.m(r) for r in c.red_flags_not_asked)
                                   + ".", "body"))
        steps = tuple(line + _cites(refs) for line, refs in zip(c.next_steps, c.next_step_references, strict=True))
        story += self._list_section(_("Next steps"), steps, _("None listed."))
        story.append(self._heading(_("Clinician\u2019s notes")))
        story.append(self.para(self.m(c.notes) if c.notes.strip() else _("None recorded."), "body"))
        story += self._signature_and_status(c)
        if c.references:
            story.append(self._heading(_("References cited")))
            story += [self.fixed_para(self.m(text), "reference", f"[{n}]") for n, text in c.references]
        return story

    def _heading(self, text: str, keep_space: float = 25 * mm) -> Flowable:
        return _Heading(text, self.styles["heading"], keep_space)

    def _identifiers(self, c: SummaryContent) -> Table:
        w = self.frame_width
        widths = [0.16 * w, 0.34 * w, 0.19 * w, 0.31 * w]
        rows = [
            [_("Patient"), self.para(f"<b>{self.m(c.patient_name)}</b>", "cell"), "", ""],
            [_("MRN"), self.cell(c.mrn, "cell", widths[1]), _("Sex"), self.cell(c.sex, "cell", widths[3])],
            [_("Birth date"), _("{date} (age {age})").format(date=c.birth_date, age=c.age), _("Encounter date"),
             c.encounter_date],
            [_("Knee"), self.cell(c.knee, "cell", widths[1]), _("Clinician"), self.cell(c.clinician, "cell", widths[3])],
        ]
        label = self.styles["label"]
        table = self.table(rows, widths, [
            ("SPAN", (1, 0), (3, 0)),
            ("FONT", (0, 0), (0, -1), label.fontName, label.fontSize, label.leading),
            ("FONT", (2, 0), (2, -1), label.fontName, label.fontSize, label.leading),
            ("BOX", (0, 0), (-1, -1), 0.8, BLACK),
            ("INNERGRID", (0, 0), (-1, -1), 0.25, RULE_GREY),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ("BACKGROUND", (2, 1), (2, -1), LABEL_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ])
        return table

    def _alert_box(self, c: SummaryContent) -> Table:
        count = len(c.alerts)
        if c.urgency == "routine":  # only examinations to complete (tier check): they raise no urgency
            head = "\u26a0 " + _("CHECK before the patient leaves: complete the examination below.")
        else:
            head = "\u26a0 " + ngettext("ALERT: urgency {urgency}. Act on these before the workup below.",
                                         "ALERTS: urgency {urgency}. Act on these before the workup below.",
                                         count).format(urgency=c.urgency_label)
        rows: list[list[Any]] = [[self.fixed_para(head, "alert_head"), ""]]
        style: list[tuple[Any, ...]] = [
            ("SPAN", (0, 0), (1, 0)),
            ("BOX", (0, 0), (-1, -1), 2, BLACK),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, BLACK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        for n, alert in enumerate(c.alerts, start=1):
            fill, ink = TIER_CELL.get(alert.tier, TIER_CELL["priority"])
            tier_style = "alert_tier_inverse" if ink == colors.white else "alert_tier"
            tier_word = self.m(alert.tier_label)
            mark = TIER_MARKS.get(alert.tier, "")
            text = f"{self.m(alert.text)}"
            if alert.action:
                text += f"<br/><font name=\"{self.fonts.regular}\">" + _("Action: {action}").format(action=self.m(alert.action)) + "</font>"
            text += self.m(_cites(alert.references))
            rows.append([self.fixed_para(f"{mark}<br/>{tier_word}", tier_style), self.fixed_para(text, "alert_text")])
            style.append(("BACKGROUND", (0, n), (0, n), fill))
        style.append(("LINEAFTER", (0, 1), (0, -1), 0.5, BLACK))
        return self.table(rows, [28 * mm, self.frame_width - 28 * mm], style, repeatRows=1, splitInRow=1)

    def _direction(self, c: SummaryContent) -> list[Flowable]:
        levels = "; ".join(self.m(level) for level in c.levels) if c.levels else _("none indicated")
        return [
            self._heading(_("Suggested direction")),
            self.fixed_para(self.m(c.direction_label + _cites(c.direction_references)), "direction"),
            self.fixed_para(self.m(c.direction_summary), "body_after"),
            self.fixed_para("<b>" + _("Why:") + f"</b> {self.m(c.reason)}", "body_after"),
            self.fixed_para("<b>" + _("Scores:") + f"</b> {self.m(c.scores)} \u00b7 <b>" + _("Urgency:")
                            + f"</b> {self.m(c.urgency)}",
                            "body_after"),
            self._levels_and_map(c, levels),
        ]

    def _follow_up(self, f: Any) -> list[Flowable]:
        """Since the visit before: what changed, then and now, and the scores over the visits."""
        from reports.score_chart import score_chart

        out: list[Flowable] = [self._heading(_("Since the visit of {date}").format(date=f.since_date), keep_space=40 * mm)]
        if f.rows:
            quarter = self.frame_width / 4
            widths = [2 * quarter, quarter, quarter]
            rows = [[_("Finding"), _("Then"), f.now_word]] + [[self.cell(text, "cell", width) for text, width in zip(row, widths, strict=True)]
                                                        for row in f.rows]
            out.append(self.table(rows, widths, [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLACK), ("LINEBELOW", (0, 1), (-1, -1), 0.25, BLACK),
                ("FONT", (0, 0), (-1, 0), self.fonts.bold, self.styles["cell"].fontSize)], repeatRows=1))
        else:
            out.append(self.fixed_para(_("No finding changed so far.") if f.draft else _("No finding changed."), "body_after"))
        if f.flags_not_asked_yet:
            out.insert(1, self.fixed_para("<b>" + _("Red flags present last time, not asked yet:") + "</b> "
                                          + "; ".join(self.m(x) for x in f.flags_not_asked_yet), "body_after"))
        if f.not_assessed_yet:
            out.append(self.fixed_para("<b>" + _("Recorded last time, not yet this time:") + "</b> "
                                       + self.m(", ".join(f.not_assessed_yet)), "body"))
        out.append(Spacer(0, 4))
        then_now = _("then \u2192 so far") if f.draft else _("then \u2192 now")
        for name, (then, now) in ((_("Direction"), f.direction), (_("Urgency"), f.urgency), (_("Scores"), f.scores)):
            out.append(self.fixed_para(f"<b>{name}</b> ({then_now}): {self.m(then)} \u2192 {self.m(now)}", "body"))
        if len(f.chart) >= 2:
            out.append(Spacer(0, 4))
            out.append(score_chart(f, self.frame_width, 42 * mm, self.fonts.regular))
        return out

    def _levels_and_map(self, c: SummaryContent, levels: str) -> Flowable:
        """The nerve levels with the leg map beside them (and its legend in words)."""
        from models.leg_map import load_map
        from reports.leg_map import LegMapFlowable

        map_width = 44 * mm
        leg = load_map(mirrored=c.map_mirrored)
        text = [self.fixed_para("<b>" + _("Nerve levels:") + f"</b> {levels}", "body"),
                self.fixed_para(_("<b>Map</b> ({leg}, front and back): {legend}").format(
                    leg=_(leg.leg_words), legend=self.m(c.map_legend)), "body")]
        drawing = LegMapFlowable(c.leg_map, map_width, self.fonts.regular, leg)
        return self.table([[text, drawing]], [self.frame_width - map_width - 4 * mm, map_width + 4 * mm],
                          [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)])

    def _findings(self, c: SummaryContent) -> list[Flowable]:
        out: list[Flowable] = [self._heading(_("Findings, in checklist order"), keep_space=35 * mm)]
        if not c.findings:
            out.append(self.para(_("None recorded."), "body"))
            return out
        w = self.frame_width
        widths = [0.46 * w, 0.24 * w, 0.18 * w, 0.12 * w]
        head, section_row = self.styles["cell_head"], self.styles["section_row"]
        rows: list[list[Any]] = [[_("Item"), _("Answer"), _("Direction"), _("Points")]]
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, 0), head.fontName, head.fontSize, head.leading),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("BOX", (0, 0), (-1, -1), 0.8, BLACK),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLACK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE_GREY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (3, 0), (3, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        section = None
        for row in c.findings:
            if row.section != section:
                section = row.section
                n = len(rows)
                rows.append([self.cell(section, "section_row", w), "", "", ""])
                style += [("SPAN", (0, n), (-1, n)), ("BACKGROUND", (0, n), (-1, n), LABEL_FILL),
                          ("FONT", (0, n), (-1, n), section_row.fontName, section_row.fontSize, section_row.leading)]
            item = row.item
            if row.references:
                item += f" [{', '.join(str(r) for r in row.references)}]"
            rows.append([self.cell(item, "cell", widths[0]), self.cell(row.answer, "cell", widths[1]),
                         self.cell(row.direction, "cell", widths[2]), self.cell(row.points, "cell", widths[3])])
        out.append(self.table(rows, widths, style, repeatRows=1, splitInRow=1))
        return out

    def _list_section(self, heading: str, lines: tuple[str, ...], empty: str, *, joined: bool = False) -> list[Flowable]:
        out: list[Flowable] = [self._heading(heading)]
        if not lines:
            out.append(self.para(empty, "body"))
        elif joined:
            out.append(self.fixed_para("; ".join(self.m(line) for line in lines) + ".", "body"))
        else:
            out += [self.fixed_para(self.m(line), "step", f"{n}.") for n, line in enumerate(lines, start=1)]
        return out

    def _signature_and_status(self, c: SummaryContent) -> list[Flowable]:
        status = c.status
        w = self.frame_width
        signature = self.table(
            [["", "", ""],
             [self.para(_("Signature: {name}").format(name=self.m(c.clinician)), "cell"), "",
              self.para(_("Date: {date}").format(date=c.encounter_date), "cell")]],
            [0.58 * w, 0.07 * w, 0.35 * w],
            [("LINEBELOW", (0, 0), (0, 0), 0.8, BLACK), ("LINEBELOW", (2, 0), (2, 0), 0.8, BLACK),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")],
            rowHeights=[12 * mm, None],
        )
        if status.is_final:
            if status.finalized_by and status.finalized_at:
                done = _("Finalized by {name} on {when}").format(name=self.m(status.finalized_by), when=status.finalized_at)
            elif status.finalized_by:
                done = _("Finalized by {name}").format(name=self.m(status.finalized_by))
            elif status.finalized_at:
                done = _("Finalized on {when}").format(when=status.finalized_at)
            else:
                done = _("Finalized")
            state = "<b>" + _("Status: final.") + "</b> " + _("{finalized}; this encounter can no longer change.").format(
                finalized=done)
            if status.fingerprint:
                state += " " + _("<b>Fingerprint:</b> {fingerprint} (check it against the stored record "
                                 "with <i>kneecheck verify --fingerprint</i>).").format(fingerprint=self.m(status.fingerprint))
            if status.superseded_by:
                state += " " + _("<b>Superseded:</b> encounter {encounter} amends it; this is not the "
                                 "current version of the record.").format(encounter=self.m(status.superseded_by))
        else:
            state = _("<b>Status: draft, not finalized.</b> This summary may still change and is not yet the "
                      "signed record.")
        out: list[Flowable] = [self._heading(_("Signature and status"), keep_space=55 * mm), signature, Spacer(0, 6),
                               self.para(state, "body_after")]
        if status.amendment:
            a = status.amendment
            out.append(self.para(
                _("<b>Amendment:</b> this version replaces {encounter}. Amended {date} by {author}. "
                  "<b>Reason:</b> {reason}").format(encounter=self.m(a['replaces']), date=self.m(a['date']),
                                                    author=self.m(a['author']), reason=self.m(a['reason'])),
                "body_after"))
        return out


def _knee_words(knee: str) -> str:
    return {"both": _("both knees"), "left": _("left knee"), "right": _("right knee")}.get(knee.lower(), knee)


@lru_cache(maxsize=2)
def _renderer(paper: str) -> SummaryRenderer:
    return SummaryRenderer(paper)


def render_summary(case: dict, assessment: dict, *, status: dict | None = None,
                   letterhead: dict | None = None, paper: str = "A4",
                   generated_at: dt.datetime | None = None, invariant: bool = False,
                   follow_up: dict | None = None, language: str | None = None) -> bytes:
    """The encounter summary as PDF bytes.

    ``case`` is a ``kneecheck-case/1`` dict; ``assessment`` the ``Assessment.to_dict()`` stored with
    the encounter (printed as it is, never re-assessed); ``status`` the encounter's state,
    finalization and amendment (``None``: a draft); ``letterhead`` the clinic name and address.
    ``invariant`` gives byte-identical output for the same input (tests); without ``generated_at``
    it then prints a fixed generation time. ``language`` is the print's language ("de"...; None: the
    current one, models.i18n); the stored data is the same in every language.
    """
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper {paper!r} is not supported; use one of: {', '.join(PAPER_SIZES)}")
    when = generated_at or (INVARIANT_TIME if invariant else dt.datetime.now().astimezone())
    with i18n.language(language):
        content = summary_content(case, assessment, status=status, letterhead=letterhead, generated_at=when,
                                  follow_up=follow_up)
        return _renderer(paper).render(content, invariant=invariant)

