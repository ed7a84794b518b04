"""``clinician add NAME``: add a clinician account for signing in to the window.

The first account needs nobody; once accounts exist, ``--by NAME`` must name an active one (as
every writing command names its clinician, without a password: access to the database is the
command line's trust boundary). The password is asked twice on the terminal, or read from the
first line of standard input with ``--password-stdin`` for scripts; it is never an argument,
which would show in the process list and the shell history.
"""

from __future__ import annotations

import argparse
import sys

from commands import UserError, store_failure, write_stdout
from commands._database import open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "clinician", help="clinician accounts for signing in to the window",
        description="Clinician accounts. Once the database has one, the window asks for a name and password, "
        "and every command that writes must name an active account with --clinician.",
    )
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True, parser_class=type(p))
    add = actions.add_parser(
        "add", help="add an account (the password is asked twice)",
        description="Add a clinician account. The password (at least 8 characters) is asked twice on the terminal, "
        "or read from the first line of standard input with --password-stdin.",
    )
    add.add_argument("name", metavar="NAME", help="the clinician's name as the audit trail shows it")
    add.add_argument("--by", metavar="NAME", default=None,
                     help="the active account adding this one (needed unless it is the first account)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (for scripts)")
    add.set_defaults(run=run_add)


def run_add(args: argparse.Namespace) -> int:
    from models.case import CaseError
    from models.store import AccountError, Actor, StoreError

    store = open_store(args)
    try:
        by: Actor | None = None
        if store.has_clinicians():
            if not args.by:
                raise UserError("this database already has clinician accounts: name an active one with --by NAME")
            try:
                by = store.account_actor(Actor.current(args.by))
            except CaseError as exc:
                raise UserError(f"--by: {exc.message}") from None
            except AccountError as exc:
                raise UserError(f"--by: {exc}") from None
        password = _read_password(args.password_stdin)
        try:
            record = store.create_clinician(args.name, password, by)
        except CaseError as exc:
            raise UserError(f"{'NAME' if exc.field == 'name' else exc.field}: {exc.message}") from None
        except StoreError as exc:
            raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout(f"added clinician account {record.name}\n")
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for the password on; use --password-stdin to read it from standard input")
    import getpass

    first = getpass.getpass("Password for the new account: ")
    if getpass.getpass("The same password again: ") != first:
        raise UserError("password: the two entries differ; nothing was added")
    return first
