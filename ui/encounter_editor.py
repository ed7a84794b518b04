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

Why this module is over 400 lines: the two answer controls (:class:`ChoiceRow`, :class:`NumberField`)
and the editor that lays them out share one keyboard and "Not assessed" contract (each control is
one Tab stop, its keys, its read-only state, the Ottawa visibility rule reading their answers); the
keyboard issue that follows this one changes them together. Building is already split into idle-time
steps (:meth:`EncounterEditor.build_step`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAccessibleWidget,
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.case import FindingValue
from models.catalogue import Catalogue, Item, load_catalogue
from models.conditions import Facts
from ui.palette import fill_for, follow_palette, mix, readable

NOT_ASSESSED = 0  # button id of "Not assessed"; answer n of the item has id n + 1 (Qt reserves -1)
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget size (qwidget.h)
Findings = dict[str, FindingValue]


def tr(text: str) -> str:
    return QCoreApplication.translate("EncounterEditor", text)


def value_label(value: str) -> str:
    """The on-screen word for a catalogue answer ("yes" -> "Yes", "L4" stays "L4")."""
    return tr(value[:1].upper() + value[1:])


# The chosen answer is bold, framed and filled, so it does not depend on colour alone; the row
# that has keyboard focus gets a visible outline. The answers are radio buttons drawn as buttons
# (no indicator), so a screen reader announces them as radio buttons with their checked state.
# Every colour comes from the palette (ui.palette): a dark or high-contrast palette stays readable.
CHOICE_STYLE = """
ChoiceRow QRadioButton {{ spacing: 0px; padding: 2px 8px; border: 1px solid {border}; background: {button}; color: {button_text}; }}
ChoiceRow QRadioButton::indicator {{ width: 0px; height: 0px; border: none; }}
ChoiceRow QRadioButton:checked {{ background: {chosen}; color: {chosen_text}; font-weight: bold; border: 2px solid {chosen_border}; }}
ChoiceRow QRadioButton:disabled {{ color: {disabled_text}; }}
ChoiceRow QRadioButton:checked:disabled {{ background: {chosen_disabled}; color: {chosen_disabled_text}; }}
ChoiceRow QRadioButton[not_assessed="true"]:checked {{ background: {unasked}; color: {unasked_text}; border: 2px solid {unasked_border}; }}
ChoiceRow:focus {{ border: 2px dashed {focus}; }}
"""


_CHOICE_STYLES: dict[tuple[int, ...], str] = {}


def choice_style(palette: QPalette) -> str:
    """CHOICE_STYLE in the colours of ``palette``; chosen answers keep a text contrast of 4.5:1 or more."""
    role = QPalette.ColorRole
    key = tuple(palette.color(r).rgba() for r in (role.Button, role.ButtonText, role.Highlight,
                                                  role.HighlightedText, role.Window, role.WindowText))
    if key not in _CHOICE_STYLES:  # one sheet per palette, not per row (the editor has ~60 rows)
        _CHOICE_STYLES[key] = _choice_style(palette)
    return _CHOICE_STYLES[key]


def _choice_style(palette: QPalette) -> str:
    role = QPalette.ColorRole
    button, button_text = palette.color(role.Button), palette.color(role.ButtonText)
    chosen, chosen_text = fill_for(palette.color(role.Highlight), palette.color(role.HighlightedText))
    chosen_disabled = mix(palette.color(role.Window), chosen, 0.55)
    unasked = mix(button, button_text, 0.15)
    return CHOICE_STYLE.format(
        border=mix(button, button_text, 0.45).name(), button=button.name(),
        button_text=readable(button, button_text).name(),
        chosen=chosen.name(), chosen_text=chosen_text.name(),
        chosen_border=mix(chosen, palette.color(role.WindowText), 0.4).name(),
        disabled_text=mix(button, button_text, 0.55).name(),
        chosen_disabled=chosen_disabled.name(),
        chosen_disabled_text=readable(chosen_disabled, palette.color(role.HighlightedText)).name(),
        unasked=unasked.name(), unasked_text=readable(unasked, button_text).name(),
        unasked_border=mix(button, button_text, 0.6).name(), focus=palette.color(role.Highlight).name(),
    )


class AnswerButton(QRadioButton):
    """One answer of a :class:`ChoiceRow`: a radio button drawn as a button, hit anywhere on it."""

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)


def _accessible_row(key: str, obj: QObject) -> QAccessibleInterface | None:
    """A ChoiceRow is announced as a group (named by its question) holding its answers' radio buttons."""
    if key == "ChoiceRow" and isinstance(obj, QWidget):
        return QAccessibleWidget(obj, QAccessible.Role.Grouping)
    return None


QAccessible.installFactory(_accessible_row)


class ChoiceRow(QWidget):
    """One answer row: exclusive buttons "Not assessed", then the item's values. One Tab stop."""

    changed = Signal()
    """The answer changed (by mouse, keyboard or set_value)."""
    answered = Signal()
    """A digit chose one answer outright: the editor may move on to the next item. Letters, arrows
    and Delete do not (words typed into the checklist by mistake must not answer item after item)."""
    keyed = Signal(object)
    """A key changed the answer; the argument is the answer before (None: not assessed), for undo."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"answer_{item.id}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # so :focus draws
        follow_palette(self, choice_style)
        self.setAccessibleName(item.short)
        self.setToolTip(item.help)
        self.setWhatsThis(item.help)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.setSpacing(0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QRadioButton] = {}
        for button_id, text in [(NOT_ASSESSED, tr("Not assessed"))] + [
            (n + 1, value_label(v)) for n, v in enumerate(item.values)
        ]:
            button = AnswerButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the Tab stop
            button.setProperty("not_assessed", button_id == NOT_ASSESSED)
            button.setAccessibleName(f"{item.short}: {text}")
            button.setObjectName(f"answer_{item.id}_{'not_assessed' if button_id == NOT_ASSESSED else item.values[button_id - 1]}")
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.group.addButton(button, button_id)
            self.buttons[button_id] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.buttons[NOT_ASSESSED].setChecked(True)
        self.group.idToggled.connect(self._on_toggled)
        self._update_description()

    def value(self) -> str | None:
        checked = self.group.checkedId()
        return None if checked == NOT_ASSESSED else self.item.values[checked - 1]

    def set_value(self, value: FindingValue | None) -> None:
        button_id = NOT_ASSESSED if value is None else self.item.values.index(str(value)) + 1
        self.buttons[button_id].setChecked(True)

    def set_read_only(self, read_only: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(not read_only)

    def _on_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self._update_description()
            self.changed.emit()

    def _update_description(self) -> None:
        value = self.value()
        self.setAccessibleDescription(tr("Not assessed") if value is None else value_label(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.buttons[NOT_ASSESSED].isEnabled():
            return super().keyPressEvent(event)
        last = len(self.item.values)
        current = self.group.checkedId()
        before, advance = self.value(), False
        key, text = event.key(), event.text().lower()
        if key == Qt.Key.Key_Right:
            self.buttons[min(current + 1, last)].setChecked(True)
        elif key == Qt.Key.Key_Left:
            self.buttons[max(current - 1, NOT_ASSESSED)].setChecked(True)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_0):
            self.buttons[NOT_ASSESSED].setChecked(True)
        elif text and text in "123456789" and int(text) <= len(self.item.values):  # not "²" (isdigit, no int)
            self.buttons[int(text)].setChecked(True)
            advance = True
        elif text and text.isalpha():
            # First letter picks an answer; pressing it again cycles answers sharing the letter.
            matches = [n + 1 for n, v in enumerate(self.item.values) if v.lower().startswith(text)]
            if not matches:
                return super().keyPressEvent(event)
            after = [n for n in matches if n > current]
            self.buttons[(after or matches)[0]].setChecked(True)
        else:
            return super().keyPressEvent(event)
        event.accept()
        if self.value() != before:
            self.keyed.emit(before)
        if advance:
            self.answered.emit()


class NumberField(QDoubleSpinBox):
    """A number answer; its lowest position reads "Not assessed" (distinct from 0).

    Tenths can be typed (a duration of 1.3 weeks is 9 days). A value loaded with more precision than
    the field shows (an imported 9/7 weeks) is given back exactly as loaded until someone changes
    it: opening and saving an encounter never rewrites a stored number.
    """

    changed = Signal()
    """The answer changed."""
    answered = Signal()
    """Return or Enter confirmed the typed number: the editor may move on to the next item."""

    DECIMALS = 1

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert item.minimum is not None and item.maximum is not None
        self.item = item
        self.setObjectName(f"answer_{item.id}")
        self._minimum = float(item.minimum)
        self._floor = self._minimum - 1  # one below the allowed range means "not assessed"
        self._loaded: FindingValue | None = None
        # One notation for showing and reading, whatever the workstation's locale: a point or a comma
        # is the decimal mark, never a thousands separator (in German "0.5" would otherwise read as 5).
        c_locale = QLocale.c()
        c_locale.setNumberOptions(QLocale.NumberOption.RejectGroupSeparator | QLocale.NumberOption.OmitGroupSeparator)
        self.setLocale(c_locale)
        self.setDecimals(self.DECIMALS)
        self.setSingleStep(1.0)
        self.setRange(self._floor, float(item.maximum))
        self.setSpecialValueText(tr("Not assessed"))
        if item.unit:
            self.setSuffix(f" {tr(item.unit)}")
        self.setValue(self._floor)
        self.setAccessibleName(item.short)
        self.setToolTip(item.help)
        self.setWhatsThis(item.help)
        self.setMinimumWidth(130)
        self.setMaximumWidth(180)
        self.valueChanged.connect(self._value_changed)

    def textFromValue(self, value: float) -> str:
        return f"{round(value, self.DECIMALS):g}"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A comma typed as the decimal mark (as in German or French) is a point: without this the
        # spin box would drop it and read "0,5" as 5.
        if event.text() == ",":
            event = QKeyEvent(event.type(), Qt.Key.Key_Period, event.modifiers(), ".")
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.isReadOnly():
            self.interpretText()
            event.accept()
            self.answered.emit()
            return
        super().keyPressEvent(event)

    def _value_changed(self, value: float) -> None:
        if self._floor < value < self._minimum:  # between "not assessed" and the lowest answer
            self.setValue(self._floor)
            return
        self.changed.emit()

    def value_or_none(self) -> int | float | None:
        value = self.value()
        if value <= self._floor:
            return None
        loaded = self._loaded
        if isinstance(loaded, (int, float)) and round(float(loaded), self.DECIMALS) == round(value, self.DECIMALS):
            return loaded
        return int(value) if float(value).is_integer() else round(value, self.DECIMALS)

    def set_value(self, value: FindingValue | None) -> None:
        self._loaded = value
        self.setValue(self._floor if value is None else float(value))

    def set_read_only(self, read_only: bool) -> None:
        self.setReadOnly(read_only)
        self.setButtonSymbols(
            QDoubleSpinBox.ButtonSymbols.NoButtons if read_only else QDoubleSpinBox.ButtonSymbols.UpDownArrows
        )


AnswerControl = ChoiceRow | NumberField


class ChecklistSplitter(QSplitter):
    """The checklist above, the red-flag pane below. The pane is never taller than its content nor
    than :data:`RED_FLAGS_MOST` of the height, so on a low screen (1366x768, 1024x768) the checklist
    keeps at least half of it and the pane scrolls; by default it takes at most
    :data:`RED_FLAGS_DEFAULT`. A share the clinician dragged (or that was stored for this
    workstation) is kept as the window is resized, within the same limits. The red flags stand in
    two columns when the pane is wide enough for both, else in one (a 1024-pixel screen); the
    checklist's long item labels wrap when its rows would not fit its width (:meth:`fit_labels`)."""

    RED_FLAGS_DEFAULT = 0.45
    RED_FLAGS_MOST = 0.5

    LABEL_NARROW = 140  # the widest a checklist label is, wrapped, when the rows do not fit

    def __init__(self, checklist: QScrollArea, red_flags: QScrollArea, group: QGroupBox,
                 labels: list[QLabel]) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setObjectName("checklist_splitter")
        self.checklist, self.labels = checklist, labels  # the scrolling checklist and its item labels
        self.red_flags, self.group = red_flags, group  # the pane, and the red flags in it
        self._wide_width: int | None = None  # the checklist's width with its labels on one line
        checklist.viewport().installEventFilter(self)  # its width decides whether labels wrap
        self.addWidget(checklist)
        self.addWidget(red_flags)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setChildrenCollapsible(False)
        self.red_flag_share: float | None = None  # None: the default
        self._two_columns_width: int | None = None  # the red flags' width side by side
        self.splitterMoved.connect(self._moved)
        red_flags.viewport().installEventFilter(self)  # its width decides one column or two

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.red_flags.viewport() and event.type() == QEvent.Type.Resize and self._fit_columns():
            self.fit()  # one column is taller than two: the pane's height again
        if watched is self.checklist.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_labels()
        return False

    def fit_labels(self) -> None:
        """Long item labels ("Pain radiating below the knee") wrap onto two lines when the rows
        would not fit the checklist's width on one (1280 and 1366 pixel screens), so the answers
        are not cut at the right; on a wide screen they stay on one line."""
        body = self.checklist.widget()
        if body is None or not self.labels:
            return
        wrapped = self.labels[0].wordWrap()
        if not wrapped:
            self._wide_width = body.minimumSizeHint().width()
        narrow = self._wide_width is not None and self.checklist.viewport().width() < self._wide_width
        if narrow == wrapped:
            return
        for label in self.labels:
            one_line = label.sizeHint().width() if not wrapped else label.minimumWidth()
            label.setWordWrap(narrow)
            # Wrapped, a label takes its one-line width up to LABEL_NARROW (a grid squeezes wrapped labels).
            label.setMinimumWidth(min(one_line, self.LABEL_NARROW) if narrow else 0)
            label.setMaximumWidth(self.LABEL_NARROW if narrow else QWIDGETSIZE_MAX)

    def _moved(self, _pos: int, _index: int) -> None:
        self._remember_share(self.sizes())
        self.fit()  # dragged past the limits: back within them

    def _remember_share(self, sizes: list[int]) -> None:
        if len(sizes) == 2 and sum(sizes) > 0:
            self.red_flag_share = sizes[1] / sum(sizes)

    def setSizes(self, sizes: Sequence[int]) -> None:
        self._remember_share(list(sizes))
        super().setSizes(sizes)
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Give the red-flag pane its share of the height, within the limits above."""
        self._fit_columns()
        total = sum(self.sizes())
        if total <= 0:
            return
        content = self.group.sizeHint().height() + 2 * self.red_flags.frameWidth()
        share = self.RED_FLAGS_DEFAULT if self.red_flag_share is None else self.red_flag_share
        pane = max(self.red_flags.minimumSizeHint().height(),
                   min(content, round(total * share), int(total * self.RED_FLAGS_MOST)))
        if self.sizes()[1] != pane:
            super().setSizes([total - pane, pane])

    def _fit_columns(self) -> bool:
        """Red flags side by side in two columns when the pane is wide enough for both, else one
        below the other (the pane then scrolls): never cut off at the right on a narrow screen.
        True if it changed the columns."""
        group, grid = self.group, self.group.layout()
        if not isinstance(grid, QGridLayout):
            return False
        cells: list[tuple[tuple[int, int], QWidget, QWidget]] = []  # (column, row), label, answer
        for index in range(grid.count()):
            position: tuple[int, int, int, int] = grid.getItemPosition(index)  # type: ignore[assignment]
            row, column, _rows, columns = position
            item, beside = grid.itemAt(index), grid.itemAtPosition(row, column + 1)
            label = item.widget() if item is not None else None
            control = beside.widget() if beside is not None else None
            if label is not None and control is not None and columns == 1 and column % 2 == 0:
                cells.append(((column // 2, row), label, control))
        if not cells:
            return False
        now = 1 + max(position[0] for position, _, _ in cells)
        if self._two_columns_width is None and now == 2:
            self._two_columns_width = group.minimumSizeHint().width()
        if self._two_columns_width is None:
            return False
        wanted = 2 if self.red_flags.viewport().width() >= self._two_columns_width else 1
        if wanted == now:
            return False
        cells.sort(key=lambda cell: cell[0])
        first_row = min(position[1] for position, _, _ in cells)
        per_column = -(-len(cells) // wanted)
        for _, label, control in cells:
            grid.removeWidget(label)
            grid.removeWidget(control)
        for n, (_, label, control) in enumerate(cells):
            column, row = divmod(n, per_column)
            grid.addWidget(label, first_row + row, 2 * column)
            grid.addWidget(control, first_row + row, 2 * column + 1)
        grid.setColumnStretch(3, 1 if wanted == 2 else 0)
        group.adjustSize()
        return True


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
        self.catalogue = catalogue or load_catalogue()
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
        self.ottawa_note = QLabel(tr(self.group_note_text))
        self.ottawa_note.setWordWrap(True)
        self.hip_callout = QLabel()
        self.hip_callout.setObjectName("hip_callout")
        self.hip_callout.setWordWrap(True)
        from ui.palette import banner_style, follow_palette

        follow_palette(self.hip_callout, lambda p: banner_style(p, "priority", "QLabel#hip_callout",
                                                                extra="padding: 4px; font-weight: bold;"))
        self.hip_callout.setAccessibleName(tr("Hip screen call-out"))
        self.hip_callout.hide()
        self.ottawa_widgets: list[QWidget] = []

        key_items = self.catalogue.key_items
        self.key_group = self._group(tr("Key items (answer these four first)"), key_items, "group_key")
        body.addWidget(self.key_group)
        yield

        red_section = self.catalogue.red_flag_section
        for section in self.catalogue.sections:
            if section.id == red_section:
                continue
            items = [i for i in self.catalogue.section_items(section.id) if not i.key]
            box = self._group(f"{section.id}. {tr(section.title)}", items, f"group_{section.id}")
            self.section_groups[section.id] = box
            body.addWidget(box)
            yield
        body.addStretch(1)

        red_flags = list(self.catalogue.red_flags)
        self.red_flag_group = self._group(
            tr("{section}. Red flags (always check)").format(section=red_section), red_flags,
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
        self.scroll_area.setAccessibleName(tr("Checklist"))
        # The red flags stay in view below the checklist, in a pane of their own that scrolls when
        # the screen is too low for all of them (see ChecklistSplitter).
        self.red_flag_pane = QScrollArea()
        self.red_flag_pane.setObjectName("red_flag_pane")
        self.red_flag_pane.setWidgetResizable(True)
        self.red_flag_pane.setFrameShape(QFrame.Shape.NoFrame)
        self.red_flag_pane.setWidget(self.red_flag_group)
        self.red_flag_pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.red_flag_pane.setAccessibleName(tr("Red flags"))
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
            label = QLabel(tr(item.short) + (" *" if item.key else ""))
            label.setBuddy(control)
            label.setToolTip(f"{tr(item.label)}\n\n{tr(item.help)}" if item.help else tr(item.label))
            control.setAccessibleDescription(tr(item.help))
            label.setObjectName(f"label_{item.id}")
            if columns > 1:  # side-by-side columns must fit a 1366-pixel screen: wrap long labels
                label.setWordWrap(True)
                label.setMaximumWidth(150)
            if item.key:
                label.setAccessibleName(tr("{label} (key item)").format(label=item.short))
            grid.addWidget(label, row + offset, 2 * column)
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
        labels = {i: (tr(self.catalogue.item(i).short).casefold(), tr(self.catalogue.item(i).label).casefold())
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
            self.ottawa_note.setText(tr(self.group_note_text))
            return True
        kept = any(self.controls[i.id].value() is not None for i in grouped)
        if kept:
            self.ottawa_note.setText(tr("{note} Answers kept although it does not apply now; they do not count. "
                                        "Set them to Not assessed if they do not apply.").format(note=tr(self.group_note_text)))
        return kept

    def _update_visibility(self) -> None:
        show_ottawa = self._ottawa_visible()
        for widget in self.ottawa_widgets:
            widget.setVisible(show_ottawa)
        facts = self._facts()
        callouts = [tr(c.text) for c in self.catalogue.callouts if c.when.test(facts)]
        self.hip_callout.setText("\n".join(callouts))
        self.hip_callout.setVisible(bool(callouts))
        section = self._callout_section()
        box = self.section_groups.get(section)
        if box is not None:
            title = next((f"{s.id}. {tr(s.title)}" for s in self.catalogue.sections if s.id == section), box.title())
            box.setTitle(title + (f" \u2014 {tr('called out for this age')}" if callouts else ""))


def form_row(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
    """Add a labelled row whose label is the widget's buddy and accessible name."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", ""))
    form.addRow(label, widget)
    return label
