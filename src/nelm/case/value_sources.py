"""Where each value of a case came from (``value_sources``), a case-v1 addition.

A case the tumour board reads from a FHIR record outlives the record: the board must still
see that an age of 65–66 was worked out from a birth year in ``Patient/p1`` rather than
typed by a colleague. ``value_sources`` maps a field path to the resource(s) its value was
read from, as ``nelm assess`` names them for a record (``input_source.provenance``). A value
with no entry was entered by a person; the board drops a field's entry when its value is
edited by hand (``nelm.web.forms``), so the entry always describes the value beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.case.fields import FIELD_BY_PATH
from nelm.errors import Problem, describe_value

__all__ = ["SOURCE_MAX_CHARS", "read_value_sources", "resources_of", "with_value_sources"]

SOURCE_MAX_CHARS = 500
"""A source names a few resources and codes; a longer text is not a source."""


def resources_of(source: str) -> str:
    """ "Observation/c1 (LOINC 2160-0); Observation/c2 (LOINC 2160-0)" → "Observation/c1,
    Observation/c2": the resources a source names, without the codes read from them."""
    refs = (part.split(" (", 1)[0].strip() for part in source.split("; "))
    return ", ".join(dict.fromkeys(r for r in refs if r))


def read_value_sources(
    raw: Any, values: Mapping[str, Any], problems: list[Problem]
) -> dict[str, str]:
    """The ``value_sources`` object, checked: each key a field of the case that has a
    value, each source a non-empty text."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(
                "value_sources",
                'must be an object of field path → source (e.g. {"patient.age_years": '
                '"Patient/p1 (birthDate)"})',
                describe_value(raw),
            )
        )
        return {}
    sources: dict[str, str] = {}
    for path, text in raw.items():
        where = f"value_sources.{path}"
        if not isinstance(path, str) or path not in FIELD_BY_PATH:
            problems.append(Problem(where, "must name a field of the case", "an unknown field"))
        elif path not in values:
            problems.append(Problem(where, "must name a field with a value", "an unknown value"))
        elif not isinstance(text, str) or not text.strip() or len(text) > SOURCE_MAX_CHARS:
            expected = f"must be a text of 1 to {SOURCE_MAX_CHARS} characters"
            problems.append(Problem(where, expected, describe_value(text)))
        else:
            sources[path] = text.strip()
    return sources


def with_value_sources(
    document: Mapping[str, Any], provenance: Mapping[str, str]
) -> dict[str, Any]:
    """A record's case as the board stores it: with the resource each value was read from
    (``value_sources``), for the fields the case holds."""
    present = {
        f"{section}.{name}"
        for section, body in document.items()
        if isinstance(body, Mapping)
        for name in body
    }
    kept = {p: s for p, s in provenance.items() if p in present and p in FIELD_BY_PATH}
    out = dict(document)
    if kept:
        out["value_sources"] = kept
    else:
        out.pop("value_sources", None)
    return out
