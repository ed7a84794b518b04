"""Ten workstations saving at once on the real PostgreSQL server, and the time to notice a cut.

**Writers.** Ten processes (each its own Store, as ten workstations) save drafts for 30 s, each
starting a save every 100 ms (thirty times the window's autosave rate): eight each on a draft of
its own, two on one shared draft; then 5 s more flat out (information: on a small machine that
row measures the CPU the processes and the server share). A save names the version
it was based on; on the shared draft the loser of a race gets a ConflictError (expected), reloads
and saves again. Every save's notes are unique (writer, sequence), so no two saves store the same
content. Counted: saves (acknowledged), conflicts, errors (any other exception), and **lost
updates**, checked afterwards from the database:

- every acknowledged save of a draft got a version number; that draft's ``draft_saved`` audit
  rows must name exactly the versions acknowledged, each once (``version N``), 2 up to the
  draft's final version, with no gap: an acknowledged save missing from the audit trail, a
  version acknowledged to two writers (one overwrote the other without a conflict), or a stored
  version that nobody was told of each count as one lost update;
- the stored draft must hold the notes of the save acknowledged with its final version;
- ``verify`` must be clean (the audit chain whole).

p50 and p99 are over every acknowledged save of every process (wall time of ``save_draft``).

**Network cut.** A Store reaches the server through :class:`bench.netproxy.NetProxy`; after a
normal save the proxy black-holes the link (nothing forwarded, sockets open, as when packets are
dropped) and the next save is timed until it raises its error: the time and the message.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WRITERS, SHARED_WRITERS = 10, 2
SECONDS = 30.0
# Each writer starts a save every PAUSE_MS: ten times a second, thirty times the window's autosave
# (every 3 s of typing); FLAT_OUT_SECONDS more of saving as fast as they can, shown for information
# (on a small machine that measures the CPU the ten processes and the server share, not waiting).
PAUSE_MS = 100.0
FLAT_OUT_SECONDS = 5.0
P99_TARGET_MS = 20.0
CUT_TARGET_S = 10.0


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _setup(url: str) -> tuple[list[int], int]:
    from models.case import EncounterInfo, Patient
    from models.store import Actor, Store

    actor = Actor("Dr Bench", "bench", "bench-setup")
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Bench", "left")
    with Store.open(url) as store:
        drafts = []
        for n in range(WRITERS - SHARED_WRITERS + 1):
            patient = store.create_patient(Patient(f"BW-{n:04d}", "Writerbench", f"Pat{n}", dt.date(1970, 1, 1 + n),
                                                   "unknown"), actor)
            drafts.append(store.create_draft(patient.id, info, {"slr": "positive"}, "start", actor).id)
    return drafts[:-1], drafts[-1]


def child(url: str, name: str, draft_id: int, seconds: float, pause_ms: float) -> None:
    """One writer: saves ``draft_id`` until ``seconds`` have passed after "go" on stdin, starting a
    save every ``pause_ms`` (0: as fast as it can); prints one JSON line: acknowledged saves
    [version, notes, ms], conflicts, errors."""
    from models.case import EncounterInfo
    from models.store import Actor, ConflictError, Store

    actor = Actor("Dr Bench", "bench", f"ws-{name}")
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Bench", "left")
    saves: list[tuple[int, str, float]] = []
    conflicts, errors = 0, []
    with Store.open(url) as store:
        version = store.load_encounter(draft_id).version
        seq = 0

        def save(timed: bool) -> None:
            nonlocal version, seq, conflicts
            seq += 1
            notes = f"{name}:{seq}"
            findings = {"slr": "positive" if seq % 2 else "negative", "swelling": "none"}
            started = time.perf_counter()
            try:
                record = store.save_draft(draft_id, version, info, findings, notes, actor)
            except ConflictError as exc:
                conflicts += 1
                version = exc.stored.version
                return
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
                try:
                    version = store.load_encounter(draft_id).version
                except Exception:
                    time.sleep(0.1)
                return
            # Warm-up saves (compiling the statements once per process) are checked like any
            # other but not timed (-1).
            saves.append((record.version, notes, (time.perf_counter() - started) * 1000 if timed else -1.0))
            version = record.version

        for _ in range(3):
            save(False)
        conflicts = 0
        print("ready", flush=True)
        sys.stdin.readline()
        deadline = time.monotonic() + seconds
        # Workstations are not in step: writer n starts n tenths of a pause after "go".
        next_start = time.monotonic() + pause_ms / 1000 * (int(name.removeprefix("w")) % WRITERS) / WRITERS
        while time.monotonic() < deadline:
            if pause_ms:
                next_start += pause_ms / 1000
                time.sleep(max(0.0, next_start - time.monotonic()))
            save(True)
    print(json.dumps({"name": name, "draft": draft_id, "saves": saves, "conflicts": conflicts, "errors": errors}))


def _lost_updates(url: str, results: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """The lost updates (see the module docstring) and a few lines about the first ones."""
    import sqlalchemy as sa

    from models.schema import AuditRow
    from models.store import Store

    lost, notes = 0, []
    by_draft: dict[int, list[tuple[int, str]]] = {}
    for result in results:
        by_draft.setdefault(result["draft"], []).extend((v, n) for v, n, _ in result["saves"])
    with Store.open(url) as store:
        problems = store.verify()
        if problems:
            lost += len(problems)
            notes += problems[:3]
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                for draft_id, acked in by_draft.items():
                    audited = [int(d.removeprefix("version ")) for d in conn.scalars(
                        sa.select(AuditRow.detail).where(AuditRow.encounter_id == draft_id,
                                                         AuditRow.action == "draft_saved"))]
                    stored = store.load_encounter(draft_id)
                    versions = [v for v, _ in acked]
                    expected = set(range(2, stored.version + 1))
                    twice = len(versions) - len(set(versions))
                    missing = len(set(versions) - set(audited))
                    untold = len(expected - set(versions))
                    bad_audit = len(audited) != len(set(audited)) or set(audited) != expected
                    final_ok = dict(acked).get(stored.version) == stored.notes if acked else stored.version == 1
                    count = twice + missing + untold + int(bad_audit) + int(not final_ok)
                    if count:
                        notes.append(f"draft {draft_id}: {twice} versions acknowledged twice, {missing} not audited, "
                                     f"{untold} stored but never acknowledged, audit rows as stored: {not bad_audit}, "
                                     f"final notes kept: {final_ok}")
                    lost += count
        finally:
            engine.dispose()
    return lost, notes


def run_writers(url: str, seconds: float = SECONDS, pause_ms: float = PAUSE_MS) -> dict[str, Any]:
    own, shared = _setup(url)
    targets = [*own, *([shared] * SHARED_WRITERS)]
    procs = [subprocess.Popen([sys.executable, "-m", "bench.writers", url, f"w{n}", str(draft), str(seconds),
                               str(pause_ms)],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for n, draft in enumerate(targets)]
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
            if line != "ready":
                raise SystemExit(f"bench: a writer did not start: {line!r}")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds + 120)
            if proc.returncode != 0:
                raise SystemExit(f"bench: a writer failed ({proc.returncode}): {out[-500:]}")
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    lost, lost_notes = _lost_updates(url, results)
    latencies = [ms for r in results for _, _, ms in r["saves"] if ms >= 0]
    return {
        "saves": len(latencies), "conflicts": sum(r["conflicts"] for r in results),
        "errors": sum(len(r["errors"]) for r in results),
        "error_examples": [e for r in results for e in r["errors"]][:3],
        "lost": lost, "lost_notes": lost_notes,
        "shared_saves": sum(len(r["saves"]) for r in results if r["draft"] == shared),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": _percentile(latencies, 0.99), "seconds": seconds,
    }


def time_to_cut_message(base_url: str) -> tuple[float, str]:
    """Seconds from a black-holed link to the error of the save that was waiting, and its message."""
    from bench.netproxy import NetProxy
    from models.case import EncounterInfo, Patient
    from models.store import Actor, Store, StoreError

    actor = Actor("Dr Bench", "bench", "ws-cut")
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Bench", "left")
    with NetProxy() as proxy, Store.open(proxy.url(base_url)) as store:
        patient = store.create_patient(Patient("BW-CUT", "Cutbench", "Pat", dt.date(1970, 1, 1), "unknown"), actor)
        draft = store.create_draft(patient.id, info, {}, "", actor)
        draft = store.save_draft(draft.id, draft.version, info, {}, "before the cut", actor)
        proxy.blackhole()
        started = time.monotonic()
        try:
            store.save_draft(draft.id, draft.version, info, {}, "during the cut", actor)
            message = "(the save returned; no error)"
        except StoreError as exc:
            message = str(exc)
        elapsed = time.monotonic() - started
        proxy.heal()
    return elapsed, message


def bench_writers(seconds: float = SECONDS) -> list[Any]:
    """The rows for `make bench` (bench.rows.Row); one line instead without a server."""
    from bench.roundtrips import postgres_base_url, postgres_schema
    from bench.rows import Row

    base, why = postgres_base_url()
    if base is None:
        print(f"bench: writer rows skipped: {why}", file=sys.stderr)
        return [Row("10 writers on PostgreSQL, time to a cut's message", "skipped", why[:60], "", None)]
    with postgres_schema(base) as url:
        r = run_writers(url, seconds, PAUSE_MS)
    with postgres_schema(base) as url:
        flat = run_writers(url, FLAT_OUT_SECONDS, 0.0)
        cut_s, message = time_to_cut_message(url)
    for line in [*r["error_examples"], *r["lost_notes"], *flat["error_examples"], *flat["lost_notes"]]:
        print(f"bench: writers: {line}", file=sys.stderr)
    ok = r["errors"] == 0 and r["lost"] == 0 and r["p99"] < P99_TARGET_MS
    return [
        Row(f"{WRITERS} writers x {r['seconds']:.0f} s, PostgreSQL ({WRITERS - SHARED_WRITERS} own drafts, "
            f"{SHARED_WRITERS} on one; a save each {PAUSE_MS:.0f} ms)", _shown(r),
            f"0 errors, 0 lost, p99 < {P99_TARGET_MS:.0f} ms", "conflicts expected on the shared draft", ok),
        Row(f"the same, saving flat out for {FLAT_OUT_SECONDS:.0f} s", _shown(flat), "0 errors, 0 lost",
            "CPU-bound: 10 processes + server", flat["errors"] == 0 and flat["lost"] == 0),
        Row("silent network cut (proxy black hole) to the save's message", f"{cut_s:.1f} s",
            f"< {CUT_TARGET_S:.0f} s", message[:70], cut_s < CUT_TARGET_S),
    ]


def _shown(r: dict[str, Any]) -> str:
    return (f"{r['saves']:,} saves ({r['shared_saves']:,} shared), {r['conflicts']:,} conflicts, {r['errors']} errors, "
            f"{r['lost']} lost updates, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    child(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
