"""Hypothesis strategies shared by the test suite: valid case documents with gaps.

Every generated document is valid case-v1; each field is present with a plausible value
or left out (unknown), so properties are exercised across the whole three-valued space.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from nelm.case.fields import BOUNDS, FIELD_BY_PATH, FIELDS, STRICT_BOUNDS, Field, Kind
from nelm.engine.conditions import leaves_of
from nelm.knowledge import load_knowledge


@cache
def rule_thresholds() -> dict[str, frozenset[float]]:
    """Every number a criterion compares a case field with, and the grade table's cut-offs
    (Ki-67 and mitotic count): the edges generated values are placed around."""
    kb = load_knowledge()
    found: dict[str, set[float]] = {}
    for spec in kb.options.values():
        for criterion in spec.criteria:
            for leaf in leaves_of(criterion.condition):
                operands = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
                for x in operands:
                    if isinstance(x, int | float) and not isinstance(x, bool):
                        found.setdefault(leaf.field, set()).add(float(x))
    g = kb.derivations.grade
    found.setdefault("pathology.ki67_percent", set()).update({g.ki67_g1_below, g.ki67_g2_max})
    found.setdefault("pathology.mitoses_per_2mm2", set()).update(
        {g.mitoses_g1_below, g.mitoses_g2_max}
    )
    return {path: frozenset(xs) for path, xs in found.items()}


def _value(field: Field) -> st.SearchStrategy[Any]:
    if field.kind is Kind.BOOLEAN:
        return st.booleans()
    if field.kind is Kind.CHOICE:
        return st.sampled_from(field.choices)
    if field.kind is Kind.CHOICES:
        return st.lists(st.sampled_from(field.choices), max_size=3, unique=True)
    lo = field.minimum if field.minimum is not None else 0.0
    hi = field.maximum if field.maximum is not None else lo + 60
    if field.kind is Kind.INTEGER:
        return st.integers(int(lo), int(min(hi, lo + 40)))
    # Round to one decimal, as clinical values are written; stay inside the range.
    floats = st.floats(lo, hi, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 1))
    return floats.filter(lambda x: lo <= x <= hi and not (field.exclusive_minimum and x <= lo))


@st.composite
def case_documents(draw: st.DrawFn, present: float = 0.7) -> dict[str, Any]:
    """A valid case document; each field is known with probability ``present``."""
    doc: dict[str, Any] = {"case_id": "generated"}
    for field in FIELDS:
        if draw(st.floats(0, 1)) < present:
            doc.setdefault(field.section, {})[field.name] = draw(_value(field))
    pathology = doc.get("pathology", {})
    if "nec_subtype" in pathology and pathology.get("differentiation") == "well":
        del pathology["nec_subtype"]
    liver = doc.get("liver", {})
    if liver.get("lesion_count") == 1 and liver.get("distribution", "unilobar") != "unilobar":
        liver["lesion_count"] = 2
    extrahepatic = doc.get("extrahepatic", {})
    if extrahepatic.get("present") is False:
        extrahepatic.pop("sites", None)
    primary = doc.get("primary", {})
    if primary.get("extends_beyond_pancreas") is False and any(
        primary.get(name) is True for name in _INVASIONS
    ):
        primary["extends_beyond_pancreas"] = True  # an invasion is an extension beyond
    _keep_ranges(draw, doc)
    if liver.get("lesion_count_at_most") == 1 and liver.get("distribution", "unilobar") != (
        "unilobar"
    ):
        liver["lesion_count_at_most"] = 2  # at most one lesion is one: type I (case-v1)
    if liver.get("bilobar") is True and (
        liver.get("distribution") == "unilobar"
        or 1 in (liver.get("lesion_count"), liver.get("lesion_count_at_most"))
    ):
        del liver["bilobar"]
    if liver.get("bilobar") is False and liver.get("distribution", "unilobar") != "unilobar":
        del liver["bilobar"]
    primary = doc.get("primary", {})
    if primary.get("surgical_assessment") == "resectable":
        primary.pop("unresectable_reason", None)
    return doc


_INVASIONS = (
    "invades_duodenum_or_bile_duct",
    "invades_adjacent_organs",
    "invades_celiac_axis_or_sma",
    "invades_other_large_vessels",
)


def _keep_ranges(draw: st.DrawFn, doc: dict[str, Any]) -> None:
    """Bounds in order and around the exact value; often only the bounds (a report's
    range), so that interval facts are exercised."""
    for path, (lo_path, hi_path) in BOUNDS.items():
        section, name = path.split(".")
        body = doc.get(section, {})
        lo_name, hi_name = lo_path.split(".")[1], hi_path.split(".")[1]
        lo, hi = body.get(lo_name), body.get(hi_name)
        if lo is not None and hi is not None and lo > hi:
            body[lo_name], body[hi_name] = hi, lo
            lo, hi = hi, lo
        exact = body.get(name)
        if exact is None:
            continue
        if (lo is not None or hi is not None) and draw(st.booleans()):
            del body[name]  # the report gave only the range
        elif (lo is not None and exact < lo) or (hi is not None and exact > hi):
            body.pop(lo_name, None)
            body.pop(hi_name, None)
    for path, (above_path, below_path) in STRICT_BOUNDS.items():
        section = path.split(".")[0]
        if section in doc:
            _keep_strict(draw, doc[section], path, above_path, below_path)


def _keep_strict(
    draw: st.DrawFn, body: dict[str, Any], path: str, above_path: str, below_path: str
) -> None:
    """One bound on each side (the inclusive or the strict one), and a strict bound only
    where a number of the field's range lies beyond it and inside the others."""
    name = path.split(".")[1]
    lo_name, hi_name = (p.split(".")[1] for p in BOUNDS[path])
    above_name, below_name = above_path.split(".")[1], below_path.split(".")[1]
    for inclusive, strict in ((lo_name, above_name), (hi_name, below_name)):
        if inclusive in body and strict in body:
            del body[draw(st.sampled_from([inclusive, strict]))]
    spec = FIELD_BY_PATH[path]
    exact, lo, hi = body.get(name), body.get(lo_name), body.get(hi_name)
    above, below = body.get(above_name), body.get(below_name)
    if above is not None and (
        (hi is not None and above >= hi)
        or (below is not None and above >= below)
        or (exact is not None and exact <= above)
        or (spec.maximum is not None and above >= spec.maximum)
    ):
        del body[above_name]
    if below is not None and (
        (lo is not None and below <= lo)
        or (body.get(above_name) is not None and below <= body[above_name])
        or (exact is not None and exact >= below)
        or (spec.minimum is not None and below <= spec.minimum)
    ):
        del body[below_name]
