"""Reading and validating a case document (case-v1) into a :class:`Case`.

Every problem is collected (not only the first), each naming the field path, what was
expected and what came. Absent and ``null`` fields are unknown; nothing is defaulted.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from nelm.case.fields import FIELD_BY_PATH, FIELDS, SECTIONS, Field, Kind
from nelm.errors import InputRejected, Problem, describe_value
from nelm.text import printable, text_problems, walk

__all__ = ["Case", "Value", "case_from_mapping", "parse_case_text"]

Value = float | int | bool | str | tuple[str, ...]

_MAX_DOCUMENT_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Case:
    """A validated case: known values by dotted path; an absent path is unknown."""

    case_id: str
    values: Mapping[str, Value] = field(default_factory=dict)
    label: str | None = None
    schema_version: int = 1

    def get(self, path: str) -> Value | None:
        return self.values.get(path)

    def to_document(self) -> dict[str, Any]:
        """The case as a case-v1 document (known fields only)."""
        doc: dict[str, Any] = {"schema_version": self.schema_version, "case_id": self.case_id}
        if self.label is not None:
            doc["label"] = self.label
        for path, value in self.values.items():
            section, name = path.split(".", 1)
            doc.setdefault(section, {})[name] = list(value) if isinstance(value, tuple) else value
        return doc


# --------------------------------------------------------------------------- parsing


class _NonFinite:
    """Where JSON text said NaN, Infinity or -Infinity (Python's parser accepts them): kept
    as a marker so the message can name the field that holds it."""

    __slots__ = ("literal",)

    def __init__(self, literal: str) -> None:
        self.literal = literal


_FINITE = ("a finite number (JSON has no NaN or Infinity; leave an unknown value out or "
           "null)")


def _non_finite_problems(parsed: Any) -> list[Problem]:
    """One problem per NaN/Infinity (JSON) or .nan/.inf (YAML), named by its path."""
    problems = []
    for path, value, _ in walk(parsed):
        if isinstance(value, _NonFinite):
            problems.append(Problem(printable(path), _FINITE, value.literal))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(printable(path), _FINITE, describe_value(value)))
    return problems


def _pairs_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
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


def load_document_text(text: str, *, source: str = "input",
                       max_bytes: int = _MAX_DOCUMENT_BYTES) -> Any:
    """Parse JSON (or, failing that, YAML) text; reject empty, oversize and absurdly deep
    input (``max_bytes`` is raised for FHIR records, ``nelm.interop.fhir.size``). NaN and
    Infinity are refused, and so is text that breaks :mod:`nelm.text`'s rule; every such
    problem names the path of the value that holds it."""
    try:
        parsed = _load_document_text(text, source, max_bytes)
        problems = _non_finite_problems(parsed) + text_problems(parsed)
    except RecursionError:
        raise InputRejected([Problem("", f"a case document in {source}",
                                     "structures nested too deeply to read")]) from None
    if problems:
        raise InputRejected(problems)
    return parsed


def _load_document_text(text: str, source: str, max_bytes: int) -> Any:
    size = len(text) if len(text) * 4 <= max_bytes else len(
        text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise InputRejected([Problem("", f"a document of at most {max_bytes / 1e6:g} MB",
                                     f"{size:,} bytes")])
    if not text.strip():
        raise InputRejected([Problem("", f"a JSON or YAML object in {source}", "an empty file")])
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(
                text,
                parse_constant=_NonFinite,
                object_pairs_hook=_pairs_without_duplicates,
            )
        except (json.JSONDecodeError, ValueError) as exc:
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(
                exc, json.JSONDecodeError) else ""
            raise InputRejected(
                [Problem("", f"valid JSON in {source}", f"{detail}{where}")]
            ) from None
    try:
        return yaml.load(text, Loader=_StrictYamlLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputRejected([Problem("", f"valid JSON or YAML in {source}",
                                     f"{problem}{where}")]) from None


# --------------------------------------------------------------------------- validation

_SECTION_FIELDS: dict[str, dict[str, Field]] = {
    s: {f.name: f for f in FIELDS if f.section == s} for s in SECTIONS
}
_TOP_LEVEL_KEYS = ("schema_version", "case_id", "label", *SECTIONS)


def _unknown_key(path: str, key: object, allowed: tuple[str, ...] | list[str]) -> Problem:
    hint = difflib.get_close_matches(str(key), list(allowed), n=1)
    expected = (f"must be a known field of case-v1 (did you mean {hint[0]}?)" if hint
                else "must be one of the fields " + ", ".join(allowed))
    return Problem(path, expected, "an unknown field")


def case_from_mapping(doc: Any) -> Case:
    """Validate a parsed document and return the :class:`Case`, or raise InputRejected."""
    if not isinstance(doc, dict):
        raise InputRejected([Problem("", "a JSON or YAML object (a case document)",
                                     describe_value(doc))])
    problems: list[Problem] = []
    values: dict[str, Value] = {}

    for key in doc:
        if key not in _TOP_LEVEL_KEYS:
            problems.append(_unknown_key(str(key), key, _TOP_LEVEL_KEYS))

    schema_version = doc.get("schema_version", 1)
    if schema_version is None:
        schema_version = 1
    if isinstance(schema_version, bool) or schema_version != 1:
        problems.append(Problem("schema_version", "must be 1 (case-v1)",
                                describe_value(schema_version)))

    case_id = doc.get("case_id")
    if case_id is None:
        problems.append(Problem("case_id", "is required: text of 1 to 128 characters",
                                "nothing"))
    elif not isinstance(case_id, str) or not 1 <= len(case_id) <= 128 or not case_id.strip():
        problems.append(Problem("case_id", "must be text of 1 to 128 characters",
                                describe_value(case_id)))

    label = doc.get("label")
    if label is not None and (not isinstance(label, str) or len(label) > 500):
        problems.append(Problem("label", "must be text of at most 500 characters",
                                describe_value(label)))

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
                problems.append(_unknown_key(f"{section}.{key}", key, list(fields)))
                continue
            if raw is None:
                continue
            value, problem = _coerce(spec, raw)
            if problem is not None:
                problems.append(problem)
            elif value is not None:
                values[spec.path] = value

    problems.extend(_cross_field_problems(values))
    if problems:
        raise InputRejected(problems)
    assert isinstance(case_id, str)
    return Case(case_id=case_id, values=values, label=label, schema_version=1)


def _coerce(spec: Field, raw: Any) -> tuple[Value | None, Problem | None]:
    """Check one raw value against its field; return the value or a problem."""
    value = _accepted(spec, raw)
    if value is not None:
        return value, None
    if spec.kind is Kind.CHOICES and isinstance(raw, list):
        bad = next(i for i in raw if not (isinstance(i, str) and i in spec.choices))
        return None, Problem(spec.path, f"must list only {', '.join(spec.choices)}",
                             describe_value(bad))
    # The message is built only for a rejected value: most values are fine.
    return None, Problem(spec.path, f"must be {spec.expected()}", describe_value(raw))


def _accepted(spec: Field, raw: Any) -> Value | None:
    """The value as nelm keeps it, or None when ``raw`` does not fit the field."""
    if spec.kind is Kind.BOOLEAN:
        return raw if isinstance(raw, bool) else None
    if spec.kind is Kind.CHOICE:
        return raw if isinstance(raw, str) and raw in spec.choices else None
    if spec.kind is Kind.CHOICES:
        if isinstance(raw, list) and all(isinstance(i, str) and i in spec.choices
                                         for i in raw):
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


def _cross_field_problems(values: Mapping[str, Value]) -> list[Problem]:
    problems: list[Problem] = []
    if "pathology.nec_subtype" in values and values.get("pathology.differentiation") == "well":
        problems.append(Problem(
            "pathology.nec_subtype",
            "may be given only with poorly differentiated histology (case-v1)",
            f"{describe_value(values['pathology.nec_subtype'])} with differentiation \"well\"",
        ))
    distribution = values.get("liver.distribution")
    if values.get("liver.lesion_count") == 1 and distribution in ("bilobar_dominant",
                                                                  "bilobar_diffuse"):
        problems.append(Problem(
            "liver.distribution", "must be unilobar (or absent) when liver.lesion_count is 1: "
            "a single lesion is type I (case-v1)", describe_value(distribution)))
    if values.get("extrahepatic.present") is False and values.get("extrahepatic.sites"):
        problems.append(Problem(
            "extrahepatic.sites", "must be empty when extrahepatic.present is false",
            describe_value(list(values["extrahepatic.sites"])),  # type: ignore[arg-type]
        ))
    problems.extend(_extent_problems(values))
    return problems


_INVASIONS = ("primary.invades_duodenum_or_bile_duct", "primary.invades_adjacent_organs",
              "primary.invades_celiac_axis_or_sma", "primary.invades_other_large_vessels")


def _extent_problems(values: Mapping[str, Value]) -> list[Problem]:
    """A primary that invades a structure outside the pancreas extends beyond it."""
    if values.get("primary.extends_beyond_pancreas") is not False:
        return []
    invading = [p for p in _INVASIONS if values.get(p) is True]
    if not invading:
        return []
    return [Problem("primary.extends_beyond_pancreas",
                    f"must be true (or absent) when {' and '.join(invading)} is true: an "
                    "invasion outside the pancreas is an extension beyond it", "false")]


def known_paths() -> tuple[str, ...]:
    return tuple(FIELD_BY_PATH)
