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
    # named with the transarterial options it concerns: the step also holds the ablation
    (burden,) = [w for w in steps[0].weigh if w.startswith("Hepatic tumour burden < 50 %")]
    assert all(name in burden for name in ("TAE", "TACE", "DEB-TACE", "TARE"))
    assert "ablation" not in burden
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
    # The report does not record the heart: the screening for carcinoid heart disease
    # (Davar 2017) is the step's second precaution.
    (text, sources), (screening, screening_sources) = with_notes[0].notes
    assert "octreotide given perioperatively" in text and sources == ("002 §3.3",)
    assert "echocardiography" in screening and screening_sources == ("Davar-2017",)
    page = html_module.unescape(render_summary_html(assessed))
    plan, basis = page.split("Basis of the plan", 1)
    # the steps only: an investigation's precaution (the biopsy's) is printed with it
    steps = plan.split("Investigations that would decide most", 1)[0]
    assert steps.count("Precaution:") == 2 and "octreotide given perioperatively" in steps
    assert "also the medical treatment of the hormonal syndrome" not in plan
    # printed once: the basis gives the step's rationale without the precautions it shows
    # (a reviewer found the cover three times on one summary), the notes that explain a
    # step stay in it; the assessment's rationale still carries every note (the contract)
    assert "octreotide given perioperatively" not in basis
    assert "also the medical treatment of the hormonal syndrome" in basis
    first = next(s for s in assessed["plan"] if s.get("notes"))
    assert "octreotide given perioperatively" in first["rationale"]


def test_a_relative_criterion_of_some_of_a_step_s_options_is_named_with_them() -> None:
    # 003 Medical therapy: streptozotocin's efficacy "in treating G1/G2 PNENs has been
    # demonstrated" (relative for a G3 NET, 004 §3.4): in a step with CAPTEM and
    # cabozantinib, the point is the streptozocin's, and the page must not read it as
    # said of every option of the step.
    doc = json.loads((REAL / "cr30-micallef-net-tae.json").read_text("utf-8"))["case"]
    doc["primary"] = {"site": "pancreas", "resected": True, "functional_syndrome": "none"}
    doc["pathology"] = {"ki67_percent": 30, "differentiation": "well"}
    doc["course"] = {
        "status": "progressing",
        "prior_systemic_lines": 1,
        "prior_treatments": ["ssa", "everolimus"],
    }
    view = board_view(assess_mapping(doc, with_evidence=False))
    steps = [s for s in view.plan if any(o == "streptozocin_5fu" for o, _, _ in s.options)]
    assert steps and len(steps[0].options) > 1
    stz = [w for w in steps[0].weigh if "efficacy was shown" in w]
    assert len(stz) == 1 and stz[0].endswith("(STZ/5-FU)")
    # and the page's plan shows which step is the primary's resection (surgery)
    assert all(
        s.intent == "Disease control (surgery of the primary)"
        for s in view.plan
        if [o for o, _, _ in s.options] == ["primary_tumor_resection"]
    )
