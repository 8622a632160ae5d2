"""A caution this patient raises on several options is printed once, above the options,
and each option's card names it by number (``nelm.report.cautions``): the printed report
and the web page's cards.

The caution: 002 §3.3 (Criss 2024) calls periprocedural carcinoid crisis "a potentially
lethal complication" of "interventions directed at NETs (e.g., locoregional therapies or
surgery)", and gives octreotide prophylaxis for a carcinoid syndrome. It therefore
concerns the resections, the ablation and the transarterial therapies, and none of the
drugs (an SSA, everolimus). The published case cr28 (Burke et al., Can J Gen Intern Med:
carcinoid crisis complicating TACE of a midgut carcinoid's liver metastases) is encoded
with age and sex only, so whether the tumour is functional is not stated and the
conditional text is shown; BASE with ``functional_syndrome: carcinoid`` shows the firm one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nelm.report.board import board_view
from nelm.report.cautions import MIN_OPTIONS, caution_title, common_cautions
from nelm.report.html import render_html
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes

REAL = Path(__file__).parents[1] / "realcases"
CONDITIONAL = "If the patient has a carcinoid syndrome (the case does not say whether"
FIRM = "Carcinoid syndrome: risk of periprocedural carcinoid crisis"
# interventions directed at NETs (002 §3.3): one of each kind the sentence names
PROCEDURES = ("liver_resection", "thermal_ablation", "tace", "tare")
DRUGS = ("ssa", "everolimus")


def _cr28() -> dict[str, Any]:
    raw = json.loads((REAL / "cr28-burke-midgut-tace.json").read_text("utf-8"))
    return assess_mapping(raw["case"], with_evidence=False)


def _carcinoid() -> dict[str, Any]:
    return assess_mapping(
        with_changes(BASE, {"primary.functional_syndrome": "carcinoid"}), with_evidence=False
    )


def _doc(cautions: dict[str, list[tuple[str, bool]]]) -> dict[str, Any]:
    """A minimal assessment document: option id → (caution text, case-specific)."""
    return {
        "options": {
            oid: {
                "name": f"Option {oid}",
                "status": "uncertain",
                "caution_details": [
                    {"text": t, "sources": ["002 §3.3"], "case_specific": s} for t, s in shown
                ],
            }
            for oid, shown in cautions.items()
        }
    }


def test_a_caution_of_the_patient_on_enough_options_is_common() -> None:
    many = {f"o{i}": [("Patient fact: a risk", True)] for i in range(MIN_OPTIONS)}
    (common,) = common_cautions(_doc(many))
    assert common.number == 1
    assert common.options == tuple(many)
    assert common.sources == ("002 §3.3",)


def test_fewer_options_or_a_general_note_stay_on_the_cards() -> None:
    few = {f"o{i}": [("Patient fact: a risk", True)] for i in range(MIN_OPTIONS - 1)}
    assert common_cautions(_doc(few)) == []
    general = {f"o{i}": [("A note on the option: a risk", False)] for i in range(MIN_OPTIONS + 2)}
    assert common_cautions(_doc(general)) == []


def test_a_caution_as_short_as_its_reference_stays_on_the_cards() -> None:
    # "Extrahepatic disease is a negative prognostic factor after TACE" (002 §3.2) is
    # shorter than "… (caution 1, above the options)" would be
    short = {f"o{i}": [("Extrahepatic disease is a risk", True)] for i in range(MIN_OPTIONS)}
    assert common_cautions(_doc(short)) == []


def test_only_the_options_shown_as_cards_are_counted() -> None:
    doc = _doc({f"o{i}": [("Patient fact: a risk", True)] for i in range(MIN_OPTIONS)})
    doc["options"]["o0"]["status"] = "ineligible"
    assert common_cautions(doc, lambda o: o["status"] != "ineligible") == []


def test_a_card_names_the_caution_by_its_fact_and_its_risk() -> None:
    assert caution_title(
        "If the patient has a carcinoid syndrome (the case does not say whether the tumour is "
        "functional): risk of periprocedural carcinoid crisis, a potentially lethal "
        "complication"
    ) == ("If the patient has a carcinoid syndrome: risk of periprocedural carcinoid crisis")
    # a fragment after the colon ("the Milan") is left out rather than shown cut
    assert (
        caution_title("Carcinoid heart disease: the Milan, ENETS and UNOS criteria sets")
        == "Carcinoid heart disease"
    )
    words = " ".join(f"w{i}" for i in range(20))
    assert caution_title(words) == " ".join(f"w{i}" for i in range(12)) + " …"


def test_the_carcinoid_crisis_caution_concerns_the_procedures_not_the_drugs() -> None:
    for doc, start in ((_cr28(), CONDITIONAL), (_carcinoid(), FIRM)):
        crisis = [c for c in common_cautions(doc) if c.text.startswith(start)]
        assert len(crisis) == 1, start
        assert set(PROCEDURES) <= set(crisis[0].options), start
        assert not set(DRUGS) & set(crisis[0].options), start


def _visible(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_printed_report_prints_the_caution_once_and_each_card_points_to_it() -> None:
    for doc, start in ((_cr28(), CONDITIONAL), (_carcinoid(), FIRM)):
        page = render_html(doc)
        text = _visible(page)
        # the prophylaxis is said in the caution's own text only, not in a card's reference
        assert text.count("perioperative octreotide prophylaxis") == 1, start
        (crisis,) = [c for c in common_cautions(doc) if c.text.startswith(start)]
        for oid in crisis.options:
            card = page.split(f'id="option-{oid}"', 1)[1].split('class="option"', 1)[0]
            assert f'href="#caution-{crisis.number}"' in card, oid
        for oid in DRUGS:
            card = page.split(f'id="option-{oid}"', 1)[1].split('class="option"', 1)[0]
            assert "#caution-" not in card, oid


def test_the_web_cards_point_to_the_caution_said_once() -> None:
    doc = _cr28()
    view = board_view(doc)
    cards = [o for o in view.options if o.status in ("eligible", "uncertain")]
    crisis = [c for c in view.common_cautions if c.text.startswith(CONDITIONAL)]
    assert len(crisis) == 1
    for option in cards:
        shared, own = view.card_cautions(option)
        assert not any(text.startswith(CONDITIONAL) for text, _ in own), option.id
        assert (crisis[0] in shared) == (option.id in crisis[0].options), option.id
    assert not {o.id for o in view.options if o.status == "ineligible"} & set(crisis[0].options)


def test_a_record_warning_is_printed_in_full_once() -> None:
    """The record's warnings stand in full in the "Read first" box and by their headline
    among the warnings (a reader of the list alone still sees them named)."""
    warning = (
        "RESTRICTED DATA: 1 resource read for this assessment carries the security label "
        "restricted (R) (Patient/example)."
    )
    # as a case stored from a FHIR record keeps them (docs/case-v1-additions.md)
    doc = _cr28()
    doc = {
        **doc,
        "warnings": [warning],
        "inputs": {**doc["inputs"], "record_warnings": [warning]},
    }
    text = _visible(render_html(doc))
    assert text.count(warning) == 1
    assert "RESTRICTED DATA : in full under “Read first” above." in text
