"""Every action of the window in one table, and ONE rule for which are enabled.

:func:`enabled` is a pure function of a :class:`Context` (the session's state plus the few window
facts it does not own), so the rule is tested as a table without a window; the window only applies
its answer to its QActions and buttons.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, NamedTuple

from ui.encounter_session import SessionState
from ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from ui.main_window import MainWindow


class ActionSpec(NamedTuple):
    name: str
    """The QAction's objectName and the attribute ``<name>_action`` on the window."""
    text: str
    slot: str
    """The window's method the action triggers."""
    shortcut: str | None
    """A QKeySequence.StandardKey name ("std:Save") or a key string ("Ctrl+L")."""
    menu: str
    toolbar: bool


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("find", QT_TRANSLATE_NOOP("MainWindow", "&Find patient"), "focus_search", "std:Find", "file", False),
    ActionSpec("new_patient", QT_TRANSLATE_NOOP("MainWindow", "New &patient\u2026"), "new_patient", "Ctrl+Shift+N", "file", False),
    ActionSpec("settings", QT_TRANSLATE_NOOP("MainWindow", "Se&ttings\u2026"), "edit_settings", None, "file", False),
    ActionSpec("lock", QT_TRANSLATE_NOOP("MainWindow", "&Lock now"), "lock_now", "Ctrl+L", "file", False),
    ActionSpec("quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), "close", "Ctrl+Q", "file", False),  # std:Quit is empty without a desktop theme
    ActionSpec("new_encounter", QT_TRANSLATE_NOOP("MainWindow", "&New encounter"), "new_encounter", "std:New", "encounter", True),
    ActionSpec("save", QT_TRANSLATE_NOOP("MainWindow", "&Save"), "save", "std:Save", "encounter", True),
    ActionSpec("finalize", QT_TRANSLATE_NOOP("MainWindow", "&Finalize\u2026"), "finalize", "Ctrl+Shift+F", "encounter", True),
    ActionSpec("amend", QT_TRANSLATE_NOOP("MainWindow", "&Amend\u2026"), "amend", None, "encounter", True),
    ActionSpec("preview", QT_TRANSLATE_NOOP("MainWindow", "Pre&view summary"), "show_preview", "Ctrl+Shift+V", "encounter", True),
    ActionSpec("print", QT_TRANSLATE_NOOP("MainWindow", "&Print summary\u2026"), "print_summary", "std:Print", "encounter", True),
    ActionSpec("export", QT_TRANSLATE_NOOP("MainWindow", "&Export\u2026"), "export_summary", "Ctrl+E", "encounter", True),
    ActionSpec("send", QT_TRANSLATE_NOOP("MainWindow", "Sen&d to record system"), "send_summary", "Ctrl+Shift+E", "encounter", False),
    ActionSpec("goto_checklist", QT_TRANSLATE_NOOP("MainWindow", "Go to the &checklist"), "go_checklist", "Ctrl+1", "go", False),
    ActionSpec("goto_red_flags", QT_TRANSLATE_NOOP("MainWindow", "Go to the &red flags"), "go_red_flags", "Ctrl+2", "go", False),
    ActionSpec("goto_notes", QT_TRANSLATE_NOOP("MainWindow", "Go to the &notes"), "go_notes", "Ctrl+3", "go", False),
    ActionSpec("goto_item", QT_TRANSLATE_NOOP("MainWindow", "&Go to finding\u2026"), "go_item", "Ctrl+G", "go", False),
    ActionSpec("red_flags_no", QT_TRANSLATE_NOOP("MainWindow", "Red flags not asked &yet: No\u2026"), "red_flags_no", "Ctrl+Shift+R", "go", False),
    ActionSpec("undo_answer", QT_TRANSLATE_NOOP("MainWindow", "&Undo the last answer given by key"), "undo_answer", "Ctrl+Z", "go", False),
    ActionSpec("sign_out", QT_TRANSLATE_NOOP("MainWindow", "Sign &out / switch clinician\u2026"), "sign_out", None, "file", False),
    ActionSpec("shortcuts", QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"), "show_shortcuts", "F1", "help", False),
    ActionSpec("about", QT_TRANSLATE_NOOP("MainWindow", "&About KneeCheck"), "show_about", None, "help", False),
    ActionSpec("who_saw", QT_TRANSLATE_NOOP("MainWindow", "&Who saw this patient\u2026"), "who_saw_patient", None, "encounter", False),
)


@dataclasses.dataclass(frozen=True)
class Context:
    session: SessionState = SessionState()
    signed_in: bool = False
    has_store: bool = False
    has_patient: bool = False
    sending: bool = False
    has_destination: bool = False


def enabled(ctx: Context) -> dict[str, bool]:
    """Which actions may be triggered now. Signed out or locked: nothing that reaches patient data
    (or settings). A save or finalize in flight: no second finalize or amend until it lands (Save
    stays: it is queued and saves what the editor shows then)."""
    s = ctx.session
    unlocked = ctx.signed_in and not s.locked
    ready = unlocked and ctx.has_store
    editing = ready and s.editing
    summary = editing  # a new draft is saved first
    return {
        "find": unlocked,
        "new_patient": ready,
        "settings": unlocked,
        "lock": unlocked,
        "quit": True,
        "new_encounter": ready and ctx.has_patient,
        "save": editing and not s.final,
        "finalize": editing and not s.final and not s.saving,
        "amend": ready and s.final and not s.superseded and not s.saving,
        "preview": summary,
        "print": summary,
        "export": summary,
        "send": summary and ctx.has_destination and not ctx.sending,
        "goto_checklist": editing,
        "goto_red_flags": editing,
        "goto_notes": editing,
        "goto_item": editing,
        "red_flags_no": editing and not s.final,
        "undo_answer": editing and not s.final,
        "sign_out": unlocked,
        "shortcuts": True,
        "about": True,
        "who_saw": ready and ctx.has_patient,
        # buttons of the patient side
        "edit_patient": ready and ctx.has_patient,
    }


def build(window: MainWindow) -> dict[str, QAction]:
    """One QAction per :data:`ACTIONS` row, in the window's menus (and toolbar), triggering the
    window's method; also set as ``window.<name>_action``. Returned by name."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QAction, QKeySequence

    translate = QCoreApplication.translate

    def tr(text: str) -> str:  # the ACTIONS texts, declared with QT_TRANSLATE_NOOP("MainWindow", ...)
        return translate("MainWindow", text)

    menus = {"file": window.menuBar().addMenu(translate("MainWindow", "&File")), "encounter": window.menuBar().addMenu(translate("MainWindow", "&Encounter")),
             "go": window.menuBar().addMenu(translate("MainWindow", "&Go"))}
    menus["help"] = window.menuBar().addMenu(translate("MainWindow", "&Help"))
    toolbar = window.addToolBar(translate("MainWindow", "Encounter"))
    toolbar.setObjectName("encounter_toolbar")
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(window)  # QAction(text, parent) would make PySide create QIcon's enums (~1.5 ms)
        action.setText(tr(spec.text))
        action.setObjectName(spec.name)
        # Neither call resolves QKeySequence's constructor overloads (which would create the Qt namespace).
        if spec.shortcut and spec.shortcut.startswith("std:"):
            action.setShortcuts(getattr(QKeySequence.StandardKey, spec.shortcut[4:]))
        elif spec.shortcut:
            action.setShortcuts(QKeySequence.listFromString(spec.shortcut))
        action.triggered.connect(lambda _checked=False, slot=spec.slot: getattr(window, slot)())
        setattr(window, f"{spec.name}_action", action)
        actions[spec.name] = action
        menus[spec.menu].addAction(action)
        if spec.toolbar:
            toolbar.addAction(action)
    menus["file"].insertAction(actions["quit"], actions["sign_out"])  # signing out comes before Quit
    _summary_language_menu(window, menus["encounter"], actions["export"])
    actions["export"].setToolTip(translate("MainWindow", "Export the encounter: PDF/A summary, FHIR R4 Bundle or HL7 v2 message"))
    return actions


def _summary_language_menu(window: MainWindow, menu: Any, before: Any) -> None:
    """Encounter > Summary language: the language the next previews, prints and exports are made in
    (the window's by default); kept until changed, for this window only."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QAction, QActionGroup

    from models import i18n

    translate = QCoreApplication.translate
    sub = menu.addMenu(translate("MainWindow", "Summary &language"))
    sub.setObjectName("summary_language_menu")
    menu.insertMenu(before, sub)
    group = QActionGroup(window)
    group.setExclusive(True)
    window_language = i18n.current_language()
    choices: list[tuple[str | None, str]] = [(None, translate("MainWindow", "As the window ({language})").format(
        language=i18n.language_name(window_language)))]
    choices += [(code, i18n.language_name(code)) for code in i18n.available_languages()]
    for code, text in choices:
        action = QAction(text, window)
        action.setCheckable(True)
        action.setChecked(code is None)
        action.setObjectName(f"summary_language_{code or 'window'}")
        action.triggered.connect(lambda _checked=False, code=code: setattr(window.summary, "language", code))
        group.addAction(action)
        sub.addAction(action)
