"""The encounter editor, generated from the checklist catalogue (never written out item by item).

Layout: the four KEY items in their own group, then sections A-E, with the red flags (section F)
pinned below the scrolling part so they are always in view. Every answer has an explicit
"Not assessed" state that is distinct from "No".

Keyboard: each choice item is one Tab stop (:class:`ChoiceRow`); inside it Left/Right move the
answer, the first letter of an answer picks it ("y", "n", "p", ...), 0 or Delete sets "Not
assessed". Numbers are spin boxes whose lowest position reads "Not assessed".

Ottawa items appear only after recent trauma is answered "yes". Answers already given to them are
never thrown away silently: while any Ottawa item holds an answer the group stays visible (with a
note saying so), so the clinician sees and can clear it. The hip screen is called out in words for
a patient of the ages the rule set names.

The answer controls are ui/answer_controls.py, the two panes ui/checklist_splitter.py; building is
split into idle-time steps (:meth:`EncounterEditor.build_step`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.case import FindingValue
from models.catalogue import Catalogue, Item
from models.conditions import Facts
from ui.answer_controls import NOT_ASSESSED, AnswerControl, ChoiceRow, NumberField, value_label
from ui.checklist_splitter import ChecklistSplitter
from ui.i18n import shown_catalogue
from ui.palette import follow_palette

__all__ = ["NOT_ASSESSED", "AnswerControl", "ChecklistSplitter", "ChoiceRow", "EncounterEditor", "NumberField",
           "form_row", "value_label"]
Findings = dict[str, FindingValue]
translate = QCoreApplication.translate


class EncounterEditor(QWidget):
    """All checklist answers of one encounter; emits the findings dict on every change."""

    answered_by_key = Signal(str)
    """A key changed this item's answer (the window says which, so a stray key never goes unseen)."""
    findings_changed = Signal(dict)
    """The findings after any change: item id -> answer, not-assessed items left out."""

    def __init__(self, catalogue: Catalogue | None = None, parent: QWidget | None = None, *,
                 defer: bool = False) -> None:
        """``defer=True`` builds nothing yet: call :meth:`build_step` from idle time (one group of
        items per call, so the event loop keeps answering) or :meth:`finish_building`."""
        super().__init__(parent)
        self.catalogue = catalogue or shown_catalogue()
        self.controls: dict[str, AnswerControl] = {}
        self.labels: dict[str, QLabel] = {}
        self._age: int | None = None
        self._loading = False
        self._read_only = False
        self._undo: list[tuple[str, FindingValue | None]] = []  # (item, answer before) per key-made change
        self.advance_on_answer = True
        """A key that answers an item moves to the next one (the workstation's setting)."""
        self._steps: Iterator[None] | None = self._build()
        if not defer:
            self.finish_building()

    def build_step(self) -> bool:
        """Build the next group of items; True once the editor is complete."""
        if self._steps is None:
            return True
        try:
            next(self._steps)
        except StopIteration:
            self._steps = None
            return True
        return False

    def finish_building(self) -> None:
        while not self.build_step():
            pass

    def is_built(self) -> bool:
        return self._steps is None

    def _build(self) -> Iterator[None]:
        """The widgets, one group per step: a whole editor takes ~0.1 s, too long to block typing."""
        scroll_body = QWidget()
        body = QVBoxLayout(scroll_body)
        body.setContentsMargins(4, 4, 4, 4)

        self.section_groups: dict[str, QGroupBox] = {}
        # Follow-up questions asked together (the Ottawa knee rule after trauma) share one note.
        grouped = [i for i in self.catalogue.items if i.group]
        self.group_note_text = next((i.group_note for i in grouped if i.group_note), "")
        self.ottawa_note = QLabel(self.group_note_text)
        self.ottawa_note.setWordWrap(True)
        self.hip_callout = QLabel()
        self.hip_callout.setObjectName("hip_callout")
        self.hip_callout.setWordWrap(True)
        from ui.palette import banner_style

        follow_palette(self.hip_callout, lambda p: banner_style(p, "priority", "QLabel#hip_callout",
                                                                extra="padding: 4px; font-weight: bold;"))
        self.hip_callout.setAccessibleName(translate("EncounterEditor", "Hip screen call-out"))
        self.hip_callout.hide()
        self.ottawa_widgets: list[QWidget] = []

        key_items = self.catalogue.key_items
        self.key_group = self._group(translate("EncounterEditor", "Key items (answer these four first)"), key_items, "group_key")
        body.addWidget(self.key_group)
        yield

        red_section = self.catalogue.red_flag_section
        for section in self.catalogue.sections:
            if section.id == red_section:
                continue
            items = [i for i in self.catalogue.section_items(section.id) if not i.key]
            box = self._group(f"{section.id}. {section.title}", items, f"group_{section.id}")
            self.section_groups[section.id] = box
            body.addWidget(box)
            yield
        body.addStretch(1)

        red_flags = list(self.catalogue.red_flags)
        self.red_flag_group = self._group(
            translate("EncounterEditor", "{section}. Red flags (always check)").format(section=red_section), red_flags,
            f"group_{red_section}", columns=2
        )
        self.red_flag_group.setStyleSheet(f"QGroupBox#group_{red_section} {{ font-weight: bold; }}")
        yield

        red_flag_ids = {item.id for item in red_flags}
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("checklist_scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(scroll_body)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its answers are the Tab stops
        self.scroll_area.setAccessibleName(translate("EncounterEditor", "Checklist"))
        # The red flags stay in view below the checklist, in a pane of their own that scrolls when
        # the screen is too low for all of them (see ChecklistSplitter).
        self.red_flag_pane = QScrollArea()
        self.red_flag_pane.setObjectName("red_flag_pane")
        self.red_flag_pane.setWidgetResizable(True)
        self.red_flag_pane.setFrameShape(QFrame.Shape.NoFrame)
        self.red_flag_pane.setWidget(self.red_flag_group)
        self.red_flag_pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.red_flag_pane.setAccessibleName(translate("EncounterEditor", "Red flags"))
        self.splitter = ChecklistSplitter(self.scroll_area, self.red_flag_pane, self.red_flag_group,
                                          [label for i, label in self.labels.items() if i not in red_flag_ids])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.splitter, 1)

        self._update_visibility()
        self.chain_tab_order()

    # --- construction -------------------------------------------------------------------------

    def _group(self, title: str, items: list[Item] | tuple[Item, ...], name: str, columns: int = 1) -> QGroupBox:
        box = QGroupBox(title)
        box.setObjectName(name)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        if name == f"group_{self._callout_section()}":
            grid.addWidget(self.hip_callout, 0, 0, 1, 2 * columns)
        rows_per_column = -(-len(items) // columns)
        offset = 1
        for n, item in enumerate(items):
            column, row = divmod(n, rows_per_column)
            if item.group and not any(i.group for i in items[:n]):
                self.ottawa_note.setObjectName("ottawa_note")
                grid.addWidget(self.ottawa_note, row + offset, 0, 1, 2 * columns)
                self.ottawa_widgets.append(self.ottawa_note)
                offset += 1
            control: AnswerControl = NumberField(item) if item.is_number else ChoiceRow(item)
            label = QLabel(item.short + (" *" if item.key else ""))
            label.setBuddy(control)
            label.setToolTip(f"{item.label}\n\n{item.help}" if item.help else item.label)
            control.setAccessibleDescription(item.help)
            label.setObjectName(f"label_{item.id}")
            # Long labels wrap (a language's words may be a third longer) so that the answers keep
            # their width; side-by-side columns must fit a 1366-pixel screen.
            label.setWordWrap(True)
            label.setMaximumWidth(150 if columns > 1 else 240)
            if item.key:
                label.setAccessibleName(translate("EncounterEditor", "{label} (key item)").format(label=item.short))
            grid.addWidget(label, row + offset, 2 * column)
            if isinstance(control, NumberField):  # aligned: its maximum width must not cap the answers' column
                grid.addWidget(control, row + offset, 2 * column + 1, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(control, row + offset, 2 * column + 1)
            control.changed.connect(self._on_answer_changed)
            control.answered.connect(lambda item_id=item.id: self._answered(item_id))
            if isinstance(control, ChoiceRow):
                control.keyed.connect(lambda before, item_id=item.id: self._keyed(item_id, before))
            self.controls[item.id] = control
            self.labels[item.id] = label
            if item.group:
                self.ottawa_widgets += [label, control]
        for column in range(columns):
            grid.setColumnStretch(2 * column + 1, 1)
        return box

    # --- public API ---------------------------------------------------------------------------

    def findings(self) -> Findings:
        """Answered items in checklist order; Ottawa answers are kept even when hidden."""
        out: Findings = {}
        for item in self.catalogue.items:
            control = self.controls[item.id]
            value = control.value() if isinstance(control, ChoiceRow) else control.value_or_none()
            if value is not None:
                out[item.id] = value
        return out

    def set_findings(self, findings: Mapping[str, FindingValue]) -> None:
        """Show stored findings (items not in ``findings`` become "Not assessed"); emits once."""
        unknown = set(findings) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown checklist item(s): {', '.join(sorted(unknown))}")
        self._undo.clear()  # another encounter: nothing of it to undo
        self._loading = True
        try:
            for item_id, control in self.controls.items():
                control.set_value(findings.get(item_id))
        finally:
            self._loading = False
        self._on_answer_changed()

    def set_age(self, age: int | None) -> None:
        """The patient's age on the encounter date: drives the hip-screen call-out."""
        self._age = age
        self._update_visibility()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for control in self.controls.values():
            control.set_read_only(read_only)

    def is_read_only(self) -> bool:
        return self._read_only

    def answer_order(self) -> list[str]:
        """Item ids in on-screen (and Tab) order: key items, sections A-E, then red flags."""
        keys = [i.id for i in self.catalogue.key_items]
        rest = [i.id for s in self.catalogue.sections if s.id != self.catalogue.red_flag_section
                for i in self.catalogue.section_items(s.id) if not i.key]
        return keys + rest + [i.id for i in self.catalogue.red_flags]

    def visible_order(self) -> list[str]:
        """:meth:`answer_order` without the items not shown now (the Ottawa questions before trauma)."""
        return [i for i in self.answer_order() if not self.controls[i].isHidden()
                and self.controls[i].isVisibleTo(self)]

    def focus_item(self, item_id: str) -> None:
        """Give ``item_id``'s answer the keyboard focus and scroll it into view."""
        control = self.controls[item_id]
        for pane in (self.scroll_area, self.red_flag_pane):
            body = pane.widget()
            if body is not None and body.isAncestorOf(control):
                pane.ensureWidgetVisible(control, 0, 40)
        control.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_checklist(self) -> None:
        """The first key item not answered yet, else the first item of the checklist not answered
        (red flags last), else the first item."""
        order = self.visible_order()
        answered = self.findings()
        self.focus_item(next((i for i in order if i not in answered), order[0]))

    def focus_red_flags(self) -> None:
        """The first red flag not answered yet, else the first red flag."""
        flags = [i.id for i in self.catalogue.red_flags]
        answered = self.findings()
        self.focus_item(next((i for i in flags if i not in answered), flags[0]))

    def unasked_red_flags(self) -> list[Item]:
        """The red flags not answered yet that have an absent answer ("no")."""
        answered = self.findings()
        return [i for i in self.catalogue.red_flags if i.id not in answered and i.absent_value is not None]

    def answer_absent(self, item_ids: list[str]) -> None:
        """Set each of ``item_ids`` (not answered yet) to its absent answer, as one change."""
        self._loading = True
        try:
            for item_id in item_ids:
                item = self.catalogue.item(item_id)
                if item.absent_value is not None and self.controls[item_id].value() is None:
                    self.controls[item_id].set_value(item.absent_value)
        finally:
            self._loading = False
        self._on_answer_changed()

    def find_items(self, text: str) -> list[str]:
        """Visible items whose short or full label contains ``text`` (case-insensitive): those whose
        short label starts with it, then those whose short label has it, then the full labels."""
        needle = text.strip().casefold()
        if not needle:
            return []
        shown = self.visible_order()
        labels = {i: (self.catalogue.item(i).short.casefold(), self.catalogue.item(i).label.casefold())
                  for i in shown}
        starts = [i for i in shown if labels[i][0].startswith(needle)]
        in_short = [i for i in shown if i not in starts and needle in labels[i][0]]
        in_label = [i for i in shown if i not in starts and i not in in_short and needle in labels[i][1]]
        return starts + in_short + in_label

    def _keyed(self, item_id: str, before: FindingValue | None) -> None:
        self._undo.append((item_id, before))
        del self._undo[:-50]
        self.answered_by_key.emit(item_id)

    def can_undo(self) -> bool:
        return bool(self._undo) and not self._read_only

    def undo_answer(self) -> str | None:
        """Put back the answer a key changed last; the item's id (None: nothing to undo)."""
        if not self.can_undo():
            return None
        item_id, before = self._undo.pop()
        self.controls[item_id].set_value(before)
        self.focus_item(item_id)
        return item_id

    def _answered(self, item_id: str) -> None:
        """A key answered ``item_id``: with :attr:`advance_on_answer`, move to the next item shown."""
        if not self.advance_on_answer or self._read_only or not self.controls[item_id].hasFocus():
            return
        order = self.visible_order()
        if item_id in order and order.index(item_id) + 1 < len(order):
            self.focus_item(order[order.index(item_id) + 1])

    def first_control(self) -> QWidget:
        return self.controls[self.answer_order()[0]]

    def last_control(self) -> QWidget:
        return self.controls[self.answer_order()[-1]]

    def chain_tab_order(self) -> None:
        """Tab follows the on-screen order, whatever the grid layout did."""
        order = self.answer_order()
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(self.controls[before], self.controls[after])

    # --- behaviour ----------------------------------------------------------------------------

    def _on_answer_changed(self) -> None:
        if self._loading:
            return
        self._update_visibility()
        self.findings_changed.emit(self.findings())

    def _facts(self) -> Facts:
        return Facts(findings=self.findings(), age=self._age, knee=None)

    def _callout_section(self) -> str:
        """The section the rule set's call-outs are shown in (the hip screen); one placement per editor."""
        return self.catalogue.callouts[0].section if self.catalogue.callouts else ""

    def _ottawa_visible(self) -> bool:
        facts = self._facts()
        grouped = [self.catalogue.item(i) for i, c in self.controls.items() if self.catalogue.item(i).group]
        if any(i.asked_when is not None and i.asked_when.test(facts) for i in grouped):
            self.ottawa_note.setText(self.group_note_text)
            return True
        kept = any(self.controls[i.id].value() is not None for i in grouped)
        if kept:
            self.ottawa_note.setText(translate("EncounterEditor", "{note} Answers kept although it does not apply now; they do not count. "
                                        "Set them to Not assessed if they do not apply.").format(note=self.group_note_text))
        return kept

    def _update_visibility(self) -> None:
        show_ottawa = self._ottawa_visible()
        for widget in self.ottawa_widgets:
            widget.setVisible(show_ottawa)
        facts = self._facts()
        callouts = [c.text for c in self.catalogue.callouts if c.when.test(facts)]
        self.hip_callout.setText("\n".join(callouts))
        self.hip_callout.setVisible(bool(callouts))
        section = self._callout_section()
        box = self.section_groups.get(section)
        if box is not None:
            title = next((f"{s.id}. {s.title}" for s in self.catalogue.sections if s.id == section), box.title())
            box.setTitle(title + (f" \u2014 {translate('EncounterEditor', 'called out for this age')}" if callouts else ""))


def form_row(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
    """Add a labelled row whose label is the widget's buddy and accessible name."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", ""))
    form.addRow(label, widget)
    return label
