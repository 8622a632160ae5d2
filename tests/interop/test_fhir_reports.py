"""DiagnosticReports (contained and referenced results), radiology tumour sizes, and
FHIR's own rules: modifierExtension, history Bundles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.interop.fhir import FhirMapping, bundle_to_case
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
LIVER = {"coding": [{"system": SNOMED, "code": "10200004"}]}  # Liver structure
LUNG = {"coding": [{"system": SNOMED, "code": "39607008"}]}  # Lung structure


def _map(*resources: dict[str, Any], bundle: dict[str, Any] | None = None) -> FhirMapping:
    return bundle_to_case(
        bundle or bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources),
        assessment_date=DAY,
    )


def _tumor_size(rid: str, mm: float, site: dict[str, Any] | None, day: str) -> dict[str, Any]:
    # mCODE STU1 Tumor Size: LOINC 21889-1, longest dimension component LOINC 33728-7.
    resource = observation_resource(rid, LOINC, "21889-1", effective=day)
    resource["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
            "valueQuantity": quantity(mm, "mm"),
        }
    ]
    if site is not None:
        resource["bodySite"] = site
    return resource


def _report(
    rid: str, results: list[str], contained: list[dict[str, Any]] = (), **extra: Any
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": {"text": "CT abdomen"},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": "2025-01-10",
        "result": [{"reference": r} for r in results],
        **extra,
    }
    if contained:
        report["contained"] = list(contained)
    return report


def _contained(resource: dict[str, Any]) -> dict[str, Any]:
    """An Observation as a report contains it: no subject, no date of its own."""
    inner = {k: v for k, v in resource.items() if k not in ("subject", "effectiveDateTime")}
    return inner


def test_ki67_contained_in_a_pathology_report_is_read_with_the_report_s_date() -> None:
    ki67 = _contained(observation_resource("k", LOINC, "29593-1", valueQuantity=quantity(14, "%")))
    mapping = _map(_report("path", ["#k"], [ki67]))
    assert mapping.document["pathology"] == {"ki67_percent": 14}
    assert mapping.provenance["pathology.ki67_percent"] == "DiagnosticReport/path#k (LOINC 29593-1)"


def test_results_referenced_by_a_report_are_read_once_and_missing_ones_listed() -> None:
    albumin = observation_resource(
        "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(4.1, "g/dL")
    )
    mapping = _map(albumin, _report("lab", ["Observation/alb", "Observation/gone"]))
    assert mapping.document["labs"] == {"albumin_g_dl": 4.1}
    assert mapping.provenance["labs.albumin_g_dl"] == "Observation/alb (LOINC 1751-7)"
    assert mapping.issues == (
        "DiagnosticReport/lab: the result Observation/gone is not in the bundle (an "
        "unresolved reference): not read (Bundle.entry[3].resource.result[1])",
    )


def test_a_structured_radiology_report_gives_the_largest_liver_lesion_measured() -> None:
    # Two liver lesions of 23 and 41 mm in one study, a 60 mm lung lesion, and an older
    # study: the largest liver lesion of the latest study is 4.1 cm.
    lesions = [
        _contained(_tumor_size("l1", 23, LIVER, "2025-01-10")),
        _contained(_tumor_size("l2", 41, LIVER, "2025-01-10")),
        _contained(_tumor_size("lung", 60, LUNG, "2025-01-10")),
    ]
    older = _tumor_size("old", 55, LIVER, "2024-06-01")
    mapping = _map(
        older,
        _report(
            "ct",
            ["#l1", "#l2", "#lung"],
            lesions,
            category=[
                {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD"}
                    ]
                }
            ],
        ),
    )
    assert mapping.document["liver"]["largest_lesion_cm"] == 4.1
    assert mapping.provenance["liver.largest_lesion_cm"] == (
        "DiagnosticReport/ct#l2 (LOINC 21889-1 / 33728-7)"
    )
    assert any(
        "largest of the 2 liver lesion(s) measured on 2025-01-10" in n for n in mapping.notes
    )
    assert (
        "not used: tumour size of a lesion outside the liver: DiagnosticReport/ct#lung"
        in mapping.notes
    )


def test_a_tumor_size_without_a_site_is_not_a_liver_lesion() -> None:
    mapping = _map(_tumor_size("x", 30, None, "2025-01-10"))
    assert "liver" not in mapping.document
    assert any(n.startswith("not used: tumour size without a body site") for n in mapping.notes)


def test_a_tumor_size_at_a_site_the_mapping_does_not_know_is_not_said_to_have_none() -> None:
    # SNOMED CT 76752008 "Breast structure" (MII oncology example mamma-tumorgroesse): a
    # body site is given; it does not say the liver, and the note says so, not "without".
    breast = {"coding": [{"system": "http://snomed.info/sct", "code": "76752008"}]}
    mapping = _map(_tumor_size("x", 25, breast, "2025-01-10"))
    assert "liver" not in mapping.document
    assert (
        "not used: tumour size whose body site does not say the lesion is in the liver: "
        "Observation/x" in mapping.notes
    )


def test_a_tumor_size_whose_focus_is_a_liver_body_structure_is_a_liver_lesion() -> None:
    structure = {
        "resourceType": "BodyStructure",
        "id": "lesion-1",
        "patient": {"reference": "Patient/p"},
        "location": LIVER,
    }
    size = _tumor_size("s", 18, None, "2025-01-10")
    size["focus"] = [{"reference": "BodyStructure/lesion-1"}]
    assert _map(structure, size).document["liver"] == {"largest_lesion_cm": 1.8}


def test_a_modifier_extension_sets_the_resource_aside() -> None:
    albumin = observation_resource(
        "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(4.1, "g/dL")
    )
    albumin["modifierExtension"] = [{"url": "https://example.org/not-really", "valueBoolean": True}]
    mapping = _map(albumin)
    assert "labs" not in mapping.document
    assert any(
        n.startswith("set aside: the resource has a modifierExtension")
        and n.endswith("Observation/alb")
        for n in mapping.notes
    )
    # a result nelm reads (LOINC 1751-7, albumin): its field is named in the data-quality
    # list, so the board knows a value exists and why it was not used
    (issue,) = [i for i in mapping.issues if "Observation/alb" in i]
    assert "set aside for its modifierExtension" in issue
    assert issue.endswith("labs.albumin_g_dl is left unknown")
    # a resource of no field nelm reads is a note only
    other = observation_resource("o", LOINC, "8302-2", effective="2025-01-10")  # body height
    other["modifierExtension"] = albumin["modifierExtension"]
    assert not [i for i in _map(other).issues if "Observation/o" in i]


def _history(*versions: tuple[dict[str, Any], str | None]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    for resource, method in versions:
        entry: dict[str, Any] = {
            "request": {
                "method": method or "PUT",
                "url": f"{resource['resourceType']}/{resource['id']}",
            }
        }
        if method != "DELETE":
            entry["resource"] = resource
        entries.append(entry)
    return {"resourceType": "Bundle", "type": "history", "entry": entries}


def test_a_history_bundle_uses_the_latest_version_of_each_resource() -> None:
    # FHIR R4 history: newest first; versions by meta.versionId.
    v1 = {
        **observation_resource(
            "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(3.0, "g/dL")
        ),
        "meta": {"versionId": "1"},
    }
    v2 = {
        **observation_resource(
            "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(4.2, "g/dL")
        ),
        "meta": {"versionId": "2"},
    }
    bundle = _history(
        (v2, None), (v1, None), (patient_resource("p"), None), (neuroendocrine_marker(), None)
    )
    mapping = _map(bundle=bundle)
    assert mapping.document["labs"] == {"albumin_g_dl": 4.2}
    assert not mapping.issues  # the older version is not a conflict


def test_a_history_bundle_drops_a_deleted_resource() -> None:
    v1 = observation_resource(
        "alb", LOINC, "1751-7", effective="2025-01-10", valueQuantity=quantity(3.0, "g/dL")
    )
    deleted = {"resourceType": "Observation", "id": "alb"}
    bundle = _history((deleted, "DELETE"), (v1, None), (patient_resource("p"), None))
    assert "labs" not in _map(bundle=bundle).document


def test_results_contained_in_a_report_that_is_set_aside_go_with_it() -> None:
    ki67 = _contained(observation_resource("k", LOINC, "29593-1", valueQuantity=quantity(14, "%")))
    report = _report("path", ["#k"], [ki67])
    report["modifierExtension"] = [{"url": "https://example.org/x", "valueBoolean": True}]
    mapping = _map(report)
    assert "pathology" not in mapping.document
    assert "set aside with its DiagnosticReport: DiagnosticReport/path#k" in mapping.notes


def _report_with_others_first(*results: dict[str, Any]) -> dict[str, Any]:
    """A report whose ``contained`` holds, before the results, a Specimen, a Practitioner,
    an Observation without an id (which no "#id" reference can reach, so it is not read)
    and a Ki-67 result: the results are contained[4] onwards."""
    unnamed = _contained(
        observation_resource("x", LOINC, "1751-7", valueQuantity=quantity(4, "g/dL"))
    )
    del unnamed["id"]
    ki67 = _contained(observation_resource("k", LOINC, "29593-1", valueQuantity=quantity(14, "%")))
    others = [
        {"resourceType": "Specimen", "id": "s"},
        {"resourceType": "Practitioner", "id": "dr"},
        unnamed,
        ki67,
    ]
    return _report("lab", ["#k", *(f"#{r['id']}" for r in results)], [*others, *results])


# FHIR R4 DomainResource.contained may hold resources of any type, and a path names an item
# by its position in the array as sent (FHIRPath, §5.3 "indexer": contained[4] is the
# fifth item), whatever the items before it are.
_AT = "Bundle.entry[2].resource.contained"


def test_a_contained_result_s_path_counts_every_contained_resource() -> None:
    # LOINC 1975-2 Bilirubin.total in "mg/dL/h", a rate and no concentration: not read
    bilirubin = _contained(
        observation_resource("b", LOINC, "1975-2", valueQuantity={"value": 1.2, "unit": "mg/dL/h"})
    )
    mapping = _map(_report_with_others_first(bilirubin))
    [issue] = [i for i in mapping.issue_list if i.field == "labs.bilirubin_mg_dl"]
    assert issue.path == f"{_AT}[4].valueQuantity.unit"
    assert mapping.document["pathology"] == {"ki67_percent": 14}  # contained[3]


def test_an_invalid_contained_result_is_named_at_its_place() -> None:
    # "4,1" is a string, not a FHIR R4 decimal: the report (which contains it) and the
    # result are not valid, and both issues name contained[5]
    bilirubin = _contained(
        observation_resource("b", LOINC, "1975-2", valueQuantity=quantity(1.2, "mg/dL"))
    )
    albumin = _contained(
        observation_resource("a", LOINC, "1751-7", valueQuantity=quantity(4.1, "g/dL"))
    )
    albumin["valueQuantity"]["value"] = "4,1"
    mapping = _map(_report_with_others_first(bilirubin, albumin))
    invalid = [i for i in mapping.issue_list if "not valid FHIR R4" in i.message]
    assert {i.path for i in invalid} == {"Bundle.entry[2].resource", f"{_AT}[5]"}
    assert all(f"{_AT}[5].valueQuantity.value:" in i.message for i in invalid)
