"""``nelm assess record.json``: an age worked out from a birth year names the record's
resource in every output, as a case the board stored from the same record does
(docs/case-v1-additions.md "Where a value came from"); a range a person typed reads
"(entered)", the word the inputs table and the board summary use for it."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from nelm.interop.fhir.synthetic import bundle_of, patient_resource
from tests.cli.test_assess_cli import run

# FHIR R4 date: a birthDate may be the year alone. Born "1960", the patient is 65 or 66 on
# 2026-12-01, over 001 Table 2's "Age <55 years" for a Milan transplant either way.
FROM_BIRTH_YEAR = "Age 65–66 years (from a birth date of the year only, FHIR record Patient/p1)"


def _record(tmp_path: Path) -> Path:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(bundle_of(patient_resource("p1", birth_date="1960"))), "utf-8")
    return path


def _assess(capsys: Any, monkeypatch: Any, *args: str) -> str:
    code, out, err = run(["assess", *args, "--as-of", "2026-12-01"], capsys, monkeypatch)
    assert code == 0, err
    return out


def test_the_age_from_a_birth_year_names_the_resource_in_every_output(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    record = str(_record(tmp_path))
    doc = json.loads(_assess(capsys, monkeypatch, record, "-f", "json"))
    criteria = doc["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    assert age["result"] == "not_met"
    assert age["value"] == FROM_BIRTH_YEAR
    text = _assess(capsys, monkeypatch, record, "-f", "text", "--width", "400")
    assert FROM_BIRTH_YEAR in text
    printed = html.unescape(_assess(capsys, monkeypatch, record, "-f", "html"))
    assert FROM_BIRTH_YEAR in printed
    for shown in (text, printed):
        assert "(entered)" not in shown
        assert "(as reported)" not in shown


def test_a_bound_typed_over_the_records_reads_as_entered(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # the colleague knows the birthday has passed: 66 at least, the record's 66 at most
    typed = tmp_path / "board.yaml"
    typed.write_text("patient: {age_years_at_least: 66}\n", "utf-8")
    out = _assess(capsys, monkeypatch, str(_record(tmp_path)), "--with", str(typed), "-f", "json")
    criteria = json.loads(out)["options"]["liver_transplant_milan"]["criteria"]
    (age,) = [c for c in criteria if c["id"] == "liver_transplant_milan.age"]
    assert age["value"] == (
        "Age 66 years (lower bound entered; upper bound from the FHIR record Patient/p1)"
    )


def test_a_range_typed_in_a_case_reads_entered(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "schema_version: 1\ncase_id: typed\npatient: {age_years_at_least: 64, "
        "age_years_at_most: 65}\n",
        "utf-8",
    )
    text = _assess(capsys, monkeypatch, str(case), "-f", "text", "--width", "400")
    assert "Age 64–65 years (entered)" in text
    assert "as reported" not in text
