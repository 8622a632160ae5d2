"""nelm.text: the rule for text that enters nelm (control characters refused, named)."""

from __future__ import annotations

from nelm.text import forbidden_character, printable, text_problems, walk


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
