"""Reading and validating a case document (case-v1) into a :class:`Case`.

Every problem is collected (not only the first), each naming the field path, what was
expected and what came. Absent and ``null`` fields are unknown; nothing is defaulted.

The text is read into plain data by :mod:`nelm.case.document_text` (whose names are
importable from here too); this module holds the :class:`Case`, its validation field by
field and the confirmation of implausible values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from nelm.case.cross_field import cross_field_problems
from nelm.case.document_text import (
    check_document_size,
    load_document_text,
    read_yaml,
    strict_json_decoder,
    value_problems,
)
from nelm.case.fields import FIELD_BY_PATH, FIELDS, SECTIONS, Field, Kind, Value
from nelm.case.plausibility import (
    clinical_number,
    entered_slip_hint,
    implausible_values,
)
from nelm.case.record_warnings import read_record_warnings
from nelm.case.result_dates import read_measured_on
from nelm.case.synonyms import field_named_by
from nelm.case.timeline import TimelineValue, read_timeline
from nelm.case.typed_values import coerce
from nelm.case.units import (
    ENTRY_UNITS,
    as_entered_text,
    entry_unit,
    field_named_in_unit,
    typed_number,
)
from nelm.case.value_sources import read_value_sources
from nelm.errors import InputRejected, Problem, describe_value
from nelm.text import printable

__all__ = [
    "CASE_LEVEL_KEYS",
    "Case",
    "Value",
    "case_from_mapping",
    "check_document_size",
    "confirm_how",
    "load_document_text",
    "parse_case_text",
    "read_yaml",
    "require_confirmed",
    "strict_json_decoder",
    "unconfirmed_problems",
    "value_problems",
]


@dataclass(frozen=True, slots=True)
class Case:
    """A validated case: known values by dotted path; an absent path is unknown."""

    case_id: str
    values: Mapping[str, Value] = field(default_factory=dict)
    label: str | None = None
    schema_version: int = 1
    confirmed: tuple[str, ...] = ()
    """Fields whose implausible value the user confirmed as entered (``confirmed``)."""
    entered: Mapping[str, tuple[float, str]] = field(default_factory=dict)
    """Numbers entered with their unit written, in another unit or the contract's own:
    path → (value as entered, unit); ``values`` holds them in the contract's unit."""
    timeline: Mapping[str, Any] | None = None
    """The timeline as given (dates as YYYY-MM-DD text), or None."""
    from_timeline: tuple[str, ...] = ()
    """The fields of ``values`` derived from the timeline rather than typed."""
    timeline_conflicts: tuple[str, ...] = ()
    """Typed values the timeline contradicts (the typed value is kept)."""
    measured_on: Mapping[str, str] = field(default_factory=dict)
    """Field path → the date of the result its value came from (``measured_on``,
    ``nelm.case.result_dates``)."""
    record_warnings: tuple[str, ...] = ()
    """What the record the case was read from said about any assessment of it (a death, no
    neuroendocrine diagnosis): ``nelm.case.record_warnings``."""
    value_sources: Mapping[str, str] = field(default_factory=dict)
    """Field path → the record's resource its value was read from (``value_sources``,
    ``nelm.case.value_sources``); a field without one was entered by a person."""
    bounds_origin: Mapping[str, str] = field(default_factory=dict)
    """A bounded number's path → where its bounds came from, when a record gave them
    ("from a birth date of the year only, FHIR record Patient/p1"): the criteria's values
    say so instead of "entered". Set by the adapter that read a record (or from a stored
    case's ``value_sources``), never by the case document itself."""

    def get(self, path: str) -> Value | None:
        return self.values.get(path)

    def to_document(self) -> dict[str, Any]:
        """The case as a case-v1 document (known fields only; what the timeline gave is
        given back as the timeline)."""
        doc: dict[str, Any] = {"schema_version": self.schema_version, "case_id": self.case_id}
        if self.label is not None:
            doc["label"] = self.label
        if self.confirmed:
            doc["confirmed"] = list(self.confirmed)
        for path, value in self.values.items():
            if path in self.from_timeline:
                continue
            section, name = path.split(".", 1)
            if path in self.entered:  # kept as entered, in its own unit
                number, unit = self.entered[path]
                doc.setdefault(section, {})[name] = {"value": number, "unit": unit}
                continue
            doc.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
        if self.timeline is not None:
            doc["timeline"] = dict(self.timeline)
        if self.measured_on:
            doc["measured_on"] = dict(self.measured_on)
        if self.record_warnings:
            doc["record_warnings"] = list(self.record_warnings)
        if self.value_sources:
            doc["value_sources"] = dict(self.value_sources)
        return doc


# --------------------------------------------------------------------------- parsing


def parse_case_text(text: str, *, source: str = "input") -> Case:
    """Parse JSON or YAML text and validate it as a case document."""
    return case_from_mapping(load_document_text(text, source=source))


# --------------------------------------------------------------------------- validation

_SECTION_FIELDS: dict[str, dict[str, Field]] = {
    s: {f.name: f for f in FIELDS if f.section == s} for s in SECTIONS
}
CASE_LEVEL_KEYS = (
    "schema_version",
    "case_id",
    "label",
    "confirmed",
    "timeline",
    "measured_on",
    "record_warnings",
    "value_sources",
)
"""The top-level keys of a case document that are not sections of fields."""
_TOP_LEVEL_KEYS = (*CASE_LEVEL_KEYS[:4], *SECTIONS, *CASE_LEVEL_KEYS[4:])


def _unit_named_key(path: str, raw: object) -> str | None:
    """For a key that names a field in another unit it may be entered in
    (``bilirubin_umol_l``, ``largest_lesion_mm``, ``years_since_primary_resection``): the
    field, and how to give the value in that unit, converted when the value is a number.
    Never taken in the field's place."""
    found = field_named_in_unit(path)
    if found is None:
        return None
    field_path, unit = found
    name = field_path.split(".", 1)[1]
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = typed_number(float(raw))
        converted = clinical_number(float(raw) * unit.factor)
        return (
            f"must be a known field of case-v1; a value in {unit.label} goes in "
            f'{name} as {{"value": {number}, "unit": "{unit.label}"}} '
            f"(= {converted} {FIELD_BY_PATH[field_path].unit})"
        )
    return (
        f"must be a known field of case-v1; a value in {unit.label} goes in "
        f'{name} as {{"value": …, "unit": "{unit.label}"}}'
    )


def _whole_count_bound(path: str, raw: object) -> str | None:
    """For a strict bound of a whole number (``lesion_count_more_than``): the inclusive
    bound it is, with the value moved by one when it is a whole number ("more than 12
    lesions" is at least 13; docs/case-v1-additions.md, Strict bounds)."""
    for suffix, inclusive, step in (("_more_than", "_at_least", 1), ("_less_than", "_at_most", -1)):
        number = path.removesuffix(suffix)
        spec = FIELD_BY_PATH.get(number)
        if number == path or spec is None or spec.kind is not Kind.INTEGER:
            continue
        name = number.split(".", 1)[1] + inclusive
        said = "more than" if step == 1 else "less than"
        if isinstance(raw, int) and not isinstance(raw, bool):
            moved = f"{said} {raw} is {name}: {raw + step}"
        else:
            moved = f"{said} n is {name}: n {'+' if step == 1 else '-'} 1"
        return f"must be a known field of case-v1; a whole number's bound is inclusive ({moved})"
    return None


def _unknown_key(
    path: str, key: object, allowed: tuple[str, ...] | list[str], raw: object = None
) -> Problem:
    in_unit = _unit_named_key(path, raw) if "." in path else None
    if in_unit is not None:
        return Problem(path, in_unit, "an unknown field")
    whole = _whole_count_bound(path, raw)
    if whole is not None:
        return Problem(path, whole, "an unknown field")
    section = path.split(".", 1)[0] if "." in path else None
    named = field_named_by(section, str(key))
    if named is not None:
        own_section, name = named.split(".", 1)
        meant = name if own_section == section else named
        return Problem(
            path, f"must be a known field of case-v1 (did you mean {meant}?)", "an unknown field"
        )
    hint = difflib.get_close_matches(str(key), list(allowed), n=1, cutoff=0.7)
    expected = (
        f"must be a known field of case-v1 (did you mean {hint[0]}?)"
        if hint
        else "must be one of the fields " + ", ".join(allowed)
    )
    return Problem(path, expected, "an unknown field")


def _nested_case_key(doc: Mapping[Any, Any]) -> str | None:
    """The key holding a case (an object with a ``case_id``) when the document itself
    has no case-v1 field at all; None otherwise."""
    if any(key in _TOP_LEVEL_KEYS for key in doc):
        return None
    for key, body in doc.items():
        if isinstance(body, dict) and "case_id" in body:
            name = printable(str(key))
            return name if len(name) <= 60 else name[:59] + "…"
    return None


def case_from_mapping(
    doc: Any, *, require_confirmation: bool = False, only: Collection[str] | None = None
) -> Case:
    """Validate a parsed document and return the :class:`Case`, or raise InputRejected.

    ``require_confirmation`` (the interactive adapters: CLI, API, web form): an
    implausible value not confirmed is a problem too, reported with every other one, so a
    person fixes them all in one pass (:func:`require_confirmed`; ``only`` as there)."""
    if not isinstance(doc, dict):
        expected = "a JSON or YAML object (a case document)"
        if (
            isinstance(doc, list)
            and doc
            and all(isinstance(item, dict) and "resourceType" in item for item in doc)
        ):
            # FHIR resources in a JSON array: not a Bundle, which nelm reads
            expected += (
                "; a list of FHIR resources is read as a FHIR R4 Bundle (resourceType "
                '"Bundle", each resource in entry[].resource) or as NDJSON, one resource '
                "per line"
            )
        elif isinstance(doc, list):
            expected += "; for a list of cases use nelm batch"
        raise InputRejected([Problem("", expected, describe_value(doc))])
    nested = _nested_case_key(doc)
    if nested is not None:
        # A wrapper (a case report's file, an export envelope) around one case: naming
        # the key where the case sits says more than listing every unknown field.
        raise InputRejected(
            [
                Problem(
                    "",
                    "a case document at the top level; this document holds one under "
                    f'"{nested}": pass that object alone',
                    "a document whose fields are not case-v1's",
                )
            ]
        )
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    entered: dict[str, tuple[float, str]] = {}

    for key in doc:
        if key not in _TOP_LEVEL_KEYS:
            problems.append(_unknown_key(str(key), key, _TOP_LEVEL_KEYS))

    schema_version = doc.get("schema_version", 1)
    if schema_version is None:
        schema_version = 1
    if isinstance(schema_version, bool) or schema_version != 1:
        problems.append(
            Problem("schema_version", "must be 1 (case-v1)", describe_value(schema_version))
        )

    case_id = doc.get("case_id")
    if case_id is None:
        problems.append(Problem("case_id", "is required: text of 1 to 128 characters", "nothing"))
    elif not isinstance(case_id, str) or not 1 <= len(case_id) <= 128 or not case_id.strip():
        problems.append(
            Problem("case_id", "must be text of 1 to 128 characters", describe_value(case_id))
        )

    label = doc.get("label")
    if label is not None and (not isinstance(label, str) or len(label) > 500):
        problems.append(
            Problem("label", "must be text of at most 500 characters", describe_value(label))
        )

    for section, fields in _SECTION_FIELDS.items():
        body = doc.get(section)
        if body is None:
            continue
        if not isinstance(body, dict):
            problems.append(Problem(section, "must be an object", describe_value(body)))
            continue
        for key, raw in body.items():
            spec = fields.get(key) if isinstance(key, str) else None
            if spec is None:
                problems.append(_unknown_key(f"{section}.{key}", key, list(fields), raw))
                continue
            if raw is None:
                continue
            typed: tuple[float, str] | None = None
            if isinstance(raw, dict) and spec.kind in (Kind.NUMBER, Kind.INTEGER):
                raw, unit_problem = _entered_with_unit(spec, raw, entered)
                if unit_problem is not None:
                    problems.append(unit_problem)
                    continue
                typed = entered.pop(spec.path, None)
            value, problem = coerce(spec, raw)
            if problem is not None:
                problems.append(_as_entered_problem(problem, typed) if typed else problem)
            elif value is not None:
                values[spec.path] = value
                if typed is not None:
                    entered[spec.path] = typed

    confirmed = _confirmed(doc.get("confirmed"), problems)
    timeline: Any = None
    from_timeline: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    if doc.get("timeline") is not None:
        read = read_timeline(doc["timeline"])
        problems.extend(read.problems)
        if not read.problems:
            timeline = _json_safe(doc["timeline"])
            from_timeline, conflicts = _merge_timeline(
                values, read.values, entered, read.latest_finding_on
            )
    as_of = timeline.get("as_of") if isinstance(timeline, Mapping) else None
    measured_on = read_measured_on(doc.get("measured_on"), values, as_of, problems)
    record_warnings = read_record_warnings(doc.get("record_warnings"), problems)
    value_sources = read_value_sources(doc.get("value_sources"), values, problems)
    problems.extend(cross_field_problems(values))
    if require_confirmation:
        problems.extend(unconfirmed_problems(values, confirmed, entered, only))
    if problems:
        raise InputRejected(problems)
    assert isinstance(case_id, str)
    return Case(
        case_id=case_id,
        values=values,
        label=label,
        schema_version=1,
        confirmed=confirmed,
        entered=entered,
        timeline=timeline,
        from_timeline=from_timeline,
        timeline_conflicts=conflicts,
        measured_on=measured_on,
        record_warnings=record_warnings,
        value_sources=value_sources,
    )


def _json_safe(raw: Any) -> Any:
    """The timeline with YAML's dates written back as YYYY-MM-DD text."""
    if isinstance(raw, dict):
        return {k: _json_safe(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_json_safe(v) for v in raw]
    if isinstance(raw, dt.date):
        return raw.isoformat()[:10]
    return raw


def _merge_timeline(
    values: dict[str, Value],
    derived: Mapping[str, TimelineValue],
    entered: Mapping[str, tuple[float, str]] | None = None,
    latest_finding_on: str = "",
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fill the fields the timeline settles where nothing was typed; report a typed value
    the timeline contradicts (and keep it: the timeline may be incomplete or the typed value
    newer)."""
    used: list[str] = []
    conflicts: list[str] = []
    for path, value in derived.items():
        clash = _timeline_clash(values, path, value, entered or {}, latest_finding_on)
        if clash is not None:
            conflicts.append(clash)
        elif path not in values and not (
            path == "course.months_stable_at_least"
            and ("course.months_stable" in values or "course.months_stable_more_than" in values)
        ):  # a typed number or lower bound stands; the timeline's would be a second one
            values[path] = value
            used.append(path)
    return tuple(used), tuple(conflicts)


def _timeline_clash(
    values: Mapping[str, Value],
    path: str,
    value: TimelineValue,
    entered: Mapping[str, tuple[float, str]],
    latest_finding_on: str = "",
) -> str | None:
    def typed_text(where: str, typed: Value) -> str:
        if where in entered:  # as entered, the months beside it
            return as_entered_text(where, *entered[where])
        return f"{typed:g}" if isinstance(typed, int | float) else describe_value(typed)

    if isinstance(value, tuple):  # the treatments given: a typed list may leave some out
        typed_list = values.get(path)
        if not isinstance(typed_list, tuple):
            return None
        left_out = [t for t in value if t not in typed_list]
        if left_out:
            return (
                f"{path} lists {', '.join(typed_list) or 'none'} but the timeline also "
                f"gives {', '.join(left_out)}"
            )
        return None
    if path == "course.months_stable_at_least" and not isinstance(value, str):
        where = next(
            (
                p
                for p in (
                    "course.months_stable",
                    "course.months_stable_at_most",
                    "course.months_stable_less_than",
                )
                if p in values
            ),
            "course.months_stable",
        )
        typed = values.get(where)
        if isinstance(typed, int | float) and not isinstance(typed, bool) and typed < value - 1:
            return (
                f"course.months_stable is {typed_text(where, typed)} but the timeline shows at "
                f"least {value:g} months of stable disease"
            )
        return None
    typed = values.get(path)
    if typed is None or typed == value:
        return None
    if path == "course.status":
        if typed == "rapidly_progressing" and value == "progressing":
            return None  # a rapid progression is a progression; the dates cannot tell the rate
        latest = "a progression" if value == "progressing" else "stable disease or a response"
        on = f" ({latest_finding_on})" if latest_finding_on else ""
        return (
            f"{path} is {describe_value(typed)} but the latest dated finding of the "
            f"timeline{on} is {latest}"
        )
    if isinstance(value, str) or isinstance(typed, str):
        return f"{path} is {describe_value(typed)} but the timeline gives {describe_value(value)}"
    if isinstance(value, bool) or isinstance(typed, bool):
        return f"{path} is {describe_value(typed)} but the timeline gives {describe_value(value)}"
    if isinstance(typed, int | float) and abs(typed - value) <= 1:
        return None  # within the month the dates are written to
    return f"{path} is {typed_text(path, typed)} but the timeline gives {value:g}"


_RANGE_KEYS = frozenset({"at_least", "at_most", "min", "max", "low", "high", "from", "to"})
"""Keys of an object written for a range: the case holds a range as two fields."""


def _entered_with_unit(
    spec: Field, raw: dict[Any, Any], entered: dict[str, tuple[float, str]]
) -> tuple[Any, Problem | None]:
    """``{"value": 17.1, "unit": "µmol/L"}``: the value converted to the field's unit
    (recorded in ``entered`` as typed), or a problem naming the units accepted."""
    units = ENTRY_UNITS.get(spec.path, ())
    accepted = ", ".join(u.label for u in units) or spec.unit
    number, written = raw.get("value"), raw.get("unit")
    unit = entry_unit(spec.path, written) if isinstance(written, str) else None
    if (
        set(raw) != {"value", "unit"}
        or unit is None
        or isinstance(number, bool)
        or not isinstance(number, int | float)
        or not math.isfinite(number)
    ):
        expected = (
            f"must be a number in {spec.unit or 'its unit'}, or "
            f'{{"value": number, "unit": one of {accepted}}}'
            if accepted
            else f"must be {spec.expected()}"  # a count or a score: no unit to name
        )
        got = _with_unit_got(spec, raw)
        if f"{spec.path}_at_least" in FIELD_BY_PATH and set(raw) & _RANGE_KEYS:
            got += f" (a range is written as {spec.name}_at_least and {spec.name}_at_most)"
            if f"{spec.path}_more_than" in FIELD_BY_PATH:
                got = got[:-1] + f"; a strict bound as {spec.name}_more_than or _less_than)"
        return None, Problem(spec.path, expected, got)
    exact = round(number * unit.factor, 6)
    converted: float | int = round(exact) if exact.is_integer() else exact
    # Kept in its own unit too: a number whose unit was written is not asked about its unit
    # (a haemoglobin of {"value": 10.8, "unit": "g/dL"} is not "10.8 mmol/L?"), and is given
    # back as written.
    entered[spec.path] = (number, unit.label)
    return converted, None


def _with_unit_got(spec: Field, raw: Mapping[Any, Any]) -> str:
    """What came in a rejected {"value", "unit"} object: its unit or value when those are
    what is wrong ("the unit "umol" (did you mean µmol/L?)"), else the object."""
    if set(raw) == {"value", "unit"}:
        written, number = raw["unit"], raw["value"]
        if not isinstance(written, str):
            return f"the unit {describe_value(written)}"
        if isinstance(number, bool) or not isinstance(number, int | float):
            return f"the value {describe_value(number)}"
        per_litre = entry_unit(spec.path, written.strip() + "/L")  # "umol" for µmol/L
        meant = f" (did you mean {per_litre.label}?)" if per_litre is not None else ""
        return f"the unit {describe_value(written)}{meant}"
    keys = ", ".join(sorted(str(k) for k in raw))
    return f"an object with the keys {keys}" if keys else "an empty object"


def _as_entered_problem(problem: Problem, typed: tuple[float, str]) -> Problem:
    """The rejection of a number entered in another unit, showing it as entered (with the
    converted value the range refused) and the unit it was more likely meant in."""
    number, unit = typed
    got = as_entered_text(problem.path, number, unit)
    hint = entered_slip_hint(problem.path, number, unit)
    return Problem(problem.path, problem.expected, f"{got} ({hint})" if hint else got)


def _confirmed(raw: Any, problems: list[Problem]) -> tuple[str, ...]:
    """The ``confirmed`` list: paths of numeric fields whose implausible value the user
    confirms as entered (``nelm.case.plausibility``)."""
    if raw is None:
        return ()
    numeric = [p for p, f in FIELD_BY_PATH.items() if f.kind in (Kind.NUMBER, Kind.INTEGER)]
    if not isinstance(raw, list) or not all(
        isinstance(p, str) and p in FIELD_BY_PATH and p in numeric for p in raw
    ):
        problems.append(
            Problem(
                "confirmed",
                'must be a list of numeric field paths (e.g. ["labs.platelets_per_ul"])',
                describe_value(raw),
            )
        )
        return ()
    return tuple(dict.fromkeys(raw))


def confirm_how(path: str) -> str:
    """How a case document confirms an implausible value (the form words it its own way)."""
    return f'or be confirmed as entered by listing "{path}" in confirmed'


def require_confirmed(case: Case, only: Collection[str] | None = None) -> None:
    """Reject a case whose implausible values are not confirmed: the interactive adapters
    (CLI, API, web form) call this; a FHIR bundle or a cohort only gets the warning.
    ``only``: the fields a person typed (those added to a FHIR record's case), when the
    rest came from a record."""
    problems = unconfirmed_problems(case.values, case.confirmed, case.entered, only)
    if problems:
        raise InputRejected(problems)


def unconfirmed_problems(
    values: Mapping[str, Value],
    confirmed: Collection[str],
    entered: Mapping[str, tuple[float, str]],
    only: Collection[str] | None = None,
) -> list[Problem]:
    """One problem per implausible value not confirmed, in field order (``only``: the
    fields to check, as in :func:`require_confirmed`)."""
    return [
        Problem(
            f.path,
            f"must be within the plausible range {clinical_number(f.plausible.low)}–"
            f"{clinical_number(f.plausible.high)} (reference {f.plausible.reference}), "
            f"{confirm_how(f.path)}",
            f.shown_value + (f" ({advice})" if (advice := f.hint or f.plausible.advice) else ""),
        )
        for f in implausible_values(values, confirmed, entered)
        if not f.confirmed and (only is None or f.path in only)
    ]
