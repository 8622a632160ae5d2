"""Checks across the fields of one case document: statements that cannot all hold
(a single lesion in both lobes, an exact value outside the range given with it, an
invasion beyond the pancreas with no extension beyond it). Each problem names the field
to change; the whole document is rejected, as for a bad value.
"""

from __future__ import annotations

from collections.abc import Mapping

from nelm.case.fields import BOUNDS, Value
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
    """A range must be a range, and an exact value must lie inside the range given with it."""
    problems: list[Problem] = []
    for path, (lo_path, hi_path) in BOUNDS.items():
        lo, hi, exact = values.get(lo_path), values.get(hi_path), values.get(path)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            problems.append(
                Problem(hi_path, f"must be at least {lo_path} ({lo:g})", describe_value(hi))
            )
        if isinstance(exact, int | float) and not isinstance(exact, bool):
            if isinstance(lo, int | float) and exact < lo:
                problems.append(
                    Problem(
                        path,
                        f"must be at least {lo_path} ({lo:g}) when both are given",
                        describe_value(exact),
                    )
                )
            if isinstance(hi, int | float) and exact > hi:
                problems.append(
                    Problem(
                        path,
                        f"must be at most {hi_path} ({hi:g}) when both are given",
                        describe_value(exact),
                    )
                )
    return problems


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
