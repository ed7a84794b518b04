"""Workstation settings, in one Qt-free place read by the window and the command line alike: the
clinic letterhead, default clinician, paper size, idle lock time, and where records go (the MRN
identifier system, the HL7 facility and MLLP destination); defaults, version, validation, migration.

The file is where ``QSettings("KneeCheck", APP_NAME)`` kept them on Linux, so an existing
workstation keeps its values: ``$XDG_CONFIG_HOME/KneeCheck/KneeCheck.conf`` (``~/.config`` when the
variable is unset or not absolute), in the INI dialect QSettings reads and writes: sections
``[General]`` (``settings_version``), ``[workstation]`` (the settings) and ``[session]`` (the
open-draft marker and the last clinician), values escaped the way QSettings escapes them. Keys this
release does not know are kept as they were. Writes go to a temporary file first and replace the old
one atomically, owner-only (models/files.py).

The file is plain text, so it never holds patient data (no recent patients, no searches); the only
encounter-related value is the id of a draft open at the last start (a number, not patient data),
written when a draft is opened or closed, never on a keystroke; and the name of the last clinician
who signed in here (a clinician's name is not patient data; it saves typing it at every sign-in).

Why nearly 500 lines: about half is the reader and writer of QSettings' INI dialect (its escapes and
@-types), kept byte for byte compatible with what QSettings wrote; split off it would be a second
module that only this one uses.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from models import APP_NAME
from models.files import FileWriteError, write_private_file
from models.hl7_terms import DESTINATION_RULE, facility_default, identifier_problem, split_destination

SETTINGS_VERSION = 1
PAPER_SIZES = ("A4", "Letter")
# The window hides all patient data after this many minutes without keyboard or mouse input.
IDLE_LOCK_MINUTES_RANGE = (1, 60)
ORGANIZATION = "KneeCheck"
GENERAL, WORKSTATION, SESSION = "General", "workstation", "session"
log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting that is not valid: ``field`` is the Settings field (data, for the dialog to focus
    it), ``message`` says why in words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Settings:
    clinic_name: str = ""
    clinic_address: str = ""
    default_clinician: str = ""
    paper: str = "A4"
    idle_lock_minutes: int = 10
    # Records that travel: the FHIR identifier system of the clinic's MRNs, the HL7 sending facility
    # (also the MRN's assigning authority) and where "Send to record system" delivers (HOST:PORT).
    mrn_system: str = ""
    facility: str = ""
    mllp_destination: str = ""
    # A key that answers a checklist item moves the focus to the next one.
    advance_on_answer: bool = True
    # The window's language ("de", "fr", "es", "en"); empty: the system locale's. Summaries are
    # printed in it unless another is chosen for a print.
    language: str = ""

    def letterhead(self) -> dict[str, str] | None:
        if not (self.clinic_name or self.clinic_address):
            return None
        return {"clinic_name": self.clinic_name, "clinic_address": self.clinic_address}

    def mrn_system_or_default(self) -> str:
        """This workstation's MRN system, else ``$KNEECHECK_MRN_SYSTEM``, else the placeholder."""
        from models.fhir_terms import mrn_system_default  # it loads the rule sets: not before the first frame

        return self.mrn_system or mrn_system_default()

    def facility_or_default(self) -> str:
        """This workstation's HL7 facility, else ``$KNEECHECK_FACILITY``, else KNEECHECK."""
        return self.facility or facility_default()

    def problems(self) -> list[SettingsError]:
        """Every field that is not valid, in field order (empty: all valid)."""
        found = (field_problem(f.name, getattr(self, f.name)) for f in fields(self))
        return [problem for problem in found if problem is not None]

    def validated(self) -> Settings:
        """These settings; :class:`SettingsError` for the first field that is not valid."""
        problems = self.problems()
        if problems:
            raise problems[0]
        return self


DEFAULTS = Settings()
FIELD_NAMES = tuple(f.name for f in fields(Settings))


def _paper(value: object) -> str | None:
    return None if value in PAPER_SIZES else f"The paper size must be one of {', '.join(PAPER_SIZES)}."


def _idle(value: object) -> str | None:
    low, high = IDLE_LOCK_MINUTES_RANGE
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return None
    return f"The idle lock time must be a whole number of minutes from {low} to {high}."


def _mrn_system(value: object) -> str | None:
    from models.fhir_terms import valid_uri

    if value == "" or (isinstance(value, str) and valid_uri(value)):
        return None
    return ("The MRN identifier system must be an absolute URI without spaces, such as urn:oid:1.2.3 "
            "or https://clinic.example/mrn.")


def _facility(value: object) -> str | None:
    if value == "":
        return None
    return identifier_problem("HL7 facility", value) if isinstance(value, str) else "HL7 facility: not text"


def _destination(value: object) -> str | None:
    if value == "" or (isinstance(value, str) and split_destination(value) is not None):
        return None
    return f"Send records to: {value!r} is not {DESTINATION_RULE}."


def _language(value: object) -> str | None:
    from models.i18n import LANGUAGES

    if value == "" or value in LANGUAGES:
        return None
    return f"The language must be one of {', '.join(LANGUAGES)}, or empty for the system's."


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be text"
    if "\x00" in value:
        return "must not contain a NUL character"
    return None


_CHECKS: dict[str, Callable[[object], str | None]] = {
    "paper": _paper, "idle_lock_minutes": _idle, "mrn_system": _mrn_system, "facility": _facility,
    "mllp_destination": _destination, "advance_on_answer": _flag, "language": _language,
}


def field_problem(name: str, value: object) -> SettingsError | None:
    """Why ``value`` is not valid for the field ``name``, or None."""
    if name not in FIELD_NAMES:
        return SettingsError(name, f"{name!r} is not a setting")
    text_problem = None if name in ("idle_lock_minutes", "advance_on_answer") else _text(value)
    if text_problem is not None:
        return SettingsError(name, f"{name}: {text_problem}")
    check = _CHECKS.get(name)
    message = check(value) if check is not None else None
    return SettingsError(name, message) if message is not None else None


# --- where the file is ---------------------------------------------------------------------------


def settings_path() -> Path:
    """The per-workstation file, where QSettings(ORGANIZATION, APP_NAME) kept it on Linux."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    folder = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return folder / ORGANIZATION / f"{APP_NAME}.conf"


# --- reading and writing -------------------------------------------------------------------------


def read_settings(path: Path | None = None) -> tuple[Settings, list[SettingsError]]:
    """The stored settings, and what was set aside: a stored value that is not valid is replaced by
    its default and reported (a missing file or key is simply the default, not a problem)."""
    ini = _read(path or settings_path())
    stored = migrate(ini)[WORKSTATION]
    values: dict[str, object] = {}
    problems: list[SettingsError] = []
    for name in FIELD_NAMES:
        default = getattr(DEFAULTS, name)
        if name not in stored:
            values[name] = default
            continue
        value = _as_type_of(default, decode_value(stored[name]))
        problem = field_problem(name, value)
        if problem is None:
            values[name] = value
        else:
            values[name] = default
            problems.append(problem)
    return Settings(**values), problems  # type: ignore[arg-type]


def load_settings(path: Path | None = None) -> Settings:
    """The stored settings, valid: any stored value that is not valid is its default."""
    return read_settings(path)[0]


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Store ``settings`` (:class:`SettingsError` if one is not valid, and nothing is written)."""
    settings.validated()
    values = {name: encode_value(getattr(settings, name)) for name in FIELD_NAMES}
    _update(path, lambda ini: ini[WORKSTATION].update(values))


def migrate(ini: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The file's sections as this release reads them, converted from older versions one step at a
    time (the file itself changes only at the next save)."""
    for section in (GENERAL, WORKSTATION, SESSION):
        ini.setdefault(section, {})
    try:
        version = int(decode_value(ini[GENERAL].get("settings_version", "0")) or 0)
    except ValueError:
        version = 0
    # Version 0 -> 1: nothing to convert; later migrations go here, one step per version.
    if version < SETTINGS_VERSION:
        ini[GENERAL]["settings_version"] = str(SETTINGS_VERSION)
    return ini


# --- the crash-recovery marker: only an encounter id, removed on a clean close --------------------


def open_draft_marker(path: Path | None = None) -> int | None:
    raw = _read(path or settings_path()).get(SESSION, {}).get("open_draft_id")
    try:
        return int(decode_value(raw)) if raw not in (None, "") else None
    except ValueError:
        return None


def set_open_draft_marker(encounter_id: int | None, path: Path | None = None) -> bool:
    """Record the open draft (None: none). Writes only when the marker changes; True if it wrote
    (False too when the file cannot be written: logged, see :func:`_best_effort`)."""
    wanted = None if encounter_id is None else str(int(encounter_id))

    def change(ini: dict[str, dict[str, str]]) -> None:
        if wanted is None:
            ini[SESSION].pop("open_draft_id", None)
        else:
            ini[SESSION]["open_draft_id"] = wanted

    return _best_effort(lambda: _update(path, change,
                                        only_if=lambda ini: ini.get(SESSION, {}).get("open_draft_id") != wanted))


# --- the last clinician who signed in here: a name, prefilled at the next sign-in -----------------


def last_clinician(path: Path | None = None) -> str:
    raw = _read(path or settings_path()).get(SESSION, {}).get("last_clinician")
    return decode_value(raw) if raw else ""


def set_last_clinician(name: str, path: Path | None = None) -> bool:
    """Remember ``name``; writes only when it changes. True if it wrote."""
    encoded = encode_value(name)
    return _best_effort(lambda: _update(path, lambda ini: ini[SESSION].__setitem__("last_clinician", encoded),
                                        only_if=lambda ini: ini.get(SESSION, {}).get("last_clinician") != encoded))


def _best_effort(write: Callable[[], bool]) -> bool:
    """The session values are conveniences (recovery offer, a prefilled name): a settings folder
    that cannot be written is logged, as QSettings would have failed silently, and work goes on."""
    try:
        return write()
    except FileWriteError as exc:
        log.warning("the workstation settings could not be written (%s)", exc)
        return False


# --- the file ------------------------------------------------------------------------------------


def _as_type_of(default: object, raw: str) -> object:
    """Text from the file as the default's type (a number that is not one stays text, and fails
    validation with the field named)."""
    if isinstance(default, bool):
        word = raw.strip().lower()
        return {"true": True, "false": False}.get(word, raw)
    if isinstance(default, int):
        try:
            return int(raw.strip())
        except ValueError:
            return raw
    return raw


def _read(path: Path, *, strict: bool = False) -> dict[str, dict[str, str]]:
    """The file's sections; a missing file is empty. An unreadable one is empty too when reading
    (the defaults, as QSettings gave), an OSError when about to rewrite it (its values would be lost)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError:
        if strict:
            raise
        log.warning("%s cannot be read; using the default settings", path)
        return {}
    return parse_ini(data.decode("utf-8", errors="replace"))


def _update(path: Path | None, change: Callable[[dict[str, dict[str, str]]], None], *,
            only_if: Callable[[dict[str, dict[str, str]]], bool] | None = None) -> bool:
    """Read the file, apply ``change``, write it back whole (atomically, owner-only). With
    ``only_if``, nothing is written unless it holds for the file as read. FileWriteError when the
    file cannot be read or written."""
    target = path or settings_path()
    try:
        ini = _read(target, strict=True)
        if only_if is not None and not only_if(ini):
            return False
        ini = migrate(ini)
        change(ini)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise FileWriteError(f"{target}: the settings cannot be written ({exc.strerror or exc})") from None
    write_private_file(target, format_ini(ini).encode("utf-8"), overwrite=True)
    return True


# --- QSettings' INI dialect (qsettings.cpp: iniEscapedString, iniUnescapedStringList) -------------

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            '"': '"', "?": "?", "'": "'", "\\": "\\"}
_WRITE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                  "\v": "\\v", '"': '\\"', "\\": "\\\\"}
_HEX = re.compile(r"[0-9a-fA-F]")


def encode_value(value: object) -> str:
    """A value as QSettings writes it into an INI file (ints as digits, text escaped and quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if text.startswith("@"):
        text = "@" + text  # "@..." is QSettings' marker for typed values; a literal "@" is doubled
    out: list[str] = []
    needs_quotes = False
    escape_next_if_hex = False
    for ch in text:
        if ch in ";,=":
            needs_quotes = True
        if escape_next_if_hex and _HEX.fullmatch(ch):
            out.append(f"\\x{ord(ch):x}")
            continue
        escape_next_if_hex = False
        if ch == "\0":
            out.append("\\0")
            escape_next_if_hex = True
        elif ch in _WRITE_ESCAPES:
            out.append(_WRITE_ESCAPES[ch])
        elif ord(ch) <= 0x1F:
            out.append(f"\\x{ord(ch):x}")
            escape_next_if_hex = True
        else:
            out.append(ch)
    encoded = "".join(out)
    if needs_quotes or encoded.startswith(" ") or encoded.endswith(" "):
        encoded = f'"{encoded}"'
    return encoded


def decode_value(raw: str | None) -> str:
    """A value as QSettings reads it back as text: escapes undone, quotes removed, a doubled leading
    "@" made single. A list (commas outside quotes) is joined back with ", "; other typed values
    (``@Variant(...)``, ``@ByteArray(...)``) are returned as written."""
    if raw is None:
        return ""
    parts: list[str] = []
    current: list[str] = []
    quoted_part = False
    in_quotes = False
    i, n = 0, len(raw)

    def chop_trailing_spaces() -> None:
        while current and current[-1] in " \t" and not quoted_part:
            current.pop()

    while i < n and raw[i] in " \t":
        i += 1
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 1
            if i >= n:
                break
            ch = raw[i]
            i += 1
            if ch in _ESCAPES:
                current.append(_ESCAPES[ch])
            elif ch == "x":
                j = i
                while j < n and _HEX.fullmatch(raw[j]):
                    j += 1
                if j > i:
                    current.append(chr(int(raw[i:j], 16) & 0xFFFF))
                i = j
            elif "0" <= ch <= "7":
                j = i
                while j < n and "0" <= raw[j] <= "7":
                    j += 1
                current.append(chr(int(ch + raw[i:j], 8) & 0xFFFF))
                i = j
            # a backslash before a line break, or before any other character: dropped
        elif ch == '"':
            i += 1
            quoted_part = True
            in_quotes = not in_quotes
            if not in_quotes:
                while i < n and raw[i] in " \t":
                    i += 1
        elif ch == "," and not in_quotes:
            chop_trailing_spaces()
            parts.append("".join(current))
            current, quoted_part = [], False
            i += 1
            while i < n and raw[i] in " \t":
                i += 1
        else:
            current.append(ch)
            i += 1
    chop_trailing_spaces()
    parts.append("".join(current))
    text = ", ".join(parts)
    return text[1:] if text.startswith("@@") else text


def _lines(text: str) -> Iterator[str]:
    """Logical lines as QSettings splits them: a quoted value or a backslash may continue a line;
    ";" outside quotes starts a comment."""
    line: list[str] = []
    in_quotes = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\r\n" and not in_quotes:
            yield "".join(line)
            line = []
        elif ch == ";" and not in_quotes:
            while i < n and text[i] not in "\r\n":
                i += 1
            continue
        elif ch == "\\" and i + 1 < n:
            line.append(ch + text[i + 1])
            i += 2
            if text[i - 1] in "\r\n" and i < n and text[i] in "\r\n" and text[i] != text[i - 1]:
                line.append(text[i])
                i += 1
            continue
        else:
            if ch == '"':
                in_quotes = not in_quotes
            line.append(ch)
        i += 1
    if line:
        yield "".join(line)


def parse_ini(text: str) -> dict[str, dict[str, str]]:
    """{section: {key: raw value}} of an INI file QSettings wrote (values still escaped). Keys
    outside any section, and ``[General]``, are section ``General``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    ini: dict[str, dict[str, str]] = {}
    section = ini.setdefault(GENERAL, {})
    for line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("["):
            name = stripped[1:stripped.index("]")] if "]" in stripped else stripped[1:]
            name = name.strip()
            name = GENERAL if name.lower() == "general" else name
            section = ini.setdefault(name, {})
            continue
        key, sep, value = line.partition("=")
        if sep and key.strip():
            section[key.strip()] = value.strip(" \t")
    return ini


def format_ini(ini: Mapping[str, Mapping[str, str]]) -> str:
    """The INI text QSettings writes: ``[General]`` first, then the other sections, keys sorted."""
    order = [GENERAL] + sorted(name for name in ini if name != GENERAL)
    blocks = []
    for name in order:
        entries = ini.get(name) or {}
        if entries:
            body = "".join(f"{key}={entries[key]}\n" for key in sorted(entries))
            blocks.append(f"[{name}]\n{body}")
    return "\n".join(blocks)

