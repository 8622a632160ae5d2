"""A blocked bile duct: the plan says on its first step that drainage comes first when
jaundice, cholangitis or the next treatment asks for it, and that a bilirubin raised by the
obstruction is judged again after drainage (Yarmohammadi and Covey 2016: lowering the
bilirubin before an operation or to allow some chemotherapy is among the indications for
biliary drainage; 000 §3.1: "biliary obstruction" contraindicates embolisation)."""

from __future__ import annotations

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

NOTE = "biliary_obstruction_drainage"


def _placed(changes: dict[str, object]) -> list[tuple[int, str]]:
    plan = assess_mapping(with_changes(BASE, changes), with_evidence=False)["plan"]
    return [(s["step"], n["id"]) for s in plan for n in s.get("notes", ())]


@pytest.mark.parametrize(
    "changes",
    [
        {"anatomy.biliary_obstruction": True, "labs.bilirubin_mg_dl": 4.0},
        {"anatomy.biliary_obstruction": True},
        {"primary.complications": ["biliary_obstruction"]},
    ],
)
def test_drainage_is_said_once_on_the_first_step(changes: dict[str, object]) -> None:
    placed = _placed(changes)
    assert (1, NOTE) in placed
    assert [nid for _, nid in placed].count(NOTE) == 1


def test_the_note_names_its_sources_and_stays_a_precaution() -> None:
    case = with_changes(BASE, {"anatomy.biliary_obstruction": True})
    first = assess_mapping(case, with_evidence=False)["plan"][0]
    note = next(n for n in first["notes"] if n["id"] == NOTE)
    assert note.get("precaution") is True
    assert set(note["sources"]) == {"Yarmohammadi-2016", "000 §3.1"}
    assert "judged again on the bilirubin after drainage" in note["text"]


@pytest.mark.parametrize(
    "changes",
    [
        {"anatomy.biliary_obstruction": False},
        {"anatomy.biliary_obstruction": None},
        {"primary.complications": ["bowel_obstruction"]},
        # a high bilirubin alone is not an obstruction: the reserve cautions speak for it
        {"anatomy.biliary_obstruction": None, "labs.bilirubin_mg_dl": 4.0},
    ],
)
def test_no_drainage_note_without_an_obstruction(changes: dict[str, object]) -> None:
    assert NOTE not in [nid for _, nid in _placed(changes)]
