"""Incomplete and untrusted prefetch, and reading the rest from the EHR's FHIR server."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import (
    FHIR_BASE,
    NOW,
    Harness,
    hook_body,
    make_harness,
    patient_id_of,
    plain,
    prefetch_from_bundle,
    searchset,
    server_routes,
)

from nelm.interop.cds_hooks import FetchResponse
from nelm.interop.cds_hooks.cards import summary
from nelm.interop.cds_hooks.prefetch import PREFETCH_BY_KEY, search_url
from nelm.interop.fhir.synthetic import REFERENCE_DATE, make_bundle
from nelm.service import assess_fhir

SEED = 12


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


@pytest.fixture
def bundle() -> dict[str, Any]:
    return make_bundle(SEED)


def _cards(
    harness: Harness, prefetch: dict[str, Any] | None, patient_id: str, **extra: Any
) -> list[dict[str, Any]]:
    response = harness.call(hook_body(prefetch, patient_id, **extra))
    assert response.status_code == 200, response.text
    cards: list[dict[str, Any]] = response.json()["cards"]
    return cards


def _data_card(cards: list[dict[str, Any]]) -> dict[str, Any]:
    [card] = [c for c in cards if "record not fully read" in c["summary"]]
    assert card["indicator"] == "info"
    assert len(card["summary"]) < 140
    return {**card, "detail": plain(card["detail"])}


def _full_summary(bundle: dict[str, Any]) -> str:
    return summary(assess_fhir(bundle, assessment_date=REFERENCE_DATE))


# --------------------------------------------------------------------------- prefetch


def test_nothing_prefetched_and_no_server_is_a_412(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    """Without the problem list nelm cannot tell whether it applies: CDS Hooks' 412
    Precondition Failed, naming what could not be had (and no card on every chart)."""
    response = harness.call(hook_body(None, patient_id_of(bundle)))
    assert response.status_code == 412
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    text = " ".join(i["diagnostics"] for i in outcome["issue"])
    assert "the problem list (Condition): prefetch.conditions: not provided" in text
    assert {i["code"] for i in outcome["issue"]} == {"incomplete"}
    # CDS Hooks 2.0, "Prefetch Template" (a key the client did not fill) and FHIR R4
    # OperationOutcome.issue.expression: each issue names the key the EHR should fill
    places = {i.get("expression", [None])[0] for i in outcome["issue"]}
    assert "prefetch.conditions" in places
    assert None not in places


def test_an_unreadable_problem_list_with_a_failing_server_is_a_412(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["conditions"] = {"resourceType": "OperationOutcome", "issue": []}
    harness.fhir.delay = 0.0  # the fake server has no routes: 404 for everything
    response = harness.call(hook_body(prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE))
    assert response.status_code == 412
    text = " ".join(i["diagnostics"] for i in response.json()["issue"])
    assert "fhirServer.conditions: the server answered HTTP 404" in text
    assert ["fhirServer.conditions"] in [i.get("expression") for i in response.json()["issue"]]


def test_a_problem_list_sent_as_null_is_an_empty_one(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    """CDS Hooks 2.0, Prefetch: "If the CDS Client has no data to populate a template
    prefetch key, the prefetch template key MUST have a value of null" — the patient has
    no Condition, so no neuroendocrine liver metastases are recorded: no card, not 412."""
    prefetch = prefetch_from_bundle(bundle)
    prefetch["conditions"] = None
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_a_problem_list_read_only_in_part_is_a_412(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    """A searchset holding only the server's error, or one whose entries are all about
    another patient, cannot rule the diagnosis out: 412, as for no problem list at all."""
    error = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "exception"}],
    }
    searchset = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": error, "search": {"mode": "outcome"}}],
    }
    prefetch = prefetch_from_bundle(bundle)
    prefetch["conditions"] = searchset
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 412
    text = " ".join(i["diagnostics"] for i in response.json()["issue"])
    assert "results may be incomplete" in text
    others = copy.deepcopy(prefetch_from_bundle(bundle)["conditions"])
    for entry in others["entry"]:
        entry["resource"]["subject"] = {"reference": "Patient/someone-else"}
    prefetch["conditions"] = others
    assert harness.call(hook_body(prefetch, patient_id_of(bundle))).status_code == 412


def test_a_searchset_short_of_its_total_or_warned_incomplete_is_listed(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    """FHIR R4 Bundle.total is "the total number of entries of type 'match' across all
    pages"; a search outcome's warning "incomplete" says results were left out. Either way
    results are missing: listed on the data card, like the FHIR mapping's data-quality list."""
    prefetch = prefetch_from_bundle(bundle)
    labs = prefetch["observations"]
    labs["total"] = labs["total"] + 8
    warned = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "warning", "code": "incomplete"}],
    }
    prefetch["imaging"]["entry"].append({"resource": warned, "search": {"mode": "outcome"}})
    detail = _data_card(_cards(harness, prefetch, patient_id_of(bundle)))["detail"]
    matches = labs["total"] - 8
    assert f"Bundle.total says {labs['total']} matches, the page holds {matches}" in detail
    assert "prefetch.imaging: the server reported a problem with this search" in detail


def test_broken_values_are_listed_and_the_rest_is_assessed(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["observations"] = None
    prefetch["patient"] = {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": "processing",
                "diagnostics": "Synthetic Patient 0012 could not be loaded",
            }
        ],
    }
    prefetch["procedures"] = (
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><script>alert(1)</script></body></html>"
    )
    prefetch["medications"] = copy.deepcopy(prefetch["conditions"]["entry"][0]["resource"])
    prefetch["performance"] = ["not", "a", "resource"]
    del prefetch["imaging"]
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    assert len(cards) == 2
    assessment, data = cards[0], _data_card(cards)
    assert assessment["summary"].startswith("NELM: ")
    detail = data["detail"]
    # null is the client having no data for the key (CDS Hooks 2.0, Prefetch): not a gap
    assert "prefetch.observations" not in detail
    assert "OperationOutcome" in detail
    assert "HTML" in detail
    assert "a Condition resource instead of Medication or MedicationStatement" in detail
    assert "JSON list" in detail
    assert "prefetch.imaging: not provided" in detail
    # nothing of what came is echoed
    # "502" alone can be part of the knowledge version hash shown in the card
    assert "Bad Gateway" not in detail and "alert" not in detail and "Synthetic" not in detail
    assert data["summary"] == (
        "NELM: record not fully read (patient, performance, imaging, procedures, "
        "medications); assessed without the missing data"
    )
    # what was not read stays unknown: age and sex came from the Patient, now missing
    assert "unknown" in assessment["detail"]


def test_a_patient_other_than_the_one_in_context_is_not_used(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["patient"]["id"] = "someone-else"
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    data = _data_card(cards)
    assert "a Patient other than the patient in context" in data["detail"]
    assert cards[0]["summary"].startswith("NELM: ")


def test_wrong_resource_type_for_the_patient(harness: Harness, bundle: dict[str, Any]) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["patient"] = {"resourceType": "Practitioner", "id": patient_id_of(bundle)}
    data = _data_card(_cards(harness, prefetch, patient_id_of(bundle)))
    assert "a Practitioner resource instead of Patient" in data["detail"]


def test_resources_about_another_patient_are_set_aside(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    stranger = copy.deepcopy(prefetch["pathology"]["entry"][0])
    stranger["resource"]["id"] = "someone-elses-ki67"
    stranger["resource"]["subject"] = {"reference": "Patient/other-patient"}
    stranger["resource"]["valueQuantity"] = {
        "value": 80,
        "unit": "%",
        "code": "%",
        "system": "http://unitsofmeasure.org",
    }
    prefetch["pathology"]["entry"].append(stranger)
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    assert cards[0]["summary"] == _full_summary(bundle)  # the stranger's Ki-67 was not used
    data = _data_card(cards)
    assert "Observation about another patient: not used" in data["detail"]


def _broken(prefetch: dict[str, Any], code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e
        for e in prefetch["observations"]["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == code
    )
    found["resource"]["valueQuantity"] = "ninety-eight"
    found["resource"]["status"] = ["final"]
    return found


def test_invalid_resources_are_left_out_not_everything(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    # LOINC 2532-0 LDH is read (labs.ldh_u_l): the broken result is left out and said;
    # the card is the one the record gives without it.
    prefetch = prefetch_from_bundle(bundle)
    ldh = _broken(prefetch, "2532-0")
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    without = {
        **bundle,
        "entry": [e for e in bundle["entry"] if e["resource"].get("id") != ldh["resource"]["id"]],
    }
    assert cards[0]["summary"] == _full_summary(without)
    assert "not a valid FHIR R4 Observation: not used" in _data_card(cards)["detail"]


def test_a_null_in_a_resource_is_read_as_absent_as_in_a_record(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    # FHIR R4 JSON (§2.6.2) allows no null as a value: the LDH result (LOINC 2532-0) with a
    # null coding item is used without it, as nelm assess reads the same record
    # (test_fhir_nulls.py), not left out as not valid.
    prefetch = prefetch_from_bundle(bundle)
    ldh = next(
        e
        for e in prefetch["observations"]["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == "2532-0"
    )
    ldh["resource"]["code"]["coding"].append(None)
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    assert cards[0]["summary"] == _full_summary(bundle)
    assert not [c for c in cards if "not a valid FHIR R4" in c.get("detail", "")]


def test_resources_are_validated_once(
    harness: Harness, bundle: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service validates each prefetch resource (to name an invalid one by its place
    in the request); the mapping does not validate them a second time (the costliest step:
    4.8 MB of results took 2.2 s with it, 1.5 s without). Only the Patient is left to the
    mapping, which validates the Patient of every record (docs/cds-hooks.md)."""
    from nelm.interop.fhir.validate import Entry, validate_resources

    def again(entries: list[Entry]) -> object:
        if any(e.resource_type != "Patient" for e in entries):
            raise AssertionError("validated twice")
        return validate_resources(entries)

    expected = _full_summary(bundle)  # the same record through the mapping alone
    monkeypatch.setattr("nelm.interop.fhir.mapping.validate_resources", again)
    cards = _cards(harness, prefetch_from_bundle(bundle), patient_id_of(bundle))
    assert [c["summary"] for c in cards] == [expected]


def test_an_invalid_resource_no_rule_reads_costs_nothing(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    # LOINC 2345-7 glucose is read by no rule: it is not validated (nelm.interop.fhir.unread)
    # and, being unread, takes nothing from the assessment and needs no data-quality card.
    prefetch = prefetch_from_bundle(bundle)
    _broken(prefetch, "2345-7")
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    assert cards[0]["summary"] == _full_summary(bundle)
    assert not [c for c in cards if "record not fully read" in c["summary"]]


def test_two_different_copies_of_one_resource_are_both_left_out(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    ki67 = next(
        e
        for e in prefetch["pathology"]["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == "29593-1"
    )
    copy_of = copy.deepcopy(ki67)
    copy_of["resource"]["valueQuantity"]["value"] = 42.0
    prefetch["observations"]["entry"].append(copy_of)  # the same id, another value
    same = copy.deepcopy(ki67)
    prefetch["imaging"]["entry"].append(copy.deepcopy(prefetch["imaging"]["entry"][0]))
    prefetch["observations"]["entry"].append(same)
    cards = _cards(harness, prefetch, patient_id_of(bundle))
    data = _data_card(cards)
    rid = ki67["resource"]["id"]
    assert f"Observation/{rid}: two different versions were received" in data["detail"]
    # an identical duplicate (the imaging one) is used once, silently
    assert data["detail"].count("two different versions") == 1


def test_entries_that_are_not_resources(harness: Harness, bundle: dict[str, Any]) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["conditions"]["entry"].extend([None, {"resource": "text"}, {"fullUrl": "x"}])
    prefetch["conditions"]["entry"].append(
        {"resource": {"resourceType": "Procedure", "id": "wrong-place"}}
    )
    data = _data_card(_cards(harness, prefetch, patient_id_of(bundle)))
    assert "3 entries without a resource object" in data["detail"]
    assert "1 Procedure resource of a type this query does not return" in data["detail"]


def test_an_error_outcome_inside_a_searchset(harness: Harness, bundle: dict[str, Any]) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["procedures"]["entry"].append(
        {
            "resource": {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "too-costly"}],
            },
            "search": {"mode": "outcome"},
        }
    )
    data = _data_card(_cards(harness, prefetch, patient_id_of(bundle)))
    assert "results may be incomplete" in data["detail"]


def test_a_paged_prefetch_without_a_server_is_reported(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    prefetch = prefetch_from_bundle(bundle)
    prefetch["observations"]["link"] = [
        {"relation": "next", "url": f"{FHIR_BASE}/Observation?page=2"}
    ]
    data = _data_card(_cards(harness, prefetch, patient_id_of(bundle)))
    assert "more pages exist" in data["detail"]


def test_a_searchset_of_the_wrong_patient_only(harness: Harness, bundle: dict[str, Any]) -> None:
    """Every Condition is about someone else: none is used, and this patient's problem list
    was not sent, so nelm cannot tell whether it applies (412, docs/cds-hooks.md)."""
    prefetch = prefetch_from_bundle(bundle)
    for entry in prefetch["conditions"]["entry"]:
        entry["resource"]["subject"] = {"reference": "Patient/other"}
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 412
    assert "Condition about another patient: not used" in response.text


# --------------------------------------------------------------------------- the FHIR server


def test_missing_prefetch_is_read_from_the_fhir_server(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    harness.fhir.routes.update(server_routes(bundle))
    prefetch = {"patient": prefetch_from_bundle(bundle)["patient"]}
    cards = _cards(
        harness,
        prefetch,
        patient_id_of(bundle),
        fhirServer=FHIR_BASE + "/",
        fhirAuthorization={
            "access_token": "server-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/*.read",
            "subject": "nelm",
        },
    )
    assert [c["summary"] for c in cards] == [_full_summary(bundle)]
    urls = [url for url, _ in harness.fhir.calls]
    assert len(urls) == 7  # every search key, the Patient came with the prefetch
    assert all(url.startswith(FHIR_BASE + "/") for url in urls)
    assert all(token == "server-token" for _, token in harness.fhir.calls)
    assert search_url(FHIR_BASE, PREFETCH_BY_KEY["conditions"], patient_id_of(bundle)) in urls


def test_only_missing_or_broken_keys_are_fetched(harness: Harness, bundle: dict[str, Any]) -> None:
    harness.fhir.routes.update(server_routes(bundle))
    prefetch = prefetch_from_bundle(bundle)
    del prefetch["observations"]
    prefetch["imaging"] = "<html>error</html>"
    # null: the client has no data for the key (CDS Hooks 2.0, Prefetch), nothing to fetch
    prefetch["procedures"] = None
    cards = _cards(harness, prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE)
    assert [c["summary"] for c in cards] == [_full_summary(bundle)]
    pid = patient_id_of(bundle)
    assert sorted(url for url, _ in harness.fhir.calls) == sorted(
        [
            search_url(FHIR_BASE, PREFETCH_BY_KEY["observations"], pid),
            search_url(FHIR_BASE, PREFETCH_BY_KEY["imaging"], pid),
        ]
    )
    assert all(token is None for _, token in harness.fhir.calls)


def test_a_server_not_on_the_allow_list_is_never_contacted(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    harness.fhir.routes.update(server_routes(bundle))
    prefetch = prefetch_from_bundle(bundle)
    del prefetch["observations"]
    for server in (
        "https://attacker.example.net/r4",
        FHIR_BASE + "-evil",
        "https://fhir.example.org/r4/../other",
        "http://fhir.example.org/r4",
    ):
        cards = _cards(
            harness,
            prefetch,
            patient_id_of(bundle),
            fhirServer=server,
            fhirAuthorization={"access_token": "secret", "token_type": "Bearer"},
        )
        data = _data_card(cards)
        assert "not on this service's allow-list" in data["detail"]
    assert harness.fhir.calls == []


def test_fetching_stops_at_the_deadline(tmp_path: Path, bundle: dict[str, Any]) -> None:
    harness = make_harness(tmp_path, fhir_timeout_seconds=0.2)
    harness.fhir.routes.update(server_routes(bundle))
    harness.fhir.delay = 5.0
    prefetch = prefetch_from_bundle(bundle)
    del prefetch["observations"]
    started = time.perf_counter()
    cards = _cards(harness, prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE)
    assert time.perf_counter() - started < 3.0
    assert "no answer within 0.2 s" in _data_card(cards)["detail"]


@pytest.mark.parametrize(
    ("response", "said"),
    [
        (FetchResponse(401, "application/fhir+json", b"{}"), "refused access (HTTP 401)"),
        (FetchResponse(500, "text/html", b"<html>oops</html>"), "answered HTTP 500"),
        (FetchResponse(200, "text/html", b"<html>login</html>"), "other than FHIR JSON"),
        (FetchResponse(200, "application/fhir+json", b"{not json"), "not valid JSON"),
        (
            FetchResponse(
                404, "application/fhir+json", b'{"resourceType": "OperationOutcome", "issue": []}'
            ),
            "HTTP 404",
        ),
    ],
)
def test_server_failures_are_reported(
    harness: Harness, bundle: dict[str, Any], response: FetchResponse, said: str
) -> None:
    routes = server_routes(bundle)
    url = search_url(FHIR_BASE, PREFETCH_BY_KEY["observations"], patient_id_of(bundle))
    routes[url] = response
    harness.fhir.routes.update(routes)
    prefetch = prefetch_from_bundle(bundle)
    del prefetch["observations"]
    data = _data_card(_cards(harness, prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE))
    assert said in data["detail"]
    assert "oops" not in data["detail"] and "login" not in data["detail"]


def test_pages_are_followed_on_the_same_server_only(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    routes = server_routes(bundle)
    pid = patient_id_of(bundle)
    first = search_url(FHIR_BASE, PREFETCH_BY_KEY["observations"], pid)
    labs = routes[first]["entry"]
    page2 = f"{FHIR_BASE}/Observation?_page=2&patient={pid}"
    routes[first] = searchset([e["resource"] for e in labs[:3]], next_url=page2)
    routes[page2] = searchset([e["resource"] for e in labs[3:]])
    harness.fhir.routes.update(routes)
    prefetch = prefetch_from_bundle(bundle)
    # the EHR sent the first page only
    prefetch["observations"] = copy.deepcopy(routes[first])
    cards = _cards(harness, prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE)
    assert [c["summary"] for c in cards] == [_full_summary(bundle)]
    assert page2 in [url for url, _ in harness.fhir.calls]

    # a next link to another host is not followed
    harness.fhir.calls.clear()
    routes[first] = searchset(
        [e["resource"] for e in labs[:3]], next_url="https://attacker.example.net/steal?page=2"
    )
    harness.fhir.routes.update(routes)
    del prefetch["observations"]
    cards = _cards(harness, prefetch, patient_id_of(bundle), fhirServer=FHIR_BASE)
    assert all(url.startswith(FHIR_BASE) for url, _ in harness.fhir.calls)
    assert "next page lies outside the FHIR server" in _data_card(cards)["detail"]


def test_a_fetched_patient_must_be_the_patient_in_context(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    routes = server_routes(bundle)
    pid = patient_id_of(bundle)
    url = search_url(FHIR_BASE, PREFETCH_BY_KEY["patient"], pid)
    routes[url] = {**routes[url], "id": "not-this-one"}
    harness.fhir.routes.update(routes)
    cards = _cards(harness, {}, pid, fhirServer=FHIR_BASE)
    assert "a Patient other than the patient in context" in _data_card(cards)["detail"]


# --------------------------------------------------------------------------- httpx fetcher


def _fetch(
    handler: Any,
    url: str = FHIR_BASE + "/Patient/p-1",
    *,
    token: str | None = "t",
    max_bytes: int = 1000,
) -> FetchResponse:
    import asyncio

    import httpx

    from nelm.interop.cds_hooks import HttpxFhirFetcher

    fetcher = HttpxFhirFetcher(transport=httpx.MockTransport(handler))
    return asyncio.run(fetcher.get(url, access_token=token, timeout=1.0, max_bytes=max_bytes))


def test_httpx_fetcher_sends_the_token_and_accepts_fhir_json() -> None:
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"resourceType": "Patient", "id": "p-1"},
            headers={"content-type": "application/fhir+json"},
        )

    response = _fetch(handler)
    assert response.status == 200 and b'"Patient"' in response.body
    assert seen[0].headers["authorization"] == "Bearer t"
    assert "application/fhir+json" in seen[0].headers["accept"]
    _fetch(handler, token=None)
    assert "authorization" not in seen[1].headers


def test_httpx_fetcher_does_not_follow_redirects() -> None:
    import httpx

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(302, headers={"location": "https://attacker.example.net/x"})

    assert _fetch(handler).status == 302
    assert calls == [FHIR_BASE + "/Patient/p-1"]


def test_httpx_fetcher_limits_size_and_reports_failures() -> None:
    import httpx

    from nelm.interop.cds_hooks.fetch import FetchFailedError

    with pytest.raises(FetchFailedError, match="larger"):
        _fetch(lambda request: httpx.Response(200, content=b"x" * 5000))

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TimeoutError):
        _fetch(timeout)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(FetchFailedError, match="could not be reached"):
        _fetch(refused)


def test_reads_from_the_fhir_server_leave_no_patient_id_in_the_logs(
    tmp_path: Path, bundle: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """docs/cds-hooks.md, Privacy: logs never hold patient ids. httpx logs each request's
    URL at INFO ("HTTP Request: GET …/Patient/<id>"); the service keeps it to warnings."""
    import json
    import logging

    import httpx
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from test_cds_helpers import SERVICE, auth

    from nelm.interop.cds_hooks import HttpxFhirFetcher, InMemoryFeedbackSink, create_cds_router

    routes = {url: json.dumps(value).encode() for url, value in server_routes(bundle).items()}
    read: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        read.append(str(request.url))
        body = routes.get(str(request.url))
        if body is None:
            return httpx.Response(404, headers={"content-type": "application/fhir+json"})
        return httpx.Response(200, content=body, headers={"content-type": "application/fhir+json"})

    settings = make_harness(tmp_path).settings
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:  # as a fresh process has them
        logger.setLevel(logging.NOTSET)
    try:
        caplog.set_level(logging.DEBUG)
        app = FastAPI()
        app.include_router(
            create_cds_router(
                settings,
                feedback_sink=InMemoryFeedbackSink(),
                clock=lambda: NOW,
                fhir_fetcher=HttpxFhirFetcher(transport=httpx.MockTransport(handler)),
            )
        )
        client = TestClient(app, raise_server_exceptions=False)
        pid = patient_id_of(bundle)
        body = hook_body({}, pid, fhirServer=FHIR_BASE)
        response = client.post(SERVICE, json=body, headers=auth())
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    assert response.status_code == 200, response.text
    assert len(read) == 8 and all(pid in url for url in read)  # the fetch did happen
    assert caplog.records, "the service logs the call"
    for record in caplog.records:
        assert pid not in record.getMessage(), (record.name, record.getMessage())


def test_a_control_character_after_a_null_item_is_named_at_its_place_as_sent(
    harness: Harness, bundle: dict[str, Any]
) -> None:
    # A NUL (a control character, nelm.text) in the display of code.coding[1], after a null
    # coding[0] (FHIR R4 JSON §2.6.2: read as absent): the place named is the one sent.
    pid = patient_id_of(bundle)
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:8f1c2a8e-1b7e-4c11-9d1e-0a0b0c0d0e0f",
            "resource": {
                "resourceType": "Condition",
                "id": "other-1",
                "code": {
                    # SNOMED CT 367498001 seasonal allergic rhinitis
                    "coding": [
                        None,
                        {
                            "system": "http://snomed.info/sct",
                            "code": "367498001",
                            "display": "seasonal\u0000allergy",
                        },
                    ]
                },
                "subject": {"reference": f"Patient/{pid}"},
            },
        }
    )
    cards = _cards(harness, prefetch_from_bundle(bundle), pid)
    assert "a control character in code.coding[1].display" in _data_card(cards)["detail"]
