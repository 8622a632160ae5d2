"""Forest plots of a pooled proportion (:class:`~nelm.evidence.pooling.PoolResult`).

One row per study arm: its label (author, year, arm), n, events/n, the percentage with its
95 % interval as text and as a square (area proportional to the weight) with whiskers,
the weight, and where the numbers were read (seed file and table). Below the studies: the
pooled estimate as a diamond spanning its confidence interval, the 95 % prediction
interval as a bar beneath it (random-effects models only), and a line of heterogeneity
statistics (τ², I², Q, df, p). The x axis is in percent.

Each study's point and interval are those of the model, as metafor's
``forest(res, transf = transf.ilogit)`` shows them: ``yi ± 1.96·√vi`` on the logit scale,
back-transformed; rows that needed the 0.5 continuity correction are marked †.

matplotlib is imported inside the functions (Agg backend). Every text is drawn with
``parse_math=False`` and ``text.usetex`` off, so labels and locators from the records are
shown as written (a ``$`` is a dollar sign). SVG output is byte-for-byte reproducible
(fixed ``svg.hashsalt``, no date in the metadata); PNG output carries no date either.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from nelm.evidence.figures import plain_text_figure
from nelm.evidence.pooling import LEVEL, PoolResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FORMATS", "ForestRow", "build_forest", "forest_rows", "render_forest", "write_forest"]

FORMATS: Final = ("svg", "png")

_SVG_SALT: Final = "nelm-forest-v1"
_INK: Final = "#1a1a1a"
_MUTED: Final = "#5a5a5a"
_FAINT: Final = "#8c8c8c"
_STUDY: Final = "#0072B2"  # Okabe–Ito blue
_POOLED: Final = "#D55E00"  # Okabe–Ito vermilion
_GRID: Final = "#e6e6e6"

_METHOD_NAMES: Final = {
    "REML": "random effects, REML τ²",
    "DL": "random effects, DerSimonian–Laird τ²",
    "PM": "random effects, Paule–Mandel τ²",
    "FE": "fixed (common) effect",
}


@dataclass(frozen=True, slots=True)
class ForestRow:
    """One study row as drawn: values in percent, ``source`` e.g. "seed 000, Table 1"."""

    label: str
    n: int
    events: int
    percent: float
    ci_low: float
    ci_high: float
    weight_percent: float
    source: str
    corrected: bool = False
    n_note: str | None = None
    """Where ``n`` comes from when the row's own source prints another count or none
    (a footnote, its row marked ‡): "Dong 2011 · TACE: n = 123 as … gives it; … prints 50"."""


def forest_rows(
    result: PoolResult,
    labels: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
    n_notes: Mapping[str, str] | None = None,
) -> list[ForestRow]:
    """The rows of ``result`` in its study order; labels, sources and the notes on counts
    taken from another source looked up by study id."""
    labels = labels or {}
    sources = sources or {}
    n_notes = n_notes or {}
    return [
        ForestRow(
            label=labels.get(s.id, s.id),
            n=s.n,
            events=s.events,
            percent=s.model_percent,
            ci_low=s.ci_low,
            ci_high=s.ci_high,
            weight_percent=s.weight_percent,
            source=sources.get(s.id, ""),
            corrected=s.continuity_corrected,
            n_note=n_notes.get(s.id),
        )
        for s in result.studies
    ]


N_MARK: Final = "‡"
"""Marks a row whose n is not the one its source column prints (see ``ForestRow.n_note``)."""

# The source column holds this many characters per line at its font size; a longer source
# wraps onto a second line rather than being cut.
_SOURCE_WIDTH: Final = 36


# The label column holds this many characters per line at 10.5 pt before the n column; a
# longer label (an arm named by its regimen) wraps onto further lines rather than being cut.
_LABEL_WIDTH: Final = 38
# Each further line of a wrapped cell adds this much to its row (in rows).
_LINE_STEP: Final = 0.5


def label_cell(label: str, mark: str = "") -> str:
    """A study label as the column shows it, whole: wrapped onto as many lines as it needs
    (at the " · " between author, arm and count where it can), with ``mark`` (†) kept on
    the last line."""
    import textwrap

    text = label + mark
    return "\n".join(textwrap.wrap(text, width=_LABEL_WIDTH, break_on_hyphens=False)) or text


def _row_height(label: str) -> float:
    """A study row's height in rows: one, and half a row more for each further line of the
    label (the source's two lines, in smaller type, fit one row)."""
    lines = label.count("\n") + 1
    return 1.0 + _LINE_STEP * (lines - 1)


def source_cell(source: str) -> str:
    """A source as the column shows it, whole: "Supplementary" written "Suppl.", and a
    source still too long for one line wrapped onto two."""
    import textwrap

    text = source.replace("Supplementary ", "Suppl. ")
    return "\n".join(textwrap.wrap(text, width=_SOURCE_WIDTH)) or text


def corrected_note(rows: Sequence[ForestRow]) -> str:
    """The footnote of the † rows, saying what the model used instead of 0/n or n/n:
    "23/23 is modelled as 23.5/24 = 97.9%", the value the square and its CI show."""
    examples = [
        f"{r.events}/{r.n} as {r.events + 0.5:g}/{r.n + 1} = {r.percent:.1f}%"
        for r in rows
        if r.corrected
    ]
    return (
        "† 0 or all patients with the event: 0.5 added to both cells (metafor escalc "
        f"default), so the square and its CI show {'; '.join(examples)}, not 0% or 100%."
    )


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _axis_limits(values: Sequence[float]) -> tuple[float, float]:
    """A 0–100 % range trimmed to the data, on 10 % steps."""
    low = max(0.0, math.floor(min(values) / 10.0) * 10.0)
    high = min(100.0, math.ceil(max(values) / 10.0) * 10.0)
    if high - low < 20.0:
        low, high = max(0.0, low - 10.0), min(100.0, high + 10.0)
    return low, high


_WIDTH_IN: Final = 15.0
_ROW_IN: Final = 0.36
_HEADER_IN: Final = 0.55
_TOP_IN: Final = 1.05


def _summary_rows(result: PoolResult) -> float:
    return 3.4 if result.method != "FE" else 2.6


def _footer_in(notes: Sequence[str]) -> float:
    return 0.55 + 0.2 * len(notes)


def figure_size(result: PoolResult, rows: Sequence[ForestRow]) -> tuple[float, float]:
    """The plot's width and height in inches (a wrapped label makes its row taller), so a
    page can reserve the plot's place before it is drawn."""
    labels = [label_cell(r.label, " †" if r.corrected else "") for r in rows]
    study_rows = sum(_row_height(label) for label in labels)
    axes_in = _ROW_IN * (study_rows + _summary_rows(result)) + _HEADER_IN
    return _WIDTH_IN, _TOP_IN + axes_in + _footer_in(_footnotes(result, rows))


def build_forest(
    result: PoolResult,
    rows: Sequence[ForestRow],
    *,
    title: str,
    subtitle: str = "",
) -> Figure:
    """The forest plot as a matplotlib ``Figure`` (nothing written).

    Call inside :func:`figure_context` for the settings that :func:`render_forest` uses.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon
    from matplotlib.ticker import MultipleLocator, PercentFormatter
    from matplotlib.transforms import blended_transform_factory

    labels = [label_cell(r.label, " †" if r.corrected else "") for r in rows]
    sources = [source_cell(r.source) for r in rows]
    heights = [_row_height(label) for label in labels]
    study_rows = sum(heights)
    row_in, header_in = _ROW_IN, _HEADER_IN
    summary_rows = _summary_rows(result)
    notes = _footnotes(result, rows)
    footer_in = _footer_in(notes)
    axes_in = row_in * (study_rows + summary_rows) + header_in
    width, height = figure_size(result, rows)
    fig = Figure(figsize=(width, height))
    fig.patch.set_facecolor("white")

    # Columns, in figure fractions: text left of the axes, the plot, text right of it.
    plot_left, plot_right = 0.385, 0.655
    col_label, col_n, col_events = 0.025, 0.262, 0.325
    col_estimate, col_weight, col_source = 0.742, 0.792, 0.805
    ax: Axes = fig.add_axes(
        (plot_left, footer_in / height, plot_right - plot_left, axes_in / height)
    )
    text_at = blended_transform_factory(fig.transFigure, ax.transData)

    fig.text(
        col_label,
        1 - 0.45 / height,
        title,
        fontsize=17,
        fontweight="bold",
        color=_INK,
        va="baseline",
        parse_math=False,
    )
    if subtitle:
        fig.text(
            col_label,
            1 - 0.78 / height,
            subtitle,
            fontsize=11.5,
            color=_MUTED,
            va="baseline",
            parse_math=False,
        )

    # y positions: studies from the top (k … 1 when no label wraps; a wrapped row is taller),
    # then the pooled rows below 0.
    header_y = study_rows + 0.95
    ys: list[float] = []
    top = study_rows + 0.5
    for h in heights:
        ys.append(top - h / 2.0)
        top -= h
    pooled_y = -0.6
    pi_y = -1.55
    het_y = pooled_y - (summary_rows - 0.55)
    ax.set_ylim(het_y - 0.35, header_y + header_in / row_in - 0.45)

    def cell(
        x: float,
        y: float,
        text: str,
        *,
        ha: str = "left",
        color: str = _INK,
        fontweight: str = "normal",
        fontsize: float = 10.5,
    ) -> None:
        ax.text(
            x,
            y,
            text,
            transform=text_at,
            ha=ha,
            va="center",
            fontsize=fontsize,
            color=color,
            fontweight=fontweight,
            parse_math=False,
            clip_on=False,
        )

    for x, text, ha in (
        (col_label, "Study (author year · arm)", "left"),
        (col_n, "n", "right"),
        (col_events, "Events/n", "right"),
        (col_estimate, "% (95% CI)", "right"),
        (col_weight, "Weight", "right"),
        (col_source, "Source", "left"),
    ):
        cell(x, header_y, text, ha=ha, fontweight="bold", color=_MUTED)
    ax.text(
        0.5,
        header_y,
        f"Percentage ({int(LEVEL * 100)}% CI)",
        transform=blended_transform_factory(ax.transAxes, ax.transData),
        ha="center",
        va="center",
        fontsize=10.5,
        fontweight="bold",
        color=_MUTED,
        parse_math=False,
        clip_on=False,
    )
    rule = blended_transform_factory(fig.transFigure, ax.transData)
    for y in (header_y - 0.5, 0.35):
        ax.plot(
            [col_label, 0.975],
            [y, y],
            transform=rule,
            color="#bdbdbd",
            linewidth=0.8,
            clip_on=False,
        )

    max_weight = max((r.weight_percent for r in rows), default=1.0)
    span = [r.ci_low for r in rows] + [r.ci_high for r in rows]
    span += [result.ci_low, result.ci_high]
    if result.pi_low is not None and result.pi_high is not None:
        span += [result.pi_low, result.pi_high]
    x_low, x_high = _axis_limits(span)

    for row, y, label, shown in zip(rows, ys, labels, sources, strict=True):
        n_mark = N_MARK if row.n_note else ""
        cell(col_label, y, label)
        cell(col_n, y, f"{row.n}{n_mark}", ha="right")
        cell(col_events, y, f"{row.events}/{row.n}", ha="right")
        cell(col_estimate, y, f"{row.percent:.1f} ({row.ci_low:.1f}–{row.ci_high:.1f})", ha="right")
        cell(col_weight, y, f"{row.weight_percent:.1f}%", ha="right")
        cell(col_source, y, shown, color=_MUTED, fontsize=9.5 if "\n" not in shown else 8.5)
        ax.plot(
            [row.ci_low, row.ci_high],
            [y, y],
            color=_INK,
            linewidth=1.2,
            solid_capstyle="butt",
            zorder=2,
        )
        size = 5.0 + 11.0 * math.sqrt(row.weight_percent / max_weight)
        ax.plot(
            [row.percent],
            [y],
            marker="s",
            markersize=size,
            color=_STUDY,
            markeredgecolor="white",
            markeredgewidth=0.6,
            linestyle="none",
            zorder=3,
        )

    # The pooled estimate: a diamond across its CI, and a dashed line through it.
    half = 0.34
    diamond = Polygon(
        [
            (result.ci_low, pooled_y),
            (result.estimate, pooled_y + half),
            (result.ci_high, pooled_y),
            (result.estimate, pooled_y - half),
        ],
        closed=True,
        facecolor=_POOLED,
        edgecolor=_POOLED,
        zorder=4,
    )
    ax.add_patch(diamond)
    ax.plot(
        [result.estimate, result.estimate],
        [pooled_y, header_y - 0.5],
        color=_POOLED,
        linewidth=0.9,
        linestyle=(0, (4, 3)),
        zorder=1,
    )
    cell(col_label, pooled_y, f"Pooled estimate ({result.method})", fontweight="bold")
    cell(col_n, pooled_y, f"{result.n_total}", ha="right", fontweight="bold")
    cell(col_events, pooled_y, f"k = {result.k}", ha="right", fontweight="bold")
    cell(
        col_estimate,
        pooled_y,
        f"{result.estimate:.1f} ({result.ci_low:.1f}–{result.ci_high:.1f})",
        ha="right",
        fontweight="bold",
    )
    cell(col_weight, pooled_y, "100%", ha="right", fontweight="bold")

    if result.pi_low is not None and result.pi_high is not None:
        ax.plot(
            [result.pi_low, result.pi_high],
            [pi_y, pi_y],
            color=_POOLED,
            linewidth=2.2,
            solid_capstyle="butt",
            zorder=3,
        )
        for end in (result.pi_low, result.pi_high):
            ax.plot([end, end], [pi_y - 0.18, pi_y + 0.18], color=_POOLED, linewidth=2.2, zorder=3)
        cell(col_label, pi_y, f"{int(LEVEL * 100)}% prediction interval", color=_INK)
        cell(col_estimate, pi_y, f"({result.pi_low:.1f}–{result.pi_high:.1f})", ha="right")

    heterogeneity = (
        f"Heterogeneity: τ² = {result.tau2:.3f}, I² = {result.i2:.1f}%, "
        f"Q = {result.q:.2f} (df = {result.k - 1}), {_p_text(result.q_p)}"
    )
    cell(col_label, het_y, heterogeneity, color=_MUTED, fontsize=10)

    ax.set_xlim(x_low, x_high)
    ax.xaxis.set_major_locator(MultipleLocator(20 if x_high - x_low > 60 else 10))
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(axis="x", labelsize=10, length=3.5, color=_FAINT, labelcolor=_INK)
    ax.set_yticks([])
    ticks = [t for t in ax.get_xticks() if x_low <= t <= x_high]
    ax.vlines(ticks, het_y + 0.45, header_y - 0.5, colors=_GRID, linewidth=0.8, zorder=0)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(_FAINT)
    ax.spines["bottom"].set_bounds(x_low, x_high)
    ax.patch.set_alpha(0.0)

    for i, note in enumerate(notes):
        fig.text(
            col_label,
            (footer_in - 0.42 - 0.2 * i) / height,
            note,
            fontsize=9,
            color=_MUTED,
            va="baseline",
            parse_math=False,
        )
    return fig


def _footnotes(result: PoolResult, rows: Sequence[ForestRow]) -> list[str]:
    """The lines under the plot: the model, the † and ‡ rows, what the figures are."""
    model = _METHOD_NAMES.get(result.method, result.method)
    if result.knapp_hartung:
        model += f", Knapp–Hartung (t, df = {result.k - 1})"
    notes = [
        f"Model: {model}; logit-transformed proportions, inverse-logit back-transformed. "
        "Squares: study percentage (area ∝ weight) with 95% CI; diamond: pooled estimate "
        "with 95% CI.",
    ]
    if any(r.corrected for r in rows):
        notes.append(corrected_note(rows))
    notes += [f"{N_MARK} {r.n_note}" for r in rows if r.n_note]
    notes.append(
        "Published summary figures, not patient-level data. Sources: the review articles "
        "named in each row (table or section as located)."
    )
    return notes


def figure_context() -> AbstractContextManager[None]:
    """matplotlib settings for a reproducible figure whose text is all plain text."""
    return plain_text_figure(_SVG_SALT)


def render_forest(
    result: PoolResult,
    rows: Sequence[ForestRow],
    fmt: str,
    *,
    title: str,
    subtitle: str = "",
) -> bytes:
    """The forest plot as ``"svg"`` or ``"png"`` bytes (SVG byte-for-byte reproducible)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be svg or png, got {fmt!r}")
    metadata: dict[str, str | None] = (
        {"Creator": "nelm", "Date": None} if fmt == "svg" else {"Software": "nelm"}
    )
    with figure_context():
        fig = build_forest(result, rows, title=title, subtitle=subtitle)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def write_forest(
    result: PoolResult,
    rows: Sequence[ForestRow],
    path: str | Path,
    *,
    title: str,
    subtitle: str = "",
) -> None:
    """Write the plot to ``path``; the format follows the suffix (``.svg`` or ``.png``)."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    target.write_bytes(render_forest(result, rows, fmt, title=title, subtitle=subtitle))
