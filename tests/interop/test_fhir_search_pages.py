"""A searchset Bundle that is one page of a larger answer, and a server's report on the
search.

FHIR R4 (http.html#paging, bundle.html): a server pages search results and links each
page to the next with ``Bundle.link`` relation ``next``; ``Bundle.total`` is "the total
number of entries of type 'match' across all pages in the search"; an OperationOutcome
entry with ``search.mode`` ``outcome`` carries "information about the search process".
A page sent as the patient's record leaves the rest of the record unread: the assessment
must say so first, and still read what the page holds.

The record is a real one (US Core 9.0.0 examples, fixtures/fhir-real/manifest.json gives
what it must yield) rewritten as a search page.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from nelm.service import assess_text

RECORDS = Path(__file__).parent / "fixtures" / "fhir-real"
MANIFEST: dict[str, dict[str, Any]] = json.loads((RECORDS / "manifest.json").read_text())
NAME = "uscore-9.0.0-examples.json"
AS_OF = dt.date.fromisoformat(MANIFEST[NAME]["as_of"])
INCOMPLETE = "INCOMPLETE RECORD: this Bundle is one page of a search result"


def _page(**changes: Any) -> dict[str, Any]:
    bundle: dict[str, Any] = json.loads((RECORDS / "external" / NAME).read_text("utf-8"))
    bundle["type"] = "searchset"
    for entry in bundle["entry"]:
        entry["search"] = {"mode": "match"}
    bundle.update(changes)
    return bundle


def _assess(bundle: dict[str, Any]) -> dict[str, Any]:
    return assess_text(json.dumps(bundle), assessment_date=AS_OF, with_evidence=False)


def _incomplete(doc: dict[str, Any]) -> list[str]:
    return [w for w in doc["warnings"] if w.startswith(INCOMPLETE)]


def test_a_page_that_links_to_the_next_is_an_incomplete_record() -> None:
    next_page = [{"relation": "next", "url": "https://ehr.example/fhir/Observation?page=2"}]
    doc = _assess(_page(link=[{"relation": "self", "url": "https://ehr.example/x"}, *next_page]))
    (warning,) = _incomplete(doc)
    assert "it links to a next page" in warning
    # The record's own warning comes first in every output; the page is still read.
    assert doc["warnings"][0] == warning
    assert warning in doc["input_source"]["record_warnings"]
    expected = MANIFEST[NAME]["expect"]
    assert doc["inputs"]["labs"]["creatinine_mg_dl"] == expected["labs.creatinine_mg_dl"]
    assert doc["inputs"]["patient"]["age_years"] == expected["patient.age_years"]


def test_a_total_above_the_matches_on_the_page_is_an_incomplete_record() -> None:
    bundle = _page()
    matches = len(bundle["entry"])
    (warning,) = _incomplete(_assess({**bundle, "total": matches + 40}))
    assert f"Bundle.total says {matches + 40} matches, the page holds {matches}" in warning
    # A resource the server included beside the matches (search.mode include) is not one.
    bundle["entry"][0]["search"] = {"mode": "include"}
    assert _incomplete(_assess({**bundle, "total": matches - 1})) == []
    assert _incomplete(_assess({**bundle, "total": matches})) != []


def test_the_whole_answer_and_other_bundles_are_not_flagged() -> None:
    bundle = _page()
    assert _incomplete(_assess({**bundle, "total": len(bundle["entry"])})) == []
    assert _incomplete(_assess(bundle)) == []  # no total, no next link
    # Only a search result is paged: a collection's links say nothing about its content.
    collection = {**bundle, "type": "collection", "link": [{"relation": "next", "url": "x"}]}
    assert _incomplete(_assess(collection)) == []


def test_the_servers_report_on_the_search_is_a_data_quality_issue() -> None:
    bundle = _page()
    bundle["entry"].append(
        {
            "resource": {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "warning",
                        "code": "too-costly",
                        "diagnostics": "Only the first 20 results for Jane Doe were returned",
                    },
                    {"severity": "information", "code": "informational"},
                ],
            },
            "search": {"mode": "outcome"},
        }
    )
    doc = _assess(bundle)
    index = len(bundle["entry"]) - 1
    reported = [i for i in doc["input_source"]["data_quality"] if "the server reported" in i]
    assert reported == [
        "the server reported a problem with the search (warning, code too-costly): results "
        f"may be missing from this Bundle (Bundle.entry[{index}].resource.issue[0])"
    ]
    # The server's free text is never echoed (it may name the patient).
    assert "Jane Doe" not in json.dumps(doc)
    # The outcome entry is not a match: without a total or a next link, no warning.
    assert _incomplete(doc) == []


def test_a_search_the_server_says_failed_is_an_incomplete_record() -> None:
    # FHIR R4 OperationOutcome.issue.severity: "error" (the issue is sufficiently
    # important to cause the action to fail) and "fatal"; in a searchset's outcome entry
    # they mean the search did not complete (the Chilean NID IG's timeout example): what
    # it would have found is missing, said first, as a page of a larger answer is.
    bundle = _page()
    bundle["entry"].append(
        {
            "resource": {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "timeout", "diagnostics": "Jane Doe"}],
            },
            "search": {"mode": "outcome"},
        }
    )
    doc = _assess(bundle)
    index = len(bundle["entry"]) - 1
    (warning,) = [w for w in doc["warnings"] if w.startswith("INCOMPLETE RECORD")]
    assert (
        "the server reported that the search failed (error, code timeout at "
        f"Bundle.entry[{index}])" in warning
    )
    assert "Jane Doe" not in json.dumps(doc)


def test_the_searchsets_of_a_batch_response_are_the_record() -> None:
    # FHIR R4 Bundle: the response to a batch of searches is a batch-response Bundle whose
    # entries hold one searchset Bundle per search. The same real record, asked for as
    # "the Patient, then a search of Observations", gives the same values.
    record = _page()
    patients = [e for e in record["entry"] if e["resource"]["resourceType"] == "Patient"]
    others = [e for e in record["entry"] if e["resource"]["resourceType"] != "Patient"]
    searchset = {"resourceType": "Bundle", "type": "searchset", "entry": others}
    batch = {
        "resourceType": "Bundle",
        "type": "batch-response",
        "entry": [*patients, {"resource": searchset, "response": {"status": "200 OK"}}],
    }
    doc = _assess(batch)
    expected = MANIFEST[NAME]["expect"]
    for path, value in expected.items():
        section, field = path.split(".")
        assert doc["inputs"][section][field] == value, path
    assert any(
        "a searchset Bundle inside the record; its entries are read" in note
        for note in doc["input_source"]["notes"]
    )


def test_a_search_of_a_batch_response_that_is_one_page_says_so() -> None:
    # MEDITECH's lab search in a batch links to its next page; Epic's ends with the server's
    # warning that results were suppressed: the same warning and data-quality line as for
    # a search sent on its own.
    record = _page()
    patients = [e for e in record["entry"] if e["resource"]["resourceType"] == "Patient"]
    others = [e for e in record["entry"] if e["resource"]["resourceType"] != "Patient"]
    suppressed = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "warning", "code": "suppressed"}],
    }
    searchset = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": [{"relation": "next", "url": "https://ehr.example/fhir/Observation?page=2"}],
        "entry": [*others, {"resource": suppressed, "search": {"mode": "outcome"}}],
    }
    batch = {
        "resourceType": "Bundle",
        "type": "batch-response",
        "entry": [*patients, {"resource": searchset, "response": {"status": "200 OK"}}],
    }
    doc = _assess(batch)
    (warning,) = [w for w in doc["warnings"] if w.startswith("INCOMPLETE RECORD")]
    assert warning.startswith(
        f"INCOMPLETE RECORD: the search at Bundle.entry[{len(patients)}].resource is one page"
    )
    assert any(
        "the server reported a problem with the search (warning, code suppressed)" in line
        for line in doc["input_source"]["data_quality"]
    )
