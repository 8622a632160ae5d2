"""The cautions this patient raises on several options, said once.

A caution raised by the case (``case_specific``: a carcinoid syndrome and the risk of
carcinoid crisis, or the conditional "If the patient has a carcinoid syndrome …" when the
case is silent) is the same sentence on every procedure it concerns: thirteen options
for the carcinoid-crisis caution. Printed on each card it fills pages and reads as
thirteen warnings; a board needs it once, with the options it concerns, and on each card
a line that points to it. The printed report and the web page both use this module, so
they group the same cautions and number them alike.

Built from the assessment document (assessment-v1), like ``nelm.report.view``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nelm.vocabulary import option_short, vocabulary

__all__ = ["MIN_OPTIONS", "CommonCaution", "caution_title", "common_cautions", "short_name"]

MIN_OPTIONS = 3
"""A caution is said once above the options when at least this many options' cards
would each repeat it (two cards read as fast as a reference)."""

_TITLE_WORDS = 12
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# a clause ends at a comma, a semicolon, a dash or a parenthesis; one of two words is a
# fragment ("the Milan, ENETS and UNOS criteria …"), one of many is no longer a title
_CLAUSE_END = re.compile(r"[,;(—]")
_MIN_CLAUSE_WORDS = 3
_MAX_CLAUSE_WORDS = 8


@dataclass(frozen=True, slots=True)
class CommonCaution:
    number: int
    """Its number among the common cautions (1, 2, …), as the cards cite it."""
    text: str
    sources: tuple[str, ...]
    options: tuple[str, ...]
    """The ids of the options whose cards it concerns, in the document's order."""
    names: tuple[str, ...]
    """Their short names ("liver resection", "TACE"), in the same order: thirteen full
    names fill a paragraph, and each card names the caution beside its own full name."""

    @property
    def title(self) -> str:
        return caution_title(self.text)


def caution_title(text: str) -> str:
    """What a card's reference line names of a caution: the patient's fact before its
    first colon, without its parentheses, and the risk after it when that is said in a few
    words ("If the patient has a carcinoid syndrome: risk of periprocedural carcinoid
    crisis", "Carcinoid heart disease"); a caution without such a head, its first words."""
    head, colon, rest = text.partition(":")
    head = " ".join(_PARENTHESES.sub("", head).split())
    if not colon or not head or len(head.split()) > _TITLE_WORDS:
        words = text.split()
        return " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
    clause = _CLAUSE_END.split(rest.strip(), maxsplit=1)[0].strip()
    if _MIN_CLAUSE_WORDS <= len(clause.split()) <= _MAX_CLAUSE_WORDS:
        return f"{head}: {clause}"
    return head


def common_cautions(
    doc: Mapping[str, Any],
    shown: Callable[[Mapping[str, Any]], bool] = lambda option: True,
) -> list[CommonCaution]:
    """The cautions raised by the case (``case_specific``) that the same text puts on at
    least :data:`MIN_OPTIONS` of the options a renderer shows as cards (``shown``: the web
    page shows cards for open options only), in the order they first appear; one no
    longer than the line a card would name it by stays on the cards.

    General notes of an option (whatever the patient) stay on its card: they describe the
    option, not this patient."""
    found: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    for oid, option in (doc.get("options") or {}).items():
        if not shown(option):
            continue
        for caution in option.get("caution_details") or ():
            if not caution.get("case_specific"):
                continue
            text = str(caution.get("text", ""))
            entry = found.setdefault(text, (tuple(caution.get("sources") or ()), []))
            if oid not in entry[1]:
                entry[1].append(oid)
    options = doc.get("options") or {}
    # a caution as short as a card's line naming it stays whole on each card
    common = [
        (t, s, o)
        for t, (s, o) in found.items()
        if len(o) >= MIN_OPTIONS and caution_title(t) != t.strip()
    ]
    return [
        CommonCaution(
            number,
            text,
            sources,
            tuple(ids),
            tuple(short_name(oid, options[oid]) for oid in ids),
        )
        for number, (text, sources, ids) in enumerate(common, start=1)
    ]


def short_name(oid: str, option: Mapping[str, Any]) -> str:
    """An option's short name ("TACE", "everolimus"); its full name when the vocabulary
    does not name it (option_short would answer the id with its underscores as spaces)."""
    if oid in vocabulary().option:
        return option_short(oid)
    return str(option.get("name") or oid)
