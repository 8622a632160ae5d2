"""``nelm assess`` as a user meets it: exit codes, messages, files, formats (cli-v1)."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from nelm.case.fields import OPTION_IDS
from nelm.cli import app
from nelm.cli._common import run_guarded

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "resectable-pnet.json"


def run(
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes | None = None,
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["nelm", *args])
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = run_guarded(app)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_follows_the_assessment_contract(capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run(["assess", str(EXAMPLE), "--format", "json"], capsys, monkeypatch)
    assert code == 0, err
    doc = json.loads(out)
    # assessment-v1: these keys must be present
    for key in (
        "schema_version",
        "knowledge_version",
        "case_id",
        "classification",
        "options",
        "plan",
        "missing_data",
        "warnings",
    ):
        assert key in doc
    assert doc["schema_version"] == 1
    assert doc["knowledge_version"].startswith("2026.1+")
    assert tuple(doc["options"]) == OPTION_IDS
    for option in doc["options"].values():
        assert option["status"] in ("eligible", "ineligible", "uncertain")
        assert option["intent"] in (
            "curative",
            "downstaging",
            "liver_control",
            "systemic_control",
            "symptom_control",
        )
        for key in ("criteria", "cautions", "missing", "evidence"):
            assert key in option
        for crit in option["criteria"]:
            assert set(crit) >= {"id", "text", "result", "value", "sources"}
    for step in doc["plan"]:
        assert set(step) >= {"step", "options", "intent", "rationale", "sources"}
    for key in ("grade", "differentiation", "liver_type", "portal_drainage", "explanations"):
        assert key in doc["classification"]


def test_text_report(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(["assess", str(EXAMPLE), "--format", "text"], capsys, monkeypatch)
    assert code == 0
    assert "ELIGIBLE" in out and "INELIGIBLE" in out
    assert "Decision support for clinicians" in out
    # the source "001 Isolated surgical resection" read as author, year and section, with
    # the full reference listed at the end (Machairas et al., Ann Gastroenterol 2021)
    words = " ".join(out.split())  # long lines wrap
    assert "Machairas 2021, Isolated surgical resection" in words
    assert "doi:10.20524/aog.2021.0574" in words
    assert "liver_resection" not in out and "pathology.ki67_percent" not in out


@pytest.mark.parametrize("width", [50, 80, 120])
def test_the_text_report_fits_the_width_it_is_given(
    capsys: Any, monkeypatch: Any, width: int
) -> None:
    code, out, _ = run(
        ["assess", str(EXAMPLE), "--format", "text", "--width", str(width)], capsys, monkeypatch
    )
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= width
    # the plan's option names wrap; they are never cut to "…" (the one "…" allowed is a
    # note's title that points to where it is printed in full)
    assert "…" not in re.sub(r"…\s+\(in\s+full\s+under", "", out)
    assert "Simultaneous resection of" in out


@pytest.mark.parametrize(("columns", "widest"), [("80", 80), ("120", 120), ("", 100)])
def test_a_pipe_takes_the_width_of_columns_when_it_is_set(
    capsys: Any, monkeypatch: Any, columns: str, widest: int
) -> None:
    # "COLUMNS=80 nelm assess case.json -f text | less": the width the user set, not 100;
    # without COLUMNS (or with it empty) a pipe gets the documented 100 columns.
    monkeypatch.setenv("COLUMNS", columns)
    code, out, _ = run(["assess", str(EXAMPLE), "--format", "text"], capsys, monkeypatch)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) == widest


def test_yaml_from_standard_input(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(
        ["assess", "-", "-f", "json"],
        capsys,
        monkeypatch,
        stdin=b"case_id: y1\npathology:\n  ki67_percent: 4\n",
    )
    assert code == 0
    assert json.loads(out)["case_id"] == "y1"


def test_rejected_case_exits_2_with_one_line_per_problem(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"case_id": "b", "pathology": {"ki67_percent": 140}, "patient": {"ecog": True}})
    )
    target = tmp_path / "out.json"
    code, out, err = run(["assess", str(bad), "-o", str(target)], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "error: patient.ecog: must be a whole number between 0 and 4, got true",
        "error: pathology.ki67_percent: must be a number between 0 and 100, got 140",
    ]
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left behind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "error: document: a JSON or YAML object in "),
        (b"[1]", "error: document: a JSON or YAML object (a case document); for a list"),
        (b"{not json", "error: document: valid JSON in "),
        (b"\xff\xfe\x00", "must be UTF-8 text"),
        # ASCII in UTF-16 without its byte-order mark: told by its NULs (RFC 4627 §3)
        (
            '{"resourceType": "Bundle"}'.encode("utf-16-le"),
            "got UTF-16 text without a byte-order mark",
        ),
        ('{"case_id": "a"}'.encode("utf-16-be"), "got UTF-16 text without a byte-order mark"),
    ],
)
def test_bad_files(
    content: bytes, message: str, capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(content)
    code, _, err = run(["assess", str(path)], capsys, monkeypatch)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_case_saved_as_utf16_by_a_windows_tool_is_read(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # PowerShell 5's Out-File writes UTF-16 with a byte-order mark.
    path = tmp_path / "case.json"
    path.write_bytes(EXAMPLE.read_text("utf-8").encode("utf-16"))
    code, out, err = run(["assess", str(path), "--format", "json"], capsys, monkeypatch)
    assert code == 0, err
    assert json.loads(out)["case_id"] == json.loads(EXAMPLE.read_text("utf-8"))["case_id"]


def test_a_folder_is_sent_to_nelm_batch(capsys: Any, monkeypatch: Any, tmp_path: Path) -> None:
    code, _, err = run(["assess", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    assert "a folder of FHIR records or a FHIR export is read by nelm batch" in err
    assert f"(nelm batch {tmp_path} -o results.parquet --as-of YYYY-MM-DD)" in err


def test_missing_file(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["assess", "/nonexistent/case.json"], capsys, monkeypatch)
    assert code == 2
    assert err == "error: /nonexistent/case.json: must be an existing file, got no such file\n"


@pytest.mark.parametrize("name", ["cohort.csv", "cohort.parquet", "COHORT.PQ"])
def test_a_cohort_file_is_sent_to_nelm_batch(
    name: str, capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    """cli-v1: assess reads one case (JSON or YAML); CSV and Parquet are batch's input."""
    path = tmp_path / name
    path.write_bytes(b"case_id,pathology.ki67_percent\np-1,5\n")
    code, out, err = run(["assess", str(path)], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert "a cohort file is read by nelm batch" in err and f"nelm batch {path}" in err


def test_output_file_written_atomically(capsys: Any, monkeypatch: Any, tmp_path: Path) -> None:
    target = tmp_path / "assessment.json"
    code, out, _ = run(
        ["assess", str(EXAMPLE), "-f", "json", "-o", str(target)], capsys, monkeypatch
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["case_id"] == "example-resectable-pnet"


def test_a_pipe_given_as_output_is_written_to_not_replaced(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # -o /dev/null or a named pipe: replacing it by a file (as a root user can) would break
    # every program that writes to it afterwards.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(["assess", str(EXAMPLE), "-f", "json", "-o", str(pipe)], capsys, monkeypatch)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert json.loads(received[0])["case_id"] == "example-resectable-pnet"


def test_a_directory_given_as_output_is_refused(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    code, _, err = run(["assess", str(EXAMPLE), "-o", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    assert f"-o: must be a file, not a directory, got {tmp_path}" in err


def test_packaged_example(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(["assess", "--example", "nec-pancreas", "-f", "json"], capsys, monkeypatch)
    assert code == 0
    assert json.loads(out)["classification"]["grade"] == "NEC"
    code, _, err = run(["assess", "--example", "nope"], capsys, monkeypatch)
    assert code == 2 and "--example: must be one of" in err


def test_unknown_format_is_a_usage_error(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["assess", str(EXAMPLE), "--format", "docx"], capsys, monkeypatch)
    assert code == 2
    assert "docx" in err


def test_label_is_shown_as_typed(capsys: Any, monkeypatch: Any, tmp_path: Path) -> None:
    path = tmp_path / "xss.json"
    label = "<script>alert(1)</script> [bold red]x[/bold red]"
    path.write_text(json.dumps({"case_id": "x", "label": label}))
    code, out, _ = run(["assess", str(path), "-f", "text"], capsys, monkeypatch)
    assert code == 0
    assert label in out


def test_packaged_examples_match_the_examples_folder() -> None:
    packaged = ROOT / "src" / "nelm" / "examples"
    for path in (ROOT / "examples").glob("*.json"):
        assert (packaged / path.name).read_bytes() == path.read_bytes(), path.name


def test_whole_command_has_no_traceback_and_exit_2() -> None:
    """The installed command, as a separate process (what a user runs)."""
    proc = subprocess.run(
        [sys.executable, "-m", "nelm", "assess", "-"],
        input=b'{"case_id": "a", "labs": {"ldh_u_l": "high"}}',
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.decode()
        == 'error: labs.ldh_u_l: must be a number between 0 and 10000, got "high"\n'
    )


def test_fhir_bundle_is_mapped_and_its_provenance_shown(capsys: Any, monkeypatch: Any) -> None:
    bundle = ROOT / "tests" / "interop" / "fixtures" / "synthetic-0001.json"
    code, out, err = run(
        ["assess", str(bundle), "--as-of", "2026-11-01", "-f", "json"], capsys, monkeypatch
    )
    assert code == 0, err
    doc = json.loads(out)
    source = doc["input_source"]
    assert source["format"] == "FHIR R4 Bundle"
    assert source["assessment_date"] == "2026-11-01"
    for field in source["provenance"]:
        section, name = field.split(".")
        assert name in doc["inputs"][section]
    for field in source["unmapped"]:
        section, name = field.split(".")
        assert name not in doc["inputs"].get(section, {})
    code, out, _ = run(
        ["assess", str(bundle), "--as-of", "2026-11-01", "-f", "text"], capsys, monkeypatch
    )
    assert "Input: FHIR R4 Bundle" in out


def test_wrong_resource_type_is_rejected(capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["assess", "-"], capsys, monkeypatch, stdin=b'{"resourceType": "Patient"}')
    assert code == 2
    assert err == 'error: Bundle.resourceType: must be "Bundle" (a FHIR R4 Bundle), got "Patient"\n'


REAL = ROOT / "tests" / "interop" / "fixtures" / "fhir-real" / "external"


def test_a_real_one_megabyte_record_is_assessed(capsys: Any, monkeypatch: Any) -> None:
    # synthea-hiv-alva958 is 1.0 MB (fixtures/fhir-real/SOURCES.md), once over the limit.
    code, out, err = run(
        [
            "assess",
            str(REAL / "synthea-hiv-alva958-1.0MB.json"),
            "--as-of",
            "2020-12-31",
            "-f",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert json.loads(out)["inputs"]["patient"] == {"age_years": 22, "sex": "male"}


def test_a_record_over_the_limit_is_refused_naming_the_limit(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    monkeypatch.setenv("NELM_FHIR_MAX_BYTES", "1000000")
    code, _, err = run(
        ["assess", str(REAL / "synthea-hiv-alva958-1.0MB.json"), "--as-of", "2020-12-31"],
        capsys,
        monkeypatch,
    )
    assert code == 2
    size = (REAL / "synthea-hiv-alva958-1.0MB.json").stat().st_size
    assert err == (
        f"error: {REAL / 'synthea-hiv-alva958-1.0MB.json'}: a FHIR record of at "
        "most 1 MB (1,000,000 bytes); a larger limit is set with the environment "
        f"variable NELM_FHIR_MAX_BYTES, got {size:,} bytes\n"
    )


def test_the_deceased_warning_is_the_first_thing_shown(capsys: Any, monkeypatch: Any) -> None:
    # synthea-bulk-3af3708d: Patient.deceasedDateTime 1971-10-01.
    code, out, err = run(
        ["assess", str(REAL / "synthea-bulk-3af3708d.json"), "--as-of", "2024-08-06", "-f", "json"],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert json.loads(out)["warnings"][0].startswith("DECEASED: the record says the patient")


def test_an_implausible_value_must_be_confirmed(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    """Platelets 210 /µL: exit 2 naming the field and the likely slip; confirmed, assessed
    with the warning first in the text report."""
    case = json.loads(EXAMPLE.read_text())
    case.setdefault("labs", {})["platelets_per_ul"] = 210
    path = tmp_path / "slip.json"
    path.write_text(json.dumps(case))
    code, out, err = run(["assess", str(path), "--format", "json"], capsys, monkeypatch)
    assert code == 2
    assert "labs.platelets_per_ul" in err and "did you mean 210 × 10⁹/L = 210,000 /µL?" in err
    case["confirmed"] = ["labs.platelets_per_ul"]
    path.write_text(json.dumps(case))
    code, out, err = run(["assess", str(path), "--format", "text"], capsys, monkeypatch)
    assert code == 0, err
    assert out.index("Warnings") < out.index("Classification")
    assert "Confirmed as entered." in " ".join(out.split())  # however the text wraps
