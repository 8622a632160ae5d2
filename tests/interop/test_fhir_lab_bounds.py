"""A kidney value a laboratory sends as a bound: many laboratories print an eGFR above 60
mL/min/1.73 m² only as "> 60" (KDIGO 2012 CKD guideline, GFR categories: G1 ≥ 90, G2
60–89, ... G5 < 15), and a patient on dialysis has an eGFR "< 15". Such a Quantity with a
comparator is a bound (docs/fhir-mapping.md, "Bounds and ranges"), and it decides a limit it
lies beyond: PRRT's renal criterion reads NETTER-1's creatinine clearance ≥ 50 mL/min
(systemic.yaml, prrt.renal), capecitabine's label is contraindicated below 30 mL/min
(capecitabine_temozolomide.renal). The text report's "not in the bundle" list does not
name a number the bundle gave in any form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.report.text import render_text
from nelm.service import assess_fhir

DAY = dt.date(2026, 12, 1)
EGFR = {"system": "http://loinc.org", "code": "98979-8"}  # eGFR CKD-EPI 2021
CREATININE = {"system": "http://loinc.org", "code": "2160-0"}


def _bundle(egfr: dict[str, Any], creatinine: dict[str, Any] | None = None) -> dict[str, Any]:
    def observation(oid: str, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        resource = {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "subject": {"reference": "Patient/p1"},
            "effectiveDateTime": "2026-11-20",
            "code": {"coding": [code]},
            **value,
        }
        return {"fullUrl": f"urn:uuid:{oid}", "resource": resource}

    entries = [
        {
            "fullUrl": "urn:uuid:p1",
            "resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1960-03-01"},
        },
        observation("egfr", EGFR, egfr),
    ]
    if creatinine is not None:
        entries.append(observation("creat", CREATININE, creatinine))
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _quantity(comparator: str, value: float) -> dict[str, Any]:
    unit = {"unit": "mL/min/1.73m2", "system": "http://unitsofmeasure.org"}
    return {"valueQuantity": {"comparator": comparator, "value": value, **unit}}


def _criterion(doc: dict[str, Any], option: str, local: str) -> dict[str, Any]:
    (found,) = [c for c in doc["options"][option]["criteria"] if c["id"] == f"{option}.{local}"]
    return found


def test_an_egfr_printed_as_more_than_60_meets_the_renal_limits() -> None:
    doc = assess_fhir(_bundle(_quantity(">", 60)), assessment_date=DAY, with_evidence=False)
    assert doc["inputs"]["labs"]["egfr_ml_min_more_than"] == 60
    assert _criterion(doc, "prrt", "renal")["result"] == "met"
    assert _criterion(doc, "capecitabine_temozolomide", "renal")["result"] == "met"


def test_an_egfr_below_15_fails_them_and_is_not_set_aside() -> None:
    doc = assess_fhir(_bundle(_quantity("<", 15)), assessment_date=DAY, with_evidence=False)
    assert doc["inputs"]["labs"]["egfr_ml_min_less_than"] == 15
    assert _criterion(doc, "prrt", "renal")["result"] == "not_met"
    assert _criterion(doc, "capecitabine_temozolomide", "renal")["result"] == "not_met"


def test_an_egfr_bound_across_the_limit_leaves_it_open() -> None:
    # "> 45": the clearance may be 46 or 80; NETTER-1's 50 is not settled by it
    doc = assess_fhir(_bundle(_quantity(">", 45)), assessment_date=DAY, with_evidence=False)
    assert _criterion(doc, "prrt", "renal")["result"] == "unknown"


def test_a_creatinine_sent_as_text_below_a_limit_is_read_as_its_bound() -> None:
    # 002 §3.3: "serum creatinine < 2" for the transarterial therapies
    creatinine = {"valueString": "<0.5 mg/dL"}
    bundle = _bundle(_quantity(">", 60), creatinine)
    doc = assess_fhir(bundle, assessment_date=DAY, with_evidence=False)
    assert doc["inputs"]["labs"]["creatinine_mg_dl_less_than"] == 0.5
    assert _criterion(doc, "tace", "creatinine")["result"] == "met"


def test_the_text_report_does_not_call_a_number_given_as_a_bound_absent() -> None:
    doc = assess_fhir(_bundle(_quantity(">", 60)), assessment_date=DAY, with_evidence=False)
    text = " ".join(render_text(doc, width=200).split())
    absent = text.split("Not in the bundle (not known): ", 1)[1].split(" · ", 1)[0]
    names = [name.strip() for name in absent.split(",")]
    assert "eGFR" not in names and "eGFR (more than)" not in names
    # the age came from the birth date: none of its forms is listed
    assert not [n for n in names if n.startswith("Age")]
    # a number the bundle did not give is named once, without its bounds
    assert "Ki-67 index" in names
    assert not [n for n in names if n.startswith("Ki-67 index (")]
