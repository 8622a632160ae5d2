"""nelm.evidence.selection: which records enter a statistic, and why others do not."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from nelm.evidence.records import EvidenceRecord
from nelm.evidence.selection import is_median_outcome, select_records


def record(
    rid: str,
    key: str,
    *,
    n: int | None = 50,
    locator: str = "Table 1",
    seed: str = "000",
    flags: tuple[str, ...] = (),
    design: str = "retrospective",
    author: str = "Smith",
    year: int = 2010,
) -> EvidenceRecord:
    return EvidenceRecord(
        id=rid,
        study_key=key,
        author=author,
        year=year,
        arm="TACE",
        modality="tace",
        design=design,
        population="mixed",
        n=n,
        n_pnet=None,
        outcomes=MappingProxyType({"os_5y_percent": 40.0}),
        not_reached=(),
        flags=flags,
        source=MappingProxyType({"seed": seed, "locator": locator}),
    )


def test_the_rules_of_the_module_docstring() -> None:
    chosen = select_records(
        [
            record("a", "k1"),
            record("a2", "k1", locator="§3.1"),  # same arm from running text: not used
            record("b", "k2", n=None),  # no patient count
            record("c", "k3", design="meta_analysis"),  # a review's summary
            record("d", "k4", flags=("combination_therapy",)),
        ],
        "os_5y_percent",
    )
    assert [r.id for r in chosen.used] == ["a"]
    assert [d.used.id for d in chosen.duplicates] == ["a"]
    reasons = {e.record.id: e.reason for e in chosen.excluded}
    assert set(reasons) == {"b", "c", "d"}
    assert "number of patients" in reasons["b"]


def test_one_cohort_published_twice_counts_once_the_latest() -> None:
    chosen = select_records(
        [
            record("old", "s2005", flags=("cohort_overlap",), year=2005),
            record("new", "s2012", flags=("cohort_overlap",), year=2012),
        ],
        "os_5y_percent",
    )
    assert [r.id for r in chosen.used] == ["new"]


def test_medians_are_summarised_not_pooled() -> None:
    assert is_median_outcome("median_os_months") and not is_median_outcome("os_5y_percent")


def test_an_arm_without_n_takes_the_count_its_other_sources_agree_on() -> None:
    # The NETTER-1 case: 002 §2.3 gives a value without n, 000 Table 4 the arm's n.
    with_n = record("t", "k1", n=111)
    without = record("x", "k1", n=None, seed="002", locator="§2.3")
    chosen = select_records([without], "os_5y_percent", siblings=[with_n, without])
    assert [(r.id, r.n) for r in chosen.used] == [("x", 111)]
    assert any("n = 111" in c for c in chosen.cautions)


def test_a_superseded_count_is_replaced_and_a_lone_subgroup_set_aside() -> None:
    printed = record("a", "k1", n=50, flags=("n_superseded",))
    other = record("b", "k1", n=123, seed="001")
    chosen = select_records([printed], "os_5y_percent", siblings=[printed, other])
    assert [(r.id, r.n) for r in chosen.used] == [("a", 123)]
    shifted = record("s1", "k2", flags=("column_shift_corrected", "selected_subgroup"))
    partner = record("s2", "k3", flags=("selected_subgroup",))
    reasons = {
        e.record.id: e.reason for e in select_records([shifted, partner], "os_5y_percent").excluded
    }
    assert "column_shift_corrected" in reasons["s1"] and "s1" not in reasons.get("s2", "s1")
    assert "other part" in reasons["s2"]


def test_a_high_grade_population_needs_to_be_asked_for() -> None:
    nec = replace(record("n1", "k1"), population="nec")
    assert select_records([nec], "os_5y_percent").excluded
    assert select_records([nec], "os_5y_percent", high_grade_admitted=True).used
