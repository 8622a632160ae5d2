"""Patient: age at the assessment date, sex, and one patient per bundle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.errors import InputRejected
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    observation_resource,
    patient_resource,
    quantity,
)
from nelm.service import assess_fhir, assess_mapping

DAY = dt.date(2025, 1, 15)


def _map(*resources: dict[str, Any], on: dt.date = DAY, **kw: Any) -> FhirMapping:
    return bundle_to_case(bundle_of(*resources, **kw), assessment_date=on)


@pytest.mark.parametrize(
    ("birth", "age"),
    [
        ("1960-01-15", 65),  # birthday on the assessment date
        ("1960-01-16", 64),  # one day before the 65th birthday
        ("1960-02", 64),  # month only: 64 for the whole of February 1960
    ],
)
def test_age_at_assessment_date(birth: str, age: int) -> None:
    mapping = _map(patient_resource("p", birth_date=birth))
    assert mapping.document["patient"]["age_years"] == age
    assert mapping.provenance["patient.age_years"] == "Patient/p (birthDate)"


AT_LEAST, AT_MOST = "patient.age_years_at_least", "patient.age_years_at_most"


@pytest.mark.parametrize(
    ("birth", "youngest", "oldest", "precision"),
    [
        # born 1960-01-01 is 65 on 2025-01-15, born 1960-12-31 is 64
        ("1960", 64, 65, "year only"),
        # born 1960-01-01 to 1960-01-15 is 65, born 1960-01-16 to 31 is 64
        ("1960-01", 64, 65, "year and month only"),
        # born 1970-01-01 to 1970-01-15 is 55, later in 1970 is 54: straddles 001 Table 2's
        # "Age <55 years"
        ("1970", 54, 55, "year only"),
    ],
)
def test_a_partial_birth_date_gives_the_bounds_of_the_age(
    birth: str, youngest: int, oldest: int, precision: str
) -> None:
    mapping = _map(patient_resource("p", birth_date=birth))
    patient = mapping.document["patient"]
    assert "age_years" not in patient
    assert (patient["age_years_at_least"], patient["age_years_at_most"]) == (youngest, oldest)
    # the provenance says why the age has bounds
    expected = f"Patient/p (birthDate, {precision})"
    assert mapping.provenance[AT_LEAST] == mapping.provenance[AT_MOST] == expected
    assert any(
        f"({youngest}–{oldest} years)" in note and "only the year or month" in note
        for note in mapping.notes
    )


def test_a_birth_year_of_the_assessment_year_can_only_be_age_zero() -> None:
    # born in 2025 and alive on 2025-01-15: born on or before that day, so 0 years old
    mapping = _map(patient_resource("p", birth_date="2025"))
    assert mapping.document["patient"]["age_years"] == 0


def test_a_partial_birth_date_keeps_the_death_on_top() -> None:
    # docs/fhir-mapping.md: a recorded death is read whatever the age
    patient = {**patient_resource("p", birth_date="1960"), "deceasedBoolean": True}
    mapping = _map(patient)
    assert mapping.warnings[0].startswith("DECEASED: the record says the patient has died")
    assert mapping.document["patient"]["age_years_at_least"] == 64


def test_an_age_beyond_the_range_from_a_birth_year_is_rejected() -> None:
    # born 1904 is 120 or 121 on 2025-01-15: case-v1 allows ages up to 120
    mapping = _map(patient_resource("p", birth_date="1904"))
    assert not {"age_years", "age_years_at_least", "age_years_at_most"} & set(
        mapping.document["patient"]
    )
    assert any("patient.age_years" in issue for issue in mapping.issues)


def test_birth_after_assessment_leaves_the_age_unknown() -> None:
    mapping = _map(patient_resource("p", birth_date="2026-01-01"))
    assert mapping.issues == (
        "a birth date on or before the assessment date, got a later date "
        "(Bundle.entry[0].resource.birthDate); patient.age_years is left unknown",
    )
    assert mapping.document["patient"] == {"sex": "female"}


@pytest.mark.parametrize(
    ("gender", "sex"), [("female", "female"), ("male", "male"), ("other", "other")]
)
def test_sex_from_gender(gender: str, sex: str) -> None:
    assert _map(patient_resource("p", gender=gender)).document["patient"]["sex"] == sex


def test_unknown_gender_leaves_sex_unknown() -> None:
    mapping = _map(patient_resource("p", gender="unknown"))
    assert "patient.sex" in mapping.unmapped


def test_invalid_gender_code_leaves_the_sex_unknown() -> None:
    # "f" is not an AdministrativeGender code (FHIR R4).
    mapping = _map(patient_resource("p", gender="f"))
    assert mapping.issues == (
        'one of male, female, other, unknown (FHIR R4), got "f" '
        "(Bundle.entry[0].resource.gender); patient.sex is left unknown",
    )
    assert "patient.sex" in mapping.unmapped


def test_two_patients_are_rejected() -> None:
    with pytest.raises(InputRejected, match="one Patient per bundle"):
        _map(patient_resource("a", identifier="A-1"), patient_resource("b", identifier="B-2"))


def test_two_patients_sharing_an_identifier_are_one_person() -> None:
    # An identifier's system and value name one person in the sender's register (FHIR R4
    # Identifier); a record that gives her two Patient resources (as the BIH SenologieOnFHIR
    # examples do: one before, one after her death) is still about her.
    died = {**patient_resource("after", identifier="SENO-2"), "deceasedDateTime": "2024-12-01"}
    mapping = _map(patient_resource("before", identifier="SENO-2"), died)
    assert mapping.document["patient"]["sex"] == "female"
    assert any(w.startswith("DECEASED") for w in mapping.warnings)
    assert any("read as one patient" in note for note in mapping.notes)


def test_two_patients_joined_by_link_are_one_person() -> None:
    # FHIR R4 Patient.link: "replaced-by" names the same person's other record.
    old = {
        **patient_resource("old", identifier="OLD-1"),
        "link": [{"other": {"reference": "Patient/new"}, "type": "replaced-by"}],
    }
    mapping = _map(old, patient_resource("new", identifier="NEW-1"))
    assert mapping.document["patient"]["sex"] == "female"


def test_a_third_patient_not_joined_is_still_refused() -> None:
    with pytest.raises(InputRejected, match="one Patient per bundle"):
        _map(
            patient_resource("a", identifier="X-1"),
            patient_resource("b", identifier="X-1"),
            patient_resource("c", identifier="Y-9"),
        )


def test_many_patients_are_named_by_the_first_three_and_sent_to_nelm_batch() -> None:
    # A Bulk Data export of thousands of patients given to nelm assess: the message stays
    # one line and says which command reads such a record.
    with pytest.raises(InputRejected) as caught:
        _map(*(patient_resource(f"p{i}", identifier=f"SYN-{i}") for i in range(5)))
    [problem] = caught.value.problems
    assert problem.got == "5 Patient resources (Patient/p0, Patient/p1, Patient/p2, and 2 more)"
    assert "read by nelm batch, one row each" in problem.expected


def test_identical_patient_twice_is_fine() -> None:
    mapping = _map(patient_resource("a"), patient_resource("a"))
    assert mapping.document["patient"]["sex"] == "female"


def test_a_subject_given_by_the_patients_identifier_is_the_patients() -> None:
    # FHIR R4 Reference.identifier (a logical reference), as JP-CLINS records name the
    # patient: the Patient of the bundle carries that identifier, so the result is hers.
    named = {"identifier": {"system": "https://nelm.invalid/fhir/synthetic-mrn", "value": "M-7"}}
    obs = observation_resource(
        "o", "http://loinc.org", "1975-2", subject=None, valueQuantity=quantity(1.0, "mg/dL")
    )
    mapping = _map(patient_resource("p", identifier="M-7"), {**obs, "subject": named})
    assert mapping.document["labs"]["bilirubin_mg_dl"] == 1.0
    # Another identifier is another patient's: listed, never read.
    mapping = _map(patient_resource("p", identifier="M-8"), {**obs, "subject": named})
    assert "labs" not in mapping.document
    assert mapping.issues == (
        "Observation/o: names its subject by an identifier that no Patient of the bundle "
        "carries, so it is not attributed to the patient "
        "(Bundle.entry[1].resource.subject.identifier)",
    )


def test_resource_about_another_patient_is_never_attributed() -> None:
    obs = observation_resource(
        "o",
        "http://loinc.org",
        "1975-2",
        subject="Patient/other",
        valueQuantity=quantity(1.0, "mg/dL"),
    )
    mapping = _map(patient_resource("p"), obs)
    assert "labs" not in mapping.document
    assert mapping.issues == (
        'Observation/o: about another patient ("Patient/other"), so it is not attributed '
        "to this patient (Bundle.entry[1].resource.subject.reference)",
    )


def test_resource_without_a_subject_is_never_attributed() -> None:
    obs = observation_resource(
        "o", "http://loinc.org", "1975-2", subject=None, valueQuantity=quantity(1.0, "mg/dL")
    )
    mapping = _map(patient_resource("p"), obs)
    assert "labs" not in mapping.document
    # listed among the elements not used (issue 12 point 4: "an unresolved reference ...
    # make[s] that field unknown ... and [is] listed"), so the assessment says on top that
    # an element could not be used rather than asking for a bilirubin the record holds
    assert mapping.issues == (
        "Observation/o: names no subject (patient), so it is not attributed to the patient "
        "(Bundle.entry[1].resource.subject)",
    )


def test_conditional_reference_is_never_attributed() -> None:
    obs = observation_resource(
        "o",
        "http://loinc.org",
        "1975-2",
        subject="Patient?identifier=http://h.example|123",
        valueQuantity=quantity(1.0, "mg/dL"),
    )
    mapping = _map(patient_resource("p"), obs)
    assert "labs" not in mapping.document
    [issue] = mapping.issues
    assert issue.startswith(
        "Observation/o: a conditional reference (Patient?…) names no resource in the bundle"
    )


def test_subject_by_full_url_is_the_patient() -> None:
    bundle = bundle_of(patient_resource("p"), bundle_id="b", full_urls=True)
    patient_url = bundle["entry"][0]["fullUrl"]
    obs = observation_resource(
        "o", "http://loinc.org", "1975-2", subject=patient_url, valueQuantity=quantity(1.0, "mg/dL")
    )
    bundle["entry"].append({"resource": obs})
    mapping = bundle_to_case(bundle, assessment_date=DAY)
    assert mapping.document["labs"] == {"bilirubin_mg_dl": 1.0}


def _with_absolute_patient(subject: str) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), bundle_id="b")
    bundle["entry"][0]["fullUrl"] = "https://ehr.example/fhir/Patient/p"
    obs = observation_resource(
        "o", "http://loinc.org", "1975-2", subject=subject, valueQuantity=quantity(1.0, "mg/dL")
    )
    bundle["entry"].append({"resource": obs})
    return bundle_to_case(bundle, assessment_date=DAY)


@pytest.mark.parametrize(
    "subject",
    [
        "Patient/p",  # relative: resolved against the server of the Patient's fullUrl
        "https://ehr.example/fhir/Patient/p",  # the Patient's fullUrl itself
        "https://ehr.example/fhir/Patient/p/_history/3",  # a version of it
    ],
)
def test_an_absolute_patient_is_named_by_its_own_address(subject: str) -> None:
    assert _with_absolute_patient(subject).document["labs"] == {"bilirubin_mg_dl": 1.0}


def test_the_same_id_on_another_server_is_never_attributed() -> None:
    # FHIR R4 Bundle, "Resolving references in Bundles": an absolute reference resolves to
    # the entry whose fullUrl it is; the same id at another base is another resource
    mapping = _with_absolute_patient("https://other.example/fhir/Patient/p")
    assert "labs" not in mapping.document
    [issue] = mapping.issues
    assert issue.startswith(
        'Observation/o: its subject ("https://other.example/fhir/Patient/p") is a Patient '
        'on another server than the record\'s Patient ("https://ehr.example/fhir/Patient/p")'
    )


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0)])
def test_without_a_patient_subjects_naming_two_patients_are_refused(
    order: tuple[int, int, int],
) -> None:
    # FHIR R4 Observation.subject: "the patient … this observation is about and into
    # whose record the observation is placed". With no Patient resource, Patient/x and
    # Patient/y are two records; which is the patient's cannot be told from how many
    # resources name each (docs/fhir-mapping.md, "One patient": a Bundle about two
    # different patients is refused), whatever their order.
    a = observation_resource(
        "a", "http://loinc.org", "1975-2", subject="Patient/x", valueQuantity=quantity(1.0, "mg/dL")
    )
    b = observation_resource(
        "b", "http://loinc.org", "1751-7", subject="Patient/y", valueQuantity=quantity(4.0, "g/dL")
    )
    c = observation_resource(
        "c", "http://loinc.org", "718-7", subject="Patient/x", valueQuantity=quantity(13.0, "g/dL")
    )
    with pytest.raises(InputRejected, match="one patient per record") as caught:
        _map(*[(a, b, c)[i] for i in order])
    [problem] = caught.value.problems
    assert '"Patient/x"' in problem.got and '"Patient/y"' in problem.got


def test_individual_sex_extension_gives_the_sex() -> None:
    # US Core 9.0.0 us-core-individual-sex, SNOMED CT 248153007 Male (finding).
    patient = patient_resource("p", gender=None)
    patient["extension"] = [
        {
            "url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex",
            "valueCoding": {"system": "http://snomed.info/sct", "code": "248153007"},
        }
    ]
    assert _map(patient).document["patient"]["sex"] == "male"


@pytest.mark.parametrize(
    "deceased", [{"deceasedBoolean": True}, {"deceasedDateTime": "2024-06-01"}]
)
def test_a_deceased_patient_is_flagged_on_top(deceased: dict[str, Any]) -> None:
    # Decision (docs/fhir-mapping.md): assessed, never as alive: a warning comes first.
    mapping = _map({**patient_resource("p"), **deceased})
    [warning] = [w for w in mapping.warnings if w.startswith("DECEASED")]
    assert warning.startswith("DECEASED: the record says the patient ")
    assert "not about a living patient" in warning


def test_a_death_after_the_assessment_date_is_not_flagged() -> None:
    mapping = _map({**patient_resource("p"), "deceasedDateTime": "2025-06-01"})
    assert not [w for w in mapping.warnings if w.startswith("DECEASED")]


def test_a_record_with_no_patient_at_all_says_so() -> None:
    # A HAPI FHIR test document: one Composition, no Patient, no resource naming one.
    composition = {"resourceType": "Composition", "status": "final", "title": "Test"}
    mapping = _map(composition)
    assert mapping.warnings[0].startswith("NO PATIENT: the record holds no Patient resource")
    # With results that name their subject, that subject is taken as the patient instead.
    obs = observation_resource(
        "o", "http://loinc.org", "1975-2", valueQuantity=quantity(1.0, "mg/dL")
    )
    mapping = _map(obs)
    assert not any(w.startswith("NO PATIENT") for w in mapping.warnings)
    assert mapping.document["labs"]["bilirubin_mg_dl"] == 1.0


def test_a_patient_set_aside_as_invalid_is_not_called_absent() -> None:
    # FHIR R4 dateTime: "1971-02-30" is no date. A Patient whose death cannot be read is
    # set aside, and the warning says so rather than that there is none.
    broken = {**patient_resource("p"), "deceasedDateTime": "1971-02-30"}
    mapping = _map(broken)
    assert mapping.warnings[0].startswith("PATIENT NOT READ: the record's Patient resource")
    assert not any(w.startswith("NO PATIENT") for w in mapping.warnings)


def test_a_patient_set_aside_for_a_modifier_extension_is_not_called_absent() -> None:
    # FHIR R4 §2.13: a modifierExtension nelm does not understand sets its resource aside;
    # the record still holds a Patient, so the warning must not say it holds none.
    odd = {
        **patient_resource("p"),
        "modifierExtension": [{"url": "https://example.org/x", "valueBoolean": True}],
    }
    mapping = _map(odd)
    assert mapping.warnings[0].startswith("PATIENT NOT READ: the record's Patient resource")
    assert not any("holds no Patient resource" in w for w in mapping.warnings)


def test_a_patient_is_read_without_an_invalid_element_it_can_do_without() -> None:
    # CMS Blue Button's test Patient has meta.lastUpdated "IGNORED_FIELD" (not an instant);
    # FHIR R4 string: a phone number "" is not valid (a string has at least one character).
    # Neither is read, and neither hides the death the Patient records (docs/fhir-mapping.md
    # "One patient"): the rest of the Patient is read, and the element is listed.
    for element, value in (
        ("meta", {"lastUpdated": "IGNORED_FIELD"}),
        ("telecom", [{"system": "phone", "value": ""}]),
    ):
        broken = {**patient_resource("p"), element: value, "deceasedBoolean": True}
        mapping = _map(broken)
        assert mapping.warnings[0].startswith("DECEASED: the record says the patient has died")
        assert not any(w.startswith("PATIENT NOT READ") for w in mapping.warnings)
        assert any(
            i.startswith(f"Patient/p: {element} not valid FHIR R4 and not read")
            for i in mapping.issues
        ), mapping.issues


def test_an_invalid_birth_date_leaves_the_age_unknown_and_the_death_read() -> None:
    # 30 February is no date (FHIR R4 date): the age stays unknown, the death is read.
    broken = {**patient_resource("p"), "birthDate": "1960-02-30", "deceasedBoolean": True}
    mapping = _map(broken)
    assert mapping.warnings[0].startswith("DECEASED")
    assert "age_years" not in mapping.document.get("patient", {})
    assert any(i.startswith("Patient/p: birthDate not valid FHIR R4") for i in mapping.issues)


def test_results_nelm_does_not_read_still_name_the_patient() -> None:
    # The MITRE mCODE coverage example: no Patient resource, and every result names
    # Patient/jenny under a code no rule reads. The record is still hers: no "NO PATIENT".
    obs = observation_resource(
        "o",
        "http://loinc.org",
        "8480-6",
        subject="Patient/jenny",
        valueQuantity=quantity(120, "mm[Hg]"),
    )
    mapping = _map(obs)
    assert not any(w.startswith("NO PATIENT") for w in mapping.warnings)


def test_results_dated_after_the_assessment_date_are_named_on_top() -> None:
    # docs/fhir-mapping.md: a resource dated after the assessment date is not used. Chosen
    # too early, the date left bilirubin (LOINC 1975-2) and creatinine (2160-0) unknown
    # with no warning; the assessment now says how many and from when.
    later = [
        observation_resource(
            "b",
            "http://loinc.org",
            "1975-2",
            effective="2025-03-02",
            valueQuantity=quantity(1.0, "mg/dL"),
        ),
        observation_resource(
            "c",
            "http://loinc.org",
            "2160-0",
            effective="2025-02-20",
            valueQuantity=quantity(0.9, "mg/dL"),
        ),
    ]
    mapping = _map(patient_resource("p"), *later)
    assert "labs" not in mapping.document
    assert mapping.result_warnings == (
        "2 results of the record are dated after the assessment date (2025-01-15), the "
        "earliest 2025-02-20, and were not used: assess the record on a later date to use "
        "them.",
    )
    on_time = _map(patient_resource("p"), *later, on=dt.date(2025, 3, 2))
    assert on_time.result_warnings == ()


@pytest.mark.parametrize(
    ("birth", "shown"),
    [
        # FHIR R4 date: a birthDate may be a year ("1960") or a year and month ("1960-01");
        # on 2025-01-15 either gives 64–65, over 001 Table 2's "Age <55 years" (not met)
        ("1960", "Age 64–65 years (from a birth date of the year only, FHIR record Patient/p)"),
        (
            "1960-01",
            "Age 64–65 years (from a birth date of the year and month only, FHIR record Patient/p)",
        ),
    ],
)
def test_the_age_criterion_names_the_partial_birth_date(birth: str, shown: str) -> None:
    doc = assess_fhir(bundle_of(patient_resource("p", birth_date=birth)), assessment_date=DAY)
    criteria = doc["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    assert age["result"] == "not_met"
    assert age["value"] == shown
    assert "entered" not in age["value"]


def test_an_age_range_typed_in_a_case_reads_entered() -> None:
    # the same bounds typed into a case document were entered by a person: "(entered)",
    # as the inputs table and the board summary call such a value
    doc = assess_mapping(
        {
            "schema_version": 1,
            "case_id": "typed",
            "patient": {"age_years_at_least": 64, "age_years_at_most": 65},
        },
        with_evidence=False,
    )
    criteria = doc["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    assert age["value"] == "Age 64–65 years (entered)"
