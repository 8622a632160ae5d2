"""Contradictions between the fields of one case, shown as warnings (never rejected: the
board decides which statement is right), each with the source that says why they clash.

Pure: reads the case's values and the grade table of the knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nelm.case.document import Value
from nelm.engine.derive import grade_of_ki67, grade_of_mitoses
from nelm.knowledge.model import GradeTable

__all__ = ["Contradiction", "contradictions"]

# Krenning score: 0 no uptake, 1 below normal liver, 2 like liver, 3 above liver, 4 above
# spleen (Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424; NETTER-1 eligibility).
KRENNING = "Krenning EP et al., Ann N Y Acad Sci 1994;733:416-424 (Krenning scale)"
_KRENNING_VS_LIVER = {1: "below_liver", 2: "like_liver", 3: "above_liver", 4: "above_liver"}
_REPORTED_WHO = {"G1", "G2", "G3"}


@dataclass(frozen=True, slots=True)
class Contradiction:
    fields: tuple[str, ...]
    message: str
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"fields": list(self.fields), "message": self.message, "sources": list(self.sources)}


def contradictions(values: Mapping[str, Value], grades: GradeTable) -> list[Contradiction]:
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
    if (
        isinstance(krenning, int)
        and uptake is not None
        and krenning in _KRENNING_VS_LIVER
        and _KRENNING_VS_LIVER[krenning] != uptake
    ):
        out.append(
            Contradiction(
                ("imaging.krenning_score", "imaging.sstr_uptake_vs_liver"),
                f"Krenning score {krenning} does not match uptake "
                f'"{str(uptake).replace("_", " ")}" (Krenning 1 is below liver, 2 like liver, '
                "3–4 above liver).",
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
    if v("primary.resected") is False and (
        v("primary.months_since_primary_resection") is not None
        or v("primary.resection_margin") is not None
    ):
        out.append(
            Contradiction(
                (
                    "primary.resected",
                    "primary.months_since_primary_resection",
                    "primary.resection_margin",
                ),
                "The primary is given as not resected, yet a resection margin or a time since "
                "its resection is given.",
                ("case-v1 primary",),
            )
        )
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
    return out


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
        if highest != reported:
            shown = ", ".join(
                part
                for part in (
                    f"Ki-67 {ki67:g} %" if isinstance(ki67, int | float) else "",
                    f"{mitoses:g} mitoses per 2 mm²" if isinstance(mitoses, int | float) else "",
                )
                if part
            )
            out.append(
                Contradiction(
                    (
                        "pathology.reported_grade",
                        "pathology.ki67_percent",
                        "pathology.mitoses_per_2mm2",
                    ),
                    f"The report states grade {reported}, but {shown} is grade {highest}; "
                    "the higher index decides, so nelm uses the measured values.",
                    ("000 §1", "WHO-2019 grading"),
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
