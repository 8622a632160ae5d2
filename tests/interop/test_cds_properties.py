"""Properties over many inputs: summary length, escaping, and no 500 on odd prefetch."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from json_mutations import WRONG_TYPES, places
from test_cds_helpers import (
    Harness,
    hook_body,
    make_harness,
    patient_id_of,
    prefetch_from_bundle,
    render,
)

from nelm.case.fields import OPTION_IDS
from nelm.interop.cds_hooks.cards import SUMMARY_LIMIT, summary
from nelm.interop.cds_hooks.markdown import escape
from nelm.interop.cds_hooks.prefetch import PREFETCH
from nelm.interop.fhir.synthetic import make_bundle

SITES = [
    "pancreas",
    "small_intestine",
    "duodenum",
    "stomach",
    "appendix",
    "colon",
    "rectum",
    "lung",
    "unknown_primary",
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Harness:
    return make_harness(tmp_path_factory.mktemp("cds"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=100_000),
    site=st.sampled_from(SITES),
    extrahepatic=st.sampled_from([(), ("bone",), ("lung", "peritoneum")]),
    lesions=st.integers(min_value=1, max_value=30),
    si_units=st.booleans(),
)
def test_summary_is_under_140_characters_on_generated_bundles(
    harness: Harness,
    seed: int,
    site: str,
    extrahepatic: tuple[str, ...],
    lesions: int,
    si_units: bool,
) -> None:
    bundle = make_bundle(
        seed,
        primary_site=site,
        extrahepatic_sites=extrahepatic,
        lesion_count=lesions,
        si_units=si_units,
    )
    response = harness.call(hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle)))
    assert response.status_code == 200, response.text
    cards = response.json()["cards"]
    assert cards
    for card in cards:
        assert 0 < len(card["summary"]) < SUMMARY_LIMIT
        assert card["indicator"] in ("info", "warning")


_STATUS = st.sampled_from(["eligible", "ineligible", "uncertain"])
_INTENT = st.sampled_from(
    ["curative", "downstaging", "liver_control", "systemic_control", "symptom_control"]
)


@settings(max_examples=300)
@given(
    statuses=st.lists(
        st.tuples(_STATUS, _INTENT), min_size=len(OPTION_IDS), max_size=len(OPTION_IDS)
    ),
    missing=st.integers(min_value=0, max_value=60),
)
def test_summary_fits_whatever_the_statuses(statuses: list[tuple[str, str]], missing: int) -> None:
    doc: dict[str, Any] = {
        "options": {
            oid: {"status": status, "intent": intent}
            for oid, (status, intent) in zip(OPTION_IDS, statuses, strict=True)
        },
        "missing_data": [{"field": f"f{i}", "decides": []} for i in range(missing)],
    }
    text = summary(doc)
    assert len(text) < SUMMARY_LIMIT
    eligible = sum(1 for s, _ in statuses if s == "eligible")
    if eligible:
        assert f"{eligible} option" in text


_TAG = re.compile(r"<(?!/?p>)[^>]*>")


@settings(max_examples=500)
@given(st.text(max_size=300))
def test_escaped_text_renders_as_itself(text: str) -> None:
    """Whatever the text, the escaped form renders as one paragraph of plain text: no tag
    other than <p>, no link, no emphasis, no code — in a renderer that passes raw HTML."""
    escaped = escape(text)
    assert "\n" not in escaped
    html = render("x " + escaped)
    assert not _TAG.search(html.strip()), (text, html)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.fixed_dictionaries(
        {},
        optional={
            spec.key: st.one_of(
                st.none(),
                st.text(max_size=40),
                st.integers(),
                st.booleans(),
                st.lists(st.integers(), max_size=3),
                st.fixed_dictionaries(
                    {
                        "resourceType": st.sampled_from(
                            [
                                "Bundle",
                                "OperationOutcome",
                                "Patient",
                                "Observation",
                                "Condition",
                                "Basic",
                            ]
                        )
                    },
                    optional={
                        "id": st.text(max_size=10),
                        "entry": st.one_of(
                            st.none(),
                            st.text(max_size=5),
                            st.lists(
                                st.one_of(
                                    st.none(),
                                    st.text(max_size=5),
                                    st.fixed_dictionaries(
                                        {
                                            "resource": st.one_of(
                                                st.none(),
                                                st.text(max_size=5),
                                                st.fixed_dictionaries(
                                                    {
                                                        "resourceType": st.sampled_from(
                                                            [
                                                                "Observation",
                                                                "Condition",
                                                                "Procedure",
                                                                "Patient",
                                                                "Medication",
                                                                "MedicationStatement",
                                                            ]
                                                        )
                                                    },
                                                    optional={
                                                        "id": st.text(max_size=8),
                                                        "status": st.text(max_size=8),
                                                        "subject": st.one_of(
                                                            st.none(), st.text(max_size=5)
                                                        ),
                                                        "code": st.one_of(
                                                            st.none(), st.text(max_size=5)
                                                        ),
                                                    },
                                                ),
                                            )
                                        }
                                    ),
                                ),
                                max_size=4,
                            ),
                        ),
                    },
                ),
            )
            for spec in PREFETCH
        },
    )
)
def test_odd_prefetch_never_causes_a_500(harness: Harness, values: dict[str, Any]) -> None:
    response = harness.call(hook_body(values, "p-1"))
    assert response.status_code in (200, 412, 422), response.text
    if response.status_code != 200:
        assert response.json()["resourceType"] == "OperationOutcome"


@given(
    keys=st.lists(st.sampled_from([spec.key for spec in PREFETCH]), unique=True),
    assessed=st.booleans(),
)
def test_data_card_summary_fits(keys: list[str], assessed: bool) -> None:
    from nelm.interop.cds_hooks.cards import _data_summary

    text = _data_summary(keys, assessed=assessed)
    assert len(text) < SUMMARY_LIMIT
    assert text.startswith("NELM: record not fully read")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(min_value=0, max_value=100_000), data=st.data())
def test_an_element_of_the_wrong_type_in_a_resource_never_causes_a_500(
    harness: Harness, seed: int, data: st.DataObject
) -> None:
    # One bad element never sinks the record (issue 12, point 4): the service answers with
    # its cards, the resource set aside named in the data-quality card.
    bundle = make_bundle(seed)
    prefetch = prefetch_from_bundle(bundle)
    spots = [
        place
        for key, value in prefetch.items()
        if key != "patient"
        for entry in value.get("entry", [])
        for place in places(entry["resource"])
    ]
    for container, key in data.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=8)):
        container[key] = data.draw(st.sampled_from(WRONG_TYPES))
    response = harness.call(hook_body(prefetch, patient_id_of(bundle)))
    assert response.status_code == 200, response.text
