"""The survival question (nelm.evidence.survival_analysis): which arms are drawn, named how."""

from __future__ import annotations

from nelm.evidence.survival_analysis import not_drawn_text, survival


def test_a_cohort_published_twice_is_drawn_once_as_its_latest_publication() -> None:
    # 000 Table 1 prints Mayo [25] 2010 and Mayo [14] 2011, both 339 resected patients with
    # median OS 134 and 123 months and 5-year OS 74 %: one cohort (flag cohort_overlap),
    # drawn once, as the 2011 publication.
    analysis = survival("liver_resection", "os")
    curves = {c["id"]: c for c in analysis.document["curves"]}
    assert curves["mayo-2011-surgery@000-t1"]["label"] == "Mayo 2011 · Surgery · n = 339"
    skipped = {s["id"]: s for s in analysis.document["skipped"]}
    # Of Mayo 2010's three sources (000 Table 1, 001 Table 1, 004 §3.1) the table of the
    # lowest seed stands for the arm, and it gives way to the later publication.
    assert skipped["mayo-2010-resection@000-t1"]["code"] == "same_cohort"
    assert "mayo-2011-surgery@000-t1" in skipped["mayo-2010-resection@000-t1"]["reason"]


def test_the_figure_counts_the_arms_not_drawn_by_reason() -> None:
    skipped = [{"code": "review_summary"}, {"code": "no_anchor"}, {"code": "no_anchor"}]
    assert not_drawn_text(skipped) == "Not drawn: 2 without a survival figure, 1 from reviews"
    assert not_drawn_text([]) == ""
