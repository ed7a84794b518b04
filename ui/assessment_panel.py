"""The live assessment panel: what the findings so far point to, updated on every answer.

Shows the alert banner by tier (an icon and the tier in words, never colour alone), the direction
in words with its reason, the three scores, each contributing finding, the missing key items, the
nerve levels and the next steps. It only displays a result: a draft's live
``models.assessment.assess_findings``, or a finalized encounter's stored assessment exactly as
stored, worded by its own rule set (never re-assessed). It never decides anything itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.assessment import Assessment, ContributionResult, assess_findings
from models.case import FindingValue
from models.catalogue import Catalogue, UnknownRuleSetError, load_catalogue
from ui.i18n import QT_TRANSLATE_NOOP, shown_catalogue
from ui.palette import banner_style, follow_palette

# Presentation by tier id; an unknown tier falls back to the last entry's look.
TIER_STYLE = {  # colour only reinforces the icon and the word: (hue in ui.palette.ACCENTS, border)
    "emergency": ("danger", 2, "solid"),
    "urgent": ("urgent", 2, "solid"),
    "priority": ("priority", 1, "solid"),
    "check": ("info", 1, "dashed"),
}
TIER_ICONS = {  # names in QStyle.StandardPixmap, looked up when an alert is first shown: loading
    # the QStyle class (all its enums) costs several milliseconds at start-up otherwise
    "emergency": "SP_MessageBoxCritical",
    "urgent": "SP_MessageBoxWarning",
    "priority": "SP_MessageBoxInformation",
    "check": "SP_MessageBoxQuestion",
}

Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPanel", text)


translate = QCoreApplication.translate


def answer_text(value: FindingValue, unit: str = "") -> str:
    """An answer as the panel shows it, in the window's language (``unit`` comes worded already)."""
    from ui.answer_controls import value_label

    if isinstance(value, str):
        return value_label(value)
    from models.i18n import format_number

    return f"{format_number(value)} {unit}".strip()


class ContributionsModel(QAbstractTableModel):
    """Each finding that added or took points: finding, answer, direction, points."""

    HEADERS = (QT_TRANSLATE_NOOP("AssessmentPanel", "Finding"), QT_TRANSLATE_NOOP("AssessmentPanel", "Answer"), QT_TRANSLATE_NOOP("AssessmentPanel", "Counts towards"), QT_TRANSLATE_NOOP("AssessmentPanel", "Points"))

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self._rows: list[ContributionResult] = []

    def set_contributions(self, rows: tuple[ContributionResult, ...] | list[ContributionResult],
                          catalogue: Catalogue | None = None) -> None:
        self.beginResetModel()
        self.catalogue = catalogue or self.catalogue
        self._rows = [r for r in rows if r.item in self.catalogue.by_id]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 4:
            return tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        item = self.catalogue.item(row.item)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                item.short,
                answer_text(row.value, item.unit),
                self.catalogue.target_labels.get(row.target, row.target),
                f"{row.points:+d}",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.label
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class AssessmentPanel(QScrollArea):
    """Read-only view of the current assessment."""

    dermatome_chosen = Signal(str, str)
    """A dermatome of the leg map was clicked: (the item it answers, the answer)."""

    def __init__(self, catalogue: Catalogue | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue or shown_catalogue()
        self.assessment: Assessment | None = None   # the live assessment of a draft, else None
        self.result: Mapping[str, Any] | None = None  # what is shown, as the assess output
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName(translate("AssessmentPanel", "Live assessment"))
        # Not a Tab stop itself: its table and next steps are (see tab_stops), and focusing them
        # scrolls them into view.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = QWidget()
        layout = QVBoxLayout(body)
        self._body = layout
        self.leg_map: Any = None  # ui.leg_map_view.LegMapView, built when the first assessment is shown
        self.follow_up_box: Any = None  # ui.follow_up_view.FollowUpBox, built for the first follow-up visit
        self.findings: Mapping[str, FindingValue] = {}
        self.knee: str | None = None
        layout.setContentsMargins(6, 6, 6, 6)

        self.alert_box = QWidget()
        self.alert_box.setObjectName("alert_banner")
        self.alert_layout = QVBoxLayout(self.alert_box)
        self.alert_layout.setContentsMargins(0, 0, 0, 0)
        self.alert_rows: list[QFrame] = []
        layout.addWidget(self.alert_box)

        self.ruleset_label = self._label("ruleset")
        self.prompt_label = self._label("prompt")
        follow_palette(self.prompt_label, lambda p: banner_style(p, "info", extra="padding:4px;"))
        self.prompt_label.setAccessibleName(translate("AssessmentPanel", "Prompt"))
        self.prompt_label.hide()
        layout.addWidget(self.prompt_label)
        self.urgency_label = self._label("urgency")
        self.direction_label = self._label("direction")
        self.direction_label.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.summary_label = self._label("direction_summary")
        self.reason_label = self._label("reason")
        for w in (self.urgency_label, self.direction_label, self.summary_label, self.reason_label):
            layout.addWidget(w)

        scores = QGridLayout()
        self.score_labels: dict[str, QLabel] = {}
        self.score_names: dict[str, QLabel] = {}
        for column, target in enumerate(t.id for t in self.catalogue.targets):
            name = QLabel(self.catalogue.target_labels[target])
            value = self._label(f"score_{target}")
            value.setStyleSheet("font-size: 13pt; font-weight: bold;")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            scores.addWidget(name, 0, column)
            scores.addWidget(value, 1, column)
            self.score_labels[target] = value
            self.score_names[target] = name
        layout.addLayout(scores)

        self._contributions_heading = self._heading(translate("AssessmentPanel", "Contributing findings"))
        layout.addWidget(self._contributions_heading)
        self.contributions = ContributionsModel(self.catalogue, self)
        self.contribution_view = QTableView()
        self.contribution_view.setObjectName("contributions")
        self.contribution_view.setModel(self.contributions)
        self.contribution_view.setAccessibleName(translate("AssessmentPanel", "Contributing findings"))
        self.contribution_view.verticalHeader().hide()
        self.contribution_view.verticalHeader().setDefaultSectionSize(22)
        self.contribution_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.contribution_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contribution_view.setTabKeyNavigation(False)  # one Tab stop, never a trap: arrows move in it
        header = self.contribution_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.contribution_view.setMinimumHeight(140)
        layout.addWidget(self.contribution_view, 1)

        self.missing_label = self._label("missing_keys")
        self.levels_label = self._label("levels")
        self.next_steps_label = self._label("next_steps")
        # Reachable by Tab (and read by a screen reader on focus); its text can be selected and copied.
        self.next_steps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.next_steps_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.next_steps_label.setAccessibleName(translate("AssessmentPanel", "Next steps"))
        layout.addWidget(self.missing_label)
        layout.addWidget(self.levels_label)
        layout.addWidget(self._heading(translate("AssessmentPanel", "Next steps")))
        layout.addWidget(self.next_steps_label)
        layout.addWidget(self.ruleset_label)
        layout.addStretch(0)
        self.setWidget(body)
        self.show_findings({}, None)

    def tab_stops(self) -> list[QWidget]:
        """The panel's widgets in the window's Tab order."""
        return [self.contribution_view, self.next_steps_label]

    def _label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # catalogue text is shown literally
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-weight: bold; margin-top: 6px;")
        return label

    def show_findings(self, findings: Mapping[str, FindingValue], age: int | None,
                      knee: str | None = None) -> Assessment:
        """Assess a draft's ``findings`` for a patient of ``age`` under the current rule set and show it."""
        assessment = assess_findings(findings, age, self.catalogue, knee=knee)
        self.assessment = assessment
        self.findings, self.knee = dict(findings), knee
        self._show(assessment.to_dict(), self.catalogue, assessment.prompts)
        return assessment

    def show_stored(self, stored: Mapping[str, Any], findings: Mapping[str, FindingValue] | None = None,
                    knee: str | None = None, age: int | None = None) -> None:
        """Show a finalized encounter's assessment as stored, in its own rule set's words
        (``findings``, ``knee`` and ``age``: its stored findings, knee and the patient's age then, for
        the leg map and the wording). In another language than English the stored assessment is
        worded in it only when the same findings assessed again decide exactly what was stored
        (models.assessment.worded_in); else the stored words are shown as they are."""
        from models import i18n
        from models.assessment import worded_in

        self.findings, self.knee = dict(findings or {}), knee
        language = i18n.current_language()
        worded = worded_in(stored, self.findings, age, knee, language) if language != i18n.SOURCE_LANGUAGE else None
        try:
            catalogue = (shown_catalogue(str(stored.get("ruleset"))) if worded is not None
                         else load_catalogue(str(stored.get("ruleset"))))
        except UnknownRuleSetError:
            catalogue = self.catalogue
        self.assessment = None
        self._show(worded if worded is not None else stored, catalogue, ())

    def _show(self, result: Mapping[str, Any], catalogue: Catalogue, prompts: tuple[str, ...]) -> None:
        self.result = result
        direction = result["direction"]
        tier_labels = catalogue.tier_labels
        self._show_alerts(result, catalogue)
        urgency = result["urgency"]
        self.urgency_label.setText(translate("AssessmentPanel", "Urgency: {urgency}").format(
            urgency=translate("AssessmentPanel", "Routine") if urgency == "routine" else tier_labels.get(urgency, urgency)))
        self.prompt_label.setText("\n".join(prompts))
        self.prompt_label.setAccessibleDescription(self.prompt_label.text())
        self.prompt_label.setVisible(bool(prompts))
        self.direction_label.setText(catalogue.direction_label(direction, result.get("sources") or ()))
        self.direction_label.setAccessibleName(translate("AssessmentPanel", "Direction"))
        self.summary_label.setText(catalogue.direction_summaries.get(direction, ""))
        self.reason_label.setText(translate("AssessmentPanel", "Why: {reason}").format(reason=result["reason"]))
        for target, label in self.score_labels.items():
            value = int(result["scores"].get(target, 0))
            label.setText(f"{value:+d}" if value else "0")
            label.setAccessibleName(translate("AssessmentPanel", "{target} score").format(target=catalogue.target_labels.get(target, target)))
        self.contributions.set_contributions(
            [ContributionResult(c["item"], c["value"], c["target"], c["points"]) for c in result["contributions"]],
            catalogue)
        key_ids = {i.id for i in catalogue.key_items}
        missing = [catalogue.item(i).short for i in result["not_assessed"] if i in key_ids]
        self.missing_label.setText(
            translate("AssessmentPanel", "Key items missing: {items}").format(items=", ".join(missing)) if missing
            else translate("AssessmentPanel", "All four key items assessed.")
        )
        labels = {level.id: level.label for level in catalogue.levels}
        levels = [labels.get(lv, lv) for lv in result["levels"]]
        self.levels_label.setText(
            translate("AssessmentPanel", "Nerve levels: {levels}").format(levels=", ".join(levels)) if levels
            else translate("AssessmentPanel", "Nerve levels: none indicated")
        )
        self.next_steps_label.setText("\n".join(f"\u2022 {step}" for step in result["next_steps"]))
        self._show_map(result, labels)
        self.ruleset_label.setText(translate("AssessmentPanel", "Rule set {ruleset}").format(ruleset=result["ruleset"]))

    def _show_map(self, result: Mapping[str, Any], level_labels: Mapping[str, str]) -> None:
        """The leg map under the nerve levels: built the first time it is needed (QtSvg loads then)."""
        if self.leg_map is None:
            if not self.findings:
                return  # nothing to show yet: QtSvg loads when an encounter is first shown, not at start
            from ui.leg_map_view import LegMapView

            self.leg_map = LegMapView()
            self.leg_map.dermatome_clicked.connect(
                lambda value: self.dermatome_chosen.emit(self.leg_map.dermatome_item(), value))
            self._body.insertWidget(self._body.indexOf(self.levels_label) + 1, self.leg_map)
            self.leg_map.show()  # added after the panel was shown: not shown with it
        self.leg_map.read_only = self.assessment is None  # a stored assessment is not answered again
        self.leg_map.show_state(self.findings, result["levels"], level_labels, {}, self.knee)

    def show_follow_up(self, data: Mapping[str, Any] | None) -> None:
        """Since the visit before (models.follow_up.FollowUp.to_dict), or None for a first visit."""
        if data is None:
            if self.follow_up_box is not None:
                self.follow_up_box.hide()
            return
        if self.follow_up_box is None:
            from ui.follow_up_view import FollowUpBox

            self.follow_up_box = FollowUpBox()
            # Under the scores: on a follow-up visit what changed comes before why.
            self._body.insertWidget(self._body.indexOf(self._contributions_heading), self.follow_up_box)
        try:
            catalogue = shown_catalogue(str(data["now"].get("ruleset") or ""))
        except UnknownRuleSetError:
            catalogue = self.catalogue
        self.follow_up_box.show_follow_up(data, catalogue)
        self.follow_up_box.show()

    def _show_alerts(self, result: Mapping[str, Any], catalogue: Catalogue) -> None:
        for row in self.alert_rows:
            self.alert_layout.removeWidget(row)
            row.deleteLater()
        self.alert_rows = []
        steps = result["next_steps"]
        for alert in result["alerts"]:
            action, _ = catalogue.action_given(alert["id"], steps)
            word = catalogue.tier_labels.get(alert["tier"], alert["tier"].upper())
            self.alert_rows.append(self._alert_row(alert["id"], alert["tier"], word, alert["text"], action))
            self.alert_layout.addWidget(self.alert_rows[-1])
        self.alert_box.setVisible(bool(result["alerts"]))

    def _alert_row(self, alert_id: str, tier: str, word: str, text: str, action: str) -> QFrame:
        """One alert: an icon, the tier in words, the text and the action (colour only reinforces)."""
        row = QFrame()
        row.setObjectName(f"alert_{alert_id}")
        row.setProperty("tier", tier)
        hue, width, line = TIER_STYLE.get(tier, TIER_STYLE["priority"])
        follow_palette(row, lambda p: banner_style(p, hue, f"QFrame#alert_{alert_id}", width, line=line))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 4, 6, 4)
        icon = QLabel()
        from PySide6.QtWidgets import QStyle

        pixmap = getattr(QStyle.StandardPixmap, TIER_ICONS.get(tier, TIER_ICONS["priority"]))
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(22, 22))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        label = QLabel(f"{word}: {text}" + (f"\n\u2192 {action}" if action else ""))
        label.setObjectName("alert_text")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setStyleSheet("border: none; background: transparent;")
        icon.setStyleSheet("border: none; background: transparent;")
        layout.addWidget(icon, 0)
        layout.addWidget(label, 1)
        row.setAccessibleName(translate("AssessmentPanel", "{tier} alert").format(tier=word))
        row.setAccessibleDescription(label.text())
        return row

    def alert_ids(self) -> list[str]:
        return [a["id"] for a in self.result["alerts"]] if self.result else []
