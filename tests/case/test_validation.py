"""The case document: every problem named with its field path, what was expected and what came.

Expected messages follow case-v1: "a message that names the field path (for example
`pathology.ki67_percent: must be between 0 and 100, got 140`)".
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.case import case_from_mapping, parse_case_text
from nelm.case.document import load_document_text
from nelm.errors import InputRejected


def messages(doc: Any) -> list[str]:
    with pytest.raises(InputRejected) as info:
        case_from_mapping(doc)
    return [p.message for p in info.value.problems]


def text_messages(text: str) -> list[str]:
    with pytest.raises(InputRejected) as info:
        parse_case_text(text)
    return [p.message for p in info.value.problems]


def test_out_of_range_names_field_expected_and_got() -> None:
    assert messages({"case_id": "a", "pathology": {"ki67_percent": 140}}) == [
        "pathology.ki67_percent: must be a number between 0 and 100, got 140"
    ]


def test_every_problem_is_reported_at_once() -> None:
    got = messages(
        {
            "case_id": "a",
            "patient": {"age_years": -1, "ecog": 7},
            "liver": {"distribution": "everywhere"},
        }
    )
    assert got == [
        "patient.age_years: must be a number between 0 and 120, got -1",
        "patient.ecog: must be a whole number between 0 and 4, got 7",
        "liver.distribution: must be one of unilobar, bilobar_dominant, bilobar_diffuse, "
        'got "everywhere"',
    ]


def test_a_choice_spelled_otherwise_is_named_not_taken() -> None:
    # case-v1.md lists each choice as an identifier (`bilobar_diffuse`): a report's
    # "Bilobar diffuse" is rejected (nothing is guessed), naming the identifier it spells.
    assert messages(
        {
            "case_id": "a",
            "liver": {"distribution": "Bilobar diffuse"},
            "extrahepatic": {"present": True, "sites": ["bone", "Peritoneum"]},
        }
    ) == [
        "liver.distribution: must be one of unilobar, bilobar_dominant, bilobar_diffuse, "
        'got "Bilobar diffuse" (did you mean bilobar_diffuse?)',
        "extrahepatic.sites: must list only bone, lung, distant_nodes, peritoneum, other, "
        'got "Peritoneum" (did you mean peritoneum?)',
    ]


def test_a_number_written_as_text_is_refused_with_how_to_write_it() -> None:
    # case-v1.md: numbers are JSON numbers in the field's own unit. Bilirubin 17.1 µmol/L
    # = 1 mg/dL and 10⁹/L = 1,000 /µL (Young DS, Ann Intern Med 1987;106:114-129); nothing
    # is converted in the value's place, the message only says how to write it.
    assert messages(
        {
            "case_id": "a",
            "pathology": {"ki67_percent": "12%"},
            "liver": {"lesion_count": "4"},
            "labs": {"bilirubin_mg_dl": "17.1 umol/L", "platelets_per_ul": "210 x10^9/l"},
        }
    ) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "12%" '
        "(write the number alone, without its unit: 12)",
        'liver.lesion_count: must be a whole number ≥ 1, got "4" '
        "(write it as a number, not text: 4)",
        'labs.bilirubin_mg_dl: must be a number between 0 and 50, got "17.1 umol/L" '
        '(17.1 µmol/L is 1 mg/dL: write 1, or in a case document {"value": 17.1, '
        '"unit": "µmol/L"})',
        'labs.platelets_per_ul: must be a number between 0 and 2000000, got "210 x10^9/l" '
        '(210 10⁹/L is 210,000 /µL: write 210000, or in a case document {"value": 210, '
        '"unit": "10⁹/L"})',
    ]
    # Text that is no number, or a unit the field does not take, gets no hint.
    assert messages({"case_id": "a", "pathology": {"ki67_percent": "high"}}) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "high"'
    ]
    assert messages({"case_id": "a", "pathology": {"ki67_percent": "12 cm"}}) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "12 cm"'
    ]


def test_a_bound_written_as_text_is_refused_with_the_bound_field_to_use() -> None:
    # docs/case-v1-additions.md: a number a report gives as a bound goes in its
    # `_at_least` / `_at_most` field ("≤", "≥"), or in the strict `_more_than` /
    # `_less_than` ("<", ">") of a number that need not be whole; "multiple" lesions is
    # more than one.
    assert messages(
        {
            "case_id": "a",
            "pathology": {"ki67_percent": "<2%", "mitoses_per_2mm2": "≤ 2"},
            "liver": {"lesion_count": "multiple", "largest_lesion_cm": ">3 cm"},
        }
    ) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "<2%" '
        "(a bound: write pathology.ki67_percent_less_than: 2)",
        'pathology.mitoses_per_2mm2: must be a number ≥ 0, got "≤ 2" '
        "(a bound: write pathology.mitoses_per_2mm2_at_most: 2)",
        'liver.lesion_count: must be a whole number ≥ 1, got "multiple" '
        "(more than one lesion: write liver.lesion_count_at_least: 2)",
        'liver.largest_lesion_cm: must be a number greater than 0 and at most 40, got ">3 cm" '
        "(a bound: write liver.largest_lesion_cm_more_than: 3)",
    ]
    # A field without bounds, or another unit, gets no such hint.
    assert messages({"case_id": "a", "labs": {"albumin_g_dl": "<3"}}) == [
        'labs.albumin_g_dl: must be a number between 0.5 and 7, got "<3"'
    ]
    # The bilirubin has bounds: a laboratory's "< 1" (normal) goes in the strict one.
    assert messages({"case_id": "a", "labs": {"bilirubin_mg_dl": "<1"}}) == [
        'labs.bilirubin_mg_dl: must be a number between 0 and 50, got "<1" '
        "(a bound: write labs.bilirubin_mg_dl_less_than: 1)"
    ]


def test_a_strict_bound_on_a_count_is_written_as_the_whole_number_it_means() -> None:
    # docs/case-v1-additions.md: "more than 10 lesions" → lesion_count_at_least: 11 (a count
    # is whole); "fewer than 3" → at most 2.
    assert messages({"case_id": "a", "liver": {"lesion_count": ">10"}}) == [
        'liver.lesion_count: must be a whole number ≥ 1, got ">10" '
        "(a bound: write liver.lesion_count_at_least: 11)"
    ]
    assert messages({"case_id": "a", "liver": {"lesion_count": "< 3"}}) == [
        'liver.lesion_count: must be a whole number ≥ 1, got "< 3" '
        "(a bound: write liver.lesion_count_at_most: 2)"
    ]


def test_a_bound_in_another_unit_of_the_field_is_written_in_the_fields_unit() -> None:
    # A report's "more than 5 years" since resection and "> 30 mm": 12 months a year and
    # 10 mm a centimetre, the field's other entry units (docs/case-v1-additions.md).
    assert messages(
        {
            "case_id": "a",
            "primary": {"months_since_primary_resection": "more than 5 years"},
            "liver": {"largest_lesion_cm": "> 30 mm"},
        }
    ) == [
        "primary.months_since_primary_resection: must be a number ≥ 0, got "
        '"more than 5 years" (a bound: write primary.months_since_primary_resection_more_than: '
        "60)",
        'liver.largest_lesion_cm: must be a number greater than 0 and at most 40, got "> 30 mm" '
        "(a bound: write liver.largest_lesion_cm_more_than: 3)",
    ]
    # a unit the field does not take gets no such hint
    assert messages({"case_id": "a", "liver": {"largest_lesion_cm": "> 3 kg"}}) == [
        'liver.largest_lesion_cm: must be a number greater than 0 and at most 40, got "> 3 kg"'
    ]


def test_a_decimal_comma_reading_no_plausible_value_says_so() -> None:
    # Platelets are plausible from 5,000 to 1,500,000 /µL (docs/plausibility.md, the Merck
    # reference 150-400 × 10⁹/L): "0,9" read as 0.9 is no count to write as it stands;
    # a bilirubin of "2,5" is 2.5 mg/dL, plausible (0.1-30), and told plainly.
    assert messages({"case_id": "a", "labs": {"platelets_per_ul": "0,9"}}) == [
        'labs.platelets_per_ul: must be a number between 0 and 2000000, got "0,9" (write a '
        "decimal point: 0.9, though 0.9 is outside the plausible range 5,000–1,500,000 /µL: "
        "check the value)"
    ]
    assert messages({"case_id": "a", "labs": {"bilirubin_mg_dl": "2,5"}}) == [
        'labs.bilirubin_mg_dl: must be a number between 0 and 50, got "2,5" (write a decimal '
        "point: 2.5)"
    ]


def test_a_date_for_months_and_a_wrong_unit_object_are_named() -> None:
    # docs/case-v1-additions.md, The timeline: dates go in the timeline, which gives the
    # months; units as entered: bilirubin takes mg/dL or µmol/L.
    text = (
        "case_id: a\n"
        "primary: {months_since_primary_resection: 2019-05-10}\n"
        "labs: {bilirubin_mg_dl: {value: 20, unit: umol}}\n"
    )
    assert text_messages(text) == [
        "primary.months_since_primary_resection: must be a number ≥ 0, got a date value "
        "(a date: give it as timeline.primary_resection, with timeline.as_of, and the months "
        "follow)",
        'labs.bilirubin_mg_dl: must be a number in mg/dL, or {"value": number, "unit": one '
        'of mg/dL, µmol/L}, got the unit "umol" (did you mean µmol/L?)',
    ]


def test_a_choice_in_other_letters_and_every_bad_item_are_named() -> None:
    assert messages(
        {
            "case_id": "a",
            "pathology": {"reported_grade": "g2"},
            "course": {"prior_treatments": ["PRRT", "ssa", "sandostatin"]},
        }
    ) == [
        "pathology.reported_grade: must be one of G1, G2, G3, NEC, typical_carcinoid, "
        'atypical_carcinoid, got "g2" (did you mean G2?)',
        "course.prior_treatments: must list only liver_resection, staged_resection, "
        "simultaneous_resection, cytoreductive_surgery, primary_tumor_resection, "
        "liver_transplant_milan, liver_transplant_enets, liver_transplant_unos, "
        "thermal_ablation, tae, tace, deb_tace, tare, prrt, ssa, everolimus, sunitinib, "
        "surufatinib, cabozantinib, capecitabine_temozolomide, streptozocin_5fu, "
        "platinum_etoposide, interferon_alpha, other_systemic_therapy, "
        "other_liver_directed, got "
        '"PRRT" (did you mean prrt?), "sandostatin" '
        "(did you mean ssa?)",
    ]


def test_a_range_written_as_text_is_refused_with_both_bounds_to_use() -> None:
    # The real cases state "4–5" lesions and Ki-67 ranges (real-cases/README.md); a range
    # goes in the two bound fields, each including its number (docs/case-v1-additions.md).
    assert messages(
        {
            "case_id": "a",
            "pathology": {"ki67_percent": "5 – 10 %"},
            "liver": {"lesion_count": "4-5", "largest_lesion_cm": "2 to 3 cm"},
        }
    ) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "5 – 10 %" '
        "(a range: write pathology.ki67_percent_at_least: 5 and "
        "pathology.ki67_percent_at_most: 10)",
        'liver.lesion_count: must be a whole number ≥ 1, got "4-5" '
        "(a range: write liver.lesion_count_at_least: 4 and liver.lesion_count_at_most: 5)",
        'liver.largest_lesion_cm: must be a number greater than 0 and at most 40, got "2 to 3 '
        'cm" (a range: write liver.largest_lesion_cm_at_least: 2 and '
        "liver.largest_lesion_cm_at_most: 3)",
    ]
    # Backwards: no hint. For a field without bounds, one value is asked and none is
    # picked for the user.
    assert messages(
        {"case_id": "a", "liver": {"lesion_count": "5-4"}, "labs": {"albumin_g_dl": "3-4"}}
    ) == [
        'liver.lesion_count: must be a whole number ≥ 1, got "5-4"',
        'labs.albumin_g_dl: must be a number between 0.5 and 7, got "3-4" (a range: one '
        "value is asked; write the one the record settles on, or leave it out)",
    ]


def test_a_choice_in_a_reports_words_names_the_choice_and_is_never_taken() -> None:
    # src/nelm/case/data/synonyms.yaml: the ileum is small intestine (WHO 2019 digestive
    # tumours); octreotide is a somatostatin analogue and Lutathera is 177Lu-DOTATATE (the
    # knowledge base's option names).
    assert messages(
        {
            "case_id": "a",
            "primary": {"site": "Small bowel", "functional_syndrome": "non-functional"},
            "pathology": {"reported_grade": "Grade 2"},
            "course": {"prior_treatments": ["octreotide", "Lutathera", "tace"]},
        }
    ) == [
        "primary.site: must be one of pancreas, duodenum, stomach, small_intestine, appendix, "
        'colon, rectum, lung, unknown_primary, other, thymus, midgut, got "Small bowel" '
        "(did you mean small_intestine?)",
        "primary.functional_syndrome: must be one of none, carcinoid, insulinoma, gastrinoma, "
        'glucagonoma, vipoma, somatostatinoma, other, got "non-functional" '
        "(did you mean none?)",
        "pathology.reported_grade: must be one of G1, G2, G3, NEC, typical_carcinoid, "
        'atypical_carcinoid, got "Grade 2" (did you mean G2?)',
        "course.prior_treatments: must list only liver_resection, staged_resection, "
        "simultaneous_resection, cytoreductive_surgery, primary_tumor_resection, "
        "liver_transplant_milan, liver_transplant_enets, liver_transplant_unos, "
        "thermal_ablation, tae, tace, deb_tace, tare, prrt, ssa, everolimus, sunitinib, "
        "surufatinib, cabozantinib, capecitabine_temozolomide, streptozocin_5fu, "
        "platinum_etoposide, interferon_alpha, other_systemic_therapy, "
        "other_liver_directed, got "
        '"octreotide" (did you mean ssa?), '
        '"Lutathera" (did you mean prrt?)',
    ]
    # A word that names no single choice gets no guess, but what would settle it
    # (data/unsettled_words.yaml): "lymph nodes" are regional (primary.node_positive) or
    # distant (case-v1: extrahepatic.sites distant_nodes, primary.node_positive).
    assert messages({"case_id": "a", "extrahepatic": {"sites": ["lymph nodes"]}}) == [
        "extrahepatic.sites: must list only bone, lung, distant_nodes, peritoneum, other, "
        'got "lymph nodes" (regional nodes go in primary.node_positive: true; nodes beyond '
        "the regional ones are distant_nodes)"
    ]
    assert messages({"case_id": "a", "extrahepatic": {"sites": ["tibia"]}}) == [
        "extrahepatic.sites: must list only bone, lung, distant_nodes, peritoneum, other, "
        'got "tibia"'
    ]


def test_report_words_naming_more_than_one_choice_say_what_would_settle_them() -> None:
    # data/unsettled_words.yaml, from case-v1's definitions: "bilobar" is either bilobar
    # choice (liver.distribution); a response counts as stable disease (course.months_stable:
    # "duration of stable disease / response"; RECIST 1.1 PR); a recurrence is not a course
    # status (course.recurrence_after_liver_resection); WHO 2019 has no "moderately
    # differentiated" NEN (NET well, NEC poorly), which 003 Table 1 pairs with G2.
    problems = messages(
        {
            "case_id": "a",
            "liver": {"distribution": "both lobes"},
            "course": {"status": "PR"},
            "pathology": {"differentiation": "moderately differentiated"},
            "primary": {"site": "ovary"},
        }
    )
    assert [p.split(", got ")[1] for p in problems] == [
        '"ovary" (a site case-v1 does not list: write other)',
        '"moderately differentiated" (an older term (003 Table 1 pairs it with G2); WHO 2019 has '
        "well differentiated (a NET, G1 to G3) and poorly (an NEC) only: write the one the "
        "pathologist's diagnosis names)",
        '"both lobes" (both lobes: bilobar_dominant (a dominant lesion in one lobe, smaller '
        "deposits in the other) or bilobar_diffuse (disseminated in both lobes))",
        '"PR" (a response: write stable (case-v1 counts a response as stable disease, and '
        "course.months_stable its duration))",
    ]
    assert messages({"case_id": "a", "course": {"status": "relapse"}}) == [
        "course.status: must be one of stable, progressing, rapidly_progressing, "
        'new_diagnosis, got "relapse" (a recurrence: write the course as stable or '
        "progressing; a liver recurrence after an earlier hepatectomy is "
        "course.recurrence_after_liver_resection: true)"
    ]
    # Untreated is not new: a tumour watched for years is untreated too, and a new
    # diagnosis reads as untreated (docs/case-v1-additions.md), never the other way.
    (untreated,) = messages({"case_id": "a", "course": {"status": "treatment-naive"}})
    assert "new_diagnosis when the disease was just diagnosed" in untreated
    assert "course.prior_systemic_lines: 0" in untreated
    # RECIST 1.1 (Eisenhauer 2009): a new lesion is progression.
    (mixed,) = messages({"case_id": "a", "course": {"status": "mixed response"}})
    assert "a new lesion is progression" in mixed
    (novo,) = messages({"case_id": "a", "course": {"status": "de novo"}})
    assert novo.endswith("(did you mean new_diagnosis?)")


def test_a_treatment_named_by_its_procedure_says_which_options_it_could_be() -> None:
    # assessment-v1 option ids: primary_tumor_resection is "resection of the primary with
    # unresectable liver disease", simultaneous_resection "synchronous resection of primary
    # and liver metastases", so a Whipple names either; case-v1 anatomy.prior_whipple is
    # "prior pancreaticoduodenectomy". "chemo" names three regimens; doxorubicin none.
    problems = messages(
        {"case_id": "a", "course": {"prior_treatments": ["ssa", "Whipple", "chemo", "doxorubicin"]}}
    )
    assert [p.split(", got ")[1] for p in problems] == [
        '"Whipple" (an operation on the primary: primary_tumor_resection, or '
        "simultaneous_resection if liver metastases were removed in the same operation; a "
        'pancreatoduodenectomy is also anatomy.prior_whipple: true), "chemo" (which regimen: '
        "capecitabine_temozolomide, streptozocin_5fu or platinum_etoposide; a regimen with no "
        'option id is other_systemic_therapy), "doxorubicin" (no option id for this drug or '
        "regimen: list it as other_systemic_therapy and count it in "
        "course.prior_systemic_lines)"
    ]
    # the timeline's treatments are option ids too, answered the same way
    timeline = {
        "as_of": "2021-01-01",
        "treatments": [{"treatment": "right hemicolectomy", "start": "2020-01-01"}],
    }
    assert messages({"case_id": "a", "timeline": timeline}) == [
        "timeline.treatments[0].treatment: must be an option id such as ssa or prrt, "
        "other_systemic_therapy or other_liver_directed, got "
        '"right hemicolectomy" (an operation on the primary: primary_tumor_resection, or '
        "simultaneous_resection if liver metastases were removed in the same operation)"
    ]


def test_every_unsettled_word_belongs_to_a_choice_field_and_is_no_synonym() -> None:
    from nelm.case.synonyms import synonyms, unsettled_words

    table = unsettled_words()
    assert table
    for path, words in table.items():
        assert not set(words) & set(synonyms().get(path, {})), path


def test_more_report_words_name_their_choice() -> None:
    # synonyms.yaml: F/M for sex; pT2 is the pathological T2 (UICC TNM); "R0 resection";
    # Zollinger-Ellison syndrome is the gastrinoma's, WDHA the VIPoma's (WHO 2019); the
    # terminal ileum and a Meckel's diverticulum are small intestine; the pancreatic head
    # is pancreas.
    cases = [
        ("patient", "sex", "F", "female"),
        ("primary", "t_category", "pT2", "T2"),
        ("primary", "resection_margin", "R0 resection", "R0"),
        ("primary", "functional_syndrome", "Zollinger-Ellison syndrome", "gastrinoma"),
        ("primary", "functional_syndrome", "WDHA", "vipoma"),
        ("primary", "site", "terminal ileum", "small_intestine"),
        ("primary", "site", "Meckel's diverticulum", "small_intestine"),
        ("primary", "site", "pancreatic head", "pancreas"),
        ("pathology", "differentiation", "WD", "well"),
    ]
    for section, name, word, choice in cases:
        (problem,) = messages({"case_id": "a", section: {name: word}})
        assert problem.endswith(f'got "{word}" (did you mean {choice}?)'), problem


def test_numbers_in_report_words_are_named_and_never_read() -> None:
    # A score with its name, a lesion in two dimensions (the size is the largest: case-v1
    # liver.largest_lesion_cm), a bound in words, an age with "y", a count with "+".
    cases = [
        ("imaging", "krenning_score", "grade 3", "write the number alone: 3"),
        ("patient", "ecog", "ECOG 1", "write the number alone: 1"),
        ("imaging", "krenning_score", "3+", "write the number alone: 3"),
        ("liver", "lesion_count", "3+", "a bound: write liver.lesion_count_at_least: 3"),
        ("liver", "lesion_count", "more than 10", "a bound: write liver.lesion_count_at_least: 11"),
        (
            "liver",
            "largest_lesion_cm",
            "3.5 x 2.8 cm",
            "the largest dimension: write the number alone, without its unit: 3.5",
        ),
        (
            "liver",
            "largest_lesion_cm",
            "35x28 mm",
            "the largest dimension: 35 mm is 3.5 cm: "
            'write 3.5, or in a case document {"value": 35, "unit": "mm"}',
        ),
        (
            "liver",
            "largest_lesion_cm",
            "up to 4 cm",
            # docs/case-v1-additions.md: "up to 3 cm" → largest_lesion_cm_at_most: 3
            "a bound: write liver.largest_lesion_cm_at_most: 4",
        ),
        (
            "pathology",
            "ki67_percent",
            "less than 2%",
            "a bound: write pathology.ki67_percent_less_than: 2",
        ),
        ("patient", "age_years", "62 yrs", "write the number alone, without its unit: 62"),
        ("imaging", "sstr_positive", "positive", "write true"),
        ("extrahepatic", "present", "absent", "write false"),
        ("course", "prior_treatments", "octreotide", 'a list, even of one: write ["ssa"]'),
        # an estimate is entered as its number (a report's burden is an estimate: 002 §3.3
        # gives "< 50%" limits on such figures)
        (
            "liver",
            "tumor_burden_percent",
            "~30%",
            "an estimate: write the number alone, without its unit: 30",
        ),
        # a range for a field that takes one value (ECOG, Oken 1982: one grade) is not
        # narrowed by nelm
        (
            "patient",
            "ecog",
            "0-1",
            "a range: one value is asked; write the one the record settles on, or leave it out",
        ),
        # a Krenning score where SSTR imaging asks yes or no: the score has its own field
        # (Krenning 1994: 2 or more is uptake at least that of normal liver)
        (
            "imaging",
            "sstr_positive",
            "Krenning 3",
            "a Krenning score: write imaging.krenning_score: 3 and leave this field unknown (a "
            "score of 2 or more reads as positive, 0 as negative)",
        ),
        # "both lobes, diffuse" is case-v1's bilobar_diffuse ("disseminated in both lobes")
        ("liver", "distribution", "both lobes, diffuse", "did you mean bilobar_diffuse?"),
    ]
    for section, name, raw, hint in cases:
        (problem,) = messages({"case_id": "a", section: {name: raw}})
        assert problem.endswith(f'got "{raw}" ({hint})'), problem
    # 250 as text for platelets: written as a number it would be 250 /µL, so the slip is named
    (problem,) = messages({"case_id": "a", "labs": {"platelets_per_ul": "250"}})
    assert problem.endswith(
        'got "250" (write it as a number, not text: 250; did you mean 250 × 10⁹/L = 250,000 /µL?)'
    )


def test_every_report_word_names_a_choice_of_its_field() -> None:
    from nelm.case.fields import FIELD_BY_PATH
    from nelm.case.synonyms import synonyms

    table = synonyms()
    assert table
    for path, words in table.items():
        assert set(words.values()) <= set(FIELD_BY_PATH[path].choices), path


def test_unknown_field_is_rejected_with_a_suggestion() -> None:
    assert messages({"case_id": "a", "pathology": {"ki67_percnt": 5}}) == [
        "pathology.ki67_percnt: must be a known field of case-v1 (did you mean ki67_percent?), "
        "got an unknown field"
    ]
    assert messages({"case_id": "a", "pathology": {"colour": 5}}) == [
        "pathology.colour: must be one of the fields ki67_percent, ki67_percent_at_least, "
        "ki67_percent_at_most, ki67_percent_more_than, ki67_percent_less_than, "
        "mitoses_per_2mm2, mitoses_per_2mm2_at_least, mitoses_per_2mm2_at_most, "
        "mitoses_per_2mm2_more_than, mitoses_per_2mm2_less_than, differentiation, "
        "nec_subtype, ki67_source, reported_grade, sstr_ihc_positive, got an unknown field"
    ]


def test_a_key_in_report_words_is_answered_with_the_field_it_names() -> None:
    # data/key_words.yaml, from case-v1's field definitions: Ki-67 is the Ki-67 index
    # (pathology.ki67_percent), a mitotic count is mitoses_per_2mm2, "grade" the grade the
    # pathology report states, platelets labs.platelets_per_ul, the number of liver lesions
    # liver.lesion_count, a size in the liver section the largest lesion's; a field written
    # in another section, or at the top level, is pointed to its own section.
    problems = messages(
        {
            "case_id": "a",
            "age": 61,
            "primary": {"grade": "G2", "location": "ileum", "size": 2},
            "pathology": {"Ki-67": 12, "mitotic count": 3},
            "liver": {"number of lesions": 4, "size": 3},
            "labs": {"PLT": 200000, "ecog": 1},
        }
    )
    assert [p.split(": must be a known field of case-v1 (did you mean ")[1] for p in problems] == [
        "patient.age_years?), got an unknown field",
        "pathology.reported_grade?), got an unknown field",
        "site?), got an unknown field",
        "size_cm?), got an unknown field",
        "ki67_percent?), got an unknown field",
        "mitoses_per_2mm2?), got an unknown field",
        "lesion_count?), got an unknown field",
        "largest_lesion_cm?), got an unknown field",
        "platelets_per_ul?), got an unknown field",
        "patient.ecog?), got an unknown field",
    ]


def test_every_key_word_names_one_field() -> None:
    from nelm.case.fields import FIELD_BY_PATH
    from nelm.case.synonyms import key_words

    tables = key_words()
    assert tables["any"]["ki67"] == "pathology.ki67_percent"
    for words in tables.values():
        assert set(words.values()) <= set(FIELD_BY_PATH)


def test_a_course_and_a_surgeons_verdict_in_report_words_are_named() -> None:
    # RECIST 1.1 (Eisenhauer 2009): PD is progressive disease; "not resectable" is the
    # surgeons' unresectable (docs/case-v1-additions.md, The board's judgements).
    assert messages(
        {
            "case_id": "a",
            "liver": {"surgical_assessment": "not resectable"},
            "course": {"status": "PD"},
        }
    ) == [
        "liver.surgical_assessment: must be one of resectable, resectable_after_conversion, "
        'unresectable, got "not resectable" (did you mean unresectable?)',
        "course.status: must be one of stable, progressing, rapidly_progressing, "
        'new_diagnosis, got "PD" (did you mean progressing?)',
    ]


def test_words_for_not_known_are_answered_with_how_to_write_unknown() -> None:
    # case-v1.md: a field absent or null is unknown. "unknown" as a site could mean the
    # data are missing or a carcinoma of unknown primary: both are named, neither taken.
    assert messages(
        {
            "case_id": "a",
            "primary": {"site": "unknown", "resected": "n/a"},
            "pathology": {"ki67_percent": ""},
            "imaging": {"sstr_positive": "yes"},
        }
    ) == [
        "primary.site: must be one of pancreas, duodenum, stomach, small_intestine, appendix, "
        'colon, rectum, lung, unknown_primary, other, thymus, midgut, got "unknown" (not '
        "known: leave it out, as null or an empty cell; if it means the choice "
        "unknown_primary, write unknown_primary)",
        'primary.resected: must be true or false, got "n/a" (not known: leave it out, as '
        "null or an empty cell)",
        'pathology.ki67_percent: must be a number between 0 and 100, got "" (not known: '
        "leave it out, as null or an empty cell)",
        'imaging.sstr_positive: must be true or false, got "yes" (write true)',
    ]


def test_a_field_named_in_another_unit_is_pointed_to_its_field() -> None:
    # case-v1.md: labs are in mg/dL, sizes in cm, intervals in months; a number entered in
    # another unit goes in its field as {"value", "unit"} (docs/case-v1-additions.md, Units
    # as entered). Bilirubin 17.1 µmol/L = 1 mg/dL, so 34.2 µmol/L = 2 mg/dL (Young DS, Ann
    # Intern Med 1987;106:114-129); 25 mm = 2.5 cm; 5 years = 60 months.
    assert messages(
        {
            "case_id": "a",
            "labs": {"bilirubin_umol_l": 34.2, "creatinine_umol_l": "90", "ast_ukat": 1},
            "liver": {"largest_lesion_mm": 25},
            "primary": {"years_since_primary_resection": 5},
        }
    ) == [
        "primary.years_since_primary_resection: must be a known field of case-v1; a value in "
        'years goes in months_since_primary_resection as {"value": 5, "unit": "years"} '
        "(= 60 months), got an unknown field",
        "liver.largest_lesion_mm: must be a known field of case-v1; a value in mm goes in "
        'largest_lesion_cm as {"value": 25, "unit": "mm"} (= 2.5 cm), got an unknown field',
        "labs.bilirubin_umol_l: must be a known field of case-v1; a value in µmol/L goes in "
        'bilirubin_mg_dl as {"value": 34.2, "unit": "µmol/L"} (= 2 mg/dL), got an unknown '
        "field",
        "labs.creatinine_umol_l: must be a known field of case-v1; a value in µmol/L goes in "
        'creatinine_mg_dl as {"value": …, "unit": "µmol/L"}, got an unknown field',
        # 1 µkat/L = 60 U/L (units.py: 1 U = 1 µmol/min = 16.67 nkat)
        "labs.ast_ukat: must be a known field of case-v1; a value in µkat/L goes in ast_u_l "
        'as {"value": 1, "unit": "µkat/L"} (= 60 U/L), got an unknown field',
    ]


def test_a_number_written_with_a_comma_is_named_not_read() -> None:
    # case-v1.md: numbers are JSON numbers. A decimal comma ("2,5", as written in much of
    # Europe) and a thousands separator ("250,000") are refused, with the number to write.
    assert messages(
        {
            "case_id": "a",
            "pathology": {"ki67_percent": "2,5 %"},
            "labs": {"bilirubin_mg_dl": "0,9", "platelets_per_ul": "250,000"},
        }
    ) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "2,5 %" '
        "(write the number alone, without its unit: 2.5)",
        'labs.bilirubin_mg_dl: must be a number between 0 and 50, got "0,9" '
        "(write a decimal point: 0.9)",
        'labs.platelets_per_ul: must be a number between 0 and 2000000, got "250,000" '
        "(write it without the thousands separator: 250000)",
    ]


def test_a_comma_before_three_digits_is_named_as_the_reading_that_fits() -> None:
    # "1,500" is 1500 with a thousands separator or 1.5 with a decimal comma. Ki-67 is a
    # percentage (case-v1: 0–100) and bilirubin at most 50 mg/dL (case-v1), so only the
    # decimal reading fits them; a platelet count of 240 /µL is outside the plausible
    # range (docs/plausibility.md), so only the thousands reading fits it.
    assert messages(
        {
            "case_id": "a",
            "pathology": {"ki67_percent": "2,000"},
            "labs": {"bilirubin_mg_dl": "1,500", "platelets_per_ul": "240,000"},
        }
    ) == [
        'pathology.ki67_percent: must be a number between 0 and 100, got "2,000" '
        "(a decimal comma: write 2)",
        'labs.bilirubin_mg_dl: must be a number between 0 and 50, got "1,500" '
        "(a decimal comma: write 1.5)",
        'labs.platelets_per_ul: must be a number between 0 and 2000000, got "240,000" '
        "(write it without the thousands separator: 240000)",
    ]


def test_unknown_section_is_rejected() -> None:
    assert messages({"case_id": "a", "pateint": {}}) == [
        "pateint: must be a known field of case-v1 (did you mean patient?), got an unknown field"
    ]


def test_boolean_is_not_a_number() -> None:
    assert messages({"case_id": "a", "labs": {"bilirubin_mg_dl": True}}) == [
        "labs.bilirubin_mg_dl: must be a number between 0 and 50, got true"
    ]


def test_number_is_not_a_boolean() -> None:
    assert messages({"case_id": "a", "anatomy": {"prior_whipple": 1}}) == [
        "anatomy.prior_whipple: must be true or false, got 1"
    ]


def test_exclusive_minimum() -> None:
    assert messages({"case_id": "a", "liver": {"largest_lesion_cm": 0}}) == [
        "liver.largest_lesion_cm: must be a number greater than 0 and at most 40, got 0"
    ]


def test_integer_fields_refuse_fractions_but_accept_whole_floats() -> None:
    assert messages({"case_id": "a", "patient": {"ecog": 1.5}}) == [
        "patient.ecog: must be a whole number between 0 and 4, got 1.5"
    ]
    assert case_from_mapping({"case_id": "a", "patient": {"ecog": 1.0}}).get("patient.ecog") == 1


FINITE = "a finite number (JSON has no NaN or Infinity; leave an unknown value out or null)"


def test_nan_and_infinity_are_rejected_naming_the_field_that_holds_them() -> None:
    # issue 13, point 4: in a 60-field case the message must say where, not just "document"
    assert text_messages('{"case_id": "a", "pathology": {"ki67_percent": NaN}}') == [
        f"pathology.ki67_percent: {FINITE}, got NaN"
    ]
    assert text_messages(
        '{"case_id": "a", "labs": {"bilirubin_mg_dl": 1, '
        '"platelets_per_ul": -Infinity}, "liver": {"largest_lesion_cm": '
        "Infinity}}"
    ) == [
        f"labs.platelets_per_ul: {FINITE}, got -Infinity",
        f"liver.largest_lesion_cm: {FINITE}, got Infinity",
    ]
    yaml_doc = "case_id: a\npathology:\n  ki67_percent: .inf\n"
    assert text_messages(yaml_doc) == [f"pathology.ki67_percent: {FINITE}, got Infinity"]
    bundle = (
        '{"resourceType": "Bundle", "entry": [{}, {"resource": {"valueQuantity": {"value": NaN}}}]}'
    )
    assert text_messages(bundle) == [f"entry[1].resource.valueQuantity.value: {FINITE}, got NaN"]


def test_control_characters_and_lone_surrogates_are_refused_naming_the_field() -> None:
    rule = (
        "text without control characters (tab and line breaks are allowed) or unpaired "
        "UTF-16 surrogates"
    )
    assert text_messages('{"case_id": "a\\u0000b", "label": "x\\ud800y"}') == [
        f"case_id: {rule}, got the text has U+0000 (NUL) at character 2",
        f"label: {rule}, got the text has U+D800 (an unpaired surrogate) at character 2",
    ]
    assert text_messages('{"case_id": "a", "pathology": {"\\u001bki67": 1}}') == [
        f"pathology.\\u001bki67: {rule}, got the key has U+001B (a control character) at "
        "character 1"
    ]
    # a surrogate pair is one character (an emoji), and tabs and line breaks are text
    assert (
        case_from_mapping(
            load_document_text('{"case_id": "a", "label": "\\ud83d\\ude00 line\\n\\tnext"}')
        ).case_id
        == "a"
    )


def test_empty_and_non_object_documents() -> None:
    assert text_messages("   \n") == ["document: a JSON or YAML object in input, got an empty file"]
    assert text_messages("[1, 2]") == [
        "document: a JSON or YAML object (a case document); for a list of cases use nelm "
        "batch, got a list"
    ]
    assert text_messages("42") == ["document: a JSON or YAML object (a case document), got 42"]


def test_a_case_wrapped_in_another_document_is_named_where_it_sits() -> None:
    # The layout of ../shared/real-cases (a report's citation, then the case): one problem
    # naming the key, not one "unknown field" per wrapper key and a missing case_id.
    wrapped = {
        "citation": {"doi": "10.0/x"},
        "case_as_encoded_in_case_v1": {"case_id": "cr", "patient": {"age_years": 62}},
        "decision": {"chosen": [["tace"]]},
    }
    assert messages(wrapped) == [
        "document: a case document at the top level; this document holds one under "
        '"case_as_encoded_in_case_v1": pass that object alone, got a document whose '
        "fields are not case-v1's"
    ]
    # a document with a case-v1 field of its own is read as a case, its extra keys named
    assert messages({"case_id": "a", "wrapper": {"case_id": "b"}})[0].startswith(
        "wrapper: must be one of the fields"
    )


def test_case_id_required_and_bounded() -> None:
    assert messages({"pathology": {}}) == [
        "case_id: is required: text of 1 to 128 characters, got nothing"
    ]
    # values are shown up to 60 characters
    assert messages({"case_id": "x" * 129}) == [
        'case_id: must be text of 1 to 128 characters, got "' + "x" * 58 + "…"
    ]


def test_duplicate_keys_are_rejected() -> None:
    got = text_messages('{"case_id": "a", "case_id": "b"}')
    assert got == [
        "document: valid JSON in input, got the key 'case_id' appears twice in one object"
    ]


def test_a_trailing_comma_is_named() -> None:
    # RFC 8259 §2: an array's or object's values are separated by commas; none may end it.
    got = text_messages('{"case_id": "a",\n "patient": {"sex": "male",}\n}')
    assert got == [
        "document: valid JSON in input, got Expecting property name enclosed in double "
        "quotes (line 2, column 28): a comma before a closing bracket or brace, which JSON "
        "does not allow"
    ]


def test_a_file_cut_short_is_named() -> None:
    got = text_messages('{"case_id": "a", "patient": {"sex": "male"')
    assert got == [
        "document: valid JSON in input, got Expecting ',' delimiter (line 1, column 43): "
        "the text ends before the JSON does (is the file complete?)"
    ]


def test_a_yaml_key_that_is_a_list_is_refused_as_such() -> None:
    # YAML's complex keys ("? [a, b]", https://yaml.org/spec/1.2.2/#example-mapping-between-sequences)
    # name no field of case-v1: the document is refused (exit 2), not an internal error
    got = text_messages("case_id: a\n? [a, b]\n: 1\n")
    assert got == [
        "document: valid JSON or YAML in input, got a mapping key that is a list or a "
        "mapping (line 2, column 3)"
    ]


def test_a_range_written_as_an_object_names_the_range_fields() -> None:
    # docs/case-v1-additions.md "Ranges and bounds": "4–5 lesions" is lesion_count_at_least
    # and lesion_count_at_most. A count has no unit: the message offered
    # '{"value": number, "unit": one of }' with no unit to choose.
    assert messages({"case_id": "a", "liver": {"lesion_count": {"at_least": 4, "at_most": 5}}}) == [
        "liver.lesion_count: must be a whole number ≥ 1, got an object with the keys at_least, "
        "at_most (a range is written as lesion_count_at_least and lesion_count_at_most)"
    ]
    # a number with units keeps its units in the message
    assert messages({"case_id": "a", "liver": {"largest_lesion_cm": {"min": 3, "max": 4}}}) == [
        'liver.largest_lesion_cm: must be a number in cm, or {"value": number, "unit": one of '
        "cm, mm}, got an object with the keys max, min (a range is written as "
        "largest_lesion_cm_at_least and largest_lesion_cm_at_most; a strict bound as "
        "largest_lesion_cm_more_than or _less_than)"
    ]
    # ECOG has no unit and no range fields
    assert messages({"case_id": "a", "patient": {"ecog": {"value": 1}}}) == [
        "patient.ecog: must be a whole number between 0 and 4, got an object with the keys value"
    ]


def test_list_fields() -> None:
    # a brain metastasis is a site case-v1 does not list: other (data/unsettled_words.yaml)
    assert messages({"case_id": "a", "extrahepatic": {"present": True, "sites": ["brain"]}}) == [
        "extrahepatic.sites: must list only bone, lung, distant_nodes, peritoneum, other, "
        'got "brain" (a site case-v1 does not list: write other)'
    ]
    assert messages({"case_id": "a", "course": {"prior_treatments": ["tace", "magic"]}})[
        0
    ].startswith("course.prior_treatments: must list only liver_resection, ")


def test_nec_subtype_only_with_poor_differentiation() -> None:
    assert messages(
        {"case_id": "a", "pathology": {"differentiation": "well", "nec_subtype": "small_cell"}}
    ) == [
        "pathology.nec_subtype: may be given only with poorly differentiated histology "
        '(case-v1), got "small_cell" with differentiation "well"'
    ]


def test_null_means_unknown() -> None:
    case = case_from_mapping({"case_id": "a", "patient": {"age_years": None}, "labs": None})
    assert case.get("patient.age_years") is None
    assert "patient.age_years" not in case.values


def test_schema_version_must_be_one() -> None:
    assert messages({"case_id": "a", "schema_version": 2}) == [
        "schema_version: must be 1 (case-v1), got 2"
    ]


def test_yaml_input() -> None:
    case = parse_case_text("case_id: y\npathology:\n  ki67_percent: 4\n")
    assert case.get("pathology.ki67_percent") == 4


def test_one_lesion_cannot_be_bilobar() -> None:
    # case-v1: "with a single lesion always type I"; a bilobar distribution needs two lesions.
    assert messages(
        {"case_id": "a", "liver": {"lesion_count": 1, "distribution": "bilobar_diffuse"}}
    ) == [
        "liver.distribution: must be unilobar (or absent) when liver.lesion_count is 1: a "
        'single lesion is type I (case-v1), got "bilobar_diffuse"'
    ]


def test_at_most_one_lesion_cannot_be_bilobar_either() -> None:
    # case-v1: "with a single lesion always type I"; "at most one" lesion is one lesion
    # (a case with liver metastases has at least one).
    assert messages(
        {"case_id": "a", "liver": {"lesion_count_at_most": 1, "distribution": "bilobar_dominant"}}
    ) == [
        "liver.distribution: must be unilobar (or absent) when liver.lesion_count_at_most is "
        '1: a single lesion is type I (case-v1), got "bilobar_dominant"'
    ]


def test_absurd_nesting_is_rejected_not_crashed() -> None:
    assert text_messages("[" * 100000 + "]" * 100000) == [
        "document: a case document in input, got structures nested too deeply to read"
    ]
    assert text_messages("a: " + "[" * 100000 + "]" * 100000) == [
        "document: a case document in input, got structures nested too deeply to read"
    ]


@pytest.mark.parametrize(
    "text",
    [
        '{"a": NaN}',
        '{"a": -Infinity}',
        '{"a": 1e999}',  # overflows to infinity
        '{"a": 1' + "0" * 400 + ".0}",  # so does a long enough number
        '{"a": "x\\u0000"}',  # an escape that spells a control character
        '{"a\\u0007": 1}',
        '{"a": "\\ud800"}',  # an unpaired surrogate
        "a: .inf",  # YAML
    ],
)
def test_the_fast_check_of_large_documents_lets_nothing_through(text: str) -> None:
    # load_document_text first scans the raw JSON text (nelm.case.document_text._plainly_clean)
    # and walks the values only when that scan cannot vouch for them: every such value is
    # still refused, named by its path.
    with pytest.raises(InputRejected) as rejected:
        load_document_text(text)
    assert rejected.value.problems[0].path.startswith("a")  # the key itself, when at fault


def test_escaped_letters_are_not_refused() -> None:
    assert load_document_text('{"name": "Ren\\u00e9e", "n": 1.5e10}') == {
        "name": "Renée",
        "n": 1.5e10,
    }


def test_a_date_where_a_number_is_asked_is_named_as_a_date() -> None:
    # A spreadsheet shows a cell it took for a date as one ("3-5" typed: 5-Mar); the date
    # is no value of the field and what was typed is not guessed. A months field says what
    # to give instead (case-v1: primary.months_since_primary_resection, in months).
    assert messages(
        {
            "case_id": "a",
            "primary": {"months_since_primary_resection": "2023-03-04"},
            "pathology": {"ki67_percent": "2-May"},
            "liver": {"lesion_count": "05-Mar"},
        }
    ) == [
        'primary.months_since_primary_resection: must be a number ≥ 0, got "2023-03-04" '
        "(a date: give the number of months since it, or in a case document the date in "
        "its timeline)",
        'pathology.ki67_percent: must be a number between 0 and 100, got "2-May" (a date, '
        "as a spreadsheet shows a range such as 3-5 typed into a cell; what was typed "
        "cannot be read back: enter the value again in a column formatted as text)",
        'liver.lesion_count: must be a whole number ≥ 1, got "05-Mar" (a date, as a '
        "spreadsheet shows a range such as 3-5 typed into a cell; what was typed cannot "
        "be read back: enter the value again in a column formatted as text)",
    ]
    # a range and a number with a unit are no dates
    assert "a date" not in " ".join(
        messages({"case_id": "a", "liver": {"lesion_count": "3-5", "largest_lesion_cm": "3 mm"}})
    )


def test_resectability_in_words_is_named() -> None:
    # case-v1: extrahepatic.resectable is "Extrahepatic disease resectable", yes or no, so
    # "unresectable" is its false; resectability is not liver.distribution (unilobar,
    # bilobar_dominant, bilobar_diffuse) but the surgeons' verdict, liver.surgical_assessment
    # (docs/case-v1-additions.md). Named, never read in the value's place.
    assert messages(
        {
            "case_id": "a",
            "liver": {"distribution": "unresectable"},
            "extrahepatic": {"present": True, "resectable": "Unresectable"},
        }
    ) == [
        "liver.distribution: must be one of unilobar, bilobar_dominant, bilobar_diffuse, got "
        '"unresectable" (resectability is not the distribution: the surgeons\' verdict goes '
        "in liver.surgical_assessment: resectable, resectable_after_conversion or "
        "unresectable)",
        'extrahepatic.resectable: must be true or false, got "Unresectable" (write false)',
    ]


def test_a_whole_numbers_strict_bound_names_the_inclusive_bound_it_means() -> None:
    # docs/case-v1-additions.md, Strict bounds: a count is whole, so "more than 12 lesions"
    # is at least 13 and "fewer than 3" at most 2; the answer is never the opposite side
    assert messages({"case_id": "a", "liver": {"lesion_count_more_than": 12}}) == [
        "liver.lesion_count_more_than: must be a known field of case-v1; a whole number's "
        "bound is inclusive (more than 12 is lesion_count_at_least: 13), got an unknown field"
    ]
    assert messages({"case_id": "a", "liver": {"lesion_count_less_than": 3}}) == [
        "liver.lesion_count_less_than: must be a known field of case-v1; a whole number's "
        "bound is inclusive (less than 3 is lesion_count_at_most: 2), got an unknown field"
    ]


def test_a_mitotic_count_named_per_10_hpf_is_answered_with_its_unit() -> None:
    # 003 Table 1 grades per 10 HPF with WHO's cut-offs per 2 mm²: the count goes in
    # mitoses_per_2mm2 with its unit (docs/case-v1-additions.md, Units as entered)
    assert messages({"case_id": "a", "pathology": {"mitoses_per_10hpf": 3}}) == [
        "pathology.mitoses_per_10hpf: must be a known field of case-v1; a value in per 10 HPF "
        'goes in mitoses_per_2mm2 as {"value": 3, "unit": "per 10 HPF"} (= 3 per 2 mm²), '
        "got an unknown field"
    ]


def test_a_liver_directed_treatment_without_an_option_id_is_not_a_systemic_line() -> None:
    # case-v1 additions, Prior treatments without an option id: SBRT, cryo- or laser
    # ablation, IRE, hepatic arterial infusion are other_liver_directed (named, never read
    # in the word's place); unlike other_systemic_therapy it counts as no prior line
    # (CABINET asks "at least one prior therapy other than an SSA": 004 §3.4).
    from nelm.service import assess_mapping

    for words in ("SBRT", "cryoablation", "hepatic arterial infusion"):
        said = messages({"case_id": "a", "course": {"prior_treatments": ["ssa", words]}})
        assert said[0].endswith(f'got "{words}" (did you mean other_liver_directed?)')
    base = {"schema_version": 1, "case_id": "hai"}

    def prior_therapy(treatment: str) -> str:
        course = {"status": "progressing", "prior_treatments": ["ssa", treatment]}
        doc = assess_mapping(base | {"course": course})
        criteria = doc["options"]["cabozantinib"]["criteria"]
        return next(c["result"] for c in criteria if c["id"] == "cabozantinib.prior_therapy")

    assert prior_therapy("other_liver_directed") != "met"
    assert prior_therapy("other_systemic_therapy") == "met"
