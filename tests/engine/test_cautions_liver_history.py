"""Cautions from what the liver has been through and from the patient's background, none of
which changes a verdict: a low platelet count before a liver resection, radioembolisation
given before, MEN1, and a functional syndrome whose hormone the case names."""

from __future__ import annotations

from typing import Any

import pytest

from nelm.service import assess_mapping
from tests.engine.cases import eligible_case

LIVER_OPERATIONS = (
    "liver_resection",
    "staged_resection",
    "simultaneous_resection",
    "cytoreductive_surgery",
)
TRANSPLANTS = ("liver_transplant_milan", "liver_transplant_enets", "liver_transplant_unos")


# The opening words of each caution's text (the assessment gives cautions by their text).
OPENING = {
    "low_platelets": "Platelets < 100,000/µL (the limit for liver-directed therapy)",
    "after_radioembolisation": "Radioembolisation given before: its long-term hepatotoxicity",
    "repeat_radioembolisation": "Radioembolisation given before: much of the concern",
    "men1": "MEN1: pancreatic and duodenal NETs are usually multiple",
    "carcinoid_crisis_other_syndrome": 'Functional syndrome recorded as "other"',
    "phaeochromocytoma": "Von Hippel-Lindau disease or neurofibromatosis type 1, both",
}


def _caution_ids(option: str, changes: dict[str, Any]) -> tuple[list[str], str, str]:
    """Which of the cautions above the option shows with the changes, and its status with
    and without them."""
    base = assess_mapping(eligible_case(option), with_evidence=False)
    doc = assess_mapping(eligible_case(option, changes), with_evidence=False)
    texts = [d["text"] for d in doc["options"][option]["caution_details"]]
    ids = [cid for cid, opening in OPENING.items() if any(t.startswith(opening) for t in texts)]
    return ids, doc["options"][option]["status"], base["options"][option]["status"]


@pytest.mark.parametrize(
    ("platelets", "shown"), [(99_999, True), (100_000, False), (None, False), (60_000, True)]
)
def test_a_low_platelet_count_is_a_caution_on_liver_resection(
    platelets: int | None, shown: bool
) -> None:
    """EASL-EORTC 2012 (hepatocellular carcinoma): splenomegaly with a platelet count below
    100,000/mm³ is an indirect sign of portal hypertension, which weighs against resection;
    002 §3.3 gives the same count as the limit for embolisation. Never from an unknown
    count, never a change of verdict, and not on transplantation, which replaces the liver."""
    for option in LIVER_OPERATIONS:
        ids, status, before = _caution_ids(option, {"labs.platelets_per_ul": platelets})
        assert ("low_platelets" in ids) is shown, option
        assert status == before, option
    for option in TRANSPLANTS:
        ids, _, _ = _caution_ids(option, {"labs.platelets_per_ul": platelets})
        assert "low_platelets" not in ids


@pytest.mark.parametrize(
    ("treatments", "shown"), [(["tare"], True), (["tace", "ssa"], False), (None, False)]
)
def test_radioembolisation_given_before_is_a_caution_on_liver_operations(
    treatments: list[str] | None, shown: bool
) -> None:
    """002 §3.3: radioembolisation "has shown some concern over its increased risk of
    long-term hepatotoxicity", which bears on the liver a resection leaves; a second
    radioembolisation is weighed against the dose given ("suprathreshold doses")."""
    for option in LIVER_OPERATIONS:
        ids, status, before = _caution_ids(option, {"course.prior_treatments": treatments})
        assert ("after_radioembolisation" in ids) is shown, option
        assert status == before, option
    ids, _, _ = _caution_ids("tare", {"course.prior_treatments": treatments})
    assert ("repeat_radioembolisation" in ids) is shown


@pytest.mark.parametrize(
    ("syndromes", "shown"), [(["men1"], True), (["vhl"], False), ([], False), (None, False)]
)
def test_men1_is_a_caution_where_the_primary_must_be_removed(
    syndromes: list[str] | None, shown: bool
) -> None:
    """Thakker 2012 (MEN1 guideline): pancreatic NETs in MEN1 are usually multiple and its
    gastrinomas mostly small multiple duodenal tumours, so "primary removed" (001 Table 2,
    003) may leave others in place. Shown, not applied: the seeds are silent on MEN1."""
    operations = ("liver_resection", "staged_resection", "simultaneous_resection")
    for option in (*operations, "primary_tumor_resection", *TRANSPLANTS):
        ids, status, before = _caution_ids(option, {"patient.hereditary_syndromes": syndromes})
        assert ("men1" in ids) is shown, option
        assert status == before, option


PROCEDURES = (
    *LIVER_OPERATIONS,
    "primary_tumor_resection",
    *TRANSPLANTS,
    "thermal_ablation",
    "tae",
    "tace",
    "deb_tace",
    "tare",
)


@pytest.mark.parametrize(
    ("syndromes", "shown"),
    [
        (["vhl"], True),
        (["nf1"], True),
        (["men1", "vhl"], True),
        (["men1"], False),
        (["tuberous_sclerosis"], False),
        ([], False),
        (None, False),
    ],
)
def test_vhl_or_nf1_is_a_phaeochromocytoma_caution_on_every_procedure(
    syndromes: list[str] | None, shown: bool
) -> None:
    """Lenders 2014 (Endocrine Society PPGL guideline): test for phaeochromocytoma (plasma
    free or urinary fractionated metanephrines) in a hereditary predisposition, von
    Hippel-Lindau disease and neurofibromatosis type 1 among them, and block a functional
    tumour before surgery. Shown on the procedures, not on drugs; never a change of verdict."""
    for option in PROCEDURES:
        ids, status, before = _caution_ids(option, {"patient.hereditary_syndromes": syndromes})
        assert ("phaeochromocytoma" in ids) is shown, option
        assert status == before, option
    for option in ("prrt", "everolimus", "ssa"):
        ids, _, _ = _caution_ids(option, {"patient.hereditary_syndromes": syndromes})
        assert "phaeochromocytoma" not in ids, option


@pytest.mark.parametrize(
    ("hormone", "asked"), [(None, True), ("other", True), ("acth", False), ("pthrp", False)]
)
def test_a_named_hormone_says_which_syndrome_other_is(hormone: str | None, asked: bool) -> None:
    """002 §3.3 gives the carcinoid crisis of interventions on NETs; a syndrome recorded as
    "other" may be a carcinoid one and is asked about, unless the case names its hormone
    (ectopic ACTH, PTHrP), which says what the syndrome is."""
    changes = {"primary.functional_syndrome": "other", "primary.hormone": hormone}
    ids, _, _ = _caution_ids("liver_resection", changes)
    assert ("carcinoid_crisis_other_syndrome" in ids) is asked


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"labs.bilirubin_mg_dl": 2.0}, True),
        ({"anatomy.ascites": True}, True),
        ({"labs.bilirubin_mg_dl": 1.9}, False),
        ({"labs.bilirubin_mg_dl": None, "anatomy.ascites": None}, False),
    ],
)
def test_a_poor_liver_reserve_is_a_caution_on_prrt(changes: dict[str, Any], shown: bool) -> None:
    """001 PRRT asks "adequate renal function and bone marrow reserves" and no liver limit;
    000 §4 and 001 count hepatotoxicity among PRRT's toxicities. A liver failing from tumour
    (002 §3.3's bilirubin of 2 mg/dL, ascites) is shown on PRRT as on every other systemic
    option, never changing its verdict, never from unknown values."""
    base = assess_mapping(eligible_case("prrt"), with_evidence=False)
    doc = assess_mapping(eligible_case("prrt", changes), with_evidence=False)
    texts = [d["text"] for d in doc["options"]["prrt"]["caution_details"]]
    found = any("set no liver limit, and count hepatotoxicity" in t for t in texts)
    assert found is shown
    assert doc["options"]["prrt"]["status"] == base["options"]["prrt"]["status"]


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"patient.age_years": 71}, True),
        ({"patient.age_years": 70}, False),
        ({"labs.wbc_per_ul": 3500}, True),
        ({"labs.wbc_per_ul": 4000}, False),
        ({"patient.age_years": None}, False),
    ],
)
def test_marrow_risk_factors_are_a_caution_on_prrt(changes: dict[str, Any], shown: bool) -> None:
    """Bergsma 2016 (320 patients, 177Lu-DOTATATE): grade 3/4 haematological toxicity in
    11 %, its risk factors including "white blood cell (WBC) count <4.0 x 10^9/l, age over
    70 years". Above NETTER-1's limits (criteria), shown, never changing the verdict."""
    base = assess_mapping(eligible_case("prrt"), with_evidence=False)
    doc = assess_mapping(eligible_case("prrt", changes), with_evidence=False)
    texts = [d["text"] for d in doc["options"]["prrt"]["caution_details"]]
    assert any(t.startswith("Risk factors for grade 3/4 haematological") for t in texts) is shown
    assert doc["options"]["prrt"]["status"] == base["options"]["prrt"]["status"]
