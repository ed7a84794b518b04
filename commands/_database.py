"""What the storage commands share: opening the store from ``--db`` and naming the clinician.

Imports SQLAlchemy only when a command actually runs (inside the functions).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from commands import UserError, store_failure

if TYPE_CHECKING:
    from models.store import Actor, Store


def add_clinician_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clinician", metavar="NAME", default=None,
        help="who does this, for the audit trail (default: $KNEECHECK_CLINICIAN, else your login name)",
    )


def actor_for(args: argparse.Namespace) -> Actor:
    from models.case import CaseError
    from models.store import Actor

    name = args.clinician or os.environ.get("KNEECHECK_CLINICIAN") or _login_name()
    try:
        return Actor.current(name)
    except CaseError as exc:
        raise UserError(f"--clinician: {exc.message}") from None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# What stderr says when a command runs as a PostgreSQL role that could rewrite the audit trail.
ROLE_WARNINGS = {
    "owner": "KneeCheck is connected as the owner of its schema",
    "superuser": "KneeCheck is connected as a PostgreSQL superuser",
}


def warn_about_role(store: Store) -> None:
    """One line on stderr when the store's PostgreSQL role is the schema's owner or a superuser
    (README "PostgreSQL roles"); the command goes on. A failed check is no reason to stop either.
    ``$KNEECHECK_ACCEPT_OWNER_LOGIN=1`` silences it on the command line (a test server, knowingly);
    the window still shows it."""
    from models.store import StoreError

    if os.environ.get("KNEECHECK_ACCEPT_OWNER_LOGIN") == "1":  # a test server, knowingly (README)
        return
    try:
        risk = store.connected_role_risk()
    except StoreError:
        return
    if risk is not None:
        print(f"kneecheck: warning: {ROLE_WARNINGS[risk]}: anyone with this login can rewrite audit rows; "
              "see README 'PostgreSQL roles'", file=sys.stderr)


def open_store(args: argparse.Namespace) -> Store:
    """The store named by ``--db``. For a command that takes ``--clinician`` (every command that
    writes), a database with clinician accounts must find an active one under that name, checked
    before anything is done. No password is asked: the command line's trust boundary is access
    to the database itself (the file's owner, or the PostgreSQL role)."""
    from models.store import AccountError, Store, StoreError

    try:
        store = Store.open(args.db)
    except StoreError as exc:
        raise store_failure(exc) from None
    warn_about_role(store)
    if hasattr(args, "clinician"):
        try:
            store.account_actor(actor_for(args))
        except AccountError as exc:
            store.close()
            raise UserError(f"--clinician: {exc}; this database has clinician accounts, so name yours with "
                            "--clinician NAME or $KNEECHECK_CLINICIAN") from None
        except StoreError as exc:
            store.close()
            raise store_failure(exc) from None
        except UserError:
            store.close()
            raise
    return store
