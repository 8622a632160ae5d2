"""``nelm evidence survival``: approximate survival curves from published summary figures.

For every evidence record of one modality, a Weibull curve through the arm's published
median and landmark rates, or the reason none was fitted: ``nelm.evidence.analyses.survival``
(the web's survival plot calls the same function); this module checks and formats.
Optional figure (SVG or PNG). numpy and matplotlib are imported inside the command, so
registering it costs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from nelm.cli._common import write_output
from nelm.errors import InputRejected, Problem, not_one_of
from nelm.vocabulary import vocabulary

FORMATS: Final = ("text", "json")
PLOT_SUFFIXES: Final = (".svg", ".png")

_OUTCOME_NAMES: Final = vocabulary().survival_kinds


def register(evidence_app: typer.Typer) -> None:
    """Add this command to ``nelm evidence``."""

    @evidence_app.command("survival")
    def survival(
        modality: Annotated[
            str,
            typer.Option(
                "--modality", help="Option id of the treatment, e.g. liver_resection, tace, prrt."
            ),
        ],
        kind: Annotated[
            str,
            typer.Option(
                "--kind", help="Outcome: os (overall) or pfs (progression-free survival)."
            ),
        ] = "os",
        output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
        high_grade: Annotated[
            bool,
            typer.Option(
                "--high-grade",
                help="Also draw the arms of high-grade populations (NEC, G3), marked as "
                "such; by default they are listed as not drawn, as the pools leave them out.",
            ),
        ] = False,
        plot: Annotated[
            str | None,
            typer.Option(
                "--plot", help="Also draw the curves into FILE.svg or FILE.png.", metavar="FILE"
            ),
        ] = None,
    ) -> None:
        """Approximate survival curves (Weibull) from published medians and landmark rates.

        Literature approximations, not Kaplan–Meier estimates; not patient-level data.
        Arms with fewer than two anchors are listed with the reason, not drawn.
        """
        run(
            modality=modality,
            kind=kind,
            output_format=output_format,
            plot=plot,
            high_grade=high_grade,
        )


def run(
    *, modality: str, kind: str, output_format: str, plot: str | None, high_grade: bool = False
) -> None:
    """Check the options, fit every arm of ``modality`` and print (and draw) the result."""
    from nelm.evidence.records import MODALITIES
    from nelm.evidence.survival import KINDS

    modalities = tuple(MODALITIES)
    problems: list[Problem] = []
    if modality not in modalities:
        problems.append(not_one_of("--modality", modality, modalities))
    if kind not in KINDS:
        problems.append(not_one_of("--kind", kind, KINDS))
    if output_format not in FORMATS:
        problems.append(not_one_of("--format", output_format, FORMATS))
    if plot is not None:
        target = Path(plot)
        if target.suffix.lower() not in PLOT_SUFFIXES:
            problems.append(Problem("--plot", "a file name ending in .svg or .png", plot))
        elif not (target.parent if str(target.parent) else Path(".")).is_dir():
            problems.append(Problem("--plot", "a file in an existing directory", plot))
    if problems:
        raise InputRejected(problems)

    from nelm.evidence.analyses import survival, survival_plot

    analysis = survival(modality, kind, high_grade=high_grade)
    report = dict(analysis.document)
    if output_format == "json":
        write_output(json.dumps(report, ensure_ascii=False, indent=2) + "\n", None)
    else:
        write_output(format_text(report), None)
    if plot is not None:
        write_output(survival_plot(analysis, Path(plot).suffix.lower().lstrip(".")), plot)
        typer.echo(f"plot written to {plot}", err=True)


def _bounds_text(bounds: Sequence[float] | None) -> str:
    if bounds is None:
        return ""
    return f" ({bounds[0]:.2f}–{bounds[1]:.2f} within the published rounding)"


def format_text(report: Mapping[str, Any]) -> str:
    """The report as text for a terminal; sources by author and year, listed at the end."""
    from nelm.evidence.flag_words import flag_sentences, without_flag_codes
    from nelm.knowledge.sources import ReferenceList, cite_plain, reference_lines
    from nelm.vocabulary import modality_title

    refs = ReferenceList()
    kind = str(report["kind"])
    outcome = _OUTCOME_NAMES.get(kind, kind)
    curves: list[dict[str, Any]] = report["curves"]
    skipped: list[dict[str, Any]] = report["skipped"]
    lines = [
        f"Approximate {outcome} after {modality_title(str(report['modality']))}: "
        "Weibull curves through published medians and landmark rates",
        "Literature approximations, not Kaplan–Meier estimates; not patient-level data.",
        "",
    ]
    if curves:
        lines.append(f"Curves ({len(curves)})")
    else:
        lines.append("Curves: none (no arm reports two or more usable anchors)")
    for curve in curves:
        low, high = curve["range_months"]
        lines += [
            f"  {curve['label']}  [{curve['id']}]",
            f"    shape k = {curve['shape']:.2f}{_bounds_text(curve['shape_bounds'])}, "
            f"scale λ = {curve['scale_months']:.1f} mo, "
            f"drawn {low:g}–{high:g} mo (to {curve['range_basis']}), "
            f"RMSE (cloglog) {curve['rmse_cloglog']:.3f}",
            "    anchors: "
            + "; ".join(
                f"{a['label']} (curve {a['fitted_percent']:.1f}%)" for a in curve["anchors"]
            ),
            f"    source: {cite_plain(curve['source_text'], refs)}",
        ]
        # the flags in words (the JSON keeps the codes)
        lines += [f"    about the figures: {w}" for w in flag_sentences(curve["flags"])]
        lines += [
            f"    note: {cite_plain(without_flag_codes(note), refs)}" for note in curve["notes"]
        ]
    lines.append("")
    if skipped:
        lines.append(f"Skipped ({len(skipped)})")
        lines += [f"  {item['id']}: {without_flag_codes(item['reason'])}" for item in skipped]
    else:
        lines.append("Skipped: none")
    lines += reference_lines(refs)
    return "\n".join(lines) + "\n"
