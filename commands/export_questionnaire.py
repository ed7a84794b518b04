"""``export-questionnaire --ruleset R [-o FILE] [--codesystem]``: the FHIR R4 definitions a KneeCheck
Bundle points at.

The Questionnaire (``http://kneecheck.invalid/fhir/Questionnaire/kneecheck``, version = the rule
set) every QuestionnaireResponse names, or with ``--codesystem`` the KneeCheck CodeSystem of the
same rule set. No patient data: nothing is audited and no database is opened.
"""

from __future__ import annotations

import argparse
import json

from commands import UserError, load_ruleset, write_stdout


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "export-questionnaire",
        help="write the FHIR R4 Questionnaire (or --codesystem: the CodeSystem) of a rule set",
        description="Write the canonical FHIR R4 Questionnaire of a rule set: one item per checklist item (linkId = "
        "the item id, text = its label), choice answers coded in the KneeCheck CodeSystem, numbers as decimals "
        "with their range. --codesystem writes that CodeSystem instead (items, answers, and the knee, direction, "
        "urgency and alert codes of the Bundle). Needs no database; existing files are not overwritten.",
    )
    p.add_argument("--ruleset", metavar="ID", default=None,
                   help="the rule set (default: the current one)")
    p.add_argument("--codesystem", action="store_true", help="write the KneeCheck CodeSystem instead")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.fhir_terms import CodesError
    from reports.fhir import FhirBuildError, code_system, questionnaire

    catalogue = load_ruleset(args.ruleset)
    try:
        resource = code_system(catalogue.ruleset) if args.codesystem else questionnaire(catalogue.ruleset)
    except (FhirBuildError, CodesError) as exc:
        raise UserError(str(exc)) from None
    data = json.dumps(resource, ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        write_stdout(data)
        return 0
    from models.files import FileWriteError, write_private_file

    try:
        write_private_file(args.output, data.encode("utf-8"), overwrite=False)
    except FileWriteError as exc:
        raise UserError(str(exc)) from None
    return 0
