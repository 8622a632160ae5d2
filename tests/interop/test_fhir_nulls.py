"""JSON ``null`` for an element: FHIR R4 JSON does not allow it (https://hl7.org/fhir/R4/
json.html, §2.6.2 "JSON representation of resources": "null is not allowed as a value" —
an element with no value is left out). nelm reads such an element as absent and lists it,
by its path, among the data-quality issues; the resource and the rest of the record are
read (one bad element never sinks the record)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.nulls import as_sent
from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    medication_statement_resource,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    procedure_resource,
)

LOINC = "http://loinc.org"
ATC = "http://www.whocc.no/atc"
UCUM = "http://unitsofmeasure.org"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
DAY = dt.date(2025, 1, 15)
NULL = "a value, or no element at all (FHIR R4 JSON: null is not allowed as a value)"


def _map(*resources: dict[str, Any]) -> FhirMapping:
    # entry[0] the Patient, entry[1] the neuroendocrine marker, entry[2] onwards ``resources``
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _null_paths(mapping: FhirMapping) -> list[str]:
    return [i.path for i in mapping.issue_list if NULL in i.message]


def _bilirubin(**value: Any) -> dict[str, Any]:
    # LOINC 1975-2 Bilirubin.total [Mass/volume] in Serum or Plasma
    return observation_resource("o1", LOINC, "1975-2", effective="2025-01-10", **value)


def test_a_quantity_s_null_system_and_code_are_absent_and_listed() -> None:
    # {"value": 1.2, "unit": "mg/dL"} is a Quantity nelm reads by its unit; the nulls beside
    # it are no system and no code.
    quantity = {"value": 1.2, "unit": "mg/dL", "system": None, "code": None}
    mapping = _map(_bilirubin(valueQuantity=quantity))
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.2}
    assert _null_paths(mapping) == [
        "Bundle.entry[2].resource.valueQuantity.system",
        "Bundle.entry[2].resource.valueQuantity.code",
    ]
    [issue] = [i for i in mapping.issues if "valueQuantity.system" in i]
    assert issue == (
        f"Observation/o1: {NULL}, got null, read as absent "
        "(Bundle.entry[2].resource.valueQuantity.system)"
    )


def test_a_null_value_is_no_value() -> None:
    mapping = _map(_bilirubin(valueQuantity={"value": None, "unit": "mg/dL"}))
    assert "labs" not in mapping.document
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.valueQuantity.value"]


def test_a_null_item_of_a_list_is_left_out_not_the_resource() -> None:
    observation = _bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL", "system": UCUM})
    observation["code"]["coding"].insert(0, None)
    mapping = _map(observation)
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.2}
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.code.coding[0]"]
    assert not any("is not valid FHIR R4" in i for i in mapping.issues)


def test_a_required_element_given_as_null_is_missing() -> None:
    # Observation.status is 1..1 (FHIR R4 Observation): null is no status, so the
    # Observation is not valid FHIR R4, as one without a status is.
    mapping = _map(_bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL"}, status=None))
    assert "labs" not in mapping.document
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.status"]
    assert any("Observation/o1 is not valid FHIR R4" in i for i in mapping.issues)


def test_the_null_of_a_repeating_primitive_with_an_extension_is_allowed() -> None:
    # FHIR R4 JSON, "JSON representation of primitive elements": a repeating primitive
    # whose items carry extensions on some but not all uses null in either list to keep
    # the two aligned.
    patient = patient_resource("p")
    patient["name"][0]["given"] = ["Ann", None]
    patient["name"][0]["_given"] = [
        None,
        {"extension": [{"url": "http://example.org/x", "valueString": "?"}]},
    ]
    bundle = bundle_of(patient, neuroendocrine_marker())
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert _null_paths(mapping) == []
    assert mapping.document["patient"]["sex"] == "female"


def _medication() -> dict[str, Any]:
    return {
        "resourceType": "Medication",
        "id": "lan",
        "code": {"coding": [{"system": ATC, "code": "H01CB03"}]},  # ATC lanreotide
        "language": None,
    }


# One resource of every type nelm reads, each with a null element ("language", which every
# resource may have, FHIR R4 Resource.language 0..1) and a null item of a list: the
# resource is read, and both are listed at their places.
_READ = [
    (
        "Patient",
        {**patient_resource("p2"), "gender": "female"},
        "patient.sex",
    ),
    (
        "Condition",
        # ICD-10-CM C7A.012 malignant carcinoid tumour of the ileum
        condition_resource("c", ICD10_CM, "C7A.012", onset="2019-03-01"),
        "primary.site",
    ),
    (
        "Observation",
        _bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL"}),
        "labs.bilirubin_mg_dl",
    ),
    (
        "Procedure",
        # CPT 48150 pancreatectomy with duodenectomy (Whipple-type)
        procedure_resource("w", "http://www.ama-assn.org/go/cpt", "48150"),
        "anatomy.prior_whipple",
    ),
    (
        "MedicationStatement",
        medication_statement_resource("m", ATC, "H01CB02"),  # ATC octreotide
        "course.prior_treatments",
    ),
    (
        "MedicationAdministration",
        {
            "resourceType": "MedicationAdministration",
            "id": "d",
            "status": "completed",
            "subject": {"reference": "Patient/p"},
            "medicationCodeableConcept": {"coding": [{"system": ATC, "code": "H01CB03"}]},
            "effectiveDateTime": "2024-11-01",
        },
        "course.prior_treatments",
    ),
]


@pytest.mark.parametrize(("kind", "resource", "field"), _READ, ids=[r[0] for r in _READ])
def test_every_resource_type_read_is_read_without_its_nulls(
    kind: str, resource: dict[str, Any], field: str
) -> None:
    resource = {**resource, "language": None, "identifier": [None]}
    if kind == "Patient":
        bundle = bundle_of(resource, neuroendocrine_marker())
        mapping = bundle_to_case(bundle, assessment_date=DAY)
        at = "Bundle.entry[0].resource"
    else:
        mapping = _map(resource)
        at = "Bundle.entry[2].resource"
    assert sorted(_null_paths(mapping)) == [f"{at}.identifier[0]", f"{at}.language"]
    assert kind in mapping.provenance[field]
    assert not any("not valid FHIR R4" in i for i in mapping.issues)


def test_a_medication_named_by_a_statement_is_read_without_its_nulls() -> None:
    statement = medication_statement_resource("m1", reference="Medication/lan")
    mapping = _map(_medication(), statement)
    assert mapping.document["course"]["prior_treatments"] == ["ssa"]
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.language"]


def test_a_result_contained_in_a_report_is_listed_once_at_its_place() -> None:
    result = _bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL", "system": None})
    del result["subject"], result["effectiveDateTime"]
    report = {
        "resourceType": "DiagnosticReport",
        "id": "lab",
        "status": "final",
        "code": {"text": "Liver panel"},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2025-01-10",
        "issued": None,
        "contained": [result],
        "result": [{"reference": "#o1"}],
    }
    mapping = _map(report)
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.2}
    assert _null_paths(mapping) == [
        "Bundle.entry[2].resource.issued",
        "Bundle.entry[2].resource.contained[0].valueQuantity.system",
    ]


def test_an_unread_resource_s_nulls_are_not_listed() -> None:
    # LOINC 8867-4 Heart rate: no rule reads it (the record's vital signs are set aside)
    pulse = observation_resource("hr", LOINC, "8867-4", valueQuantity=None)
    assert _null_paths(_map(pulse)) == []


# A null item taken out of a list moves the items after it up one place; every path nelm
# gives still names the element where the sender wrote it (FHIRPath, §5.3 "indexer": the
# position in the array as sent).


def test_an_issue_about_a_later_item_of_the_same_list_names_its_place_as_sent() -> None:
    # LOINC 21889-1 Tumor size whose longest-dimension component (LOINC 33728-7) is in
    # "mm/h", no length: that component is component[1] as sent, after a null component[0]
    size = observation_resource("t", LOINC, "21889-1", effective="2025-01-10")
    size["bodySite"] = {"coding": [{"system": "http://snomed.info/sct", "code": "10200004"}]}
    size["component"] = [
        None,
        {
            "code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
            "valueQuantity": {"value": 41, "unit": "mm/h"},
        },
    ]
    mapping = _map(size)
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.component[0]"]
    [issue] = [i for i in mapping.issue_list if i.field == "liver.largest_lesion_cm"]
    assert issue.path == "Bundle.entry[2].resource.component[1].valueQuantity.unit"


def test_an_invalid_element_after_a_null_item_is_named_at_its_place_as_sent() -> None:
    # a code given as a number is no FHIR R4 code (a string): coding[2] as sent
    observation = _bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL", "system": UCUM})
    observation["code"]["coding"] = [None, *observation["code"]["coding"], {"code": 42}]
    mapping = _map(observation)
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.code.coding[0]"]
    [invalid] = [i for i in mapping.issue_list if "not valid FHIR R4" in i.message]
    assert "(Bundle.entry[2].resource.code.coding[2].code: " in invalid.message


def test_a_contained_result_after_a_null_item_is_named_at_its_place_as_sent() -> None:
    # LOINC 1975-2 bilirubin in "mg/dL/h", a rate and no concentration: not read, and
    # named as contained[1], after the null contained[0]
    result = _bilirubin(valueQuantity={"value": 1.2, "unit": "mg/dL/h"})
    del result["subject"], result["effectiveDateTime"]
    report = {
        "resourceType": "DiagnosticReport",
        "id": "lab",
        "status": "final",
        "code": {"text": "Liver panel"},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2025-01-10",
        "contained": [None, result],
        "result": [{"reference": "#o1"}],
    }
    mapping = _map(report)
    assert _null_paths(mapping) == ["Bundle.entry[2].resource.contained[0]"]
    [issue] = [i for i in mapping.issue_list if i.field == "labs.bilirubin_mg_dl"]
    assert issue.path == "Bundle.entry[2].resource.contained[1].valueQuantity.unit"


def test_places_within_lists_within_lists_are_counted_as_sent() -> None:
    # null items taken out at two depths: component[0] and, in the component after it,
    # code.coding[0] and coding[1]; "component[0].code.coding[0]" read without them is
    # "component[1].code.coding[2]" as sent
    taken_out = [
        ("component", 0),
        ("component", 1, "code", "coding", 0),
        ("component", 1, "code", "coding", 1),
    ]
    at = "Bundle.entry[4].resource"
    read = f"{at}.component[0].code.coding[0].code: not valid ({at}.id)"
    assert as_sent(read, {at: taken_out}) == (
        f"{at}.component[1].code.coding[2].code: not valid ({at}.id)"
    )
    # another resource's paths, and Bundle.entry[40], are left as they are
    other = "Bundle.entry[40].resource.component[0]"
    assert as_sent(other, {at: taken_out}) == other
    # a resource of a search's answer nested in an entry is counted as its own
    inner = "Bundle.entry[1].resource.entry[0].resource"
    assert as_sent(f"{inner}.code.coding[0]", {inner: [("code", "coding", 0)]}) == (
        f"{inner}.code.coding[1]"
    )
