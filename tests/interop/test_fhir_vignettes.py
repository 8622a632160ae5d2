"""The board vignettes sent as FHIR R4 records give the assessment of their case documents.

Fifteen vignettes of tests/vignettes are written as the Bundle a hospital would send
(tests/interop/fhir_vignettes.py: standard codes where docs/fhir-mapping.md maps one, nelm's
observation profile of docs/fhir-ig.md where none exists). What FHIR has no place for is added
as the board file (``nelm assess RECORD --with board.yaml``). The expected statuses and derived
facts are those of the case document, whose own expectations cite the seeds
(tests/vignettes/cases_systemic.py, liver_directed_prrt_cases.py, test_surgery_transplant.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from tests.interop.fhir_vignettes import record_of
from tests.vignettes import test_surgery_transplant
from tests.vignettes.cases_systemic import VIGNETTES as SYSTEMIC
from tests.vignettes.liver_directed_prrt_cases import VIGNETTES as LIVER_DIRECTED

from nelm.case import case_from_mapping
from nelm.service import Added, assess_case, assess_fhir

AS_OF = dt.date(2026, 6, 1)

CHOSEN = (
    "pnet_g2_diffuse_progressed_on_ssa",
    "pancreatic_large_cell_nec_new",
    "post_whipple_pnet_after_everolimus_bone",
    "insulinoma_g1_several_lesions_stable",
    "vipoma_discordant_indices_g3",
    "unknown_primary_ihc_sstr_nodes",
    "lung_atypical_carcinoid_unilobar",
    "gastrinoma_after_prrt_lines_not_counted",
    "ileal-g2-two-small-lesions-new",
    "pnet-after-whipple-diffuse",
    "pnet-g2-encephalopathy-biliary-obstruction",
    "ileal-g2-rapid-bulky-lung-shunt",
    "pnet-g2-multiple-bilobar-thin",
    "v01-complete-resectable-unilobar-pnet",
    "v13-synchronous-type-ii-stable-distant-nodes",
)
ALL = {v.name: v.case for v in [*SYSTEMIC, *LIVER_DIRECTED, *test_surgery_transplant.VIGNETTES]}
CASES = [ALL[name] for name in CHOSEN]

# Fields no standard FHIR element or code carries and nelm's profile does not cover
# (docs/fhir-mapping.md "Not mapped"); a false finding has no place either, since an absent
# Condition or Procedure is never read as "no" (docs/fhir-mapping.md "Unknown stays unknown").
BOARD_ONLY = {
    "patient.fit_for_major_surgery",
    "patient.carcinoid_heart_disease",
    "primary.resection_margin",
    "primary.syndrome_refractory",
    "primary.functional_syndrome",  # "none": no code says a tumour secretes nothing
    "primary.site",  # "unknown": ICD-10-CM C7A.00 is a site not coded, not a primary not found
    "primary.resected",  # false
    "liver.distribution",
    "liver.near_hilum_or_major_vessels",
    "liver.subcapsular",
    "extrahepatic.present",  # false
    "extrahepatic.stable",
    "extrahepatic.resectable",
    "anatomy.prior_whipple",  # false
    "anatomy.biliary_enteric_anastomosis",
    "anatomy.biliary_obstruction",  # false (true is a current Condition, K83.1)
    "anatomy.hepatic_encephalopathy",  # false (true: K76.82)
    "anatomy.ascites",  # false (true: R18)
    "anatomy.portal_vein_thrombosis",  # false (true: I81)
    "anatomy.gi_shunting_uncorrectable",
    "course.prior_systemic_lines",
    "course.months_stable",  # scan dates give a lower bound only (nelm.case.timeline)
    "course.status",  # "new": a first presentation has no disease-status code
    "course.progressed_on_ssa",  # false
}
# Facts a standard code states beside what the vignette says: a histologic grade G1 or G2
# (LOINC 33732-9) and the ICD-O-3 morphology 8249/3 of a lung primary (atypical carcinoid)
# are well-differentiated tumours (WHO Classification of Digestive System Tumours, 5th ed.
# 2019, and of Thoracic Tumours, 5th ed. 2021: NET G1/G2 and carcinoids are well
# differentiated; docs/fhir-mapping.md, histologic grade).
IMPLIED = {
    "lung_atypical_carcinoid_unilobar": {"differentiation": "well"},
    "pnet-g2-multiple-bilobar-thin": {"differentiation": "well"},
}
# What the classification says about where values came from, not what they are.
SOURCE_KEYS = {"explanations", "from_timeline"}


def _as_document(case: dict[str, Any]) -> dict[str, Any]:
    return assess_case(case_from_mapping(case), with_evidence=False).to_document()


def _as_record(case: dict[str, Any]) -> dict[str, Any]:
    bundle, board, _ = record_of(case, AS_OF)
    added = Added(board, "board.yaml") if board else None
    return assess_fhir(bundle, assessment_date=AS_OF, with_evidence=False, added=added)


def _read(assessment: dict[str, Any], path: str) -> Any:
    section, key = path.split(".")
    for derived in assessment["classification"].get("from_timeline", []):
        if derived["field"] == path:
            return derived["value"]
    return assessment["inputs"].get(section, {}).get(key)


def test_the_chosen_vignettes_cover_the_fields_the_board_uses() -> None:
    sent: set[str] = set()
    for case in CASES:
        sent |= record_of(case, AS_OF)[2]
    for path in (
        "pathology.ki67_percent",
        "pathology.mitoses_per_2mm2",
        "pathology.differentiation",
        "pathology.reported_grade",
        "pathology.nec_subtype",
        "primary.site",
        "primary.functional_syndrome",
        "liver.lesion_count",
        "liver.tumor_burden_percent",
        "liver.future_liver_remnant_percent",
        "extrahepatic.sites",
        "labs.bilirubin_mg_dl",
        "imaging.sstr_positive",
        "course.prior_treatments",
        "course.status",
        "anatomy.prior_whipple",
        "anatomy.hepatic_encephalopathy",
        "anatomy.biliary_obstruction",
        "patient.ecog",
    ):
        assert path in sent, path


@pytest.mark.parametrize("case", CASES, ids=CHOSEN)
def test_each_option_has_the_status_of_the_case_document(case: dict[str, Any]) -> None:
    want = _as_document(case)["options"]
    got = _as_record(case)["options"]
    assert {o: got[o]["status"] for o in want} == {o: want[o]["status"] for o in want}


@pytest.mark.parametrize("case", CASES, ids=CHOSEN)
def test_the_derived_facts_are_those_of_the_case_document(case: dict[str, Any]) -> None:
    name = CHOSEN[CASES.index(case)]
    want = {k: v for k, v in _as_document(case)["classification"].items() if k not in SOURCE_KEYS}
    want.update(IMPLIED.get(name, {}))
    got = {k: v for k, v in _as_record(case)["classification"].items() if k not in SOURCE_KEYS}
    assert got == want


@pytest.mark.parametrize("case", CASES, ids=CHOSEN)
def test_the_plan_is_that_of_the_case_document(case: dict[str, Any]) -> None:
    assert _as_record(case)["plan"] == _as_document(case)["plan"]


@pytest.mark.parametrize("case", CASES, ids=CHOSEN)
def test_the_record_alone_holds_every_field_it_sends(case: dict[str, Any]) -> None:
    # Assessed without the board file: each value must come from the Bundle's codes.
    bundle, _, sent = record_of(case, AS_OF)
    read = assess_fhir(bundle, assessment_date=AS_OF, with_evidence=False)
    for path in sorted(sent):
        section, key = path.split(".")
        expected = case[section][key]
        got = _read(read, path)
        if isinstance(expected, list):
            assert sorted(got or []) == sorted(expected), path
        else:
            assert got == expected, path
        assert path in read["input_source"]["provenance"] or path.startswith(
            ("primary.resected", "primary.months_since", "course.")
        ), path


@pytest.mark.parametrize("case", CASES, ids=CHOSEN)
def test_only_fields_without_a_place_in_fhir_go_in_the_board_file(case: dict[str, Any]) -> None:
    _, board, _ = record_of(case, AS_OF)
    added = {f"{section}.{key}" for section, values in board.items() for key in values}
    assert added <= BOARD_ONLY, sorted(added - BOARD_ONLY)
