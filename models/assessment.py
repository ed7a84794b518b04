"""The assessment: alerts and urgency, the three sums, the direction, nerve levels and next steps.

Pure functions over plain data. Every rule comes from the rule-set file (docs/rulesets.md): this
module only interprets it, in the order CHECKLIST.md "The assessment" gives. Red flags and derived
alerts are checked first; an alert never hides the direction. No probability is ever computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models import i18n
from models.case import Case, FindingValue, age_on
from models.catalogue import Catalogue, DirectionRule, Item, Step, load_catalogue
from models.conditions import Facts


@dataclass(frozen=True)
class ContributionResult:
    item: str
    value: FindingValue
    target: str
    points: int

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "value": self.value, "target": self.target, "points": self.points}


@dataclass(frozen=True)
class AlertResult:
    id: str
    tier: str
    text: str
    action: str  # the next-step line it gave ("" for none)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "tier": self.tier, "text": self.text}


@dataclass(frozen=True)
class Assessment:
    ruleset: str
    direction: str
    urgency: str
    scores: dict[str, int]
    alerts: tuple[AlertResult, ...]
    levels: tuple[str, ...]
    contributions: tuple[ContributionResult, ...]
    not_assessed: tuple[str, ...]
    reason: str
    next_steps: tuple[str, ...]
    sources: tuple[str, ...] = ()
    spinal_unexamined: bool = False
    outputs: tuple[str, ...] = ()  # the extra fields this rule set reports
    prompts: tuple[str, ...] = ()  # what the window asks the clinician to examine next (not stored)

    def to_dict(self) -> dict[str, Any]:
        """The ``assess`` output of PRODUCT.md, also what an encounter stores."""
        out: dict[str, Any] = {"ruleset": self.ruleset, "direction": self.direction}
        if "sources" in self.outputs:
            out["sources"] = list(self.sources)
        if "spinal_unexamined" in self.outputs:
            out["spinal_unexamined"] = self.spinal_unexamined
        out.update({
            "urgency": self.urgency,
            "scores": dict(self.scores),
            "alerts": [a.to_dict() for a in self.alerts],
            "levels": list(self.levels),
            "contributions": [c.to_dict() for c in self.contributions],
            "not_assessed": list(self.not_assessed),
            "reason": self.reason,
            "next_steps": list(self.next_steps),
        })
        return out


def _points(item: Item, value: FindingValue, facts: Facts) -> list[tuple[str, int]]:
    out = []
    for c in item.contributions:
        if value not in c.when:
            continue
        points = c.points
        for m in c.modifiers:
            if m.when.test(facts):
                points = m.points
                break
        out.append((c.target, points))
    return out


def _short(catalogue: Catalogue, ids: list[str] | tuple[str, ...]) -> str:
    return catalogue.join([catalogue.in_sentence(catalogue.item(i).short) for i in ids])


class _Run:
    """One assessment in progress: the facts so far and the template values that follow from them."""

    def __init__(self, catalogue: Catalogue, findings: Mapping[str, FindingValue], age: int | None,
                 knee: str | None) -> None:
        self.c = catalogue
        self.facts = Facts(findings=findings, age=age, knee=knee)
        self.contributions: list[ContributionResult] = []
        self.missing_keys: list[str] = []
        self.sources: tuple[str, ...] = ()
        self.direction = "indeterminate"

    def score(self) -> None:
        f, c = self.facts, self.c
        f.scores = {t.id: 0 for t in c.targets}
        for item in c.items:
            value = f.findings.get(item.id)
            if value is None or not item.contributions:
                continue
            pairs = _points(item, value, f)
            for target, points in pairs:
                self.contributions.append(ContributionResult(item.id, value, target, points))
                f.scores[target] += points
            if pairs:
                f.points[item.id] = sum(p for _, p in pairs)

    def raise_alerts(self) -> list[AlertResult]:
        f, c = self.facts, self.c
        for alert_id in c.alert_evaluation:
            alert = c.alerts[alert_id]
            f.alerts[alert_id] = f.findings.get(alert_id) == "yes" if alert.when is None else alert.when.test(f)
        rank = {t.id: n for n, t in enumerate(c.tiers)}
        held = [a for a in c.alerts.values() if f.alerts[a.id]]
        if c.alert_order == "tier_then_id":
            held.sort(key=lambda a: (rank[a.tier], a.id))
        else:
            held.sort(key=lambda a: rank[a.tier])  # stable: table order within a tier
        f.tiers = {a.tier for a in held}
        results = []
        for a in held:
            action = next(x for x in a.actions if x.when is None or x.when.test(f))
            results.append(AlertResult(a.id, a.tier, a.text, action.text or ""))
        return results

    def count_keys(self) -> None:
        f = self.facts
        counted = 0
        for item in self.c.key_items:
            if f.findings.get(item.id) is not None or (item.key_assessed_when and item.key_assessed_when.test(f)):
                counted += 1
            else:
                self.missing_keys.append(item.id)
        f.keys_assessed = counted

    def decide(self) -> DirectionRule:
        f, c = self.facts, self.c
        order = {t.id: n for n, t in enumerate(c.targets)}
        qualifying = [t.id for t in c.targets if t.id in c.qualify and c.qualify[t.id].test(f)]

        def ranked(ids: list[str]) -> tuple[str, ...]:
            return tuple(sorted(ids, key=lambda t: (-f.scores[t], order[t])))

        for rule in c.rules:
            if rule.kind == "when":
                assert rule.when is not None
                if rule.when.test(f):
                    self.direction = rule.direction
                    self.sources = rule.sources if rule.sources is not None else (
                        (rule.direction,) if rule.direction in order else ())
                    return rule
            elif rule.kind == "mixed":
                if len(qualifying) < 2:
                    continue
                top = max(f.scores[t] for t in qualifying)
                near = [t for t in qualifying if f.scores[t] >= top - rule.within]
                strong = [t for t in qualifying if f.scores[t] >= rule.each_at_least]
                chosen = near if len(near) >= len(strong) else strong
                if len(chosen) >= 2:
                    self.direction, self.sources = "mixed", ranked(chosen)
                    return rule
            elif rule.kind == "lead":
                if not qualifying:
                    continue
                best = ranked(qualifying)[0]
                if all(f.scores[best] - f.scores[t.id] >= rule.margin for t in c.targets if t.id != best):
                    self.direction, self.sources = best, (best,)
                    return rule
            else:
                self.direction, self.sources = rule.direction, ()
                return rule
        raise AssertionError("the rule set's last direction rule always holds")

    def values(self) -> dict[str, str]:
        """What a template may name (docs/rulesets.md)."""
        f, c = self.facts, self.c
        s = f.scores
        words = {t.id: t.word for t in c.targets}
        labels = {t.id: t.label for t in c.targets}
        out: dict[str, str] = {t: str(v) for t, v in s.items()}
        out["tally"] = ", ".join(f"{c.score_word(t)} {v}" for t, v in s.items())
        for t in s:
            named = sorted((x for x in self.contributions if x.target == t and x.points > 0), key=lambda x: -x.points)
            out[f"strongest_{t}"] = _short(c, [x.item for x in named[:3]])
        if self.direction in s:
            others = [v for t, v in s.items() if t != self.direction]
            out["lead"] = str(s[self.direction] - max(others)) if others else "0"
        else:
            out["lead"] = "0"
        for a in s:  # "{spinal_minus_local}": one score minus another (2026.1's reasons)
            for b in s:
                if a != b:
                    out[f"{a}_minus_{b}"] = str(s[a] - s[b])
        out["assessed_keys"] = str(f.keys_assessed)
        out["missing_keys"] = _short(c, self.missing_keys)
        out["sources"] = c.join([words[t] for t in self.sources])
        out["source_details"] = "; ".join(f"{labels[t]}: {out[f'strongest_{t}']}" for t in self.sources)
        for name, ids in c.lists.items():
            out[f"unassessed_{name}"] = _short(c, [i for i in ids if f.findings.get(i) is None])
        return out

    def not_assessed(self) -> tuple[str, ...]:
        f, c = self.facts, self.c
        listed = list(self.missing_keys)

        def asked(item: Item) -> bool:
            return f.findings.get(item.id) is None and (item.asked_when is None or item.asked_when.test(f))

        for when, ids in c.not_assessed_first:
            if when.test(f):
                listed += [i for i in ids if i not in listed and asked(c.item(i))]
        listed += [i.id for i in c.items
                   if i.section in c.not_assessed_sections and i.id not in listed and asked(i)]
        return tuple(listed)

    def next_steps(self, alerts: list[AlertResult], urgency: str, values: dict[str, str]) -> tuple[str, ...]:
        f, c = self.facts, self.c
        lines: list[str] = [a.action for a in alerts if a.action]
        policy = c.policies.get(urgency)
        if policy and policy.only_alerts:
            lines.append(policy.closing.format_map(values))
            return _unique(lines)

        def expand(steps: tuple[Step, ...]) -> list[tuple[str, bool]]:
            out: list[tuple[str, bool]] = []
            for s in steps:
                if s.when is not None and not s.when.test(f):
                    continue
                if s.sources_first:
                    for source in self.sources:
                        first = expand(c.direction_steps[source])
                        out += first[:1]
                elif s.first:
                    for alternative in s.first:
                        chosen = expand((alternative,))
                        if chosen:
                            out += chosen
                            break
                else:
                    out.append((s.text.format_map(values), s.treatment))
            return out

        steps = expand(c.direction_steps[self.direction]) + expand(c.finding_steps)
        if policy and policy.treatment:
            kept: list[str] = []
            replaced = False
            for text, treatment in steps:
                if not treatment:
                    kept.append(text)
                elif not replaced:
                    kept.append(policy.treatment.format_map(values))
                    replaced = True
            lines += kept
        else:
            lines += [text for text, _ in steps]
        return _unique(lines)


def _unique(lines: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for line in lines:
        if line not in seen:  # several cauda equina flags share one action
            seen.add(line)
            out.append(line)
    return tuple(out)


def assess_findings(findings: Mapping[str, FindingValue], age: int | None,
                    catalogue: Catalogue | None = None, *, knee: str | None = None) -> Assessment:
    """Assess validated findings for a patient of ``age`` years (``None`` when unknown)."""
    catalogue = catalogue or load_catalogue()
    run = _Run(catalogue, findings, age, knee)
    run.score()
    alerts = run.raise_alerts()
    raising = {t.id for t in catalogue.tiers if t.raises_urgency}
    urgency = next((a.tier for a in alerts if a.tier in raising), "routine")
    facts = run.facts
    for name, compiled in catalogue.flags:
        facts.flags[name] = compiled.test(facts)
    run.count_keys()
    rule = run.decide()
    values = run.values()
    reason = " ".join([rule.reason.format_map(values)]
                      + [n.text.format_map(values) for n in catalogue.reason_notes if n.when.test(facts)])
    levels = tuple(level.id for level in catalogue.levels if level.when.test(facts))
    return Assessment(
        ruleset=catalogue.ruleset,
        direction=run.direction,
        urgency=urgency,
        scores=dict(facts.scores),
        alerts=tuple(alerts),
        levels=levels,
        contributions=tuple(run.contributions),
        not_assessed=run.not_assessed(),
        reason=reason,
        next_steps=run.next_steps(alerts, urgency, values),
        sources=run.sources,
        spinal_unexamined=facts.flags.get("spinal_unexamined", False),
        outputs=catalogue.outputs,
        prompts=tuple(p.text.format_map(values) for p in catalogue.prompts if p.when.test(facts)),
    )


def direction_for(scores: Mapping[str, int], keys_assessed: int, catalogue: Catalogue | None = None, *,
                  findings: Mapping[str, FindingValue] | None = None, age: int | None = None,
                  alerts: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """The direction rules alone, on given scores (for tables of the rules): (direction, sources).

    ``findings`` feed the conditions that read answers (the objective spinal sign); ``alerts`` are
    the alert ids taken to hold. Flags are computed from these as in a whole assessment.
    """
    catalogue = catalogue or load_catalogue()
    run = _Run(catalogue, findings or {}, age, None)
    run.score()
    facts = run.facts
    facts.scores = {t.id: scores[t.id] for t in catalogue.targets}
    facts.alerts = {a: a in alerts for a in catalogue.alerts}
    facts.tiers = {catalogue.alerts[a].tier for a in alerts}
    for name, compiled in catalogue.flags:
        facts.flags[name] = compiled.test(facts)
    facts.keys_assessed = keys_assessed
    run.decide()
    return run.direction, run.sources


def assess(case: Case, catalogue: Catalogue | None = None) -> Assessment:
    """Assess a validated case."""
    return assess_findings(case.findings, case.age_years, catalogue, knee=case.encounter.knee)


def age_for(birth_date: dt.date | None, encounter_date: dt.date) -> int | None:
    return None if birth_date is None else age_on(birth_date, encounter_date)


# What an assessment decides, whatever language it is worded in: a translation may reword, never decide.
LANGUAGE_FREE = ("ruleset", "direction", "sources", "spinal_unexamined", "urgency", "scores", "levels",
                 "contributions", "not_assessed")


def decisions(assessment: Mapping[str, Any]) -> dict[str, Any]:
    """The language-free part of an ``Assessment.to_dict()``: ids, values, scores and how many lines."""
    out = {k: assessment.get(k) for k in LANGUAGE_FREE}
    out["alerts"] = [(a.get("id"), a.get("tier")) for a in assessment.get("alerts") or ()]
    out["next_steps"] = len(assessment.get("next_steps") or ())
    return out


def worded_in(stored: Mapping[str, Any], findings: Mapping[str, FindingValue], age: int | None, knee: str | None,
              language: str) -> dict[str, Any] | None:
    """A stored assessment worded in ``language``: the same findings assessed again by the same rule
    set with its translated wording. None unless assessing them again in the rule set's own words
    gives exactly the stored assessment, word for word, and the translated one decides the same (ids,
    scores, alerts, levels, the number of next steps): the caller then shows the stored words as
    they are, never a rewording of something other than what was signed."""
    if language == i18n.SOURCE_LANGUAGE:
        return dict(stored)
    try:
        ruleset = str(stored.get("ruleset"))
        # First: the same findings assessed again in the rule set's own words must give exactly what
        # was stored, every word included (a stored assessment from an older engine, or altered, is
        # never reworded); then the translated wording of that same assessment.
        if assess_findings(findings, age, load_catalogue(ruleset), knee=knee).to_dict() != dict(stored):
            return None
        fresh = assess_findings(findings, age, load_catalogue(ruleset, language), knee=knee).to_dict()
    except (ValueError, KeyError):  # an unknown rule set or a translation that does not load
        return None
    return fresh if decisions(fresh) == decisions(stored) else None
