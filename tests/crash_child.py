"""Child process for the crash-safety test: saves encounters in a loop until it is killed.

Run as ``python tests/crash_child.py DB_URL JOURNAL PATIENT_ID``. It imports KneeCheck once, then
waits on stdin for ``go MODE SEED`` lines. For each one it forks a worker that opens the store and
changes encounters until the test kills it with SIGKILL; this process reaps the worker and prints
``exited STATUS``. Forking a process that has imported everything but never opened the database
makes each worker start in milliseconds, so the test can kill dozens of them in seconds; every
worker is a real process doing real SQLite writes, killed without warning.

Each operation is written to the journal twice, each line fsync'd: a ``begin`` line with the
state the operation should produce, before the store is called, and a ``done`` line with the state
the store returned, only after the call returned. The test therefore knows exactly which states
are acknowledged (``done``) and which single operation was in flight when the kill landed.

Modes: ``mixed`` (create, save, finalize, amend at random), ``finalize`` (create then finalize,
over and over) and ``amend`` (amend a finalized encounter then finalize the amendment, over and
over), so that kills land inside finalize and amend too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.case import EncounterInfo
from models.store import Actor, EncounterRecord, Store
from tests.forking_child import serve_forks

ACTOR = Actor("Dr Crash Test", "crash-test", "exam-room-9")
DATE = dt.date(2026, 11, 20)
MODES = ("mixed", "finalize", "amend")


def state_of(record: EncounterRecord) -> dict[str, Any]:
    """What the test compares: the content, status and version of one encounter."""
    return {"findings": record.findings, "notes": record.notes, "knee": record.info.knee, "status": record.status,
            "version": record.version, "amends_id": record.amends_id, "amend_reason": record.amend_reason}


class Journal:
    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def write(self, entry: dict[str, Any]) -> None:
        os.write(self._fd, (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8"))
        os.fsync(self._fd)


class Worker:
    def __init__(self, store: Store, journal: Journal, patient_id: int, rng: random.Random) -> None:
        self.store, self.journal, self.patient_id, self.rng = store, journal, patient_id, rng

    def _content(self) -> tuple[EncounterInfo, dict[str, Any], str]:
        rng = self.rng
        findings: dict[str, Any] = {"slr": rng.choice(["positive", "negative"]),
                                    "joint_line_tenderness": rng.choice(["none", "medial", "lateral", "both"])}
        if rng.random() < 0.5:
            findings["swelling"] = rng.choice(["none", "trace", "effusion"])
        notes = f"visit note {rng.getrandbits(48):012x} — Ünïcödé ✓ 膝"
        return EncounterInfo(DATE, ACTOR.clinician, rng.choice(["left", "right", "both"])), findings, notes

    def _candidates(self, status: str, unamended: bool = False) -> list[int]:
        return [s.id for s in self.store.list_encounters(self.patient_id)
                if s.status == status and not (unamended and s.amended_by_id is not None)]

    def create(self) -> int:
        info, findings, notes = self._content()
        expect = {"findings": findings, "notes": notes, "knee": info.knee, "status": "draft", "version": 1,
                  "amends_id": None, "amend_reason": None}
        self.journal.write({"t": "begin", "op": "create", "id": None, "expect": expect})
        record = self.store.create_draft(self.patient_id, info, findings, notes, ACTOR)
        self.journal.write({"t": "done", "op": "create", "id": record.id, "state": state_of(record)})
        return record.id

    def save(self, encounter_id: int) -> None:
        current = self.store.load_encounter(encounter_id)
        info, findings, notes = self._content()
        expect = {**state_of(current), "findings": findings, "notes": notes, "knee": info.knee,
                  "version": current.version + 1}
        self.journal.write({"t": "begin", "op": "save", "id": encounter_id, "expect": expect})
        record = self.store.save_draft(encounter_id, current.version, info, findings, notes, ACTOR)
        self.journal.write({"t": "done", "op": "save", "id": encounter_id, "state": state_of(record)})

    def finalize(self, encounter_id: int) -> None:
        current = self.store.load_encounter(encounter_id)
        expect = {**state_of(current), "status": "final", "version": current.version + 1}
        self.journal.write({"t": "begin", "op": "finalize", "id": encounter_id, "expect": expect})
        record = self.store.finalize(encounter_id, current.version, ACTOR)
        self.journal.write({"t": "done", "op": "finalize", "id": encounter_id, "state": state_of(record)})

    def amend(self, encounter_id: int) -> int:
        current = self.store.load_encounter(encounter_id)
        reason = f"correction {self.rng.getrandbits(32):08x}"
        expect = {**state_of(current), "status": "draft", "version": 1, "amends_id": encounter_id,
                  "amend_reason": reason}
        self.journal.write({"t": "begin", "op": "amend", "id": None, "expect": expect})
        record = self.store.amend(encounter_id, reason, ACTOR)
        self.journal.write({"t": "done", "op": "amend", "id": record.id, "state": state_of(record)})
        return record.id

    def step(self, mode: str) -> None:
        rng = self.rng
        if mode == "finalize":
            drafts = self._candidates("draft")
            self.finalize(rng.choice(drafts) if drafts else self.create())
        elif mode == "amend":
            finals = self._candidates("final", unamended=True)
            if not finals:
                self.finalize(self.create())
                return
            amendment = self.amend(rng.choice(finals))
            self.finalize(amendment)
        else:
            drafts = self._candidates("draft")
            roll = rng.random()
            if not drafts or roll < 0.2:
                self.create()
            elif roll < 0.65:
                self.save(rng.choice(drafts))
            elif roll < 0.85:
                self.finalize(rng.choice(drafts))
            else:
                finals = self._candidates("final", unamended=True)
                if finals:
                    self.amend(rng.choice(finals))


def work(url: str, journal_path: str, patient_id: int, mode: str, seed: int) -> None:
    store = Store.open(url)  # opened after the fork: no connection is ever shared between processes
    worker = Worker(store, Journal(journal_path), patient_id, random.Random(seed))
    print("ready", flush=True)
    while True:
        worker.step(mode)


def main() -> None:
    url, journal_path, patient_id = sys.argv[1], sys.argv[2], int(sys.argv[3])

    def run(words: list[str]) -> None:
        mode, seed = words
        assert mode in MODES
        work(url, journal_path, patient_id, mode, int(seed))

    serve_forks(run)


if __name__ == "__main__":
    main()
