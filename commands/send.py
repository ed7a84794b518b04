"""``send ID --mllp HOST:PORT``: deliver a stored encounter's summary as an HL7 v2.5 MDM^T02 message.

The message (:func:`reports.hl7.mdm_t02`) carries the summary PDF (:func:`reports.archive.encounter_summary`,
the same as ``export -o OUT.pdf``) in an encapsulated-data OBX. It is framed and sent with python-hl7's
MLLP client and the receiver's ACK is read and reported.

The audit row "sent" (destination and control id, never patient data) is written before anything
leaves; a refusal (MSA-1 AE, AR, CE, CR), no ACK within the time limit, a connection closed early or
refused adds a "send_failed" row with the reason. Exit status: 0 accepted (AA or CA), 1 the remote
side failed, 2 bad input (unknown encounter, bad HOST:PORT or option).

``export_hl7`` is ``export ID --hl7 [-o FILE]``: the same message written to a new owner-only file
or to stdout, audited "exported" first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from commands import UserError, store_failure, write_stdout
from commands._database import actor_for, add_clinician_option, open_store

# Both stdlib only at import: cheap for building the parser.
from models.hl7_terms import DEFAULT_FACILITY
from reports.hl7 import message_type

if TYPE_CHECKING:
    from models.store import EncounterRecord, Store

DEFAULT_TIMEOUT = 30.0
PROG = "kneecheck"


def _identifier(text: str) -> str:
    from models.hl7_terms import IDENTIFIER, IDENTIFIER_RULE

    if not IDENTIFIER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; use {IDENTIFIER_RULE}")
    return text


def add_hl7_options(parser: argparse.ArgumentParser) -> None:
    """The message header options ``send`` and ``export --hl7`` share."""
    parser.add_argument("--facility", metavar="NAME", type=_identifier, default=None,
                        help="sending facility (MSH-4), also the namespace of the document number (TXA-12) "
                        f"(default: this workstation's, as set in the window's Settings; else $KNEECHECK_FACILITY; "
                        f"else {DEFAULT_FACILITY})")
    parser.add_argument("--mrn-authority", metavar="NAME", type=_identifier, default=None,
                        help="assigning authority of the MRN (PID-3.4) "
                        "(default: $KNEECHECK_MRN_AUTHORITY, else the facility)")
    parser.add_argument("--receiving-application", metavar="NAME", type=_identifier, default=None,
                        help="MSH-5 (default: empty)")
    parser.add_argument("--receiving-facility", metavar="NAME", type=_identifier, default=None,
                        help="MSH-6 (default: empty)")


@dataclass(frozen=True)
class Header:
    facility: str
    mrn_authority: str
    receiving_application: str
    receiving_facility: str
    mrn_system: str = ""  # the FHIR identifier system of the MRN, for the Bundle inside the PDF/A


def header_for(args: argparse.Namespace) -> Header:
    """The header options with their defaults from the environment, checked (bad input: exit 2)."""
    from reports.hl7 import Hl7Error, check_identifier

    def pick(option: str | None, variable: str, fallback: str) -> str:
        if option:
            return option
        value = os.environ.get(variable)
        if not value:
            return fallback
        try:
            return check_identifier(f"${variable}", value)
        except Hl7Error as exc:
            raise UserError(str(exc)) from None

    from commands._fhir import mrn_system_for
    from commands._settings import workstation_settings

    facility = pick(args.facility or workstation_settings().facility, "KNEECHECK_FACILITY", DEFAULT_FACILITY)
    return Header(facility=facility, mrn_authority=pick(args.mrn_authority, "KNEECHECK_MRN_AUTHORITY", facility),
                  receiving_application=args.receiving_application or "",
                  receiving_facility=args.receiving_facility or "", mrn_system=mrn_system_for(args))


def _destination(text: str) -> tuple[str, int]:
    from reports.hl7 import Hl7Error, parse_destination

    try:
        return parse_destination(text)
    except Hl7Error as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0, at most 600")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "send",
        help="send a stored encounter's summary as an HL7 v2.5 MDM^T02 message over MLLP",
        description="Send the summary PDF of a stored encounter, in an HL7 v2.5 MDM^T02 message, to an MLLP "
        "receiver and report its acknowledgement. Audited as 'sent' before sending, and 'send_failed' when "
        "the receiver refuses (AE, AR, CE, CR), does not answer in time or closes the connection. Exit status "
        "0 accepted, 1 the receiver failed, 2 bad input.",
    )
    p.add_argument("encounter_id", metavar="ID", type=int, help="the encounter id (as printed by import)")
    p.add_argument("--mllp", metavar="HOST:PORT", type=_destination, required=True,
                   help="the receiver, e.g. 127.0.0.1:2575")
    p.add_argument("--timeout", metavar="S", type=_timeout, default=DEFAULT_TIMEOUT,
                   help=f"seconds in all to connect, send and get the ACK (default {DEFAULT_TIMEOUT:g})")
    add_hl7_options(p)
    from commands._fhir import add_mrn_system_option

    add_mrn_system_option(p)  # the FHIR Bundle inside the summary's PDF/A
    add_clinician_option(p)
    p.set_defaults(run=run)


# --- building the message -----------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    message: str
    control_id: str


def build_message(store: Store, record: EncounterRecord, header: Header, *,
                  generated_at: dt.datetime | None = None, invariant: bool = False) -> Built:
    """The MDM^T02 for ``record``, its PDF made exactly as ``export -o OUT.pdf`` makes it."""
    from commands._settings import summary_layout
    from models.fhir_terms import DEFAULT_MRN_SYSTEM
    from models.follow_up import follow_up_of
    from models.records import summary_status
    from reports.archive import hl7_message, record_summary
    from reports.fhir import FhirBuildError
    from reports.hl7 import Hl7Error
    from reports.pdfa import PdfaError

    replaced = store.load_encounter(record.amends_id) if record.amends_id is not None else None
    case = record.to_case().to_dict()
    try:
        pdf = record_summary(case, record.assessment, record.metadata(), mrn_system=header.mrn_system or DEFAULT_MRN_SYSTEM,
                             status=summary_status(record, replaced), generated_at=generated_at, invariant=invariant,
                             follow_up=follow_up_of(store, record), **summary_layout())
    except (PdfaError, FhirBuildError) as exc:
        raise UserError(f"encounter {record.id}: the summary could not be made ({exc}); nothing was sent "
                        "or written") from None
    try:
        message, control_id = hl7_message(record, replaced, pdf, facility=header.facility,
                                          mrn_authority=header.mrn_authority,
                                          mrn_system=header.mrn_system or DEFAULT_MRN_SYSTEM,
                                          receiving_application=header.receiving_application,
                                          receiving_facility=header.receiving_facility)
    except Hl7Error as exc:
        raise UserError(f"encounter {record.id}: {exc}; nothing was sent or written") from None
    return Built(message, control_id)


# --- export ID --hl7 ----------------------------------------------------------------------------


def export_hl7(args: argparse.Namespace) -> int:
    """``export ID --hl7 [-o FILE]``: the message to a new owner-only file, or to stdout."""
    from models.files import FileWriteError, write_private_file
    from models.store import StoreError

    if args.json or getattr(args, "fhir", False):
        raise UserError("--hl7 cannot be combined with --json or --fhir; choose one")
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() == ".pdf":
        raise UserError("--hl7 writes an HL7 message, not a PDF: give -o a name such as summary.hl7")
    if output is not None and output.exists():
        raise UserError(f"{output} already exists; choose a new file name")
    if output is not None and not output.parent.is_dir():
        raise UserError(f"{output}: the folder {output.parent} does not exist")
    header = header_for(args)
    actor = actor_for(args)
    store = open_store(args)
    try:
        record = store.load_encounter(args.encounter_id)
        built = build_message(store, record, header)
        detail = f"hl7 {message_type(built.message)}, control id {built.control_id}"
        # The audit row comes first: patient data never leaves without one.
        store.record_event("exported", actor, encounter_id=record.id, detail=detail)
        try:
            if output is None:
                write_stdout(built.message)
            else:
                write_private_file(output, built.message.encode("utf-8"), overwrite=False)
        except (FileWriteError, UserError, OSError) as exc:
            store.record_event("export_failed", actor, encounter_id=record.id, detail=detail)
            raise UserError(str(exc) if isinstance(exc, (FileWriteError, UserError)) else "the message could not be "
                            f"written ({exc.strerror or type(exc).__name__})") from None
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    return 0


# --- send ID --mllp HOST:PORT -------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from models.store import StoreError
    from reports.mllp import RemoteError, deliver

    host, port = args.mllp
    where = f"{host}:{port}"
    header = header_for(args)
    actor = actor_for(args)
    store = open_store(args)
    try:
        record = store.load_encounter(args.encounter_id)
        built = build_message(store, record, header)
        what = f"hl7 {message_type(built.message)} to {where}, control id {built.control_id}"
        # The audit row comes first: nothing leaves without one.
        store.record_event("sent", actor, encounter_id=record.id, detail=what)
        try:
            ack = deliver(host, port, built.message, built.control_id, args.timeout)
        except RemoteError as exc:
            reason = str(exc)
            try:
                store.record_event("send_failed", actor, encounter_id=record.id, detail=f"{what}: {reason}")
            except StoreError as audit_exc:
                reason += f" (and the failure could not be audited: {audit_exc})"
            said = f": {exc.remote_text}" if exc.remote_text else ""
            # UTF-8 whatever the locale: the receiver's text may be in any script.
            sys.stderr.buffer.write(f"{PROG}: error: encounter {record.id} to {where}: {reason}{said}\n".encode())
            sys.stderr.buffer.flush()
            return 1
        # The acceptance is recorded too, so a crash after sending is told apart from an accepted
        # message. If this row cannot be written the message was still delivered: say both.
        try:
            store.record_event("send_accepted", actor, encounter_id=record.id, detail=f"{what}: {ack.code}")
        except StoreError as audit_exc:
            sys.stderr.buffer.write(f"{PROG}: warning: accepted, but the acceptance could not be audited: "
                                    f"{audit_exc}\n".encode())
            sys.stderr.buffer.flush()
    except StoreError as exc:
        raise store_failure(exc) from None
    finally:
        store.close()
    text = f": {ack.text}" if ack.text else ""
    write_stdout(f"encounter {record.id} sent to {where}: accepted ({ack.code}), control id {ack.control_id}{text}\n")
    return 0


