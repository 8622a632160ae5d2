"""Card feedback (CDS Hooks 2.0 ``POST {service}/feedback``): what the clinician did.

Each feedback item becomes a :class:`FeedbackRecord` handed to a :class:`FeedbackSink`.
A record holds no clinical content: the service id, the hookInstance of the call that
issued the card (remembered by :class:`IssuedCards`; None when the card is not known,
for example after a restart), the card and suggestion uuids, the outcome, the override
reason *code*, and the time. The clinician's free-text ``userComment`` is not kept (it
may hold patient details).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from nelm.interop.cds_hooks.errors import CdsError

__all__ = [
    "FeedbackRecord",
    "FeedbackSink",
    "InMemoryFeedbackSink",
    "IssuedCards",
    "parse_feedback",
]

_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
    r"[0-9a-fA-F]{12}$"
)
_CODE = re.compile(r"^[A-Za-z0-9\-._:]{1,64}$")
_SYSTEM = re.compile(r"^[A-Za-z0-9\-._:/#?=&%~+]{1,256}$")
_MAX_ITEMS = 100


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    service_id: str
    hook_instance: str | None
    card: str
    outcome: str  # "accepted" | "overridden"
    override_reason_system: str | None
    override_reason_code: str | None
    accepted_suggestions: tuple[str, ...]
    outcome_timestamp: datetime
    received_at: datetime


class FeedbackSink(Protocol):
    """Where feedback records go (the case store, later)."""

    def record(self, records: list[FeedbackRecord]) -> None: ...


class InMemoryFeedbackSink:
    """Keeps records in a list (thread-safe); for tests and a single process."""

    def __init__(self, max_records: int = 100_000) -> None:
        self._records: list[FeedbackRecord] = []
        self._lock = threading.Lock()
        self.max_records = max_records

    def record(self, records: list[FeedbackRecord]) -> None:
        with self._lock:
            self._records.extend(records)
            overflow = len(self._records) - self.max_records
            if overflow > 0:
                del self._records[:overflow]

    @property
    def records(self) -> list[FeedbackRecord]:
        with self._lock:
            return list(self._records)


class IssuedCards:
    """Card uuid → hookInstance of the call that issued it (bounded, oldest dropped)."""

    def __init__(self, capacity: int = 20_000) -> None:
        self._cards: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def add(self, card_uuid: str, hook_instance: str) -> None:
        with self._lock:
            self._cards[card_uuid] = hook_instance
            self._cards.move_to_end(card_uuid)
            while len(self._cards) > self.capacity:
                self._cards.popitem(last=False)

    def hook_instance(self, card_uuid: str) -> str | None:
        with self._lock:
            return self._cards.get(card_uuid)


def _timestamp(value: object, where: str) -> datetime:
    if isinstance(value, str) and 10 <= len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    raise CdsError.bad_request("an ISO 8601 date-time (outcomeTimestamp)", where)


def _reason(value: object, where: str) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        raise CdsError.bad_request("overrideReason must be an object with a reason Coding", where)
    coding = value.get("reason")
    if coding is None:
        return None, None
    if not isinstance(coding, Mapping):
        raise CdsError.bad_request("overrideReason.reason must be a Coding", f"{where}.reason")
    system, code = coding.get("system"), coding.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise CdsError.bad_request(
            "overrideReason.reason.code: a code (letters, digits, - . _ :), at most 64 characters",
            f"{where}.reason.code",
        )
    if system is not None and (not isinstance(system, str) or not _SYSTEM.match(system)):
        raise CdsError.bad_request("overrideReason.reason.system: a URI", f"{where}.reason.system")
    return system, code


def parse_feedback(
    body: object, *, service_id: str, cards: IssuedCards, received_at: datetime
) -> list[FeedbackRecord]:
    """Validate a feedback request body; raise CdsError (400) naming the first problem."""
    if not isinstance(body, Mapping) or not isinstance(body.get("feedback"), list):
        raise CdsError.bad_request('the body must be {"feedback": [...]}', "feedback")
    items: list[Any] = body["feedback"]
    if not items or len(items) > _MAX_ITEMS:
        raise CdsError.bad_request(f"feedback must hold 1 to {_MAX_ITEMS} items", "feedback")
    records: list[FeedbackRecord] = []
    for index, item in enumerate(items):
        where = f"feedback[{index}]"
        if not isinstance(item, Mapping):
            raise CdsError.bad_request("each feedback item must be an object", where)
        card = item.get("card")
        if not isinstance(card, str) or not _UUID.match(card):
            raise CdsError.bad_request("card: the uuid of a card", f"{where}.card")
        outcome = item.get("outcome")
        if outcome not in ("accepted", "overridden"):
            raise CdsError.bad_request('outcome: "accepted" or "overridden"', f"{where}.outcome")
        accepted: list[str] = []
        raw_accepted = item.get("acceptedSuggestions")
        if raw_accepted is not None:
            if not isinstance(raw_accepted, list) or len(raw_accepted) > 20:
                raise CdsError.bad_request(
                    'acceptedSuggestions: a list of {"id": uuid}', f"{where}.acceptedSuggestions"
                )
            for number, suggestion in enumerate(raw_accepted):
                sid = suggestion.get("id") if isinstance(suggestion, Mapping) else None
                if not isinstance(sid, str) or not _UUID.match(sid):
                    raise CdsError.bad_request(
                        'acceptedSuggestions: each item {"id": <suggestion uuid>}',
                        f"{where}.acceptedSuggestions[{number}].id",
                    )
                accepted.append(sid.lower())
        if outcome == "overridden" and accepted:
            raise CdsError.bad_request(
                "an overridden card has no accepted suggestions", f"{where}.acceptedSuggestions"
            )
        system, code = _reason(item.get("overrideReason"), f"{where}.overrideReason")
        if outcome == "accepted" and code is not None:
            raise CdsError.bad_request(
                "overrideReason is only for an overridden card", f"{where}.overrideReason"
            )
        moment = _timestamp(item.get("outcomeTimestamp"), f"{where}.outcomeTimestamp")
        card = card.lower()
        records.append(
            FeedbackRecord(
                service_id=service_id,
                hook_instance=cards.hook_instance(card),
                card=card,
                outcome=str(outcome),
                override_reason_system=system,
                override_reason_code=code,
                accepted_suggestions=tuple(accepted),
                outcome_timestamp=moment,
                received_at=received_at,
            )
        )
    return records
