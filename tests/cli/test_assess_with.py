"""``nelm assess CASE --with FILE``: a case document's values added to the case — most
often to a FHIR record's, which holds no surgeons' judgement and no liver distribution."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.test_assess_cli import EXAMPLE, ROOT, run

RECORD = ROOT / "tests" / "interop" / "fixtures" / "synthetic-0001.json"
BOARD = (
    "# what the board adds to the record\n"
    "liver: {distribution: unilobar, surgical_assessment: resectable}\n"
    "patient: {fit_for_major_surgery: true}\n"
)
ADDED = ["liver.distribution", "liver.surgical_assessment", "patient.fit_for_major_surgery"]


def _assess(
    capsys: Any, monkeypatch: Any, case: Path, added: Path, *more: str
) -> tuple[int, str, str]:
    args = ["assess", str(case), "--with", str(added), "-f", "json", *more]
    return run(args, capsys, monkeypatch)


def _on_the_record(
    capsys: Any, monkeypatch: Any, tmp_path: Path, name: str, text: str
) -> tuple[Path, int, str, str]:
    """The synthetic record assessed on 2026-12-01 with ``text`` written to ``name``."""
    added = tmp_path / name
    added.write_text(text, "utf-8")
    code, out, err = _assess(capsys, monkeypatch, RECORD, added, "--as-of", "2026-12-01")
    return added, code, out, err


def test_the_boards_values_are_added_to_a_record_with_their_provenance(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    board, code, out, err = _on_the_record(capsys, monkeypatch, tmp_path, "board.yaml", BOARD)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["inputs"]["liver"]["surgical_assessment"] == "resectable"
    assert doc["inputs"]["liver"]["distribution"] == "unilobar"
    assert doc["inputs"]["patient"]["fit_for_major_surgery"] is True
    source = doc["input_source"]
    assert source["added"] == {"source": str(board), "fields": ADDED, "same_as_record": 0}
    for path in ADDED:
        assert source["provenance"][path] == f"{board} (added with --with)"
        assert path not in source["unmapped"]
    # the record's own values keep the record's provenance (Observation/ki67-0001)
    assert source["provenance"]["pathology.ki67_percent"].startswith("Observation/ki67-0001")
    # what was added no longer decides anything as missing data
    assert not {item["field"] for item in doc["missing_data"]} & set(ADDED)


def test_a_result_replaced_is_no_longer_named_as_old(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # In the record creatinine and bilirubin are of 2025-01-11 (Observation/crea-0001,
    # Observation/bili-0001): over 90 days before 2026-12-01, so named as old results
    # (docs/fhir-mapping.md). A creatinine the board adds is not the record's old one.
    _, code, out, err = _on_the_record(
        capsys, monkeypatch, tmp_path, "labs.yaml", "labs: {creatinine_mg_dl: 0.7}\n"
    )
    assert code == 0, err
    doc = json.loads(out)
    (old,) = [w for w in doc["warnings"] if w.startswith("Results more than 90 days")]
    assert "Bilirubin (2025-01-11)" in old
    assert "Creatinine" not in old
    assert doc["inputs"]["labs"]["creatinine_mg_dl"] == 0.7


def test_what_cannot_be_added_is_refused_naming_the_file(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    text = "surgery: {done: true}\nlabs: {sodium: 140}\n"
    unknown, code, out, err = _on_the_record(capsys, monkeypatch, tmp_path, "unknown.yaml", text)
    assert code == 2 and out == ""
    assert err == (
        f"error: {unknown}: surgery: must be a field of a case (case-v1), got an unknown field\n"
        f"error: {unknown}: labs.sodium: must be a field of a case (case-v1), got an unknown "
        "field\n"
    )
    code, _, err = _assess(capsys, monkeypatch, RECORD, RECORD, "--as-of", "2026-12-01")
    assert code == 2
    assert err == (
        f"error: {RECORD}: must be a case document of the fields to add, got a FHIR resource\n"
    )


def test_a_case_level_key_of_the_wrong_shape_is_refused_not_dropped(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # case-v1 (and docs/case-v1-additions.md): confirmed is a list of field paths,
    # measured_on an object of field path → date, timeline an object whose treatments and
    # scans are lists. Of a file added with --with, such keys of another shape were dropped
    # unseen (exit 0), and "confirmed": 3 ended in an internal error.
    text = (
        "schema_version: 2\n"
        "confirmed: 3\n"
        "measured_on: 2026-11-01\n"
        "timeline: {as_of: 2026-12-01, treatments: 5, events: []}\n"
    )
    board, code, out, err = _on_the_record(capsys, monkeypatch, tmp_path, "shapes.yaml", text)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"error: {board}: schema_version: must be 1 (case-v1), got 2",
        f"error: {board}: confirmed: must be a list of field paths, got 3",
        f"error: {board}: measured_on: must be a set of field paths and dates, got a date value",
        f"error: {board}: timeline.treatments: must be a list, got 5",
        f"error: {board}: timeline.events: must be a field of a case (case-v1), got an unknown "
        "field",
    ]


def test_an_implausible_value_added_must_be_confirmed(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # LDH 9,000 U/L is beyond the plausible 50–5,000 (src/nelm/case/data/plausibility.yaml):
    # typed by a person, it is refused unless confirmed, as in a case document.
    text = "labs: {ldh_u_l: 9000}\n"
    typed, code, _, err = _on_the_record(capsys, monkeypatch, tmp_path, "ldh.yaml", text)
    assert code == 2
    assert err.startswith(f"error: {typed}: labs.ldh_u_l: must be within the plausible range")
    text += "confirmed: [labs.ldh_u_l]\n"
    _, code, out, err = _on_the_record(capsys, monkeypatch, tmp_path, "ldh.yaml", text)
    assert code == 0, err
    assert json.loads(out)["inputs"]["labs"]["ldh_u_l"] == 9000


def test_a_case_document_takes_added_values_too(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    board = tmp_path / "board.yaml"
    board.write_text("case_id: pnet-2\nliver: {surgical_assessment: unresectable}\n", "utf-8")
    code, out, err = _assess(capsys, monkeypatch, EXAMPLE, board)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["case_id"] == "pnet-2"
    assert doc["inputs"]["liver"]["surgical_assessment"] == "unresectable"
    assert doc["inputs"]["liver"]["distribution"] == "unilobar"  # the example's, kept
    assert "input_source" not in doc  # a case document has none (assessment-v1 additions)
