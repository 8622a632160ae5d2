"""Evaluate every option's criteria for one case: status, reasons, cautions, missing data."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, STRICT_BOUNDS
from nelm.case.units import as_entered_text, clinical_number, typed_number
from nelm.engine.compiled import Evaluator, truth_of
from nelm.engine.conditions import (
    Condition,
    Fact,
    FirstKnown,
    Interval,
    Leaf,
    Not,
    fields_of,
    open_leaves,
    overridden,
)
from nelm.engine.derive import NOT_KNOWN_TO_DRAIN, DerivedFacts
from nelm.engine.grade_fields import grade_fields_that_matter
from nelm.engine.intervals import interval_text
from nelm.engine.logic import Truth
from nelm.engine.sstr import SSTR_FIELDS, unreadable_sstr
from nelm.knowledge.model import Criterion, OptionSpec
from nelm.vocabulary import option_short, vocabulary

__all__ = [
    "CriterionResult",
    "OptionResult",
    "ShownValues",
    "Status",
    "brief_result",
    "convertible_unmet",
    "criterion_truth",
    "evaluate_option",
    "status_of",
]

Status = Literal["eligible", "ineligible", "uncertain"]

_MET, _NOT_MET, _UNKNOWN = Truth.MET, Truth.NOT_MET, Truth.UNKNOWN
"""Module constants: an enum member read from its class is slow on the hot path."""


class _Unset:
    """Not yet worked out (``OptionResult.convertible_unmet``, where None is an answer)."""

    def __reduce__(self) -> str:
        return "_UNSET"  # one instance, also in a result pickled to another process


_UNSET = _Unset()


@dataclass(frozen=True, slots=True, init=False)
class CriterionResult:
    criterion: Criterion
    truth: Truth
    value: str  # the values the criterion looked at, as a reader would write them
    missing: tuple[str, ...]  # case fields that would settle an unknown result
    relative: bool = False
    """True when the case fails a relative contraindication: the result is unknown and
    the board judges it; no field would settle it."""
    override: str | None = None  # a preferred source decided against a later one

    def __init__(
        self,
        criterion: Criterion,
        truth: Truth,
        value: str,
        missing: tuple[str, ...],
        relative: bool = False,
        override: str | None = None,
    ) -> None:
        # The generated __init__ of a frozen dataclass sets each field through
        # object.__setattr__, twice the time of the slots' own setters; an assessment
        # builds a few hundred of these (still frozen: assigning a field raises).
        _SET_CRITERION(self, criterion)
        _SET_TRUTH(self, truth)
        _SET_VALUE(self, value)
        _SET_MISSING(self, missing)
        _SET_RELATIVE(self, relative)
        _SET_OVERRIDE(self, override)


_SET_CRITERION, _SET_TRUTH, _SET_VALUE, _SET_MISSING, _SET_RELATIVE, _SET_OVERRIDE = (
    CriterionResult.__dict__[name].__set__
    for name in ("criterion", "truth", "value", "missing", "relative", "override")
)


@dataclass(frozen=True, slots=True)
class OptionResult:
    spec: OptionSpec
    status: Status
    criteria: tuple[CriterionResult, ...]
    cautions: tuple[tuple[str, tuple[str, ...], bool], ...]
    """(text, sources, case-specific) of the cautions that apply; case-specific ones were
    triggered by this case's values, the others are always shown for the option."""
    missing: tuple[str, ...]
    _unmet: tuple[str, ...] | _Unset | None = field(
        default=_UNSET, init=False, repr=False, compare=False
    )
    """``convertible_unmet`` once worked out: every what-if plan of the to-do list asks it
    again of the options the what-if leaves as they are."""

    @property
    def judgements(self) -> tuple[str, ...]:
        """The relative contraindications this case meets: an uncertain option that no
        missing field would settle waits on the board's judgement of these. An option that
        another criterion already rules out waits on nothing, like its missing fields."""
        if self.status != "uncertain":
            return ()
        return tuple(c.criterion.text for c in self.criteria if c.relative)

    def convertible_unmet(self) -> tuple[str, ...] | None:
        """The local ids of the unmet criteria ("involvement") when the option is
        ineligible only by criteria that conversion can change; None otherwise."""
        unmet = self._unmet
        if unmet is _UNSET:
            unmet = (
                None
                if self.status != "ineligible"
                else convertible_unmet([c.criterion for c in self.criteria if c.truth is _NOT_MET])
            )
            _SET_UNMET(self, unmet)
        return unmet  # type: ignore[return-value]

    def blocked_only_by_convertible(self, converts: tuple[str, ...] = ()) -> bool:
        """Ineligible, and every unmet criterion is one that conversion can change; with
        ``converts`` (a plan step's own), at least one of them is one this step changes."""
        unmet = self.convertible_unmet()
        if unmet is None:
            return False
        return not converts or any(u in converts for u in unmet)


_SET_UNMET = OptionResult.__dict__["_unmet"].__set__


def convertible_unmet(unmet: list[Criterion]) -> tuple[str, ...] | None:
    """The local ids of an ineligible option's unmet criteria when conversion can change
    every one of them; None otherwise (``OptionResult.convertible_unmet``)."""
    if not all(c.convertible for c in unmet):
        return None
    return tuple(c.id.rsplit(".", 1)[-1] for c in unmet)


def status_of(truths: list[Truth]) -> Status:
    """The contract's status rule: any not met → ineligible; all met → eligible."""
    # ``in`` and ``count`` compare members by identity in C (Truth defines no __eq__)
    if _NOT_MET in truths:
        return "ineligible"
    if truths.count(_MET) == len(truths):
        return "eligible"
    return "uncertain"


def criterion_truth(criterion: Criterion, truth: Truth) -> tuple[Truth, bool]:
    """The criterion's result and whether a relative contraindication turned a "not met"
    into "unknown" (the cohort compiler does the same in ``_criterion_expr``)."""
    if criterion.relative and truth is _NOT_MET:
        return _UNKNOWN, True
    return truth, False


Entered = Mapping[str, tuple[float, str]]
"""Numbers entered in another unit than the field's: path → (number, unit) as entered."""


def _entered_interval_text(field: str, interval: Interval, entered: Entered) -> str | None:
    """An interval whose bounds were entered in another unit, as entered with the converted
    interval beside it ("≤ 30 mm (≤ 3 cm)"); None when neither bound was."""
    lo_path, hi_path = BOUNDS[field]
    above, below = STRICT_BOUNDS.get(field, (lo_path, hi_path))
    lo, hi = entered.get(lo_path) or entered.get(above), entered.get(hi_path) or entered.get(below)
    if lo is None and hi is None:
        return None
    unit = FIELD_BY_PATH[field].unit
    converted = interval_text(interval, unit, clinical_number)
    strict = interval.lo_strict or interval.hi_strict
    if lo is not None and hi is not None and lo[1] == hi[1] and not strict:
        span = typed_number(lo[0])
        if hi[0] != lo[0]:
            span += f"–{typed_number(hi[0])}"
        return f"{span} {lo[1]} ({converted})"
    sides = []
    for typed, end, sign in (
        (lo, "lo", ">" if interval.lo_strict else "≥"),
        (hi, "hi", "<" if interval.hi_strict else "≤"),
    ):
        if typed is not None:
            sides.append(f"{sign} {typed_number(typed[0])} {typed[1]}")
        elif getattr(interval, end) is not None:
            one = (
                replace(interval, hi=None, hi_strict=False, hi_open=False)
                if end == "lo"
                else replace(interval, lo=None, lo_strict=False)
            )
            sides.append(interval_text(one, unit, clinical_number))
    return f"{', '.join(sides)} ({converted})"


_DERIVED_LABELS = {
    "grade": "grade",
    "liver_type": "liver type",
    "portal_drainage": "portal drainage",
}
"""How the values of the derived facts are named in a criterion's value."""


def _format_value(
    field: str,
    value: Fact | None,
    derived: DerivedFacts,
    entered: Entered | None = None,
    from_timeline: bool = False,
) -> str:
    text = _value_text(field, value, derived, entered, from_timeline)
    return f"{text} (from the timeline)" if from_timeline and value is not None else text


def _value_text(
    field: str,
    value: Fact | None,
    derived: DerivedFacts,
    entered: Entered | None,
    from_timeline: bool,
) -> str:
    if field.startswith("derived."):
        name = field.removeprefix("derived.")
        settled = getattr(derived, name).value
        label = _DERIVED_LABELS[name]
        if settled is None:
            possible = getattr(derived, name).possible
            shown = " or ".join(sorted(possible)) if possible else "unknown"
            return f"{label} {shown}"
        if isinstance(settled, bool):
            reason = getattr(derived, name).reason
            answer = "yes" if settled else "no"
            if not settled and reason and reason.endswith(NOT_KNOWN_TO_DRAIN):
                answer = "not established"  # an unknown primary: not an anatomical "no"
            said = f"{label} {answer}"
            # The site beside the answer: "portal drainage no" alone left the reader to
            # guess why a rectal primary fails the Milan criterion.
            return f"{said} ({reason})" if reason else said
        return f"{label} {settled}"
    spec = FIELD_BY_PATH[field]
    label = spec.label
    if value is None:
        for path, given, against in derived.set_aside:
            if path == field:
                said = _value_text(field, given, derived, entered, from_timeline)
                return f"{said} (set aside: contradicts {against}; check which is right)"
        return f"{label} unknown"
    for path, implied, why in derived.implied:
        if path == field and value == implied and type(value) is type(implied):
            said = ("yes" if implied else "no") if isinstance(implied, bool) else str(implied)
            return f"{label}: {said} (not stated; {why})"
    if isinstance(value, bool):
        return f"{label}: {'yes' if value else 'no'}"
    if isinstance(value, tuple):
        return f"{label}: {', '.join(_item_text(item) for item in value) or 'none'}"
    if isinstance(value, Interval) and value.basis:
        return f"{label} {value.basis}"
    if isinstance(value, Interval):
        typed = _entered_interval_text(field, value, entered) if entered else None
        shown = f"{label} {typed or interval_text(value, spec.unit)}"
        return shown if from_timeline else f"{shown} (entered)"
    if entered and field in entered and isinstance(value, int | float):
        return f"{label} {as_entered_text(field, *entered[field])}"
    if isinstance(value, int | float):
        unit = spec.unit
        number = f"{value:,.0f}" if abs(value) >= 10000 else f"{value:g}"
        if unit == "%":
            return f"{label} {number}%"
        if unit and label.lower().startswith(unit.lower()):
            # The label already names the unit ("Months since primary resection"): repeating
            # it read "... resection 1 months".
            return f"{label}: {number}"
        return f"{label} {number} {unit}".rstrip()
    return f"{label}: {str(value).replace('_', ' ')}"


def _item_text(item: str) -> str:
    """One item of a list fact as a reader says it: a treatment by its short name (PRRT,
    CAPTEM), any other choice in words."""
    return option_short(item) if item in vocabulary().option else item.replace("_", " ")


def missing_fields(
    condition: Condition, facts: Mapping[str, Fact], derived: DerivedFacts
) -> list[str]:
    """The case fields that could settle an unknown ``condition`` (a derived fact stands
    for the fields that settle it)."""
    out: list[str] = []
    for leaf in open_leaves(condition, facts):
        field = leaf.field
        if field == "derived.grade":
            operand = leaf.operand
            allowed = frozenset(
                str(v) for v in (operand if isinstance(operand, tuple) else (operand,))
            )
            grade = derived.grade
            out += grade_fields_that_matter(grade.settle_with, grade.grade_inputs, allowed)
        elif field.startswith("derived."):
            out += getattr(derived, field.removeprefix("derived.")).settle_with
        elif field == SSTR_POSITIVE and unreadable_sstr(derived.set_aside):
            continue  # any statement of it would be set aside: nothing it could settle
        else:
            out.append(field)
    return list(dict.fromkeys(out))


SSTR_POSITIVE = SSTR_FIELDS[0]
_EGFR = "labs.egfr_ml_min"
_CREATININE = "labs.creatinine_mg_dl"


def _estimate_override(
    evaluator: Evaluator,
    truth: Truth,
    facts: Mapping[str, Fact],
    estimate: Interval,
) -> str | None:
    """Where the eGFR given decides a criterion (or leaves it open) and the creatinine's
    CKD-EPI estimate alone would decide it otherwise (``nelm.engine.kidney``): the eGFR
    comes first, and the report says what the creatinine would have given."""
    alone = evaluator({**facts, _EGFR: estimate})
    if alone is _UNKNOWN or alone is truth:
        return None
    said = "met" if alone is _MET else "not met"
    return (
        f"the eGFR given is read before the creatinine, which alone would give {said}: "
        f"{estimate.basis}"
    )


def _override(condition: Condition, facts: Mapping[str, Fact]) -> str | None:
    found = overridden(condition, facts)
    if found is None:
        return None
    used, aside, truth = found
    alone = "meet" if truth is Truth.MET else "fail"
    return f"Decided by {_labels(used)}; without it, {_labels(aside)} would {alone} it"


def _labels(fields: tuple[str, ...]) -> str:
    """Facts as a report names them: a field's label, a derived fact's name."""
    return ", ".join(
        _DERIVED_LABELS[f.removeprefix("derived.")]
        if f.startswith("derived.")
        else FIELD_BY_PATH[f].label
        for f in fields
    )


GIVEN_BEFORE_START = "Given before ("
_NOT_WEIGHED = "the criteria above do not weigh the earlier course or the response to it"
GIVEN_BEFORE = f"{GIVEN_BEFORE_START}listed in the prior treatments): {_NOT_WEIGHED}"


def _given_before(
    option_id: str, facts: Mapping[str, Fact], derived: DerivedFacts
) -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """A case-specific caution for an option the case lists among its prior treatments, or
    that another field shows was given (progression on an SSA), so a board does not read a
    repeat course as a first one."""
    prior = facts.get("course.prior_treatments")
    if isinstance(prior, tuple | frozenset) and option_id in prior:
        return ((GIVEN_BEFORE, ("case-history",), True),)
    for option, path in derived.given_by_fields:
        if option == option_id:
            shown = f"{GIVEN_BEFORE_START}{FIELD_BY_PATH[path].label}: yes): {_NOT_WEIGHED}"
            return ((shown, ("case-history",), True),)
    for option, name in derived.given_as:
        if option == option_id:
            listed = f"{name} is listed in the prior treatments under another criteria set"
            return ((f"{GIVEN_BEFORE_START}{listed}): {_NOT_WEIGHED}", ("case-history",), True),)
    return ()


_Shown = tuple[str, tuple[str, ...], bool]
"""A caution as shown: (text, sources, case-specific)."""


@dataclass(frozen=True, slots=True)
class _Program:
    """An option's conditions compiled (``nelm.engine.compiled``), once per option."""

    criteria: tuple[
        tuple[
            Criterion,
            tuple[str, ...],
            Evaluator,
            bool,
            tuple[tuple[Evaluator, ...], ...],
            tuple[str, ...] | None,
        ],
        ...,
    ]
    """Each criterion with the facts it reads, in order of appearance without repeats (the
    interpreter evaluates every leaf of a criterion, no short-circuit, so that its trace
    shows every value the criterion looked at, which is these facts' values), its
    condition, whether it is a relative contraindication, and the parts of each of its
    ``first_known`` (empty without one): a source can be overridden only where two known
    parts disagree, checked before looking for it; and, for a criterion that is one
    comparison of a case field (most are), that field: what settles it when it is unknown,
    without walking its condition (``missing_fields``)."""
    cautions: tuple[tuple[Evaluator | None, _Shown, _Shown | None], ...]
    """Per caution, its condition (None: always shown), what is shown when it is met (or
    always), and when it is unknown (the caution's ``if_unknown`` text, when it has one),
    built once per option."""


_PROGRAMS: dict[int, tuple[OptionSpec, _Program]] = {}
_MAX_PROGRAMS = 1_000
"""Options kept compiled (23 per knowledge base); emptied past it."""


def _program(spec: OptionSpec) -> _Program:
    # by identity, the option kept in the entry so that its id is not reused meanwhile
    entry = _PROGRAMS.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    if len(_PROGRAMS) >= _MAX_PROGRAMS:
        _PROGRAMS.clear()
    program = _Program(
        tuple(
            (
                c,
                tuple(dict.fromkeys(fields_of(c.condition))),
                truth_of(c.condition),
                c.relative,
                tuple(tuple(truth_of(p) for p in node.parts) for node in _first_knowns(c.condition))
                if c.has_first_known
                else (),
                _settled_by(c.condition),
            )
            for c in spec.criteria
        ),
        tuple(
            (
                None if c.condition is None else truth_of(c.condition),
                (c.text, c.sources, c.condition is not None),
                None if c.if_unknown is None else (c.if_unknown, c.sources, True),
            )
            for c in spec.cautions
        ),
    )
    _PROGRAMS[id(spec)] = (spec, program)
    return program


def _settled_by(condition: Condition) -> tuple[str, ...] | None:
    """The field that settles a criterion that is one comparison of a case field when it
    is unknown (its one leaf is then open); None for any other condition, whose open
    leaves and derived facts are worked out on the case."""
    if type(condition) is Leaf and not condition.field.startswith("derived."):
        return (condition.field,)
    return None


def _first_knowns(condition: Condition) -> list[FirstKnown]:
    """Every ``first_known`` in the condition, at any depth."""
    if isinstance(condition, Leaf):
        return []
    if isinstance(condition, Not):
        return _first_knowns(condition.part)
    found = [f for part in condition.parts for f in _first_knowns(part)]
    return [condition, *found] if isinstance(condition, FirstKnown) else found


def _sources_disagree(
    first_knowns: tuple[tuple[Evaluator, ...], ...], facts: Mapping[str, Fact]
) -> bool:
    """Whether some ``first_known`` has a known part that a later known part contradicts
    (without it no source is overridden: ``nelm.engine.conditions.overridden``)."""
    for parts in first_knowns:
        known = [t for t in (part(facts) for part in parts) if t is not _UNKNOWN]
        if any(t is not known[0] for t in known[1:]):
            return True
    return False


def _shown_cautions(program: _Program, facts: Mapping[str, Fact]) -> tuple[_Shown, ...]:
    """(text, sources, case-specific) of the cautions this case raises: a met condition
    shows the text, an unknown one the caution's ``if_unknown`` text when it has one."""
    shown: list[_Shown] = []
    for applies, if_met, if_unknown in program.cautions:
        if applies is None:
            shown.append(if_met)
            continue
        truth = applies(facts)
        if truth is _MET:
            shown.append(if_met)
        elif truth is _UNKNOWN and if_unknown is not None:
            shown.append(if_unknown)
    return tuple(shown)


def brief_result(spec: OptionSpec, judged: list[tuple[Truth, bool]]) -> OptionResult:
    """The status and each criterion's result only (``evaluate_option(details=False)``),
    from each criterion's ``criterion_truth`` in the option's order."""
    brief = tuple(
        CriterionResult(criterion, truth, "", (), relative)
        for criterion, (truth, relative) in zip(spec.criteria, judged, strict=True)
    )
    return OptionResult(spec, status_of([r.truth for r in brief]), brief, (), ())


ShownValues = dict[str | tuple[str, ...], str]
"""Display texts of one assessment: each fact's under its path, each criterion's (its
facts' texts joined) under the tuple of the paths it reads."""


def _joined_text(
    read: tuple[str, ...],
    cache: ShownValues,
    facts: Mapping[str, Fact],
    derived: DerivedFacts,
    entered: Entered | None,
    from_timeline: Collection[str],
) -> str:
    """Each fact's text once, in the order read, joined by "; "."""
    texts: list[str] = []
    for path in read:
        text = cache.get(path)
        if text is None:
            text = cache[path] = _format_value(
                path, facts.get(path), derived, entered, path in from_timeline
            )
        if text not in texts:
            texts.append(text)
    return texts[0] if len(texts) == 1 else "; ".join(texts)


def evaluate_option(
    spec: OptionSpec,
    facts: Mapping[str, Fact],
    derived: DerivedFacts,
    shown_values: ShownValues | None = None,
    entered: Entered | None = None,
    from_timeline: Collection[str] = (),
    *,
    details: bool = True,
) -> OptionResult:
    """Evaluate one option; ``shown_values`` caches each fact's display text across the
    options of one assessment (a fact reads the same in every criterion); ``entered``
    (the case's numbers entered in another unit) shows those as entered, converted beside;
    a field in ``from_timeline`` (its value came from the case's dated timeline alone)
    says so.

    ``details=False`` gives the status and each criterion's result only: no display text
    (``value`` is empty), no missing fields, no override and no cautions. What-if
    evaluations that only compare the order of the plan use it
    (``nelm.engine.investigations``)."""
    program = _program(spec)
    if not details:
        return brief_result(
            spec,
            [
                criterion_truth(criterion, plain(facts))
                for criterion, _, plain, _, _, _ in program.criteria
            ],
        )
    cache = shown_values if shown_values is not None else {}
    results: list[CriterionResult] = []
    for criterion, read, evaluator, relative_rule, first_knowns, settled_by in program.criteria:
        truth = evaluator(facts)
        relative = False
        if truth is _NOT_MET and relative_rule:  # criterion_truth, inlined: hot path
            truth, relative = _UNKNOWN, True
        # Criteria reading the same facts show the same text within one assessment:
        # joined once, under the tuple of the fields read.
        value = cache.get(read)
        if value is None:
            value = cache[read] = _joined_text(read, cache, facts, derived, entered, from_timeline)
        missing: tuple[str, ...] = ()
        if truth is _UNKNOWN and not relative:
            missing = settled_by or tuple(missing_fields(criterion.condition, facts, derived))
            if _EGFR in missing and _CREATININE not in facts:
                # a creatinine gives an eGFR too (nelm.engine.kidney)
                missing += (_CREATININE,)
        override = (
            _override(criterion.condition, facts)
            if first_knowns and _sources_disagree(first_knowns, facts)
            else None
        )
        if override is None and derived.egfr_set_aside is not None and _EGFR in read:
            override = _estimate_override(
                evaluator, evaluator(facts), facts, derived.egfr_set_aside
            )
        # The override is part of what the criterion looked at, so every report shows it.
        if override:
            value += f" ({override})"
        results.append(CriterionResult(criterion, truth, value, missing, relative, override))
    status = status_of([r.truth for r in results])
    missing_all: list[str] = []
    if status == "uncertain":
        for r in results:
            missing_all += r.missing
    cautions = _given_before(spec.id, facts, derived) + _shown_cautions(program, facts)
    return OptionResult(spec, status, tuple(results), cautions, tuple(dict.fromkeys(missing_all)))
