"""JSON ``null`` where FHIR R4 wants a value: read as the element absent, and listed.

FHIR R4 JSON (https://hl7.org/fhir/R4/json.html, §2.6.2 "JSON representation of
resources") does not allow null as a value, yet exports write ``"system": null`` for an
element they have no value for. The models nelm validates with accept such a null as
absent without a word, and refuse a null item of a list (``"coding": [null, …]``), which
would set the whole resource aside. Both are read here as the element absent and listed,
each by its path, among the data-quality issues: one bad element never sinks the record.

A null item taken out of a list moves the items after it one place up; every path nelm
gives (a data-quality issue, an invalid element) is written back to the places of the
record as sent (:func:`as_sent`), so that it names the element the sender wrote.

The one null FHIR R4 JSON does allow is kept: an item of a repeating primitive whose id or
extensions stand in the matching ``_name`` list (``"given": ["Ann", null], "_given": [null,
{"extension": …}]``, §2.6.2.3 "JSON representation of primitive elements").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from nelm.errors import Problem
from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.unread import read_by_a_rule
from nelm.interop.fhir.validate import MAPPED_TYPES, Entry

__all__ = ["Place", "as_sent", "issues_as_sent", "read_without_nulls", "without_nulls"]

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
        if items := [p for p in places if isinstance(p[-1], int)]:
            ctx.null_items[entry.path] = items
        for place in places[:_LISTED_PER_RESOURCE]:
            ctx.flaw(Problem(entry.path + _path(place), f"{entry.ref}: {_EXPECTED}", _GOT))
        if (more := len(places) - _LISTED_PER_RESOURCE) > 0:
            ctx.issues.append(
                Issue(entry.path, f"{entry.ref}: {more} more elements are null, read as absent")
            )
        out.append(Entry(entry.index, resource, entry.full_url, entry.where, entry.name))
    ctx.issues_read_as_sent = len(ctx.issues)
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


def issues_as_sent(ctx: Context) -> None:
    """Every path of the issues and problems listed since null items were taken out, and
    every path their messages quote (a model's message names the invalid element),
    written as in the record as sent. Called once, when the issues are complete."""
    if not ctx.null_items:
        return
    done = ctx.issues_read_as_sent
    ctx.issues[done:] = [
        Issue(as_sent(i.path, ctx.null_items), as_sent(i.message, ctx.null_items), i.field)
        for i in ctx.issues[done:]
    ]
    ctx.issues_read_as_sent = len(ctx.issues)
    ctx.problems = [  # a record about two patients: listed after the nulls were taken out
        Problem(as_sent(p.path, ctx.null_items), as_sent(p.expected, ctx.null_items), p.got)
        for p in ctx.problems
    ]


# A path in the bundle, and one step of it: ".name" or "[index]".
_BUNDLE_PATH = re.compile(r"Bundle(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*")
_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def as_sent(text: str, null_items: Mapping[str, Sequence[Place]]) -> str:
    """``text`` with each path below a resource in ``null_items`` (its path → the places
    of the null items taken out of its lists) naming the places of the resource as sent:
    ``code.coding[0]`` read after a null ``coding[0]`` was taken out is ``code.coding[1]``.
    Each path is looked up by its own beginnings, so a record with thousands of such
    resources costs no more per path than one."""
    if not null_items:
        return text

    def sent(match: re.Match[str]) -> str:
        path = match[0]
        # the longest beginning that is a resource: one nested in an entry is below it
        for cut in range(len(path), 0, -1):
            if cut < len(path) and path[cut] not in ".[":
                continue
            taken_out = null_items.get(path[:cut])
            if taken_out is not None:
                read = [int(i) if i else name for name, i in _PART.findall(path[cut:])]
                return path[:cut] + _path(_sent_place(read, taken_out))
        return path

    return _BUNDLE_PATH.sub(sent, text)


def _sent_place(read: Sequence[str | int], taken_out: Sequence[Place]) -> Place:
    """A place in the resource without its null items → the same place as sent."""
    out: list[str | int] = []
    for part in read:
        if isinstance(part, int):
            within = tuple(out)
            # the n-th item left is the n-th of the items sent that were not taken out
            for gone in sorted(p[-1] for p in taken_out if p[:-1] == within):
                if isinstance(gone, int) and gone <= part:
                    part += 1
        out.append(part)
    return tuple(out)
