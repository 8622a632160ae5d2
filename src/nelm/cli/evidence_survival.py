"""``nelm evidence survival``: approximate survival curves from published summary figures.

For every evidence record of one modality, a Weibull curve through the arm's published
median and landmark rates (see ``nelm.evidence.survival``), or the reason none was
fitted. Optional figure (SVG or PNG). numpy and matplotlib are imported inside the
command, so registering it costs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer

from nelm.cli._common import write_output
from nelm.errors import InputRejected, Problem
from nelm.evidence.records import arm_label, source_text
from nelm.vocabulary import vocabulary

if TYPE_CHECKING:
    from nelm.evidence.records import EvidenceRecord
    from nelm.evidence.survival import FitRefused, WeibullFit

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
        run(modality=modality, kind=kind, output_format=output_format, plot=plot)


def run(*, modality: str, kind: str, output_format: str, plot: str | None) -> None:
    """Check the options, fit every arm of ``modality`` and print (and draw) the result."""
    from nelm.evidence.records import MODALITIES, records_for
    from nelm.evidence.survival import KINDS

    modalities = tuple(MODALITIES)
    problems: list[Problem] = []
    if modality not in modalities:
        problems.append(Problem("--modality", f"must be one of {', '.join(modalities)}", modality))
    if kind not in KINDS:
        problems.append(Problem("--kind", f"must be one of {', '.join(KINDS)}", kind))
    if output_format not in FORMATS:
        problems.append(Problem("--format", f"must be one of {', '.join(FORMATS)}", output_format))
    if plot is not None:
        target = Path(plot)
        if target.suffix.lower() not in PLOT_SUFFIXES:
            problems.append(Problem("--plot", "a file name ending in .svg or .png", plot))
        elif not (target.parent if str(target.parent) else Path(".")).is_dir():
            problems.append(Problem("--plot", "a file in an existing directory", plot))
    if problems:
        raise InputRejected(problems)

    records = sorted(
        records_for(modality=modality), key=lambda r: (r.year or 0, r.author, r.study_key, r.id)
    )
    fitted = _fit_all(records, kind)
    report = build_report(fitted, modality=modality, kind=kind)
    if output_format == "json":
        write_output(json.dumps(report, ensure_ascii=False, indent=2) + "\n", None)
    else:
        write_output(format_text(report), None)
    if plot is not None:
        write_output(_render_plot(fitted, report, plot), plot)
        typer.echo(f"plot written to {plot}", err=True)


def _arm_label(record: EvidenceRecord) -> str:
    return arm_label(record) + (f" · n = {record.n}" if record.n else "")


def _fit_all(
    records: Sequence[EvidenceRecord], kind: str
) -> list[tuple[EvidenceRecord, WeibullFit | FitRefused]]:
    from nelm.evidence.survival import fit_record

    return [(record, fit_record(record, kind)) for record in records]


def _range_basis(fit: WeibullFit, follow_up: float | None) -> str:
    last = max(fit.anchors, key=lambda a: a.months)
    if follow_up is not None and follow_up > last.months:
        return f"median follow-up {follow_up:g} mo"
    return last.label


def build_report(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]], *, modality: str, kind: str
) -> dict[str, Any]:
    """The command's result as plain data (what ``--format json`` prints)."""
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CAPTION

    curves: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for record, result in fitted:
        who = {
            "id": record.id,
            "study_key": record.study_key,
            "author": record.author,
            "year": record.year,
            "arm": record.arm,
        }
        if not isinstance(result, WeibullFit):
            skipped.append({**who, "code": str(result.code), "reason": result.reason})
            continue
        curves.append(
            {
                **who,
                "label": _arm_label(record),
                "design": record.design,
                "population": record.population,
                "n": record.n,
                "shape": round(result.shape, 4),
                "shape_bounds": (
                    None
                    if result.shape_bounds is None
                    else [round(result.shape_bounds[0], 4), round(result.shape_bounds[1], 4)]
                ),
                "scale_months": round(result.scale_months, 2),
                "range_months": [0, round(result.max_months, 2)],
                "range_basis": _range_basis(result, record.follow_up_months),
                "rmse_cloglog": round(result.rmse_cloglog, 4),
                "anchors": [
                    {
                        "label": a.label,
                        "months": a.months,
                        "survival_percent": round(100 * a.survival, 2),
                        "fitted_percent": round(100 * fitted, 1),
                    }
                    for a, fitted in zip(result.anchors, result.fitted_at_anchors(), strict=True)
                ],
                "source": dict(record.source),
                "source_text": source_text(record.source),
                "flags": list(record.flags),
                "notes": list(result.notes),
            }
        )
    return {
        "modality": modality,
        "kind": kind,
        "method": (
            "Weibull S(t) = exp(-(t/scale)^shape), least squares on the "
            "complementary log-log scale through the published median and landmark "
            "rates; drawn from 0 to the last reported time point only"
        ),
        "caption": CAPTION,
        "curves": curves,
        "skipped": skipped,
    }


def _bounds_text(bounds: Sequence[float] | None) -> str:
    if bounds is None:
        return ""
    return f" ({bounds[0]:.2f}–{bounds[1]:.2f} within the published rounding)"


def format_text(report: Mapping[str, Any]) -> str:
    """The report as text for a terminal."""
    from nelm.evidence.survival_plot import modality_title

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
            f"    source: {curve['source_text']}",
        ]
        if curve["flags"]:
            lines.append(f"    flags: {', '.join(curve['flags'])}")
        lines += [f"    note: {note}" for note in curve["notes"]]
    lines.append("")
    if skipped:
        lines.append(f"Skipped ({len(skipped)})")
        lines += [f"  {item['id']}: {item['reason']}" for item in skipped]
    else:
        lines.append("Skipped: none")
    return "\n".join(lines) + "\n"


def _render_plot(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]],
    report: Mapping[str, Any],
    plot: str,
) -> bytes:
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CurveSpec, modality_title, render_survival_plot

    kind = str(report["kind"])
    specs: list[CurveSpec] = []
    for record, result in fitted:
        if isinstance(result, WeibullFit):
            specs.append(CurveSpec(result, _arm_label(record), source_text(record.source)))
    outcome = _OUTCOME_NAMES.get(kind, kind).capitalize()
    skipped = len(report["skipped"])
    subtitle = (
        f"Weibull curves through published medians and landmark rates · "
        f"{len(specs)} study arm{'s' if len(specs) != 1 else ''} drawn"
    )
    if skipped:
        subtitle += f" · {skipped} not drawn (fewer than two usable anchors)"
    fmt = Path(plot).suffix.lower().lstrip(".")
    return render_survival_plot(
        specs,
        fmt,
        title=f"{outcome} after {modality_title(str(report['modality']))}",
        subtitle=subtitle,
        kind=kind,
    )
