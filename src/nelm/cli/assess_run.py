"""``nelm assess`` without the command-line library: what the command does, and the quick
reading of its arguments.

``nelm assess`` is the command people run most, often from scripts, one case at a time,
so it starts without importing typer (which brings click, pydantic and rich: two thirds
of the start-up time): :func:`parse_assess_args` reads the arguments of an ordinary call
and :func:`run_assess` does the work. Anything it does not read plainly — ``--help``, an
unknown or repeated option, a bad value — goes to the typer command
(``nelm.cli.assess``), which gives the usual help and error messages and then calls the
same :func:`run_assess`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from nelm.cli._common import fail, read_text, write_output
from nelm.errors import Problem, not_one_of

# The suffixes nelm batch reads (docs/cohorts.md): never a case document.
COHORT_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")

__all__ = ["Format", "example_names", "parse_assess_args", "run_assess"]


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


def example_names() -> list[str]:
    root = resources.files("nelm") / "examples"
    return sorted(p.name.removesuffix(".json") for p in root.iterdir() if p.name.endswith(".json"))


def _example_text(name: str) -> str:
    names = example_names()
    if name not in names:
        fail([not_one_of("--example", name, names)])
    return (resources.files("nelm") / "examples" / f"{name}.json").read_text("utf-8")


def run_assess(
    case: str | None,
    format: Format | None,
    output: str | None,
    example: str | None,
    width: int | None,
    as_of: str | None,
    *,
    evidence: bool = False,
    with_: str | None = None,
) -> None:
    """Assess one case: every option's status criterion by criterion, the plan, the gaps."""
    from nelm.service import assess_text

    if (case is None) == (example is None):
        fail(
            [
                Problem(
                    "CASE",
                    "a case file, '-' for standard input, or --example NAME (exactly one)",
                    "both" if case else "neither",
                )
            ]
        )
    if example is not None:
        text, source = _example_text(example), f"example {example}"
    else:
        assert case is not None
        from nelm.interop.fhir.size import max_bundle_bytes

        suffix = Path(case).suffix.lower()
        if suffix in COHORT_SUFFIXES:
            # A cohort file given to assess: say which command reads it rather than
            # "not a JSON object" (a Parquet file is not even text).
            fail(
                [
                    Problem(
                        case,
                        "a case document (JSON or YAML); a cohort file is read by nelm batch",
                        f"a {suffix} file (nelm batch {case} -o results.parquet)",
                    )
                ]
            )
        if Path(case).is_dir():
            # A folder of records (a FHIR export, Synthea's output): one row per patient
            fail(
                [
                    Problem(
                        case,
                        "a case file; a folder of FHIR records or a FHIR export is read by "
                        "nelm batch",
                        f"a folder (nelm batch {case} -o results.parquet --as-of YYYY-MM-DD)",
                    )
                ]
            )
        # A FHIR record may be large (20 MB by default); never read past the limit.
        text = read_text(case, max_bytes=max_bundle_bytes())
        source = "standard input" if case == "-" else case
    doc = assess_text(
        text,
        source=source,
        assessment_date=_assessment_date(as_of),
        require_confirmation=True,
        added=_added(with_) if with_ is not None else None,
        today=dt.date.today(),
    )
    chosen = format or (Format.text if sys.stdout.isatty() and output is None else Format.json)
    rendered: str | bytes
    if chosen is Format.json:
        rendered = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif chosen in (Format.html, Format.pdf):
        from nelm.report.html import evidence_for_report, render_html

        # The evidence tables are an appendix only when asked for: without them a report
        # is a few pages a board reads, with them about twenty-five.
        html = render_html(doc, evidence=evidence_for_report(doc) if evidence else {})
        if chosen is Format.html:
            rendered = html
        else:
            from nelm.report.pdf import html_to_pdf

            if output in (None, "-") and sys.stdout.isatty():
                fail([Problem("--format pdf", "-o FILE (or a pipe): PDF is binary", "a terminal")])
            rendered = html_to_pdf(html)
    else:
        from nelm.report.text import render_text

        if width is None:
            width = _text_width()
        rendered = render_text(doc, width=width, color=sys.stdout.isatty() and output is None)
    write_output(rendered, output)


def _text_width() -> int:
    """The terminal's width; a pipe or a file gets COLUMNS when it is set (``COLUMNS=80
    nelm assess case.json -f text | less``), else 100 columns."""
    columns = os.environ.get("COLUMNS", "")
    if not sys.stdout.isatty():
        return min(400, max(40, int(columns))) if columns.isdigit() else 100
    return shutil.get_terminal_size((100, 24)).columns


def _added(path: str) -> Any:
    """The case document of ``--with``: values a person adds to the case (most often to a
    FHIR record's: the surgeons' judgement, the liver's distribution)."""
    from nelm.interop.fhir.load import load_record_text
    from nelm.service import CASE_MAX_BYTES, Added

    text = read_text(path, max_bytes=CASE_MAX_BYTES)
    return Added(load_record_text(text, source=path, max_bytes=CASE_MAX_BYTES), path)


def _assessment_date(raw: str | None) -> dt.date:
    if raw is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail([Problem("--as-of", "must be a date YYYY-MM-DD", repr(raw))])


# The options of ``nelm assess`` that take a value, by every name typer knows them by.
_OPTIONS = {
    "--format": "format",
    "-f": "format",
    "--output": "output",
    "-o": "output",
    "--example": "example",
    "--width": "width",
    "--as-of": "as_of",
    "--with": "with_",
}


def parse_assess_args(args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments of :func:`run_assess` for an ordinary ``nelm assess`` call
    (``args`` after the word ``assess``), or None to leave the call to typer."""
    found: dict[str, Any] = {}
    positional: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token.startswith("-") and token != "-":
            name, equals, value = token.partition("=")
            if name not in _OPTIONS or _OPTIONS[name] in found:
                return None
            if not equals:
                following = next(tokens, None)
                if following is None:
                    return None
                value = following
            found[_OPTIONS[name]] = value
        else:
            positional.append(token)
    if len(positional) > 1:
        return None
    try:
        chosen = Format(found["format"].lower()) if "format" in found else None
        width = int(found["width"]) if "width" in found else None
    except ValueError:
        return None
    if width is not None and not 40 <= width <= 400:
        return None  # typer says what the range is
    return {
        "case": positional[0] if positional else None,
        "format": chosen,
        "output": found.get("output"),
        "example": found.get("example"),
        "width": width,
        "as_of": found.get("as_of"),
        "with_": found.get("with_"),
    }
