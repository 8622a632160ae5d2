"""The exceptions nelm raises, and what each means at the edges.

::

    NelmError                   base of everything below
    ├── InputRejected           the user's input cannot be used (CLI exit 2, HTTP 4xx);
    │                           carries one Problem per thing wrong (field path, expected, got)
    └── KnowledgeBaseError      the packaged knowledge base is malformed (a bug: exit 1)

Messages are built here, apart from printing them, so the CLI, the API and the tests all
show the user the same words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["InputRejected", "KnowledgeBaseError", "NelmError", "Problem", "describe_value"]


class NelmError(Exception):
    """Base class of nelm's own errors."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where, what was expected, and what came."""

    path: str
    expected: str
    got: str

    @property
    def message(self) -> str:
        where = self.path or "document"
        if self.got:
            return f"{where}: {self.expected}, got {self.got}"
        return f"{where}: {self.expected}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.path, "expected": self.expected, "got": self.got}


class InputRejected(NelmError):  # noqa: N818 - named for what happened, as cli-v1 says
    """The input was rejected; ``problems`` lists every reason (never empty)."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputRejected needs at least one problem")
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class KnowledgeBaseError(NelmError):
    """The packaged knowledge base failed its own validation: a defect, not user error."""

    exit_code = 1


def describe_value(value: Any, limit: int = 60) -> str:
    """Render a received value the way the user wrote it (JSON style), shortened."""
    if isinstance(value, float) and value != value:
        text = "NaN"
    elif isinstance(value, float) and value in (float("inf"), float("-inf")):
        text = "Infinity" if value > 0 else "-Infinity"
    elif isinstance(value, dict):
        text = "an object"
    elif isinstance(value, list):
        text = "a list" if value else "an empty list"
    elif isinstance(value, bool | int | float | str) or value is None:
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = f"a {type(value).__name__} value"
    return text if len(text) <= limit else text[: limit - 1] + "…"
