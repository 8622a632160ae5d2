"""Two board members editing one case: what the form shows when the other saved first.

The edit form carries the version it was loaded from. When the case has moved on, nothing
is stored (``VersionConflictError``); the form comes back with the user's own values and a
table of every field where the version they started from, the version now stored and
their unsaved values are not all the same, so they can merge and save again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.fields import FIELDS
from nelm.case.merge import shown_value

__all__ = ["Conflict", "Difference", "describe_conflict"]


@dataclass(frozen=True, slots=True)
class Difference:
    label: str
    path: str
    base: str
    theirs: str
    yours: str


@dataclass(frozen=True, slots=True)
class Conflict:
    changed_by: str | None
    base_version: int
    current_version: int
    stored_at: str
    differences: list[Difference]


def _value(document: Mapping[str, Any], path: str) -> Any:
    if "." not in path:
        return document.get(path)
    section, name = path.split(".", 1)
    body = document.get(section)
    return body.get(name) if isinstance(body, Mapping) else None


def describe_conflict(
    *,
    changed_by: str | None,
    base_version: int,
    current_version: int,
    stored_at: str,
    base: Mapping[str, Any],
    theirs: Mapping[str, Any],
    yours: Mapping[str, Any],
) -> Conflict:
    """The conflict and the fields where the three versions are not all equal."""
    paths = [("Label", "label"), *((f.label, f.path) for f in FIELDS)]
    differences = []
    for label, path in paths:
        values = (_value(base, path), _value(theirs, path), _value(yours, path))
        if not values[0] == values[1] == values[2]:
            differences.append(Difference(label, path, *(shown_value(v) for v in values)))
    return Conflict(changed_by, base_version, current_version, stored_at, differences)
