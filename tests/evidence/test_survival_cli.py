"""``nelm evidence survival`` (in-process, with typer's CliRunner)."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.errors import InputRejected

runner = CliRunner()

CAPTION = (
    "Approximate curves fitted (Weibull) to published medians and landmark rates — "
    "literature approximations, not Kaplan–Meier estimates; not patient-level data"
)


@dataclass(frozen=True)
class FakeRecord:
    """The fields of ``nelm.evidence.records.EvidenceRecord`` that the command reads."""

    id: str
    study_key: str
    author: str
    year: int
    arm: str
    modality: str
    outcomes: Mapping[str, float]
    n: int | None = None
    n_pnet: int | None = None
    design: str = "retrospective"
    population: str = "gep_net"
    not_reached: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    source: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    quote: str = ""
    follow_up_months: float | None = None


# Values as seed 000 reports them (Table 1: resection; Table 2: TAE/TACE).
FAKE_RECORDS = (
    FakeRecord(
        "sarmiento-2003-resection@000-t1",
        "sarmiento-2003-resection",
        "Sarmiento",
        2003,
        "all",
        "liver_resection",
        {"median_os_months": 81, "os_5y_percent": 61},
        n=170,
        source={"seed": "000", "locator": "Table 1"},
    ),
    FakeRecord(
        "mayo-2011-surgery@000-t1",
        "mayo-2011-surgery",
        "Mayo",
        2011,
        "Surgery",
        "liver_resection",
        {"median_os_months": 123, "os_5y_percent": 74},
        n=339,
        source={"seed": "000", "locator": "Table 1"},
        follow_up_months=130.0,
    ),
    FakeRecord(
        "que-1995-resection@000-t1",
        "que-1995-resection",
        "Que",
        1995,
        "all",
        "liver_resection",
        {"mortality_percent": 2.7},
        n=74,
        source={"seed": "000", "locator": "Table 1"},
    ),
    FakeRecord(
        "norton-2003-resection@000-t1",
        "norton-2003-resection",
        "Norton",
        2003,
        "all",
        "liver_resection",
        {"median_os_months": 32, "os_5y_percent": 82},
        n=16,
        source={"seed": "000", "locator": "Table 1"},
    ),
    FakeRecord(
        "osborne-2006-cytoreduction@000-t1",
        "osborne-2006-cytoreduction",
        "Osborne",
        2006,
        "cytoreduction",
        "liver_resection",
        {"median_os_months": 43},
        n=61,
        flags=("mean_not_median",),
        source={"seed": "000", "locator": "Table 1"},
    ),
    FakeRecord(
        "hill-2009-resected@000-t1",
        "hill-2009-resected",
        "Hill",
        2009,
        "Resected",
        "liver_resection",
        {"median_os_months": 114},
        n=310,
        source={"seed": "000", "locator": "Table 1"},
    ),
    FakeRecord(
        "dhir-2017-tace@000-t2",
        "dhir-2017-tace",
        "Dhir",
        2017,
        "TACE",
        "tace",
        {"median_os_months": 44, "os_5y_percent": 41},
        n=91,
        source={"seed": "000", "locator": "Table 2"},
    ),
)
MODALITIES = ("liver_resection", "tace", "prrt")


@pytest.fixture
def fake_records(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Serve FAKE_RECORDS as ``nelm.evidence.records`` (the command imports it lazily)."""
    module = types.ModuleType("nelm.evidence.records")

    def records_for(
        modality: str | None = None, outcome: str | None = None
    ) -> tuple[FakeRecord, ...]:
        return tuple(
            r
            for r in FAKE_RECORDS
            if (modality is None or r.modality == modality)
            and (outcome is None or outcome in r.outcomes)
        )

    module.MODALITIES = MODALITIES  # type: ignore[attr-defined]
    module.EvidenceRecord = FakeRecord  # type: ignore[attr-defined]
    module.records_for = records_for  # type: ignore[attr-defined]
    module.load_records = lambda: FAKE_RECORDS  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nelm.evidence.records", module)
    yield


@pytest.mark.usefixtures("fake_records")
def test_text_lists_curves_and_skipped_arms() -> None:
    result = runner.invoke(app, ["evidence", "survival", "--modality", "liver_resection"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith(
        "Approximate overall survival after liver resection: Weibull curves through "
        "published medians and landmark rates\n"
        "Literature approximations, not Kaplan–Meier estimates; not patient-level data.\n"
    )
    assert "Curves (2)\n  Sarmiento 2003 · n = 170  [sarmiento-2003-resection@000-t1]\n" in text
    assert (
        "    shape k = 1.13 (1.05–1.21 within the published rounding), scale λ = 112.1 mo, "
        "drawn 0–81 mo (to median OS 81 mo), "
        "RMSE (cloglog) 0.000\n"
        "    anchors: 5-y OS 61% (curve 61.0%); median OS 81 mo (curve 50.0%)\n"
        "    source: Ngongoni 2022, Table 1\n"  # seed 000: Ngongoni & Visser, Cancers 2022
    ) in text
    assert "\nReferences\n  1. Ngongoni R, Visser B. Surgery, Liver Directed Therapy" in text
    assert "drawn 0–130 mo (to median follow-up 130 mo)" in text
    assert "Skipped (4)\n" in text
    assert (
        "  norton-2003-resection@000-t1: anchors not monotone: 5-y OS 82% at 60 months "
        "is higher than median OS 32 mo at 32 months\n"
    ) in text
    assert "  que-1995-resection@000-t1: no median OS or landmark OS rate reported\n" in text
    assert (
        "  hill-2009-resected@000-t1: one anchor only (median OS 114 mo): the curve's "
        "shape is not identifiable from a single point, so none is assumed\n"
    ) in text
    assert (
        "  osborne-2006-cytoreduction@000-t1: the 43 months in the source's median OS "
        "column is a mean, not a median, and is not used; fewer than two anchors "
        "remain\n"
    ) in text


@pytest.mark.usefixtures("fake_records")
def test_json_output() -> None:
    result = runner.invoke(
        app, ["evidence", "survival", "--modality", "liver_resection", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["modality"] == "liver_resection" and report["kind"] == "os"
    assert report["caption"] == CAPTION
    sarmiento = report["curves"][0]
    assert sarmiento["id"] == "sarmiento-2003-resection@000-t1"
    # closed form, see tests/evidence/test_survival.py: k = 1.12663, λ = 112.14 months
    assert sarmiento["shape"] == pytest.approx(1.1266, abs=1e-4)
    assert sarmiento["scale_months"] == pytest.approx(112.14, abs=0.01)
    assert sarmiento["shape_bounds"] == [
        pytest.approx(1.0501, abs=1e-4),
        pytest.approx(1.2070, abs=1e-4),
    ]
    assert sarmiento["range_months"] == [0, 81.0]
    assert sarmiento["source"] == {"seed": "000", "locator": "Table 1"}
    assert [a["label"] for a in sarmiento["anchors"]] == ["5-y OS 61%", "median OS 81 mo"]
    assert [a["fitted_percent"] for a in sarmiento["anchors"]] == [61.0, 50.0]
    assert {s["id"]: s["code"] for s in report["skipped"]} == {
        "que-1995-resection@000-t1": "no_anchor",
        "norton-2003-resection@000-t1": "non_monotone",
        "osborne-2006-cytoreduction@000-t1": "mean_not_median",
        "hill-2009-resected@000-t1": "one_anchor",
    }
    # every record of the modality is either drawn or skipped, never lost
    ids = {c["id"] for c in report["curves"]} | {s["id"] for s in report["skipped"]}
    assert ids == {r.id for r in FAKE_RECORDS if r.modality == "liver_resection"}


@pytest.mark.usefixtures("fake_records")
def test_pfs_kind_with_no_usable_arm() -> None:
    result = runner.invoke(
        app, ["evidence", "survival", "--modality", "tace", "--kind", "pfs", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["curves"] == []
    assert report["skipped"][0]["code"] == "no_anchor"


@pytest.mark.usefixtures("fake_records")
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_plot_is_written(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"curves{suffix}"
    result = runner.invoke(
        app, ["evidence", "survival", "--modality", "liver_resection", "--plot", str(target)]
    )
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == ".svg":
        svg = data.decode()
        assert CAPTION in svg
        assert "Overall survival after liver resection" in svg
        assert svg.count('<g id="survival-curve-') == 2
    else:
        assert data.startswith(b"\x89PNG")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


@pytest.mark.usefixtures("fake_records")
def test_unknown_modality_is_rejected_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["nelm", "evidence", "survival", "--modality", "tacos"])
    assert run_guarded(app) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "error: --modality: must be one of liver_resection, tace, prrt, got tacos\n"
    )
    assert captured.out == ""


@pytest.mark.usefixtures("fake_records")
def test_every_bad_option_is_reported_and_no_plot_written(tmp_path: Path) -> None:
    target = tmp_path / "curves.pdf"
    result = runner.invoke(
        app,
        [
            "evidence",
            "survival",
            "--modality",
            "tacos",
            "--kind",
            "dfs",
            "--format",
            "xml",
            "--plot",
            str(target),
        ],
    )
    assert isinstance(result.exception, InputRejected)
    assert [p.message for p in result.exception.problems] == [
        "--modality: must be one of liver_resection, tace, prrt, got tacos",
        "--kind: must be one of os, pfs, got dfs",
        "--format: must be one of text, json, got xml",
        f"--plot: a file name ending in .svg or .png, got {target}",
    ]
    assert not target.exists()


@pytest.mark.usefixtures("fake_records")
def test_plot_into_a_missing_directory_is_rejected(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "curves.svg"
    result = runner.invoke(
        app, ["evidence", "survival", "--modality", "tace", "--plot", str(target)]
    )
    assert isinstance(result.exception, InputRejected)
    assert result.exception.problems[0].message == (
        f"--plot: a file in an existing directory, got {target}"
    )


@pytest.mark.usefixtures("fake_records")
def test_modality_is_required() -> None:
    result = runner.invoke(app, ["evidence", "survival"])
    assert result.exit_code == 2
    assert "--modality" in result.output


# --- the packaged records ----------------------------------------------------------------


@pytest.fixture
def real_records() -> None:
    """The packaged evidence records (skip while the module is absent)."""
    pytest.importorskip("nelm.evidence.records")


@pytest.mark.parametrize("modality", ["liver_resection", "tace", "prrt"])
def test_packaged_records_are_all_accounted_for(real_records: None, modality: str) -> None:
    from nelm.evidence.records import records_for

    result = runner.invoke(
        app, ["evidence", "survival", "--modality", modality, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    expected = {r.id for r in records_for(modality=modality)}
    drawn = {c["id"] for c in report["curves"]}
    skipped = {s["id"] for s in report["skipped"]}
    assert drawn | skipped == expected and not drawn & skipped
    for curve in report["curves"]:
        assert len(curve["anchors"]) >= 2
        assert curve["shape"] > 0
        assert curve["range_months"][1] >= max(a["months"] for a in curve["anchors"])
        assert curve["source"]["seed"] in {"000", "001", "002", "003", "004"}
    for item in report["skipped"]:
        assert item["reason"]


def test_packaged_sarmiento_2003_matches_the_closed_form(real_records: None) -> None:
    """Seed 000 Table 1: median OS 81 months, 5-year OS 61 % → k = 1.1266, λ = 112.14."""
    result = runner.invoke(
        app, ["evidence", "survival", "--modality", "liver_resection", "--format", "json"]
    )
    curves = {c["id"]: c for c in json.loads(result.stdout)["curves"]}
    sarmiento = curves.get("sarmiento-2003-resection@000-t1")
    if sarmiento is None:
        pytest.skip("the packaged records hold no sarmiento-2003-resection@000-t1")
    assert sarmiento["shape"] == pytest.approx(1.1266, abs=1e-4)
    assert sarmiento["scale_months"] == pytest.approx(112.14, abs=0.01)


def test_high_grade_arms_are_drawn_only_with_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    # Sarmiento 2003's figures (000 Table 1) given a population of neuroendocrine carcinoma:
    # not pooled with G1-G2 NET unless asked for (001 Figure 2, 000 §4), nor drawn.
    from dataclasses import replace

    nec = replace(
        FAKE_RECORDS[0], id="nec-copy@test", study_key="nec-copy", author="Copy", population="nec"
    )
    module = types.ModuleType("nelm.evidence.records")
    module.MODALITIES = MODALITIES  # type: ignore[attr-defined]
    module.EvidenceRecord = FakeRecord  # type: ignore[attr-defined]
    module.records_for = lambda modality=None, outcome=None: tuple(  # type: ignore[attr-defined]
        r for r in (*FAKE_RECORDS, nec) if modality is None or r.modality == modality
    )
    module.load_records = lambda: (*FAKE_RECORDS, nec)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nelm.evidence.records", module)
    base = ["evidence", "survival", "--modality", "liver_resection", "--format", "json"]
    plain = json.loads(runner.invoke(app, base).stdout)
    assert {s["id"]: s["code"] for s in plain["skipped"]}["nec-copy@test"] == "high_grade"
    asked = json.loads(runner.invoke(app, [*base, "--high-grade"]).stdout)
    drawn = {c["id"]: c for c in asked["curves"]}
    assert drawn["nec-copy@test"]["high_grade"] is True
    assert drawn["nec-copy@test"]["label"].startswith("HIGH GRADE (neuroendocrine carcinoma)")
