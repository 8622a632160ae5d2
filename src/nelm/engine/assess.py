"""One case in, one assessment out: the pure core that every adapter calls.

No I/O, no clock: the same case and knowledge base always give the same document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from nelm.case.document import Case, Value
from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH, Kind
from nelm.case.plausibility import implausible_values, unit_questions
from nelm.case.result_dates import old_results_warning
from nelm.engine.conditions import Fact, Interval
from nelm.engine.consistency import contradictions
from nelm.engine.derive import CARCINOIDS, THORACIC_READING_SITES, DerivedFacts, derive
from nelm.engine.evaluate import (
    GIVEN_BEFORE_START,
    CriterionResult,
    OptionResult,
    ShownValues,
    evaluate_option,
)
from nelm.engine.intervals import interval_facts, interval_of, interval_text
from nelm.engine.investigations import ToDo, rank_investigations
from nelm.engine.kidney import age_bounds
from nelm.engine.logic import Truth
from nelm.engine.plan import PlanStep, build_plan
from nelm.engine.staging import staging_doc
from nelm.knowledge.model import Criterion, KnowledgeBase, OptionSpec

__all__ = ["ASSESSMENT_SCHEMA_VERSION", "Assessment", "EvidenceLookup", "assess"]

ADULT_AGE = 18
"""Below this age the case is a child's, and the sources' series are of adults."""

ASSESSMENT_SCHEMA_VERSION = 1

EvidenceLookup = Callable[[str], Mapping[str, Any]]
"""Returns the evidence summary of an option id (kept out of the core's imports)."""


@dataclass(frozen=True, slots=True)
class Assessment:
    case: Case
    knowledge: KnowledgeBase
    derived: DerivedFacts
    options: dict[str, OptionResult]
    plan: tuple[PlanStep, ...]
    missing_data: tuple[tuple[str, tuple[str, ...]], ...]
    warnings: tuple[str, ...]
    evidence: Mapping[str, Mapping[str, Any]]
    investigations: tuple[ToDo, ...] = ()
    input_warnings: tuple[dict[str, Any], ...] = ()
    """Implausible values and contradictions, shown first (``input_warnings``)."""

    def to_document(self) -> dict[str, Any]:
        """The assessment-v1 JSON document."""
        return _document(self)


def facts_of(case: Case, derived: DerivedFacts) -> dict[str, Fact]:
    facts: dict[str, Fact] = dict(case.values)
    facts.update(interval_facts(case.values))
    for path, origin in case.bounds_origin.items():
        interval = facts.get(path)
        if isinstance(interval, Interval) and interval.basis is None:
            unit = FIELD_BY_PATH[path].unit
            basis = f"{interval_text(interval, unit)} ({origin})"
            facts[path] = replace(interval, basis=basis)
    facts.update(derived.as_facts())
    for path, _, _ in derived.set_aside:  # contradicted: read as unknown (nelm.engine.sstr)
        facts.pop(path, None)
    return facts


def assess(case: Case, kb: KnowledgeBase, evidence: EvidenceLookup | None = None) -> Assessment:
    derived = derive(case, kb.derivations)
    facts = facts_of(case, derived)
    checks = input_checks(case, kb)
    shown_values: ShownValues = {}
    from_timeline = _read_from_timeline(case)  # once: the same for every option
    results = {
        oid: evaluate_option(spec, facts, derived, shown_values, case.entered, from_timeline)
        for oid, spec in kb.options.items()
    }
    plan = build_plan(kb.plan, facts, results, kb.plan_notes, derived)

    decides: dict[str, list[str]] = {}
    for oid, result in results.items():
        for field in result.missing:
            decides.setdefault(field, []).append(oid)
    missing_data = tuple(
        sorted(((f, tuple(o)) for f, o in decides.items()), key=lambda item: -len(item[1]))
    )
    return Assessment(
        case=case,
        knowledge=kb,
        derived=derived,
        options=results,
        plan=plan,
        missing_data=missing_data,
        # what the case's record said about any assessment of it (a death, no NET) first
        warnings=case.record_warnings
        + tuple(_warning_text(w) for w in checks)
        + tuple(_warnings(case, derived)),
        input_warnings=checks,
        evidence={oid: evidence(oid) for oid in results} if evidence else {},
        investigations=rank_investigations(case, kb, results, plan, facts_of, derived),
    )


def input_checks(case: Case, kb: KnowledgeBase) -> tuple[dict[str, Any], ...]:
    """Implausible values (confirmed or not), plausible values whose unit is in doubt
    (``nelm.case.plausibility.UnitCheck``) and contradictions between fields."""
    found = [
        {"kind": "implausible", "fields": [f.path], **f.as_dict()}
        for f in implausible_values(case.values, case.confirmed, case.entered)
    ]
    found += [
        {"kind": "unit_check", "fields": [q.path], **q.as_dict()}
        for q in unit_questions(case.values, case.confirmed, case.entered)
    ]
    found += [
        {"kind": "contradiction", **c.as_dict()}
        for c in contradictions(
            case.values,
            kb.derivations.grade,
            case.entered,
            dict(kb.derivations.prior_lines_counted),
        )
    ]
    return tuple(found)


def _warning_text(check: Mapping[str, Any]) -> str:
    """A check as one warning line that names its fields and the likely fix (an implausible
    value's message already names both)."""
    text = str(check["message"])
    if check["kind"] != "contradiction":
        return text
    tail = "fields " + ", ".join(check["fields"])
    fix = str(check.get("fix") or "")
    if fix and fix.lower() not in text.lower():
        tail += f"; {fix}"
    return f"{text} ({tail}.)"


_KI67_PATHS = (
    "pathology.ki67_percent",
    "pathology.ki67_percent_at_least",
    "pathology.ki67_percent_at_most",
)


_GRADED_BY = (
    *(
        path
        for index in ("pathology.ki67_percent", "pathology.mitoses_per_2mm2")
        for path in (index, *BOUND_PARTS[index])
    ),
    "pathology.differentiation",
    "pathology.nec_subtype",
)
"""What grades a tumour besides the report's word: the indices, exactly or by any bound, the
differentiation and an NEC subtype."""


def _timeline_advice(conflict: str) -> str:
    """A conflict names its field first: a list the timeline adds to is incomplete rather
    than contradicted. Otherwise the stated value is the one assessed (docs/
    case-v1-additions.md: "A typed value is kept"), and the warning says so: "progressing"
    beside a timeline's stable scan must not read as nelm holding both."""
    spec = FIELD_BY_PATH.get(conflict.split(" ", 1)[0])
    if spec is not None and spec.kind is Kind.CHOICES:
        return "the list may be incomplete."
    return (
        "nelm assesses the value as stated, which wins over the timeline; check which is current."
    )


def _warnings(case: Case, derived: DerivedFacts) -> list[str]:
    """Checks that are not a single implausible value, in the words a board reads."""
    out: list[str] = [f"{c} (timeline): {_timeline_advice(c)}" for c in case.timeline_conflicts]
    old = old_results_warning(case.measured_on, (case.timeline or {}).get("as_of"))
    if old is not None:
        out.append(old)
    if derived.grade.conflict:
        out.append(f"{derived.grade.conflict}.")
    values = case.values
    ki67_given = any(p in values for p in _KI67_PATHS)
    if ki67_given and "pathology.mitoses_per_2mm2" in derived.grade.settle_with:
        # One index is only a lower bound: the higher of the two decides (000 §1).
        out.append(
            "The grade is not settled: Ki-67 is given but the mitotic count is not, and the "
            "higher of the two decides (000 §1). A pathology review for the mitotic count "
            "would settle it."
        )
    if "pathology.nec_subtype" in values and "pathology.differentiation" not in values:
        # Small- and large-cell are the kinds of NEC, which is poorly differentiated (000
        # §1): the grade reads the subtype so (nelm.engine.derive.differentiation_of).
        out.append(
            "An NEC subtype is given but the differentiation is not: read as poorly "
            "differentiated, since small-cell and large-cell NEC are poorly differentiated "
            "(000 §1); state the differentiation to confirm it."
        )
    if values.get("pathology.reported_grade") == "NEC" and not any(p in values for p in _GRADED_BY):
        # The grade decides most options, and this one rests on a word whose meaning
        # changed: WHO 2000 named well-differentiated malignant tumours "(neuro)endocrine
        # carcinoma"; since 2010 an NEC is poorly differentiated (Rindi 2022).
        out.append(
            "The grade NEC rests on the report's word alone (no Ki-67, mitotic count or "
            "differentiation), and it rules out most options: an NEC is poorly differentiated "
            "and of high grade (000 §1), but a report written before WHO 2010 may call a "
            'well-differentiated tumour that has spread a "neuroendocrine carcinoma" '
            "(Rindi 2022). A pathology review (differentiation, Ki-67) would confirm it."
        )
    low_ki67 = _nec_beside_a_low_ki67(values)
    if low_ki67 is not None:
        out.append(low_ki67)
    carcinoid = _carcinoid_outside_the_chest(values)
    if carcinoid is not None:
        out.append(carcinoid)
    months_stable = values.get("course.months_stable")
    if (
        values.get("course.status") in ("progressing", "rapidly_progressing")
        and isinstance(months_stable, int | float)
        and not isinstance(months_stable, bool)
        and months_stable > 0
    ):
        out.append(
            "The disease course says progressing while the months of stable disease are "
            "above zero; the transplant criteria read both, so check which is current."
        )
    if values.get("extrahepatic.present") is True and "extrahepatic.sites" not in values:
        out.append("Extrahepatic disease is present but its sites are not given.")
    child = _child_warning(values)
    if child is not None:
        out.append(child)
    if values.get("patient.pregnant") is True:
        out.append(_PREGNANT)
    return out


# The seeds do not speak of pregnancy, and no criterion reads it (an unstated pregnancy
# would leave the options open for every woman): said once, above every card, with what the
# cautions of the options that bear on it give (Lutathera SmPC 4.3; ESMO 2008).
_PREGNANT = (
    "Pregnant: the criteria, thresholds and evidence shown here come from patients who "
    "were not pregnant, and no status weighs the pregnancy. 177Lu-DOTATATE (PRRT) is "
    "contraindicated in pregnancy (Lutathera SmPC 4.3); ESMO advises ending the pregnancy "
    "when chemotherapy or radiotherapy is needed in the first trimester. The plan is the "
    "board's to make with the patient and the obstetric team, by the gestational age "
    "(ESMO, cancer and pregnancy, 2008)."
)


def _nec_beside_a_low_ki67(values: Mapping[str, Value]) -> str | None:
    """A reported NEC beside a Ki-67 of at most 20 % and no mitotic count: not a
    contradiction (the higher index decides, 000 §1, and the mitotic count may be above
    20), yet one the board should know the grade hangs on."""
    if values.get("pathology.reported_grade") != "NEC":
        return None
    if any(p in values for p in (_MITOSES, *BOUND_PARTS[_MITOSES])):
        return None  # a mitotic count decides: the grade derivation reports any conflict
    exact = values.get("pathology.ki67_percent")
    interval = interval_of(values, "pathology.ki67_percent")
    high: float | int | None
    if isinstance(exact, int | float) and not isinstance(exact, bool):
        high, shown = exact, f"{exact:g} %"
    elif interval is not None:
        high, shown = interval.hi, interval_text(interval, "%")
    else:
        return None
    if high is None or high > 20:
        return None
    return (
        f"The report says NEC, but the Ki-67 ({shown}) is of a low grade: an NEC is of high "
        "grade (000 §1), so only a mitotic count above 20 per 2 mm² would make this one; a "
        "pathology review (mitotic count, differentiation) would settle it."
    )


_MITOSES = "pathology.mitoses_per_2mm2"


def _carcinoid_outside_the_chest(values: Mapping[str, Value]) -> str | None:
    """Typical and atypical carcinoid are the WHO grades of lung and thymic NETs (Rindi
    2022); reported for a digestive primary they are read as G1 and G2 all the same, and
    the board is told that the digestive system's grade (Ki-67, mitoses) is what decides."""
    reported = values.get("pathology.reported_grade")
    site = values.get("primary.site")
    if reported not in CARCINOIDS or site is None:
        return None
    if site in THORACIC_READING_SITES:  # read as the chest's (derive_grade)
        return None
    words = str(reported).replace("_", " ")
    grade = "G1" if reported == "typical_carcinoid" else "G2"
    where = "outside the chest" if site == "other" else f"in the {str(site).replace('_', ' ')}"
    return (
        f"The grade is reported as {words}, the WHO grading of lung and thymic NETs, for a "
        f"primary {where}: read as {grade}; the WHO grade of a "
        "digestive NET comes from its Ki-67 and mitotic count (Rindi 2022; 000 §1), which "
        "would confirm it."
    )


_ADULTS_ONLY = (
    "the criteria, thresholds and evidence shown here come from series of adults (the five "
    "source reviews), none from children."
)


def _child_warning(values: Mapping[str, Value]) -> str | None:
    """A child for certain when even the oldest age the case allows is under 18; possibly,
    when a stated youngest age is under 18 and the oldest is not. An age given only as
    "at most 40" says nothing of childhood, and stays silent like an unknown age."""
    lo, hi = age_bounds(values)
    if hi is not None and hi < ADULT_AGE:
        return f"A patient of {_age_words(lo, hi)}: {_ADULTS_ONLY}"
    if lo is not None and lo < ADULT_AGE:
        return f"A patient of {_age_words(lo, hi)}, possibly under {ADULT_AGE}: {_ADULTS_ONLY}"
    return None


def _age_words(lo: float | None, hi: float | None) -> str:
    """``12 years``, ``12–15 years``, ``at most 15 years``, ``at least 16 years``."""
    if lo is None and hi is not None:
        return f"at most {hi:g} years"
    if hi is None and lo is not None:
        return f"at least {lo:g} years"
    assert lo is not None and hi is not None
    return f"{lo:g} years" if lo == hi else f"{lo:g}–{hi:g} years"


def _read_from_timeline(case: Case) -> frozenset[str]:
    """The fields whose value, as the criteria read it, came from the timeline alone: a
    number read through its bounds only when no part of it was typed."""
    read = set(case.from_timeline)
    for number, bounds in BOUND_PARTS.items():
        parts = [p for p in (number, *bounds) if p in case.values]
        if parts and all(p in case.from_timeline for p in parts):
            read.add(number)
    return frozenset(read)


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _derived_doc(d: DerivedFacts, case: Case) -> dict[str, Any]:
    grade = d.grade.value
    doc: dict[str, Any] = {
        "grade": grade,
        "grade_possible": sorted(d.grade.possible or ()),
        "differentiation": case.values.get("pathology.differentiation"),
        "liver_type": d.liver_type.value,
        "liver_type_possible": sorted(d.liver_type.possible or ()),
        "portal_drainage": d.portal_drainage.value,
        "burden_band": d.burden_band,
        "explanations": {
            "grade": d.grade.explanation,
            "liver_type": d.liver_type.explanation,
            "portal_drainage": d.portal_drainage.explanation,
            **(
                {
                    "burden_band": f"Hepatic tumour burden in the band {d.burden_band} "
                    f"({'; '.join(d.burden_band_sources)})"
                }
                if d.burden_band
                else {}
            ),
        },
        "conflicts": [derived.conflict for derived in (d.grade, d.liver_type) if derived.conflict],
        # Yes/no fields the case implies without stating them (``implied_facts``).
        "implied": [{"field": p, "value": v, "basis": why} for p, v, why in d.implied],
        # Fields the criteria read as unknown: another field contradicts them.
        "set_aside": [
            {"field": p, "value": _json_value(v), "contradicts": against}
            for p, v, against in d.set_aside
        ],
        # Fields the case's dated timeline gave, not typed (docs/case-v1-additions.md).
        "from_timeline": [
            {"field": p, "value": _json_value(case.values[p])}
            for p in case.from_timeline
            if p in case.values
        ],
        "settle_with": {
            name: list(getattr(d, name).settle_with)
            for name in ("grade", "liver_type", "portal_drainage")
            if getattr(d, name).settle_with
        },
    }
    doc.update(staging_doc(d.stages))
    for stage in d.stages:
        doc["explanations"][f"stage_{stage.system}"] = stage.explanation
        if stage.settle_with:
            doc["settle_with"][f"stage_{stage.system}"] = list(stage.settle_with)
    return doc


_MET, _NOT_MET = Truth.MET, Truth.NOT_MET
# Chosen by identity: Enum.value is a slow property, and an enum member is hashed in Python.
_MET_TEXT, _NOT_MET_TEXT, _UNKNOWN_TEXT = (t.value for t in (_MET, _NOT_MET, Truth.UNKNOWN))


_Templates = tuple[tuple[Criterion, dict[str, Any]], ...]
_TEMPLATES: dict[int, tuple[OptionSpec, _Templates]] = {}
_MAX_TEMPLATES = 1_000
"""Options whose criteria's document templates are kept (23 per knowledge base)."""


def _template(criterion: Criterion) -> dict[str, Any]:
    """What a criterion's document says whatever the case: its result, value and (a
    fresh list of) sources are set in their places for each case."""
    template: dict[str, Any] = {
        "id": criterion.id,
        "text": criterion.text,
        "result": None,
        "value": None,
        "sources": None,
    }
    if criterion.quote:
        template["quote"] = criterion.quote
    return template


def _templates(spec: OptionSpec) -> _Templates:
    """Each criterion of an option with its template, once per option."""
    # by identity, the option kept in the entry so that its id is not reused meanwhile
    entry = _TEMPLATES.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    if len(_TEMPLATES) >= _MAX_TEMPLATES:
        _TEMPLATES.clear()
    templates = tuple((c, _template(c)) for c in spec.criteria)
    _TEMPLATES[id(spec)] = (spec, templates)
    return templates


def _criterion_doc(c: CriterionResult, template: dict[str, Any]) -> dict[str, Any]:
    truth = c.truth
    doc = template.copy()  # the keys in the contract's order
    doc["result"] = (
        _MET_TEXT if truth is _MET else (_NOT_MET_TEXT if truth is _NOT_MET else _UNKNOWN_TEXT)
    )
    doc["value"] = c.value
    doc["sources"] = list(c.criterion.sources)
    if c.relative:
        doc["relative_contraindication"] = True
    if c.criterion.later_line:
        doc["later_line"] = True
    if c.criterion.convertible:
        doc["convertible"] = True
    if c.override:
        doc["override"] = c.override
    return doc


def _option_doc(
    result: OptionResult, evidence: Mapping[str, Any] | None, nec: bool = False
) -> dict[str, Any]:
    spec = result.spec
    templates = _templates(spec)
    criteria: list[dict[str, Any]] = []
    reasons: list[str] = []
    for i, c in enumerate(result.criteria):  # one pass: each criterion's document, reasons
        criterion = c.criterion
        # the results are in the option's order; a result built otherwise gets its own
        entry = templates[i] if i < len(templates) else None
        template = entry[1] if entry is not None and entry[0] is criterion else None
        criteria.append(_criterion_doc(c, template or _template(criterion)))
        if c.truth is _NOT_MET:
            reasons.append(criterion.text)
    cautions: list[str] = []
    details: list[dict[str, Any]] = []
    given_before = False
    for text, sources, specific in result.cautions:
        cautions.append(f"{text} ({'; '.join(sources)})")
        details.append({"text": text, "sources": list(sources), "case_specific": specific})
        given_before = given_before or text.startswith(GIVEN_BEFORE_START)
    doc: dict[str, Any] = {
        "name": spec.name,
        "status": result.status,
        "intent": spec.intent,
        "criteria": criteria,
        "cautions": cautions,
        "caution_details": details,
        "missing": list(result.missing),
        "judgements": list(result.judgements),
        "reasons": reasons,
    }
    if given_before:
        doc["given_before"] = True  # listed in course.prior_treatments, or shown by a field
    doc["evidence"] = None if evidence is None else _evidence_doc(evidence, nec)
    return doc


def _evidence_doc(evidence: Mapping[str, Any], nec: bool) -> dict[str, Any]:
    """The option's evidence summary; for a NEC, led by what its figures are series of:
    nearly every arm the seeds record is of well-differentiated NET, whose survival a NEC
    does not share (000 §1: 11.3 months' median OS for pancreatic NEC against 35.9 for G3
    pancreatic NET)."""
    doc = dict(evidence)
    if not nec or not doc.get("studies"):
        return doc
    arms = [str(a["text"]) for a in doc.get("nec_arms") or ()]
    if arms:
        note = (
            "This case is a NEC: these figures come mostly from series of well-differentiated "
            f"NET; of NEC the sources record {'; '.join(arms)}."
        )
    else:
        note = (
            "This case is a NEC: none of these study arms is a series of NEC; the figures come "
            "from well-differentiated NET or from NEN not graded, and do not describe a NEC."
        )
    doc["grade_note"] = note
    doc["text"] = f"{note} {doc.get('text', '')}".strip()
    return doc


def _todo_doc(t: ToDo) -> dict[str, Any]:
    return {
        "id": t.investigation.id,
        "name": t.investigation.name,
        "fields": list(t.fields),
        "could_change": list(t.could_change),
        "could_become": {o: list(s) for o, s in t.could_become.items()},
        "first_step_could_change": t.first_step_could_change,
        "sources": list(t.investigation.sources),
        **(
            {
                "precautions": [
                    {"id": p.id, "text": p.text, "sources": list(p.sources)} for p in t.precautions
                ]
            }
            if t.precautions
            else {}
        ),
    }


def _document(a: Assessment) -> dict[str, Any]:
    nec = a.derived.grade.possible == frozenset({"NEC"})
    return {
        "schema_version": ASSESSMENT_SCHEMA_VERSION,
        "knowledge_version": a.knowledge.version,
        "case_id": a.case.case_id,
        "label": a.case.label,
        "classification": _derived_doc(a.derived, a.case),
        "options": {oid: _option_doc(r, a.evidence.get(oid), nec) for oid, r in a.options.items()},
        "plan": [
            {
                "step": s.number,
                "options": list(s.options),
                "intent": s.intent,
                **({"title": s.spec.title} if s.spec.title else {}),
                # A note is said with the rationale, so that every reader of the plan shows
                # it, and listed on its own under "notes".
                "rationale": " ".join((s.spec.rationale, *(n.text for n in s.notes))),
                "sources": list(
                    dict.fromkeys((*s.spec.sources, *(c for n in s.notes for c in n.sources)))
                ),
                **(
                    {
                        "notes": [
                            {
                                "id": n.id,
                                "text": n.text,
                                "sources": list(n.sources),
                                **({"precaution": True} if n.precaution else {}),
                            }
                            for n in s.notes
                        ]
                    }
                    if s.notes
                    else {}
                ),
                "conditional": s.conditional,
                "options_are": s.options_are,
                "conditions": {o: list(t) for o, t in s.conditions.items()},
                **({"moved_behind": list(s.moved_behind)} if s.moved_behind else {}),
                "statuses": dict(s.statuses),
                "pending": {o: list(f) for o, f in s.pending.items()},
            }
            for s in a.plan
        ],
        "missing_data": [{"field": f, "decides": list(o)} for f, o in a.missing_data],
        "investigations": [_todo_doc(t) for t in a.investigations],
        "warnings": list(a.warnings),
        "input_warnings": list(a.input_warnings),
        "inputs": a.case.to_document(),
    }
