"""``liver.bilobar`` from the lobes and Couinaud segments where liver lesions lie.

Codes and where they were checked (the comments of nelm.interop.fhir.codes.LIVER_SIDES):
SNOMED CT 48521005 "Structure of right lobe of liver" and 69842003 "Structure of left lobe
of liver" (SNOMED CT International 2024-10-01 expansion of the PH Road Safety IG body-site
value set); the Couinaud segments of DICOM CID 7170 (71133005 I, 277956007 II, 277957003
III, 277958008 IV, 277959000 V, 277960005 VI, 277961009 VII, 277962002 VIII). Segments
II–III are left and V–VIII right in both meanings of "lobe" (the classical lobes divided
by the falciform ligament, and the hemilivers of the Brisbane 2000 terminology); I and IV
are on no side. Lesions in both lobes at the same time make ``liver.bilobar`` true; one
lobe alone never makes it false (a lobe without a coded lesion is not shown to have none).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.interop.fhir import NELM_OBSERVATION, FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
BODY_SITE = "http://hl7.org/fhir/StructureDefinition/bodySite"
DAY = dt.date(2025, 3, 1)

RIGHT_LOBE = "48521005"  # Structure of right lobe of liver
LEFT_LOBE = "69842003"  # Structure of left lobe of liver
SEGMENT = {
    1: "71133005",
    2: "277956007",
    3: "277957003",
    4: "277958008",
    5: "277959000",
    6: "277960005",
    7: "277961009",
    8: "277962002",
}


def _map(*resources: dict[str, Any]) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _site(code: str) -> dict[str, Any]:
    return {"coding": [{"system": SNOMED, "code": code}]}


def _lesion(rid: str, site: str | None, day: str, mm: float = 20, **extra: Any) -> dict[str, Any]:
    """An mCODE Tumor Size Observation: LOINC 21889-1, longest dimension LOINC 33728-7."""
    resource = observation_resource(rid, LOINC, "21889-1", effective=day, **extra)
    resource["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
            "valueQuantity": quantity(mm, "mm"),
        }
    ]
    if site is not None:
        resource["bodySite"] = _site(site)
    return resource


def _metastasis(rid: str, site: str, onset: str | None = None, **extra: Any) -> dict[str, Any]:
    """ICD-10 C78.7 Secondary malignant neoplasm of liver, placed by its bodySite."""
    return condition_resource(rid, ICD10, "C78.7", onset=onset, body_site=(SNOMED, site), **extra)


def _bilobar(mapping: FhirMapping) -> Any:
    return mapping.document.get("liver", {}).get("bilobar")


def _bilobar_stated(rid: str, value: bool, day: str) -> dict[str, Any]:
    """The project code nelm-observation liver-bilobar (docs/fhir-ig.md)."""
    return observation_resource(
        rid, NELM_OBSERVATION, "liver-bilobar", effective=day, valueBoolean=value
    )


# --------------------------------------------------------------------------- one study


def test_lesions_in_the_right_and_left_lobe_on_one_day_are_bilobar() -> None:
    mapping = _map(
        _lesion("r", RIGHT_LOBE, "2025-01-10", mm=41),
        _lesion("l", LEFT_LOBE, "2025-01-10", mm=23),
    )
    assert _bilobar(mapping) is True
    # A lobe is in the liver: the sizes are liver lesions too (the largest, 41 mm).
    assert mapping.document["liver"]["largest_lesion_cm"] == 4.1
    assert mapping.provenance["liver.bilobar"] == (
        "Observation/r, Observation/l (right SNOMED CT 48521005, left SNOMED CT 69842003)"
    )
    assert (
        "liver.bilobar true: liver lesions in both lobes on 2025-01-10 — right lobe: "
        "Observation/r (SNOMED CT 48521005); left lobe: Observation/l (SNOMED CT 69842003)"
        in mapping.notes
    )


def test_segments_three_and_six_lie_in_both_lobes() -> None:
    mapping = _map(_lesion("s3", SEGMENT[3], "2025-01-10"), _lesion("s6", SEGMENT[6], "2025-01-10"))
    assert _bilobar(mapping) is True


def test_a_lobe_and_a_segment_of_the_other_side_are_bilobar() -> None:
    mapping = _map(_lesion("r", RIGHT_LOBE, "2025-01-10"), _lesion("s2", SEGMENT[2], "2025-01-10"))
    assert _bilobar(mapping) is True


def test_lesions_in_one_lobe_only_leave_bilobar_unknown_not_false() -> None:
    mapping = _map(
        _lesion("r", RIGHT_LOBE, "2025-01-10"),
        _lesion("s7", SEGMENT[7], "2025-01-10"),
        _lesion("s5", SEGMENT[5], "2025-01-10"),
    )
    assert _bilobar(mapping) is None
    assert "liver.bilobar" in mapping.unmapped
    assert any(
        n.startswith("liver.bilobar not set: liver lesions are coded in the right lobe only")
        and "not evidence that it has none" in n
        for n in mapping.notes
    )


def test_segments_one_and_four_are_on_no_side() -> None:
    # Segment IV is in the left hemiliver but right of the falciform ligament; segment I
    # (caudate) is in neither hemiliver: with segment VI they show no second side.
    for segment in (1, 4):
        mapping = _map(
            _lesion("x", SEGMENT[segment], "2025-01-10", mm=30),
            _lesion("s6", SEGMENT[6], "2025-01-10"),
        )
        assert _bilobar(mapping) is None
        assert mapping.document["liver"]["largest_lesion_cm"] == 3.0  # still a liver lesion


def test_lesions_of_different_studies_are_not_put_together() -> None:
    mapping = _map(_lesion("r", RIGHT_LOBE, "2024-10-01"), _lesion("l", LEFT_LOBE, "2025-01-10"))
    assert _bilobar(mapping) is None
    assert any(
        n.startswith("liver.bilobar not set: lesions of the right and left lobes are not shown")
        for n in mapping.notes
    )


# --------------------------------------------------------------------------- Conditions


def test_current_liver_metastases_in_both_lobes_are_bilobar() -> None:
    mapping = _map(
        _metastasis("mr", RIGHT_LOBE, "2024-03-01"), _metastasis("ml", SEGMENT[3], "2024-06-01")
    )
    assert _bilobar(mapping) is True
    assert any(
        n.startswith("liver.bilobar true: liver lesions in both lobes on 2024-06-01")
        for n in mapping.notes
    )


def test_a_resolved_metastasis_does_not_count() -> None:
    resolved = {"coding": [{"code": "resolved"}]}
    mapping = _map(
        _metastasis("mr", RIGHT_LOBE, "2024-03-01"),
        _metastasis("ml", LEFT_LOBE, "2023-01-01", clinicalStatus=resolved),
    )
    assert _bilobar(mapping) is None
    assert (
        "not used for liver.bilobar: the liver metastasis is inactive or resolved: Condition/ml"
        in mapping.notes
    )


def test_a_current_condition_and_a_later_study_of_the_other_lobe_are_bilobar() -> None:
    mapping = _map(
        _metastasis("ml", LEFT_LOBE, "2024-06-01"), _lesion("r", SEGMENT[8], "2025-01-10")
    )
    assert _bilobar(mapping) is True
    # A Condition whose onset is after the study was not shown on that day.
    later = _map(_metastasis("ml", LEFT_LOBE, "2025-02-01"), _lesion("r", SEGMENT[8], "2025-01-10"))
    assert _bilobar(later) is None


def test_a_metastatic_morphology_in_a_lobe_counts() -> None:
    # ICD-O-3 8240/6 (metastatic) placed by its bodySite: a lobe is the liver.
    left = condition_resource(
        "m6", ICD10, "C78.7", onset="2024-06-01", body_site=(SNOMED, LEFT_LOBE)
    )
    left["code"] = {"text": "liver metastasis"}
    left["extension"] = [
        {
            "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/"
            "mcode-histology-morphology-behavior",
            "valueCodeableConcept": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/icd-o-3", "code": "8240/6"}
                ]
            },
        }
    ]
    mapping = _map(left, _metastasis("mr", RIGHT_LOBE, "2024-03-01"))
    assert _bilobar(mapping) is True


# --------------------------------------------------------------------------- BodyStructures


def _structure(rid: str, site: str, patient: str = "Patient/p", **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "BodyStructure",
        "id": rid,
        "patient": {"reference": patient},
        "location": _site(site),
        **extra,
    }


def _focus(rid: str, structure: str, day: str = "2025-01-10") -> dict[str, Any]:
    lesion = _lesion(rid, None, day)
    lesion["focus"] = [{"reference": f"BodyStructure/{structure}"}]
    return lesion


def test_body_structures_named_by_focus_place_the_lesions() -> None:
    mapping = _map(
        _structure("bs-r", SEGMENT[7]),
        _structure("bs-l", LEFT_LOBE),
        _focus("r", "bs-r"),
        _focus("l", "bs-l"),
    )
    assert _bilobar(mapping) is True


def test_the_body_site_extension_of_a_condition_names_its_body_structure() -> None:
    left = condition_resource("ml", ICD10, "C78.7", onset="2024-06-01")
    left["bodySite"] = [
        {"extension": [{"url": BODY_SITE, "valueReference": {"reference": "BodyStructure/bs-l"}}]}
    ]
    mapping = _map(_structure("bs-l", LEFT_LOBE), left, _metastasis("mr", RIGHT_LOBE, "2024-03-01"))
    assert _bilobar(mapping) is True


def test_a_contained_body_structure_of_a_report_places_its_contained_lesion() -> None:
    lesion = _lesion("l", None, "2025-01-10")
    del lesion["subject"]  # a contained result takes the report's subject
    lesion["focus"] = [{"reference": "#bs"}]
    report = {
        "resourceType": "DiagnosticReport",
        "id": "ct",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "24627-2"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2025-01-10",
        "contained": [_structure("bs", LEFT_LOBE), lesion],
        "result": [{"reference": "#l"}],
    }
    mapping = _map(report, _lesion("r", RIGHT_LOBE, "2025-01-10"))
    assert _bilobar(mapping) is True
    assert "DiagnosticReport/ct#l" in mapping.provenance["liver.bilobar"]


def test_a_body_structure_of_another_patient_is_not_read() -> None:
    mapping = _map(
        _structure("bs-l", LEFT_LOBE, patient="Patient/someone-else"),
        _focus("l", "bs-l"),
        _lesion("r", RIGHT_LOBE, "2025-01-10"),
    )
    assert _bilobar(mapping) is None
    assert (
        "BodyStructure BodyStructure/bs-l not read: it does not name the same patient as "
        "the resource that refers to it: Observation/l" in mapping.notes
    )


def test_an_inactive_or_modified_body_structure_is_not_read() -> None:
    for extra in (
        {"active": False},
        {"modifierExtension": [{"url": "https://example.org/x", "valueBoolean": True}]},
    ):
        mapping = _map(
            _structure("bs-l", LEFT_LOBE, **extra),
            _focus("l", "bs-l"),
            _lesion("r", RIGHT_LOBE, "2025-01-10"),
        )
        assert _bilobar(mapping) is None


# --------------------------------------------------------------------------- attribution


def test_a_lesion_of_another_patient_never_makes_this_liver_bilobar() -> None:
    mapping = _map(
        _lesion("r", RIGHT_LOBE, "2025-01-10"),
        _lesion("l", LEFT_LOBE, "2025-01-10", subject="Patient/someone-else"),
    )
    assert _bilobar(mapping) is None


def test_a_lesion_set_aside_does_not_count() -> None:
    left = _lesion("l", LEFT_LOBE, "2025-01-10")
    left["modifierExtension"] = [{"url": "https://example.org/x", "valueBoolean": True}]
    assert _bilobar(_map(_lesion("r", RIGHT_LOBE, "2025-01-10"), left)) is None
    preliminary = _lesion("l", LEFT_LOBE, "2025-01-10", status="preliminary")
    assert _bilobar(_map(_lesion("r", RIGHT_LOBE, "2025-01-10"), preliminary)) is None


# --------------------------------------------------------------------------- conflicts


def _both_lobes() -> tuple[dict[str, Any], dict[str, Any]]:
    return _lesion("r", RIGHT_LOBE, "2025-01-10"), _lesion("l", LEFT_LOBE, "2025-01-10")


def test_a_later_statement_of_one_lobe_wins_over_an_earlier_study() -> None:
    # collect.py: of differing dated results, the latest one is used (after a left
    # hepatectomy the disease may be unilobar).
    mapping = _map(*_both_lobes(), _bilobar_stated("b", False, "2025-02-01"))
    assert _bilobar(mapping) is False
    assert any(
        n.startswith("liver.bilobar: results differ over time; the latest is used (Observation/b)")
        for n in mapping.notes
    )


def test_a_later_study_in_both_lobes_wins_over_an_earlier_statement() -> None:
    mapping = _map(*_both_lobes(), _bilobar_stated("b", False, "2024-06-01"))
    assert _bilobar(mapping) is True


def test_a_same_day_contradiction_leaves_bilobar_unknown_with_both_shown() -> None:
    mapping = _map(*_both_lobes(), _bilobar_stated("b", False, "2025-01-10"))
    assert _bilobar(mapping) is None
    issue = next(i for i in mapping.issues if i.startswith("conflicting values for liver.bilobar"))
    assert "says true" in issue and "Observation/b (nelm-observation liver-bilobar) says false" in (
        issue
    )


def test_undated_conditions_in_both_lobes_and_a_dated_statement_conflict() -> None:
    # Undated current Conditions in both lobes against a dated "not bilobar": neither is
    # later than the other, so the field is left unknown and the conflict listed.
    mapping = _map(
        _metastasis("mr", RIGHT_LOBE),
        _metastasis("ml", LEFT_LOBE),
        _bilobar_stated("b", False, "2025-01-10"),
    )
    assert _bilobar(mapping) is None
    assert any(i.startswith("conflicting values for liver.bilobar") for i in mapping.issues)


def test_an_agreeing_statement_is_named_beside_the_lobes() -> None:
    mapping = _map(*_both_lobes(), _bilobar_stated("b", True, "2025-01-10"))
    assert _bilobar(mapping) is True
    assert "Observation/b" in mapping.provenance["liver.bilobar"]
    assert "Observation/r" in mapping.provenance["liver.bilobar"]


def test_a_ki67_from_a_segment_is_from_a_liver_metastasis_but_places_no_lobe() -> None:
    # docs/fhir-mapping.md: a Ki-67 (LOINC 29593-1) whose bodySite is the liver is from a
    # liver metastasis; a Couinaud segment (DICOM CID 7170) is part of the liver. Only
    # lesions (tumour sizes, metastasis Conditions) are placed in a lobe.
    ki67 = observation_resource(
        "k", LOINC, "29593-1", effective="2025-01-10", valueQuantity=quantity(4, "%")
    )
    ki67["bodySite"] = _site(SEGMENT[3])
    mapping = _map(ki67, _lesion("r", RIGHT_LOBE, "2025-01-10"))
    assert mapping.document["pathology"]["ki67_source"] == "liver_metastasis"
    assert _bilobar(mapping) is None


def test_lesions_dated_after_the_assessment_date_do_not_count() -> None:
    mapping = _map(_lesion("r", RIGHT_LOBE, "2025-04-01"), _lesion("l", LEFT_LOBE, "2025-04-01"))
    assert _bilobar(mapping) is None


def test_a_metastasis_of_another_primary_cancer_does_not_count() -> None:
    # mCODE relatedPrimaryCancerCondition to an adenocarcinoma (ICD-O-3 8140/3): the
    # metastasis is not NET disease and is set aside (nelm.interop.fhir.cancers).
    adenocarcinoma = condition_resource("crc", ICD10, "C18.7", morphology="8140/3")
    related = {
        "url": "http://hl7.org/fhir/us/mcode/StructureDefinition/"
        "mcode-related-primary-cancer-condition",
        "valueReference": {"reference": "Condition/crc"},
    }
    left = _metastasis("ml", LEFT_LOBE, "2024-06-01", extension=[related])
    mapping = _map(adenocarcinoma, left, _metastasis("mr", RIGHT_LOBE, "2024-03-01"))
    assert _bilobar(mapping) is None


def test_lesions_dated_to_the_month_only_are_not_one_study() -> None:
    # "2025-01" is the whole month (dates.py): two lesions of January may be two studies.
    mapping = _map(_lesion("r", RIGHT_LOBE, "2025-01"), _lesion("l", LEFT_LOBE, "2025-01"))
    assert _bilobar(mapping) is None
    assert any(
        n.startswith("not used for liver.bilobar: an imaging lesion site without a date to the day")
        for n in mapping.notes
    )
