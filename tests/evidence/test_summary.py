"""The evidence summary in every assessment: current, and built from the records."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nelm.evidence.records import records_for
from nelm.service import assess_mapping

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))


def test_stored_summaries_are_current() -> None:
    """Fails when a record changed but tools/build_evidence_summaries.py was not re-run."""
    from build_evidence_summaries import TARGET, render  # type: ignore[import-not-found]

    assert TARGET.read_text("utf-8") == render(), "run tools/build_evidence_summaries.py"


def test_every_option_carries_its_summary() -> None:
    doc = assess_mapping(json.loads((ROOT / "examples" / "resectable-pnet.json").read_text()))
    for option_id, option in doc["options"].items():
        evidence = option["evidence"]
        assert evidence["studies"] == len({r.study_key for r in records_for(modality=option_id)})
        assert set(evidence["record_ids"]) == {r.id for r in records_for(modality=option_id)}
        assert evidence["text"]


def test_resection_summary_pools_five_year_survival() -> None:
    # 000 Table 1 and 001 Table 1 give five-year survival for more than two resection
    # cohorts (e.g. Sarmiento 2003: 61 %, Mayo 2011: 74 %), so a pooled value must exist and
    # lie within the range of the reported values.
    doc = assess_mapping({"case_id": "s"})
    os5 = doc["options"]["liver_resection"]["evidence"]["os_5y_percent"]
    assert os5["k"] >= 2
    values = [r.outcomes["os_5y_percent"] for r in records_for("liver_resection", "os_5y_percent")]
    assert min(values) <= os5["estimate"] <= max(values)
    assert os5["ci"][0] < os5["estimate"] < os5["ci"][1]


def test_no_pooled_value_from_fewer_than_two_studies() -> None:
    doc = assess_mapping({"case_id": "s"})
    evidence = doc["options"]["liver_transplant_milan"]["evidence"]
    assert evidence["os_5y_percent"] is None


def test_summary_text_names_the_one_arm_that_gives_a_patient_number() -> None:
    # CAPTEM: three arms, of which only Squires 2020 gives a patient number (30 patients,
    # 004 §4, its ref. 77); Strosberg 2011 (003 Medical therapy) and Kunz 2023 (004 §4) give
    # none. The text read "30 patients in the 1 that give a number".
    doc = assess_mapping({"case_id": "s"})
    text = doc["options"]["capecitabine_temozolomide"]["evidence"]["text"]
    assert text.startswith("3 study arms, 30 patients in the one that gives a number")
