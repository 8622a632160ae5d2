"""The printable report as a tumour board reads it: the first page gives the patient's
facts, the warnings and every option's verdict; each verdict and plan item names the card
that gives its criteria, by a number the card bears; a result reads "not known"; the lists
of many options use the options' short names; no field path reaches the text.

The case: docs/contract/examples/sparse.json (a liver-metastatic NET with little known), so
that most criteria are open and the lists are long.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nelm.report.html import render_html
from nelm.service import assess_mapping

SPARSE = Path(__file__).resolve().parents[2] / "docs" / "contract" / "examples" / "sparse.json"


def _doc() -> dict[str, Any]:
    return assess_mapping(json.loads(SPARSE.read_text(encoding="utf-8")))


def _headings(html: str) -> list[str]:
    return re.findall(r"<h2>([^<]+)</h2>", html)


def test_the_verdicts_and_the_plan_come_before_the_classification_and_the_cards() -> None:
    headings = _headings(render_html(_doc()))
    order = ["Inputs used", "Verdicts", "Plan", "Classification", "Options"]
    assert [h for h in headings if h in order] == order


def test_every_option_has_one_verdict_naming_the_number_its_card_bears() -> None:
    doc = _doc()
    html = render_html(doc)
    verdicts = html.split("<h2>Verdicts</h2>", 1)[1].split("<h2>", 1)[0]
    cards = html.split("<h2>Options</h2>", 1)[1]
    numbered = dict(
        re.findall(
            r'<div class="option" id="option-([a-z0-9_]+)">\s*<p><span class="card-no">(\d+)\.',
            cards,
        )
    )
    assert set(numbered) == set(doc["options"])  # every card numbered, once
    assert sorted(int(n) for n in numbered.values()) == list(range(1, len(numbered) + 1))
    said = re.findall(r"\(card (\d+)\)", verdicts)
    assert sorted(said) == sorted(numbered.values())  # each card named once in the verdicts
    for oid, option in doc["options"].items():
        # the verdict line of an option: its name, then its card's number
        line = re.search(
            re.escape(str(option["name"]).replace("&", "&amp;")) + r"</strong>.*?\(card (\d+)\)",
            verdicts,
            re.S,
        )
        assert line is not None and line.group(1) == numbered[oid], oid


def test_each_plan_item_names_its_card() -> None:
    html = render_html(_doc())
    plan = html.split("<h2>Plan</h2>", 1)[1].split("<h2>", 1)[0]
    links = re.findall(r'href="#option-[a-z0-9_]+">[^<]+</a></strong>', plan)
    assert links and len(re.findall(r"\(card \d+\)", plan)) == len(links)


def test_a_result_reads_not_known_in_the_cards() -> None:
    results = re.findall(r'<td class="result">([^<]*)</td>', render_html(_doc()))
    assert "not known" in results and "unknown" not in results


def test_the_inputs_name_their_sections_in_words_once_each() -> None:
    html = render_html(_doc())
    inputs = html.split("<h2>Inputs used</h2>", 1)[1].split("<h2>", 1)[0]
    sections = [s for s in re.findall(r"<tr><td>([^<]*)</td>", inputs) if s]
    assert sections and len(sections) == len(set(sections))
    assert all(s[0].isupper() for s in sections), sections  # "Patient", not "patient"


def test_a_source_note_names_a_field_by_its_label() -> None:
    doc = _doc()
    doc["input_source"] = {
        "format": "FHIR R4 Bundle",
        "assessment_date": "2020-01-01",
        "provenance": {},
        "unmapped": [],
        "notes_by_reason": [
            {
                "reason": "patient.ecog: the result is more than 90 days older than the "
                "assessment date",
                "count": 1,
                "references": ["Observation/ecog-1"],
            }
        ],
    }
    source = render_html(doc).split("<h2>Input source</h2>", 1)[1].split("<h2>", 1)[0]
    assert "ECOG performance status: the result is more than 90 days older" in source
    assert "patient.ecog" not in source


def test_the_missing_data_list_names_options_by_their_short_names() -> None:
    doc = _doc()
    doc["investigations"] = []  # no to-do list (a stored assessment without one)
    html = render_html(doc)
    missing = html.split("<h2>Missing data that would decide an option</h2>", 1)[1]
    missing = missing.split("<h2>", 1)[0]
    assert "TACE" in missing
    assert "Conventional transarterial chemoembolisation (cTACE)" not in missing
