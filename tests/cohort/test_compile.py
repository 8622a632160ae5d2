"""The compiler's three-valued logic and leaves, against the interpreter.

The connectives must follow Kleene's strong three-valued logic (S. C. Kleene,
*Introduction to Metamathematics*, 1952, §64), as ``nelm.engine.logic`` does: the truth
tables are written out here in full, then each compiled condition is compared with
``nelm.engine.conditions.evaluate`` value by value.
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
import pytest

from nelm.case.fields import STRICT_BOUNDS
from nelm.cohort.bounds import strict_bounds_folded
from nelm.cohort.columns import GRADE_BITS, LIVER_TYPE_BITS
from nelm.cohort.compile import compile_condition
from nelm.cohort.derive import MASK
from nelm.engine.conditions import All, AnyOf, Condition, FirstKnown, Interval, Leaf, Not, evaluate
from nelm.engine.intervals import interval_of
from nelm.engine.logic import Truth

T, F, U = True, False, None
VALUES = (T, F, U)
AS_TRUTH = {T: Truth.MET, F: Truth.NOT_MET, U: Truth.UNKNOWN}

# Kleene's strong logic K3: rows a, columns b in the order true, false, unknown.
AND = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): F,
    (F, F): F,
    (F, U): F,
    (U, T): U,
    (U, F): F,
    (U, U): U,
}
OR = {
    (T, T): T,
    (T, F): T,
    (T, U): T,
    (F, T): T,
    (F, F): F,
    (F, U): U,
    (U, T): T,
    (U, F): U,
    (U, U): U,
}
NOT = {T: F, F: T, U: U}

A = Leaf("patient.fit_for_major_surgery", "eq", True)
B = Leaf("anatomy.ascites", "eq", True)


def _pairs() -> pl.DataFrame:
    a, b = zip(*itertools.product(VALUES, VALUES), strict=True)
    return pl.DataFrame(
        {A.field: list(a), B.field: list(b)}, schema={A.field: pl.Boolean, B.field: pl.Boolean}
    )


def _compiled(condition: Condition, frame: pl.DataFrame) -> list[Any]:
    return frame.select(compile_condition(condition).alias("x")).to_series().to_list()


def test_all_is_kleene_conjunction() -> None:
    frame = _pairs()
    got = _compiled(All((A, B)), frame)
    assert got == [AND[(a, b)] for a, b in frame.iter_rows()]


def test_any_is_kleene_disjunction() -> None:
    frame = _pairs()
    got = _compiled(AnyOf((A, B)), frame)
    assert got == [OR[(a, b)] for a, b in frame.iter_rows()]


def test_not_keeps_unknown_unknown() -> None:
    frame = pl.DataFrame({A.field: list(VALUES)}, schema={A.field: pl.Boolean})
    assert _compiled(Not(A), frame) == [NOT[v] for v in VALUES]


def test_the_tables_are_the_interpreters() -> None:
    for (a, b), want in AND.items():
        facts = {k: v for k, v in ((A.field, a), (B.field, b)) if v is not None}
        assert evaluate(All((A, B)), facts) is AS_TRUTH[want]
        assert evaluate(AnyOf((A, B)), facts) is AS_TRUTH[OR[(a, b)]]


def test_nested_connectives_over_three_values() -> None:
    c = Leaf("liver.synchronous", "eq", False)
    condition = AnyOf((All((A, Not(B))), Not(AnyOf((c, B)))))
    rows = list(itertools.product(VALUES, repeat=3))
    frame = pl.DataFrame(
        [dict(zip((A.field, B.field, c.field), r, strict=True)) for r in rows],
        schema={A.field: pl.Boolean, B.field: pl.Boolean, c.field: pl.Boolean},
    )
    got = _compiled(condition, frame)
    for r, value in zip(rows, got, strict=True):
        facts = {k: v for k, v in zip((A.field, B.field, c.field), r, strict=True) if v is not None}
        assert AS_TRUTH[value] is evaluate(condition, facts)


@pytest.mark.parametrize(
    ("field", "bits"), [("derived.grade", GRADE_BITS), ("derived.liver_type", LIVER_TYPE_BITS)]
)
def test_set_valued_facts_decide_only_when_every_possibility_agrees(
    field: str, bits: dict[str, int]
) -> None:
    """A mask of possible values: met if a subset of the allowed, not met if disjoint."""
    names = list(bits)
    masks = list(range(1, 1 << len(names)))
    frame = pl.DataFrame({field: masks}, schema={field: MASK})
    operands: list[tuple[str, Any]] = [(op, v) for op in ("eq", "ne") for v in names]
    for size in (1, 2):
        for subset in itertools.combinations(names, size):
            operands += [("in", subset), ("not_in", subset)]
    for op, operand in operands:
        leaf = Leaf(field, op, operand)  # type: ignore[arg-type]
        got = _compiled(leaf, frame)
        for mask, value in zip(masks, got, strict=True):
            possible = frozenset(n for n in names if mask & bits[n])
            assert AS_TRUTH[value] is evaluate(leaf, {field: possible}), (op, operand, mask)


NUMBERS = [None, 0.0, 1.9, 2.0, 2.1, 55.0, 100.0]


@pytest.mark.parametrize("op", ["lt", "le", "gt", "ge", "eq", "ne"])
def test_number_comparisons(op: str) -> None:
    field = "labs.albumin_g_dl"  # a number without bounds: its one column is the frame
    frame = pl.DataFrame({field: NUMBERS}, schema={field: pl.Float64})
    leaf = Leaf(field, op, 2)  # type: ignore[arg-type]
    for x, value in zip(NUMBERS, _compiled(leaf, frame), strict=True):
        facts = {} if x is None else {field: x}
        assert AS_TRUTH[value] is evaluate(leaf, facts)


@pytest.mark.parametrize("op", ["eq", "ne", "in", "not_in"])
def test_choice_comparisons(op: str) -> None:
    field = "primary.site"
    sites = [None, "pancreas", "lung", "rectum"]
    enum = pl.Enum(["pancreas", "lung", "rectum", "colon"])
    frame = pl.DataFrame({field: sites}, schema={field: enum})
    operand: Any = ("pancreas", "rectum") if op in ("in", "not_in") else "pancreas"
    leaf = Leaf(field, op, operand)  # type: ignore[arg-type]
    for site, value in zip(sites, _compiled(leaf, frame), strict=True):
        facts = {} if site is None else {field: site}
        assert AS_TRUTH[value] is evaluate(leaf, facts)


def test_contains_reads_a_list_column() -> None:
    field = "extrahepatic.sites"
    lists: list[list[str] | None] = [None, [], ["bone"], ["lung", "bone"], ["lung"]]
    frame = pl.DataFrame({field: lists}, schema={field: pl.List(pl.String)})
    leaf = Leaf(field, "contains", "bone")
    for items, value in zip(lists, _compiled(leaf, frame), strict=True):
        facts = {} if items is None else {field: tuple(items)}
        assert AS_TRUTH[value] is evaluate(leaf, facts)


def test_a_set_valued_fact_refuses_an_order_comparison() -> None:
    with pytest.raises(TypeError, match="set-valued"):
        compile_condition(Leaf("derived.grade", "lt", 3))


# --------------------------------------------------------------------------- intervals

BURDEN = "liver.tumor_burden_percent"
BOUND_VALUES = [None, 40.0, 49.9, 50.0, 50.1, 75.0, 80.0]


Bounds = tuple[float | None, float | None, float | None, float | None, float | None]
PARTS = (BURDEN, f"{BURDEN}_at_least", f"{BURDEN}_at_most", *STRICT_BOUNDS[BURDEN])


def _interval_frame() -> tuple[pl.DataFrame, list[Bounds]]:
    """Every exact value, and every pair of a lower and an upper bound of a bounded number,
    each inclusive (at least, at most) or strict (more than, less than), that leaves a
    number between them: (exact, at least, at most, more than, less than)."""
    rows: list[Bounds] = [(x, None, None, None, None) for x in BOUND_VALUES if x is not None]
    for lo in BOUND_VALUES:
        for hi in BOUND_VALUES:
            for lo_strict in (False, True):
                for hi_strict in (False, True):
                    if (lo_strict and lo is None) or (hi_strict and hi is None):
                        continue
                    strict = lo_strict or hi_strict
                    if lo is not None and hi is not None and (lo > hi or (lo == hi and strict)):
                        continue
                    rows.append(
                        (
                            None,
                            None if lo_strict else lo,
                            None if hi_strict else hi,
                            lo if lo_strict else None,
                            hi if hi_strict else None,
                        )
                    )
    frame = pl.DataFrame(rows, schema=dict.fromkeys(PARTS, pl.Float64), orient="row")
    return frame, rows


def _interval_facts(*row: float | None) -> dict[str, Any]:
    values = {path: value for path, value in zip(PARTS, row, strict=True) if value is not None}
    if BURDEN in values:
        return {BURDEN: values[BURDEN]}
    interval = interval_of(values, BURDEN)
    return {} if interval is None else {BURDEN: interval}


@pytest.mark.parametrize(
    ("op", "operand"),
    [
        ("lt", 50),
        ("le", 50),
        ("gt", 50),
        ("ge", 50),
        ("eq", 50),
        ("ne", 50),
        ("in", (50, 75)),
        ("not_in", (50, 75)),
    ],
)
def test_an_interval_is_decided_only_on_one_side_of_the_threshold(op: str, operand: Any) -> None:
    """The compiled leaf over exact value and bounds is the interpreter's interval leaf."""
    frame, rows = _interval_frame()
    # the facts stage folds a strict bound into the inclusive column (nelm.cohort.bounds)
    frame = frame.with_columns(strict_bounds_folded([BURDEN]))
    leaf = Leaf(BURDEN, op, operand)  # type: ignore[arg-type]
    for row, value in zip(rows, _compiled(leaf, frame), strict=True):
        assert AS_TRUTH[value] is evaluate(leaf, _interval_facts(*row)), (op, row)


def test_a_straddling_interval_stays_unknown() -> None:
    """ "Over 70 %" ([70, ∞)) against the 75 % of 003 (Cytoreductive surgery): unknown;
    against the < 50 % of 001 Table 2: not met; "4–5 lesions" ≥ 2: met."""
    over_70 = {BURDEN: Interval(70, None)}
    assert evaluate(Leaf(BURDEN, "le", 75), over_70) is Truth.UNKNOWN
    assert evaluate(Leaf(BURDEN, "lt", 50), over_70) is Truth.NOT_MET
    four_to_five = {"liver.lesion_count": Interval(4, 5)}
    assert evaluate(Leaf("liver.lesion_count", "ge", 2), four_to_five) is Truth.MET
    assert evaluate(Leaf("liver.lesion_count", "eq", 4), four_to_five) is Truth.UNKNOWN


def test_first_known_takes_the_first_part_that_is_known() -> None:
    condition = FirstKnown((A, B))
    frame = _pairs()
    got = _compiled(condition, frame)
    for (a, b), value in zip(frame.iter_rows(), got, strict=True):
        want = a if a is not None else b
        assert value == want
        facts = {k: v for k, v in ((A.field, a), (B.field, b)) if v is not None}
        assert evaluate(condition, facts) is AS_TRUTH[want]


def test_reasons_without_a_table_are_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # An option with more criteria than _TABLE_BITS joins its unmet ids row by row instead
    # of looking them up; both ways must give the same text (the table's is the reference,
    # reference.py's ",".join of the unmet ids in the option's order).
    from nelm.cohort import compile as compiler
    from nelm.cohort.pipeline import process_chunk
    from nelm.cohort.synth import synth_frame
    from nelm.knowledge.loader import load_knowledge

    frame = synth_frame(400, seed=3, missing=0.3)
    with_tables = process_chunk(frame, 1).output
    monkeypatch.setattr(compiler, "_TABLE_BITS", 2)
    joined = compiler.compile_knowledge(load_knowledge())
    assert sum(1 for ids in joined.ids.values() if len(ids) > 2) > 10  # most options
    without = process_chunk(frame, 1, joined).output
    assert (
        without.get_column("reasons")
        .struct.unnest()
        .equals(with_tables.get_column("reasons").struct.unnest().cast(pl.String))
    )
    assert without.drop("reasons").equals(with_tables.drop("reasons"))
