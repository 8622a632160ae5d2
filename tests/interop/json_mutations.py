"""What a faulty sender writes into a FHIR record: shared by the property tests that put
values of the wrong JSON type into real and synthetic records."""

from __future__ import annotations

from typing import Any

WRONG_TYPES: tuple[Any, ...] = (
    None,
    0,
    -1,
    1e300,
    1.7e308,
    True,
    "",
    "x",
    [],
    {},
    [1],
    [[]],
    {"coding": 5},
)
"""JSON values of every type but the one FHIR R4 gives the element replaced (an array of
codings, a string, an object)."""

WHO = frozenset({"resourceType", "id", "subject", "patient"})
"""What says which resource this is and whom it is about: changed, the resource is another
one or about someone else (the tests that move resources to another patient), so left
alone by these mutations."""


def places(value: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) inside ``value``, but ``WHO`` and what is under it."""
    found: list[tuple[Any, Any]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if key in WHO:
            continue
        found.append((value, key))
        if isinstance(item, dict | list):
            found.extend(places(item))
    return found
