"""The packaged evidence records (nelm.evidence.records): schema, counts, values, conflicts.

Every expected number below was read from the seed article named beside it (file
``/work/shared/seeds/<seed>_….txt``), not from the code's output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from nelm.errors import InputRejected, KnowledgeBaseError
from nelm.evidence import records as records_module
from nelm.evidence.records import (
    DESIGNS,
    FLAGS,
    MODALITIES,
    NOT_REACHED,
    OUTCOMES,
    POPULATIONS,
    SEEDS,
    Conflict,
    EvidenceRecord,
    arm_label,
    conflicts,
    load_records,
    records_for,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "evidence-extraction.md"

CONTRACT_OUTCOMES = (
    "median_os_months",
    "median_pfs_months",
    "os_1y_percent",
    "os_3y_percent",
    "os_5y_percent",
    "os_10y_percent",
    "dfs_5y_percent",
    "orr_percent",
    "dcr_percent",
    "stable_disease_percent",
    "progressive_disease_percent",
    "symptom_response_percent",
    "biochemical_response_percent",
    "morbidity_percent",
    "mortality_percent",
    "r0_percent",
    "recurrence_5y_percent",
)
OPTION_IDS = (
    "liver_resection",
    "staged_resection",
    "simultaneous_resection",
    "cytoreductive_surgery",
    "primary_tumor_resection",
    "liver_transplant_milan",
    "liver_transplant_enets",
    "liver_transplant_unos",
    "thermal_ablation",
    "tae",
    "tace",
    "deb_tace",
    "tare",
    "prrt",
    "ssa",
    "everolimus",
    "sunitinib",
    "surufatinib",
    "cabozantinib",
    "capecitabine_temozolomide",
    "streptozocin_5fu",
    "platinum_etoposide",
    "interferon_alpha",
)


def by_id(record_id: str) -> EvidenceRecord:
    (record,) = [r for r in load_records() if r.id == record_id]
    return record


# --- vocabulary and schema ------------------------------------------------------------


def test_vocabularies_contain_the_contract() -> None:
    # evidence-v1.md "Outcome names"; assessment-v1.md "Option ids" plus the three
    # evidence-only modality values; evidence-v1.md "design".
    assert OUTCOMES[: len(CONTRACT_OUTCOMES)] == CONTRACT_OUTCOMES
    assert set(OPTION_IDS) | {"tae_tace", "intra_arterial", "other"} == set(MODALITIES)
    assert DESIGNS == (
        "rct",
        "prospective",
        "retrospective",
        "registry",
        "meta_analysis",
        "systematic_review",
        "unknown",
    )


def test_every_record_satisfies_the_schema() -> None:
    records = load_records()
    assert len({r.id for r in records}) == len(records)
    for r in records:
        assert re.fullmatch(rf"{re.escape(r.study_key)}@{r.source['seed']}-[a-z0-9-]+", r.id)
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*-(\d{4}|nd)-[a-z0-9-]+", r.study_key)
        assert r.author and r.arm
        if r.year is None:  # only when no source gives one, and then the key says "nd"
            assert "year_unknown" in r.flags and "-nd-" in r.study_key
        else:
            assert 1900 <= r.year <= 2030
        assert r.modality in MODALITIES
        assert r.design in DESIGNS
        assert r.population in POPULATIONS
        assert r.n is None or r.n >= 1
        assert r.n_pnet is None or (r.n_pnet >= 0 and (r.n is None or r.n_pnet <= r.n))
        assert r.source["seed"] in SEEDS and r.source["locator"]
        for name, value in r.outcomes.items():
            assert name in OUTCOMES
            assert 0 <= value <= 100 if name.endswith("_percent") else value > 0
        assert set(r.not_reached) <= set(OUTCOMES)
        assert not set(r.not_reached) & set(r.outcomes)
        assert set(r.flags) <= set(FLAGS)
        if r.source["locator"].startswith("§"):
            assert r.quote, r.id  # text-derived: the sentence travels with the number
        else:
            assert r.source.get("row"), r.id  # table-derived: the printed row is named


def test_as_dict_uses_contract_field_names_with_outcomes_flattened() -> None:
    # seed 000 Table 1, row "Sarmiento [13] 2003"
    doc = by_id("sarmiento-2003-resection@000-t1").as_dict()
    for key in (
        "id",
        "study_key",
        "author",
        "year",
        "arm",
        "modality",
        "design",
        "population",
        "n",
        "n_pnet",
        "source",
        "note",
        "not_reached",
        "flags",
    ):
        assert key in doc
    assert "outcomes" not in doc
    assert doc["median_os_months"] == 81
    assert doc["os_5y_percent"] == 61
    assert doc["source"] == {"seed": "000", "locator": "Table 1", "row": "Sarmiento [13] 2003"}


def test_every_flag_and_added_outcome_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for flag in FLAGS:
        assert f"`{flag}`" in text, flag
    for name in OUTCOMES[len(CONTRACT_OUTCOMES) :]:
        assert f"`{name}`" in text, name


def test_records_are_cached() -> None:
    assert load_records() is load_records()


# --- one record per printed row ---------------------------------------------------------

# Data rows counted in the seed tables (continuation rows of two-arm studies included):
TABLE_ROWS = {
    # 000 Table 1: Que, Norton, Sarmiento, Givi ×2, Kazanjian, Osborne ×2, Schurr, Nguyen,
    # Chambers, Hill ×2, Glazer, Mayo 2010, Mayo 2011 ×2, Cheung, Graff-Baker, Birnbaum ×2,
    # Partelli ×2, Keutgen ×2, Maxwell, Morgan, Feng ×2, Scott, Tierney ×2, Titan
    ("000", "Table 1"): 33,
    # 000 Table 2: Ruszniewski ×2, Kress, Gupta ×2, Osborne, Strosberg, Ho ×2, Bloomston,
    # Ruutiainen ×2, Pitt ×2, Dong, Mayo, Maire ×2, Bhagat, Fiore ×2, Dhir
    ("000", "Table 2"): 22,
    # 000 Table 3: Rhee ×2, Kennedy, Cao, Memon, Paprottka, Gebhard ×2, Chen ×3,
    # Do Minh ×3, Tomozawa, Egger ×2
    ("000", "Table 3"): 17,
    # 000 Table 4: Valkema, Kwekkeboom, Bodei, Ezziddin [82], Ezziddin [83], Bertani,
    # Strosberg, Partelli ×2, Carlsen, Satapathy, Sistani, Kaemmerer ×2
    ("000", "Table 4"): 14,
    # 001 Table 1: Sahara … McEntee, one row per study
    ("001", "Table 1"): 11,
    # 001 Supplementary Table 1: Bloomston … Yao, one row per study
    ("001", "Supplementary Table 1"): 23,
    # 001 Supplementary Table 2: Bodei 2011 … Valkema, one row per study
    ("001", "Supplementary Table 2"): 16,
}


def test_each_seed_table_has_one_record_per_printed_row() -> None:
    counts = Counter((r.source["seed"], r.source["locator"]) for r in load_records())
    for key, rows in TABLE_ROWS.items():
        assert counts[key] == rows, key


def test_text_records_per_seed() -> None:
    # The arms extracted from each seed's running text (listed in
    # docs/evidence-extraction.md); pinned so that a lost record is noticed.
    counts = Counter(
        r.source["seed"] for r in load_records() if r.source["locator"].startswith("§")
    )
    assert counts == {"000": 10, "001": 25, "002": 27, "003": 12, "004": 51}


# --- spot checks against the seeds ------------------------------------------------------


def test_000_table1_sarmiento_row() -> None:
    # 000 Table 1: "Sarmiento [13] | 2003 | 170 | 52 | - | 96 | - | 14 | 1.2 | 81 | - | 61"
    r = by_id("sarmiento-2003-resection@000-t1")
    assert (r.n, r.n_pnet, r.modality) == (170, 52, "liver_resection")
    assert dict(r.outcomes) == {
        "symptom_response_percent": 96,
        "morbidity_percent": 14,
        "mortality_percent": 1.2,
        "median_os_months": 81,
        "os_5y_percent": 61,
    }


def test_000_table1_mean_survival_and_not_reported_marks() -> None:
    # 000 Table 1, Osborne 2nd row: "61 | 16 | cytoreduction | 93 | - | 2 | 1 | 43 *"
    # ("* mean survival")
    osborne = by_id("osborne-2006-cytoreduction@000-t1")
    assert osborne.outcomes["median_os_months"] == 43
    assert "mean_not_median" in osborne.flags
    # 000 Table 1, Maxwell 2016: median OS "nr" (footnote: "nr, not reported"), PFS 38
    maxwell = by_id("maxwell-2016-cytoreduction@000-t1")
    assert "median_os_months" not in maxwell.outcomes
    assert "median_os_months" not in maxwell.not_reached
    assert "nr_not_reported" in maxwell.flags
    assert maxwell.outcomes["median_pfs_months"] == 38


def test_000_table1_primary_resection_mark_covers_both_rows() -> None:
    # 000 Table 1: "# Hill [23] 2009 | 310 | 310 | Resected | … | 114" and its
    # continuation row "417 | 417 | unresected | … | 35"
    resected = by_id("hill-2009-resected@000-t1")
    unresected = by_id("hill-2009-unresected@000-t1")
    assert (resected.n, resected.outcomes["median_os_months"]) == (310, 114)
    assert (unresected.n, unresected.outcomes["median_os_months"]) == (417, 35)
    assert "primary_resection_only" in resected.flags
    assert "primary_resection_only" in unresected.flags
    assert unresected.modality == "other"


def test_000_table2_gupta_morbidity_marks() -> None:
    # 000 Table 2, Gupta 2nd row: "54 | 54 | | - | - | 35 | 61 | 4 | | | 16 | 23 | 14";
    # the study's morbidity "20 [#], 12 [¶]" (# TACE, ¶ TAE) is not an arm value
    r = by_id("gupta-2005-islet-cell@000-t2")
    assert (r.n, r.n_pnet, r.modality) == (54, 54, "tae_tace")
    assert r.outcomes["orr_percent"] == 35
    assert r.outcomes["stable_disease_percent"] == 61
    assert r.outcomes["progressive_disease_percent"] == 4
    assert r.outcomes["median_pfs_months"] == 16
    assert r.outcomes["median_os_months"] == 23
    assert r.outcomes["os_5y_percent"] == 14
    assert "morbidity_percent" not in r.outcomes
    assert {"tace_value", "tae_value"} <= set(r.flags)
    assert r.note is not None and "20" in r.note and "12" in r.note


def test_000_table2_entire_cohort_value_stays_on_its_row() -> None:
    # 000 Table 2, Ho 1st row: morbidity "10 [¥]", 30-day mortality "4 [¥]" (entire cohort)
    carcinoid = by_id("ho-2007-carcinoid@000-t2")
    assert carcinoid.outcomes["morbidity_percent"] == 10
    assert carcinoid.outcomes["mortality_percent"] == 4
    assert "entire_cohort" in carcinoid.flags
    islet = by_id("ho-2007-islet-cell@000-t2")
    assert "morbidity_percent" not in islet.outcomes


def test_000_table2_implausible_cells_are_not_recorded() -> None:
    # 000 Table 2, Fiore 2nd row: "13 | 6 | TACE | … | - | 61 | - | 36 | -" (61 under 30-day
    # mortality); Maire 1st row: "0 [¥]" under median PFS/TTP
    fiore = by_id("fiore-2014-tace@000-t2")
    assert dict(fiore.outcomes) == {}
    assert "cell_not_recorded" in fiore.flags
    maire = by_id("maire-2012-tace@000-t2")
    assert "median_pfs_months" not in maire.outcomes
    assert maire.outcomes["orr_percent"] == 100


def test_000_table3_do_minh_deb_tace_row() -> None:
    # 000 Table 3, Do Minh 2nd row: "26 | 10 | DEB-TACE | - | 4 | 92 | 4 | - | 22 | 73 | 10 | 89"
    r = by_id("do-minh-2017-deb-tace@000-t3")
    assert (r.n, r.n_pnet, r.modality) == (26, 10, "deb_tace")
    assert dict(r.outcomes) == {
        "median_os_months": 22,
        "os_1y_percent": 73,
        "os_5y_percent": 10,
        "orr_percent": 4,
        "stable_disease_percent": 92,
        "progressive_disease_percent": 4,
        "morbidity_percent": 89,
    }


def test_000_table4_slash_columns_and_not_reached() -> None:
    # 000 Table 4, Bodei 2011: PFS/TTP "-/36", OS/DSS "nr/-", mortality "27 [#]"
    # ("nr, not reached"; "# died from disease progression")
    bodei = by_id("bodei-2011-prrt@000-t4")
    assert bodei.outcomes["median_ttp_months"] == 36
    assert "median_pfs_months" not in bodei.outcomes
    assert bodei.not_reached == ("median_os_months",)
    assert "mortality_percent" not in bodei.outcomes
    assert "died_of_progression" in bodei.flags
    # 000 Table 4, Strosberg 2017: PFS "nr/-", OS "nr/-", CR+PR 18
    netter = by_id("strosberg-2017-prrt@000-t4")
    assert set(netter.not_reached) == {"median_pfs_months", "median_os_months"}
    assert netter.outcomes["orr_percent"] == 18
    # 000 Table 4, Partelli 2018 rows: OS/DSS "-/nr"
    assert by_id("partelli-2018-prrt-first@000-t4").not_reached == ("median_dss_months",)
    # 000 Table 4, Ezziddin [83]: Sx Resp "100 [¥]" (patients with pain from bone metastases)
    ezziddin = by_id("ezziddin-2011-prrt-bone@000-t4")
    assert ezziddin.outcomes["symptom_response_percent"] == 100
    assert "denominator_pain_patients" in ezziddin.flags


def test_000_table4_kaemmerer_second_row_is_read_one_column_left() -> None:
    # 000 Table 4, Kaemmerer 2nd row prints "- | 14/- | 67/-" under PFS/TTP, OS/DSS and
    # five-year survival; the first row reads "18/- | 134/- | 71".
    first = by_id("kaemmerer-2021-prrt-pt-resected@000-t4")
    assert dict(first.outcomes) == {
        "median_pfs_months": 18,
        "median_os_months": 134,
        "os_5y_percent": 71,
    }
    second = by_id("kaemmerer-2021-prrt-no-pt-resection@000-t4")
    assert dict(second.outcomes) == {"median_pfs_months": 14, "median_os_months": 67}
    assert "column_shift_corrected" in second.flags
    assert (second.n, second.n_pnet) == (403, 187)


def test_001_table1_mayo_2010_row() -> None:
    # 001 Table 1: "Mayo 2010 [30] | … | 339 | 58 | 40 | 40 | 20 | 54/22 | 92 | 81 | 74 |
    # 57 | 24 | 6"
    r = by_id("mayo-2010-resection@001-t1")
    assert r.n == 339
    assert dict(r.outcomes) == {
        "r0_percent": 54,
        "os_1y_percent": 92,
        "os_3y_percent": 81,
        "os_5y_percent": 74,
        "dfs_1y_percent": 57,
        "dfs_3y_percent": 24,
        "dfs_5y_percent": 6,
    }


def test_001_supp_table1_paired_cells_are_not_split() -> None:
    # 001 Supplementary Table 1, Ho 2007: "46 | TAE … or TACE … | GEP-NEN | 78-75 |
    # 45-45/32-45 | 23-16 | 42-44" — the table does not say which value is which arm
    ho = by_id("ho-2007-tae-tace@001-supp-t1")
    assert (ho.n, ho.modality) == (46, "tae_tace")
    assert dict(ho.outcomes) == {}
    assert "range_not_recorded" in ho.flags
    # Chen 2017: "91 | TAE or TACE | … | - | - | 15-8.1 | -"
    chen = by_id("chen-2017-tae-tace@001-supp-t1")
    assert "median_pfs_months" not in chen.outcomes


def test_001_supp_table2_kwekkeboom_row() -> None:
    # 001 Supplementary Table 2: "Kwekkeboom 2008 [32] | 310 | … | Retrospective | GEP-NEN |
    # 46/- | 40 | 46"
    r = by_id("kwekkeboom-2008-prrt@001-supp-t2")
    assert (r.n, r.design, r.population) == (310, "retrospective", "gep_net")
    assert dict(r.outcomes) == {"orr_percent": 46, "median_pfs_months": 40, "median_os_months": 46}


def test_001_text_clichy_two_stage_and_milan_transplant() -> None:
    # 001 §Staged resections: R0 75%, morbidity 21%, mortality 0%, 2-/5-year OS 94%/94%,
    # 2-/5-year DFS 85%/50%, median follow-up 64 months
    clichy = by_id("kianmanesh-2008-two-stage@001-text")
    assert clichy.modality == "staged_resection"
    assert dict(clichy.outcomes) == {
        "r0_percent": 75,
        "morbidity_percent": 21,
        "mortality_percent": 0,
        "os_2y_percent": 94,
        "os_5y_percent": 94,
        "dfs_2y_percent": 85,
        "dfs_5y_percent": 50,
    }
    assert clichy.follow_up_months == 64
    # 001 §Liver transplantation: 42 OLT vs 46 non-OLT, 5-year 97.2% vs 50.9%, 10-year
    # 88.9% vs 22.4%
    olt = by_id("mazzaferro-2016-olt@001-text")
    non_olt = by_id("mazzaferro-2016-non-olt@001-text")
    assert (olt.n, olt.modality) == (42, "liver_transplant_milan")
    assert (olt.outcomes["os_5y_percent"], olt.outcomes["os_10y_percent"]) == (97.2, 88.9)
    assert (non_olt.n, non_olt.modality) == (46, "other")
    assert (non_olt.outcomes["os_5y_percent"], non_olt.outcomes["os_10y_percent"]) == (50.9, 22.4)


def test_002_text_years_are_converted_to_months() -> None:
    # 002 §3.2: Touloupas, 202 patients, "a median OS as high as 5.3 years"
    r = by_id("touloupas-2021-tace@002-text")
    assert r.n == 202
    assert r.outcomes["median_os_months"] == pytest.approx(5.3 * 12)
    assert "converted_from_years" in r.flags


def test_002_text_netter1_arms() -> None:
    # 002 §2.3: PFS 28.4 vs 8.5 months; median OS 48 vs 36.3 months
    prrt = by_id("strosberg-2017-prrt@002-text")
    control = by_id("strosberg-2017-octreotide-lar@002-text")
    assert (prrt.outcomes["median_pfs_months"], prrt.outcomes["median_os_months"]) == (28.4, 48)
    assert (control.outcomes["median_pfs_months"], control.outcomes["median_os_months"]) == (
        8.5,
        36.3,
    )


def test_003_text_radiant3_arms_with_a_placebo_comparator() -> None:
    # 003 §Targeted therapies: "significantly longer PFS (11 versus 4.6 months)"
    everolimus = by_id("yao-2011-everolimus@003-text")
    placebo = by_id("yao-2011-placebo@003-text")
    assert (everolimus.modality, everolimus.outcomes["median_pfs_months"]) == ("everolimus", 11)
    assert (placebo.modality, placebo.arm, placebo.outcomes["median_pfs_months"]) == (
        "other",
        "placebo",
        4.6,
    )


def test_004_text_frilling_meta_analysis() -> None:
    # 004 §3.2: 27 studies, ORR 51%, DCR 88%, 1-/2-/3-year survival 95/87/78%, median OS 57
    r = by_id("frilling-2019-tare@004-text")
    assert r.design == "meta_analysis"
    assert dict(r.outcomes) == {
        "orr_percent": 51,
        "dcr_percent": 88,
        "os_1y_percent": 95,
        "os_2y_percent": 87,
        "os_3y_percent": 78,
        "median_os_months": 57,
    }
    assert "pooled_estimate" in r.flags


def test_004_text_cabinet_and_zener() -> None:
    # 004 §3.4: CABINET pNET cohort, mPFS 13.8 (cabozantinib) vs 4.4 months (placebo)
    assert by_id("chan-2024-cabinet-p-cabozantinib@004-text").outcomes["median_pfs_months"] == 13.8
    assert by_id("chan-2024-cabinet-p-placebo@004-text").outcomes["median_pfs_months"] == 4.4
    # 004 §3.2: Zener, CR 13% + PR 40%, SD 24%, 1/3/5-year OS 87/59/48%
    zener = by_id("zener-2019-tae@004-text")
    assert zener.outcomes["orr_percent"] == 13 + 40
    assert "derived_orr" in zener.flags
    assert (
        zener.outcomes["os_1y_percent"],
        zener.outcomes["os_3y_percent"],
        zener.outcomes["os_5y_percent"],
    ) == (87, 59, 48)


# --- queries ------------------------------------------------------------------------------


def test_records_for_filters_by_modality_and_outcome() -> None:
    tare = records_for(modality="tare")
    assert tare and all(r.modality == "tare" for r in tare)
    with_os = records_for(modality="prrt", outcome="median_os_months")
    assert all("median_os_months" in r.outcomes for r in with_os)
    ids = {r.id for r in with_os}
    # Bodei 2011 reports median OS as not reached in both seeds: no number, not listed
    assert "bodei-2011-prrt@000-t4" not in ids
    assert "kwekkeboom-2008-prrt@000-t4" in ids
    assert records_for() == load_records()


def test_records_for_rejects_unknown_names() -> None:
    with pytest.raises(InputRejected) as caught:
        records_for(modality="tacos", outcome="median_survival")
    assert [p.path for p in caught.value.problems] == ["modality", "outcome"]


# --- conflicts ------------------------------------------------------------------------------


def _conflict(study_key: str, field: str) -> Conflict:
    (found,) = [c for c in conflicts() if c.study_key == study_key and c.field == field]
    return found


def test_conflicts_kwekkeboom_2008() -> None:
    # 000 Table 4: CR+PR 29, median PFS 33; 001 Supplementary Table 2: ORR 46, PFS 40
    orr = _conflict("kwekkeboom-2008-prrt", "orr_percent")
    assert dict(orr.values) == {
        "kwekkeboom-2008-prrt@000-t4": 29,
        "kwekkeboom-2008-prrt@001-supp-t2": 46,
    }
    pfs = _conflict("kwekkeboom-2008-prrt", "median_pfs_months")
    assert dict(pfs.values) == {
        "kwekkeboom-2008-prrt@000-t4": 33,
        "kwekkeboom-2008-prrt@001-supp-t2": 40,
    }
    # both give median OS 46: no conflict on it
    assert not [
        c
        for c in conflicts()
        if c.study_key == "kwekkeboom-2008-prrt" and c.field == "median_os_months"
    ]


def test_conflicts_dong_2011_patients() -> None:
    # 000 Table 2: N 50; 001 Supplementary Table 1: 123 patients
    found = _conflict("dong-2011-tace", "n")
    assert dict(found.values) == {"dong-2011-tace@000-t2": 50, "dong-2011-tace@001-supp-t1": 123}


def test_conflicts_bloomston_year() -> None:
    # 000 Table 2: "Bloomston [53] | 2007"; 001 Supplementary Table 1: "Bloomston 2017 [1]"
    found = _conflict("bloomston-2007-tace", "year")
    assert dict(found.values) == {
        "bloomston-2007-tace@000-t2": 2007,
        "bloomston-2007-tace@001-supp-t1": 2017,
    }


def test_not_reached_against_a_number_is_a_conflict() -> None:
    # 000 Table 4 (Strosberg 2017): PFS "nr"; 002 §2.3: PFS 28.4 months
    found = _conflict("strosberg-2017-prrt", "median_pfs_months")
    values = dict(found.values)
    assert values["strosberg-2017-prrt@000-t4"] == NOT_REACHED
    assert values["strosberg-2017-prrt@002-text"] == 28.4


def test_conflicts_of_a_given_set_only() -> None:
    sarmiento = [r for r in load_records() if r.study_key == "sarmiento-2003-resection"]
    # 000 Table 1, 001 Table 1 and 004 §3.1 agree (170 patients, 5-year OS 61%)
    assert len(sarmiento) == 3
    assert conflicts(sarmiento) == ()


# --- loading failures ---------------------------------------------------------------------

_GOOD = """
- id: a-2000-x@000-t1
  study_key: a-2000-x
  author: A
  year: 2000
  arm: all
  modality: tace
  design: unknown
  population: net
  n: 10
  source: {seed: "000", locator: Table 1, row: "A 2000"}
"""


@pytest.fixture
def fake_files(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    files: list[tuple[str, str]] = []
    monkeypatch.setattr(records_module, "_record_files", lambda: files)
    load_records.cache_clear()
    yield files
    load_records.cache_clear()


def test_a_well_formed_file_loads(fake_files: list[tuple[str, str]]) -> None:
    fake_files.append(("x.yaml", _GOOD))
    (record,) = load_records()
    assert (record.id, record.n, dict(record.outcomes)) == ("a-2000-x@000-t1", 10, {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("modality: tace", "modality: chemo"), "modality"),
        (lambda t: t + "  outcomes: {median_survival: 3}\n", "unknown outcome"),
        (lambda t: t + "  outcomes: {os_5y_percent: 130}\n", "not a percentage"),
        (lambda t: t + "  flags: [mean]\n", "flags"),
        (lambda t: t.replace("  n: 10\n", ""), "missing field"),
        (lambda t: t + "  colour: red\n", "unknown field"),
        (lambda t: t.replace("year: 2000", "year: '2000'"), "year"),
        (lambda t: t.replace("id: a-2000-x@000-t1", "id: b-2000-x@000-t1"), "id"),
        (lambda t: t.replace('locator: Table 1, row: "A 2000"', 'locator: "§2"'), "quote"),
        (
            lambda t: t + "  outcomes: {median_os_months: 3}\n  not_reached: [median_os_months]\n",
            "not reached",
        ),
        (lambda t: t + _GOOD, "already used"),
        (lambda t: "{not: a list}", "list of records"),
        (lambda t: "- [unclosed", "not valid YAML"),
    ],
)
def test_malformed_files_raise_knowledge_base_error(
    fake_files: list[tuple[str, str]], change: object, message: str
) -> None:
    assert callable(change)
    fake_files.append(("x.yaml", change(_GOOD)))
    with pytest.raises(KnowledgeBaseError, match=message):
        load_records()


def test_no_data_files_is_an_error(fake_files: list[tuple[str, str]]) -> None:
    with pytest.raises(KnowledgeBaseError, match="no data files"):
        load_records()


def test_studies_without_a_year_are_recorded_as_such() -> None:
    # 003 §Potentially curative surgery: "Elias et al.,, detecting a 5-year survival rate of
    # 71% for 47 patients who underwent partial hepatectomy versus 31% for 65 patients
    # treated with chemoembolization [41]" — the seed (which has no reference list) gives
    # no year.
    resected = by_id("elias-nd-hepatectomy@003-text")
    embolised = by_id("elias-nd-chemoembolization@003-text")
    assert (resected.year, resected.n, resected.outcomes["os_5y_percent"]) == (None, 47, 71)
    assert (embolised.year, embolised.n, embolised.outcomes["os_5y_percent"]) == (None, 65, 31)
    assert arm_label(resected) == "Elias n.d. · partial hepatectomy"
    # 004 §3.5: "36 patients had an ORR of 75% (CR 19%, PR 56%), a DCR of 97%"
    doyle = by_id("doyle-nd-tare-recist@004-text")
    assert (doyle.n, doyle.outcomes["orr_percent"], doyle.outcomes["dcr_percent"]) == (36, 75, 97)
