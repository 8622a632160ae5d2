"""YAML case documents read numbers as YAML 1.2 and JSON do, refuse aliases, and refuse
numbers longer than any clinical value (case-v1: a value is taken as written or refused
naming its field, never silently changed)."""

from __future__ import annotations

import json

import pytest

from nelm.case.document import load_document_text, parse_case_text
from nelm.errors import InputRejected


def _values(text: str) -> dict[str, object]:
    case = parse_case_text(text)
    return dict(case.values)


def test_zero_padded_numbers_are_decimal_not_octal() -> None:
    # YAML 1.1 (PyYAML's default) reads 057 as octal 47 and 012 as 10: an age of 57 and a
    # Ki-67 of 12 % would pass the ENETS transplant limits "age < 55" and "Ki-67 <= 10 %"
    # (001 Table 2). YAML 1.2's core schema (§10.3.2: [-+]?[0-9]+ is base 10) and a CSV
    # cohort read them as 57 and 12.
    values = _values("case_id: oct\npatient: {age_years: 057}\npathology: {ki67_percent: 012}\n")
    assert values["patient.age_years"] == 57
    assert values["pathology.ki67_percent"] == 12


def test_an_exponent_is_a_number_and_a_clock_time_is_not() -> None:
    # YAML 1.2 core schema: 250e3 is a float (YAML 1.1 wanted a dot and left it text);
    # 1:30 is text in YAML 1.2 (1.1 read it as sexagesimal 90).
    values = _values("case_id: e\nlabs: {platelets_per_ul: 250e3}\n")
    assert values["labs.platelets_per_ul"] == 250000
    with pytest.raises(InputRejected) as caught:
        parse_case_text("case_id: t\nlabs: {bilirubin_mg_dl: 1:30}\n")
    ((path, got),) = [(p.path, p.got) for p in caught.value.problems]
    assert path == "labs.bilirubin_mg_dl" and '"1:30"' in got


def test_yaml_still_names_nan_and_infinity() -> None:
    with pytest.raises(InputRejected) as caught:
        load_document_text("case_id: n\nlabs: {bilirubin_mg_dl: .nan}\n")
    assert [p.path for p in caught.value.problems] == ["labs.bilirubin_mg_dl"]


def test_an_alias_is_refused_before_it_can_expand() -> None:
    # Nested aliases of a few hundred bytes expand to billions of values ("billion
    # laughs"); a case repeats no value by reference.
    text = "a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\ncase_id: x\n"
    with pytest.raises(InputRejected) as caught:
        load_document_text(text)
    (problem,) = caught.value.problems
    assert "an alias (*name)" in problem.got and "line 2" in problem.got


@pytest.mark.parametrize("digits", [31, 400, 5001])
def test_a_number_longer_than_any_clinical_value_is_refused(digits: int) -> None:
    # A 320-digit lesion count overflowed a float (an internal error, exit 1); a 5,001-digit
    # one reached Python's own limit and its advice about sys.set_int_max_str_digits.
    number = "1" + "0" * (digits - 1)
    for text in (
        json.dumps({"case_id": "n"})[:-1] + f', "liver": {{"lesion_count": {number}}}}}',
        f"case_id: n\nliver: {{lesion_count: {number}}}\n",
    ):
        with pytest.raises(InputRejected) as caught:
            load_document_text(text)
        (problem,) = caught.value.problems
        assert f"a number of {digits:,} digits" in problem.got
        assert "sys." not in problem.got


def test_json_with_a_zero_padded_number_is_told_how_to_write_it() -> None:
    # RFC 8259 §6: a number has no leading zeros; the parser's own "Expecting ','
    # delimiter" did not say so.
    with pytest.raises(InputRejected) as caught:
        load_document_text('{"case_id": "j", "pathology": {"ki67_percent": 012}}')
    (problem,) = caught.value.problems
    assert problem.got.endswith(": JSON writes no leading zero (012): write 12")
