"""``clinician add|disable|unlock NAME``: clinician accounts for signing in to the window.

The first account needs nobody (and is an administrator); once accounts exist, ``--by NAME`` must
name an active account and give its password: adding, disabling or unlocking an account is done
in someone's name, and a name alone proves nothing. A wrong password is refused (exit 2) and
counts as a failed sign-in of that account, throttled like one (models/sign_in_policy.py).
Unlocking needs an administrator. Passwords are asked on the terminal (a new one twice), or read
from standard input with ``--password-stdin`` for scripts, one a line: first the ``--by``
account's, then (``add``) the new account's; never an argument, which would show in the process
list and the shell history.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from commands import UserError, store_failure, write_stdout
from commands._database import open_store

if TYPE_CHECKING:
    from models.records import Actor
    from models.store import Store

_STDIN_HELP = ("read the passwords from standard input, one a line (for scripts): the --by account's first "
               "(once accounts exist), then the new account's")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "clinician", help="clinician accounts for signing in to the window",
        description="Clinician accounts. Once the database has one, the window asks for a name and password, "
        "every command that writes must name an active account with --clinician, and changing accounts here "
        "needs --by NAME and that account's password.",
    )
    actions = p.add_subparsers(title="actions", metavar="ACTION", required=True, parser_class=type(p))
    add = actions.add_parser(
        "add", help="add an account (the password is asked twice)",
        description="Add a clinician account. The password (at least 8 characters) is asked twice on the terminal, "
        "or read from standard input with --password-stdin. Once accounts exist, --by NAME and that account's "
        "password are needed too.",
    )
    add.add_argument("name", metavar="NAME", help="the clinician's name as the audit trail shows it")
    add.add_argument("--by", metavar="NAME", default=None,
                     help="the active account adding this one, with its password (needed unless it is the first account)")
    add.add_argument("--admin", action="store_true",
                     help="an administrator, who may unlock accounts (needs an administrator as --by; "
                     "the first account always is one)")
    add.add_argument("--password-stdin", action="store_true", help=_STDIN_HELP)
    add.set_defaults(run=run_add)
    for name, run, text in (
            ("disable", run_disable, "retire an account: it can no longer sign in or change anything"),
            ("unlock", run_unlock, "let a locked-out account try again now (an administrator only)")):
        action = actions.add_parser(name, help=text, description=text[:1].upper() + text[1:] + ". Needs --by NAME "
                                    "and that account's password (asked on the terminal, or --password-stdin).")
        action.add_argument("name", metavar="NAME", help="the account")
        action.add_argument("--by", metavar="NAME", default=None, help="your active account (its password is asked)")
        action.add_argument("--password-stdin", action="store_true",
                            help="read the --by account's password from the first line of standard input")
        action.set_defaults(run=run)


def _acting(store: Store, args: argparse.Namespace) -> Actor:
    """The ``--by`` account, signed in with its password: a wrong one is refused (and counted)."""
    from models.store import SignInError, StoreError

    if not args.by:
        raise UserError("this database already has clinician accounts: name yours with --by NAME (its password is asked)")
    password = _read_line(args.password_stdin, f"Password of {' '.join(args.by.split())[:60]}: ")
    try:
        return store.authenticate(args.by, password)
    except SignInError as exc:
        raise UserError(f"--by: {exc}; nothing was changed") from None
    except StoreError as exc:
        raise store_failure(exc) from None


def run_add(args: argparse.Namespace) -> int:
    from models.case import CaseError
    from models.store import StoreError

    store = open_store(args)
    try:
        by: Actor | None = _acting(store, args) if store.has_clinicians() else None
        password = _read_password(args.password_stdin)
        try:
            record = store.create_clinician(args.name, password, by, admin=args.admin)
        except CaseError as exc:
            raise UserError(f"{'NAME' if exc.field == 'name' else exc.field}: {exc.message}") from None
        except StoreError as exc:
            raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout(f"added clinician account {record.name}" + (" (an administrator)" if record.is_admin else "") + "\n")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    return _change_account(args, "disabled")


def run_unlock(args: argparse.Namespace) -> int:
    return _change_account(args, "unlocked")


def _change_account(args: argparse.Namespace, done: str) -> int:
    from models.case import CaseError
    from models.store import StoreError

    store = open_store(args)
    try:
        if not store.has_clinicians():
            raise UserError("this database has no clinician accounts yet")
        by = _acting(store, args)
        try:
            change = store.disable_clinician if done == "disabled" else store.unlock_clinician
            record = change(args.name, by)
        except CaseError as exc:
            raise UserError(f"NAME: {exc.message}") from None
        except StoreError as exc:
            raise store_failure(exc) from None
    finally:
        store.close()
    write_stdout(f"{done} clinician account {record.name}\n")
    return 0


def _read_line(from_stdin: bool, prompt: str) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UserError("no terminal to ask for the password on; use --password-stdin to read it from standard input")
    import getpass

    return getpass.getpass(prompt)


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
