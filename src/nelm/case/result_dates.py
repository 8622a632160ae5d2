"""The date of the result behind a value (``measured_on``), a case-v1 addition.

A value copied from a record — a creatinine, an ECOG score — is only as good as its date:
a two-year-old platelet count must not decide PRRT unseen. ``measured_on`` maps a field
path to the date (YYYY-MM-DD) of the result its value came from; the tumour board keeps the
dates a FHIR record gave (``nelm.web.case_import``) and shows them beside the values. With
the case's own date (``timeline.as_of``) the assessment names every laboratory value and
ECOG measured more than 90 days before it, as ``nelm assess`` names them for a record: the
team's rule (docs/fhir-mapping.md). The core reads no clock: without ``as_of`` there is
nothing to measure the age against, and nothing is said.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from nelm.case.fields import FIELD_BY_PATH
from nelm.errors import Problem, describe_value

__all__ = [
    "RESULT_RECENT_DAYS",
    "is_result_field",
    "old_results_sentence",
    "old_results_warning",
    "read_measured_on",
    "with_result_dates",
]

RESULT_RECENT_DAYS = 90
"""Laboratory values and ECOG older than this before the case's date are named."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def is_result_field(path: str) -> bool:
    """A laboratory value or the ECOG performance status: results that age."""
    return path.startswith("labs.") or path == "patient.ecog"


def _date(text: Any) -> dt.date | None:
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def read_measured_on(
    raw: Any, values: Mapping[str, Any], as_of: str | None, problems: list[Problem]
) -> dict[str, str]:
    """The ``measured_on`` object, checked: each key a field of the case that has a value,
    each date a real day and not after the case's date."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(
                "measured_on",
                'must be an object of field path → date (e.g. {"labs.creatinine_mg_dl": '
                '"2026-11-20"})',
                describe_value(raw),
            )
        )
        return {}
    case_date = _date(as_of)
    dated: dict[str, str] = {}
    for path, written in raw.items():
        where = f"measured_on.{path}"
        # YAML reads an unquoted date as a date, as timeline.as_of takes it
        text = written.isoformat()[:10] if isinstance(written, dt.date) else written
        if not isinstance(path, str) or path not in FIELD_BY_PATH:
            problems.append(Problem(where, "must name a field of the case", "an unknown field"))
        elif path not in values:
            problems.append(Problem(where, "must date a field with a value", "an unknown value"))
        elif (day := _date(text)) is None:
            problems.append(Problem(where, "must be a date YYYY-MM-DD", describe_value(text)))
        elif case_date is not None and day > case_date:
            problems.append(
                Problem(where, f"must not be after the case's date (timeline.as_of {as_of})", text)
            )
        else:
            dated[path] = text
    return dated


def old_results_sentence(old: Mapping[str, str], reference: str, what: str) -> str | None:
    """One warning naming each field of ``old`` (path → date) with its date."""
    if not old:
        return None
    named = ", ".join(f"{FIELD_BY_PATH[path].label} ({day})" for path, day in old.items())
    return (
        f"Results more than {RESULT_RECENT_DAYS} days before {what} ({reference}) are used: "
        f"{named}. Repeat them before a decision turns on them."
    )


def old_results_warning(measured_on: Mapping[str, str], as_of: str | None) -> str | None:
    """The laboratory values and ECOG measured more than 90 days before the case's date."""
    case_date = _date(as_of)
    if case_date is None or as_of is None:
        return None
    old = {
        path: day
        for path, day in measured_on.items()
        if is_result_field(path)
        and (measured := _date(day)) is not None
        and (case_date - measured).days > RESULT_RECENT_DAYS
    }
    return old_results_sentence(old, as_of, "the case's date")


def with_result_dates(
    document: Mapping[str, Any], result_dates: Mapping[str, str], assessment_date: dt.date
) -> dict[str, Any]:
    """A record's case as the board stores it: with the date of each result (``measured_on``)
    and the date it was read for as the case's date (``timeline.as_of``), so that the stored
    case still names a laboratory value older than 90 days when it is opened weeks later
    (above); ``nelm assess`` names them from the record itself. The tumour board's import of
    a record (``nelm.web.case_import``) and the CDS Hooks service store a record's case so."""
    as_of = assessment_date.isoformat()
    dated = dict(document)
    present = {
        f"{section}.{name}"
        for section, body in document.items()
        if isinstance(body, Mapping)
        for name in body
    }
    measured_on = {p: d for p, d in result_dates.items() if p in present and d <= as_of}
    if measured_on:
        dated["measured_on"] = measured_on
    if not isinstance(document.get("timeline"), Mapping):
        dated["timeline"] = {"as_of": as_of}
    return dated
