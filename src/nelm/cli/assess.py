"""``nelm assess``: one case in, the assessment out."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from enum import StrEnum
from importlib import resources
from typing import Annotated

import typer

from nelm.cli._common import fail, read_text, write_output
from nelm.errors import Problem


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


def example_names() -> list[str]:
    root = resources.files("nelm") / "examples"
    return sorted(p.name.removesuffix(".json") for p in root.iterdir()
                  if p.name.endswith(".json"))


def _example_text(name: str) -> str:
    names = example_names()
    if name not in names:
        fail([Problem("--example", f"must be one of {', '.join(names)}", repr(name))])
    return (resources.files("nelm") / "examples" / f"{name}.json").read_text("utf-8")


def assess_command(
    case: Annotated[str | None, typer.Argument(
        help="Case file (JSON or YAML); '-' reads standard input.", show_default=False)] = None,
    format: Annotated[Format | None, typer.Option(
        "--format", "-f", help="text (default on a terminal), json (assessment-v1), html (a "
                                "self-contained printable report) or pdf (needs -o FILE or a "
                                "pipe).",
        case_sensitive=False)] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write to this file instead of standard output.")] = None,
    example: Annotated[str | None, typer.Option(
        "--example", help="Assess a packaged example case by name instead of a file.")] = None,
    width: Annotated[int | None, typer.Option(
        help="Width of the text report (default: the terminal's, else 100).",
        min=40, max=400, show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Assessment date (YYYY-MM-DD) for a FHIR Bundle: dates the age and "
                        "the results; default today.")] = None,
) -> None:
    """Assess one case: every option's status criterion by criterion, the plan, the gaps."""
    from nelm.service import assess_text

    if (case is None) == (example is None):
        fail([Problem("CASE", "a case file, '-' for standard input, or --example NAME "
                              "(exactly one)", "both" if case else "neither")])
    if example is not None:
        text, source = _example_text(example), f"example {example}"
    else:
        assert case is not None
        from nelm.interop.fhir.size import max_bundle_bytes

        # A FHIR record may be large (20 MB by default); never read past the limit.
        text = read_text(case, max_bytes=max_bundle_bytes())
        source = "standard input" if case == "-" else case
    doc = assess_text(text, source=source, assessment_date=_assessment_date(as_of),
                      require_confirmation=True)
    chosen = format or (Format.text if sys.stdout.isatty() and output is None else Format.json)
    rendered: str | bytes
    if chosen is Format.json:
        rendered = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif chosen in (Format.html, Format.pdf):
        from nelm.report.html import evidence_for_report, render_html

        html = render_html(doc, evidence=evidence_for_report(doc))
        if chosen is Format.html:
            rendered = html
        else:
            from nelm.report.pdf import html_to_pdf

            if output in (None, "-") and sys.stdout.isatty():
                fail([Problem("--format pdf", "-o FILE (or a pipe): PDF is binary",
                              "a terminal")])
            rendered = html_to_pdf(html)
    else:
        from nelm.report.text import render_text

        if width is None:
            width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
        rendered = render_text(doc, width=width,
                               color=sys.stdout.isatty() and output is None)
    write_output(rendered, output)


def _assessment_date(raw: str | None) -> dt.date:
    if raw is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        fail([Problem("--as-of", "must be a date YYYY-MM-DD", repr(raw))])


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
