"""What a missing field could be, for checking that an option's ``missing`` list is what
decides it (tests/engine/test_missing_decides.py).

A field's domain is what the knowledge base can tell apart: every choice, both booleans,
and for a number a value on each side of, and at, every threshold a criterion compares it
with (the condition leaves) or a derivation reads it at (the WHO grade table, 000 §1: Ki-67
3 and 20 %, mitoses 2 and 20 per 2 mm²; one liver lesion is type I, 004 §1), and, where the
field has bounds, each interval between two neighbouring thresholds given as bounds.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from nelm.case import case_from_mapping
from nelm.case.fields import BOUNDS, FIELD_BY_PATH, Kind
from nelm.engine.assess import facts_of
from nelm.engine.consistency import contradictions
from nelm.engine.derive import derive
from nelm.engine.evaluate import OptionResult, evaluate_option
from nelm.errors import InputRejected
from nelm.knowledge import load_knowledge
from tests.strategies import rule_thresholds

Assignment = dict[str, Any]
"""Case paths (a field, or its ``_at_least`` / ``_at_most`` bounds) → the value given."""


@cache
def thresholds() -> dict[str, tuple[float, ...]]:
    """Every number a criterion or a derivation compares a case field with: the rules' own
    (``tests.strategies.rule_thresholds``) and "one lesion", which makes type I."""
    found = {path: set(xs) for path, xs in rule_thresholds().items()}
    found.setdefault("liver.lesion_count", set()).add(1.0)
    # A creatinine gives the eGFR a lower bound by CKD-EPI 2021 (Inker 2021): 0.5 mg/dL
    # gives at least 83 mL/min/1.73 m² at any adult age and either sex (a woman of 100:
    # 142 × (0.5/0.7)^-0.241 × 0.9938^100 × 1.012), above every eGFR limit of the rules.
    found.setdefault("labs.creatinine_mg_dl", set()).add(0.5)
    return {path: tuple(sorted(xs)) for path, xs in found.items()}


def _inside(path: str, x: float) -> bool:
    field = FIELD_BY_PATH[path]
    if field.minimum is not None and (
        x < field.minimum or (field.exclusive_minimum and x <= field.minimum)
    ):
        return False
    return field.maximum is None or x <= field.maximum


def _number(path: str, x: float) -> float | int:
    return int(x) if FIELD_BY_PATH[path].kind is Kind.INTEGER else round(x, 2)


@cache
def domain(path: str) -> tuple[Assignment, ...]:
    """The values tried for one case field, each as the paths it sets."""
    field = FIELD_BY_PATH[path]
    if field.kind is Kind.BOOLEAN:
        return ({path: True}, {path: False})
    if field.kind is Kind.CHOICE:
        return tuple({path: c} for c in field.choices)
    if field.kind is Kind.CHOICES:
        return ({path: []}, *({path: [c]} for c in field.choices))
    if field.kind not in (Kind.NUMBER, Kind.INTEGER):
        raise AssertionError(f"{path}: no domain for a {field.kind.value} field")
    step = 1.0 if field.kind is Kind.INTEGER else 0.1
    cuts = thresholds().get(path, ())
    if not cuts:
        lo = field.minimum if field.minimum is not None else 0.0
        cuts = (lo + 1.0,)
    exact = sorted({_number(path, t + d) for t in cuts for d in (-step, 0.0, step)})
    values: list[Assignment] = [{path: x} for x in exact if _inside(path, x)]
    if path in BOUNDS:
        at_least, at_most = BOUNDS[path]
        # Each open interval between neighbouring thresholds, as a report's range gives it.
        ends = [None, *cuts, None]
        for below, above in itertools.pairwise(ends):
            bounds: Assignment = {}
            if below is not None:
                bounds[at_least] = _number(path, below + step)
            if above is not None:
                bounds[at_most] = _number(path, above - step)
            if all(_inside(path, x) for x in bounds.values()) and (
                len(bounds) < 2 or bounds[at_least] <= bounds[at_most]
            ):
                values.append(bounds)
    return tuple(values)


def given(doc: Mapping[str, Any], assignment: Assignment) -> dict[str, Any]:
    """``doc`` with the assignment added; a bound narrows the case's own bound rather than
    replacing it (a value outside the case's bounds is for validation to refuse)."""
    out = copy.deepcopy(dict(doc))
    for path, value in assignment.items():
        section, name = path.split(".", 1)
        body = out.setdefault(section, {})
        old = body.get(name)
        if old is not None and FIELD_BY_PATH[path].bound_of is not None:
            value = max(old, value) if name.endswith("_at_least") else min(old, value)
        body[name] = value
    return out


@dataclass(frozen=True)
class Outcome:
    """An assessment of one (changed) case: its options, or why it was skipped."""

    options: Mapping[str, OptionResult] | None
    skipped: str = ""  # "refused" by validation, or "contradictory" (flagged)
    flags: frozenset[str] = frozenset()  # what the case checks flag, by the fields named


def outcome(
    doc: Mapping[str, Any],
    only: tuple[str, ...] | None = None,
    *,
    allowed: frozenset[str] | None = None,
) -> Outcome:
    """The options of ``doc`` (all, or ``only``), as the assessment evaluates them. With
    ``allowed`` (the flags of the case before a change), a case flagged anew is skipped as
    contradictory; without it nothing flagged is skipped."""
    kb = load_knowledge()
    try:
        case = case_from_mapping(dict(doc))
    except InputRejected:
        return Outcome(None, "refused")
    derived = derive(case, kb.derivations)
    counted = dict(kb.derivations.prior_lines_counted)
    flags = frozenset(
        [
            ",".join(c.fields)
            for c in contradictions(case.values, kb.derivations.grade, case.entered, counted)
        ]
        + [name for name in ("grade", "liver_type") if getattr(derived, name).conflict]
    )
    if allowed is not None and flags - allowed:
        return Outcome(None, "contradictory", flags)
    facts = facts_of(case, derived)
    ids = only if only is not None else tuple(kb.options)
    return Outcome(
        {oid: evaluate_option(kb.options[oid], facts, derived) for oid in ids}, flags=flags
    )


def open_criteria(option: OptionResult) -> dict[str, tuple[str, ...]]:
    """An option's criteria a missing field could settle, with the fields each waits on
    (a relative contraindication the case meets waits on the board, not on a field)."""
    return {
        c.criterion.id: c.missing
        for c in option.criteria
        if c.truth.value == "unknown" and not c.relative
    }


def waits_only_on_the_board(option: OptionResult) -> bool:
    """Decided, or undecided only by relative contraindications for the board to judge."""
    return option.status != "uncertain" or not open_criteria(option)


def _criterion(outcome_: Outcome, oid: str, cid: str) -> Any:
    assert outcome_.options is not None
    return next(c for c in outcome_.options[oid].criteria if c.criterion.id == cid)


def can_matter(
    doc: Mapping[str, Any], option: OptionResult, path: str, allowed: frozenset[str]
) -> str:
    """Whether some value of ``path`` changes something for an uncertain option: "alone"
    when a value by itself changes its status, decides one of its open criteria or closes
    another field one of them waits on; "jointly" when, with one other field of the same
    open criterion given a value, two values of ``path`` give that criterion different
    results (a field read beside another, as a site beside a syndrome); "flagged" when
    only a value the case checks flag as contradictory (beyond ``allowed``, the case's own
    flags) would do it, alone or so jointly; "" when none can."""
    oid = option.spec.id
    before = open_criteria(option)

    def changes(o: Outcome) -> bool:
        assert o.options is not None
        now = {c.criterion.id: c for c in o.options[oid].criteria}
        return o.options[oid].status != option.status or any(
            now[cid].truth.value != "unknown" or bool((set(waits) - {path}) - set(now[cid].missing))
            for cid, waits in before.items()
        )

    tried = [outcome(given(doc, a), (oid,), allowed=allowed) for a in domain(path)]
    if any(o.options is not None and changes(o) for o in tried):
        return "alone"
    if _jointly(doc, oid, path, before, allowed):
        return "jointly"
    flagged = [
        outcome(given(doc, a), (oid,))
        for a, o in zip(domain(path), tried, strict=True)
        if o.skipped == "contradictory"
    ]
    if any(o.options is not None and changes(o) for o in flagged):
        return "flagged"
    # Jointly, through a value the checks flag: a syndrome beside the site, when the case
    # says the syndrome is refractory and so calls "no syndrome" a contradiction.
    return "flagged" if _jointly(doc, oid, path, before, None) else ""


def _jointly(
    doc: Mapping[str, Any],
    oid: str,
    path: str,
    before: dict[str, tuple[str, ...]],
    allowed: frozenset[str] | None,
) -> bool:
    """With one other field of the same open criterion given a value, two values of
    ``path`` give that criterion different results."""
    for cid, waits in before.items():
        for other in waits if path in waits else ():
            for w in domain(other) if other != path else ():
                results = set()
                for a in domain(path):
                    o = outcome(given(doc, {**w, **a}), (oid,), allowed=allowed)
                    if o.options is not None:
                        results.add(_criterion(o, oid, cid).truth)
                if len(results) > 1:
                    return True
    return False
