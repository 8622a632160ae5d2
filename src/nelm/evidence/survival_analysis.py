"""The survival question: a Weibull curve for every arm of a modality that reports two or
more anchors (median, landmark rates), the arms not drawn with their reasons, the
evidence-v1 survival document and the figure. ``nelm evidence survival``, the web evidence
pages and the reports all call :func:`survival` and :func:`survival_plot`.

The fitting itself is :mod:`nelm.evidence.survival`; the drawing
:mod:`nelm.evidence.survival_plot`. numpy, scipy and matplotlib are imported inside the
functions that need them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from nelm.errors import InputRejected, Problem, not_one_of
from nelm.evidence.labels import source_label
from nelm.evidence.records import arm_label, source_text
from nelm.vocabulary import modality_title, vocabulary

if TYPE_CHECKING:
    from nelm.evidence.records import EvidenceRecord
    from nelm.evidence.survival import FitRefused, WeibullFit

__all__ = [
    "HIGH_GRADE_MARK",
    "NOT_DRAWN_WORDS",
    "SELECTED_SUBGROUP_MARK",
    "SurvivalAnalysis",
    "curve_label",
    "is_high_grade",
    "not_drawn_text",
    "survival",
    "survival_plot",
    "survival_title",
]


@dataclass(frozen=True, slots=True)
class SurvivalAnalysis:
    """Every arm of a modality fitted (or refused, with the reason), and the document."""

    modality: str
    kind: str
    fitted: tuple[tuple[EvidenceRecord, WeibullFit | FitRefused], ...]
    document: Mapping[str, Any]

    @property
    def drawn(self) -> int:
        return len(self.document["curves"])


SELECTED_SUBGROUP_MARK: Final = " (selected subgroup)"
HIGH_GRADE_MARK: Final = "HIGH GRADE"
"""Begins the label of a high-grade arm drawn on request: "HIGH GRADE (neuroendocrine
carcinoma) · Feng 2019 · …", so it cannot be read as one of the G1–G2 arms beside it."""


def is_high_grade(record: EvidenceRecord) -> bool:
    """A high-grade population (``nec``, ``nen_g3``): pooled and drawn only when asked for
    (``selection.HIGH_GRADE_POPULATIONS``; 001 Figure 2, 000 §4)."""
    from nelm.evidence.selection import HIGH_GRADE_POPULATIONS

    return record.population in HIGH_GRADE_POPULATIONS


def curve_label(record: EvidenceRecord) -> str:
    """``Mayo 2011 · Surgery · n = 339``; an arm flagged ``selected_subgroup`` says so, and
    a high-grade arm begins with ``HIGH GRADE (neuroendocrine carcinoma)``."""
    from nelm.vocabulary import population_title

    subgroup = SELECTED_SUBGROUP_MARK if "selected_subgroup" in record.flags else ""
    grade = (
        f"{HIGH_GRADE_MARK} ({population_title(record.population)}) · "
        if is_high_grade(record)
        else ""
    )
    return grade + arm_label(record) + subgroup + (f" · n = {record.n}" if record.n else "")


def _range_basis(fit: WeibullFit, follow_up: float | None) -> str:
    last = max(fit.anchors, key=lambda a: a.months)
    if follow_up is not None and follow_up > last.months:
        return f"median follow-up {follow_up:g} mo"
    return last.label


def _survival_document(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]],
    *,
    modality: str,
    kind: str,
    high_grade: bool,
) -> dict[str, Any]:
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CAPTION

    curves: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for record, result in fitted:
        who = {
            "id": record.id,
            "study_key": record.study_key,
            "author": record.author,
            "year": record.year,
            "arm": record.arm,
        }
        if not isinstance(result, WeibullFit):
            skipped.append({**who, "code": str(result.code), "reason": result.reason})
            continue
        curves.append(
            {
                **who,
                "label": curve_label(record),
                "design": record.design,
                "population": record.population,
                "n": record.n,
                "shape": round(result.shape, 4),
                "shape_bounds": (
                    None
                    if result.shape_bounds is None
                    else [round(result.shape_bounds[0], 4), round(result.shape_bounds[1], 4)]
                ),
                "scale_months": round(result.scale_months, 2),
                "range_months": [0, round(result.max_months, 2)],
                "range_basis": _range_basis(result, record.follow_up_months),
                "rmse_cloglog": round(result.rmse_cloglog, 4),
                "anchors": [
                    {
                        "label": a.label,
                        "months": a.months,
                        "survival_percent": round(100 * a.survival, 2),
                        "fitted_percent": round(100 * value, 1),
                    }
                    for a, value in zip(result.anchors, result.fitted_at_anchors(), strict=True)
                ],
                "source": dict(record.source),
                "source_text": source_text(record.source),
                "source_label": source_label(record.source),
                "flags": list(record.flags),
                "selected_subgroup": "selected_subgroup" in record.flags,
                "high_grade": is_high_grade(record),
                "misses": list(result.misses()),
                "notes": list(result.notes),
            }
        )
    return {
        "modality": modality,
        "kind": kind,
        "title": survival_title(modality, kind),
        "method": (
            "Weibull S(t) = exp(-(t/scale)^shape), least squares on the "
            "complementary log-log scale through the published median and landmark "
            "rates; drawn from 0 to the last reported time point only"
        ),
        "caption": CAPTION,
        "high_grade_included": high_grade,
        "curves": curves,
        "skipped": skipped,
    }


def survival_title(modality: str, kind: str) -> str:
    """``Overall survival after TACE``."""
    words = vocabulary().survival_kinds.get(kind, kind)
    return f"{words[:1].upper()}{words[1:]} after {modality_title(modality)}"


COMBINATION_NOT_DRAWN: Final = (
    "the modality was given together with another treatment (flag combination_therapy); "
    "drawn, the curve would pass for the modality's survival (not pooled either)"
)


SUBGROUP_NOT_DRAWN: Final = (
    "the figures describe a subgroup of the arm, not the arm (flag subgroup_outcome); "
    "drawn, the curve would pass for the modality's survival"
)


REVIEW_NOT_DRAWN: Final = (
    "a review's or meta-analysis' summary across studies, not one study arm "
    "(docs/methods.md: not pooled either)"
)
_REVIEW_DESIGNS: Final = frozenset({"meta_analysis", "systematic_review"})


def _fit_whole_arm(record: EvidenceRecord, kind: str) -> WeibullFit | FitRefused:
    """A curve only for one study arm's own figures: a review's summary across studies, a
    record that no statistic uses (``selection.never_pooled_reason``) and a subgroup's
    (often favourable) survival are never drawn as if they were an arm's."""
    from nelm.evidence.selection import never_pooled_reason
    from nelm.evidence.survival import FitRefused, RefusalCode, fit_record

    if record.design in _REVIEW_DESIGNS or {"pooled_estimate", "median_of_studies"} & set(
        record.flags
    ):
        return FitRefused(RefusalCode.REVIEW, REVIEW_NOT_DRAWN)
    set_aside = never_pooled_reason(record, kind)
    if set_aside is not None:
        return FitRefused(RefusalCode.SET_ASIDE, set_aside)
    if "subgroup_outcome" in record.flags:
        return FitRefused(RefusalCode.SUBGROUP, SUBGROUP_NOT_DRAWN)
    if "combination_therapy" in record.flags:
        return FitRefused(RefusalCode.COMBINATION, COMBINATION_NOT_DRAWN)
    return fit_record(record, kind)


HIGH_GRADE_NOT_DRAWN: Final = (
    "a high-grade population ({population}): not drawn beside G1–G2 NET, as it is not "
    "pooled with them (the source reviews' algorithms are for well-differentiated G1/G2 NELM, 001 "
    "Figure 2; 000 §4 reports the G3 PRRT series separately); drawn, marked high grade, "
    "when high-grade arms are asked for"
)


def _high_grade_on_request(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]], high_grade: bool
) -> list[tuple[EvidenceRecord, WeibullFit | FitRefused]]:
    """The pools' rule for a figure: a high-grade arm that could be drawn is drawn only
    when asked for (``high_grade``); otherwise it is listed as not drawn, saying why. An
    arm that could not be drawn anyway keeps its own reason."""
    from nelm.evidence.survival import FitRefused, RefusalCode, WeibullFit

    if high_grade:
        return list(fitted)
    return [
        (
            record,
            FitRefused(
                RefusalCode.HIGH_GRADE,
                HIGH_GRADE_NOT_DRAWN.format(population=record.population),
                result.anchors,
            )
            if isinstance(result, WeibullFit) and is_high_grade(record)
            else result,
        )
        for record, result in fitted
    ]


def _without_lone_subgroups(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]], kind: str
) -> list[tuple[EvidenceRecord, WeibullFit | FitRefused]]:
    """The statistics' rule for a figure: an arm flagged ``selected_subgroup`` whose other
    part of the same study is set aside by a flag is not drawn, since alone it would stand
    for the whole study (Kaemmerer 2021, 000 Table 4: after primary-tumour resection,
    median OS 134 months, beside the shifted second row)."""
    from nelm.evidence.selection import never_pooled_reason, same_study
    from nelm.evidence.survival import FitRefused, RefusalCode

    records = [record for record, _ in fitted]
    kept: list[tuple[EvidenceRecord, WeibullFit | FitRefused]] = []
    for record, result in fitted:
        partner = next(
            (
                other
                for other in records
                if "selected_subgroup" in record.flags
                and "selected_subgroup" in other.flags
                and other.id != record.id
                and same_study(record, other)
                and never_pooled_reason(other, kind) is not None
            ),
            None,
        )
        if partner is None:
            kept.append((record, result))
        else:
            kept.append(
                (
                    record,
                    FitRefused(
                        RefusalCode.LONE_SUBGROUP,
                        "a subgroup of its study selected by a prognostic factor (flag "
                        f"selected_subgroup) whose other part, {arm_label(partner)}, is set "
                        "aside: alone its curve would stand for the study's selected part "
                        "only (not pooled either)",
                    ),
                )
            )
    return kept


def _drawn_once(
    fitted: Sequence[tuple[EvidenceRecord, WeibullFit | FitRefused]],
) -> tuple[tuple[EvidenceRecord, WeibullFit | FitRefused], ...]:
    """One curve per study arm and per cohort, by the pooling rules (``selection``): of
    the sources of one arm, the one read from a table, then the lower seed number; of a
    cohort published twice (flag ``cohort_overlap``, same first author and n), the most
    recent publication. The others are listed as not drawn, naming the one drawn."""
    from nelm.evidence.selection import preference
    from nelm.evidence.survival import FitRefused, RefusalCode, WeibullFit

    drop: dict[str, FitRefused] = {}
    by_key: dict[str, list[EvidenceRecord]] = {}
    for record, result in fitted:
        if isinstance(result, WeibullFit):
            by_key.setdefault(record.study_key, []).append(record)
    for group in by_key.values():
        ordered = sorted(group, key=preference)
        for other in ordered[1:]:
            drop[other.id] = FitRefused(
                RefusalCode.SAME_ARM,
                f"the same study arm as {ordered[0].id} ({source_text(ordered[0].source)}), "
                "which is drawn: one curve per arm",
            )
    cohorts: dict[tuple[str, int], list[EvidenceRecord]] = {}
    for record, result in fitted:
        if (
            isinstance(result, WeibullFit)
            and record.id not in drop
            and "cohort_overlap" in record.flags
            and record.n is not None
        ):
            cohorts.setdefault((record.author.casefold(), record.n), []).append(record)
    for group in cohorts.values():
        latest = max(group, key=lambda r: (r.year or 0, r.study_key))
        for other in group:
            if other is not latest:
                drop[other.id] = FitRefused(
                    RefusalCode.SAME_COHORT,
                    f"the same cohort as {latest.id} (flag cohort_overlap, same author and "
                    f"n = {other.n}), drawn once as its most recent publication",
                )
    return tuple((record, drop.get(record.id, result)) for record, result in fitted)


def survival(modality: str, kind: str = "os", *, high_grade: bool = False) -> SurvivalAnalysis:
    """Fit a Weibull curve to every arm of ``modality`` that reports two or more anchors.

    High-grade arms (``nec``, ``nen_g3``) are drawn only when ``high_grade`` asks for them,
    as the pools use them only when their population is asked for; drawn, they are marked
    (``HIGH GRADE`` label, their own line style and key entry)."""
    from nelm.evidence.records import MODALITIES, records_for
    from nelm.evidence.survival import KINDS

    problems: list[Problem] = []
    if modality not in MODALITIES:
        problems.append(not_one_of("modality", modality, MODALITIES))
    if kind not in KINDS:
        problems.append(not_one_of("kind", kind, KINDS))
    if problems:
        raise InputRejected(problems)
    records = sorted(
        records_for(modality=modality), key=lambda r: (r.year or 0, r.author, r.study_key, r.id)
    )
    fitted = _drawn_once(
        _without_lone_subgroups(
            _high_grade_on_request(
                [(record, _fit_whole_arm(record, kind)) for record in records], high_grade
            ),
            kind,
        )
    )
    document = _survival_document(fitted, modality=modality, kind=kind, high_grade=high_grade)
    return SurvivalAnalysis(modality, kind, fitted, document)


# Why an arm is not drawn, in a few words for a figure's subtitle (the CLI and the JSON
# give each arm's full reason), in the order a reader looks for them.
NOT_DRAWN_WORDS: Final = {
    "no_anchor": "without a survival figure",
    "one_anchor": "with one figure only",
    "single_time": "with figures at one time only",
    "boundary_survival": "with only 0% or 100% figures",
    "contradictory": "with contradictory figures",
    "non_monotone": "with figures rising over time",
    "non_positive_shape": "with no falling curve",
    "contradicts_not_reached": "contradicting a median not reached",
    "mean_not_median": "with a mean as the median",
    "imprecise": "with figures too close to fix a shape",
    "invalid_value": "with an invalid value",
    "subgroup_outcome": "with subgroup-only figures",
    "lone_subgroup": "a selected subgroup whose other part is set aside",
    "combination_therapy": "given with another treatment",
    "high_grade": "high-grade (NEC, G3), drawn only when asked for",
    "review_summary": "from reviews",
    "set_aside": "set aside by a flag",
    "same_arm": "repeated in another source",
    "same_cohort": "from a republished cohort",
}


def not_drawn_text(skipped: Sequence[Mapping[str, Any]]) -> str:
    """``Not drawn: 14 without a survival figure, 6 with one figure only, 2 from reviews``."""
    counts: dict[str, int] = {}
    for item in skipped:
        counts[str(item["code"])] = counts.get(str(item["code"]), 0) + 1
    if not counts:
        return ""
    order = list(NOT_DRAWN_WORDS)
    parts = [
        f"{count} {NOT_DRAWN_WORDS.get(code, code)}"
        for code, count in sorted(
            counts.items(), key=lambda c: order.index(c[0]) if c[0] in order else len(order)
        )
    ]
    return "Not drawn: " + ", ".join(parts)


def survival_plot(analysis: SurvivalAnalysis, fmt: str) -> bytes:
    """The approximate curves of ``analysis`` drawn as ``svg`` or ``png``."""
    from nelm.evidence.survival import WeibullFit
    from nelm.evidence.survival_plot import CurveSpec, render_survival_plot

    drawn = [(r, f) for r, f in analysis.fitted if isinstance(f, WeibullFit)]
    specs = [
        CurveSpec(result, curve_label(record), source_label(record.source), is_high_grade(record))
        for record, result in drawn
    ]
    subtitle = (
        f"Weibull curves through published medians and landmark rates · "
        f"{len(specs)} study arm{'s' if len(specs) != 1 else ''} drawn"
    )
    subgroups = sum(1 for r, _ in drawn if "selected_subgroup" in r.flags)
    if subgroups and subgroups == len(drawn):
        who = f"not {modality_title(analysis.modality)} patients in general"
        subtitle += (
            f" · the only curve drawn is a selected subgroup, {who}"
            if subgroups == 1
            else f" · every curve drawn is a selected subgroup, {who}"
        )
    elif subgroups:
        subtitle += f" · {subgroups} of them a selected subgroup"
    graded = sum(1 for spec in specs if spec.high_grade)
    if graded:
        subtitle += (
            f" · {graded} of them HIGH GRADE (NEC, G3), drawn as asked and dotted: "
            "not comparable with the G1–G2 arms"
        )
    not_drawn = not_drawn_text(analysis.document["skipped"])
    if not_drawn:
        subtitle += f" · {not_drawn}"
    return render_survival_plot(
        specs, fmt, title=str(analysis.document["title"]), subtitle=subtitle, kind=analysis.kind
    )
