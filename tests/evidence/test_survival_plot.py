"""Figures of approximate survival curves (nelm.evidence.survival_plot)."""

from __future__ import annotations

import re
import struct
from itertools import pairwise

import numpy as np
import pytest

from nelm.evidence.survival import WeibullFit, fit_outcomes
from nelm.evidence.survival_plot import (
    CAPTION,
    CurveSpec,
    build_figure,
    figure_context,
    modality_title,
    render_survival_plot,
)

REQUIRED_CAPTION = (
    "Approximate curves fitted (Weibull) to published medians and landmark rates — "
    "literature approximations, not Kaplan–Meier estimates; not patient-level data"
)


def _curve(
    outcomes: dict[str, float], label: str, source: str, follow_up: float | None = None
) -> CurveSpec:
    fit = fit_outcomes(outcomes, follow_up_months=follow_up)
    assert isinstance(fit, WeibullFit), fit
    return CurveSpec(fit, label, source)


@pytest.fixture
def curves() -> list[CurveSpec]:
    # Seed 000, Table 1 (resection) and Table 2 (TAE/TACE): median OS and 5-year survival.
    return [
        _curve(
            {"median_os_months": 81, "os_5y_percent": 61},
            "Sarmiento 2003 · n = 170",
            "seed 000, Table 1",
        ),
        _curve(
            {"median_os_months": 34, "os_5y_percent": 30},
            "Mayo 2011 · IAT · n = 414",
            "seed 000, Table 1",
            follow_up=72.0,
        ),
        _curve(
            {"median_os_months": 44, "os_5y_percent": 41},
            "Dhir 2017 · TACE · $5 $x$",
            "seed 000, Table 2",
        ),
    ]


def _svg(curves: list[CurveSpec]) -> str:
    return render_survival_plot(
        curves, "svg", title="Overall survival after TACE", subtitle="three arms"
    ).decode("utf-8")


def _points(d: str) -> list[tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    return list(zip(numbers[0::2], numbers[1::2], strict=True))


def test_caption_is_the_required_sentence() -> None:
    assert CAPTION == REQUIRED_CAPTION


def test_svg_carries_the_caption_and_no_step_path(curves: list[CurveSpec]) -> None:
    svg = _svg(curves)
    assert svg.startswith("<?xml")
    assert REQUIRED_CAPTION in svg
    groups = re.findall(r'<g id="survival-curve-(\d+)">\s*<path d="([^"]+)"', svg)
    assert [int(number) for number, _ in groups] == [1, 2, 3]
    for _, d in groups:
        points = _points(d)
        assert len(points) > 100
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        # a smooth curve: x strictly increasing, so no vertical drop of a step function
        assert all(b > a for a, b in pairwise(xs))
        # survival never rises (SVG y grows downwards)
        assert all(b >= a - 1e-6 for a, b in pairwise(ys))


def test_svg_is_deterministic(curves: list[CurveSpec]) -> None:
    first, second = _svg(curves), _svg(curves)
    assert first == second
    assert "<dc:date>" not in first


def test_curves_are_drawn_only_within_their_range(curves: list[CurveSpec]) -> None:
    with figure_context():
        fig = build_figure(curves, title="t")
    ax = fig.axes[0]
    drawn = {str(line.get_gid()): line for line in ax.get_lines() if line.get_gid()}
    assert sorted(drawn) == ["survival-curve-1", "survival-curve-2", "survival-curve-3"]
    for index, spec in enumerate(curves, start=1):
        line = drawn[f"survival-curve-{index}"]
        xs = np.asarray(line.get_xdata(), dtype=np.float64)
        assert xs.min() == 0.0
        assert xs.max() == spec.fit.max_months
        assert line.get_drawstyle() == "default"
    # the follow-up (72 months) ends Mayo's line, past its last anchor at 60 months
    assert np.asarray(drawn["survival-curve-2"].get_xdata())[-1] == 72.0
    # no censoring ticks: the only markers are the published anchors (◆ medians, ● rates)
    markers = {str(line.get_marker()) for line in ax.get_lines()}
    assert markers <= {"None", "", "D", "o"}
    anchor_count = sum(len(spec.fit.anchors) for spec in curves)
    assert sum(1 for line in ax.get_lines() if line.get_marker() in ("D", "o")) == anchor_count
    # no table (number at risk) anywhere
    assert not ax.tables


def test_text_is_plain_never_mathtext(curves: list[CurveSpec]) -> None:
    from matplotlib.text import Text

    with figure_context():
        fig = build_figure(curves, title="Cost $1 $2", subtitle="a $b$ c")
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    with_dollar = [t for t in texts if "$" in t.get_text()]
    assert {t.get_text() for t in with_dollar} >= {"Cost $1 $2", "a $b$ c"}
    assert any("Dhir 2017 · TACE · $5 $x$" in t.get_text() for t in with_dollar)
    assert all(not t.get_usetex() for t in texts)
    assert all(not t.get_parse_math() for t in with_dollar)
    svg = render_survival_plot(curves, "svg", title="Cost $1 $2").decode()
    assert "Cost $1 $2" in svg
    # also outside figure_context: the record's own text is never parsed
    outside = build_figure(curves, title="Cost $1 $2", subtitle="a $b$ c")
    user_texts = [t for t in outside.findobj(Text) if "$" in t.get_text() or "Dhir" in t.get_text()]
    assert len(user_texts) == 3
    assert all(not t.get_parse_math() for t in user_texts)


def test_png_output(curves: list[CurveSpec]) -> None:
    png = render_survival_plot(curves, "png", title="Overall survival after TACE")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 1800 and height >= 1200  # 13 in wide at 150 dpi: legible when projected


def test_no_curve_still_draws_an_explained_empty_figure() -> None:
    svg = _svg([])
    assert REQUIRED_CAPTION in svg
    assert "No curve drawn: no study arm of this modality has two or more usable" in svg
    assert "survival-curve-" not in svg


def test_unknown_format_is_refused(curves: list[CurveSpec]) -> None:
    with pytest.raises(ValueError, match="svg or png"):
        render_survival_plot(curves, "pdf", title="t")


def test_modality_title() -> None:
    assert modality_title("tace") == "TACE"
    assert modality_title("liver_resection") == "liver resection"
    assert modality_title("something_new") == "something new"


def _key_texts(fig: object) -> list[str]:
    return [t.get_text() for t in fig.texts]  # type: ignore[attr-defined]


def test_a_long_arm_name_is_shown_whole_on_lines_that_do_not_overlap() -> None:
    # 001 Supplementary Table 1 names Varker 2007's arm "TACE (doxorubicin, mitomycin,
    # cisplatin)"; seed 000 Table 2 gives Dhir 2017's TACE arm median OS 44 months and
    # 41 % at 5 years. A long label made longer still by its source must not be cut.
    label = (
        "Varker 2007 · TACE (doxorubicin, mitomycin, cisplatin) · n = 27 · "
        "a long description of the arm that a reader must see to the end"
    )
    spec = _curve({"median_os_months": 44, "os_5y_percent": 41}, label, "Machairas 2021")
    with figure_context():
        fig = build_figure([spec], title="t")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        renderer = FigureCanvasAgg(fig).get_renderer()
        texts = [t for t in fig.texts if t.get_text().strip()]
        shown = " ".join(t.get_text() for t in texts)
        assert "…" not in shown
        assert label in " ".join(shown.split())
        width = fig.bbox.width
        boxes = [t.get_window_extent(renderer) for t in texts]
        assert all(b.x0 >= 0 and b.x1 <= width for b in boxes)
        for a, b in pairwise(sorted(boxes, key=lambda box: -box.y1)):
            if a.x0 < b.x1 and b.x0 < a.x1:  # one above the other: no overlap
                assert b.y1 <= a.y0 + 0.5


def test_a_high_grade_arm_is_dotted_and_marked() -> None:
    # The data of Sarmiento 2003 (000 Table 1: median OS 81 months, 61 % at 5 years) drawn
    # as if high grade: the line is dotted, unlike every G1-G2 arm, its tag and key say so.
    grade = _curve({"median_os_months": 81, "os_5y_percent": 61}, "HG arm", "s")
    plain = _curve({"median_os_months": 34, "os_5y_percent": 30}, "G1-G2 arm", "s")
    marked = CurveSpec(grade.fit, grade.label, grade.source, high_grade=True)
    with figure_context():
        fig = build_figure([plain, marked], title="t")
        axes = fig.axes[0]
        curves = [line for line in axes.get_lines() if (line.get_gid() or "").startswith("surv")]
        assert curves[0].get_linestyle() == "-"
        # dots: each dash no longer than a line's width (matplotlib has no public getter)
        _offset, dashes = curves[1]._unscaled_dash_pattern
        assert dashes is not None and max(dashes[0::2]) <= 1.0
        tags = [t.get_text() for t in axes.texts]
        assert "2 high grade" in tags
        assert "1" in tags
        assert any("HIGH-GRADE arm (NEC, G3)" in text for text in _key_texts(fig))
