"""Workstation settings: clinic letterhead, default clinician, paper size, idle lock time, and where
records go (the MRN identifier system, the HL7 facility and MLLP destination).

Defaults live here and only here, with a version so later releases can migrate old values.
QSettings is plain text on disk, so it never holds patient data (no recent patients, no searches);
the only encounter-related value is the id of a draft open at the last start (see ``session``),
which is a number, not patient data, and the name of the last clinician who signed in here (a
clinician's name is not patient data; it saves typing it at every sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QSettings

from models import APP_NAME

SETTINGS_VERSION = 1
PAPER_SIZES = ("A4", "Letter")
# The window hides all patient data after this many minutes without keyboard or mouse input.
IDLE_LOCK_MINUTES_RANGE = (1, 60)
ORGANIZATION = "KneeCheck"


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

    def letterhead(self) -> dict[str, str] | None:
        if not (self.clinic_name or self.clinic_address):
            return None
        return {"clinic_name": self.clinic_name, "clinic_address": self.clinic_address}


DEFAULTS = Settings()


def qsettings() -> QSettings:
    return QSettings(ORGANIZATION, APP_NAME)


def _migrate(store: QSettings) -> None:
    version = int(str(store.value("settings_version", 0) or 0))
    # Version 0 -> 1: nothing to convert yet; later migrations go here, one step per version.
    if version < SETTINGS_VERSION:
        store.setValue("settings_version", SETTINGS_VERSION)


def load_settings(store: QSettings | None = None) -> Settings:
    store = store or qsettings()
    _migrate(store)
    values: dict[str, object] = {}
    for f in fields(Settings):
        default = getattr(DEFAULTS, f.name)
        raw = store.value(f"workstation/{f.name}", default)
        values[f.name] = _as_type_of(default, raw)
    settings = Settings(**values)  # type: ignore[arg-type]
    if settings.paper not in PAPER_SIZES:
        settings = replace(settings, paper=DEFAULTS.paper)
    low, high = IDLE_LOCK_MINUTES_RANGE
    if not low <= settings.idle_lock_minutes <= high:
        settings = replace(settings, idle_lock_minutes=DEFAULTS.idle_lock_minutes)
    return settings


def _as_type_of(default: object, raw: object) -> object:
    """QSettings gives back text from an INI file: turn it into the default's type, or the default."""
    if raw is None:
        return default
    if isinstance(default, int):
        try:
            return int(str(raw))
        except ValueError:
            return default
    return str(raw)


def save_settings(settings: Settings, store: QSettings | None = None) -> None:
    store = store or qsettings()
    _migrate(store)
    for f in fields(Settings):
        store.setValue(f"workstation/{f.name}", getattr(settings, f.name))
    store.sync()


# --- the crash-recovery marker: only an encounter id, removed on a clean close ----------------

def open_draft_marker(store: QSettings | None = None) -> int | None:
    store = store or qsettings()
    raw = store.value("session/open_draft_id")
    try:
        return int(str(raw)) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def set_open_draft_marker(encounter_id: int | None, store: QSettings | None = None) -> None:
    store = store or qsettings()
    if encounter_id is None:
        store.remove("session/open_draft_id")
    else:
        store.setValue("session/open_draft_id", int(encounter_id))
    store.sync()


# --- the last clinician who signed in here: a name, prefilled at the next sign-in ---------------

def last_clinician(store: QSettings | None = None) -> str:
    store = store or qsettings()
    raw = store.value("session/last_clinician", "")
    return str(raw) if raw else ""


def set_last_clinician(name: str, store: QSettings | None = None) -> None:
    store = store or qsettings()
    store.setValue("session/last_clinician", name)
    store.sync()
