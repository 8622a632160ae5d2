"""The record's notes sorted and worded for the case form (``nelm.web.record_notes``): a
field is named by the label the form shows, never by its path, and a value the record
held but could not give is listed apart from the hundreds of entries nelm does not read."""

from __future__ import annotations

from nelm.interop.fhir.collect import Issue, NoteGroup
from nelm.web.record_notes import read_notes


def test_a_value_left_not_known_is_named_by_its_label_with_the_reason() -> None:
    reading = read_notes(
        [
            NoteGroup("liver.synchronous not set: the onset dates are too coarse to tell", 1, ()),
            NoteGroup("patient.sex not set: Patient.gender is unknown", 1, ("Patient/p",)),
        ],
        [
            Issue(
                "Bundle.entry[3].resource.valueQuantity.code",
                'Observation/b: unit "mg/dl/h" cannot be converted to mg/dL',
                "labs.bilirubin_mg_dl",
            )
        ],
    )
    assert reading.left_unknown == (
        'Bilirubin left not known: Observation/b: unit "mg/dl/h" cannot be converted to mg/dL',
        "Synchronous liver metastases left not known: the onset dates are too coarse to tell",
        "Sex left not known: Patient.gender is unknown",
    )
    assert reading.set_aside == () and reading.not_read == () and reading.unreadable == ()


def test_what_the_page_says_elsewhere_is_not_repeated_as_set_aside() -> None:
    # results older than 90 days and those dated after the assessment date are under
    # "To check"; a report read through its results is not set aside
    reading = read_notes(
        [
            NoteGroup("patient.ecog: the result is more than 90 days older than the "
                      "assessment date", 1, ()),
            NoteGroup("not used: dated after the assessment date", 2, ()),
            NoteGroup("not read itself: a DiagnosticReport is read through its results", 3, ()),
            NoteGroup("not used: Condition not confirmed (verificationStatus)", 2, ()),
        ],
        [],
    )  # fmt: skip
    assert reading.set_aside == ("Condition not confirmed (verificationStatus) (2 resources)",)
    assert reading.not_read == () and reading.not_read_count == 0


def test_kinds_and_codes_not_read_are_two_lines_with_one_count() -> None:
    reading = read_notes(
        [
            NoteGroup("not read: resource type Claim is not used by this mapping", 35, ()),
            NoteGroup("not used: Observation code not in the mapping table", 156, ()),
            NoteGroup("not read: resource type Basic is not used by this mapping", 1, ()),
            NoteGroup("not used: medication code not in the mapping table", 2, ()),
        ],
        [],
    )
    assert reading.not_read == (
        "Kinds of entry nelm does not read: claims 35, Basic 1",
        "Entries with a code nelm does not read (not about the tumour, its treatment or a "
        "value its criteria use): observations (results) 156, medications 2",
    )
    assert reading.not_read_count == 35 + 156 + 1 + 2


def test_how_a_value_was_read_is_kept_apart_for_checking() -> None:
    reading = read_notes(
        [
            NoteGroup("pathology.ki67_percent: read from the text of the result", 1, ()),
            NoteGroup("timeline: diagnosis from Condition/c (onset)", 1, ()),
            NoteGroup("timeline: disease status not used (it has no date)", 1, ()),
        ],
        [],
    )
    assert reading.how_read == (
        "Ki-67 index: read from the text of the result",
        "Timeline: diagnosis from Condition/c (onset)",
    )
    assert reading.set_aside == ("Timeline: disease status not used (it has no date) (1 resource)",)


def test_fhir_element_names_a_clinician_need_not_know_are_said_in_words() -> None:
    # FHIR R4 §2.24.0.1: an id is [A-Za-z0-9-.]{1,64}, so "a_1" is refused; mCODE STU1
    # relatedPrimaryCancerCondition links a metastasis to its primary cancer
    reading = read_notes(
        [
            NoteGroup(
                "set aside: linked (relatedPrimaryCancerCondition) to a primary cancer "
                "that is not a neuroendocrine neoplasm",
                2,
                ("Condition/m1", "Condition/m2"),
            )
        ],
        [
            Issue(
                "Bundle.id",
                "FHIR R4 Bundle: an id is letters, digits, '-' and '.' only, at most 64 "
                '(FHIR R4 id), got "a_1"',
            ),
            Issue(
                "Bundle.entry[2].resource.extension",
                "Condition/m3: relatedPrimaryCancerCondition names a Condition that is not "
                "in the bundle (Condition/gone), so it cannot be shown to be a metastasis of "
                "a neuroendocrine neoplasm: set aside",
            ),
        ],
    )
    assert reading.set_aside == (
        "Metastases the record links to another primary cancer, not to the neuroendocrine "
        "neoplasm: not counted as its disease. If they are the neuroendocrine neoplasm's, "
        "enter them in the form (2 resources)",
    )
    assert reading.unreadable == (
        'The record\'s own identifier ("a_1") is not one FHIR allows (letters, digits, '
        "'-' and '.' only, at most 64 characters). It only names the case (Case id), "
        "nothing assessed depends on it; whoever exports the records can correct it",
        "Condition/m3: a metastasis whose primary cancer the file does not hold "
        "(Condition/gone), so it cannot be shown to be the neuroendocrine neoplasm's and is "
        "not counted. If it is, enter it in the form",
    )
