"""The checklist's answer controls: :class:`ChoiceRow` (one Tab stop; its answers are radio buttons
drawn as buttons, in a group named by the question; digits, first letters, arrows, 0 or Delete choose)
and :class:`NumberField` (a spin box whose lowest position reads "Not assessed"). Both keep "Not
assessed" distinct from "No", and both say when a key answered (the editor may move on, or undo).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleInterface, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAccessibleWidget,
    QButtonGroup,
    QDoubleSpinBox,
    QRadioButton,
    QSizePolicy,
    QWidget,
)

from models.case import FindingValue
from models.catalogue import Item
from ui.flow_layout import FlowLayout
from ui.palette import fill_for, follow_palette, mix, readable

NOT_ASSESSED = 0  # button id of "Not assessed"; answer n of the item has id n + 1 (Qt reserves -1)

translate = QCoreApplication.translate


def value_label(value: str) -> str:
    """The on-screen word for a catalogue answer ("yes" -> "Yes", "L4" stays "L4"), in the window's
    language (the rule sets' answers are translated with them, models.i18n)."""
    from models import i18n

    return i18n.pgettext_in(i18n.current_language(), "answer", value[:1].upper() + value[1:])


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
        layout = FlowLayout(self)  # the answers wrap onto a second line rather than scroll sideways
        layout.setContentsMargins(2, 1, 2, 1)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QRadioButton] = {}
        for button_id, text in [(NOT_ASSESSED, translate("EncounterEditor", "Not assessed"))] + [
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
        self.setAccessibleDescription(translate("EncounterEditor", "Not assessed") if value is None else value_label(value))

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
        self.setSpecialValueText(translate("EncounterEditor", "Not assessed"))
        if item.unit:
            self.setSuffix(f" {item.unit}")
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
