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
   ``major_complications_only`` for ``morbidity_percent``; ``column_shift_corrected``
   (the value depends on reading a shifted row one way: 000 Table 4, Kaemmerer 2021, whose
   literal reading 000 §4 itself follows); ``not_nelm_cohort`` (not a series of
   neuroendocrine liver metastases); ``simulation_study``; ``repeat_resection`` (not a
   first resection); ``os_probably_dfs`` for overall-survival outcomes;
   ``response_subset`` for response outcomes (the denominator is not n);
   ``response_sum_over_100`` for response outcomes (CR+PR, SD and PD printed for the arm
   add up to more than 100 % beyond rounding: one of them is wrong);
   ``ambiguous_percent`` for percentages (it may be the degree of an effect, not a share
   of patients); for an OS or PFS median, an arm whose median contradicts its own landmark
   rates in any of its sources (a 5-year rate below 50 % with a median above 60 months, or
   above 50 % with a median below 60 months: Dong 2011, Norton 2003; also a caution); and,
   unless a
   population is asked for, a high-grade population (``nec``, ``nen_g3``), which is not
   pooled with G1–G2 NET (001 Figure 2 is the algorithm for well-differentiated G1/G2
   NELM; 000 §4 reports the G3 PRRT series separately).

   Before this, an arm without a patient count, or with the flag ``n_superseded``, takes
   the count that the other sources of the same study arm (same ``study_key``) agree on;
   the output says so, and says when the record reports a later analysis of the study than
   the source of the count (flag ``later_analysis``: NETTER-1's final OS analysis).
3. One record per ``study_key`` (the same arm reported by two sources): the one read from a
   table (the primary table) before one from running text (locator ``§…``), then the lower
   seed number, then the record id. The others are listed, with their values when these
   differ.
4. Records flagged ``cohort_overlap`` with the same first author and the same n are one
   cohort published twice: the most recent publication is used, the others listed.

Cautions, printed beside the result: a used arm whose sources disagree on its patient
count, or whose count came from another source (and whether from an earlier analysis); an
arm flagged ``selected_subgroup`` (a subgroup selected by a prognostic factor); and an arm
left out of a median summary because its median contradicts its landmark rates.

Used by ``nelm evidence pool`` and by the evidence summary of every assessment, so both
count the same studies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from nelm.evidence.records import EvidenceRecord, arm_label, source_text

__all__ = [
    "HIGH_GRADE_POPULATIONS",
    "RESPONSE_OUTCOMES",
    "Duplicate",
    "Exclusion",
    "Selection",
    "is_median_outcome",
    "median_contradiction",
    "never_pooled_reason",
    "preference",
    "same_study",
    "select_records",
]

_REVIEW_DESIGNS: Final = frozenset({"meta_analysis", "systematic_review"})
# The cells that 000 Table 2 ("¥": morbidity, 30-day mortality) and Table 3 ("‡": 30-day
# mortality) mark as describing the whole cohort; the arm's other outcomes are its own.
COHORT_WIDE_OUTCOMES: Final = frozenset({"morbidity_percent", "mortality_percent"})
# Populations of grade 3 tumours: pooled only when asked for (--population), never with the
# G1–G2 NET series that the seeds' treatment algorithms are about (001 Figure 2).
HIGH_GRADE_POPULATIONS: Final = frozenset({"nec", "nen_g3"})
# The imaging-response outcomes, whose denominator is the patients imaged.
RESPONSE_OUTCOMES: Final = frozenset(
    {"orr_percent", "stable_disease_percent", "progressive_disease_percent", "dcr_percent"}
)


def _is_os(outcome: str) -> bool:
    return outcome == "median_os_months" or outcome.startswith("os_")


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
    cautions: tuple[str, ...] = ()


def never_pooled_reason(record: EvidenceRecord, outcome: str) -> str | None:
    """Why a record's ``outcome`` (``os`` or ``pfs`` for a curve) describes no cohort of
    the modality's patients, whoever asks: the flags that keep a record out of every
    statistic and every survival figure. None when nothing does."""
    flags = set(record.flags)
    if "column_shift_corrected" in flags:
        return (
            "the value depends on reading a shifted row one column to the left, and the "
            "literal reading gives another value (flag column_shift_corrected; see the note)"
        )
    if "not_nelm_cohort" in flags:
        return (
            "not a series of patients with neuroendocrine liver metastases "
            "(flag not_nelm_cohort; see the note)"
        )
    if "simulation_study" in flags:
        return "the reference describes a simulation study (flag simulation_study)"
    if "repeat_resection" in flags:
        return "repeat resection for recurrence, not a first resection (flag repeat_resection)"
    if "os_probably_dfs" in flags and (_is_os(outcome) or outcome == "os"):
        return (
            "the printed OS figures repeat the DFS figures and the study is about "
            "disease-free survival (flag os_probably_dfs)"
        )
    if "response_subset" in flags and outcome in RESPONSE_OUTCOMES:
        return (
            "the response figures describe only the patients with imaging follow-up, "
            "fewer than n (flag response_subset; see the note)"
        )
    if "response_sum_over_100" in flags and outcome in RESPONSE_OUTCOMES:
        return (
            "the printed response shares add up to more than 100 % of the arm, so at least "
            "one is wrong (flag response_sum_over_100; see the note)"
        )
    if "ambiguous_percent" in flags and outcome.endswith("_percent"):
        return (
            "the percentage may describe the degree of an effect rather than the share of "
            "patients (flag ambiguous_percent; see the note)"
        )
    return None


_CONTRADICTS: Final = "the printed median contradicts the arm's own landmark rates"
_LANDMARK_RE: Final = re.compile(r"^(?P<kind>os|pfs)_(?P<years>[1-9][0-9]?)y_percent$")


def median_contradiction(
    record: EvidenceRecord, outcome: str, siblings: Sequence[EvidenceRecord] = ()
) -> str | None:
    """The arm's printed median and its landmark rates of the same survival when they
    contradict each other (a landmark before the median below 50 %, or one after it above
    50 %), in the printed values with their sources; None when they agree or ``outcome``
    is no OS/PFS median. The landmarks are the record's and those of the other sources of
    the same study arm in ``siblings`` (same ``study_key``).

    Dong 2011 (000 Table 2): median OS 65 months with 36 % alive at 5 years."""
    kind = {"median_os_months": "os", "median_pfs_months": "pfs"}.get(outcome)
    if kind is None or outcome not in record.outcomes:
        return None
    median = record.outcomes[outcome]
    sources = [record] + [
        s for s in siblings if s.study_key == record.study_key and s.id != record.id
    ]
    found: dict[str, str] = {}
    for source in sources:
        for name, value in source.outcomes.items():
            match = _LANDMARK_RE.match(name)
            if match is None or match["kind"] != kind or name in found:
                continue
            months = 12 * int(match["years"])
            if (months < median and value < 50) or (months > median and value > 50):
                found[name] = (
                    f"{match['years']}-year {kind.upper()} {value:g}% "
                    f"({source_text(source.source)})"
                )
    if not found:
        return None
    return (
        f"median {kind.upper()} {median:g} months ({source_text(record.source)}), "
        f"but {' and '.join(found.values())}"
    )


def _exclusion_reason(
    record: EvidenceRecord,
    outcome: str,
    *,
    high_grade_admitted: bool,
    siblings: Sequence[EvidenceRecord] = (),
) -> str | None:
    flags = set(record.flags)
    if record.n is None:
        return "number of patients not reported"
    never = never_pooled_reason(record, outcome)
    if never is not None:
        return never
    if record.population in HIGH_GRADE_POPULATIONS and not high_grade_admitted:
        return (
            f"a high-grade population ({record.population}): not pooled with G1–G2 NET "
            "(the source reviews' algorithms are for well-differentiated G1/G2 NELM, 001 "
            f"Figure 2); ask for population {record.population} to pool it"
        )
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
    contradiction = median_contradiction(record, outcome, siblings)
    if contradiction is not None:
        return (
            f"{_CONTRADICTS} ({contradiction}): the figures cannot all describe one survival curve"
        )
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


def preference(record: EvidenceRecord) -> tuple[int, str, str]:
    """Sort key of the rule "primary table first": table, then seed number, then id."""
    from_text = str(record.source.get("locator", "")).startswith("§")
    return (1 if from_text else 0, str(record.source.get("seed", "~")), record.id)


def _counts(record: EvidenceRecord, siblings: Sequence[EvidenceRecord]) -> list[EvidenceRecord]:
    """The other records of the same study arm that state a patient count."""
    return [
        s
        for s in siblings
        if s.study_key == record.study_key and s.id != record.id and s.n is not None
    ]


def _borrowed_n(
    record: EvidenceRecord, siblings: Sequence[EvidenceRecord]
) -> tuple[EvidenceRecord, str | None]:
    """The record with the patient count the other sources of its arm agree on, when it
    states none or its own is flagged ``n_superseded``; and the sentence that says so."""
    if record.n is not None and "n_superseded" not in record.flags:
        return record, None
    others = [s for s in _counts(record, siblings) if "n_superseded" not in s.flags]
    values = {s.n for s in others}
    if len(values) != 1:
        return record, None
    n = values.pop()
    where = "; ".join(source_text(s.source) for s in others)
    if record.n is None:
        sentence = (
            f"{arm_label(record)} ({source_text(record.source)}) gives no patient count: "
            f"n = {n} is the count {where} gives for the same study arm"
        )
        if "later_analysis" in record.flags:
            sentence += (
                f"; but {source_text(record.source)} reports a later analysis of the study "
                f"than {where}, so the {n} patients belong to the earlier analysis (flag "
                "later_analysis; see the record's note)"
            )
    else:
        sentence = (
            f"{arm_label(record)}: n = {n} as {where} gives it, not the {record.n} printed in "
            f"{source_text(record.source)} (flag n_superseded; see the record's note)"
        )
    return replace(record, n=n), sentence


def _n_disagreement(
    record: EvidenceRecord, siblings: Sequence[EvidenceRecord], outcome: str
) -> str | None:
    """A caution when the sources that report ``outcome`` for a used arm print different
    patient counts (a source set aside for this outcome by a flag does not count)."""
    stated = [
        s
        for s in siblings
        if s.study_key == record.study_key
        and s.n is not None
        and outcome in s.outcomes
        and never_pooled_reason(s, outcome) is None
    ]
    if len({s.n for s in stated}) < 2:
        return None
    values = ", ".join(f"{s.n} ({source_text(s.source)})" for s in stated)
    return (
        f"{arm_label(record)}: the sources give different patient counts for this study arm "
        f"({values}); this statistic uses n = {record.n}"
    )


def same_study(a: EvidenceRecord, b: EvidenceRecord) -> bool:
    return (a.author, a.year, a.source.get("seed"), a.source.get("locator")) == (
        b.author,
        b.year,
        b.source.get("seed"),
        b.source.get("locator"),
    )


def _without_lone_subgroups(
    eligible: list[EvidenceRecord], excluded: list[Exclusion]
) -> list[EvidenceRecord]:
    """Set aside a ``selected_subgroup`` arm whose complementary subgroup of the same study
    was set aside: one part of a cohort split by a prognostic factor would stand for the
    whole study (Kaemmerer 2021, 000 Table 4: PRRT after primary-tumour resection, whose
    other part has no usable value)."""
    kept: list[EvidenceRecord] = []
    for record in eligible:
        partner = next(
            (
                e.record
                for e in excluded
                if "selected_subgroup" in record.flags
                and "selected_subgroup" in e.record.flags
                and e.record.id != record.id
                and same_study(record, e.record)
            ),
            None,
        )
        if partner is None:
            kept.append(record)
        else:
            excluded.append(
                Exclusion(
                    record,
                    f"a subgroup of its study selected by a prognostic factor (flag "
                    f"selected_subgroup) whose other part, {arm_label(partner)}, is set "
                    "aside: alone it would stand for the study's selected part only",
                )
            )
    return kept


def select_records(
    records: Sequence[EvidenceRecord],
    outcome: str,
    *,
    siblings: Sequence[EvidenceRecord] | None = None,
    high_grade_admitted: bool = False,
) -> Selection:
    """Apply the rules of this module's docstring (steps 2–4) to ``records``.

    ``siblings``: every record that may share a study key with one of ``records`` (for the
    patient counts of other sources; default ``records``). ``high_grade_admitted``: a
    population was asked for, so a high-grade one is pooled on its own.
    """
    everyone = tuple(records) if siblings is None else tuple(siblings)
    excluded: list[Exclusion] = []
    eligible: list[EvidenceRecord] = []
    borrowed: dict[str, str] = {}
    contradicted: dict[str, str] = {}  # one caution per study arm
    for original in records:
        record, sentence = _borrowed_n(original, everyone)
        if sentence is not None:
            borrowed[record.id] = sentence
        reason = _exclusion_reason(
            record, outcome, high_grade_admitted=high_grade_admitted, siblings=everyone
        )
        if reason is None:
            eligible.append(record)
        else:
            excluded.append(Exclusion(record, reason))
            contradiction = median_contradiction(record, outcome, everyone)
            if contradiction is not None and reason.startswith(_CONTRADICTS):
                contradicted.setdefault(
                    record.study_key,
                    f"{arm_label(record)} is left out of this summary: its printed "
                    f"{contradiction} contradict each other (a 50% point cannot lie both "
                    "before and after the landmark)",
                )

    eligible = _without_lone_subgroups(eligible, excluded)

    by_key: dict[str, list[EvidenceRecord]] = {}
    for record in eligible:
        by_key.setdefault(record.study_key, []).append(record)
    duplicates: list[Duplicate] = []
    kept: list[EvidenceRecord] = []
    for key, group in by_key.items():
        ordered = sorted(group, key=preference)
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
    cautions: list[str] = list(contradicted.values())
    for record in used:
        if "pfs_or_ttp" in record.flags and outcome == "median_pfs_months":
            notes.append(f"{record.id}: from a column headed 'Median PFS/TTP'")
        if "text_table_discrepancy" in record.flags:
            notes.append(f"{record.id}: the seed's text and table disagree (see the record)")
        disagreement = _n_disagreement(record, everyone, outcome)
        if record.id in borrowed:
            cautions.append(borrowed[record.id])
        elif disagreement is not None:
            cautions.append(disagreement)
        if "selected_subgroup" in record.flags:
            cautions.append(
                f"{arm_label(record)} is a subgroup of its study selected by a prognostic "
                f"factor, not the modality's patients in general (flag selected_subgroup; "
                f"{source_text(record.source)})"
            )
    return Selection(
        used=used,
        excluded=tuple(excluded),
        duplicates=tuple(duplicates),
        notes=tuple(notes),
        cautions=tuple(cautions),
    )
