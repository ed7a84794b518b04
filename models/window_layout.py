"""Where the window was on this workstation: its frame (position and size when not maximised),
whether it was maximised, and the sizes of its splitters, as plain numbers in the ``[window]``
section of the workstation settings file (models/settings.py owns the file, its format and its
atomic, owner-only writes). Qt-free: ui/window_layout.py decides whether the stored frame fits
the screen of today and applies it.

Nothing here is patient data: four numbers, a flag and a few pixel widths per splitter. A value
that does not read as what it should be is ignored (the window then opens maximised, as on a first
start), never an error: a layout is a convenience.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.settings import _best_effort, _read, _update, decode_value, encode_value, settings_path

WINDOW = "window"
SPLITTER_PREFIX = "splitter_"


@dataclass(frozen=True)
class WindowLayout:
    """The window's normal (not maximised) frame in screen pixels, and splitter sizes by name."""

    x: int
    y: int
    width: int
    height: int
    maximized: bool = False
    splitters: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _ints(raw: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in raw.replace(" ", "").split(",") if part)
    except ValueError:
        return None


def window_layout(path: Path | None = None) -> WindowLayout | None:
    """The stored layout, or None when there is none (or it does not read as one)."""
    stored = _read(path or settings_path()).get(WINDOW, {})
    frame = _ints(decode_value(stored.get("geometry", "")))
    if frame is None or len(frame) != 4 or frame[2] <= 0 or frame[3] <= 0:
        return None
    splitters: dict[str, tuple[int, ...]] = {}
    for key, raw in stored.items():
        if key.startswith(SPLITTER_PREFIX):
            sizes = _ints(decode_value(raw))
            if sizes and all(size >= 0 for size in sizes):
                splitters[key[len(SPLITTER_PREFIX):]] = sizes
    return WindowLayout(*frame, maximized=decode_value(stored.get("maximized", "")) == "true",
                        splitters=splitters)


def set_window_layout(layout: WindowLayout, path: Path | None = None) -> bool:
    """Store ``layout`` in place of the one before (only when it changed); True if it wrote. A
    settings folder that cannot be written is logged and work goes on (as for the session values)."""
    values = {"geometry": encode_value(f"{layout.x},{layout.y},{layout.width},{layout.height}"),
              "maximized": encode_value(layout.maximized)}
    for name, sizes in sorted(layout.splitters.items()):
        values[SPLITTER_PREFIX + name] = encode_value(",".join(str(int(size)) for size in sizes))

    def change(ini: dict[str, dict[str, str]]) -> None:
        ini[WINDOW] = values

    return _best_effort(lambda: _update(path, change, only_if=lambda ini: ini.get(WINDOW) != values))
