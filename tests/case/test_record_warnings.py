"""``record_warnings``: what the record a case was read from said about any assessment of
it (docs/case-v1-additions.md, "What the record said"). A stored case outlives its record,
so a death or the absence of any neuroendocrine diagnosis must stay on top of every
assessment of it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.errors import InputRejected
from nelm.report.text import render_text
from nelm.service import assess_mapping

SAID = (
    "The FHIR record “export.json” read for 2026-12-01: NOT A NEUROENDOCRINE RECORD: no "
    "neuroendocrine neoplasm is recorded."
)
BASE: dict[str, Any] = {"case_id": "kept", "pathology": {"ki67_percent": 4}}


def _problems(raw: Any) -> list[tuple[str, str]]:
    with pytest.raises(InputRejected) as caught:
        case_from_mapping({**BASE, "record_warnings": raw})
    return [(p.path, p.message) for p in caught.value.problems]


def test_the_records_words_come_first_among_the_warnings() -> None:
    # a Ki-67 of 4 % without a mitotic count leaves the grade open (000 §1): that warning
    # comes after the record's, which every reader must see first
    doc = assess_mapping({**BASE, "record_warnings": [SAID, SAID]})
    assert doc["warnings"][0] == SAID
    assert doc["warnings"].count(SAID) == 1
    assert any(w.startswith("The grade is not settled") for w in doc["warnings"][1:])
    assert doc["inputs"]["record_warnings"] == [SAID]
    # nothing is decided from them: the same case without them has the same statuses
    plain = assess_mapping(BASE)
    assert {o: r["status"] for o, r in doc["options"].items()} == {
        o: r["status"] for o, r in plain["options"].items()
    }


def test_the_text_report_shows_them_before_the_warnings() -> None:
    text = render_text(assess_mapping({**BASE, "record_warnings": [SAID]}), width=200)
    assert text.index("NOT A NEUROENDOCRINE RECORD") < text.index("Warnings")


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("NOT A NEUROENDOCRINE RECORD", "record_warnings"),
        ([SAID] * 21, "record_warnings"),
        ([SAID, 5], "record_warnings[1]"),
        ([SAID, "  "], "record_warnings[1]"),
        (["x" * 2001], "record_warnings[0]"),
    ],
)
def test_anything_but_a_short_list_of_sentences_is_named(raw: Any, path: str) -> None:
    ((named, message),) = _problems(raw)
    assert named == path
    assert "a list of at most 20 sentences of text" in message


def test_the_command_line_rejects_a_bad_list_with_exit_2(tmp_path: Path) -> None:
    # cli-v1.md: invalid input exits 2 with a message naming the field
    case = tmp_path / "case.json"
    case.write_text('{"case_id": "x", "record_warnings": "dead"}', "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "nelm", "assess", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "record_warnings" in done.stderr
    assert "Traceback" not in done.stderr
