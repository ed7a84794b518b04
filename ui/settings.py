"""The window's view of the workstation settings: everything lives in models/settings.py (Qt-free,
shared with the command line); this module only re-exports it for the window's modules. The dialog
that edits them is ui/dialogs.SettingsDialog."""

from __future__ import annotations

from models.settings import (
    DEFAULTS,
    IDLE_LOCK_MINUTES_RANGE,
    ORGANIZATION,
    PAPER_SIZES,
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    last_clinician,
    load_settings,
    open_draft_marker,
    save_settings,
    set_last_clinician,
    set_open_draft_marker,
    settings_path,
)

__all__ = ["DEFAULTS", "IDLE_LOCK_MINUTES_RANGE", "ORGANIZATION", "PAPER_SIZES", "SETTINGS_VERSION", "Settings",
           "SettingsError", "last_clinician", "load_settings", "open_draft_marker", "save_settings",
           "set_last_clinician", "set_open_draft_marker", "settings_path"]
