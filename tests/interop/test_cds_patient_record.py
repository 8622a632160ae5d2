"""The EHR's Patient and one bad element in a hook call: read as ``nelm assess`` reads the
same record, never a whole call refused for one element.

The record is a real one written by others (fixtures/fhir-real/: Synthea bulk patient
3af3708d, whose Patient has ``deceasedDateTime`` 1971-10-01, read off the bundle and named
in SOURCES.md), with a neuroendocrine neoplasm and liver metastases added as Conditions
under the codes docs/cds-hooks.md ("When nelm answers") names: ICD-10-CM C7A.00 and ICD-10
C78.7.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import NOW, Harness, hook_body, make_harness, prefetch_from_bundle

from nelm.service import assess_fhir

RECORD = (
    Path(__file__).parent / "fixtures" / "fhir-real" / "external" / "synthea-bulk-3af3708d.json"
)
PATIENT_ID = "3af3708d-41f1-cd80-f3dd-ec5ac76072bf"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
# docs/cds-hooks.md, "A patient the record says has died is never presented as alive"
DIED = "NELM: the record says the patient has died; not for clinical action"


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


@functools.cache
def _record() -> dict[str, Any]:
    bundle: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    for rid, system, code in (("net", ICD10CM, "C7A.00"), ("liver", ICD10, "C78.7")):
        bundle["entry"].append(
            {
                "fullUrl": f"https://example.com/fhir/Condition/{rid}",
                "resource": {
                    "resourceType": "Condition",
                    "id": rid,
                    "code": {"coding": [{"system": system, "code": code}]},
                    "subject": {"reference": f"Patient/{PATIENT_ID}"},
                },
            }
        )
    return bundle


def _patient(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )


def _call(harness: Harness, bundle: dict[str, Any]) -> list[dict[str, Any]]:
    response = harness.call(hook_body(prefetch_from_bundle(bundle), PATIENT_ID))
    assert response.status_code == 200, response.text
    cards: list[dict[str, Any]] = response.json()["cards"]
    return cards


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _cli_first_warning(bundle: dict[str, Any]) -> str:
    """What ``nelm assess`` says first of the same record, on the same day."""
    doc = assess_fhir(bundle, assessment_date=NOW.date(), with_evidence=False)
    return str(doc["warnings"][0])


@pytest.mark.parametrize(
    ("element", "value"),
    [
        # FHIR R4 string: at least one character, so an empty phone number is not valid
        ("telecom", [{"system": "phone", "value": ""}]),
        # FHIR R4 date: 30 February is no date
        ("birthDate", "1960-02-30"),
    ],
)
def test_a_death_is_read_although_one_patient_element_is_invalid(
    harness: Harness, element: str, value: Any
) -> None:
    bundle = copy.deepcopy(_record())
    _patient(bundle)[element] = value
    cards = _call(harness, bundle)
    card = cards[0]
    assert card["summary"] == DIED
    assert card["indicator"] == "warning"
    assert card["detail"].startswith("**Warnings:**\n\n- DECEASED")
    assert "1971-10-01" in card["detail"].split("\n\n")[1]
    assert "time-sensitive" not in card["detail"] and "suggestions" not in card
    # as nelm assess says it of the same record
    assert _cli_first_warning(bundle).startswith("DECEASED")
    assert "1971-10-01" in _cli_first_warning(bundle)
    # the element set aside is named on the data card, at its place in the request
    data = _unescaped(cards[1]["detail"])
    assert f"{element} not valid FHIR R4 and not read" in data
    assert f"prefetch.patient.{element}" in data


def test_a_patient_whose_death_cannot_be_read_is_never_offered_surgery(
    harness: Harness,
) -> None:
    # FHIR R4 dateTime: 30 February is no date. Whether the patient is alive is unknown:
    # the card says so first, as nelm assess does ("PATIENT NOT READ", docs/fhir-mapping.md
    # "One patient"), and proposes nothing time-sensitive (docs/cds-hooks.md).
    bundle = copy.deepcopy(_record())
    _patient(bundle)["deceasedDateTime"] = "1971-02-30"
    assert _cli_first_warning(bundle).startswith("PATIENT NOT READ")
    cards = _call(harness, bundle)
    card = cards[0]
    assert card["detail"].startswith("**Warnings:**\n\n- PATIENT NOT READ")
    assert card["summary"] == (  # docs/cds-hooks.md, "Incomplete and untrusted prefetch"
        "NELM: the record's Patient could not be read (death, age, sex unknown); "
        "check it before acting"
    )
    assert card["indicator"] == "warning"
    assert "time-sensitive" not in card["detail"]
    assert "Curative option not ruled out" not in card["detail"]
    assert "suggestions" not in card
    # the main card points to the data card, which names the Patient
    assert "(see the NELM data-quality card)" in _unescaped(card["detail"])
    assert "data-quality list" not in card["detail"]
    assert "prefetch.patient" in _unescaped(cards[1]["detail"])


def test_a_data_card_from_data_quality_alone_names_its_prefetch_key(harness: Harness) -> None:
    # docs/cds-hooks.md, "The data card": "the summary names the prefetch keys concerned".
    # This patient has died (deceasedDateTime 1971-10-01): nothing is assessed, and the
    # data card's summary must not say "assessed without the missing data" beside it.
    bundle = copy.deepcopy(_record())
    _patient(bundle)["telecom"] = [{"system": "phone", "value": ""}]
    data = _call(harness, bundle)[1]
    assert data["summary"] == "NELM: record not fully read (patient); nothing assessed"


@pytest.mark.parametrize(
    ("where", "character"),
    [("condition", "\u000b"), ("patient", "\u0000")],
)
def test_a_control_character_sets_one_element_aside_not_the_call(
    harness: Harness, where: str, character: str
) -> None:
    # docs/cds-hooks.md: "one bad element never sinks the record"; only more than one
    # Patient is refused with 422. U+000B and NUL are control characters (nelm.text), which
    # FHIR R4 string ("[ \r\n\t\S]+") does not admit either.
    bundle = copy.deepcopy(_record())
    if where == "condition":  # a Condition nelm does not read for the case
        condition = next(
            e["resource"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "Condition"
            and e["resource"]["id"] == "0f32d93e-6f9d-5ca4-8dbc-5729f3c41704"
        )
        condition["code"]["text"] = f"History of{character} single seizure"
        named = "prefetch.conditions.entry[0].resource"
    else:
        _patient(bundle)["name"][0]["family"] = f"Co{character}le"
        named = "prefetch.patient.name"
    cards = _call(harness, bundle)
    assert cards[0]["summary"] == DIED  # the rest of the record is assessed
    data = _unescaped(cards[1]["detail"])
    assert named in data
    assert character not in json.dumps(cards, ensure_ascii=False)


def test_nelm_assess_sets_the_same_element_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI reads the record's text (nelm.interop.fhir.load): the same rule, not a refusal.
    import sys

    from nelm.cli import app
    from nelm.cli._common import run_guarded

    bundle = copy.deepcopy(_record())
    _patient(bundle)["name"][0]["family"] = "Co\u0000le"
    path = tmp_path / "record.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    as_of = NOW.date().isoformat()
    monkeypatch.setattr(sys, "argv", ["nelm", "assess", str(path), "--as-of", as_of, "-f", "json"])
    code = run_guarded(app)
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert doc["warnings"][0].startswith("DECEASED")
    assert any(
        q.startswith(f"Patient/{PATIENT_ID}: name not valid FHIR R4 and not read")
        for q in doc["input_source"]["data_quality"]
    )


def test_a_control_character_in_the_request_itself_is_a_400(harness: Harness) -> None:
    # docs/cds-hooks.md, Errors: hookInstance not as required is a 400 (not a 422).
    body = hook_body(None, PATIENT_ID)
    body["hookInstance"] = "d1577c69-dfbe\u0000-4f3c"
    response = harness.call(body)
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_every_error_is_labelled_as_fhir_json(harness: Harness) -> None:
    # docs/cds-hooks.md, Errors: every error body is an OperationOutcome, labelled
    # application/fhir+json (the FHIR media type, FHIR R4 http.html "Content Types").
    response = harness.client.post(
        "/cds-services/nelm-liver-metastases",
        content=b"not json",
        headers={"Authorization": "Bearer x", "Content-Type": "application/json"},
    )
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/fhir+json")
    bad = harness.call({"hook": "patient-view"})
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/fhir+json")


def test_a_call_without_the_patient_proposes_nothing_time_sensitive(harness: Harness) -> None:
    # No Patient in the prefetch (an EHR that sends only the searches): whether the
    # patient is alive is unknown, as for a Patient that cannot be read (docs/cds-hooks.md,
    # "Incomplete and untrusted prefetch"); the resources about the patient are read.
    bundle = copy.deepcopy(_record())
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Patient"]
    assert _cli_first_warning(bundle).startswith("PATIENT NOT READ")
    prefetch = prefetch_from_bundle(bundle)
    prefetch.pop("patient", None)
    response = harness.call(hook_body(prefetch, PATIENT_ID))
    assert response.status_code == 200, response.text
    card = response.json()["cards"][0]
    assert card["detail"].startswith("**Warnings:**\n\n- PATIENT NOT READ")
    assert card["indicator"] == "warning"
    assert "time-sensitive" not in card["detail"]
    assert "suggestions" not in card
