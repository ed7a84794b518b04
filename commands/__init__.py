"""Command-line commands. Each module exposes ``register(subparsers)``; ``main.py`` wires them.

Modules here import their heavy dependencies (SQLAlchemy, ReportLab, Qt) inside ``run`` so that
building the parser stays cheap.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.case import Case
    from models.catalogue import Catalogue
    from models.records import StoreError

# Module names under ``commands`` in the order they appear in ``--help``.
COMMAND_MODULES = ("assess", "report", "import_cases", "export", "export_questionnaire", "send", "backup", "demo", "verify", "clinician",
                   "audit", "restore", "db")


# Exit statuses of every command (the README's table): 0 done; 1 done, and it found problems
# (verify) or the receiver refused (send); 2 bad input; 3 the database is unreachable or damaged.
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3


class UserError(Exception):
    """Bad input from the user: printed as one line on stderr, exit status 2."""

    exit_status = EXIT_BAD_INPUT


class DatabaseProblem(UserError):
    """The database cannot be reached, did not answer in time, is damaged or full: one line on
    stderr, exit status 3. Not the user's input: the same command may work once the database is back."""

    exit_status = EXIT_DATABASE


def store_failure(exc: StoreError, prefix: str = "") -> UserError:
    """The one-line error for a :class:`~models.records.StoreError`: :class:`DatabaseProblem`
    (exit 3) when the database is unreachable, damaged or full, else :class:`UserError` (exit 2)."""
    from models.records import DatabaseUnavailableError

    kind = DatabaseProblem if isinstance(exc, DatabaseUnavailableError) else UserError
    return kind(f"{prefix}{exc}")


def write_stdout(text: str) -> None:
    """Write UTF-8 whatever the terminal's locale, so a Cyrillic name never crashes output. Standard
    output closed early (a pipe into ``head`` that stopped reading) is a :class:`UserError`: the caller
    audits the failed export, and nothing more is written there (no second error at exit)."""
    import os

    try:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    except OSError as exc:  # BrokenPipeError, or a full or failing output device
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise UserError(f"standard output could not be written ({exc.strerror or type(exc).__name__}); "
                        "the export is incomplete") from None


def load_ruleset(ruleset: str | None) -> Catalogue:
    """The rule set a command was asked for (``--ruleset``), the current one by default."""
    from models.catalogue import UnknownRuleSetError, load_catalogue

    try:
        return load_catalogue(ruleset)
    except UnknownRuleSetError as exc:
        raise UserError(str(exc)) from None


def add_ruleset_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ruleset", metavar="ID", default=None,
                        help="assess under this clinical rule set (default: the current one); "
                        "the case file is checked against its items")


def load_case(path: str, catalogue: Catalogue | None = None) -> Case:
    """Read and validate a case file; bad input becomes a :class:`UserError` naming file and field."""
    from models.case import CaseError, load_case_file

    try:
        return load_case_file(path, catalogue)
    except CaseError as exc:
        raise UserError(str(exc)) from None
