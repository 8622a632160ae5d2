"""nelm.evidence.analyses: one call per question (fast checks; the agreement across the
command line, the API and the assessment is tests/web/test_evidence_agreement.py)."""

from __future__ import annotations

import pytest

from nelm.errors import InputRejected
from nelm.evidence import analyses
from nelm.evidence.analyses import Filters, heading, pool, select, survival, survival_title


def test_titles_come_from_the_vocabulary() -> None:
    assert heading("tae", "os_5y_percent") == "5-year overall survival after TAE"
    assert survival_title("tace", "pfs") == "Progression-free survival after TACE"


def test_the_document_lists_what_it_used_and_what_it_set_aside() -> None:
    analysis = pool("liver_resection", "os_5y_percent")
    doc = analysis.document
    used = [s["id"] for s in doc["studies"]]
    assert used == [r.id for r in analysis.selection.used]
    assert doc["k"] == len(used) >= 2
    set_aside = {e["id"] for e in doc["left_out"]}
    assert set_aside.isdisjoint(used)
    assert doc["kind"] == "pooled_proportion" and doc["title"].startswith("5-year")


def test_filters_narrow_the_candidates() -> None:
    everything = select("liver_resection", "os_5y_percent")
    recent = select("liver_resection", "os_5y_percent", Filters(year_from=2010))
    assert {r.id for r in recent.used} <= {r.id for r in everything.used}
    assert all((r.year or 0) >= 2010 for r in recent.used)


def test_unknown_questions_are_refused_naming_the_parameter() -> None:
    with pytest.raises(InputRejected) as caught:
        pool("surgery", "os_5y_percent")
    assert caught.value.problems[0].path == "modality"
    with pytest.raises(InputRejected) as caught:
        survival("tace", "dfs")
    assert caught.value.problems[0].path == "kind"


def test_a_subgroup_survival_is_never_drawn_as_the_arms() -> None:
    # Seed 004 §3.2: Zener 2019 (160 TAE patients) reports 1-, 3- and 5-year OS of 87, 59
    # and 48 % "of well to moderately differentiated patients" only: a favourable subgroup.
    analysis = analyses.survival("tae", "os")
    drawn = {c["id"] for c in analysis.document["curves"]}
    assert "zener-2019-tae@004-text" not in drawn
    skipped = {s["id"]: s for s in analysis.document["skipped"]}
    assert skipped["zener-2019-tae@004-text"]["code"] == "subgroup_outcome"
    assert "subgroup" in skipped["zener-2019-tae@004-text"]["reason"]


def test_plots_name_their_sources_as_references() -> None:
    # Seed 000 (Table 2 and 3) is Ngongoni & Visser 2022, Cancers 14:5103 (its header).
    forest = analyses.forest_plot(pool("tace", "os_5y_percent"), "svg")
    curves = analyses.survival_plot(survival("tace", "os"), "svg")
    for svg in (forest, curves):
        assert b"Ngongoni 2022, Table 2" in svg
        assert b"seed 000" not in svg
    assert analyses.source_label({"seed": "001", "locator": "Table 2"}) == "Machairas 2021, Table 2"
