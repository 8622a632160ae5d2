"""The vectorised derivations against the scalar ones of ``nelm.engine.derive``.

Hypothesis draws grading inputs on and around the WHO thresholds of the knowledge base
(Ki-67 3 % and 20 %, mitoses 2 and 20 per 2 mm², 000 §1), with differentiation and the
indices often unknown, and liver and primary-site inputs with gaps.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from nelm.case.fields import FIELD_BY_PATH, FIELDS
from nelm.cohort.columns import GRADE_BITS, LIVER_TYPE_BITS
from nelm.cohort.derive import grade_mask, liver_type_mask, portal_drainage
from nelm.cohort.validate import typed_dtype
from nelm.engine.derive import derive_grade, derive_liver_type, derive_portal_drainage
from nelm.knowledge.loader import load_knowledge

KB = load_knowledge()
G = KB.derivations.grade


def _near(*points: float) -> st.SearchStrategy[float | None]:
    edges = [p + d for p in points for d in (-0.01, 0.0, 0.01)]
    return st.none() | st.sampled_from([max(e, 0.0) for e in edges]) | st.floats(0, 100)


@st.composite
def _index(draw: st.DrawFn, path: str, *points: float) -> dict[str, float | None]:
    """An index given exactly, by bounds (a valid range), by both, or not at all."""
    exact, lo, hi = draw(_near(*points)), draw(_near(*points)), draw(_near(*points))
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    if exact is not None and ((lo is not None and exact < lo) or (hi is not None and exact > hi)):
        lo = hi = None
    return {path: exact, f"{path}_at_least": lo, f"{path}_at_most": hi}


@st.composite
def _rows(draw: st.DrawFn) -> dict[str, Any]:
    row: dict[str, Any] = {}
    row.update(draw(_index("pathology.ki67_percent", G.ki67_g1_below, G.ki67_g2_max)))
    row.update(
        draw(
            _index(
                "pathology.mitoses_per_2mm2",
                G.mitoses_g1_below,
                G.mitoses_g2_max,
                G.carcinoid_mitoses_g2_max,  # a reported carcinoid's (WHO 2021 thoracic)
            )
        )
    )
    row.update(
        draw(
            st.fixed_dictionaries(
                {
                    "pathology.differentiation": st.sampled_from([None, "well", "poor"]),
                    "pathology.nec_subtype": st.sampled_from([None, "small_cell", "large_cell"]),
                    "pathology.reported_grade": st.none()
                    | st.sampled_from(FIELD_BY_PATH["pathology.reported_grade"].choices),
                    "liver.lesion_count": st.sampled_from([None, 1, 2, 7]),
                    "liver.lesion_count_at_most": st.sampled_from([None, 1, 4]),
                    "liver.distribution": st.sampled_from(
                        [None, "unilobar", "bilobar_dominant", "bilobar_diffuse"]
                    ),
                    "liver.bilobar": st.sampled_from([None, True, False]),
                    "primary.site": st.none()
                    | st.sampled_from(FIELD_BY_PATH["primary.site"].choices),
                }
            )
        )
    )
    return row


ROW = _rows()


def _frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """The rows, with every other case column present and empty (as a validated chunk)."""
    schema = {k: typed_dtype(FIELD_BY_PATH[k]) for k in rows[0]}
    frame = pl.DataFrame(rows, schema=schema)
    return frame.with_columns(
        pl.lit(None, typed_dtype(f)).alias(f.path) for f in FIELDS if f.path not in schema
    )


def _possible(mask: int, bits: dict[str, int]) -> frozenset[str]:
    return frozenset(v for v, b in bits.items() if mask & b)


@settings(max_examples=80, derandomize=True, deadline=None, database=None)
@given(st.lists(ROW, min_size=1, max_size=40))
def test_derived_facts_match_the_scalar_functions(rows: list[dict[str, Any]]) -> None:
    frame = _frame(rows)
    out = frame.select(
        grade_mask(G).alias("g"),
        liver_type_mask(KB.derivations).alias("t"),
        portal_drainage(KB.derivations).alias("p"),
    )
    for row, (g, t, p) in zip(rows, out.iter_rows(), strict=True):
        values = {k: v for k, v in row.items() if v is not None}
        assert _possible(g, GRADE_BITS) == derive_grade(values, G).possible, row
        assert _possible(t, LIVER_TYPE_BITS) == derive_liver_type(values, KB.derivations).possible
        assert p == derive_portal_drainage(values, KB.derivations).flag


def test_a_reported_grade_and_ranges_one_by_one() -> None:
    """000 §1 thresholds; WHO 2021 thoracic (typical carcinoid < 2 mitoses/2 mm²: G1);
    Rindi 2022 (a bare G3 is a NET since 2017 and was NEC before)."""
    base = {
        "pathology.ki67_percent": None,
        "pathology.ki67_percent_at_least": None,
        "pathology.ki67_percent_at_most": None,
        "pathology.mitoses_per_2mm2": None,
        "pathology.differentiation": None,
        "pathology.reported_grade": None,
    }
    rows: list[dict[str, Any]] = [
        {**base, "pathology.reported_grade": "G2"},  # G2
        {**base, "pathology.reported_grade": "G3"},  # G3 or NEC
        {**base, "pathology.reported_grade": "G3", "pathology.differentiation": "well"},  # G3
        {**base, "pathology.reported_grade": "typical_carcinoid"},  # G1
        {
            **base,
            "pathology.reported_grade": "G1",
            "pathology.ki67_percent": 25.0,
            "pathology.differentiation": "well",
        },  # conflict
        {
            **base,
            "pathology.ki67_percent_at_least": 10.0,
            "pathology.ki67_percent_at_most": 15.0,
            "pathology.mitoses_per_2mm2": 1.0,
            "pathology.differentiation": "well",
        },  # G2
        {
            **base,
            "pathology.ki67_percent_at_least": 10.0,
            "pathology.mitoses_per_2mm2": 1.0,
            "pathology.differentiation": "well",
        },  # G2, G3
    ]
    masks = _frame(rows).select(grade_mask(G)).to_series().to_list()
    assert [sorted(_possible(m, GRADE_BITS)) for m in masks] == [
        ["G2"],
        ["G3", "NEC"],
        ["G3"],
        ["G1"],
        ["G1", "G3"],
        ["G2"],
        ["G2", "G3"],
    ]


def test_a_reported_carcinoid_is_read_by_the_thoracic_ranges() -> None:
    """WHO 2021 thoracic (lung and thymus): typical carcinoid < 2 mitoses per 2 mm²,
    atypical 2–10 (and/or necrosis); Ki-67 does not tell one from the other, and above 10
    mitoses is a carcinoma's range. The Ki-67 > 20 % of a G3 NET (000 §1) still leaves G3
    possible beside a carcinoid."""
    base = {
        "pathology.ki67_percent": None,
        "pathology.mitoses_per_2mm2": None,
        "pathology.differentiation": "well",
        "pathology.reported_grade": "typical_carcinoid",
        "primary.site": None,  # not known: read as the chest's
    }
    atypical = {**base, "pathology.reported_grade": "atypical_carcinoid"}
    rows: list[dict[str, Any]] = [
        {**base, "pathology.ki67_percent": 5.0},  # G1: Ki-67 5 % does not contradict it
        {**base, "pathology.mitoses_per_2mm2": 1.0, "pathology.ki67_percent": 12.0},  # G1
        # 2–10 is atypical's range, against the typical stated: both stay possible (G3 too,
        # by a Ki-67 not given)
        {**base, "pathology.mitoses_per_2mm2": 3.0},
        {**atypical, "pathology.mitoses_per_2mm2": 8.0},  # G2
        {**atypical, "pathology.mitoses_per_2mm2": 10.0},  # G2: 10 is in the range
        {**atypical, "pathology.mitoses_per_2mm2": 12.0},  # above it: G2 or G3
        {**atypical, "pathology.ki67_percent": 25.0},  # G2 or G3
        {**atypical, "pathology.ki67_percent": 15.0},  # G2
        # a digestive primary reported as a carcinoid keeps its own cut-offs (000 §1: a
        # Ki-67 of 5 % is G2): a conflict, both stay possible
        {**base, "pathology.ki67_percent": 5.0, "primary.site": "small_intestine"},
    ]
    masks = _frame(rows).select(grade_mask(G)).to_series().to_list()
    assert [sorted(_possible(m, GRADE_BITS)) for m in masks] == [
        ["G1"],
        ["G1"],
        ["G1", "G2", "G3"],
        ["G2"],
        ["G2"],
        ["G2", "G3"],
        ["G2", "G3"],
        ["G2"],
        ["G1", "G2", "G3"],
    ]
    for row, mask in zip(rows, masks, strict=True):
        values = {k: v for k, v in row.items() if v is not None}
        assert derive_grade(values, G).possible == _possible(mask, GRADE_BITS), row


def test_the_grade_rules_one_by_one() -> None:
    """000 §1: the higher index decides; poorly differentiated is NEC, and NEC is high
    grade (000 §1; 004 §1)."""
    rows: list[dict[str, Any]] = [
        {
            "pathology.ki67_percent": 2.9,
            "pathology.mitoses_per_2mm2": 1.0,
            "pathology.differentiation": "well",
        },  # G1
        {
            "pathology.ki67_percent": 2.9,
            "pathology.mitoses_per_2mm2": 21.0,
            "pathology.differentiation": "well",
        },  # the mitoses raise it: G3
        {
            "pathology.ki67_percent": 20.0,
            "pathology.mitoses_per_2mm2": None,
            "pathology.differentiation": "well",
        },  # G2 or higher
        {
            "pathology.ki67_percent": 5.0,
            "pathology.mitoses_per_2mm2": 1.0,
            "pathology.differentiation": "poor",
        },  # poorly differentiated but G2 by the indices: NEC is high grade, a conflict
        {
            "pathology.ki67_percent": 5.0,
            "pathology.mitoses_per_2mm2": None,
            "pathology.differentiation": "poor",
        },  # a high grade still possible: NEC
        {
            "pathology.ki67_percent": 5.0,
            "pathology.mitoses_per_2mm2": 1.0,
            "pathology.differentiation": None,
        },  # not stated, and the indices rule out a high grade: G2 (NEC is high grade)
        {
            "pathology.ki67_percent": None,
            "pathology.mitoses_per_2mm2": None,
            "pathology.differentiation": None,
        },  # nothing known: all four
    ]
    masks = _frame(rows).select(grade_mask(G)).to_series().to_list()
    assert [sorted(_possible(m, GRADE_BITS)) for m in masks] == [
        ["G1"],
        ["G3"],
        ["G2", "G3"],
        ["G2", "NEC"],
        ["NEC"],
        ["G2"],
        ["G1", "G2", "G3", "NEC"],
    ]


def test_an_nec_subtype_reads_as_poorly_differentiated() -> None:
    """000 §1: NEC "are poorly differentiated neoplasms of high grade and are categorized as
    small cell or large cell NEC": a subtype without the differentiation is NEC, as the
    interpreter reads it (``differentiation_of``)."""
    rows: list[dict[str, Any]] = [
        {"pathology.nec_subtype": "small_cell", "pathology.ki67_percent": None},  # NEC
        {"pathology.nec_subtype": "large_cell", "pathology.ki67_percent": 70.0},  # NEC
        {"pathology.nec_subtype": None, "pathology.ki67_percent": 70.0},  # G3 or NEC
    ]
    masks = _frame(rows).select(grade_mask(G)).to_series().to_list()
    assert [sorted(_possible(m, GRADE_BITS)) for m in masks] == [["NEC"], ["NEC"], ["G3", "NEC"]]
    for row in rows:
        values = {k: v for k, v in row.items() if v is not None}
        assert derive_grade(values, G).possible == _possible(masks[rows.index(row)], GRADE_BITS)
