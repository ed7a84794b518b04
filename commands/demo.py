"""``demo --patients N --encounters M``: fill a database with synthetic, obviously fake records."""

from __future__ import annotations

import argparse
import sys
import time

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "demo",
        help="fill the database with synthetic, clearly fake patients and encounters",
        description="Add synthetic patients (family name Testpatient-NNNNN, MRN DEMO-NNNNNN) and draft encounters "
        "with random findings and their assessments, for demonstrations and benchmarks. Shows progress on stderr.",
    )
    p.add_argument("--patients", type=_positive, default=1000, metavar="N", help="patients to add (default 1000)")
    p.add_argument("--encounters", type=_positive, default=10000, metavar="M", help="encounters to add (default 10000)")
    add_clinician_option(p)
    p.set_defaults(run=run)


class _ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self) -> None:
        self._last = 0.0
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._last < 0.1:
            return
        self._last, self._stage = now, stage
        fraction = done / total if total else 1.0
        filled = int(fraction * 30)
        sys.stderr.write(f"\r{stage:<10} [{'#' * filled}{'.' * (30 - filled)}] {done:>9,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from models.store import StoreError

    if args.patients < 1 and args.encounters > 0:
        raise UserError("--patients: encounters need at least one patient")
    actor = actor_for(args)
    store = open_store(args)
    started = time.monotonic()
    try:
        if args.patients:
            store.load_demo(args.patients, args.encounters, actor, progress=_ProgressBar())
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    seconds = time.monotonic() - started
    write_stdout(f"added {args.patients} demo patients and {args.encounters} encounters in {seconds:.1f} s\n")
    return 0
