"""The printed evidence appendix as a board reads it: figures as the reviews print them,
"not reached" never shown as missing, designs and populations in words, high-grade arms
marked. Expected values come from the seed tables cited beside each."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nelm
from nelm.evidence.records import load_records, outcome_text
from nelm.report.html import evidence_for_report, render_html
from nelm.service import assess_mapping


def _record(record_id: str) -> Any:
    return next(r for r in load_records() if r.id == record_id)


def test_an_outcome_is_shown_as_its_source_prints_it() -> None:
    # 000 Table 1: Sarmiento 2003, median OS 81 months, 5-year survival 61 %.
    sarmiento = _record("sarmiento-2003-resection@000-t1")
    assert outcome_text(sarmiento, "median_os_months") == "81"
    assert outcome_text(sarmiento, "os_5y_percent") == "61"
    # 000 Table 4: Strosberg 2017 (NETTER-1 arm), median PFS and OS "nr" (not reached).
    strosberg = _record("strosberg-2017-prrt@000-t4")
    assert outcome_text(strosberg, "median_os_months") == "not reached"
    # nothing printed: nothing shown, not a dash that a table could not tell apart
    assert outcome_text(strosberg, "os_5y_percent") is None


def _appendix() -> str:
    example = Path(nelm.__file__).parent / "examples" / "resectable-pnet.json"
    doc = assess_mapping(json.loads(example.read_text()), with_evidence=False)
    html = render_html(doc, evidence=evidence_for_report(doc))
    return html.split("<h2>Appendix: evidence</h2>", 1)[1].split("<h2>", 1)[0]


def _row(html: str, label: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if label in row]
    assert rows, label
    return rows[0]


def test_the_appendix_prints_figures_designs_and_populations_as_a_reader_names_them() -> None:
    appendix = _appendix()
    # 000 Table 1: Sarmiento 2003, 170 patients, median OS 81 months, 61 % at 5 years.
    sarmiento = _row(appendix, "<td>Sarmiento 2003<br>")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", sarmiento, re.S)
    assert cells[1:4] == ["170", "81", "61"]
    assert "81.0" not in sarmiento
    # 000 Table 1 gives no study design for its rows: unknown stays "not stated".
    assert "design not stated · NET, mixed or unspecified primary sites" in sarmiento
    assert ">unknown<" not in appendix and "systematic_review" not in appendix


def test_a_high_grade_arm_is_marked_in_the_appendix() -> None:
    # 004 §3.1: Haugvik 2016, "pNET G3" (reference title: high-grade pancreatic
    # neuroendocrine carcinoma), resection of primary and metastatic lesions, 12 patients.
    row = _row(_appendix(), "Haugvik 2016 · resection of primary and metastatic lesions")
    assert "<strong>HIGH GRADE</strong> Haugvik 2016" in row
    assert "neuroendocrine carcinoma" in row


def test_a_study_s_flags_are_printed_in_words_under_it() -> None:
    # 001 Table 1: Sahara 2019's OS columns repeat its DFS columns (flag os_probably_dfs,
    # docs/evidence-extraction.md); the appendix says so in words, never by the code.
    from nelm.evidence.flag_words import FLAG_WORDS

    appendix = _appendix()
    sahara = _row(appendix, "<td>Sahara 2019<br>")
    assert FLAG_WORDS["os_probably_dfs"].replace("'", "&#39;") in sahara
    assert "os_probably_dfs" not in appendix
