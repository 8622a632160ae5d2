"""Reading and validating a case document (case-v1) into a :class:`Case`.

Every problem is collected (not only the first), each naming the field path, what was
expected and what came. Absent and ``null`` fields are unknown; nothing is defaulted.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, FIELDS, SECTIONS, Field, Kind
from nelm.case.plausibility import (
    clinical_number,
    entered_slip_hint,
    implausible_values,
    slip_hint,
)
from nelm.case.synonyms import choice_named_by, field_named_by, settling_hint
from nelm.case.timeline import TimelineValue, read_timeline
from nelm.case.units import (
    ENTRY_UNITS,
    as_entered_text,
    entry_unit,
    field_named_in_unit,
    typed_number,
    unit_spelled,
)
from nelm.errors import InputRejected, Problem, describe_value
from nelm.text import forbidden_character, printable, text_problems, walk

__all__ = [
    "Case",
    "Value",
    "case_from_mapping",
    "confirm_how",
    "parse_case_text",
    "require_confirmed",
]

Value = float | int | bool | str | tuple[str, ...]

_MAX_DOCUMENT_BYTES = 1_000_000


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
    """Numbers entered in another unit: path → (value as entered, unit); ``values`` holds
    them converted to the contract's unit."""
    timeline: Mapping[str, Any] | None = None
    """The timeline as given (dates as YYYY-MM-DD text), or None."""
    from_timeline: tuple[str, ...] = ()
    """The fields of ``values`` derived from the timeline rather than typed."""
    timeline_conflicts: tuple[str, ...] = ()
    """Typed values the timeline contradicts (the typed value is kept)."""

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
        return doc


# --------------------------------------------------------------------------- parsing


class _NonFinite:
    """Where JSON text said NaN, Infinity or -Infinity (Python's parser accepts them): kept
    as a marker so the message can name the field that holds it."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


_FINITE = "a finite number (JSON has no NaN or Infinity; leave an unknown value out or null)"


def _non_finite_problems(parsed: Any) -> list[Problem]:
    """One problem per NaN/Infinity (JSON) or .nan/.inf (YAML), named by its path."""
    problems = []
    for path, value, _ in walk(parsed):
        if isinstance(value, _NonFinite):
            problems.append(Problem(printable(path), _FINITE, value.literal))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(printable(path), _FINITE, describe_value(value)))
    return problems


_HUGE_NUMBER = re.compile(r"[eE][+-]?\d{3}|\d{300}")


def _plainly_clean(text: str) -> bool:
    """True when the raw JSON text alone shows that no parsed value can break the rules: no
    forbidden character, no ``\\u`` escape (which could spell one), no NaN/Infinity
    literal and no number large enough to overflow to infinity. Scanned at C speed; a
    text that does not pass is checked value by value (:func:`_clean`)."""
    return (
        text.lstrip().startswith(("{", "["))  # JSON (YAML has other literals: .nan, .inf)
        and "\\u" not in text
        and "NaN" not in text
        and "Infinity" not in text
        and forbidden_character(text) is None
        and _HUGE_NUMBER.search(text) is None
    )


def _clean(parsed: Any) -> bool:
    """True when no value is NaN/Infinity and no key or text breaks nelm.text's rule: one
    pass that builds no paths (a 20 MB FHIR record has over a million values); only a
    document that fails it is walked again to name each problem by its path."""
    stack: list[Any] = [parsed]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and forbidden_character(key) is not None:
                    return False
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if forbidden_character(item) is not None:
                return False
        elif isinstance(item, _NonFinite) or (isinstance(item, float) and not math.isfinite(item)):
            return False
    return True


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # built in C; a key seen twice makes it shorter than the pairs
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return result


class _StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (YAML would silently keep the last)."""


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in one mapping", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node)
    return result


_StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_case_text(text: str, *, source: str = "input") -> Case:
    """Parse JSON or YAML text and validate it as a case document."""
    return case_from_mapping(load_document_text(text, source=source))


def load_document_text(
    text: str, *, source: str = "input", max_bytes: int = _MAX_DOCUMENT_BYTES
) -> Any:
    """Parse JSON (or, failing that, YAML) text; reject empty, oversize and absurdly deep
    input (``max_bytes`` is raised for FHIR records, ``nelm.interop.fhir.size``). NaN and
    Infinity are refused, and so is text that breaks :mod:`nelm.text`'s rule; every such
    problem names the path of the value that holds it."""
    try:
        parsed = _load_document_text(text, source, max_bytes)
        problems = value_problems(text, parsed)
    except RecursionError:
        raise InputRejected(
            [Problem("", f"a case document in {source}", "structures nested too deeply to read")]
        ) from None
    if problems:
        raise InputRejected(problems)
    return parsed


def value_problems(text: str, parsed: Any) -> list[Problem]:
    """NaN/Infinity and text that breaks :mod:`nelm.text`'s rule, each named by its path
    (none when one scan of the raw JSON text vouches for every value)."""
    if _plainly_clean(text) or _clean(parsed):
        return []
    return _non_finite_problems(parsed) + text_problems(parsed)


def strict_json_decoder() -> json.JSONDecoder:
    """The JSON decoder of case documents: NaN/Infinity kept aside to be named, a key
    that appears twice in one object refused."""
    return json.JSONDecoder(parse_constant=_NonFinite, object_pairs_hook=_pairs_without_duplicates)


def check_document_size(text: str, source: str, max_bytes: int) -> None:
    """Reject a document over ``max_bytes`` (UTF-8) or empty."""
    size = len(text) if len(text) * 4 <= max_bytes else len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise InputRejected(
            [Problem("", f"a document of at most {max_bytes / 1e6:g} MB", f"{size:,} bytes")]
        )
    if not text.strip():
        raise InputRejected([Problem("", f"a JSON or YAML object in {source}", "an empty file")])


def _load_document_text(text: str, source: str, max_bytes: int) -> Any:
    check_document_size(text, source, max_bytes)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return strict_json_decoder().decode(text)
        except (json.JSONDecodeError, ValueError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            where = (
                f" (line {exc.lineno}, column {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            raise InputRejected(
                [Problem("", f"valid JSON in {source}", f"{detail}{where}")]
            ) from None
    try:
        return yaml.load(text, Loader=_StrictYamlLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputRejected(
            [Problem("", f"valid JSON or YAML in {source}", f"{problem}{where}")]
        ) from None
    except ValueError as exc:  # an impossible date such as 2020-13-01, read as a date
        raise InputRejected(
            [Problem("", f"valid JSON or YAML in {source}", f"an impossible value ({exc})")]
        ) from None


# --------------------------------------------------------------------------- validation

_SECTION_FIELDS: dict[str, dict[str, Field]] = {
    s: {f.name: f for f in FIELDS if f.section == s} for s in SECTIONS
}
_TOP_LEVEL_KEYS = ("schema_version", "case_id", "label", "confirmed", *SECTIONS, "timeline")


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


def _unknown_key(
    path: str, key: object, allowed: tuple[str, ...] | list[str], raw: object = None
) -> Problem:
    in_unit = _unit_named_key(path, raw) if "." in path else None
    if in_unit is not None:
        return Problem(path, in_unit, "an unknown field")
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


def case_from_mapping(doc: Any) -> Case:
    """Validate a parsed document and return the :class:`Case`, or raise InputRejected."""
    if not isinstance(doc, dict):
        expected = "a JSON or YAML object (a case document)"
        if isinstance(doc, list):
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
            value, problem = _coerce(spec, raw)
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
            from_timeline, conflicts = _merge_timeline(values, read.values, entered)
    problems.extend(_cross_field_problems(values))
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
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Fill the fields the timeline settles where nothing was typed; report a typed value
    the timeline contradicts (and keep it: the timeline may be incomplete or the typed value
    newer)."""
    used: list[str] = []
    conflicts: list[str] = []
    for path, value in derived.items():
        clash = _timeline_clash(values, path, value, entered or {})
        if clash is not None:
            conflicts.append(clash)
        elif path not in values and not (
            path == "course.months_stable_at_least" and "course.months_stable" in values
        ):
            values[path] = value
            used.append(path)
    return tuple(used), tuple(conflicts)


def _timeline_clash(
    values: Mapping[str, Value],
    path: str,
    value: TimelineValue,
    entered: Mapping[str, tuple[float, str]],
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
        where = (
            "course.months_stable"
            if "course.months_stable" in values
            else "course.months_stable_at_most"
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
        return (
            f"{path} is {describe_value(typed)} but the latest dated finding of the "
            f"timeline is {latest}"
        )
    if isinstance(value, str) or isinstance(typed, str):
        return f"{path} is {describe_value(typed)} but the timeline gives {describe_value(value)}"
    if isinstance(value, bool) or isinstance(typed, bool):
        return f"{path} is {describe_value(typed)} but the timeline gives {describe_value(value)}"
    if isinstance(typed, int | float) and abs(typed - value) <= 1:
        return None  # within the month the dates are written to
    return f"{path} is {typed_text(path, typed)} but the timeline gives {value:g}"


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
        return None, Problem(
            spec.path,
            f"must be a number in {spec.unit or 'its unit'}, or "
            f'{{"value": number, "unit": one of {accepted}}}',
            _with_unit_got(spec, raw),
        )
    exact = round(number * unit.factor, 6)
    converted: float | int = round(exact) if exact.is_integer() else exact
    if unit.factor != 1.0:
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


def _coerce(spec: Field, raw: Any) -> tuple[Value | None, Problem | None]:
    """Check one raw value against its field; return the value or a problem."""
    value = _accepted(spec, raw)
    if value is not None:
        return value, None
    if spec.kind is Kind.CHOICES and isinstance(raw, list):
        bad = [i for i in raw if not (isinstance(i, str) and i in spec.choices)]
        return None, Problem(
            spec.path,
            f"must list only {', '.join(spec.choices)}",
            ", ".join(_choice_got(spec, b) for b in bad),
        )
    if spec.kind is Kind.CHOICE:
        return None, Problem(spec.path, f"must be {spec.expected()}", _choice_got(spec, raw))
    # The message is built only for a rejected value: most values are fine.
    got = describe_value(raw)
    hint = None
    if isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw):
        hint = slip_hint(spec.path, raw)
    elif isinstance(raw, dt.date) and spec.path in _DATED_BY_TIMELINE:
        hint = _DATED_BY_TIMELINE[spec.path]
    elif isinstance(raw, str) and _says_not_known(raw):
        hint = _NOT_KNOWN_HINT
    elif isinstance(raw, str) and spec.kind is Kind.BOOLEAN:
        hint = _YES_NO.get(raw.strip().lower()) or _score_for_a_yes_no(spec, raw)
    elif isinstance(raw, str) and spec.kind in (Kind.NUMBER, Kind.INTEGER):
        hint = _number_text_hint(spec, raw)
    elif isinstance(raw, str) and spec.kind is Kind.CHOICES:
        meant = raw if raw in spec.choices else choice_named_by(spec.path, raw)
        hint = f'a list, even of one: write ["{meant}"]' if meant else None
    if hint:
        got += f" ({hint})"
    return None, Problem(spec.path, f"must be {spec.expected()}", got)


# Words an export writes for a value not known. Unknown is the field left out (or null):
# never "false", never zero (case-v1), so the message says so rather than guess.
_NOT_KNOWN_WORDS = frozenset(
    {
        "",
        "-",
        "?",
        "na",
        "n/a",
        "n.a.",
        "nk",
        "unk",
        "unknown",
        "not known",
        "not done",
        "not assessed",
        "not available",
        "not reported",
        "missing",
    }
)
_NOT_KNOWN_HINT = "not known: leave it out, as null or an empty cell"
_YES_NO = {
    "yes": "write true",
    "y": "write true",
    "true": "write true, without quotes",
    "positive": "write true",
    "present": "write true",
    "+": "write true",
    "no": "write false",
    "n": "write false",
    "false": "write false, without quotes",
    "negative": "write false",
    "absent": "write false",
}


# A Krenning score written where SSTR imaging asks yes or no: the score has its own field,
# from which the yes or no follows (a score of 2 or more is positive, 0 negative: the
# implied facts of nelm.engine.derive; Krenning 1994).
_KRENNING_TEXT = re.compile(
    r"\s*krenning(?:\s*score)?\s*(?:grade\s*)?([0-4])\s*\+?\s*", re.IGNORECASE
)


def _score_for_a_yes_no(spec: Field, raw: str) -> str | None:
    found = _KRENNING_TEXT.fullmatch(raw) if spec.path == "imaging.sstr_positive" else None
    if found is None:
        return None
    return (
        f"a Krenning score: write imaging.krenning_score: {found.group(1)} and leave this "
        "field unknown (a score of 2 or more reads as positive, 0 as negative)"
    )


# A date where a number of months is asked: the timeline takes dates and gives the months.
_DATED_BY_TIMELINE = {
    "primary.months_since_primary_resection": (
        "a date: give it as timeline.primary_resection, with timeline.as_of, and the months follow"
    ),
    "course.months_stable": (
        "a date: give the scans in timeline.scans, with timeline.as_of, and the months follow"
    ),
}


def _says_not_known(raw: str) -> bool:
    return raw.strip().lower() in _NOT_KNOWN_WORDS


_NUMBER_TEXT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*")


# "250,000" reads as thousands; "2,5" and "0,75" as a decimal comma (Europe). "1,500"
# matches the first: a comma before three digits is taken as the thousands separator.
_THOUSANDS_TEXT = re.compile(r"\s*\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*[^\d,]*")
_DECIMAL_COMMA_TEXT = re.compile(r"\s*[-+]?\d+,\d+\s*[^\d,]*")
_BOUND_TEXT = re.compile(r"\s*(<=|>=|<|>|≤|≥)\s*([-+]?\d+(?:\.\d+)?)\s*(.*?)\s*")
_AT_MOST_SIGNS = ("<", "<=", "≤")
_SEVERAL = frozenset({"multiple", "several", "many", "numerous", "innumerable", "countless"})


def _bound_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a bound given as text (``"<2%"``, ``"> 10"``, ``"multiple"`` lesions)
    for a field that has bounds; never taken in its place."""
    bounds = BOUNDS.get(spec.path)
    if bounds is None:
        return None
    if spec.path == "liver.lesion_count" and raw.strip().lower() in _SEVERAL:
        return f"more than one lesion: write {bounds[0]}: 2"
    found = _BOUND_TEXT.fullmatch(raw)
    if found is None:
        return None
    sign, number, written = found.groups()
    own = spec.unit.replace(" ", "").lower()
    if written and written.replace(" ", "").lower() != own:
        return None
    path = bounds[1] if sign in _AT_MOST_SIGNS else bounds[0]
    if sign in ("<", ">") and spec.kind is Kind.INTEGER and float(number).is_integer():
        # a count is whole: "> 10" lesions is at least 11, "< 3" at most 2
        whole = int(float(number)) + (1 if sign == ">" else -1)
        return f"a bound: write {path}: {whole}"
    if sign in ("<", ">"):
        return f"a bound: write {path}: {number} (a bound includes its number)"
    return f"a bound: write {path}: {number}"


# An estimate ("~30%", "approx. 30 %", "about 4 cm"): its number is what a report gives.
_ESTIMATE = re.compile(
    r"\s*(?:~|≈|approx\.?|approximately|about|around|roughly|circa|ca\.|c\.)\s*(\d.*)",
    re.IGNORECASE,
)
_RANGE_TEXT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*(.*?)\s*")


def _range_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a range given as text (``"5-10"`` Ki-67, ``"4–5"`` lesions) for a field
    that has bounds: both bounds, each including its number."""
    bounds = BOUNDS.get(spec.path)
    found = _RANGE_TEXT.fullmatch(raw)
    if bounds is None or found is None:
        return None
    low, high, written = found.groups()
    own = spec.unit.replace(" ", "").lower()
    if (written and written.replace(" ", "").lower() != own) or float(low) > float(high):
        return None
    return f"a range: write {bounds[0]}: {low} and {bounds[1]}: {high}"


def _number_text_hint(spec: Field, raw: str) -> str | None:
    """How to write a number given as text (``"12%"``, ``"17 umol/L"``, ``"0.9"``), when
    the text is a number with nothing after it, the field's unit or a unit it may be
    entered in, a bound or a range; never taken in its place."""
    ranged = _range_text_hint(spec, raw)
    if ranged is not None:
        return ranged
    estimate = _ESTIMATE.fullmatch(raw)
    if estimate is not None:
        inner = _number_text_hint(spec, estimate.group(1))
        return f"an estimate: {inner}" if inner is not None else None
    found = _RANGE_TEXT.fullmatch(raw) if spec.path not in BOUNDS else None
    if found is not None and float(found.group(1)) < float(found.group(2)):
        return "a range: one value is asked; write the one the record settles on, or leave it out"
    if _THOUSANDS_TEXT.fullmatch(raw):  # "250,000": a thousands separator
        return _plain_number_hint(
            spec, raw.replace(",", ""), "write it without the thousands separator"
        )
    if _DECIMAL_COMMA_TEXT.fullmatch(raw):  # "2,5 mg/dL": a decimal comma
        return _plain_number_hint(spec, raw.replace(",", ".", 1), "write a decimal point")
    found = _NUMBER_TEXT.fullmatch(raw)
    if found is None:
        return _bound_text_hint(spec, raw) or _worded_number_hint(spec, raw)
    number, written = found.groups()
    if not written:
        slip = slip_hint(spec.path, float(number))
        also = f"; {slip}" if slip else ""
        return f"write it as a number, not text: {number}{also}"
    unit = entry_unit(spec.path, written)
    if unit is not None and unit.factor != 1.0:
        converted = clinical_number(float(number) * unit.factor)
        plain = converted.replace(",", "")  # to be typed: no thousands separator
        return (
            f"{number} {unit.label} is {converted} {spec.unit}: write {plain}, or in a "
            f'case document {{"value": {number}, "unit": "{unit.label}"}}'
        )
    own = spec.unit.replace(" ", "").lower()
    spelled = unit_spelled(written).replace(" ", "").lower()
    if unit is not None or (own and own in (written.replace(" ", "").lower(), spelled)):
        return f"write the number alone, without its unit: {number}"
    if spec.kind is Kind.INTEGER and written == "+":
        # "3+" lesions is a bound (three or more); a Krenning "3+" is the score
        return _bound_text_hint(spec, f">={number}") or f"write the number alone: {number}"
    return _worded_number_hint(spec, raw)


# A score with its name before it ("grade 3", "ECOG 1", "Krenning score 3").
_NAMED_SCORE = re.compile(
    r"\s*(?:krenning|ecog|who|performance|status|ps|grade|score|uptake|\s)+(\d+)\s*\+?\s*",
    re.IGNORECASE,
)
# Two or three dimensions of a lesion ("3.5 x 2.8 cm"): the size fields take the largest.
_DIMENSIONS = re.compile(
    r"\s*(\d+(?:\.\d+)?)(?:\s*[x×*]\s*(\d+(?:\.\d+)?)){1,2}\s*([a-zµ]*)\s*", re.IGNORECASE
)
# Words for a bound, as their signs.
_BOUND_WORDS = {
    "more than": ">",
    "over": ">",
    "above": ">",
    "greater than": ">",
    "at least": ">=",
    "less than": "<",
    "under": "<",
    "below": "<",
    "at most": "<=",
    "up to": "<=",
}
_WORDED_BOUND = re.compile(
    r"\s*(" + "|".join(_BOUND_WORDS) + r")\s+(\d+(?:\.\d+)?\s*[^\d\s]*)\s*", re.IGNORECASE
)


def _worded_number_hint(spec: Field, raw: str) -> str | None:
    """How to write a score with its name, a lesion in dimensions or a bound in words."""
    if spec.kind is Kind.INTEGER and (named := _NAMED_SCORE.fullmatch(raw)):
        return f"write the number alone: {named.group(1)}"
    if spec.path in ("liver.largest_lesion_cm", "primary.size_cm"):
        sized = _DIMENSIONS.fullmatch(raw)
        if sized is not None:
            sizes = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", raw)]
            largest = clinical_number(max(sizes))
            written = sized.group(3)
            inner = _number_text_hint(spec, f"{largest} {written}" if written else largest)
            if inner is not None:
                plain = inner.replace("write it as a number, not text: ", "write ")
                return f"the largest dimension: {plain}"
    worded = _WORDED_BOUND.fullmatch(raw)
    if worded is None:
        return None
    # "up to 3 cm" is a bound like the others (docs/case-v1-additions.md, report words)
    return _bound_text_hint(spec, _BOUND_WORDS[worded.group(1).lower()] + worded.group(2))


def _plain_number_hint(spec: Field, rewritten: str, how: str) -> str | None:
    """The hint for a number written with a comma, once the comma is read as ``how`` says."""
    hint = _number_text_hint(spec, rewritten)
    plain = "write it as a number, not text: "
    if hint is not None and hint.startswith(plain):
        return f"{how}: {hint.removeprefix(plain)}"
    return hint


def _choice_got(spec: Field, raw: Any) -> str:
    """A rejected choice as it came, with the choice it spells differently or a report's
    word names, if any (``Bilobar diffuse`` → bilobar_diffuse, ``ileum`` → small_intestine,
    ``data/synonyms.yaml``): named, never taken in its place."""
    got = describe_value(raw)
    if isinstance(raw, str):
        spelled = re.sub(r"[\s\-]+", "_", raw.strip()).lower()
        meant = {c.lower(): c for c in spec.choices}.get(spelled) or choice_named_by(spec.path, raw)
        if _says_not_known(raw):
            # "unknown" site: data not known, or a carcinoma of unknown primary? Both named.
            also = f"; if it means the choice {meant}, write {meant}" if meant else ""
            leave = "not known: leave it out" if spec.kind is Kind.CHOICES else _NOT_KNOWN_HINT
            return f"{got} ({leave}{also})"
        if meant is not None:
            return f"{got} (did you mean {meant}?)"
        settle = settling_hint(spec.path, raw)
        if settle is not None:
            return f"{got} ({settle})"
    return got


def _accepted(spec: Field, raw: Any) -> Value | None:
    """The value as nelm keeps it, or None when ``raw`` does not fit the field."""
    if spec.kind is Kind.BOOLEAN:
        return raw if isinstance(raw, bool) else None
    if spec.kind is Kind.CHOICE:
        return raw if isinstance(raw, str) and raw in spec.choices else None
    if spec.kind is Kind.CHOICES:
        if isinstance(raw, list) and all(isinstance(i, str) and i in spec.choices for i in raw):
            return tuple(dict.fromkeys(raw))
        return None
    if spec.kind is Kind.STRING:
        return raw if isinstance(raw, str) else None
    # numbers
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return None
    number: float | int = raw
    if spec.kind is Kind.INTEGER:
        if isinstance(raw, float) and not raw.is_integer():
            return None
        number = int(raw)
    lo, hi = spec.minimum, spec.maximum
    if (lo is not None and (number <= lo if spec.exclusive_minimum else number < lo)) or (
        hi is not None and number > hi
    ):
        return None
    return number


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


def require_confirmed(case: Case) -> None:
    """Reject a case whose implausible values are not confirmed: the interactive adapters
    (CLI, API, web form) call this; a FHIR bundle or a cohort only gets the warning."""
    problems = [
        Problem(
            f.path,
            f"must be within the plausible range {clinical_number(f.plausible.low)}–"
            f"{clinical_number(f.plausible.high)} (reference {f.plausible.reference}), "
            f"{confirm_how(f.path)}",
            f.shown_value + (f" ({advice})" if (advice := f.hint or f.plausible.advice) else ""),
        )
        for f in implausible_values(case.values, case.confirmed, case.entered)
        if not f.confirmed
    ]
    if problems:
        raise InputRejected(problems)


def _cross_field_problems(values: Mapping[str, Value]) -> list[Problem]:
    problems: list[Problem] = []
    if "pathology.nec_subtype" in values and values.get("pathology.differentiation") == "well":
        problems.append(
            Problem(
                "pathology.nec_subtype",
                "may be given only with poorly differentiated histology (case-v1)",
                f'{describe_value(values["pathology.nec_subtype"])} with differentiation "well"',
            )
        )
    distribution = values.get("liver.distribution")
    single = next(
        (p for p in ("liver.lesion_count", "liver.lesion_count_at_most") if values.get(p) == 1),
        None,
    )  # "at most one" lesion is one lesion: a case has at least one
    if single is not None and distribution in ("bilobar_dominant", "bilobar_diffuse"):
        problems.append(
            Problem(
                "liver.distribution",
                f"must be unilobar (or absent) when {single} is 1: "
                "a single lesion is type I (case-v1)",
                describe_value(distribution),
            )
        )
    if values.get("extrahepatic.present") is False and values.get("extrahepatic.sites"):
        problems.append(
            Problem(
                "extrahepatic.sites",
                "must be empty when extrahepatic.present is false",
                describe_value(list(values["extrahepatic.sites"])),  # type: ignore[arg-type]
            )
        )
    problems.extend(_extent_problems(values))
    problems.extend(_bound_problems(values))
    problems.extend(_report_problems(values))
    return problems


def _bound_problems(values: Mapping[str, Value]) -> list[Problem]:
    """A range must be a range, and an exact value must lie inside the range given with it."""
    problems: list[Problem] = []
    for path, (lo_path, hi_path) in BOUNDS.items():
        lo, hi, exact = values.get(lo_path), values.get(hi_path), values.get(path)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            problems.append(
                Problem(hi_path, f"must be at least {lo_path} ({lo:g})", describe_value(hi))
            )
        if isinstance(exact, int | float) and not isinstance(exact, bool):
            if isinstance(lo, int | float) and exact < lo:
                problems.append(
                    Problem(
                        path,
                        f"must be at least {lo_path} ({lo:g}) when both are given",
                        describe_value(exact),
                    )
                )
            if isinstance(hi, int | float) and exact > hi:
                problems.append(
                    Problem(
                        path,
                        f"must be at most {hi_path} ({hi:g}) when both are given",
                        describe_value(exact),
                    )
                )
    return problems


def _report_problems(values: Mapping[str, Value]) -> list[Problem]:
    """Statements of a report that cannot both hold."""
    problems: list[Problem] = []
    bilobar, distribution = values.get("liver.bilobar"), values.get("liver.distribution")
    if bilobar is True and distribution == "unilobar":
        problems.append(
            Problem("liver.bilobar", "must not be true when liver.distribution is unilobar", "true")
        )
    if bilobar is False and distribution in ("bilobar_dominant", "bilobar_diffuse"):
        problems.append(
            Problem(
                "liver.bilobar",
                f"must not be false when liver.distribution is {distribution}",
                "false",
            )
        )
    if bilobar is True and 1 in (
        values.get("liver.lesion_count"),
        values.get("liver.lesion_count_at_most"),
    ):
        problems.append(
            Problem(
                "liver.bilobar",
                "must not be true with a single liver lesion (liver.lesion_count 1)",
                "true",
            )
        )
    reason = values.get("primary.unresectable_reason")
    if reason is not None and values.get("primary.surgical_assessment") == "resectable":
        problems.append(
            Problem(
                "primary.unresectable_reason",
                'may be given only when primary.surgical_assessment is not "resectable"',
                describe_value(reason),
            )
        )
    return problems


_INVASIONS = (
    "primary.invades_duodenum_or_bile_duct",
    "primary.invades_adjacent_organs",
    "primary.invades_celiac_axis_or_sma",
    "primary.invades_other_large_vessels",
)


def _extent_problems(values: Mapping[str, Value]) -> list[Problem]:
    """A primary that invades a structure outside the pancreas extends beyond it."""
    if values.get("primary.extends_beyond_pancreas") is not False:
        return []
    invading = [p for p in _INVASIONS if values.get(p) is True]
    if not invading:
        return []
    return [
        Problem(
            "primary.extends_beyond_pancreas",
            f"must be true (or absent) when {' and '.join(invading)} is true: an "
            "invasion outside the pancreas is an extension beyond it",
            "false",
        )
    ]
