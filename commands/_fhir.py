"""FHIR R4 on the command line: ``export ID --fhir``, the bulk ``export --fhir --since/--patient``
(NDJSON) and the MRN-system option ``import`` shares.

Every export is audited before any patient data leaves: the single export writes its ``exported``
row before the file; the bulk export writes one ``exported`` row naming the filter (and the patient
row's id for ``--patient``, never the MRN) before the first line, and an ``export_completed`` row
with the count at the end (``export_failed`` if it stops). Heavy imports (SQLAlchemy, fhirclient,
ReportLab) happen inside the functions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from commands import UserError, store_failure

if TYPE_CHECKING:
    from models.store import EncounterRecord, Store
    from reports.fhir import ShapeValidator

DEFAULT_MRN_SYSTEM = "urn:kneecheck:mrn"  # models.fhir_terms.DEFAULT_MRN_SYSTEM (a test keeps them equal)
MRN_SYSTEM_ENV = "KNEECHECK_MRN_SYSTEM"
BULK_BATCH = 1000


def add_mrn_system_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mrn-system", metavar="URI", default=None,
        help=f"the identifier system of your clinic's MRNs in FHIR (default: this workstation's, as set in the "
        f"window's Settings; else ${MRN_SYSTEM_ENV}; else the placeholder {DEFAULT_MRN_SYSTEM})",
    )


def mrn_system_for(args: argparse.Namespace) -> str:
    """--mrn-system, else the workstation's setting (as the window), else $KNEECHECK_MRN_SYSTEM, else
    the placeholder."""
    from commands._settings import workstation_settings
    from models.fhir_terms import valid_uri

    value = (getattr(args, "mrn_system", None) or workstation_settings().mrn_system or os.environ.get(MRN_SYSTEM_ENV)
             or DEFAULT_MRN_SYSTEM)
    if not valid_uri(value):
        source = "--mrn-system" if getattr(args, "mrn_system", None) else f"${MRN_SYSTEM_ENV}"
        raise UserError(f"{source}: must be an absolute URI without spaces, such as urn:oid:1.2.3 or "
                        "https://clinic.example/mrn")
    return value


def since_date(text: str) -> dt.date:
    """``--since``: an ISO date (YYYY-MM-DD)."""
    from models.case import parse_iso_date

    parsed = parse_iso_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a date (YYYY-MM-DD)")
    return parsed


def add_fhir_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fhir", action="store_true",
                        help="export as FHIR R4 (4.0.1): a Bundle for ID; with --since/--patient and no ID, NDJSON "
                        "with one Bundle per line (without the DocumentReference: bulk lines carry no PDF)")
    parser.add_argument("--since", metavar="DATE", type=since_date, default=None,
                        help="bulk FHIR export: the encounters dated on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--patient", metavar="MRN", default=None,
                        help="bulk FHIR export: the encounters of the patient with this MRN")
    add_mrn_system_option(parser)


def wants_fhir(args: argparse.Namespace) -> bool:
    return bool(args.fhir) or args.since is not None or args.patient is not None


def encounter_metadata(record: EncounterRecord) -> dict[str, Any]:
    """What the FHIR builder needs to know about a stored encounter beyond its case and assessment."""
    return record.metadata()


def record_bundle(record: EncounterRecord, *, mrn_system: str, pdf: bytes | None = None,
                  validator: ShapeValidator | None = None) -> dict[str, Any]:
    from reports.fhir import encounter_bundle

    return encounter_bundle(record.to_case().to_dict(), record.assessment, encounter_metadata(record),
                            mrn_system=mrn_system, pdf=pdf, validator=validator)


def run_export(args: argparse.Namespace) -> int:
    """``export ... --fhir``: check every option before the database is opened, then export."""
    if not args.fhir:
        raise UserError("--since and --patient are for a bulk FHIR export; add --fhir")
    if args.json:
        raise UserError("--json and --fhir contradict each other; choose one")
    if getattr(args, "hl7", False):
        raise UserError("--hl7 and --fhir contradict each other; choose one")
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() == ".pdf":
        raise UserError("--fhir writes JSON: give -o FILE.json (FILE.ndjson for a bulk export), or leave out --fhir "
                        "for the PDF summary")
    bulk = args.since is not None or args.patient is not None
    if bulk and args.encounter_id is not None:
        raise UserError("give an encounter ID, or --since/--patient for a bulk export, not both")
    if not bulk and args.encounter_id is None:
        raise UserError("give the encounter ID, or --since DATE and/or --patient MRN for a bulk export")
    if args.patient is not None and not args.patient.strip():
        raise UserError("--patient: give the patient's MRN")
    if output is not None and output.exists():  # refused before anything is audited
        raise UserError(f"{output} already exists; choose a new file name")
    mrn_system = mrn_system_for(args)
    from commands._database import actor_for, open_store

    actor = actor_for(args)
    store = open_store(args)
    try:
        if bulk:
            _export_bulk(store, args, actor, mrn_system, output)
        else:
            _export_one(store, args, actor, mrn_system, output)
    finally:
        store.close()
    return 0


def _export_one(store: Store, args: argparse.Namespace, actor: Any, mrn_system: str, output: Path | None) -> None:
    from commands import write_stdout
    from commands._settings import summary_layout
    from models.files import FileWriteError, write_private_file
    from models.follow_up import follow_up_of
    from models.records import summary_status
    from models.store import StoreError
    from reports.archive import record_summary
    from reports.fhir import FhirBuildError

    try:
        record = store.load_encounter(args.encounter_id)
        replaced = store.load_encounter(record.amends_id) if record.amends_id is not None else None
        pdf = record_summary(record.to_case().to_dict(), record.assessment, record.metadata(), mrn_system=mrn_system,
                             status=summary_status(record, replaced), follow_up=follow_up_of(store, record),
                             **summary_layout())
        bundle = record_bundle(record, mrn_system=mrn_system, pdf=pdf)
        data = (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        # The audit row comes first: patient data never leaves without one.
        store.record_event("exported", actor, encounter_id=record.id, detail="fhir bundle")
        try:
            if output is None:
                write_stdout(data.decode("utf-8"))
            else:
                write_private_file(output, data, overwrite=False)
        except (FileWriteError, UserError) as exc:
            store.record_event("export_failed", actor, encounter_id=record.id, detail="fhir bundle")
            raise UserError(str(exc)) from None
    except StoreError as exc:
        raise store_failure(exc) from None
    except FhirBuildError as exc:
        raise UserError(f"encounter {args.encounter_id} cannot be written as FHIR: {exc}") from None
    except ValueError as exc:  # reports.pdfa.PdfaError, reports.content.SummaryInputError: one clear line
        raise UserError(f"encounter {args.encounter_id}: the summary could not be made ({exc}); nothing was "
                        "written") from None


class _Progress:
    """A one-line bar on stderr while a bulk export runs, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, *, final: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self._last < 0.1:
            return
        self._last = now
        fraction = done / self.total if self.total else 1.0
        filled = int(min(fraction, 1.0) * 30)
        sys.stderr.write(f"\rFHIR export [{'#' * filled}{'.' * (30 - filled)}] {done:>9,}/{self.total:,}")
        if final:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _export_bulk(store: Store, args: argparse.Namespace, actor: Any, mrn_system: str, output: Path | None) -> None:
    from models.files import FileWriteError, new_private_file
    from models.store import StoreError
    from reports.fhir import FhirBuildError, ShapeValidator

    since: dt.date | None = args.since
    mrn: str | None = args.patient
    parts = [f"since {since.isoformat()}"] if since else []
    patient_id = None
    try:
        if mrn is not None:
            patient = store.patient_by_mrn(mrn)
            if patient is None:
                raise UserError("--patient: no patient has this MRN; nothing was exported")
            patient_id = patient.id
            parts.append("one patient")
        what = f"fhir ndjson ({', '.join(parts)})"
        total = store.count_encounters(since, mrn)
        # One audit row for the whole export, before the first line: the filter, never patient data.
        store.record_event("exported", actor, patient_id=patient_id, detail=f"{what}: started, {total} encounter(s)")
    except StoreError as exc:
        raise store_failure(exc) from None

    progress = _Progress(total)
    count = 0

    def stream(sink: BinaryIO) -> None:
        nonlocal count
        validator = ShapeValidator()
        lines: list[str] = []
        for record in store.iter_encounters(since, mrn, batch=BULK_BATCH):
            bundle = record_bundle(record, mrn_system=mrn_system, validator=validator)
            lines.append(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")))
            if len(lines) >= BULK_BATCH:
                sink.write(("\n".join(lines) + "\n").encode("utf-8"))
                count += len(lines)
                lines.clear()
                progress(count)
        if lines:
            sink.write(("\n".join(lines) + "\n").encode("utf-8"))
            count += len(lines)
        sink.flush()

    try:
        if output is None:
            stream(sys.stdout.buffer)
        else:
            with new_private_file(output) as sink:
                stream(sink)
        progress(count, final=True)
    except BaseException as exc:
        if progress.enabled:
            sys.stderr.write("\n")
        if isinstance(exc, BrokenPipeError):  # the reader went away (e.g. `| head`): say so, quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        try:
            store.record_event("export_failed", actor, patient_id=patient_id,
                               detail=f"{what}: stopped after {count} encounter(s)")
        except StoreError:
            pass
        if isinstance(exc, FileWriteError):
            raise UserError(str(exc)) from None
        if isinstance(exc, BrokenPipeError):
            raise UserError(f"the output was closed after {count} encounter(s)") from None
        if isinstance(exc, FhirBuildError):
            raise UserError(f"an encounter cannot be written as FHIR ({exc}); the export stopped") from None
        if isinstance(exc, StoreError):
            raise store_failure(exc) from None
        raise
    try:
        store.record_event("export_completed", actor, patient_id=patient_id, detail=f"{what}: {count} encounter(s)")
    except StoreError as exc:
        raise store_failure(exc, "the export was written but its closing audit row was not: ") from None
