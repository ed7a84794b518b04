"""Command-line commands. Each module exposes ``register(subparsers)``; ``main.py`` wires them.

Modules here import their heavy dependencies (SQLAlchemy, ReportLab, Qt) inside ``run`` so that
building the parser stays cheap.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.case import Case

# Module names under ``commands`` in the order they appear in ``--help``.
COMMAND_MODULES = ("assess", "report", "import_cases", "export", "backup", "demo", "verify", "clinician")


class UserError(Exception):
    """Bad input from the user: printed as one line on stderr, exit status 2."""


def write_stdout(text: str) -> None:
    """Write UTF-8 whatever the terminal's locale, so a Cyrillic name never crashes output."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def load_case(path: str) -> Case:
    """Read and validate a case file; bad input becomes a :class:`UserError` naming file and field."""
    from models.case import CaseError, load_case_file

    try:
        return load_case_file(path)
    except CaseError as exc:
        raise UserError(str(exc)) from None
