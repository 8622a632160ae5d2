"""An implausible value is handled the same way by the CLI, the API and the web form:
rejected until confirmed, naming the field and the likely fix; once confirmed, assessed
with a warning naming the field and the fix at the top. A contradiction is never rejected,
and is warned naming its fields and the fix, in all three.

The ranges and slips are those of src/nelm/case/data/plausibility.yaml, each with its
reference (tests/case/test_plausibility*.py test them on both sides).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from nelm.report.view import field_label
from tests.cli.test_assess_cli import EXAMPLE, run
from tests.web.conftest import Site
from tests.web.test_pages import form, logged_in, new_case

# (field, value in the document, form fields, the fix the message must name, reference)
IMPLAUSIBLE: list[tuple[str, Any, dict[str, str], str, str]] = [
    (
        "labs.platelets_per_ul",
        210,
        {"labs.platelets_per_ul": "210"},
        "did you mean 210 × 10⁹/L = 210,000 /µL?",
        "Merck: 150,000–400,000 /µL; the issue's slip",
    ),
    (
        "labs.platelets_per_ul",
        {"value": 2, "unit": "10⁹/L"},
        {"labs.platelets_per_ul": "2", "unit:labs.platelets_per_ul": "g_l"},
        "2 10⁹/L (2,000 /µL)",  # shown as entered, the converted value beside it
        "Merck: below 5,000 /µL is implausible",
    ),
    (
        "liver.future_liver_remnant_percent",
        0.3,
        {"liver.future_liver_remnant_percent": "0.3"},
        "did you mean 0.3 as a fraction = 30 %?",
        "001: FLR ≥ 30 %",
    ),
    (
        "labs.ldh_u_l",
        3.5,
        {"labs.ldh_u_l": "3.5"},
        "did you mean 3.5 µkat/L = 210 U/L?",
        "Young 1987: 1 µkat/L = 60 U/L",
    ),
    (
        "liver.lesion_count",
        150,
        {"liver.lesion_count": "150"},
        "give liver.lesion_count_at_least instead",  # what to enter instead
        "real case reports: 'innumerable'",
    ),
]
IDS = [f"{row[0]}={row[1]}" for row in IMPLAUSIBLE]


def _flat(text: str) -> str:
    """Report text without box drawing and line breaks, for phrase matching."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", html.unescape(text)).split())


def _in_words(text: str) -> str:
    """The text as the reports write it: field paths read as their labels."""
    return re.sub(r"\b[a-z]+\.[a-z0-9_]+\b", lambda m: field_label(m.group(0)), text)


def _document(path: str, value: Any, confirmed: bool) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    section, name = path.split(".", 1)
    doc.setdefault(section, {})[name] = value
    if confirmed:
        doc["confirmed"] = [path]
    return doc


@pytest.mark.parametrize(("path", "value", "fields", "fix", "reference"), IMPLAUSIBLE, ids=IDS)
def test_cli(
    path: str,
    value: Any,
    fields: dict[str, str],
    fix: str,
    reference: str,
    capsys: Any,
    monkeypatch: Any,
    tmp_path: Path,
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(_document(path, value, confirmed=False)))
    code, _, err = run(["assess", str(case), "-f", "text"], capsys, monkeypatch)
    assert code == 2, reference
    assert path in _flat(err) and fix in _flat(err), reference
    case.write_text(json.dumps(_document(path, value, confirmed=True)))
    code, out, err = run(["assess", str(case), "-f", "text", "--width", "400"], capsys, monkeypatch)
    assert code == 0, err
    # the text report reads clinical words: the field by its label, once
    warnings = _flat(out[out.index("Warnings") : out.index("Classification")])
    assert f"{field_label(path)} {fix if fix[0].isdigit() else ''}".strip() in warnings
    assert _in_words(fix) in warnings, reference
    assert f"{field_label(path)} ({field_label(path)})" not in warnings


@pytest.mark.parametrize(("path", "value", "fields", "fix", "reference"), IMPLAUSIBLE, ids=IDS)
def test_api(
    site: Site, path: str, value: Any, fields: dict[str, str], fix: str, reference: str
) -> None:
    client, headers = site.client(), site.token("doc", "viewer")
    response = client.post(
        "/api/v1/assess", json=_document(path, value, confirmed=False), headers=headers
    )
    assert response.status_code == 422, reference
    body = json.dumps(response.json(), ensure_ascii=False)
    assert path in body and fix in body, reference
    response = client.post(
        "/api/v1/assess", json=_document(path, value, confirmed=True), headers=headers
    )
    assert response.status_code == 200, response.text
    doc = response.json()
    assert path in doc["warnings"][0] and fix in doc["warnings"][0], reference
    warning = doc["input_warnings"][0]
    assert warning["field"] == path and warning["confirmed"] is True
    assert fix in warning["message"], reference


@pytest.mark.parametrize(("path", "value", "fields", "fix", "reference"), IMPLAUSIBLE, ids=IDS)
def test_web_form(
    site: Site, path: str, value: Any, fields: dict[str, str], fix: str, reference: str
) -> None:
    client, csrf = logged_in(site)
    base = {"primary.site": "pancreas", **fields}
    response = client.post("/cases/new", data=form(csrf, case_id="p-1", **base))
    assert response.status_code == 422, reference
    page = _flat(response.text)
    assert _in_words(fix) in page, reference  # the form reads labels, not paths
    # the form names the box under the field, not a path to list in a document
    assert "or be confirmed as entered (the box under the field)" in page
    assert "in confirmed" not in page
    assert f'name="confirm:{path}"' in response.text
    assert site.store.list_cases() == []
    pk = new_case(client, csrf, case_id="p-1", **base, **{f"confirm:{path}": "yes"})
    shown = client.get(f"/cases/{pk}").text
    warnings = _flat(shown[shown.index('id="warnings"') : shown.index('id="h-class"')])
    assert field_label(path) in warnings and _in_words(fix) in warnings, reference


# ------------------------------------------------------------------ contradictions

# SSTR imaging negative with Krenning 3 (uptake above normal liver: positive; Krenning 1994)
CONTRADICTION = {"imaging": {"sstr_positive": False, "krenning_score": 3}}
CONTRADICTION_FORM = {"imaging.sstr_positive": "no", "imaging.krenning_score": "3"}
NAMED = ("imaging.sstr_positive", "imaging.krenning_score", "check which is right")


def test_a_contradiction_is_warned_not_rejected_in_the_cli(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["imaging"] = {**doc.get("imaging", {}), **CONTRADICTION["imaging"]}
    case = tmp_path / "case.json"
    case.write_text(json.dumps(doc))
    code, out, err = run(["assess", str(case), "-f", "text", "--width", "400"], capsys, monkeypatch)
    assert code == 0, err
    warnings = _flat(out[out.index("Warnings") : out.index("Classification")])
    assert all(_in_words(part) in warnings for part in NAMED)


def test_a_contradiction_is_warned_not_rejected_by_the_api(site: Site) -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["imaging"] = {**doc.get("imaging", {}), **CONTRADICTION["imaging"]}
    response = site.client().post("/api/v1/assess", json=doc, headers=site.token("doc", "viewer"))
    assert response.status_code == 200
    first = response.json()["warnings"][0]
    assert all(part in first for part in NAMED)
    found = response.json()["input_warnings"][0]
    assert found["kind"] == "contradiction" and found["fix"] == "check which is right"


def test_a_contradiction_is_warned_not_rejected_by_the_form(site: Site) -> None:
    client, csrf = logged_in(site)
    pk = new_case(client, csrf, case_id="c-1", **{"primary.site": "pancreas"}, **CONTRADICTION_FORM)
    shown = client.get(f"/cases/{pk}").text
    warnings = _flat(shown[shown.index('id="warnings"') : shown.index('id="h-class"')])
    assert all(_in_words(part) in warnings for part in NAMED)


def test_an_implausible_bound_can_be_confirmed_in_the_form(site: Site) -> None:
    """'Up to 30' in the cm field of a bound: checked like its number (RECIST 1.1: sizes in
    cm; did you mean 30 mm?), with its own confirm box."""
    client, csrf = logged_in(site)
    fields = {"primary.site": "pancreas", "liver.largest_lesion_cm_at_most": "30"}
    response = client.post("/cases/new", data=form(csrf, case_id="b-1", **fields))
    assert response.status_code == 422
    assert "did you mean 30 mm = 3 cm?" in _flat(response.text)
    assert 'name="confirm:liver.largest_lesion_cm_at_most"' in response.text
    new_case(
        client, csrf, case_id="b-1", **fields, **{"confirm:liver.largest_lesion_cm_at_most": "yes"}
    )


# ------------------------------------------------- every problem of a document at once

# ECOG 7 is outside case-v1's 0–4 (contract case-v1: `ecog` integer 0–4; Oken 1982) and
# platelets 210 /µL outside the plausible 5,000–1,500,000 /µL (Merck: 150,000–400,000 /µL;
# the slip of 210 × 10⁹/L): a document with both is refused once, naming both.
BOTH = {"patient.ecog": 7, "labs.platelets_per_ul": 210}
BOTH_NAMED = [
    ("patient.ecog", "between 0 and 4", "7"),
    ("labs.platelets_per_ul", 'listing "labs.platelets_per_ul" in confirmed', "210 /µL"),
]


def _with_both() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(EXAMPLE.read_text())
    for path, value in BOTH.items():
        section, name = path.split(".", 1)
        doc.setdefault(section, {})[name] = value
    return doc


def test_the_cli_names_an_invalid_and_an_implausible_value_in_one_answer(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    case, out_file = tmp_path / "case.json", tmp_path / "out.json"
    case.write_text(json.dumps(_with_both()))
    code, out, err = run(["assess", str(case), "-o", str(out_file)], capsys, monkeypatch)
    assert code == 2 and out == "" and not out_file.exists()  # cli-v1: nothing written
    lines = err.splitlines()
    assert len(lines) == len(BOTH_NAMED), err
    for (path, expected, got), line in zip(BOTH_NAMED, lines, strict=True):
        assert line.startswith(f"error: {path}: ") and expected in line, line
        assert f"got {got}" in line, line


def test_the_api_names_an_invalid_and_an_implausible_value_in_one_answer(site: Site) -> None:
    response = site.client().post(
        "/api/v1/assess", json=_with_both(), headers=site.token("doc", "viewer")
    )
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [p["field"] for p in problems] == [path for path, _, _ in BOTH_NAMED]
    for (_, expected, got), problem in zip(BOTH_NAMED, problems, strict=True):
        assert expected in problem["expected"] and problem["got"].startswith(got), problem


def test_the_form_names_an_invalid_and_an_implausible_value_in_one_answer(site: Site) -> None:
    client, csrf = logged_in(site)
    fields = {"primary.site": "pancreas", **{k: str(v) for k, v in BOTH.items()}}
    response = client.post("/cases/new", data=form(csrf, case_id="p-2", **fields))
    assert response.status_code == 422
    assert 'name="confirm:labs.platelets_per_ul"' in response.text  # the confirm box
    assert "between 0 and 4" in _flat(response.text)
    assert site.store.list_cases() == []
