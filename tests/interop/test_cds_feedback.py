"""Card feedback: accepted and overridden outcomes are recorded without clinical content."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_cds_helpers import (
    FEEDBACK,
    NOW,
    Harness,
    auth,
    hook_body,
    make_harness,
    patient_id_of,
    prefetch_from_bundle,
)

from nelm.interop.cds_hooks.cards import OVERRIDE_SYSTEM
from nelm.interop.fhir.synthetic import make_bundle


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return make_harness(tmp_path)


def _card(harness: Harness) -> tuple[str, dict[str, Any]]:
    bundle = make_bundle(2)
    body = hook_body(prefetch_from_bundle(bundle), patient_id_of(bundle))
    response = harness.call(body)
    assert response.status_code == 200
    card: dict[str, Any] = response.json()["cards"][0]
    return body["hookInstance"], card


def _send(harness: Harness, items: list[dict[str, Any]]) -> Any:
    return harness.client.post(FEEDBACK, json={"feedback": items}, headers=auth())


def test_accepted_with_a_suggestion(harness: Harness) -> None:
    hook_instance, card = _card(harness)
    suggestion = card["suggestions"][0]["uuid"]
    response = _send(
        harness,
        [
            {
                "card": card["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": suggestion}],
                "outcomeTimestamp": "2025-01-15T12:01:02Z",
            }
        ],
    )
    assert response.status_code == 200, response.text
    assert response.json() == {}
    [record] = harness.sink.records
    assert record.service_id == "nelm-liver-metastases"
    assert record.hook_instance == hook_instance
    assert record.card == card["uuid"]
    assert record.outcome == "accepted"
    assert record.accepted_suggestions == (suggestion,)
    assert record.override_reason_code is None
    assert record.outcome_timestamp == datetime(2025, 1, 15, 12, 1, 2, tzinfo=UTC)
    assert record.received_at == NOW


def test_overridden_with_a_reason_keeps_the_code_not_the_comment(harness: Harness) -> None:
    hook_instance, card = _card(harness)
    comment = "Synthetic Patient 0002 declined surgery at home visit"
    response = _send(
        harness,
        [
            {
                "card": card["uuid"],
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {
                        "system": OVERRIDE_SYSTEM,
                        "code": "already-discussed",
                        "display": "Already discussed at a tumour board",
                    },
                    "userComment": comment,
                },
                "outcomeTimestamp": "2025-01-15T12:05:00+01:00",
            }
        ],
    )
    assert response.status_code == 200, response.text
    [record] = harness.sink.records
    assert record.outcome == "overridden"
    assert record.hook_instance == hook_instance
    assert record.override_reason_code == "already-discussed"
    assert record.override_reason_system == OVERRIDE_SYSTEM
    assert record.accepted_suggestions == ()
    assert comment not in repr(record)


def test_feedback_for_an_unknown_card_is_kept_without_hook_instance(harness: Harness) -> None:
    card = str(uuid.uuid4())
    response = _send(
        harness,
        [{"card": card, "outcome": "overridden", "outcomeTimestamp": "2025-01-15T12:05:00Z"}],
    )
    assert response.status_code == 200
    [record] = harness.sink.records
    assert record.hook_instance is None
    assert record.card == card


def test_several_items_at_once(harness: Harness) -> None:
    _, first = _card(harness)
    _, second = _card(harness)
    response = _send(
        harness,
        [
            {"card": first["uuid"], "outcome": "accepted", "outcomeTimestamp": "2025-01-15"},
            {
                "card": second["uuid"],
                "outcome": "overridden",
                "outcomeTimestamp": "2025-01-15T12:00:00.123Z",
            },
        ],
    )
    assert response.status_code == 200
    assert [r.outcome for r in harness.sink.records] == ["accepted", "overridden"]


@pytest.mark.parametrize(
    ("item", "expression"),
    [
        ({"card": "not-a-uuid", "outcome": "accepted"}, "feedback[0].card"),
        ({"outcome": "accepted"}, "feedback[0].card"),
        ({"card": "{card}", "outcome": "ignored"}, "feedback[0].outcome"),
        (
            {"card": "{card}", "outcome": "accepted", "outcomeTimestamp": "yesterday"},
            "feedback[0].outcomeTimestamp",
        ),
        ({"card": "{card}", "outcome": "accepted"}, "feedback[0].outcomeTimestamp"),
        (
            {
                "card": "{card}",
                "outcome": "accepted",
                "acceptedSuggestions": ["x"],
                "outcomeTimestamp": "2025-01-15T12:00:00Z",
            },
            "feedback[0].acceptedSuggestions[0].id",
        ),
        (
            {
                "card": "{card}",
                "outcome": "overridden",
                "outcomeTimestamp": "2025-01-15T12:00:00Z",
                "acceptedSuggestions": [{"id": "{card}"}],
            },
            "feedback[0].acceptedSuggestions",
        ),
        (
            {
                "card": "{card}",
                "outcome": "overridden",
                "outcomeTimestamp": "2025-01-15T12:00:00Z",
                "overrideReason": {"reason": {"code": "<script>"}},
            },
            "feedback[0].overrideReason.reason.code",
        ),
        (
            {
                "card": "{card}",
                "outcome": "accepted",
                "outcomeTimestamp": "2025-01-15T12:00:00Z",
                "overrideReason": {"reason": {"code": "already-discussed"}},
            },
            "feedback[0].overrideReason",
        ),
        ("text", "feedback[0]"),
    ],
)
def test_bad_feedback_is_a_400(harness: Harness, item: Any, expression: str) -> None:
    card = str(uuid.uuid4())
    if isinstance(item, dict):
        item = {
            k: (v.replace("{card}", card) if isinstance(v, str) else v) for k, v in item.items()
        }
        if "acceptedSuggestions" in item and isinstance(item["acceptedSuggestions"][0], dict):
            item["acceptedSuggestions"] = [{"id": card}]
    response = _send(harness, [item])
    assert response.status_code == 400, response.text
    [issue] = response.json()["issue"]
    assert issue["expression"] == [expression]
    assert harness.sink.records == []


@pytest.mark.parametrize(
    "body", [{}, {"feedback": "x"}, {"feedback": []}, [], {"feedback": [{}] * 101}]
)
def test_bad_feedback_bodies(harness: Harness, body: Any) -> None:
    response = harness.client.post(FEEDBACK, json=body, headers=auth())
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_failing_sink_is_a_500_not_a_trace(tmp_path: Path) -> None:
    harness = make_harness(tmp_path)

    def broken(records: Any) -> None:
        raise OSError("disk full")

    setattr(harness.sink, "record", broken)  # noqa: B010 - replace the method on purpose
    response = _send(
        harness,
        [
            {
                "card": str(uuid.uuid4()),
                "outcome": "accepted",
                "outcomeTimestamp": "2025-01-15T12:00:00Z",
            }
        ],
    )
    assert response.status_code == 500
    assert "disk" not in response.text
