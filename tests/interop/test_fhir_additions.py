"""FHIR mapping of the case-v1 fields added for real reports (docs/case-v1-additions.md).

Each test builds a bundle with the codes a hospital would send and checks the case field.
The code systems each test relies on are named beside it; project codes are those of
docs/fhir-ig.md (nelm-observation, nelm-value, nelm-procedure).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.case import case_from_mapping
from nelm.case.fields import FIELD_BY_PATH
from nelm.interop.fhir import NELM_OBSERVATION, FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    medication_statement_resource,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    procedure_resource,
    quantity,
)
from nelm.interop.fhir.systems import NELM_PROCEDURE, NELM_VALUE

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ATC = "http://www.whocc.no/atc"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any], marker: bool = True) -> FhirMapping:
    extra = (neuroendocrine_marker(),) if marker else ()
    return bundle_to_case(bundle_of(patient_resource("p"), *extra, *resources), assessment_date=DAY)


def _value(mapping: FhirMapping, path: str) -> Any:
    section, name = path.split(".")
    return mapping.document.get(section, {}).get(name)


def _obs(rid: str, system: str, code: str, **value: Any) -> dict[str, Any]:
    return observation_resource(rid, system, code, effective="2025-01-10", **value)


def _nelm(rid: str, code: str, **value: Any) -> dict[str, Any]:
    return _obs(rid, NELM_OBSERVATION, code, **value)


def _answer(code: str) -> dict[str, Any]:
    return {"valueCodeableConcept": {"coding": [{"system": NELM_VALUE, "code": code}]}}


def _snomed(code: str) -> dict[str, Any]:
    return {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code}]}}


# --------------------------------------------------------------------------- reported grade


@pytest.mark.parametrize(
    ("answer", "grade", "differentiation"),
    [
        # SNOMED CT 54102005 G1 grade, 1663004 G2 grade (finding): well-differentiated NETs
        ("54102005", "G1", "well"),
        ("1663004", "G2", "well"),
        # SNOMED CT 61026006 G3 grade: NET G3 or NEC (WHO 2019), so no differentiation
        ("61026006", "G3", None),
    ],
)
def test_histologic_grade_observation_gives_the_reported_grade(
    answer: str, grade: str, differentiation: str | None
) -> None:
    # LOINC 33732-9 Histology grade [Identifier] in Cancer specimen
    mapping = _map(_obs("g", LOINC, "33732-9", **_snomed(answer)))
    assert _value(mapping, "pathology.reported_grade") == grade
    assert _value(mapping, "pathology.differentiation") == differentiation
    assert mapping.provenance["pathology.reported_grade"] == "Observation/g (LOINC 33732-9)"


def test_project_reported_grade_holds_what_no_standard_grade_code_says() -> None:
    mapping = _map(_nelm("g", "reported-grade", **_answer("atypical_carcinoid")))
    assert _value(mapping, "pathology.reported_grade") == "atypical_carcinoid"


def test_a_choice_outside_the_field_is_not_used() -> None:
    mapping = _map(_nelm("g", "reported-grade", **_answer("G5")))
    assert "pathology.reported_grade" in mapping.unmapped
    assert any("pathology.reported_grade not set" in n for n in mapping.notes)


@pytest.mark.parametrize(
    ("site", "morphology", "grade"),
    [
        # ICD-10 C34.1 upper lobe of lung; ICD-O-3 8249/3 atypical carcinoid (WHO thoracic
        # tumours 2021: typical carcinoid 8240/3, atypical carcinoid 8249/3)
        ("C34.1", "8249/3", "atypical_carcinoid"),
        ("C34.1", "8240/3", "typical_carcinoid"),
        # ICD-10 C37 malignant neoplasm of thymus
        ("C37", "8240/3", "typical_carcinoid"),
        # ICD-O-3 8246/3 neuroendocrine carcinoma NOS: a report of NEC, wherever it is
        ("C25.0", "8246/3", "NEC"),
        # Outside the thorax 8249/3 is NET G2 or G3 (ICD-O-3.2): no reported grade
        ("C25.0", "8249/3", None),
    ],
)
def test_histology_states_the_grade_or_thoracic_histotype(
    site: str, morphology: str, grade: str | None
) -> None:
    primary = condition_resource("c", ICD10, site, morphology=morphology)
    mapping = _map(primary, marker=False)
    assert _value(mapping, "pathology.reported_grade") == grade


def test_thymic_primary_site() -> None:
    # ICD-10 C37 (thymus) with a neuroendocrine morphology: case-v1 primary site thymus
    mapping = _map(condition_resource("c", ICD10, "C37", morphology="8240/3"), marker=False)
    assert _value(mapping, "primary.site") == "thymus"


@pytest.mark.parametrize(
    ("code", "grade"),
    [
        # SNOMED CT morphologies (WHO 5th edition terms, as in the mCODE histology value
        # set examples): 1286770005 Well-differentiated neuroendocrine tumor grade 2,
        # 1286767006 Neuroendocrine carcinoma
        ("1286770005", "G2"),
        ("1286767006", "NEC"),
    ],
)
def test_snomed_morphology_states_the_grade(code: str, grade: str) -> None:
    primary = condition_resource("c", ICD10, "C25.0")
    primary["extension"] = [
        {
            "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/"
            "mcode-histology-morphology-behavior",
            "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code}]},
        }
    ]
    mapping = _map(primary, marker=False)
    assert _value(mapping, "pathology.reported_grade") == grade


# --------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("code", "value", "path", "bound"),
    [
        # FHIR R4 Quantity.comparator: "<" "<=" ">=" ">" (QuantityComparator value set).
        # LOINC 29593-1 Ki-67: "< 2 %" → less than 2, strict as sent (docs/case-v1-additions.md,
        # "Strict bounds"); "<= 2 %" → at most 2
        (
            (LOINC, "29593-1"),
            {"valueQuantity": {**quantity(2, "%"), "comparator": "<"}},
            "pathology.ki67_percent_less_than",
            2,
        ),
        (
            (LOINC, "29593-1"),
            {"valueQuantity": {**quantity(2, "%"), "comparator": "<="}},
            "pathology.ki67_percent_at_most",
            2,
        ),
        # "> 20 %": the WHO G3 cut-off itself, strict (000 §1: "Ki67 index > 20")
        (
            (LOINC, "29593-1"),
            {"valueQuantity": {**quantity(20, "%"), "comparator": ">"}},
            "pathology.ki67_percent_more_than",
            20,
        ),
        # a count is whole: "> 10 lesions" → at least 11 (docs/case-v1-additions.md)
        (
            (NELM_OBSERVATION, "liver-lesion-count"),
            {"valueQuantity": {"value": 10, "comparator": ">"}},
            "liver.lesion_count_at_least",
            11,
        ),
        # "over 70 %" burden
        (
            (NELM_OBSERVATION, "liver-tumor-burden"),
            {"valueQuantity": {**quantity(70, "%"), "comparator": ">="}},
            "liver.tumor_burden_percent_at_least",
            70,
        ),
        # "up to 3 cm", sent in mm (UCUM): converted like the exact value
        (
            (NELM_OBSERVATION, "largest-liver-lesion"),
            {"valueQuantity": {**quantity(30, "mm"), "comparator": "<="}},
            "liver.largest_lesion_cm_at_most",
            3,
        ),
    ],
)
def test_a_quantity_with_a_comparator_is_a_bound_never_the_value(
    code: tuple[str, str], value: dict[str, Any], path: str, bound: float
) -> None:
    mapping = _map(_obs("o", *code, **value))
    assert _value(mapping, path) == pytest.approx(bound)
    exact = FIELD_BY_PATH[path].bound_of
    assert exact in mapping.unmapped
    case = case_from_mapping(mapping.document)
    assert case.values[path] == pytest.approx(bound)


def test_a_bound_from_the_record_names_its_resource_in_the_criteria() -> None:
    # "< 2 %" (LOINC 29593-1) meets the ENETS transplant criterion "Ki67 proliferation
    # index <= 10%" (001 Table 2) whatever the exact index; the criterion names the
    # Observation the bound came from, never "(entered)" as if a person had typed it
    from nelm.service import assess_fhir

    ki67 = _obs("k1", LOINC, "29593-1", valueQuantity={**quantity(2, "%"), "comparator": "<"})
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), ki67)
    doc = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    criteria = doc["options"]["liver_transplant_enets"]["criteria"]
    (shown,) = [c for c in criteria if c["id"] == "liver_transplant_enets.ki67"]
    assert shown["result"] == "met"
    assert shown["value"] == "Ki-67 index < 2 % (from the FHIR record Observation/k1)"


def test_a_range_gives_both_bounds() -> None:
    # FHIR R4 Observation.valueRange (low, high): "4–5 lesions"
    lesions = _nelm(
        "o", "liver-lesion-count", valueRange={"low": {"value": 4}, "high": {"value": 5}}
    )
    mapping = _map(lesions)
    assert _value(mapping, "liver.lesion_count_at_least") == 4
    assert _value(mapping, "liver.lesion_count_at_most") == 5
    assert "liver.lesion_count" in mapping.unmapped


def test_a_bound_out_of_range_is_listed_and_left_unknown() -> None:
    ki67 = _obs("o", LOINC, "29593-1", valueQuantity={**quantity(250, "%"), "comparator": ">"})
    mapping = _map(ki67)
    assert "pathology.ki67_percent_more_than" in mapping.unmapped
    expected = "pathology.ki67_percent_more_than must be between 0 and 100"
    assert any(expected in issue for issue in mapping.issues)


def test_the_latest_result_wins_whatever_its_form() -> None:
    # Ki-67 12 % in 2020, then "< 2 %" in 2024: the later bound is the current result;
    # the earlier exact value is set aside, not mixed with it.
    early = observation_resource(
        "early", LOINC, "29593-1", effective="2020-05-01", valueQuantity=quantity(12, "%")
    )
    late = observation_resource(
        "late",
        LOINC,
        "29593-1",
        effective="2024-05-01",
        valueQuantity={**quantity(2, "%"), "comparator": "<"},
    )
    mapping = _map(early, late)
    assert _value(mapping, "pathology.ki67_percent_less_than") == 2
    assert "pathology.ki67_percent" in mapping.unmapped
    assert any("earlier ones are set aside (Observation/early)" in n for n in mapping.notes)


# --------------------------------------------------------------------------- judgements etc.


@pytest.mark.parametrize(
    ("code", "answer", "path"),
    [
        ("liver-surgical-assessment", "unresectable", "liver.surgical_assessment"),
        (
            "liver-surgical-assessment",
            "resectable_after_conversion",
            "liver.surgical_assessment",
        ),
        ("primary-surgical-assessment", "unresectable", "primary.surgical_assessment"),
        ("primary-unresectable-reason", "vascular_involvement", "primary.unresectable_reason"),
        ("sstr-uptake-vs-liver", "above_liver", "imaging.sstr_uptake_vs_liver"),
        ("functional-tumor-hormone", "serotonin", "primary.hormone"),
    ],
)
def test_project_codes_with_a_choice(code: str, answer: str, path: str) -> None:
    mapping = _map(_nelm("o", code, **_answer(answer)))
    assert _value(mapping, path) == answer
    assert mapping.provenance[path] == f"Observation/o (nelm-observation {code})"


@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("sstr-ihc-positive", "pathology.sstr_ihc_positive"),
        ("liver-bilobar", "liver.bilobar"),
        ("liver-burden-symptoms", "liver.burden_symptoms"),
        ("pregnant", "patient.pregnant"),
    ],
)
def test_project_codes_with_true_or_false(code: str, path: str) -> None:
    assert _value(_map(_nelm("o", code, valueBoolean=True)), path) is True
    # SNOMED CT 260385009 Negative (qualifier value)
    assert _value(_map(_nelm("o", code, **_snomed("260385009"))), path) is False


@pytest.mark.parametrize(("answer", "pregnant"), [("77386006", True), ("60001007", False)])
def test_the_us_core_pregnancy_status_is_read(answer: str, pregnant: bool) -> None:
    # US Core Observation Pregnancy Status: LOINC 82810-3 Pregnancy status, answered with
    # SNOMED CT 77386006 Pregnant or 60001007 Not pregnant.
    mapping = _map(_obs("o", LOINC, "82810-3", **_snomed(answer)))
    assert _value(mapping, "patient.pregnant") is pregnant
    assert mapping.provenance["patient.pregnant"].startswith("Observation/o")


def test_a_surgeons_judgement_reaches_the_assessment() -> None:
    from nelm.service import assess_fhir

    bundle = bundle_of(
        patient_resource("p"),
        neuroendocrine_marker(),
        _nelm("o", "liver-surgical-assessment", **_answer("unresectable")),
    )
    doc = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert doc["inputs"]["liver"]["surgical_assessment"] == "unresectable"
    # 001 Isolated surgical resection: resection needs resectable disease; the board's
    # "unresectable" makes liver resection ineligible (docs/case-v1-additions.md).
    assert doc["options"]["liver_resection"]["status"] == "ineligible"


# --------------------------------------------------------------------------- syndromes


@pytest.mark.parametrize(
    ("system", "code", "syndrome"),
    [
        # SNOMED CT 30664006 Multiple endocrine neoplasia, type 1 (disorder)
        (SNOMED, "30664006", "men1"),
        # SNOMED CT 46659004 Von Hippel-Lindau syndrome
        (SNOMED, "46659004", "vhl"),
        # SNOMED CT 92824003 Neurofibromatosis type 1
        (SNOMED, "92824003", "nf1"),
        # SNOMED CT 7199000 Tuberous sclerosis syndrome (disorder) (value set
        # be-vs-diagnostic-imaging-indication, GitHub hl7-be/referral)
        (SNOMED, "7199000", "tuberous_sclerosis"),
        # ICD-10-CM, CDC tabular list of 1 April 2026: E31.21 Multiple endocrine neoplasia
        # [MEN] type I; Q85.01 Neurofibromatosis, type 1; Q85.1 Tuberous sclerosis;
        # Q85.83 Von Hippel-Lindau syndrome
        (ICD10_CM, "E31.21", "men1"),
        (ICD10_CM, "Q85.01", "nf1"),
        (ICD10_CM, "Q85.1", "tuberous_sclerosis"),
        (ICD10_CM, "Q851", "tuberous_sclerosis"),  # the same code without its dot
        (ICD10_CM, "Q85.83", "vhl"),
    ],
)
def test_hereditary_syndromes(system: str, code: str, syndrome: str) -> None:
    mapping = _map(condition_resource("s", system, code))
    assert _value(mapping, "patient.hereditary_syndromes") == [syndrome]


@pytest.mark.parametrize(
    "code",
    [
        # ICD-10-CM (CDC tabular list, 1 April 2026): E31.20 "Multiple endocrine neoplasia
        # [MEN] syndrome, unspecified" names no type (MEN4 has no code of its own); Q85.89
        # "Other phakomatoses, not elsewhere classified" holds Peutz-Jeghers and
        # Sturge-Weber, not VHL (Q85.83) or tuberous sclerosis (Q85.1).
        "E31.20",
        "Q85.89",
    ],
)
def test_a_syndrome_code_that_names_no_listed_syndrome_leaves_the_list_unknown(code: str) -> None:
    mapping = _map(condition_resource("s", ICD10_CM, code))
    assert _value(mapping, "patient.hereditary_syndromes") is None
    assert "patient.hereditary_syndromes" in mapping.unmapped


def test_a_hereditary_syndrome_is_the_patients_even_without_a_net() -> None:
    # No neuroendocrine Condition: the tumour sections are left unknown, but MEN1 is a
    # fact about the patient (section patient) and is kept.
    for system, code in ((SNOMED, "30664006"), (ICD10_CM, "E31.21")):
        mapping = _map(condition_resource("s", system, code), marker=False)
        assert _value(mapping, "patient.hereditary_syndromes") == ["men1"]
        assert mapping.warnings[0].startswith("NOT A NEUROENDOCRINE RECORD")


# --------------------------------------------------------------------------- complications


def _due_to(condition: dict[str, Any], reference: str) -> dict[str, Any]:
    # FHIR R4 core extension condition-dueTo (valueReference to the causing Condition)
    condition["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/condition-dueTo",
            "valueReference": {"reference": reference},
        }
    ]
    return condition


def test_a_complication_due_to_the_primary() -> None:
    # ICD-10 K56.6 intestinal obstruction (K56: paralytic ileus and intestinal obstruction
    # without hernia), due to the ileal NET (ICD-10-CM C7A.012)
    primary = condition_resource("primary", ICD10_CM, "C7A.012")
    obstruction = _due_to(condition_resource("ileus", ICD10, "K56.6"), "Condition/primary")
    mapping = _map(primary, obstruction, marker=False)
    assert _value(mapping, "primary.complications") == ["bowel_obstruction"]


def test_a_complication_not_linked_to_the_net_is_not_its() -> None:
    unlinked = condition_resource("ileus", ICD10, "K56.6")
    other = _due_to(condition_resource("bleed", ICD10, "K92.2"), "Condition/adhesions")
    mapping = _map(unlinked, other)
    assert "primary.complications" in mapping.unmapped
    assert any(n.startswith("not used: a complication not linked") for n in mapping.notes)


# --------------------------------------------------------------------------- timeline


def _timeline_bundle(*extra: dict[str, Any]) -> dict[str, Any]:
    # ICD-10-CM C7A.012 malignant carcinoid tumour of the ileum, onset = diagnosis
    primary = condition_resource("primary", ICD10_CM, "C7A.012", onset="2019-03-01")
    resection = procedure_resource(
        "resection", NELM_PROCEDURE, "primary-resection", performed="2019-05-10"
    )
    # ATC H01CB02 octreotide, given from June 2019 to January 2020
    ssa = medication_statement_resource("ssa", ATC, "H01CB02")
    ssa["effectivePeriod"] = {"start": "2019-06-01", "end": "2020-01-10"}

    # LOINC 97509-4 Cancer disease progression (mCODE Cancer Disease Status), answered
    # from mCODE ConditionStatusTrendVS: SNOMED CT 271299001 Patient's condition worsened,
    # 359746009 Patient's condition stable
    def status(rid: str, day: str, answer: str) -> dict[str, Any]:
        return observation_resource(rid, LOINC, "97509-4", effective=day, **_snomed(answer))

    return bundle_of(
        patient_resource("p"),
        primary,
        resection,
        ssa,
        status("s1", "2020-01-05", "271299001"),
        status("s2", "2024-10-20", "359746009"),
        *extra,
    )


def test_the_timeline_from_onsets_procedures_medications_and_disease_status() -> None:
    mapping = bundle_to_case(_timeline_bundle(), assessment_date=DAY)
    assert mapping.document["timeline"] == {
        "as_of": "2025-01-15",
        "diagnosis": "2019-03-01",
        "primary_resection": "2019-05-10",
        "treatments": [
            {
                "treatment": "ssa",
                "start": "2019-06-01",
                "stop": "2020-01-10",
                "progression": "2020-01-05",
            }
        ],
        "scans": [
            {"date": "2020-01-05", "finding": "progression"},
            {"date": "2024-10-20", "finding": "stable"},
        ],
    }
    case = case_from_mapping(mapping.document)
    # docs/case-v1-additions.md "The timeline": derived when the typed field is absent
    assert case.values["primary.resected"] is True
    assert case.values["course.progressed_on_ssa"] is True
    # calendar months, tenths rounded down: 2020-01-05 → 2024-10-05 is 57 months, and 15 of
    # the 31 days to 2024-11-05 are 0.48 of the next: 57.4 months
    assert case.values["course.months_stable_at_least"] == pytest.approx(57.4)
    # the latest Cancer Disease Status is "stable": the course is stable, and the typed
    # prior treatments (from the MedicationStatement) agree with the timeline's line
    assert case.values["course.status"] == "stable"
    assert case.values["course.prior_treatments"] == ("ssa",)
    assert case.timeline_conflicts == ()


def test_a_progression_after_a_line_stopped_is_not_on_it() -> None:
    bundle = _timeline_bundle()
    for entry in bundle["entry"]:
        if entry["resource"]["id"] == "ssa":
            entry["resource"]["effectivePeriod"]["end"] = "2019-12-01"
    case = case_from_mapping(bundle_to_case(bundle, assessment_date=DAY).document)
    assert "course.progressed_on_ssa" not in case.values


def test_a_partial_date_is_never_placed_on_a_guessed_day() -> None:
    primary = condition_resource("primary", ICD10_CM, "C7A.012", onset="2019-03")
    mapping = _map(primary, marker=False)
    assert "timeline" not in mapping.document
    assert any("without a whole day" in n for n in mapping.notes)


def test_the_status_of_another_cancer_is_not_the_nets() -> None:
    # mCODE Cancer Disease Status whose focus is a breast adenocarcinoma (ICD-O-3 8500/3)
    breast = condition_resource("breast", ICD10, "C50.9", morphology="8500/3")
    status = observation_resource(
        "s", LOINC, "97509-4", effective="2024-01-01", **_snomed("271299001")
    )
    status["focus"] = [{"reference": "Condition/breast"}]
    mapping = _map(breast, status)
    assert "timeline" not in mapping.document
    assert any("not a neuroendocrine neoplasm: Observation/s" in n for n in mapping.notes)


# --------------------------------------------------------------------------- radiology report


def test_a_structured_radiology_report_with_the_new_findings() -> None:
    # A 68Ga-DOTATATE PET/CT report (DiagnosticReport, v2-0074 RAD) whose results are
    # contained: "4–5 liver metastases in both lobes, the largest 38 mm, uptake above the
    # liver". Lesion size: mCODE Tumor Size (LOINC 21889-1, component 33728-7, bodySite
    # SNOMED CT 10200004 Liver structure); the rest: project codes (docs/fhir-ig.md).
    def contained(rid: str, code: tuple[str, str], **value: Any) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": rid,
            "status": "final",
            "code": {"coding": [{"system": code[0], "code": code[1]}]},
            **value,
        }

    size = contained(
        "size",
        (LOINC, "21889-1"),
        bodySite={"coding": [{"system": SNOMED, "code": "10200004"}]},
        component=[
            {
                "code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
                "valueQuantity": quantity(38, "mm"),
            }
        ],
    )
    report = {
        "resourceType": "DiagnosticReport",
        "id": "pet",
        "status": "final",
        "category": [{"coding": [{"system": V2_0074, "code": "RAD"}]}],
        "code": {"text": "68Ga-DOTATATE PET/CT"},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2025-01-10",
        "contained": [
            contained(
                "count",
                (NELM_OBSERVATION, "liver-lesion-count"),
                valueRange={"low": {"value": 4}, "high": {"value": 5}},
            ),
            size,
            contained(
                "uptake", (NELM_OBSERVATION, "sstr-uptake-vs-liver"), **_answer("above_liver")
            ),
            contained("bilobar", (NELM_OBSERVATION, "liver-bilobar"), valueBoolean=True),
        ],
        "result": [{"reference": f"#{rid}"} for rid in ("count", "size", "uptake", "bilobar")],
    }
    mapping = _map(report)
    assert mapping.document["liver"] == {
        "lesion_count_at_least": 4,
        "lesion_count_at_most": 5,
        "largest_lesion_cm": 3.8,
        "bilobar": True,
    }
    assert mapping.document["imaging"] == {"sstr_uptake_vs_liver": "above_liver"}
    uptake = mapping.provenance["imaging.sstr_uptake_vs_liver"]
    assert uptake.startswith("DiagnosticReport/pet#uptake")
    assert not mapping.issues


# --------------------------------------------------------------------------- bound soundness


@settings(max_examples=60, deadline=None)
@given(
    comparator=st.sampled_from(["<", "<=", ">=", ">"]),
    value=st.floats(min_value=1, max_value=40, allow_nan=False).map(lambda v: round(v, 2)),
    count=st.booleans(),
)
def test_a_bound_never_excludes_a_value_the_report_allows(
    comparator: str, value: float, count: bool
) -> None:
    # Soundness of the interval logic (docs/case-v1-additions.md): the bounds nelm holds
    # must contain every value the comparator allows (inclusive, whole for a count), so a
    # comparison is never decided on a value the report did not exclude; and the exact
    # field is never set from a bound.
    if count:
        code, path, quantity_ = (
            (NELM_OBSERVATION, "liver-lesion-count"),
            "liver.lesion_count",
            {"value": value},
        )
    else:
        code, path, quantity_ = (LOINC, "29593-1"), "pathology.ki67_percent", quantity(value, "%")
    mapping = _map(_obs("o", *code, valueQuantity={**quantity_, "comparator": comparator}))
    assert path in mapping.unmapped
    low = _value(mapping, f"{path}_at_least")
    high = _value(mapping, f"{path}_at_most")
    allowed = {
        "<": lambda x: x < value,
        "<=": lambda x: x <= value,
        ">=": lambda x: x >= value,
        ">": lambda x: x > value,
    }[comparator]
    candidates = range(1, 60) if count else [value - 0.5, value, value + 0.5, value - 1e-6]
    for x in candidates:
        if allowed(x) and (0 <= x <= 100):
            assert (low is None or x >= low) and (high is None or x <= high), (x, low, high)


def test_a_record_of_another_cancer_names_it_in_its_warning() -> None:
    # ICD-10-CM C34.11 "Malignant neoplasm of upper lobe, right bronchus or lung" with the
    # ICD-O-3 morphology 8140/3 (adenocarcinoma, NOS) in mCODE's histology extension: a
    # cancer that is not neuroendocrine. Without a NET, the warning says the record holds
    # another cancer, by its reference and the record's own name for it, so a case stored
    # from the record does not read as one merely missing its data.
    lung = condition_resource("lung", ICD10_CM, "C34.11", morphology="8140/3")
    lung["code"]["coding"][0]["display"] = "Malignant neoplasm of upper lobe, right lung"
    mapping = _map(lung, marker=False)
    (warning,) = [w for w in mapping.warnings if w.startswith("NOT A NEUROENDOCRINE")]
    assert (
        "The record holds another cancer (Condition/lung (Malignant neoplasm of upper lobe, "
        "right lung)): liver lesions may be its metastases." in warning
    )
    # no other cancer: the warning says nothing of one
    (plain,) = _map(marker=False).warnings
    assert "another cancer" not in plain


def test_a_cancer_coded_by_its_site_alone_is_named_as_such() -> None:
    # ICD-10 C20 "Malignant neoplasm of rectum" and C50.3 (breast, lower-inner quadrant)
    # say the site, not the histology: a rectal NET is coded C20 with a neuroendocrine
    # morphology (ICD-O-3 8240/3), an adenocarcinoma with 8140/3. Without a morphology the
    # record does not say which, so the warning names the Condition as coded by its site
    # alone, not as another cancer; a secondary neoplasm (C78.7, liver) is no primary.
    rectum = condition_resource("rectum", ICD10, "C20")
    rectum["code"]["coding"][0]["display"] = "Malignant neoplasm of rectum"
    liver = condition_resource("mets", ICD10, "C78.7")
    (warning,) = [w for w in _map(rectum, liver, marker=False).warnings]
    assert warning.startswith("NOT A NEUROENDOCRINE RECORD")
    assert (
        "The record holds a cancer coded by its site alone (Condition/rectum (Malignant "
        "neoplasm of rectum)), without its histology" in warning
    )
    assert "another cancer" not in warning and "Condition/mets" not in warning
    # with its histology it is another cancer, named as one
    breast = condition_resource("breast", ICD10, "C50.3", morphology="8500/3")
    (warning,) = _map(breast, marker=False).warnings
    assert "The record holds another cancer (Condition/breast" in warning
    assert "coded by its site alone" not in warning


_RELATED = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-related-primary-cancer-condition"


def _another_cancer(mapping: FhirMapping) -> list[str]:
    return [w for w in mapping.warnings if w.startswith("ANOTHER CANCER IN THE RECORD")]


def test_metastases_naming_no_primary_beside_another_cancer_are_questioned() -> None:
    # A pancreatic NET (ICD-10 C25.4 with ICD-O-3 8240/3, neuroendocrine tumour) and a
    # colon adenocarcinoma (C18.7 with 8140/3), and ICD-10 C78.7 "Secondary malignant
    # neoplasm of liver" naming neither: the metastases are counted as the NET's (issue 12
    # point 2: only those linked to another primary are set aside) and the warning says
    # they may be the other cancer's.
    net = condition_resource("pnet", ICD10, "C25.4", morphology="8240/3")
    colon = condition_resource("crc", ICD10, "C18.7", morphology="8140/3")
    liver = condition_resource("mets", ICD10, "C78.7")
    mapping = _map(net, colon, liver, marker=False)
    (warning,) = _another_cancer(mapping)
    assert "Condition/crc" in warning and "Condition/mets" in warning
    # the NET is still read: a patient with another cancer is assessed
    assert mapping.document["primary"]["site"] == "pancreas"
    # linked to the NET by mCODE's relatedPrimaryCancerCondition: nothing to question
    liver["extension"] = [{"url": _RELATED, "valueReference": {"reference": "Condition/pnet"}}]
    assert _another_cancer(_map(net, colon, liver, marker=False)) == []
    # no other cancer: nothing to question
    del liver["extension"]
    assert _another_cancer(_map(net, liver, marker=False)) == []


def test_a_metastasis_coded_as_a_nets_own_is_not_questioned() -> None:
    # ICD-10-CM C7B.02 "Secondary carcinoid tumors of liver" names its neoplasm itself.
    colon = condition_resource("crc", ICD10, "C18.7", morphology="8140/3")
    assert _another_cancer(_map(colon)) == []


def test_one_tumour_coded_twice_gives_the_named_site() -> None:
    # ICD-10-CM C7A.098 "Malignant carcinoid tumors of other sites" and ICD-10 C25.4
    # "Endocrine pancreas" (WHO ICD-10 2019) in one Condition: one tumour, the pancreas.
    tumour = condition_resource("t", ICD10_CM, "C7A.098")
    tumour["code"]["coding"].append({"system": ICD10, "code": "C25.4"})
    mapping = _map(tumour, marker=False)
    assert _value(mapping, "primary.site") == "pancreas"
    assert not any("primary.site" in issue for issue in mapping.issues)
    # two named sites in one Condition stay a conflict: which is right cannot be told
    two = condition_resource("t", ICD10, "C25.4")
    two["code"]["coding"].append({"system": ICD10_CM, "code": "C7A.010"})
    assert _value(_map(two, marker=False), "primary.site") is None


ASSERTED_DATE = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"


def test_an_invalid_extension_nelm_does_not_read_leaves_the_rest_of_the_condition_read() -> None:
    # FHIR R4 §2.13 (Extensibility): an application may ignore an extension it does not
    # understand, never a modifierExtension. A pancreatic NET (ICD-10 C25.4, ICD-O-3 8240/3)
    # whose assertedDate extension holds "YYYY-MM-DD" (a placeholder, not an R4 dateTime)
    # is still the record's NET; the bad extension alone is listed, with what a date is.
    net = condition_resource("pnet", ICD10, "C25.4", morphology="8240/3")
    net["extension"].append({"url": ASSERTED_DATE, "valueDateTime": "YYYY-MM-DD"})
    mapping = _map(net, marker=False)
    assert _value(mapping, "primary.site") == "pancreas"
    assert not any(w.startswith("NOT A NEUROENDOCRINE") for w in mapping.warnings)
    (issue,) = [i for i in mapping.issues if "Condition/pnet" in i]
    assert "extension[1] (condition-assertedDate) not valid FHIR R4 and not read" in issue
    assert "a FHIR date is written YYYY, YYYY-MM or YYYY-MM-DD" in issue
    assert "the rest of the Condition is read" in issue


def test_an_invalid_extension_nelm_reads_still_sets_the_condition_aside() -> None:
    # The mCODE relatedPrimaryCancerCondition link decides whose metastasis it is (issue
    # 12 point 2): read without it, a metastasis of another primary would pass for the
    # NET's, so a link that is not valid sets the whole Condition aside, as before.
    net = condition_resource("pnet", ICD10, "C25.4", morphology="8240/3")
    liver = condition_resource("mets", ICD10, "C78.7")
    liver["extension"] = [{"url": _RELATED, "valueReference": {"reference": 7}}]
    mapping = _map(net, liver, marker=False)
    (issue,) = [i for i in mapping.issues if "Condition/mets" in i]
    assert "is not valid FHIR R4 and is not read" in issue
