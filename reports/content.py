"""What the printed summary says, as plain strings: no layout, no ReportLab.

:func:`summary_content` reads a ``kneecheck-case/1`` dict, the assessment stored with the encounter
(reprints show what was suggested at the time, so nothing is re-assessed here), the encounter status
and the letterhead, and returns a :class:`SummaryContent` whose fields the renderer lays out. The
catalogue supplies labels, checklist order, alert actions and reference texts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models import APP_NAME, APP_VERSION, i18n
from models.assessment import worded_in
from models.case import age_on, parse_iso_date
from models.catalogue import Catalogue, CatalogueError, UnknownRuleSetError, load_catalogue
from models.i18n import N_, _, ngettext, pgettext
from models.leg_map import Lit, lit, mirrored_for
from reports.follow_up import follow_up_content

log = logging.getLogger(__name__)

DASH = "\u2014"


class SummaryInputError(ValueError):
    """The data handed to the renderer is malformed; the message names the field, never its value."""


@dataclass(frozen=True)
class AlertLine:
    tier: str      # the rule set's tier id (emergency, urgent, priority, check)
    text: str
    action: str    # the next-step line the alert gave, "" for none
    tier_label: str = ""
    references: tuple[int, ...] = ()


@dataclass(frozen=True)
class FindingRow:
    section: str   # section title, e.g. "Knee examination"
    item: str      # the item's short label
    answer: str
    direction: str  # e.g. "Spinal" or "Spinal\nHip"; a dash when the answer carries no points
    points: str     # e.g. "+3" or "+2\n-1"; a dash when none
    references: tuple[int, ...]  # cited by this row (only rows that carry points or raise an alert)


@dataclass(frozen=True)
class Status:
    state: str                      # draft | final
    finalized_by: str | None
    finalized_at: str | None        # already formatted for print
    amendment: Mapping[str, str] | None
    superseded_by: str | None = None  # the amendment that replaces this finalized encounter
    fingerprint: str | None = None  # the short form of the finalized revision's SHA-256

    @property
    def is_final(self) -> bool:
        return self.state == "final"


@dataclass(frozen=True)
class SummaryContent:
    clinic_name: str
    clinic_address: str
    patient_name: str
    mrn: str
    birth_date: str
    age: str
    sex: str
    encounter_date: str
    knee: str
    clinician: str
    alerts: tuple[AlertLine, ...]
    urgency: str
    direction_label: str
    direction_summary: str
    reason: str
    scores: str
    levels: tuple[str, ...]
    findings: tuple[FindingRow, ...]
    not_assessed: tuple[str, ...]
    next_steps: tuple[str, ...]
    red_flags_not_asked: tuple[str, ...]
    direction_references: tuple[int, ...]
    next_step_references: tuple[tuple[int, ...], ...]   # one entry per next-step line
    urgency_label: str
    notes: str
    status: Status
    ruleset: str
    app: str
    generated: str
    references: tuple[tuple[int, str], ...]
    leg_map: Any = None          # models.leg_map.Lit: what the map beside the nerve levels marks
    map_mirrored: bool = False   # the map is drawn as the left leg (a left-knee encounter)
    map_legend: str = ""         # the same in words
    follow_up: Any = None        # reports.follow_up.FollowUpContent: since the visit before (None: first visit)


def _map_legend(state: Lit, level_labels: Mapping[str, str], catalogue: Catalogue) -> str:
    parts = []
    if state.dermatomes:
        parts.append(_("hatched: dermatomal deficit {levels}").format(levels=", ".join(sorted(state.dermatomes))))
    if state.regions:
        regions = ", ".join(catalogue.in_sentence(catalogue.value_label(r)) for r in sorted(state.regions))
        parts.append(_("cross-hatched: knee pain region {regions}").format(regions=regions))
    if state.levels:
        parts.append(_("thick line: {levels}").format(
            levels="; ".join(level_labels.get(lv, lv) for lv in sorted(state.levels))))
    return "; ".join(parts) if parts else _("nothing marked")


# The patient's sex and the knee, as stored (ids) and as printed.
SEX_WORDS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other"), "unknown": N_("Unknown")}
KNEE_WORDS = {"left": N_("Left"), "right": N_("Right"), "both": N_("Both")}


def _word(words: Mapping[str, str], value: str) -> str:
    return _(words[value]) if value in words else _answer(value, "")


def _get(data: Mapping[str, Any], path: str, kind: type = str) -> Any:
    """``data[a][b]`` for ``path`` "a.b", checked for type; errors name the field only."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise SummaryInputError(f"summary input: {path} is missing")
        value = value[part]
    if not isinstance(value, kind):
        raise SummaryInputError(f"summary input: {path} has the wrong type")
    return value


def _date(data: Mapping[str, Any], path: str) -> dt.date:
    value = _get(data, path)
    parsed = parse_iso_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise SummaryInputError(f"summary input: {path} is not an ISO date")
    return parsed


def format_time(value: dt.datetime) -> str:
    """Minutes and the UTC offset, so a printed time is unambiguous across sites."""
    if value.tzinfo is None:
        value = value.astimezone()  # a naive time is the workstation's local time
    offset = value.strftime("%z")
    offset = "UTC" if offset in ("+0000", "-0000") else f"UTC{offset[:3]}:{offset[3:]}"
    return f"{i18n.format_datetime(value)} {offset}"


def _format_iso_time(data: Mapping[str, Any], path: str) -> str:
    text = _get(data, path)
    try:
        return format_time(dt.datetime.fromisoformat(text))
    except ValueError:
        raise SummaryInputError(f"summary input: {path} is not an ISO date and time") from None


def _answer(value: Any, unit: str, catalogue: Catalogue | None = None) -> str:
    if isinstance(value, bool):  # never in a valid case; shown as typed rather than as 1/0
        return str(value)
    if isinstance(value, (int, float)):
        return f"{i18n.format_number(value)} {unit}".strip()
    text = str(value)
    return catalogue.value_label(text) if catalogue is not None else text[:1].upper() + text[1:]


def _points(points: int) -> str:
    return f"+{points}" if points > 0 else str(points)


def _status(raw: Mapping[str, Any] | None) -> Status:
    if raw is None:
        return Status("draft", None, None, None)
    state = _get(raw, "state")
    if state not in ("draft", "final"):
        raise SummaryInputError("summary input: status.state must be draft or final")
    finalized_by = raw.get("finalized_by")
    finalized_at = _format_iso_time(raw, "finalized_at") if raw.get("finalized_at") else None
    amendment = raw.get("amendment")
    if amendment is not None:
        for name in ("date", "author", "reason", "replaces"):
            _get(amendment, name)
        amendment = {
            "date": _format_iso_time(amendment, "date") if "T" in amendment["date"]
            else _date(amendment, "date").isoformat(),
            "author": amendment["author"],
            "reason": amendment["reason"],
            "replaces": amendment["replaces"],
        }
    superseded = raw.get("superseded_by")
    if superseded is not None and (isinstance(superseded, bool) or not isinstance(superseded, (int, str))):
        raise SummaryInputError("summary input: status.superseded_by must be an encounter number")
    fingerprint = raw.get("fingerprint")
    if fingerprint is not None and not (isinstance(fingerprint, str) and fingerprint.strip()):
        raise SummaryInputError("summary input: status.fingerprint must be text")
    return Status(state, finalized_by if isinstance(finalized_by, str) else None, finalized_at, amendment,
                  None if superseded is None else str(superseded), fingerprint if state == "final" else None)


def _catalogue_for(assessment: Mapping[str, Any]) -> Catalogue:
    """The rule set the assessment was made with: a reprint shows it in that rule set's words."""
    try:
        return load_catalogue(_get(assessment, "ruleset"), i18n.current_language())
    except CatalogueError:  # a translation a translator broke: printed in the rule set's own words
        log.exception("rule set %s does not load in %s", assessment.get("ruleset"), i18n.current_language())
        return load_catalogue(_get(assessment, "ruleset"))
    except UnknownRuleSetError:
        raise SummaryInputError("summary input: ruleset is not a rule set this KneeCheck has") from None


def _in_language(case: Mapping[str, Any], assessment: Mapping[str, Any],
                 age: int | None) -> tuple[Mapping[str, Any], Catalogue]:
    """The stored assessment and its rule set, worded in the current language: the same findings
    assessed again with the translated wording, used only if it decides exactly what was stored;
    else the stored (English) words and rule set as they are, so a print never says other than the
    signed record."""
    language = i18n.current_language()
    catalogue = _catalogue_for(assessment)
    if language == i18n.SOURCE_LANGUAGE:
        return assessment, catalogue
    findings = case.get("findings")
    encounter = case.get("encounter")
    worded = worded_in(assessment, findings if isinstance(findings, Mapping) else {}, age,
                       encounter.get("knee") if isinstance(encounter, Mapping) else None, language)
    if worded is None:
        log.warning("summary in %s: the stored assessment is printed in its rule set's own words "
                    "(it does not match the findings assessed again)", language)
        return assessment, load_catalogue(_get(assessment, "ruleset"))
    return worded, catalogue


def summary_content(case: Mapping[str, Any], assessment: Mapping[str, Any], *,
                    status: Mapping[str, Any] | None, letterhead: Mapping[str, Any] | None,
                    generated_at: dt.datetime, catalogue: Catalogue | None = None,
                    follow_up: Mapping[str, Any] | None = None) -> SummaryContent:
    """Everything the summary prints, in words, from the plain data the callers hold.

    Nothing is re-assessed: alerts, reason, next steps and levels are the stored ones, worded by the
    stored assessment's own rule set, so a reprint after a new rule set came in is unchanged.
    """
    birth = _date(case, "patient.birth_date")
    encounter_date = _date(case, "encounter.date")
    if catalogue is None:
        assessment, catalogue = _in_language(case, assessment, age_on(birth, encounter_date))
    family = _get(case, "patient.family_name")
    given = _get(case, "patient.given_name")
    findings: Mapping[str, Any] = _get(case, "findings", Mapping)
    direction = _get(assessment, "direction")
    next_steps = tuple(_get(assessment, "next_steps", list))
    tier_labels = catalogue.tier_labels

    alerts = []
    for a in _get(assessment, "alerts", list):
        tier = _get(a, "tier")
        action_text, cites = catalogue.action_given(_get(a, "id"), next_steps)
        alerts.append(AlertLine(tier=tier, text=_get(a, "text"), action=action_text,
                                tier_label=tier_labels.get(tier, tier.upper()), references=cites))
    alert_ids = {a.get("id") for a in assessment["alerts"]}

    by_item: dict[str, list[tuple[str, int]]] = {}
    for c in _get(assessment, "contributions", list):
        by_item.setdefault(_get(c, "item"), []).append((_get(c, "target"), _get(c, "points", int)))

    target_labels = catalogue.target_labels
    sections = {s.id: s.title for s in catalogue.sections}
    rows: list[FindingRow] = []
    order = {item.id: n for n, item in enumerate(catalogue.items)}
    # Checklist order; an answer to an item this catalogue no longer knows is still printed, last.
    for item_id in sorted(findings, key=lambda i: order.get(i, len(order))):
        item = catalogue.by_id.get(item_id)
        scored = [(t, p) for t, p in by_item.get(item_id, []) if p != 0]
        if item is None:
            rows.append(FindingRow(_("Other"), item_id, _answer(findings[item_id], ""), DASH, DASH, ()))
            continue
        if scored:
            direction_text = "\n".join(target_labels.get(t, t) for t, _ in scored)
            points_text = "\n".join(_points(p) for _, p in scored)
        elif item.red_flag and item_id in alert_ids:
            direction_text, points_text = _("Red flag"), DASH
        else:
            direction_text, points_text = DASH, DASH
        cites = item.references if (scored or item_id in alert_ids) else ()
        rows.append(FindingRow(sections.get(item.section, item.section), item.short,
                               _answer(findings[item_id], item.unit, catalogue), direction_text, points_text, cites))

    line_refs = catalogue.step_references
    step_cites = tuple(line_refs.get(line, ()) for line in next_steps)
    direction_cites = catalogue.direction_references.get(direction, ()) if catalogue.direction_steps_printed(
        next_steps) else ()
    cited = {ref for row in rows for ref in row.references}
    cited.update(direction_cites)
    cited.update(ref for a in alerts for ref in a.references)
    cited.update(ref for refs in step_cites for ref in refs)
    references = tuple((n, catalogue.references[n]) for n in sorted(cited) if n in catalogue.references)

    key_ids = {i.id for i in catalogue.key_items}
    not_assessed = tuple(
        (_("{item} (key item)").format(item=catalogue.by_id[i].short) if i in key_ids else catalogue.by_id[i].short)
        if i in catalogue.by_id else i
        for i in _get(assessment, "not_assessed", list)
    )
    red_flags_not_asked = tuple(i.short for i in catalogue.red_flags if findings.get(i.id) is None)
    level_labels = {level.id: level.label for level in catalogue.levels}
    level_ids = [str(lv) for lv in _get(assessment, "levels", list)]
    levels = tuple(level_labels.get(lv, lv) for lv in level_ids)
    leg_map = lit(findings, level_ids)
    map_mirrored = mirrored_for(str(_get(case, "encounter.knee")))
    scores = _get(assessment, "scores", Mapping)
    # Spinal, local knee, hip: the rule set's order, whatever order the stored JSON has.
    ordered = [t.id for t in catalogue.targets if t.id in scores] + [t for t in scores if t not in target_labels]
    sources = assessment.get("sources") or ()
    urgency = _get(assessment, "urgency")

    letterhead = letterhead or {}
    return SummaryContent(
        clinic_name=str(letterhead.get("clinic_name") or ""),
        clinic_address=str(letterhead.get("clinic_address") or ""),
        patient_name=f"{family}, {given}" if given else family,
        mrn=_get(case, "patient.mrn"),
        birth_date=i18n.format_date(birth),
        age=ngettext("{n} year", "{n} years", age_on(birth, encounter_date)).format(n=age_on(birth, encounter_date)),
        sex=_word(SEX_WORDS, str(_get(case, "patient.sex"))),
        encounter_date=i18n.format_date(encounter_date),
        knee=_word(KNEE_WORDS, str(_get(case, "encounter.knee"))),
        clinician=_get(case, "encounter.clinician"),
        alerts=tuple(alerts),
        urgency=pgettext("urgency", urgency),
        direction_label=catalogue.direction_label(direction, [str(x) for x in sources]),
        direction_summary=catalogue.direction_summaries.get(direction, ""),
        reason=_get(assessment, "reason"),
        scores=", ".join(f"{catalogue.in_sentence(target_labels.get(t) or t)} {scores[t]}" for t in ordered),
        levels=levels,
        leg_map=leg_map,
        map_mirrored=map_mirrored,
        map_legend=_map_legend(leg_map, level_labels, catalogue),
        follow_up=follow_up_content(follow_up, catalogue) if follow_up else None,
        findings=tuple(rows),
        not_assessed=not_assessed,
        next_steps=next_steps,
        red_flags_not_asked=red_flags_not_asked,
        direction_references=direction_cites,
        next_step_references=step_cites,
        urgency_label=tier_labels.get(urgency, urgency.upper()),
        notes=str(case.get("notes") or ""),
        status=_status(status),
        ruleset=_get(assessment, "ruleset"),
        app=f"{APP_NAME} {APP_VERSION}",
        generated=format_time(generated_at),
        references=references,
    )
