"""The extraction's flags in a clinician's words.

A record's ``flags`` (``nelm.evidence.records.FLAGS``) are codes for tools: JSON and CSV
keep them. A page, a report and the command line's text output say each in one short
sentence instead (:data:`FLAG_WORDS`, the meaning ``docs/evidence-extraction.md`` gives),
and the extraction's notes and the statistics' reasons are shown without the codes they
name in passing ("… (flag not_nelm_cohort; see the note)" → "… (see the note)"):
:func:`without_flag_codes`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from nelm.evidence.records import FLAGS

__all__ = ["FLAG_WORDS", "flag_sentences", "without_flag_codes"]

FLAG_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "mean_not_median": "The review's “median” for this arm is a mean; it is never used "
        "as a median.",
        "primary_resection_only": "The review marks this study as resection of the primary "
        "tumour only.",
        "entire_cohort": "A figure on this row describes the study's whole cohort, not this arm.",
        "tace_value": "A figure of this row describes the TACE-treated patients only, so it "
        "is not given as the arm's.",
        "tae_value": "A figure of this row describes the TAE-treated patients only, so it "
        "is not given as the arm's.",
        "died_of_progression": "The deaths printed are deaths from disease progression, so "
        "they are not given as treatment mortality.",
        "swog_criteria": "Imaging response was judged by SWOG criteria.",
        "denominator_pain_patients": "Symptom response is counted among patients with pain "
        "from bone metastases only.",
        "n_pnet_lower_bound": "The review prints the number of patients with pancreatic NET as "
        "a lower bound (“≥ N”).",
        "n_pnet_whole_study": "The review prints the number of patients with pancreatic NET "
        "once for the whole study, so this arm's number is not known.",
        "nr_not_reported": "The review prints “not reported” for a figure; no value is recorded.",
        "pfs_or_ttp": "The progression figure comes from a column that mixes "
        "progression-free survival and time to progression.",
        "column_shift_corrected": "The review's row is shifted by one column and was read "
        "into the columns it belongs to.",
        "cell_not_recorded": "A printed figure is implausible for its column and was left out.",
        "range_not_recorded": "The review prints a range, or one figure for two arms, so no "
        "number is recorded.",
        "converted_from_years": "The median was printed in years and is given here in months.",
        "derived_orr": "The objective response rate is the printed complete plus partial "
        "responses.",
        "median_of_studies": "The figures summarise several studies, not one cohort.",
        "pooled_estimate": "The figures are a meta-analysis' pooled estimate, not one cohort.",
        "subgroup_outcome": "A figure describes a subgroup of this arm, not all its patients.",
        "major_complications_only": "Morbidity counts major complications only.",
        "combination_therapy": "The treatment was given together with another treatment; "
        "left out when the treatment alone is pooled.",
        "cohort_overlap": "Its patients overlap the cohort of another publication; the two "
        "are not pooled together.",
        "citation_mismatch": "The review cites a reference that does not match this study; "
        "the study shown was attributed from other references.",
        "author_not_in_source": "The review does not name the first author; the author shown "
        "was attributed from other references.",
        "year_not_in_source": "The review gives no year; the year shown was taken from "
        "another source.",
        "year_unknown": "No source gives the year of publication.",
        "text_table_discrepancy": "The review's text contradicts its own table for this study.",
        "liver_transplant_unspecified_criteria": "Liver transplantation without stated "
        "selection criteria.",
        "not_nelm_cohort": "Not a series of patients with neuroendocrine liver metastases: "
        "listed only, never pooled or drawn as a curve.",
        "simulation_study": "A simulation study, so the figures may be modelled rather than "
        "observed: listed only, never pooled or drawn as a curve.",
        "os_probably_dfs": "The overall-survival figures repeat the disease-free survival "
        "ones, so they are set aside.",
        "response_subset": "The response figures describe only the patients with imaging "
        "follow-up, fewer than all patients; set aside for response.",
        "repeat_resection": "Repeat resection for recurrence after an earlier liver "
        "resection; kept out of the figures of first resections.",
        "selected_subgroup": "A subgroup of the study selected by a prognostic factor: its "
        "survival is that subgroup's, not the treatment's in general.",
        "later_analysis": "The figures come from a later analysis of the study than its "
        "number of patients.",
        "ambiguous_percent": "The percentage may be the degree of an effect rather than the "
        "share of patients; never pooled as a proportion.",
        "response_sum_over_100": "The response figures printed for this arm add up to more "
        "than 100 %, so they are not used.",
        "n_superseded": "The printed number of patients is contradicted by another source; "
        "the statistics use the other source's number.",
    }
)
"""One sentence a flag, in the order of ``FLAGS``; the same keys (checked at import)."""

if set(FLAG_WORDS) != set(FLAGS):  # pragma: no cover - a flag added without its words
    raise RuntimeError(
        "FLAG_WORDS and FLAGS differ: " + ", ".join(sorted(set(FLAG_WORDS) ^ set(FLAGS)))
    )

_CODE = "(?:" + "|".join(sorted(map(re.escape, FLAGS), key=len, reverse=True)) + ")"
# "(flag X)", "(no flag X)", "(flags X / Y)", "(flag X; see the note)", "(flag X, same
# author and n = 339)": the code goes, what follows it stays in the brackets.
_IN_BRACKETS: Final = re.compile(
    rf"\s*\((?:no )?flags? {_CODE}(?:\s*(?:/|,|and)\s*{_CODE})*(?:[;,]\s*(?P<rest>[^()]*))?\)"
)
# "Flagged X so that …", "flag X:" in running text
_IN_TEXT: Final = re.compile(rf"\b(?:[Ff]lagged|[Ff]lags?) {_CODE}\b")


def flag_sentences(flags: Iterable[str]) -> list[str]:
    """Each flag in words, in the record's order (an unknown code as it is)."""
    return [FLAG_WORDS.get(flag, flag) for flag in flags]


def without_flag_codes(text: str) -> str:
    """``text`` (a record's note, a reason a record is set aside) without the flag codes it
    names in passing; what it says in words stays."""

    def bracket(found: re.Match[str]) -> str:
        rest = (found.group("rest") or "").strip()
        return f" ({rest})" if rest else ""

    def running(found: re.Match[str]) -> str:
        return "Marked" if found.group(0)[0] == "F" else "marked"

    return _IN_TEXT.sub(running, _IN_BRACKETS.sub(bracket, text))
