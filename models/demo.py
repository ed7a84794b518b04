"""Synthetic demo data: obviously fake patients ("Testpatient-00042", MRN "DEMO-000042") and draft
encounters with plausible random findings, for demonstrations and benchmarks.

Generation only, no database: :class:`DemoData` yields the records in chunks, and
:meth:`models.maintenance.MaintenanceMixin.load_demo` stores each chunk through the store's
audited write path. Built for speed: the assessment is computed once per distinct (finding
pattern, age, knee) and hashed once, so the writer asks the database once per distinct result.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from models.assessment import assess_findings
from models.case import FindingValue, age_on
from models.catalogue import Catalogue, load_catalogue
from models.hashing import canonical_json, sha256_hex

PATTERNS = 400
SEED = 20261124
GIVEN_NAMES = ("Alex", "Sam", "Robin", "Kim", "Jo", "Chris", "Pat", "Toni", "Mika", "Noa", "Eli", "Ira")
SEXES = ("female", "male", "other", "unknown")
KNEES = ("left", "right", "both")
CLINICIANS = ("Dr Demo One", "Dr Demo Two", "PT Demo Three")


def demo_names(patient_id: int) -> tuple[str, str]:
    """(family name, MRN) of the demo patient stored with this id."""
    return f"Testpatient-{patient_id:05d}", f"DEMO-{patient_id:06d}"


@dataclass(frozen=True)
class DemoPatient:
    given_name: str
    birth_date: dt.date
    sex: str


@dataclass(frozen=True)
class DemoEncounter:
    patient_index: int  # which of this load's patients (0-based, in the order they were given)
    date: dt.date
    knee: str
    clinician: str
    findings_json: str
    assessment: dict[str, Any]  # shared between encounters with the same result: never change it
    digest: str  # SHA-256 of the assessment's canonical JSON, as the store keys it


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


class DemoData:
    """``patients`` fake patients, then ``encounters`` drafts spread over them (over these patients
    only), drawn from one seeded random sequence. Read :meth:`patient_chunks` to the end first."""

    def __init__(self, patients: int, encounters: int, *, today: dt.date | None = None, seed: int = SEED) -> None:
        if patients < 1 or encounters < 0:
            raise ValueError("demo needs at least one patient and a non-negative number of encounters")
        self.patients, self.encounters = patients, encounters
        self.catalogue = load_catalogue()
        self.ruleset = self.catalogue.ruleset
        self._rng = random.Random(seed)
        self._today = today or dt.datetime.now(dt.UTC).date()
        self._births: list[dt.date] = []

    def patient_chunks(self, size: int) -> Iterator[list[DemoPatient]]:
        # Adults born 1936-2006, so every encounter from 2024 on is after birth.
        rng = self._rng
        for start in range(0, self.patients, size):
            chunk = []
            for _ in range(min(size, self.patients - start)):
                birth = dt.date(1936, 1, 1) + dt.timedelta(days=rng.randrange(70 * 365))
                self._births.append(birth)
                chunk.append(DemoPatient(given_name=rng.choice(GIVEN_NAMES), birth_date=birth, sex=rng.choice(SEXES)))
            yield chunk

    def encounter_chunks(self, size: int) -> Iterator[list[DemoEncounter]]:
        if len(self._births) != self.patients:
            raise RuntimeError("demo encounters are drawn after all demo patients")
        rng, births, catalogue = self._rng, self._births, self.catalogue
        patterns = finding_patterns(catalogue, rng, PATTERNS)
        pattern_json = [json.dumps(p, separators=(",", ":")) for p in patterns]
        results: dict[tuple[int, int, str], tuple[dict[str, Any], str]] = {}
        span_days = (self._today - dt.date(2024, 1, 1)).days
        for start in range(0, self.encounters, size):
            chunk = []
            for _ in range(min(size, self.encounters - start)):
                index = rng.randrange(self.patients)
                date = self._today - dt.timedelta(days=rng.randrange(span_days))
                pattern = rng.randrange(PATTERNS)
                age = age_on(births[index], date)
                knee = rng.choice(KNEES)  # before assessing: a rule may depend on the knee (both legs)
                found = results.get((pattern, age, knee))
                if found is None:
                    result = assess_findings(patterns[pattern], age, catalogue, knee=knee).to_dict()
                    found = results[(pattern, age, knee)] = (result, sha256_hex(canonical_json(result)))
                chunk.append(DemoEncounter(patient_index=index, date=date, knee=knee, clinician=rng.choice(CLINICIANS),
                                           findings_json=pattern_json[pattern], assessment=found[0], digest=found[1]))
            yield chunk
