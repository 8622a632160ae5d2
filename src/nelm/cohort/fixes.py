"""The fix for a whole column, said once: for each field of a rejects file, its most
frequent kind of problem, worded without the cells.

A registry that writes a column its own way ("yes"/"no" for a boolean, "8.1 %" for a
number, "17 umol/L" in a mg/dL column) has every row rejected; the summary of ``nelm
batch`` then names the kind and its fix ("yes/no words: write true or false") so that the
researcher need not open the rejects file to learn it. The kind is read from the rejects
file's reasons, so every engine (they write the same rejects) prints the same lines.
The cells themselves and the case ids stay in the rejects file: a kind is built only from
the field's definition, nelm's own hint templates and its names of units, never from what
a cell holds, because the summary goes to standard output, which a job log may keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from nelm.case.fields import FIELD_BY_PATH

__all__ = ["FieldFix", "field_fixes", "problem_kind"]

# A number standing alone (a value: "15.2", "-3", "1,500"), not a digit inside a name
# ("mitoses_per_2mm2"): masked, so that the reasons of one kind become one text.
# (No look-behind: polars' regular expressions have none.)
_NUMBER = r"(^|[^\w.])[-+]?\d+(?:[.,]\d+)*"
_MASKED = "${1}N"
# The hint that ends a reason: "got "yes" (write true)"; one level of nested brackets.
_HINT = re.compile(r" \(((?:[^()]|\([^()]*\))*)\)$")
_CONVERTED = re.compile(r"^N (.+?) is N (.+?): write N")
_BOUND = re.compile(r"a bound: write ([a-z0-9_.]+):")
_TOP_LEVEL = frozenset({"case_id", "label", "schema_version"})
_LONGEST = 90

# nelm's hints (nelm.case.typed_values), by how they begin, and the kind each names.
_HINT_KINDS: tuple[tuple[str, str], ...] = (
    ("write true", "yes/no words — write true or false"),
    ("write false", "yes/no words — write true or false"),
    ("not known:", "words for not known — leave the cell empty"),
    ("a decimal comma", "decimal commas — write a decimal point"),
    ("write a decimal point", "decimal commas — write a decimal point"),
    ("write it without the thousands separator", "thousands separators — leave them out"),
    ("write it as a number, not text", "numbers held as text — store them as numbers"),
    ("a range:", "ranges — see the rejects file for how to write each"),
    ("a date", "dates where a number is asked — see the rejects file"),
    ("an estimate:", "estimates (~, about) — write the number alone"),
    ("a list, even of one", "single values — write a list"),
)


@dataclass(frozen=True, slots=True)
class FieldFix:
    """A field of the rejects file: its problems, its most frequent kind, and how many
    of its problems are of that kind."""

    field: str
    problems: int
    kind: str
    of_kind: int


def problem_kind(field: str, reason: str) -> str:
    """The kind of a rejects line's problem and its fix, without the cell's value
    (``reason`` may be given with the numbers after its "got" masked as ``N``)."""
    spec = FIELD_BY_PATH.get(field)
    if spec is None and field not in _TOP_LEVEL:
        return "see the rejects file"  # a record's or a file's line: its own words
    body = reason.split(": ", 1)[1] if reason.startswith(f"{field}: ") else reason
    # what was expected is the field's rule, kept whole ("between 0 and 100"); what came,
    # masked: the hints of one kind then read alike
    expected, _, got = body.partition(", got ")
    hint = _HINT.search(re.sub(_NUMBER, r"\1N", got))
    said = hint.group(1) if hint else ""
    if "without its unit" in said:
        unit = f" ({spec.unit})" if spec is not None and spec.unit else ""
        return f"numbers with their unit{unit} — write the number alone"
    if (converted := _CONVERTED.match(said)) is not None:
        # both names are nelm's: the unit it recognised and the field's own
        return f"numbers in {converted[1]} — write them in {converted[2]}"
    if (bound := _BOUND.match(said)) is not None:
        return f"bounds (<, >) — write them in {bound[1]}"
    for start, kind in _HINT_KINDS:
        if said.startswith(start):
            return kind
    # The field's rule, from its definition (never the cell): the fix is to meet it.
    return expected if len(expected) <= _LONGEST else expected[: _LONGEST - 1] + "…"


def field_fixes(rejects: Path, shown: int = 5) -> tuple[list[FieldFix], int]:
    """The ``shown`` fields with the most problems in a rejects file, most first, each
    with its most frequent kind (ties: the kind first in order of its words); and how
    many fields more have problems. The counts are the file's: a field's ``problems`` are
    its lines, as the summary's count by field."""
    masked = (
        pl.scan_csv(rejects, schema_overrides={"field": pl.String, "reason": pl.String}, glob=False)
        .select(
            pl.col("field").fill_null(""),
            pl.col("reason").fill_null("").str.splitn(", got ", 2).alias("parts"),
        )
        .select(
            "field",
            # the numbers of what came masked: a kind's reasons become one text
            pl.concat_str(
                pl.col("parts").struct.field("field_0"),
                pl.col("parts").struct.field("field_1").str.replace_all(_NUMBER, _MASKED),
                separator=", got ",
                ignore_nulls=True,
            ).alias("reason"),
        )
        .group_by("field", "reason")
        .len()
        .collect()
    )
    kinds: dict[str, dict[str, int]] = {}
    for field, reason, count in masked.iter_rows():
        by_kind = kinds.setdefault(field, {})
        kind = problem_kind(field, reason)
        by_kind[kind] = by_kind.get(kind, 0) + count
    fixes = []
    for field, by_kind in kinds.items():
        kind, of_kind = min(by_kind.items(), key=lambda item: (-item[1], item[0]))
        fixes.append(FieldFix(field, sum(by_kind.values()), kind, of_kind))
    fixes.sort(key=lambda fix: (-fix.problems, fix.field))
    return fixes[:shown], max(len(fixes) - shown, 0)
