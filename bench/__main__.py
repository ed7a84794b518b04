"""`make bench`: build clinic-sized data with `demo`, measure, print one table.

Each row: the figure, its target, and for ratio targets the reference measured in the same run.
Whole-process figures are medians of several runs after a warm-up; in-process figures report the
median and the 95th percentile. Run `python -m bench --help` for the sizes and run counts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rows import Row  # noqa: E402 - after the path is set


def median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def time_calls(fn: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["KNEECHECK_BENCH"] = "1"
    # Measure programs as installed, with their bytecode cached: a development shell may set
    # PYTHONDONTWRITEBYTECODE, and then every start would recompile every module. The cache goes
    # to a folder outside the repository; the warm-up run fills it. Same for every program measured.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kneecheck-bench-pycache")
    return env


@dataclass
class Launch:
    """One whole process: what it printed about itself, and its peak memory."""

    shown_s: float
    ready_s: float | None
    peak_kib: int


_SHOWN = re.compile(r"^window shown in ([0-9.]+) s$", re.MULTILINE)
_READY = re.compile(r"^database ready in ([0-9.]+) s$", re.MULTILINE)


def run_process(argv: list[str]) -> Launch:
    """Start one process the same way for every program measured: the launch time goes in
    $KNEECHECK_LAUNCHED_AT just before the process is started, and the program reports
    `window shown in X s` (and, for KneeCheck, `database ready in Y s`) from it."""
    env = child_env()
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        env["KNEECHECK_LAUNCHED_AT"] = repr(time.time())
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)  # wait4, not wait(): it also gives the peak RSS
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        text, err = out_file.read().decode(errors="replace"), err_file.read().decode(errors="replace")
    shown = _SHOWN.search(text)
    if code != 0 or shown is None:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({code}): {err.strip() or text.strip()}")
    ready = _READY.search(text)
    return Launch(float(shown.group(1)), float(ready.group(1)) if ready else None, usage.ru_maxrss)


@dataclass
class StartFigures:
    shown_s: float
    """median seconds to window shown"""
    ready_s: float | None
    """median seconds to database ready (KneeCheck only)"""
    peak_kib: int
    """largest peak RSS of any run"""


def start_figures(programs: dict[str, list[str]], runs: int) -> dict[str, StartFigures]:
    """Each program once as a warm-up (page cache, .pyc files, a first-time schema migration),
    then ``runs`` rounds of one run each, interleaved so that load from other users of the
    machine falls on all programs alike; medians per program."""
    for argv in programs.values():
        run_process(argv)
    results: dict[str, list[Launch]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, argv in programs.items():
            results[name].append(run_process(argv))
    figures = {}
    for name, launches in results.items():
        ready = [r.ready_s for r in launches if r.ready_s is not None]
        figures[name] = StartFigures(statistics.median(r.shown_s for r in launches),
                                     statistics.median(ready) if ready else None,
                                     max(r.peak_kib for r in launches))
    return figures


def build_database(path: Path, patients: int, encounters: int) -> float:
    url = f"sqlite:///{path}"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "main.py", "--db", url, "demo", "--patients", str(patients),
                    "--encounters", str(encounters)], cwd=ROOT, env=child_env(), check=True,
                   stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    # The kernel writes the new database file back for many seconds after demo exits; flush it now
    # so that disk writeback does not fall on the start-up runs that follow (seen: +40% on them).
    os.sync()
    return elapsed


def bench_assess(runs: int) -> Row:
    from models.assessment import assess
    from models.case import load_case_file

    cases = [load_case_file(p) for p in sorted((ROOT / "tests" / "cases").glob("*.json"))
             if ".expected" not in p.name]
    samples: list[float] = []
    for case in cases:
        samples += time_calls(lambda c=case: assess(c), runs // len(cases))
    med, p95 = median_p95(samples)
    return Row("assess one case, in process", f"median {med:.3f} ms, p95 {p95:.3f} ms", "median < 1 ms", "", med < 1.0)


def bench_pdf(runs: int) -> Row:
    from bench.pdf_bench import bare_document, inputs
    from reports.summary import render_summary

    case, assessment = inputs("sciatica_posterior_knee")
    ours = time_calls(lambda: render_summary(case, assessment), runs)
    bare = time_calls(lambda: bare_document(case, assessment), runs)
    med, p95 = median_p95(ours)
    ref, _ = median_p95(bare)
    ratio = med / ref
    return Row("summary PDF, in process, warm", f"median {med:.1f} ms, p95 {p95:.1f} ms ({ratio:.2f}x)",
               "<= 2.5 x bare platypus", f"bare platypus {ref:.1f} ms", ratio <= 2.5)


def bench_archival_pdf(runs: int) -> Row:
    """What a file or a record receives: the same summary as PDF/A-3b with its case file and FHIR
    Bundle attached (reports.archive.record_summary). Shown for information beside the row above."""
    from bench.pdf_bench import inputs
    from reports.archive import record_summary, unstored_metadata

    case, assessment = inputs("sciatica_posterior_knee")
    meta = unstored_metadata()
    samples = time_calls(lambda: record_summary(case, assessment, meta, mrn_system="urn:kneecheck:mrn"), runs)
    med, p95 = median_p95(samples)
    return Row("archival summary (PDF/A-3b + case file + FHIR Bundle), warm", f"median {med:.1f} ms, p95 {p95:.1f} ms",
               "information", "", None)


def bench_store(url: str, runs: int) -> list[Row]:
    from models.case import EncounterInfo
    from models.store import Actor, Store

    store = Store.open(url)
    rows: list[Row] = []
    try:
        actor = Actor.current("Dr Bench")
        rng = random.Random(7)

        # patient search: prefixes of demo family names and MRNs, first 50 matches
        probes = [p.family_name[: rng.randint(1, 6)] for p in store.find_patients("T", limit=200)]
        probes += ["DEMO-0", "DEMO-00012", "te", "Test", "1970-01-01"]
        samples: list[float] = []
        for _ in range(max(1, runs // len(probes))):
            for text in probes:
                t0 = time.perf_counter()
                store.find_patients(text, limit=50)
                samples.append((time.perf_counter() - t0) * 1000.0)
        med, p95 = median_p95(samples)
        rows.append(Row("patient search, first 50 matches", f"median {med:.2f} ms, p95 {p95:.2f} ms",
                        "median < 10 ms, p95 < 20 ms", "", med < 10 and p95 < 20))

        # one patient's encounter list
        patient_ids = [p.id for p in store.find_patients("DEMO-", limit=50)]
        samples = []
        for _ in range(max(1, runs // len(patient_ids))):
            for pid in patient_ids:
                t0 = time.perf_counter()
                store.list_encounters(pid)
                samples.append((time.perf_counter() - t0) * 1000.0)
        med, p95 = median_p95(samples)
        rows.append(Row("one patient's encounter list", f"median {med:.2f} ms, p95 {p95:.2f} ms",
                        "median < 5 ms", "", med < 5))

        # save one encounter (draft save with its audit row, durable commit)
        patient = store.find_patients("DEMO-", limit=1)[0]
        info = EncounterInfo(date=__import__("datetime").date(2026, 11, 20), clinician="Dr Bench", knee="left")
        record = store.create_draft(patient.id, info, {"slr": "negative"}, "", actor)
        answers = ["positive", "negative"]
        samples = []
        for n in range(runs):
            findings = {"slr": answers[n % 2], "swelling": "none", "sensory_changes": "no"}
            t0 = time.perf_counter()
            record = store.save_draft(record.id, record.version, info, findings, f"note {n}", actor)
            samples.append((time.perf_counter() - t0) * 1000.0)
        med, p95 = median_p95(samples)
        rows.append(Row("save one encounter + audit row, durable, SQLite", f"median {med:.2f} ms, p95 {p95:.2f} ms",
                        "median < 5 ms", "", med < 5))
    finally:
        store.close()
    return rows


def bench_typing(url: str) -> Row:
    """Type 10 characters into the patient search field and record the longest event-loop stall."""
    out = subprocess.run([sys.executable, "-m", "bench.typing_probe", url], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True, check=True)
    stall = json.loads(out.stdout)["max_stall_ms"]
    return Row("typing 10 characters in patient search", f"longest stall {stall:.1f} ms",
               "no stall > 50 ms", "", stall <= 50)


NETWORK_RTT_MS = 20.0
STALL_LIMIT_MS = 50.0
STALL_PHASES = {"sign_in": "signing in", "search": "typing in patient search",
                "answer_autosave": "answering items with autosave", "save": "saving",
                "finalize": "finalizing", "open_encounter": "opening an encounter",
                "open_patient": "opening a patient (encounter list)"}


def bench_round_trips(sqlite_url: str, pg_url: str | None, runs: int) -> list[Row]:
    """Round trips per save, search and encounter list: SQLite statements for reference, and
    PostgreSQL through the delay proxy at 0 and 20 ms, counted at the proxy (bench/roundtrips.py)."""
    from bench.netproxy import NetProxy
    from bench.roundtrips import TARGETS, WHAT, ProxyCounter, SqliteCounter, measure, store_engine

    def cells(figures, op: str) -> str:  # type: ignore[no-untyped-def]
        low, high = figures.spread[op]
        spread = "" if low == high else f" ({low}-{high})"
        return f"{figures.round_trips[op]}{spread}, median {figures.median_ms[op]:.1f} ms"

    rows: list[Row] = []
    lite = measure(sqlite_url, lambda store: SqliteCounter(store_engine(store)), runs)
    for op in TARGETS:
        rows.append(Row(f"round trips: {WHAT[op]}, SQLite (statements + commits)", cells(lite, op),
                        "information (in-process calls)", "", None))
    if pg_url is None:
        return rows
    for rtt in (0.0, NETWORK_RTT_MS):
        with NetProxy(round_trip_ms=rtt) as proxy:
            figures = measure(proxy.url(pg_url), ProxyCounter(proxy).for_store, runs)
        for op, target in TARGETS.items():
            rows.append(Row(f"round trips: {WHAT[op]}, PostgreSQL {rtt:.0f} ms", cells(figures, op),
                            f"<= {target}", f"SQLite {lite.round_trips[op]}", figures.round_trips[op] <= target))
    return rows


def stall_probe(url: str) -> dict[str, dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "bench.stall_probe", url], cwd=ROOT, env=child_env(),
                         capture_output=True, text=True)
    try:
        report = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SystemExit(f"bench: the stall probe failed ({out.returncode}): {out.stderr.strip()[-2000:]}") from None
    if report.get("error") or report.get("unexpected_messages"):
        print(f"bench: stall probe on {url.split('?')[0]}: {report.get('error') or ''} "
              f"{report.get('unexpected_messages') or ''}".rstrip(), file=sys.stderr)
    return dict(report["phases"])


def bench_stalls(sqlite_url: str, pg_url: str | None) -> list[Row]:
    """The longest GUI-thread stall in each phase of a clinician's work (bench/stall_probe.py), on
    PostgreSQL 20 ms away through the proxy, with SQLite beside it for reference."""
    from bench.netproxy import NetProxy

    lite = stall_probe(sqlite_url)
    far: dict[str, dict[str, object]] = {}
    if pg_url is not None:
        with NetProxy(round_trip_ms=NETWORK_RTT_MS) as proxy:
            far = stall_probe(proxy.url(pg_url))

    def shown(phase: dict[str, object] | None) -> str:
        if phase is None:
            return "not reached"
        text = f"{float(phase['max_stall_ms']):.1f} ms"  # type: ignore[arg-type]
        return text if phase["completed"] else text + " (did not finish)"

    rows = []
    for key, what in STALL_PHASES.items():
        if pg_url is None:
            phase = lite.get(key)
            ok = None if phase is None else bool(phase["completed"]) and float(phase["max_stall_ms"]) <= STALL_LIMIT_MS  # type: ignore[arg-type]
            rows.append(Row(f"longest GUI stall {what}, SQLite", shown(phase), f"no stall > {STALL_LIMIT_MS:.0f} ms",
                            "", ok))
            continue
        phase = far.get(key)
        ok = phase is not None and bool(phase["completed"]) and float(phase["max_stall_ms"]) <= STALL_LIMIT_MS  # type: ignore[arg-type]
        rows.append(Row(f"longest GUI stall {what}, PostgreSQL {NETWORK_RTT_MS:.0f} ms", shown(phase),
                        f"no stall > {STALL_LIMIT_MS:.0f} ms", f"SQLite {shown(lite.get(key))}", ok))
    return rows


def bench_network(work: Path, runs: int) -> list[Row]:
    """Round trips and GUI stalls, each on a fresh small database: a SQLite file and a schema of its
    own on the real PostgreSQL server (dropped afterwards); without a server, one line says so."""
    from bench.roundtrips import fill, postgres_base_url, postgres_schema

    patients, encounters = 2_000, 6_000
    sqlite_rt, sqlite_gui = work / "roundtrips.db", work / "stalls.db"
    for p in (sqlite_rt, sqlite_gui):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{p}{suffix}").unlink(missing_ok=True)
        fill(f"sqlite:///{p}", patients, encounters, account=True)
    base, why = postgres_base_url()
    if base is None:
        print(f"bench: PostgreSQL rows skipped: {why}", file=sys.stderr)
        rows = bench_round_trips(f"sqlite:///{sqlite_rt}", None, runs)
        rows.append(Row("PostgreSQL rows (round trips, GUI stalls at 20 ms)", "skipped", why[:60], "", None))
        return rows + bench_stalls(f"sqlite:///{sqlite_gui}", None)
    with postgres_schema(base) as pg_rt, postgres_schema(base) as pg_gui:
        fill(pg_rt, patients, encounters, account=True)
        fill(pg_gui, patients, encounters, account=True)
        return bench_round_trips(f"sqlite:///{sqlite_rt}", pg_rt, runs) + bench_stalls(f"sqlite:///{sqlite_gui}", pg_gui)


def bench_fhir_bulk(url: str, days: int) -> Row:
    """`export --fhir --since DATE` (NDJSON, one Bundle per line) over the encounters of the last
    ``days`` days, read from its stdout as a pipe; the whole process, start-up included."""
    import datetime as dt

    since = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    env = child_env()
    env["KNEECHECK_CLINICIAN"] = "Dr Bench"
    lines = 0
    with tempfile.TemporaryFile() as err_file:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "main.py", "--db", url, "export", "--fhir", "--since", since],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err_file)
        assert proc.stdout is not None
        while chunk := proc.stdout.read(1 << 20):
            lines += chunk.count(b"\n")
        code = proc.wait()
        elapsed = time.perf_counter() - t0
        err_file.seek(0)
        err = err_file.read().decode(errors="replace")
    if code != 0:
        raise SystemExit(f"bench: bulk FHIR export failed ({code}): {err.strip()}")
    rate = lines / elapsed
    return Row("FHIR bulk export (NDJSON, no PDF)", f"{rate:,.0f} encounters/s ({lines:,} in {elapsed:.1f} s)",
               ">= 1,000 encounters/s", f"--since {since} (last {days} days)", rate >= 1000)


BUNDLE = ROOT / "dist" / "pyinstaller" / "kneecheck"  # what `make package` builds
BUNDLE_LIMIT_MB = 150.0


def bench_package(work: Path, runs: int) -> list[Row]:
    """The clinic's bundle (`make package`): its size on disk, and its cold start to the window
    against the source tree's, both on the same empty SQLite database, interleaved runs."""
    program = BUNDLE / "kneecheck"
    if not program.is_file():
        why = "not built: run make package"
        return [Row("bundle size on disk", why, f"<= {BUNDLE_LIMIT_MB:.0f} MB", "", None),
                Row("cold start to window shown, bundle vs source tree", why, "<= 1.2 x source tree", "", None)]
    # Disk usage as `du -s` counts it (allocated blocks, each file once, symlinks as links).
    seen: set[tuple[int, int]] = set()
    blocks = 0
    for path in [BUNDLE, *BUNDLE.rglob("*")]:
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            blocks += info.st_blocks
    size_mb = blocks * 512 / 2**20
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(program.stat().st_mtime))
    rows = [Row("bundle size on disk", f"{size_mb:.0f} MB", f"<= {BUNDLE_LIMIT_MB:.0f} MB",
                f"{BUNDLE.relative_to(ROOT)}, built {built}", size_mb <= BUNDLE_LIMIT_MB)]
    db = work / "package.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    start = start_figures({"source": [sys.executable, "main.py", "--smoke-test", "--db", url],
                           "bundle": [str(program), "--smoke-test", "--db", url]}, runs)
    source_s, bundle_s = start["source"].shown_s, start["bundle"].shown_s
    rows.append(Row("cold start to window shown, bundle vs source tree", f"{bundle_s:.3f} s ({bundle_s / source_s:.2f}x)",
                    "<= 1.2 x source tree", f"source tree {source_s:.3f} s, same empty SQLite database",
                    bundle_s <= 1.2 * source_s))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--encounters", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs per figure (after a warm-up)")
    parser.add_argument("--samples", type=int, default=400, help="in-process samples per figure")
    parser.add_argument("--keep", metavar="DIR", help="keep the databases in DIR")
    parser.add_argument("--bulk-days", type=int, default=180, metavar="N",
                        help="the FHIR bulk export covers the encounters of the last N days (default 180)")
    parser.add_argument("--only", choices=("all", "network", "writers", "package"), default="all",
                        help="network: only the round-trip and GUI-stall rows (SQLite and PostgreSQL via the proxy); "
                             "writers: only the ten-writer and network-cut rows (PostgreSQL); "
                             "package: only the bundle's size and start-up rows (make package builds it)")
    parser.add_argument("--writer-seconds", type=float, default=30.0, metavar="S",
                        help="how long the ten writers save (default 30)")
    parser.add_argument("--round-trip-runs", type=int, default=30, metavar="N",
                        help="measured calls per round-trip figure (default 30)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kneecheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    empty_db, large_db = work / "empty.db", work / "large.db"
    for p in (empty_db, large_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{p}{suffix}").unlink(missing_ok=True)

    rows: list[Row] = []
    if args.only == "network":
        print("round trips and GUI stalls ...", file=sys.stderr)
        return print_rows(bench_network(work, args.round_trip_runs), work)
    if args.only == "package":
        print("the bundle: size and start-up ...", file=sys.stderr)
        return print_rows(bench_package(work, args.runs), work)
    if args.only == "writers":
        from bench.writers import bench_writers

        print(f"ten writers for {args.writer_seconds:.0f} s, and a network cut (PostgreSQL) ...", file=sys.stderr)
        return print_rows(bench_writers(args.writer_seconds), work)
    print(f"building {args.patients:,} patients / {args.encounters:,} encounters with demo ...", file=sys.stderr)
    load_s = build_database(large_db, args.patients, args.encounters)
    rows.append(Row(f"demo load {args.patients:,} / {args.encounters:,}", f"{load_s:.1f} s", "< 90 s", "", load_s < 90))

    py = sys.executable
    print("start-up ...", file=sys.stderr)
    smoke = [py, "main.py", "--smoke-test", "--db"]
    start = start_figures({"minimal": [py, "bench/minimal_window.py"],
                           "empty": [*smoke, f"sqlite:///{empty_db}"],
                           "large": [*smoke, f"sqlite:///{large_db}"]}, args.runs)
    ref_s, empty_s, large_s = start["minimal"].shown_s, start["empty"].shown_s, start["large"].shown_s
    empty_ready, large_ready, large_rss = start["empty"].ready_s, start["large"].ready_s, start["large"].peak_kib
    rows.append(Row("cold start to window shown, empty database", f"{empty_s:.3f} s ({empty_s / ref_s:.2f}x)",
                    "<= 1.5 x minimal PySide6 window", f"minimal window {ref_s:.3f} s", empty_s <= 1.5 * ref_s))
    rows.append(Row("cold start to window shown, large database", f"{large_s:.3f} s ({large_s / empty_s - 1:+.1%})",
                    "within 10% of empty", f"empty {empty_s:.3f} s", large_s <= 1.10 * empty_s))
    rows.append(Row("database ready (store attached), empty / large",
                    f"{empty_ready or float('nan'):.3f} s / {large_ready or float('nan'):.3f} s",
                    "none (information)", "", None))
    rows.append(Row("peak memory, GUI with large database", f"{large_rss / 1024:.0f} MB", "< 250 MB", "",
                    large_rss / 1024 < 250))
    print("the bundle: size and start-up ...", file=sys.stderr)
    rows += bench_package(work, args.runs)

    print("in-process figures ...", file=sys.stderr)
    rows.append(bench_assess(args.samples))
    rows.append(bench_pdf(max(50, args.samples // 4)))
    rows.append(bench_archival_pdf(max(50, args.samples // 4)))
    rows += bench_store(f"sqlite:///{large_db}", args.samples)
    rows.append(bench_typing(f"sqlite:///{large_db}"))
    print("FHIR bulk export ...", file=sys.stderr)
    rows.append(bench_fhir_bulk(f"sqlite:///{large_db}", args.bulk_days))
    print("round trips and GUI stalls (SQLite, PostgreSQL via a delay proxy) ...", file=sys.stderr)
    rows += bench_network(work, args.round_trip_runs)
    from bench.writers import bench_writers

    print(f"ten writers for {args.writer_seconds:.0f} s, and a network cut (PostgreSQL) ...", file=sys.stderr)
    rows += bench_writers(args.writer_seconds)
    return print_rows(rows, work)


def print_rows(rows: list[Row], work: Path) -> int:
    widths = [max(len(r.figure) for r in rows), max(len(r.value) for r in rows),
              max(len(r.target) for r in rows), max(len(r.reference) for r in rows)]
    header = ("figure", "measured", "target", "reference (same run)")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " | met"
    print(line)
    print("-" * len(line))
    for r in rows:
        cells = (r.figure, r.value, r.target, r.reference)
        verdict = " | -" if r.ok is None else " | yes" if r.ok else " | NO"
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + verdict)
    targets = [r for r in rows if r.ok is not None]
    met = sum(bool(r.ok) for r in targets)
    print(f"\n{met} of {len(targets)} targets met; data in {work}")
    return 0 if met == len(targets) else 1


if __name__ == "__main__":
    sys.exit(main())
