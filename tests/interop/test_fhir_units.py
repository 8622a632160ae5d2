"""UCUM unit conversion (nelm.interop.fhir.units): each factor with its derivation."""

from __future__ import annotations

import datetime as dt

import pytest

from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.synthetic import bundle_of, observation_resource, patient_resource
from nelm.interop.fhir.units import KINDS, UnitError, convert, normalize_unit
from nelm.service import assess_mapping


def test_bilirubin_umol_per_l_to_mg_per_dl() -> None:
    # Young DS, Ann Intern Med 1987;106:114-129: bilirubin 17.1 µmol/L = 1 mg/dL (the
    # factor a typed case uses too, so 34.2 µmol/L is exactly the 2 mg/dL of 002 §3.3).
    assert convert("bilirubin", 17.1, "umol/L") == pytest.approx(1.0)
    assert convert("bilirubin", 34.2, "umol/L") == pytest.approx(2.0)
    assert convert("bilirubin", 100, "umol/L") == pytest.approx(100 / 17.1)
    assert convert("bilirubin", 1.2, "mg/dL") == 1.2
    assert convert("bilirubin", 0.1, "mmol/L") == pytest.approx(100 / 17.1)


def test_creatinine_umol_per_l_to_mg_per_dl() -> None:
    # Young 1987: creatinine 88.4 µmol/L = 1 mg/dL.
    assert convert("creatinine", 88.4, "umol/L") == pytest.approx(1.0)
    assert convert("creatinine", 150, "umol/L") == pytest.approx(150 / 88.4)


def test_albumin_g_per_l_to_g_per_dl() -> None:
    # 1 dL = 0.1 L, so g/L ÷ 10 = g/dL.
    assert convert("albumin", 42, "g/L") == pytest.approx(4.2)
    assert convert("albumin", 4.2, "g/dL") == 4.2


def test_haemoglobin_mmol_per_l_to_g_per_dl() -> None:
    # Iron-based monomer (¼ tetramer): 1 mmol/L = 1.611 g/dL (Young 1987).
    assert convert("hemoglobin", 8.0, "mmol/L") == pytest.approx(8.0 * 1.611)
    assert convert("hemoglobin", 130, "g/L") == pytest.approx(13.0)


def test_cell_counts_to_per_microlitre() -> None:
    # 1 L = 10⁶ µL: 10⁹/L = 10³/µL; 10³/µL ("K/µL") = 1000 per µL; 1 mm³ = 1 µL.
    assert convert("count", 250, "10*9/L") == pytest.approx(250_000)
    assert convert("count", 250, "10*3/uL") == pytest.approx(250_000)
    assert convert("count", 7.5, "G/L") == pytest.approx(7_500)
    assert convert("count", 250_000, "/uL") == 250_000
    assert convert("count", 250_000, "/mm3") == 250_000
    # MEDITECH writes thousands per mm³ as "K/mm3" (its leukocytes 8.7 K/mm3 = 8,700/µL)
    assert convert("count", 8.7, "K/mm3") == pytest.approx(8_700)


def test_enzymes_ukat_to_units() -> None:
    # 1 U = 1 µmol/min and 1 kat = 1 mol/s, so 1 µkat = 1 µmol/s = 60 U.
    assert convert("enzyme", 3.5, "ukat/L") == pytest.approx(210)
    assert convert("enzyme", 210, "[IU]/L") == 210


def test_egfr_and_lengths() -> None:
    assert convert("egfr", 75, "mL/min/{1.73_m2}") == 75
    assert convert("egfr", 1.25, "mL/s/{1.73_m2}") == pytest.approx(75)  # 1 mL/s = 60 mL/min
    assert convert("length", 42, "mm") == pytest.approx(4.2)  # 1 mm = 0.1 cm


def test_mitotic_count_areas() -> None:
    # WHO counts mitoses per 2 mm²: per mm² × 2, per 10 mm² ÷ 5.
    assert convert("mitoses", 3, "/mm2") == 6
    assert convert("mitoses", 10, "{mitoses}/(10.mm2)") == pytest.approx(2)
    # 003 Table 1 grades per 10 HPF with the same cut-offs (< 2, 2-20, > 20): as it stands
    assert convert("mitoses", 3, "/10.[HPF]") == 3


def test_loose_spellings_are_the_same_unit() -> None:
    assert normalize_unit("µmol/L") == normalize_unit("umol/l") == normalize_unit("μmol/L")
    assert convert("bilirubin", 17.1, "µmol/L") == convert("bilirubin", 17.1, "umol/L")
    assert convert("egfr", 90, "mL/min/1.73 m²") == 90


def test_letter_case_still_matters_where_ucum_says_so() -> None:
    # G/L (giga per litre) is a count; g/L (grams per litre) is not.
    with pytest.raises(UnitError):
        convert("count", 250, "g/L")


@pytest.mark.parametrize(
    ("kind", "unit"),
    [
        ("bilirubin", "mmol/h"),
        ("albumin", "%"),
        ("count", "mg/dL"),
        ("percent", "1"),
        # a single high-power field: no reading (003 Table 1 grades per 10 HPF)
        ("mitoses", "/[HPF]"),
        ("length", "mL"),
    ],
)
def test_impossible_units_are_refused(kind: str, unit: str) -> None:
    with pytest.raises(UnitError, match=KINDS[kind].case_unit.replace("/", "/")):
        convert(kind, 1.0, unit)


def test_missing_unit_is_refused() -> None:
    with pytest.raises(UnitError, match="a unit"):
        convert("bilirubin", 1.0, None)


def test_a_unit_in_capitals_is_read_when_it_names_one_unit_of_its_kind() -> None:
    # HL7 v2 interfaces often send units in capitals ("MG/DL", "UMOL/L"). UCUM is
    # case-sensitive, but within one kind no two accepted units differ only in case
    # (checked below), so the capitals name one unit and one factor.
    assert convert("bilirubin", 1.2, "MG/DL") == 1.2
    assert convert("bilirubin", 34.2, "UMOL/L") == pytest.approx(2.0)
    assert convert("albumin", 42, "G/L") == pytest.approx(4.2)
    for name, kind in KINDS.items():
        factors: dict[str, float] = {}
        for written, factor in kind.factors.items():
            key = normalize_unit(written).casefold()
            assert factors.setdefault(key, factor) == factor, (name, written)


@pytest.mark.parametrize(("umol", "result"), [(34.2, "not_met"), (34.1, "met")])
def test_bilirubin_in_umol_per_l_at_the_converted_limit(umol: float, result: str) -> None:
    # 002 §3.3: "serum bilirubin < 2 mg/dL"; 2 mg/dL is 34.2 µmol/L (17.1 µmol/L = 1 mg/dL,
    # Young DS 1987), so 34.2 µmol/L is at the limit and outside it, 34.1 inside.
    # LOINC 14631-6 Bilirubin.total [Moles/volume] in Serum or Plasma
    quantity = {"value": umol, "system": "http://unitsofmeasure.org", "code": "umol/L"}
    observation = observation_resource(
        "bili", "http://loinc.org", "14631-6", effective="2025-01-10", valueQuantity=quantity
    )
    mapping = bundle_to_case(
        bundle_of(patient_resource("p"), observation), assessment_date=dt.date(2025, 1, 15)
    )
    assert mapping.document["labs"]["bilirubin_mg_dl"] == pytest.approx(umol / 17.1, abs=1e-4)
    doc = assess_mapping({**mapping.document, "case_id": "bili"}, with_evidence=False)
    criteria = {c["id"]: c["result"] for c in doc["options"]["tae"]["criteria"]}
    assert criteria["tae.bilirubin"] == result
