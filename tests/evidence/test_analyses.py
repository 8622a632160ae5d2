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


def _with_a_high_grade_copy(monkeypatch: pytest.MonkeyPatch) -> str:
    """The liver-resection records, with a copy of Sarmiento 2003 (000 Table 1: median OS
    81 months, 61 % at 5 years, two anchors) given a high-grade population: an arm that
    would be drawn but for its grade. Returns the copy's id."""
    import dataclasses

    import nelm.evidence.records as records

    real = records.records_for
    sarmiento = next(
        r for r in real(modality="liver_resection") if r.study_key.startswith("sarmiento")
    )
    copy = dataclasses.replace(
        sarmiento, id="nec-copy@test", study_key="nec-copy", author="Copy", population="nec"
    )

    def records_for(
        modality: str | None = None, outcome: str | None = None
    ) -> tuple[records.EvidenceRecord, ...]:
        found = real(modality=modality, outcome=outcome)
        if modality == "liver_resection":
            return (*found, copy)
        return found

    monkeypatch.setattr(records, "records_for", records_for)
    return copy.id


def test_a_high_grade_arm_is_drawn_only_when_asked_for_as_it_is_pooled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # selection.py: a high-grade population (nec, nen_g3) is not pooled with G1-G2 NET
    # unless asked for (001 Figure 2 is the algorithm for well-differentiated G1/G2 NELM;
    # 000 §4 reports the G3 PRRT series separately). The figure follows the pool.
    copy = _with_a_high_grade_copy(monkeypatch)
    default = survival("liver_resection", "os")
    assert copy not in {c["id"] for c in default.document["curves"]}
    skipped = {s["id"]: s for s in default.document["skipped"]}
    assert skipped[copy]["code"] == "high_grade"
    assert "001 Figure 2" in skipped[copy]["reason"]
    assert default.document["high_grade_included"] is False
    assert b"HIGH GRADE" not in analyses.survival_plot(default, "svg")

    asked = survival("liver_resection", "os", high_grade=True)
    curves = {c["id"]: c for c in asked.document["curves"]}
    assert curves[copy]["high_grade"] is True
    assert curves[copy]["label"].startswith("HIGH GRADE (neuroendocrine carcinoma) · Copy 2003")
    assert not any(c["high_grade"] for i, c in curves.items() if i != copy)
    svg = analyses.survival_plot(asked, "svg").decode()
    # marked in the key and in the subtitle (test_survival_plot: its line and its tag)
    assert "<!-- HIGH GRADE (neuroendocrine carcinoma) · Copy 2003" in svg
    assert "HIGH GRADE (NEC, G3)," in svg


def test_a_high_grade_arm_that_cannot_be_drawn_keeps_its_own_reason() -> None:
    # 000 Table 4: Carlsen 2019, PRRT in GEP NEN G3, median OS 29 months and no landmark
    # rate: one OS figure, so no curve whatever is asked.
    for asked in (False, True):
        skipped = {s["id"]: s for s in survival("prrt", "os", high_grade=asked).document["skipped"]}
        assert skipped["carlsen-2019-prrt@000-t4"]["code"] == "one_anchor"
