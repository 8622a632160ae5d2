"""Order the options that remain open into the steps a tumour board would discuss.

The step templates are data (``knowledge/data/plan.yaml``); this module applies them.
Ineligible options never enter the plan; uncertain ones do, marked conditional, with the
data that would decide them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nelm.engine.conditions import Fact, evaluate
from nelm.engine.evaluate import OptionResult
from nelm.engine.logic import Truth
from nelm.knowledge.model import Intent, PlanStepSpec

__all__ = ["PlanStep", "build_plan"]


@dataclass(frozen=True, slots=True)
class PlanStep:
    number: int
    spec: PlanStepSpec
    options: tuple[str, ...]
    statuses: dict[str, str]
    pending: dict[str, tuple[str, ...]]  # uncertain option -> fields that would decide it

    @property
    def intent(self) -> Intent:
        return self.spec.intent

    @property
    def conditional(self) -> bool:
        return bool(self.pending)


def _applies(spec: PlanStepSpec, facts: Mapping[str, Fact],
             results: Mapping[str, OptionResult]) -> bool:
    if spec.when is not None and evaluate(spec.when, facts) is Truth.NOT_MET:
        return False
    if any(results[o].status == "eligible" for o in spec.unless_eligible):
        return False
    if spec.convert and not any(results[o].blocked_only_by_convertible() for o in spec.convert):
        return False
    return not spec.needs or any(results[o].status != "ineligible" for o in spec.needs)


def build_plan(templates: tuple[PlanStepSpec, ...], facts: Mapping[str, Fact],
               results: Mapping[str, OptionResult]) -> tuple[PlanStep, ...]:
    used: set[str] = set()
    steps: list[PlanStep] = []
    for spec in templates:
        if not _applies(spec, facts, results):
            continue
        kept = [o for o in spec.options
                if o not in used and results[o].status != "ineligible"]
        if not kept:
            continue
        # Within a step, the options that are already eligible come first.
        kept.sort(key=lambda o: results[o].status != "eligible")
        used.update(kept)
        steps.append(PlanStep(
            number=len(steps) + 1,
            spec=spec,
            options=tuple(kept),
            statuses={o: results[o].status for o in kept},
            pending={o: results[o].missing for o in kept if results[o].status == "uncertain"},
        ))
    return tuple(steps)
