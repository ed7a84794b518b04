"""Clinician account names and passwords: the policy, and argon2id hashing.

No database here: :mod:`models.store` keeps the hashes and calls these functions. Passwords are
never logged, audited or put in an exception message; a policy error names the field only.
Hashing uses argon2-cffi's ``PasswordHasher`` (argon2id, RFC 9106 low-memory profile: about
0.1 s and 64 MiB per hash), which makes guessing slow even for someone holding the database.
"""

from __future__ import annotations

import functools
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from models.case import CaseError

PASSWORD_MIN_LENGTH = 8
# Long passphrases are welcome; the cap only keeps a pasted file from being hashed.
PASSWORD_MAX_LENGTH = 256
NAME_MAX_LENGTH = 200


@functools.cache
def hasher() -> PasswordHasher:
    return PasswordHasher()


def clinician_name(name: str) -> str:
    """A clinician's account name as it is stored and shown: trimmed, one space between words."""
    if not isinstance(name, str):
        raise CaseError("name", "must be text")
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise CaseError("name", "must not contain line breaks, tabs, control or invisible characters")
    cleaned = " ".join(name.split())
    if not cleaned:
        raise CaseError("name", "must not be empty")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise CaseError("name", f"is {len(cleaned)} characters long; the limit is {NAME_MAX_LENGTH}")
    return cleaned


def name_key(name: str) -> str:
    """How account names are compared: "dr ada example" and "Dr Ada Example" are one account.

    Case is folded, accents are kept: "René" and "Rene" may be two colleagues.
    """
    return clinician_name(name).casefold()


def _normalized(password: str) -> str:
    # One form for the same typed characters, whatever the keyboard or input method produced.
    return unicodedata.normalize("NFC", password)


def check_policy(password: str, field: str = "password") -> str:
    """The password to hash, or :class:`CaseError` naming ``field`` (never quoting the password)."""
    if not isinstance(password, str):
        raise CaseError(field, "must be text")
    password = _normalized(password)
    if len(password) < PASSWORD_MIN_LENGTH:
        raise CaseError(field, f"must be at least {PASSWORD_MIN_LENGTH} characters long")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise CaseError(field, f"must be at most {PASSWORD_MAX_LENGTH} characters long")
    if not password.strip():
        raise CaseError(field, "must not be only spaces")
    return password


def hash_password(password: str, field: str = "password") -> str:
    return hasher().hash(check_policy(password, field))


def verify_password(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches; a damaged stored hash counts as no match."""
    try:
        return hasher().verify(stored_hash, _normalized(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (re-hash after sign-in)."""
    try:
        return hasher().check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the name is unknown, so a wrong name costs as long as a
    wrong password and timing does not tell which names exist."""
    return hasher().hash("not a password of anyone")
