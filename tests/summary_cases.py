"""Cases for the printed-summary tests: hostile text, non-Latin names and the stress case."""

from __future__ import annotations

from typing import Any

from models.catalogue import load_catalogue
from tests.helpers import make_case

MARKUP_FAMILY = "<b>O'Brien</b> & Sons &amp; </para>"
MARKUP_GIVEN = "<img src='/etc/passwd'/>"
MARKUP_NOTE = "Patient wrote: <i>ouch</i> & AT&T said &amp; </para><unknown>\nSecond line <br/> stays"

NON_LATIN = {
    "greek": ("Παπαδοπούλου", "Ελένη"),
    "cyrillic": ("Иванова", "Жанна"),
    "cjk": ("山田", "太郎"),
    "accents": ("Müller-Lüdenscheidt", "Zoë Åsa Øre"),
}

# Answers that together raise every alert of the catalogue (red flags and the four derived ones).
_ALERTING = {
    "patellar_reflex": "brisk",          # cord signs
    "motor_weakness": "marked",          # major motor deficit
    "recent_trauma": "yes",              # with an Ottawa finding: radiograph
    "hip_rotation_limited": "yes",       # age 8-15: slipped capital femoral epiphysis
}


def stress_case() -> dict[str, Any]:
    """Every item answered, every alert raised, names and notes at their length limits."""
    catalogue = load_catalogue()
    findings: dict[str, Any] = {}
    for item in catalogue.items:
        if item.is_number:
            findings[item.id] = 45 if item.id == "slr_angle" else 6
        elif item.type == "yesno":
            findings[item.id] = "yes"
        else:
            findings[item.id] = item.values[0]
    findings.update(_ALERTING)
    words = "Sehr-lange-Familienname-mit-Bindestrich Ωμέγα Жанна 山田 "
    notes = "\n".join(
        f"{n}. Follow-up observation with <markup> & details; the patient reports stiffness after rest." * 3
        for n in range(1, 70)
    )
    return make_case(
        findings,
        patient={"family_name": (words * 5)[:200], "given_name": ("Maria-Magdalena " * 13)[:200],
                 "birth_date": "2014-03-01", "mrn": "STRESS-" + "9" * 50},
        encounter={"clinician": ("Dr Very Long Clinician Name " * 8)[:200], "knee": "both"},
        notes=notes,
    )
