"""``nelm assess --format html|pdf`` and ``nelm serve --help`` (in-process)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nelm.cli import app
from nelm.report.text import SAFETY_STATEMENT

runner = CliRunner()
XSS = "<script>alert(1)</script>"


def _case(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps({"case_id": "cli-1", "label": XSS, "pathology": {"ki67_percent": 5}}), "utf-8"
    )
    return path


def test_html_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["assess", str(_case(tmp_path)), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SAFETY_STATEMENT in html and "Knowledge version" in html
    assert "http://" not in html and "https://" not in html  # no external resources


def test_the_printed_report_cites_its_sources_by_author_and_lists_them(tmp_path: Path) -> None:
    """A printed "004 §3.1" means nothing to a reader: the HTML (and so the PDF) report
    cites as the text report does and ends with the references. Seed 004 is Xue et al.,
    Front Endocrinol 2025 (its title page); seed 003 is Nigri et al., World J Surg Oncol
    2018, whose author list ends "et al." and takes no second full stop."""
    case = Path(__file__).parents[2] / "examples" / "resectable-pnet.json"
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["assess", str(case), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "Xue 2025, §3.1" in html and "004 §3.1" not in html
    references = html.split("<h2>References</h2>", 1)[1]
    assert "Xue J-s, Yang Y, Huang Z, Zhao H, Chen X, Cai J-q. Management of liver" in references
    assert "Nigri G, Petrucciani N, Debs T, et al. Treatment options" in references
    assert "al.." not in html


def test_the_plan_s_conditions_cite_by_author_too(tmp_path: Path) -> None:
    """The sparse example leaves CAPTEM conditional on its criterion "… (read as G3; 004
    gives no cut-off)": in the plan it reads "Xue 2025 gives no cut-off" (seed 004 is Xue
    et al., Front Endocrinol 2025)."""
    case = Path(__file__).parents[2] / "examples" / "sparse.json"
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["assess", str(case), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    plan = out.read_text("utf-8").split("<h2>Plan</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Xue 2025 gives no cut-off" in plan and "004 gives" not in plan
    text = runner.invoke(app, ["assess", str(case), "--format", "text", "--width", "200"])
    plan = text.stdout.split("Plan ", 1)[1].split("Options — ", 1)[0]
    assert "Xue 2025 gives no cut-off" in plan and "004 gives" not in plan


def test_the_evidence_is_an_appendix_only_when_asked_for(tmp_path: Path) -> None:
    """Issue 10: the report carries the evidence tables only with --evidence."""
    case = _case(tmp_path)
    plain, full = tmp_path / "plain.html", tmp_path / "full.html"
    runner.invoke(app, ["assess", str(case), "--format", "html", "-o", str(plain)])
    result = runner.invoke(
        app, ["assess", str(case), "--format", "html", "--evidence", "-o", str(full)]
    )
    assert result.exit_code == 0, result.output
    assert "Appendix: evidence" in full.read_text("utf-8")
    assert "Appendix: evidence" not in plain.read_text("utf-8")


def test_pdf_report_to_a_file_and_to_standard_output(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = runner.invoke(app, ["assess", str(_case(tmp_path)), "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    piped = runner.invoke(app, ["assess", str(_case(tmp_path)), "--format", "pdf"])
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"%PDF-")


def test_json_stays_the_default_off_a_terminal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["assess", str(_case(tmp_path))])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["case_id"] == "cli-1"


def test_serve_is_registered() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


REAL_RECORD = (
    Path(__file__).parents[1]
    / "interop"
    / "fixtures"
    / "fhir-real"
    / "external"
    / "mcode-ctm-patient01.json"
)


def test_a_fhir_report_shows_where_its_inputs_came_from(tmp_path: Path) -> None:
    """The warnings send the reader to the input source's data-quality list, so the
    printable report must carry it. Expected values are the record's own (manifest.json:
    its Bundle.id has an underscore, and Condition/...SecondaryCancerCondition03... is a
    metastasis of a breast primary)."""
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["assess", str(REAL_RECORD), "--as-of", "2024-01-01", "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    section = html.split("<h2>Input source</h2>", 1)[1].split("<h2>", 1)[0]
    assert "FHIR R4 Bundle, as of 2024-01-01" in section
    assert "Observation/mCODETrialMatchingECOGPerformanceStatusPatientExample01" in section
    assert "data quality:" in section and "Bundle.id" in section
    assert "SecondaryCancerCondition03PatientExample01" in section


def test_the_text_report_indents_the_input_source_under_its_items(tmp_path: Path) -> None:
    """A wrapped resource list must not start at the margin, where it reads as a heading."""
    result = runner.invoke(
        app, ["assess", str(REAL_RECORD), "--as-of", "2024-01-01", "-f", "text", "--width", "80"]
    )
    assert result.exit_code == 0, result.output
    section = result.stdout.split("Input: FHIR R4 Bundle", 1)[1].split("References", 1)[0]
    lines = [line for line in section.splitlines()[1:] if line.strip()]
    assert len(lines) > 5
    assert all(line.startswith("  ") for line in lines), lines
    # The record gives no Ki-67 (manifest: pathology fields absent): the index is listed as
    # not in the bundle, its bounds are not listed beside it.
    words = " ".join(section.split())
    assert "Ki-67 index" in words and "Ki-67 index: at least" not in words


SYNTHEA_RECORD = REAL_RECORD.parent / "synthea-hiv-bob965.json"


def test_a_hospital_record_s_unused_resources_are_counted_not_listed(tmp_path: Path) -> None:
    """A Synthea record sets aside its claims, encounters and immunizations (resource
    types the mapping does not read: docs/fhir-mapping.md). The printable report names
    how many of each there are and three of them, not a page of ids; the JSON assessment
    keeps the first twenty. Expected counts are the bundle's own entries."""
    bundle = json.loads(SYNTHEA_RECORD.read_text("utf-8"))
    claims = [
        f"Claim/{e['resource']['id']}"
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Claim"
    ]
    assert len(claims) > 20  # the point of the test: more than the JSON lists

    result = runner.invoke(
        app, ["assess", str(SYNTHEA_RECORD), "--as-of", "2026-12-01", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    source = json.loads(result.stdout)["input_source"]
    (group,) = [g for g in source["notes_by_reason"] if "resource type Claim" in g["reason"]]
    assert group["count"] == len(claims)
    assert group["references"] == claims[:20]

    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        ["assess", str(SYNTHEA_RECORD), "--as-of", "2026-12-01", "-f", "html", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    section = out.read_text("utf-8").split("<h2>Input source</h2>", 1)[1].split("<h2>", 1)[0]
    (line,) = [li for li in section.split("<li>") if "resource type Claim" in li]
    assert f"({len(claims)} resources)" in line
    assert sum(ref in line for ref in claims) == 3
    assert f"and {len(claims) - 3} more" in line

    text = runner.invoke(
        app,
        ["assess", str(SYNTHEA_RECORD), "--as-of", "2026-12-01", "-f", "text", "--width", "300"],
    ).stdout
    (line,) = [row for row in text.splitlines() if "resource type Claim" in row]
    assert sum(ref in line for ref in claims) == 3


def test_a_narrow_text_report_folds_a_long_resource_id_never_cuts_it() -> None:
    """render_text: "long lines wrap; nothing is cut". A Synthea resource id (a UUID) is
    wider than a 50-column report's list column; it must fold onto the next line whole."""
    bundle = json.loads(SYNTHEA_RECORD.read_text("utf-8"))
    first_claim = next(
        f"Claim/{e['resource']['id']}"
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Claim"
    )
    result = runner.invoke(
        app, ["assess", str(SYNTHEA_RECORD), "--as-of", "2026-12-01", "-f", "text", "--width", "50"]
    )
    assert result.exit_code == 0, result.output
    section = result.stdout.split("Input: FHIR R4 Bundle", 1)[1].split("References", 1)[0]
    assert "…" not in section
    assert first_claim in "".join(section.split())  # the folded id, whole
