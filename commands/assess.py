"""``assess CASE.json``: print the assessment of a case file as JSON."""

from __future__ import annotations

import argparse
import json

from commands import add_ruleset_option, load_case, load_ruleset, write_stdout


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "assess",
        help="print the assessment of a case file as JSON",
        description="Validate a kneecheck-case/1 file and print its assessment (direction, urgency, "
        "scores, alerts, nerve levels, contributions, not-assessed items, reason, next steps) as JSON. "
        "Stores nothing.",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file to assess")
    add_ruleset_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from models.assessment import assess

    catalogue = load_ruleset(args.ruleset)
    case = load_case(args.case, catalogue)
    result = assess(case, catalogue).to_dict()
    write_stdout(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0
