"""Every field of the case document, version 1, as data.

This table is the single description of the input: the validator, the text report, the
cohort compiler (whose columns are these dotted paths), and later the web form all read it.
Units and allowed values follow ``shared/contract/case-v1.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from nelm.vocabulary import vocabulary

# A known value as nelm keeps it: a number, yes/no, a choice or text, or a list of choices.
Value = float | int | bool | str | tuple[str, ...]


class Kind(Enum):
    """The JSON type a field accepts."""

    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    STRING = "string"  # free text
    CHOICE = "choice"  # one string of ``choices``
    CHOICES = "choices"  # a list of strings, each of ``choices``


@dataclass(frozen=True, slots=True)
class Field:
    """One case field: its dotted path, type, unit and allowed range or values."""

    path: str
    kind: Kind
    label: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    bound_of: str | None = None
    """For a bound field (``…_at_least`` / ``…_at_most``, ``…_more_than`` / ``…_less_than``):
    the path of the number it bounds."""
    source: str = ""
    """Who states the value when it is a judgement rather than a measurement
    (``surgical assessment``); shown beside the seed of a criterion that reads it."""

    @property
    def section(self) -> str:
        return self.path.split(".", 1)[0] if "." in self.path else ""

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    def expected(self) -> str:
        """A short phrase saying what this field accepts, for error messages."""
        if self.kind in (Kind.CHOICE, Kind.CHOICES):
            listed = ", ".join(self.choices)
            return f"one of {listed}" if self.kind is Kind.CHOICE else f"a list of {listed}"
        if self.kind is Kind.BOOLEAN:
            return "true or false"
        if self.kind is Kind.STRING:
            return f"text of 1 to {self.max_length} characters" if self.max_length else "text"
        noun = "a whole number" if self.kind is Kind.INTEGER else "a number"
        return f"{noun} {self.range_text()}".rstrip()

    def range_text(self) -> str:
        lo, hi = self.minimum, self.maximum
        if lo is not None and hi is not None:
            if self.exclusive_minimum:
                return f"greater than {_num(lo)} and at most {_num(hi)}"
            return f"between {_num(lo)} and {_num(hi)}"
        if lo is not None:
            return f"greater than {_num(lo)}" if self.exclusive_minimum else f"≥ {_num(lo)}"
        return ""


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _n(
    path: str,
    label: str,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    *,
    exclusive_lo: bool = False,
) -> Field:
    return Field(path, Kind.NUMBER, label, unit, lo, hi, exclusive_lo)


def _i(path: str, label: str, lo: float | None = None, hi: float | None = None) -> Field:
    return Field(path, Kind.INTEGER, label, "", lo, hi)


def _b(path: str, label: str) -> Field:
    return Field(path, Kind.BOOLEAN, label)


def _c(path: str, label: str, *choices: str) -> Field:
    return Field(path, Kind.CHOICE, label, choices=choices)


OPTION_IDS: tuple[str, ...] = vocabulary().option_ids
"""The option vocabulary of assessment-v1, in the contract's order (vocabulary.yaml)."""
OTHER_SYSTEMIC = "other_systemic_therapy"
"""A prior systemic anticancer therapy with no option id (FOLFOX, CAPOX, doxorubicin, an
immunotherapy): it counts as a line other than a somatostatin analogue, which CABINET and
NETTER-2 read, where leaving it out of the list would let one stated line look like the SSA."""
OTHER_LIVER_DIRECTED = "other_liver_directed"
"""A prior liver-directed treatment with no option id (stereotactic radiotherapy,
cryoablation, laser ablation, irreversible electroporation, hepatic arterial infusion
chemotherapy, histotripsy): the liver was treated, but not by a systemic line, which listing
it as other_systemic_therapy would count."""
PRIOR_TREATMENTS: tuple[str, ...] = (*OPTION_IDS, OTHER_SYSTEMIC, OTHER_LIVER_DIRECTED)
OTHER_TREATMENT_WORDS: dict[str, str] = {
    OTHER_SYSTEMIC: "another systemic therapy",
    OTHER_LIVER_DIRECTED: "another liver-directed treatment",
}
"""The two prior treatments without an option id, as the pages and reports name them."""

SITES = (
    "pancreas",
    "duodenum",
    "stomach",
    "small_intestine",
    "appendix",
    "colon",
    "rectum",
    "lung",
    "unknown_primary",
    "other",
    # added for real reports: a thymic primary, and "midgut" (small intestine,
    # appendix or proximal colon) when a report names no single organ
    "thymus",
    "midgut",
)

BOUNDED: tuple[str, ...] = (
    "patient.age_years",
    "pathology.ki67_percent",
    "pathology.mitoses_per_2mm2",
    "primary.months_since_primary_resection",
    "liver.lesion_count",
    "liver.largest_lesion_cm",
    "liver.tumor_burden_percent",
    "liver.future_liver_remnant_percent",
    "course.months_stable",
    "labs.creatinine_mg_dl",
    "labs.egfr_ml_min",
    "labs.bilirubin_mg_dl",
)
"""The numbers a report may give as a range or a bound ("4–5", "more than 10", "over 70 %",
"up to 3 cm", "> 5 years", "in his fifties", a birth date of a year only): each has an
inclusive ``<path>_at_least`` and ``<path>_at_most`` beside it. The exact field keeps
accepting a plain number. A number that need not be whole also has the strict bounds
``<path>_more_than`` and ``<path>_less_than`` ("Ki-67 > 20 %", "burden < 50 %"): the WHO
grade's cut-offs and several criteria's thresholds are strict, so an inclusive bound at
the cut-off would leave them open (a whole count's strict bound is an inclusive one:
"more than 10 lesions" is at least 11)."""

REPORTED_GRADES = ("G1", "G2", "G3", "NEC", "typical_carcinoid", "atypical_carcinoid")
LIVER_ASSESSMENTS = ("resectable", "resectable_after_conversion", "unresectable")
PRIMARY_ASSESSMENTS = ("resectable", "unresectable")
SURGICAL_ASSESSMENT = "surgical assessment"


def bounds_of(spec: Field) -> tuple[Field, ...]:
    """The ``_at_least`` and ``_at_most`` fields of a bounded number (same kind and range),
    and for a number that need not be whole its strict ``_more_than`` and ``_less_than``,
    labelled by the number first ("Liver lesions (at least)"), as a board reads the value
    ("Liver lesions: at least 2"); the bound in brackets, since lists put a colon or a value
    after a label."""
    return tuple(
        Field(
            f"{spec.path}_{suffix}",
            spec.kind,
            f"{spec.label} ({word})",
            spec.unit,
            spec.minimum,
            spec.maximum,
            spec.exclusive_minimum,
            bound_of=spec.path,
        )
        for suffix, word in _BOUND_WORDS
        if spec.kind is not Kind.INTEGER or suffix in ("at_least", "at_most")
    )


_BOUND_WORDS = (
    ("at_least", "at least"),
    ("at_most", "at most"),
    ("more_than", "more than"),
    ("less_than", "less than"),
)


_DECLARED: tuple[Field, ...] = (
    # patient
    _n("patient.age_years", "Age", "years", 0, 120),
    _c("patient.sex", "Sex", "female", "male", "other"),
    Field(
        "patient.hereditary_syndromes",
        Kind.CHOICES,
        "Hereditary syndromes",
        choices=("men1", "men4", "vhl", "nf1", "tuberous_sclerosis", "other"),
    ),
    _b("patient.pregnant", "Pregnant"),
    _i("patient.ecog", "ECOG performance status", 0, 4),
    _b("patient.fit_for_major_surgery", "Fit for major surgery"),
    _b("patient.carcinoid_heart_disease", "Carcinoid heart disease"),
    _n("patient.lvef_percent", "Left-ventricular ejection fraction", "%", 5, 90),
    # primary
    _c("primary.site", "Primary site", *SITES),
    _b("primary.resected", "Primary resected"),
    _c("primary.resection_margin", "Primary resection margin", "R0", "R1", "R2"),
    _n("primary.months_since_primary_resection", "Months since primary resection", "months", 0),
    _n("primary.size_cm", "Primary size", "cm", 0, 50, exclusive_lo=True),
    _c("primary.t_category", "T category", "T1", "T2", "T3", "T4"),
    _b("primary.node_positive", "Regional nodes involved"),
    # local extent of the primary, for the T of 003 Tables 2 and 3 (nelm.engine.staging)
    _b("primary.extends_beyond_pancreas", "Primary extends beyond the pancreas"),
    _b("primary.invades_duodenum_or_bile_duct", "Primary invades duodenum or bile duct"),
    _b("primary.invades_adjacent_organs", "Primary invades adjacent organs"),
    _b("primary.invades_celiac_axis_or_sma", "Primary involves celiac axis or SMA"),
    _b("primary.invades_other_large_vessels", "Primary invades other large vessels"),
    _c(
        "primary.functional_syndrome",
        "Functional syndrome",
        "none",
        "carcinoid",
        "insulinoma",
        "gastrinoma",
        "glucagonoma",
        "vipoma",
        "somatostatinoma",
        "other",
    ),
    _b("primary.syndrome_refractory", "Syndrome refractory to medical therapy"),
    _c(
        "primary.hormone",
        "Hormone secreted (functional tumour)",
        "serotonin",
        "insulin",
        "gastrin",
        "glucagon",
        "vip",
        "somatostatin",
        "acth",
        "pthrp",
        "calcitonin",
        "other",
    ),
    Field(
        "primary.complications",
        Kind.CHOICES,
        "Complications of the primary",
        choices=(
            "bowel_obstruction",
            "bleeding",
            "perforation",
            "mesenteric_fibrosis",
            "intestinal_ischaemia",
            "biliary_obstruction",
            "other",
        ),
    ),
    Field(
        "primary.surgical_assessment",
        Kind.CHOICE,
        "Primary removable (surgical assessment)",
        choices=PRIMARY_ASSESSMENTS,
        source=SURGICAL_ASSESSMENT,
    ),
    _c(
        "primary.unresectable_reason",
        "Why the primary cannot be removed",
        "vascular_involvement",
        "local_invasion",
        "patient_factors",
        "other",
    ),
    # pathology
    _n("pathology.ki67_percent", "Ki-67 index", "%", 0, 100),
    _n("pathology.mitoses_per_2mm2", "Mitotic count", "per 2 mm²", 0),
    _c("pathology.differentiation", "Differentiation", "well", "poor"),
    _c("pathology.nec_subtype", "NEC subtype", "small_cell", "large_cell"),
    _c("pathology.ki67_source", "Ki-67 measured on", "primary", "liver_metastasis"),
    _c("pathology.reported_grade", "Grade as the pathology report states it", *REPORTED_GRADES),
    _b("pathology.sstr_ihc_positive", "SSTR expression on immunohistochemistry"),
    # imaging
    _b("imaging.sstr_positive", "SSTR imaging positive"),
    _i("imaging.krenning_score", "Krenning score", 0, 4),
    _b("imaging.fdg_positive", "FDG-PET positive"),
    _c(
        "imaging.sstr_uptake_vs_liver",
        "SSTR-PET uptake compared with normal liver",
        "below_liver",
        "like_liver",
        "above_liver",
    ),
    # liver
    _i("liver.lesion_count", "Liver lesions", 1),
    _n("liver.largest_lesion_cm", "Largest liver lesion", "cm", 0, 40, exclusive_lo=True),
    _c(
        "liver.distribution",
        "Liver distribution",
        "unilobar",
        "bilobar_dominant",
        "bilobar_diffuse",
    ),
    _n("liver.tumor_burden_percent", "Hepatic tumour burden", "%", 0, 100),
    _n("liver.future_liver_remnant_percent", "Future liver remnant", "%", 0, 100),
    _b("liver.synchronous", "Synchronous liver metastases"),
    _b("liver.near_hilum_or_major_vessels", "Lesion at hilum or major vessel"),
    _b("liver.subcapsular", "Subcapsular target lesion"),
    _b("liver.bilobar", "Both lobes involved (pattern not stated)"),
    _b("liver.burden_symptoms", "Symptoms attributed to the liver tumour burden"),
    Field(
        "liver.surgical_assessment",
        Kind.CHOICE,
        "Liver disease resectable (surgical assessment)",
        choices=LIVER_ASSESSMENTS,
        source=SURGICAL_ASSESSMENT,
    ),
    # extrahepatic
    _b("extrahepatic.present", "Extrahepatic disease"),
    Field(
        "extrahepatic.sites",
        Kind.CHOICES,
        "Extrahepatic sites",
        choices=("bone", "lung", "distant_nodes", "peritoneum", "other"),
    ),
    _b("extrahepatic.resectable", "Extrahepatic disease resectable"),
    _b("extrahepatic.stable", "Extrahepatic disease stable"),
    # labs
    _n("labs.bilirubin_mg_dl", "Bilirubin", "mg/dL", 0, 50),
    _n("labs.albumin_g_dl", "Albumin", "g/dL", 0.5, 7),
    _n("labs.creatinine_mg_dl", "Creatinine", "mg/dL", 0.1, 20),
    _n("labs.egfr_ml_min", "eGFR", "mL/min/1.73 m²", 0, 200),
    _n("labs.ldh_u_l", "LDH", "U/L", 0, 10000),
    _n("labs.ast_u_l", "AST", "U/L", 0, 10000),
    _n("labs.platelets_per_ul", "Platelets", "/µL", 0, 2000000),
    _n("labs.hemoglobin_g_dl", "Haemoglobin", "g/dL", 2, 25),
    _n("labs.wbc_per_ul", "Leukocytes", "/µL", 0, 500000),
    # anatomy
    _b("anatomy.portal_vein_thrombosis", "Portal vein thrombosis or occlusion"),
    _b("anatomy.biliary_enteric_anastomosis", "Bilio-enteric anastomosis"),
    _b("anatomy.prior_whipple", "Prior pancreaticoduodenectomy"),
    _b("anatomy.biliary_obstruction", "Biliary obstruction"),
    _b("anatomy.ascites", "Ascites"),
    _b("anatomy.hepatic_encephalopathy", "Hepatic encephalopathy"),
    _n("anatomy.hepatopulmonary_shunt_percent", "Lung shunt fraction", "%", 0, 100),
    _b("anatomy.gi_shunting_uncorrectable", "Uncorrectable hepatic-arterial flow to the gut"),
    # course
    _c(
        "course.status",
        "Disease course",
        "stable",
        "progressing",
        "rapidly_progressing",
        "new_diagnosis",
    ),
    _n("course.months_stable", "Months of stable disease", "months", 0),
    _b("course.progressed_on_ssa", "Progressed on a somatostatin analogue"),
    _i("course.prior_systemic_lines", "Prior systemic lines", 0),
    Field("course.prior_treatments", Kind.CHOICES, "Prior treatments", choices=PRIOR_TREATMENTS),
    _b("course.recurrence_after_liver_resection", "Liver recurrence after hepatectomy"),
)

TOP_LEVEL: tuple[Field, ...] = (
    _i("schema_version", "Schema version", 1, 1),
    Field("case_id", Kind.STRING, "Case id", max_length=128),
    Field("label", Kind.STRING, "Label", max_length=500),
)

FIELDS = tuple(
    f for spec in _DECLARED for f in ((spec, *bounds_of(spec)) if spec.path in BOUNDED else (spec,))
)

FIELD_BY_PATH: dict[str, Field] = {f.path: f for f in FIELDS}
BOUNDS: dict[str, tuple[str, str]] = {p: (f"{p}_at_least", f"{p}_at_most") for p in BOUNDED}
"""Each bounded number → the paths of its inclusive lower and upper bound."""
STRICT_BOUNDS: dict[str, tuple[str, str]] = {
    p: (f"{p}_more_than", f"{p}_less_than") for p in BOUNDED if f"{p}_more_than" in FIELD_BY_PATH
}
"""Each bounded number that need not be whole → the paths of its strict lower and upper
bound."""
BOUND_PARTS: dict[str, tuple[str, ...]] = {
    p: (*BOUNDS[p], *STRICT_BOUNDS.get(p, ())) for p in BOUNDED
}
"""Each bounded number → every bound field it has."""
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(f.section for f in FIELDS))
