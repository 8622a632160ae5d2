"""Records as converters and national profiles write them, read by what they mean.

Found on public records nelm had not seen: Microsoft FHIR-Converter's HL7 v2 ORU_R01
output (LOINC under "LN", each result repeated in a component), the German MII oncology
module's ECOG Observation (bzkf/obds-to-fhir), a Cerner example whose status carries a
trailing space, and a JSON array of resources where a Bundle belongs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nelm.case import case_from_mapping
from nelm.errors import InputRejected
from nelm.interop.fhir import FhirMapping, bundle_to_case
from nelm.interop.fhir.synthetic import (
    bundle_of,
    neuroendocrine_marker,
    observation_resource,
    patient_resource,
    quantity,
)

DAY = dt.date(2026, 11, 1)
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"


def _map(*resources: dict[str, Any]) -> FhirMapping:
    bundle = bundle_of(patient_resource("p"), neuroendocrine_marker(), *resources)
    return bundle_to_case(bundle, assessment_date=DAY)


def test_loinc_written_as_hl7_v2_ln_is_read_as_loinc() -> None:
    # HL7 v2 Table 0396: "LN" is LOINC (HL7's v2-to-FHIR mapping gives http://loinc.org);
    # LOINC 718-7 Hemoglobin [Mass/volume] in Blood.
    hb = observation_resource("hb", "LN", "718-7", effective="2026-10-20")
    hb["valueQuantity"] = quantity(12.5, "g/dL")
    mapping = _map(hb)
    assert mapping.document["labs"]["hemoglobin_g_dl"] == 12.5
    assert "LOINC 718-7" in mapping.provenance["labs.hemoglobin_g_dl"]


def test_a_component_repeating_the_observation_is_read_once() -> None:
    # FHIR-Converter copies the result into component[0] with the Observation's own code:
    # one result, so one value and, when it cannot be read, one data-quality line.
    hb = observation_resource("hb", LOINC, "718-7", effective="2026-10-20")
    hb["valueQuantity"] = {**quantity(12.5, "g/dL"), "value": "12.5"}  # text, not a number
    hb["component"] = [{"code": hb["code"], "valueQuantity": dict(hb["valueQuantity"])}]
    mapping = _map(hb)
    lines = [i for i in mapping.issues if "Observation/hb" in i]
    assert len(lines) == 1 and "labs.hemoglobin_g_dl is left unknown" in lines[0]
    # a component of another code is still read (blood pressure's systolic, a panel's part)
    other = observation_resource("panel", LOINC, "58410-2", effective="2026-10-20")
    other["valueString"] = "see components"
    other["component"] = [{"code": hb["code"], "valueQuantity": quantity(11.0, "g/dL")}]
    assert _map(other).document["labs"]["hemoglobin_g_dl"] == 11.0


@pytest.mark.parametrize(
    ("code", "answer", "ecog"),
    [
        # MII Onko: SNOMED CT 423740007 ECOG performance status (observable entity) and
        # LOINC 89262-0 ECOG Performance Status [Interpretation], answered with the LOINC
        # LA codes (LA9623-5 is ECOG 1) or the module's own grades
        ((SNOMED, "423740007"), ("http://loinc.org", "LA9623-5"), 1),
        ((LOINC, "89262-0"), ("http://loinc.org", "LA9622-7"), 0),
        (
            (SNOMED, "423740007"),
            (
                "https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/CodeSystem/"
                "mii-cs-onko-allgemeiner-leistungszustand-ecog",
                "2",
            ),
            2,
        ),
    ],
)
def test_the_mii_oncology_ecog_is_read(
    code: tuple[str, str], answer: tuple[str, str], ecog: int
) -> None:
    obs = observation_resource("ecog", *code, effective="2026-10-20")
    obs["valueCodeableConcept"] = {"coding": [{"system": answer[0], "code": answer[1]}]}
    assert _map(obs).document["patient"]["ecog"] == ecog


def test_a_code_with_a_trailing_space_is_said_in_words() -> None:
    # FHIR R4 code: no leading or trailing whitespace (Cerner's example "entered-in-error ")
    hb = observation_resource("hb", LOINC, "718-7", status="final ", effective="2026-10-20")
    hb["valueQuantity"] = quantity(12.5, "g/dL")
    (line,) = [i for i in _map(hb).issues if "Observation/hb" in i]
    assert "a FHIR code has no space at its start or end" in line
    assert "should match pattern" not in line


def test_a_json_array_of_resources_is_told_to_be_a_bundle() -> None:
    with pytest.raises(InputRejected) as refused:
        case_from_mapping([patient_resource("p"), neuroendocrine_marker()])
    (problem,) = refused.value.problems
    assert "a list of FHIR resources is read as a FHIR R4 Bundle" in problem.expected
    with pytest.raises(InputRejected) as refused:
        case_from_mapping([{"case_id": "a"}, {"case_id": "b"}])
    assert "for a list of cases use nelm batch" in refused.value.problems[0].expected
