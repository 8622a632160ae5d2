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
