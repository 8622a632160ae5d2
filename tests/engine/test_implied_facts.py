"""Yes/no fields a case implies without stating them, and the cohort engine reading them alike.

- A resection margin (R0/R1/R2) or a time since the primary's resection exists only for a
  resected primary (case-v1 primary; a margin beside `resected: false` is already a
  contradiction).
- A resection of the primary listed among the prior treatments, alone or simultaneous with
  the liver's (001 Simultaneous primary and NELM resection), means the primary was resected.
- A primary site given as unknown (a primary not found) was not resected, unless something
  else says it was (case-v1 primary; the contradiction is warned of).
- A listed extrahepatic site is extrahepatic disease (case-v1 extrahepatic; the staging
  reads a listed site as distant disease, staging.yaml).
- A new diagnosis has not yet been treated: no progression on a somatostatin analogue and
  no prior systemic line (case-v1 course.status; the case that gives such a history beside
  a new diagnosis is already a contradiction, nelm.engine.consistency), unless the case
  lists one; with liver metastases found with the primary (synchronous) and no treatment
  listed, the primary is still in place.
- A Krenning score of 2 or more is uptake at least that of the liver, so SSTR imaging is
  positive, and 0 is no uptake (the Krenning scale, 001 PRRT; the same readings make a
  stated contrary value a contradiction).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from nelm.cohort.pipeline import process_chunk
from nelm.cohort.reference import reference_chunk
from nelm.service import assess_mapping
from tests.cohort.test_agreement import assert_same


def _criterion(doc: dict[str, Any], option: str, cid: str) -> dict[str, Any]:
    return next(c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{cid}")


def _doc(**sections: Any) -> dict[str, Any]:
    case = {"schema_version": 1, "case_id": "i", "primary": {"site": "small_intestine"}}
    for name, body in sections.items():
        case[name] = {**case.get(name, {}), **body}
    return assess_mapping(case, with_evidence=False)


def test_a_margin_or_a_time_since_resection_means_the_primary_was_resected() -> None:
    by_margin = _criterion(
        _doc(primary={"resection_margin": "R0"}), "liver_transplant_milan", "primary_removed"
    )
    assert by_margin["result"] == "met"
    assert "not stated; read from the resection margin R0" in by_margin["value"]
    by_time = _criterion(
        _doc(primary={"months_since_primary_resection": 8}),
        "liver_transplant_enets",
        "primary_removed",
    )
    assert by_time["result"] == "met"  # resected 8 months ago: ≥ 6 (001 Table 2)


@pytest.mark.parametrize("treatment", ["primary_tumor_resection", "simultaneous_resection"])
def test_a_prior_resection_of_the_primary_means_it_was_resected(treatment: str) -> None:
    doc = _doc(course={"prior_treatments": ["ssa", treatment]})
    removed = _criterion(doc, "liver_transplant_unos", "primary_removed")
    assert removed["result"] == "met"
    assert "not stated; read from the prior treatments" in removed["value"]
    # Simultaneous resection needs the primary in place (001): no longer possible.
    assert _criterion(doc, "simultaneous_resection", "primary_in_situ")["result"] == "not_met"


def test_a_prior_resection_beside_resected_false_is_a_contradiction() -> None:
    doc = _doc(
        primary={"resected": False}, course={"prior_treatments": ["primary_tumor_resection"]}
    )
    assert any(
        "given as not resected" in w and "its resection among the prior treatments" in w
        for w in doc["warnings"]
    )
    # The stated value is kept: the board decides which statement is right.
    assert _criterion(doc, "simultaneous_resection", "primary_in_situ")["result"] != "not_met"


def test_listed_sites_mean_extrahepatic_disease() -> None:
    doc = _doc(extrahepatic={"sites": ["bone"]})
    no_extra = _criterion(doc, "liver_resection", "no_extrahepatic")
    assert no_extra["result"] == "not_met"
    assert "read from the sites listed: bone" in no_extra["value"]


@pytest.mark.parametrize(
    ("imaging", "result"),
    [
        ({"krenning_score": 3}, "met"),
        ({"krenning_score": 2}, "met"),
        ({"krenning_score": 0}, "not_met"),
        ({"krenning_score": 1}, "unknown"),  # uptake below the liver: not read either way
        ({"sstr_uptake_vs_liver": "above_liver"}, "met"),
        ({"sstr_uptake_vs_liver": "below_liver"}, "unknown"),
        # Krenning 0 beside uptake like the liver contradict each other: neither is read.
        ({"krenning_score": 0, "sstr_uptake_vs_liver": "like_liver"}, "unknown"),
    ],
)
def test_the_krenning_score_settles_whether_sstr_imaging_is_positive(
    imaging: dict[str, Any], result: str
) -> None:
    # SSA: "SSTR-positive disease" (004 §3.3), for a non-functional tumour (a carcinoid
    # syndrome, a glucagonoma or a VIPoma is given the SSA without it: Kaltsas 2017).
    doc = _doc(imaging=imaging, primary={"functional_syndrome": "none"})
    assert _criterion(doc, "ssa", "sstr")["result"] == result


def test_a_stated_value_is_never_replaced() -> None:
    doc = _doc(imaging={"sstr_positive": True, "krenning_score": 1})
    assert _criterion(doc, "ssa", "sstr")["value"].startswith("SSTR imaging positive: yes;")


def test_an_unknown_primary_was_not_resected() -> None:
    # case-v1 primary.site: unknown_primary is a primary not found, so not removed. ENETS
    # asks for the primary removed before transplantation (001 Table 2); a simultaneous
    # resection (001 Simultaneous primary and NELM resection) needs it found.
    doc = _doc(primary={"site": "unknown_primary"})
    enets = _criterion(doc, "liver_transplant_enets", "primary_removed")
    assert enets["result"] == "not_met"
    assert "not stated; read from the primary site" in enets["value"]
    assert _criterion(doc, "simultaneous_resection", "primary_in_situ")["result"] == "not_met"
    cautions = " ".join(doc["options"]["liver_resection"]["cautions"])
    assert "The primary has not been found" in cautions
    assert "The primary is still in place" not in cautions
    # PRRT's "resect the primary first" (001 PRRT) needs a primary to resect
    assert not any("resecting the primary" in c for c in doc["options"]["prrt"]["cautions"])
    # a margin says it was resected: that reading stands, and the contradiction is warned of
    found = _doc(primary={"site": "unknown_primary", "resection_margin": "R0"})
    assert _criterion(found, "liver_transplant_unos", "primary_removed")["result"] == "met"
    assert any("given as unknown" in w for w in found["warnings"])


def test_a_new_diagnosis_has_not_progressed_on_an_ssa_nor_had_a_line() -> None:
    # 002 §2.3: "NANETS and ENETS, recommend the use of PRRT only after the progression of
    # disease while on SSAs"; NETTER-2 enrolled first-line patients, Ki-67 10–55 %, with no
    # prior systemic therapy. A new diagnosis has had neither.
    low = _doc(pathology={"ki67_percent": 4}, course={"status": "new_diagnosis"})
    setting = _criterion(low, "prrt", "setting")
    assert setting["result"] == "not_met"
    assert "not stated; read from the course" in setting["value"]
    high = _doc(pathology={"ki67_percent": 15}, course={"status": "new_diagnosis"})
    assert _criterion(high, "prrt", "setting")["result"] == "met"
    # A history listed beside the new diagnosis: nothing is read (the contradiction is
    # warned of), and progression on the SSA stays open.
    treated = _doc(
        pathology={"ki67_percent": 4},
        course={"status": "new_diagnosis", "prior_treatments": ["ssa"]},
    )
    assert _criterion(treated, "prrt", "setting")["result"] == "unknown"
    # Stable disease says nothing of what was given.
    stable = _doc(pathology={"ki67_percent": 4}, course={"status": "stable"})
    assert _criterion(stable, "prrt", "setting")["result"] == "unknown"


def test_a_new_diagnosis_with_synchronous_metastases_has_its_primary_in_place() -> None:
    # case-v1 liver.synchronous: the liver metastases were found with the primary; at a new
    # diagnosis with nothing listed as given, nothing has been done yet, so the primary is
    # still in place. Milan asks for it already removed with a curative resection, ENETS at
    # least 6 months before transplantation (001 Table 2).
    new = {"status": "new_diagnosis"}
    doc = _doc(course=new, liver={"synchronous": True})
    milan = _criterion(doc, "liver_transplant_milan", "primary_removed")
    assert milan["result"] == "not_met"
    assert "not stated; read from the course" in milan["value"]
    assert _criterion(doc, "liver_transplant_enets", "primary_removed")["result"] == "not_met"
    # the simultaneous resection needs the primary in place (001 Simultaneous primary and
    # NELM resection)
    assert _criterion(doc, "simultaneous_resection", "primary_in_situ")["result"] == "met"
    # Metachronous metastases may follow a primary resected earlier; undated ones too; and
    # a listed treatment (an emergency resection of the primary among them) says the
    # patient was treated: none of them is read.
    for case in (
        _doc(course=new, liver={"synchronous": False}),
        _doc(course=new),
        _doc(course={**new, "prior_treatments": ["tace"]}, liver={"synchronous": True}),
        _doc(course={"status": "stable"}, liver={"synchronous": True}),
    ):
        assert _criterion(case, "liver_transplant_milan", "primary_removed")["result"] == (
            "unknown"
        )
    # a stated resection stands
    stated = _doc(course=new, liver={"synchronous": True}, primary={"resected": True})
    assert (
        "not stated" not in _criterion(stated, "liver_transplant_milan", "primary_removed")["value"]
    )


def test_carcinoid_heart_disease_means_a_carcinoid_syndrome() -> None:
    # Davar 2017 (carcinoid heart disease expert statement): the heart disease is a
    # complication of the carcinoid syndrome, from the serotonin the tumour secretes. With
    # no syndrome given, the SSA's hormone control (003 Medical therapy; Kaltsas 2017: given
    # for a carcinoid syndrome without asking the SSTR status first) and the crisis
    # precautions (002 §3.3) follow it.
    doc = _doc(patient={"carcinoid_heart_disease": True})
    implied = doc["classification"]["implied"]
    assert {"field": "primary.functional_syndrome", "value": "carcinoid"}.items() <= implied[
        0
    ].items()
    indication = _criterion(doc, "ssa", "indication")
    assert indication["result"] == "met"
    assert "not stated; read from the carcinoid heart disease" in indication["value"]
    assert _criterion(doc, "ssa", "sstr")["result"] == "met"
    # a syndrome given stands; without the heart disease nothing is read
    for case in (
        _doc(patient={"carcinoid_heart_disease": True}, primary={"functional_syndrome": "vipoma"}),
        _doc(patient={"carcinoid_heart_disease": False}),
        _doc(),
    ):
        assert all(
            i["field"] != "primary.functional_syndrome" for i in case["classification"]["implied"]
        )


def test_the_cohort_engine_reads_the_implied_fields_alike() -> None:
    rows = [
        {"primary.resection_margin": "R0"},
        {"primary.months_since_primary_resection_at_least": "12"},
        {"course.prior_treatments": "ssa;simultaneous_resection"},
        {"course.prior_treatments": "ssa;tace"},
        {"extrahepatic.sites": "bone;lung"},
        {"extrahepatic.sites": ";"},
        # non-functional: the SSTR status decides the SSA (for a carcinoid syndrome, a
        # glucagonoma or a VIPoma it is given without it: Kaltsas 2017)
        {"imaging.krenning_score": "3", "primary.functional_syndrome": "none"},
        {"imaging.krenning_score": "0", "primary.functional_syndrome": "none"},
        {
            "imaging.krenning_score": "1",
            "imaging.sstr_uptake_vs_liver": "like_liver",
            "primary.functional_syndrome": "none",
        },
        {"imaging.sstr_positive": "false", "imaging.sstr_uptake_vs_liver": "below_liver"},
        {"imaging.krenning_score": "0", "imaging.sstr_uptake_vs_liver": "above_liver"},
        {"primary.site": "unknown_primary"},
        {"primary.site": "unknown_primary", "primary.resection_margin": "R0"},
        {"course.status": "new_diagnosis"},
        {"course.status": "new_diagnosis", "pathology.ki67_percent": "15"},
        {"course.status": "new_diagnosis", "course.prior_treatments": "ssa"},
        {"course.status": "new_diagnosis", "course.prior_treatments": "everolimus"},
        {"course.status": "new_diagnosis", "course.prior_systemic_lines": "2"},
        {"course.status": "new_diagnosis", "course.progressed_on_ssa": "true"},
        {"course.status": "new_diagnosis", "course.recurrence_after_liver_resection": "true"},
        {"course.status": "stable"},
        {},
        # a syndrome at a new diagnosis is untreated, so not refractory (001 Introduction:
        # PRRT for "hormonal syndromes refractory to conventional medical treatment")
        {"course.status": "new_diagnosis", "primary.functional_syndrome": "carcinoid"},
        {
            "course.status": "new_diagnosis",
            "primary.functional_syndrome": "carcinoid",
            "primary.syndrome_refractory": "true",
        },
        # a new diagnosis with synchronous metastases and nothing listed: the primary is
        # still in place (Milan and ENETS ask it removed first, 001 Table 2); metachronous,
        # or with a treatment listed, nothing is read
        {"course.status": "new_diagnosis", "liver.synchronous": "true"},
        {"course.status": "new_diagnosis", "liver.synchronous": "false"},
        {
            "course.status": "new_diagnosis",
            "liver.synchronous": "true",
            "course.prior_treatments": "tace",
        },
        # carcinoid heart disease and no syndrome given: a carcinoid syndrome (Davar 2017);
        # a syndrome given stands, the heart disease not given reads nothing
        {"patient.carcinoid_heart_disease": "true"},
        {"patient.carcinoid_heart_disease": "true", "primary.functional_syndrome": "none"},
        {"patient.carcinoid_heart_disease": "false"},
    ]
    base = {
        "primary.site": "small_intestine",
        "pathology.ki67_percent": "2",
        "pathology.mitoses_per_2mm2": "1",
        "pathology.differentiation": "well",
    }
    columns = ["case_id", *base, *dict.fromkeys(k for r in rows for k in r)]
    frame = pl.DataFrame(
        [{"case_id": str(i), **base, **row} for i, row in enumerate(rows)],
        schema={k: pl.String for k in columns},
    )
    compiled = process_chunk(frame, 1)
    assert_same(compiled, reference_chunk(frame, 1))
    ssa = compiled.output.get_column("ssa.status").to_list()
    # G1 and SSTR-positive by a Krenning score of 3: eligible (004 §3.3); a Krenning score
    # of 0: ineligible; a Krenning score of 1 (below the liver) beside uptake like the
    # liver contradict each other (Krenning scale): neither is read, the SSA stays open.
    assert (ssa[6], ssa[7], ssa[8]) == ("eligible", "ineligible", "uncertain")
    # A new diagnosis with a Krenning score unknown leaves PRRT's SSTR criterion open, so the
    # setting is read from the reasons: not met for Ki-67 2 %, met for 15 % (002 §2.3,
    # NETTER-2); open with a history listed or stable disease.
    prrt = compiled.output.get_column("prrt.status").to_list()
    assert prrt[13] == "ineligible"
    assert prrt[14:21] == ["uncertain"] * 7
    # the carcinoid syndrome at a new diagnosis: not refractory, the setting not met; stated
    # refractory, the setting met and PRRT open on the SSTR uptake
    assert prrt[22:24] == ["ineligible", "uncertain"]
    milan = compiled.output.get_column("liver_transplant_milan.status").to_list()
    assert milan[24] == "ineligible"
    assert milan[25:27] == ["uncertain", "uncertain"]
    # the SSA's hormone control of a carcinoid syndrome needs no SSTR imaging (Kaltsas
    # 2017): eligible, G1 and Ki-67 2 %, with the syndrome read from the heart disease; a
    # tumour given as non-functional and one whose heart is not diseased wait on the SSTR
    # status (004 §3.3)
    assert ssa[27:30] == ["eligible", "uncertain", "uncertain"]


def test_the_board_summary_says_an_unknown_primary_was_not_found() -> None:
    # case-v1 primary.site unknown_primary: a primary not found is "not found", never "in
    # place" (a board would read that as a primary to resect).
    from nelm.report.board import board_view

    facts = {f.label: f.value for f in board_view(_doc(primary={"site": "unknown_primary"})).facts}
    assert facts["Primary"].startswith("unknown primary · not found")
    in_place = {f.label: f.value for f in board_view(_doc(primary={"resected": False})).facts}
    assert "· in place" in in_place["Primary"]


def test_sstr_imaging_is_not_asked_while_its_score_and_uptake_contradict_each_other() -> None:
    # Krenning scale (Krenning 1994): 0 is no uptake, so beside uptake above the liver the
    # two are set aside, and any statement of SSTR imaging would contradict one of them:
    # asking for it would settle nothing. With immunohistochemistry negative and Ki-67 > 10 %,
    # the SSA waits on the syndrome alone (Kaltsas 2017: the carcinoid syndrome, a
    # glucagonoma or a VIPoma are given the SSA without the SSTR status; 004 §3.3 otherwise).
    doc = _doc(
        imaging={"krenning_score": 0, "sstr_uptake_vs_liver": "above_liver"},
        pathology={"ki67_percent": 50, "differentiation": "well", "sstr_ihc_positive": False},
    )
    ssa = doc["options"]["ssa"]
    assert ssa["status"] == "uncertain"
    assert "imaging.sstr_positive" not in ssa["missing"]
    assert "primary.functional_syndrome" in ssa["missing"]
    # the uptake not given: nothing is set aside, and the imaging is asked as before
    no_uptake = _doc(imaging={"krenning_score": 1}, pathology={"ki67_percent": 50})
    assert "imaging.sstr_positive" in no_uptake["options"]["ssa"]["missing"]


def test_a_primary_the_surgeons_judge_unremovable_is_still_in_place() -> None:
    # case-v1 additions primary.surgical_assessment: the surgeons' verdict on removing the
    # primary; "unresectable" is a primary still there. Milan asks the primary "already
    # removed" with a curative resection (001 Table 2): not met, where it stayed unknown.
    doc = _doc(primary={"site": "small_intestine", "surgical_assessment": "unresectable"})
    milan = _criterion(doc, "liver_transplant_milan", "primary_removed")
    assert milan["result"] == "not_met"
    assert "read from the surgeons' verdict" in milan["value"]
    # curative intent needs the primary out with the liver (003; 001): an unremovable one
    # makes a liver resection cytoreduction
    assert _criterion(doc, "liver_resection", "primary_removable")["result"] == "not_met"
    # a resection stated beside it stands, and the contradiction is warned of
    both = _doc(primary={"resected": True, "surgical_assessment": "unresectable"})
    assert _criterion(both, "liver_transplant_milan", "primary_removed")["result"] != "not_met"
    assert any("cannot be removed" in w for w in both["warnings"])
