"""The ENETS and AJCC 7th stages (seed 003 Tables 2 and 3) where a board reads them: the
JSON assessment, the text, HTML and PDF reports, the case page and the case form."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nelm.cli import app
from tests.web.conftest import Site
from tests.web.test_pages import logged_in, new_case

runner = CliRunner()

# A 3 cm pancreatic primary invading the spleen (an adjacent organ), nodes involved, liver
# metastases: ENETS T4 ("invading adjacent structures", 003 Table 2 note), AJCC 7th T3
# ("extends beyond the pancreas but not involving the celiac axis or SMA", 003 Table 3
# note); N1; M1 → stage IV in both tables. The two systems part on T.
CASE = {
    "case_id": "stage-1",
    "primary": {
        "site": "pancreas",
        "size_cm": 3,
        "node_positive": True,
        "invades_adjacent_organs": True,
        "invades_celiac_axis_or_sma": False,
    },
    "liver": {"lesion_count": 4},
}


def _assess(tmp_path: Path, fmt: str, case: dict[str, object] = CASE) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), "utf-8")
    result = runner.invoke(app, ["assess", str(path), "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_carries_both_stages_and_where_they_part(tmp_path: Path) -> None:
    c = json.loads(_assess(tmp_path, "json"))["classification"]
    assert c["stage_enets"]["stage"] == "IV" and c["stage_enets"]["tnm"] == "T4 N1 M1"
    assert c["stage_ajcc7"]["stage"] == "IV" and c["stage_ajcc7"]["tnm"] == "T3 N1 M1"
    assert c["explanations"]["stage_enets"].startswith("ENETS: T4 N1 M1 → stage IV (003 Table 2)")
    assert "ENETS T4" in c["staging_disagreement"]
    assert "AJCC 7th edition T3" in c["staging_disagreement"]


def test_text_report_shows_both_systems(tmp_path: Path) -> None:
    text = " ".join(_assess(tmp_path, "text").split())
    assert "Stage (ENETS) IV (T4 N1 M1)" in text
    assert "Stage (AJCC 7th) IV (T3 N1 M1)" in text
    assert "define T differently" in text


def test_text_report_says_when_no_system_applies(tmp_path: Path) -> None:
    case = {"case_id": "si", "primary": {"site": "small_intestine"}, "liver": {"lesion_count": 2}}
    text = " ".join(_assess(tmp_path, "text", case).split())
    assert "Stage (ENETS) no staging system in the sources for this primary" in text


def test_html_report_shows_both_systems(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), "utf-8")
    result = runner.invoke(app, ["assess", str(path), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "Stage (ENETS)</th><td><strong>IV (T4 N1 M1)</strong>" in html
    assert "Stage (AJCC 7th)</th><td><strong>IV (T3 N1 M1)</strong>" in html
    assert "Staging systems" in html


def test_case_page_and_form(site: Site) -> None:
    client, csrf = logged_in(site)
    form = client.get("/cases/new").text
    for path in (
        "primary.extends_beyond_pancreas",
        "primary.invades_celiac_axis_or_sma",
        "primary.invades_other_large_vessels",
    ):
        assert f'name="{path}"' in form, path
    pk = new_case(
        client,
        csrf,
        case_id="stage-web",
        **{
            "primary.site": "pancreas",
            "primary.size_cm": "3",
            "primary.node_positive": "yes",
            "primary.invades_adjacent_organs": "yes",
            "primary.invades_celiac_axis_or_sma": "no",
            "liver.lesion_count": "4",
        },
    )
    page = client.get(f"/cases/{pk}").text
    assert "<strong>IV (T4 N1 M1)</strong>" in page
    assert "<strong>IV (T3 N1 M1)</strong>" in page
    assert "define T differently" in page
