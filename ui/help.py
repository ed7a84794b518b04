"""The Help menu's two dialogs: the keyboard shortcuts and About KneeCheck.

The shortcuts are read from :data:`ui.actions.ACTIONS`, the table the window builds its actions
from, so the list cannot go stale. About names the version, the rule set of the loaded catalogue,
and the licences of the fonts bundled in ``resources/fonts`` (read from their licence files) and of
the main libraries (read from their installed package metadata).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui import actions
from ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from importlib.metadata import PackageMetadata

    from PySide6.QtGui import QKeySequence

FONT_DIR = Path(__file__).resolve().parent.parent / "resources" / "fonts"
# The libraries KneeCheck is built on, by their distribution names, with what they do for it.
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", QT_TRANSLATE_NOOP("Help", "Qt for Python: the window")),
    ("PySide6_Pdf", QT_TRANSLATE_NOOP("Help", "Qt PDF: the summary preview")),
    ("shiboken6", QT_TRANSLATE_NOOP("Help", "Qt for Python bindings")),
    ("SQLAlchemy", QT_TRANSLATE_NOOP("Help", "database access")),
    ("alembic", QT_TRANSLATE_NOOP("Help", "database migrations")),
    ("psycopg", QT_TRANSLATE_NOOP("Help", "PostgreSQL driver")),
    ("reportlab", QT_TRANSLATE_NOOP("Help", "the printed summary")),
    ("pikepdf", QT_TRANSLATE_NOOP("Help", "archival PDF/A summaries")),
    ("argon2-cffi", QT_TRANSLATE_NOOP("Help", "password hashing")),
    ("platformdirs", QT_TRANSLATE_NOOP("Help", "where files are kept")),
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


translate = QCoreApplication.translate


def without_mnemonic(text: str) -> str:
    """A menu text as read aloud: "&Save" -> "Save", "Fish && chips" -> "Fish & chips"."""
    return re.sub(r"&(.)", r"\1", text).removesuffix("\u2026")


def key_sequences(shortcut: str) -> list[QKeySequence]:
    """The key sequences of an ActionSpec's ``shortcut`` ("std:Save" or "Ctrl+L"), as build() sets them."""
    from PySide6.QtGui import QKeySequence

    if shortcut.startswith("std:"):
        return list(QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, shortcut[4:])))
    return list(QKeySequence.listFromString(shortcut))


def shortcut_rows() -> list[tuple[str, str]]:
    """(what, keys) for every action of :data:`ui.actions.ACTIONS` that has a shortcut on this
    platform, in table order; the keys as this platform writes them."""
    from PySide6.QtGui import QKeySequence

    rows = []
    for spec in actions.ACTIONS:
        if not spec.shortcut:
            continue
        # Keys with a modifier or a function key: a standard key may also be bound to a media key of
        # its own name ("Find", "Save"), which no keyboard in an exam room has.
        keys = [text for k in key_sequences(spec.shortcut) if (text := k.toString(QKeySequence.SequenceFormat.NativeText))
                and ("+" in text or (text.startswith("F") and text[1:].isdigit()))]
        if keys:  # a standard key this platform binds to nothing is no shortcut here
            rows.append((without_mnemonic(QCoreApplication.translate("MainWindow", spec.text)), translate("Help", " or ").join(keys)))
    return rows


@dataclass(frozen=True)
class Licence:
    name: str
    version: str
    licence: str
    role: str = ""


def font_licences(folder: Path = FONT_DIR) -> list[Licence]:
    """One row per bundled font licence file (``LICENSE-*.txt``, Debian copyright format): the
    upstream name and the licence of its ``Files: *`` stanza."""
    found = []
    for path in sorted(folder.glob("LICENSE-*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        name = re.search(r"^Upstream-Name:\s*(.+)$", text, re.MULTILINE)
        stanza = re.search(r"^Files:\s*\*\s*$(.*?)^License:\s*(.+?)\s*$", text, re.MULTILINE | re.DOTALL)
        found.append(Licence(name.group(1).strip() if name else path.stem.removeprefix("LICENSE-"), "",
                             stanza.group(2) if stanza else translate("Help", "see {file}").format(file=path.name),
                             path.name))
    return found


def library_licences(names: tuple[tuple[str, str], ...] = LIBRARIES) -> list[Licence]:
    """Each library's version and licence from its installed metadata (License-Expression, else a
    short License field, else its licence classifier)."""
    import importlib.metadata as md

    found = []
    for name, role in names:
        try:
            meta = md.metadata(name)
        except md.PackageNotFoundError:
            continue  # not installed here (an optional driver): nothing to name
        licence = _meta(meta, "License-Expression")
        if not licence:
            field = _meta(meta, "License")
            licence = field.splitlines()[0] if field and len(field.splitlines()[0]) <= 80 else ""
        if not licence:
            classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = ", ".join(classifiers) or translate("Help", "not stated in its metadata")
        found.append(Licence(_meta(meta, "Name") or name, _meta(meta, "Version"), licence, role))
    return found


def _meta(meta: PackageMetadata, key: str) -> str:
    return str(meta[key]).strip() if key in meta and meta[key] is not None else ""


def about_text(ruleset: str) -> str:
    """What About KneeCheck says, as plain text."""
    from models import APP_NAME, APP_VERSION

    lines = [translate("Help", "{app} {version}").format(app=APP_NAME, version=APP_VERSION),
             translate("Help", "Rule set: {ruleset}").format(ruleset=ruleset),
             translate("Help", "Decision support, not a diagnosis."), "", translate("Help", "Bundled fonts:")]
    lines += [f"\u2022 {f.name}: {f.licence} ({f.role})" for f in font_licences()]
    lines += ["", translate("Help", "Libraries (Qt {qt} is bundled in the PySide6 packages, under their licence):").format(qt=qVersion())]
    lines += [f"\u2022 {lib.name} {lib.version}: {lib.licence} \u2014 {tr(lib.role)}" for lib in library_licences()]
    return "\n".join(lines)


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut of the window, from the action table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(translate("Help", "Keyboard shortcuts"))
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels([translate("Help", "Action"), translate("Help", "Keys")])
        for what, keys in shortcut_rows():
            row = [QStandardItem(what), QStandardItem(keys)]
            for item in row:
                item.setEditable(False)
            self.model.appendRow(row)
        self.table = QTableView()
        self.table.setObjectName("shortcuts_table")
        self.table.setAccessibleName(translate("Help", "Keyboard shortcuts"))
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the Close button
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        _layout(self, self.table)
        self.resize(460, 420)


class AboutDialog(QDialog):
    def __init__(self, ruleset: str, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(translate("Help", "About KneeCheck"))
        self.text = QLabel(about_text(ruleset))
        self.text.setObjectName("about_text")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.setAccessibleName(translate("Help", "About KneeCheck"))
        _layout(self, self.text)


def _layout(dialog: QDialog, body: QWidget) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    buttons.accepted.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body, 1)
    layout.addWidget(buttons)
