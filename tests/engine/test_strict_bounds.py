"""Strict bounds as reports write them: "Ki-67 > 20 %", "< 3 %", "burden < 50 %".

WHO 2019 as 000 §1 gives it: "Grade one (G1) tumors have a mitotic index < 2 or a Ki67 index
< 3. Grade 2 (G2) tumors have a mitotic index between 2 and 20 or a Ki67 index from 3 to 20.
Grade 3 (G3) tumors have a mitotic index or Ki67 index > 20. The higher index is used to
classify grade"; 003 Table 1: "Ki-67 index <3% 3-20% > 20%". The cut-offs are strict, so a
report's "Ki-67 > 20 %" is a G3 by its index alone (the higher index decides), where "at
least 20 %" leaves G2 (20 %) or G3; "< 3 %" with "< 2 mitoses" is a G1, where "at most 3"
leaves G1 or G2 (3 %). Milan (001 Table 2): "Involvement of < 50 % of the hepatic
parenchyma": a burden "< 50 %" meets it, "at most 50 %" leaves it open.

Each case runs through ``nelm assess`` (the interpreter) and ``nelm batch`` (the polars
compiler), which must agree.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from nelm.case.document import case_from_mapping
from nelm.cohort.columns import GRADE_BITS
from nelm.cohort.pipeline import compiled_knowledge
from nelm.cohort.validate import prepare, validate
from nelm.engine.assess import assess
from nelm.errors import InputRejected
from nelm.knowledge import load_knowledge

BASE: dict[str, Any] = {
    "patient": {"age_years": 50, "sex": "female"},
    "primary": {"site": "small_intestine"},
}


def _case(pathology: dict[str, Any], liver: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema_version": 1, "case_id": "s", **BASE, "pathology": pathology}
    if liver is not None:
        doc["liver"] = liver
    return doc


def _assess(doc: dict[str, Any]) -> dict[str, Any]:
    return assess(case_from_mapping(doc), load_knowledge()).to_document()


def _row(doc: dict[str, Any]) -> dict[str, str]:
    row = {"case_id": str(doc["case_id"])}
    for section, body in doc.items():
        if isinstance(body, dict):
            row.update({f"{section}.{k}": str(v) for k, v in body.items()})
    return row


def _batch_grade(doc: dict[str, Any]) -> tuple[str | None, list[str]]:
    row = _row(doc)
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.String))
    typed = validate(prepare(frame), 1).typed
    facts = compiled_knowledge().facts(typed.lazy()).collect()
    return _grade_of_mask(facts["derived.grade"].item())


def _grade_of_mask(mask: int | None) -> tuple[str | None, list[str]]:
    if mask is None:
        return None, []
    possible = [g for g, bit in GRADE_BITS.items() if mask & bit]
    return (possible[0] if len(possible) == 1 else None), sorted(possible)


@pytest.mark.parametrize(
    ("pathology", "grade", "possible"),
    [
        # "> 20" is G3 by the index alone (000 §1: the higher index decides)
        ({"differentiation": "well", "ki67_percent_more_than": 20}, "G3", ["G3"]),
        # "at least 20" includes 20, a G2 (000 §1: "from 3 to 20")
        ({"differentiation": "well", "ki67_percent_at_least": 20}, None, ["G2", "G3"]),
        # "< 3 %" and "< 2 mitoses": G1 (000 §1; 003 Table 1)
        (
            {
                "differentiation": "well",
                "ki67_percent_less_than": 3,
                "mitoses_per_2mm2_less_than": 2,
            },
            "G1",
            ["G1"],
        ),
        # "at most 3 %" includes 3, a G2
        (
            {"differentiation": "well", "ki67_percent_at_most": 3, "mitoses_per_2mm2_less_than": 2},
            None,
            ["G1", "G2"],
        ),
        # mitoses "> 20 per 2 mm²": G3 whatever the Ki-67 (000 §1)
        ({"differentiation": "well", "mitoses_per_2mm2_more_than": 20}, "G3", ["G3"]),
    ],
)
def test_a_strict_bound_at_the_who_cut_off_decides_the_grade(
    pathology: dict[str, Any], grade: str | None, possible: list[str]
) -> None:
    doc = _case(pathology)
    derived = _assess(doc)["classification"]
    assert (derived["grade"], sorted(derived["grade_possible"])) == (grade, possible)
    assert _batch_grade(doc) == (grade, possible)


def _criterion(doc: dict[str, Any], option: str, text_part: str) -> dict[str, Any]:
    crits = _assess(doc)["options"][option]["criteria"]
    return next(c for c in crits if text_part in c["text"])


def test_a_burden_under_half_meets_milan_and_at_most_half_leaves_it_open() -> None:
    # Milan: "Involvement of < 50 % of the hepatic parenchyma" (001 Table 2)
    pathology = {"differentiation": "well", "ki67_percent": 2, "mitoses_per_2mm2": 1}
    under = _case(pathology, {"tumor_burden_percent_less_than": 50})
    at_most = _case(pathology, {"tumor_burden_percent_at_most": 50})
    met = _criterion(under, "liver_transplant_milan", "< 50 %")
    assert met["result"] == "met"
    assert "Hepatic tumour burden < 50 %" in met["value"]
    assert _criterion(at_most, "liver_transplant_milan", "< 50 %")["result"] == "unknown"


def test_the_ki67_shown_as_the_report_wrote_it() -> None:
    doc = _case({"differentiation": "well", "ki67_percent_more_than": 20})
    crit = _criterion(doc, "liver_transplant_enets", "Ki-67")
    # ENETS transplant: "Ki67 proliferation index ≤ 10%" (001 Table 2): not met above 20
    assert crit["result"] == "not_met"
    assert "Ki-67 index > 20 %" in crit["value"]
    assert "20.000" not in str(_assess(doc))


@pytest.mark.parametrize(
    ("pathology", "field", "says"),
    [
        (
            {"ki67_percent_at_least": 15, "ki67_percent_more_than": 20},
            "pathology.ki67_percent_more_than",
            "must be left out when pathology.ki67_percent_at_least is given",
        ),
        (
            {"ki67_percent_more_than": 20, "ki67_percent_less_than": 20},
            "pathology.ki67_percent_less_than",
            "must be greater than pathology.ki67_percent_more_than (20)",
        ),
        (
            {"ki67_percent": 20, "ki67_percent_more_than": 20},
            "pathology.ki67_percent",
            "must be more than pathology.ki67_percent_more_than (20)",
        ),
        (
            {"ki67_percent_more_than": 100},
            "pathology.ki67_percent_more_than",
            "must be below 100",
        ),
    ],
)
def test_bounds_that_cannot_hold_are_refused_by_name(
    pathology: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(_case(pathology))
    problems = caught.value.problems
    assert any(p.path == field and says in p.expected for p in problems), problems


def test_the_refused_bound_is_quoted_as_it_was_written() -> None:
    # a person wrote 20, so the message says 20 (not the 20.0 the check compares)
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(_case({"ki67_percent_at_least": 15, "ki67_percent_more_than": 20}))
    (problem,) = caught.value.problems
    assert problem.got == "20"


def test_text_with_a_strict_sign_is_pointed_to_the_strict_field() -> None:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(_case({"ki67_percent": "> 20 %"}))
    (problem,) = caught.value.problems
    assert "write pathology.ki67_percent_more_than: 20" in problem.got


def test_a_whole_count_has_no_strict_bound() -> None:
    # "more than 10 lesions" is at least 11 (docs/case-v1-additions.md)
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(_case({}, {"lesion_count_more_than": 10}))
    assert any(p.path == "liver.lesion_count_more_than" for p in caught.value.problems)
