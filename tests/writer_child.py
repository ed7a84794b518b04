"""Child process for the two-writers test: one workstation saving as fast as it can.

Run as ``python tests/writer_child.py DB_URL NAME PATIENT_ID OWN_ID SHARED_ID SECONDS``. Prints
``ready`` once the store is open, waits for ``go`` on stdin (so both writers start together), then
for SECONDS loops over three kinds of write:

- increments the counter in its own encounter OWN_ID (nobody else touches it: never a conflict);
- increments the counter in the encounter SHARED_ID that the other writer increments too, reading
  the current version and saving against it; a ConflictError means the other writer won that
  round, and it simply reads again (the window shows the clinician the conflict instead);
- creates a new draft encounter of its own with a known note.

At the end it prints one JSON line: how many of each succeeded, the ids and notes it created, and
any error. Any exception except a ConflictError on the shared counter ends the run as an error:
"database is locked" would be one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.case import EncounterInfo
from models.store import Actor, ConflictError, Store

INFO = EncounterInfo(dt.date(2026, 11, 20), "Dr Writer", "left")
FINDINGS = {"slr": "positive"}


def count_in(notes: str) -> int:
    return int(notes.removeprefix("count=") or "0")


def main() -> None:
    url, name, patient_id, own_id, shared_id, seconds = sys.argv[1:7]
    actor = Actor(f"Dr Writer {name}", f"writer-{name}", f"exam-room-{name}")
    result: dict[str, object] = {"own": 0, "shared": 0, "conflicts": 0, "created": {}, "error": None}
    created: dict[int, str] = {}
    store = Store.open(url)
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    deadline = time.monotonic() + float(seconds)
    try:
        step = 0
        while time.monotonic() < deadline:
            kind = step % 3
            step += 1
            if kind == 0:
                own = store.load_encounter(int(own_id))
                store.save_draft(own.id, own.version, INFO, FINDINGS, f"count={count_in(own.notes) + 1}", actor)
                result["own"] = int(str(result["own"])) + 1
            elif kind == 1:
                shared = store.load_encounter(int(shared_id))
                try:
                    store.save_draft(shared.id, shared.version, INFO, FINDINGS,
                                     f"count={count_in(shared.notes) + 1}", actor)
                    result["shared"] = int(str(result["shared"])) + 1
                except ConflictError:
                    result["conflicts"] = int(str(result["conflicts"])) + 1
            else:
                note = f"writer {name} draft {step}"
                record = store.create_draft(int(patient_id), INFO, FINDINGS, note, actor)
                created[record.id] = note
    except Exception as exc:  # reported to the test, which fails on it
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        store.close()
    result["created"] = created
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
