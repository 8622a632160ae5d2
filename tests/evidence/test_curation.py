"""Which records a statistic or a survival figure may use: cohorts that are not NELM series,
high-grade populations, shifted rows, subgroups, patient counts that differ between
sources, and the same cohort drawn twice. Every expected value is read from the seed
named beside it (or, for a pooled estimate, computed from those seed values with R
metafor, the call given in the comment)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from nelm.evidence import analyses
from nelm.evidence.analyses import Filters, pool, survival
from nelm.evidence.records import load_records

ROOT = Path(__file__).resolve().parents[2]


def _used(modality: str, outcome: str, filters: Filters = analyses.NO_FILTERS) -> set[str]:
    return {s["id"] for s in pool(modality, outcome, filters=filters).document["studies"]}


def _excluded(modality: str, outcome: str) -> dict[str, str]:
    doc = pool(modality, outcome).document
    return {e["id"]: e["reason"] for e in doc["excluded"]}


# --- 1. PRRT medians -------------------------------------------------------------------


def _assert_metafor(
    doc: dict[str, Any],
    estimate: float,
    ci: tuple[float, float],
    pi: tuple[float, float],
) -> None:
    """A pool's estimate, confidence and prediction intervals as metafor gives them."""
    assert doc["estimate"] == pytest.approx(estimate, abs=1e-6)
    assert (doc["ci_low"], doc["ci_high"]) == pytest.approx(ci, abs=1e-6)
    assert (doc["pi_low"], doc["pi_high"]) == pytest.approx(pi, abs=1e-6)


def test_prrt_median_os_leaves_out_both_kaemmerer_arms_and_uses_netter1() -> None:
    doc = pool("prrt", "median_os_months").document
    excluded = {e["id"]: e["reason"] for e in doc["excluded"]}
    # 000 Table 4 prints Kaemmerer's 2nd row "- 14/- 67/-": 67 exists only when the row is
    # read one column to the left, and 000 §4 reads 14 as the OS ("14–36 months").
    assert "column_shift_corrected" in excluded["kaemmerer-2021-prrt-no-pt-resection@000-t4"]
    # Its 1st row (after primary-tumour resection, ref 40's title) is the favourable part
    # of the same cohort: not used alone.
    assert "selected_subgroup" in excluded["kaemmerer-2021-prrt-pt-resected@000-t4"]
    # 002 §2.3: NETTER-1 final median OS 48 months; 000 Table 4 gives the arm 111 patients.
    netter = next(s for s in doc["studies"] if s["id"] == "strosberg-2017-prrt@002-text")
    assert (netter["n"], netter["median"]) == (111, 48)
    # n-weighted median by hand from the seed values used (000 Table 4; 001 Supplementary
    # Table 2; 002 §2.3): 22 (Cwikla, 60), 26.9 (Bushnell, 90), 37 (Valkema, 58), 46
    # (Kwekkeboom, 310): 518 of 871 patients ≥ half, so 46 months; range 22 (Cwikla) to 84
    # (Satapathy, 000 Table 4).
    assert doc["n_total"] == 58 + 310 + 90 + 60 + 42 + 61 + 94 + 111 + 45 == 871
    assert (doc["weighted_median"], doc["minimum"], doc["maximum"]) == (46, 22, 84)
    cautions = " ".join(doc["cautions"])
    assert "median OS ranging from 14–36 months (Table 4)" in cautions  # 000 §4
    assert "n = 111" in cautions
    # The 48 months are from the final OS analysis (002 ref 37, "... Final Overall Survival
    # and Long-Term Safety Results ..."), the 111 from the 2017 report (000 ref 84).
    assert "later analysis of the study than seed 000, Table 4" in cautions
    # 000 Table 4's OS/DSS column prints 37, 46, nr, 51, 76, nr, 29, 84, nr, 134 and, on
    # Kaemmerer's 2nd row, 14: no 36, which the statement must not claim to trace.
    assert "no OS cell prints 36" in cautions
    assert "literal reading" not in cautions


def test_the_prrt_os_figure_draws_no_lone_selected_subgroup() -> None:
    analysis = survival("prrt", "os")
    # 000 Table 4: only Kaemmerer's 1st row gives two OS figures (median 134, 5-y 71%); it
    # is the favourable part of a cohort whose other part (2nd row, shifted) is set aside,
    # so, as in the median summary, it is not drawn as PRRT's survival.
    assert analysis.document["curves"] == []
    skipped = {s["id"]: s["code"] for s in analysis.document["skipped"]}
    assert skipped["kaemmerer-2021-prrt-pt-resected@000-t4"] == "lone_subgroup"
    svg = analyses.survival_plot(analysis, "svg").decode()
    assert "No curve drawn" in svg
    assert "a selected subgroup whose other part is set aside" in svg


# --- 2. cohorts that are not NELM series ------------------------------------------------


def test_primary_resection_survival_pools_metastatic_series_only() -> None:
    excluded = _excluded("primary_tumor_resection", "os_5y_percent")
    # 000 refs 36 (locally advanced PNET) and 18 (70 resected PNET) by their titles.
    assert "not_nelm_cohort" in excluded["titan-2020-resection@000-t1"]
    assert "not_nelm_cohort" in excluded["kazanjian-2006-resection@000-t1"]
    # 000 Table 1 "# Schurr [20] 2007 62 62": 001 §Simultaneous primary and NELM resection
    # (ref 46, the same paper) says "7 of 19 patients with panNENs who presented with
    # synchronous NELM", so the 62 are not a NELM series.
    assert "not_nelm_cohort" in excluded["schurr-2007-resection@000-t1"]
    doc = pool("primary_tumor_resection", "os_5y_percent").document
    # 000 Table 1 "#" rows left: Givi 2006 resected PT 81% of 60, Partelli 2015 76% of 91.
    # R 4.2.2, metafor 3.8-1: rma(measure="PLO", xi=c(49,69), ni=c(60,91),
    # method="REML"); predict(res, transf=transf.ilogit) -> 78.0036 (70.6613-83.9264),
    # tau2 = 0 so the PI equals the CI.
    assert [s["events"] for s in doc["studies"]] == [49, 69]
    _assert_metafor(
        doc, 78.0035803729, (70.6613162539, 83.9263548633), (70.6613162539, 83.9263548633)
    )


def test_liver_resection_five_year_pool_against_metafor() -> None:
    excluded = _excluded("liver_resection", "os_5y_percent")
    # 001 ref 33: "Resection of noncolorectal nonneuroendocrine liver metastases".
    assert "not_nelm_cohort" in excluded["reddy-2007-resection@001-t1"]
    # 001 §Surgery for recurrent NELM: Kiritani's 16 patients had a repeat hepatectomy.
    assert "repeat_resection" in excluded["kiritani-2020-repeat-resection@001-text"]
    # 001 Table 1 prints Sahara's OS and DFS alike ("NA 56 43.7 | 79 56 43.7"); ref 27 is
    # "Conditional disease-free survival after curative-intent liver resection ...".
    assert "os_probably_dfs" in excluded["sahara-2019-resection@001-t1"]
    doc = pool("liver_resection", "os_5y_percent").document
    # The 12 arms left (000 Table 1, 001 Table 1, 003 §Potentially curative surgery), as
    # events/n. R 4.2.2, metafor 3.8-1: rma(measure="PLO", xi=c(33,26,13,104,9,32,23,132,
    # 251,47,160,22), ni=c(47,34,16,170,21,73,23,172,339,74,238,26), method="REML") ->
    # 68.4202 (60.6635-75.2709), PI 43.7772-85.7724.
    assert [(s["events"], s["n"]) for s in doc["studies"]] == [
        (33, 47), (26, 34), (13, 16), (104, 170), (9, 21), (32, 73),
        (23, 23), (132, 172), (251, 339), (47, 74), (160, 238), (22, 26),
    ]  # fmt: skip
    _assert_metafor(
        doc, 68.4202067365, (60.6635160190, 75.2708726359), (43.7771832005, 85.7723738656)
    )
    # Frilling 2009 (001 Table 1: 100% of 23): metafor escalc adds 0.5 to both cells, so
    # the study is modelled as 23.5/24 = 97.9167% with CI 74.0584-99.8709 (same R call).
    frilling = next(s for s in doc["studies"] if s["id"] == "frilling-2009-resection@001-t1")
    assert frilling["continuity_corrected"]
    assert frilling["model_percent"] == pytest.approx(97.9166666667, abs=1e-6)
    assert frilling["ci_low"] == pytest.approx(74.0584327149, abs=1e-4)


def test_the_first_resection_curves_leave_out_repeat_and_dfs_figures() -> None:
    skipped = {s["id"]: s["code"] for s in survival("liver_resection", "os").document["skipped"]}
    assert skipped["sahara-2019-resection@001-t1"] == "set_aside"
    assert skipped["reddy-2007-resection@001-t1"] == "set_aside"


def test_a_simulation_study_is_not_pooled() -> None:
    # 001 Supplementary Table 2 prints Del Prete 2017 as "Retrospective"; its ref 28 is
    # "... peptide receptor radionuclide therapy of neuroendocrine tumours: a simulation study".
    record = next(r for r in load_records() if r.id == "del-prete-2017-prrt@001-supp-t2")
    assert record.design == "unknown" and "simulation_study" in record.flags
    assert "simulation" in _excluded("prrt", "orr_percent")[record.id]


# --- 3. high-grade populations ----------------------------------------------------------


def test_high_grade_series_are_pooled_only_on_their_own() -> None:
    by_id = {r.id: r for r in load_records()}
    # 000 ref 33 "... metastatic pancreatic neuroendocrine carcinoma"; 004 ref 16 "...
    # high-grade pancreatic neuroendocrine carcinoma"; 000 ref 86 "... NEN G3".
    assert by_id["feng-2019-pt-resected@000-t1"].population == "nec"
    assert by_id["haugvik-2016-resection@004-text"].population == "nec"
    assert by_id["carlsen-2019-prrt@000-t4"].population == "nen_g3"
    assert (
        "high-grade"
        in _excluded("primary_tumor_resection", "median_os_months")["feng-2019-pt-resected@000-t1"]
    )
    assert "carlsen-2019-prrt@000-t4" not in _used("prrt", "orr_percent")
    # Asked for, a high-grade population is a selection of its own (one arm: too few).
    with pytest.raises(Exception, match="at least two"):
        pool("prrt", "orr_percent", filters=Filters(population="nen_g3"))


# --- 5. patient counts that differ between sources ---------------------------------------


def test_dong_2011_uses_123_patients_and_says_so() -> None:
    # 000 Table 2 prints n = 50; 000's own ref 56 and 001's ref 7 are "... a long-term
    # follow-up in 123 patients", and 001 Supplementary Table 1 prints 123.
    doc = pool("tace", "os_5y_percent").document
    dong = next(s for s in doc["studies"] if s["study_key"] == "dong-2011-tace")
    # 000 Table 2: 5-year OS 36% -> round(0.36 × 123) = 44 events.
    assert (dong["n"], dong["events"]) == (123, 44)
    assert any("n = 123" in c and "50" in c for c in doc["cautions"])


# --- 8. a response denominator smaller than n ----------------------------------------------


def test_strosberg_2006_response_is_11_of_23() -> None:
    # 004 §3.2: "Among the 84 patients evaluated by Strosberg et al., 23 underwent imaging
    # follow-up; 48% had PR": 48% of 23 = 11.04 -> 11 events of 23.
    doc = pool("tae", "orr_percent").document
    [row] = [s for s in doc["studies"] if s["study_key"] == "strosberg-2006-tae"]
    assert (row["id"], row["events"], row["n"]) == ("strosberg-2006-tae@004-text", 11, 23)
    excluded = {e["id"] for e in doc["excluded"]}
    assert {"strosberg-2006-tae@000-t2", "strosberg-2006-tae@001-supp-t1"} <= excluded
    # The same table rows still give the arm's median OS (000 Table 2: 36 months of 84).
    assert "strosberg-2006-tae@000-t2" in _used("tae", "median_os_months")


# --- 9. survival figures -------------------------------------------------------------------


def test_one_curve_per_cohort_and_no_review_drawn() -> None:
    resection = survival("liver_resection", "os").document
    drawn = [c["id"] for c in resection["curves"]]
    skipped = {s["id"]: s["code"] for s in resection["skipped"]}
    # Mayo 2010 is in 000 and 001 Table 1, and 000 Table 1 prints Mayo 2011's surgery arm
    # with the same 339 patients (flag cohort_overlap): drawn once, as Mayo 2011.
    assert [i for i in drawn if i.startswith("mayo-")] == ["mayo-2011-surgery@000-t1"]
    assert skipped["mayo-2010-resection@001-t1"] == "same_arm"
    assert skipped["mayo-2010-resection@000-t1"] == "same_cohort"
    # Sarmiento 2003 is in 000 and 001 Table 1: drawn once, from 000 (table, lower seed).
    assert [i for i in drawn if i.startswith("sarmiento-2003")] == [
        "sarmiento-2003-resection@000-t1"
    ]
    # Yu 2018 (001, a meta-analysis), Jia 2018 and Frilling 2019 (004 §3.2, reviews).
    assert skipped["yu-2018-liver-resection@001-text"] == "review_summary"
    tare = {s["id"]: s["code"] for s in survival("tare", "os").document["skipped"]}
    assert tare["jia-2018-tare@004-text"] == "review_summary"
    assert tare["frilling-2019-tare@004-text"] == "review_summary"


def test_the_subtitle_names_the_real_reasons_and_fits_the_figure() -> None:
    analysis = survival("tare", "os")
    counts = Counter(s["code"] for s in analysis.document["skipped"])
    svg = analyses.survival_plot(analysis, "svg").decode()
    assert "fewer than two usable anchors" not in svg
    assert f"{counts['review_summary']} from reviews" in svg
    assert f"{counts['subgroup_outcome']} with subgroup-only figures" in svg
    # The subtitle is wrapped: no line of it is longer than the figure takes.
    lines = re.findall(r"<!-- (Weibull curves[^>]*|[^<>]*subgroup-only figures[^<>]*) -->", svg)
    assert lines and all(len(line) <= 118 for line in lines)


def test_a_curve_that_misses_its_median_says_where_it_reaches_50_percent() -> None:
    # 000 Table 3, Do Minh 2017 cTACE: median OS 34 months, 1-y OS 81%, 5-y OS 28%; a
    # least-squares Weibull through three figures need not pass through each.
    [curve] = [
        c for c in survival("tace", "os").document["curves"] if c["id"].startswith("do-minh")
    ]
    [miss] = [m for m in curve["misses"] if m.startswith("median")]
    assert miss.startswith("median OS 34 mo: the curve reaches 50% at")


def test_two_arms_that_would_read_alike_are_told_apart() -> None:
    # 000 Table 4 prints two Ezziddin 2011 rows, refs 82 and 83.
    both = [r for r in load_records() if r.study_key.startswith("ezziddin-2011-prrt-")]
    labels = analyses.distinct_labels(both)
    assert labels["ezziddin-2011-prrt-ki67@000-t4"] == "Ezziddin 2011 · ref. 82"
    assert labels["ezziddin-2011-prrt-bone@000-t4"] == "Ezziddin 2011 · ref. 83"
    # Ref 83's response shares add up to 122% ("72 38 12"), so only ref 82's row enters the
    # response pool, where its label needs no mark.
    labels = {s["id"]: s["label"] for s in pool("prrt", "orr_percent").document["studies"]}
    assert labels["ezziddin-2011-prrt-ki67@000-t4"] == "Ezziddin 2011"
    assert "ezziddin-2011-prrt-bone@000-t4" not in labels


def test_the_forest_footnote_says_what_a_100_percent_study_is_modelled_as() -> None:
    # 001 Table 1, Frilling 2009: 5-year OS 100% of 23 -> 23.5/24 = 97.9%.
    svg = analyses.forest_plot(pool("liver_resection", "os_5y_percent"), "svg").decode()
    assert "23/23 as 23.5/24 = 97.9%" in svg


# --- 10, 11. what the seeds say across studies ------------------------------------------


def test_transplant_and_chemotherapy_summaries_quote_the_seeds() -> None:
    from nelm.evidence.summary import compute_summaries

    summaries = compute_summaries()
    milan = summaries["liver_transplant_milan"]["text"]
    # 000 §2.2 "to 67–97% in recent studies"; 001 "30% to almost 100%"; 004 §3.1 "47%-71%".
    assert "67–97%" in milan and "30% to almost 100%" in milan and "47–71%" in milan
    # 003 §Medical therapy: "Response rates of 42—-67% ... cisplatin and etoposide [103]";
    # "objective response rate of 20—-45% [100, 101]".
    platinum = summaries["platinum_etoposide"]["text"]
    assert "42–67%" in platinum and "recorded in the five source reviews" in platinum
    assert "20–45%" in summaries["streptozocin_5fu"]["text"]


# --- 11. the documentation's record counts ------------------------------------------------


def test_the_extraction_page_counts_the_records_it_describes() -> None:
    text = (ROOT / "docs" / "evidence-extraction.md").read_text(encoding="utf-8")
    stated = {
        name: int(count)
        for name, count in re.findall(r"^\| `([0-9a-z-]+\.yaml)` \| .*? \| (\d+) \|$", text, re.M)
    }
    records_dir = ROOT / "src" / "nelm" / "evidence" / "data" / "records"
    actual = {
        path.name: path.read_text(encoding="utf-8").count("\n- id: ")
        + path.read_text(encoding="utf-8").startswith("- id: ")
        for path in sorted(records_dir.glob("*.yaml"))
    }
    assert stated == actual
    total = re.search(r"^(\d+) records in all", text, re.M)
    assert total and int(total.group(1)) == sum(actual.values()) == len(load_records())


# --- review round: medians against landmarks, subsets, selected subgroups -----------------


def test_an_arm_whose_median_contradicts_its_landmarks_is_left_out_of_median_summaries() -> None:
    doc = pool("tace", "median_os_months").document
    excluded = {e["id"]: e["reason"] for e in doc["excluded"]}
    # 000 Table 2 "Dong [56] 2011 ... 65 36": median OS 65 months, 36% alive at 5 years;
    # 001 Supplementary Table 1 prints the same 65 for the same study.
    for record_id in ("dong-2011-tace@000-t2", "dong-2011-tace@001-supp-t1"):
        assert "contradicts the arm's own landmark rates" in excluded[record_id]
    [caution] = [c for c in doc["cautions"] if "Dong 2011" in c]
    assert "median OS 65 months" in caution and "5-year OS 36%" in caution
    # The 13 medians left, by hand (000 Tables 2-3, 001 Supplementary Table 1, 002 §2.2):
    # 15 (30), 24 (23), 26 (49), 28 (27), 33 (50), 33 (122), 34 (122), 39 (42), 40 (20),
    # 44 (44), 44 (91), 50 (197), 63.6 (202): 1019 patients, the running total reaches
    # 509.5 at the first 44 (529), so 44; range 15-63.6.
    assert (doc["k"], doc["n_total"]) == (13, 1019)
    assert (doc["weighted_median"], doc["minimum"], doc["maximum"]) == (44, 15, 63.6)
    # 000 Table 1 "Norton [16] 2003 16 2 ... 32 - 82": median OS 32 months, 82% at 5 years.
    resection = pool("liver_resection", "median_os_months").document
    assert any("Norton 2003" in c and "5-year OS 82%" in c for c in resection["cautions"])
    assert resection["minimum"] == 48  # Nguyen 2007, 000 Table 1


def test_satapathy_response_is_read_on_its_40_evaluable_patients() -> None:
    # 004 §3.5: "12/40 (30%) achieved PR and 22/40 (55%) were SD"; 000 Table 4 prints the
    # same 30 and 55 beside n = 45.
    excluded = _excluded("prrt", "orr_percent")
    assert "response_subset" in excluded["satapathy-2020-prrt@000-t4"]
    doc = pool("prrt", "orr_percent").document
    satapathy = next(s for s in doc["studies"] if s["study_key"] == "satapathy-2020-prrt")
    assert (satapathy["events"], satapathy["n"]) == (12, 40)
    # Partelli 2018 (000 ref 85, "... neoadjuvant therapy for resectable or potentially
    # resectable pancreatic neuroendocrine neoplasms") is not a NELM series.
    assert "not_nelm_cohort" in excluded["partelli-2018-prrt-first@000-t4"]
    # Ezziddin 2011 (ref 83) prints CR+PR, SD, PD "72 38 12" (122%) and Bodei 2011 "33 53
    # 18" (104%) in 000 Table 4: set aside; Bodei's ORR comes from 001 Supplementary Table
    # 2 ("32.6/-" of 51 -> 17).
    assert "response_sum_over_100" in excluded["ezziddin-2011-prrt-bone@000-t4"]
    assert "response_sum_over_100" in excluded["bodei-2011-prrt@000-t4"]
    # The 20 arms left, events/n from 000 Table 4, 001 Supplementary Table 2 and 004 §3.5.
    # R 4.2.2, metafor 3.8-1: rma(measure="PLO", xi=c(5,90,4,14,11,17,31,16,20,10,3,27,
    # 24,14,8,12,20,9,12,15), ni=c(58,310,90,60,29,51,81,69,52,37,43,61,94,78,29,132,
    # 111,39,40,47), method="REML"); predict(res, transf=transf.ilogit) -> 23.5945
    # (18.6051-29.4379), PI 8.3982-50.9836.
    assert [(s["events"], s["n"]) for s in doc["studies"]] == [
        (5, 58), (90, 310), (4, 90), (14, 60), (11, 29), (17, 51), (31, 81),
        (16, 69), (20, 52), (10, 37), (3, 43), (27, 61), (24, 94), (14, 78), (8, 29),
        (12, 132), (20, 111), (9, 39), (12, 40), (15, 47),
    ]  # fmt: skip
    _assert_metafor(
        doc, 23.5944803436, (18.6051313388, 29.4379154926), (8.3982035926, 50.9835925701)
    )


def test_selected_and_non_nelm_prrt_arms_leave_the_pfs_summary() -> None:
    excluded = _excluded("prrt", "median_pfs_months")
    # 004 §4: "9 patients underwent surgical resection, with a mPFS of 69 months".
    assert "subgroup_outcome" in excluded["van-vliet-2015-neoadjuvant-prrt@004-text"]
    assert "not_nelm_cohort" in excluded["partelli-2018-prrt-first@000-t4"]
    doc = pool("prrt", "median_pfs_months").document
    # Largest median left: Satapathy 2020, 000 Table 4 "48/-".
    assert doc["maximum"] == 48


def test_mcentee_relief_is_not_read_as_a_share_of_patients() -> None:
    # 001 §Debulking surgery: "a 50% relief of symptoms was reported following
    # cytoreduction": the degree of relief or the share of patients.
    excluded = _excluded("cytoreductive_surgery", "symptom_response_percent")
    assert "ambiguous_percent" in excluded["mcentee-1990-cytoreduction@001-text"]
    doc = pool("cytoreductive_surgery", "symptom_response_percent").document
    # 000 Table 1: Osborne 2006 93% of 61, Chambers 2008 75% of 66, Scott 2019 45% of 184.
    # R 4.2.2, metafor 3.8-1: rma(measure="PLO", xi=c(57,50,83), ni=c(61,66,184),
    # method="REML") -> 75.8024 (38.8797-93.9125), PI 12.1926-98.6048.
    assert [(s["events"], s["n"]) for s in doc["studies"]] == [(57, 61), (50, 66), (83, 184)]
    assert doc["estimate"] == pytest.approx(75.8023772292, abs=1e-6)
    assert doc["ci_low"] == pytest.approx(38.8797388849, abs=1e-6)
    assert doc["ci_high"] == pytest.approx(93.9124694754, abs=1e-6)


def test_both_haugvik_arms_are_high_grade() -> None:
    # 004 §3.1 "pNET G3 combined with distant metastases"; ref 16 "high-grade pancreatic
    # neuroendocrine carcinoma": the resection and the chemotherapy arm alike.
    by_id = {r.id: r for r in load_records()}
    assert by_id["haugvik-2016-resection@004-text"].population == "nec"
    assert by_id["haugvik-2016-chemotherapy@004-text"].population == "nec"


def test_a_combination_arm_is_not_drawn_as_resection_survival() -> None:
    # 002 §4: "When used as an adjuvant to surgery, overall survival has been reported to be
    # 80% and 59% for 5 and 10 years" (Taner 2013, resection with RFA).
    skipped = {s["id"]: s["code"] for s in survival("liver_resection", "os").document["skipped"]}
    assert skipped["taner-2013-resection-rfa@002-text"] == "combination_therapy"


def test_the_forest_marks_a_count_its_source_does_not_print() -> None:
    analysis = pool("tace", "orr_percent")
    svg = analyses.forest_plot(analysis, "svg").decode()
    # 000 Table 2 prints Dong 2011 with 50 patients; 001 Supplementary Table 1 and both
    # reference titles give 123.
    assert "123‡" in svg
    assert "Machairas 2021, Supplementary Table 1 gives it; Ngongoni 2022, Table 2 prints 50" in svg
    assert "Machairas 2021, Suppl. Table 1" in svg
    assert "Suppl. Tab…" not in svg and "Supplementary Tab…" not in svg
