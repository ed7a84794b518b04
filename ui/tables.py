"""Qt item models for the window's lists: patients found by the search, a patient's encounters.

Both hold only what the store returned for one query (a limited search, one patient's
encounters); searching and sorting happen in SQL, never by loading every row into Qt.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from models.catalogue import Catalogue, UnknownRuleSetError
from ui.i18n import QT_TRANSLATE_NOOP, shown_catalogue

Index = QModelIndex | QPersistentModelIndex
RecordRole = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("Tables", text)


translate = QCoreApplication.translate


class RecordTable(QAbstractTableModel):
    """A read-only table of frozen records; subclasses name the columns and format the cells."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_records(self, records: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self._rows[row]

    def records(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(record, index.column())
        if role == RecordRole:
            return record
        return None

    def cell(self, record: Any, column: int) -> str:
        raise NotImplementedError


class PatientTable(RecordTable):
    HEADERS = (QT_TRANSLATE_NOOP("Tables", "Name"), QT_TRANSLATE_NOOP("Tables", "MRN"), QT_TRANSLATE_NOOP("Tables", "Birth date"))

    def cell(self, record: Any, column: int) -> str:
        if column == 0:
            return f"{record.family_name}, {record.given_name}" if record.given_name else str(record.family_name)
        if column == 1:
            return str(record.mrn)
        return str(record.birth_date.isoformat())


KNEE_WORDS = {"left": QT_TRANSLATE_NOOP("Tables", "Left"), "right": QT_TRANSLATE_NOOP("Tables", "Right"),
              "both": QT_TRANSLATE_NOOP("Tables", "Both")}
URGENCY_WORDS = {"routine": QT_TRANSLATE_NOOP("Tables", "Routine"), "check": QT_TRANSLATE_NOOP("Tables", "Check"),
                 "priority": QT_TRANSLATE_NOOP("Tables", "Priority"), "urgent": QT_TRANSLATE_NOOP("Tables", "Urgent"),
                 "emergency": QT_TRANSLATE_NOOP("Tables", "Emergency")}
STATUS_WORDS = {"draft": QT_TRANSLATE_NOOP("Tables", "Draft"), "final": QT_TRANSLATE_NOOP("Tables", "Finalized")}


class EncounterTable(RecordTable):
    """A patient's encounters, newest first as the store returns them. Each is labelled by its
    number ("#12", the number the editor's status line and the amendment texts use), and its status
    says which encounter it amends or was amended by, by that number."""

    HEADERS = (QT_TRANSLATE_NOOP("Tables", "Date"), QT_TRANSLATE_NOOP("Tables", "Knee"), QT_TRANSLATE_NOOP("Tables", "Direction"), QT_TRANSLATE_NOOP("Tables", "Urgency"), QT_TRANSLATE_NOOP("Tables", "Status"), QT_TRANSLATE_NOOP("Tables", "No."))

    def cell(self, record: Any, column: int) -> str:
        if column == 0:
            return str(record.date.isoformat())
        if column == 1:
            return tr(KNEE_WORDS.get(str(record.knee), str(record.knee).capitalize()))
        if column == 2:
            return _catalogue_for(record.ruleset).direction_label(record.direction) if record.direction else ""
        if column == 3:
            return tr(URGENCY_WORDS.get(str(record.urgency), str(record.urgency).capitalize())) if record.urgency else ""
        if column == 5:
            return label(record.id)
        status = tr(STATUS_WORDS.get(record.status, str(record.status)))
        if record.amends_id is not None:
            status += ", " + translate("Tables", "amends {number}").format(number=label(record.amends_id))
        if record.amended_by_id is not None and record.amended_by_final:
            status += ", " + translate("Tables", "amended by {number}").format(number=label(record.amended_by_id))
        elif record.amended_by_id is not None:  # still the signed record until the amendment is signed
            status += ", " + translate("Tables", "amendment {number} in progress").format(number=label(record.amended_by_id))
        return status


def label(encounter_id: int) -> str:
    """How the lists name an encounter: its number."""
    return translate("Tables", "#{number}").format(number=encounter_id)


def _catalogue_for(ruleset: str) -> Catalogue:
    """An encounter is labelled in the words of the rule set it was assessed with."""
    try:
        return shown_catalogue(ruleset or None)
    except UnknownRuleSetError:
        return shown_catalogue()
