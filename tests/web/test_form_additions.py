"""The case form carries the case-v1 additions: bounds, judgements and the timeline."""

from __future__ import annotations

from nelm.web.cases import normalised_document
from nelm.web.forms import document_from_form, form_fields, form_values


def test_the_form_has_every_added_field() -> None:
    paths = {f.path for _, _, fields in form_fields() for f in fields}
    for path in (
        "liver.lesion_count_at_least",
        "liver.lesion_count_at_most",
        "liver.tumor_burden_percent_at_least",
        "pathology.reported_grade",
        "liver.surgical_assessment",
        "primary.surgical_assessment",
        "liver.bilobar",
        "imaging.sstr_uptake_vs_liver",
        "pathology.sstr_ihc_positive",
        "primary.hormone",
        "patient.hereditary_syndromes",
        "primary.complications",
    ):
        assert path in paths, path


def test_a_range_and_a_timeline_survive_the_form() -> None:
    form = {
        "case_id": "r1",
        "liver.lesion_count_at_least": "4",
        "liver.lesion_count_at_most": "5",
        "liver.surgical_assessment": "unresectable",
        "timeline": "as_of: 2021-01-01\nprimary_resection: 2020-01-01\n",
    }
    document = normalised_document(document_from_form(form))
    assert document["liver"] == {
        "lesion_count_at_least": 4,
        "lesion_count_at_most": 5,
        "surgical_assessment": "unresectable",
    }
    assert document["timeline"] == {"as_of": "2021-01-01", "primary_resection": "2020-01-01"}
    again = form_values(document)
    assert "as_of: '2021-01-01'" in again["timeline"]
    assert normalised_document(document_from_form(again)) == document


def test_a_timeline_that_is_not_an_object_is_named_by_the_validator() -> None:
    document = document_from_form({"case_id": "r1", "timeline": "just text"})
    assert document["timeline"] == "just text"


def test_sizes_in_mm_and_intervals_in_years_are_kept_as_entered_through_the_form() -> None:
    """'Up to 30 mm' and '> 5 years' from a report: the unit selector of a bound keeps the
    unit (10 mm = 1 cm; 1 year = 12 months) and the form shows it again on editing."""
    form = {
        "case_id": "u1",
        "liver.largest_lesion_cm_at_most": "30",
        "unit:liver.largest_lesion_cm_at_most": "mm",
        "primary.resected": "yes",
        "primary.months_since_primary_resection_at_least": "5",
        "unit:primary.months_since_primary_resection_at_least": "years",
        "labs.ldh_u_l": "3.5",
        "unit:labs.ldh_u_l": "ukat_l",
    }
    document = normalised_document(document_from_form(form))
    assert document["liver"] == {"largest_lesion_cm_at_most": {"value": 30, "unit": "mm"}}
    assert document["primary"]["months_since_primary_resection_at_least"] == {
        "value": 5,
        "unit": "years",
    }
    assert document["labs"] == {"ldh_u_l": {"value": 3.5, "unit": "µkat/L"}}
    again = form_values(document)
    assert again["unit:liver.largest_lesion_cm_at_most"] == "mm"
    assert again["liver.largest_lesion_cm_at_most"] == "30"
    units = {f.path: [u.label for u in f.units] for _, _, fs in form_fields() for f in fs}
    assert units["liver.largest_lesion_cm_at_most"] == ["cm", "mm"]
    assert units["course.months_stable"] == ["months", "years"]
