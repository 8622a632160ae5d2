"""Which evidence records enter a statistic, and why each other record is set aside.

Which records enter the statistic, in this order (every record set aside is listed in the
output with its reason; nothing is dropped silently):

1. The records of ``--modality`` with a number for ``--outcome``, narrowed by
   ``--population``, ``--design``, ``--year-from`` and ``--year-to`` when given.
2. Set aside: an arm without a patient count; a review's or meta-analysis' summary value
   (design ``meta_analysis``/``systematic_review``, flags ``pooled_estimate``,
   ``median_of_studies``: pooling it with the studies it summarises would count patients
   twice); flag ``entire_cohort`` for morbidity and mortality (the cells the footnote
   marks describe the whole cohort, not this arm); flag ``mean_not_median`` for median
   outcomes (the "median" is a mean; the row's percentages are unaffected and stay);
   ``combination_therapy`` (the flag's own rule: exclude when pooling the modality alone);
   ``subgroup_outcome`` (the arm's n does not apply to the value);
   ``major_complications_only`` for ``morbidity_percent``.
3. One record per ``study_key`` (the same arm reported by two sources): the one read from a
   table (the primary table) before one from running text (locator ``§…``), then the lower
   seed number, then the record id. The others are listed, with their values when these
   differ.
4. Records flagged ``cohort_overlap`` with the same first author and the same n are one
   cohort published twice: the most recent publication is used, the others listed.

Used by ``nelm evidence pool`` and by the evidence summary of every assessment, so both
count the same studies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from nelm.evidence.records import EvidenceRecord

__all__ = ["Duplicate", "Exclusion", "Selection", "is_median_outcome", "select_records"]

_REVIEW_DESIGNS: Final = frozenset({"meta_analysis", "systematic_review"})
# The cells that 000 Table 2 ("¥": morbidity, 30-day mortality) and Table 3 ("‡": 30-day
# mortality) mark as describing the whole cohort; the arm's other outcomes are its own.
COHORT_WIDE_OUTCOMES: Final = frozenset({"morbidity_percent", "mortality_percent"})


def is_median_outcome(outcome: str) -> bool:
    """Medians (``*_months``) are summarised, not pooled."""
    return outcome.endswith("_months")


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A record kept out of the statistic, and why."""

    record: EvidenceRecord
    reason: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Records of one study arm from several sources: the one used and the others."""

    study_key: str
    used: EvidenceRecord
    others: tuple[EvidenceRecord, ...]


@dataclass(frozen=True, slots=True)
class Selection:
    """The records that enter the statistic, and every record set aside with its reason."""

    used: tuple[EvidenceRecord, ...]
    excluded: tuple[Exclusion, ...]
    duplicates: tuple[Duplicate, ...]
    notes: tuple[str, ...] = ()


def _exclusion_reason(record: EvidenceRecord, outcome: str) -> str | None:
    flags = set(record.flags)
    if record.n is None:
        return "number of patients not reported"
    if record.design in _REVIEW_DESIGNS or flags & {"pooled_estimate", "median_of_studies"}:
        return (
            "a review's summary across studies, not one cohort (pooling it with the "
            "studies it summarises would count patients twice)"
        )
    if "entire_cohort" in flags and outcome in COHORT_WIDE_OUTCOMES:
        return (
            "a value of this row describes the study's whole cohort, not this arm "
            "(flag entire_cohort)"
        )
    if "mean_not_median" in flags and is_median_outcome(outcome):
        return "the source's median is a mean (flag mean_not_median)"
    if "combination_therapy" in flags:
        return "the modality was given together with another treatment (flag combination_therapy)"
    if "subgroup_outcome" in flags:
        return (
            "an outcome describes a subgroup of the arm, so n does not apply "
            "(flag subgroup_outcome)"
        )
    if "major_complications_only" in flags and outcome == "morbidity_percent":
        return "morbidity counts major complications only (flag major_complications_only)"
    return None


def _preference(record: EvidenceRecord) -> tuple[int, str, str]:
    """Sort key of the rule "primary table first": table, then seed number, then id."""
    from_text = str(record.source.get("locator", "")).startswith("§")
    return (1 if from_text else 0, str(record.source.get("seed", "~")), record.id)


def select_records(records: Sequence[EvidenceRecord], outcome: str) -> Selection:
    """Apply the rules of this module's docstring (steps 2–4) to ``records``."""
    excluded: list[Exclusion] = []
    eligible: list[EvidenceRecord] = []
    for record in records:
        reason = _exclusion_reason(record, outcome)
        if reason is None:
            eligible.append(record)
        else:
            excluded.append(Exclusion(record, reason))

    by_key: dict[str, list[EvidenceRecord]] = {}
    for record in eligible:
        by_key.setdefault(record.study_key, []).append(record)
    duplicates: list[Duplicate] = []
    kept: list[EvidenceRecord] = []
    for key, group in by_key.items():
        ordered = sorted(group, key=_preference)
        kept.append(ordered[0])
        if len(ordered) > 1:
            duplicates.append(Duplicate(key, ordered[0], tuple(ordered[1:])))

    overlapping: dict[tuple[str, int | None], list[EvidenceRecord]] = {}
    for record in kept:
        if "cohort_overlap" in record.flags:
            overlapping.setdefault((record.author.casefold(), record.n), []).append(record)
    dropped: set[str] = set()
    notes: list[str] = []
    for group in overlapping.values():
        if len(group) == 1:
            notes.append(
                f"{group[0].id}: patients overlap another cohort that is not in this "
                "selection (flag cohort_overlap)"
            )
        latest = max(group, key=lambda r: (r.year or 0, r.study_key))
        for record in group:
            if record is not latest:
                dropped.add(record.id)
                excluded.append(
                    Exclusion(
                        record,
                        f"same cohort as {latest.study_key} (flag cohort_overlap, same author "
                        f"and n = {record.n}); the most recent publication is used",
                    )
                )
    used = tuple(
        sorted(
            (r for r in kept if r.id not in dropped),
            key=lambda r: (r.year or 0, r.author, r.study_key, r.id),
        )
    )
    for record in used:
        if "pfs_or_ttp" in record.flags and outcome == "median_pfs_months":
            notes.append(f"{record.id}: from a column headed 'Median PFS/TTP'")
        if "text_table_discrepancy" in record.flags:
            notes.append(f"{record.id}: the seed's text and table disagree (see the record)")
    return Selection(
        used=used, excluded=tuple(excluded), duplicates=tuple(duplicates), notes=tuple(notes)
    )
