"""nelm.text: the rule for text that enters nelm (control characters refused, named)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.text import (
    decode_document,
    forbidden_character,
    json_text_is_clean,
    printable,
    text_problems,
    walk,
)


def test_tab_and_line_breaks_are_allowed_nul_and_controls_are_not() -> None:
    # Unicode: U+0009 tab, U+000A/U+000D line breaks are text; U+0000 NUL and the C0/C1
    # controls are not (the project's text rule, nelm.text docstring).
    assert forbidden_character("a\tb\nc\r\n") is None
    assert forbidden_character("ab\x00") == "U+0000 (NUL) at character 3"
    assert forbidden_character("\x1b[31m") == "U+001B (a control character) at character 1"
    assert forbidden_character("x\ud800") == "U+D800 (an unpaired surrogate) at character 2"


def test_printable_escapes_what_it_cannot_show() -> None:
    assert printable("a\x00b") == "a\\u0000b"


def test_problems_name_the_path_of_the_key_or_text() -> None:
    doc = {"label": "ok", "pathology": {"note\x07": "x", "list": ["fine", "bad\x00"]}}
    problems = text_problems(doc)
    assert [p.path for p in problems] == ["pathology.note\\u0007", "pathology.list[1]"]
    assert problems[0].got.startswith("the key has U+0007")


def test_walk_visits_deep_documents_without_recursion() -> None:
    deep: object = "leaf"
    for _ in range(5000):
        deep = [deep]
    assert sum(1 for _ in walk(deep)) == 1


def test_json_text_with_an_escape_or_a_control_is_not_called_clean() -> None:
    assert json_text_is_clean('{"label": "Ki-67 12 %\t(liver)"}')
    assert not json_text_is_clean('{"label": "a\\u0000b"}')  # NUL spelt as an escape
    assert not json_text_is_clean('{"label": "a\\ud800"}')  # an unpaired surrogate
    assert not json_text_is_clean('{"label": "a\x07"}')  # a raw control character
    assert not json_text_is_clean('{"label": "a\\"b"}')  # any escape: walk to be sure


_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON, st.booleans())
def test_clean_json_text_never_holds_what_the_walk_would_refuse(value: Any, ascii: bool) -> None:
    """The shortcut may only skip the walk when the walk would find nothing."""
    text = json.dumps(value, ensure_ascii=ascii)
    if json_text_is_clean(text):
        assert text_problems(json.loads(text)) == []


def test_documents_are_utf8_or_utf16_with_its_byte_order_mark() -> None:
    # Windows tools write UTF-16 with a byte-order mark (PowerShell 5's Out-File); UTF-8
    # may carry one too. A legacy single-byte encoding is never guessed.
    text = '{"case_id": "Müller-1"}'
    for encoded in (
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
        text.encode("utf-16"),  # with the platform's byte-order mark
        b"\xfe\xff" + text.encode("utf-16-be"),
        b"\xff\xfe" + text.encode("utf-16-le"),
    ):
        assert decode_document(encoded) == text
    with pytest.raises(UnicodeDecodeError):
        decode_document(text.encode("latin-1"))
    with pytest.raises(UnicodeDecodeError):
        decode_document(text.encode("utf-16-le"))  # without its mark: not guessed
