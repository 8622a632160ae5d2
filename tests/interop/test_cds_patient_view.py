"""The patient-view hook: discovery, a full call, card content, bad requests, privacy."""

from __future__ import annotations

import copy
import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import (
    APP_BASE,
    SERVICE,
    Harness,
    auth,
    hook_body,
    make_harness,
    patient_id_of,
    plain,
    prefetch_from_bundle,
    render,
    searchset,
)

from nelm.interop.cds_hooks.cards import summary
from nelm.interop.fhir.synthetic import REFERENCE_DATE, condition_resource, make_bundle
from nelm.knowledge import load_knowledge
from nelm.service import assess_fhir

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


def _call(harness: Harness, seed: int = 1, **overrides: Any) -> tuple[dict[str, Any], Any]:
    bundle = make_bundle(seed, **overrides)
    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    response = harness.call(body)
    assert response.status_code == 200, response.text
    return body, response.json()


# --------------------------------------------------------------------------- discovery


def test_discovery(harness: Harness) -> None:
    response = harness.client.get("/cds-services")
    assert response.status_code == 200
    [service] = response.json()["services"]
    assert service["hook"] == "patient-view"
    assert service["id"] == "nelm-liver-metastases"
    assert service["title"] and service["description"]
    version = load_knowledge().version
    assert version in service["description"]
    assert service["extension"]["nelm-knowledge-version"] == version
    prefetch = service["prefetch"]
    assert prefetch["patient"] == "Patient/{{context.patientId}}"
    assert prefetch["conditions"] == "Condition?patient={{context.patientId}}"
    assert prefetch["observations"] == (
        "Observation?patient={{context.patientId}}&category=laboratory"
    )
    assert set(prefetch) == {
        "patient",
        "conditions",
        "observations",
        "pathology",
        "performance",
        "imaging",
        "procedures",
        "medications",
    }
    assert "MedicationStatement:medication" in prefetch["medications"]
    assert "29593-1" in prefetch["pathology"]  # Ki-67


@pytest.mark.parametrize(
    ("only_when_relevant", "opening"),
    [
        (True, "Cards appear for patients with a neuroendocrine neoplasm and liver metastases"),
        (False, "A card appears for every patient"),
    ],
)
def test_discovery_says_which_charts_get_a_card(
    tmp_path: Path, only_when_relevant: bool, opening: str
) -> None:
    # CDS Hooks 2.0, Discovery: usageRequirements is "human-friendly description of any
    # preconditions for the use of this CDS Service"; with only_when_relevant false every
    # chart gets a card (docs/cds-hooks.md, "When nelm answers"), which it must say.
    harness = make_harness(tmp_path, only_when_relevant=only_when_relevant)
    [service] = harness.client.get("/cds-services").json()["services"]
    assert service["usageRequirements"].startswith(opening)
    assert "Grant read access to Patient, Condition" in service["usageRequirements"]


# --------------------------------------------------------------------------- a full call


def test_full_patient_view_call(harness: Harness) -> None:
    bundle = make_bundle(1)
    body, answer = _call(harness, 1)
    [card] = answer["cards"]  # everything was read: no data card
    expected = assess_fhir(bundle, assessment_date=REFERENCE_DATE)
    assert card["summary"] == summary(expected)
    assert len(card["summary"]) < 140
    assert card["summary"].startswith("NELM: ")
    assert UUID.match(card["uuid"])
    assert card["indicator"] in ("info", "warning")
    version = load_knowledge().version
    assert card["source"]["label"] == f"nelm {version}"
    # CDS Hooks 2.0 Card.source.url: where to learn about the service that gave the
    # card (the nelm application); the case itself is a link of the card.
    assert card["source"]["url"] == f"{APP_BASE}/"
    assert card["links"][0]["url"] == (
        f"{APP_BASE}/cases/new?source=cds-hooks&hookInstance={body['hookInstance']}"
    )
    eligible = [o for o in expected["options"].values() if o["status"] == "eligible"]
    assert eligible
    for option in eligible:
        assert option["name"].split(" (")[0].split(",")[0] in render(card["detail"])
    assert "Obtain **" in card["detail"]
    # CDS Hooks 2.0, Card attributes: `detail` is GitHub Flavored Markdown "to display to
    # the user": what to obtain is named in words, without nelm's field paths
    # (`extrahepatic.present`) beside them.
    missing = [m["field"] for m in expected["missing_data"]]
    assert missing
    obtain = [line for line in card["detail"].splitlines() if line.startswith("- Obtain ")]
    assert obtain
    for line in obtain:
        assert "`" not in line
        assert not any(field in line for field in missing)
    [suggestion] = card["suggestions"]
    assert UUID.match(suggestion["uuid"])
    [action] = suggestion["actions"]
    assert action["type"] == "create"
    assert action["resource"]["resourceType"] == "ServiceRequest"
    assert action["resource"]["status"] == "draft"
    assert action["resource"]["subject"] == {"reference": f"Patient/{patient_id_of(bundle)}"}
    assert card["selectionBehavior"] == "at-most-one"
    assert {r["code"] for r in card["overrideReasons"]} == {
        "already-discussed",
        "record-incorrect",
        "not-applicable",
    }


def test_the_card_cites_its_sources_by_author_and_lists_them(harness: Harness) -> None:
    """A card read in the EHR cited "003 Medical therapy", the reviews' file numbers: it
    cites as the reports do and ends with the references. Seed 003 is Nigri et al., World
    J Surg Oncol 2018 (its title page), cited for the chemotherapy criteria."""
    _, answer = _call(harness, 1)
    detail = re.sub(r"\\(.)", r"\1", answer["cards"][0]["detail"])  # markdown unescaped
    assert "Nigri 2018, Medical therapy" in detail
    assert "(003 " not in detail and "; 003 " not in detail
    references = detail.split("**References:**", 1)[1]
    assert "Nigri G, Petrucciani N, Debs T, et al. Treatment options for PNET liver" in references


def test_statuses_match_a_direct_assessment_of_the_same_bundle(harness: Harness) -> None:
    for seed in (2, 3, 7, 11, 19):
        bundle = make_bundle(seed)
        _, answer = _call(harness, seed)
        expected = assess_fhir(bundle, assessment_date=REFERENCE_DATE)
        assert answer["cards"][0]["summary"] == summary(expected), seed


def test_hepatic_encephalopathy_on_the_problem_list_reaches_the_card(harness: Harness) -> None:
    # ICD-10-CM K76.82 "Hepatic encephalopathy", a current Condition: 000 §3.1 makes it a
    # contraindication to TAE/TACE, so those options leave "uncertain" for "ineligible".
    bundle = make_bundle(1)
    patient = patient_id_of(bundle)
    encephalopathy = condition_resource(
        "he", "http://hl7.org/fhir/sid/icd-10-cm", "K76.82", subject=f"Patient/{patient}"
    )
    with_he = copy.deepcopy(bundle)
    with_he["entry"].append({"fullUrl": "urn:uuid:he", "resource": encephalopathy})
    answer = harness.call(hook_body(prefetch_from_bundle(with_he), patient)).json()
    expected = assess_fhir(with_he, assessment_date=REFERENCE_DATE)
    assert expected["options"]["tace"]["status"] == "ineligible"
    assert answer["cards"][0]["summary"] == summary(expected)
    _, without = _call(harness, 1)
    assert answer["cards"][0]["summary"] != without["cards"][0]["summary"]


def test_indicator_is_warning_while_a_curative_option_is_open(harness: Harness) -> None:
    """warning: a curative-intent option is eligible or not ruled out; info otherwise."""
    found = {"warning": 0, "info": 0}
    for seed in range(1, 40):
        overrides: dict[str, Any] = (
            {"extrahepatic_sites": (), "lesion_count": 1, "largest_lesion_cm": 2.0}
            if seed % 2
            else {"extrahepatic_sites": ("bone",)}
        )
        bundle = make_bundle(seed, **overrides)
        expected = assess_fhir(bundle, assessment_date=REFERENCE_DATE)
        curative = any(
            o["status"] in ("eligible", "uncertain") and o["intent"] == "curative"
            for o in expected["options"].values()
        )
        _, answer = _call(harness, seed, **overrides)
        card = answer["cards"][0]
        assert card["indicator"] == ("warning" if curative else "info")
        assert card["suggestions"][0]["isRecommended"] is curative
        assert ("Curative option not ruled out" in card["detail"]) is curative
        found[card["indicator"]] += 1
        if all(found.values()):
            break
    assert all(found.values()), found


def test_no_card_for_a_patient_without_neuroendocrine_liver_metastases(harness: Harness) -> None:
    colon = {
        "resourceType": "Condition",
        "id": "c1",
        "subject": {"reference": "Patient/p-9"},
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "C18.7"}]},
    }
    prefetch = {
        "patient": {"resourceType": "Patient", "id": "p-9", "gender": "male"},
        "conditions": searchset([colon]),
        "observations": searchset([]),
        "imaging": searchset([]),
    }
    response = harness.call(hook_body(prefetch, "p-9"))
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_every_patient_gets_a_card_when_relevance_is_not_required(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, only_when_relevant=False)
    prefetch = {
        "patient": {"resourceType": "Patient", "id": "p-9", "gender": "male"},
        "conditions": searchset([]),
    }
    response = harness.call(hook_body(prefetch, "p-9"))
    assert response.status_code == 200
    card = response.json()["cards"][0]
    # No NET in the record: said first, nothing proposed (no tumour-board request), and no
    # curative option presented as open for a patient it does not concern.
    assert card["summary"] == (
        "NELM: no neuroendocrine neoplasm in the record; nothing assessed for this patient"
    )
    assert card["indicator"] == "info"
    assert "suggestions" not in card and "selectionBehavior" not in card
    assert card["detail"].startswith("**Warnings:**\n\n- NOT A NEUROENDOCRINE RECORD")
    assert "time-sensitive" not in card["detail"]


@pytest.mark.parametrize(
    "conditions",
    [
        "missing",  # CDS Hooks 2.0: a prefetch key the client did not fill is left out
        {"resourceType": "OperationOutcome", "issue": []},  # an error instead of data
    ],
)
def test_a_problem_list_not_read_is_not_said_to_show_no_neuroendocrine_neoplasm(
    tmp_path: Path, conditions: Any
) -> None:
    """Without the Conditions (and no FHIR server to read them from) the record cannot
    show a NET, and cannot show its absence either: the card says which it is."""
    harness = make_harness(tmp_path, only_when_relevant=False)
    prefetch: dict[str, Any] = {
        "patient": {"resourceType": "Patient", "id": "p-9", "gender": "male"}
    }
    if conditions != "missing":
        prefetch["conditions"] = conditions
    response = harness.call(hook_body(prefetch, "p-9"))
    assert response.status_code == 200
    card, data = response.json()["cards"]
    assert card["summary"] == (
        "NELM: the problem list could not be read in full; nothing assessed for this patient"
    )
    assert "whether the patient has a neuroendocrine neoplasm is unknown" in card["detail"]
    # CDS Hooks 2.0, "Prefetch Template": a client need not fill every key, so a problem
    # list that was not read says nothing of what it holds; the card's warnings must not
    # say "no neuroendocrine neoplasm is recorded" below a summary saying it is unknown.
    shown = render(card["detail"])
    assert "NOT A NEUROENDOCRINE RECORD" not in shown
    assert "no neuroendocrine neoplasm is recorded" not in shown
    assert "NEUROENDOCRINE DIAGNOSIS UNKNOWN: the problem list could not be read" in shown
    assert "suggestions" not in card
    assert "conditions" in data["summary"]
    # CDS Hooks 2.0, Card attributes: each `summary` is read on its own; beside a card
    # that assessed nothing, the data card must not say "assessed without the missing data"
    assert data["summary"].startswith("NELM: record not fully read (conditions, ")
    assert data["summary"].endswith("); nothing assessed")


# --------------------------------------------------------------------------- escaping


def test_record_text_cannot_inject_markup(harness: Harness) -> None:
    bundle = make_bundle(4)
    prefetch = prefetch_from_bundle(bundle)
    hostile = (
        "<img src=x onerror=alert(1)> **bold** [click](javascript:alert(1)) "
        "<script>alert(2)</script>\n# heading"
    )
    for entry in prefetch["conditions"]["entry"]:
        condition = entry["resource"]
        for coding in condition["code"]["coding"]:
            coding["display"] = hostile
        condition["code"]["text"] = hostile
        condition["note"] = [{"text": hostile}]
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200
    for card in response.json()["cards"]:
        html = render(card["detail"])
        assert "<img" not in html and "<script" not in html and "<h1" not in html
        assert "javascript:" not in html.replace("javascript\\:", "")
        assert 'href="javascript' not in html
        assert "alert" not in card["detail"]


def test_untrusted_ids_and_names_in_problems_are_escaped(harness: Harness) -> None:
    bundle = make_bundle(5)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["imaging"]["entry"].append(
        {"resource": {"resourceType": "<b>Observation</b>", "id": "[x](javascript:alert(1))"}}
    )
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200
    data_card = response.json()["cards"][1]
    html = render(data_card["detail"])
    assert "<b>" not in html and "<a " not in html
    assert "javascript" not in data_card["detail"]


# --------------------------------------------------------------------------- privacy


def test_no_patient_data_in_logs(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bundle = make_bundle(6)
    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    response = harness.call(body)
    assert response.status_code == 200
    # a rejected call too: contradictory values
    bad = copy.deepcopy(body)
    bad["hookInstance"] = str(uuid.uuid4())
    ki67 = next(
        e
        for e in bad["prefetch"]["pathology"]["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == "29593-1"
    )
    twin = copy.deepcopy(ki67)
    twin["resource"]["id"] = "ki67-twin"
    twin["resource"]["valueQuantity"]["value"] = 77.0
    bad["prefetch"]["pathology"]["entry"].append(twin)
    assert harness.call(bad).status_code == 200  # a card plus a data-quality card
    text = caplog.text
    assert "Synthetic Patient" not in text
    assert "SYN-0006" not in text
    assert patient_id_of(bundle) not in text
    assert body["hookInstance"] in text  # what is logged: the hookInstance …
    assert "service=nelm-liver-metastases" in text  # … and the service id
    for card in response.json()["cards"]:
        assert "Synthetic Patient" not in json.dumps(card)


# --------------------------------------------------------------------------- bad requests


def _outcome(response: Any, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    for issue in body["issue"]:
        assert issue["severity"] in ("error", "fatal")
        assert issue["code"] and issue["diagnostics"]
    issues: list[dict[str, Any]] = body["issue"]
    return issues


def test_body_that_is_not_json(harness: Harness) -> None:
    for content in (
        b"{not json",
        b"<html><body>error</body></html>",
        b"",
        b"\xff\xfe",
        b'{"hook": NaN}',
        b"[" * 100_000,
    ):
        response = harness.client.post(
            SERVICE, content=content, headers={**auth(), "Content-Type": "application/json"}
        )
        [issue] = _outcome(response, 400)
        assert "JSON" in issue["diagnostics"]


def test_body_over_the_record_limit(harness: Harness) -> None:
    # Real records are several MB: the default limit is 20 MB (NELM_FHIR_MAX_BYTES).
    body = hook_body({"padding": "x" * 20_100_000}, "p-1")
    response = harness.client.post(SERVICE, json=body, headers=auth())
    [issue] = _outcome(response, 413)
    assert "20,000,000" in issue["diagnostics"]


def test_body_streamed_without_length_over_the_limit(harness: Harness) -> None:
    def chunks() -> Any:
        for _ in range(21):
            yield b"x" * 1_000_000

    response = harness.client.post(SERVICE, content=chunks(), headers=auth())
    _outcome(response, 413)


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        ({"hook": "order-select"}, "hook"),
        ({"hook": None}, "hook"),
        ({"hookInstance": None}, "hookInstance"),
        ({"hookInstance": "bad instance\nid"}, "hookInstance"),
        ({"context": None}, "context"),
        ({"context": {"userId": "Practitioner/1"}}, "context.patientId"),
        ({"context": {"patientId": 12}}, "context.patientId"),
        ({"context": {"patientId": "../../Patient/x"}}, "context.patientId"),
        ({"context": {"patientId": "p-1", "encounterId": "a/b"}}, "context.encounterId"),
        ({"prefetch": ["not", "an", "object"]}, "prefetch"),
        (
            {"fhirAuthorization": {"access_token": "t", "token_type": "MAC"}},
            "fhirAuthorization.token_type",
        ),
        ({"fhirAuthorization": "token"}, "fhirAuthorization"),
    ],
)
def test_malformed_requests(harness: Harness, change: dict[str, Any], expression: str) -> None:
    body = hook_body({}, "p-1")
    body.update(change)
    [issue] = _outcome(harness.call(body), 400)
    assert issue["expression"] == [expression]


@pytest.mark.parametrize(
    ("change", "code", "said"),
    [
        # CDS Hooks 2.0, "Calling a CDS Service": hookInstance is a required UUID. Given
        # but malformed, it is "invalid" (FHIR R4 IssueType), not "required", and the
        # message says what came: kind and length, the first character not allowed.
        ({"hookInstance": None}, "required", "hookInstance is required"),
        (
            {"hookInstance": "not a uuid"},
            "invalid",
            "hookInstance must be a UUID (letters, digits and - . _ :, at most 128 "
            "characters), got 10 characters, with ' ' (U+0020) at character 4",
        ),
        ({"hookInstance": 7}, "invalid", "got a number"),
        ({"hookInstance": "a" * 129}, "invalid", "got 129 characters"),
        (
            {"context": {"patientId": "p 1"}},
            "invalid",
            "context.patientId must be a FHIR id (letters, digits, - and ., at most 64 "
            "characters), got 3 characters, with ' ' (U+0020) at character 2",
        ),
        ({"context": {"patientId": ["p-1"]}}, "invalid", "got a list"),
        (
            {"context": {"patientId": "p-1", "encounterId": "a/b"}},
            "invalid",
            "context.encounterId must be a FHIR id (letters, digits, - and ., at most 64 "
            "characters), got 3 characters, with '/' (U+002F) at character 2",
        ),
    ],
)
def test_a_malformed_field_names_what_was_expected_and_what_came(
    harness: Harness, change: dict[str, Any], code: str, said: str
) -> None:
    body = hook_body({}, "p-1")
    body.update(change)
    [issue] = _outcome(harness.call(body), 400)
    assert issue["code"] == code
    assert said in issue["diagnostics"]


def test_a_body_that_is_a_list(harness: Harness) -> None:
    _outcome(harness.call([hook_body({}, "p-1")]), 400)


def _quality(response: Any) -> str:
    """The data-quality card's detail: the record was assessed in spite of the problem."""
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert len(cards) == 2, "an assessment card and a data-quality card"
    # the Markdown's escapes taken out, to compare with the words
    return re.sub(r"\\(.)", r"\1", str(cards[1]["detail"]))


def test_contradictory_ki67_values_give_a_data_quality_card_naming_both(harness: Harness) -> None:
    bundle = make_bundle(8)
    prefetch = prefetch_from_bundle(bundle)
    pathology = prefetch["pathology"]["entry"]
    ki67 = next(e for e in pathology if e["resource"]["code"]["coding"][0]["code"] == "29593-1")
    twin = copy.deepcopy(ki67)
    twin["resource"]["id"] = "ki67-second"
    twin["resource"]["valueQuantity"]["value"] = 55.0
    pathology.append(twin)
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    detail = _quality(response)
    assert "conflicting values for pathology.ki67_percent" in detail
    assert "ki67-second" in detail and "says 55" in detail
    assert "prefetch.pathology.entry[" in detail


def test_impossible_units_give_a_data_quality_card_at_the_value(harness: Harness) -> None:
    bundle = make_bundle(9)
    prefetch = prefetch_from_bundle(bundle)
    labs = prefetch["observations"]["entry"]
    index, bilirubin = next(
        (i, e) for i, e in enumerate(labs) if e["resource"]["code"]["coding"][0]["code"] == "1975-2"
    )
    bilirubin["resource"]["valueQuantity"] = {
        "value": 1.0,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    detail = _quality(harness.call(hook_body(prefetch, patient_id_of(bundle))))
    assert f"prefetch.observations.entry[{index}].resource" in detail
    assert "kg" in detail


def test_an_element_that_is_not_an_array_gives_a_data_quality_card(harness: Harness) -> None:
    # FHIR R4 JSON (https://hl7.org/fhir/R4/json.html#arrays): bodySite and a Bundle's
    # link are arrays. A number in their place was a 500 (the relevance test and the
    # paging read them before validation); one bad element never sinks the record
    # (issue 12, point 4): the Condition is set aside and named, the rest assessed.
    bundle = make_bundle(11)
    prefetch = prefetch_from_bundle(bundle)
    metastases = next(
        e for e in prefetch["conditions"]["entry"] if e["resource"]["id"].startswith("livermet")
    )
    metastases["resource"]["bodySite"] = 1e300
    prefetch["observations"]["link"] = 5
    detail = _quality(harness.call(hook_body(prefetch, patient_id_of(bundle))))
    assert "prefetch.conditions.entry[1].resource: not a valid FHIR R4 Condition" in detail


def test_out_of_range_values_give_a_data_quality_card(harness: Harness) -> None:
    bundle = make_bundle(10)
    prefetch = prefetch_from_bundle(bundle)
    ki67 = next(
        e
        for e in prefetch["pathology"]["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == "29593-1"
    )
    ki67["resource"]["valueQuantity"]["value"] = 250
    detail = _quality(harness.call(hook_body(prefetch, patient_id_of(bundle))))
    assert "pathology.ki67_percent must be between 0 and 100" in detail


def test_an_internal_fault_is_a_500_without_details(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nelm.interop.cds_hooks.service as service

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail: Synthetic Patient 0001")

    monkeypatch.setattr(service, "_assess", broken)
    bundle = make_bundle(1)
    response = harness.call(hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle)))
    [issue] = _outcome(response, 500)
    assert "secret" not in response.text and "Synthetic" not in response.text
    assert issue["code"] == "exception"


def test_a_deceased_patient_is_never_presented_as_alive(harness: Harness) -> None:
    # Decision (docs/fhir-mapping.md "Deceased patients"): assessed, flagged on top.
    bundle = make_bundle(3)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["patient"]["deceasedBoolean"] = True
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200, response.text
    card = response.json()["cards"][0]
    assert card["summary"] == (
        "NELM: the record says the patient has died; not for clinical action"
    )
    assert card["indicator"] == "warning"
    # the death comes first; no surgical urgency and no tumour-board request are proposed
    assert card["detail"].startswith("**Warnings:**\n\n- DECEASED")
    assert "time-sensitive" not in card["detail"]
    assert "suggestions" not in card


def test_the_records_warning_names_the_resource_in_words_not_by_its_id(
    harness: Harness,
) -> None:
    # CDS Hooks 2.0, Card attributes: `detail` is shown to the clinician. The record's own
    # warning reads "the Patient resource: deceasedDateTime 2024-10-02" (as the stored
    # case keeps it, docs/cds-hooks.md), not "Patient/<the EHR's id> deceasedDateTime".
    bundle = make_bundle(3)
    prefetch = prefetch_from_bundle(bundle)
    prefetch["patient"]["deceasedDateTime"] = "2024-10-02"
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200, response.text
    shown = plain(response.json()["cards"][0]["detail"])
    assert "the Patient resource: deceasedDateTime 2024-10-02" in shown
    assert patient_id_of(bundle) not in shown


def test_a_resource_about_another_patient_gives_a_data_quality_card(harness: Harness) -> None:
    bundle = make_bundle(4)
    prefetch = prefetch_from_bundle(bundle)
    entry = prefetch["observations"]["entry"][0]
    entry["resource"]["subject"] = {"reference": "Patient/someone-else"}
    detail = _quality(harness.call(hook_body(prefetch, patient_id_of(bundle))))
    assert (
        "prefetch.observations.entry[0].resource: Observation about another patient: not used"
    ) in detail


# --------------------------------------------------------------------------- card words


def _doc(**extra: Any) -> dict[str, Any]:
    """A small assessment-v1 document: one option of each status (the shape of
    docs/assessment-v1-additions.md), with what ``extra`` adds."""
    doc: dict[str, Any] = {
        "options": {
            "liver_transplant_enets": {
                "status": "ineligible",
                "intent": "curative",
                "name": "Liver transplantation (ENETS criteria)",
                "criteria": [
                    {
                        "result": "not_met",
                        "text": "Young patient (< 55 years)",
                        "value": "Age 73 years",
                    },
                    {"result": "not_met", "text": "Ki-67 ≤ 10 %", "value": "Ki-67 index 14.1%"},
                    {"result": "met", "text": "Primary resected", "value": "yes"},
                ],
                "reasons": ["Young patient (< 55 years)", "Ki-67 ≤ 10 %"],
            },
            "everolimus": {
                "status": "uncertain",
                "intent": "systemic_control",
                "name": "Everolimus",
                "missing": ["course.status"],
            },
        },
        "missing_data": [{"field": "course.status", "decides": ["everolimus"]}],
        "warnings": [],
        "input_source": {"provenance": {"patient.age_years": "Patient/p"}, "unmapped": []},
    }
    doc.update(extra)
    return doc


def _detail(doc: dict[str, Any], harness: Harness) -> str:
    from nelm.interop.cds_hooks.cards import CardContext, assessment_card

    ctx = CardContext(harness.settings, "h-1", "p", None, "test", 3)
    return str(assessment_card(doc, ctx)["detail"])


def test_a_failed_criterion_is_shown_with_the_patients_value(harness: Harness) -> None:
    # As every other view shows it (nelm assess: "✘ criterion — value", the mark from
    # vocabulary.yaml), never the criterion alone after the option's name.
    detail = _detail(_doc(), harness)
    assert (
        "- transplant \\(ENETS\\): ✘ Young patient \\(&lt; 55 years\\) — Age 73 years; "
        "✘ Ki-67 ≤ 10 % — Ki-67 index 14.1%"
    ) in detail
    assert "transplant \\(ENETS\\) \\(Young patient" not in detail


@pytest.mark.parametrize(
    "said",
    [
        # nelm.interop.fhir.cancers / patient: the record's own words, first in warnings
        "NOT A NEUROENDOCRINE RECORD: no neuroendocrine neoplasm is recorded.",
        "DECEASED: the record says the patient has died (Patient/p deceasedBoolean true).",
    ],
)
def test_a_card_that_assesses_nothing_lists_no_options(harness: Harness, said: str) -> None:
    # docs/cds-hooks.md: such a card "proposes nothing"; its detail says what the record
    # holds and why nothing is assessed — no option, no "Obtain …", no classification.
    doc = _doc(warnings=[said])
    doc["input_source"]["record_warnings"] = [said]
    doc["classification"] = {"grade": "G2"}
    detail = _detail(doc, harness)
    assert detail.startswith("**Warnings:**\n\n- ")
    assert "**Nothing is assessed for this patient:**" in detail
    assert "**From the record:** 3 resources read; 1 case field filled" in detail
    for listed in ("Uncertain", "Obtain", "Not eligible", "Eligible", "Classification"):
        assert listed not in detail, listed


def test_old_results_are_warned_of_on_top(tmp_path: Path) -> None:
    # docs/fhir-mapping.md: results older than 90 days give "one warning on top of every
    # output (reports, JSON warnings, the CDS card)". The synthetic results are dated by
    # REFERENCE_DATE; assessed 200 days later they are all older than 90 days.
    from datetime import timedelta

    from test_cds_helpers import NOW

    later = NOW + timedelta(days=200)
    harness = make_harness(tmp_path, clock=lambda: later)
    bundle = make_bundle(1)
    response = harness.call(
        hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle)), now=later
    )
    assert response.status_code == 200, response.text
    detail = response.json()["cards"][0]["detail"]
    assert detail.startswith(
        "**Warnings:**\n\n- Results more than 90 days before the assessment date"
    )
