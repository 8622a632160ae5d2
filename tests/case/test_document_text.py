"""From text to plain data (nelm.case.document_text): what JSON (RFC 8259) and YAML 1.2
allow, and what a case document refuses besides, each problem named by its path."""

from __future__ import annotations

import pytest

from nelm.case.document_text import check_document_size, load_document_text, read_yaml
from nelm.errors import InputRejected


def test_a_non_finite_number_is_refused_naming_where_it_stands() -> None:
    # RFC 8259 §6: "Numeric values that cannot be represented ... (such as Infinity and
    # NaN) are not permitted"; Python's json module accepts them unless told otherwise.
    with pytest.raises(InputRejected) as caught:
        load_document_text('{"labs": {"cga": NaN}}')
    [problem] = caught.value.problems
    assert problem.path == "labs.cga"
    assert problem.got == "NaN"


def test_a_key_given_twice_is_refused_rather_than_one_value_kept() -> None:
    # RFC 8259 §4: names within an object SHOULD be unique; parsers differ on which value
    # they keep, so a document that names a field twice says nothing certain about it.
    with pytest.raises(InputRejected) as caught:
        load_document_text('{"case_id": "a", "case_id": "b"}')
    assert "appears twice" in caught.value.problems[0].got


def test_yaml_reads_numbers_as_yaml_1_2_does() -> None:
    # YAML 1.2.2 §10.3.2 (core schema): integers are [-+]?[0-9]+ in decimal; 0o57 would be
    # octal, 057 is fifty-seven. YAML 1.1 (PyYAML's default) read 057 as octal 47.
    assert read_yaml("ki67: 057") == {"ki67": 57}


def test_an_empty_document_is_refused_as_empty() -> None:
    with pytest.raises(InputRejected) as caught:
        check_document_size("  \n", "case.json", 1_000)
    assert caught.value.problems[0].got == "an empty file"
