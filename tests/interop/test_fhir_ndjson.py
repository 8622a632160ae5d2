"""FHIR NDJSON (one resource per line, as a Bulk Data export writes it) read as the
collection Bundle of the same resources.

The real records used here hold relative references (``Patient/…``) and no history, so
their resources written one per line must give the very assessment their Bundle gives:
the synthea-bulk records were themselves gathered from a Bulk Data export's ndjson files
(fixtures/fhir-real/SOURCES.md). Only the case id differs (a Bundle's comes from its id,
a record without one is named by the hash of its content), and the input format named.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from nelm.errors import InputRejected
from nelm.interop.fhir.systems import reference_target
from nelm.service import assess_text

RECORDS = Path(__file__).parent / "fixtures" / "fhir-real"
MANIFEST: dict[str, dict[str, Any]] = json.loads((RECORDS / "manifest.json").read_text())
AS_NDJSON = [
    "synthea-bulk-3af3708d.json",
    "synthea-bulk-6a4160eb.json",
    "mcode-stu1-examples.json",
    "uscore-9.0.0-examples.json",
]


def _bundle(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RECORDS / "external" / name).read_text("utf-8"))
    return data


def _ndjson(resources: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(resource) + "\n" for resource in resources)


def _without_case_id(doc: dict[str, Any]) -> dict[str, Any]:
    """The assessment but its case id and the input format, which name what was sent."""
    inputs = {k: v for k, v in doc["inputs"].items() if k != "case_id"}
    source = {k: v for k, v in doc["input_source"].items() if k != "format"}
    kept = {k: v for k, v in doc.items() if k != "case_id"}
    return {**kept, "inputs": inputs, "input_source": source}


@pytest.mark.parametrize("name", AS_NDJSON)
def test_a_record_one_resource_per_line_is_assessed_as_its_bundle(name: str) -> None:
    bundle = _bundle(name)
    as_of = dt.date.fromisoformat(MANIFEST[name]["as_of"])
    lines = _ndjson([entry["resource"] for entry in bundle["entry"]])
    from_bundle = assess_text(json.dumps(bundle), assessment_date=as_of)
    from_lines = assess_text(lines, assessment_date=as_of)
    assert _without_case_id(from_lines) == _without_case_id(from_bundle)
    assert from_lines["case_id"].startswith("fhir-")
    assert from_bundle["input_source"]["format"] == "FHIR R4 Bundle"
    assert from_lines["input_source"]["format"] == "FHIR R4 NDJSON record (one resource per line)"


def _rejected(text: str) -> list[tuple[str, str, str]]:
    with pytest.raises(InputRejected) as caught:
        assess_text(text, source="export.ndjson", assessment_date=dt.date(2026, 11, 1))
    return [(p.path, p.expected, p.got) for p in caught.value.problems]


PATIENT = {"resourceType": "Patient", "id": "p", "gender": "female", "birthDate": "1960-05-01"}


def test_a_malformed_line_is_named_by_its_number() -> None:
    text = _ndjson([PATIENT]) + "\n" + '{"resourceType": "Condition", "id": "c"\n'
    [(field, expected, got)] = _rejected(text)
    assert field == "line 3"  # the blank line counts: it is the file's third line
    assert "one resource (not a Bundle) as a JSON object per line" in expected
    assert "export.ndjson" in expected
    assert got.startswith("malformed JSON (")


@pytest.mark.parametrize(
    ("second", "got"),
    [
        ({"resourceType": "Bundle", "type": "collection"}, "a Bundle"),
        ({"id": "no-type"}, "a JSON value without resourceType"),
        ([1, 2], "a JSON value without resourceType"),
    ],
)
def test_a_line_that_is_not_one_resource_is_refused(second: Any, got: str) -> None:
    assert _rejected(_ndjson([PATIENT]) + json.dumps(second) + "\n") == [
        (
            "line 2",
            "FHIR NDJSON in export.ndjson: one resource (not a Bundle) as a JSON object per line",
            got,
        )
    ]


def test_two_patients_in_one_export_are_refused_as_in_a_bundle() -> None:
    other = {**PATIENT, "id": "q"}
    [(field, expected, got)] = _rejected(_ndjson([PATIENT, other]))
    assert field == "Bundle.entry[1].resource"  # the second line's resource
    assert expected.startswith("one Patient per bundle")
    assert "Patient/p" in got and "Patient/q" in got


def test_text_whose_first_line_is_not_a_resource_is_read_as_before() -> None:
    # A case document on one line followed by more text is not NDJSON: the ordinary
    # reader names the trailing data, as it always did.
    case = {"schema_version": 1, "case_id": "x"}
    [(field, expected, got)] = _rejected(json.dumps(case) + "\n" + json.dumps(case) + "\n")
    assert field == ""  # the whole document
    assert expected == "valid JSON in export.ndjson"
    assert got.startswith("Extra data (line 2")


def test_a_single_resource_on_one_line_is_not_taken_for_an_export() -> None:
    # One line is an ordinary JSON document: a lone Patient is refused as not a Bundle.
    [(field, _, _)] = _rejected(_ndjson([PATIENT]))
    assert field == "Bundle.resourceType"


@pytest.mark.parametrize(
    ("reference", "target"),
    [
        # FHIR R4 §2.3.0 References: relative Type/id, absolute URL, a version (_history)
        ("Patient/123", ("Patient", "123")),
        ("https://example.org/fhir/Patient/a-1.b", ("Patient", "a-1.b")),
        ("Medication/m1/_history/2", ("Medication", "m1")),
        (" Condition/c ", ("Condition", "c")),
        # a bundle-internal urn:uuid and a contained reference name no Type/id
        ("urn:uuid:cb85c2b0-36f6-507b-b537-d4bb40014136", None),
        ("#med1", None),
        ("Patient/", None),
    ],
)
def test_the_type_and_id_a_reference_names(reference: str, target: Any) -> None:
    assert reference_target(reference) == target
