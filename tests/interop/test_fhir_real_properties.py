"""Properties of the mapping on real records mutated: drop, duplicate, reorder, re-code.

Whatever is done to a real bundle (fixtures/fhir-real/, written by others) or to a
synthetic NET record, the mapping never crashes, never refuses the whole record, and
never attributes a resource to the patient unless the resource says it is about them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_mutations import WRONG_TYPES, places

from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import make_bundle

RECORDS = Path(__file__).parent / "fixtures" / "fhir-real" / "external"
# The small records (the large Synthea ones are covered by test_fhir_real_records.py),
# and a synthetic record that does hold a neuroendocrine neoplasm with liver metastases.
SMALL = ("uscore-9.0.0-examples.json", "mcode-stu1-examples.json", "mcode-ctm-patient02.json")
AS_OF = dt.date(2024, 8, 1)
SYNTHETIC_AS_OF = dt.date(2026, 11, 1)  # synthetic.REFERENCE_DATE or later
OIDS = {
    "http://loinc.org": "urn:oid:2.16.840.1.113883.6.1",
    "http://snomed.info/sct": "urn:oid:2.16.840.1.113883.6.96",
}


@functools.cache
def _original(name: str) -> str:
    if name == "synthetic":
        return json.dumps(make_bundle(5))
    return (RECORDS / name).read_text("utf-8")


def _fresh(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_original(name))
    return data


def _map(name: str, bundle: dict[str, Any]) -> FhirMapping:
    return bundle_to_case(bundle, assessment_date=SYNTHETIC_AS_OF if name == "synthetic" else AS_OF)


@functools.cache
def _baseline(name: str) -> FhirMapping:
    return _map(name, _fresh(name))


NAMES = st.sampled_from((*SMALL, "synthetic"))
MUTATION = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _patient_names(bundle: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") == "Patient":
            names.add(f"Patient/{resource.get('id')}")
            if entry.get("fullUrl"):
                names.add(entry["fullUrl"])
    return names


def _subject(resource: dict[str, Any]) -> str | None:
    subject = resource.get("subject") or resource.get("patient") or {}
    reference = subject.get("reference") if isinstance(subject, dict) else None
    return reference if isinstance(reference, str) else None


def _attributed(bundle: dict[str, Any]) -> set[str]:
    """The references of resources that name the bundle's Patient as their subject (with
    no Patient resource: the subject most resources name, as docs/fhir-mapping.md says)."""
    patients = _patient_names(bundle)
    if not patients:
        subjects = Counter(
            s
            for e in bundle.get("entry", [])
            if (s := _subject(e.get("resource", {}))) and "?" not in s
        )
        patients = {subjects.most_common(1)[0][0]} if subjects else set()
    found = set()
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        reference = _subject(resource)
        if resource.get("resourceType") == "Patient" or (
            isinstance(reference, str)
            and (
                reference in patients
                or any(reference.endswith(p) for p in patients if p.startswith("Patient/"))
            )
        ):
            found.add(f"{resource.get('resourceType')}/{resource.get('id')}")
    return found


def _never_silently_attributed(bundle: dict[str, Any], mapping: FhirMapping) -> None:
    allowed = _attributed(bundle)
    for path, origin in mapping.provenance.items():
        for part in origin.split("; "):
            reference = part.split(" (")[0].split(", ")[0].split("#")[0]
            assert reference in allowed, f"{path} from {reference}, not about the patient"


@MUTATION
@given(name=NAMES, data=st.data())
def test_dropping_entries_never_crashes_or_refuses(name: str, data: st.DataObject) -> None:
    bundle = _fresh(name)
    entries = bundle["entry"]
    keep = data.draw(st.lists(st.booleans(), min_size=len(entries), max_size=len(entries)))
    bundle["entry"] = [e for e, k in zip(entries, keep, strict=True) if k]
    _never_silently_attributed(bundle, _map(name, bundle))


@MUTATION
@given(name=NAMES, data=st.data())
def test_reordering_entries_gives_the_same_case(name: str, data: st.DataObject) -> None:
    bundle = _fresh(name)
    bundle["entry"] = data.draw(st.permutations(bundle["entry"]))
    assert _map(name, bundle).document == _baseline(name).document


@MUTATION
@given(name=NAMES, data=st.data())
def test_duplicating_entries_gives_the_same_case(name: str, data: st.DataObject) -> None:
    bundle = _fresh(name)
    entries = bundle["entry"]
    twins = data.draw(st.lists(st.integers(0, len(entries) - 1), max_size=5))
    bundle["entry"] = entries + [copy.deepcopy(entries[i]) for i in twins]
    assert _map(name, bundle).document == _baseline(name).document


@MUTATION
@given(name=NAMES)
def test_writing_code_systems_as_oids_gives_the_same_case(name: str) -> None:
    text = _original(name)
    for uri, oid in OIDS.items():
        text = text.replace(f'"{uri}"', f'"{oid}"')
    assert _map(name, json.loads(text)).document == _baseline(name).document


@MUTATION
@given(name=NAMES, data=st.data())
def test_moving_resources_to_another_patient_never_attributes_them(
    name: str, data: st.DataObject
) -> None:
    bundle = _fresh(name)
    with_subject = [
        i for i, e in enumerate(bundle["entry"]) if isinstance(e["resource"].get("subject"), dict)
    ]
    moved = data.draw(st.sets(st.sampled_from(with_subject), max_size=6))
    for index in moved:
        bundle["entry"][index]["resource"]["subject"] = {"reference": "Patient/someone-else"}
    mapping = _map(name, bundle)
    _never_silently_attributed(bundle, mapping)
    moved_refs = {
        f"{bundle['entry'][i]['resource']['resourceType']}/"
        f"{bundle['entry'][i]['resource'].get('id')}"
        for i in moved
    }
    assert not any(ref in origin for origin in mapping.provenance.values() for ref in moved_refs)


@MUTATION
@given(name=NAMES, data=st.data())
def test_recoding_any_coding_never_crashes_or_refuses(name: str, data: st.DataObject) -> None:
    bundle = _fresh(name)
    codings = [c for e in bundle["entry"] for c in _codings(e["resource"])]
    for coding in data.draw(st.lists(st.sampled_from(codings), max_size=6)):
        coding["code"] = data.draw(
            st.sampled_from(
                ["C7B.02", "8240/3", "29593-1", "94381002", "1286767006", "35917007", "x", ""]
            )
        )
        coding["system"] = data.draw(
            st.sampled_from(
                [
                    coding.get("system", ""),
                    "http://hl7.org/fhir/sid/icd-10-cm",
                    "http://terminology.hl7.org/CodeSystem/icd-o-3",
                    "http://snomed.info/sct",
                    "urn:oid:2.16.840.1.113883.6.1",
                ]
            )
        )
    _never_silently_attributed(bundle, _map(name, bundle))


def _codings(value: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("coding"), list):
            found.extend(c for c in value["coding"] if isinstance(c, dict))
        for item in value.values():
            found.extend(_codings(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_codings(item))
    return found


REPEATING = ("coding", "component", "extension", "contained", "result", "focus", "ingredient")
"""The repeating elements read before the resources are validated, or in resources no
model validates (``nelm.interop.fhir.systems.elements``)."""


def test_a_repeating_element_that_is_not_an_array_sinks_only_its_resource() -> None:
    # FHIR R4 JSON (https://hl7.org/fhir/R4/json.html#arrays): a repeating element is an
    # array. A number in its place makes that resource invalid (set aside and listed, as
    # every invalid resource is: docs/fhir-mapping.md), never the whole record (issue 12,
    # point 4: one bad element never sinks the record).
    baseline = _baseline("synthetic")
    for element in REPEATING:
        bundle = _fresh("synthetic")
        observations = [
            e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
        ]
        spoiled = observations[0]["resource"]
        if element == "coding":
            spoiled["code"]["coding"] = 1e300
        else:
            spoiled[element] = 1e300
        mapping = _map("synthetic", bundle)
        reference = f"Observation/{spoiled['id']}"
        assert any(reference in line for line in (*mapping.issues, *mapping.notes)), element
        # every other resource is still read: nothing the spoiled one did not give is lost
        lost = set(baseline.provenance) - set(mapping.provenance)
        assert all(reference in baseline.provenance[path] for path in lost), (element, lost)


@MUTATION
@given(name=NAMES, data=st.data())
def test_an_element_of_the_wrong_type_never_crashes_or_refuses(
    name: str, data: st.DataObject
) -> None:
    bundle = _fresh(name)
    spots = [place for entry in bundle["entry"] for place in places(entry["resource"])]
    # the repeating elements read before validation, and anything else
    repeating = [p for p in spots if p[1] in REPEATING]
    chosen = data.draw(st.lists(st.sampled_from(repeating), max_size=4)) + data.draw(
        st.lists(st.sampled_from(spots), max_size=8)
    )
    for container, key in chosen:
        container[key] = copy.deepcopy(data.draw(st.sampled_from(WRONG_TYPES)))
    _never_silently_attributed(bundle, _map(name, bundle))


def _quantities(value: Any) -> list[dict[str, Any]]:
    """Every Quantity-like object (a numeric ``value``) inside ``value``."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if isinstance(value.get("value"), int | float) and not isinstance(value["value"], bool):
            found.append(value)
        for item in value.values():
            found.extend(_quantities(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_quantities(item))
    return found


# Any number JSON can carry: doubles up to 1.8e308 (which overflow once converted, 10*3/uL
# × 1000), and whole numbers beyond any double (JSON sets no limit; RFC 8259 §6).
ANY_NUMBER = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, 1, 0.15, 1e308, -1.7e308, 5e-324]),
)


@MUTATION
@given(name=NAMES, data=st.data())
def test_any_number_as_a_quantity_never_crashes_or_leaves_its_range(
    name: str, data: st.DataObject
) -> None:
    # The mapping checks every value against the case ranges before the document is
    # checked (docs/fhir-mapping.md, "Impossible and implausible values"): whatever number
    # a Quantity holds, the record is read and the case is valid (_map would raise else).
    bundle = _fresh(name)
    quantities = [q for e in bundle["entry"] for q in _quantities(e["resource"])]
    chosen = data.draw(st.lists(st.sampled_from(quantities), max_size=8)) if quantities else []
    for quantity in chosen:
        quantity["value"] = data.draw(ANY_NUMBER)
    _never_silently_attributed(bundle, _map(name, bundle))
