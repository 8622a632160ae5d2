"""A registry's own column names: what each should be, and the columns a run leaves out.

The units are those of docs/contract/case-v1.md (bilirubin and creatinine in mg/dL, albumin
and haemoglobin in g/dL, platelets per µL, Ki-67 and LVEF in %, age in years); the
conversions those of Young DS, Implementation of SI units for clinical laboratory data,
Ann Intern Med 1987;106:114-129 (bilirubin 17.1 µmol/L = 1 mg/dL, creatinine 88.4 µmol/L
= 1 mg/dL, 10 g/L = 1 g/dL, 1 × 10⁹/L = 1,000 /µL, haemoglobin 1 mmol/L = 1.611 g/dL).
"""

from __future__ import annotations

import pytest

from nelm.cohort.header import ignored_columns, unknown_column
from nelm.cohort.validate import check_columns
from nelm.errors import InputRejected, Problem

_UNIT = "a column named with its unit"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bilirubin (umol/L)",
            "the column labs.bilirubin_mg_dl, in mg/dL: convert the values from µmol/L to "
            "mg/dL (÷ 17.1) and name it labs.bilirubin_mg_dl; no column is read in µmol/L",
        ),
        (
            "creatinine [µmol/L]",
            "the column labs.creatinine_mg_dl, in mg/dL: convert the values from µmol/L to "
            "mg/dL (÷ 88.4) and name it labs.creatinine_mg_dl; no column is read in µmol/L",
        ),
        (
            "albumin (g/L)",
            "the column labs.albumin_g_dl, in g/dL: convert the values from g/L to g/dL "
            "(÷ 10) and name it labs.albumin_g_dl; no column is read in g/L",
        ),
        (
            "Platelets (10^9/L)",
            "the column labs.platelets_per_ul, in /µL: convert the values from 10⁹/L to /µL "
            "(× 1000) and name it labs.platelets_per_ul; no column is read in 10⁹/L",
        ),
        (
            "labs.hemoglobin_g_dl [mmol/L]",
            "the column labs.hemoglobin_g_dl, in g/dL: convert the values from mmol/L to g/dL "
            "(× 1.611) and name it labs.hemoglobin_g_dl; no column is read in mmol/L",
        ),
    ],
)
def test_a_header_with_another_unit_names_the_field_and_the_conversion(
    name: str, expected: str
) -> None:
    # Renamed alone, 17 µmol/L would be read as 17 mg/dL and rule out the embolisations
    # (002 §3.3: bilirubin < 2 mg/dL): the conversion is asked for, never made.
    assert unknown_column(name) == Problem(name, expected, _UNIT)


@pytest.mark.parametrize(
    ("name", "field", "unit"),
    [
        ("Ki-67 (%)", "pathology.ki67_percent", "%"),
        ("LVEF (%)", "patient.lvef_percent", "%"),
        ("Age (years)", "patient.age_years", "years"),
        ("bilirubin (mg/dL)", "labs.bilirubin_mg_dl", "mg/dL"),
    ],
)
def test_a_header_in_the_fields_own_unit_is_pointed_to_the_field(
    name: str, field: str, unit: str
) -> None:
    assert unknown_column(name) == Problem(
        name, f"the column {field}, whose unit is {unit} too: name it {field}", _UNIT
    )


def test_a_unit_nelm_does_not_convert_is_not_guessed() -> None:
    # Bilirubin has no mmol/L entry unit (nelm.case.units): the message asks for mg/dL and
    # gives no factor.
    assert unknown_column("bilirubin (mmol/L)") == Problem(
        "bilirubin (mmol/L)",
        "the column labs.bilirubin_mg_dl, in mg/dL: convert the values to mg/dL and name it "
        "labs.bilirubin_mg_dl (mmol/L is no unit nelm converts to mg/dL)",
        _UNIT,
    )


def test_bracketed_words_that_are_no_unit_still_name_the_field() -> None:
    # a choice field has no unit; a count neither
    assert unknown_column("Grade (WHO 2019)") == Problem(
        "Grade (WHO 2019)",
        "a known column (did you mean pathology.reported_grade?)",
        "an unknown column",
    )
    assert unknown_column("liver.lesion_count (n)").expected == (
        "a known column (did you mean liver.lesion_count?)"
    )


def test_a_field_path_in_another_unit_names_the_conversion() -> None:
    assert unknown_column("labs.bilirubin_umol_l") == Problem(
        "labs.bilirubin_umol_l",
        "the column labs.bilirubin_mg_dl, in mg/dL: convert the values from µmol/L to mg/dL "
        "(÷ 17.1) and name it labs.bilirubin_mg_dl; no column is read in µmol/L",
        "a column named in µmol/L",
    )


@pytest.mark.parametrize(("name", "option"), [("comment", "comment"), ("site name", "'site name'")])
def test_a_column_naming_no_field_says_how_to_leave_it_out(name: str, option: str) -> None:
    assert unknown_column(name) == Problem(
        name,
        "a known column: case_id, schema_version, label or a case field path such as "
        f"pathology.ki67_percent; remove the column, or leave it out with --ignore-columns "
        f"{option}",
        "an unknown column",
    )


def test_a_name_the_option_cannot_carry_is_only_to_be_removed() -> None:
    assert unknown_column("notes, free").expected.endswith("; remove the column")
    escaped = unknown_column("x\x1b[31m")
    assert escaped.path == "x\\u001b[31m" and escaped.expected.endswith("; remove the column")


def test_ignored_columns_are_left_out_of_the_check_and_nothing_else() -> None:
    header = ["case_id", "comment", " site_name", "pathology.ki67_percnt"]
    ignored = ignored_columns(header, ["comment", "site_name "])
    assert ignored == ("comment", " site_name")
    with pytest.raises(InputRejected) as caught:
        check_columns(header, ignored)
    # the typo in a field's name is still refused
    assert [p.path for p in caught.value.problems] == ["pathology.ki67_percnt"]
    check_columns(header[:3], ignored)


def test_ignoring_a_column_nelm_reads_or_one_not_in_the_file_is_refused() -> None:
    header = ["case_id", "pathology.ki67_percent", "comment"]
    with pytest.raises(InputRejected) as caught:
        ignored_columns(header, ["pathology.ki67_percent", "coment", ""])
    assert caught.value.problems == [
        Problem(
            "--ignore-columns",
            "columns nelm does not read (to leave a field unknown, remove its column from "
            "the file)",
            "pathology.ki67_percent, a column nelm reads",
        ),
        Problem(
            "--ignore-columns", "names of columns of the file's header", "coment, which is not one"
        ),
    ]
