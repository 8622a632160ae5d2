"""Two board members editing one case: what the form shows when the other saved first.

The edit form carries the version it was loaded from. When the case has moved on, nothing
is stored (``VersionConflictError``); the form comes back with the three versions merged
field by field (:func:`merge_three_way`):

- a field only the other user changed (your value is the one you started from) is filled
  in from the version now stored, so that saving again cannot undo their change;
- a field only you changed keeps your value;
- a field you both changed to different values keeps yours and is named, for you to
  resolve before saving again.

A table lists every field where the version you started from, the version now stored and
your unsaved values are not all the same, and what the form now holds for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from nelm.case.fields import FIELDS
from nelm.case.merge import shown_value
from nelm.report.changes import same_value

__all__ = ["Conflict", "Difference", "Merged", "describe_conflict", "merge_three_way"]

Source = Literal["theirs", "yours", "both"]
"""What the merged form holds for a field: the stored version's value (only they changed
it), yours (only you changed it, or you both made the same change), or yours where you
both changed it differently (``both``: to resolve)."""

_PATHS: list[tuple[str, str]] = [("Label", "label"), *((f.label, f.path) for f in FIELDS)]
_TIMELINE = ("Timeline", "timeline")


@dataclass(frozen=True, slots=True)
class Difference:
    label: str
    path: str
    base: str
    theirs: str
    yours: str
    source: Source = "yours"


@dataclass(frozen=True, slots=True)
class Conflict:
    changed_by: str | None
    base_version: int
    current_version: int
    stored_at: str
    differences: list[Difference]

    @property
    def both_changed(self) -> list[Difference]:
        """The fields you both changed to different values: yours in the form, to check."""
        return [d for d in self.differences if d.source == "both"]

    def clash(self, path: str) -> Difference | None:
        """The difference of a field you both changed differently, else None."""
        return next((d for d in self.both_changed if d.path == path), None)

    @property
    def taken(self) -> list[Difference]:
        """The fields only they changed: filled in from the version now stored."""
        return [d for d in self.differences if d.source == "theirs"]


@dataclass(frozen=True, slots=True)
class Merged:
    document: dict[str, Any]
    """Your document with the other user's changes to fields you left alone."""
    sources: dict[str, Source] = field(default_factory=dict)
    """Every field (path) that differs between the three versions, and what ``document``
    holds for it."""


def _value(document: Mapping[str, Any], path: str) -> Any:
    if "." not in path:
        return document.get(path)
    section, name = path.split(".", 1)
    body = document.get(section)
    return body.get(name) if isinstance(body, Mapping) else None


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    if "." not in path:
        if value is None:
            document.pop(path, None)
        else:
            document[path] = value
        return
    section, name = path.split(".", 1)
    body = dict(document.get(section) or {})
    if value is None:
        body.pop(name, None)
    else:
        body[name] = value
    if body:
        document[section] = body
    else:
        document.pop(section, None)


def _same(a: Any, b: Any) -> bool:
    return same_value(None if a == [] else a, None if b == [] else b)


def _entry(document: Mapping[str, Any], key: str, path: str) -> Any:
    """``measured_on`` of a path (a date), or whether ``confirmed`` lists it."""
    held = document.get(key)
    if key == "measured_on":
        return held.get(path) if isinstance(held, Mapping) else None
    return isinstance(held, list) and path in held


def merge_three_way(
    base: Mapping[str, Any], theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> Merged:
    """Your edit of ``base`` merged with theirs, a later version of it, field by field.

    A field's result date (``measured_on``) and its confirmation as entered
    (``confirmed``) go with the value taken. The record's warnings kept
    (``record_warnings``) are merged one by one: a warning either of you unticked goes.
    """
    merged: dict[str, Any] = {k: v for k, v in yours.items() if k not in ("confirmed",)}
    measured = dict(yours.get("measured_on") or {})
    confirmed = [p for p in (yours.get("confirmed") or []) if isinstance(p, str)]
    sources: dict[str, Source] = {}
    for _, path in [*_PATHS, _TIMELINE]:
        b, t, y = _value(base, path), _value(theirs, path), _value(yours, path)
        if _same(t, b) or _same(y, t):
            if not _same(y, b):
                sources[path] = "yours"
            continue
        if not _same(y, b):
            sources[path] = "both"
            continue
        sources[path] = "theirs"
        _set(merged, path, t)
        if path == "timeline" or path == "label":
            continue
        date = _entry(theirs, "measured_on", path)
        if date is None:
            measured.pop(path, None)
        else:
            measured[path] = date
        if path in confirmed:
            confirmed.remove(path)
        if _entry(theirs, "confirmed", path):
            confirmed.append(path)
    merged.pop("measured_on", None)
    if measured:
        merged["measured_on"] = measured
    if confirmed:
        merged["confirmed"] = confirmed
    warnings = _merged_warnings(base, theirs, yours)
    merged.pop("record_warnings", None)
    if warnings:
        merged["record_warnings"] = warnings
    return Merged(merged, sources)


def _merged_warnings(
    base: Mapping[str, Any], theirs: Mapping[str, Any], yours: Mapping[str, Any]
) -> list[str]:
    def held(document: Mapping[str, Any]) -> list[str]:
        found = document.get("record_warnings")
        return [str(w) for w in found] if isinstance(found, list) else []

    b, t, y = held(base), held(theirs), held(yours)
    kept = []
    for warning in dict.fromkeys([*b, *t, *y]):
        in_base, in_theirs, in_yours = warning in b, warning in t, warning in y
        if in_theirs if in_yours == in_base else in_yours:
            kept.append(warning)
    return kept


def _timeline(value: Any) -> str:
    """A timeline in a table of differences: "as of 2026-11-02: 2 treatments, 3 scans"."""
    if not isinstance(value, Mapping):
        return shown_value(value)
    counts = [
        f"{len(items)} {name if len(items) != 1 else name[:-1]}"
        for name in ("treatments", "scans")
        if isinstance(items := value.get(name), list) and items
    ]
    return f"as of {value.get('as_of') or 'no date'}" + (f": {', '.join(counts)}" if counts else "")


def describe_conflict(
    *,
    changed_by: str | None,
    base_version: int,
    current_version: int,
    stored_at: str,
    base: Mapping[str, Any],
    theirs: Mapping[str, Any],
    yours: Mapping[str, Any],
    sources: Mapping[str, Source] | None = None,
) -> Conflict:
    """The conflict and the fields where the three versions are not all equal, with what
    the merged form holds for each (``sources``, from :func:`merge_three_way`)."""
    differences = []
    for label, path in [*_PATHS, _TIMELINE]:
        values = (_value(base, path), _value(theirs, path), _value(yours, path))
        if not (_same(values[0], values[1]) and _same(values[1], values[2])):
            base_shown, theirs_shown, yours_shown = (
                _timeline(v) if path == "timeline" else shown_value(v) for v in values
            )
            differences.append(
                Difference(
                    label,
                    path,
                    base_shown,
                    theirs_shown,
                    yours_shown,
                    (sources or {}).get(path, "yours"),
                )
            )
    return Conflict(changed_by, base_version, current_version, stored_at, differences)
