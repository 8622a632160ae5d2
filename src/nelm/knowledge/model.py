"""The knowledge base as typed, immutable objects (loaded from ``knowledge/data``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from nelm.knowledge.conditions import All, AnyOf, Condition, FirstKnown, Leaf
from nelm.knowledge.staging import StagingTables
from nelm.vocabulary import vocabulary

Intent = str  # one of INTENTS
INTENTS: tuple[Intent, ...] = vocabulary().intent_ids
"""The intents in plan order (vocabulary.yaml)."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """A required condition of an option; its result decides the option's status."""

    id: str
    text: str
    condition: Condition
    sources: tuple[str, ...]
    quote: str | None = None
    convertible: bool = False
    relative: bool = False
    """A relative contraindication: the source says "usually" or "may be"
    contraindicated, so a case that fails it is left uncertain (a judgement for the
    board) rather than made ineligible."""
    later_line: bool = False
    """The criterion places the option later in the disease course (progressive disease, a
    prior line): a case that fails it is ineligible now, not contraindicated, and the
    printed summary lists such options apart from those ruled out."""
    has_first_known: bool = field(init=False, repr=False, compare=False)
    """Whether the condition takes the first known of several sources anywhere: only such a
    criterion can have a source overridden by another (computed once, as every assessment
    asks)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "has_first_known", _has_first_known(self.condition))


def _has_first_known(condition: Condition) -> bool:
    if isinstance(condition, FirstKnown):
        return True
    if isinstance(condition, Leaf):
        return False
    if isinstance(condition, All | AnyOf):
        return any(_has_first_known(part) for part in condition.parts)
    return _has_first_known(condition.part)


@dataclass(frozen=True, slots=True)
class Caution:
    """A relative contraindication, prognostic factor or warning; never changes status.

    Shown when ``condition`` is met, or always when it is ``None``. When the case leaves
    the condition unknown, ``if_unknown`` (when given) is shown instead: the same warning
    put as a condition the board can check ("if the patient has a carcinoid syndrome").
    Unknown is never read as met: the text says what is not known.
    """

    id: str
    text: str
    condition: Condition | None
    sources: tuple[str, ...]
    quote: str | None = None
    if_unknown: str | None = None


@dataclass(frozen=True, slots=True)
class OptionSpec:
    id: str
    name: str
    intent: Intent
    summary: str
    criteria: tuple[Criterion, ...]
    cautions: tuple[Caution, ...]


@dataclass(frozen=True, slots=True)
class PlanStepSpec:
    id: str
    intent: Intent
    options: tuple[str, ...]
    rationale: str
    sources: tuple[str, ...]
    when: Condition | None = None
    unless_eligible: tuple[str, ...] = ()
    convert: tuple[str, ...] = ()
    converts: tuple[str, ...] = ()
    """The convertible criteria (local ids) this step can change; empty: any of them."""
    needs: tuple[str, ...] = ()
    sequence: bool = False
    """The options are given one after the other (or added), not chosen between."""
    convert_when: Condition | None = None
    """Also applies a ``convert`` step when this is met (the surgeons' own judgement that
    the liver is resectable only after conversion)."""
    after_when: Condition | None = None
    after: tuple[str, ...] = ()
    """When ``after_when`` is met, the step moves behind the steps listed in ``after``
    (surgery judged unresectable: conversion and non-surgical steps lead)."""
    last: tuple[str, ...] = ()
    """Options listed after the step's others whatever their statuses: a fallback the board
    turns to when the others cannot be done (a staged hepatectomy, 001: for an FLR
    initially insufficient), not ahead of them because it is decided sooner."""
    title: str | None = None
    """How the step is headed where its intent's title would mislead (the primary's
    resection in a systemic-control step is surgery, not a drug)."""
    when_text: str | None = None
    """``when`` in words, given as the first "if" of every option of the step while the
    case leaves ``when`` unknown (a transplant "if the liver disease is not resectable"),
    so that no option reads as if only its own criteria were open."""


@dataclass(frozen=True, slots=True)
class PlanNote:
    """A note the plan gives on the first step holding one of ``before`` (a procedure),
    when ``when`` is met: what to do before that procedure, without reordering the steps."""

    id: str
    text: str
    sources: tuple[str, ...]
    when: Condition
    before: tuple[str, ...]
    precaution: bool = False
    """A precaution to take before or alongside the step (octreotide cover, glucose control),
    which the board page shows beside the step; other notes are read with the rationale."""
    unless_known: tuple[str, ...] = ()
    """Case fields whose absence the note is about (a screening not yet recorded): the note
    is given only while the case leaves every one of them unknown."""
    unless: Condition | None = None
    """A known fact that makes the note's text false for this patient (a syndrome that stayed
    refractory on the drug the note recommends for it): met, the note is withheld; unknown,
    the note is given as its ``when`` says."""


@dataclass(frozen=True, slots=True)
class GradeTable:
    ki67_g1_below: float
    ki67_g2_max: float
    mitoses_g1_below: float
    mitoses_g2_max: float
    sources: tuple[str, ...]
    nec_sources: tuple[str, ...]
    ki67_alone_sources: tuple[str, ...]
    ki67_alone_g1_max: float
    ki67_alone_g2_min: float
    reported_sources: tuple[str, ...] = ()
    carcinoid_sources: tuple[str, ...] = ()
    carcinoid_mitoses_g2_max: float = 10.0
    """The top of an atypical carcinoid's mitotic range (WHO 2021 thoracic: 2–10 per 2 mm²),
    read for a reported typical or atypical carcinoid in place of ``mitoses_g2_max``."""


@dataclass(frozen=True, slots=True)
class BurdenBand:
    label: str
    upper: float
    upper_inclusive: bool
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Derivations:
    grade: GradeTable
    liver_type_by_distribution: dict[str, str]
    liver_type_sources: tuple[str, ...]
    liver_type_i_caution: str  # "{lesions}" stands for the lesions in one lobe
    portal_sites: frozenset[str]
    non_portal_sites: frozenset[str]
    portal_sources: tuple[str, ...]
    burden_bands: tuple[BurdenBand, ...]
    staging: StagingTables
    prior_lines_counted: tuple[tuple[str, str], ...] = ()
    """Option ids that count as a prior systemic line when listed as given, with the name
    a report uses; the count is a lower bound of ``course.prior_systemic_lines``."""
    given_before_shown_by: tuple[tuple[str, str], ...] = ()
    """Option ids, each with a yes/no case field whose ``true`` shows the option was given
    (``course.progressed_on_ssa`` for ``ssa``) when the prior treatments do not list it."""
    given_before_same: tuple[tuple[str, frozenset[str]], ...] = ()
    """Options that are one treatment under several criteria sets (the three transplant
    sets), each group with the words for the treatment: one listed shows all were given."""


@dataclass(frozen=True, slots=True)
class Investigation:
    """An examination that supplies case fields: the unit of the missing-data to-do list."""

    id: str
    name: str
    fields: tuple[str, ...]
    sources: tuple[str, ...]
    precautions: tuple[Caution, ...] = ()
    """What to do before or during it when the case calls for it (a carcinoid syndrome's
    octreotide cover before a liver biopsy): shown with it on the to-do list."""


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the engine knows, with a version that names its exact content."""

    version: str
    content_hash: str
    options: dict[str, OptionSpec]
    plan: tuple[PlanStepSpec, ...]
    derivations: Derivations
    sources: dict[str, str] = field(default_factory=dict)
    investigations: tuple[Investigation, ...] = ()
    plan_notes: tuple[PlanNote, ...] = ()
