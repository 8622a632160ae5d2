"""nelm.knowledge.conditions: the condition language's YAML form and its parser."""

from __future__ import annotations

import pytest

from nelm.knowledge.conditions import All, AnyOf, Leaf, Not, fields_of, leaves_of, parse_condition


def test_a_leaf_and_the_connectives_parse_to_the_tree() -> None:
    # docs/knowledge-base.md, "A criterion": {field: PATH, OP: VALUE}, all/any/not.
    raw = {
        "all": [
            {"field": "labs.bilirubin_mg_dl", "lt": 2},
            {
                "any": [
                    {"field": "extrahepatic.present", "eq": False},
                    {"not": {"field": "derived.grade", "in": ["G3", "NEC"]}},
                ]
            },
        ]
    }
    tree = parse_condition(raw, "x")
    assert tree == All(
        (
            Leaf("labs.bilirubin_mg_dl", "lt", 2),
            AnyOf(
                (
                    Leaf("extrahepatic.present", "eq", False),
                    Not(Leaf("derived.grade", "in", ("G3", "NEC"))),
                )
            ),
        )
    )
    assert list(fields_of(tree)) == [
        "labs.bilirubin_mg_dl",
        "extrahepatic.present",
        "derived.grade",
    ]
    assert len(list(leaves_of(tree))) == 3


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"field": "a.b", "between": 1}, "OP one of"),
        ({"field": "a.b", "lt": "3"}, "compares with a number"),
        ({"field": "a.b", "lt": True}, "compares with a number"),
        ({"field": "a.b", "in": []}, "non-empty list"),
        ({"all": []}, "non-empty list"),
        ({"not": {"field": "a.b", "eq": 1}, "all": []}, "nothing beside it"),
        (["not a mapping"], "must be a mapping"),
    ],
)
def test_malformed_conditions_are_refused_naming_where(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_condition(raw, "option.criterion")
    assert "option.criterion" in str(caught.value)
