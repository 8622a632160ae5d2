"""Numbers as a person types them in the case form: a decimal comma, spaces between digit
groups, and the comma that could be either ("1,500")."""

from __future__ import annotations

import pytest

from nelm.case.document import case_from_mapping
from nelm.errors import InputRejected, Problem
from nelm.web.forms import document_from_form


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1,5", 1.5), ("0,9", 0.9), (" 2.5 ", 2.5), ("12", 12), ("1.500", 1.5)],
)
def test_a_decimal_comma_or_point_is_the_decimal_mark(typed: str, read: float) -> None:
    document = document_from_form({"case_id": "f", "labs.bilirubin_mg_dl": typed})
    assert document["labs"]["bilirubin_mg_dl"] == read


def test_spaces_between_digit_groups_are_ignored() -> None:
    # "240 000" (a space or a narrow no-break space between thousands, as in French)
    for typed in ("240 000", "240\u202f000"):
        document = document_from_form({"case_id": "f", "labs.platelets_per_ul": typed})
        assert document["labs"]["platelets_per_ul"] == 240000


def _refused_as_typed(path: str, typed: str) -> Problem:
    """The form passes the text on as typed; the validator refuses it with one problem."""
    document = document_from_form({"case_id": "f", path: typed})
    section, name = path.split(".")
    assert document[section][name] == typed
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(document)
    [problem] = caught.value.problems
    return problem


@pytest.mark.parametrize(
    ("path", "typed", "hint"),
    [
        # bilirubin is at most 50 mg/dL (case-v1): only the decimal reading fits
        ("labs.bilirubin_mg_dl", "1,500", "(a decimal comma: write 1.5)"),
        # 240 /µL is outside the plausible platelet count (docs/plausibility.md)
        ("labs.platelets_per_ul", "240,000", "(write it without the thousands separator: 240000)"),
    ],
)
def test_a_comma_before_three_digits_is_never_read_either_way(
    path: str, typed: str, hint: str
) -> None:
    problem = _refused_as_typed(path, typed)
    assert problem.path == path and problem.got == f'"{typed}" {hint}'


@pytest.mark.parametrize(
    ("path", "typed", "hint"),
    [
        # LDH is plausible from 50 U/L (docs/plausibility.md, the Merck reference
        # 140-280 U/L): 1.2 U/L is no reading, 1200 U/L (Europe's
        # "1.200") is; 1 µkat/L = 60 U/L (Young 1987) is the other usual slip
        (
            "labs.ldh_u_l",
            "1.200",
            "(1.2 U/L would be implausible; with a dot as the thousands separator it is "
            "1200 U/L: write 1200; or did you mean 1.2 µkat/L = 72 U/L?)",
        ),
    ],
)
def test_a_dot_before_three_digits_that_only_fits_as_thousands_is_asked_about(
    path: str, typed: str, hint: str
) -> None:
    problem = _refused_as_typed(path, typed)
    assert problem.path == path and problem.got == f'"{typed}" {hint}'
    # 1.2 is within 0-10000: the expectation says how the dot was read
    assert problem.expected.endswith(", a dot read as the decimal point")


def test_a_dot_before_three_digits_that_fits_as_a_decimal_is_the_decimal_mark() -> None:
    # a bilirubin of 1.250 mg/dL is plausible (0.1-30); 1250 is above case-v1's 50
    document = document_from_form({"case_id": "f", "labs.ldh_u_l": "0.875"})
    assert document["labs"]["ldh_u_l"] == 0.875  # a leading zero is never a thousands group
    document = document_from_form({"case_id": "f", "labs.bilirubin_mg_dl": "1.250"})
    assert document["labs"]["bilirubin_mg_dl"] == 1.25


@pytest.mark.parametrize("sent_unit", ["mmol", "umol_l", "µmol/L"])
def test_a_unit_the_field_does_not_take_is_refused_not_read_in_the_fields_unit(
    sent_unit: str,
) -> None:
    # 8.1 mmol/L of haemoglobin is 13 g/dL (Young 1987: 1 mmol/L = 1.611 g/dL); read as the
    # field's g/dL it would be an anaemia on PRRT's 8 g/dL limit. A unit key no select
    # offers (an old or hand-made form) is named, never dropped.
    path = "labs.hemoglobin_g_dl"
    document = document_from_form({"case_id": "f", path: "8.1", f"unit:{path}": sent_unit})
    with pytest.raises(InputRejected) as caught:
        case_from_mapping(document)
    [problem] = caught.value.problems
    assert problem.path == path and f'the unit "{sent_unit}"' in problem.got


def test_the_units_the_select_offers_are_read() -> None:
    # g/L is g/dL x 10 and mmol/L is converted by Young 1987's 1.611; the default is g/dL
    path = "labs.hemoglobin_g_dl"
    for key, entered in (("g_l", {"value": 81, "unit": "g/L"}), ("g_dl", 8.1), ("", 8.1)):
        document = document_from_form(
            {"case_id": "f", path: "81" if key == "g_l" else "8.1", f"unit:{path}": key}
        )
        assert document["labs"]["hemoglobin_g_dl"] == entered


@pytest.mark.parametrize("typed", ["1 5", "1_5", "12 34", "24 0000"])
def test_a_space_or_underscore_that_separates_no_thousands_is_no_number(typed: str) -> None:
    # "1 5" is a slip for 1.5 or 15 (bilirubin 15 mg/dL is inside the plausible 0.1-30, so
    # nothing would question it); "1_5" is 15 only to Python. Passed on as typed and refused.
    problem = _refused_as_typed("labs.bilirubin_mg_dl", typed)
    assert problem.path == "labs.bilirubin_mg_dl" and problem.got.startswith(f'"{typed}"')


def test_spaces_between_several_thousands_groups_are_still_ignored() -> None:
    document = document_from_form({"case_id": "f", "labs.platelets_per_ul": "1 500 000"})
    assert document["labs"]["platelets_per_ul"] == 1500000
    document = document_from_form({"case_id": "f", "labs.platelets_per_ul": "-240 000"})
    assert document["labs"]["platelets_per_ul"] == -240000  # refused later by its range
