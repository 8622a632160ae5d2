"""The board summary says what the full report says, in the same words.

cr18 (Kudelka, tests/realcases): a well-differentiated G3 pancreatic NET with carcinoid
syndrome and carcinoid heart disease, a new diagnosis, SSTR imaging not reported.
- Surufatinib asks for a G1/G2 NET, a non-functional tumour and progressive disease
  (SANET-p/ep, Xue 2025 §3.4; Nigri 2018, Targeted therapies): all three fail here, so its
  line names two and "1 more criterion".
- An investigation says how many options it decides, and names them, when it names them,
  by the short names the full report's to-do list uses.
- The carcinoid heart disease is shown, not applied, on the palliative operations
  (Nigri 2018, Potentially curative surgery: the criterion is for curative surgery), named
  by their short names as the full report's cautions name them ("cytoreduction",
  "primary resection"); the carcinoid syndrome's octreotide cover (Criss 2024 §3.3)
  concerns every procedure of the plan, counted rather than listed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nelm.report.summary import render_summary_html
from nelm.service import assess_mapping

CR18 = Path(__file__).parents[1] / "realcases" / "cr18-kudelka-serotonin-pnet-chd.json"


@pytest.fixture(scope="module")
def text() -> str:
    doc = assess_mapping(json.loads(CR18.read_text("utf-8"))["case"], with_evidence=False)
    html = render_summary_html(doc, case_version=1)
    body = html[html.index("<body>") :]  # the page's words, not its style sheets
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_ruled_out_options_are_headed_with_the_reports_verdict_word(text: str) -> None:
    assert "Ineligible on the data given" in text
    assert "Not suitable" not in text


def test_one_more_failing_criterion_is_one_criterion(text: str) -> None:
    surufatinib = _between(text, "Surufatinib (VEGFR", "Cabozantinib")
    assert "and 1 more criterion not met" in surufatinib


def test_an_investigation_names_the_options_it_decides_by_their_short_names(text: str) -> None:
    investigations = _between(text, "Investigations that would decide most", "Cautions")
    said = re.findall(r"\(decides (\d+) options?(?:: ([^)]*))?\)", investigations)
    assert said
    for count, names in said:
        if names:
            assert len(names.split(", ")) == int(count)
            assert "Resection of the primary tumour" not in names
    # never a bare count that does not say of what
    assert not re.search(r"\(decides \d+\)", investigations)


def test_a_caution_names_its_options_by_their_short_names(text: str) -> None:
    cautions = _between(text, "Cautions for this patient", "Ineligible on the data given")
    crisis = _between(cautions, "Carcinoid syndrome: risk of periprocedural", "Carcinoid heart")
    assert re.search(r"— \d+ options of the plan$", crisis.rstrip())
    heart = _between(cautions, "Carcinoid heart disease: ", "Pancreatic primaries")
    assert heart.rstrip().endswith("— cytoreduction; primary resection")
    assert "Resection of the primary tumour with unresectable liver metastases" not in cautions


def test_the_safety_line_does_not_point_above_itself(text: str) -> None:
    head = text[: text.index("Patient")]
    assert "Decision support for clinicians, not a decision" in head
    assert "above" not in head
    assert "the full report shows every criterion" in head


def test_a_case_with_no_option_ruled_out_says_so_under_the_heading() -> None:
    """With nothing known, no criterion fails: missing data leaves an option uncertain and
    never rules it out (docs/clinical-safety.md), so the ruled-out list is empty. The
    heading then says "None" rather than standing alone over nothing, which read as a
    list lost in printing (the meeting record of a FHIR record without an NEN)."""
    empty = {"schema_version": 1, "case_id": "nothing-known"}
    doc = assess_mapping(empty, with_evidence=False)
    html = render_summary_html(doc, case_version=1)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[html.index("<body>") :]))
    ruled_out = _between(words, "Ineligible on the data given", "Basis of the plan")
    assert "None: no option is ruled out on this case's data." in ruled_out


def test_a_case_with_options_ruled_out_lists_them_without_the_none_line(text: str) -> None:
    ruled_out = _between(text, "Ineligible on the data given", "Basis of the plan")
    assert "Surufatinib" in ruled_out  # fails G1/G2, non-functional and progression (above)
    assert "None:" not in ruled_out
