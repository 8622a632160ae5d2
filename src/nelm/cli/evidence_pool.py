"""``nelm evidence pool``: one pooled percentage (or a summary of medians) per modality.

The analysis itself is ``nelm.evidence.analyses.pool`` (the web pages, the API and the
assessment's evidence summary call the same function); this module checks the options and
formats the document. Which records enter the statistic, and why the others are set aside,
is decided by ``nelm.evidence.selection`` (its docstring lists the rules); every record set
aside is listed in the output with its reason.

Percentages are pooled (``nelm.evidence.pooling.pool_proportions``; events
``round(percent × n / 100)`` half up). Medians (``*_months``) are summarised, never pooled
(``summarise_medians``). numpy, scipy and matplotlib are imported inside the command.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from nelm.cli._common import write_output
from nelm.errors import InputRejected, Problem, not_one_of
from nelm.evidence.analyses import METHODS
from nelm.evidence.flag_words import without_flag_codes
from nelm.evidence.selection import is_median_outcome
from nelm.knowledge.sources import ReferenceList, cite_plain, reference_lines

FORMATS: Final = ("text", "json")
FOREST_SUFFIXES: Final = (".svg", ".png")


def register(evidence_app: typer.Typer) -> None:
    """Add this command to ``nelm evidence``."""

    @evidence_app.command("pool")
    def pool(
        modality: Annotated[
            str, typer.Option("--modality", help="Option id, e.g. liver_resection, tace, prrt.")
        ],
        outcome: Annotated[
            str, typer.Option("--outcome", help="Outcome name, e.g. os_5y_percent.")
        ],
        method: Annotated[
            str, typer.Option("--method", help="τ² estimator: REML, DL, PM or FE (fixed effect).")
        ] = "REML",
        knapp_hartung: Annotated[
            bool,
            typer.Option("--knapp-hartung", help="Knapp–Hartung CI (t distribution, k − 1 df)."),
        ] = False,
        population: Annotated[
            str | None, typer.Option("--population", help="Only this population, e.g. pnet.")
        ] = None,
        design: Annotated[
            str | None, typer.Option("--design", help="Only this design, e.g. retrospective.")
        ] = None,
        year_from: Annotated[
            int | None, typer.Option("--year-from", help="Only studies published from this year.")
        ] = None,
        year_to: Annotated[
            int | None, typer.Option("--year-to", help="Only studies published up to this year.")
        ] = None,
        output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
        forest: Annotated[
            str | None,
            typer.Option(
                "--forest", help="Also draw a forest plot to FILE.svg or FILE.png.", metavar="FILE"
            ),
        ] = None,
    ) -> None:
        """Pooled percentage (random effects on the logit scale) with a forest plot.

        Medians are summarised (n-weighted median of the medians, range), not pooled.
        """
        run(
            modality=modality,
            outcome=outcome,
            method=method,
            knapp_hartung=knapp_hartung,
            population=population,
            design=design,
            year_from=year_from,
            year_to=year_to,
            output_format=output_format,
            forest=forest,
        )


# ---------------------------------------------------------------------------- text

_METHOD_TEXT: Final = {
    "REML": "random effects, REML τ²",
    "DL": "random effects, DerSimonian–Laird τ²",
    "PM": "random effects, Paule–Mandel τ²",
    "FE": "fixed (common) effect",
}


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _heading(report: Mapping[str, Any]) -> str:
    return str(report["title"])


def _filters_text(filters: Mapping[str, Any]) -> str:
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in filters.items() if v is not None]
    return "; ".join(parts)


def _selection_lines(report: Mapping[str, Any], outcome: str, refs: ReferenceList) -> list[str]:
    def cite(text: str) -> str:
        return cite_plain(text, refs)

    lines: list[str] = []
    duplicates: list[dict[str, Any]] = report["duplicates"]
    if duplicates:
        lines += [
            "",
            "Same arm in more than one source: one record per study used "
            "(a table before running text, then the lower seed number)",
        ]
        for d in duplicates:
            others = ", ".join(f"{i} ({cite(d['sources'][i])})" for i in d["not_used"])
            values = {v for v in d["values"].values()}
            differ = ""
            if len(values) > 1:
                differ = "; values differ: " + ", ".join(
                    f"{d['values'][i]:g} ({cite(d['sources'][i])})" for i in d["values"]
                )
            lines.append(
                f"  {d['study_key']}: used {d['used']} ({cite(d['sources'][d['used']])}); "
                f"not used {others}{differ}"
            )
    excluded: list[dict[str, Any]] = report["excluded"]
    if excluded:
        lines += ["", f"Excluded ({len(excluded)})"]
        for e in excluded:
            value = "" if e["value"] is None else f" [{outcome} {e['value']:g}]"
            lines.append(
                f"  {e['label']}{value} — {without_flag_codes(e['reason'])} "
                f"({cite(e['source_text'])})"
            )
    return lines


def _caution_lines(report: Mapping[str, Any], refs: ReferenceList) -> list[str]:
    """The cautions printed beside the estimate (patient counts that differ between
    sources, selected subgroups, what the reviews themselves say across studies)."""
    cautions: list[str] = list(report.get("cautions") or ())
    if not cautions:
        return []
    return (
        ["Cautions"] + [f"  ! {cite_plain(without_flag_codes(c), refs)}" for c in cautions] + [""]
    )


def format_pool_text(report: Mapping[str, Any]) -> str:
    """A pooled result as text for a terminal; sources by author and year, listed at
    the end."""
    refs = ReferenceList()
    method = _METHOD_TEXT.get(str(report["method"]), str(report["method"]))
    if report["knapp_hartung"]:
        method += f", Knapp–Hartung (t, {report['df']} df)"
    lines = [
        _heading(report),
        f"Pooled percentage: {method}; logit scale, back-transformed; 95% intervals",
    ]
    filters = _filters_text(report["filters"])
    if filters:
        lines.append(f"Filters: {filters}")
    lines += [
        "",
        f"  Estimate             {report['estimate']:.1f}%  "
        f"(95% CI {report['ci_low']:.1f}–{report['ci_high']:.1f}%)",
    ]
    if report["pi_low"] is not None:
        lines.append(
            f"  Prediction interval  {report['pi_low']:.1f}–{report['pi_high']:.1f}%  "
            "(where the true value of a new, similar study is expected)"
        )
    lines += [
        f"  Heterogeneity        τ² = {report['tau2']:.3f}, I² = {report['i2']:.1f}%, "
        f"H² = {report['h2']:.2f}, Q = {report['q']:.2f} (df {report['q_df']}), "
        f"{_p(report['q_p'])}",
        f"  Studies              k = {report['k']}, {report['n_total']} patients",
        "",
    ]
    lines += _caution_lines(report, refs)
    rows = [("Study", "n", "events", "reported %", "95% CI", "weight", "source")]
    for s in report["studies"]:
        mark = " †" if s["continuity_corrected"] else ""
        rows.append(
            (
                s["label"] + mark,
                str(s["n"]),
                f"{s['events']}/{s['n']}",
                f"{s['reported_percent']:g}",
                f"{s['ci_low']:.1f}–{s['ci_high']:.1f}",
                f"{s['weight_percent']:.1f}%",
                cite_plain(s["source_text"], refs),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [r[0].ljust(widths[0])]
        cells += [r[i].rjust(widths[i]) for i in range(1, 6)]
        cells.append(r[6])
        lines.append(("  " + "  ".join(cells)).rstrip())
    corrected = [s for s in report["studies"] if s["continuity_corrected"]]
    if corrected:
        modelled = "; ".join(
            f"{s['events']}/{s['n']} as {s['events'] + 0.5:g}/{s['n'] + 1} = "
            f"{s['model_percent']:.1f}%"
            for s in corrected
        )
        lines.append(
            "  † 0 or all patients with the event: 0.5 added to both cells for the model, "
            f"so the CI is that of {modelled}"
        )
    lines += _selection_lines(report, str(report["outcome"]), refs)
    if report["notes"]:
        lines += ["", "Notes"] + [
            f"  - {cite_plain(without_flag_codes(note), refs)}" for note in report["notes"]
        ]
    lines += reference_lines(refs)
    return "\n".join(lines) + "\n"


def format_median_text(report: Mapping[str, Any]) -> str:
    """A summary of medians as text for a terminal (says it is not pooled); sources by
    author and year, listed at the end."""
    refs = ReferenceList()
    unit = "months"
    lines = [
        _heading(report),
        "Not pooled: medians are summarised (n-weighted median of the study medians and "
        "their range), not combined as if they were means.",
    ]
    filters = _filters_text(report["filters"])
    if filters:
        lines.append(f"Filters: {filters}")
    low, high = report["sign_test_ci"]
    interval = (
        f"{low:g}–{high:g} {unit} (distribution-free, "
        f"{100 * report['sign_test_coverage']:.1f}% coverage)"
        if low is not None
        else "not available (fewer than 6 studies)"
    )
    lines += [
        "",
        f"  n-weighted median of medians  {report['weighted_median']:g} {unit}",
        f"  Range of study medians        {report['minimum']:g}–{report['maximum']:g} {unit}",
        f"  Interval for the median       {interval}",
        f"  Studies                       k = {report['k']}, {report['n_total']} patients",
        "",
    ]
    lines += _caution_lines(report, refs)
    rows = [("Study", "n", "median", "source")]
    rows += [
        (s["label"], str(s["n"]), f"{s['median']:g}", cite_plain(s["source_text"], refs))
        for s in report["studies"]
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        lines.append(
            (
                "  "
                + "  ".join(
                    [r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].rjust(widths[2]), r[3]]
                )
            ).rstrip()
        )
    lines += _selection_lines(report, str(report["outcome"]), refs)
    if report["notes"]:
        lines += ["", "Notes"] + [
            f"  - {cite_plain(without_flag_codes(note), refs)}" for note in report["notes"]
        ]
    lines += reference_lines(refs)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- run


def _check_options(
    *,
    modality: str,
    outcome: str,
    method: str,
    population: str | None,
    design: str | None,
    year_from: int | None,
    year_to: int | None,
    output_format: str,
    forest: str | None,
) -> None:
    from nelm.evidence.records import DESIGNS, MODALITIES, OUTCOMES, POPULATIONS

    problems: list[Problem] = []

    def one_of(path: str, value: str | None, allowed: Sequence[str]) -> None:
        if value is not None and value not in allowed:
            problems.append(not_one_of(path, value, allowed))

    one_of("--modality", modality, MODALITIES)
    one_of("--outcome", outcome, OUTCOMES)
    one_of("--method", method, METHODS)
    one_of("--population", population, POPULATIONS)
    one_of("--design", design, DESIGNS)
    one_of("--format", output_format, FORMATS)
    if year_from is not None and year_to is not None and year_from > year_to:
        problems.append(Problem("--year-to", f"a year ≥ --year-from {year_from}", str(year_to)))
    if forest is not None:
        target = Path(forest)
        if is_median_outcome(outcome):
            problems.append(
                Problem(
                    "--forest",
                    "a percentage outcome (medians are summarised, "
                    "not pooled, so there is no forest plot)",
                    outcome,
                )
            )
        elif target.suffix.lower() not in FOREST_SUFFIXES:
            problems.append(Problem("--forest", "a file name ending in .svg or .png", forest))
        elif not (target.parent if str(target.parent) else Path(".")).is_dir():
            problems.append(Problem("--forest", "a file in an existing directory", forest))
    if problems:
        raise InputRejected(problems)


def run(
    *,
    modality: str,
    outcome: str,
    method: str = "REML",
    knapp_hartung: bool = False,
    population: str | None = None,
    design: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    output_format: str = "text",
    forest: str | None = None,
) -> None:
    """Check the options, select the records, pool (or summarise), print and draw."""
    _check_options(
        modality=modality,
        outcome=outcome,
        method=method,
        population=population,
        design=design,
        year_from=year_from,
        year_to=year_to,
        output_format=output_format,
        forest=forest,
    )
    from nelm.evidence.analyses import Filters, forest_plot, pool

    analysis = pool(
        modality,
        outcome,
        method=method,
        knapp_hartung=knapp_hartung,
        filters=Filters(population, design, year_from, year_to),
    )
    report = dict(analysis.document)
    if analysis.result is None:
        text = format_median_text(report)
    else:
        text = format_pool_text(report)
        if forest is not None:
            write_output(forest_plot(analysis, Path(forest).suffix.lower().lstrip(".")), forest)

    if output_format == "json":
        write_output(json.dumps(report, ensure_ascii=False, indent=2) + "\n", None)
    else:
        write_output(text, None)
    if forest is not None:
        typer.echo(f"forest plot written to {forest}", err=True)
