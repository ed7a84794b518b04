"""``import CASE.json ...``: store case files as draft encounters and print their ids.

Every file is validated before anything is stored, and the files go in as one unit: if any case
is refused (bad input, or an MRN already used for a different person), nothing is kept.
"""

from __future__ import annotations

import argparse

from commands import UserError, load_case, write_stdout
from commands._database import actor_for, add_clinician_option, open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="store case files as draft encounters; prints the new encounter ids",
        description="Validate every kneecheck-case/1 file, then store each as a draft encounter (creating the "
        "patient when the MRN is new) and print the new encounter ids, one per line. All or nothing: one bad "
        "file stores none. A known MRN whose name or birth date differs is refused, never changed.",
    )
    p.add_argument("cases", nargs="+", metavar="CASE.json", help="case files to import")
    add_clinician_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.case import CaseError
    from models.store import StoreError

    cases = [load_case(path) for path in args.cases]  # every file checked before the database opens
    actor = actor_for(args)
    store = open_store(args)
    try:
        ids = store.import_cases(cases, actor, sources=list(args.cases))
    except (CaseError, StoreError) as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    write_stdout("".join(f"{i}\n" for i in ids))
    return 0
