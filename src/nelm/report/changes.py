"""What changed between two case versions: in the inputs, and in the options' statuses.

Pure functions over two case documents and two assessment documents, used by the banner
shown after a version is saved, the diff page and the knowledge-change listing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_NOT_FIELDS = frozenset({"measured_on", "confirmed", "record_warnings", "value_sources"})

__all__ = [
    "InputChange",
    "StatusChange",
    "input_changes",
    "same_case",
    "same_value",
    "status_changes",
]


@dataclass(frozen=True, slots=True)
class InputChange:
    path: str
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class StatusChange:
    option: str
    name: str
    before: str
    after: str


def _flatten(document: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in document.items():
        if key in ("schema_version", "case_id"):
            continue
        if isinstance(value, Mapping):
            for name, inner in value.items():
                flat[f"{key}.{name}"] = inner
        else:
            flat[key] = value
    return flat


def same_value(old: Any, new: Any) -> bool:
    """Equal, a list of choices (or treatments, or sentences) in any order: a form sends
    ticked boxes in its own order, which says nothing about the patient."""
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and all(isinstance(x, str) for x in (*old, *new))
    ):
        return sorted(old) == sorted(new)
    return bool(old == new)


def same_case(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Two case documents that say the same: every field and top-level entry equal, lists
    of choices in any order."""
    a = {k: v for k, v in _flatten(before).items() if v is not None}  # null is absent
    b = {k: v for k, v in _flatten(after).items() if v is not None}
    return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)


def input_changes(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    label: Callable[[str], str],
    show: Callable[[str, Any], str],
) -> list[InputChange]:
    """Every field whose value differs (absent and null both read "not known"; a result's
    date, a confirmation or the record's warnings, which say nothing of the patient when
    absent, read "none")."""
    a, b = _flatten(before), _flatten(after)
    changes = []
    for path in dict.fromkeys([*a, *b]):
        old, new = a.get(path), b.get(path)
        if same_value(old, new):
            continue
        absent = "none" if path.split(".", 1)[0] in _NOT_FIELDS else "not known"
        changes.append(
            InputChange(
                path,
                label(path),
                absent if old is None else show(path, old),
                absent if new is None else show(path, new),
            )
        )
    return changes


def status_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[StatusChange]:
    """Every option whose status differs between two assessments."""
    old, new = before.get("options") or {}, after.get("options") or {}
    changes = []
    for oid, option in new.items():
        was = (old.get(oid) or {}).get("status")
        now = option.get("status")
        if was is not None and was != now:
            changes.append(StatusChange(oid, str(option.get("name") or oid), str(was), str(now)))
    return changes
