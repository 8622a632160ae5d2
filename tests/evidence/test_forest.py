"""Forest plots: reproducible files, plain-text labels, the rows and summary rows drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from nelm.evidence.forest import (
    build_forest,
    figure_context,
    forest_rows,
    render_forest,
    write_forest,
)
from nelm.evidence.pooling import PoolResult, StudyInput, pool_proportions

# The k3 data set of tools/r/make_pooling_fixtures.R, with a zero-event arm added.
STUDIES = [
    StudyInput("a", 40, 5),
    StudyInput("b", 31, 16),
    StudyInput("c", 30, 14),
    StudyInput("d", 15, 0),
]
LABELS = {
    "a": "Dollar $x^2$ 2001 · \\textbf{TACE}",
    "b": "Smith 2004 · TAE",
    "c": "Lee 2010",
    "d": "Zero 2012",
}
SOURCES = {"a": "seed 000, Table 2", "b": "seed 001, Table 3", "c": "seed 002, § 3.1", "d": ""}


def _result(method: str = "REML") -> PoolResult:
    return pool_proportions(STUDIES, method=method)


def _svg(result: PoolResult) -> str:
    rows = forest_rows(result, LABELS, SOURCES)
    svg = render_forest(result, rows, "svg", title="TACE: 5-year OS $5", subtitle="4 arms")
    return svg.decode()


def test_svg_is_reproducible_byte_for_byte() -> None:
    result = _result()
    assert _svg(result) == _svg(result)
    assert "<dc:date>" not in _svg(result)


def test_labels_are_plain_text_not_mathtext_or_tex() -> None:
    svg = _svg(_result())
    # matplotlib writes each text as a comment before its glyphs: the label is as given.
    assert "<!-- Dollar $x^2$ 2001 · \\textbf{TACE} -->" in svg
    assert "<!-- TACE: 5-year OS $5 -->" in svg
    result = _result()
    with figure_context():
        fig = build_forest(result, forest_rows(result, LABELS, SOURCES), title="t")
        texts = list(fig.texts) + [t for ax in fig.axes for t in ax.texts]
        assert texts
        assert all(not t.get_parse_math() for t in texts)
        assert all(not t.get_usetex() for t in texts)


def test_rows_heterogeneity_and_prediction_interval_are_drawn() -> None:
    result = _result()
    svg = _svg(result)
    for text in (
        "5/40",
        "16/31",
        "14/30",
        "0/15",
        "seed 001, Table 3",
        "seed 002, § 3.1",
        "95% prediction interval",
        "Pooled estimate (REML)",
        "k = 4",
    ):
        assert f"<!-- {text}" in svg, text
    assert f"<!-- Heterogeneity: τ² = {result.tau2:.3f}, I² = {result.i2:.1f}%" in svg
    # the zero-event arm is marked and the footnote says why
    assert "<!-- Zero 2012 † -->" in svg
    assert "0.5 added to both cells" in svg


def test_fixed_effect_plot_has_no_prediction_interval() -> None:
    svg = _svg(_result("FE"))
    assert "prediction interval" not in svg
    assert "<!-- Pooled estimate (FE) -->" in svg


def test_rows_follow_the_model() -> None:
    result = _result()
    rows = forest_rows(result, LABELS, SOURCES)
    assert [r.label for r in rows] == list(LABELS.values())
    assert [r.weight_percent for r in rows] == [s.weight_percent for s in result.studies]
    # the zero-event arm is drawn where the model puts it: 0.5 / 16 = 3.125 %
    assert rows[3].percent == pytest.approx(3.125)
    assert rows[3].corrected
    assert all(r.ci_low <= r.percent <= r.ci_high for r in rows)


def test_write_forest_follows_the_suffix(tmp_path: Path) -> None:
    result = _result()
    rows = forest_rows(result)
    write_forest(result, rows, tmp_path / "plot.png", title="t")
    write_forest(result, rows, tmp_path / "plot.svg", title="t")
    assert (tmp_path / "plot.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "plot.svg").read_bytes().lstrip().startswith(b"<?xml")
    with pytest.raises(ValueError, match="format must be svg or png, got 'pdf'"):
        render_forest(result, rows, "pdf", title="t")


def test_a_long_arm_name_wraps_whole_without_overlapping() -> None:
    # 001 Supplementary Table 1 names the arms by their regimen: "Varker 2007 [22] · TACE
    # (doxorubicin, mitomycin, cisplatin)", 27 patients. The label was cut with "…".
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    labels = {
        "a": "Varker 2007 · TACE (doxorubicin, mitomycin, cisplatin)",
        "b": "Marrache 2007 · TACE (doxorubicin, streptozotocin)",
        "c": "Lee 2010",
        "d": "Zero 2012",
    }
    result = _result()
    with figure_context():
        fig = build_forest(result, forest_rows(result, labels, SOURCES), title="t")
        renderer = FigureCanvasAgg(fig).get_renderer()
        texts = [t for ax in fig.axes for t in ax.texts if t.get_text().strip()]
        shown = [" ".join(t.get_text().split()) for t in texts]
        assert not any("…" in text for text in shown)
        for label in labels.values():  # whole, with a † where the row has one
            assert any(text.startswith(label) for text in shown), label
        boxes = [t.get_window_extent(renderer) for t in texts]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
