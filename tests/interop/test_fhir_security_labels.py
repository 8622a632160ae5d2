"""Security labels (meta.security): restricted data is read and said; data whose label asks
for a consent or an authorisation nelm cannot check is set aside and said; no label is lost.

The policy is docs/fhir-mapping.md "Security labels", after FHIR R4 Security Labels
(https://hl7.org/fhir/R4/security-labels.html: "the recipient of resources or bundles with
security-tags is obligated to enforce the handling caveats of the tags and carry the
security labels forward"). The codes are those of HL7 Terminology: v3-Confidentiality
(U, L, M, N, R, V), v3-ActCode sensitivity policies (ETH …) and 42CFRPart2 (v3-ActCode,
v3-ActUSPrivacyLaw).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import make_bundle
from nelm.service import assess_fhir

CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PRIVACY_LAW = "http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw"
AS_OF = dt.date(2026, 11, 1)  # on or after synthetic.REFERENCE_DATE
FIXTURE = Path(__file__).parent / "fixtures" / "synthetic-0001.json"


def _bundle() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text("utf-8"))
    return data


def _label(resource: dict[str, Any], system: str, code: str) -> None:
    resource.setdefault("meta", {}).setdefault("security", []).append(
        {"system": system, "code": code, "display": "<b>shown nowhere</b>"}
    )


def _resource(bundle: dict[str, Any], rid: str) -> dict[str, Any]:
    for entry in bundle["entry"]:
        if entry["resource"].get("id") == rid:
            resource: dict[str, Any] = entry["resource"]
            return resource
    raise LookupError(rid)


def _map(bundle: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(bundle, assessment_date=AS_OF)


def test_a_record_without_labels_says_nothing_of_them() -> None:
    mapping = _map(_bundle())
    assert mapping.security is None
    assert not any("SECURITY" in w or "RESTRICTED" in w for w in mapping.warnings)


def test_restricted_data_is_read_and_said_first() -> None:
    # v3-Confidentiality R: "highly sensitive, potentially stigmatizing information"; the
    # EHR released it to this user, so it is read, and the assessment says it holds it.
    bundle = _bundle()
    _label(_resource(bundle, "ki67-0001"), CONFIDENTIALITY, "R")
    baseline, mapping = _map(_bundle()), _map(bundle)
    assert mapping.document["pathology"] == baseline.document["pathology"]
    assert "Observation/ki67-0001" in mapping.provenance["pathology.ki67_percent"]
    (warning,) = [w for w in mapping.warnings if w.startswith("RESTRICTED DATA")]
    assert "1 resource read for this assessment carries the security label restricted (R)" in (
        warning
    )
    assert "Observation/ki67-0001" in warning
    assert mapping.security is not None
    assert mapping.security["confidentiality"] == "R"
    assert mapping.security["read"] == ["Observation/ki67-0001"]
    assert mapping.security["set_aside"] == []


def test_ordinary_confidentiality_is_listed_without_a_warning() -> None:
    # U, L, M, N ask for no more than ordinary clinical confidentiality
    bundle = _bundle()
    for rid, system, code in (
        ("bili-0001", CONFIDENTIALITY, "N"),
        ("alb-0001", "urn:oid:2.16.840.1.113883.5.25", "M"),  # its OID (HL7 v3)
        ("crea-0001", CONFIDENTIALITY + "/", "L"),  # a trailing slash: the same system
    ):
        _label(_resource(bundle, rid), system, code)
    mapping = _map(bundle)
    assert mapping.document["labs"] == _map(_bundle()).document["labs"]
    assert mapping.warnings == _map(_bundle()).warnings
    assert mapping.security is not None
    assert mapping.security["confidentiality"] == "N"  # the highest of L, M and N
    assert {(x["code"], x["read"]) for x in mapping.security["labels"]} == {
        ("N", 1),
        ("M", 1),
        ("L", 1),
    }


def test_test_data_and_integrity_marks_are_read_and_listed() -> None:
    # FHIR R4 "Security Labels": HTEST (v3-ActReason, "test health data") is a purpose of
    # use, and the integrity category of v3-ObservationValue (REDACTED, PSEUDED …) says how
    # the data were prepared; neither restricts who may read them
    bundle = _bundle()
    for rid, system, code in (
        ("bili-0001", "http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST"),
        ("alb-0001", "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED"),
        ("crea-0001", "urn:oid:2.16.840.1.113883.5.1063", "PSEUDED"),  # its OID (HL7 v3)
    ):
        _label(_resource(bundle, rid), system, code)
    mapping = _map(bundle)
    assert mapping.document["labs"] == _map(_bundle()).document["labs"]
    assert mapping.warnings == _map(_bundle()).warnings
    assert mapping.security is not None and mapping.security["set_aside"] == []
    assert {
        (x["code"], x["read"], x["meaning"].split(" (")[0]) for x in mapping.security["labels"]
    } == {
        ("HTEST", 1, "test health data"),
        ("REDACTED", 1, "redacted"),
        ("PSEUDED", 1, "pseudonymised"),
    }


def test_an_integrity_code_in_another_system_is_not_read_as_one() -> None:
    # REDACTED means "redacted" in v3-ObservationValue only; under an unknown system it is
    # a label nelm does not know
    bundle = _bundle()
    _label(_resource(bundle, "plt-0001"), "https://hospital.example/labels", "REDACTED")
    mapping = _map(bundle)
    assert "platelets_per_ul" not in mapping.document["labs"]


def test_a_42_cfr_part_2_result_is_set_aside_and_its_field_stays_unknown() -> None:
    bundle = _bundle()
    _label(_resource(bundle, "bili-0001"), PRIVACY_LAW, "42CFRPart2")
    mapping = _map(bundle)
    assert "bilirubin_mg_dl" not in mapping.document["labs"]
    assert "labs.bilirubin_mg_dl" in mapping.unmapped
    assert (
        mapping.document["labs"]["albumin_g_dl"] == _map(_bundle()).document["labs"]["albumin_g_dl"]
    )
    (warning,) = [w for w in mapping.warnings if w.startswith("SET ASIDE FOR THEIR SECURITY")]
    assert "1 resource (Observation/bili-0001) was not read: its label (" in warning
    assert ") asks for a consent" in warning and "review it in the EHR" in warning
    assert "42 CFR Part 2" in warning and "unknown to this assessment" in warning
    assert "shown nowhere" not in warning  # the sender's display is never shown
    assert any("Observation/bili-0001" in n and "security label" in n for n in mapping.notes)
    assert mapping.security is not None
    assert mapping.security["set_aside"] == ["Observation/bili-0001"]
    assert mapping.security["confidentiality"] is None


def test_very_restricted_and_sensitivity_labels_are_set_aside() -> None:
    bundle = _bundle()
    _label(_resource(bundle, "ki67-0001"), CONFIDENTIALITY, "V")
    _label(_resource(bundle, "ecog-0001"), ACT_CODE, "ETH")
    mapping = _map(bundle)
    assert "ki67_percent" not in mapping.document["pathology"]
    assert "ecog" not in mapping.document["patient"]
    (warning,) = [w for w in mapping.warnings if w.startswith("SET ASIDE FOR THEIR SECURITY")]
    assert "very restricted (V)" in warning and "substance abuse information (ETH" in warning
    assert "were not read: their labels (" in warning and ") ask for a consent" in warning


def test_a_label_nelm_does_not_know_sets_its_resource_aside() -> None:
    bundle = _bundle()
    _label(_resource(bundle, "plt-0001"), "https://hospital.example/labels", "VIP-ONLY")
    mapping = _map(bundle)
    assert "platelets_per_ul" not in mapping.document["labs"]
    assert any("VIP-ONLY (labels)" in w for w in mapping.warnings)


def test_a_label_on_the_bundle_applies_to_every_resource() -> None:
    bundle = _bundle()
    bundle["meta"]["security"] = [{"system": CONFIDENTIALITY, "code": "R"}]
    mapping = _map(bundle)
    assert mapping.document["pathology"] == _map(_bundle()).document["pathology"]
    assert mapping.security is not None and mapping.security["confidentiality"] == "R"
    assert any(w.startswith("RESTRICTED DATA") for w in mapping.warnings)


def test_a_report_label_goes_with_its_contained_results() -> None:
    bundle = _bundle()
    ki67 = copy.deepcopy(_resource(bundle, "ki67-0001"))
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"].get("id") != "ki67-0001"]
    ki67.pop("subject")
    report = {
        "resourceType": "DiagnosticReport",
        "id": "path-1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "60567-5"}]},
        "subject": {"reference": "Patient/pat-0001"},
        "effectiveDateTime": ki67["effectiveDateTime"],
        "contained": [ki67],
        "result": [{"reference": "#ki67-0001"}],
    }
    _label(report, PRIVACY_LAW, "42CFRPart2")
    bundle["entry"].append({"resource": report})
    mapping = _map(bundle)
    assert "ki67_percent" not in mapping.document["pathology"]
    assert mapping.security is not None
    assert "DiagnosticReport/path-1#ki67-0001" in mapping.security["set_aside"]


def test_the_assessment_carries_the_labels_on_top_and_in_the_input_source() -> None:
    bundle = _bundle()
    _label(_resource(bundle, "ki67-0001"), CONFIDENTIALITY, "R")
    _label(_resource(bundle, "bili-0001"), ACT_CODE, "42CFRPart2")
    doc = assess_fhir(bundle, assessment_date=AS_OF, with_evidence=False)
    assert doc["warnings"][0].startswith("RESTRICTED DATA")
    assert doc["warnings"][1].startswith("SET ASIDE FOR THEIR SECURITY LABELS")
    assert doc["input_source"]["record_warnings"][:2] == doc["warnings"][:2]
    security = doc["input_source"]["security"]
    assert security["confidentiality"] == "R"
    assert security["read"] == ["Observation/ki67-0001"]
    assert security["set_aside"] == ["Observation/bili-0001"]


def test_a_labelled_synthetic_record_of_any_seed_never_reads_a_set_aside_resource() -> None:
    for seed in range(1, 6):
        bundle = make_bundle(seed)
        observations = [e["resource"] for e in bundle["entry"] if "valueQuantity" in e["resource"]]
        for resource in observations[::2]:
            _label(resource, ACT_CODE, "PSY")
        mapping = _map(bundle)
        hidden = {f"Observation/{r['id']}" for r in observations[::2]}
        assert not any(ref in origin for origin in mapping.provenance.values() for ref in hidden)


def test_a_patient_set_aside_for_its_label_is_not_called_absent() -> None:
    bundle = _bundle()
    _label(_resource(bundle, "pat-0001"), CONFIDENTIALITY, "V")
    mapping = _map(bundle)
    assert "age_years" not in mapping.document.get("patient", {})
    assert mapping.warnings[0].startswith(
        "PATIENT NOT READ: the record's Patient resource was set aside"
    )
    assert not any("holds no Patient resource" in w for w in mapping.warnings)
    assert any(w.startswith("SET ASIDE FOR THEIR SECURITY LABELS") for w in mapping.warnings)


OBSERVATION_VALUE = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue"


def test_data_asserted_by_ai_are_read_and_listed_for_data_quality() -> None:
    # HL7 Terminology, CodeSystem v3-ObservationValue, AIAST "Artificial Intelligence
    # asserted": "Security provenance metadata observation value used to indicate that an IT
    # resource (data, or information object) was asserted by an Artificial Intelligence
    # (e.g. Clinical Decision Support, Machine Learning, Algorithm)"
    # (https://terminology.hl7.org/CodeSystem-v3-ObservationValue.html#v3-ObservationValue-AIAST).
    # A provenance mark like HRELIABLE or UNCERTREL, no consent or authorisation: the
    # resource is read, and the reader is told where what it says came from.
    bundle = _bundle()
    _label(_resource(bundle, "pat-0001"), OBSERVATION_VALUE, "AIAST")
    _label(_resource(bundle, "bili-0001"), OBSERVATION_VALUE, "AIAST")
    baseline, mapping = _map(_bundle()), _map(bundle)
    assert mapping.document == baseline.document  # age, sex and bilirubin are read
    assert mapping.warnings == baseline.warnings  # nothing set aside, nothing to say first
    assert mapping.security is not None and mapping.security["set_aside"] == []
    assert mapping.security["read"] == ["Observation/bili-0001", "Patient/pat-0001"]
    [label] = mapping.security["labels"]
    assert (label["code"], label["read"], label["meaning"]) == (
        "AIAST",
        2,
        "asserted by artificial intelligence (AIAST, v3-ObservationValue)",
    )
    [line] = [i for i in mapping.issues if i not in baseline.issues]
    assert line.startswith("asserted by artificial intelligence: 2 resources read")
    assert "(Observation/bili-0001, Patient/pat-0001)" in line
    assert "security label AIAST (v3-ObservationValue)" in line

    # read, not left unknown: the assessment's count of unused elements leaves it out
    def unused(record: dict[str, Any]) -> list[str]:
        doc = assess_fhir(record, assessment_date=dt.date(2026, 11, 1), with_evidence=False)
        return [w for w in doc["warnings"] if "could not be used" in w]

    assert unused(bundle) == unused(_bundle())


def _ai_transparency_example() -> dict[str, Any]:
    """HL7 AI Transparency on FHIR IG, input/examples/labreport_for_alton_walsh_fhir.json
    (HL7/aitransparency-ig 066ff1c3), its coded elements as published; the name and the
    Medicare identifier left out (nelm reads neither)."""
    aiast = {"security": [{"system": OBSERVATION_VALUE, "code": "AIAST"}]}
    patient_url = "urn:uuid:730779b1-7952-470a-8ea3-8f1ad87ff18f"
    return {
        "resourceType": "Bundle",
        "id": "b3c1f2d4-5c8e-4b0a-9f6d-7c8e1f2d4b5c",
        "meta": aiast,
        "type": "transaction",
        "entry": [
            {
                "fullUrl": patient_url,
                "resource": {
                    "resourceType": "Patient",
                    "id": "730779b1-7952-470a-8ea3-8f1ad87ff18f",
                    "meta": aiast,
                    "gender": "male",
                    "birthDate": "1969-04-13",
                },
                "request": {"method": "PUT", "url": "Patient"},
            },
            {
                "fullUrl": "urn:uuid:608c4de1-1ab6-4bfe-b2e4-dca6b19223f0",
                "resource": {
                    "resourceType": "Observation",
                    "id": "608c4de1-1ab6-4bfe-b2e4-dca6b19223f0",
                    "meta": aiast,
                    "status": "final",
                    "subject": {"reference": patient_url},
                    "effectiveDateTime": "2025-02-18",
                    # LOINC 41995-2 Hemoglobin A1c [Mass/volume] in Blood
                    "code": {"coding": [{"system": "http://loinc.org", "code": "41995-2"}]},
                    "valueQuantity": {
                        "value": 9.4,
                        "unit": "%",
                        "system": "http://unitsofmeasure.org",
                        "code": "%",
                    },
                },
                "request": {"method": "POST", "url": "Observation"},
            },
        ],
    }


def test_the_ai_transparency_example_s_patient_is_read() -> None:
    # Every resource and the Bundle carry AIAST: the Patient is read (born 1969-04-13,
    # so 57 on 2026-11-01; gender male), and the data-quality list says an AI asserted it.
    mapping = _map(_ai_transparency_example())
    assert mapping.document["patient"] == {"age_years": 57, "sex": "male"}
    assert not any(w.startswith(("PATIENT NOT READ", "SET ASIDE")) for w in mapping.warnings)
    [line] = [i for i in mapping.issues if i.startswith("asserted by artificial intelligence")]
    assert "(Patient/730779b1-7952-470a-8ea3-8f1ad87ff18f)" in line
