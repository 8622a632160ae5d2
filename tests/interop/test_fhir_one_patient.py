"""A record with no Patient resource whose resources name two patients is refused, as one
with two Patient resources is: in every place a record is read (the mapping, NDJSON,
``nelm assess``, ``POST /api/v1/assess``, the CDS Hooks service), whatever the order of the
entries.

The rule is docs/fhir-mapping.md ("a Bundle about two different patients is refused";
"One patient"), after FHIR R4 Observation.subject: "The patient, or group of patients,
location, or device this observation is about and into whose record the observation is
placed" (https://hl7.org/fhir/R4/observation-definitions.html#Observation.subject): two
subjects are two records, and which one is the patient's cannot be told from how many
resources name each, or from which comes first. The exit code 2 and the HTTP status 422
are those of a refused input (docs/contract/cli-v1.md, "Exit codes"; nelm.errors).

The shape is that of the public test hemograms of GabrielBGarcia/hemoubiquitous-monitor
(backend/src/test/resources/test-data/hemograms, f6651582): Patient/anemic-patient-001's
LOINC 718-7 "Hemoglobin [Mass/volume] in Blood" 9.8 g/dL and Patient/normal-patient-001's
15.2 g/dL, put in one record with no Patient resource, as the anomaly was found.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import (
    entries,
    hook_body,
    make_harness,
    patient_id_of,
    prefetch_from_bundle,
)
from tests.web.conftest import make_site

from nelm.cli._common import run_plain
from nelm.cli.assess_run import parse_assess_args, run_assess
from nelm.errors import InputRejected
from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    make_bundle,
    observation_resource,
    patient_resource,
    quantity,
)
from nelm.service import assess_text

LOINC = "http://loinc.org"
AS_OF = dt.date(2025, 3, 1)
ANEMIC, NORMAL = "Patient/anemic-patient-001", "Patient/normal-patient-001"
EXPECTED = "one patient per record"


def _hb(rid: str, subject: str, value: float) -> dict[str, Any]:
    # LOINC 718-7 Hemoglobin [Mass/volume] in Blood
    return observation_resource(
        rid,
        LOINC,
        "718-7",
        subject=subject,
        effective="2025-01-06",
        valueQuantity=quantity(value, "g/dL"),
    )


def _plt(rid: str, subject: str) -> dict[str, Any]:
    # LOINC 777-3 Platelets [#/volume] in Blood by Automated count
    return observation_resource(
        rid,
        LOINC,
        "777-3",
        subject=subject,
        effective="2025-01-06",
        valueQuantity=quantity(210, "10*3/uL"),
    )


TWO_PATIENTS = [
    _hb("anemic-hb", ANEMIC, 9.8),
    _plt("anemic-plt", ANEMIC),
    _hb("normal-hb", NORMAL, 15.2),
]
ORDERS = [TWO_PATIENTS, list(reversed(TWO_PATIENTS)), TWO_PATIENTS[1:] + TWO_PATIENTS[:1]]


def _ndjson(resources: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(resource) + "\n" for resource in resources)


def _refused(resources: list[dict[str, Any]]) -> tuple[str, str, str]:
    with pytest.raises(InputRejected) as caught:
        bundle_to_case(bundle_of(*resources), assessment_date=AS_OF)
    [problem] = caught.value.problems
    return problem.path, problem.expected, problem.got


@pytest.mark.parametrize("resources", ORDERS)
def test_a_bundle_naming_two_patients_is_refused_in_any_order(
    resources: list[dict[str, Any]],
) -> None:
    path, expected, got = _refused(resources)
    assert expected.startswith(EXPECTED)
    assert f'"{ANEMIC}"' in got and f'"{NORMAL}"' in got
    assert "2 different patients" in got and "no Patient resource" in got
    # the place named is the first resource about the second patient the record names
    second = 2 if resources[0]["subject"] == resources[1]["subject"] else 1
    assert path == f"Bundle.entry[{second}].resource.subject.reference"


@pytest.mark.parametrize("resources", ORDERS[:2])
def test_an_ndjson_record_naming_two_patients_is_refused_in_either_order(
    resources: list[dict[str, Any]],
) -> None:
    with pytest.raises(InputRejected) as caught:
        assess_text(_ndjson(resources), source="hemo.ndjson", assessment_date=AS_OF)
    [problem] = caught.value.problems
    assert problem.expected.startswith(EXPECTED)
    assert f'"{ANEMIC}"' in problem.got and f'"{NORMAL}"' in problem.got


def test_one_subject_without_a_patient_is_still_assessed() -> None:
    # Without a Patient resource, the one patient the resources name is the patient's
    # (docs/fhir-mapping.md, "One patient"): nothing is refused, every result is read.
    mapping = bundle_to_case(bundle_of(*TWO_PATIENTS[:2]), assessment_date=AS_OF)
    assert mapping.document["labs"] == {"hemoglobin_g_dl": 9.8, "platelets_per_ul": 210_000}
    assert mapping.warnings[0].startswith("PATIENT NOT READ: the record holds no Patient")


def test_a_patient_resource_still_sets_a_stranger_aside() -> None:
    # With a Patient resource, whose record it is is known: a resource about another
    # patient is set aside and listed, the record is read (docs/fhir-mapping.md).
    patient = patient_resource("anemic-patient-001")
    mapping = bundle_to_case(bundle_of(patient, *TWO_PATIENTS), assessment_date=AS_OF)
    assert mapping.document["labs"]["hemoglobin_g_dl"] == 9.8
    assert any("Observation/normal-hb: about another patient" in i for i in mapping.issues)


def test_a_group_subject_is_no_second_patient() -> None:
    # FHIR R4 Observation.subject may be a Group, a Device or a Location: none of them is
    # another patient, so the record is about the one Patient it names; the Group's result
    # is not the patient's.
    group = _hb("group-hb", "Group/ward-3", 12.0)
    mapping = bundle_to_case(
        bundle_of(group, group | {"id": "g2"}, TWO_PATIENTS[0]), assessment_date=AS_OF
    )
    assert mapping.document["labs"] == {"hemoglobin_g_dl": 9.8}
    assert any("its subject is a Group" in i for i in mapping.issues)


def test_a_patient_set_aside_is_one_patient_by_its_id_and_its_full_url() -> None:
    # FHIR R4 Bundle, "Resolving references in Bundles": a reference that is an entry's
    # fullUrl names that entry. The Patient (set aside for a security label, v3-Confidentiality
    # V) is named by its fullUrl by one result and by Patient/id by another: one patient.
    patient = patient_resource("anemic-patient-001")
    patient["meta"]["security"] = [
        {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "V"}
    ]
    by_url = _plt("anemic-plt", "urn:uuid:0f1e2d3c-4b5a-4968-8776-655443322110")
    bundle = bundle_of(patient, TWO_PATIENTS[0], by_url)
    bundle["entry"][0]["fullUrl"] = "urn:uuid:0f1e2d3c-4b5a-4968-8776-655443322110"
    mapping = bundle_to_case(bundle, assessment_date=AS_OF)
    assert mapping.document["labs"] == {"hemoglobin_g_dl": 9.8, "platelets_per_ul": 210_000}


def test_two_subjects_no_entry_holds_are_refused_but_not_one_beside_a_patient() -> None:
    # A urn:uuid that is the fullUrl of no entry names nobody known (FHIR R4 Bundle,
    # "Resolving references in Bundles"). Beside a named Patient it is listed, never taken
    # for a second patient (docs/fhir-mapping.md, "One patient"); two of them and no
    # Patient give nothing to tell which is the patient's record.
    first = "urn:uuid:7d1b8a1e-0000-4000-8000-000000000001"
    second = "urn:uuid:7d1b8a1e-0000-4000-8000-000000000002"
    _, expected, got = _refused([_hb("a", first, 9.8), _hb("b", second, 15.2)])
    assert expected.startswith(EXPECTED) and first in got and second in got
    mapping = bundle_to_case(
        bundle_of(_hb("a", ANEMIC, 9.8), _plt("b", second)), assessment_date=AS_OF
    )
    assert mapping.document["labs"] == {"hemoglobin_g_dl": 9.8}
    assert any("is the fullUrl of no entry" in i for i in mapping.issues)


def test_nelm_assess_exits_2_naming_both_patients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = tmp_path / "hemo.ndjson"
    record.write_text(_ndjson(TWO_PATIENTS), encoding="utf-8")
    args = parse_assess_args([str(record), "--format", "json", "--as-of", AS_OF.isoformat()])
    assert args is not None
    assert run_plain(lambda: run_assess(**args), False) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no assessment is written
    assert EXPECTED in captured.err and ANEMIC in captured.err and NORMAL in captured.err


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/fhir+json", json.dumps(bundle_of(*TWO_PATIENTS))),
        ("application/fhir+ndjson", _ndjson(TWO_PATIENTS[::-1])),
    ],
)
def test_the_api_answers_422_naming_both_patients(
    tmp_path: Path, content_type: str, body: str
) -> None:
    site = make_site("sqlite", tmp_path)
    try:
        response = site.client().post(
            f"/api/v1/assess?as_of={AS_OF.isoformat()}",
            content=body,
            headers={"content-type": content_type, **site.token("doc", "viewer")},
        )
    finally:
        site.store.close()
    assert response.status_code == 422, response.text
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    [issue] = outcome["issue"]
    assert EXPECTED in issue["diagnostics"]
    assert ANEMIC in issue["diagnostics"] and NORMAL in issue["diagnostics"]


def test_the_cds_service_answers_422_when_its_resources_name_two_subjects(tmp_path: Path) -> None:
    # The service sets aside what names a Patient other than context.patientId, but a
    # urn:uuid subject cannot be checked there and is left to the mapping (prefetch.py):
    # with no Patient prefetched and two such subjects, the call is refused, not answered
    # for whichever most resources name.
    bundle = make_bundle(3)
    pid = patient_id_of(bundle)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["patient"] = None  # CDS Hooks 2.0, Prefetch: null is "no data for this key"
    first = "urn:uuid:5b3e0c52-0000-4000-8000-00000000000a"
    second = "urn:uuid:5b3e0c52-0000-4000-8000-00000000000b"
    observations = prefetch["observations"]["entry"]
    for resource in entries(prefetch):
        if "subject" in resource:
            resource["subject"] = {"reference": first}
    stranger = copy.deepcopy(observations[0])
    stranger["resource"]["id"] = "stranger"
    stranger["resource"]["subject"] = {"reference": second}
    observations.append(stranger)
    harness = make_harness(tmp_path)
    response = harness.call(hook_body(prefetch, pid))
    assert response.status_code == 422, response.text
    [issue] = response.json()["issue"]
    assert EXPECTED in issue["diagnostics"]
    assert first in issue["diagnostics"] and second in issue["diagnostics"]
