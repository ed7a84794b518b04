"""Synthetic demo data: obviously fake patients ("Testpatient-00042", MRN "DEMO-000042") and draft
encounters with plausible random findings, for demonstrations and benchmarks.

Built for speed: rows go in with the driver's executemany in large chunks, a few transactions in
all, and the assessment is computed once per distinct (finding pattern, age) and reused. Only the
store calls :func:`load_demo`, with a connection it opened.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from models.assessment import assess_findings
from models.case import FindingValue, age_on
from models.catalogue import Catalogue, load_catalogue

CHUNK = 50_000
PATTERNS = 400
SEED = 20261124
GIVEN_NAMES = ("Alex", "Sam", "Robin", "Kim", "Jo", "Chris", "Pat", "Toni", "Mika", "Noa", "Eli", "Ira")
SEXES = ("female", "male", "other", "unknown")
KNEES = ("left", "right", "both")
CLINICIANS = ("Dr Demo One", "Dr Demo Two", "PT Demo Three")

Progress = Callable[[str, int, int], None]


def finding_patterns(catalogue: Catalogue, rng: random.Random, count: int) -> list[dict[str, FindingValue]]:
    """Plausible exams: key items usually answered, a handful of others, red flags rarely yes."""
    patterns = []
    optional = [i for i in catalogue.items if not i.key and not i.group]  # no follow-up groups
    for _ in range(count):
        findings: dict[str, FindingValue] = {}
        for item in catalogue.key_items:
            if rng.random() < 0.9:
                findings[item.id] = rng.choice(item.values)
        for item in rng.sample(optional, rng.randint(3, 12)):
            if item.is_number:
                assert item.minimum is not None and item.maximum is not None
                findings[item.id] = rng.randint(int(item.minimum), min(int(item.maximum), 90))
            elif item.red_flag:
                findings[item.id] = "yes" if rng.random() < 0.03 else "no"
            else:
                findings[item.id] = rng.choice(item.values)
        order = {item.id: n for n, item in enumerate(catalogue.items)}
        patterns.append(dict(sorted(findings.items(), key=lambda kv: order[kv[0]])))
    return patterns


PATIENT_COLUMNS = ("id", "mrn", "family_name", "given_name", "birth_date", "sex", "family_key", "given_key", "mrn_key",
                   "created_at", "updated_at")
ENCOUNTER_COLUMNS = ("id", "patient_id", "date", "knee", "clinician", "findings", "notes", "status", "ruleset",
                     "assessment_id", "direction", "urgency", "version", "created_at", "updated_at")


def _insert(conn: sa.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert: the driver's executemany on SQLite, COPY on PostgreSQL (ten times faster there)."""
    names = ", ".join(columns)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
        return
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write_row(row)


def _chunks(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, CHUNK):
        yield start, min(CHUNK, total - start)


def load_demo(conn: sa.Connection, patients: int, encounters: int, progress: Progress | None = None) -> None:
    """Insert ``patients`` fake patients and ``encounters`` drafts spread over them (and over any
    demo patients inserted now only)."""
    # The one definition of how assessments are stored and hashed.
    from models.store import assessment_id_for, canonical_json, sha256_hex

    if patients < 1 or encounters < 0:
        raise ValueError("demo needs at least one patient and a non-negative number of encounters")
    report = progress or (lambda _stage, _done, _total: None)
    sqlite = conn.dialect.name == "sqlite"
    rng = random.Random(SEED)
    catalogue = load_catalogue()
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    stamp: Any = now.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now

    def db_date(d: dt.date) -> Any:
        # The SQLite driver stores dates as ISO text exactly as SQLAlchemy does; psycopg takes objects.
        return d.isoformat() if sqlite else d

    with conn.begin():
        first_patient = int(conn.scalar(sa.text("SELECT COALESCE(MAX(id), 0) FROM patient")) or 0) + 1
        first_encounter = int(conn.scalar(sa.text("SELECT COALESCE(MAX(id), 0) FROM encounter")) or 0) + 1

    # Patients: adults born 1936-2006, so every encounter from 2024 on is after birth.
    births: list[dt.date] = []
    for start, size in _chunks(patients):
        rows: list[tuple[Any, ...]] = []
        for n in range(first_patient + start, first_patient + start + size):
            birth = dt.date(1936, 1, 1) + dt.timedelta(days=rng.randrange(70 * 365))
            births.append(birth)
            family, given, mrn = f"Testpatient-{n:05d}", rng.choice(GIVEN_NAMES), f"DEMO-{n:06d}"
            rows.append((n, mrn, family, given, db_date(birth), rng.choice(SEXES), family.casefold(),
                         given.casefold(), mrn.casefold(), stamp, stamp))
        with conn.begin():
            _insert(conn, "patient", PATIENT_COLUMNS, rows)
        report("patients", start + size, patients)

    patterns = finding_patterns(catalogue, rng, PATTERNS)
    pattern_json = [json.dumps(p, separators=(",", ":")) for p in patterns]
    assessments: dict[tuple[int, int, str], tuple[int, str, str]] = {}
    by_digest: dict[str, tuple[int, str, str]] = {}
    ruleset = catalogue.ruleset
    span_days = (today - dt.date(2024, 1, 1)).days
    for start, size in _chunks(encounters):
        rows = []
        with conn.begin():
            for n in range(first_encounter + start, first_encounter + start + size):
                index = rng.randrange(patients)
                date = today - dt.timedelta(days=rng.randrange(span_days))
                pattern = rng.randrange(PATTERNS)
                age = age_on(births[index], date)
                knee = rng.choice(KNEES)  # before assessing: a rule may depend on the knee (both legs)
                stored = assessments.get((pattern, age, knee))
                if stored is None:
                    result = assess_findings(patterns[pattern], age, catalogue, knee=knee).to_dict()
                    # Age changes the result only at a few thresholds: most keys share a digest, and
                    # asking the database once per digest saves thousands of round trips.
                    digest = sha256_hex(canonical_json(result))
                    stored = by_digest.get(digest)
                    if stored is None:
                        stored = (assessment_id_for(conn, result), result["direction"], result["urgency"])
                        by_digest[digest] = stored
                    assessments[(pattern, age, knee)] = stored
                rows.append((n, first_patient + index, db_date(date), knee, rng.choice(CLINICIANS),
                             pattern_json[pattern], "", "draft", ruleset, stored[0], stored[1], stored[2], 1,
                             stamp, stamp))
            _insert(conn, "encounter", ENCOUNTER_COLUMNS, rows)
        report("encounters", start + size, encounters)

    if not sqlite:
        # Explicit ids leave the sequences behind; move them past the new rows.
        with conn.begin():
            for table in ("patient", "encounter"):
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table}))"))
