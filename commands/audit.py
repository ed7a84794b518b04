"""``audit --patient MRN [--since DATE] [--csv FILE]``: who saw this patient.

Lists every audit row about one patient (views, prints, exports, changes, and the failed ones):
when (UTC), who, the workstation and OS user, and what, oldest first; ``--csv`` writes the same
list as a new owner-only CSV file instead. Looking is itself recorded (``access_listed``), so the
list shows who asked for it before.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "audit", help="who saw this patient: every view, print, export and change of one patient",
        description="List every audit row about one patient, oldest first: when (UTC), the clinician, the "
        "workstation and OS user, and what (view, print, export, change, with the action and encounter). "
        "--csv FILE writes the list as a new CSV file readable by you only. The listing is audited.",
    )
    p.add_argument("--patient", metavar="MRN", required=True, help="the patient's MRN")
    p.add_argument("--since", metavar="DATE", type=_since, default=None,
                   help="only rows from this day on (YYYY-MM-DD, from 00:00 UTC)")
    p.add_argument("--csv", metavar="FILE", default=None, help="write CSV to FILE (a new file) instead of the list")
    add_clinician_option(p)
    p.set_defaults(run=run)


def _since(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a date (YYYY-MM-DD)") from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def run(args: argparse.Namespace) -> int:
    from models.access import access_csv
    from models.files import FileWriteError, write_private_file
    from models.store import NotFoundError, StoreError

    output = Path(args.csv) if args.csv else None
    if output is not None:  # before anything is read or audited
        if output.exists():
            raise UserError(f"{output} already exists; choose a new file name")
        if not output.parent.is_dir():
            raise UserError(f"{output}: the folder {output.parent} does not exist")
    actor = actor_for(args)
    store = open_store(args)
    try:
        patient = store.patient_by_mrn(args.patient.strip())
        if patient is None:
            raise UserError("--patient: there is no patient with that MRN")
        rows = store.patient_access(patient_id=patient.id, since=args.since)
        detail = f"who saw this patient: {len(rows)} row(s)" + (" to a CSV file" if output is not None else "")
        store.record_event("access_listed", actor, patient_id=patient.id, detail=detail)
        if output is not None:
            try:
                write_private_file(output, access_csv(rows).encode("utf-8"), overwrite=False)
            except FileWriteError as exc:
                raise UserError(str(exc)) from None
    except NotFoundError as exc:
        raise UserError(f"--patient: {exc}") from None
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    if output is not None:
        write_stdout(f"{output}: {len(rows)} row(s)\n")
        return 0
    lines = [f"{r.at.strftime('%Y-%m-%d %H:%M:%SZ')}  {r.clinician}  {r.workstation} ({r.os_user})  {r.kind}: {r.action}"
             + (f"  encounter {r.encounter_id}" if r.encounter_id is not None else "")
             + (f"  {r.detail}" if r.detail else "") for r in rows]
    since = f" since {args.since.date().isoformat()}" if args.since else ""
    write_stdout("".join(f"{line}\n" for line in lines) + f"{len(rows)} audit row(s) about this patient{since}\n")
    return 0
