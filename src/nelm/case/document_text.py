"""From the text of a document to plain data (dicts, lists, numbers, text), before any
field is read: the size limit, strict JSON (no NaN/Infinity, no key twice, no number
longer than any clinical value), strict YAML (numbers as YAML 1.2 and JSON read them, no
aliases, no key twice), and the rule of :mod:`nelm.text`; every problem names the path of
the value that holds it. Case documents and FHIR records are both read here.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from nelm.errors import InputRejected, Problem, describe_value
from nelm.text import forbidden_character, printable, text_problems, walk

__all__ = [
    "check_document_size",
    "load_document_text",
    "read_yaml",
    "strict_json_decoder",
    "value_problems",
]

_MAX_DOCUMENT_BYTES = 1_000_000


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
