"""Figures of approximate survival curves (Weibull fits to published summary figures).

One smooth line per study arm, drawn from 0 to that arm's last reported time point and no
further, with its anchor points (the published median and landmark rates) marked and
labelled, and a caption stating what the curves are: literature approximations, not
Kaplan–Meier estimates and not patient-level data. Nothing here imitates a Kaplan–Meier
plot: no steps, no censoring ticks, no number-at-risk table.

matplotlib is imported inside the functions (Agg backend), so importing this module is
cheap. SVG output is deterministic (fixed hash salt, no date); text from the records is
shown as plain text: it is drawn with ``parse_math=False`` (and ``figure_context`` turns
mathtext off for every text), so a ``$`` in an author name or a locator is a dollar sign,
never mathtext, and TeX is never used.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from nelm.evidence.figures import plain_text_figure
from nelm.evidence.survival import Anchor, WeibullFit, is_median_anchor
from nelm.vocabulary import modality_title, vocabulary

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import LineStyleType

__all__ = [
    "CAPTION",
    "CurveSpec",
    "build_figure",
    "figure_context",
    "modality_title",
    "render_survival_plot",
]

CAPTION: Final = (
    "Approximate curves fitted (Weibull) to published medians and landmark rates — "
    "literature approximations, not Kaplan–Meier estimates; not patient-level data"
)
"""The sentence every survival figure carries."""

CAPTION_DETAIL: Final = (
    "Each line ends at its arm's last reported time point (largest landmark, median or "
    "median follow-up) and is not extrapolated. Studies differ in population, time origin "
    "and era: the curves are not a randomised comparison."
)

# Okabe–Ito palette (colour-blind safe), without its yellow, which vanishes on a projector.
_COLOURS: Final = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#E69F00",
    "#000000",
    "#882255",
)
_DASHES: Final = ("solid", (0, (6, 2)), (0, (2, 1.5)), (0, (6, 2, 2, 2)))
# A high-grade arm (drawn only on request) is dotted whatever its colour: no G1–G2 arm is.
_HIGH_GRADE_DASH: Final = (0, (0.8, 1.6))
HIGH_GRADE_KEY: Final = (
    "dotted: a HIGH-GRADE arm (NEC, G3), drawn because high-grade arms were asked for; "
    "not comparable with the G1–G2 arms"
)


_SVG_SALT: Final = "nelm-survival-v1"
# Characters of subtitle per line at 12.5 pt across the 13-inch figure.
_SUBTITLE_WIDTH: Final = 118
# Characters of an arm's key row per line at 11 pt beside its number and line sample; a
# longer row wraps onto further lines rather than being cut.
_KEY_WIDTH: Final = 120


@dataclass(frozen=True, slots=True)
class CurveSpec:
    """One arm to draw: its fitted curve, who it is and where its figures come from.

    ``label`` names the arm (e.g. ``"Sarmiento 2003 · resection · n = 170"``), ``source``
    the place its anchors were read (e.g. ``"seed 000, Table 1"``). ``high_grade``: an arm
    of a high-grade population (NEC, G3) drawn on request, dotted and keyed as such.
    """

    fit: WeibullFit
    label: str
    source: str
    high_grade: bool = False


def _dashes(index: int, spec: CurveSpec) -> LineStyleType:
    if spec.high_grade:
        return _HIGH_GRADE_DASH
    return _DASHES[(index // len(_COLOURS)) % len(_DASHES)]


def key_lines(spec: CurveSpec) -> list[str]:
    """An arm's key row, whole: its label, published anchors and source, wrapped."""
    anchors = ", ".join(_anchor_key(a, spec.fit) for a in spec.fit.anchors)
    text = f"{spec.label}  —  {anchors}  —  {spec.source}"
    return textwrap.wrap(text, width=_KEY_WIDTH, break_on_hyphens=False) or [text]


def _anchor_key(anchor: Anchor, fit: WeibullFit) -> str:
    """An anchor as the key names it; a median the curve misses says where the curve
    reaches 50 % instead (beyond the median's printed precision)."""
    if is_median_anchor(anchor) and fit.misses_median(anchor):
        return f"{anchor.label} (curve: 50% at {fit.median_months():.1f} mo)"
    return anchor.label


def _is_median(anchor: Anchor) -> bool:
    # Labels come from ``anchors_from_outcomes`` ("median OS 81 mo", "5-y OS 61%").
    return anchor.label.startswith("median")


def _year_step(max_months: float) -> int:
    for step in (6, 12, 24, 36, 60):
        if max_months / step <= 12:
            return step
    return 120


_Box = tuple[float, float, float, float]
_Offset = tuple[float, float, str]  # (dx, dy) in points from the point, horizontal alignment


class _LabelPlacer:
    """Places short labels near their points without covering one another or the lines.

    Works in display pixels. Markers, line samples and placed labels are obstacles; each
    label tries its candidate offsets in order and takes the first that touches no
    obstacle and stays inside the plotting area, or else the least crowded one.
    """

    def __init__(
        self, to_pixels: Callable[[float, float], tuple[float, float]], area: _Box, dpi: float
    ) -> None:
        self._to_pixels = to_pixels
        self._area = area
        self._k = dpi / 72.0
        self._boxes: list[_Box] = []

    def block_point(self, x: float, y: float, radius_pt: float = 5.0) -> None:
        px, py = self._to_pixels(x, y)
        r = radius_pt * self._k
        self._boxes.append((px - r, py - r, px + r, py + r))

    def block_line(self, xs: Sequence[float], ys: Sequence[float]) -> None:
        for x, y in zip(xs, ys, strict=True):
            self.block_point(x, y, radius_pt=1.4)

    def place(
        self, x: float, y: float, text: str, fontsize: float, candidates: Sequence[_Offset]
    ) -> _Offset:
        """The first free candidate offset for ``text`` (drawn with va="bottom")."""
        px, py = self._to_pixels(x, y)
        width = 0.64 * fontsize * len(text) * self._k
        height = 1.1 * fontsize * self._k
        best = candidates[0]
        chosen: _Box = (px, py, px, py)
        best_cost = math.inf
        for dx, dy, align in candidates:
            x0 = px + dx * self._k - (width if align == "right" else 0.0)
            y0 = py + dy * self._k
            box = (x0, y0, x0 + width, y0 + height)
            inside = _overlap(box, self._area)
            cost = (width * height - inside) * 4.0
            cost += sum(_overlap(box, other) for other in self._boxes)
            if cost < best_cost:
                best, best_cost, chosen = (dx, dy, align), cost, box
            if cost == 0.0:
                break
        self._boxes.append(chosen)
        return best


def _overlap(a: _Box, b: _Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def build_figure(
    curves: Sequence[CurveSpec],
    *,
    title: str,
    subtitle: str = "",
    kind: str = "os",
) -> Figure:
    """The figure for ``curves`` (a matplotlib ``Figure``; nothing is written).

    Each curve is drawn on [0, fit.max_months] only. Call inside ``figure_context()``
    for the fixed fonts and SVG settings that ``render_survival_plot`` uses.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import patheffects
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MultipleLocator, PercentFormatter

    outcome = vocabulary().survival_kinds.get(kind, kind.upper()).capitalize()
    keys = [key_lines(spec) for spec in curves]
    row_in, line_in = 0.34, 0.21
    key_rows_in = [row_in + line_in * (len(lines) - 1) for lines in keys]
    # The subtitle wraps rather than run off the figure (a TARE subtitle lost its end).
    subtitle_lines = textwrap.wrap(subtitle, width=_SUBTITLE_WIDTH) if subtitle else []
    subtitle_step_in = 0.27
    # Vertical layout in inches from the top: title block, axes, arm key, caption.
    top_in = 1.25 + subtitle_step_in * max(len(subtitle_lines) - 1, 0)
    axes_in, key_gap_in = 5.2, 0.75
    graded = any(spec.high_grade for spec in curves)
    key_in = 0.3 + (sum(key_rows_in) or row_in) + (row_in if graded else 0.0)
    caption_in = 0.95
    width = 13.0
    height = top_in + axes_in + key_gap_in + key_in + caption_in
    left = 0.075
    fig = Figure(figsize=(width, height), dpi=150)
    fig.patch.set_facecolor("white")

    def y_at(inches_from_top: float) -> float:
        return 1.0 - inches_from_top / height

    ax = fig.add_axes((left, y_at(top_in + axes_in), 0.885, axes_in / height))
    fig.text(
        left,
        y_at(0.45),
        title,
        fontsize=19,
        fontweight="bold",
        color="#1a1a1a",
        va="baseline",
        parse_math=False,
    )
    for number, line_text in enumerate(subtitle_lines):
        fig.text(
            left,
            y_at(0.83 + subtitle_step_in * number),
            line_text,
            fontsize=12.5,
            color="#444444",
            va="baseline",
            parse_math=False,
        )

    max_months = max((c.fit.max_months for c in curves), default=60.0)
    x_limit = max_months * 1.05
    ax.set_xlim(0, x_limit)
    ax.set_ylim(0, 102)
    halo = [patheffects.withStroke(linewidth=3.5, foreground="white")]

    def to_pixels(x: float, y: float) -> tuple[float, float]:
        px, py = ax.transData.transform((x, y))
        return float(px), float(py)

    area = ax.get_window_extent()
    placer = _LabelPlacer(to_pixels, (area.x0, area.y0, area.x1, area.y1), fig.dpi)
    annotate_points = len(curves) <= 8  # beyond that, values are in the key only
    line_width = 2.6 if len(curves) <= 8 else 2.0

    ax.axhline(50, color="#7a7a7a", linewidth=1.1, linestyle=(0, (1, 2.5)), zorder=1)
    ends: list[tuple[float, float]] = []
    for index, spec in enumerate(curves):
        colour = _COLOURS[index % len(_COLOURS)]
        dashes = _dashes(index, spec)
        t, s = spec.fit.grid(max(121, int(spec.fit.max_months * 2) + 1))
        (line,) = ax.plot(
            t,
            100.0 * s,
            color=colour,
            linestyle=dashes,
            linewidth=line_width,
            solid_capstyle="round",
            drawstyle="default",
            zorder=3,
        )
        line.set_gid(f"survival-curve-{index + 1}")
        placer.block_line(t.tolist(), (100.0 * s).tolist())
        for anchor in spec.fit.anchors:
            ax.plot(
                [anchor.months],
                [100.0 * anchor.survival],
                linestyle="none",
                marker="D" if _is_median(anchor) else "o",
                markersize=8.5 if _is_median(anchor) else 8,
                markerfacecolor=colour,
                markeredgecolor="white",
                markeredgewidth=1.4,
                zorder=4,
            )
            placer.block_point(anchor.months, 100.0 * anchor.survival)
        ends.append((float(t[-1]), float(100.0 * s[-1])))

    # Each arm's number just past the end of its line, where the key below finds it; a
    # high-grade arm's number says so ("3 high grade").
    tag_size = 11.5
    tag_offsets = [(7.0, dy - 0.55 * tag_size, "left") for dy in (0.0, 9.0, -9.0, 18.0, -18.0)]
    for index, (end_x, end_y) in enumerate(ends):
        tag = f"{index + 1} high grade" if curves[index].high_grade else str(index + 1)
        dx, dy, align = placer.place(end_x, end_y, tag, tag_size, tag_offsets)
        ax.annotate(
            tag,
            (end_x, end_y),
            xytext=(dx, dy),
            textcoords="offset points",
            color=_COLOURS[index % len(_COLOURS)],
            fontsize=tag_size,
            fontweight="bold",
            va="bottom",
            ha=align,
            path_effects=halo,
            zorder=5,
            annotation_clip=False,
        )

    if annotate_points:
        label_size = 10.0
        gap, below = 5.0, -5.0 - 1.1 * label_size
        offsets = [
            (gap, gap, "left"),
            (-gap, below, "right"),
            (gap, below, "left"),
            (-gap, gap, "right"),
            (2 * gap, 3 * gap, "left"),
            (-2 * gap, below - 2 * gap, "right"),
        ]
        points = [
            (index, anchor) for index, spec in enumerate(curves) for anchor in spec.fit.anchors
        ]
        # Highest points first: a label above a point then rarely lands on the one below.
        points.sort(key=lambda item: (-item[1].survival, item[1].months, item[0]))
        for index, anchor in points:
            value = (
                f"{anchor.months:g} mo" if _is_median(anchor) else f"{100.0 * anchor.survival:g}%"
            )
            dx, dy, align = placer.place(
                anchor.months, 100.0 * anchor.survival, value, label_size, offsets
            )
            ax.annotate(
                value,
                (anchor.months, 100.0 * anchor.survival),
                xytext=(dx, dy),
                textcoords="offset points",
                fontsize=label_size,
                color=_COLOURS[index % len(_COLOURS)],
                fontweight="bold",
                ha=align,
                va="bottom",
                path_effects=halo,
                zorder=5,
                annotation_clip=False,
            )

    if not curves:
        ax.text(
            0.5,
            0.5,
            "No curve drawn: no study arm of this modality has two or more usable\n"
            "survival anchors (a median and landmark rates) for this outcome;\n"
            "the subtitle says why the arms are not drawn.",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=13,
            color="#555555",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 6},
            zorder=6,
        )

    ax.xaxis.set_major_locator(MultipleLocator(_year_step(max_months)))
    ax.yaxis.set_major_locator(MultipleLocator(10))
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(labelsize=12, length=4, color="#666666")
    ax.set_xlabel(
        "Months (time origin as defined by each study)", fontsize=12.5, color="#333333", labelpad=6
    )
    ax.set_ylabel(f"{outcome} (%)", fontsize=12.5, color="#333333", labelpad=8)
    ax.grid(True, color="#e6e6e6", linewidth=0.9, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")

    key_top = top_in + axes_in + key_gap_in
    marker_key = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="D",
            markersize=8,
            color="#555555",
            markeredgecolor="white",
            label="published median",
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            color="#555555",
            markeredgecolor="white",
            label="published landmark rate",
        ),
        Line2D(
            [], [], color="#7a7a7a", linewidth=1.1, linestyle=(0, (1, 2.5)), label="50% survival"
        ),
    ]
    fig.legend(
        handles=marker_key,
        loc="lower right",
        ncols=3,
        fontsize=10.5,
        frameon=False,
        bbox_to_anchor=(left + 0.885, y_at(key_top) - 0.06 / height),
        handletextpad=0.4,
        columnspacing=1.6,
        borderaxespad=0.0,
        borderpad=0.0,
    )

    # The arm key: one row per curve with its anchors and their source.
    if curves:
        fig.text(
            left,
            y_at(key_top),
            "Arm  —  published anchors  —  source",
            fontsize=10.5,
            color="#666666",
            fontweight="bold",
            va="baseline",
        )
    row_top = key_top + 0.22
    if graded:
        y = y_at(row_top + row_in * 0.5)
        fig.add_artist(
            Line2D(
                [left + 0.022, left + 0.05],
                [y, y],
                transform=fig.transFigure,
                color="#333333",
                linewidth=line_width,
                linestyle=_HIGH_GRADE_DASH,
            )
        )
        fig.text(
            left + 0.058,
            y,
            HIGH_GRADE_KEY,
            fontsize=11,
            fontweight="bold",
            color="#1a1a1a",
            va="center",
        )
        row_top += row_in
    for index, (spec, lines) in enumerate(zip(curves, keys, strict=True)):
        colour = _COLOURS[index % len(_COLOURS)]
        y = y_at(row_top + row_in * 0.5)
        fig.text(
            left, y, f"{index + 1}", fontsize=11.5, fontweight="bold", color=colour, va="center"
        )
        fig.add_artist(
            Line2D(
                [left + 0.022, left + 0.05],
                [y, y],
                transform=fig.transFigure,
                color=colour,
                linewidth=line_width,
                linestyle=_dashes(index, spec),
            )
        )
        for number, line_text in enumerate(lines):
            fig.text(
                left + 0.058,
                y_at(row_top + row_in * 0.5 + line_in * number),
                line_text,
                fontsize=11,
                color="#1a1a1a",
                fontweight="bold" if spec.high_grade and number == 0 else "normal",
                va="center",
                parse_math=False,
            )
        row_top += key_rows_in[index]

    caption_top = key_top + key_in + 0.3
    fig.text(
        left,
        y_at(caption_top),
        CAPTION,
        fontsize=10.5,
        style="italic",
        color="#222222",
        va="baseline",
    )
    for number, line_text in enumerate(textwrap.wrap(CAPTION_DETAIL, width=165)):
        fig.text(
            left,
            y_at(caption_top + 0.26 * (number + 1)),
            line_text,
            fontsize=9.5,
            color="#555555",
            va="baseline",
        )
    return fig


def figure_context() -> AbstractContextManager[None]:
    """matplotlib settings for a reproducible figure whose text is all plain text."""
    return plain_text_figure(_SVG_SALT)


def render_survival_plot(
    curves: Sequence[CurveSpec],
    fmt: str,
    *,
    title: str,
    subtitle: str = "",
    kind: str = "os",
) -> bytes:
    """The figure as ``"svg"`` or ``"png"`` bytes (deterministic for SVG)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    if fmt not in ("svg", "png"):
        raise ValueError(f"format must be svg or png, got {fmt!r}")
    metadata: dict[str, str | None] = (
        {"Creator": "nelm", "Date": None} if fmt == "svg" else {"Software": "nelm"}
    )
    with figure_context():
        fig = build_figure(curves, title=title, subtitle=subtitle, kind=kind)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata, facecolor="white")
    return buffer.getvalue()
