"""``nelm evidence list`` (in-process, typer's CliRunner on ``nelm.cli.app``)."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from typer.testing import CliRunner

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.errors import InputRejected
from nelm.evidence.records import OUTCOMES, load_records

runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # so that rich does not fold ids inside table cells


def _json(args: list[str]) -> object:
    result = runner.invoke(app, ["evidence", "list", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_lists_every_record_with_contract_fields() -> None:
    docs = _json([])
    assert isinstance(docs, list)
    assert len(docs) == len(load_records())
    # 000 Table 4, Kwekkeboom [79] 2008: N 310, CR+PR 29, PFS 33, OS 46
    (kwekkeboom,) = [d for d in docs if d["id"] == "kwekkeboom-2008-prrt@000-t4"]
    assert kwekkeboom["n"] == 310
    assert kwekkeboom["orr_percent"] == 29
    assert kwekkeboom["median_pfs_months"] == 33
    assert kwekkeboom["median_os_months"] == 46
    assert kwekkeboom["source"]["seed"] == "000"


def test_modality_and_outcome_narrow_the_list() -> None:
    docs = _json(["--modality", "deb_tace", "--outcome", "median_os_months"])
    assert isinstance(docs, list) and docs
    assert all(d["modality"] == "deb_tace" and "median_os_months" in d for d in docs)
    # 000 Table 3, Do Minh DEB-TACE: median OS 22 months
    assert {d["id"]: d["median_os_months"] for d in docs} == {"do-minh-2017-deb-tace@000-t3": 22}


def test_csv_has_one_row_per_record_and_every_outcome_column() -> None:
    result = runner.invoke(
        app, ["evidence", "list", "--modality", "staged_resection", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["id"] for r in rows} == {
        "kianmanesh-2008-two-stage@001-text",
        "linecker-2020-alpps@001-text",
    }
    assert set(OUTCOMES) <= set(rows[0])
    # 001 §Staged resections: ALPPS registry, 1- and 2-year OS both 95.2%
    (alpps,) = [r for r in rows if r["id"].startswith("linecker")]
    assert alpps["os_1y_percent"] == alpps["os_2y_percent"] == "95.2"
    assert alpps["n"] == ""


def test_table_is_the_default_format() -> None:
    result = runner.invoke(app, ["evidence", "list", "--modality", "staged_resection"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Evidence records (2)" in result.output
    assert "kianmanesh-2008-two-stage@001-text" in result.output
    assert "os_5y_percent 94" in result.output
    # the source by author and year (seed 001: Machairas et al., Ann Gastroenterol 2021),
    # listed under the table
    assert "Machairas 2021, §Staged resections" in result.output
    assert "References\n  1. Machairas N, Daskalakis K, Felekouras E, et al." in result.output


def test_table_with_one_outcome_shows_that_column() -> None:
    result = runner.invoke(
        app,
        ["evidence", "list", "--modality", "liver_transplant_milan", "--outcome", "os_10y_percent"],
        env=WIDE,
    )
    assert result.exit_code == 0, result.output
    # 001 §Liver transplantation: 10-year OS 88.9% after OLT (Milan criteria)
    assert "os_10y_percent" in result.output
    assert "88.9" in result.output


def test_empty_selection_says_so() -> None:
    result = runner.invoke(app, ["evidence", "list", "--modality", "interferon_alpha"])
    assert result.exit_code == 0, result.output
    assert "No records match." in result.output


# --- conflicts ------------------------------------------------------------------------------


def _conflicts_json(args: list[str]) -> list[dict[str, object]]:
    docs = _json(["--conflicts", *args])
    assert isinstance(docs, list)
    return docs


def _values(docs: list[dict[str, object]], study_key: str, field: str) -> dict[object, object]:
    (found,) = [d for d in docs if d["study_key"] == study_key and d["field"] == field]
    values = found["values"]
    assert isinstance(values, list)
    return {v["id"]: v["value"] for v in values}


def test_conflicts_show_kwekkeboom_dong_and_bloomston() -> None:
    docs = _conflicts_json([])
    # 000 Table 4 vs 001 Supplementary Table 2: CR+PR 29 vs ORR 46; PFS 33 vs 40
    assert _values(docs, "kwekkeboom-2008-prrt", "orr_percent") == {
        "kwekkeboom-2008-prrt@000-t4": 29,
        "kwekkeboom-2008-prrt@001-supp-t2": 46,
    }
    assert _values(docs, "kwekkeboom-2008-prrt", "median_pfs_months") == {
        "kwekkeboom-2008-prrt@000-t4": 33,
        "kwekkeboom-2008-prrt@001-supp-t2": 40,
    }
    # 000 Table 2 vs 001 Supplementary Table 1: 50 vs 123 patients
    assert _values(docs, "dong-2011-tace", "n") == {
        "dong-2011-tace@000-t2": 50,
        "dong-2011-tace@001-supp-t1": 123,
    }
    # 000 Table 2 vs 001 Supplementary Table 1: 2007 vs 2017
    assert _values(docs, "bloomston-2007-tace", "year") == {
        "bloomston-2007-tace@000-t2": 2007,
        "bloomston-2007-tace@001-supp-t1": 2017,
    }


def test_conflicts_narrowed_by_modality_and_outcome() -> None:
    docs = _conflicts_json(["--modality", "prrt", "--outcome", "median_pfs_months"])
    assert {d["field"] for d in docs} == {"median_pfs_months"}
    keys = {d["study_key"] for d in docs}
    assert "kwekkeboom-2008-prrt" in keys
    assert "dong-2011-tace" not in keys
    # 000 Table 4 prints NETTER-1's PFS as not reached, 002 §2.3 gives 28.4 months
    assert (
        _values(docs, "strosberg-2017-prrt", "median_pfs_months")["strosberg-2017-prrt@002-text"]
        == 28.4
    )


def test_conflicts_table_lists_each_source_value() -> None:
    result = runner.invoke(app, ["evidence", "list", "--conflicts", "--modality", "tace"], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Disagreements between sources" in result.output
    assert "dong-2011-tace@000-t2: 50" in result.output
    assert "dong-2011-tace@001-supp-t1: 123" in result.output
    assert "bloomston-2007-tace@001-supp-t1: 2017" in result.output


def test_conflicts_csv() -> None:
    result = runner.invoke(
        app,
        [
            "evidence",
            "list",
            "--conflicts",
            "--format",
            "csv",
            "--outcome",
            "stable_disease_percent",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    # 000 Table 2 (Kress 2003, SD 54) vs 001 Supplementary Table 1 (ORR/SD "8/53")
    kress = {r["id"]: r["value"] for r in rows if r["study_key"] == "kress-2003-tace"}
    assert kress == {"kress-2003-tace@000-t2": "54", "kress-2003-tace@001-supp-t1": "53"}


# --- rejected input -----------------------------------------------------------------------


def test_unknown_modality_exits_2_with_one_line_per_problem(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["nelm", "evidence", "list", "--modality", "tacos"])
    assert run_guarded(app) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: --modality: must be one of liver_resection, ")
    assert captured.err.endswith(", got tacos\n")
    assert captured.err.count("\n") == 1


def test_every_bad_option_is_reported() -> None:
    result = runner.invoke(
        app, ["evidence", "list", "--modality", "tacos", "--outcome", "survival", "--format", "xml"]
    )
    assert isinstance(result.exception, InputRejected)
    assert [p.path for p in result.exception.problems] == ["--modality", "--outcome", "--format"]
    assert [p.got for p in result.exception.problems] == ["tacos", "survival", "xml"]
    assert result.exception.exit_code == 2


def test_unknown_outcome_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "argv", ["nelm", "evidence", "list", "--conflicts", "--outcome", "median_survival"]
    )
    assert run_guarded(app) == 2
    assert "--outcome: must be one of median_os_months" in capsys.readouterr().err


def test_the_table_says_the_flags_in_words_and_json_keeps_the_codes() -> None:
    # 001 Table 1: Sahara 2019's OS columns repeat its DFS columns (flag os_probably_dfs,
    # docs/evidence-extraction.md).
    from nelm.evidence.flag_words import FLAG_WORDS

    result = runner.invoke(
        app, ["evidence", "list", "--modality", "liver_resection"], env={"COLUMNS": "400"}
    )
    assert result.exit_code == 0, result.output
    assert FLAG_WORDS["os_probably_dfs"] in " ".join(result.output.split())
    assert "os_probably_dfs" not in result.output
    docs = _json(["--modality", "liver_resection"])
    assert isinstance(docs, list)
    (sahara,) = [d for d in docs if d["id"] == "sahara-2019-resection@001-t1"]
    assert sahara["flags"] == ["os_probably_dfs"]
