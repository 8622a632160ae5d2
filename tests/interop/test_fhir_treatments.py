"""Procedures and MedicationStatements → prior treatments and a prior Whipple."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.interop.fhir import NELM_MEDICATION, NELM_PROCEDURE, FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    medication_statement_resource,
    neuroendocrine_marker,
    patient_resource,
    procedure_resource,
)

CPT = "http://www.ama-assn.org/go/cpt"
ATC = "http://www.whocc.no/atc"
SNOMED = "http://snomed.info/sct"
DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any]) -> FhirMapping:
    patient = patient_resource("p")
    bundle = bundle_of(patient, neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def _treatments(mapping: FhirMapping) -> list[str] | None:
    return mapping.document.get("course", {}).get("prior_treatments")


@pytest.mark.parametrize("code", ["48150", "48152", "48153", "48154"])
def test_whipple_cpt(code: str) -> None:
    # CPT 48150–48154: proximal subtotal pancreatectomy with duodenectomy (Whipple-type).
    mapping = _map(procedure_resource("w", CPT, code, subject="Patient/p"))
    assert mapping.document["anatomy"] == {"prior_whipple": True}
    assert mapping.provenance["anatomy.prior_whipple"] == f"Procedure/w (CPT {code})"


@pytest.mark.parametrize(
    ("system", "code", "option"),
    [
        (CPT, "47120", "liver_resection"),  # CPT 47120 hepatectomy, partial lobectomy
        (CPT, "47130", "liver_resection"),  # CPT 47130 hepatectomy, total right lobectomy
        (CPT, "47382", "thermal_ablation"),  # CPT 47382 percutaneous RF ablation of liver tumour
        (CPT, "47370", "thermal_ablation"),  # CPT 47370 laparoscopic RF ablation of liver tumour
        (CPT, "79445", "tare"),  # CPT 79445 intra-arterial particulate radiopharmaceutical
        (SNOMED, "441525007", "tace"),  # SNOMED CT chemoembolisation of artery
        (NELM_PROCEDURE, "tae", "tae"),
        (NELM_PROCEDURE, "deb-tace", "deb_tace"),
        (NELM_PROCEDURE, "prrt", "prrt"),
    ],
)
def test_procedures(system: str, code: str, option: str) -> None:
    assert _treatments(_map(procedure_resource("x", system, code, subject="Patient/p"))) == [option]


def test_ambiguous_embolisation_code_is_noted_not_mapped() -> None:
    # CPT 37243 covers bland, chemo- and radioembolisation alike.
    mapping = _map(procedure_resource("x", CPT, "37243", subject="Patient/p"))
    assert _treatments(mapping) is None
    assert any("does not tell which treatment" in note for note in mapping.notes)


@pytest.mark.parametrize("status", ["in-progress", "not-done", "stopped", "preparation"])
def test_only_completed_procedures_count(status: str) -> None:
    mapping = _map(procedure_resource("x", CPT, "47120", status=status, subject="Patient/p"))
    assert _treatments(mapping) is None


@pytest.mark.parametrize(
    ("code", "option"),
    [
        ("H01CB02", "ssa"),  # ATC octreotide
        ("H01CB03", "ssa"),  # ATC lanreotide
        ("L01EG02", "everolimus"),  # ATC everolimus (antineoplastic)
        ("L01XE10", "everolimus"),  # ATC everolimus before the 2022 revision
        ("L01EX01", "sunitinib"),  # ATC sunitinib
        ("L01EX07", "cabozantinib"),  # ATC cabozantinib
        ("V10XX04", "prrt"),  # ATC lutetium (177Lu) oxodotreotide
    ],
)
def test_medications_by_atc(code: str, option: str) -> None:
    mapping = _map(medication_statement_resource("m", ATC, code, subject="Patient/p"))
    assert _treatments(mapping) == [option]
    assert mapping.provenance["course.prior_treatments"] == f"MedicationStatement/m (ATC {code})"


@pytest.mark.parametrize(
    "system",
    # Germany's ATC edition (BfArM, formerly DIMDI): WHO's codes at a national address, as
    # the MII oncology module's FOLFOX example and the MII medication module write them
    ["http://fhir.de/CodeSystem/bfarm/atc", "http://fhir.de/CodeSystem/dimdi/atc"],
)
def test_the_german_atc_is_atc(system: str) -> None:
    mapping = _map(medication_statement_resource("m", system, "H01CB02", subject="Patient/p"))
    assert _treatments(mapping) == ["ssa"]
    assert mapping.provenance["course.prior_treatments"] == "MedicationStatement/m (ATC H01CB02)"


def test_everolimus_as_immunosuppressant_is_not_mapped() -> None:
    # ATC L04AH02 everolimus as a transplant immunosuppressant is not the NET treatment.
    mapping = _map(medication_statement_resource("m", ATC, "L04AH02", subject="Patient/p"))
    assert _treatments(mapping) is None


def test_surufatinib_by_project_code() -> None:
    mapping = _map(
        medication_statement_resource("m", NELM_MEDICATION, "surufatinib", subject="Patient/p")
    )
    assert _treatments(mapping) == ["surufatinib"]


def test_medication_reference_to_bundle_entry_and_contained() -> None:
    medication = {
        "resourceType": "Medication",
        "id": "lan",
        "code": {"coding": [{"system": ATC, "code": "H01CB03"}]},
    }
    by_entry = medication_statement_resource("m1", reference="Medication/lan", subject="Patient/p")
    contained = medication_statement_resource("m2", reference="#sun", subject="Patient/p")
    contained["contained"] = [
        {
            "resourceType": "Medication",
            "id": "sun",
            "ingredient": [
                {"itemCodeableConcept": {"coding": [{"system": ATC, "code": "L01EX01"}]}}
            ],
        }
    ]
    mapping = _map(medication, by_entry, contained)
    assert _treatments(mapping) == ["ssa", "sunitinib"]  # in the contract's option order


@pytest.mark.parametrize("status", ["intended", "not-taken", "entered-in-error", "unknown"])
def test_medications_not_given_do_not_count(status: str) -> None:
    mapping = _map(
        medication_statement_resource("m", ATC, "H01CB03", status=status, subject="Patient/p")
    )
    assert _treatments(mapping) is None


def test_nothing_is_ever_set_to_false() -> None:
    mapping = _map()
    assert "anatomy" not in mapping.document and "course" not in mapping.document
    assert "anatomy.prior_whipple" in mapping.unmapped
    assert "course.prior_treatments" in mapping.unmapped
