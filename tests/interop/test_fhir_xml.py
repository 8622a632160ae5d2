"""A FHIR record in XML is read as the same record in JSON (nelm.interop.fhir.xml_record).

Two kinds of evidence: a real XML record written by HL7 (fixtures/fhir-xml/SOURCES.md says
what was read off it by hand), and the real and synthetic JSON records of fixtures/ written
out as XML by fhir.resources' own writer (lxml), an implementation independent of nelm's
reader, which must then give the same case, value for value and source for source.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.errors import InputRejected
from nelm.interop.fhir import bundle_to_case
from nelm.interop.fhir.load import READ_TYPES, load_record_text
from nelm.interop.fhir.xml_record import read_xml_record
from nelm.service import assess_text

FIXTURES = Path(__file__).parent / "fixtures"
IPS = FIXTURES / "fhir-xml" / "ips-bundle-01.xml"
NS = 'xmlns="http://hl7.org/fhir"'


def _load(text: str) -> Any:
    return load_record_text(text, source="the file", max_bytes=20_000_000)


def _problem(text: str) -> str:
    with pytest.raises(InputRejected) as caught:
        _load(text)
    return caught.value.problems[0].message


# --------------------------------------------------------------------------- a real record


def test_a_real_ips_document_written_by_hl7_is_assessed() -> None:
    # SOURCES.md: female, born 1972-05-01, Bundle dated 2017-12-11 → 45 years old; the one
    # cancer is a breast carcinoma (ICD-O-3 8500/3), so no neuroendocrine record.
    doc = assess_text(
        IPS.read_text("utf-8"), source=IPS.name, assessment_date=dt.date(2017, 12, 11)
    )
    assert doc["input_source"]["format"] == "FHIR R4 XML record"
    assert doc["inputs"]["patient"] == {"age_years": 45, "sex": "female"}
    assert doc["warnings"][0].startswith("NOT A NEUROENDOCRINE RECORD")
    assert any(
        "not a neuroendocrine neoplasm: Condition/c4597aa2-688a-401b-a658-70acc6de28c6" in note
        for note in doc["input_source"]["notes"]
    )
    assert doc["input_source"]["data_quality"] == []


def test_the_real_records_primitive_extensions_and_narratives_keep_their_json_form() -> None:
    # FHIR json.html: a primitive's extensions go in "_name"; a narrative's div is the
    # XHTML as a string in the XHTML namespace. The file's Condition/c64139e7… display
    # "Menopausal flushing (finding)" carries a translation extension; its Composition's
    # sections use the xhtml: prefix.
    record = read_xml_record(IPS.read_text("utf-8"), source="f", read_types={"Condition"})
    condition = record["entry"][4]["resource"]
    coding = condition["code"]["coding"][0]
    assert coding["display"] == "Menopausal flushing (finding)"
    translation = coding["_display"]["extension"][0]
    assert translation["url"] == "http://hl7.org/fhir/StructureDefinition/translation"
    assert translation["extension"][1] == {"url": "content", "valueString": "opvliegers"}
    assert condition["onsetDateTime"] == "2015"
    # a type no reader uses keeps only its type and id, as from JSON (nelm.interop.fhir.load)
    assert record["entry"][0]["resource"] == {
        "resourceType": "Composition",
        "id": "30551ce1-5a28-4356-b684-1e639094ad4d",
    }
    composition = read_xml_record(IPS.read_text("utf-8"), source="f", read_types={"Composition"})
    section = composition["entry"][0]["resource"]["section"][0]
    assert section["text"]["div"] == '<div xmlns="http://www.w3.org/1999/xhtml">Hot flushes</div>'
    assert len(composition["entry"][0]["resource"]["attester"]) == 2  # a repeating element


# --------------------------------------------------------------------------- written by another


def _records() -> list[Path]:
    real = FIXTURES / "fhir-real" / "external"
    return [
        real / "mcode-stu1-examples.json",
        real / "synthea-bulk-3af3708d.json",
        *sorted(FIXTURES.glob("synthetic-*.json")),
    ]


@pytest.mark.parametrize("path", _records(), ids=lambda p: p.name)
def test_a_record_written_as_xml_by_fhir_resources_reads_as_its_json(path: Path) -> None:
    pytest.importorskip("lxml", reason="install the dev extra (pip install -e '.[dev]')")
    from fhir.resources.R4B.bundle import Bundle

    text = path.read_text("utf-8")
    xml = Bundle.model_validate_json(text).model_dump_xml()
    xml_text = xml.decode() if isinstance(xml, bytes) else xml
    as_of = dt.date(2025, 1, 15)
    from_json = bundle_to_case(json.loads(text), assessment_date=as_of)
    from_xml = bundle_to_case(_load(xml_text), assessment_date=as_of)
    assert from_xml.document == from_json.document
    assert from_xml.provenance == from_json.provenance
    assert from_xml.warnings == from_json.warnings
    assert from_xml.issues == from_json.issues
    assert from_xml.notes == from_json.notes


def test_a_neuroendocrine_record_in_xml_gets_the_same_verdicts() -> None:
    pytest.importorskip("lxml", reason="install the dev extra (pip install -e '.[dev]')")
    from fhir.resources.R4B.bundle import Bundle

    text = (FIXTURES / "synthetic-0001.json").read_text("utf-8")
    xml = Bundle.model_validate_json(text).model_dump_xml()
    as_of = dt.date(2025, 1, 15)
    from_json = assess_text(text, assessment_date=as_of)
    from_xml = assess_text(xml.decode() if isinstance(xml, bytes) else xml, assessment_date=as_of)
    assert {k: o["status"] for k, o in from_xml["options"].items()} == {
        k: o["status"] for k, o in from_json["options"].items()
    }
    assert from_xml["classification"]["grade"] == from_json["classification"]["grade"] == "G2"


# --------------------------------------------------------------------------- shapes


def test_repeating_primitives_and_their_extensions_stay_aligned() -> None:
    # FHIR json.html "Repeating primitives": the values and the "_name" list align, with
    # null where one side has nothing.
    text = f"""<Patient {NS}><id value="p"/><name>
      <given value="Ann"/>
      <given id="g2"><extension url="http://example.org/x">
        <valueString value="?"/></extension></given>
    </name></Patient>"""
    name = _load(text)["name"][0]
    assert name["given"] == ["Ann", None]
    assert name["_given"] == [
        None,
        {"id": "g2", "extension": [{"url": "http://example.org/x", "valueString": "?"}]},
    ]


def test_numbers_and_booleans_take_their_json_types() -> None:
    # FHIR datatypes.html: integer, decimal and boolean are JSON numbers and booleans.
    text = f"""<Observation {NS}><status value="final"/>
      <code><text value="x"/></code><valueQuantity><value value="1.50"/></valueQuantity>
      <component><code><text value="y"/></code><valueInteger value="3"/></component>
      <component><code><text value="z"/></code><valueBoolean value="true"/></component>
    </Observation>"""
    observation = _load(text)
    assert observation["valueQuantity"] == {"value": 1.5}
    assert observation["component"][0]["valueInteger"] == 3
    assert observation["component"][1]["valueBoolean"] is True


def test_a_value_that_breaks_its_type_sets_only_its_resource_aside() -> None:
    # Kept as written, so validation names it as for JSON; the rest of the record is read.
    text = f"""<Bundle {NS}><type value="collection"/>
      <entry><resource><Patient><id value="p"/><gender value="female"/>
        <birthDate value="1970-01-01"/></Patient></resource></entry>
      <entry><resource><Observation><id value="o"/><status value="final"/>
        <code><coding><system value="http://loinc.org"/><code value="1975-2"/></coding></code>
        <subject><reference value="Patient/p"/></subject>
        <valueQuantity><value value="seven"/><unit value="mg/dL"/></valueQuantity>
        <colour value="red"/></Observation></resource></entry>
    </Bundle>"""
    mapping = bundle_to_case(_load(text), assessment_date=dt.date(2020, 1, 1))
    assert mapping.document["patient"] == {"age_years": 50, "sex": "female"}
    assert "labs" not in mapping.document
    issues = " ".join(mapping.issues)
    assert "Observation/o" in issues
    assert "valueQuantity.value" in issues
    assert "colour" in issues


# --------------------------------------------------------------------------- refused, named


def test_malformed_xml_is_named_with_its_line_and_column() -> None:
    message = _problem(f'<Bundle {NS}>\n<type value="collection">\n</Bundle>')
    assert "well-formed XML in the file" in message
    assert "mismatched tag (line 3, column 2)" in message


def test_a_document_type_declaration_is_refused_never_expanded() -> None:
    # FHIR xml.html forbids DTDs; an entity expansion ("billion laughs") is never run.
    laughs = '<!DOCTYPE Bundle [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    message = _problem(f'<?xml version="1.0"?>\n{laughs}\n<Bundle {NS}><id value="&b;"/></Bundle>')
    assert "a document type declaration" in message


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('<ClinicalDocument xmlns="urn:hl7-org:v3"/>', "an HL7 CDA document, which is not FHIR"),
        ('<Bundle><type value="collection"/></Bundle>', "<Bundle> without the FHIR namespace"),
        (f"<Nonsense {NS}/>", "<Nonsense>"),
        (f'<Quantity {NS}><value value="1"/></Quantity>', "<Quantity>"),
    ],
)
def test_xml_that_is_not_a_fhir_resource_is_named(text: str, named: str) -> None:
    assert named in _problem(text)


def test_the_reader_keeps_only_what_readers_use_from_other_types() -> None:
    text = f"""<Bundle {NS}><type value="collection"/>
      <entry><resource><Claim><id value="c"/><meta><versionId value="2"/></meta>
        <status value="active"/></Claim></resource></entry></Bundle>"""
    record = read_xml_record(text, source="f", read_types=READ_TYPES)
    assert record["entry"][0]["resource"] == {
        "resourceType": "Claim",
        "id": "c",
        "meta": {"versionId": "2"},
    }


def test_elements_nested_too_deeply_are_refused_not_crashed_on() -> None:
    deep = '<extension url="u">' * 5000 + "</extension>" * 5000
    assert "nested too deeply" in _problem(f'<Patient {NS}><id value="p"/>{deep}</Patient>')


# --------------------------------------------------------------------------- mutated


def _elements(root: ET.Element) -> list[tuple[ET.Element, ET.Element]]:
    return [(parent, child) for parent in root.iter() for child in parent]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_real_xml_record_mutated_is_read_or_refused_by_name(data: st.DataObject) -> None:
    # Elements dropped, duplicated or given another value, anywhere in HL7's IPS example:
    # nelm assesses it or names what it refuses, and never crashes.
    root = ET.fromstring(IPS.read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        pairs = _elements(root)
        parent, child = data.draw(st.sampled_from(pairs))
        action = data.draw(st.sampled_from(("drop", "duplicate", "revalue")))
        if action == "drop":
            parent.remove(child)
        elif action == "duplicate":
            parent.append(copy.deepcopy(child))
        else:
            child.set("value", data.draw(st.sampled_from(("", "x", "-1", "1e999", "true", "😀"))))
    text = ET.tostring(root, encoding="unicode")
    try:
        doc = assess_text(text, source="m.xml", assessment_date=dt.date(2017, 12, 11))
    except InputRejected as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert doc["input_source"]["format"] == "FHIR R4 XML record"


def test_a_control_character_from_a_character_reference_is_named() -> None:
    # XML 1.0 allows DEL and the C1 controls, written or as a reference; nelm.text's rule
    # admits them nowhere. In a record, as in a JSON one, the element that holds one is not
    # read and is named (docs/fhir-mapping.md: one bad element never sinks the record).
    from nelm.interop.fhir import bundle_to_case

    for written in ("&#x85;", "\u0085"):
        patient = f'<Patient><id value="p"/><gender value="fe{written}male"/></Patient>'
        text = (
            f'<Bundle {NS}><type value="collection"/>'
            f"<entry><resource>{patient}</resource></entry></Bundle>"
        )
        mapping = bundle_to_case(_load(text), assessment_date=dt.date(2026, 1, 1))
        assert "sex" not in mapping.document.get("patient", {})
        assert any(
            i.startswith("Patient/p: gender not valid FHIR R4 and not read") for i in mapping.issues
        ), mapping.issues
