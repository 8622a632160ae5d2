"""Derived facts: WHO grade, liver-metastasis type, portal drainage, burden band."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.engine.derive import derive
from nelm.knowledge import load_knowledge


def derived(**sections: dict[str, Any]) -> Any:
    return derive(case_from_mapping({"case_id": "t", **sections}), load_knowledge().derivations)


# 000 §1: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index < 3. Grade 2 (G2)
# tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20. Grade 3 (G3)
# tumors have a mitotic index or Ki67 index > 20. The higher index is used to classify grade
# if there is a discrepancy between the mitotic and Ki67 indices."
@pytest.mark.parametrize(
    ("ki67", "mitoses", "grade"),
    [
        (2.9, 1, "G1"),
        (3, 1, "G2"),  # Ki-67 3 is G2 ("from 3 to 20")
        (20, 1, "G2"),  # 20 is still G2
        (20.1, 1, "G3"),  # "> 20"
        (1, 2, "G2"),  # mitoses 2 is G2 ("between 2 and 20"); the higher index decides
        (1, 20, "G2"),
        (1, 21, "G3"),  # the higher index decides
        (25, 0, "G3"),
    ],
)
def test_who_grade_from_both_indices(ki67: float, mitoses: float, grade: str) -> None:
    d = derived(
        pathology={"ki67_percent": ki67, "mitoses_per_2mm2": mitoses, "differentiation": "well"}
    )
    assert d.grade.value == grade
    assert "000 §1" in d.grade.explanation


def test_poorly_differentiated_is_nec_whatever_the_index() -> None:
    # 000 §1: "Neuroendocrine carcinomas (NEC) are poorly differentiated neoplasms"; the
    # issue asks "poorly differentiated is NEC whatever the index".
    d = derived(pathology={"ki67_percent": 8, "differentiation": "poor"})
    assert d.grade.value == "NEC"


@pytest.mark.parametrize("subtype", ["small_cell", "large_cell"])
def test_an_nec_subtype_without_differentiation_is_nec(subtype: str) -> None:
    # 000 §1: "Neuroendocrine carcinomas (NEC) are poorly differentiated neoplasms of high
    # grade and are categorized as small cell or large cell NEC"; 004 §1: "poorly
    # differentiated neuroendocrine carcinomas (including large and small cell types)". A
    # small- or large-cell subtype is an NEC even when the report leaves the
    # differentiation out, with the index (Ki-67 70 %) or without it.
    for pathology in ({"nec_subtype": subtype}, {"nec_subtype": subtype, "ki67_percent": 70}):
        d = derived(pathology=pathology)
        assert d.grade.value == "NEC"
        assert d.grade.settle_with == ()
        assert "NEC subtype, read as poorly differentiated" in d.grade.explanation


def test_an_nec_subtype_beside_low_indices_is_a_conflict() -> None:
    # As for "poorly differentiated" stated (000 §1: NEC are "of high grade"): G1 indices
    # beside a small-cell subtype contradict it, and both stay possible.
    d = derived(pathology={"nec_subtype": "small_cell", "ki67_percent": 1, "mitoses_per_2mm2": 1})
    assert d.grade.possible == {"G1", "NEC"}
    assert d.grade.conflict is not None and "Small-cell NEC subtype" in d.grade.conflict


def test_ki67_alone_is_a_lower_bound() -> None:
    # 000 §1: "The higher index is used to classify grade": an unknown mitotic count could
    # raise a Ki-67 G2 to G3, so the grade stays open; 001 Introduction's Ki-67-only reading
    # ("G2 (3-20%)") is shown in the explanation, not concluded.
    d = derived(pathology={"ki67_percent": 12, "differentiation": "well"})
    assert d.grade.value is None
    assert d.grade.possible == {"G2", "G3"}
    assert d.grade.settle_with == ("pathology.mitoses_per_2mm2",)
    assert "001 Introduction" in d.grade.explanation


@pytest.mark.parametrize(
    ("pathology", "given_as_range"),
    [
        ({"ki67_percent_at_most": 52.8}, "pathology.ki67_percent"),
        (
            {"mitoses_per_2mm2_at_least": 3, "mitoses_per_2mm2_at_most": 30},
            "pathology.mitoses_per_2mm2",
        ),
    ],
)
def test_one_index_given_as_a_range_is_itself_still_asked_for(
    pathology: dict[str, Any], given_as_range: str
) -> None:
    # 000 §1: G1 "< 2 or a Ki67 index < 3", G2 "between 2 and 20 or ... from 3 to 20", G3
    # "> 20", "the higher index" deciding. Ki-67 ≤ 52.8 % spans G1 to G3, and so does 3–30
    # mitoses: with the other index given in G2, the grade would still be G2 or G3, so the
    # index given as a range is one of the fields that settle it, beside the other index.
    d = derived(pathology={**pathology, "differentiation": "well"})
    assert d.grade.value is None
    assert given_as_range in d.grade.settle_with
    other = {"pathology.ki67_percent", "pathology.mitoses_per_2mm2"} - {given_as_range}
    assert other <= set(d.grade.settle_with)


@pytest.mark.parametrize(
    ("ki67", "reading"),
    [
        # 001 Introduction: "Grade 1 (G1 Ki67 LI ≤ 2%), and G2 (3-20%)".
        (2, "as 001 grades, it would be G1"),
        (3, "as 001 grades, it would be G2"),
        (20, "as 001 grades, it would be G2"),
        # Above 2 and below 3 %: G1 by 000 §1 ("a Ki67 index < 3"), in neither of 001's
        # bands, so 001's reading is not G1.
        (2.5, "which leaves 2.5% ungraded"),
    ],
)
def test_001s_ki67_only_reading_is_its_own_bands(ki67: float, reading: str) -> None:
    d = derived(pathology={"ki67_percent": ki67, "differentiation": "well"})
    assert reading in d.grade.explanation


def test_one_index_in_grade_3_settles_it() -> None:
    # 000 §1: "Grade 3 (G3) tumors have a mitotic index or Ki67 index > 20".
    assert derived(pathology={"ki67_percent": 30, "differentiation": "well"}).grade.value == "G3"
    assert (
        derived(pathology={"mitoses_per_2mm2": 25, "differentiation": "well"}).grade.value == "G3"
    )


def test_high_ki67_without_differentiation_is_g3_or_nec() -> None:
    # WHO 2019 / 000 §1: Ki-67 > 20 % is G3 NET if well differentiated, NEC if poorly: unknown.
    d = derived(pathology={"ki67_percent": 40})
    assert d.grade.value is None
    assert d.grade.possible == {"G3", "NEC"}
    assert "pathology.differentiation" in d.grade.settle_with


def test_unknown_differentiation_leaves_nec_wherever_a_high_grade_is_possible() -> None:
    # 000 §1: NEC are "poorly differentiated neoplasms of high grade"; 004 §1: "NEC, G3,
    # Ki-67 > 20%". Without the differentiation, indices that rule out G3 rule out NEC.
    d = derived(pathology={"ki67_percent": 2, "mitoses_per_2mm2": 1})
    assert d.grade.value == "G1"
    assert d.grade.settle_with == ()
    assert "NEC is excluded" in d.grade.explanation
    d = derived(pathology={"ki67_percent": 8, "mitoses_per_2mm2_at_most": 20})
    assert d.grade.value == "G2"
    # One index low, the other not given: G3 stays possible (000 §1: the higher decides),
    # and with it NEC.
    d = derived(pathology={"ki67_percent": 2})
    assert d.grade.possible == {"G1", "G2", "G3", "NEC"}
    assert "pathology.differentiation" in d.grade.settle_with


def test_poorly_differentiated_beside_low_indices_is_a_conflict() -> None:
    # 001 Introduction: "Poorly differentiated GEP-NENs are designated as neuroendocrine
    # carcinomas"; 000 §1: NEC are "poorly differentiated neoplasms of high grade". Indices
    # of G2 (000 §1) beside "poorly differentiated" contradict each other: both stay
    # possible and the conflict is shown.
    d = derived(pathology={"ki67_percent": 5, "mitoses_per_2mm2": 1, "differentiation": "poor"})
    assert d.grade.possible == {"G2", "NEC"}
    assert d.grade.conflict is not None and "NEC is high grade" in d.grade.conflict
    # A reported grade siding with "poorly differentiated" (G3 → NEC) settles the grade,
    # and the contradiction with the indices stays shown.
    d = derived(
        pathology={
            "ki67_percent": 5,
            "mitoses_per_2mm2": 1,
            "differentiation": "poor",
            "reported_grade": "G3",
        }
    )
    assert d.grade.value == "NEC"
    assert d.grade.conflict is not None and "NEC is high grade" in d.grade.conflict
    # A high grade still possible (mitotic count not given): NEC, as before.
    d = derived(pathology={"ki67_percent": 5, "differentiation": "poor"})
    assert d.grade.value == "NEC"
    assert d.grade.conflict is None


def test_mitoses_alone_give_a_lower_bound() -> None:
    d = derived(pathology={"mitoses_per_2mm2": 5, "differentiation": "well"})
    assert d.grade.possible == {"G2", "G3"}
    assert d.grade.settle_with == ("pathology.ki67_percent",)


def test_nothing_known_leaves_grade_open() -> None:
    d = derived()
    assert d.grade.value is None
    assert d.grade.possible == {"G1", "G2", "G3", "NEC"}
    assert set(d.grade.settle_with) == {
        "pathology.ki67_percent",
        "pathology.mitoses_per_2mm2",
        "pathology.differentiation",
    }


# 004 §1: "simple LMs ... confined to one liver lobe or two adjacent resectable liver
# segments ... complex LMs ... one large metastasis in one hepatic lobe and multiple small
# metastases in the contralateral hepatic lobe ... diffuse LMs"; case-v1: a single lesion is
# always type I.
@pytest.mark.parametrize(
    ("liver", "kind"),
    [
        ({"distribution": "unilobar", "lesion_count": 3}, "I"),
        ({"distribution": "bilobar_dominant", "lesion_count": 4}, "II"),
        ({"distribution": "bilobar_diffuse", "lesion_count": 30}, "III"),
        ({"lesion_count": 1}, "I"),
        ({"lesion_count": 5}, None),
        ({}, None),
    ],
)
def test_liver_type(liver: dict[str, Any], kind: str | None) -> None:
    assert derived(liver=liver).liver_type.value == kind


# The seeds part on type I: 004 §1 (ENETS) "simple LMs ... are confined to one liver lobe or
# two adjacent resectable liver segments"; 002 §2.2 "a single, unilobular lesion (Type 1)".
# Two lesions in one lobe are type I by 004 and not type 1 by 002: nelm follows 004 and shows
# 002's reading as a caution; one lesion is type I by both, so no caution there.
@pytest.mark.parametrize(
    ("liver", "lesions"),
    [
        ({"distribution": "unilobar", "lesion_count": 2}, "2 lesions"),
        ({"bilobar": False, "lesion_count": 2}, "2 lesions"),
        ({"distribution": "unilobar"}, "several lesions"),
    ],
)
def test_type_i_from_one_lobe_shows_002s_single_lesion_reading(
    liver: dict[str, Any], lesions: str
) -> None:
    lt = derived(liver=liver).liver_type
    assert lt.value == "I"
    assert "a single, unilobular lesion" in lt.explanation
    assert f"{lesions} in one lobe would not be type 1" in lt.explanation
    assert "confined to one liver lobe or two adjacent resectable liver segments" in (
        lt.explanation
    )


@pytest.mark.parametrize(
    "liver",
    [
        {"lesion_count": 1},
        {"distribution": "unilobar", "lesion_count": 1},
        {"distribution": "bilobar_dominant", "lesion_count": 2},
    ],
)
def test_no_type_i_caution_where_the_seeds_agree_or_type_i_is_not_given(
    liver: dict[str, Any],
) -> None:
    assert "Caution" not in derived(liver=liver).liver_type.explanation


# case-v1: "pancreas, duodenum, stomach, small intestine, appendix and colon drain to the
# portal system; rectum, lung, unknown primary and other do not, or are not known to."
@pytest.mark.parametrize(
    ("site", "portal"),
    [
        ("pancreas", True),
        ("duodenum", True),
        ("stomach", True),
        ("small_intestine", True),
        ("appendix", True),
        ("colon", True),
        ("rectum", False),
        ("lung", False),
        ("unknown_primary", False),
        ("other", False),
    ],
)
def test_portal_drainage(site: str, portal: bool) -> None:
    assert derived(primary={"site": site}).portal_drainage.value is portal


def test_portal_drainage_unknown_without_site() -> None:
    d = derived()
    assert d.portal_drainage.value is None
    assert d.portal_drainage.settle_with == ("primary.site",)


@pytest.mark.parametrize(
    ("burden", "band"),
    [
        (9.9, "< 10 %"),
        (10, "10–25 %"),
        (10.5, "10–25 %"),
        (25, "10–25 %"),
        (25.1, "> 25 to < 50 %"),
        (49.9, "> 25 to < 50 %"),
        (50, "50–75 %"),
        (75, "50–75 %"),
        (76, "> 75 %"),
        (100, "> 75 %"),
    ],
)
def test_burden_band(burden: float, band: str) -> None:
    # Bands at the thresholds the seeds use: PROMID "limited liver involvement (<10%)" (003
    # Medical therapy), CLARINET "load >25% compared to those with ≤25%" (004 §4), < 50 % for
    # transplantation and embolisation (001 Table 2, 002 §3.3), "> 75%" (003 Cytoreductive
    # surgery).
    assert derived(liver={"tumor_burden_percent": burden}).burden_band == band


def test_a_reported_grade_that_settles_it_is_not_followed_by_grade_not_settled() -> None:
    # Rindi 2022 / WHO 2019: "G2" is a well-differentiated NET of grade 2; a report stating
    # it settles the grade where the indices (not given) cannot. The explanation keeps what
    # the indices alone say, without a second "Grade not settled" after the settled grade.
    d = derived(pathology={"reported_grade": "G2"})
    assert d.grade.value == "G2"
    assert d.grade.explanation.startswith("Reported as G2 → G2")
    assert "the indices alone would not settle it: Ki-67 and mitotic count not given" in (
        d.grade.explanation
    )
    assert "Grade not settled" not in d.grade.explanation
    # WHO 2019 (Rindi 2022): a NET graded G2 is well differentiated, so NEC is excluded; what
    # the indices alone leave open is said as a conditional, not as "NEC is not excluded".
    assert "NEC is not excluded" not in d.grade.explanation
    assert "so they alone would not exclude NEC" in d.grade.explanation
