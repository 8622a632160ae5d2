"""Pregnancy (``patient.pregnant``): the seeds do not speak of it, and no criterion reads it.

A stated pregnancy gives a warning above every card and the cautions of named sources:
the Lutathera summary of product characteristics, 4.3 Contraindications ("established or
suspected pregnancy or when pregnancy has not been excluded"), and ESMO's recommendations
on cancer in pregnancy (Pentheroudakis 2008: "Pregnancy termination is advised in the case of
chemotherapy or radiotherapy administration during the first trimester"; the work-up "should
limit unnecessary exposure to ionizing radiation").
"""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

CHEMOTHERAPY = "Pregnant: ESMO advises ending the pregnancy when chemotherapy is needed"
RADIOTHERAPY = "Pregnant: this is internal radiotherapy"
PRRT = "Pregnant: 177Lu-DOTATATE is contraindicated in established or suspected pregnancy"
# option -> the caution it carries for a pregnant patient
SAID_ON = {
    "prrt": PRRT,
    "capecitabine_temozolomide": CHEMOTHERAPY,
    "streptozocin_5fu": CHEMOTHERAPY,
    "platinum_etoposide": CHEMOTHERAPY,
    "tace": CHEMOTHERAPY,
    "deb_tace": CHEMOTHERAPY,
    "tare": RADIOTHERAPY,
}


def _assess(option: str, pregnant: bool | None) -> dict[str, Any]:
    case = eligible_case(option)
    if pregnant is not None:
        case["patient"]["pregnant"] = pregnant
    return assess_mapping(case, with_evidence=False)


def _cautions(doc: dict[str, Any], option: str) -> list[str]:
    return [d["text"] for d in doc["options"][option]["caution_details"]]


@pytest.mark.parametrize(("option", "text"), sorted(SAID_ON.items()))
def test_a_pregnancy_is_said_on_the_options_it_bears_on(option: str, text: str) -> None:
    pregnant = _assess(option, True)
    assert any(c.startswith(text) for c in _cautions(pregnant, option))
    assert any(w.startswith("Pregnant: the criteria") for w in pregnant["warnings"])
    for stated in (False, None):
        other = _assess(option, stated)
        assert not any(c.startswith("Pregnant") for c in _cautions(other, option))
        assert not any(w.startswith("Pregnant") for w in other["warnings"])


@pytest.mark.parametrize("option", sorted(SAID_ON))
def test_no_status_weighs_the_pregnancy(option: str) -> None:
    # The warning says so: the statuses are those of the same case without it.
    pregnant, not_stated = _assess(option, True), _assess(option, None)
    for oid, result in pregnant["options"].items():
        assert result["status"] == not_stated["options"][oid]["status"], oid


def test_the_pet_scans_are_told_of_the_radiation() -> None:
    case = eligible_case("prrt")
    case["patient"]["pregnant"] = True
    case["imaging"] = {}  # the SSTR PET is then asked for
    doc = assess_mapping(case, with_evidence=False)
    texts = [
        p["text"]
        for group in doc["investigations"]
        for p in group.get("precautions", ())
        if group["id"] == "sstr_pet"
    ]
    assert any("ionising radiation" in t for t in texts)


@pytest.mark.parametrize("pregnant", [True, False, None])
def test_the_plan_prints_them_with_the_steps(pregnant: bool | None) -> None:
    # Printed with the first step holding PRRT, and with the first holding chemo- or
    # radiotherapy (the board summary prints a step's precautions beside it).
    doc = _assess("prrt", pregnant)
    notes = {n["id"]: n for step in doc["plan"] for n in step.get("notes", ())}
    assert ("pregnancy_prrt" in notes) is (pregnant is True)
    assert ("pregnancy_chemotherapy" in notes) is (pregnant is True)
    if pregnant:
        assert notes["pregnancy_prrt"]["sources"] == ["Lutathera-SmPC 4.3"]
        prrt_step = next(s for s in doc["plan"] if "prrt" in s["options"])
        assert "pregnancy_prrt" in [n["id"] for n in prrt_step["notes"]]
