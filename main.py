"""KneeCheck entry point: parse the command line and hand over to the GUI or a command."""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # --smoke-test counts from here unless $KNEECHECK_LAUNCHED_AT is set

import argparse  # noqa: E402 - after the clock starts
import importlib  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from commands import COMMAND_MODULES, UserError  # noqa: E402
from models import APP_NAME, APP_VERSION  # noqa: E402

PROG = "kneecheck"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One plain line, exit 2: the convention for every user error.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    """The options of the bare ``kneecheck`` (the window), shared by both parsers below."""
    parser.add_argument(
        "--db", metavar="URL", default=os.environ.get("KNEECHECK_DB"),
        help="database URL, e.g. sqlite:////path/kneecheck.db or postgresql+psycopg://host/db "
        "(default: $KNEECHECK_DB, else a SQLite file in your user data folder)",
    )
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="a workstation check: start the window on the chosen database, print the seconds until "
        "the window was shown and until the database was ready, and exit 0 (2 for a bad database URL "
        "or an unwritable data, log or settings folder; 3 if the database cannot be reached or is "
        "damaged, within 15 s)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=f"{APP_NAME}: is this knee pain from the knee, the hip or a lumbar nerve root? "
        "Without a command, opens the exam-room window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {APP_VERSION}")
    _add_window_options(parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"commands.{name}").register(sub)
    return parser


def open_gui(args: argparse.Namespace) -> int:
    from ui.app import main as run_window  # Qt only when the window is wanted

    return run_window(args.db, smoke_test=args.smoke_test, started=_STARTED)


def window_only_args(argv: list[str]) -> argparse.Namespace | None:
    """The parsed options when ``argv`` only opens the window (nothing but --db and --smoke-test),
    else None. Start-up path: it spares importing every command module to build their parsers.
    Anything else, including every mistake, goes to the full parser and its messages."""
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--db" and rest and not rest[0].startswith("-"):
            rest.pop(0)
        elif not (token == "--smoke-test" or token.startswith("--db=")):
            return None
    parser = argparse.ArgumentParser(prog=PROG, add_help=False)
    _add_window_options(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = window_only_args(argv) or build_parser().parse_args(argv)
    run = getattr(args, "run", None)
    try:
        return run(args) if run else open_gui(args)
    except UserError as exc:  # 2 bad input, 3 the database unreachable or damaged (DatabaseProblem)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
