"""The summary of a stored encounter as it leaves KneeCheck: one entry point for every export.

``encounter_summary`` is what the command line, the window, the FHIR DocumentReference and the
HL7 v2 message all put in the record, so a summary written to a file is the same wherever it is
made. Plain data in (the case dict, the stored assessment, the status), PDF bytes out: a PDF/A-3b
file (``reports.pdfa``) that carries the encounter's data as associated files, by default its
``kneecheck-case/1`` case file as ``case.json``.

``record_summary`` is the archival summary of an encounter with both associated files the record
keeps: the case file and the encounter's FHIR Bundle (``bundle.json``). That Bundle has no
DocumentReference: it cannot hold the PDF that holds it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reports.pdfa import Attachment, to_pdfa

if TYPE_CHECKING:
    from models.records import EncounterRecord

CASE_FILENAME = "case.json"
CASE_MIME_TYPE = "application/json"
CASE_DESCRIPTION = "The encounter as a kneecheck-case/1 case file (JSON, UTF-8)"


def case_file_bytes(case: Mapping[str, Any]) -> bytes:
    """The ``kneecheck-case/1`` file of ``case``, exactly as ``export ID --json`` writes it."""
    return (json.dumps(dict(case), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def case_attachment(case: Mapping[str, Any]) -> Attachment:
    """The case file as an associated file of the summary (``case.json``, relationship Data)."""
    return Attachment(CASE_FILENAME, case_file_bytes(case), CASE_MIME_TYPE, CASE_DESCRIPTION, "Data")


def encounter_summary(case: Mapping[str, Any], assessment: Mapping[str, Any], *,
                      status: Mapping[str, Any] | None = None, letterhead: Mapping[str, Any] | None = None,
                      paper: str = "A4", generated_at: dt.datetime | None = None, invariant: bool = False,
                      attachments: Sequence[Attachment] | None = None,
                      follow_up: Mapping[str, Any] | None = None, language: str | None = None) -> bytes:
    """The printed summary of a stored encounter, as written to a file or sent to a record: PDF/A-3b.

    ``attachments`` are the associated files embedded in it; by default (``None``) the case file
    built from ``case`` (:func:`case_attachment`). A caller that adds more passes the whole list,
    the case file first: ``attachments=[case_attachment(case), bundle]``. ``language``: the print's
    language (None: the current one, models.i18n); the attached files stay language-free. Raises
    ``reports.pdfa.PdfaError`` if the PDF/A file cannot be made.
    """
    from reports.summary import render_summary  # ReportLab loads only when a PDF is made

    pdf = render_summary(dict(case), dict(assessment), status=dict(status) if status else None,
                         letterhead=dict(letterhead) if letterhead else None, paper=paper,
                         generated_at=generated_at, invariant=invariant,
                         follow_up=dict(follow_up) if follow_up else None, language=language)
    files = (case_attachment(case),) if attachments is None else tuple(attachments)
    return to_pdfa(pdf, attachments=files, invariant=invariant)


BUNDLE_FILENAME = "bundle.json"
BUNDLE_MIME_TYPE = "application/fhir+json"
BUNDLE_DESCRIPTION = "The encounter as an HL7 FHIR R4 Bundle (JSON; without the DocumentReference to this PDF)"


def bundle_attachment(bundle: Mapping[str, Any]) -> Attachment:
    """The FHIR Bundle as an associated file of the summary (``bundle.json``, relationship Data)."""
    data = (json.dumps(dict(bundle), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return Attachment(BUNDLE_FILENAME, data, BUNDLE_MIME_TYPE, BUNDLE_DESCRIPTION, "Data")


def unstored_metadata(generated_at: dt.datetime | None = None) -> dict[str, Any]:
    """The record metadata of a case file that is not a stored encounter (``report``): encounter 0, a
    draft, made now (so two reports of one patient never share ids; ``generated_at`` fixes it for tests)."""
    when = (generated_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return {"id": 0, "status": "draft", "amends_id": None, "updated_at": when.isoformat(),
            "finalized_at": None, "finalized_by": None, "revision_sha256": None, "amended_by_id": None,
            "created_at": when.isoformat(), "amends_created_at": None, "superseded": False, "version": 1}


def record_summary(case: Mapping[str, Any], assessment: Mapping[str, Any], metadata: Mapping[str, Any], *,
                   mrn_system: str, status: Mapping[str, Any] | None = None,
                   letterhead: Mapping[str, Any] | None = None, paper: str = "A4",
                   generated_at: dt.datetime | None = None, invariant: bool = False,
                   follow_up: Mapping[str, Any] | None = None, language: str | None = None) -> bytes:
    """The archival summary of an encounter: PDF/A-3b with its case file and its FHIR Bundle attached.

    ``metadata`` is :meth:`models.records.EncounterRecord.metadata` (or :func:`unstored_metadata`);
    ``mrn_system`` the FHIR identifier system of the clinic's MRNs. Raises
    ``reports.fhir.FhirBuildError`` or ``reports.pdfa.PdfaError`` when the file cannot be made.
    """
    from reports.fhir import encounter_bundle

    bundle = encounter_bundle(case, assessment, metadata, mrn_system=mrn_system, pdf=None)
    return encounter_summary(case, assessment, status=status, letterhead=letterhead, paper=paper,
                             generated_at=generated_at, invariant=invariant,
                             attachments=[case_attachment(case), bundle_attachment(bundle)], follow_up=follow_up,
                             language=language)


def hl7_message(record: EncounterRecord, replaced: EncounterRecord | None, pdf: bytes, *, facility: str,
                mrn_authority: str, mrn_system: str, receiving_application: str = "", receiving_facility: str = "",
                now: dt.datetime | None = None) -> tuple[str, str]:
    """The HL7 v2.5 MDM message of a stored encounter carrying ``pdf`` (its archival summary), and the
    message's control id: T02, or T10 for an amendment (it replaces the amended encounter's
    document). TXA-12 is the document identifier the FHIR DocumentReference has too, one per
    encounter. Raises ``reports.hl7.Hl7Error`` when it cannot be built."""
    from reports.fhir import document_uuid
    from reports.hl7 import DocumentMeta, mdm_t02, new_control_id

    mrn, final = record.patient.mrn, record.status == "final"
    replaces = final and record.amends_id is not None and record.amends_created_at is not None
    meta = DocumentMeta(
        encounter_id=record.id, version=record.version, final=final,
        finalized_by=record.finalized_by, finalized_at=record.finalized_at,
        parent=(replaced.id, replaced.version) if replaced is not None else None,
        document=document_uuid(mrn_system, mrn, record.id, record.created_at.isoformat()),
        # Only a finalized amendment replaces the amended document (T10); a draft one is in progress.
        parent_document=document_uuid(mrn_system, mrn, int(record.amends_id or 0),
                                      record.amends_created_at.isoformat()) if replaces and record.amends_created_at else None,
        superseded=record.amended_by_final, created_at=record.created_at,
    )
    now = now or dt.datetime.now(dt.UTC)
    control_id = new_control_id(now)
    message = mdm_t02(record.to_case().to_dict(), record.assessment, meta, pdf, sending_facility=facility,
                      assigning_authority=mrn_authority, receiving_application=receiving_application,
                      receiving_facility=receiving_facility, control_id=control_id, when=now)
    return message, control_id
