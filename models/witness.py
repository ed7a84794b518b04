"""Witnesses outside the database: each workstation's own log of the audit chain heads it saw.

A hash chain shows an edited row, but not a chain rewritten whole with every hash recomputed by
someone who can write the database. So every workstation keeps, next to its settings
(``$XDG_CONFIG_HOME/KneeCheck/witness.log``), an owner-only (0600, folder 0700), append-only log:
one JSON line per change the store committed (and per clean ``verify``), naming the database (the
hash of its first audit row, and where it is), the newest audit row's id and hash, and the time.
``verify`` reads it (and any ``--anchor FILE``, a copy of another workstation's log): a row the log
saw that the database no longer has, or has with another hash, means the chain was rewritten.

Writing is cheap (one ``write`` of one line, O_APPEND) and never blocks a save: a failure is
logged and the save stands. Nothing here reads the database; the store hands in what it wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

LOG = logging.getLogger(__name__)
FILE_NAME = "witness.log"
# A line longer than this is not one of ours (a head line is about 250 bytes).
LINE_LIMIT = 4096


@dataclass(frozen=True)
class Head:
    """One witnessed head: the database (first row's hash, location), row id, its hash, when."""

    database: str
    location: str
    row: int
    row_hash: str
    at: str


def witness_path() -> Path:
    from models.settings import settings_path

    return settings_path().parent / FILE_NAME


def record_head(location: str, database: str, head: tuple[int, str], path: Path | None = None) -> None:
    """Append one head; any failure is logged, never raised (a save must not fail for this)."""
    line = json.dumps({"db": database, "where": location, "row": int(head[0]), "hash": head[1],
                       "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}, sort_keys=True) + "\n"
    target = path or witness_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError as exc:
        LOG.warning("could not add to the witness log %s: %s", target, exc.strerror or exc)


def read_heads(path: Path) -> tuple[list[Head], int]:
    """The heads in a witness log, and how many lines were not heads (damaged or foreign).
    OSError when the file cannot be read."""
    heads: list[Head] = []
    bad = 0
    with path.open("rb") as handle:
        for raw in handle:
            if len(raw) > LINE_LIMIT:
                bad += 1
                continue
            try:
                item = json.loads(raw.decode("utf-8"))
                head = Head(str(item["db"]), str(item["where"]), int(item["row"]), str(item["hash"]), str(item["at"]))
            except (ValueError, KeyError, TypeError):
                bad += 1
                continue
            if len(head.row_hash) != 64 or head.row < 1:
                bad += 1
                continue
            heads.append(head)
    return heads, bad


def heads_of(heads: list[Head], database: str | None, location: str) -> list[Head]:
    """The heads that are of this database: the same first audit row, or the same location."""
    return [h for h in heads if (database is not None and h.database == database) or h.location == location]
