"""The words nelm shows, read once from ``knowledge/data/vocabulary.yaml``.

Option ids and names, intents (in plan order, with their titles and words), status and
result words and marks, derived facts and their values, evidence outcome names and survival
kinds. Every renderer reads them here instead of typing them again, so adding an option or
a derived fact is one data entry (see docs/knowledge-base.md, "Adding an option").

This module sits at the bottom of the package (it imports nothing of nelm but the error
type), so the case fields, the knowledge loader, the evidence package and every adapter can
use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from nelm.errors import KnowledgeBaseError
from nelm.yaml_data import load_yaml

__all__ = [
    "DerivedFact",
    "Intent",
    "Mark",
    "OptionWords",
    "Outcome",
    "Vocabulary",
    "design_title",
    "intent_title",
    "modality_title",
    "option_name",
    "option_short",
    "outcome_title",
    "population_title",
    "vocabulary",
]

_PATH: Final = ("knowledge", "data", "vocabulary.yaml")


@dataclass(frozen=True, slots=True)
class OptionWords:
    """An option's id, full name, short name (cards) and title (evidence headings)."""

    id: str
    name: str
    short: str
    title: str


@dataclass(frozen=True, slots=True)
class Intent:
    id: str
    title: str  # a heading: "Liver-directed control"
    words: str  # within a sentence: "liver control"


@dataclass(frozen=True, slots=True)
class Mark:
    """A status or a criterion result: its id, title and one-character mark."""

    id: str
    title: str
    mark: str


@dataclass(frozen=True, slots=True)
class DerivedFact:
    id: str
    label: str
    kind: str  # category | boolean | bands
    values: tuple[str, ...] | None  # the categories of a ``category`` fact, else None
    in_conditions: bool

    @property
    def path(self) -> str:
        return f"derived.{self.id}"


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    name: str
    unit: str
    short: str  # a table's column heading: "Median OS (mo)", "5-y OS %"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything of ``vocabulary.yaml``, in the file's order."""

    options: tuple[OptionWords, ...]
    evidence_modalities: Mapping[str, str]  # id -> title, arms that are not one option
    intents: tuple[Intent, ...]
    statuses: tuple[Mark, ...]
    results: tuple[Mark, ...]
    derived_facts: tuple[DerivedFact, ...]
    outcomes: tuple[Outcome, ...]
    survival_kinds: Mapping[str, str]  # id -> name
    populations: Mapping[str, str] = field(default_factory=dict)  # id -> name
    population_sites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    designs: Mapping[str, str] = field(default_factory=dict)  # id -> name

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    @property
    def option(self) -> Mapping[str, OptionWords]:
        return {o.id: o for o in self.options}

    @property
    def intent_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.intents)

    @property
    def intent(self) -> Mapping[str, Intent]:
        return {i.id: i for i in self.intents}

    @property
    def status(self) -> Mapping[str, Mark]:
        return {s.id: s for s in self.statuses}

    @property
    def status_order(self) -> Mapping[str, int]:
        return {s.id: i for i, s in enumerate(self.statuses)}

    @property
    def result(self) -> Mapping[str, Mark]:
        return {r.id: r for r in self.results}

    @property
    def derived(self) -> Mapping[str, DerivedFact]:
        return {d.id: d for d in self.derived_facts}

    @property
    def outcome(self) -> Mapping[str, Outcome]:
        return {o.id: o for o in self.outcomes}


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"vocabulary.yaml: {where} needs a non-empty {key!r}")
    return value


def _unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for one in ids:
        if one in seen:
            raise KnowledgeBaseError(f"vocabulary.yaml: {where} {one!r} is listed twice")
        seen.add(one)


def _fact_kind(raw: Mapping[str, Any]) -> str:
    kind = _text(raw, "kind", str(raw.get("id")))
    if kind not in ("category", "boolean", "bands"):
        raise KnowledgeBaseError(
            f"vocabulary.yaml: derived fact {raw.get('id')!r}: kind must "
            f"be category, boolean or bands, got {kind!r}"
        )
    if (kind == "category") != bool(raw.get("values")):
        raise KnowledgeBaseError(
            f"vocabulary.yaml: derived fact {raw.get('id')!r}: values "
            "are given for a category fact and only for one"
        )
    return kind


def _build(doc: Mapping[str, Any]) -> Vocabulary:
    options = tuple(
        OptionWords(
            _text(r, "id", "an option"),
            _text(r, "name", r["id"]),
            _text(r, "short", r["id"]),
            _text(r, "title", r["id"]),
        )
        for r in doc["options"]
    )
    intents = tuple(
        Intent(_text(r, "id", "an intent"), _text(r, "title", r["id"]), _text(r, "words", r["id"]))
        for r in doc["intents"]
    )
    statuses = tuple(
        Mark(_text(r, "id", "a status"), _text(r, "title", r["id"]), _text(r, "mark", r["id"]))
        for r in doc["statuses"]
    )
    results = tuple(
        Mark(_text(r, "id", "a result"), _text(r, "title", r["id"]), _text(r, "mark", r["id"]))
        for r in doc["results"]
    )
    derived = tuple(
        DerivedFact(
            _text(r, "id", "a derived fact"),
            _text(r, "label", r["id"]),
            _fact_kind(r),
            None if r.get("values") is None else tuple(str(v) for v in r["values"]),
            bool(r.get("in_conditions", False)),
        )
        for r in doc["derived_facts"]
    )
    outcomes = tuple(
        Outcome(
            _text(r, "id", "an outcome"),
            _text(r, "name", r["id"]),
            _text(r, "unit", r["id"]),
            _text(r, "short", r["id"]),
        )
        for r in doc["outcomes"]
    )
    modalities = {
        _text(r, "id", "a modality"): _text(r, "title", r["id"]) for r in doc["evidence_modalities"]
    }
    kinds = {
        _text(r, "id", "a survival kind"): _text(r, "name", r["id"]) for r in doc["survival_kinds"]
    }
    populations = {
        _text(r, "id", "a population"): _text(r, "name", r["id"])
        for r in doc.get("populations", ())
    }
    population_sites = {
        str(r["id"]): tuple(str(s) for s in r.get("sites") or ())
        for r in doc.get("populations", ())
    }
    designs = {
        _text(r, "id", "a design"): _text(r, "name", r["id"]) for r in doc.get("designs", ())
    }
    for where, ids in (
        ("option", [o.id for o in options]),
        ("intent", [i.id for i in intents]),
        ("status", [s.id for s in statuses]),
        ("result", [r.id for r in results]),
        ("derived fact", [d.id for d in derived]),
        ("outcome", [o.id for o in outcomes]),
        ("modality", [o.id for o in options] + list(modalities)),
    ):
        _unique(ids, where)
    return Vocabulary(
        options,
        modalities,
        intents,
        statuses,
        results,
        derived,
        outcomes,
        kinds,
        populations,
        population_sites,
        designs,
    )


@cache
def vocabulary() -> Vocabulary:
    """The packaged vocabulary (read once per process)."""
    path = resources.files("nelm").joinpath(*_PATH)
    doc = load_yaml(path.read_text("utf-8"))
    try:
        return _build(doc)
    except (KeyError, TypeError) as exc:
        raise KnowledgeBaseError(f"vocabulary.yaml: malformed ({exc})") from exc


def option_name(option: str) -> str:
    """The full name of an option id (the id itself for an unknown one)."""
    words = vocabulary().option.get(option)
    return words.name if words else option


def option_short(option: str) -> str:
    """A few words naming an option (CDS card summaries)."""
    words = vocabulary().option.get(option)
    return words.short if words else option.replace("_", " ")


def modality_title(modality: str) -> str:
    """The name of an option or evidence modality in headings (``tace`` → ``TACE``)."""
    vocab = vocabulary()
    words = vocab.option.get(modality)
    if words is not None:
        return words.title
    return vocab.evidence_modalities.get(modality, modality.replace("_", " "))


def outcome_title(outcome: str) -> str:
    """A readable name of an outcome id (``os_5y_percent`` → ``5-year overall survival``)."""
    found = vocabulary().outcome.get(outcome)
    return found.name if found else outcome.replace("_", " ")


def population_title(population: str) -> str:
    """A study population in words (``pnet`` → ``pancreatic NET``)."""
    return vocabulary().populations.get(population, population.replace("_", " "))


def design_title(design: str) -> str:
    """A study design in words (``rct`` → ``randomised trial``)."""
    return vocabulary().designs.get(design, design.replace("_", " "))


def intent_title(intent: str) -> str:
    found = vocabulary().intent.get(intent)
    return found.title if found else intent.replace("_", " ")
