"""The terminal report (``nelm assess -f text``) as a tumour board reads it: the plan and
the verdicts first, a caution common to many options said once, an absent value "not
known", and nothing of the assessment's basis lost on the way.

The common caution: 002 §3.3 (Criss 2024) calls periprocedural carcinoid crisis "a
potentially lethal complication of interventions directed at NETs (e.g., locoregional
therapies or surgery)" and gives octreotide prophylaxis for a carcinoid syndrome; it
concerns the resections, the ablation and the transarterial therapies, none of the drugs.
cr28 (Burke et al.; tests/realcases) is encoded with age and sex only, so the case does not
say whether the tumour is functional and the conditional form of the caution is shown.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.text import render_text
from nelm.report.verdicts import WEIGHED_RESULT
from nelm.report.view import plan_steps
from nelm.service import assess_mapping
from nelm.vocabulary import option_short

ROOT = Path(__file__).parents[2]
REAL = ROOT / "tests" / "realcases"
CASES = sorted(p.stem for p in REAL.glob("cr*.json"))
WIDTHS = (80, 100)
CONDITIONAL = "If the patient has a carcinoid syndrome (the case does not say whether"
# interventions directed at NETs (002 §3.3): one of each kind the sentence names
PROCEDURES = ("liver_resection", "thermal_ablation", "tace", "tare")
DRUGS = ("ssa", "everolimus")


@cache
def _real(name: str) -> dict[str, Any]:
    raw = json.loads((REAL / f"{name}.json").read_text("utf-8"))
    return assess_mapping(raw["case"])


@cache
def _flat(name: str, width: int) -> str:
    """The report with its wrapping undone: every run of spaces and line breaks one space."""
    return " ".join(render_text(_real(name), width=width).split())


def _said(text: str) -> str:
    """A sentence of the document as the report prints it (sources as author and year)."""
    return " ".join(cite_plain(text, ReferenceList()).split())


def _labels(sources: list[str]) -> str:
    return ReferenceList().labels(sources)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_carcinoid_crisis_caution_is_said_once_with_its_options(width: int) -> None:
    doc = _real("cr28-burke-midgut-tace")
    flat = _flat("cr28-burke-midgut-tace", width)
    carrying = [
        oid
        for oid, o in doc["options"].items()
        if any(c["text"].startswith(CONDITIONAL) for c in o["caution_details"])
    ]
    text = next(
        c["text"]
        for o in doc["options"].values()
        for c in o["caution_details"]
        if c["text"].startswith(CONDITIONAL)
    )
    assert set(PROCEDURES) <= set(carrying)
    assert not set(DRUGS) & set(carrying)
    # the whole sentence and its source once, under the heading above the options
    assert flat.count(_said(text)) == 1
    assert flat.count(CONDITIONAL) == 1
    said = flat.index(_said(text))
    assert flat.index("Cautions for this patient on several options") < said
    assert said < flat.index("Options — Curative")
    assert f"{_said(text)} (Criss 2024, §3.3)" in flat
    # the options it applies to, by the names a board uses
    on = re.search(r"On (\d+) options: ([^.]*)\.", flat[said:])
    assert on is not None
    assert int(on.group(1)) == len(carrying)
    names = on.group(2).split(", ")
    for oid in PROCEDURES:
        assert option_short(oid) in names
    for oid in DRUGS:
        assert option_short(oid) not in names
    # each card that carries it names it by its number, once
    assert flat.count("(caution 1, above the options)") == len(carrying)


def test_a_general_note_of_an_option_stays_on_its_card() -> None:
    # 004 (Xue 2025) §3.1: recurrence after resection, a note on the option whatever the
    # patient (not case-specific), printed in full on the liver resection's card
    doc = _real("cr28-burke-midgut-tace")
    flat = _flat("cr28-burke-midgut-tace", 100)
    # the card is the option's last heading (after the plan and the verdict lines)
    card = flat[flat.rindex("UNCERTAIN Curative-intent liver resection (one stage) ") :]
    card = card[: card.index("Evidence:")]
    notes = [c for c in doc["options"]["liver_resection"]["caution_details"]]
    general = [c for c in notes if not c["case_specific"]]
    assert general
    for note in general:
        assert f"! {_said(note['text'])} ({_labels(note['sources'])})" in card


@pytest.mark.parametrize("width", WIDTHS)
def test_an_absent_value_reads_not_known_and_the_json_keeps_unknown(width: int) -> None:
    """docs/contract/examples/sparse.json gives no extrahepatic disease: 004 (Xue 2025)
    §3.1 asks for none before a curative resection, so that criterion is open, its value
    absent. The report says "not known", as the HTML report and the web pages do; the JSON
    keeps the contract's "unknown" result. "Unknown primary" is a diagnosis and stays."""
    case = json.loads((ROOT / "docs/contract/examples/sparse.json").read_text("utf-8"))
    doc = assess_mapping(case)
    crit = next(
        c
        for c in doc["options"]["liver_resection"]["criteria"]
        if c["text"].startswith("No extrahepatic metastases")
    )
    assert crit["result"] == "unknown"
    assert crit["value"] == "Extrahepatic disease unknown"
    flat = " ".join(render_text(doc, width=width).split())
    assert "No extrahepatic metastases — Extrahepatic disease not known" in flat
    assert re.findall(r"\bunknown\b(?! primary)", flat) == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CASES)
def test_every_criterion_value_source_and_caution_of_a_real_case_is_shown(
    name: str, width: int
) -> None:
    """Nothing of an option's basis is lost: every criterion of an open option with its
    value and sources, every criterion that rules an option out, the count of those an
    ineligible option leaves out, and every caution (in full on its card, or named there
    and said in full once above the options)."""
    doc = _real(name)
    flat = _flat(name, width)
    for o in doc["options"].values():
        ruled_out = o["status"] == "ineligible"
        assert " ".join(o["name"].split()) in flat
        hidden = 0
        for c in o["criteria"]:
            if ruled_out and c["result"] != "not_met":
                hidden += 1
                continue
            value = re.sub(r"\bunknown\b(?! primary)", "not known", c["value"])
            if c.get("relative_contraindication"):  # not met, not "not known"
                value += f" ({WEIGHED_RESULT})"
            row = f"{_said(c['text'])} — {' '.join(value.split())} ({_labels(c['sources'])})"
            assert row in flat, (o["name"], c["id"])
        if hidden:
            assert f"({hidden} other criteri" in flat
        for caution in o["caution_details"]:
            if ruled_out and not caution["case_specific"]:
                continue
            assert _said(caution["text"]) in flat, (o["name"], caution["text"][:40])
        for field in o["missing"]:
            assert field not in flat  # named by its label, never by its path
    for item in doc["missing_data"]:
        assert item["field"] not in flat


@pytest.mark.parametrize("width", WIDTHS)
def test_the_plan_and_every_verdict_come_before_the_details(width: int) -> None:
    doc = _real("cr18-kudelka-serotonin-pnet-chd")
    flat = _flat("cr18-kudelka-serotonin-pnet-chd", width)
    plan, verdicts = flat.index("Plan ─"), flat.index("Verdicts")
    classification, cards = flat.index("Classification ─"), flat.index("Options —")
    assert plan < verdicts < classification < cards
    overview = flat[verdicts:classification]
    for o in doc["options"].values():
        word = {"eligible": "ELIGIBLE", "uncertain": "UNCERTAIN", "ineligible": "INELIGIBLE"}
        assert f"{word[o['status']]} {' '.join(o['name'].split())}" in overview
    # the plan says each option's verdict in words, not only in colour
    items = [i for step in plan_steps(doc) for i in step["items"]]
    assert items
    for item in items:
        assert f"{' '.join(item['name'].split())} — {item['status']}" in flat[plan:verdicts]


def _card(flat: str, name: str) -> str:
    """One option's card in the flattened report: from its heading to the next card's."""
    start = flat.index("Options —")
    start = flat.index(f"{name} ", start)
    end = min(
        (
            i
            for w in ("ELIGIBLE ", "UNCERTAIN ", "INELIGIBLE ", "To do:")
            if (i := flat.find(w, start + len(name))) > 0
        ),
        default=len(flat),
    )
    return flat[start:end]


def test_a_card_with_the_criteria_of_a_card_above_names_it() -> None:
    """002 §3.3 (Criss 2024) gives the laboratory criteria and the contraindications of
    "TAE/TACE" together, and nelm asks the same of DEB-TACE: for cr28 the three cards'
    criteria, values and sources are the same, printed on the first (TAE) and named on
    the others."""
    doc = _real("cr28-burke-midgut-tace")
    flat = _flat("cr28-burke-midgut-tace", 100)

    def rows(oid: str) -> list[tuple[str, str, str, list[str]]]:
        return [
            (c["text"], c["value"], c["result"], c["sources"])
            for c in doc["options"][oid]["criteria"]
        ]

    assert rows("tace") == rows("tae") == rows("deb_tace")
    tae = _card(flat, doc["options"]["tae"]["name"])
    assert (
        "serum bilirubin < 2 mg/dL (hepatic insufficiency contraindicates embolisation) — "
        "Bilirubin not known (Criss 2024, §3.3; Machairas 2021, TAE and TACE; Nigri 2018, "
        "Hepatic arterial embolization)"
    ) in tae
    for oid in ("tace", "deb_tace"):
        card = _card(flat, doc["options"][oid]["name"])
        n = len(rows(oid))
        assert f"= The same {n} criteria, values, results and sources as TAE above" in card
        assert " ? " not in card and "serum bilirubin" not in card
    # an option whose criteria differ keeps its own rows (TARE has criteria of its own)
    tare = _card(flat, doc["options"]["tare"]["name"])
    assert "The same" not in tare and " ? " in tare
