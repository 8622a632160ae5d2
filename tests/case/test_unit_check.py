"""A bilirubin whose unit is in doubt: assessed as given, with a warning to check the unit.

Expected values from the sources plausibility.yaml cites: the reference interval of total
bilirubin is 0.3-1.2 mg/dL (Merck Manual, Normal Laboratory Values) and 17.1 µmol/L = 1 mg/dL
(Young DS, Ann Intern Med 1987;106:114-129), so a normal bilirubin in µmol/L is about 5-21
and 17 µmol/L is 0.99 mg/dL; the embolisations ask for bilirubin < 2 mg/dL (002 §3.3). A
bilirubin from 5 to 30 given without its unit may be either; above 30 mg/dL it is outside
the plausible range (docs/plausibility.md) and named as the slip instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.case.document import case_from_mapping, require_confirmed
from nelm.case.plausibility import unit_questions
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)
from nelm.service import assess_fhir, assess_mapping
from tests.engine.cases import BASE, with_changes

FIELD = "labs.bilirubin_mg_dl"
HINT_17 = "did you mean 17 µmol/L = 0.99 mg/dL?"


def _assess(bilirubin: Any, **extra: Any) -> dict[str, Any]:
    return assess_mapping(with_changes(BASE, {FIELD: bilirubin}) | extra, with_evidence=False)


def _checks(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in doc["input_warnings"] if w["kind"] == "unit_check"]


def test_a_bare_bilirubin_of_17_is_assessed_as_given_with_the_other_reading() -> None:
    doc = _assess(17)
    (check,) = _checks(doc)
    assert check["fields"] == [FIELD]
    assert check["hint"] == HINT_17
    assert check["fix"] == "check the unit"
    assert check["confirmed"] is False
    assert check["message"] in doc["warnings"]
    assert "Check the unit" in check["message"]
    # as given: 17 mg/dL is not below 2 mg/dL (002 §3.3), so the embolisations are ruled out
    assert doc["options"]["tace"]["status"] == "ineligible"
    # never refused: real jaundice is entered this way too
    require_confirmed(case_from_mapping(with_changes(BASE, {FIELD: 17})))


def test_the_same_number_entered_in_micromoles_is_not_questioned() -> None:
    doc = _assess({"value": 17, "unit": "µmol/L"})
    assert _checks(doc) == []
    criterion = next(c for c in doc["options"]["tace"]["criteria"] if c["id"] == "tace.bilirubin")
    assert criterion["result"] == "met"  # 0.99 mg/dL < 2 mg/dL (002 §3.3)


@pytest.mark.parametrize(
    ("value", "questioned"),
    [
        (1.2, False),  # the reference's top (Merck)
        (4.9, False),  # below the normal µmol/L value's low end (0.3 mg/dL = 5.1 µmol/L)
        (5, True),
        (21, True),  # the reference's top in µmol/L (1.2 × 17.1 = 20.5)
        (30, True),  # the plausible range's top
    ],
)
def test_the_zone_of_doubt(value: float, questioned: bool) -> None:
    assert bool(unit_questions({FIELD: value})) is questioned


def test_above_the_plausible_range_it_is_the_slip_not_the_doubt() -> None:
    doc = assess_mapping(
        with_changes(BASE, {FIELD: 35}) | {"confirmed": [FIELD]}, with_evidence=False
    )
    kinds = [w["kind"] for w in doc["input_warnings"] if FIELD in w["fields"]]
    assert kinds == ["implausible"]


def test_a_confirmed_value_says_so() -> None:
    doc = assess_mapping(
        with_changes(BASE, {FIELD: 17}) | {"confirmed": [FIELD]}, with_evidence=False
    )
    (check,) = _checks(doc)
    assert check["confirmed"] is True
    assert check["message"].endswith("Confirmed as entered.")


def test_a_fhir_result_states_its_unit_and_is_not_questioned() -> None:
    # LOINC 1975-2 Bilirubin.total [Mass/volume]: sent in mg/dL, the unit is the record's
    bilirubin = observation_resource(
        "bili",
        "http://loinc.org",
        "1975-2",
        effective="2025-01-10",
        valueQuantity=quantity(17, "mg/dL"),
    )
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), bilirubin)
    doc = assess_fhir(bundle, assessment_date=dt.date(2025, 1, 15), with_evidence=False)
    assert _checks(doc) == []
    assert not any("Check the unit" in w for w in doc["warnings"])


@pytest.mark.parametrize("obstruction", [True, False, None])
def test_a_recorded_biliary_obstruction_is_named_as_what_can_explain_the_value(
    obstruction: bool | None,
) -> None:
    """Obstructive jaundice raises the bilirubin in mg/dL into the range where the unit is
    in doubt; the question stays (17 µmol/L is still a possible slip) and the warning says
    what in the case makes the value likely. Only a recorded obstruction is named."""
    doc = _assess(17, anatomy={"biliary_obstruction": obstruction})
    (check,) = _checks(doc)
    assert check["hint"] == HINT_17
    named = "Biliary obstruction is recorded, which can raise the bilirubin this far"
    assert (named in check["message"]) is (obstruction is True)
    assert "heck the unit" in check["message"]


@pytest.mark.parametrize(
    ("anatomy", "named"),
    [
        ({"hepatic_encephalopathy": True}, "Hepatic encephalopathy is recorded"),
        ({"ascites": True}, "Ascites is recorded"),
        # the first recorded explanation is the one named
        ({"biliary_obstruction": True, "ascites": True}, "Biliary obstruction is recorded"),
        ({"hepatic_encephalopathy": False, "ascites": None}, None),
    ],
)
def test_a_failing_liver_recorded_is_named_as_what_can_explain_the_value(
    anatomy: dict[str, bool | None], named: str | None
) -> None:
    """A jaundice-range bilirubin (5 mg/dL) beside hepatic encephalopathy or ascites, the
    signs of poor liver reserve 000 §3.1 and 002 §3.3 name with it: the warning's other
    reading (5 µmol/L, 0.29 mg/dL) would clear every bilirubin < 2 mg/dL limit, so it says
    what makes the value likely, and still asks for the unit."""
    doc = _assess(5, anatomy=anatomy)
    (check,) = _checks(doc)
    message = check["message"]
    if named is None:
        assert "is recorded" not in message and "Check the unit" in message
    else:
        assert named in message and "check the unit" in message
        assert sum(w in message for w in ("Biliary", "Hepatic enc", "Ascites is")) == 1


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("labs.hemoglobin_g_dl", {"value": 10.8, "unit": "g/dL"}),
        (FIELD, {"value": 17, "unit": "mg/dL"}),
    ],
)
def test_a_number_whose_unit_is_written_is_not_asked_about_it(
    field: str, written: dict[str, Any]
) -> None:
    # docs/plausibility.md: the unit is questioned for "a number given without its unit".
    # A haemoglobin of 10.8 g/dL (7.4–10.9 mmol/L is a normal haemoglobin in mmol/L: the
    # ambiguity of a bare 10.8) written with its unit said which it is; so did 17 mg/dL.
    # Given back as written.
    doc = assess_mapping(with_changes(BASE, {field: written}), with_evidence=False)
    assert not [w for w in _checks(doc) if w["field"] == field]
    bare = assess_mapping(with_changes(BASE, {field: written["value"]}), with_evidence=False)
    assert [w for w in _checks(bare) if w["field"] == field]
    section, name = field.split(".")
    case = case_from_mapping(with_changes(BASE, {field: written}))
    assert case.to_document()[section][name] == written
