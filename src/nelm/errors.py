"""The exceptions nelm raises, and what each means at the edges.

Every error carries its command-line exit code (``exit_code``) and its HTTP status
(``http_status``); the command line (``nelm.cli._common.run_guarded``) and the web
application (``nelm.web.handlers``) read them, so a new error needs no new handler::

    error                        exit  HTTP  meaning
    NelmError                      1   500   base of everything below
    ├── InputRejected              2   422   the user's input cannot be used; one Problem per
    │   │                                    thing wrong (field path, expected, got)
    │   ├── UnitError              2   422   a value's unit is missing or not convertible to
    │   │                                    the case unit (FHIR input)
    │   └── ConvergenceError       2   422   an estimator did not converge on these studies;
    │                                        another method (a Problem on ``method``) may
    ├── KnowledgeBaseError         1   500   the packaged knowledge base is malformed (a bug)
    ├── StoreError                 1   500   the case store refused an operation
    │   ├── NotFoundError          2   404   no such record
    │   └── ConflictError          2   409   a uniqueness rule or a newer version in the way
    ├── FetchError                 1   502   another server (FHIR) could not be read
    └── UnavailableError           1   503   an optional part (an extra, a system library) is
                                             not installed; the message says how to install it

Messages are built here or where the error is raised, apart from printing them, so the CLI,
the API and the tests all show the user the same words. A message of the core names the
field or parameter (``method``, ``outcome``), never a command-line flag.
"""

from __future__ import annotations

import difflib
import json
import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ConflictError",
    "ConvergenceError",
    "FetchError",
    "InputRejected",
    "KnowledgeBaseError",
    "NelmError",
    "NotFoundError",
    "Problem",
    "StoreError",
    "UnavailableError",
    "UnitError",
    "describe_value",
    "not_one_of",
    "where_raised",
]


class NelmError(Exception):
    """Base class of nelm's own errors."""

    exit_code: int = 1
    http_status: int = 500


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
    http_status = 422

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("InputRejected needs at least one problem")
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class UnitError(InputRejected, ValueError):
    """A value's unit is missing or cannot be converted to the case unit."""

    def __init__(self, expected: str, *, path: str = "unit", got: str = "") -> None:
        super().__init__([Problem(path, expected, got)])
        self.expected = expected


class ConvergenceError(InputRejected):
    """An iterative estimator did not converge on these studies (say which, and what else
    to try): the question is fine, the method does not suit the data."""

    def __init__(self, method: str, detail: str, alternatives: str) -> None:
        super().__init__(
            [
                Problem(
                    "method",
                    f"a method that converges on these studies ({detail}; {alternatives} may)",
                    method,
                )
            ]
        )


class KnowledgeBaseError(NelmError):
    """The packaged knowledge base failed its own validation: a defect, not user error."""

    exit_code = 1


class StoreError(NelmError):
    """Base of the case store's own errors."""


class NotFoundError(StoreError):
    """No such record."""

    exit_code = 2
    http_status = 404


class ConflictError(StoreError):
    """The write would break a uniqueness rule (e.g. a case id already in use)."""

    exit_code = 2
    http_status = 409


class FetchError(NelmError):
    """Another server could not be read (network error, an answer too large)."""

    http_status = 502


class UnavailableError(NelmError):
    """An optional part of nelm is not installed; the message says how to install it."""

    http_status = 503


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


def not_one_of(path: str, value: str, allowed: Sequence[str]) -> Problem:
    """A value outside a fixed list of names, with the name it most likely means
    (``tacee`` → did you mean tace?): named, never taken in its place."""
    spelled = value.strip().lower()
    # "resectable_pnet" for "resectable-pnet", "liver resection" for "liver_resection"
    tries = (spelled, spelled.replace("_", "-"), spelled.replace("-", "_").replace(" ", "_"))
    close = next(
        (hit for t in tries for hit in difflib.get_close_matches(t, list(allowed), 1, 0.7)), None
    )
    if close is None:
        # a name without its unit or detail: "orr" for orr_percent, "median_os" for
        # median_os_months; only when exactly one name begins so
        started = [a for a in allowed if any(a.startswith(t + "_") for t in tries if t)]
        close = started[0] if len(started) == 1 else None
    got = f"{value} (did you mean {close}?)" if close else value
    return Problem(path, f"must be one of {', '.join(allowed)}", got)


def where_raised(exc: BaseException, frames: int = 8) -> str:
    """An unexpected exception for a log: its type and the lines it was raised through.

    Never its message, nor those of the exceptions it was raised from: a message can quote
    the input (a name, a date of birth, a value typed into a form) and patient data never
    goes into a log. The innermost frame comes first; the exceptions it was raised from
    (``__cause__``, ``__context__``) are named by type.
    """
    lines = [
        f"{os.path.basename(frame.filename)}:{frame.lineno} in {frame.name}"
        for frame in reversed(traceback.extract_tb(exc.__traceback__)[-frames:])
    ]
    text = f"{type(exc).__name__} at " + (" < ".join(lines) if lines else "?")
    seen, inner = {id(exc)}, exc.__cause__ or exc.__context__
    while inner is not None and id(inner) not in seen:
        seen.add(id(inner))
        text += f"; raised while handling {type(inner).__name__}"
        inner = inner.__cause__ or inner.__context__
    return text
