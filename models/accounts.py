"""Clinician accounts: creating, listing and disabling them, signing in, and passwords.

Passwords are hashed and checked by :mod:`models.passwords`; here they are stored and every
sign-in, refused or not, is audited. A refused sign-in says the same thing, after a hash check of
the same cost, whatever the reason, so neither the text nor the time tells whether a name exists.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models.case import CaseError
from models.passwords import clinician_name, dummy_hash, hash_password, name_key, needs_rehash, verify_password
from models.pins import clinician_pin
from models.records import AccountError, Actor, ClinicianRecord, NotFoundError, SignInError
from models.schema import ClinicianRow, SignInThrottleRow, utcnow
from models.sign_in_policy import POLICY, wait_seconds
from models.transactions import StoreBase, account_actor_in, database_errors

# Said for every refused sign-in, whatever the reason: it must not tell whether a name exists.
SIGN_IN_REFUSED = "the name or the password is not right"


class AccountsMixin(StoreBase):
    """The clinician-account methods of :class:`models.store.Store`."""

    # The time the sign-in throttle goes by (tests replace it; the audit rows keep the real time).
    clock: Callable[[], dt.datetime] = staticmethod(utcnow)

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

    def create_clinician(self, name: str, password: str, actor: Actor | None, *, admin: bool = False) -> ClinicianRecord:
        """Add an account. The first one needs nobody signed in (``actor`` None: it is audited as
        created by itself) and is an administrator; every later one needs ``actor``, an active
        account, and an administrator (``admin``) needs an administrator as ``actor``."""
        name = clinician_name(name)
        password_hash = hash_password(password)  # the policy is checked before anything is written
        if actor is None and self.has_clinicians():
            raise AccountError("a new clinician account must be added by a signed-in clinician")
        with self._change(actor or Actor.current(name), "clinician_created") as change:
            session = change.session
            if session.scalar(sa.select(ClinicianRow.id).where(ClinicianRow.name_key == name_key(name))) is not None:
                raise CaseError("name", "a clinician account with this name already exists")
            first = session.scalar(sa.select(ClinicianRow.id).limit(1)) is None  # an administrator
            if admin and not first and not session.scalar(sa.select(ClinicianRow.is_admin).where(
                    ClinicianRow.name_key == name_key(change.actor.clinician))):
                raise AccountError(f"only an administrator can add an administrator; {change.actor.clinician!r} is not one")
            row = ClinicianRow(name=name, name_key=name_key(name), password_hash=password_hash, created_at=utcnow(),
                               is_admin=admin or first)
            session.add(row)
            session.flush()
            change.detail = (f"account {name}" + (", an administrator" if admin and not first else "")
                             + ("" if not first else " (the first account, an administrator)"))
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

        Guessing is throttled per name tried, an account or not (:mod:`models.sign_in_policy`):
        each attempt is first counted as a failure in the database (so attempts from several
        workstations at once, or a process killed during the check, count too), and one that
        comes too soon after the last failure, or while the name is locked out, is refused
        without looking at the password (``sign_in_throttled``), with "try again in N s"; the
        lock-out is audited as ``locked_out``. The right password in time sets the count to zero.
        """
        tried = " ".join(str(name).split())[:200] or "(no name given)"
        here = Actor.current(tried)
        if workstation:
            here = replace(here, workstation=workstation[:200])
        try:
            key: str | None = name_key(name)
        except CaseError:
            key = None
        typed = password if isinstance(password, str) else ""
        failed_action = "unlock_failed" if unlock else "sign_in_failed"
        failures, wait = self._count_attempt(key if key is not None else tried.casefold())
        if wait:
            verify_password(dummy_hash(), typed)  # the same cost as a checked attempt
            with self._change(here, "unlock_throttled" if unlock else "sign_in_throttled", any_name=True) as change:
                change.detail = f"refused unchecked after {failures} failed attempts in a row; next attempt in {wait} s"
            raise SignInError(f"{SIGN_IN_REFUSED}; try again in {wait} s", retry_after=wait)
        with self._read() as session:
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == key)) if key else None
            account = (row.id, row.name, row.password_hash, row.disabled_at) if row is not None else None
        # Verify even for an unknown name, against a hash nobody has: the same cost either way.
        matches = verify_password(account[2] if account else dummy_hash(), typed)
        if account is None or not matches or account[3] is not None:
            reason = ("no such account" if account is None else "wrong password" if not matches else "account disabled")
            locked_now = POLICY.locks_out(failures)
            next_wait = math.ceil((POLICY.lockout if locked_now else POLICY.delay_after(failures)).total_seconds())
            with self._change(here, "locked_out" if locked_now else failed_action, any_name=True) as change:
                if locked_now:
                    change.more.append((failed_action, None, None, reason))
                    change.detail = (f"{failures} failed attempts in a row; no attempt is checked for "
                                     f"{next_wait} s")
                else:
                    change.detail = reason
            if account is not None and matches:  # the password is right: saying so reveals nothing new
                raise SignInError("this clinician account is disabled; ask a colleague to add a new one")
            if next_wait:
                raise SignInError(f"{SIGN_IN_REFUSED}; try again in {next_wait} s", retry_after=next_wait)
            raise SignInError(SIGN_IN_REFUSED)
        account_id, account_name, old_hash, _disabled = account
        new_hash = hash_password(password) if needs_rehash(old_hash) else None
        signed_in = replace(here, clinician=account_name)
        with self._change(signed_in, "unlocked" if unlock else "signed_in") as change:
            _reset_throttle(change.session, key)
            if new_hash is not None:
                change.session.execute(sa.update(ClinicianRow).where(
                    ClinicianRow.id == account_id, ClinicianRow.password_hash == old_hash).values(password_hash=new_hash))
                change.detail = "password hash renewed"
                renewed = change.session.get(ClinicianRow, account_id, populate_existing=True)
                change.pins = [clinician_pin(renewed)] if renewed is not None else []
        return signed_in

    def _count_attempt(self, key: str) -> tuple[int, int]:
        """Count an attempt for ``key`` before its password is checked: (failures in a row, 0) with
        this attempt counted, or (failures so far, seconds to wait) when it may not be checked yet.

        Its own short write transaction, not audited by itself (the attempt's outcome is, right
        after): the row is locked while it is read and written, so attempts from several
        workstations at once are counted one after the other, each seeing the ones before.
        """
        now = self.clock()
        with database_errors(), self._write_sessions() as session, session.begin():
            insert = _dialect_insert(session)
            session.execute(insert(SignInThrottleRow).values(name_key=key[:200], failures=0)
                            .on_conflict_do_nothing(index_elements=["name_key"]))
            row = session.scalars(sa.select(SignInThrottleRow).where(SignInThrottleRow.name_key == key[:200])
                                  .with_for_update()).one()
            wait = wait_seconds(row.failures, row.last_failure_at, row.locked_until, now)
            if wait:
                return row.failures, wait
            row.failures += 1
            row.last_failure_at = now
            row.locked_until = now + POLICY.lockout if POLICY.locks_out(row.failures) else None
            return row.failures, 0

    def sign_in_throttle(self, name: str) -> dict[str, object] | None:
        """The stored throttle state of the name ``name`` (any case), for tests and administrators:
        failures in a row, the last failure's time, the end of a lock-out; None if never tried."""
        try:
            key = name_key(name)
        except CaseError:
            key = " ".join(str(name).split())[:200].casefold()
        with self._read() as session:
            row = session.get(SignInThrottleRow, key)
            return None if row is None else {"failures": row.failures, "last_failure_at": row.last_failure_at,
                                             "locked_until": row.locked_until}

    def unlock_clinician(self, name: str, actor: Actor) -> ClinicianRecord:
        """An administrator lets the account ``name`` try again now: its failed attempts in a row
        are forgotten and any lock-out ends. Anyone else is refused (:class:`AccountError`), and the
        refusal is audited too."""
        name = clinician_name(name)
        with self._read() as session:
            signed = account_actor_in(session, actor)
            admin = session.scalar(sa.select(ClinicianRow.is_admin).where(
                ClinicianRow.name_key == name_key(signed.clinician)))
        if not admin:
            with self._change(actor, "account_unlock_refused") as change:
                change.detail = f"account {name}: {signed.clinician} is not an administrator"
            raise AccountError(f"only an administrator can unlock an account; {signed.clinician!r} is not one")
        with self._change(actor, "account_unlocked") as change:
            session = change.session
            row = session.scalar(sa.select(ClinicianRow).where(ClinicianRow.name_key == name_key(name)))
            if row is None:
                raise NotFoundError(f"there is no clinician account named {name[:60]!r}")
            state = session.get(SignInThrottleRow, name_key(name))
            change.detail = f"account {row.name}, after {state.failures if state else 0} failed attempts in a row"
            _reset_throttle(session, name_key(name))
            return _clinician_record(row)

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


def _reset_throttle(session: Session, key: str | None) -> None:
    if key is not None:
        session.execute(sa.update(SignInThrottleRow).where(SignInThrottleRow.name_key == key)
                        .values(failures=0, last_failure_at=None, locked_until=None))


def _dialect_insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    return insert


def _same_name(a: str, b: str) -> bool:
    try:
        return name_key(a) == name_key(b)
    except CaseError:
        return False


def _clinician_record(row: ClinicianRow) -> ClinicianRecord:
    return ClinicianRecord(id=row.id, name=row.name, created_at=row.created_at, disabled_at=row.disabled_at,
                           is_admin=bool(row.is_admin))
