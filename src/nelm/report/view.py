"""One view of an assessment for every renderer.

The text report, the HTML and PDF reports, the web page and the CDS cards all show an
assessment through these functions, so they show the same rows in the same words: the
classification rows (with what would settle an open one), the plan steps with each
option's name, status and what would decide it, the options grouped by intent (eligible
first), and case values formatted with their units. The words come from the vocabulary
(``nelm.vocabulary``); the renderers only lay them out.

Built from the assessment document (assessment-v1), never from the engine's objects, so a
stored assessment renders exactly as a fresh one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nelm.case.fields import FIELD_BY_PATH, OTHER_TREATMENT_WORDS, TOP_LEVEL
from nelm.case.plausibility import clinical_number
from nelm.case.units import entry_unit
from nelm.engine.staging import stage_entries, stage_line
from nelm.report.gives import gives_label
from nelm.report.known_range import known_words, missing_label, number_words
from nelm.vocabulary import vocabulary

__all__ = [
    "NOT_KNOWN",
    "SECTION_TITLES",
    "ClassificationRow",
    "OptionGroup",
    "classification_rows",
    "field_label",
    "format_value",
    "in_words",
    "input_rows",
    "investigated_fields",
    "liver_type_text",
    "not_known_words",
    "option_groups",
    "option_name",
    "outcome_label",
    "plan_steps",
    "record_flags",
    "record_warnings",
    "source_notes",
    "status_title",
    "todo_items",
    "warning_headline",
    "yes_no_unknown",
]

_TOP_LABELS = {f.path: f.label for f in TOP_LEVEL} | {
    # the timeline's keys, as a comparison of two versions names them
    "timeline.as_of": "Timeline: as of",
    "timeline.diagnosis": "Timeline: diagnosis",
    "timeline.primary_resection": "Timeline: primary resection",
    "timeline.treatments": "Timeline: treatment lines",
    "timeline.scans": "Timeline: scans",
    "confirmed": "Values confirmed as entered",
    "record_warnings": "What the record said",
    "value_sources": "Where the values came from",
}


SECTION_TITLES = {
    "patient": "Patient",
    "primary": "Primary tumour",
    "pathology": "Pathology",
    "imaging": "Imaging",
    "liver": "Liver metastases",
    "extrahepatic": "Extrahepatic disease",
    "labs": "Laboratory",
    "anatomy": "Anatomy and liver function",
    "course": "Course",
    "timeline": "Timeline",
}
"""A case section's title, as the form and the pages head it (the key is case-v1's)."""


def field_label(path: str) -> str:
    """The human label of a case field path, e.g. ``Ki-67 index``."""
    spec = FIELD_BY_PATH.get(path)
    if spec is not None:
        return spec.label
    if path.startswith("measured_on.") and path[len("measured_on.") :] in FIELD_BY_PATH:
        return f"Date of the result: {FIELD_BY_PATH[path[len('measured_on.') :]].label}"
    return _TOP_LABELS.get(path, path)


# a case field named by its path: in parentheses after its label, or alone
_FIELD_PATH = re.compile(r" \(([a-z]+\.[a-z0-9_]+)\)|\b([a-z]+\.[a-z0-9_]+)\b")


def in_words(text: str, label_of: Callable[[str], str] = field_label) -> str:
    """A message that names case fields by their paths, in clinical words: each path read
    as its label, and a path already given after its label dropped rather than doubled
    ("Platelets (labs.platelets_per_ul)" → "Platelets")."""

    def label(match: re.Match[str]) -> str:
        path = match.group(1) or match.group(2)
        found = str(label_of(path))
        if found == path:
            return match.group(0)
        if match.group(1) is not None:  # " (path)"
            return "" if match.string[: match.start()].endswith(found) else f" ({found})"
        return found

    return _FIELD_PATH.sub(label, text)


def record_warnings(doc: Mapping[str, Any]) -> list[str]:
    """What the record said about the whole assessment (a death, no neuroendocrine
    neoplasm), shown before anything else: the record's own when a FHIR record was assessed
    (``input_source``), else those a stored case kept from the record it was read from
    (``inputs.record_warnings``, docs/case-v1-additions.md)."""
    for holder in (doc.get("input_source"), doc.get("inputs")):
        found = holder.get("record_warnings") if isinstance(holder, Mapping) else None
        if isinstance(found, list) and found:
            return [str(w) for w in found]
    return []


_HEADLINE = re.compile(r"\b([A-Z][A-Z ]{3,}[A-Z]):")


def warning_headline(warning: str) -> str:
    """The headline of one of the record's warnings ("RESTRICTED DATA")."""
    found = _HEADLINE.search(warning)
    return found.group(1) if found else "A WARNING FROM THE RECORD"


def record_flags(doc: Mapping[str, Any]) -> list[str]:
    """The headline of each of the record's warnings ("DECEASED", "NOT A NEUROENDOCRINE
    RECORD"), for a list or a page header; the warnings themselves say the rest."""
    return list(dict.fromkeys(warning_headline(w) for w in record_warnings(doc)))


def plan_caveat(doc: Mapping[str, Any]) -> str | None:
    """A line under the plan's heading when the record warned about the whole assessment
    (no neuroendocrine neoplasm, a death): the plan is what the sources give for the data as
    read, and a board must not read it apart from that warning."""
    if not record_warnings(doc):
        return None
    # the warnings are named once, in their boxes above: not again here
    return (
        "Read this plan with the record's warnings above: it is what the sources give for "
        "the data as read, and it applies to neuroendocrine liver metastases only."
    )


# The words of every page for an absent value; "unknown" stays the JSON's result name.
NOT_KNOWN = "not known"


# "unknown" as a value's word, not the diagnosis "unknown primary" (a primary not found)
_UNKNOWN_WORD = re.compile(r"\bunknown\b(?! primary)")


def not_known_words(text: str) -> str:
    """The engine's words for a value or an explanation ("Extrahepatic disease unknown")
    as every page says them ("Extrahepatic disease not known"); the JSON keeps its own."""
    return _UNKNOWN_WORD.sub(NOT_KNOWN, text)


def yes_no_unknown(value: bool | None) -> str:
    return NOT_KNOWN if value is None else ("yes" if value else "no")


def format_value(path: str, value: Any) -> str:
    """A case value as a person reads it, with its unit (``not known`` when absent)."""
    if value is None:
        return NOT_KNOWN
    if isinstance(value, bool):
        return yes_no_unknown(value)
    if isinstance(value, list | tuple) and path == "course.prior_treatments":
        # Treatments by their names (TACE, not "tace"), as the case page names them.
        options = vocabulary().option
        return (
            ", ".join(
                options[v].name
                if v in options
                else OTHER_TREATMENT_WORDS.get(str(v), str(v).replace("_", " "))
                for v in value
            )
            or "none"
        )
    if isinstance(value, list | tuple) and path == "record_warnings":
        if len(value) == 1:
            return str(value[0])
        return " ".join(f"({n}) {v}" for n, v in enumerate(value, start=1)) or "none"
    if isinstance(value, list | tuple) and path == "confirmed":
        return ", ".join(field_label(str(v)) for v in value) or "none"
    if isinstance(value, list | tuple) and path in _EVENT_WORDS:
        return "; ".join(_EVENT_WORDS[path](e) for e in value if isinstance(e, Mapping)) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value) or "none"
    if isinstance(value, Mapping) and set(value) == {"value", "unit"}:
        return _as_entered(path, value)
    spec = FIELD_BY_PATH.get(path)
    unit = spec.unit if spec is not None else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) and abs(value) >= 10000 else str(value)
    if isinstance(value, str):
        text = text.replace("_", " ") if spec is not None and spec.choices else text
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _treatment_line(line: Mapping[str, Any]) -> str:
    """A timeline's treatment line in words: "… from 2019-06-01 to 2020-01-10, best response
    stable disease, progression 2020-01-05"."""
    options = vocabulary().option
    treatment = str(line.get("treatment", ""))
    words = options[treatment].name if treatment in options else treatment.replace("_", " ")
    words += f" from {line['start']}" if line.get("start") else ""
    words += f" to {line['stop']}" if line.get("stop") else ""
    if line.get("best_response"):
        words += f", best response {str(line['best_response']).replace('_', ' ')}"
    if line.get("progression"):
        words += f", progression {line['progression']}"
    return words


_EVENT_WORDS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "timeline.treatments": _treatment_line,
    "timeline.scans": lambda scan: f"{scan.get('date')} {scan.get('finding')}",
}


def _as_entered(path: str, entered: Mapping[str, Any]) -> str:
    """A number kept in the unit it was entered in, with the converted value beside it, at
    clinical precision: "210 10⁹/L (210,000 /µL)"."""
    number, written = entered["value"], str(entered["unit"])
    unit = entry_unit(path, written)
    spec = FIELD_BY_PATH.get(path)
    shown = f"{clinical_number(number)} {written}"
    if unit is None or spec is None or not isinstance(number, int | float):
        return shown
    return f"{shown} ({clinical_number(number * unit.factor)} {spec.unit})"


_NOT_SECTIONS = frozenset({"measured_on", "value_sources"})
"""Objects of a case document that annotate its fields rather than hold them."""


def input_rows(
    inputs: Mapping[str, Any],
    from_timeline: Sequence[Mapping[str, Any]] = (),
    set_aside: Sequence[Mapping[str, Any]] = (),
) -> list[tuple[str, str, str]]:
    """(section, label, value) for every known field of a case document, a value with the
    date of its result when ``measured_on`` gives one and, for a case read from a record
    (``value_sources``), where it came from: the record's resource, or "entered" for a value
    a person typed or changed; a value the criteria set aside (``classification.set_aside``)
    says what it contradicts; after the timeline's events, the fields they gave
    (``classification.from_timeline``)."""
    rows: list[tuple[str, str, str]] = []
    dated = inputs.get("measured_on")
    dated = dated if isinstance(dated, Mapping) else {}
    sources = inputs.get("value_sources")
    sources = sources if isinstance(sources, Mapping) else {}
    aside = {
        str(e.get("field")): str(e.get("contradicts")) for e in set_aside if isinstance(e, Mapping)
    }

    def note(path: str) -> str:
        """The date of the result the value came from, and where it came from."""
        said = f" (result of {dated[path]})" if path in dated else ""
        if path in aside:
            said += f" (set aside: contradicts {aside[path]})"
        if path in sources:
            return said + f" — from the FHIR record: {sources[path]}"
        # a case read from a record: the others were typed
        return said + (" — entered" if sources else "")

    for section, body in inputs.items():
        if not isinstance(body, Mapping) or section in _NOT_SECTIONS:
            continue
        if section == "timeline":
            rows += _timeline_rows(body)
            rows += [
                ("timeline", *_given(g))
                for g in from_timeline
                if isinstance(g, Mapping) and "field" in g
            ]
            continue
        merged: set[str] = set()
        for name, value in body.items():
            path = f"{section}.{name}"
            if path in merged:
                continue
            spec = FIELD_BY_PATH.get(path)
            if spec is not None and spec.bound_of is not None:
                # a bound reads under its number's label: "Liver lesions: at least 2", and
                # both bounds from one result as one range, "Age: 50–59 years"
                low, high = f"{spec.bound_of}_at_least", f"{spec.bound_of}_at_most"
                pair = (body.get(low.split(".", 1)[1]), body.get(high.split(".", 1)[1]))
                shown = _bound_words(path, value)
                if None not in pair and note(low) == note(high):
                    shown = _range_words(spec.bound_of, *pair) or shown
                    merged.update((low, high))
                rows.append((section, field_label(spec.bound_of), shown + note(path)))
                continue
            rows.append((section, field_label(path), format_value(path, value) + note(path)))
    return rows


def _bound_words(bound: str, value: Any) -> str:
    """One bound of a number, by the bound's path: "at least 2", "at most 20%", "more
    than 20%"."""
    spec = FIELD_BY_PATH[bound]
    assert spec.bound_of is not None
    words = bound.removeprefix(spec.bound_of + "_").replace("_", " ")
    return f"{words} {format_value(spec.bound_of, value)}"


def _range_words(path: str, low: Any, high: Any) -> str | None:
    """Both bounds of the number at ``path`` as a range: "50–59 years", "10–15%"; one
    number when they meet; None for a bound kept in the unit it was entered in."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
        return None
    if low == high:
        return format_value(path, low)
    return f"{number_words(low)}–{format_value(path, high)}"


def _given(given: Mapping[str, Any]) -> tuple[str, str]:
    """A field the timeline gave, as (label, value): "Gives: Disease course", "progressing";
    a lower bound reads "at least 42.7 months" under the number's own label, as the inputs'
    bounds do."""
    path, value = str(given["field"]), given.get("value")
    if isinstance(value, list):
        value = tuple(value)
    base = path.removesuffix("_at_least")
    if base != path and isinstance(value, int | float):
        return f"Gives: {field_label(base)}", _bound_words(path, value)
    return f"Gives: {field_label(path)}", format_value(path, value)


def _treatment_name(treatment: Any) -> str:
    words = vocabulary().option.get(str(treatment))
    return words.name if words else str(treatment).replace("_", " ")


def _timeline_rows(timeline: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The timeline of a case document, one row per event, in the words of a report."""
    rows = [
        ("timeline", label, str(timeline[key]))
        for key, label in (
            ("as_of", "As of"),
            ("diagnosis", "Diagnosis"),
            ("primary_resection", "Primary resection"),
        )
        if timeline.get(key) is not None
    ]
    for line in timeline.get("treatments") or []:
        if not isinstance(line, Mapping):
            continue
        text = f"{line.get('start')} → {line.get('stop') or 'ongoing'}"
        if line.get("best_response"):
            text += f"; best response {str(line['best_response']).replace('_', ' ')}"
        if line.get("progression"):
            text += f"; progression {line['progression']}"
        rows.append(("timeline", _treatment_name(line.get("treatment", "")), text))
    for scan in timeline.get("scans") or []:
        if isinstance(scan, Mapping):
            rows.append(("timeline", f"Scan {scan.get('date')}", str(scan.get("finding"))))
    return rows


def status_title(status: str) -> str:
    found = vocabulary().status.get(status)
    return found.title if found else status


def option_name(doc: Mapping[str, Any], option: str) -> str:
    """The option's name as the document gives it (the vocabulary's), else its id."""
    found = doc.get("options", {}).get(option)
    name = found.get("name") if isinstance(found, Mapping) else None
    return str(name) if name else option


def outcome_heading(outcome: str) -> str:
    """``os_5y_percent`` → ``5-y OS %``: a column heading where many outcomes sit side by
    side (the full ``outcome_label`` is its tooltip)."""
    found = vocabulary().outcome.get(outcome)
    return found.short if found is not None else outcome.replace("_", " ")


def outcome_label(outcome: str) -> str:
    """``os_5y_percent`` → ``5-year overall survival (%)``, for tables and captions."""
    found = vocabulary().outcome.get(outcome)
    if found is None:
        return outcome.replace("_", " ")
    return f"{found.name} ({found.unit})"


@dataclass(frozen=True, slots=True)
class ClassificationRow:
    """One line of the classification: its key in the document, title, value shown,
    the explanation, and the labels of the fields that would settle it when open."""

    key: str
    title: str
    value: str
    explanation: str
    settle: tuple[str, ...]


def _grade_text(c: Mapping[str, Any]) -> str:
    grade = c.get("grade")
    if grade is not None:
        return str(grade)
    possible = c.get("grade_possible") or []
    return (" or ".join(possible) + " (not settled)") if possible else NOT_KNOWN


def liver_type_text(c: Mapping[str, Any]) -> str | None:
    """The liver-metastasis type, or the types still possible when the case narrows them
    ("II or III (not settled)" for both lobes without a pattern); None when unknown."""
    if c.get("liver_type"):
        return str(c["liver_type"])
    possible = c.get("liver_type_possible") or []
    return " or ".join(possible) + " (not settled)" if 1 < len(possible) < 3 else None


def _stage_values(c: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The two staging systems side by side, and a row saying where they part."""
    rows = [(key, str(entry["title"]), stage_line(entry)) for key, entry in stage_entries(c)]
    if c.get("staging_disagreement"):
        rows.append(("staging_disagreement", "Staging systems", str(c["staging_disagreement"])))
    return rows


def _not_repeating(value: str, explanation: str) -> str:
    """The explanation without its opening words when they only repeat the value shown
    beside it ("no staging system in the sources for this primary" twice in a row)."""
    if value and explanation.lower().startswith(value.lower() + ": "):
        rest = explanation[len(value) + 2 :]
        return rest[:1].upper() + rest[1:]
    return explanation


def _differentiation_text(c: Mapping[str, Any]) -> str:
    """The differentiation as stated; when not stated and the grade is settled as a NET
    grade (G1-G3, NEC excluded), what the grade implies: a NET is well differentiated, a
    NEC poorly (000 §1; WHO 2019)."""
    stated = c.get("differentiation")
    if stated:
        return str(stated)
    grade = c.get("grade")
    if grade in ("G1", "G2", "G3"):
        return f"not stated; well, as a {grade} NET is"
    return NOT_KNOWN


def _burden_band_text(doc: Mapping[str, Any]) -> str:
    """The band, or what the case's bounds say when they span two bands ("not settled
    (known: > 70 %)": "not known" read as if no burden had been given)."""
    band = doc["classification"].get("burden_band")
    if band:
        return str(band)
    known = known_words(doc, "liver.tumor_burden_percent")
    return f"not settled ({known})" if known else NOT_KNOWN


def classification_rows(doc: Mapping[str, Any]) -> list[ClassificationRow]:
    """The classification in the order every renderer shows it."""
    c = doc["classification"]
    derived = vocabulary().derived
    values: list[tuple[str, str, str]] = [
        ("grade", derived["grade"].label, _grade_text(c)),
        ("differentiation", field_label("pathology.differentiation"), _differentiation_text(c)),
        ("liver_type", derived["liver_type"].label, liver_type_text(c) or NOT_KNOWN),
        (
            "portal_drainage",
            derived["portal_drainage"].label,
            yes_no_unknown(c.get("portal_drainage")),
        ),
        ("burden_band", derived["burden_band"].label, _burden_band_text(doc)),
        *_stage_values(c),
    ]
    explanations = c.get("explanations") or {}
    settle = c.get("settle_with") or {}
    return [
        ClassificationRow(
            key,
            title,
            value,
            _not_repeating(value, str(explanations.get(key, ""))),
            tuple(field_label(p) for p in settle.get(key, [])),
        )
        for key, title, value in values
    ]


_MAX_CONDITIONS = 3
_RELATIVE_REASONS = re.compile(r"\. Relative: .*$", re.DOTALL)


def _condition_words(text: str) -> str:
    """An open criterion as the plan's "if" names it: a relative criterion without the
    sentences of its reasons ("Grade G1 or G2, on which the guidelines disagree for a G3
    NET"), which the option's card gives in full."""
    return _RELATIVE_REASONS.sub("", text) or text


def _shown_conditions(open_criteria: list[str]) -> list[str]:
    """The "if" of a conditional option: its open criteria, the first three and a count of
    the rest (a thin case leaves most criteria open; the option lists them all). One more
    is shown rather than counted: "1 more open criterion" would take the same line."""
    if len(open_criteria) <= _MAX_CONDITIONS + 1:
        return list(open_criteria)
    rest = len(open_criteria) - _MAX_CONDITIONS
    return [*open_criteria[:_MAX_CONDITIONS], f"{rest} more open criteria (see the option)"]


def _step_condition(step: Mapping[str, Any]) -> str | None:
    """The step's own condition, while the case leaves it unknown: the first "if" of every
    option of the step, an eligible option's too (docs/assessment-v1-additions.md)."""
    conditions = step.get("conditions") or {}
    firsts = {tuple(conditions.get(oid) or ())[:1] for oid in step["options"]}
    if len(firsts) == 1 and (first := next(iter(firsts))):
        return str(first[0])
    return None


def _setting_apart_first(step: Mapping[str, Any], oid: str, texts: list[str]) -> list[str]:
    """An option's open criteria with those that set it apart from the step's other options
    first: where a step offers three resections, each "if" starts with what only it waits
    on (a staged hepatectomy's grade limit for ALPPS), not with the criteria all three share,
    which the plan would otherwise repeat three times and the count would hide the rest
    behind. The step's own condition stays first; the order is otherwise the option's."""
    others = [
        {_condition_words(t) for t in step.get("conditions", {}).get(o) or ()}
        for o in step["options"]
        if o != oid
    ]
    if not others:
        return texts
    kept = _step_condition(step)
    head = [t for t in texts if t == kept]
    rest = [t for t in texts if t != kept]
    rest.sort(key=lambda t: sum(_condition_words(t) in other for other in others))
    return [*head, *rest]


def _given_before(doc: Mapping[str, Any], oid: str) -> str:
    """ ", given before" after an option the case lists among its prior treatments, so the
    plan does not read a repeat course as a first one."""
    return ", given before" if doc["options"][oid].get("given_before") else ""


def plan_steps(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The plan's steps, each with ``intent_title`` and ``items``: every option of the step
    with its name, status (and its words) and the labels of what would decide it."""
    steps = []
    intents = vocabulary().intent
    for step in doc["plan"]:
        items = []
        for oid in step["options"]:
            status = step["statuses"].get(oid, doc["options"][oid]["status"])
            pending = step.get("pending", {}).get(oid, [])
            # a relative criterion the case fails is the board's to weigh, not an "if" a
            # missing value could settle ("if no prior Whipple" beside a recorded Whipple)
            judged = set(doc["options"][oid].get("judgements") or ())
            open_criteria = _setting_apart_first(
                step, oid, list(step.get("conditions", {}).get(oid, []))
            )
            items.append(
                {
                    "id": oid,
                    "name": option_name(doc, oid) + _given_before(doc, oid),
                    "status": status,
                    "status_title": status_title(status),
                    "pending": [missing_label(doc, p, field_label) for p in pending],
                    # the criteria still open: "if FLR ≥ 30 %: resection"
                    "conditions": _shown_conditions(
                        [_condition_words(c) for c in open_criteria if c not in judged]
                    ),
                    "weigh": [c for c in open_criteria if c in judged],
                }
            )
        intent = intents.get(step["intent"])
        steps.append(
            {
                **step,
                "intent_title": step.get("title") or (intent.title if intent else step["intent"]),
                "items": items,
                "joiner": "then" if step.get("options_are") == "sequence" else "or",
            }
        )
    return steps


@dataclass(frozen=True, slots=True)
class OptionGroup:
    intent: str
    title: str
    members: tuple[tuple[str, Mapping[str, Any]], ...]


def option_groups(doc: Mapping[str, Any]) -> list[OptionGroup]:
    """The options grouped by intent (plan order), eligible first within each group."""
    order = vocabulary().status_order
    groups: list[OptionGroup] = []
    for intent in vocabulary().intents:
        members = [(oid, o) for oid, o in doc["options"].items() if o.get("intent") == intent.id]
        members.sort(key=lambda item: order.get(item[1].get("status"), len(order)))
        if members:
            groups.append(OptionGroup(intent.id, intent.title, tuple(members)))
    return groups


# What an investigation's result could do to an option (its "could_become"), as the to-do
# list groups them: the options it could rule out, then those it could settle either way,
# then those it could open; each option named once, not each with its own parenthesis.
_EFFECTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ineligible",), "could rule out"),
    (("eligible", "ineligible"), "could settle either way"),
    (("eligible",), "could make eligible"),
)


def todo_items(
    doc: Mapping[str, Any], name_of: Callable[[str], str] | None = None
) -> list[dict[str, Any]]:
    """The to-do list (``investigations``), most decisive first: each investigation with
    the labels of the fields it gives, the same named by what is examined to follow
    "gives" (:mod:`nelm.report.gives`), and one sentence saying what it would decide, the
    options named by ``name_of`` (default: their full names)."""
    name = name_of or (lambda oid: option_name(doc, oid))
    out = []
    for item in doc.get("investigations") or ():
        by_effect: dict[str, list[str]] = {}
        for oid in item["could_change"]:
            become = tuple(item["could_become"].get(oid, ()))
            verb = next((v for b, v in _EFFECTS if b == become), "could change")
            by_effect.setdefault(verb, []).append(name(oid))
        order = [v for _, v in _EFFECTS] + ["could change"]
        parts = [f"{v}: {', '.join(by_effect[v])}" for v in order if v in by_effect]
        summary = "; ".join(parts) if parts else "settles data no option turns on alone"
        if item["first_step_could_change"]:
            summary += ". Its result could change the first plan step"
        out.append(
            {
                **item,
                "field_labels": [missing_label(doc, p, field_label) for p in item["fields"]],
                # what it measures, to follow "gives" ("Right heart function (carcinoid
                # heart disease)", not "gives Carcinoid heart disease")
                "gives": [
                    missing_label(doc, p, lambda f: gives_label(f, field_label))
                    for p in item["fields"]
                ],
                "summary": summary + ".",
            }
        )
    return out


def investigated_fields(doc: Mapping[str, Any]) -> set[str]:
    """The missing fields an investigation of the to-do list gives (``investigations``):
    a report that prints the to-do list names them there, with the investigation that
    gives them and the options it decides, and lists only the others as missing data."""
    return {str(f) for item in doc.get("investigations") or () for f in item["fields"]}


def missing_data_groups(
    doc: Mapping[str, Any],
    name_of: Callable[[str], str] | None = None,
    leave_out: Collection[str] = (),
) -> list[tuple[list[str], list[str]]]:
    """The missing data as (field labels, option names) pairs, the fields that decide the
    very same options named together: Ki-67, the mitotic count and the differentiation
    most often decide the same list, which is then read once, not three times. Options
    are named by ``name_of`` (default: their full names); the fields in ``leave_out``
    (those the to-do list already names, :func:`investigated_fields`) are not listed."""
    name = name_of or (lambda oid: option_name(doc, oid))
    groups: dict[tuple[str, ...], list[str]] = {}
    for item in doc.get("missing_data") or ():
        if item["field"] in leave_out:
            continue
        key = tuple(item["decides"])
        groups.setdefault(key, []).append(missing_label(doc, item["field"], field_label))
    return [(labels, [name(o) for o in key]) for key, labels in groups.items()]


def source_notes(source: Mapping[str, Any], shown: int = 3) -> list[str]:
    """The input source's notes for a reader: each reason with how many resources it
    applies to and the first ``shown`` of them. A hospital record sets aside hundreds of
    claims and encounters; their full ids (up to 20 a reason) stay in the JSON document."""
    out = []
    for group in source.get("notes_by_reason") or ():
        count, refs = group["count"], group["references"][:shown]
        if not count:
            out.append(group["reason"])
            continue
        left = count - len(refs)
        more = f" and {left} more" if left > 0 else ""
        label = "1 resource" if count == 1 else f"{count} resources"
        out.append(f"{group['reason']} ({label}): {', '.join(refs)}{more}")
    return out
