"""``nelm batch`` on a folder of FHIR records, one patient per file (Synthea's output/fhir,
a registry's export one record per file): each patient's row is what their record assessed
alone by ``nelm assess`` gives, JSON and XML alike.

The records are the real ones of fixtures/fhir-real/ (Synthea, mCODE; SOURCES.md there),
HL7's IPS example in XML (fixtures/fhir-xml/) and the three synthetic NET records, each
file as it is, unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nelm.cohort.record_folder import read_record_folder
from nelm.cohort.runner import run_batch
from nelm.errors import InputRejected
from nelm.service import assess_text

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"
FILES = [
    FIXTURES / "fhir-real" / "external" / "synthea-bulk-3af3708d.json",
    FIXTURES / "fhir-real" / "external" / "mcode-stu1-examples.json",
    FIXTURES / "fhir-xml" / "ips-bundle-01.xml",
    *sorted(FIXTURES.glob("synthetic-*.json")),
]
AS_OF = dt.date(2026, 11, 1)
# Each file's Patient id, read off the files (the XML one: Patient/2b90dd2b-…).
PATIENTS = {
    "synthea-bulk-3af3708d.json": "3af3708d-41f1-cd80-f3dd-ec5ac76072bf",
    "mcode-stu1-examples.json": "mCODEPatientExample01",
    "ips-bundle-01.xml": "2b90dd2b-2dab-4c75-9bb9-a355e07401e8",
    "synthetic-0001.json": "pat-0001",
    "synthetic-0002-si-units.json": "pat-0002",
    "synthetic-0003-metachronous-bone.json": "pat-0003",
}
# Synthea writes the hospitals and practitioners its patients' records name in files of
# their own, holding no Patient.
HOSPITALS = {
    "resourceType": "Bundle",
    "type": "batch",
    "entry": [{"resource": {"resourceType": "Organization", "id": "org-1", "name": "A"}}],
}
HOSPITALS_TEXT = json.dumps(HOSPITALS)


def _folder(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for path in FILES:
        shutil.copy(path, folder / path.name)
    (folder / "hospitalInformation1.json").write_text(HOSPITALS_TEXT)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)
    return folder


def _statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {f"{option}.status": o["status"] for option, o in doc["options"].items()}


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_each_file_gives_the_assessment_of_its_record(tmp_path: Path, engine: str) -> None:
    folder = _folder(tmp_path)
    summary = run_batch(folder, tmp_path / "out.csv", engine=engine, as_of=AS_OF)  # type: ignore[arg-type]
    results = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    # in file-name order, each case id the Patient's id
    assert results.get_column("case_id").to_list() == [PATIENTS[name] for name in sorted(PATIENTS)]
    for path in FILES:
        alone = assess_text(path.read_text("utf-8"), assessment_date=AS_OF, with_evidence=False)
        row = results.filter(pl.col("case_id") == PATIENTS[path.name]).row(0, named=True)
        assert {k: row[k] for k in _statuses(alone)} == _statuses(alone), path.name
        assert row["grade"] == alone["classification"]["grade"]
    assert (summary.accepted, summary.rejected_rows) == (len(FILES), 0)
    assert summary.reading == (
        f"read as FHIR records, one per file: {len(FILES)} patients from "
        f"{len(FILES) + 1} files; 1 file holding no Patient set aside"
    )


def test_what_the_mapping_says_of_each_record_is_in_the_warnings_file(tmp_path: Path) -> None:
    run_batch(_folder(tmp_path), tmp_path / "out.csv", as_of=AS_OF)
    warnings = pl.read_csv(tmp_path / "out.warnings.csv", infer_schema=False)
    # HL7's IPS example is a breast cancer (fixtures/fhir-xml/SOURCES.md)
    ips = warnings.filter(pl.col("case_id") == PATIENTS["ips-bundle-01.xml"])
    assert any(r.startswith("NOT A NEUROENDOCRINE RECORD") for r in ips["reason"])


def test_the_summary_counts_the_patients_the_records_flag(tmp_path: Path) -> None:
    # Synthea's 3af3708d died in 1971 (its Patient's deceasedDateTime); the Synthea,
    # mCODE and IPS records hold no neuroendocrine neoplasm (SOURCES.md): the summary
    # printed after the run says so, counted by patient, beside the results file.
    from nelm.cli.batch import _summary_table

    summary = run_batch(_folder(tmp_path), tmp_path / "out.csv", as_of=AS_OF)
    said = [line for line in _summary_table(summary) if str(line).startswith("read first")]
    assert said == [
        "read first, the records say: NOT A NEUROENDOCRINE RECORD 3 patients; DECEASED "
        "1 patient (the warnings file names the rows)"
    ]


def test_a_file_that_cannot_be_read_is_a_rejected_row_and_the_rest_is_assessed(
    tmp_path: Path,
) -> None:
    folder = _folder(
        tmp_path,
        {
            "a-broken.json": '{"resourceType": "Bundle", ',
            "b-case.json": json.dumps({"case_id": "x", "pathology": {"ki67_percent": 4}}),
            "c-broken.xml": '<Bundle xmlns="http://hl7.org/fhir"><entry></Bundle>',
            # the same patient as synthetic-0001.json, in a second file
            "zz-again.json": (FIXTURES / "synthetic-0001.json").read_text("utf-8"),
        },
    )
    summary = run_batch(folder, tmp_path / "out.csv", as_of=AS_OF)
    assert (summary.accepted, summary.rejected_rows) == (len(FILES), 4)
    rejects = pl.read_csv(tmp_path / "out.rejects.csv", infer_schema=False)
    by_file = dict(zip(rejects["field"], rejects["reason"], strict=True))
    assert "valid JSON in a-broken.json" in by_file["a-broken.json"]
    assert "a case document" in by_file["b-case.json"]
    assert "well-formed XML in c-broken.xml" in by_file["c-broken.xml"]
    assert "got Patient/pat-0001 again (synthetic-0001.json)" in by_file["zz-again.json"]


def test_a_folder_with_ndjson_is_a_bulk_export_and_an_empty_one_is_named(tmp_path: Path) -> None:
    from nelm.cohort.record_folder import holds_records

    folder = _folder(tmp_path)
    assert holds_records(folder)
    (folder / "Patient.ndjson").write_text("")
    assert not holds_records(folder)  # read as a Bulk Data export (nelm.cohort.fhir_export)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputRejected) as caught:
        run_batch(empty, tmp_path / "out.csv", as_of=AS_OF)
    assert "a folder without an .ndjson, .json or .xml file" in caught.value.problems[0].message


def test_a_folder_of_records_and_ndjson_files_together_is_refused(tmp_path: Path) -> None:
    # Read as an export, the six records beside the NDJSON file would be left out: the
    # documented rule (docs/cohorts.md) is that one folder holds one kind, said at once.
    folder = _folder(tmp_path)
    (folder / "Patient.ndjson").write_text(json.dumps({"resourceType": "Patient", "id": "p"}))
    with pytest.raises(InputRejected) as caught:
        run_batch(folder, tmp_path / "out.csv", as_of=AS_OF)
    problem = caught.value.problems[0]
    assert problem.path == str(folder)
    assert "not both: move one kind to a folder of its own" in problem.message
    # the six records of FILES and the hospitals' file
    assert f"got 1 .ndjson file and {len(FILES) + 1} .json or .xml files" in problem.message
    assert not (tmp_path / "out.csv").exists()


def test_one_record_at_a_time_in_file_name_order(tmp_path: Path) -> None:
    cohort = read_record_folder(_folder(tmp_path), AS_OF)
    assert cohort.positions == list(range(1, len(FILES) + 1))
    assert cohort.set_aside == 1


def test_read_by_a_process_per_core_the_folder_gives_the_same_cohort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large folders are read by a pool of processes; the rows, lines and positions must
    # be those of reading them one after the other, in file-name order.
    import nelm.cohort.record_folder as record_folder

    folder = _folder(tmp_path, {"a-broken.json": "{", "zz-again.json": HOSPITALS_TEXT})
    one_by_one = read_record_folder(folder, AS_OF)
    monkeypatch.setattr(record_folder, "_POOL_FROM", 2)
    monkeypatch.setattr(record_folder.os, "cpu_count", lambda: 2)
    pooled = read_record_folder(folder, AS_OF)
    assert pooled.frame.equals(one_by_one.frame)
    assert (pooled.rejects, pooled.warnings) == (one_by_one.rejects, one_by_one.warnings)
    assert (pooled.positions, pooled.set_aside, pooled.patients) == (
        one_by_one.positions,
        one_by_one.set_aside,
        one_by_one.patients,
    )


@pytest.mark.parametrize("stop_at", [None, 3, 4, 5])
def test_the_results_are_put_in_place_last_after_an_earlier_runs_are_removed(
    tmp_path: Path, stop_at: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine's three renames into the scratch folder, then these three: the rejects,
    # the warnings (whole, what the mapping says of the records among the engine's lines),
    # the results last. The results were renamed first: a run stopped then left this run's
    # results beside an earlier run's warnings. Now a run stopped in between leaves no
    # results file at all.
    import os

    folder = _folder(tmp_path)
    out = tmp_path / "out.csv"
    out.write_text("an earlier run's results\n")
    (tmp_path / "out.warnings.csv").write_text("an earlier run's warnings\n")
    real = os.replace
    seen: list[str] = []
    done = [0]

    def replace(src: Any, dst: Any) -> None:
        if done[0] == stop_at:
            raise KeyboardInterrupt
        done[0] += 1
        real(src, dst)
        if Path(dst) == out:
            seen.append((tmp_path / "out.warnings.csv").read_text())

    monkeypatch.setattr(os, "replace", replace)
    if stop_at is not None:
        with pytest.raises(KeyboardInterrupt):
            run_batch(folder, out, as_of=AS_OF)
        assert not out.exists() and seen == []
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
        return
    run_batch(folder, out, as_of=AS_OF)
    assert done[0] == 6
    assert seen == [(tmp_path / "out.warnings.csv").read_text()]
    assert "NOT A NEUROENDOCRINE RECORD" in seen[0]
