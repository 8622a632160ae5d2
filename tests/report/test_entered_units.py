"""A number entered in another unit is shown as entered, the converted value beside it,
wherever the assessment shows it: each criterion's value (JSON, text report, HTML and PDF
report), the warnings and the board's facts. The engine decides on the converted value.

Conversions: 1 × 10⁹/L = 1,000 /µL; bilirubin 17.1 µmol/L = 1 mg/dL; 10 mm = 1 cm
(Young DS, Ann Intern Med 1987;106:114-129). Thresholds: TAE/TACE need bilirubin < 2 mg/dL
and platelets > 100,000 (002 §3.3: "platelet count > 100,000/mL, serum bilirubin < 2 mg/dL").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nelm.report.board import board_view
from nelm.report.html import render_html
from nelm.report.text import render_text
from nelm.service import assess_mapping
from tests.engine.cases import BASE, with_changes
from tests.report.pdf_text import printed_text

ENTERED: dict[str, Any] = {
    "labs.platelets_per_ul": {"value": 210, "unit": "10⁹/L"},
    # 15 µmol/L = 0.88 mg/dL: below 2 mg/dL
    "labs.bilirubin_mg_dl": {"value": 15, "unit": "µmol/L"},
    "liver.largest_lesion_cm": None,
    "liver.largest_lesion_cm_at_most": {"value": 30, "unit": "mm"},
}
PLATELETS = "Platelets 210 10⁹/L (210,000 /µL)"
BILIRUBIN = "Bilirubin 15 µmol/L (0.88 mg/dL)"
LARGEST = "Largest liver lesion ≤ 30 mm (≤ 3 cm) (entered)"


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return assess_mapping(with_changes(BASE, ENTERED), with_evidence=False)


def _criterion(doc: dict[str, Any], option: str, criterion: str) -> dict[str, Any]:
    return next(c for c in doc["options"][option]["criteria"] if c["id"] == criterion)


def test_criterion_values_show_the_number_as_entered_and_decide_on_the_converted(
    doc: dict[str, Any],
) -> None:
    platelets = _criterion(doc, "tace", "tace.platelets")
    assert (platelets["value"], platelets["result"]) == (PLATELETS, "met")
    bilirubin = _criterion(doc, "tace", "tace.bilirubin")
    assert (bilirubin["value"], bilirubin["result"]) == (BILIRUBIN, "met")
    values = {c["value"] for o in doc["options"].values() for c in o["criteria"]}
    assert any(LARGEST in v for v in values)


def test_the_converted_value_decides() -> None:
    """40 µmol/L is 2.34 mg/dL: not below 2 mg/dL, whatever the number 40 looks like."""
    changes = {**ENTERED, "labs.bilirubin_mg_dl": {"value": 40, "unit": "µmol/L"}}
    doc = assess_mapping(with_changes(BASE, changes), with_evidence=False)
    bilirubin = _criterion(doc, "tace", "tace.bilirubin")
    assert bilirubin["value"] == "Bilirubin 40 µmol/L (2.34 mg/dL)"
    assert bilirubin["result"] == "not_met"


def test_a_bound_in_another_unit_is_converted_at_clinical_precision() -> None:
    """A laboratory's "creatinine > 400 µmol/L" (88.4 µmol/L = 1 mg/dL: 4.52 mg/dL) is
    above 002 §3.3's "serum creatinine < 2" and shown as a clinician writes it."""
    changes = {
        "labs.creatinine_mg_dl": None,
        "labs.creatinine_mg_dl_more_than": {"value": 400, "unit": "µmol/L"},
    }
    doc = assess_mapping(with_changes(BASE, changes), with_evidence=False)
    creatinine = _criterion(doc, "tace", "tace.creatinine")
    # the limit reads an eGFR only without a creatinine (CKD-EPI 2021); the one given
    # beside it is shown, the creatinine deciding
    assert creatinine["value"].startswith("Creatinine > 400 µmol/L (> 4.52 mg/dL) (entered)")
    assert creatinine["result"] == "not_met"


SHOWN = (BILIRUBIN, "≤ 30 mm (≤ 3 cm)", PLATELETS)


def test_the_text_report_shows_them(doc: dict[str, Any]) -> None:
    text = render_text(doc, width=400)
    for shown in SHOWN:
        assert shown in text


def test_the_html_report_shows_them(doc: dict[str, Any]) -> None:
    html = render_html(doc)
    for shown in SHOWN:
        assert shown in html


def test_the_pdf_report_shows_them(doc: dict[str, Any], tmp_path: Path) -> None:
    text = printed_text(doc, tmp_path)
    flat = " ".join(text.split())
    assert "210 10⁹/L (210,000 /µL)" in flat
    assert "15 µmol/L (0.88 mg/dL)" in flat


def test_the_board_facts_show_them(doc: dict[str, Any]) -> None:
    facts = {f.label: f.value for f in board_view(doc).facts}
    assert "platelets 210 10⁹/L (210,000 /µL)" in facts["Key labs"]
    assert "bilirubin 15 µmol/L (0.88 mg/dL)" in facts["Key labs"]
    assert "largest ≤ 30 mm (3 cm)" in facts["Liver"]


def test_the_board_facts_show_a_reported_range_instead_of_unknown() -> None:
    """'More than 10' lesions (a lower bound) is not "lesion count not known"."""
    doc = assess_mapping(
        with_changes(BASE, {"liver.lesion_count": None, "liver.lesion_count_at_least": 11}),
        with_evidence=False,
    )
    facts = {f.label: f.value for f in board_view(doc).facts}
    assert "≥ 11 lesions" in facts["Liver"]


def test_the_board_warnings_read_with_labels_and_whole_numbers() -> None:
    """The board reads labels, not paths, and never a duplicated label; 5,000 stays 5,000
    (it once read "5,Ngongoni 2022" and "Platelets (Platelets)")."""
    doc_in: dict[str, Any] = with_changes(
        BASE, {"labs.platelets_per_ul": {"value": 2, "unit": "10⁹/L"}}
    )
    doc_in["confirmed"] = ["labs.platelets_per_ul"]
    view = board_view(assess_mapping(doc_in, with_evidence=False))
    first = view.warnings[0]
    assert first.startswith("Platelets 2 10⁹/L (2,000 /µL) is outside the plausible range 5,000–")
    assert "labs.platelets_per_ul" not in first
    from markupsafe import Markup

    from nelm.report.board import cite_in_text

    shown = str(cite_in_text(first, view.references))
    assert "5,000–1,500,000 /µL" in shown and "Ngongoni" not in shown
    assert isinstance(cite_in_text(first, view.references), Markup)


def test_the_staging_explanation_shows_the_primary_size_as_entered() -> None:
    """003 Tables 2 and 3 stage the pancreatic primary by its size in cm: 32 mm is 3.2 cm."""
    doc = assess_mapping(
        with_changes(BASE, {"primary.size_cm": {"value": 32, "unit": "mm"}}), with_evidence=False
    )
    explanations = doc["classification"]["explanations"]
    staged = [v for k, v in explanations.items() if k.startswith("stage_")]
    assert staged and all("primary 32 mm (3.2 cm)" in text for text in staged)


def test_the_board_facts_read_what_the_case_implies() -> None:
    """Listed sites are extrahepatic disease, a margin a resected primary and a Krenning
    score of 3 positive SSTR imaging (docs/clinical-safety.md): the summary reads them as
    the criteria do, and shows the sites, never "not known" beside them."""
    doc = assess_mapping(
        with_changes(
            BASE,
            {
                "extrahepatic.present": None,
                "extrahepatic.sites": ["bone"],
                "primary.resected": None,
                "primary.resection_margin": "R0",
                "imaging.sstr_positive": None,
                "imaging.krenning_score": 3,
            },
        ),
        with_evidence=False,
    )
    facts = {f.label: f.value for f in board_view(doc).facts}
    assert facts["Extrahepatic"].startswith("present: bone")
    assert "resected (R0)" in facts["Primary"]
    assert facts["Imaging"].startswith("SSTR positive (Krenning 3)")


def test_the_board_facts_name_both_lobes_without_a_distribution() -> None:
    doc = assess_mapping(
        with_changes(BASE, {"liver.distribution": None, "liver.bilobar": True}),
        with_evidence=False,
    )
    liver = {f.label: f.value for f in board_view(doc).facts}["Liver"]
    assert "both lobes" in liver and "type II or III (not settled)" in liver


def test_the_board_course_names_what_the_transplant_and_prrt_criteria_read() -> None:
    """Stable disease for at least 6 months (001 Table 2) and progression on an SSA (PRRT,
    002 §2.3) decide options, so the summary's course line shows them."""
    doc = assess_mapping(
        with_changes(
            BASE,
            {
                "course.status": "stable",
                "course.months_stable": None,
                "course.months_stable_at_least": 8,
                "course.progressed_on_ssa": True,
                "course.recurrence_after_liver_resection": True,
            },
        ),
        with_evidence=False,
    )
    course = {f.label: f.value for f in board_view(doc).facts}["Course"]
    assert course.startswith("stable for ≥ 8 months · progressed on an SSA")
    assert "recurrence after liver resection" in course


def test_the_board_course_reads_what_the_timeline_gives() -> None:
    """A timeline's dates settle the course (docs/case-v1-additions.md, The timeline): the
    summary shows what the criteria read, not "course not known". 2020-01-01 → 2021-01-01 is
    366 days, 12.0 months of stable disease since the progression; the PRRT line is a
    treatment given."""
    case = with_changes(
        BASE,
        {
            "course.status": None,
            "course.months_stable": None,
            "course.prior_treatments": None,
            "course.prior_systemic_lines": None,
            "course.progressed_on_ssa": None,
        },
    )
    case["timeline"] = {
        "as_of": "2021-01-01",
        "treatments": [{"treatment": "prrt", "start": "2019-06-01", "stop": "2019-12-01"}],
        "scans": [
            {"date": "2020-01-01", "finding": "progression"},
            {"date": "2021-01-01", "finding": "stable"},
        ],
    }
    doc = assess_mapping(case, with_evidence=False)
    assert {"field": "course.status", "value": "stable"} in doc["classification"]["from_timeline"]
    course = {f.label: f.value for f in board_view(doc).facts}["Course"]
    assert course.startswith("stable for ≥ 12 months")
    assert "PRRT" in course or "Peptide receptor" in course
    # A latest progression: progressing, and no "stable for 0 months" beside it.
    case["timeline"]["scans"].append({"date": "2021-01-15", "finding": "progression"})
    case["timeline"]["as_of"] = "2021-02-01"
    doc = assess_mapping(case, with_evidence=False)
    course = {f.label: f.value for f in board_view(doc).facts}["Course"]
    assert course.startswith("progressing ·") and "stable for" not in course


def test_the_full_report_warnings_read_with_labels_too() -> None:
    """The printable report names fields as the board summary and the CLI do (it printed
    "fields labs.egfr_ml_min, labs.creatinine_mg_dl"); CKD-EPI 2021 gives creatinine 4
    mg/dL an eGFR far below 120 (nelm.engine.consistency)."""
    from nelm.report.html import render_html

    doc = assess_mapping(
        with_changes(BASE, {"labs.creatinine_mg_dl": 4, "labs.egfr_ml_min": 120}),
        with_evidence=False,
    )
    html = render_html(doc)
    start = html.index('<section class="warnings">')
    warnings = html[start : html.index("</section>", start)]
    assert "(fields eGFR, Creatinine;" in warnings
    assert "labs.egfr_ml_min" not in warnings


def test_the_board_names_a_functional_tumour_as_clinicians_do() -> None:
    """An insulinoma is "insulinoma" (it read "insulinoma syndrome"), a VIPoma "VIPoma";
    the carcinoid syndrome keeps its name (WHO 2019 names of the functional tumours)."""
    for syndrome, words in (
        ("insulinoma", "insulinoma"),
        ("vipoma", "VIPoma"),
        ("carcinoid", "carcinoid syndrome"),
        ("none", "non-functional"),
    ):
        doc = assess_mapping(
            {"case_id": "s", "primary": {"site": "pancreas", "functional_syndrome": syndrome}},
            with_evidence=False,
        )
        facts = {f.label: f.value for f in board_view(doc).facts}
        assert facts["Primary"].endswith(f"· {words}"), facts["Primary"]


def test_the_board_names_the_hormone_of_another_syndrome() -> None:
    """ "Another functional syndrome" alone hid an ectopic ACTH (Cushing's) syndrome from the
    board's facts; the hormone the case names is shown beside it."""
    for primary, words in (
        ({"functional_syndrome": "other", "hormone": "acth"}, "another functional syndrome (ACTH)"),
        (
            {"functional_syndrome": "carcinoid", "hormone": "serotonin"},
            "carcinoid syndrome (serotonin)",
        ),
        ({"functional_syndrome": "insulinoma", "hormone": "insulin"}, "insulinoma"),
        ({"hormone": "pthrp"}, "secretes PTHrP"),
    ):
        doc = assess_mapping(
            {"case_id": "h", "primary": {"site": "small_intestine", **primary}},
            with_evidence=False,
        )
        facts = {f.label: f.value for f in board_view(doc).facts}
        assert facts["Primary"].endswith(f"· {words}"), facts["Primary"]
