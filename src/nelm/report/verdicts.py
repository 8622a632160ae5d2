"""Every option's verdict in one line, for the top of a report: what is open and what is
not, before the plan's reasons and the cards' criteria.

Shared by the terminal report (``nelm.report.text_cards``) and the printable report
(``nelm.report.html``), so that both count and word a verdict alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nelm.report.view import NOT_KNOWN
from nelm.vocabulary import vocabulary

__all__ = [
    "RESULT_WORDS",
    "WEIGHED_RESULT",
    "criteria_tally",
    "failing_criteria",
    "other_criteria",
    "result_word",
    "weighed",
]

RESULT_WORDS: dict[str, str] = {
    r.id: NOT_KNOWN if r.id == "unknown" else r.title for r in vocabulary().results
}
"""A criterion's result as a person reads it: "met", "not met", "not known" (the JSON's
result name "unknown" is the engine's word, docs/contract)."""


WEIGH = "for the board to weigh"
"""A relative criterion the case does not meet: its result is "unknown", but no missing
value would settle it (``relative_contraindication``), so it is not counted "not known"."""


def weighed(criterion: Mapping[str, Any]) -> bool:
    """A relative criterion the case does not meet: the board weighs it (``WEIGH``)."""
    return criterion["result"] == "unknown" and bool(criterion.get("relative_contraindication"))


def _kind(criterion: Mapping[str, Any]) -> str:
    return "weigh" if weighed(criterion) else str(criterion["result"])


_WORDS = {**RESULT_WORDS, "weigh": WEIGH}

WEIGHED_RESULT = f"not met: {WEIGH}"
"""A relative criterion's result on a card: the case's value does not meet it, and the board
weighs it; "not known" would say a missing value could settle it."""


def result_word(criterion: Mapping[str, Any]) -> str:
    """A criterion's result as a card prints it ("met", "not met", "not known", or, for a
    relative criterion the case does not meet, ``WEIGHED_RESULT``)."""
    return WEIGHED_RESULT if weighed(criterion) else RESULT_WORDS[str(criterion["result"])]


def criteria_tally(option: Mapping[str, Any]) -> str:
    """What an open option's verdict rests on, in counts ("criteria: 3 met, 5 not known,
    1 for the board to weigh")."""
    kinds = [_kind(c) for c in option["criteria"]]
    parts = [
        f"{kinds.count(k)} {_WORDS[k]}"
        for k in ("met", "unknown", "weigh", "not_met")
        if kinds.count(k)
    ]
    return "criteria: " + ", ".join(parts) if parts else "no criteria"


def failing_criteria(option: Mapping[str, Any]) -> list[str]:
    """The texts of the criteria that rule an option out (their values are on its card)."""
    return [str(c["text"]) for c in option["criteria"] if c["result"] == "not_met"]


def other_criteria(option: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The criteria of a ruled-out option besides those not met, by result ("met", then
    "not known"), as (result word, criterion texts): none of them changes the verdict,
    so a printed card names them in a line where the criteria not met stand in full."""
    groups = [
        (_WORDS[k], [str(c["text"]) for c in option["criteria"] if _kind(c) == k])
        for k in ("met", "unknown", "weigh")
    ]
    return [(word, texts) for word, texts in groups if texts]
