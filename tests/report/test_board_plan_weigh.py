"""The board page's plan names, beside what is open until known, the relative criteria the
step's options fail: the board's to weigh, which no missing value would settle."""

from __future__ import annotations

import json
from pathlib import Path

from nelm.report.board import board_view
from nelm.service import assess_mapping

REAL = Path(__file__).resolve().parents[1] / "realcases"


def test_a_burden_over_50_is_named_for_the_board_to_weigh() -> None:
    # 002 §3.3: "tumor burden < 50% of the liver" among the "widely used" criteria for
    # TAE/TACE; 002 §3: "a salvage approach when the liver burden ranges between 10% and
    # 90%": a burden of 60 % leaves the transarterial options to the board's judgement.
    doc = json.loads((REAL / "cr30-micallef-net-tae.json").read_text("utf-8"))["case"]
    doc["liver"] = {**doc.get("liver", {}), "tumor_burden_percent": 60}
    doc["liver"].pop("tumor_burden_percent_at_least", None)
    doc["liver"].pop("tumor_burden_percent_at_most", None)
    view = board_view(assess_mapping(doc, with_evidence=False))
    steps = [s for s in view.plan if any(oid == "tae" for oid, _, _ in s.options)]
    assert steps and "Hepatic tumour burden < 50 %" in steps[0].weigh
    # the criterion's reasons stay on the option's card; the plan names it in its first words
    assert not any("relative" in w.lower() for s in view.plan for w in s.weigh)


def test_the_board_summary_prints_a_precaution_beside_its_step() -> None:
    # 002 §3.3: "guidelines such as ENET and NANETs generally recommend the use of
    # perioperative octreotide prophylactically": for a stated carcinoid syndrome the first
    # procedure's step carries it, printed with the step (page 1), not only in the basis of
    # the plan; a note that explains a step (the SSA's hormone control) is not a precaution.
    import html as html_module

    from nelm.report.summary import render_summary_html

    doc = json.loads((REAL / "cr28-burke-midgut-tace.json").read_text("utf-8"))["case"]
    doc["primary"] = {**doc.get("primary", {}), "functional_syndrome": "carcinoid"}
    assessed = assess_mapping(doc, with_evidence=False)
    view = board_view(assessed)
    with_notes = [s for s in view.plan if s.notes]
    assert len(with_notes) == 1
    ((text, sources),) = with_notes[0].notes
    assert "octreotide given perioperatively" in text and sources == ("002 §3.3",)
    page = html_module.unescape(render_summary_html(assessed))
    plan, basis = page.split("Basis of the plan", 1)
    assert plan.count("Precaution:") == 1 and "octreotide given perioperatively" in plan
    assert "also the medical treatment of the hormonal syndrome" not in plan
    assert "octreotide given perioperatively" in basis
