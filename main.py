"""KneeCheck entry point: parse the command line and hand over to the GUI or a command."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from commands import COMMAND_MODULES, UserError
from models import APP_NAME, APP_VERSION


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One plain line, exit 2: the convention for every user error.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kneecheck",
        description=f"{APP_NAME}: is this knee pain from the knee, the hip or a lumbar nerve root? "
        "Without a command, opens the exam-room window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {APP_VERSION}")
    parser.add_argument(
        "--db", metavar="URL", default=os.environ.get("KNEECHECK_DB"),
        help="database URL, e.g. sqlite:////path/kneecheck.db or postgresql+psycopg://host/db "
        "(default: $KNEECHECK_DB, else a SQLite file in your user data folder)",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"commands.{name}").register(sub)
    return parser


def open_gui(args: argparse.Namespace) -> int:
    print(f"{APP_NAME} {APP_VERSION}: the window is not built yet; use a command (see --help).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    try:
        return run(args) if run else open_gui(args)
    except UserError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
