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
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from nelm.case.cross_field import cross_field_problems
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
from nelm.errors import InputRejected, Problem, describe_value
from nelm.text import forbidden_character, printable, text_problems, walk

__all__ = [
    "CASE_LEVEL_KEYS",
    "Case",
    "Value",
    "case_from_mapping",
    "confirm_how",
    "parse_case_text",
    "read_yaml",
    "require_confirmed",
    "unconfirmed_problems",
]

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
    measured_on: Mapping[str, str] = field(default_factory=dict)
    """Field path → the date of the result its value came from (``measured_on``,
    ``nelm.case.result_dates``)."""
    record_warnings: tuple[str, ...] = ()
    """What the record the case was read from said about any assessment of it (a death, no
    neuroendocrine diagnosis): ``nelm.case.record_warnings``."""
    bounds_origin: Mapping[str, str] = field(default_factory=dict)
    """A bounded number's path → where its bounds came from, when not from the report
    ("from a birth date of the year only"): the criteria's values say so instead of "as
    reported". Set by the adapter that read a record, never by the case document."""

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


_MAX_DIGITS = 30
"""No clinical value has more digits: a longer number is refused while it is read, before
it can overflow a float or reach Python's limit on converting long integers."""


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("+-"))
    if digits > _MAX_DIGITS:
        raise ValueError(f"a number of {digits:,} digits")
    return int(text)


class _StrictYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (YAML would silently keep the last) and
    aliases, and reads numbers as YAML 1.2 and JSON do.

    PyYAML follows YAML 1.1, where ``057`` is octal (47), ``1:30`` sexagesimal (90) and
    ``0x1A`` hexadecimal: a zero-padded Ki-67 of ``012`` became 10 % without a word. Here a
    number is decimal digits with an optional fraction and exponent (``057`` is 57,
    ``250e3`` is 250000), as a CSV cohort reads it; anything else stays text and is
    refused by the field it was given for. An alias (``*name``) is refused: a case
    repeats no value by reference, and nested aliases of a few hundred bytes would expand
    to billions of values.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # untyped stub
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name): write each value out in full", mark
            )
        return super().compose_node(parent, index)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rule) for tag, rule in rules if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictYamlLoader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_StrictYamlLoader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _construct_int(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> int:
    try:
        return _bounded_int(str(loader.construct_scalar(node)))
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, str(exc), node.start_mark) from None


def _construct_float(loader: _StrictYamlLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
    return special.get(text.lower()) or float(text)


_StrictYamlLoader.add_constructor(_INT_TAG, _construct_int)
_StrictYamlLoader.add_constructor(_FLOAT_TAG, _construct_float)


def _construct_mapping(loader: _StrictYamlLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, (list, dict)):  # YAML's "? [a, b]": no case document has one
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key that is a list or a mapping", key_node.start_mark
            )
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


def read_yaml(text: str) -> Any:
    """One YAML document read as case documents are (``_StrictYamlLoader``: no duplicate
    keys, no aliases, numbers as YAML 1.2). Raises ``yaml.YAMLError`` or ``ValueError``."""
    return yaml.load(text, Loader=_StrictYamlLoader)  # a SafeLoader subclass


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
    return json.JSONDecoder(
        parse_constant=_NonFinite,
        parse_int=_bounded_int,
        object_pairs_hook=_pairs_without_duplicates,
    )


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
            hint = _json_hint(text, exc)
            raise InputRejected(
                [Problem("", f"valid JSON in {source}", f"{detail}{where}{hint}")]
            ) from None
    try:
        return read_yaml(text)
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


def _json_hint(text: str, exc: ValueError) -> str:
    """What a JSON error most often means: a file cut short (the error is at its end), or
    a comma before a closing bracket or brace, which JSON (RFC 8259) does not allow."""
    if not isinstance(exc, json.JSONDecodeError):
        return ""
    if exc.pos >= len(text.rstrip()):
        return ": the text ends before the JSON does (is the file complete?)"
    if text[exc.pos] in "]}" and text[: exc.pos].rstrip().endswith(","):
        return ": a comma before a closing bracket or brace, which JSON does not allow"
    padded = _ZERO_PADDED.search(text[max(0, exc.pos - 40) : exc.pos + 40])
    if padded is not None and text[exc.pos].isdigit():
        number = padded.group(1)
        plain = ("-" if number.startswith("-") else "") + str(int(number.lstrip("-")))
        return f": JSON writes no leading zero ({number}): write {plain}"
    return ""


_ZERO_PADDED = re.compile(r"[:\[,]\s*(-?0[0-9]+)(?![0-9.eE])")


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


def case_from_mapping(
    doc: Any, *, require_confirmation: bool = False, only: Collection[str] | None = None
) -> Case:
    """Validate a parsed document and return the :class:`Case`, or raise InputRejected.

    ``require_confirmation`` (the interactive adapters: CLI, API, web form): an
    implausible value not confirmed is a problem too, reported with every other one, so a
    person fixes them all in one pass (:func:`require_confirmed`; ``only`` as there)."""
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
        return None, Problem(spec.path, expected, got)
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
