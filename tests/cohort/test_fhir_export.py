"""``nelm batch`` on a FHIR export (a folder of NDJSON files, one resource per line): each
patient's row is what their record assessed alone gives.

The export is written here the way a Bulk Data export writes one: one file per resource
type, references relative (``Patient/<id>``). Its patients are the real records of
fixtures/fhir-real/ whose references are already relative (the synthea-bulk records were
gathered from such an export, fixtures/fhir-real/SOURCES.md), and the three synthetic NET
records of fixtures/ with their ``urn:uuid:`` references made relative. A Medication,
which names no patient, must reach the record of the patient whose MedicationStatement
names it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from nelm.cohort.fhir_export import read_export
from nelm.cohort.runner import run_batch
from nelm.errors import InputRejected
from nelm.interop.fhir.synthetic import resources_as_exported
from nelm.service import assess_fhir

FIXTURES = Path(__file__).resolve().parents[1] / "interop" / "fixtures"
REAL = ["synthea-bulk-3af3708d.json", "synthea-bulk-6a4160eb.json", "mcode-stu1-examples.json"]
SYNTHETIC = [
    "synthetic-0001.json",
    "synthetic-0002-si-units.json",
    "synthetic-0003-metachronous-bone.json",  # a Medication its MedicationStatement names
]
AS_OF = dt.date(2026, 11, 1)


def _records() -> dict[str, dict[str, Any]]:
    """Each record of the export as a Bundle, by its Patient's id."""
    bundles = [json.loads((FIXTURES / "fhir-real" / "external" / n).read_text()) for n in REAL]
    bundles += [json.loads((FIXTURES / n).read_text()) for n in SYNTHETIC]
    records = {}
    for bundle in bundles:
        resources = resources_as_exported(bundle)
        [patient] = [r for r in resources if r["resourceType"] == "Patient"]
        entries = [{"resource": r} for r in resources]
        records[patient["id"]] = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return records


def _write_export(folder: Path, records: dict[str, dict[str, Any]]) -> Path:
    by_type: dict[str, list[str]] = {}
    for bundle in records.values():
        for entry in bundle["entry"]:
            resource = entry["resource"]
            by_type.setdefault(resource["resourceType"], []).append(json.dumps(resource))
    folder.mkdir()
    for kind, lines in by_type.items():
        (folder / f"{kind}.ndjson").write_text("".join(line + "\n" for line in lines))
    return folder


def _statuses(doc: dict[str, Any]) -> dict[str, str]:
    return {f"{option}.status": o["status"] for option, o in doc["options"].items()}


@pytest.mark.parametrize("engine", ["polars", "reference"])
def test_each_patient_gets_the_assessment_of_their_record(tmp_path: Path, engine: str) -> None:
    records = _records()
    export = _write_export(tmp_path / "export", records)
    summary = run_batch(export, tmp_path / "out.csv", engine=engine, as_of=AS_OF)  # type: ignore[arg-type]
    results = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert results.get_column("case_id").to_list() == sorted(records)
    for row in results.iter_rows(named=True):
        alone = assess_fhir(records[row["case_id"]], assessment_date=AS_OF, with_evidence=False)
        assert {k: row[k] for k in _statuses(alone)} == _statuses(alone), row["case_id"]
        assert row["grade"] == alone["classification"]["grade"]
    # the synthetic records are NET records with something to decide
    assert results.filter(pl.col("grade").is_not_null()).height == len(SYNTHETIC)
    assert (summary.rows, summary.accepted, summary.rejected_rows) == (len(records),) * 2 + (0,)
    assert summary.reading == f"read as a FHIR export: {len(records)} patients from " + (
        f"{len(list(export.iterdir()))} files"
    )


def test_a_medication_reaches_the_patient_whose_statement_names_it(tmp_path: Path) -> None:
    # synthetic-0003: MedicationStatement/tx0-0003 names a Medication coded ATC L01EG02,
    # everolimus (WHO ATC index); the Medication names no patient, so the export must bring
    # it to the record of the patient whose statement names it.
    cohort = read_export(_write_export(tmp_path / "export", _records()), AS_OF)
    rows = cohort.frame.filter(pl.col("case_id") == "pat-0003")
    assert "everolimus" in rows.get_column("course.prior_treatments")[0].to_list()
    assert cohort.set_aside == 0


def test_what_the_mapping_says_of_a_record_is_in_the_warnings_file(tmp_path: Path) -> None:
    records = _records()
    run_batch(_write_export(tmp_path / "export", records), tmp_path / "out.csv", as_of=AS_OF)
    warnings = pl.read_csv(tmp_path / "out.warnings.csv", infer_schema=False)
    order = sorted(records)
    for case_id, rows in warnings.group_by("case_id"):
        alone = assess_fhir(records[str(case_id[0])], assessment_date=AS_OF)
        said = alone["input_source"]["record_warnings"]
        record_lines = rows.filter(pl.col("field") == "record").get_column("reason").to_list()
        assert all(w in record_lines for w in said)
        # the row is the patient's position among the export's patients (by id)
        assert set(rows.get_column("row").to_list()) == {str(order.index(case_id[0]) + 1)}
    # every reference between the export's resources resolved, the Medication included
    assert not any("not in the bundle" in r for r in warnings["reason"])
    # the mCODE example is a lung adenocarcinoma (fixtures/fhir-real/manifest.json)
    mcode = warnings.filter(pl.col("case_id") == "mCODEPatientExample01")
    assert any(r.startswith("NOT A NEUROENDOCRINE RECORD") for r in mcode["reason"])


def test_resources_naming_no_patient_of_the_export_are_set_aside(tmp_path: Path) -> None:
    records = _records()
    export = _write_export(tmp_path / "export", records)
    strays = [
        {"resourceType": "Condition", "id": "no-subject", "code": {"text": "x"}},
        {"resourceType": "Observation", "id": "o", "status": "final",
         "code": {"text": "x"}, "subject": {"reference": "Patient/nobody"}},
        {"resourceType": "Medication", "code": {"text": "no id: no one can name it"}},
        {"resourceType": "Patient", "gender": "female"},  # no id either
    ]  # fmt: skip
    (export / "Strays.ndjson").write_text("".join(json.dumps(r) + "\n" for r in strays))
    summary = run_batch(export, tmp_path / "out.csv", as_of=AS_OF)
    assert summary.reading.endswith("; 4 resources about no patient of the export set aside")
    assert summary.accepted == len(records)


@pytest.mark.parametrize(
    ("line", "got"),
    [
        ('{"resourceType": "Condition", "id": "c"', "malformed JSON ("),
        ('{"id": "c"}', "a value without resourceType"),
        ('{"resourceType": "Bundle", "type": "collection"}', "a Bundle"),
        ('{"resourceType": "Condition", "id": "c", "x": NaN}', "a finite number"),
    ],
)
def test_a_line_that_is_not_a_resource_refuses_the_export(
    tmp_path: Path, line: str, got: str
) -> None:
    export = _write_export(tmp_path / "export", _records())
    with (export / "Condition.ndjson").open("a") as handle:
        handle.write(line + "\n")
    lines = (export / "Condition.ndjson").read_text().count("\n")
    with pytest.raises(InputRejected) as caught:
        run_batch(export, tmp_path / "out.csv", as_of=AS_OF)
    [problem] = caught.value.problems
    assert problem.path.startswith(f"Condition.ndjson line {lines}")
    assert got in problem.got or got in problem.expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # nothing written


def test_one_ndjson_file_of_several_patients_is_an_export(tmp_path: Path) -> None:
    records = _records()
    lines = [json.dumps(e["resource"]) for b in records.values() for e in b["entry"]]
    source = tmp_path / "all.ndjson"
    source.write_text("\n".join(lines) + "\n")
    summary = run_batch(source, tmp_path / "out.parquet", as_of=AS_OF)
    assert summary.reading.startswith(f"read as a FHIR export: {len(records)} patients from 1 file")
    assert pl.read_parquet(tmp_path / "out.parquet").height == len(records)


def test_an_export_needs_its_date_and_a_cohort_file_has_none(tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export", _records())
    with pytest.raises(InputRejected, match="--as-of: the assessment date of a FHIR export"):
        run_batch(export, tmp_path / "out.csv")
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("case_id\na\n")
    with pytest.raises(InputRejected, match="--as-of: only with a FHIR export"):
        run_batch(cohort, tmp_path / "out.csv", as_of=AS_OF)
    with pytest.raises(InputRejected, match="an existing file or folder, got no such path"):
        run_batch(tmp_path / "missing.ndjson", tmp_path / "out.csv", as_of=AS_OF)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputRejected, match=r"a folder without an \.ndjson, \.json or \.xml file"):
        run_batch(tmp_path / "empty", tmp_path / "out.csv", as_of=AS_OF)


def test_the_progress_follows_the_patients_mapped(tmp_path: Path) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.total: int | None = None
            self.done = 0

        def start(self, total: int | None) -> None:
            self.total = total

        def advance(self, rows: int) -> None:
            self.done += rows

    records, recorder = _records(), Recorder()
    export = _write_export(tmp_path / "export", records)
    run_batch(export, tmp_path / "out.csv", as_of=AS_OF, progress=recorder)
    assert (recorder.total, recorder.done) == (len(records), len(records))
