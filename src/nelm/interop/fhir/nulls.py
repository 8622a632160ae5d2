"""JSON ``null`` where FHIR R4 wants a value: read as the element absent, and listed.

FHIR R4 JSON (https://hl7.org/fhir/R4/json.html, §2.6.2 "JSON representation of
resources") does not allow null as a value, yet exports write ``"system": null`` for an
element they have no value for. The models nelm validates with accept such a null as
absent without a word, and refuse a null item of a list (``"coding": [null, …]``), which
would set the whole resource aside. Both are read here as the element absent and listed,
each by its path, among the data-quality issues: one bad element never sinks the record.

The one null FHIR R4 JSON does allow is kept: an item of a repeating primitive whose id or
extensions stand in the matching ``_name`` list (``"given": ["Ann", null], "_given": [null,
{"extension": …}]``, §2.6.2.3 "JSON representation of primitive elements").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from nelm.errors import Problem
from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.unread import read_by_a_rule
from nelm.interop.fhir.validate import MAPPED_TYPES, Entry

__all__ = ["read_without_nulls", "without_nulls"]

Place = tuple[str | int, ...]

# Per resource: an export that writes null for every empty element would otherwise fill
# the list with one line per element.
_LISTED_PER_RESOURCE = 10

_GOT = "null, read as absent"
_EXPECTED = "a value, or no element at all (FHIR R4 JSON: null is not allowed as a value)"


def read_without_nulls(ctx: Context, entries: Sequence[Entry]) -> list[Entry]:
    """The entries, each resource of a type nelm reads without its nulls; every null
    listed by its path."""
    out: list[Entry] = []
    for entry in entries:
        if not _read(entry.resource):
            out.append(entry)  # set aside unread later: its nulls change nothing
            continue
        resource, places = without_nulls(entry.resource)
        if not places:
            out.append(entry)
            continue
        for place in places[:_LISTED_PER_RESOURCE]:
            ctx.flaw(Problem(entry.path + _path(place), f"{entry.ref}: {_EXPECTED}", _GOT))
        if (more := len(places) - _LISTED_PER_RESOURCE) > 0:
            ctx.issues.append(
                Issue(entry.path, f"{entry.ref}: {more} more elements are null, read as absent")
            )
        out.append(Entry(entry.index, resource, entry.full_url, entry.where, entry.name))
    return out


def _read(resource: Mapping[str, Any]) -> bool:
    """Whether a rule may read the resource (unread.py), a report through its results."""
    kind = resource.get("resourceType")
    if kind == "DiagnosticReport":
        contained = resource.get("contained")
        return isinstance(contained, list) and any(
            isinstance(c, Mapping) and read_by_a_rule(c) for c in contained
        )
    return kind in MAPPED_TYPES and read_by_a_rule(resource)


def without_nulls(resource: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[Place]]:
    """The resource without its nulls (``resource`` itself when it has none) and the
    places of the nulls, in the order they stand in the resource."""
    places = _null_places(resource)
    if not places:
        return resource, []
    root: dict[str, Any] = dict(resource)
    copies: dict[Place, Any] = {(): root}
    # the last first, so that removing an item of a list moves no place still to remove
    for place in sorted(places, reverse=True):
        del _copied(copies, place[:-1])[place[-1]]
    return root, places


def _null_places(resource: Mapping[str, Any]) -> list[Place]:
    """Where the resource holds a null it may not, in the order they stand. Walked without
    recursion: a resource may nest elements some hundred levels deep (validate.py sets
    such a one aside)."""
    found: list[Place] = []
    # (value, place, whether a null is allowed there)
    stack: list[tuple[Any, Place, bool]] = [(resource, (), False)]
    while stack:
        value, place, allowed = stack.pop()
        if value is None and not allowed:
            found.append(place)
        if not isinstance(value, Mapping):
            continue
        children: list[tuple[Any, Place, bool]] = []
        for key, item in value.items():
            if not isinstance(item, list):
                children.append((item, (*place, key), False))
                continue
            twin = key[1:] if key.startswith("_") else f"_{key}"
            placeholders = isinstance(value.get(twin), list)
            children.extend(
                (part, (*place, key, index), placeholders) for index, part in enumerate(item)
            )
        stack.extend(reversed(children))
    return found


def _copied(copies: dict[Place, Any], place: Place) -> Any:
    """The container at ``place`` in the copy being built, copied (with every container
    above it) the first time it is reached, so that the sender's resource is left as it is."""
    for depth in range(1, len(place) + 1):
        if place[:depth] not in copies:
            parent = copies[place[: depth - 1]]
            child = parent[place[depth - 1]]
            copy = dict(child) if isinstance(child, Mapping) else list(child)
            parent[place[depth - 1]] = copy
            copies[place[:depth]] = copy
    return copies[place]


def _path(place: Place) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in place)
