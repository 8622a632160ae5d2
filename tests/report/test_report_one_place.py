"""The printed report says each fact in one place: a field an investigation of the to-do
list gives is named there and not listed again as missing data; nothing is lost on the way
(every missing field is still named, in the to-do list or the missing-data list, and on the
card of every option it decides). An ineligible option's card gives the criteria not met in
full and its other criteria in one line. A caution is printed in full once.

The cases: the fifteen published cases of tests/realcases (the case documents their
re-encoding holds), and docs/contract/examples/sparse.json with its to-do list removed.
"""

from __future__ import annotations

import copy
import html as html_lib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.cautions import caution_title
from nelm.report.gives import gives_label
from nelm.report.html import render_html
from nelm.report.known_range import missing_label
from nelm.report.text import render_text
from nelm.report.view import field_label, not_known_words
from nelm.service import assess_mapping

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted((ROOT / "tests" / "realcases").glob("cr*.json"))
SPARSE = ROOT / "docs" / "contract" / "examples" / "sparse.json"


@cache
def _assessed(path: Path) -> dict[str, Any]:
    case = json.loads(path.read_text(encoding="utf-8"))
    return assess_mapping(case.get("case", case), with_evidence=False)


def _text(fragment: str) -> str:
    """The words of an HTML fragment, tags dropped and white space made single."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _between(page: str, start: str, *ends: str) -> str:
    if start not in page:
        return ""
    rest = page.split(start, 1)[1]
    cut = min((rest.index(e) for e in ends if e in rest), default=len(rest))
    return rest[:cut]


def _card(page: str, oid: str) -> str:
    return _between(page, f'id="option-{oid}"', '<div class="option"', "<h3>", "<h2>")


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_a_field_is_named_once_before_the_cards_and_on_every_card_it_decides(
    path: Path,
) -> None:
    doc = copy.deepcopy(_assessed(path))
    page = render_html(doc)
    todo = _between(page, "<h2>To do: investigations", "<h2>")
    missing = _between(page, "<h2>Missing data that would decide an option</h2>", "<h2>")
    assert todo, "the published cases all leave something to investigate"
    given: set[str] = {f for item in doc["investigations"] for f in item["fields"]}
    for item in doc["missing_data"]:
        label = html_lib.escape(missing_label(doc, item["field"], field_label), quote=False)
        if item["field"] in given:
            # named in the to-do list, with its investigation, by what the investigation
            # examines ("Right heart function (carcinoid heart disease)"); not a second time
            named = missing_label(doc, item["field"], lambda f: gives_label(f, field_label))
            assert html_lib.escape(named, quote=False) in todo, item["field"]
            assert f"<strong>{label}" not in missing and f", {label}" not in missing
        else:
            assert label in missing, item["field"]
        for oid in item["decides"]:
            # the card of every option it decides names it ("Obtain … to decide.")
            obtain = _between(_card(page, oid), "<p>Obtain ", " to decide.</p>")
            assert label in obtain, (item["field"], oid)


def test_without_a_to_do_list_every_missing_field_is_listed_as_missing_data() -> None:
    doc = assess_mapping(json.loads(SPARSE.read_text(encoding="utf-8")))
    doc["investigations"] = []
    missing = _text(
        _between(render_html(doc), "<h2>Missing data that would decide an option</h2>", "<h2>")
    )
    for item in doc["missing_data"]:
        assert missing_label(doc, item["field"], field_label) in missing, item["field"]


def test_the_to_do_list_says_that_it_gives_every_field() -> None:
    doc = _assessed(REAL[0])
    page = _text(render_html(doc))
    count = len(doc["missing_data"])
    assert f"These investigations give all {count} fields that would decide an option" in page
    assert "Missing data that would decide an option" not in page


CR04 = ROOT / "tests" / "realcases" / "cr04-cjg2022-pnen-repeat-hepatectomy.json"


def test_an_ineligible_card_gives_the_criteria_not_met_in_full_and_the_others_in_a_line() -> None:
    # cr04: a pancreatic NET resected R0 with its synchronous liver metastases, liver
    # recurrences more than five years later (the case report). A simultaneous resection
    # needs the primary still in place (Machairas 2021, seeds/001, "Simultaneous primary and
    # NELM resection"): not met. Its series are of synchronous liver metastases, which
    # these are not, a relative criterion left to the board: named among the others.
    doc = _assessed(CR04)
    option = doc["options"]["simultaneous_resection"]
    assert option["status"] == "ineligible"
    card = _card(render_html(doc), "simultaneous_resection")
    rows = re.findall(r"<tr><td>(.*?)</td>\s*<td>(.*?)</td><td class=\"src\">(.*?)</td></tr>", card)
    failing = [c for c in option["criteria"] if c["result"] == "not_met"]
    assert [_text(text) for text, _, _ in rows] == [_text(c["text"]) for c in failing]
    assert [_text(text) for text, _, _ in rows] == [
        "Primary tumour still in place, its site known, and not judged unremovable by the surgeons"
    ]
    for (_, value, sources), c in zip(rows, failing, strict=True):
        assert _text(value) == not_known_words(c["value"])  # the value, in full
        assert "Machairas 2021" in _text(sources)  # and its sources
    assert '<td class="result">' not in card  # every row is "not met": no column says so
    others = _text(_between(card, '<p class="small others">', "</p>"))
    for c in option["criteria"]:
        if c["result"] != "not_met":
            # each named once, after its result's word; its value is not repeated
            assert others.count(_text(c["text"])) == 1, c["id"]
            assert not_known_words(c["value"]) not in others
    # all not known: the case gives none of their fields (grade, extrahepatic disease,
    # fitness, the heart, the extent of the liver disease)
    assert "<em>not known</em>:" in card and "<em>met</em>:" not in card


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_every_caution_is_printed_in_full_once(path: Path) -> None:
    # a note several cards carry (the post-embolisation syndrome on TAE, TACE and
    # DEB-TACE) is printed in full on the first and named by its title on the others;
    # a caution of the patient on many options is printed once above the cards
    doc = _assessed(path)
    page = _text(render_html(doc))
    texts = {
        str(c["text"])
        for option in doc["options"].values()
        for c in option.get("caution_details") or ()
    }
    for text in texts:
        said = _text(cite_plain(text, ReferenceList()))
        if caution_title(text) != text.strip():
            assert page.count(said) == 1, text
        else:  # as short as a line naming it: whole wherever it applies
            assert page.count(said) >= 1, text


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_the_terminal_report_prints_a_note_in_full_once(path: Path) -> None:
    # as the printed report: a note several cards carry (the post-embolisation syndrome on
    # TAE, TACE and DEB-TACE) in full under the first, by its title under the others
    doc = _assessed(path)
    page = " ".join(render_text(doc, width=400).split())
    for text in {
        str(c["text"])
        for option in doc["options"].values()
        for c in option.get("caution_details") or ()
        if c["case_specific"] or option["status"] != "ineligible"
    }:
        said = " ".join(cite_plain(text, ReferenceList()).split())
        if caution_title(text) != text.strip():
            assert page.count(said) <= 1, text
        assert caution_title(text).split(":")[0][:30] in page, text
