"""Contradictions between the fields of one case, shown as warnings (never rejected: the
board decides which statement is right), each with the source that says why they clash.

Pure: reads the case's values and the grade table of the knowledge base.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.document import Value
from nelm.case.fields import FIELD_BY_PATH
from nelm.case.units import as_entered_text, clinical_number
from nelm.engine.derive import (
    PRIMARY_REMOVED_BY,
    SINCE_RESECTION,
    counted_lines,
    grade_of_ki67,
    grade_of_mitoses,
    listed,
)
from nelm.engine.intervals import interval_of, interval_text
from nelm.engine.kidney import CKD_EPI, age_bounds, ckd_epi_range
from nelm.engine.sstr import KRENNING, krenning_disagrees_with_uptake
from nelm.knowledge.model import GradeTable

__all__ = [
    "CKD_EPI_SLACK",
    "Contradiction",
    "contradictions",
]

# Krenning score: 0 no uptake, 1 below normal liver, 2 like liver, 3 above liver, 4 above
# spleen (Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424; NETTER-1 eligibility).
_REPORTED_WHO = {"G1", "G2", "G3"}


ECOG = "Oken MM et al., Am J Clin Oncol 1982;5:649-655 (ECOG performance status)"

# Adult liver volume: standard liver volume = 706.2 × BSA + 2.4 mL (Urata K et al.,
# Hepatology 1995;21:1317-1321), about 1,300 mL at 1.8 m²; 2,500 mL is beyond a BSA of 3.5 m²,
# so a burden below what one lesion fills in such a liver cannot be right.
URATA = "Urata K et al., Hepatology 1995;21:1317-1321 (standard liver volume)"
_LARGE_LIVER_ML = 2500.0
# ... and about 700 mL at a BSA of 1.0 m², below any adult's: the least liver beside tumour.
_SMALL_LIVER_ML = 700.0
_CHECK = "check which is right"


@dataclass(frozen=True, slots=True)
class Contradiction:
    fields: tuple[str, ...]
    message: str
    sources: tuple[str, ...]
    fix: str = _CHECK
    """The likely fix, in a few words (shown beside the fields)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "fields": list(self.fields),
            "message": self.message,
            "sources": list(self.sources),
            "fix": self.fix,
        }


def _number(value: Value | None) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def contradictions(
    values: Mapping[str, Value],
    grades: GradeTable,
    entered: Mapping[str, tuple[float, str]] | None = None,
    counted_lines: Mapping[str, str] | None = None,
) -> list[Contradiction]:
    """Every contradiction between the case's fields; ``entered`` (numbers entered in another
    unit) lets the messages show those numbers as entered; ``counted_lines``
    (``Derivations.prior_lines_counted``) checks the prior systemic lines against the prior
    treatments."""
    out: list[Contradiction] = []
    v = values.get
    krenning = v("imaging.krenning_score")
    sstr = v("imaging.sstr_positive")
    if sstr is False and isinstance(krenning, int) and krenning >= 2:
        out.append(
            Contradiction(
                ("imaging.sstr_positive", "imaging.krenning_score"),
                f"SSTR imaging is given as negative, but a Krenning score of {krenning} is uptake "
                "at least as high as normal liver, i.e. positive: check which is right.",
                (KRENNING, "NETTER-1 eligibility"),
            )
        )
    if sstr is True and krenning == 0:
        out.append(
            Contradiction(
                ("imaging.sstr_positive", "imaging.krenning_score"),
                "SSTR imaging is given as positive, but a Krenning score of 0 means no uptake.",
                (KRENNING,),
            )
        )
    uptake = v("imaging.sstr_uptake_vs_liver")
    if krenning_disagrees_with_uptake(values):
        out.append(
            Contradiction(
                ("imaging.krenning_score", "imaging.sstr_uptake_vs_liver"),
                f"Krenning score {krenning} does not match uptake "
                f'"{str(uptake).replace("_", " ")}" (Krenning 0 is no uptake, 1 below liver, '
                "2 like liver, 3–4 above liver).",
                (KRENNING,),
            )
        )
    if sstr is False and uptake in ("like_liver", "above_liver"):
        out.append(
            Contradiction(
                ("imaging.sstr_positive", "imaging.sstr_uptake_vs_liver"),
                "SSTR imaging is given as negative, but uptake is at least that of normal liver.",
                (KRENNING,),
            )
        )
    out += _grade(values, grades)
    if v("primary.functional_syndrome") == "none" and v("primary.syndrome_refractory") is True:
        out.append(
            Contradiction(
                ("primary.functional_syndrome", "primary.syndrome_refractory"),
                "A refractory syndrome is given for a non-functioning tumour: there is no "
                "syndrome to be refractory, so nelm reads it as no refractory syndrome.",
                ("001 Debulking surgery", "001 Table 2"),
            )
        )
    if v("primary.functional_syndrome") == "none" and v("patient.carcinoid_heart_disease") is True:
        out.append(
            Contradiction(
                ("primary.functional_syndrome", "patient.carcinoid_heart_disease"),
                "Carcinoid heart disease is given for a tumour given as non-functioning: the "
                "heart disease is a complication of the carcinoid syndrome, whose "
                "somatostatin analogue and crisis precautions a non-functioning tumour does "
                "not get.",
                ("Davar-2017",),
                fix="check the syndrome and the heart",
            )
        )
    out += _hormone_beside_another_syndrome(values)
    out += _resected_primary_denied(values)
    out += _unknown_primary_described(values)
    out += _durations_beyond_age(values, entered or {})
    out += _burden_below_largest_lesion(values, entered or {})
    out += _burden_beyond_the_lesions(values, entered or {})
    out += _fewer_lines_than_treatments(values, counted_lines or {})
    prior = v("course.prior_treatments")
    if (
        v("course.progressed_on_ssa") is True
        and isinstance(prior, tuple)
        and prior
        and "ssa" not in prior
    ):
        out.append(
            Contradiction(
                ("course.progressed_on_ssa", "course.prior_treatments"),
                "Progression on a somatostatin analogue is given, but the prior treatments listed "
                "do not include one.",
                ("case-v1 course",),
            )
        )
    out += _new_diagnosis_with_a_history(values, counted_lines or {})
    if v("patient.ecog") == 4 and v("patient.fit_for_major_surgery") is True:
        out.append(
            Contradiction(
                ("patient.fit_for_major_surgery", "patient.ecog"),
                "Fitness for major surgery is given beside ECOG 4 (completely disabled, totally "
                "confined to bed or chair), which the surgical and transplant criteria read "
                "as fit.",
                (ECOG,),
                fix="check the performance status or the judgement of fitness",
            )
        )
    out += _egfr_beside_creatinine(values, entered or {})
    out += _recurrence_without_a_resection(values)
    if v("primary.resected") is True and v("primary.surgical_assessment") == "unresectable":
        out.append(
            Contradiction(
                ("primary.resected", "primary.surgical_assessment"),
                "The primary is given as resected, yet the surgeons' verdict says it cannot be "
                "removed.",
                ("case-v1 primary", "surgical-assessment primary.surgical_assessment"),
                fix="check whether the primary was resected or the verdict is on the liver",
            )
        )
    return out


# Other equations (MDRD, Cockcroft-Gault) and body size move an eGFR well away from CKD-EPI's
# (Cockcroft-Gault gives about 1.8 times CKD-EPI for a young man of 120 kg), so only an eGFR
# more than 2.5 times above the highest, or below the lowest, CKD-EPI value is flagged.
CKD_EPI_SLACK = 2.5


def _egfr_beside_creatinine(
    values: Mapping[str, Value], entered: Mapping[str, tuple[float, str]]
) -> list[Contradiction]:
    """An eGFR far from any the creatinine can give: one of the two is in the wrong unit or
    belongs to another day. It matters because the kidney criteria read either. An eGFR
    known only by a bound ("> 60") is far when the bound itself is."""
    creatinine = _number(values.get("labs.creatinine_mg_dl"))
    if creatinine is None or creatinine <= 0:
        return []
    egfr = _number(values.get("labs.egfr_ml_min"))
    bounds = None if egfr is not None else interval_of(values, "labs.egfr_ml_min")
    if egfr is None and bounds is None:
        return []
    found = ckd_epi_range(creatinine, values)
    if found is None:
        return []  # CKD-EPI estimates the GFR of adults only: a child's needs another equation
    low, high = found.low, found.high
    if egfr is not None:
        if high * CKD_EPI_SLACK >= egfr >= low / CKD_EPI_SLACK:
            return []
        shown = _shown("labs.egfr_ml_min", egfr, entered)
    else:
        assert bounds is not None
        above = bounds.lo is not None and bounds.lo > high * CKD_EPI_SLACK
        below = bounds.hi is not None and bounds.hi < low / CKD_EPI_SLACK
        if not (above or below):
            return []
        shown = interval_text(bounds, FIELD_BY_PATH["labs.egfr_ml_min"].unit, clinical_number)
    who = f"{found.ages}, {found.sexes}"
    span = f"{round(low)}–{round(high)}" if round(low) != round(high) else f"{round(low)}"
    return [
        Contradiction(
            ("labs.egfr_ml_min", "labs.creatinine_mg_dl"),
            f"eGFR {shown} does not fit creatinine "
            f"{_shown('labs.creatinine_mg_dl', creatinine, entered)}: by CKD-EPI 2021 that "
            f"creatinine gives an eGFR of {span} mL/min/1.73 m² ({who}). The kidney "
            "criteria read the eGFR given.",
            (CKD_EPI,),
            fix="check the units and dates of both",
        )
    ]


def _recurrence_without_a_resection(values: Mapping[str, Value]) -> list[Contradiction]:
    """A liver recurrence after hepatectomy beside a list of prior treatments with no liver
    operation in it: the list may be incomplete."""
    prior = values.get("course.prior_treatments")
    if values.get("course.recurrence_after_liver_resection") is not True:
        return []
    if not isinstance(prior, tuple) or not prior or set(prior) & _LIVER_OPERATIONS:
        return []
    return [
        Contradiction(
            ("course.recurrence_after_liver_resection", "course.prior_treatments"),
            "A liver recurrence after an earlier hepatectomy is given, but the prior treatments "
            "listed include no liver resection.",
            ("case-v1 course",),
            fix="the list may be incomplete: add the resection",
        )
    ]


# A liver transplantation removes the whole liver (a total hepatectomy): a liver recurrence
# after one is a recurrence after a hepatectomy too.
_LIVER_OPERATIONS = frozenset(
    {
        "liver_resection",
        "staged_resection",
        "simultaneous_resection",
        "cytoreductive_surgery",
        "liver_transplant_milan",
        "liver_transplant_enets",
        "liver_transplant_unos",
    }
)


def _new_diagnosis_with_a_history(
    values: Mapping[str, Value], counted: Mapping[str, str]
) -> list[Contradiction]:
    """A course given as a new diagnosis beside a course already run: progression on an
    SSA, prior systemic lines, systemic treatments listed as given, or a liver recurrence
    after an earlier hepatectomy."""
    if values.get("course.status") != "new_diagnosis":
        return []
    fields: list[str] = []
    shown: list[str] = []
    if values.get("course.progressed_on_ssa") is True:
        fields.append("course.progressed_on_ssa")
        shown.append("progression on a somatostatin analogue")
    lines = _number(values.get("course.prior_systemic_lines"))
    if lines is not None and lines >= 1:
        fields.append("course.prior_systemic_lines")
        shown.append(f"{clinical_number(lines)} prior systemic line{'s' if lines != 1 else ''}")
    names = counted_lines(values, counted)
    if names:
        fields.append("course.prior_treatments")
        shown.append(f"prior systemic treatment ({', '.join(names)})")
    if values.get("course.recurrence_after_liver_resection") is True:
        # unsettled_words.yaml: a recurrence is written as the course, stable or progressing
        fields.append("course.recurrence_after_liver_resection")
        shown.append("a liver recurrence after an earlier hepatectomy")
    if not shown:
        return []
    return [
        Contradiction(
            ("course.status", *fields),
            f"The course is given as a new diagnosis, yet the case gives {' and '.join(shown)}.",
            ("case-v1 course",),
            fix="check the disease course",
        )
    ]


def _signs_of_resection(values: Mapping[str, Value]) -> tuple[list[str], list[str]]:
    """What only a resected primary has, as the fields and the words naming them: a margin,
    a time since its resection, its resection among the prior treatments (the readings of
    ``implied_facts``)."""
    fields: list[str] = []
    shown: list[str] = []
    if (margin := values.get("primary.resection_margin")) is not None:
        fields.append("primary.resection_margin")
        shown.append(f"a resection margin ({margin})")
    since = [p for p in SINCE_RESECTION if values.get(p) is not None]
    if since:
        fields += since
        shown.append("a time since its resection")
    if PRIMARY_REMOVED_BY.keys() & listed(values, "course.prior_treatments"):
        fields.append("course.prior_treatments")
        shown.append("its resection among the prior treatments")
    return fields, shown


# The hormone each named syndrome is defined by (Jensen 2012, ENETS functional pancreatic
# endocrine tumour syndromes; the carcinoid syndrome by serotonin, 002 §3.3).
_SYNDROME_HORMONE = {
    "carcinoid": "serotonin",
    "insulinoma": "insulin",
    "gastrinoma": "gastrin",
    "glucagonoma": "glucagon",
    "vipoma": "vip",
    "somatostatinoma": "somatostatin",
}
_HORMONE_WORDS = {"vip": "VIP"}


def _hormone_beside_another_syndrome(values: Mapping[str, Value]) -> list[Contradiction]:
    """A hormone that defines another named syndrome beside the syndrome given (glucagon
    beside a gastrinoma). A tumour can secrete more than one hormone, so this is a check, not
    a correction: the plan's precautions follow the syndrome, and a second syndrome would
    need its own."""
    syndrome, hormone = values.get("primary.functional_syndrome"), values.get("primary.hormone")
    defining = _SYNDROME_HORMONE.get(str(syndrome))
    if defining is None or hormone not in _SYNDROME_HORMONE.values() or hormone == defining:
        return []
    given, expected = (_HORMONE_WORDS.get(str(h), str(h)) for h in (hormone, defining))
    return [
        Contradiction(
            ("primary.functional_syndrome", "primary.hormone"),
            f"The hormone given ({given}) is not the one a {syndrome} is defined by "
            f"({expected}): a tumour can secrete more than one, but the plan's precautions "
            "follow the syndrome given, and a second syndrome would need its own.",
            ("Jensen-2012",),
            fix="check the syndrome and the hormone",
        )
    ]


def _resected_primary_denied(values: Mapping[str, Value]) -> list[Contradiction]:
    """The primary given as not resected beside what only a resected primary has: a margin,
    a time since its resection, or its resection among the prior treatments (the readings
    of ``implied_facts``)."""
    if values.get("primary.resected") is not False:
        return []
    fields, shown = _signs_of_resection(values)
    if not shown:
        return []
    return [
        Contradiction(
            ("primary.resected", *fields),
            f"The primary is given as not resected, yet the case gives {' and '.join(shown)}.",
            ("case-v1 primary",),
            fix="check whether the primary was resected",
        )
    ]


def _unknown_primary_described(values: Mapping[str, Value]) -> list[Contradiction]:
    """A primary site given as unknown (a carcinoma of unknown primary) beside what only a
    found primary has: its resection, a margin, a time since its resection, a T category or
    a size. An unknown primary drains to no known system, so the portal-drainage criteria
    of transplantation fail on it: a site miscoded as unknown can turn verdicts."""
    if values.get("primary.site") != "unknown_primary":
        return []
    fields, shown = _signs_of_resection(values)
    if values.get("primary.resected") is True:
        fields.insert(0, "primary.resected")
        shown.insert(0, "its resection")
    if (t := values.get("primary.t_category")) is not None:
        fields.append("primary.t_category")
        shown.append(f"a T category ({t})")
    if values.get("primary.size_cm") is not None:
        fields.append("primary.size_cm")
        shown.append("its size")
    if not shown:
        return []
    return [
        Contradiction(
            ("primary.site", *fields),
            "The primary site is given as unknown (a carcinoma of unknown primary), yet the "
            f"case gives {', '.join(shown[:-1]) + ' and ' if len(shown) > 1 else ''}"
            f"{shown[-1]}: a primary that was found has a site. An unknown primary drains to "
            "no known system, which the transplant criteria read as no portal drainage.",
            ("case-v1 primary", "001 Table 2"),
            fix="give the primary's site, or leave primary.site out if it is not recorded",
        )
    ]


def _fewer_lines_than_treatments(
    values: Mapping[str, Value], counted: Mapping[str, str]
) -> list[Contradiction]:
    """Fewer prior systemic lines than distinct systemic treatments listed as given."""
    lines = _number(values.get("course.prior_systemic_lines"))
    names = counted_lines(values, counted)
    if lines is None or lines >= len(names):
        return []
    return [
        Contradiction(
            ("course.prior_systemic_lines", "course.prior_treatments"),
            f"Prior systemic lines is {clinical_number(lines)}, but the prior treatments list "
            f"{len(names)} systemic treatments ({', '.join(names)}).",
            ("case-history",),
            fix="check the count of prior lines or the treatments listed",
        )
    ]


def _shown(path: str, value: float, entered: Mapping[str, tuple[float, str]]) -> str:
    if path in entered:
        return as_entered_text(path, *entered[path])
    unit = FIELD_BY_PATH[path].unit
    return f"{clinical_number(value)}{unit if unit == '%' else ' ' + unit}"


def _durations_beyond_age(
    values: Mapping[str, Value], entered: Mapping[str, tuple[float, str]]
) -> list[Contradiction]:
    """A time since resection or of stable disease longer than the patient has lived: the
    number is in the wrong unit (years or days for months) or the age is wrong."""
    lo, oldest = age_bounds(values)
    if oldest is None:
        return []  # no oldest age: any time may fit
    out = []
    for base in ("primary.months_since_primary_resection", "course.months_stable"):
        for path in (base, f"{base}_at_least", f"{base}_more_than"):
            months = _number(values.get(path))
            # beyond the oldest age the case allows, for certain; within an age's bounds
            # it may fit, and nothing is said
            if months is None or months <= oldest * 12:
                continue
            label = FIELD_BY_PATH[path].label
            shown = clinical_number(oldest)
            lived = f"{shown} years" if lo == oldest else f"at most {shown} years"
            out.append(
                Contradiction(
                    (path, "patient.age_years"),
                    f"{label} ({path}) {_shown(path, months, entered)} is longer than the "
                    f"patient has lived ({lived} = {clinical_number(oldest * 12)} months).",
                    ("case-v1 units: months and years",),
                    fix="check the unit (months, not days or years) or the age",
                )
            )
            break
    return out


def _burden_below_largest_lesion(
    values: Mapping[str, Value], entered: Mapping[str, tuple[float, str]]
) -> list[Contradiction]:
    """A tumour burden smaller than the share of a large liver that the largest lesion alone
    fills. The lesion's volume is taken at its least: an ellipsoid with the largest diameter
    and half of it in the other two directions (π d³ / 24); the liver at 2,500 mL."""
    burden_path = next(
        (
            p
            for p in (
                "liver.tumor_burden_percent",
                "liver.tumor_burden_percent_at_most",
                "liver.tumor_burden_percent_less_than",
            )
            if _number(values.get(p)) is not None
        ),
        None,
    )
    size_path = next(
        (
            p
            for p in (
                "liver.largest_lesion_cm",
                "liver.largest_lesion_cm_at_least",
                "liver.largest_lesion_cm_more_than",
            )
            if _number(values.get(p)) is not None
        ),
        None,
    )
    if burden_path is None or size_path is None:
        return []
    burden, size = _number(values[burden_path]), _number(values[size_path])
    assert burden is not None and size is not None
    least_percent = math.pi * size**3 / 24 / _LARGE_LIVER_ML * 100
    if burden >= least_percent:
        return []
    fix = "check the burden"
    if burden < 1 and burden * 100 >= least_percent:
        fix = (
            f"if the burden was entered as a fraction, {clinical_number(burden)} is "
            f"{clinical_number(burden * 100)} %: enter {clinical_number(burden * 100)}"
        )
    return [
        Contradiction(
            (burden_path, size_path),
            f"Hepatic tumour burden ({burden_path}) {_shown(burden_path, burden, entered)} is "
            f"less than a lesion of {_shown(size_path, size, entered)} alone fills (at least "
            f"{clinical_number(least_percent)} % of even a 2,500 mL liver): {fix}.",
            (URATA,),
            fix=fix,
        )
    ]


def _first_number(values: Mapping[str, Value], *paths: str) -> tuple[str, float] | None:
    for path in paths:
        number = _number(values.get(path))
        if number is not None:
            return path, number
    return None


def _burden_beyond_the_lesions(
    values: Mapping[str, Value], entered: Mapping[str, tuple[float, str]]
) -> list[Contradiction]:
    """A tumour burden far above what the lesions can fill: at most the lesion count (or its
    upper bound) times a sphere of the largest diameter (π d³ / 6), beside at least 700 mL
    of liver. A burden is often estimated by eye, so only more than three times that
    maximum, and 10 points above it, is flagged: a burden of 60 % with one 2 cm lesion is a
    slip in one of the three, 10 % with two lesions of 3.5 cm (at most 6 %) is an estimate."""
    burden = _first_number(
        values,
        "liver.tumor_burden_percent",
        "liver.tumor_burden_percent_at_least",
        "liver.tumor_burden_percent_more_than",
    )
    count = _first_number(values, "liver.lesion_count", "liver.lesion_count_at_most")
    size = _first_number(
        values,
        "liver.largest_lesion_cm",
        "liver.largest_lesion_cm_at_most",
        "liver.largest_lesion_cm_less_than",
    )
    if burden is None or count is None or size is None:
        return []
    tumour_ml = count[1] * math.pi * size[1] ** 3 / 6
    most_percent = tumour_ml / (tumour_ml + _SMALL_LIVER_ML) * 100
    if burden[1] <= 3 * most_percent or burden[1] - most_percent < 10:
        return []
    return [
        Contradiction(
            (burden[0], count[0], size[0]),
            f"Hepatic tumour burden ({burden[0]}) {_shown(burden[0], burden[1], entered)} is "
            f"more than {clinical_number(count[1])} lesion(s) of at most "
            f"{_shown(size[0], size[1], entered)} can fill (at most "
            f"{clinical_number(most_percent)} % of even a 700 mL liver).",
            (URATA,),
            fix="check the burden, the lesion count and the largest size",
        )
    ]


def _both_kept(values: Mapping[str, Value], reported: str, measured: str) -> str:
    """What nelm does with a stated grade the indices contradict: the grade keeps both
    (``derive._with_reported``), since the higher index decides only within one specimen
    (000 §1) and the stated grade may be another tissue's: a primary's G2 beside a liver
    metastasis's Ki-67 is the discrepancy 001 asks a liver biopsy to look for."""
    said = (
        "; the higher index decides (000 §1), but the two may come from different "
        f"specimens, so {reported} and {measured} both stay possible until the pathology "
        "is reviewed."
    )
    if values.get("pathology.ki67_source") == "liver_metastasis" and measured > reported:
        said += (
            f" The Ki-67 is the liver metastases': if {reported} is the primary's grade, the "
            "metastases are of the higher grade (a Ki-67 discrepancy between primary and "
            "liver metastases, 001 Staged resections for extensive disease)."
        )
    return said


def _grade(values: Mapping[str, Value], t: GradeTable) -> list[Contradiction]:
    out: list[Contradiction] = []
    reported = values.get("pathology.reported_grade")
    differentiation = values.get("pathology.differentiation")
    ki67 = values.get("pathology.ki67_percent")
    mitoses = values.get("pathology.mitoses_per_2mm2")
    measured: list[str] = []
    if isinstance(ki67, int | float) and not isinstance(ki67, bool):
        measured.append(grade_of_ki67(ki67, t))
    if isinstance(mitoses, int | float) and not isinstance(mitoses, bool):
        measured.append(grade_of_mitoses(mitoses, t))
    if reported in _REPORTED_WHO and measured and differentiation != "poor":
        highest = max(measured)  # "G1" < "G2" < "G3"
        fraction = (
            isinstance(ki67, int | float)
            and 0 < ki67 < 1
            and grade_of_ki67(ki67 * 100, t) == reported
        )
        # The grade is the higher of the two indices (000 §1): one index below the
        # reported grade contradicts it only when the other is known too (else the other
        # may be the higher one, and nelm reads the grade as reported).
        decided = highest > reported or len(measured) == 2
        if highest != reported and (decided or fraction):
            shown = ", ".join(
                part
                for part in (
                    f"Ki-67 {ki67:g} %" if isinstance(ki67, int | float) else "",
                    f"{mitoses:g} mitoses per 2 mm²" if isinstance(mitoses, int | float) else "",
                )
                if part
            )
            fix = _CHECK
            if fraction and isinstance(ki67, int | float):
                # 0.25 for 25 %: the fraction read as a percentage gives the reported grade
                fix = (
                    f"if Ki-67 was entered as a fraction, {ki67:g} is {ki67 * 100:g} %: "
                    f"enter {ki67 * 100:g}"
                )
            out.append(
                Contradiction(
                    (
                        "pathology.reported_grade",
                        "pathology.ki67_percent",
                        "pathology.mitoses_per_2mm2",
                    ),
                    f"The report states grade {reported}, but {shown} is grade {highest}"
                    + (_both_kept(values, reported, highest) if decided else ".")
                    + (f" {fix[0].upper()}{fix[1:]}." if fix != _CHECK else ""),
                    ("000 §1", "WHO-2019 grading"),
                    fix=fix,
                )
            )
    if reported == "NEC" and differentiation == "well":
        out.append(
            Contradiction(
                ("pathology.reported_grade", "pathology.differentiation"),
                "The report states a neuroendocrine carcinoma (NEC), which is poorly "
                "differentiated, but differentiation is given as well differentiated.",
                ("000 §1", "004 §1"),
            )
        )
    if (
        differentiation == "poor"
        and isinstance(ki67, int | float)
        and not isinstance(ki67, bool)
        and ki67 <= t.ki67_g2_max
    ):
        # 000 §1: NECs are "poorly differentiated neoplasms of high grade" (Ki-67 > 20 %)
        fraction = 0 < ki67 < 1 and ki67 * 100 > t.ki67_g2_max
        out.append(
            Contradiction(
                ("pathology.differentiation", "pathology.ki67_percent"),
                f"Differentiation is given as poor (a neuroendocrine carcinoma, high grade: "
                f"Ki-67 above {t.ki67_g2_max:g} %), but Ki-67 is {ki67:g} %."
                + (
                    f" If Ki-67 was entered as a fraction, {ki67:g} is {ki67 * 100:g} %."
                    if fraction
                    else ""
                ),
                ("000 §1", "003 Table 1", "WHO-2019 grading"),
                fix=(
                    f"enter {ki67 * 100:g} if Ki-67 was a fraction"
                    if fraction
                    else "check the differentiation (a NET G1–G2 is well differentiated) or Ki-67"
                ),
            )
        )
    if reported in _REPORTED_WHO and differentiation == "poor":
        out.append(
            Contradiction(
                ("pathology.reported_grade", "pathology.differentiation"),
                f"The report states a well-differentiated grade ({reported}), but differentiation "
                "is given as poor (NEC).",
                ("000 §1", "004 §1"),
            )
        )
    return out
