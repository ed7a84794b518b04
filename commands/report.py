"""``report CASE.json -o OUT.pdf``: render the printed summary of a case file (stores nothing)."""

from __future__ import annotations

import argparse

from commands import UserError, add_ruleset_option, load_case, load_ruleset

PAPERS = ("A4", "Letter")  # models.settings.PAPER_SIZES (not imported: building the parser stays cheap)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "report",
        help="render the PDF summary of a case file",
        description="Validate a kneecheck-case/1 file, assess it and write its printed summary as a PDF "
        "(PDF/A-3b, marked DRAFT: a case file is not a finalized encounter; the case file is embedded in it as "
        "case.json). Stores nothing. The file is written "
        "atomically, readable by its owner only, and never over an existing file.",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file")
    p.add_argument("-o", "--output", metavar="OUT.pdf", required=True, help="the PDF file to write")
    p.add_argument("--paper", choices=PAPERS, default=None,
                   help="paper size (default: this workstation's, as set in the window's Settings; else A4)")
    from models.i18n import LANGUAGES

    p.add_argument("--language", choices=list(LANGUAGES), default=None,
                   help="the summary's language (default: this workstation's, as set in the window's Settings; "
                   "else the system locale's, else English)")
    add_ruleset_option(p)
    from commands._fhir import add_mrn_system_option

    add_mrn_system_option(p)  # the FHIR Bundle attached to the PDF/A
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.assessment import assess
    from models.files import FileWriteError, write_private_file

    catalogue = load_ruleset(args.ruleset)
    case = load_case(args.case, catalogue)
    from commands._fhir import mrn_system_for
    from commands._settings import summary_language, summary_layout
    from reports.archive import record_summary, unstored_metadata  # ReportLab, pikepdf: only when a PDF is made

    # The archival summary (PDF/A-3b) with the case file and the FHIR Bundle attached, as for a stored
    # encounter; a draft, and encounter number 0 in the Bundle, since a case file is not stored.
    try:
        pdf = record_summary(case.to_dict(), assess(case, catalogue).to_dict(), unstored_metadata(),
                             mrn_system=mrn_system_for(args), **summary_layout(args.paper),
                             language=summary_language(args.language))
    except ValueError as exc:  # reports.pdfa.PdfaError, reports.fhir.FhirBuildError: one clear line
        raise UserError(f"{args.case}: the summary could not be made ({exc}); nothing was written") from None
    try:
        write_private_file(args.output, pdf, overwrite=False)
    except FileWriteError as exc:
        raise UserError(str(exc)) from None
    return 0
