"""What a tumour board reads first: the case on one screen and the option matrix.

:func:`board_view` turns one assessment document (assessment-v1) into plain data that
every renderer shares (the web page, the printed board summary, the meeting view): the key
facts in clinical words, the plan, the warnings, the investigations that would decide the
most options, and every option by status — eligible and uncertain options with each
criterion's value, ineligible ones as one line with the failing criterion and its value.
Unknown stays visible as "not known". Citations become numbered references
(:class:`nelm.knowledge.sources.ReferenceList`), never keys or codes.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from nelm.knowledge.sources import ReferenceList

# the key facts and the citations have modules of their own; Fact, cite_html and
# cite_in_text stay importable from here
from nelm.report.board_facts import Fact, key_facts
from nelm.report.cautions import CommonCaution, common_cautions
from nelm.report.citations import cite_html, cite_in_text
from nelm.report.known_range import missing_label
from nelm.report.value_sources import from_record_line
from nelm.report.view import field_label as _field_label
from nelm.report.view import (
    in_words,
    not_known_words,
    plan_caveat,
    record_flags,
    record_warnings,
    todo_items,
)
from nelm.vocabulary import option_short, vocabulary

__all__ = [
    "BoardView",
    "CommonMissing",
    "Criterion",
    "Fact",
    "Investigation",
    "MissingOnCard",
    "OptionRow",
    "PlanStep",
    "board_view",
    "cite_html",
    "cite_in_text",
]

# the words come from the shared vocabulary (knowledge/data/vocabulary.yaml)
INTENT_TITLES: dict[str, str] = {i.id: i.title for i in vocabulary().intents}
STATUS_WORDS: dict[str, str] = {s.id: s.title for s in vocabulary().statuses}


@dataclass(frozen=True, slots=True)
class Criterion:
    text: str
    result: str
    value: str
    sources: tuple[str, ...]
    relative: bool = False
    """A relative contraindication this case has: its result is unknown, and no missing
    value would settle it; the board weighs it (``relative_contraindication``)."""
    later_line: bool = False
    """The criterion places the option later in the disease course (``later_line``)."""
    convertible: bool = False
    """Treatment can change the criterion's result: a conversion or the removal of the
    primary (``convertible``)."""

    @property
    def value_after_text(self) -> str:
        """The value as it reads after the criterion's text and a colon: without the
        text again ("Synchronous liver metastases: no", not "Synchronous liver
        metastases: Synchronous liver metastases: no")."""
        head = f"{self.text}: "
        return self.value[len(head) :] if self.value.startswith(head) else self.value


@dataclass(frozen=True, slots=True)
class OptionRow:
    id: str
    name: str
    status: str
    intent: str
    criteria: tuple[Criterion, ...]
    failing: tuple[Criterion, ...]
    missing: tuple[str, ...]
    cautions: tuple[tuple[str, tuple[str, ...]], ...]
    patient_cautions: tuple[str, ...] = ()
    """The texts of the cautions raised by this patient's data (``case_specific``)."""
    short: str = ""
    """A few words naming the option (the page's index of the options)."""

    @property
    def not_yet(self) -> bool:
        """Ineligible only on criteria that place it later in the disease course
        (progressive disease, a prior line): not yet, rather than ruled out."""
        return bool(self.failing) and all(c.later_line for c in self.failing)

    @property
    def not_now(self) -> bool:
        """Ineligible only on criteria that treatment can change (a future liver remnant
        that portal vein embolisation can grow, a primary still to be removed, a burden to
        reduce): ruled out now, not for good."""
        return bool(self.failing) and all(c.convertible for c in self.failing)

    def tally(self, result: str) -> int:
        """How many of its criteria have this result (met, unknown, not_met)."""
        return sum(1 for c in self.criteria if c.result == result)

    @property
    def judgements(self) -> tuple[str, ...]:
        """The relative contraindications an uncertain option waits on: the board's
        judgement, not a missing value, decides them (an option another criterion rules
        out waits on nothing)."""
        if self.status != "uncertain":
            return ()
        return tuple(c.text for c in self.criteria if c.relative)

    @property
    def case_cautions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The cautions this patient's data raise (shown with the option's headline)."""
        return tuple(c for c in self.cautions if c[0] in self.patient_cautions)

    @property
    def general_cautions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The notes shown for the option whatever the patient (shown with its criteria)."""
        return tuple(c for c in self.cautions if c[0] not in self.patient_cautions)


@dataclass(frozen=True, slots=True)
class PatientCaution:
    text: str
    sources: tuple[str, ...]
    options: list[str]
    """The options of the plan it concerns."""
    not_for: list[str]
    """The options of the plan (not ruled out) it does not concern."""
    chosen: list[str] = field(default_factory=list)
    """The options the board chose that it concerns (named apart on the page)."""


@dataclass(frozen=True, slots=True)
class PlanStep:
    number: int
    intent: str
    options: tuple[tuple[str, str, str], ...]  # (option id, name, status)
    pending: tuple[str, ...]
    rationale: str
    sources: tuple[str, ...]
    weigh: tuple[str, ...] = ()
    """The relative criteria the step's uncertain options fail: the board's to weigh, which
    no missing value would settle (each as its first words, "Hepatic tumour burden < 50 %")."""
    notes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The plan's precautions on this step, (text, sources): what to do before or alongside
    it (octreotide cover against carcinoid crisis, an insulinoma's glycaemic control), which
    the page shows with the step since it leaves the rationale out."""


def _basis(step: Mapping[str, Any]) -> str:
    """The step's rationale without its precautions: the assessment appends every note to
    the rationale, and the pages show a precaution with its step, so the basis would print
    it a second time (a reviewer found the octreotide cover three times on one summary)."""
    text = str(step.get("rationale", ""))
    for note in step.get("notes") or ():
        if note.get("precaution"):
            text = text.replace(" " + str(note["text"]), "")
    return text


_RELATIVE_TAIL = re.compile(r"\s*(?:\(relative\b|\. Relative\b).*$", re.DOTALL)


def _weigh(step_options: list[str], options: Mapping[str, Any]) -> tuple[str, ...]:
    """The relative criteria a step's options fail, each once; where only some of the
    step's options fail it, named with them ("G1 or G2, where its efficacy was shown
    (STZ/5-FU)"), so that it is not read as said of every option of the step."""
    failing: dict[str, list[str]] = {}
    for oid in step_options:
        for text in options[oid].get("judgements") or ():
            failing.setdefault(_judgement_words(str(text)), []).append(oid)
    return tuple(
        words
        if len(oids) == len(step_options)
        else f"{words} ({', '.join(option_short(o) for o in dict.fromkeys(oids))})"
        for words, oids in failing.items()
    )


def _judgement_words(text: str) -> str:
    """A relative criterion without its reasons: "Hepatic tumour burden < 50 % (relative:
    …)" as "Hepatic tumour burden < 50 %"."""
    return _RELATIVE_TAIL.sub("", text) or text


@dataclass(frozen=True, slots=True)
class Investigation:
    field: str
    decides: tuple[str, ...]
    decides_short: tuple[str, ...] = ()
    """The same options by their short names ("PRRT", "SSA"), as the full report's to-do
    list names them."""
    precautions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """What to do before or during it, as this case calls for it: (text, sources)."""


@dataclass(frozen=True, slots=True)
class CommonMissing:
    """The missing data that most options waiting on missing data wait on: named once
    above the options, so that each option's card names only what else it waits on."""

    groups: tuple[tuple[int, tuple[str, ...]], ...]
    """The common data by how many options wait on each, most first: (that number, the
    field labels), each group in the order the options name them."""
    waiting: int
    """How many options wait on missing data."""

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, labels in self.groups for label in labels)


@dataclass(frozen=True, slots=True)
class MissingOnCard:
    """What one option's card says it waits on, short of its whole list (which its fold
    keeps): the same data as a card above it, or the common data named above the options
    and what else it waits on."""

    common: tuple[str, ...] = ()
    """The common data it waits on (none: the card does not refer to them)."""
    not_common: tuple[str, ...] = ()
    """The common data it does not wait on, when it refers to them."""
    own: tuple[str, ...] = ()
    """The missing data it waits on beyond the common data it refers to, in its order."""
    same_as: tuple[str, str] | None = None
    """(id, name) of the card above it that waits on the very same missing data."""


SHORT_LIST = 3
"""A card waiting on this many missing data or fewer names them all: they read as fast as
"the common data above" or another card's name."""
MIN_REFERRING = 3
"""The common data are named above the cards when at least this many cards refer to them
(else each card names its own list)."""
CARD_ORDER = ("eligible", "uncertain")
"""The statuses whose options are cards, in the pages' order (_summary.html)."""


@dataclass
class BoardView:
    case_id: str
    label: str | None
    knowledge_version: str
    facts: list[Fact]
    plan: list[PlanStep]
    warnings: list[str]
    investigations: list[Investigation]
    options: list[OptionRow]
    references: ReferenceList = field(default_factory=ReferenceList)
    record_warnings: list[str] = field(default_factory=list)
    """What the record said about the whole assessment (``nelm.report.view.record_warnings``),
    shown above everything."""
    record_flags: list[str] = field(default_factory=list)
    """Their headlines ("DECEASED"), for a printed page's header."""
    plan_caveat: str | None = None
    """The line under the plan's heading when the record warned (``view.plan_caveat``)."""
    common_cautions: list[CommonCaution] = field(default_factory=list)
    """The cautions this patient raises on several option cards, said once above them
    (``nelm.report.cautions``)."""
    from_record: str = ""
    """Which key facts a FHIR record gave, by resource, for a case read from one
    (``nelm.report.value_sources``); shown under them."""

    def card_cautions(
        self, option: OptionRow
    ) -> tuple[list[CommonCaution], tuple[tuple[str, tuple[str, ...]], ...]]:
        """(the common cautions the option's card refers to by number, the cautions this
        patient raises that it shows in full)."""
        shared = [c for c in self.common_cautions if option.id in c.options]
        texts = {c.text for c in shared}
        return shared, tuple(c for c in option.case_cautions if c[0] not in texts)

    def by_status(self, status: str) -> list[OptionRow]:
        return [o for o in self.options if o.status == status]

    def patient_cautions(
        self, planned: Collection[str], chosen: Collection[str] = ()
    ) -> list[PatientCaution]:
        """The cautions this patient's data raise for the options of the plan that are not
        ruled out and for the options the board chose (whatever nelm says of them: an
        embolisation chosen against its "ineligible" still needs its octreotide cover),
        each once with the options it concerns, by their short names as the full report's
        cautions name them (a printed page has no room for every option's general notes)."""
        found: dict[str, PatientCaution] = {}
        open_options = [
            o
            for o in self.options
            if (o.id in planned and o.status != "ineligible") or o.id in chosen
        ]
        for o in open_options:
            for text, sources in o.cautions:
                if text in o.patient_cautions:
                    entry = found.setdefault(text, PatientCaution(text, sources, [], []))
                    entry.options.append(o.short or o.name)
                    if o.id in chosen:
                        entry.chosen.append(o.short or o.name)
        for entry in found.values():
            entry.not_for.extend(
                o.short or o.name for o in open_options if (o.short or o.name) not in entry.options
            )
        return list(found.values())

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.by_status(s)) for s in STATUS_WORDS}

    @property
    def common_missing(self) -> CommonMissing | None:
        """The missing data named once above the option cards (None: none are)."""
        return self._cards_missing[0]

    def missing_on_card(self, option: OptionRow) -> MissingOnCard | None:
        """What the option's card names of its missing data (None: its whole list)."""
        return self._cards_missing[1].get(option.id)

    def _majority_missing(self) -> CommonMissing | None:
        """The missing data that more than half of the options waiting on missing data wait
        on, computed from the options' own lists (None: no datum is)."""
        waiting = [o for o in self.options if o.missing]
        counts: dict[str, int] = {}
        for o in waiting:
            for label in dict.fromkeys(o.missing):
                counts[label] = counts.get(label, 0) + 1
        groups: dict[int, list[str]] = {}
        for label, n in counts.items():
            if 2 * n > len(waiting):
                groups.setdefault(n, []).append(label)
        if not groups:
            return None
        return CommonMissing(
            groups=tuple((n, tuple(groups[n])) for n in sorted(groups, reverse=True)),
            waiting=len(waiting),
        )

    @cached_property
    def _cards_missing(self) -> tuple[CommonMissing | None, dict[str, MissingOnCard]]:
        """The common data named above the cards, and each card's missing data short of
        its whole list where a reader has read it already. A card waiting on more than
        :data:`SHORT_LIST` data names the card above it (cards in the pages' order) that
        waits on the very same data, else, when it waits on more than half of the common
        data, "the common data above" (and those it does not wait on) and what else it
        waits on (naming the few it waits on costs no more than "… except …"). The common
        data are named when at least :data:`MIN_REFERRING` cards refer to them."""
        common = self._majority_missing()
        labels = common.labels if common else ()
        out: dict[str, MissingOnCard] = {}
        seen: dict[frozenset[str], OptionRow] = {}
        for option in (o for status in CARD_ORDER for o in self.by_status(status)):
            key = frozenset(option.missing)
            if len(key) <= SHORT_LIST:
                continue
            first = seen.setdefault(key, option)
            if first is not option:
                out[option.id] = MissingOnCard(same_as=(first.id, first.short or first.name))
                continue
            taken = tuple(label for label in labels if label in key)
            if taken and 2 * len(taken) > len(labels):
                out[option.id] = MissingOnCard(
                    common=taken,
                    not_common=tuple(label for label in labels if label not in key),
                    own=tuple(
                        label for label in dict.fromkeys(option.missing) if label not in labels
                    ),
                )
        if sum(1 for card in out.values() if card.common) < MIN_REFERRING:
            return None, {oid: card for oid, card in out.items() if card.same_as}
        return common, out


# ------------------------------------------------------------------ the view


def _criterion(raw: Mapping[str, Any]) -> Criterion:
    return Criterion(
        text=str(raw.get("text", "")),
        result=str(raw.get("result", "unknown")),
        value=not_known_words(str(raw.get("value", ""))),
        sources=tuple(raw.get("sources") or ()),
        relative=bool(raw.get("relative_contraindication")),
        later_line=bool(raw.get("later_line")),
        convertible=bool(raw.get("convertible")),
    )


def board_view(doc: Mapping[str, Any], *, field_label: Any = None) -> BoardView:
    """The board's view of one assessment document (field labels from
    :func:`nelm.report.view.field_label` unless ``field_label`` is given)."""
    label_of = field_label or _field_label

    def wanted(path: str) -> str:
        # what would decide, with what is known of it ("Age (known: 50–59 years)")
        return missing_label(doc, path, label_of)

    options: Mapping[str, Any] = doc["options"]
    names = {oid: str(o.get("name") or oid) for oid, o in options.items()}
    rows: list[OptionRow] = []
    for intent in INTENT_TITLES:
        for oid, o in options.items():
            if o.get("intent") != intent:
                continue
            criteria = tuple(_criterion(c) for c in o.get("criteria") or ())
            cautions = tuple(
                (str(c.get("text", "")), tuple(c.get("sources") or ()))
                for c in o.get("caution_details") or ()
            )
            rows.append(
                OptionRow(
                    id=oid,
                    name=names[oid],
                    status=str(o.get("status")),
                    intent=intent,
                    criteria=criteria,
                    failing=tuple(c for c in criteria if c.result == "not_met"),
                    missing=tuple(wanted(p) for p in o.get("missing") or ()),
                    cautions=cautions,
                    patient_cautions=tuple(
                        str(c.get("text", ""))
                        for c in o.get("caution_details") or ()
                        if c.get("case_specific")
                    ),
                    short=option_short(oid),
                )
            )
    plan = [
        PlanStep(
            number=int(step.get("step", i + 1)),
            intent=step.get("title") or INTENT_TITLES.get(step["intent"], step["intent"]),
            options=tuple(
                (
                    oid,
                    names.get(oid, oid)
                    + (", given before" if options[oid].get("given_before") else ""),
                    step.get("statuses", {}).get(oid, options[oid]["status"]),
                )
                for oid in step["options"]
            ),
            pending=tuple(
                dict.fromkeys(wanted(p) for ps in (step.get("pending") or {}).values() for p in ps)
            ),
            rationale=_basis(step),
            sources=tuple(step.get("sources") or ()),
            weigh=_weigh(step["options"], options),
            notes=tuple(
                (str(n["text"]), tuple(n.get("sources") or ()))
                for n in step.get("notes") or ()
                if n.get("precaution")
            ),
        )
        for i, step in enumerate(doc.get("plan") or ())
    ]
    # the investigations that would decide the most: the assessment's own to-do list
    # (ranked criterion by criterion) when it has one, else missing data by options decided
    todo = todo_items(doc)
    investigations = [
        Investigation(
            f"{item['name']} ({', '.join(item['field_labels'])})",
            tuple(names.get(o, o) for o in item.get("could_change") or ()),
            tuple(option_short(o) for o in item.get("could_change") or ()),
            tuple(
                (str(p["text"]), tuple(p.get("sources") or ()))
                for p in item.get("precautions") or ()
            ),
        )
        for item in todo
    ] or sorted(
        (
            Investigation(
                wanted(item["field"]),
                tuple(names.get(o, o) for o in item.get("decides") or ()),
                tuple(option_short(o) for o in item.get("decides") or ()),
            )
            for item in doc.get("missing_data") or ()
        ),
        key=lambda inv: -len(inv.decides),
    )
    # The record's warnings stand above everything and again first among the warnings: a
    # reader of the warnings alone (a printed page, a list) must not see "None".
    warnings = [
        in_words(w if isinstance(w, str) else str(w.get("message") or w.get("text") or w), label_of)
        for w in doc.get("warnings") or ()
    ]
    return BoardView(
        case_id=str(doc.get("case_id", "")),
        label=doc.get("label"),
        knowledge_version=str(doc.get("knowledge_version", "")),
        facts=key_facts(doc, names),
        plan=plan,
        warnings=warnings,
        investigations=investigations,
        options=rows,
        record_warnings=record_warnings(doc),
        record_flags=record_flags(doc),
        plan_caveat=plan_caveat(doc),
        # cards are shown for the open options only (CARD_ORDER)
        common_cautions=common_cautions(doc, lambda o: o.get("status") in CARD_ORDER),
        from_record=from_record_line(doc.get("inputs") or {}),
    )
