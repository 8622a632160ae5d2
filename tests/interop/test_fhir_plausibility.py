"""A FHIR Bundle cannot confirm a value: an implausible one is assessed with the warning,
naming the field and the likely fix, at the top (docs/plausibility.md)."""

from __future__ import annotations

import json

from nelm.interop.fhir.synthetic import REFERENCE_DATE, make_bundle
from nelm.service import assess_text


def test_an_implausible_laboratory_value_in_a_bundle_is_warned_not_rejected() -> None:
    # platelets 210 /µL: the usual slip for 210 × 10⁹/L (Merck: 150,000–400,000 /µL)
    bundle = make_bundle(1, platelets_per_ul=210)
    doc = assess_text(json.dumps(bundle), assessment_date=REFERENCE_DATE, with_evidence=False)
    found = [w for w in doc["input_warnings"] if w["kind"] == "implausible"]
    assert [w["field"] for w in found] == ["labs.platelets_per_ul"]
    assert found[0]["confirmed"] is False
    assert found[0]["fix"] == "did you mean 210 × 10⁹/L = 210,000 /µL?"
    first = next(w for w in doc["warnings"] if "labs.platelets_per_ul" in w)
    assert "did you mean 210 × 10⁹/L = 210,000 /µL?" in first


def test_a_plausible_bundle_has_no_plausibility_warning() -> None:
    doc = assess_text(
        json.dumps(make_bundle(1)), assessment_date=REFERENCE_DATE, with_evidence=False
    )
    assert [w for w in doc["input_warnings"] if w["kind"] == "implausible"] == []
