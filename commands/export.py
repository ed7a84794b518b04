"""``export ID --json`` / ``export ID -o FILE``: give a stored encounter back as a case file or PDF.

``-o`` ending in ``.pdf`` renders the printed summary; any other ``-o`` (or ``--json`` alone, to
stdout) writes the ``kneecheck-case/1`` file. ``--fhir`` writes a FHIR R4 Bundle, and without an ID
(with ``--since``/``--patient``) streams NDJSON (commands/_fhir.py). Every export is recorded in
the audit trail.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store
from commands._fhir import add_fhir_export_options, run_export, wants_fhir
from commands.send import add_hl7_options, export_hl7


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "export",
        help="write a stored encounter as a case file (--json), a PDF summary (-o OUT.pdf) or FHIR (--fhir)",
        description="Export a stored encounter: --json prints the kneecheck-case/1 file (or writes it to -o FILE.json); "
        "-o OUT.pdf writes the printed summary; --fhir writes a FHIR R4 Bundle with the summary as a "
        "DocumentReference. Bulk: --fhir --since DATE and/or --patient MRN, without an ID, streams NDJSON, one "
        "Bundle per line, every resource but the DocumentReference (no PDF in bulk lines). "
        "Existing files are not overwritten.",
    )
    p.add_argument("encounter_id", metavar="ID", type=int, nargs="?", default=None,
                   help="the encounter id (as printed by import); left out for a bulk FHIR export")
    p.add_argument("--json", action="store_true", help="export the case file (JSON)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (.pdf for the summary) instead of stdout")
    # HL7 v2: the MDM^T02 message that `send` delivers (commands/send.py).
    p.add_argument("--hl7", action="store_true", help="export the HL7 v2.5 MDM^T02 message with the summary PDF")
    add_hl7_options(p)
    # FHIR R4: a Bundle for ID, or NDJSON for --since/--patient (commands/_fhir.py).
    add_fhir_export_options(p)
    add_clinician_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.store import StoreError

    if wants_fhir(args):
        return run_export(args)
    if args.encounter_id is None:
        raise UserError("give the encounter ID to export (a bulk export is --fhir --since DATE or --patient MRN)")
    if args.hl7:
        return export_hl7(args)
    output = Path(args.output) if args.output else None
    as_pdf = output is not None and output.suffix.lower() == ".pdf"
    if as_pdf and args.json:
        raise UserError("--json and a .pdf output contradict each other; choose one")
    if not as_pdf and not args.json:
        raise UserError("say what to export: --json, or -o OUT.pdf for the summary")
    if output is not None:  # checked before anything is audited: no disclosure row for a file never written
        if output.exists():
            raise UserError(f"{output} already exists; choose a new file name")
        if not output.parent.is_dir():
            raise UserError(f"{output}: the folder {output.parent} does not exist")
    actor = actor_for(args)
    store = open_store(args)
    try:
        record = store.load_encounter(args.encounter_id)
        if as_pdf:
            assert output is not None
            from commands._fhir import mrn_system_for
            from commands._settings import summary_layout
            from models.follow_up import follow_up_of
            from models.records import summary_status
            from reports.archive import record_summary

            replaced = store.load_encounter(record.amends_id) if record.amends_id is not None else None
            data = record_summary(record.to_case().to_dict(), record.assessment, record.metadata(),
                                  mrn_system=mrn_system_for(args), status=summary_status(record, replaced),
                                  follow_up=follow_up_of(store, record),  # as the window prints it
                                  **summary_layout())  # the window's letterhead and paper size
            detail = "pdf"
        else:
            data = (json.dumps(record.to_case().to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            detail = "case file"
        # The audit row comes first: patient data never leaves without one.
        store.record_event("exported", actor, encounter_id=record.id, detail=detail)
        try:
            if output is None:
                write_stdout(data.decode("utf-8"))
            else:
                _write_new(output, data)
        except UserError:
            store.record_event("export_failed", actor, encounter_id=record.id, detail=detail)
            raise
    except StoreError as exc:
        raise store_failure(exc) from None
    except ValueError as exc:  # reports.content.SummaryInputError: e.g. a rule set this release lacks
        raise UserError(str(exc)) from None
    finally:
        store.close()
    return 0


def _write_new(path: Path, data: bytes) -> None:
    from models.files import FileWriteError, write_private_file

    try:
        write_private_file(path, data, overwrite=False)
    except FileWriteError as exc:
        raise UserError(str(exc)) from None
