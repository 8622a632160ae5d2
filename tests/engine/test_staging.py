"""ENETS and AJCC 7th TNM staging of a pancreatic primary (seed 003 Tables 2 and 3).

Every expected value is read from the seed's tables and their notes (quoted below), or from
the named source where the note leaves a boundary open (AJCC-7 at exactly 2 cm).

003 Table 2 (ENETS): I T1 N0 M0; IIA T2 N0 M0; IIB T3 N0 M0; IIIA T4 N0 M0; IIIB any T N1 M0;
IV any T any N M1. Note: "T1 tumors <2 cm limited to the pancreas, T2 2-4 cm limited to the
pancreas, T3 >4 cm limited to the pancreas or invading the duodenum or common bile duct, T4
tumor invading adjacent structures or large vessels".

003 Table 3 (AJCC 7th, 2010): 0 Tis N0 M0; IA T1 N0 M0; IB T2 N0 M0; IIA T3 N0 M0; IIB T1-3 N1
M0; III T4 any N M0; IV any T any N M1. Note: "T1 <2 cm limited to the pancreas, T2 > 2 cm
limited to the pancreas, T3 tumor extends beyond the pancreas but not involving the celiac
axis or SMA, T4 tumor involves celiac axis or SMA".

(The text copy of the seed garbles the Roman numerals: "1B", "1A", "[\\", "M1l", "v"; the
rows are taken in the tables' order.)
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.engine.derive import derive
from nelm.engine.staging import NO_SYSTEM, Stage, disagreement, stage_line, stage_of
from nelm.errors import InputRejected
from nelm.knowledge import load_knowledge
from nelm.knowledge.staging import StagingSystem

LIVER = {"lesion_count": 3}  # liver metastases stated → M1 (both notes: "M1 distant metastases")
LIMITED = {"site": "pancreas", "extends_beyond_pancreas": False}


def system(sid: str) -> StagingSystem:
    return next(s for s in load_knowledge().derivations.staging.systems if s.id == sid)


def stages(**sections: dict[str, Any]) -> dict[str, Stage]:
    case = case_from_mapping({"case_id": "t", **sections})
    return {s.system: s for s in derive(case, load_knowledge().derivations).stages}


# ----------------------------------------------------------------- the tables, row by row

ENETS_ROWS = [  # 003 Table 2
    ("T1", "N0", "M0", "I"),
    ("T2", "N0", "M0", "IIA"),
    ("T3", "N0", "M0", "IIB"),
    ("T4", "N0", "M0", "IIIA"),
    *((t, "N1", "M0", "IIIB") for t in ("T1", "T2", "T3", "T4")),
    *((t, n, "M1", "IV") for t in ("T1", "T2", "T3", "T4") for n in ("N0", "N1")),
]
AJCC_ROWS = [  # 003 Table 3
    ("Tis", "N0", "M0", "0"),
    ("T1", "N0", "M0", "IA"),
    ("T2", "N0", "M0", "IB"),
    ("T3", "N0", "M0", "IIA"),
    *((t, "N1", "M0", "IIB") for t in ("T1", "T2", "T3")),
    ("T4", "N0", "M0", "III"),
    ("T4", "N1", "M0", "III"),
    *((t, n, "M1", "IV") for t in ("Tis", "T1", "T2", "T3", "T4") for n in ("N0", "N1")),
]


@pytest.mark.parametrize(("t", "n", "m", "stage"), ENETS_ROWS)
def test_every_row_of_the_enets_table(t: str, n: str, m: str, stage: str) -> None:
    assert stage_of(system("enets"), t, n, m) == stage


@pytest.mark.parametrize(("t", "n", "m", "stage"), AJCC_ROWS)
def test_every_row_of_the_ajcc_table(t: str, n: str, m: str, stage: str) -> None:
    assert stage_of(system("ajcc7"), t, n, m) == stage


def test_the_tables_hold_exactly_the_seed_stages() -> None:
    assert system("enets").stage_values == ("I", "IIA", "IIB", "IIIA", "IIIB", "IV")
    assert system("ajcc7").stage_values == ("0", "IA", "IB", "IIA", "IIB", "III", "IV")


# ----------------------------------------------------------------- T, each boundary


@pytest.mark.parametrize(
    ("size", "enets", "ajcc"),
    [
        (1.9, "T1", "T1"),
        (2.0, "T2", "T1"),  # ENETS "2-4 cm" is T2; AJCC-7 T1 is "2 cm or less" (the note: "<2")
        (2.1, "T2", "T2"),  # AJCC "> 2 cm"
        (4.0, "T2", "T2"),  # ENETS "2-4 cm"
        (4.1, "T3", "T2"),  # ENETS ">4 cm limited to the pancreas"
    ],
)
def test_t_by_size_when_limited_to_the_pancreas(size: float, enets: str, ajcc: str) -> None:
    s = stages(primary={**LIMITED, "size_cm": size}, liver=LIVER)
    assert s["enets"].t == {enets}
    assert s["ajcc7"].t == {ajcc}


@pytest.mark.parametrize(
    ("invades", "enets", "ajcc"),
    [
        # ENETS T3 "invading the duodenum or common bile duct"; AJCC T3 "beyond the pancreas".
        ("invades_duodenum_or_bile_duct", "T3", "T3"),
        # ENETS T4 "invading adjacent structures"; AJCC T3 (not the celiac axis or SMA).
        ("invades_adjacent_organs", "T4", "T3"),
        # ENETS T4 "large vessels"; AJCC T3 unless the celiac axis or SMA.
        ("invades_other_large_vessels", "T4", "T3"),
        # Both T4: AJCC "involves celiac axis or SMA"; ENETS "large vessels".
        ("invades_celiac_axis_or_sma", "T4", "T4"),
    ],
)
def test_t_by_invasion_on_both_sides(invades: str, enets: str, ajcc: str) -> None:
    others = {
        f: False
        for f in (
            "invades_duodenum_or_bile_duct",
            "invades_adjacent_organs",
            "invades_other_large_vessels",
            "invades_celiac_axis_or_sma",
        )
    }
    s = stages(primary={"site": "pancreas", "size_cm": 1.5, **others, invades: True}, liver=LIVER)
    assert (s["enets"].t, s["ajcc7"].t) == ({enets}, {ajcc})
    # The other side of each boundary: the same primary without the invasion and limited to
    # the pancreas is T1 in both (1.5 cm, "<2 cm limited to the pancreas").
    s = stages(primary={**LIMITED, "size_cm": 1.5, **others}, liver=LIVER)
    assert (s["enets"].t, s["ajcc7"].t) == ({"T1"}, {"T1"})


def test_an_invasion_implies_extension_beyond_the_pancreas() -> None:
    # A duodenal invasion with the extension not stated: beyond the pancreas, so not
    # "limited to the pancreas" (AJCC T3 at 1 cm, not T1).
    s = stages(
        primary={
            "site": "pancreas",
            "size_cm": 1.0,
            "invades_duodenum_or_bile_duct": True,
            "invades_celiac_axis_or_sma": False,
        },
        liver=LIVER,
    )
    assert s["ajcc7"].t == {"T3"}


def test_extension_into_no_named_structure_leaves_enets_open() -> None:
    # The ENETS note places no tumour that extends beyond the pancreas into none of the
    # named structures: T4 if that is an "adjacent structure", else its size category.
    none = {
        f: False
        for f in (
            "invades_duodenum_or_bile_duct",
            "invades_adjacent_organs",
            "invades_other_large_vessels",
            "invades_celiac_axis_or_sma",
        )
    }
    s = stages(
        primary={"site": "pancreas", "size_cm": 3, "extends_beyond_pancreas": True, **none},
        liver=LIVER,
    )
    assert s["enets"].t == {"T2", "T4"}
    assert s["ajcc7"].t == {"T3"}  # AJCC: "extends beyond the pancreas", not celiac/SMA
    assert s["enets"].value == "IV"  # M1 settles the stage all the same


# ----------------------------------------------------------------- unknown stays open


def test_unknown_size_leaves_t_open_and_names_the_field() -> None:
    s = stages(primary=LIMITED, liver=LIVER)
    assert s["enets"].t == {"T1", "T2", "T3"}
    assert s["ajcc7"].t == {"T1", "T2"}
    assert "primary.size_cm" in s["enets"].settle_with
    assert "primary.size_cm" in s["ajcc7"].settle_with


def test_unknown_extent_leaves_t_open() -> None:
    s = stages(primary={"site": "pancreas", "size_cm": 1.0}, liver=LIVER)
    assert s["enets"].t == {"T1", "T3", "T4"}  # limited T1; or duodenum T3; or T4
    assert s["ajcc7"].t == {"T1", "T3", "T4"}
    assert "primary.extends_beyond_pancreas" in s["ajcc7"].settle_with


def test_unknown_nodes_leave_n_open() -> None:
    s = stages(primary={**LIMITED, "size_cm": 3}, liver=LIVER)
    assert s["enets"].n == {"N0", "N1"}
    assert "primary.node_positive" in s["enets"].settle_with
    assert s["enets"].value == "IV"  # 003 Table 2: any T any N M1 → IV


@pytest.mark.parametrize(("nodes", "n"), [(True, "N1"), (False, "N0")])
def test_nodes_give_n(nodes: bool, n: str) -> None:
    s = stages(primary={**LIMITED, "size_cm": 3, "node_positive": nodes}, liver=LIVER)
    assert s["enets"].n == s["ajcc7"].n == {n}


def test_without_stated_liver_disease_m_and_the_stage_stay_open() -> None:
    s = stages(primary={**LIMITED, "size_cm": 3, "node_positive": True})
    assert s["enets"].m == {"M0", "M1"}
    assert s["enets"].stages == {"IIIB", "IV"}  # T2 N1: M0 → IIIB, M1 → IV (003 Table 2)
    assert s["ajcc7"].stages == {"IIB", "IV"}  # T2 N1: M0 → IIB, M1 → IV (003 Table 3)
    assert s["enets"].value is None
    assert "liver.lesion_count" in s["enets"].settle_with


@pytest.mark.parametrize(
    "liver",
    [
        {"lesion_count": 1},
        {"distribution": "bilobar_diffuse"},
        {"tumor_burden_percent": 30},
        {"largest_lesion_cm": 2},
        {"synchronous": True},
        {"synchronous": False},
        # as reports give it: "multiple", "up to 3 cm", "over 70 %",
        # "bilobar", a surgeon's "unresectable" (case-v1 additions)
        {"lesion_count_at_least": 2},
        {"largest_lesion_cm_at_least": 1},
        {"tumor_burden_percent_at_least": 70},
        {"bilobar": True},
        {"surgical_assessment": "unresectable"},
    ],
)
def test_liver_disease_is_m1_and_stage_iv(liver: dict[str, Any]) -> None:
    s = stages(primary={"site": "pancreas"}, liver=liver)
    assert s["enets"].m == {"M1"}
    assert (s["enets"].value, s["ajcc7"].value) == ("IV", "IV")
    assert s["enets"].explanation.startswith("ENETS: T1/T2/T3/T4 N0/N1 M1 → stage IV (003 Table 2)")


@pytest.mark.parametrize(
    "extrahepatic", [{"present": True}, {"sites": ["bone"]}, {"sites": ["distant_nodes"]}]
)
def test_distant_disease_outside_the_liver_is_m1(extrahepatic: dict[str, Any]) -> None:
    # "M1 distant metastases" (003 Tables 2 and 3): extrahepatic deposits are distant too.
    s = stages(primary={"site": "pancreas"}, extrahepatic=extrahepatic)
    assert s["ajcc7"].m == {"M1"} and s["ajcc7"].value == "IV"


def test_no_extrahepatic_disease_alone_leaves_m_open() -> None:
    s = stages(primary={"site": "pancreas"}, extrahepatic={"present": False})
    assert s["enets"].m == {"M0", "M1"}  # the liver is not stated either way


def test_the_explanation_reads_like_the_other_derived_facts() -> None:
    s = stages(primary={**LIMITED, "size_cm": 3, "node_positive": True}, liver=LIVER)
    assert s["enets"].explanation.startswith("ENETS: T2 N1 M1 → stage IV (003 Table 2)")
    assert s["ajcc7"].explanation.startswith("AJCC 7th edition: T2 N1 M1 → stage IV (003 Table 3)")
    assert s["enets"].settle_with == ()


# ----------------------------------------------------------------- other primaries


@pytest.mark.parametrize("site", ["small_intestine", "rectum", "lung", "unknown_primary"])
def test_no_staging_system_for_other_primaries(site: str) -> None:
    for stage in stages(primary={"site": site, "size_cm": 3}, liver=LIVER).values():
        assert stage.applies is False
        assert stage.stages == frozenset() and stage.t == frozenset()
        assert NO_SYSTEM in stage.explanation.lower()


def test_no_site_asks_for_the_site() -> None:
    for stage in stages(liver=LIVER).values():
        assert stage.applies is None
        assert stage.settle_with == ("primary.site",)


# ----------------------------------------------------------------- the two systems disagree


def test_disagreement_is_named_with_both_systems() -> None:
    s = stages(
        primary={
            "site": "pancreas",
            "size_cm": 3,
            "invades_adjacent_organs": True,
            "invades_celiac_axis_or_sma": False,
        },
        liver=LIVER,
    )
    text = disagreement(tuple(s.values()))
    assert text is not None
    assert "ENETS T4" in text and "AJCC 7th edition T3" in text


def test_no_disagreement_when_both_give_the_same_t() -> None:
    s = stages(primary={**LIMITED, "size_cm": 3}, liver=LIVER)
    assert disagreement(tuple(s.values())) is None


def test_stage_line() -> None:
    entry = {"applies": True, "stage": None, "stage_possible": ["IIIB", "IV"], "tnm": "T2 N1 M0/M1"}
    assert stage_line(entry) == "IIIB or IV, not settled (T2 N1 M0/M1)"
    assert stage_line({"applies": False}) == NO_SYSTEM


# ----------------------------------------------------------------- the fields


def test_an_invasion_with_no_extension_is_rejected() -> None:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(
            {
                "case_id": "x",
                "primary": {"extends_beyond_pancreas": False, "invades_celiac_axis_or_sma": True},
            }
        )
    problem = caught.value.problems[0]
    assert problem.path == "primary.extends_beyond_pancreas"
    assert "primary.invades_celiac_axis_or_sma" in problem.message
