"""``nelm assess``: one case in, the assessment out (the typer command; the work is
done by ``nelm.cli.assess_run``, which also reads ordinary calls without typer)."""

from __future__ import annotations

from typing import Annotated

import typer

from nelm.cli.assess_run import Format, example_names, run_assess

__all__ = ["Format", "assess_command", "example_names", "register"]


def assess_command(
    case: Annotated[
        str | None,
        typer.Argument(
            help="Case file (JSON or YAML), or a FHIR R4 record (a Bundle in JSON or XML, or "
            "one patient's NDJSON); '-' reads standard input.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text (default on a terminal), json (assessment-v1), html (a "
            "self-contained printable report) or pdf (needs -o FILE or a "
            "pipe).",
            case_sensitive=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output."),
    ] = None,
    example: Annotated[
        str | None,
        typer.Option("--example", help="Assess a packaged example case by name instead of a file."),
    ] = None,
    width: Annotated[
        int | None,
        typer.Option(
            help="Width of the text report (default: the terminal's; on a pipe COLUMNS, else 100).",
            min=40,
            max=400,
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Assessment date (YYYY-MM-DD) for a FHIR Bundle: dates the age and "
            "the results; default today.",
        ),
    ] = None,
    evidence: Annotated[
        bool,
        typer.Option(
            "--evidence",
            help="Append the published evidence of every option to an html or pdf report.",
        ),
    ] = False,
    with_: Annotated[
        str | None,
        typer.Option(
            "--with",
            help="A case document (JSON or YAML) of values to add to the case, replacing "
            "its own: what a FHIR record does not hold, such as the surgeons' judgement.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Assess one case: every option's status criterion by criterion, the plan, the gaps."""
    run_assess(case, format, output, example, width, as_of, evidence=evidence, with_=with_)


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
