"""A number known only by its bounds (docs/case-v1-additions.md, "Ranges and bounds") reads
under the number's own label in the inputs table: "Liver lesions: at least 2", both bounds
as one range ("Age: 50–59 years"), never "At least: liver lesions 2"."""

from __future__ import annotations

from typing import Any

from nelm.case.fields import FIELD_BY_PATH
from nelm.report.html import render_html
from nelm.report.view import input_rows
from nelm.service import assess_mapping
from tests.engine.published_cases import PUBLISHED_CASES

# Journal of Medicine and Life 2018 (tests/engine/published_cases.py): the liver biopsy
# reads "neuroendocrine tumor with a 10-15% Ki67", and the report names liver nodules
# (more than one, so at least 2).
MEDLIFE = next(p.case for p in PUBLISHED_CASES if p.name == "medlife-pnet-ki67-10-to-15")


def _rows(inputs: dict[str, Any]) -> dict[str, str]:
    return {label: value for _, label, value in input_rows(inputs)}


def test_a_lower_bound_reads_under_the_numbers_label() -> None:
    rows = _rows(MEDLIFE)
    assert rows["Liver lesions"] == "at least 2"
    assert not any("least" in label.lower() for label in rows)


def test_both_bounds_read_as_one_range() -> None:
    rows = _rows(MEDLIFE)
    assert rows["Ki-67 index"] == "10–15%"
    # "in his fifties": 50 and 59 (docs/case-v1-additions.md, the form's hint for the age)
    fifties = {"patient": {"age_years_at_least": 50, "age_years_at_most": 59}}
    assert input_rows(fifties) == [("patient", "Age", "50–59 years")]


def test_an_upper_bound_alone_and_bounds_that_meet() -> None:
    # 002 §2.1's G2 upper limit, as a report of "Ki-67 up to 20 %" would give it
    assert input_rows({"pathology": {"ki67_percent_at_most": 20}}) == [
        ("pathology", "Ki-67 index", "at most 20%")
    ]
    same = {"liver": {"lesion_count_at_least": 3, "lesion_count_at_most": 3}}
    assert input_rows(same) == [("liver", "Liver lesions", "3")]


def test_bounds_from_two_sources_stay_two_rows() -> None:
    # one bound typed over the record's must not read as the record's
    inputs = {
        "patient": {"age_years_at_least": 66, "age_years_at_most": 69},
        "value_sources": {"patient.age_years_at_most": "Patient/p1"},
    }
    assert input_rows(inputs) == [
        ("patient", "Age", "at least 66 years — entered"),
        ("patient", "Age", "at most 69 years — from the FHIR record: Patient/p1"),
    ]


def test_a_bounds_own_label_names_the_number_first() -> None:
    # the form, its validation hints and the lists of fields name a bound alone
    assert FIELD_BY_PATH["liver.lesion_count_at_least"].label == "Liver lesions (at least)"
    assert FIELD_BY_PATH["pathology.ki67_percent_at_most"].label == "Ki-67 index (at most)"
    assert FIELD_BY_PATH["patient.age_years_at_most"].label == "Age (at most)"


def test_the_printed_report_shows_the_bounds_so() -> None:
    page = render_html(assess_mapping(MEDLIFE, with_evidence=False))
    assert "<td>Liver lesions</td><td>at least 2</td>" in page
    assert "<td>Ki-67 index</td><td>10–15%</td>" in page
    assert "At least:" not in page and "At most:" not in page


def test_an_input_set_aside_says_what_it_contradicts() -> None:
    # nelm.engine.sstr: SSTR imaging given as negative beside a Krenning score of 3 (uptake
    # above the liver on the Krenning scale) is set aside; the inputs table, read first on
    # paper, says so beside each value rather than list "no" as if it had been used.
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "s",
            "imaging": {"sstr_positive": False, "krenning_score": 3},
        },
        with_evidence=False,
    )
    rows = {
        label: value
        for _, label, value in input_rows(doc["inputs"], (), doc["classification"]["set_aside"])
    }
    assert rows["SSTR imaging positive"] == "no (set aside: contradicts the Krenning score 3)"
    assert rows["Krenning score"] == "3 (set aside: contradicts SSTR imaging negative)"
