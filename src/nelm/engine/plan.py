"""Order the options that remain open into the steps a tumour board would discuss.

The step templates are data (``knowledge/data/plan.yaml``); this module applies them.
Ineligible options never enter the plan; uncertain ones do, as conditional options ("if the
future liver remnant is ≥ 30 %: resection"), with the criteria and data that would decide
them. An uncertain option never outranks an eligible option of the same intent: within a
step eligible options come first, and a step with no eligible option moves behind the steps
of its intent that have one. A step that applies only while other options are not eligible
(``unless_eligible``: transplantation, for unresectable disease) counts as conditional while
any of those is uncertain in a step of its intent, so it never moves ahead of the step that
settles them. When the surgeons judge the liver unresectable (or resectable
only after conversion), the resection steps move behind conversion and non-surgical steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from nelm.engine.compiled import truth_of
from nelm.engine.conditions import Fact, fields_of
from nelm.engine.derive import DerivedFacts
from nelm.engine.evaluate import OptionResult, missing_fields
from nelm.engine.logic import Truth
from nelm.knowledge.model import Intent, PlanNote, PlanStepSpec

__all__ = ["PlanStep", "build_plan", "first_step", "plan_fields"]

_MET, _NOT_MET, _UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN
"""Module constants: an enum member read from its class is slow on the hot path."""


@dataclass(frozen=True, slots=True)
class PlanStep:
    number: int
    spec: PlanStepSpec
    options: tuple[str, ...]
    statuses: dict[str, str]
    pending: dict[str, tuple[str, ...]]  # uncertain option -> fields that would decide it
    conditions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per uncertain option, the criteria still open: the "if" of a conditional option."""
    moved_behind: tuple[str, ...] = ()
    """The steps this one was moved behind (``after_when``), empty when in template order."""
    notes: tuple[PlanNote, ...] = ()
    """What to do before this step's procedure (``PlanNote``): on the first step holding one."""

    @property
    def intent(self) -> Intent:
        return self.spec.intent

    @property
    def conditional(self) -> bool:
        return any(s == "uncertain" for s in self.statuses.values()) or bool(self.conditions)

    @property
    def options_are(self) -> str:
        return "sequence" if self.spec.sequence else "alternatives"


def _applies(
    spec: PlanStepSpec, facts: Mapping[str, Fact], results: Mapping[str, OptionResult]
) -> bool:
    if spec.when is not None and truth_of(spec.when)(facts) is _NOT_MET:
        return False
    if any(results[o].status == "eligible" for o in spec.unless_eligible):
        return False
    if spec.convert and not any(
        results[o].blocked_only_by_convertible(spec.converts) for o in spec.convert
    ):
        judged = spec.convert_when is not None and truth_of(spec.convert_when)(facts) is _MET
        if not judged:
            return False
    return not spec.needs or any(results[o].status != "ineligible" for o in spec.needs)


def _open_criteria(result: OptionResult) -> tuple[str, ...]:
    return tuple(c.criterion.text for c in result.criteria if c.truth is _UNKNOWN)


def build_plan(
    templates: tuple[PlanStepSpec, ...],
    facts: Mapping[str, Fact],
    results: Mapping[str, OptionResult],
    notes: tuple[PlanNote, ...] = (),
    derived: DerivedFacts | None = None,
) -> tuple[PlanStep, ...]:
    steps = []
    for i, (spec, options, moved_behind) in enumerate(_ordered(templates, facts, results), 1):
        uncertain = [o for o in options if results[o].status == "uncertain"]
        pending = {o: results[o].missing for o in uncertain}
        conditions = {o: _open_criteria(results[o]) for o in uncertain}
        step_open = _open_step_condition(spec, facts, derived)
        if step_open is not None:
            # The step's own condition is unknown: it is every option's first "if", an
            # eligible option's too, and its fields decide each of them.
            text, fields = step_open
            for o in options:
                conditions[o] = (text, *conditions.get(o, ()))
                pending[o] = (*fields, *(f for f in pending.get(o, ()) if f not in fields))
        steps.append(
            PlanStep(
                i,
                spec,
                options,
                statuses={o: results[o].status for o in options},
                pending=pending,
                conditions=conditions,
                moved_behind=moved_behind,
            )
        )
    placed = _placed_notes(steps, notes, facts)
    if not placed:
        return tuple(steps)
    return tuple(
        replace(s, notes=tuple(n for n, at in placed if at == i)) for i, s in enumerate(steps)
    )


def _open_step_condition(
    spec: PlanStepSpec, facts: Mapping[str, Fact], derived: DerivedFacts | None
) -> tuple[str, tuple[str, ...]] | None:
    """The step's ``when`` in words and the case fields that would settle it, while the
    case leaves it unknown (a step whose ``when`` is not met is not in the plan)."""
    if spec.when is None or spec.when_text is None:
        return None
    if truth_of(spec.when)(facts) is not _UNKNOWN:
        return None
    if derived is None:  # without the derivations, the case fields the condition names
        fields = [f for f in fields_of(spec.when) if not f.startswith("derived.")]
        return spec.when_text, tuple(dict.fromkeys(f for f in fields if f not in facts))
    return spec.when_text, tuple(missing_fields(spec.when, facts, derived))


def _placed_notes(
    steps: list[PlanStep], notes: tuple[PlanNote, ...], facts: Mapping[str, Fact]
) -> list[tuple[PlanNote, int]]:
    """Each note that applies (its condition met, never unknown, its ``unless`` not met and
    none of its ``unless_known`` fields given), with the index of the first step holding one
    of its procedures; a note whose procedures are not in the plan is not given."""
    placed = []
    for note in notes:
        if truth_of(note.when)(facts) is not Truth.MET:
            continue
        if any(f in facts for f in note.unless_known):
            continue
        if note.unless is not None and truth_of(note.unless)(facts) is Truth.MET:
            continue
        at = next((i for i, s in enumerate(steps) if set(s.options) & set(note.before)), None)
        if at is not None:
            placed.append((note, at))
    return placed


def first_step(
    templates: tuple[PlanStepSpec, ...],
    facts: Mapping[str, Fact],
    results: Mapping[str, OptionResult],
) -> tuple[str, tuple[str, ...]] | None:
    """The template id and options of the plan's first step (None: no step), found as
    ``build_plan`` finds it but without building the steps: what the to-do list compares
    between what-if plans."""
    steps = _ordered(templates, facts, results)
    return (steps[0][0].id, steps[0][1]) if steps else None


def plan_fields(templates: tuple[PlanStepSpec, ...]) -> tuple[str, ...]:
    """The facts the templates' own conditions read (``when``, ``convert_when``,
    ``after_when``): with the options' statuses and whether each is blocked only by
    convertible criteria, all that the order of the steps depends on."""
    conditions = (
        c for t in templates for c in (t.when, t.convert_when, t.after_when) if c is not None
    )
    return tuple(sorted({f for c in conditions for f in fields_of(c)}))


_Ordered = tuple[PlanStepSpec, tuple[str, ...], tuple[str, ...]]
"""A step in order before it is built: its template, its options and the steps it was
moved behind (``PlanStep.moved_behind``)."""


def _ordered(
    templates: tuple[PlanStepSpec, ...],
    facts: Mapping[str, Fact],
    results: Mapping[str, OptionResult],
) -> list[_Ordered]:
    """The steps in order, as templates and options only: the to-do list compares many
    what-if plans by their first step, which needs none of a step's display data."""
    used: set[str] = set()
    placed_in: dict[str, Intent] = {}  # each placed option -> the intent of its step
    steps: list[tuple[PlanStepSpec, tuple[str, ...], bool]] = []
    for spec in templates:
        if not _applies(spec, facts, results):
            continue
        kept = [o for o in spec.options if o not in used and results[o].status != "ineligible"]
        if not kept:
            continue
        if not spec.sequence:
            # Alternatives: the options that are already eligible come first, a fallback
            # (``last``) after the others whatever its status.
            kept.sort(key=lambda o: (o in spec.last, results[o].status != "eligible"))
        used.update(kept)
        placed_in.update(dict.fromkeys(kept, spec.intent))
        # A step that applies only while its `unless_eligible` options are not eligible
        # (transplant: for unresectable disease, 000 §2.2) waits on any of them still
        # uncertain in a step of its own intent: it stays conditional, and so behind the
        # step that decides them.
        has_eligible = any(results[o].status == "eligible" for o in kept) and not any(
            placed_in.get(o) == spec.intent and results[o].status == "uncertain"
            for o in spec.unless_eligible
        )
        steps.append((spec, tuple(kept), has_eligible))
    return _moved_behind(_eligible_first_within_intent(steps), facts)


def _eligible_first_within_intent(
    steps: list[tuple[PlanStepSpec, tuple[str, ...], bool]],
) -> list[tuple[PlanStepSpec, tuple[str, ...]]]:
    """Steps keep their template order, except that among the steps of one intent those
    holding an eligible option come before those holding only conditional ones."""
    order: dict[str, int] = {}
    for spec, _, _ in steps:
        order.setdefault(spec.intent, len(order))
    ranked = sorted(
        range(len(steps)), key=lambda i: (order[steps[i][0].intent], not steps[i][2], i)
    )
    # Intents that were contiguous stay where they were; sorting by first appearance keeps
    # the template's order of intents.
    return [steps[i][:2] for i in ranked]


def _moved_behind(
    steps: list[tuple[PlanStepSpec, tuple[str, ...]]], facts: Mapping[str, Fact]
) -> list[_Ordered]:
    out: list[_Ordered] = [(spec, options, ()) for spec, options in steps]
    for spec, options in steps:
        if spec.after_when is None or truth_of(spec.after_when)(facts) is not _MET:
            continue
        ids = [s[0].id for s in out]
        behind = [i for i, sid in enumerate(ids) if sid in spec.after]
        here = ids.index(spec.id)
        if not behind or max(behind) < here:
            continue  # nothing to move behind, or already behind it
        out.pop(here)
        target = max(i for i, s in enumerate(out) if s[0].id in spec.after)
        passed = tuple(s[0].id for s in out[: target + 1] if s[0].id in spec.after)
        # Steps moved behind the same step keep their template order: a step moved earlier
        # in this loop came first in the template (a resection, then the transplantation
        # that is only for a conversion that fails).
        at = target + 1
        while at < len(out) and out[at][2]:
            at += 1
        out.insert(at, (spec, options, passed))
    return out
