"""The sources the case stored from a CDS Hooks call keeps: the resource type and code
each value was read from, never the EHR's resource ids (docs/cds-hooks.md; the stored
case's id is a hash of the patient id so that no EHR identifier is written into nelm)."""

from __future__ import annotations

from nelm.case.value_sources import SOURCE_MAX_CHARS
from nelm.interop.cds_hooks.sources import sources_without_ids


def test_each_source_keeps_the_type_and_code_without_the_id() -> None:
    stored = sources_without_ids(
        {
            "labs.bilirubin_mg_dl": "Observation/bili-0001 (LOINC 1975-2)",
            "patient.age_years_at_least": "Patient/3af3708d (birthDate, year only)",
            "liver.synchronous": "Condition/livermet-0001, Condition/primary-0001 (onset dates)",
            "pathology.differentiation": (
                "Condition/primary-0001 (ICD-O-3 8249/3); Observation/grade-0001/_history/2 "
                "(LOINC 33732-9)"
            ),
        }
    )
    assert stored == {
        "labs.bilirubin_mg_dl": "Observation via CDS Hooks (LOINC 1975-2)",
        # the ending the criteria read an age's origin by is kept
        "patient.age_years_at_least": "Patient via CDS Hooks (birthDate, year only)",
        "liver.synchronous": "Condition via CDS Hooks (onset dates)",
        "pathology.differentiation": (
            "Condition via CDS Hooks (ICD-O-3 8249/3); Observation via CDS Hooks (LOINC 33732-9)"
        ),
    }


def test_no_id_slips_through_whatever_its_form() -> None:
    odd = "x" * 80 + ":1"  # longer and odder than a FHIR id may be
    stored = sources_without_ids(
        {
            "labs.creatinine_mg_dl": f"Observation/{odd} (LOINC 2160-0)",
            "patient.sex": f"Patient/p1, Patient/{odd} (gender)",
            "liver.lesion_count": f"counted from Observation/{odd}",
        }
    )
    assert not any(odd in s or "/p1" in s for s in stored.values())
    assert stored["patient.sex"] == "Patient via CDS Hooks (gender)"
    assert stored["liver.lesion_count"] == "counted from the Observation resource"


def test_a_source_of_many_results_stays_within_the_case_limit() -> None:
    # case-v1 value_sources: a source is a text of 1 to 500 characters
    many = "; ".join(f"Observation/c{i} (LOINC 2160-{i})" for i in range(40))
    (stored,) = sources_without_ids({"labs.creatinine_mg_dl": many}).values()
    assert len(stored) <= SOURCE_MAX_CHARS
    assert stored == "Observation via CDS Hooks"
