"""Observations: pathology, performance status, laboratory values and imaging findings.

An Observation is read when its status is ``final``, ``amended`` or ``corrected`` and it is
not dated after the assessment date. Its ``code`` and each ``component.code`` are looked
up in :data:`~nelm.interop.fhir.codes.OBSERVATION_RULES`; a number sent as text that is
exactly a number and its unit, a bound or a range (``"15%"``, ``"<2 %"``, ``"5-10 %"``) is
read as the Quantity or Range it spells (a bound or range without a unit in the unit the
field's code implies, for a percentage or a count held with bounds); a value that cannot
be used (a bound of a laboratory value, other text, ``dataAbsentReason``) leaves the field
unknown and is noted, while a unit that cannot be converted or a value out of range leaves the field
unknown and is listed as a data-quality issue (the rest of the record is assessed).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from typing import Any

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, FIELDS, STRICT_BOUNDS, Kind
from nelm.case.result_dates import old_results_sentence as result_dates_sentence
from nelm.errors import Problem, describe_value
from nelm.interop.fhir.absent import absent_reason, concept_reason, value_only_in_extensions
from nelm.interop.fhir.cancers import NET_SECTIONS
from nelm.interop.fhir.codes import (
    DISEASE_STATUS,
    DISEASE_STATUS_ANSWERS,
    ECOG_ANSWERS,
    GRADE_ANSWERS,
    NEGATIVE,
    OBSERVATION_RULES,
    ORGAN_SITES,
    POSITIVE,
    REPORTED_GRADE_ANSWERS,
    SNOMED_BODY_SITES,
    ObservationRule,
    ValueKind,
    tnm_answer,
    topography,
)
from nelm.interop.fhir.collect import Issue, Resolved, Scalar, Source
from nelm.interop.fhir.context import Context, number, range_problem
from nelm.interop.fhir.dates import When, when_of
from nelm.interop.fhir.imaging import is_tumor_size, read_tumor_size
from nelm.interop.fhir.metastasis_sites import DISTANT_METASTASIS_SITE, read_distant_metastasis
from nelm.interop.fhir.ratios import fraction_as_percent, read_ratio
from nelm.interop.fhir.systems import (
    ICDO3,
    NELM_VALUE,
    SNOMED,
    UCUM,
    Code,
    canonical_system,
    codings,
    elements,
    label,
)
from nelm.interop.fhir.text_quantity import (
    is_bound,
    issues_at_text,
    largest_limit,
    spelt_value,
    with_unit,
)
from nelm.interop.fhir.units import KINDS, UnitError, convert, is_unity
from nelm.interop.fhir.validate import Entry

__all__ = [
    "old_results",
    "old_results_sentence",
    "old_results_warning",
    "read_observation",
    "result_dates",
    "undated_results",
    "undated_results_sentence",
]

USED_STATUSES = ("final", "amended", "corrected")
_COUNT_UNITS = frozenset({"1", "{lesions}", "{lesion}", "{count}", "{score}", "{#}", ""})


def read_observation(ctx: Context, entry: Entry) -> None:
    resource = entry.resource
    status = resource.get("status")
    if status not in USED_STATUSES:
        ctx.notes.add("not used: Observation status is not final, amended or corrected", entry.ref)
        return
    when = observation_when(resource)
    if ctx.after_assessment(entry, when):
        return
    codes = set(codings(resource.get("code")))
    of_another_cancer = _of_another_cancer(ctx, resource)
    if of_another_cancer and (
        is_tumor_size(resource) or codes & {DISEASE_STATUS, DISTANT_METASTASIS_SITE}
    ):
        ctx.notes.add(_OF_ANOTHER_CANCER, entry.ref)
        return
    if is_tumor_size(resource):  # mCODE Tumor Size: one lesion (imaging.py)
        read_tumor_size(ctx, entry, when)
        return
    if DISEASE_STATUS in codes:
        _disease_status(ctx, entry, when)
        return
    if DISTANT_METASTASIS_SITE in codes:  # MII oncology module (metastasis_sites.py)
        read_distant_metastasis(ctx, entry, when)
        return
    items: list[tuple[Mapping[str, Any], str]] = [(resource, entry.path)]
    own_value = any(key.startswith("value") for key in resource)
    for index, component in enumerate(elements(resource.get("component"))):
        if not isinstance(component, Mapping):
            continue
        if own_value and codes & set(codings(component.get("code"))):
            # coded as the Observation itself, beside its own value: a repeat of the result
            # (HL7 v2 converters write one), read once, from the Observation
            continue
        items.append((component, f"{entry.path}.component[{index}]"))
    read_any = False
    for item, base in items:
        matched = _rule(ctx, entry, item.get("code"))
        if matched is None:
            continue
        read_any = True
        code, rule = matched
        if of_another_cancer and rule.field.split(".", 1)[0] in NET_SECTIONS:
            ctx.notes.add(_OF_ANOTHER_CANCER, entry.ref)
            continue
        if "dataAbsentReason" in item and any(k.startswith("value") for k in item):
            # FHIR R4 Observation obs-6: "dataAbsentReason SHALL only be present if
            # Observation.value[x] is not present" (and a component's dataAbsentReason is
            # why its value is missing): with both, the result says two things at once
            ctx.flaw(
                Problem(
                    f"{base}.dataAbsentReason",
                    f"{entry.ref}: a value or a reason it is absent, not both (FHIR R4 "
                    f"Observation obs-6), for {rule.field}",
                    "both",
                ),
                rule.field,
            )
            continue
        source = Source(entry.ref, entry.path, label(code))
        companions = _ki67_source(resource) if rule.field == "pathology.ki67_percent" else ()
        spelt = _text_as_quantity(ctx, entry, item, rule)
        first_issue = len(ctx.issues)
        read = item if spelt is None else spelt
        _read_result(ctx, entry, read, base, rule, source, when, companions)
        if spelt is not None:
            issues_at_text(ctx.issues, first_issue, base)
    if not read_any:
        ctx.notes.add("not used: Observation code not in the mapping table", entry.ref)


_OF_ANOTHER_CANCER = (
    "set aside: a finding about (focus) a cancer that is not a neuroendocrine neoplasm"
)


def _of_another_cancer(ctx: Context, resource: Mapping[str, Any]) -> bool:
    """The Observation's ``focus`` names a Condition of the record that is another cancer
    (mCODE and the MII oncology module link TNM, disease status, tumour size and sites of
    metastasis to their cancer this way): its tumour findings are not the NET's. A focus
    the record does not hold says nothing either way."""
    if ctx.cancers is None:
        return False
    for focus in elements(resource.get("focus")):
        reference = focus.get("reference") if isinstance(focus, Mapping) else None
        if (
            isinstance(reference, str)
            and ctx.cancers.known(reference)
            and ctx.cancers.kind(reference) == "other"
        ):
            return True
    return False


def _rule(ctx: Context, entry: Entry, concept: Any) -> tuple[Code, ObservationRule] | None:
    found = [
        (code, OBSERVATION_RULES[code]) for code in codings(concept) if code in OBSERVATION_RULES
    ]
    if len({rule.field for _, rule in found}) > 1:
        ctx.notes.add("not used: Observation codes name different findings", entry.ref)
        return None
    return found[0] if found else None


def _value(
    ctx: Context,
    entry: Entry,
    item: Mapping[str, Any],
    base: str,
    rule: ObservationRule,
    source: Source,
) -> Scalar | None:
    if "dataAbsentReason" in item and not any(k.startswith("value") for k in item):
        ctx.notes.add(f"{rule.field} not set: the result is absent (dataAbsentReason)", entry.ref)
        # FHIR R4 Observation.dataAbsentReason: "Provides a reason why the expected value in
        # the element Observation.value[x] is missing"; the reason is said in words
        ctx.issues.append(
            Issue(
                f"{base}.dataAbsentReason",
                f"{entry.ref}: no value for {rule.field}, and the result says why "
                f"({concept_reason(item['dataAbsentReason'])}); {rule.field} is not read from it",
                notice=True,
            )
        )
        return None
    only_extensions = value_only_in_extensions(item, "value")
    if only_extensions is not None:
        # "_valueDateTime": {"extension": […]} with no value (FHIR R4 JSON, primitive
        # elements): the value is absent, never guessed
        reason = absent_reason(item[f"_{only_extensions}"])
        ctx.notes.add(
            f"{rule.field} not set: the result has no value, only extensions on {only_extensions}",
            entry.ref,
        )
        if reason is not None:
            ctx.issues.append(
                Issue(
                    f"{base}._{only_extensions}",
                    f"{entry.ref}: {only_extensions} is absent, and the record says why "
                    f"({reason}); {rule.field} is not read from it",
                    notice=True,
                )
            )
        return None
    if rule.value is ValueKind.QUANTITY:
        return _quantity(ctx, entry, item, base, rule)
    if rule.value is ValueKind.BOOLEAN:
        return _boolean(ctx, entry, item, rule)
    if rule.value is ValueKind.GRADE:
        return _grade(ctx, entry, item, rule, source)
    if rule.value is ValueKind.CHOICE:
        return _choice(ctx, entry, item, rule)
    if rule.value is ValueKind.TNM:
        return _tnm(ctx, entry, item, rule)
    return _count(ctx, entry, item, base, rule)


def _read_result(
    ctx: Context,
    entry: Entry,
    item: Mapping[str, Any],
    base: str,
    rule: ObservationRule,
    source: Source,
    when: When | None,
    companions: tuple[tuple[str, Scalar], ...],
) -> None:
    """The value of one Observation (or component) matched to ``rule``, added to the case."""
    bounds = _bounds(ctx, entry, item, base, rule)
    if bounds is not None:  # "<2 %", "> 10 lesions", a Range: the _at_least/_at_most
        for path, bound in bounds:
            ctx.add(path, bound, source, when, companions)
        return
    value = _value(ctx, entry, item, base, rule, source)
    if value is None:
        return
    ctx.add(rule.field, value, source, when, companions)
    if (
        rule.recent_days is not None
        and when is not None
        and (ctx.assessment_date - when.end.date()).days > rule.recent_days
    ):
        ctx.notes.add(
            f"{rule.field}: the result is more than {rule.recent_days} days "
            "older than the assessment date",
            entry.ref,
        )


def _text_as_quantity(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Mapping[str, Any] | None:
    """A quantity given as ``valueString`` as the Quantity (or Range) it spells, read
    exactly as one sent as such, and noted; None when the item holds no such text. A bound
    or range without a unit, of a number case-v1 holds with bounds, is read in the unit
    the field's code implies (a percentage, a count): _implied_unit."""
    text = item.get("valueString")
    if rule.value not in (ValueKind.QUANTITY, ValueKind.COUNT) or not isinstance(text, str):
        return None
    if "valueQuantity" in item or "valueRange" in item:
        return None
    spelt = spelt_value(text)
    if spelt is None:
        return None
    bound = rule.field in BOUNDS and is_bound(spelt)
    if rule.value is ValueKind.COUNT and not bound:
        return None  # a count as plain text ("3") stays unread, as the codes say nothing
    ctx.notes.add(f"{rule.field}: read from the text of the result (valueString)", entry.ref)
    unit = _implied_unit(rule, spelt) if bound else None
    if unit is not None and (given := with_unit(spelt, unit)) != spelt:
        spelt = given
        ctx.notes.add(
            f"{rule.field}: the text gives no unit; read in {unit}, the field's only unit",
            entry.ref,
        )
    return {**{k: v for k, v in item.items() if k != "valueString"}, **spelt}


# Bounds written as bare text ("<3", "≤ 2", "10-15") whose unit the field's code implies:
# Ki-67 (LOINC 29593-1, a share of the cells), tumour burden and the FLR are percentages.
# A count (lesions) needs no unit: _bound_value reads one written without. A
# laboratory value, a length and the mitotic count are not here: their unit is not implied
# (bilirubin in mg/dL or µmol/L, a lesion in cm or mm, mitoses per mm², per 2 mm² or per
# 10 mm², whose bare "< 2" per mm² would be "< 4" per 2 mm², a G2 read as G1).
_IMPLIED_UNITS = {"percent": "%"}


def _implied_unit(rule: ObservationRule, spelt: Mapping[str, Any]) -> str | None:
    """The unit a bound written without one is read in, or None to leave it unit-less
    (unknown, listed). As for a Quantity with a comparator (_bounds), "< 3" and "≤ 3" are
    both held as at most 3: inclusive, slightly wider than "< 3", which can only leave a
    comparison unknown, never decide one wrongly."""
    unit = _IMPLIED_UNITS.get(rule.quantity)
    # Limits all below 1 may be a fraction ("< 0.5": 50 %, as in UCUM's unity, ratios.py);
    # read as per cent they would be a hundred times smaller, so they stay unread.
    if unit is None or largest_limit(spelt) < 1:
        return None
    return unit


def _number_as_text(
    ctx: Context, entry: Entry, value: object, where: str, rule: ObservationRule, path: str = ""
) -> bool:
    """True, with a data-quality issue, when a number is written as text ("14.1"): FHIR R4
    JSON writes decimal and integer values as JSON numbers (https://hl7.org/fhir/R4/json.html,
    "Primitive Types"), and the model reads such text without a word. An export that
    quotes its numbers may have quoted anything, so the value is not used."""
    if not isinstance(value, str):
        return False
    field = path or rule.field
    ctx.flaw(
        Problem(
            where,
            f"{entry.ref}: a number for {field} (FHIR R4 JSON writes a decimal or an "
            "integer as a JSON number, not as text)",
            describe_value(value),
        ),
        field,
    )
    return True


def _unusable(ctx: Context, entry: Entry, rule: ObservationRule, why: str) -> None:
    ctx.notes.add(f"{rule.field} not set: {why}", entry.ref)


def _quantity(
    ctx: Context, entry: Entry, item: Mapping[str, Any], base: str, rule: ObservationRule
) -> Scalar | None:
    quantity = item.get("valueQuantity")
    if rule.quantity == "percent" and isinstance(item.get("valueRatio"), Mapping):
        return read_ratio(ctx, entry, item["valueRatio"], f"{base}.valueRatio", rule.field)
    if not isinstance(quantity, Mapping):
        _unusable(ctx, entry, rule, "the value is not a number with a unit (valueQuantity)")
        return None
    if _number_as_text(ctx, entry, quantity.get("value"), f"{base}.valueQuantity.value", rule):
        return None
    raw = number(quantity.get("value"))
    if raw is None:
        _unusable(ctx, entry, rule, "the Quantity has no numeric value")
        return None
    if quantity.get("comparator"):
        _unusable(ctx, entry, rule, "the value is a bound (<, ≤, ≥, >), not a number")
        return None
    return _in_case_unit(ctx, entry, quantity, f"{base}.valueQuantity", rule, rule.field)


def _in_case_unit(
    ctx: Context,
    entry: Entry,
    quantity: Mapping[str, Any],
    base: str,
    rule: ObservationRule,
    path: str,
) -> float | int | None:
    """A Quantity's value converted to the case unit of ``path`` and checked against its
    range; None (and a data-quality issue naming ``path``) when it cannot be used."""
    if _number_as_text(ctx, entry, quantity.get("value"), f"{base}.value", rule, path):
        return None
    raw = number(quantity.get("value"))
    if raw is None:
        _unusable(ctx, entry, rule, "the Quantity has no numeric value")
        return None
    unit, where = _unit(quantity, base)
    if rule.quantity == "percent" and unit is not None and is_unity(unit):
        # UCUM's unity: a fraction (0.15 = 15 %), when it cannot be a percentage (ratios.py)
        return fraction_as_percent(ctx, entry, raw, unit, where, path)
    try:
        converted = convert(rule.quantity, raw, unit)
    except UnitError as exc:
        ctx.flaw(
            Problem(
                where,
                f"{entry.ref}: {exc.expected} for {path}",
                describe_value(unit) if unit is not None else "no unit",
            ),
            path,
        )
        return None
    kind = KINDS[rule.quantity]
    if isinstance(raw, int) and converted == raw:
        value: float | int = raw
    elif not math.isfinite(converted):  # 1e308 × 1000: beyond every range (refused below)
        value = converted
    elif kind.case_unit == "/µL":
        value = round(converted)
    else:
        value = round(converted, 4)
    shown = f"{raw:g} {unit}" if unit else f"{raw:g}"
    problem = range_problem(
        path,
        value,
        f"{base}.value",
        entry.ref,
        shown if value == raw else f"{shown} = {value:g} {kind.case_unit}",
        same_unit=kind.factor(unit or "") == 1.0,
    )
    if problem is not None:
        ctx.reject_value(problem, path, entry.ref)
        return None
    return value


_AT_LEAST = (">", ">=")
_AT_MOST = ("<", "<=")


def _bounds(
    ctx: Context, entry: Entry, item: Mapping[str, Any], base: str, rule: ObservationRule
) -> list[tuple[str, float | int]] | None:
    """A bound or a range of a number that case-v1 holds with bounds (docs/case-v1-
    additions.md): a Quantity with ``comparator`` (``<2 %`` → less than 2, ``<=2 %`` → at
    most 2; ``> 10`` lesions → at least 11, a count being whole) or a ``valueRange`` (low →
    at least, high → at most: a Range's limits are inclusive).
    None when the value is not a bound; [] when it is one that cannot be used."""
    if rule.field not in BOUNDS:
        return None
    quantity = item.get("valueQuantity")
    comparator = quantity.get("comparator") if isinstance(quantity, Mapping) else None
    value_range = item.get("valueRange")
    if comparator is None and not isinstance(value_range, Mapping):
        return None
    at_least, at_most = BOUNDS[rule.field]
    more_than, less_than = STRICT_BOUNDS.get(rule.field, (at_least, at_most))
    parts: list[tuple[str, Mapping[str, Any], str, str]] = []
    if isinstance(quantity, Mapping) and comparator in _AT_LEAST + _AT_MOST:
        path = {">": more_than, ">=": at_least, "<": less_than, "<=": at_most}[comparator]
        parts.append((path, quantity, f"{base}.valueQuantity", comparator))
    elif isinstance(value_range, Mapping):
        for key, path in (("low", at_least), ("high", at_most)):
            if isinstance(value_range.get(key), Mapping):
                parts.append((path, value_range[key], f"{base}.valueRange.{key}", ""))
    if not parts:
        _unusable(ctx, entry, rule, "the bound or range has no usable comparator or limit")
        return []
    out: list[tuple[str, float | int]] = []
    for path, quantity_part, where, strict in parts:
        value = _bound_value(ctx, entry, quantity_part, where, rule, path)
        if value is None:
            return []
        if FIELD_BY_PATH[path].kind is Kind.INTEGER:
            # A whole count: "> 10" is at least 11, "< 3" at most 2, "≥ 2.5" at least 3
            # (a number that need not be whole keeps a strict bound: _more_than, _less_than).
            if path == at_least:
                value = math.floor(value) + 1 if strict == ">" else math.ceil(value)
            else:
                value = math.ceil(value) - 1 if strict == "<" else math.floor(value)
        if rule.value is not ValueKind.QUANTITY:  # a quantity was checked when converted
            problem = range_problem(path, value, f"{where}.value", entry.ref)
            if problem is not None:
                ctx.reject_value(problem, path, entry.ref)
                return []
        out.append((path, value))
    return out


def _bound_value(
    ctx: Context,
    entry: Entry,
    quantity: Mapping[str, Any],
    where: str,
    rule: ObservationRule,
    path: str,
) -> float | int | None:
    if rule.value is ValueKind.QUANTITY:
        return _in_case_unit(ctx, entry, quantity, where, rule, path)
    unit = quantity.get("code") or quantity.get("unit") or ""
    raw = number(quantity.get("value"))
    if raw is None or not isinstance(unit, str) or unit.strip() not in _COUNT_UNITS:
        _unusable(ctx, entry, rule, "the bound is not a count (a number without a unit)")
        return None
    return raw


def _unit(quantity: Mapping[str, Any], base: str) -> tuple[str | None, str]:
    """The unit to convert from, and the path it was read at (code before free text)."""
    code, text, system = quantity.get("code"), quantity.get("unit"), quantity.get("system")
    if isinstance(system, str):
        system = canonical_system(system)
    if isinstance(code, str) and code.strip() and system in (None, UCUM):
        return code.strip(), f"{base}.code"
    if isinstance(text, str) and text.strip():
        return text.strip(), f"{base}.unit"
    if isinstance(code, str) and code.strip():
        return code.strip(), f"{base}.code"
    return None, base


def _count(
    ctx: Context, entry: Entry, item: Mapping[str, Any], base: str, rule: ObservationRule
) -> Scalar | None:
    if _number_as_text(ctx, entry, item.get("valueInteger"), f"{base}.valueInteger", rule):
        return None
    raw = number(item.get("valueInteger"))
    where = f"{base}.valueInteger"
    if raw is None and isinstance(item.get("valueQuantity"), Mapping):
        quantity = item["valueQuantity"]
        unit = quantity.get("code") or quantity.get("unit") or ""
        if _number_as_text(ctx, entry, quantity.get("value"), f"{base}.valueQuantity.value", rule):
            return None
        if isinstance(unit, str) and unit.strip() in _COUNT_UNITS:
            raw = number(quantity.get("value"))
            where = f"{base}.valueQuantity.value"
    if raw is None and rule.value is ValueKind.ECOG:
        answers = {
            ECOG_ANSWERS[code]
            for code in codings(item.get("valueCodeableConcept"))
            if code in ECOG_ANSWERS
        }
        if len(answers) > 1:
            _unusable(ctx, entry, rule, _CODINGS_DISAGREE)
            return None
        if answers:
            raw = answers.pop()
            where = f"{base}.valueCodeableConcept"
    if raw is None:
        _unusable(ctx, entry, rule, "the value is not a whole number")
        return None
    problem = range_problem(rule.field, raw, where, entry.ref)
    if problem is not None:
        ctx.reject_value(problem, rule.field, entry.ref)
        return None
    return int(raw)


# The words of SNOMED CT Positive / Negative (and of LOINC's Detected / Not detected), as a
# system sends them in text: one word or phrase alone, any case, a full stop allowed.
_TEXT_ANSWERS = {
    **dict.fromkeys(("positive", "detected", "present"), True),
    **dict.fromkeys(("negative", "not detected", "absent"), False),
}


def _boolean(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    value = item.get("valueBoolean")
    if isinstance(value, bool):
        return value
    concept = item.get("valueCodeableConcept")
    found = set(codings(concept))
    if found & POSITIVE and not found & NEGATIVE:
        return True
    if found & NEGATIVE and not found & POSITIVE:
        return False
    # sent as text: valueString, or the text of a concept whose codes say neither
    text = item.get("valueString")
    if not isinstance(text, str) and isinstance(concept, Mapping):
        text = concept.get("text")
    meant = _TEXT_ANSWERS.get(text.strip().rstrip(".").lower()) if isinstance(text, str) else None
    if meant is not None:
        ctx.notes.add(f"{rule.field}: read from the text of the result", entry.ref)
        return meant
    _unusable(
        ctx,
        entry,
        rule,
        "the value is neither true/false nor SNOMED CT Positive (10828004) / Negative (260385009)",
    )
    return None


# FHIR R4 Datatypes, CodeableConcept: the codings of one concept are each "a
# representation of the concept" (other code systems, other granularity), so codings that
# give different answers (ECOG 1 and 4, G1 and G3) contradict each other.
_CODINGS_DISAGREE = "the codings of the answer give different values"


def _grade(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule, source: Source
) -> Scalar | None:
    found = [
        (GRADE_ANSWERS.get(code), REPORTED_GRADE_ANSWERS.get(code))
        for code in codings(item.get("valueCodeableConcept"))
        if code in GRADE_ANSWERS or code in REPORTED_GRADE_ANSWERS
    ]
    if len(set(found)) > 1:
        _unusable(ctx, entry, rule, _CODINGS_DISAGREE)
        return None
    for code in codings(item.get("valueCodeableConcept")):
        if code in REPORTED_GRADE_ANSWERS:  # the grade as the report states it
            ctx.add("pathology.reported_grade", REPORTED_GRADE_ANSWERS[code], source)
        if code in GRADE_ANSWERS:
            meaning = GRADE_ANSWERS[code]
            if meaning is None:
                _unusable(
                    ctx,
                    entry,
                    rule,
                    "grade G3 or an undetermined grade does not tell "
                    "a well-differentiated NET from a carcinoma",
                )
            return meaning
    _unusable(ctx, entry, rule, "the grade is not coded with SNOMED CT G1–G4")
    return None


def _choice(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    """One of the case field's choices, coded in nelm-value (the code is the value)."""
    choices = FIELD_BY_PATH[rule.field].choices
    coded = [
        code
        for system, code in codings(item.get("valueCodeableConcept"))
        if system == NELM_VALUE and code in choices
    ]
    if len(set(coded)) == 1:
        return coded[0]
    _unusable(
        ctx,
        entry,
        rule,
        f"the value is not one nelm-value code of {', '.join(choices)}"
        + (" (more than one given)" if len(set(coded)) > 1 else ""),
    )
    return None


def _disease_status(ctx: Context, entry: Entry, when: When | None) -> None:
    """mCODE Cancer Disease Status: a dated scan of the timeline (response, stable or
    progression). One about another cancer was set aside before (_of_another_cancer)."""
    resource = entry.resource
    answers = {
        DISEASE_STATUS_ANSWERS[code]
        for code in codings(resource.get("valueCodeableConcept"))
        if code in DISEASE_STATUS_ANSWERS
    }
    if len(answers) != 1:
        ctx.notes.add(
            "timeline: disease status not used (not one of SNOMED CT improved 268910001, "
            "stable 359746009, worsened 271299001)",
            entry.ref,
        )
        return
    if when is None:
        ctx.notes.add("timeline: disease status not used (it has no date)", entry.ref)
        return
    ctx.scans.append((Source(entry.ref, entry.path, "LOINC 97509-4"), when, answers.pop()))


def _tnm(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    """A T or N category coded as mCODE (SNOMED CT AJCC) or the UICC codes it; the
    answer must fit the field."""
    wanted = str if rule.field == "primary.t_category" else bool
    meanings = {
        meaning
        for code in codings(item.get("valueCodeableConcept"))
        if isinstance(meaning := tnm_answer(code), wanted)
    }
    if len(meanings) > 1:
        _unusable(ctx, entry, rule, _CODINGS_DISAGREE)
        return None
    if meanings:
        return meanings.pop()
    _unusable(
        ctx,
        entry,
        rule,
        "the value is not a category case-v1 holds (T1–T4; N0, or N1–N3 for involved "
        "nodes) coded as SNOMED CT AJCC, AJCC (cancerstaging.org) or UICC TNM (TX, NX, Tis "
        "and T0 say nothing here)",
    )
    return None


def _ki67_source(resource: Mapping[str, Any]) -> tuple[tuple[str, Scalar], ...]:
    """``pathology.ki67_source`` from Observation.bodySite, when it says where."""
    sites: set[str] = set()
    for system, code in codings(resource.get("bodySite")):
        site = None
        if system == ICDO3:
            site = topography(code)
        elif system == SNOMED:
            site = SNOMED_BODY_SITES.get(code)
        if site == "liver":
            sites.add("liver_metastasis")
        elif site in ORGAN_SITES:
            sites.add("primary")
    if len(sites) == 1:
        return (("pathology.ki67_source", sites.pop()),)
    return ()


def observation_when(resource: Mapping[str, Any]) -> When | None:
    """When the observation was made (``effective[x]``, else ``issued``)."""
    return when_of(resource, "effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued")


def old_results(resolved: Resolved, assessment_date: dt.date) -> dict[str, str]:
    """Field path → the date of the latest result its value came from, for every field
    whose value came only from results older than its rule allows (laboratory values and
    ECOG: 90 days)."""
    old = {}
    for spec in FIELDS:
        limit = _RECENT_DAYS.get(spec.path)
        chosen = resolved.chosen.get(spec.path)
        if limit is None or spec.path not in resolved.values or not chosen:
            continue
        dates = [f.when.end.date() for f in chosen if f.when is not None]
        if dates and (assessment_date - max(dates)).days > limit:
            old[spec.path] = max(dates).isoformat()
    return old


def old_results_sentence(old: Mapping[str, str], assessment_date: str) -> str | None:
    """One warning naming every field of ``old`` (``old_results``) with its date: a
    record's twenty-year-old platelet count must not decide PRRT unseen at the end of a
    report. The values stay in use, as the team decided (docs/fhir-mapping.md)."""
    return result_dates_sentence(old, assessment_date, "the assessment date")


def old_results_warning(resolved: Resolved, assessment_date: dt.date) -> str | None:
    """``old_results_sentence`` of the fields ``old_results`` names."""
    return old_results_sentence(old_results(resolved, assessment_date), assessment_date.isoformat())


def undated_results(resolved: Resolved) -> tuple[str, ...]:
    """The fields of results that age (laboratory values and ECOG) whose value came only
    from results with no date (no ``effective[x]`` the mapping reads, no ``issued``): they
    may be as old as any, and no age can be checked."""
    undated = []
    for spec in FIELDS:
        chosen = resolved.chosen.get(spec.path)
        if spec.path not in _RECENT_DAYS or spec.path not in resolved.values or not chosen:
            continue
        if all(f.when is None for f in chosen):
            undated.append(spec.path)
    return tuple(undated)


def undated_results_sentence(paths: Collection[str]) -> str | None:
    """One warning naming the fields ``undated_results`` gives, beside the old results."""
    if not paths:
        return None
    named = ", ".join(FIELD_BY_PATH[path].label for path in paths)
    return (
        f"Results with no date are used: {named}. The record does not say when they were "
        "measured; check them before a decision turns on them."
    )


def result_dates(resolved: Resolved) -> dict[str, str]:
    """Field path → the date (YYYY-MM-DD) of the latest dated resource its value came
    from: whoever merges the value into a stored case can tell whether it is newer than
    what is there (``nelm.case.merge``)."""
    dated = {}
    for path, chosen in resolved.chosen.items():
        dates = [f.when.end.date() for f in chosen if f.when is not None]
        if path in resolved.values and dates:
            dated[path] = max(dates).isoformat()
    return dated


_RECENT_DAYS = {r.field: r.recent_days for r in OBSERVATION_RULES.values() if r.recent_days}
# One limit for every result (laboratory values and ECOG: RESULT_RECENT_DAYS), which the
# warning names.
