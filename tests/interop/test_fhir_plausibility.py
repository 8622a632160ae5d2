"""Implausible and impossible values in a FHIR record: the same warnings as a case document.

The ranges are those of docs/plausibility.md (plausible ranges, each cited there: the
platelet count's from the Merck Manual reference interval 150–400 × 10⁹/L) and of case-v1
(hard ranges: Ki-67 0–100 %, haemoglobin 2–25 g/dL). A case document states the field and
the likely fix; a FHIR record must give the same, in the CLI, the API and CDS Hooks, and a
value outside the hard range leaves only that field unknown.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import Harness, hook_body, make_harness, patient_id_of, prefetch_from_bundle

from nelm.case import case_from_mapping
from nelm.errors import InputRejected
from nelm.interop.fhir.synthetic import (
    REFERENCE_DATE,
    bundle_of,
    make_bundle,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)
from nelm.service import assess_fhir, assess_mapping, assess_text

LOINC = "http://loinc.org"
DAY = dt.date(2025, 1, 15)
PLATELET_HINT = "did you mean 210 × 10⁹/L = 210,000 /µL?"
HEMOGLOBIN_HINT = "did you mean 130 g/L = 13 g/dL?"


def _lab(rid: str, code: str, value: float, unit: str) -> dict[str, Any]:
    return observation_resource(
        rid, LOINC, code, effective="2025-01-10", valueQuantity=quantity(value, unit)
    )


def _bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)


def _assess(*resources: dict[str, Any]) -> dict[str, Any]:
    return assess_fhir(_bundle(*resources), assessment_date=DAY, with_evidence=False)


def test_platelets_per_microlitre_meaning_giga_per_litre_warn_as_in_a_case() -> None:
    # LOINC 777-3 Platelets [#/volume] in Blood, sent as 210 /uL (UCUM): the usual slip.
    doc = _assess(_lab("plt", "777-3", 210, "/uL"))
    case_doc = assess_mapping(
        {"schema_version": 1, "case_id": "c", "labs": {"platelets_per_ul": 210}},
        with_evidence=False,
    )
    [case_warning] = [w for w in case_doc["input_warnings"] if w["kind"] == "implausible"]
    [fhir_warning] = [w for w in doc["input_warnings"] if w["kind"] == "implausible"]
    for key in ("field", "value", "plausible_low", "plausible_high", "hint", "sources"):
        assert fhir_warning[key] == case_warning[key]
    assert fhir_warning["hint"] == PLATELET_HINT
    # the record cannot confirm: the warning names the resource instead
    assert "From Observation/plt (LOINC 777-3)" in fhir_warning["message"]
    assert fhir_warning["message"] in doc["warnings"][:2]
    assert doc["inputs"]["labs"]["platelets_per_ul"] == 210  # used as sent, warned
    assert fhir_warning["message"] in doc["input_source"]["data_quality"]


def test_haemoglobin_outside_the_hard_range_names_the_same_fix_as_a_case() -> None:
    # LOINC 718-7 Hemoglobin sent as 130 g/dL: g/L written as g/dL.
    with pytest.raises(InputRejected) as rejected:
        case_from_mapping({"schema_version": 1, "case_id": "c", "labs": {"hemoglobin_g_dl": 130}})
    assert HEMOGLOBIN_HINT in rejected.value.problems[0].got
    doc = _assess(_lab("hb", "718-7", 130, "g/dL"), _lab("plt", "777-3", 210, "10*9/L"))
    [warning] = [w for w in doc["input_warnings"] if w["kind"] == "out_of_range"]
    assert warning["field"] == "labs.hemoglobin_g_dl"
    assert warning["hint"] == HEMOGLOBIN_HINT
    assert warning["message"].startswith("Haemoglobin (labs.hemoglobin_g_dl): Observation/hb")
    assert warning["message"] in doc["warnings"]
    # one bad element never sinks the record: the field is unknown, the rest is assessed
    assert "hemoglobin_g_dl" not in doc["inputs"]["labs"]
    assert doc["inputs"]["labs"]["platelets_per_ul"] == 210_000
    assert any(HEMOGLOBIN_HINT in line for line in doc["input_source"]["data_quality"])


def test_ki67_of_250_percent_is_left_unknown_and_named() -> None:
    doc = _assess(_lab("ki", "29593-1", 250, "%"))
    [warning] = [w for w in doc["input_warnings"] if w["kind"] == "out_of_range"]
    assert warning["field"] == "pathology.ki67_percent"
    assert "Observation/ki gives 250 %" in warning["message"]
    assert "ki67_percent" not in doc["inputs"].get("pathology", {})
    assert doc["options"], "the rest of the record is assessed"


def test_a_converted_value_out_of_range_asks_to_check_the_unit() -> None:
    # 5,000 × 10⁹/L = 5,000,000 /µL: above the hard range (2,000,000); no slip names it.
    doc = _assess(_lab("plt", "777-3", 5000, "10*9/L"))
    [warning] = [w for w in doc["input_warnings"] if w["kind"] == "out_of_range"]
    assert warning["hint"] == "check the value and its unit"
    assert "5000 10*9/L = 5e+06 /µL" in warning["message"]


def test_the_command_line_shows_them_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nelm.cli import app
    from nelm.cli._common import run_guarded

    body = json.dumps(_bundle(_lab("plt", "777-3", 210, "/uL"), _lab("ki", "29593-1", 250, "%")))
    monkeypatch.setattr(sys, "argv", ["nelm", "assess", "-", "--as-of", "2025-01-15", "-f", "json"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    code = run_guarded(app)
    out, err = capsys.readouterr()
    assert code == 0, err
    warnings = json.loads(out)["warnings"]
    assert warnings[0].startswith("Ki-67 index (pathology.ki67_percent)")
    assert PLATELET_HINT in warnings[1]


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


def test_cds_gives_a_data_quality_card_with_the_fix(harness: Harness) -> None:
    bundle = make_bundle(12)
    prefetch = prefetch_from_bundle(bundle)
    platelets = next(
        e
        for key in prefetch
        for e in prefetch[key].get("entry", [])
        if e["resource"].get("code", {}).get("coding", [{}])[0].get("code") == "777-3"
    )
    platelets["resource"]["valueQuantity"] = quantity(210, "/uL")
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 2, "an assessment card and a data-quality card"
    detail = re.sub(r"\\(.)", r"\1", str(cards[1]["detail"]))
    assert "labs.platelets_per_ul" in detail and PLATELET_HINT in detail


def test_a_contradiction_between_two_resources_is_named_as_in_a_case() -> None:
    # docs/plausibility.md, contradictions: SSTR imaging negative with a Krenning score of
    # 3 (Krenning ≥ 2 is uptake). Both values come from the record (project codes).
    nelm = "https://nelm.invalid/fhir/CodeSystem/nelm-observation"
    negative = observation_resource(
        "sstr", nelm, "sstr-imaging-positive", effective="2025-01-10", valueBoolean=False
    )
    krenning = observation_resource(
        "krenning", nelm, "krenning-score", effective="2025-01-10", valueInteger=3
    )
    doc = _assess(negative, krenning)
    case_doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "c",
            "imaging": {"sstr_positive": False, "krenning_score": 3},
        },
        with_evidence=False,
    )
    [fhir_warning] = [w for w in doc["input_warnings"] if w["kind"] == "contradiction"]
    [case_warning] = [w for w in case_doc["input_warnings"] if w["kind"] == "contradiction"]
    assert fhir_warning == case_warning
    # the plain warning is the message followed by its fields and fix (assessment-v1 additions)
    assert any(w.startswith(fhir_warning["message"]) for w in doc["warnings"])


def test_an_implausible_laboratory_value_in_a_synthetic_bundle_is_warned_not_rejected() -> None:
    # platelets 210 /µL: the usual slip for 210 × 10⁹/L (Merck: 150,000–400,000 /µL)
    bundle = make_bundle(1, platelets_per_ul=210)
    doc = assess_text(json.dumps(bundle), assessment_date=REFERENCE_DATE, with_evidence=False)
    found = [w for w in doc["input_warnings"] if w["kind"] == "implausible"]
    assert [w["field"] for w in found] == ["labs.platelets_per_ul"]
    assert found[0]["confirmed"] is False
    assert found[0]["fix"] == PLATELET_HINT
    first = next(w for w in doc["warnings"] if "labs.platelets_per_ul" in w)
    assert PLATELET_HINT in first


def test_a_plausible_bundle_has_no_plausibility_warning() -> None:
    doc = assess_text(
        json.dumps(make_bundle(1)), assessment_date=REFERENCE_DATE, with_evidence=False
    )
    assert [w for w in doc["input_warnings"] if w["kind"] == "implausible"] == []
