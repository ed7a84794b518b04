"""The workstation settings (models/settings.py) as the command line uses them: the same file the
window reads, so a summary made here has the window's letterhead and paper size, and the records'
MRN system and HL7 facility default to the window's. A stored value that is not valid is left out
with one warning line on stderr (its default is used), never a silent change."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.settings import Settings


def workstation_settings() -> Settings:
    """This workstation's settings, read from the file each time it may have changed."""
    from models.settings import settings_path

    path = settings_path()
    try:
        stat = path.stat()
        version: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = None
    return _read(str(path), version)


@cache
def _read(path: str, _version: tuple[int, int] | None) -> Settings:
    """Read once per path and file version, so a warning is printed once per command."""
    from pathlib import Path

    from models.settings import read_settings

    settings, problems = read_settings(Path(path))
    for problem in problems:
        print(f"kneecheck: warning: {path}: {problem.field}: {problem.message} (its default is used)",
              file=sys.stderr)
    return settings


def summary_language(chosen: str | None = None) -> str:
    """The language of a summary made here: ``chosen`` (--language), else this workstation's Settings
    choice, else the system locale's, else English."""
    from models import i18n

    return chosen or i18n.chosen_language(workstation_settings().language)


def summary_layout(paper: str | None = None) -> dict[str, Any]:
    """The letterhead and paper size of this workstation's summaries (``paper``: an explicit choice)."""
    settings = workstation_settings()
    return {"letterhead": settings.letterhead(), "paper": paper or settings.paper}
