"""The window's language: Qt's translators for ui/ and the gettext language for models/ and reports/.

The language is the workstation's Settings choice, else the system locale (``LANG``, ``LC_ALL``...),
else English. :func:`install` loads, for that language, KneeCheck's own ``kneecheck_<lang>.qm``
(built from resources/translations/*.ts at set-up) and Qt's ``qtbase_<lang>.qm`` (the standard
buttons and dialogs, shipped in the PySide6 wheel), and sets the same language for the rule sets'
wording and the summary (models.i18n). ``$KNEECHECK_TRANSLATIONS`` names one more folder, searched
first (a translator's preview; the pseudo-locale test).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from models import i18n
from models.catalogue import Catalogue, load_catalogue

log = logging.getLogger(__name__)

TS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
_installed: list[QTranslator] = []


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for extraction under ``context``; translated where shown."""
    return text


def chosen_language(setting: str = "") -> str:
    """The Settings choice when KneeCheck has that language, else the system locale's (the locale
    variables, else Qt's idea of the system locale), else English."""
    if setting and i18n.has_catalogue(setting):
        return setting
    return i18n.system_language() or i18n.normalize(QLocale.system().name())


def _qm_dirs() -> list[Path]:
    extra = os.environ.get(i18n.EXTRA_DIR_VARIABLE)
    return ([Path(extra)] if extra else []) + [TS_DIR]


def install(lang: str) -> str:
    """Load the translators of ``lang`` into the application (replacing any loaded before) and set
    it for models/ and reports/. Returns the language in use."""
    app = QCoreApplication.instance()
    for old in _installed:
        if app is not None:
            app.removeTranslator(old)
    _installed.clear()
    i18n.set_default_language(lang)
    if lang == i18n.SOURCE_LANGUAGE:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        return lang
    QLocale.setDefault(QLocale(lang))
    own = QTranslator()
    if not any(own.load(f"kneecheck_{lang}", str(folder)) for folder in _qm_dirs()):
        log.warning("no window translation built for %r (run make translations): the window stays in English", lang)
    else:
        _installed.append(own)
    qt = QTranslator()
    if qt.load(QLocale(lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt)
    if app is not None:
        for translator in _installed:
            app.installTranslator(translator)
    return lang


def shown_catalogue(ruleset: str | None = None) -> Catalogue:
    """A rule set worded in the window's language, for showing only: assessments that are stored
    are made by models/ with the rule set's own wording."""
    from models.catalogue import CatalogueError

    try:
        return load_catalogue(ruleset, i18n.current_language())
    except CatalogueError:  # a translation whose template a translator broke: the rule set's own words
        log.exception("rule set %s in %s does not load: shown in its own words", ruleset, i18n.current_language())
        return load_catalogue(ruleset)
