"""One wording of the to-do list (assessment ``investigations``) for every renderer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["todo_summary"]

_BECOME = {("eligible", "ineligible"): "either way", ("eligible",): "could become eligible",
           ("ineligible",): "could become ineligible"}


def todo_summary(item: Mapping[str, Any], option_name: Callable[[str], str]) -> str:
    """What the investigation would decide, in one sentence."""
    parts = []
    for oid in item["could_change"]:
        become = tuple(item["could_become"].get(oid, ()))
        parts.append(f"{option_name(oid)} ({_BECOME.get(become, 'could change')})")
    text = ("decides " + "; ".join(parts)) if parts else "settles data no option turns on alone"
    if item["first_step_could_change"]:
        text += ". Its result could change the first plan step"
    return text + "."
