"""``import CASE.json ...``: store case files as draft encounters and print their ids.

Every file is validated before anything is stored, and the files go in as one unit: if any case
is refused (bad input, or an MRN already used for a different person), nothing is kept. A file may
also be a FHIR R4 Bundle written by ``export ID --fhir`` (models/fhir_import.py).
"""

from __future__ import annotations

import argparse

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store
from commands._fhir import add_mrn_system_option, mrn_system_for


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "import",
        help="store case files as draft encounters; prints the new encounter ids",
        description="Validate every kneecheck-case/1 file, then store each as a draft encounter (creating the "
        "patient when the MRN is new) and print the new encounter ids, one per line. All or nothing: one bad "
        "file stores none. A known MRN whose name or birth date differs is refused, never changed. A file may also "
        "be a FHIR R4 Bundle made by `export ID --fhir`: its QuestionnaireResponse is checked against the rule set "
        "it names, and the MRN is read under --mrn-system.",
    )
    p.add_argument("cases", nargs="+", metavar="CASE.json", help="case files (or KneeCheck FHIR Bundles) to import")
    add_mrn_system_option(p)
    add_clinician_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.case import CaseError
    from models.database import refuse_damaged_sqlite
    from models.fhir_import import load_import_file
    from models.outcomes import case_key
    from models.store import StoreError

    mrn_system = mrn_system_for(args)
    try:  # every file checked before the database opens
        cases = [load_import_file(path, mrn_system=mrn_system) for path in args.cases]
    except CaseError as exc:
        raise UserError(str(exc)) from None
    actor = actor_for(args)
    store = open_store(args)
    try:
        refuse_damaged_sqlite(store.sqlite_file)  # whatever its size: a damaged file is never written to
        # Each case's key is derived from its content: running the same import again (after a lost
        # reply, or by mistake) finds the records the first run stored and prints their ids.
        ids = store.import_cases(cases, actor, sources=list(args.cases), keys=[case_key(case) for case in cases])
    except CaseError as exc:
        raise UserError(str(exc)) from None
    except StoreError as exc:  # exit 3 when the database is unreachable, damaged or full
        raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout("".join(f"{i}\n" for i in ids))
    return 0
