"""Synthetic bundles: valid FHIR R4B, mapped to valid cases, and nothing identifying copied."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.case import case_from_mapping
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    REFERENCE_DATE,
    SyntheticCase,
    fixture_bundles,
    make_bundle,
    make_case,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _output_text(mapping: FhirMapping) -> str:
    return json.dumps(
        [mapping.document, dict(mapping.provenance), mapping.notes, mapping.unmapped],
        ensure_ascii=False,
    )


def _check_against_case(case: SyntheticCase, mapping: FhirMapping) -> None:
    doc = mapping.document
    age = (
        REFERENCE_DATE.year
        - case.birth_date.year
        - (
            (REFERENCE_DATE.month, REFERENCE_DATE.day)
            < (case.birth_date.month, case.birth_date.day)
        )
    )
    assert doc["patient"] == {"age_years": age, "sex": case.gender, "ecog": case.ecog}
    assert doc["primary"]["site"] == case.primary_site
    pathology = doc["pathology"]
    assert pathology["ki67_percent"] == pytest.approx(case.ki67_percent)
    assert pathology["mitoses_per_2mm2"] == pytest.approx(case.mitoses_per_2mm2)
    assert pathology["differentiation"] == case.differentiation
    assert pathology["ki67_source"] == "liver_metastasis"
    assert doc["imaging"] == {
        "sstr_positive": case.sstr_positive,
        "krenning_score": case.krenning_score,
        "fdg_positive": case.fdg_positive,
    }
    liver = doc["liver"]
    assert liver["synchronous"] is case.synchronous
    assert liver["lesion_count"] == case.lesion_count
    assert liver["largest_lesion_cm"] == pytest.approx(case.largest_lesion_cm)
    assert liver["tumor_burden_percent"] == pytest.approx(case.tumor_burden_percent)
    labs = doc["labs"]
    for name in (
        "bilirubin_mg_dl",
        "albumin_g_dl",
        "creatinine_mg_dl",
        "egfr_ml_min",
        "ldh_u_l",
        "ast_u_l",
        "platelets_per_ul",
        "hemoglobin_g_dl",
        "wbc_per_ul",
    ):
        # SI values are rounded to the precision a laboratory reports: within 1 %.
        assert labs[name] == pytest.approx(getattr(case, name), rel=0.01), name
    if case.extrahepatic_sites:
        assert doc["extrahepatic"] == {"present": True, "sites": list(case.extrahepatic_sites)}
    else:
        assert "extrahepatic" not in doc  # absence of a Condition is not "no disease"
    assert sorted(doc.get("course", {}).get("prior_treatments", [])) == sorted(
        case.prior_treatments
    )
    assert doc.get("anatomy", {}).get("prior_whipple") is (True if case.prior_whipple else None)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(min_value=1, max_value=9999), si_units=st.booleans())
def test_synthetic_bundles_round_trip(seed: int, si_units: bool) -> None:
    bundle = make_bundle(seed, si_units=si_units)
    Bundle.model_validate(bundle)  # every generated bundle is valid FHIR R4B
    mapping = bundle_to_case(bundle, assessment_date=REFERENCE_DATE)
    case = case_from_mapping(mapping.document)
    assert case.case_id == f"fhir-synthetic-{seed:04d}"
    _check_against_case(make_case(seed, si_units=si_units), mapping)
    assert set(mapping.provenance) == set(case.values)  # every known value has a source
    assert not set(mapping.provenance) & set(mapping.unmapped)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=1, max_value=9999))
def test_no_name_identifier_or_birth_date_in_the_output(seed: int) -> None:
    case = make_case(seed)
    text = _output_text(bundle_to_case(make_bundle(seed), assessment_date=REFERENCE_DATE))
    for secret in (
        case.name,
        f"Patient {seed:04d}",
        f"SYN-{seed:04d}",
        case.birth_date.isoformat(),
        "synthetic-mrn",
    ):
        assert secret not in text


def test_generation_is_deterministic_and_overridable() -> None:
    assert make_bundle(7) == make_bundle(7)
    assert make_bundle(7) != make_bundle(8)
    assert make_case(7, primary_site="rectum").primary_site == "rectum"
    with pytest.raises(TypeError):
        make_bundle(7, no_such_field=1)


def test_patients_are_clearly_synthetic() -> None:
    patient = make_bundle(12)["entry"][0]["resource"]
    assert patient["name"][0]["text"] == "Synthetic Patient 0012"
    assert patient["meta"]["tag"][0]["code"] == "synthetic"
    assert patient["identifier"][0]["system"].startswith("https://nelm.invalid/")


@pytest.mark.parametrize("name", sorted(fixture_bundles()))
def test_saved_fixtures_are_current_valid_and_map(name: str) -> None:
    saved: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    assert saved == fixture_bundles()[name], (
        "regenerate: python -m nelm.interop.fhir.synthetic tests/interop/fixtures"
    )
    # docs/fhir-mapping.md tells the reader to regenerate them with that command: it must
    # write the saved files byte for byte, or a regeneration shows changes that are none.
    written = json.dumps(fixture_bundles()[name], indent=2, ensure_ascii=False) + "\n"
    assert (FIXTURES / name).read_text(encoding="utf-8") == written, (
        "regenerate: python -m nelm.interop.fhir.synthetic tests/interop/fixtures"
    )
    Bundle.model_validate(saved)
    mapping = bundle_to_case(saved, assessment_date=dt.date(2025, 1, 15))
    case_from_mapping(mapping.document)
    assert "Synthetic Patient" not in _output_text(mapping)


def test_si_fixture_matches_the_conventional_case() -> None:
    si = json.loads((FIXTURES / "synthetic-0002-si-units.json").read_text(encoding="utf-8"))
    codes = {
        entry["resource"]["valueQuantity"]["code"]
        for entry in si["entry"]
        if "valueQuantity" in entry["resource"]
    }
    assert {"umol/L", "g/L", "ukat/L", "10*9/L", "mmol/L", "mm"} <= codes
    mapping = bundle_to_case(si, assessment_date=REFERENCE_DATE)
    _check_against_case(make_case(2, si_units=True), mapping)


def test_metachronous_fixture() -> None:
    saved = json.loads(
        (FIXTURES / "synthetic-0003-metachronous-bone.json").read_text(encoding="utf-8")
    )
    doc = bundle_to_case(saved, assessment_date=REFERENCE_DATE).document
    assert doc["liver"]["synchronous"] is False
    assert doc["extrahepatic"] == {"present": True, "sites": ["bone"]}
    assert doc["course"]["prior_treatments"] == ["tace", "ssa", "everolimus"]
