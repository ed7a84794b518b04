"""Two workstations writing at once: no "database is locked", no lost update, no silent overwrite.

Two processes (tests/writer_child.py) save into one database for a few seconds: each increments
its own counter encounter, both increment one shared counter encounter against its version, and
each creates drafts of its own. Afterwards every acknowledged change must be there. Default 5 s;
``KNEECHECK_LONG=1`` runs 30 s (``KNEECHECK_WRITERS_SECONDS`` sets it directly).

Then two Store instances edit one encounter at the same moment, over and over: exactly one save
wins each time and the other gets a ConflictError carrying the winner's version; never both.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from models.case import EncounterInfo, Patient
from models.store import Actor, ConflictError, EncounterRecord, Store

CHILD = Path(__file__).resolve().parent / "writer_child.py"
SECONDS = float(os.environ.get("KNEECHECK_WRITERS_SECONDS", "30" if os.environ.get("KNEECHECK_LONG") == "1" else "5"))
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")
INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Writer", "left")


def _setup(url: str) -> tuple[int, int, int, int]:
    with Store.open(url) as store:
        patient = store.create_patient(Patient("W-0001", "Writertest", "Sam", dt.date(1970, 1, 1), "unknown"), ACTOR)
        a, b, shared = (store.create_draft(patient.id, INFO, {"slr": "positive"}, "count=0", ACTOR) for _ in range(3))
        return patient.id, a.id, b.id, shared.id


def _run_writers(url: str, patient_id: int, counters: dict[str, int], shared_id: int) -> dict[str, dict[str, Any]]:
    procs = {
        name: subprocess.Popen([sys.executable, str(CHILD), url, name, str(patient_id), str(own), str(shared_id),
                                str(SECONDS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name, own in counters.items()
    }
    try:
        for proc in procs.values():
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for proc in procs.values():  # both start together
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = {}
        for name, proc in procs.items():
            out, _ = proc.communicate(timeout=SECONDS + 120)
            assert proc.returncode == 0, out
            results[name] = json.loads(out.strip().splitlines()[-1])
        return results
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_two_processes_write_without_locking_errors_or_lost_updates(db_url: str) -> None:
    patient_id, own_a, own_b, shared_id = _setup(db_url)
    started = time.monotonic()
    results = _run_writers(db_url, patient_id, {"A": own_a, "B": own_b}, shared_id)
    elapsed = time.monotonic() - started
    for name, result in results.items():
        assert result["error"] is None, f"writer {name}: {result['error']}"  # e.g. "database is locked"
        assert result["own"] > 0 and result["shared"] + result["conflicts"] > 0 and result["created"], result
    # Who wins the shared encounter is up to timing (one writer may lose every round); what matters
    # is that every win is kept. Both writers really competed for it:
    assert results["A"]["shared"] + results["B"]["shared"] > 0

    with Store.open(db_url) as store:
        for name, own_id in (("A", own_a), ("B", own_b)):
            own = store.load_encounter(own_id)
            assert own.notes == f"count={results[name]['own']}"  # every increment is there
            assert own.version == 1 + results[name]["own"]
        shared = store.load_encounter(shared_id)
        successes = results["A"]["shared"] + results["B"]["shared"]
        assert shared.notes == f"count={successes}"  # no increment overwrote another
        assert shared.version == 1 + successes
        created = {int(k): v for r in results.values() for k, v in r["created"].items()}
        stored = {s.id for s in store.list_encounters(patient_id)}
        assert stored == {own_a, own_b, shared_id, *created}
        for encounter_id, note in created.items():
            assert store.load_encounter(encounter_id).notes == note
        assert store.verify() == []
        saves = [e for e in store.audit_events(limit=1_000_000) if e["action"] == "draft_saved"]
        assert len(saves) == results["A"]["own"] + results["B"]["own"] + successes
    writes = sum(r["own"] + r["shared"] + len(r["created"]) for r in results.values())
    conflicts = results["A"]["conflicts"] + results["B"]["conflicts"]
    print(f"\n{db_url.split(':')[0]}: {writes} committed writes in {elapsed:.1f} s "
          f"({writes / SECONDS:.0f}/s over {SECONDS:.0f} s of writing), {conflicts} conflicts on the shared encounter")


def _save_at_once(stores: list[Store], record: EncounterRecord, notes: list[str]) -> list[object]:
    """Both workstations press Save on the same version at the same instant."""
    barrier = threading.Barrier(len(stores))
    outcomes: list[object] = [None] * len(stores)

    def save(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = stores[i].save_draft(record.id, record.version, INFO, {"slr": "negative"}, notes[i], ACTOR)
        except ConflictError as exc:
            outcomes[i] = exc
        except Exception as exc:  # anything else fails the test below
            outcomes[i] = exc

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_simultaneous_edits_of_one_encounter_end_in_a_conflict_never_an_overwrite(db_url: str) -> None:
    _patient_id, encounter_id, _b, _shared = _setup(db_url)
    with Store.open(db_url) as first, Store.open(db_url) as second:
        for round_number in range(15):
            record = first.load_encounter(encounter_id)
            assert second.load_encounter(encounter_id).version == record.version  # both see the same version
            notes = [f"round {round_number} from room 1", f"round {round_number} from room 2"]
            outcomes = _save_at_once([first, second], record, notes)
            saved = [o for o in outcomes if isinstance(o, EncounterRecord)]
            conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
            assert len(saved) == 1 and len(conflicts) == 1, outcomes
            winner, conflict = saved[0], conflicts[0]
            assert winner.version == record.version + 1
            # The loser is told what is stored now, and keeps what it tried to save.
            assert conflict.stored.version == winner.version and conflict.stored.notes == winner.notes
            assert conflict.attempted_notes in notes and conflict.attempted_notes != winner.notes
            assert first.load_encounter(encounter_id).notes == winner.notes
