"""Checks across the fields of one case document: statements that cannot all hold
(a single lesion in both lobes, an exact value outside the range given with it, an
invasion beyond the pancreas with no extension beyond it). Each problem names the field
to change; the whole document is rejected, as for a bad value.
"""

from __future__ import annotations

from collections.abc import Mapping

from nelm.case.bound_order import apart, outside
from nelm.case.fields import BOUNDS, FIELD_BY_PATH, STRICT_BOUNDS, Value
from nelm.errors import Problem, describe_value

__all__ = ["cross_field_problems"]


def cross_field_problems(values: Mapping[str, Value]) -> list[Problem]:
    """Fields that cannot all hold as given: each problem names the field to change."""
    problems: list[Problem] = []
    if "pathology.nec_subtype" in values and values.get("pathology.differentiation") == "well":
        problems.append(
            Problem(
                "pathology.nec_subtype",
                "may be given only with poorly differentiated histology (case-v1)",
                f'{describe_value(values["pathology.nec_subtype"])} with differentiation "well"',
            )
        )
    distribution = values.get("liver.distribution")
    single = next(
        (p for p in ("liver.lesion_count", "liver.lesion_count_at_most") if values.get(p) == 1),
        None,
    )  # "at most one" lesion is one lesion: a case has at least one
    if single is not None and distribution in ("bilobar_dominant", "bilobar_diffuse"):
        problems.append(
            Problem(
                "liver.distribution",
                f"must be unilobar (or absent) when {single} is 1: "
                "a single lesion is type I (case-v1)",
                describe_value(distribution),
            )
        )
    if values.get("extrahepatic.present") is False and values.get("extrahepatic.sites"):
        problems.append(
            Problem(
                "extrahepatic.sites",
                "must be empty when extrahepatic.present is false",
                describe_value(list(values["extrahepatic.sites"])),  # type: ignore[arg-type]
            )
        )
    problems.extend(_extent_problems(values))
    problems.extend(_bound_problems(values))
    problems.extend(_report_problems(values))
    return problems


def _bound_problems(values: Mapping[str, Value]) -> list[Problem]:
    """A range must be a range, with one lower and one upper bound at most, and an exact
    value must lie inside the range given with it."""
    problems: list[Problem] = []
    for path, (lo_path, hi_path) in BOUNDS.items():
        above_path, below_path = STRICT_BOUNDS.get(path, (lo_path, hi_path))
        for inclusive, strict in ((lo_path, above_path), (hi_path, below_path)):
            given = _number(values.get(strict)) if strict != inclusive else None
            if given is not None and _number(values.get(inclusive)) is not None:
                problems.append(
                    Problem(
                        strict,
                        f"must be left out when {inclusive} is given "
                        "(one bound on each side: the tighter one)",
                        describe_value(values[strict]),  # as given: 10, not 10.0
                    )
                )
        lower = _end(values, lo_path, above_path, "more than", "at least")
        upper = _end(values, hi_path, below_path, "less than", "at most")
        spec = FIELD_BY_PATH[path]
        if lower is not None and upper is not None:
            (lo, lo_strict, lo_at, _), (hi, hi_strict, hi_at, _) = lower, upper
            if apart((lo, lo_strict), (hi, hi_strict)):
                need = "greater than" if lo_strict or hi_strict else "at least"
                problems.append(
                    Problem(
                        hi_at, f"must be {need} {lo_at} ({lo:g})", describe_value(values[hi_at])
                    )
                )
        # "more than 100 %" or "less than 0": no number of the field's range lies there (an
        # exclusive minimum already refuses the bound at it as out of range)
        lowest = None if spec.exclusive_minimum else spec.minimum
        for end, limit, beyond in ((lower, spec.maximum, "below"), (upper, lowest, "above")):
            if end is not None and end[1] and limit is not None and end[0] == limit:
                problems.append(
                    Problem(
                        end[2],
                        f"must be {beyond} {limit:g}: no {spec.label} lies {end[3]} it",
                        describe_value(values[end[2]]),
                    )
                )
        exact = _number(values.get(path))
        if exact is None:
            continue
        for side, end in (("lower", lower), ("upper", upper)):
            if end is not None and outside(exact, side, end[0], end[1]):
                problems.append(
                    Problem(
                        path,
                        f"must be {end[3]} {end[2]} ({end[0]:g}) when both are given",
                        describe_value(values[path]),
                    )
                )
    return problems


def _number(value: Value | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _end(
    values: Mapping[str, Value], inclusive: str, strict: str, strict_words: str, words: str
) -> tuple[float, bool, str, str] | None:
    """One end of a range as (number, strict, its field, how it reads); None when open."""
    if (given := _number(values.get(inclusive))) is not None:
        return given, False, inclusive, words
    if strict != inclusive and (given := _number(values.get(strict))) is not None:
        return given, True, strict, strict_words
    return None


def _report_problems(values: Mapping[str, Value]) -> list[Problem]:
    """Statements of a report that cannot both hold."""
    problems: list[Problem] = []
    bilobar, distribution = values.get("liver.bilobar"), values.get("liver.distribution")
    if bilobar is True and distribution == "unilobar":
        problems.append(
            Problem("liver.bilobar", "must not be true when liver.distribution is unilobar", "true")
        )
    if bilobar is False and distribution in ("bilobar_dominant", "bilobar_diffuse"):
        problems.append(
            Problem(
                "liver.bilobar",
                f"must not be false when liver.distribution is {distribution}",
                "false",
            )
        )
    if bilobar is True and 1 in (
        values.get("liver.lesion_count"),
        values.get("liver.lesion_count_at_most"),
    ):
        problems.append(
            Problem(
                "liver.bilobar",
                "must not be true with a single liver lesion (liver.lesion_count 1)",
                "true",
            )
        )
    reason = values.get("primary.unresectable_reason")
    if reason is not None and values.get("primary.surgical_assessment") == "resectable":
        problems.append(
            Problem(
                "primary.unresectable_reason",
                'may be given only when primary.surgical_assessment is not "resectable"',
                describe_value(reason),
            )
        )
    return problems


_INVASIONS = (
    "primary.invades_duodenum_or_bile_duct",
    "primary.invades_adjacent_organs",
    "primary.invades_celiac_axis_or_sma",
    "primary.invades_other_large_vessels",
)


def _extent_problems(values: Mapping[str, Value]) -> list[Problem]:
    """A primary that invades a structure outside the pancreas extends beyond it."""
    if values.get("primary.extends_beyond_pancreas") is not False:
        return []
    invading = [p for p in _INVASIONS if values.get(p) is True]
    if not invading:
        return []
    return [
        Problem(
            "primary.extends_beyond_pancreas",
            f"must be true (or absent) when {' and '.join(invading)} is true: an "
            "invasion outside the pancreas is an extension beyond it",
            "false",
        )
    ]
