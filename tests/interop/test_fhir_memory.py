"""Reading a large record: unread resources skip validation, the case id needs no copy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from nelm.case.document import load_document_text
from nelm.errors import InputRejected, Problem
from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.load import READ_TYPES, load_record_text
from nelm.interop.fhir.mapping import canonical_chunks
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    procedure_resource,
    quantity,
)


@pytest.mark.parametrize(
    "bundle",
    [
        {},
        {"resourceType": "Bundle", "entry": []},
        {"resourceType": "Bundle", "type": "collection", "entry": [{"b": [1, 2]}, {"a": "é"}]},
        {"entry": "not a list", "z": None, "a": 1.5},
    ],
)
def test_the_canonical_pieces_are_json_dumps(bundle: dict[str, Any]) -> None:
    # The case id of a bundle without an id is the SHA-256 of this text; it must not change.
    expected = json.dumps(bundle, sort_keys=True, ensure_ascii=False, default=str)
    assert "".join(canonical_chunks(bundle)) == expected


def test_a_resource_no_rule_reads_is_not_validated_and_changes_nothing() -> None:
    # An Observation of a code no rule reads (LOINC 8867-4 heart rate), broken so that the
    # R4B model would refuse it, and a Procedure of an unmapped code: both noted as not
    # used, neither listed as invalid, and the Ki-67 result beside them is read.
    broken = observation_resource("hr", "http://loinc.org", "8867-4", valueQuantity="x")
    visit = procedure_resource("visit", "http://snomed.info/sct", "185349003")
    ki67 = observation_resource(
        "ki", "http://loinc.org", "29593-1", effective="2025-01-10", valueQuantity=quantity(4, "%")
    )
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), broken, visit, ki67)
    mapping = bundle_to_case(bundle, assessment_date=dt.date(2025, 1, 15))
    assert mapping.document["pathology"]["ki67_percent"] == 4
    assert not mapping.issues
    assert any(
        n.startswith("not used: Observation code not in the mapping table: Observation/hr")
        for n in mapping.notes
    )
    assert any("Procedure/visit" in n for n in mapping.notes)


REAL = Path(__file__).resolve().parent / "fixtures" / "fhir-real" / "external"


@pytest.mark.parametrize("path", sorted(REAL.glob("*.json")), ids=lambda p: p.name)
def test_a_real_record_parses_as_json_loads_but_for_the_unread_resources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    slim = load_record_text(text, source="test", max_bytes=30_000_000)
    whole = json.loads(text)
    for entry in whole.get("entry", []):
        resource = entry.get("resource")
        if isinstance(resource, dict) and resource.get("resourceType") not in READ_TYPES:
            entry["resource"] = {
                k: resource[k] for k in ("resourceType", "id", "meta") if k in resource
            }
    assert slim == whole


@pytest.mark.parametrize(
    "text",
    [
        '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Claim"}}',  # cut
        '{"resourceType": "Bundle", "entry": []} trailing',
        '{"resourceType": "Bundle", "resourceType": "Bundle"}',  # a key twice
        '{"resourceType": "Bundle", "entry": [{"a": 1, "a": 2}]}',  # a key twice, deeper
        '{"resourceType": "Bundle", "entry": [{"resource": {"valueQuantity": NaN}}]}',
        "resourceType: Bundle\nentry: [1, .nan]",  # YAML
    ],
)
def test_what_the_fast_path_does_not_read_is_refused_as_before(text: str) -> None:
    with pytest.raises(InputRejected) as fast:
        load_record_text(text, source="the request body", max_bytes=1_000_000)
    with pytest.raises(InputRejected) as ordinary:
        load_document_text(text, source="the request body", max_bytes=1_000_000)
    assert fast.value.problems == ordinary.value.problems


def test_a_case_document_reads_as_before() -> None:
    text = (Path(__file__).resolve().parents[2] / "examples" / "resectable-pnet.json").read_text()
    assert load_record_text(text, source="x", max_bytes=1_000_000) == json.loads(text)


def test_a_record_nested_too_deeply_to_parse_is_named_a_fhir_record() -> None:
    # Deeper than the JSON decoder recurses: refused whole, named as the record it says it
    # is (a "case document" it is not); a case document that deep is still named as one.
    deep = "[" * 100_000 + "]" * 100_000
    record = '{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient", '
    record += f'"id": "p", "extension": {deep}}}}}]}}'
    with pytest.raises(InputRejected) as refused:
        load_record_text(record, source="the request body", max_bytes=1_000_000)
    too_deep = "structures nested too deeply to read"
    assert refused.value.problems == [Problem("", "a FHIR record in the request body", too_deep)]
    with pytest.raises(InputRejected) as case:
        load_record_text(f'{{"case_id": {deep}}}', source="x.json", max_bytes=1_000_000)
    assert case.value.problems == [Problem("", "a case document in x.json", too_deep)]
