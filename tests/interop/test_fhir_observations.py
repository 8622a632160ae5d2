"""Observation mapping rules, each with the code it relies on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import NELM_OBSERVATION, FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any], on: dt.date = DAY) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=on)


def _obs(code: str, system: str = LOINC, **value: Any) -> dict[str, Any]:
    return observation_resource("o1", system, code, effective="2025-01-10", **value)


def _value(mapping: FhirMapping, path: str) -> Any:
    section, name = path.split(".")
    return mapping.document.get(section, {}).get(name)


@pytest.mark.parametrize(
    ("code", "unit", "raw", "path", "expected"),
    [
        # LOINC 1975-2 Bilirubin.total [Mass/volume] in Serum or Plasma
        ("1975-2", "mg/dL", 1.4, "labs.bilirubin_mg_dl", 1.4),
        # LOINC 14631-6 Bilirubin.total [Moles/volume]: 34.2 µmol/L ÷ 17.1 = 2.0 mg/dL (Young 1987)
        ("14631-6", "umol/L", 34.2, "labs.bilirubin_mg_dl", 2.0),
        # LOINC 42719-5 Bilirubin.total [Mass/volume] in Blood (tx.fhir.org, LOINC 2.82)
        ("42719-5", "mg/dL", 1.0, "labs.bilirubin_mg_dl", 1.0),
        # LOINC 1751-7 Albumin [Mass/volume] in Serum or Plasma: 38 g/L = 3.8 g/dL
        ("1751-7", "g/L", 38, "labs.albumin_g_dl", 3.8),
        # LOINC 2160-0 Creatinine [Mass/volume]; 14682-9 [Moles/volume]: 88.4 µmol/L = 1 mg/dL
        ("2160-0", "mg/dL", 0.9, "labs.creatinine_mg_dl", 0.9),
        ("14682-9", "umol/L", 88.4, "labs.creatinine_mg_dl", 1.0),
        # LOINC eGFR: 33914-3 (MDRD), 62238-1 (CKD-EPI), 98979-8 (CKD-EPI 2021)
        ("33914-3", "mL/min/{1.73_m2}", 64, "labs.egfr_ml_min", 64),
        ("62238-1", "mL/min/{1.73_m2}", 64, "labs.egfr_ml_min", 64),
        ("98979-8", "mL/min/{1.73_m2}", 64, "labs.egfr_ml_min", 64),
        # LOINC 2532-0 LDH, 1920-8 AST [Enzymatic activity/volume]
        ("2532-0", "U/L", 240, "labs.ldh_u_l", 240),
        ("1920-8", "ukat/L", 0.5, "labs.ast_u_l", 30),
        # LOINC 88112-8 Aspartate aminotransferase [Enzymatic activity/volume] in Serum or
        # Plasma by No addition of P-5'-P (tx.fhir.org, LOINC 2.82); 1 µkat/L = 60 U/L
        ("88112-8", "U/L", 25, "labs.ast_u_l", 25),
        ("88112-8", "ukat/L", 0.5, "labs.ast_u_l", 30),
        # LOINC 777-3 Platelets [#/volume] in Blood: 10*9/L = 10*3/uL = 1000 per µL
        ("777-3", "10*9/L", 180, "labs.platelets_per_ul", 180_000),
        ("777-3", "10*3/uL", 180, "labs.platelets_per_ul", 180_000),
        # LOINC 718-7 Hemoglobin [Mass/volume] in Blood; mmol/L × 1.61145 = g/dL
        ("718-7", "g/dL", 12.5, "labs.hemoglobin_g_dl", 12.5),
        ("718-7", "g/L", 125, "labs.hemoglobin_g_dl", 12.5),
        ("718-7", "mmol/L", 7.8, "labs.hemoglobin_g_dl", 12.5658),  # 7.8 × 1.611 (Young 1987)
        # LOINC 6690-2 Leukocytes [#/volume] in Blood by Automated count
        ("6690-2", "10*9/L", 6.4, "labs.wbc_per_ul", 6_400),
        # LOINC 29593-1 Cells.Ki-67 nuclear Ag/cells in Tissue by Immune stain (%)
        ("29593-1", "%", 12, "pathology.ki67_percent", 12),
        # LOINC 10230-1 Left ventricular Ejection fraction
        ("10230-1", "%", 55, "patient.lvef_percent", 55),
    ],
)
def test_loinc_quantities(code: str, unit: str, raw: float, path: str, expected: float) -> None:
    mapping = _map(_obs(code, valueQuantity=quantity(raw, unit)))
    assert _value(mapping, path) == pytest.approx(expected)
    assert mapping.provenance[path] == f"Observation/o1 (LOINC {code})"
    assert path not in mapping.unmapped


def test_loinc_85319_2_is_her2_not_ki67() -> None:
    # LOINC 85319-2 is "HER2 [Presence] in Breast cancer specimen by Immune stain".
    mapping = _map(_obs("85319-2", valueQuantity=quantity(12, "%")))
    assert "pathology.ki67_percent" in mapping.unmapped
    assert any("Observation/o1" in note for note in mapping.notes)


def test_ecog_as_integer_and_as_loinc_answer() -> None:
    # LOINC 89247-1 ECOG Performance Status score; answers LA9622-7 (0) … LA9626-8 (4).
    assert _value(_map(_obs("89247-1", valueInteger=1)), "patient.ecog") == 1
    answer = {"coding": [{"system": LOINC, "code": "LA9624-3"}]}
    assert _value(_map(_obs("89247-1", valueCodeableConcept=answer)), "patient.ecog") == 2


def _flawed(mapping: FhirMapping, path: str) -> str:
    """The one issue that left ``path`` unknown."""
    section, name = path.split(".")
    assert name not in mapping.document.get(section, {})
    [issue] = [i for i in mapping.issues if i.endswith(f"{path} is left unknown")]
    return issue


def test_ecog_5_leaves_the_field_unknown() -> None:
    dead = {"coding": [{"system": LOINC, "code": "LA9627-6"}]}
    issue = _flawed(_map(_obs("89247-1", valueCodeableConcept=dead)), "patient.ecog")
    assert "patient.ecog must be between 0 and 4" in issue


@pytest.mark.parametrize(
    ("grade", "expected"),
    [
        ("54102005", "well"),  # SNOMED CT G1 grade
        ("1663004", "well"),  # SNOMED CT G2 grade
        ("258245003", "poor"),  # SNOMED CT G4 grade (undifferentiated)
        ("61026006", None),  # SNOMED CT G3: NET G3 or NEC, not mapped
    ],
)
def test_histologic_grade(grade: str, expected: str | None) -> None:
    # LOINC 33732-9 Histology grade [Identifier] in Cancer specimen
    value = {"coding": [{"system": SNOMED, "code": grade}]}
    mapping = _map(_obs("33732-9", valueCodeableConcept=value))
    assert _value(mapping, "pathology.differentiation") == expected


def test_project_codes_for_imaging_findings() -> None:
    positive = {"coding": [{"system": SNOMED, "code": "10828004"}]}  # SNOMED CT Positive
    resources = [
        observation_resource("sstr", NELM_OBSERVATION, "sstr-imaging-positive", valueBoolean=True),
        observation_resource(
            "fdg", NELM_OBSERVATION, "fdg-pet-positive", valueCodeableConcept=positive
        ),
        observation_resource("kr", NELM_OBSERVATION, "krenning-score", valueInteger=3),
        observation_resource(
            "tb", NELM_OBSERVATION, "liver-tumor-burden", valueQuantity=quantity(35, "%")
        ),
        observation_resource("lc", NELM_OBSERVATION, "liver-lesion-count", valueInteger=7),
        observation_resource(
            "ll", NELM_OBSERVATION, "largest-liver-lesion", valueQuantity=quantity(54, "mm")
        ),
        observation_resource(
            "mc", NELM_OBSERVATION, "mitotic-count", valueQuantity=quantity(4, "{mitoses}/(2.mm2)")
        ),
    ]
    mapping = _map(*resources)
    assert mapping.document["imaging"] == {
        "sstr_positive": True,
        "krenning_score": 3,
        "fdg_positive": True,
    }
    assert mapping.document["liver"] == {
        "lesion_count": 7,
        "largest_lesion_cm": 5.4,
        "tumor_burden_percent": 35,
    }
    assert mapping.document["pathology"] == {"mitoses_per_2mm2": 4}
    assert mapping.provenance["imaging.krenning_score"] == (
        "Observation/kr (nelm-observation krenning-score)"
    )


def test_project_codes_for_liver_remnant_and_lung_shunt() -> None:
    mapping = _map(
        observation_resource(
            "flr", NELM_OBSERVATION, "future-liver-remnant", valueQuantity=quantity(42, "%")
        ),
        observation_resource(
            "lsf", NELM_OBSERVATION, "lung-shunt-fraction", valueQuantity=quantity(8.5, "%")
        ),
    )
    assert mapping.document["liver"] == {"future_liver_remnant_percent": 42}
    assert mapping.document["anatomy"] == {"hepatopulmonary_shunt_percent": 8.5}


def test_negative_finding_is_false_not_unknown() -> None:
    negative = {"coding": [{"system": SNOMED, "code": "260385009"}]}  # SNOMED CT Negative
    mapping = _map(
        observation_resource(
            "fdg", NELM_OBSERVATION, "fdg-pet-positive", valueCodeableConcept=negative
        )
    )
    assert mapping.document["imaging"] == {"fdg_positive": False}


def test_krenning_out_of_range_leaves_the_field_unknown() -> None:
    _flawed(
        _map(observation_resource("kr", NELM_OBSERVATION, "krenning-score", valueInteger=5)),
        "imaging.krenning_score",
    )


def test_ki67_source_from_body_site() -> None:
    liver = {"coding": [{"system": SNOMED, "code": "10200004"}]}  # SNOMED CT Liver structure
    mapping = _map(_obs("29593-1", valueQuantity=quantity(8, "%"), bodySite=liver))
    assert mapping.document["pathology"] == {"ki67_percent": 8, "ki67_source": "liver_metastasis"}


def test_component_values_are_read() -> None:
    panel = observation_resource("panel", LOINC, "24323-8", effective="2025-01-10")
    panel["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": "1975-2"}]},
            "valueQuantity": quantity(0.8, "mg/dL"),
        },
        {
            "code": {"coding": [{"system": LOINC, "code": "1751-7"}]},
            "valueQuantity": quantity(4.0, "g/dL"),
        },
    ]
    mapping = _map(panel)
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 0.8, "albumin_g_dl": 4.0}


def test_an_unknown_unit_leaves_that_field_unknown_naming_resource_and_unit() -> None:
    obs = _obs("1975-2", valueQuantity={"value": 1.0, "unit": "mmol/h"})
    albumin = observation_resource(
        "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(4.1, "g/dL")
    )
    mapping = _map(obs, albumin)
    issue = _flawed(mapping, "labs.bilirubin_mg_dl")
    assert issue.startswith("Observation/o1: a unit convertible to mg/dL")
    assert 'got "mmol/h" (Bundle.entry[2].resource.valueQuantity.unit)' in issue
    assert mapping.document["labs"] == {"albumin_g_dl": 4.1}  # the rest is read


def test_percent_spelled_out_is_a_percentage() -> None:
    # Laboratories send "percent" where UCUM writes "%".
    mapping = _map(_obs("29593-1", valueQuantity={"value": 12, "unit": "percent"}))
    assert mapping.document["pathology"]["ki67_percent"] == 12


def test_loinc_written_as_its_oid_is_loinc() -> None:
    # urn:oid:2.16.840.1.113883.6.1 is LOINC's OID (FHIR R4 "Using Codes", LOINC).
    obs = _obs("1975-2", valueQuantity=quantity(1.4, "mg/dL"))
    obs["code"]["coding"][0]["system"] = "urn:oid:2.16.840.1.113883.6.1"
    assert _map(obs).document["labs"] == {"bilirubin_mg_dl": 1.4}


def test_out_of_range_after_conversion_leaves_the_field_unknown() -> None:
    # 1000 µmol/L bilirubin = 58.5 mg/dL, above the case limit of 50 mg/dL.
    issue = _flawed(
        _map(_obs("14631-6", valueQuantity=quantity(1000, "umol/L"))), "labs.bilirubin_mg_dl"
    )
    assert "labs.bilirubin_mg_dl must be between 0 and 50" in issue


def test_values_that_cannot_be_used_stay_unknown_with_a_note() -> None:
    # A bound of a number case-v1 holds only exactly (albumin: no _at_most field) is not
    # used; a bound of Ki-67 is (test_fhir_additions.py).
    bounded = _obs("1751-7", valueQuantity={**quantity(2, "g/dL"), "comparator": "<"})
    text = observation_resource("o2", LOINC, "1975-2", valueString="normal")
    absent = observation_resource("o3", LOINC, "718-7", dataAbsentReason={"text": "lost"})
    mapping = _map(bounded, text, absent)
    for path in ("labs.albumin_g_dl", "labs.bilirubin_mg_dl", "labs.hemoglobin_g_dl"):
        assert path in mapping.unmapped
    assert len([n for n in mapping.notes if "not set" in n and n.startswith("labs.")]) == 3


@pytest.mark.parametrize(
    "status", ["preliminary", "registered", "cancelled", "entered-in-error", "unknown"]
)
def test_only_final_results_are_used(status: str) -> None:
    obs = observation_resource(
        "o1", LOINC, "1975-2", status=status, valueQuantity=quantity(1.0, "mg/dL")
    )
    mapping = _map(obs)
    assert "labs.bilirubin_mg_dl" in mapping.unmapped
    assert any("status" in note and "Observation/o1" in note for note in mapping.notes)


def test_results_after_the_assessment_date_are_not_used() -> None:
    obs = _obs("1975-2", valueQuantity=quantity(1.0, "mg/dL"))
    mapping = _map(obs, on=dt.date(2025, 1, 9))
    assert "labs.bilirubin_mg_dl" in mapping.unmapped
    assert any("after the assessment date" in note for note in mapping.notes)


def test_old_laboratory_results_are_used_with_a_note() -> None:
    obs = _obs("1975-2", valueQuantity=quantity(1.0, "mg/dL"))
    mapping = _map(obs, on=dt.date(2025, 9, 1))
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.0}
    assert any("more than 90 days" in note for note in mapping.notes)
