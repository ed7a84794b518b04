"""What changed since the last visit of the same knee: the findings then and now, the direction,
urgency and scores then and now, and the three scores over all of the patient's visits of that knee.

Plain data in, plain data out (no Qt, no database): the store gives the patient's stored encounters
(:meth:`models.encounters.EncounterMixin.patient_history`), the window and the summary show what
:func:`follow_up` returns. Every visit is shown as it was assessed and stored, under its own rule set;
nothing is re-assessed. An amended visit counts once: as its latest finalized version (a draft
amendment does not replace what was signed until it is finalized itself).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.case import FindingValue

CHANGED, NEW, NO_LONGER = "changed", "newly assessed", "no longer assessed"


@dataclass(frozen=True)
class Visit:
    """One stored encounter, as far as a comparison needs it."""

    id: int
    date: dt.date
    created_at: dt.datetime
    status: str
    ruleset: str
    findings: Mapping[str, FindingValue]
    assessment: Mapping[str, Any]
    amends_id: int | None = None
    knee: str = ""

    @property
    def scores(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in dict(self.assessment.get("scores") or {}).items()}

    @property
    def direction(self) -> str | None:
        value = self.assessment.get("direction")
        return str(value) if value is not None else None

    @property
    def urgency(self) -> str | None:
        value = self.assessment.get("urgency")
        return str(value) if value is not None else None


@dataclass(frozen=True)
class Change:
    item_id: str
    then: FindingValue | None
    now: FindingValue | None
    kind: str  # CHANGED | NEW | NO_LONGER


@dataclass(frozen=True)
class ChartPoint:
    encounter_id: int
    date: dt.date
    ruleset: str
    scores: dict[str, int]
    ruleset_changed: bool  # assessed under another rule set than the visit before it
    current: bool


@dataclass(frozen=True)
class FollowUp:
    since: Visit
    changes: tuple[Change, ...]
    then: dict[str, Any]   # direction, urgency, scores, ruleset of the earlier visit
    now: dict[str, Any]    # the same for this visit
    chart: tuple[ChartPoint, ...]
    final: bool = True  # this visit is signed (else a draft: its missing findings are not yet asked)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for views and the summary (dates as ISO text)."""
        return {
            "since_id": self.since.id, "since_date": self.since.date.isoformat(), "final": self.final,
            "changes": [{"item": c.item_id, "then": c.then, "now": c.now, "kind": c.kind} for c in self.changes],
            "then": dict(self.then), "now": dict(self.now),
            "chart": [{"id": p.encounter_id, "date": p.date.isoformat(), "ruleset": p.ruleset, "scores": dict(p.scores),
                       "ruleset_changed": p.ruleset_changed, "current": p.current} for p in self.chart],
        }


def _when(v: Visit) -> tuple[dt.date, dt.datetime, int]:
    """Order of visits: the encounter date, then when it was first stored (UTC, naive or not)."""
    created = v.created_at
    if created.tzinfo is not None:
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    return v.date, created, v.id


def visits(encounters: Iterable[Visit]) -> list[Visit]:
    """One visit per amendment chain, oldest first: each chain as its latest finalized version, else
    (nothing of it finalized) its latest version."""
    by_id = {e.id: e for e in encounters}

    def root(e: Visit) -> int:
        seen: set[int] = set()
        while e.amends_id is not None and e.amends_id in by_id and e.id not in seen:
            seen.add(e.id)
            e = by_id[e.amends_id]
        return e.id

    chains: dict[int, list[Visit]] = {}
    for e in by_id.values():
        chains.setdefault(root(e), []).append(e)
    chosen: list[Visit] = []
    for members in chains.values():
        members.sort(key=lambda v: _when(v)[1:])
        final = [m for m in members if m.status == "final"]
        chosen.append(final[-1] if final else members[-1])
    chosen.sort(key=_when)
    return chosen


def chain_of(encounter_id: int, encounters: Iterable[Visit]) -> set[int]:
    """The ids of every version of the visit ``encounter_id`` belongs to (it, what it amends, what amends it)."""
    by_id = {e.id: e for e in encounters}
    links: dict[int, set[int]] = {i: set() for i in by_id}
    for e in by_id.values():
        if e.amends_id is not None and e.amends_id in by_id:
            links[e.id].add(e.amends_id)
            links[e.amends_id].add(e.id)
    found, todo = set(), [encounter_id]
    while todo:
        i = todo.pop()
        if i in found:
            continue
        found.add(i)
        todo.extend(links.get(i, ()))
    return found


def changes(then: Mapping[str, FindingValue], now: Mapping[str, FindingValue], order: Sequence[str]) -> list[Change]:
    """Each finding whose answer differs, in ``order`` (the checklist's), then any other item ids."""
    ids = [i for i in order if i in then or i in now]
    ids += sorted(i for i in set(then) | set(now) if i not in set(order))
    found: list[Change] = []
    for item_id in ids:
        a, b = then.get(item_id), now.get(item_id)
        if a == b:
            continue
        kind = NEW if a is None else NO_LONGER if b is None else CHANGED
        found.append(Change(item_id, a, b, kind))
    return found


def _summary(visit: Visit) -> dict[str, Any]:
    return {"direction": visit.direction, "urgency": visit.urgency, "scores": visit.scores, "ruleset": visit.ruleset,
            "date": visit.date.isoformat()}


def follow_up(current: Visit, history: Iterable[Visit], order: Sequence[str]) -> FollowUp | None:
    """Since the visit before ``current`` (None for a first visit). ``history``: every stored encounter
    of the patient (``current``'s stored versions included or not); ``current``: what the window shows
    now (a draft's live assessment) or the encounter being printed."""
    if not current.knee:
        return None  # which knee is not known yet: nothing to compare with
    # The same knee only: a left-knee visit compared with a right-knee one would list differences of
    # two knees as changes.
    history = [h for h in history if h.id != current.id and h.knee == current.knee]
    own = chain_of(current.id, [*history, current])
    others = visits(h for h in history if h.id not in own)
    earlier = [v for v in others if _when(v)[:2] < _when(current)[:2]]
    later = [v for v in others if _when(v)[:2] >= _when(current)[:2]]
    if not earlier:
        return None
    since = earlier[-1]
    points: list[ChartPoint] = []
    previous = None
    for v in [*earlier, current, *later]:  # every visit of the knee, this one marked
        points.append(ChartPoint(v.id, v.date, v.ruleset, v.scores,
                                 previous is not None and v.ruleset != previous, v is current))
        previous = v.ruleset
    return FollowUp(since=since, changes=tuple(changes(since.findings, current.findings, order)),
                    then=_summary(since), now=_summary(current), chart=tuple(points),
                    final=current.status == "final")


def follow_up_of(store: Any, record: Any) -> dict[str, Any] | None:
    """"Since the visit of" for a stored encounter, as every summary of it carries it (the window's and
    the command line's alike), read from ``store``; None for a first visit."""
    since = follow_up(visit_of(record), store.patient_visits(record.patient.id), checklist_order(record.ruleset))
    return since.to_dict() if since is not None else None


def checklist_order(ruleset: str) -> list[str]:
    """The item ids of ``ruleset``'s checklist in order (the current rule set's when it is unknown)."""
    from models.catalogue import UnknownRuleSetError, load_catalogue

    try:
        catalogue = load_catalogue(ruleset)
    except UnknownRuleSetError:
        catalogue = load_catalogue()
    return [i.id for i in catalogue.items]


def visit_of(record: Any, assessment: Mapping[str, Any] | None = None) -> Visit:
    """A :class:`Visit` from a stored :class:`models.records.EncounterRecord` (``assessment``: a live
    one instead of the stored)."""
    return Visit(id=record.id, date=record.info.date, created_at=record.created_at, status=record.status,
                 ruleset=record.ruleset, findings=dict(record.findings),
                 assessment=dict(assessment if assessment is not None else record.assessment),
                 amends_id=record.amends_id, knee=record.info.knee)
