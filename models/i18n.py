"""Languages for what models/ and reports/ say: gettext catalogues and Babel, never Qt.

The window's own strings go through Qt's translators (ui/i18n.py); everything worded by a rule set
(questions, help, answers, alerts, next steps, reasons) and every label of the printed summary goes
through the gettext domain ``kneecheck``: ``resources/locale/<lang>/LC_MESSAGES/kneecheck.po`` is the
source, the ``.mo`` beside it is built at set-up (``make translations``), never committed.

Stored data stays language-free: an encounter keeps ids and values, and its assessment is the rule
set's own (English) wording. A translated text is made where it is shown or printed, for the
language asked there: :func:`language` sets it for one block (a print in French from a German
window), :func:`set_default_language` for the process (the window's choice).

``$KNEECHECK_TRANSLATIONS`` names one more folder, searched first, laid out like
``resources/locale`` (a translator's preview without rebuilding; the pseudo-locale test).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext as _gettext
import logging
import os
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "kneecheck"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"
EXTRA_DIR_VARIABLE = "KNEECHECK_TRANSLATIONS"
SOURCE_LANGUAGE = "en"
# The languages KneeCheck ships, by their own names (what Settings offers).
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Fran\u00e7ais", "es": "Espa\u00f1ol"}

_default = SOURCE_LANGUAGE
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("kneecheck_language", default=None)


def locale_dirs() -> list[Path]:
    extra = os.environ.get(EXTRA_DIR_VARIABLE)
    return ([Path(extra)] if extra else []) + [LOCALE_DIR]


def has_catalogue(lang: str) -> bool:
    """True when a built ``.mo`` for ``lang`` is found (English needs none)."""
    return lang == SOURCE_LANGUAGE or any((d / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file() for d in locale_dirs())


def available_languages() -> tuple[str, ...]:
    """The shipped languages whose catalogues are built, then any extra one (a preview)."""
    found = [code for code in LANGUAGES if has_catalogue(code)]
    extra = os.environ.get(EXTRA_DIR_VARIABLE)
    if extra and Path(extra).is_dir():
        found += sorted(p.name for p in Path(extra).iterdir()
                        if p.name not in found and (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file())
    return tuple(found)


def language_name(lang: str) -> str:
    return LANGUAGES.get(lang, lang)


def normalize(name: str | None) -> str:
    """A language code from a locale name: "de_DE.UTF-8" -> "de", "C" or "" -> "en"; a language
    KneeCheck has no catalogue for -> "en"."""
    code = (name or "").split(".")[0].split("@")[0].replace("-", "_")
    if code in ("", "C", "POSIX"):
        return SOURCE_LANGUAGE
    for candidate in (code, code.split("_")[0].lower()):
        if has_catalogue(candidate):
            return candidate
    return SOURCE_LANGUAGE


def system_language() -> str | None:
    """The language of the locale variables (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, in the order gettext
    reads them) when KneeCheck has it, "en" for one it has not, None when none is set."""
    seen = False
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for name in os.environ.get(variable, "").split(":"):  # LANGUAGE may list several: the first KneeCheck has
            if name:
                seen = True
                if normalize(name) != SOURCE_LANGUAGE or name.split("_")[0].split(".")[0] == SOURCE_LANGUAGE:
                    return normalize(name)
    return SOURCE_LANGUAGE if seen else None


def chosen_language(setting: str = "") -> str:
    """The workstation's Settings choice when KneeCheck has that language, else the system's, else
    English."""
    if setting and has_catalogue(setting):
        return setting
    return system_language() or SOURCE_LANGUAGE


@functools.cache
def translation(lang: str) -> _gettext.NullTranslations:
    """The gettext catalogue of ``lang``; English (the source) and a language without a built
    catalogue give the untranslated texts (the latter logged once)."""
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    for folder in locale_dirs():
        path = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if path.is_file():
            with path.open("rb") as handle:
                return _gettext.GNUTranslations(handle)
    log.warning("no %s catalogue built for language %r: texts stay in English (run make translations)", DOMAIN, lang)
    return _gettext.NullTranslations()


def set_default_language(lang: str) -> None:
    """The process's language (the window's), used where no :func:`language` block is open."""
    global _default
    _default = lang


def current_language() -> str:
    return _current.get() or _default


@contextlib.contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Texts in this block are in ``lang`` (None: the current language)."""
    chosen = lang or current_language()
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def _(text: str) -> str:
    """``text`` in the current language."""
    return translation(current_language()).gettext(text)


def N_(text: str) -> str:
    """Marks ``text`` for extraction where it is declared; it is translated where shown, by :func:`_`."""
    return text


def pgettext(context: str, text: str) -> str:
    return translation(current_language()).pgettext(context, text)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation(current_language()).ngettext(singular, plural, n)


def gettext_in(lang: str, text: str) -> str:
    return translation(lang).gettext(text)


def pgettext_in(lang: str, context: str, text: str) -> str:
    return translation(lang).pgettext(context, text)


def join_words(words: list[str], lang: str | None = None) -> str:
    """"a", "a and b", "a, b and c" in ``lang`` (the current language by default)."""
    if len(words) <= 1:
        return "".join(words)
    pattern = translation(lang or current_language()).pgettext("list of words", "{first} and {last}")
    return pattern.format(first=", ".join(words[:-1]), last=words[-1])


def _babel_locale(lang: str) -> str:
    return lang if lang in LANGUAGES else SOURCE_LANGUAGE


def format_date(value: dt.date, lang: str | None = None) -> str:
    """A calendar date as the language writes it. English keeps ISO 8601 (2026-12-03), the form the
    English summary always printed; the others take Babel's medium form (03.12.2026, 3 déc. 2026)."""
    lang = lang or current_language()
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return value.isoformat()
    from babel.dates import format_date as babel_date

    return str(babel_date(value, format="medium", locale=_babel_locale(lang)))


def format_datetime(value: dt.datetime, lang: str | None = None) -> str:
    """A time stamp to the minute as the language writes it (English: 2026-12-03 14:05)."""
    lang = lang or current_language()
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return value.strftime("%Y-%m-%d %H:%M")
    from babel.dates import format_date as babel_date
    from babel.dates import format_time as babel_time

    locale = _babel_locale(lang)
    return f"{babel_date(value, format='medium', locale=locale)} {babel_time(value, format='short', locale=locale)}"


def format_number(value: float | int, lang: str | None = None) -> str:
    """A number with the language's decimal sign (1.5 -> "1,5" in German)."""
    lang = lang or current_language()
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return f"{value:g}" if isinstance(value, float) else str(value)
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_babel_locale(lang)))
