"""What every vignette file asks of an assessment, in one place.

Each file keeps its own vignettes and the seed passages behind them; the comparisons of an
assessment with what a vignette expects are the same everywhere and live here, so that a
vignette file reads as its expectations. Every check names the option (and the passage,
where one is given) when it fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nelm.case import case_from_mapping
from nelm.service import assess_case

Document = dict[str, Any]


def assessed(case: Mapping[str, Any]) -> Document:
    """The assessment document of a vignette's case, read as the adapters read one."""
    document = case_from_mapping({"schema_version": 1, **case})
    return assess_case(document, with_evidence=False).to_document()


def results_by_criterion(doc: Document) -> dict[str, str]:
    """Each criterion's result by its id (``option.criterion``), over every option."""
    return {c["id"]: c["result"] for o in doc["options"].values() for c in o["criteria"]}


def case_specific_cautions(option: Mapping[str, Any]) -> list[str]:
    """The texts of the cautions an option card shows for this patient."""
    return [d["text"] for d in option["caution_details"] if d["case_specific"]]


def check_statuses(doc: Document, expected: Mapping[str, tuple[str, str]]) -> None:
    """Each option's status is the one its passage gives (option -> (status, passage))."""
    for option, (status, passage) in expected.items():
        assert doc["options"][option]["status"] == status, (option, passage)


def check_waits_on(doc: Document, waits_on: Mapping[str, Iterable[str]], why: str = "") -> None:
    """An uncertain option lists (at least) the fields that would decide it."""
    for option, fields in waits_on.items():
        card = doc["options"][option]
        assert card["status"] == "uncertain", (option, why)
        missing = set(card["missing"])
        assert set(fields) <= missing, (option, sorted(set(fields) - missing), why)


def check_criteria(doc: Document, expected: Mapping[str, str], why: str = "") -> None:
    """Each named criterion has the result expected ("absent": the option has no such one)."""
    results = results_by_criterion(doc)
    got = {criterion: results.get(criterion, "absent") for criterion in expected}
    assert got == dict(expected), why


def check_cautions(
    doc: Document,
    shown: Mapping[str, str],
    absent: Mapping[str, str] | None = None,
    why: str = "",
) -> None:
    """A caution recognised by its words is shown for this patient (``shown``) or not
    (``absent``): option -> words."""
    for option, words in shown.items():
        texts = case_specific_cautions(doc["options"][option])
        assert any(words in text for text in texts), (option, words, why)
    for option, words in (absent or {}).items():
        texts = case_specific_cautions(doc["options"][option])
        assert not any(words in text for text in texts), (option, words, why)


def check_derived(doc: Document, expected: Mapping[str, Any], why: str = "") -> None:
    """The derived facts (``classification``) the seed tables give."""
    for key, value in expected.items():
        assert doc["classification"][key] == value, (key, why)


def check_never_planned_when_ineligible(
    doc: Document, statuses: Mapping[str, tuple[str, str]]
) -> None:
    """An option expected ineligible never enters the plan (assessment-v1)."""
    planned = {o for step in doc["plan"] for o in step["options"]}
    for option, (status, _passage) in statuses.items():
        if status == "ineligible":
            assert option not in planned, option
