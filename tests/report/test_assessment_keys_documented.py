"""Every key of the assessment document is documented: in the contract
(docs/contract/assessment-v1.md) or in what nelm adds to it
(docs/assessment-v1-additions.md). A reader of ``nelm assess --format json`` who meets a
key should find what it means; a key added without a line there fails here."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Cases that between them give every optional part: a settled grade and stages, a timeline
# and implied facts, a failed criterion, cautions, a conditional plan; and a FHIR record
# for input_source.
INPUTS = [
    *sorted((ROOT / "examples").glob("*.json")),
    ROOT / "tests" / "interop" / "fixtures" / "synthetic-0001.json",
]


def _documented_names() -> set[str]:
    text = (DOCS / "contract" / "assessment-v1.md").read_text("utf-8")
    text += (DOCS / "assessment-v1-additions.md").read_text("utf-8")
    names = set(re.findall(r'"(\w+)"\s*:', text))  # the keys of the contract's example
    prose = re.sub(r"^```.*$", "", text, flags=re.M)  # a fence's backticks pair with none
    for span in re.findall(r"`([^`]+)`", prose):  # `options.<id>.judgements`, `criteria[].x`
        names.update(re.findall(r"\w+", span))
    return names


def _keys(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, key) for the keys a reader meets: the top level, the classification, each
    option, criterion and plan step, each investigation and the FHIR input source."""
    for key in document:
        yield "", key
    for key in document["classification"]:
        yield "classification.", key
    for option in document["options"].values():
        for key in option:
            yield "options.<id>.", key
        for criterion in option["criteria"]:
            for key in criterion:
                yield "criteria[].", key
    for step in document["plan"]:
        for key in step:
            yield "plan[].", key
    for investigation in document.get("investigations") or []:
        for key in investigation:
            yield "investigations[].", key
    for key in document.get("input_source") or {}:
        yield "input_source.", key


def _assessment(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    out = tmp_path / f"{path.stem}.json"
    argv = ["nelm", "assess", str(path), "--format", "json", "-o", str(out)]
    monkeypatch.setattr(sys, "argv", [*argv, "--as-of", "2026-11-01"])
    assert run_guarded(app) == 0
    document: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return document


def test_every_key_of_the_assessment_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documented = _documented_names()
    seen: set[tuple[str, str]] = set()
    for path in INPUTS:
        seen.update(_keys(_assessment(path, tmp_path, monkeypatch)))
    # the inputs must reach the optional parts, else the check below misses their keys
    assert {
        ("input_source.", "provenance"),
        ("investigations[].", "could_change"),
        ("criteria[].", "quote"),
        ("plan[].", "pending"),
    } <= seen
    undocumented = sorted(f"{where}{key}" for where, key in seen if key not in documented)
    assert undocumented == [], "add them to docs/assessment-v1-additions.md"
