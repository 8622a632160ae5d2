"""A stated course against the timeline's latest finding: the summary says which one nelm
assesses and names the other as a conflict to settle, in the same words on the case page,
the board summary, the full report and the CLI text.

The case is the real case cr02 (Rev Med Urug 37(4), doi:10.29193/RMU.37.4.14: "tumor
progression" after chemotherapy, so ``course.status: progressing``) with a timeline whose
latest scan shows stable disease: a progression on 2026-08-01, stable on 2026-09-20. By
docs/case-v1-additions.md ("The timeline") the stated course is kept and the months of
stable disease run from the latest progression to the latest stable scan: 50 days ÷
(365.25 / 12) = 1.6 months. It read "Course: progressing · stable for ≥ 1.6 months".
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from nelm.report.board import board_view
from nelm.report.html import render_html
from nelm.report.summary import render_summary_html
from nelm.report.text import render_text
from nelm.service import assess_mapping

CR02 = json.loads(
    (Path(__file__).resolve().parents[1] / "realcases" / "cr02-rmu-pnet-prrt.json").read_text(
        "utf-8"
    )
)["case"]
TIMELINE = {
    "as_of": "2026-10-01",
    "scans": [
        {"date": "2026-08-01", "finding": "progression"},
        {"date": "2026-09-20", "finding": "stable"},
    ],
}
STATED = "progressing (as stated; nelm assesses this)"
TO_SETTLE = (
    "to settle: the timeline's latest finding (2026-09-20) is stable disease or a response, "
    "stable for ≥ 1.6 months; check which is current"
)
WARNING = (
    'Disease course is "progressing" but the latest dated finding of the timeline '
    "(2026-09-20) is stable disease or a response (timeline): nelm assesses the value as "
    "stated, which wins over the timeline; check which is current."
)


def _assessed(course: dict[str, Any], timeline: dict[str, Any]) -> dict[str, Any]:
    case = copy.deepcopy(CR02)
    case["course"] = {**case["course"], **course}
    case["timeline"] = timeline
    doc: dict[str, Any] = assess_mapping(case, with_evidence=False)
    return doc


def _course(doc: dict[str, Any]) -> str:
    return next(f.value for f in board_view(doc).facts if f.label == "Course")


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_stated_course_is_named_as_assessed_and_the_scan_as_a_conflict() -> None:
    course = _course(_assessed({}, TIMELINE))
    assert course.startswith(f"{STATED} · {TO_SETTLE} · 2 prior systemic lines")
    # the timeline's months stand only on its side of the conflict, never beside
    # "progressing" as if nelm held both
    assert "progressing · stable for" not in course


def test_the_same_words_on_the_summary_the_report_and_the_cli_text() -> None:
    doc = _assessed({}, TIMELINE)
    summary = _plain(render_summary_html(doc))
    assert f"{STATED} · {TO_SETTLE}" in summary
    for shown in (summary, _plain(render_html(doc)), " ".join(render_text(doc, width=400).split())):
        assert WARNING in shown


def test_a_stated_stable_course_against_a_progression_says_the_same() -> None:
    # the other way round: the timeline's latest finding is a progression, which gives 0
    # months of stable disease; "stable for 0 months" read as a stable course
    timeline = {"as_of": "2021-01-01", "scans": [{"date": "2020-12-01", "finding": "progression"}]}
    course = _course(_assessed({"status": "stable"}, timeline))
    assert course.startswith(
        "stable (as stated; nelm assesses this) · to settle: the timeline's latest finding "
        "(2020-12-01) is a progression; check which is current · "
    )
    assert "0 months" not in course


@pytest.mark.parametrize(
    ("course", "expected"),
    [
        # no stated course: the timeline's is the course (docs/case-v1-additions.md)
        ({"status": None}, "stable for ≥ 1.6 months · "),
        # stated and timeline agree
        ({"status": "stable"}, "stable for ≥ 1.6 months · "),
    ],
)
def test_no_conflict_is_named_where_there_is_none(course: dict[str, Any], expected: str) -> None:
    text = _course(_assessed(course, TIMELINE))
    assert text.startswith(expected) and "to settle" not in text
