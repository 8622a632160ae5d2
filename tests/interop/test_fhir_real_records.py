"""Every real record in fixtures/fhir-real/ gives what its manifest says.

The records were written by others (Synthea, US Core 9.0.0, mCODE; see SOURCES.md there)
and the expected values were read off each bundle by hand (manifest.json), not produced
by nelm. Each record is parsed, mapped and assessed once for the whole module.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pytest

from nelm.errors import InputRejected
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.service import assess_fhir

RECORDS = Path(__file__).parent / "fixtures" / "fhir-real"
MANIFEST: dict[str, dict[str, Any]] = json.loads((RECORDS / "manifest.json").read_text())
NAMES = sorted(MANIFEST)


@functools.cache
def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDS / "external" / name).read_text("utf-8"))
    return data


def _as_of(name: str) -> dt.date:
    return dt.date.fromisoformat(MANIFEST[name]["as_of"])


@functools.cache
def _mapped(name: str) -> FhirMapping | InputRejected:
    try:
        return bundle_to_case(_bundle(name), assessment_date=_as_of(name))
    except InputRejected as exc:
        return exc


@functools.cache
def _assessed(name: str) -> dict[str, Any] | InputRejected:
    try:
        return assess_fhir(_bundle(name), assessment_date=_as_of(name))
    except InputRejected as exc:
        return exc


def _accepted(name: str) -> FhirMapping:
    result = _mapped(name)
    if isinstance(result, InputRejected):
        spec = MANIFEST[name]
        assert spec["accept"] == "assessed_or_rejected", result.problems
        pytest.skip(f"{name} was rejected, which its manifest allows")
    return result


def _value(document: dict[str, Any], path: str) -> Any:
    section, field = path.split(".")
    return document.get(section, {}).get(field)


def test_the_manifest_covers_every_record() -> None:
    assert sorted(p.name for p in (RECORDS / "external").glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_record_is_assessed_or_rejected_as_its_manifest_says(name: str) -> None:
    spec = MANIFEST[name]
    result = _assessed(name)
    if isinstance(result, InputRejected):
        assert spec["accept"] == "assessed_or_rejected"
        named = {p.path for p in result.problems}
        assert named == {spec["rejected_names"]}, result.problems
        return
    assert result["input_source"]["format"] == "FHIR R4 Bundle"
    assert result["options"], "an assessment with its options"


@pytest.mark.parametrize("name", NAMES)
def test_values_read_by_hand_are_found(name: str) -> None:
    document = _accepted(name).document
    for path, expected in MANIFEST[name].get("expect", {}).items():
        assert _value(document, path) == expected, path


@pytest.mark.parametrize("name", NAMES)
def test_fields_the_record_does_not_give_stay_unknown(name: str) -> None:
    mapping = _accepted(name)
    for path in MANIFEST[name].get("absent", []):
        assert _value(mapping.document, path) is None, path
        assert path in mapping.unmapped


@pytest.mark.parametrize("name", [n for n in NAMES if MANIFEST[n].get("other_primary_metastases")])
def test_metastases_of_another_primary_never_count(name: str) -> None:
    mapping = _accepted(name)
    for reference in MANIFEST[name]["other_primary_metastases"]:
        assert not any(reference in origin for origin in mapping.provenance.values())
        assert any(
            reference in note and "relatedPrimaryCancerCondition" in note for note in mapping.notes
        ), reference
    for section in ("liver", "extrahepatic", "primary", "pathology"):
        assert section not in mapping.document


@pytest.mark.parametrize("name", NAMES)
def test_no_record_here_is_assessed_as_neuroendocrine_disease(name: str) -> None:
    # None of these records holds a neuroendocrine diagnosis (SOURCES.md: HIV, breast
    # and lung cancer, US Core examples): the tumour fields stay unknown, with a warning.
    mapping = _accepted(name)
    assert any(w.startswith("NOT A NEUROENDOCRINE RECORD") for w in mapping.warnings)


def test_the_deceased_synthea_patient_is_flagged_on_top() -> None:
    # synthea-bulk-3af3708d: Patient.deceasedDateTime 1971-10-01 (read off the bundle).
    result = _assessed("synthea-bulk-3af3708d.json")
    assert not isinstance(result, InputRejected)
    assert result["warnings"][0].startswith("DECEASED: the record says the patient died")
    assert "1971-10-01" in result["warnings"][0]


def test_a_birth_year_only_still_decides_the_transplant_age_limit() -> None:
    # mcode-stu1-examples: Patient birthDate 1951-01-20 (read off the bundle), as of
    # 2020-01-01. Cut to the year "1951", the age is 68 (born 1951-12-31) or 69 (born
    # 1951-01-01): above 001 Table 2's "Age <55 years" either way, so not met.
    bundle = copy.deepcopy(_bundle("mcode-stu1-examples.json"))
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert [p["birthDate"] for p in patients] == ["1951-01-20"]
    patients[0]["birthDate"] = "1951"
    as_of = _as_of("mcode-stu1-examples.json")
    mapping = bundle_to_case(bundle, assessment_date=as_of)
    patient = mapping.document["patient"]
    assert (patient["age_years_at_least"], patient["age_years_at_most"]) == (68, 69)
    result = assess_fhir(bundle, assessment_date=as_of, with_evidence=False)
    for option in ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos"):
        criteria = result["options"][option]["criteria"]
        (age,) = [c for c in criteria if c["id"] == f"{option}.age"]
        assert age["result"] == "not_met", age
        assert "68–69" in age["value"]


def test_us_core_individual_sex_is_read() -> None:
    # uscore-9.0.0-examples: Patient has no gender, only us-core-individual-sex
    # 248152002 Female (finding).
    mapping = _accepted("uscore-9.0.0-examples.json")
    assert mapping.document["patient"]["sex"] == "female"
    assert "us-core-individual-sex" in mapping.provenance["patient.sex"]


def test_a_diagnostic_report_s_missing_results_are_listed() -> None:
    # uscore-9.0.0-examples: DiagnosticReport/cbc lists Observation/cbc-mcv, which the
    # examples gathered here do not include.
    issues = _accepted("uscore-9.0.0-examples.json").issues
    assert any(
        i.startswith("DiagnosticReport/cbc: the result Observation/cbc-mcv is not in the bundle")
        for i in issues
    )


def test_results_older_than_90_days_are_named_with_their_dates_on_top() -> None:
    """US Core's laboratory results are dated 2005-07-05 (the record's effectiveDateTime).
    Assessed on the manifest's date (2005-08-01) they are recent; assessed in 2026 they are
    still used (docs/fhir-mapping.md: older than 90 days, used with a note) but a warning
    names each with its date, so a 21-year-old platelet count cannot decide PRRT unseen."""
    name = "uscore-9.0.0-examples.json"
    bundle = _bundle(name)
    dated = {
        e["resource"]["id"]: e["resource"].get("effectiveDateTime")
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert dated["cbc-platelets"] == dated["serum-creatinine"] == "2005-07-05"

    recent = assess_fhir(bundle, assessment_date=dt.date(2005, 8, 1), with_evidence=False)
    assert not [w for w in recent["warnings"] if "Results more than 90 days" in w]

    late = assess_fhir(bundle, assessment_date=dt.date(2026, 12, 1), with_evidence=False)
    (warning,) = [w for w in late["warnings"] if "Results more than 90 days" in w]
    for label in ("Creatinine", "Platelets", "Haemoglobin", "Leukocytes"):
        assert f"{label} (2005-07-05)" in warning
    assert late["inputs"]["labs"]["platelets_per_ul"] == 200000  # still used
