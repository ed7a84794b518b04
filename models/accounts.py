"""Clinician accounts: creating, listing and disabling them, signing in, and passwords.

Passwords are hashed and checked by :mod:`models.passwords`; here they are stored and every
sign-in, refused or not, is audited. A refused sign-in says the same thing, after a hash check of
the same cost, whatever the reason, so neither the text nor the time tells whether a name exists.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from models.case import CaseError
from models.passwords import clinician_name, dummy_hash, hash_password, name_key, needs_rehash, verify_password
from models.pins import clinician_pin
from models.records import AccountError, Actor, ClinicianRecord, NotFoundError, SignInError
from models.schema import ClinicianRow, utcnow
from models.transactions import StoreBase, account_actor_in

# Said for every refused sign-in, whatever the reason: it must not tell whether a name exists.
SIGN_IN_REFUSED = "the name or the password is not right"


class AccountsMixin(StoreBase):
    """The clinician-account methods of :class:`models.store.Store`."""

    def has_clinicians(self) -> bool:
        """True once the first account exists; from then on every change needs an active account."""
        with self._read() as session:
            return session.scalar(sa.select(ClinicianRow.id).limit(1)) is not None

    def list_clinicians(self) -> list[ClinicianRecord]:
        with self._read() as session:
            return [_clinician_record(r) for r in session.scalars(sa.select(ClinicianRow).order_by(ClinicianRow.name_key))]

    def find_clinician(self, name: str) -> ClinicianRecord | None:
        """The account called ``name`` (any case), active or not; None if there is none."""
        try:
            key = name_key(name)
        except CaseError:
            return None
        with self._read() as session:
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == key))
            return _clinician_record(row) if row is not None else None

    def account_actor(self, actor: Actor) -> Actor:
        """``actor`` as the audit trail will name it: with accounts in the database it must be an
        active one (:class:`AccountError` otherwise) and gets the account's spelling of the name."""
        with self._read() as session:
            return account_actor_in(session, actor)

    def create_clinician(self, name: str, password: str, actor: Actor | None) -> ClinicianRecord:
        """Add an account. The first one needs nobody signed in (``actor`` None: it is audited as
        created by itself); every later one needs ``actor``, an active account."""
        name = clinician_name(name)
        password_hash = hash_password(password)  # the policy is checked before anything is written
        if actor is None and self.has_clinicians():
            raise AccountError("a new clinician account must be added by a signed-in clinician")
        with self._change(actor or Actor.current(name), "clinician_created") as change:
            session = change.session
            if session.scalar(sa.select(ClinicianRow.id).where(ClinicianRow.name_key == name_key(name))) is not None:
                raise CaseError("name", "a clinician account with this name already exists")
            row = ClinicianRow(name=name, name_key=name_key(name), password_hash=password_hash, created_at=utcnow())
            session.add(row)
            session.flush()
            change.detail = f"account {name}" + ("" if actor is not None else " (the first account)")
            change.pins = [clinician_pin(row)]
            return _clinician_record(row)

    def authenticate(self, name: str, password: str, workstation: str | None = None, *,
                     unlock: bool = False) -> Actor:
        """The signed-in :class:`Actor` for a right name and password of an active account.

        Anything else raises :class:`SignInError` with one message for every reason, after a hash
        check of the same cost, so neither the text nor the time tells whether the name exists.
        Audited as ``signed_in``/``sign_in_failed`` (``unlocked``/``unlock_failed`` when the window
        is unlocked) with the name tried and the workstation; never the password. A hash made with
        weaker parameters than today's is replaced on success.
        """
        tried = " ".join(str(name).split())[:200] or "(no name given)"
        here = Actor.current(tried)
        if workstation:
            here = replace(here, workstation=workstation[:200])
        try:
            key: str | None = name_key(name)
        except CaseError:
            key = None
        with self._read() as session:
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == key)) if key else None
            account = (row.id, row.name, row.password_hash, row.disabled_at) if row is not None else None
        # Verify even for an unknown name, against a hash nobody has: the same cost either way.
        matches = verify_password(account[2] if account else dummy_hash(), password if isinstance(password, str) else "")
        if account is None or not matches or account[3] is not None:
            reason = ("no such account" if account is None else "wrong password" if not matches else "account disabled")
            with self._change(here, "unlock_failed" if unlock else "sign_in_failed", any_name=True) as change:
                change.detail = reason
            if account is not None and matches:  # the password is right: saying so reveals nothing new
                raise SignInError("this clinician account is disabled; ask a colleague to add a new one")
            raise SignInError(SIGN_IN_REFUSED)
        account_id, account_name, old_hash, _disabled = account
        new_hash = hash_password(password) if needs_rehash(old_hash) else None
        signed_in = replace(here, clinician=account_name)
        with self._change(signed_in, "unlocked" if unlock else "signed_in") as change:
            if new_hash is not None:
                change.session.execute(sa.update(ClinicianRow).where(
                    ClinicianRow.id == account_id, ClinicianRow.password_hash == old_hash).values(password_hash=new_hash))
                change.detail = "password hash renewed"
                renewed = change.session.get(ClinicianRow, account_id, populate_existing=True)
                change.pins = [clinician_pin(renewed)] if renewed is not None else []
        return signed_in

    def change_password(self, name: str, new_password: str, actor: Actor, current_password: str | None = None) -> None:
        """Set a new password for the account ``name``. Your own needs ``current_password``; a
        colleague's (a forgotten password) may be reset by any active account, and says so in the
        audit trail."""
        name = clinician_name(name)
        new_hash = hash_password(new_password, "new_password")
        own = _same_name(name, actor.clinician)
        if own:
            with self._read() as session:
                stored = session.scalar(sa.select(ClinicianRow.password_hash).where(ClinicianRow.name_key == name_key(name)))
            if stored is None or not verify_password(stored, current_password or ""):
                with self._change(actor, "password_change_failed", any_name=True) as change:
                    change.detail = "current password not right"
                raise SignInError("the current password is not right")
        with self._change(actor, "password_changed") as change:
            row = change.session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError(f"there is no clinician account named {name[:60]!r}")
            row.password_hash = new_hash
            change.detail = f"account {row.name}" + ("" if own else ", reset by a colleague")
            change.session.flush()
            change.pins = [clinician_pin(row)]

    def disable_clinician(self, name: str, actor: Actor) -> ClinicianRecord:
        """Retire an account: it can no longer sign in or change anything. Accounts are never
        deleted, so the audit trail's names stay accounts. The last active account stays."""
        name = clinician_name(name)
        with self._change(actor, "clinician_disabled") as change:
            session = change.session
            # The active accounts' rows, locked first: two colleagues disabling the last two
            # accounts at once are taken one after the other (the clinic-wide audit lock no longer
            # serialises whole writes, models/audit_commit.py), so the last active account stays.
            active = len(session.scalars(sa.select(ClinicianRow.id).where(ClinicianRow.disabled_at.is_(None))
                                         .with_for_update()).all())
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError(f"there is no clinician account named {name[:60]!r}")
            if row.disabled_at is not None:
                raise AccountError(f"the clinician account {row.name!r} is already disabled")
            if active <= 1:
                raise AccountError(f"{row.name!r} is the last active clinician account; add another one first")
            row.disabled_at = utcnow()
            change.detail = f"account {row.name}"
            session.flush()
            change.pins = [clinician_pin(row)]
            return _clinician_record(row)


def _same_name(a: str, b: str) -> bool:
    try:
        return name_key(a) == name_key(b)
    except CaseError:
        return False


def _clinician_record(row: ClinicianRow) -> ClinicianRecord:
    return ClinicianRecord(id=row.id, name=row.name, created_at=row.created_at, disabled_at=row.disabled_at)
