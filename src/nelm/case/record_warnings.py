"""What the record a case was read from said about any assessment of it (``record_warnings``),
a case-v1 addition.

A FHIR record can say something no field of a case holds and every reader must see first:
the patient has died, or no neuroendocrine neoplasm is recorded at all (the record may be
another cancer's). ``nelm assess`` says so on top of the assessment of the record; once the
tumour board has stored the case read from it, the record is gone, and the saved case would
otherwise be assessed as an ordinary NET case. So the case keeps these sentences in
``record_warnings``, and every assessment of it puts them first among its warnings. They are
the record's words, not values: nothing is decided from them, and a user removes one by
editing the case (the version before keeps it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from nelm.errors import Problem, describe_value

__all__ = [
    "MAX_RECORD_WARNINGS",
    "MAX_RECORD_WARNING_CHARS",
    "read_record_warnings",
    "record_warnings_to_keep",
    "warning_said",
]

MAX_RECORD_WARNINGS = 20
MAX_RECORD_WARNING_CHARS = 2000

# The opening record_warnings_to_keep's callers give it (nelm.web.case_import).
_SOURCE = re.compile(r"^The FHIR record “.*?” read for \d{4}-\d{2}-\d{2}: ", re.DOTALL)


def read_record_warnings(raw: Any, problems: list[Problem]) -> tuple[str, ...]:
    """The ``record_warnings`` list, checked: at most 20 sentences of text, each 1–2,000
    characters; the same sentence twice is kept once."""
    if raw is None:
        return ()
    expected = (
        f"a list of at most {MAX_RECORD_WARNINGS} sentences of text, each of 1–"
        f"{MAX_RECORD_WARNING_CHARS:,} characters"
    )
    if not isinstance(raw, list) or len(raw) > MAX_RECORD_WARNINGS:
        problems.append(Problem("record_warnings", expected, describe_value(raw)))
        return ()
    kept: list[str] = []
    for index, item in enumerate(raw):
        text = item.strip() if isinstance(item, str) else None
        if not text or len(text) > MAX_RECORD_WARNING_CHARS:
            problems.append(Problem(f"record_warnings[{index}]", expected, describe_value(item)))
            continue
        kept.append(text)
    return tuple(dict.fromkeys(kept))


def record_warnings_to_keep(warnings: Iterable[str], source: str) -> list[str]:
    """A record's warnings as a stored case keeps them: each opens with ``source``, the
    record it came from (the case outlives the record and may be edited since), and is cut
    to the length a case holds."""
    kept = []
    for warning in warnings:
        text = f"{source}: {warning}"
        if len(text) > MAX_RECORD_WARNING_CHARS:
            text = text[: MAX_RECORD_WARNING_CHARS - 1].rstrip() + "…"
        kept.append(text)
    return list(dict.fromkeys(kept))[:MAX_RECORD_WARNINGS]


def warning_said(text: str) -> str:
    """What a kept warning says, without the record and date it opens with: the same
    record read again on a later date says the same thing, which is one warning, not two
    (and a case holds at most 20)."""
    return _SOURCE.sub("", text, count=1)
