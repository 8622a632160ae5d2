"""Missing data as a to-do list: which investigation would decide most.

The fields an assessment still misses are grouped under the investigations that supply them
(``knowledge/data/investigations.yaml``). Each investigation is ranked by what its result
could change, found by evaluating the case again with its fields set to values, never by
guessing: an option "could change" when some value of those fields gives it another status,
and the first plan step "could change" when one of those results reorders the plan's head.

Only uncertain options are tried, and only through their own missing fields (three-valued
evaluation is monotone: a known value only settles what was unknown; ``first_known``, which
reads the surgeons' judgement before an anatomical proxy, is the exception, and an eligible
option that a judgement could still overturn is not listed); the values tried
are those on each side of every threshold the knowledge base compares the field with, and
every choice of a categorical field. Pure: no I/O, deterministic for a case and a knowledge
base.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from nelm.case.document import Case, Value
from nelm.case.fields import BOUND_PARTS, BOUNDS, FIELD_BY_PATH, Kind
from nelm.engine.compiled import truth_of
from nelm.engine.conditions import Fact, Interval, leaves_of
from nelm.engine.derive import (
    DerivedFacts,
    derive,
    derive_grade,
    derive_liver_type,
    derive_portal_drainage,
    implied_facts,
    ki67_from_reported_grade,
    lines_from_treatments,
)
from nelm.engine.evaluate import (
    OptionResult,
    brief_result,
    convertible_unmet,
    criterion_truth,
    status_of,
)
from nelm.engine.intervals import interval_of
from nelm.engine.kidney import creatinine_meeting, egfr_from_creatinine
from nelm.engine.logic import Truth
from nelm.engine.plan import PlanStep, first_step, plan_fields
from nelm.engine.sstr import set_aside
from nelm.knowledge.model import Criterion, GradeTable, Investigation, KnowledgeBase

__all__ = ["Precaution", "ToDo", "precautions_of", "rank_investigations"]

_MET, _NOT_MET, _UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN
"""Module constants: an enum member read from its class is slow on the hot path."""

_MAX_ASSIGNMENTS = 512
"""Assignments tried per option and investigation; beyond it the first ones in a fixed order
are tried (an option reading more than four missing fields of one investigation is rare)."""

_EGFR, _CREATININE = "labs.egfr_ml_min", "labs.creatinine_mg_dl"

_DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "derived.grade": (
        "pathology.ki67_percent",
        "pathology.mitoses_per_2mm2",
        "pathology.differentiation",
    ),
    "derived.liver_type": ("liver.distribution", "liver.lesion_count"),
    "derived.portal_drainage": ("primary.site",),
}


@dataclass(frozen=True, slots=True)
class Precaution:
    """What to do before or during an investigation, as this case calls for it."""

    id: str
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ToDo:
    """One investigation on the to-do list and what its result could decide."""

    investigation: Investigation
    fields: tuple[str, ...]
    """The missing fields it would supply that some uncertain option waits on."""
    could_change: tuple[str, ...]
    """Uncertain options that some result of it makes eligible or ineligible."""
    could_become: dict[str, tuple[str, ...]]
    """Per option in ``could_change``, the statuses it can reach."""
    first_step_could_change: bool
    precautions: tuple[Precaution, ...] = ()
    """The investigation's precautions the case's facts meet (or, with ``if_unknown``,
    leave open, said as a condition)."""


def precautions_of(inv: Investigation, facts: Mapping[str, Fact]) -> tuple[Precaution, ...]:
    """The investigation's precautions this case calls for: as an option's cautions, each
    shown when its condition is met, its ``if_unknown`` text when the case leaves it open."""
    out = []
    for caution in inv.precautions:
        truth = Truth.MET if caution.condition is None else truth_of(caution.condition)(facts)
        if truth is Truth.MET:
            out.append(Precaution(caution.id, caution.text, caution.sources))
        elif truth is Truth.UNKNOWN and caution.if_unknown is not None:
            out.append(Precaution(caution.id, caution.if_unknown, caution.sources))
    return tuple(out)


FactsOf = Callable[[Case, DerivedFacts], Mapping[str, Fact]]
"""How the assessment builds its facts from a case (``nelm.engine.assess.facts_of``)."""


def rank_investigations(
    case: Case,
    kb: KnowledgeBase,
    results: Mapping[str, OptionResult],
    plan: tuple[PlanStep, ...],
    facts_of: FactsOf,
    derived: DerivedFacts | None = None,
) -> tuple[ToDo, ...]:
    """The investigations that supply a missing field, most decisive first (``derived``:
    the case's own derived facts when the caller has them, else derived here)."""
    waiting: dict[str, list[str]] = {}
    for oid, result in results.items():
        for f in result.missing:
            waiting.setdefault(f, []).append(oid)
    todos: list[ToDo] = []
    probe = _Probe(case, kb, facts_of, derived)
    for inv in kb.investigations:
        fields = tuple(f for f in inv.fields if f in waiting)
        if fields:
            todo = _todo(inv, fields, probe, results, plan)
            if inv.precautions:
                own_facts = probe.facts({})[0]
                todo = replace(todo, precautions=precautions_of(inv, own_facts))
            todos.append(todo)
    order = {inv.id: i for i, inv in enumerate(kb.investigations)}
    todos.sort(
        key=lambda t: (
            not t.first_step_could_change,
            -len(t.could_change),
            -len(t.fields),
            order[t.investigation.id],
        )
    )
    return tuple(todos)


class _Probe:
    """Evaluates the case again with some fields set (memoised per assignment)."""

    def __init__(
        self, case: Case, kb: KnowledgeBase, facts_of: FactsOf, base: DerivedFacts | None
    ) -> None:
        self.case, self.kb, self.facts_of = case, kb, facts_of
        self._base = base
        self._derivations: tuple[_Derivation, ...] | None = None
        self._read_by_any: frozenset[str] = frozenset()
        self._reads_everything = False
        self.plan_fields = _plan_fields(kb)
        self.first_steps: dict[tuple[object, ...], tuple[str, tuple[str, ...]] | None] = {}
        """What-if first steps by what decides them (``_first_step_with``)."""
        self._own: dict[str, Fact] | None = None
        """The case's own facts, and of them the derived ones (``_overlay``)."""
        self._own_derived: dict[str, Fact] = {}
        self._facts: dict[
            tuple[tuple[str, Value], ...], tuple[Mapping[str, Fact], DerivedFacts]
        ] = {}
        self._judged: dict[tuple[str, tuple[tuple[str, Value], ...]], list[tuple[Truth, bool]]] = {}

    def facts(self, assignment: Mapping[str, Value]) -> tuple[Mapping[str, Fact], DerivedFacts]:
        key = _key(assignment)
        found = self._facts.get(key)
        if found is None:
            derived = self._derive(assignment)
            found = self._facts[key] = (self._overlay(assignment, derived), derived)
        return found

    def _overlay(self, assignment: Mapping[str, Value], derived: DerivedFacts) -> dict[str, Fact]:
        """What ``facts_of`` gives for the case with ``assignment`` set (its values, then
        the intervals its bounds give, then the derived facts), worked out from the case's
        own facts: only the paths the assignment or a changed derivation can touch are
        looked at again (``tests/engine/test_probe_facts.py`` compares with ``facts_of``)."""
        if self._own is None:
            base = self._derive({})
            self._own = dict(self.facts_of(self.case, base))
            self._own_derived = base.as_facts()
        facts = dict(self._own)
        values = self.case.values
        touched = set(assignment)
        if derived is self._base:
            layer = self._own_derived
        else:
            layer = derived.as_facts()
            touched.update(self._own_derived, layer)
            # fields set aside on the case may be read again, and others set aside
            own = self._base.set_aside if self._base is not None else ()
            touched.update(p for p, _, _ in (*own, *derived.set_aside))
        for path in assignment:
            bounded = _BOUNDED_BY.get(path)
            if bounded is not None:
                touched.add(bounded)
        for path in touched:
            if path in layer:
                facts[path] = layer[path]
                continue
            interval = _interval_with(path, values, assignment) if path in BOUNDS else None
            if interval is not None:
                facts[path] = interval
            elif path in assignment:
                facts[path] = assignment[path]
            elif path in values:
                facts[path] = values[path]
            else:
                facts.pop(path, None)
        for path, _, _ in derived.set_aside:  # as ``facts_of`` reads them: unknown
            facts.pop(path, None)
        return facts

    def _derive(self, assignment: Mapping[str, Value]) -> DerivedFacts:
        """The derived facts criteria read (grade, liver type, portal drainage); the stages
        and the burden band only describe the case, so they are taken from the case as is.

        A derivation is computed again only when the assignment sets a field it read on
        the case: a pure function that reads the same values returns the same result."""
        if self._base is None:
            self._base = derive(self.case, self.kb.derivations)
        if self._derivations is None:
            d = self.kb.derivations
            # The bounds a case implies (a Ki-67 range, a least number of prior lines) read
            # what an assignment may set: taken from the case as is, they would hide the
            # value assigned, so they are derivations like the others.
            self._derivations = tuple(
                _Derivation.of(compute, self.case.values)
                for compute in (
                    partial(derive_grade, t=d.grade),
                    partial(derive_liver_type, d=d),
                    partial(derive_portal_drainage, d=d),
                    partial(_ki67_bound, t=d.grade),
                    partial(lines_from_treatments, counted=dict(d.prior_lines_counted)),
                    egfr_from_creatinine,
                    partial(implied_facts, counted=dict(d.prior_lines_counted)),
                    set_aside,
                )
            )
            self._read_by_any = frozenset().union(*(x.read for x in self._derivations))
            self._reads_everything = any(x.everything for x in self._derivations)
        # one set operation for the common case: the assignment sets nothing any
        # derivation read on the case
        if not self._reads_everything and self._read_by_any.isdisjoint(assignment):
            return self._base
        changed = {**self.case.values, **assignment}
        grade, liver_type, portal_drainage, ki67, lines, egfr, implied, aside = (
            x.compute(changed) if x.changed_by(assignment) else x.result for x in self._derivations
        )
        base = self._base
        # the constructor, not dataclasses.replace, which inspects the fields on every call
        return DerivedFacts(
            grade,
            liver_type,
            portal_drainage,
            base.burden_band,
            base.burden_band_sources,
            base.stages,
            ki67_from_grade=ki67,
            lines_from_treatments=lines,
            egfr_from_creatinine=egfr,
            # read only by the criteria's shown override, which what-if evaluation omits
            egfr_set_aside=base.egfr_set_aside,
            implied=implied,
            given_by_fields=base.given_by_fields,
            given_as=base.given_as,
            set_aside=aside,
        )

    def judged(self, oid: str, assignment: Mapping[str, Value]) -> list[tuple[Truth, bool]]:
        """Every criterion's result of one option and whether a relative contraindication
        made it unknown (``criterion_truth``), memoised: the eligible witness's status and
        its what-if plan read the same."""
        key = (oid, _key(assignment))
        found = self._judged.get(key)
        if found is None:
            facts, _ = self.facts(assignment)
            found = self._judged[key] = [
                criterion_truth(c, truth_of(c.condition)(facts))
                for c in self.kb.options[oid].criteria
            ]
        return found

    def status(self, oid: str, assignment: Mapping[str, Value]) -> str:
        return status_of([t for t, _ in self.judged(oid, assignment)])


def _key(assignment: Mapping[str, Value]) -> tuple[tuple[str, Value], ...]:
    items = tuple(assignment.items())
    return items if len(items) == 1 else tuple(sorted(items))


_PLAN_FIELDS: dict[str, tuple[str, ...]] = {}


def _plan_fields(kb: KnowledgeBase) -> tuple[str, ...]:
    """``plan.plan_fields`` of the knowledge base's templates, once per its content."""
    found = _PLAN_FIELDS.get(kb.content_hash)
    if found is None:
        found = _PLAN_FIELDS[kb.content_hash] = plan_fields(kb.plan)
    return found


_BOUNDED_BY = {bound: path for path, bounds in BOUND_PARTS.items() for bound in (path, *bounds)}
"""A bounded number and each of its bounds → the number, whose interval they give."""


def _interval_with(
    path: str, values: Mapping[str, Value], assignment: Mapping[str, Value]
) -> Interval | None:
    """The interval of a bounded number on the case's values with ``assignment`` set, as
    ``interval_facts`` gives it (None: exact, unknown or no bound given)."""
    parts = BOUND_PARTS[path]
    merged = {
        p: assignment[p] if p in assignment else values[p]
        for p in (path, *parts)
        if p in assignment or p in values
    }
    if not any(p in merged for p in parts):
        return None
    return interval_of(merged, path)


class _ReadPaths(Mapping[str, Value]):
    """A case's values that note every path looked up (``everything``: iterated)."""

    def __init__(self, values: Mapping[str, Value]) -> None:
        self._values = values
        self.read: set[str] = set()
        self.everything = False

    def __getitem__(self, path: str) -> Value:
        self.read.add(path)
        return self._values[path]

    def __contains__(self, path: object) -> bool:
        if isinstance(path, str):
            self.read.add(path)
        return path in self._values

    def get(self, path: str, default: Any = None) -> Any:
        self.read.add(path)
        return self._values.get(path, default)

    def __iter__(self) -> Iterator[str]:
        self.everything = True
        return iter(self._values)

    def __len__(self) -> int:
        self.everything = True
        return len(self._values)


_Compute = Callable[[Mapping[str, Value]], Any]


def _ki67_bound(values: Mapping[str, Value], t: GradeTable) -> Interval | None:
    """The Ki-67 range of a reported grade, reading the grade's inputs only when a grade
    is reported that can bound it."""
    if values.get("pathology.reported_grade") not in ("G1", "G2"):
        return None
    return ki67_from_reported_grade(values, derive_grade(values, t), t)


@dataclass(frozen=True, slots=True)
class _Derivation:
    """One derivation on the case as given, with the paths it read to get its result."""

    compute: _Compute
    result: Any  # a Derived, or a bound (Interval or None)
    read: frozenset[str]
    everything: bool

    @classmethod
    def of(cls, compute: _Compute, values: Mapping[str, Value]) -> _Derivation:
        tracked = _ReadPaths(values)
        result = compute(tracked)
        return cls(compute, result, frozenset(tracked.read), tracked.everything)

    def changed_by(self, assignment: Mapping[str, Value]) -> bool:
        """Whether setting these fields can change the result (it read one of them)."""
        return self.everything or not self.read.isdisjoint(assignment)


def _todo(
    inv: Investigation,
    fields: tuple[str, ...],
    probe: _Probe,
    results: Mapping[str, OptionResult],
    plan: tuple[PlanStep, ...],
) -> ToDo:
    """Criterion by criterion: an option can become ineligible when one of its open
    criteria can fail on this investigation's fields; it can become eligible when every
    open criterion can be met, checked on the merged values (one evaluation)."""
    reachable: dict[str, set[str]] = {}
    # (option, assignment, the criterion it fails when that alone makes the option
    # ineligible and not convertible: its what-if plan is then keyed without evaluating it)
    witnesses: list[tuple[str, dict[str, Value], Criterion | None]] = []
    for oid, result in results.items():
        if result.status != "uncertain" or not set(fields) & set(result.missing):
            continue
        candidates = _candidates(probe.kb, oid)
        found = reachable.setdefault(oid, set())
        opened = [
            (c.criterion, [f for f in fields if f in c.missing])
            for c in result.criteria
            if c.truth is _UNKNOWN
        ]
        # Eligible needs every open criterion met on these fields: not when one of them
        # reads none of them (nothing of this investigation can settle it).
        met_witness: dict[str, Value] | None = {} if all(own for _, own in opened) else None
        for criterion, own in opened:
            # Only what is still to be found is searched for: the first assignment that
            # fails the criterion until the option has one, the first that meets it while
            # the option can still become eligible.
            want_met = met_witness is not None
            want_not_met = "ineligible" not in found
            if not (want_met or want_not_met):
                break
            if not own:
                continue
            met: dict[str, Value] | None = None
            not_met: dict[str, Value] | None = None
            evaluator = truth_of(criterion.condition)
            for assignment in _assignments(own, candidates):
                truth, _ = criterion_truth(criterion, evaluator(probe.facts(assignment)[0]))
                if truth is _MET and met is None:
                    met = assignment
                elif truth is _NOT_MET and not_met is None:
                    not_met = assignment
                if (met is not None or not want_met) and (not_met is not None or not want_not_met):
                    break
            if not_met is not None and want_not_met:
                found.add("ineligible")
                witnesses.append((oid, not_met, criterion))
            if met_witness is not None and met is not None:
                met_witness.update(met)
            else:
                met_witness = None
        if met_witness and probe.status(oid, met_witness) == "eligible":
            found.add("eligible")
            witnesses.append((oid, met_witness, None))
    could_change = tuple(o for o in results if reachable.get(o))
    head = _head(plan)
    first_changes = any(
        _first_step_with(oid, w, probe, results, fails) != head for oid, w, fails in witnesses
    )
    return ToDo(
        inv,
        fields,
        could_change,
        {o: tuple(sorted(reachable[o])) for o in could_change},
        first_changes,
    )


def _head(plan: tuple[PlanStep, ...]) -> tuple[str, tuple[str, ...]] | None:
    return (plan[0].spec.id, plan[0].options) if plan else None


def _first_step_with(
    oid: str,
    assignment: Mapping[str, Value],
    probe: _Probe,
    results: Mapping[str, OptionResult],
    fails: Criterion | None = None,
) -> tuple[str, tuple[str, ...]] | None:
    """The plan's first step with one option re-evaluated on ``assignment`` (the others as
    they are). The order of the steps depends only on the options' statuses, whether each
    is blocked only by convertible criteria, and the facts the plan's own conditions read
    (``plan.plan_fields``): what-if plans that agree on those share their first step.

    ``fails``: a criterion the assignment fails (not met) that conversion cannot change:
    the option is then ineligible and not blocked only by convertible criteria, whatever
    its other criteria give, so they are evaluated only for a plan not yet ordered."""
    facts, _ = probe.facts(assignment)
    spec = probe.kb.options[oid]
    judged: list[tuple[Truth, bool]] | None = None
    status: str
    unmet: tuple[str, ...] | None
    if fails is not None and not fails.convertible:
        status, unmet = "ineligible", None
    else:
        judged = probe.judged(oid, assignment)
        status = status_of([t for t, _ in judged])
        unmet = (
            convertible_unmet(
                [c for c, (t, _) in zip(spec.criteria, judged, strict=True) if t is _NOT_MET]
            )
            if status == "ineligible"
            else None
        )
    key = (oid, status, unmet, tuple(facts.get(f) for f in probe.plan_fields))
    if key not in probe.first_steps:
        if judged is None:
            judged = probe.judged(oid, assignment)
        updated = dict(results)
        updated[oid] = brief_result(spec, judged)
        probe.first_steps[key] = first_step(probe.kb.plan, facts, updated)
    return probe.first_steps[key]


def _assignments(
    fields: list[str], candidates: Mapping[str, tuple[Value, ...]]
) -> Iterator[dict[str, Value]]:
    """One field at a time first (most results turn on one field), then combinations."""
    fields = [f for f in fields if candidates.get(f)]
    for f in fields:
        for value in candidates[f]:
            yield {f: value}
    if len(fields) > 1:
        product = itertools.product(*(candidates[f] for f in fields))
        for combo in itertools.islice(product, _MAX_ASSIGNMENTS):
            yield dict(zip(fields, combo, strict=True))


_CANDIDATES: dict[tuple[str, str], dict[str, tuple[Value, ...]]] = {}


def _candidates(kb: KnowledgeBase, option_id: str) -> dict[str, tuple[Value, ...]]:
    """Per case field, the values worth trying for one option: each side of every threshold
    its criteria compare the field with, and every allowed value of a categorical field
    (computed once per knowledge-base content)."""
    key = (kb.content_hash, option_id)
    found = _CANDIDATES.get(key)
    if found is None:
        found = _CANDIDATES[key] = _option_candidates(kb, option_id)
    return found


def _option_candidates(kb: KnowledgeBase, option_id: str) -> dict[str, tuple[Value, ...]]:
    out: dict[str, list[Value]] = {}

    def add(path: str, value: Value) -> None:
        values = out.setdefault(path, [])
        if value not in values and _allowed(path, value):
            values.append(value)

    for criterion in kb.options[option_id].criteria:
        for leaf in leaves_of(criterion.condition):
            for path in _DERIVED_INPUTS.get(leaf.field, (leaf.field,)):
                _add_leaf_values(path, leaf.op, leaf.operand, add)
            if leaf.field == "derived.grade":
                g = kb.derivations.grade
                for path, lo, hi in (
                    ("pathology.ki67_percent", g.ki67_g1_below, g.ki67_g2_max),
                    ("pathology.mitoses_per_2mm2", g.mitoses_g1_below, g.mitoses_g2_max),
                    # a reported carcinoid's mitotic range (WHO 2021 thoracic)
                    ("pathology.mitoses_per_2mm2", g.mitoses_g1_below, g.carcinoid_mitoses_g2_max),
                ):
                    _add_leaf_values(path, "lt", lo, add)
                    _add_leaf_values(path, "le", hi, add)
            if leaf.field == "derived.liver_type":
                add("liver.lesion_count", 1)
                add("liver.lesion_count", 2)
            if leaf.field == _EGFR and isinstance(leaf.operand, int | float):
                # a creatinine gives the eGFR a lower bound (nelm.engine.kidney)
                add(_CREATININE, creatinine_meeting(float(leaf.operand)))
    return {path: tuple(values) for path, values in out.items()}


def _add_leaf_values(
    path: str, op: str, operand: object, add: Callable[[str, Value], None]
) -> None:
    spec = FIELD_BY_PATH.get(path)
    if spec is None:
        return
    if spec.kind is Kind.BOOLEAN:
        add(path, True)
        add(path, False)
    elif spec.kind is Kind.CHOICE:
        for choice in spec.choices:
            add(path, choice)
    elif spec.kind is Kind.CHOICES:
        add(path, ())
        operands = operand if isinstance(operand, tuple) else (operand,)
        for item in operands:
            if isinstance(item, str):
                add(path, (item,))
    elif (
        op in ("lt", "le", "gt", "ge", "eq", "ne")
        and isinstance(operand, int | float)
        and not isinstance(operand, bool)
    ):
        step = 1 if spec.kind is Kind.INTEGER else 0.1
        for value in (operand - step, operand, operand + step):
            add(path, int(value) if spec.kind is Kind.INTEGER else round(value, 6))


def _allowed(path: str, value: Value) -> bool:
    spec = FIELD_BY_PATH[path]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    lo, hi = spec.minimum, spec.maximum
    if lo is not None and (value <= lo if spec.exclusive_minimum else value < lo):
        return False
    return hi is None or value <= hi
