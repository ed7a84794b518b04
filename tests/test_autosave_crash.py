"""Crash safety of the window's autosave: the real window is killed with SIGKILL while it autosaves.

tests/autosave_child.py runs the real MainWindow offscreen on a SQLite file, signed in, with the
draft open, clicking answers in the checklist editor while autosave (its delay cut to 40 ms)
stores them; it journals each autosave before the store call and again after it returned. The
test kills it at random moments and restarts it on the same files. After every kill:

- ``PRAGMA integrity_check`` is ok;
- nothing acknowledged is lost: the stored draft's version is at least the last journalled one,
  with exactly the journalled findings at that version; a newer version is only the single save
  that was in flight, with exactly the findings that save was given;
- every save has its audit row: ``draft_saved`` rows == version - 1;
- ``Store.verify()`` finds nothing wrong;
- the settings file's "open draft" marker still names the draft, so the next start offers it back (the
  next worker starts through the window's own ``recover_draft``).

Default: 15 kills (about 15 s). ``KNEECHECK_LONG=1`` runs 100; ``KNEECHECK_AUTOSAVE_KILLS=N`` sets
the number directly, ``KNEECHECK_CRASH_SEED`` the random seed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from models import APP_NAME
from models.case import EncounterInfo, Patient
from models.store import Actor, Store
from tests.forking_child import ForkingChild

CHILD = Path(__file__).resolve().parent / "autosave_child.py"
LONG = os.environ.get("KNEECHECK_LONG") == "1"
KILLS = int(os.environ.get("KNEECHECK_AUTOSAVE_KILLS", "100" if LONG else "15"))
MAX_DELAY = 1.5 if LONG else 0.6
ACTOR = Actor("Dr Ada Example", "autosave-crash-test", "exam-room-7")
ORGANIZATION = "KneeCheck"  # models.settings.ORGANIZATION


@dataclass
class Saved:
    version: int
    findings: dict[str, Any]


class Ledger:
    """What the window was told is stored, read from the worker's journal as it grows."""

    def __init__(self, path: Path, start: Saved) -> None:
        self.path, self.offset = path, 0
        self.acknowledged = start
        self.saves = 0
        self.in_flight_at_kill = 0
        self.committed_at_kill = 0

    def read(self) -> dict[str, Any] | None:
        """Take in new journal lines; return the save still in flight (begun, not done), if any."""
        data = self.path.read_bytes()[self.offset:]
        lines = data.split(b"\n")
        complete, tail = lines[:-1], lines[-1]  # keep a partial last line for the next read
        self.offset += len(data) - len(tail)
        pending: dict[str, Any] | None = None
        for raw in complete:
            entry = json.loads(raw)
            if entry["t"] == "begin":
                assert pending is None, f"two saves in flight at once: {pending} and {entry}"
                assert entry["base"] == self.acknowledged.version, (entry, self.acknowledged)
                pending = entry
            else:
                assert pending is not None, f"a save acknowledged without being begun: {entry}"
                # The store stored what the window gave it, as the next version.
                assert entry == {"t": "done", "version": pending["base"] + 1, "findings": pending["findings"]}, \
                    (entry, pending)
                self.acknowledged = Saved(entry["version"], entry["findings"])
                self.saves += 1
                pending = None
        return pending

    def check(self, db: Path, url: str, encounter_id: int) -> None:
        """After a kill: every acknowledged save is there; the one in flight is all or nothing."""
        pending = self.read()
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            version, findings, status = conn.execute(
                "SELECT version, findings, status FROM encounter WHERE id = ?", (encounter_id,)).fetchone()
            audited = conn.execute("SELECT COUNT(*) FROM audit_event WHERE encounter_id = ? AND action = ?",
                                   (encounter_id, "draft_saved")).fetchone()[0]
        stored = Saved(version, json.loads(findings))
        assert status == "draft"
        if pending is not None:
            self.in_flight_at_kill += 1
        if stored != self.acknowledged:
            # Only the save in flight at the kill may have committed without being acknowledged.
            assert pending is not None, f"stored {stored}, acknowledged {self.acknowledged}: an acknowledged save was lost"
            assert stored == Saved(pending["base"] + 1, pending["findings"]), (stored, pending, self.acknowledged)
            self.committed_at_kill += 1
            self.acknowledged = stored  # the next worker starts from it
        assert audited == stored.version - 1, f"version {stored.version} but {audited} draft_saved audit rows"
        with Store.open(url) as store:
            assert store.verify() == []


def marker_in(settings_dir: Path) -> int | None:
    """The "open draft" marker as the next start would read it (models.settings.open_draft_marker)."""
    from models.settings import open_draft_marker

    path = settings_dir / ORGANIZATION / f"{APP_NAME}.conf"  # where QSettings kept it on Linux
    assert path.is_file(), sorted(p.name for p in settings_dir.rglob("*"))
    return open_draft_marker(path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the autosave child forks its workers (POSIX only)")
def test_sigkill_during_autosave_loses_no_acknowledged_save(tmp_path: Path) -> None:
    db = tmp_path / "kc.db"
    url = f"sqlite:///{db}"
    with Store.open(url) as store:
        patient = store.create_patient(Patient("A-0001", "Autosave", "Kim", dt.date(1970, 1, 1), "unknown"), ACTOR)
        draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), ACTOR.clinician, "left"),
                                   {"slr": "negative"}, "", ACTOR)
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir(exist_ok=True)  # (the store's witness log may have made it already)
    journal = tmp_path / "journal.jsonl"
    journal.touch(mode=0o600)
    ledger = Ledger(journal, Saved(draft.version, draft.findings))
    seed = os.environ.get("KNEECHECK_CRASH_SEED") or str(random.SystemRandom().randrange(2**32))
    print(f"crash seed {seed} (replay: KNEECHECK_CRASH_SEED={seed})")  # shown with the failure
    rng = random.Random(seed)
    started = time.monotonic()
    child = ForkingChild([sys.executable, str(CHILD), url, str(journal), str(settings_dir), str(draft.id)],
                         "autosave child", env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        for kill in range(KILLS):
            pid = child.start_worker(f"go {rng.getrandbits(32)} {int(kill == 0)}")
            time.sleep(rng.uniform(0.05, MAX_DELAY))
            os.kill(pid, signal.SIGKILL)
            child.wait_killed()
            ledger.check(db, url, draft.id)
            assert marker_in(settings_dir) == draft.id  # the next start offers the draft back
    finally:
        child.close()
    print(f"\n{KILLS} kills, {ledger.saves} autosaves acknowledged, {ledger.in_flight_at_kill} kills inside a "
          f"save ({ledger.committed_at_kill} of them committed), {time.monotonic() - started:.1f} s")
    assert ledger.saves >= KILLS  # the window really autosaved between kills
