"""HL7 v2.5 for the record: the summary PDF as an MDM^T02 message, and reading the ACK that answers it.

Plain data in (the case dict, the stored assessment, the document's status, the PDF bytes), one ER7
string out, built and checked with hl7apy. Nothing here touches the network or the database.

Message structure (MDM_T02, HL7 v2.5)::

    MSH  KNEECHECK ^ facility, MDM^T02^MDM_T02, control id, P, 2.5, UNICODE UTF-8
    EVN  T02, recorded now
    PID  MRN^^^authority^MR, family^given, birth date, sex (table 0001)
    PV1  1, O (outpatient)
    TXA  KNEE-SUMMARY, AP, activity date, originator, document number, parent, status (table 0271)
    OBX  ED, PDF^Knee encounter summary^L, ^AP^PDF^Base64^<the PDF> (table 0191), F or P

Text is escaped per HL7 v2.5 section 2.7 (``\\E\\ \\F\\ \\S\\ \\T\\ \\R\\``) before hl7apy sees it:
hl7apy parses an assigned string as ER7, so an unescaped ``^`` in a name would split it into
components, and its own escaping leaves a typed ``\\F\\`` alone (which a receiver then reads as ``|``).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The names and addresses a setting or option may hold are checked in models/hl7_terms.py: one rule
# for the settings, the command line and the message.
from models.hl7_terms import DESTINATION_RULE, identifier_problem, split_destination

VERSION = "2.5"
SENDING_APPLICATION = "KNEECHECK"
DOCUMENT_TYPE = "KNEE-SUMMARY"  # TXA-2, user-defined table 0270: a local code
OBSERVATION_ID = ("PDF", "Knee encounter summary", "L")  # OBX-3, a local code (L)
# HL7 table 0001 (administrative sex) for the case format's sexes.
SEX_CODES = {"female": "F", "male": "M", "other": "O", "unknown": "U"}
# HL7 table 0271 (document completion status): a finalized encounter was signed by a signed-in
# clinician (AU, authenticated; not LA, which claims a legal signature KneeCheck does not make);
# a draft can still change (IP, in progress; not DO, "documented", which reads as complete).
COMPLETION_FINAL, COMPLETION_DRAFT = "AU", "IP"
# HL7 table 0273 (availability): a draft is not for patient care.
AVAILABILITY_FINAL, AVAILABILITY_DRAFT, AVAILABILITY_OBSOLETE = "AV", "UN", "OB"  # table 0273
# HL7 table 0085 (observation result status): final, preliminary.
RESULT_FINAL, RESULT_DRAFT = "F", "P"
# hl7apy checks ST values against 199 characters and IS values against 20 (STRICT).
_ST_LIMIT, _IS_LIMIT = 199, 20
_PAYLOAD = "KNEECHECKPDFPAYLOAD"  # stands for the base64 while hl7apy builds and validates the message


class Hl7Error(ValueError):
    """The message cannot be built or an answer cannot be read; the text names the field or the
    problem, never patient data."""


@dataclass(frozen=True)
class DocumentMeta:
    """What the message says about the document, from the stored encounter."""

    encounter_id: int
    version: int
    final: bool
    finalized_by: str | None = None
    finalized_at: dt.datetime | None = None
    parent: tuple[int, int] | None = None  # (encounter id, version) of the encounter this one amends
    # TXA-12: the document's unique number, the same in every message about this encounter (and the
    # FHIR DocumentReference's masterIdentifier); TXA-13 the number of the document it replaces.
    document: str = ""
    parent_document: str | None = None
    superseded: bool = False       # an amendment replaced it: availability OB (obsolete)
    created_at: dt.datetime | None = None  # TXA-6, origination


@dataclass(frozen=True)
class Ack:
    """An answer to a message: MSA-1, MSA-2, and the receiver's text (MSA-3, else ERR)."""

    code: str
    control_id: str
    text: str

    @property
    def accepted(self) -> bool:
        return self.code in ("AA", "CA")


def message_type(message: str) -> str:
    """"MDM^T02" or "MDM^T10": what a built message is (MSH-9 without its structure), for the audit."""
    fields = message.split("\r", 1)[0].split("|")
    return "^".join(fields[8].split("^")[:2]) if len(fields) > 8 else "MDM"


def _document_id(number: str) -> str:
    """A document number as TXA-12.1 carries it: a urn:uuid: identifier goes without its scheme."""
    return number.removeprefix("urn:uuid:")


def document_number(encounter_id: int, version: int) -> str:
    """TXA-12.1: one per stored version of an encounter (a finalized one keeps its number)."""
    return f"{encounter_id}-{version}"


def new_control_id(now: dt.datetime | None = None) -> str:
    """MSH-10: 20 characters (the v2.5 length), UTC time to the second and 24 random bits."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"KC{now:%y%m%d%H%M%S}{secrets.token_hex(3).upper()}"


def escape(text: str) -> str:
    """HL7 v2 escaping of the separators and the escape character (section 2.7.4). Control
    characters cannot travel in a field (a CR would end the segment) and are refused."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise Hl7Error(f"a control character (U+{ord(ch):04X}) cannot be sent in HL7 v2 text")
    return (text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\")
            .replace("&", "\\T\\").replace("~", "\\R\\"))


def unescape(text: str) -> str:
    """The inverse of :func:`escape` (for reading values back)."""
    table = {"E": "\\", "F": "|", "S": "^", "T": "&", "R": "~"}
    return re.sub(r"\\([EFSTR])\\", lambda m: table[m.group(1)], text)


def parse_destination(text: str) -> tuple[str, int]:
    """An MLLP destination ``HOST:PORT`` (``[IPv6]:PORT`` too); :class:`Hl7Error` when it is not one."""
    found = split_destination(text)
    if found is None:
        raise Hl7Error(f"{text!r} is not {DESTINATION_RULE}")
    return found


def check_identifier(label: str, value: str) -> str:
    """A facility, application or assigning-authority name (:data:`IDENTIFIER_RULE`)."""
    problem = identifier_problem(label, value)
    if problem is not None:
        raise Hl7Error(problem)
    return value


def _text(label: str, value: str) -> str:
    escaped = escape(value)
    if len(escaped) > _ST_LIMIT:
        raise Hl7Error(f"{label} is {len(escaped)} characters long once escaped; HL7 v2.5 text fields "
                       f"take at most {_ST_LIMIT}")
    return escaped


def _ts(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise Hl7Error("times must carry a time zone")
    return when.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S") + "+0000"


def _date(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%Y%m%d")


def mdm_t02(case: Mapping[str, Any], assessment: Mapping[str, Any], meta: DocumentMeta, pdf: bytes, *,
            sending_application: str = SENDING_APPLICATION, sending_facility: str, assigning_authority: str,
            receiving_application: str = "", receiving_facility: str = "", control_id: str,
            when: dt.datetime) -> str:
    """The MDM^T02 message (ER7, segments ending in CR) carrying ``pdf`` as an encapsulated OBX.

    Every segment is built with hl7apy at validation level STRICT and the message is validated
    with ``Message.validate()``. hl7apy gives a ``varies`` field's components the ST type (199
    characters at STRICT), so the base64 is put in after validation; the finished message is then
    parsed again (hl7apy, then python-hl7) and its PDF decoded and compared with ``pdf``.
    """
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.core import Message
    from hl7apy.exceptions import HL7apyException

    if not pdf.startswith(b"%PDF-"):
        raise Hl7Error("the summary to send is not a PDF")
    check_identifier("sending application", sending_application)
    check_identifier("facility", sending_facility)
    check_identifier("MRN assigning authority", assigning_authority)
    for label, value in (("receiving application", receiving_application), ("receiving facility", receiving_facility)):
        if value:
            check_identifier(label, value)
    if not re.fullmatch(r"[A-Za-z0-9]{1,20}", control_id):
        raise Hl7Error("the control id must be 1-20 letters or digits")
    patient, encounter = case["patient"], case["encounter"]
    sex = SEX_CODES.get(patient["sex"])
    if sex is None:
        raise Hl7Error(f"patient.sex {patient['sex']!r} has no HL7 table 0001 code")
    mrn = _text("patient.mrn", patient["mrn"])
    family = _text("patient.family_name", patient["family_name"])
    given = _text("patient.given_name", patient["given_name"])
    clinician = _text("encounter.clinician", encounter["clinician"])
    signer = _text("finalized by", meta.finalized_by) if meta.final and meta.finalized_by else ""
    ruleset = _text("rule set", str(assessment.get("ruleset", ""))) if assessment.get("ruleset") else ""
    now = _ts(when)

    try:
        m = Message("MDM_T02", version=VERSION, validation_level=VALIDATION_LEVEL.STRICT)
        msh = m.msh
        msh.msh_3.hd_1 = sending_application
        msh.msh_4.hd_1 = sending_facility
        if receiving_application:
            msh.msh_5.hd_1 = receiving_application
        if receiving_facility:
            msh.msh_6.hd_1 = receiving_facility
        msh.msh_7 = now
        # An amendment is a replacement (T10, same structure as T02) naming the document it replaces.
        event = "T10" if meta.parent_document else "T02"
        msh.msh_9 = f"MDM^{event}^MDM_T02"
        msh.msh_10 = control_id
        msh.msh_11 = "P"
        msh.msh_12 = VERSION
        msh.msh_18 = "UNICODE UTF-8"

        m.evn.evn_1 = event
        m.evn.evn_2 = now

        pid = m.pid
        pid.pid_1 = "1"
        pid.pid_3.cx_1 = mrn
        pid.pid_3.cx_4.hd_1 = assigning_authority
        pid.pid_3.cx_5 = "MR"
        pid.pid_5.xpn_1.fn_1 = family
        if given:
            pid.pid_5.xpn_2 = given
        pid.pid_7 = _date(patient["birth_date"])
        pid.pid_8 = sex

        m.pv1.pv1_1 = "1"
        m.pv1.pv1_2 = "O"

        txa = m.txa
        txa.txa_1 = "1"
        txa.txa_2 = DOCUMENT_TYPE
        txa.txa_3 = "AP"  # table 0191: other application data (the PDF)
        txa.txa_4 = _date(encounter["date"])
        txa.txa_9.xcn_2.fn_1 = clinician
        if meta.created_at is not None:
            txa.txa_6 = _ts(meta.created_at)
        txa.txa_12.ei_1 = _document_id(meta.document or document_number(meta.encounter_id, meta.version))
        txa.txa_12.ei_2 = sending_facility
        if meta.parent_document:
            txa.txa_13.ei_1 = _document_id(meta.parent_document)
            txa.txa_13.ei_2 = sending_facility
        txa.txa_17 = COMPLETION_FINAL if meta.final else COMPLETION_DRAFT
        txa.txa_19 = AVAILABILITY_OBSOLETE if meta.superseded else (AVAILABILITY_FINAL if meta.final else AVAILABILITY_DRAFT)
        if signer:
            txa.txa_22.ppn_2.fn_1 = signer
            if meta.finalized_at is not None:
                txa.txa_22.ppn_15 = _ts(meta.finalized_at)

        obx = m.add_group("MDM_T02_OBSERVATION").obx
        obx.obx_1 = "1"
        obx.obx_2 = "ED"
        obx.obx_3 = "^".join(OBSERVATION_ID)
        obx.obx_5 = f"^AP^PDF^Base64^{_PAYLOAD}"  # ED: table 0191 type AP, subtype PDF, Base64
        obx.obx_11 = RESULT_FINAL if meta.final else RESULT_DRAFT
        obx.obx_14 = _date(encounter["date"])
        if ruleset:
            obx.obx_17.ce_1 = ruleset
            obx.obx_17.ce_2 = "KneeCheck rule set"
            obx.obx_17.ce_3 = "L"
        m.validate()
        er7 = m.to_er7()
    except Hl7Error:
        raise
    except HL7apyException as exc:
        # hl7apy's messages quote the value; only its kind is reported.
        raise Hl7Error(f"the HL7 message could not be built ({type(exc).__name__})") from None
    except ValueError:
        raise Hl7Error("the HL7 message could not be built (a value has the wrong form)") from None

    if er7.count(_PAYLOAD) != 1:
        raise Hl7Error("the HL7 message could not be built (the document's place was not found)")
    message = er7.replace(_PAYLOAD, base64.b64encode(pdf).decode("ascii")) + "\r"
    _check_built(message, pdf)
    return message


def _check_built(message: str, pdf: bytes) -> None:
    """The finished message parses (hl7apy, validated; python-hl7), frames safely and carries ``pdf``."""
    import hl7
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.exceptions import HL7apyException
    from hl7apy.parser import parse_message

    segments = message[:-1].split("\r")
    if [s[:3] for s in segments] != ["MSH", "EVN", "PID", "PV1", "TXA", "OBX"]:
        raise Hl7Error("the HL7 message has the wrong segments")
    if any(unicodedata.category(ch) == "Cc" for s in segments for ch in s):
        raise Hl7Error("the HL7 message holds a control character (it would break MLLP framing)")
    try:
        parse_message(message, validation_level=VALIDATION_LEVEL.TOLERANT).validate()
    except HL7apyException as exc:
        raise Hl7Error(f"the HL7 message does not validate ({type(exc).__name__})") from None
    if extract_pdf(hl7.parse(message)) != pdf:
        raise Hl7Error("the HL7 message does not give the summary back")


def extract_pdf(message: Any) -> bytes:
    """The PDF in the first OBX of a python-hl7 message (ED: ^AP^PDF^Base64^data)."""
    obx = message.segment("OBX")
    if str(obx[2]) != "ED":
        raise Hl7Error("OBX-2 is not ED")
    value = obx[5][0]
    if [str(value[i]) for i in (1, 2, 3)] != ["AP", "PDF", "Base64"]:
        raise Hl7Error("OBX-5 is not a base64 PDF")
    return base64.b64decode(str(value[4]), validate=True)


_ACK_TEXT_LIMIT = 300


def _plain(text: str) -> str:
    """A remote's text made safe to print: no control characters (terminal escapes), bounded length."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in unescape(text))
    text = " ".join(text.split())
    return text if len(text) <= _ACK_TEXT_LIMIT else text[: _ACK_TEXT_LIMIT - 3] + "..."


def parse_ack(data: bytes) -> Ack:
    """Read an ACK (the message inside one MLLP block, framing removed) with python-hl7."""
    import hl7

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    text = text.replace("\r\n", "\r").replace("\n", "\r").strip("\r")
    if not text.startswith("MSH") or len(text) < 8:
        raise Hl7Error("the answer is not an HL7 message")
    try:
        message = hl7.parse(text)
        msa = message.segment("MSA")
    except (KeyError, IndexError, hl7.ParseException):
        raise Hl7Error("the answer has no MSA segment (not an acknowledgement)") from None
    code = str(msa[1]).strip() if len(msa) > 1 else ""
    if code not in ("AA", "AE", "AR", "CA", "CE", "CR"):
        # The value itself is not quoted: this text is audited, and a receiver chooses what MSA-1 holds.
        raise Hl7Error("the answer's MSA-1 is not an HL7 table 0008 code")
    control_id = str(msa[2]).strip() if len(msa) > 2 else ""
    reason = str(msa[3]) if len(msa) > 3 else ""
    if not reason.strip():
        reason = _err_text(message)
    return Ack(code=code, control_id=_plain(control_id), text=_plain(reason))


def _err_text(message: Any) -> str:
    """ERR-8 (user message), else ERR-7 (diagnostics), else ERR-3 (error code, its text if it has
    one), else v2.3's ERR-1 as it stands."""
    try:
        err = message.segment("ERR")
    except KeyError:
        return ""
    for index in (8, 7):
        if len(err) > index and str(err[index]).strip():
            return str(err[index])
    if len(err) > 3 and str(err[3]).strip():
        parts = str(err[3]).split("^")
        return parts[1] if len(parts) > 1 and parts[1].strip() else parts[0]
    return str(err[1]) if len(err) > 1 else ""
