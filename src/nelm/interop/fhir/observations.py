"""Observations: pathology, performance status, laboratory values and imaging findings.

An Observation is read when its status is ``final``, ``amended`` or ``corrected`` and it is
not dated after the assessment date. Its ``code`` and each ``component.code`` are looked
up in :data:`~nelm.interop.fhir.codes.OBSERVATION_RULES`; a value that cannot be used
(a bound such as ``<2 %``, text, ``dataAbsentReason``) leaves the field unknown and is
noted, while a unit that cannot be converted or a value out of range leaves the field
unknown and is listed as a data-quality issue (the rest of the record is assessed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.errors import Problem, describe_value
from nelm.interop.fhir.codes import (
    ECOG_ANSWERS,
    GRADE_ANSWERS,
    NEGATIVE,
    OBSERVATION_RULES,
    ORGAN_SITES,
    POSITIVE,
    SNOMED_BODY_SITES,
    TNM_ANSWERS,
    ObservationRule,
    ValueKind,
    topography,
)
from nelm.interop.fhir.collect import Scalar, Source
from nelm.interop.fhir.context import Context, number, range_problem
from nelm.interop.fhir.dates import When, when_of
from nelm.interop.fhir.imaging import is_tumor_size, read_tumor_size
from nelm.interop.fhir.systems import (
    ICDO3,
    SNOMED,
    UCUM,
    Code,
    canonical_system,
    codings,
    label,
)
from nelm.interop.fhir.units import KINDS, UnitError, convert
from nelm.interop.fhir.validate import Entry

__all__ = ["read_observation"]

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
    if is_tumor_size(resource):  # mCODE Tumor Size: one lesion (imaging.py)
        read_tumor_size(ctx, entry, when)
        return
    items: list[tuple[Mapping[str, Any], str]] = [(resource, entry.path)]
    for index, component in enumerate(resource.get("component") or ()):
        if isinstance(component, Mapping):
            items.append((component, f"{entry.path}.component[{index}]"))
    read_any = False
    for item, base in items:
        matched = _rule(ctx, entry, item.get("code"))
        if matched is None:
            continue
        read_any = True
        code, rule = matched
        source = Source(entry.ref, entry.path, label(code))
        companions = _ki67_source(resource) if rule.field == "pathology.ki67_percent" else ()
        value = _value(ctx, entry, item, base, rule, source)
        if value is None:
            continue
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
    if not read_any:
        ctx.notes.add("not used: Observation code not in the mapping table", entry.ref)


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
        return None
    if rule.value is ValueKind.QUANTITY:
        return _quantity(ctx, entry, item, base, rule)
    if rule.value is ValueKind.BOOLEAN:
        return _boolean(ctx, entry, item, rule)
    if rule.value is ValueKind.GRADE:
        return _grade(ctx, entry, item, rule)
    if rule.value is ValueKind.TNM:
        return _tnm(ctx, entry, item, rule)
    return _count(ctx, entry, item, base, rule)


def _unusable(ctx: Context, entry: Entry, rule: ObservationRule, why: str) -> None:
    ctx.notes.add(f"{rule.field} not set: {why}", entry.ref)


def _quantity(
    ctx: Context, entry: Entry, item: Mapping[str, Any], base: str, rule: ObservationRule
) -> Scalar | None:
    quantity = item.get("valueQuantity")
    if not isinstance(quantity, Mapping):
        _unusable(ctx, entry, rule, "the value is not a number with a unit (valueQuantity)")
        return None
    raw = number(quantity.get("value"))
    if raw is None:
        _unusable(ctx, entry, rule, "the Quantity has no numeric value")
        return None
    if quantity.get("comparator"):
        _unusable(ctx, entry, rule, "the value is a bound (<, ≤, ≥, >), not a number")
        return None
    unit, where = _unit(quantity, f"{base}.valueQuantity")
    try:
        converted = convert(rule.quantity, raw, unit)
    except UnitError as exc:
        ctx.flaw(
            Problem(
                where,
                f"{entry.ref}: {exc.expected} for {rule.field}",
                describe_value(unit) if unit is not None else "no unit",
            ),
            rule.field,
        )
        return None
    kind = KINDS[rule.quantity]
    if isinstance(raw, int) and converted == raw:
        value: float | int = raw
    elif kind.case_unit == "/µL":
        value = round(converted)
    else:
        value = round(converted, 4)
    shown = f"{raw:g} {unit}" if unit else f"{raw:g}"
    problem = range_problem(
        rule.field,
        value,
        f"{base}.valueQuantity.value",
        entry.ref,
        shown if value == raw else f"{shown} = {value:g} {kind.case_unit}",
    )
    if problem is not None:
        ctx.flaw(problem, rule.field)
        return None
    return value


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
    raw = number(item.get("valueInteger"))
    where = f"{base}.valueInteger"
    if raw is None and isinstance(item.get("valueQuantity"), Mapping):
        quantity = item["valueQuantity"]
        unit = quantity.get("code") or quantity.get("unit") or ""
        if isinstance(unit, str) and unit.strip() in _COUNT_UNITS:
            raw = number(quantity.get("value"))
            where = f"{base}.valueQuantity.value"
    if raw is None and rule.value is ValueKind.ECOG:
        for code in codings(item.get("valueCodeableConcept")):
            if code in ECOG_ANSWERS:
                raw = ECOG_ANSWERS[code]
                where = f"{base}.valueCodeableConcept"
                break
    if raw is None:
        _unusable(ctx, entry, rule, "the value is not a whole number")
        return None
    problem = range_problem(rule.field, raw, where, entry.ref)
    if problem is not None:
        ctx.flaw(problem, rule.field)
        return None
    return int(raw)


def _boolean(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    value = item.get("valueBoolean")
    if isinstance(value, bool):
        return value
    found = set(codings(item.get("valueCodeableConcept")))
    if found & POSITIVE and not found & NEGATIVE:
        return True
    if found & NEGATIVE and not found & POSITIVE:
        return False
    _unusable(
        ctx,
        entry,
        rule,
        "the value is neither true/false nor SNOMED CT Positive (10828004) / Negative (260385009)",
    )
    return None


def _grade(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    for code in codings(item.get("valueCodeableConcept")):
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


def _tnm(
    ctx: Context, entry: Entry, item: Mapping[str, Any], rule: ObservationRule
) -> Scalar | None:
    """A T or N category coded as mCODE codes it; the answer must fit the field."""
    wanted = str if rule.field == "primary.t_category" else bool
    for code in codings(item.get("valueCodeableConcept")):
        meaning = TNM_ANSWERS.get(code)
        if isinstance(meaning, wanted):
            return meaning
    _unusable(
        ctx,
        entry,
        rule,
        "the category is not an AJCC category of SNOMED CT that case-v1 holds (T1–T4; N0 or N1)",
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
