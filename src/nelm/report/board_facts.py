"""The key facts a tumour board reads first, in clinical words (part of
:func:`nelm.report.board.board_view`): one line each for the patient, the primary, the
grade, the liver, extrahepatic disease, imaging, the key labs and the course. Unknown
reads as "not known", a value the input warnings question is marked beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nelm.case.fields import OTHER_TREATMENT_WORDS
from nelm.case.units import as_entered_text
from nelm.report.course import course_conflict
from nelm.report.known_range import age_words
from nelm.report.known_range import number_words as _num
from nelm.report.view import NOT_KNOWN, liver_type_text

__all__ = ["Fact", "key_facts"]


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    unknown: bool = False


# A functional tumour is named as a clinician names it ("insulinoma", not "insulinoma
# syndrome"); only the carcinoid syndrome is a syndrome by name.
_SYNDROME_WORDS = {
    "none": "non-functional",
    "carcinoid": "carcinoid syndrome",
    "vipoma": "VIPoma",
    "other": "another functional syndrome",
}

# A hormone as a report writes it (case-v1 primary.hormone).
_HORMONE_WORDS = {"vip": "VIP", "acth": "ACTH", "pthrp": "PTHrP"}


# A hereditary syndrome brings cautions of its own (MEN1: several primaries; VHL and NF1:
# phaeochromocytoma before a procedure), so the board reads it with the patient.
_HEREDITARY_WORDS = {
    "men1": "MEN1",
    "men4": "MEN4",
    "vhl": "von Hippel-Lindau disease",
    "nf1": "neurofibromatosis type 1",
    "tuberous_sclerosis": "tuberous sclerosis",
    "other": "a hereditary syndrome (other)",
}


def _syndrome(syndrome: Any, hormone: Any) -> str | None:
    """The syndrome with the hormone beside it when it says more ("another functional
    syndrome (ACTH)"), or the hormone alone when no syndrome is given."""
    said = _SYNDROME_WORDS.get(str(syndrome), _words(syndrome)) if syndrome else None
    if not hormone or hormone == "other":
        return said
    words = _HORMONE_WORDS.get(str(hormone), str(hormone))
    if said is None:
        return f"secretes {words}"
    return f"{said} ({words})" if syndrome in ("other", "carcinoid") else said


# The surgeons' verdicts (case-v1 surgical_assessment), which decide the plan's order, in
# the facts the board reads first rather than only inside failing criteria.
_SURGEONS_LIVER = {
    "resectable": "surgeons: resectable",
    "resectable_after_conversion": "surgeons: resectable after conversion",
    "unresectable": "surgeons: unresectable",
}
_SURGEONS_PRIMARY = {"resectable": "surgeons: removable", "unresectable": "surgeons: not removable"}


def _flagged_fields(doc: Mapping[str, Any]) -> dict[str, str]:
    """Field → the kind of the first input warning naming it (``input_warnings``), so the
    facts a board reads first mark a value the warnings question (a bilirubin of 17 that
    may be µmol/L stood unmarked among the key labs, its warning below the first screen)."""
    flags: dict[str, str] = {}
    for warning in doc.get("input_warnings") or ():
        if isinstance(warning, Mapping):
            for path in warning.get("fields") or ():
                flags.setdefault(str(path), str(warning.get("kind")))
    return flags


_FLAG_WORDS = {
    "unit_check": "check the unit",
    "implausible": "implausible",
    "contradiction": "contradictory",
}


def _flag(flags: Mapping[str, str], path: str) -> str:
    kind = flags.get(path)
    if kind is None:
        return ""
    return f" (⚠ {_FLAG_WORDS.get(kind, 'questioned')}: see Warnings)"


def _since_resection(primary: Mapping[str, Any]) -> str | None:
    """How long ago the primary was removed, as the report gives it (a number, a range or
    a bound of months)."""
    months = _bounded(primary, "primary", "months_since_primary_resection", "months")
    return f"{months} since resection" if months is not None else None


def _words(value: Any) -> str:
    return str(value).replace("_", " ")


def _quantity(path: str, value: Any, unit: str) -> str:
    """A number with its unit; one entered in another unit as entered, converted beside it
    ("210 10⁹/L (210,000 /µL)")."""
    if isinstance(value, Mapping) and {"value", "unit"} <= set(value):
        return as_entered_text(path, value["value"], str(value["unit"]))
    return f"{_num(value)}{unit if unit.startswith(('%', '/')) else ' ' + unit}".rstrip()


def _section(inputs: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    body = inputs.get(name)
    return body if isinstance(body, Mapping) else {}


_BOUND_SIGNS = (("≥", "at_least"), (">", "more_than"), ("≤", "at_most"), ("<", "less_than"))


def _bounded(body: Mapping[str, Any], section: str, name: str, unit: str) -> str | None:
    """A number a report gives exactly, or as a range or a bound ("≥ 10", "≤ 30 mm (3 cm)")."""
    if body.get(name) is not None:
        return _quantity(f"{section}.{name}", body[name], unit)
    parts = [
        f"{sign} {_quantity(f'{section}.{name}_{suffix}', body[f'{name}_{suffix}'], unit)}"
        for sign, suffix in _BOUND_SIGNS
        if body.get(f"{name}_{suffix}") is not None
    ]
    return ", ".join(parts) or None


def _yes_no(value: Any, yes: str | None, no: str | None, unknown: str | None) -> str | None:
    if value is True:
        return yes
    if value is False:
        return no
    return unknown


def _anatomy(get: Any, site: Any) -> list[str | None]:
    """What the liver-directed options turn on beyond the liver's metastases: a prior
    Whipple or bilio-enteric anastomosis (TAE/TACE contraindicated: 003, 002 §3.3), a blocked
    bile duct, portal vein thrombosis, ascites or encephalopathy. Only what the case states,
    and a Whipple not known where the primary's site makes it the question (a pancreatic
    or duodenal primary resected); empty when there is nothing to say."""
    whipple = get("anatomy", "prior_whipple")
    pancreatic_resected = site in ("pancreas", "duodenum") and get("primary", "resected") is True
    return [
        p
        for p in (
            _yes_no(
                whipple,
                "prior Whipple",
                "no prior Whipple" if pancreatic_resected else None,
                "prior Whipple not known" if pancreatic_resected else None,
            ),
            _yes_no(
                get("anatomy", "biliary_enteric_anastomosis"),
                "bilio-enteric anastomosis",
                None,
                None,
            ),
            _yes_no(get("anatomy", "biliary_obstruction"), "biliary obstruction", None, None),
            _yes_no(get("anatomy", "portal_vein_thrombosis"), "portal vein thrombosis", None, None),
            _yes_no(get("anatomy", "ascites"), "ascites", None, None),
            _yes_no(get("anatomy", "hepatic_encephalopathy"), "hepatic encephalopathy", None, None),
        )
        if p
    ]


def _join(parts: Sequence[str | None]) -> str:
    return " · ".join(p for p in parts if p)


def key_facts(doc: Mapping[str, Any], names: Mapping[str, str]) -> list[Fact]:
    inputs = doc.get("inputs") or {}
    c = doc.get("classification") or {}
    # A yes/no field the case implies (listed sites: extrahepatic disease) reads as the
    # criteria read it, so the summary never says "not known" beside the sites themselves.
    implied = {i["field"]: i["value"] for i in c.get("implied") or ()}
    # What the dated timeline gave reads the same way.
    implied |= {i["field"]: i["value"] for i in c.get("from_timeline") or ()}

    def get(section: str, name: str) -> Any:
        body = inputs.get(section)
        value = body.get(name) if isinstance(body, Mapping) else None
        return implied.get(f"{section}.{name}") if value is None else value

    facts: list[Fact] = []
    flags = _flagged_fields(doc)

    def add(label: str, parts: Sequence[str | None]) -> None:
        text = _join(parts)
        facts.append(Fact(label, text or NOT_KNOWN, unknown=not text))

    sex, ecog = get("patient", "sex"), get("patient", "ecog")
    age = age_words(_section(inputs, "patient"), get("patient", "age_years"))
    add(
        "Patient",
        [
            age or "age not known",
            _words(sex) if sex else "sex not known",
            f"ECOG {ecog}" if ecog is not None else "ECOG not known",
            _yes_no(
                get("patient", "fit_for_major_surgery"),
                "fit for major surgery",
                "not fit for major surgery",
                "fitness for surgery not known",
            ),
            _yes_no(
                get("patient", "carcinoid_heart_disease"), "carcinoid heart disease", None, None
            )
            or None,
            "pregnant" if get("patient", "pregnant") is True else None,
            *(
                _HEREDITARY_WORDS.get(str(s), str(s))
                for s in get("patient", "hereditary_syndromes") or ()
            ),
        ],
    )
    site = get("primary", "site")
    primary = {
        **{f.split(".", 1)[1]: v for f, v in implied.items() if f.startswith("primary.")},
        **_section(inputs, "primary"),
    }
    syndrome = get("primary", "functional_syndrome")
    margin = get("primary", "resection_margin")
    add(
        "Primary",
        [
            ("unknown primary" if site == "unknown_primary" else _words(site))
            if site
            else "site not known",
            _yes_no(
                get("primary", "resected"),
                f"resected ({margin})" if margin else "resected",
                # a primary not found is not "in place" for the board: nobody knows where
                "not found" if site == "unknown_primary" else "in place",
                "resection not known",
            ),
            _quantity("primary.size_cm", get("primary", "size_cm"), "cm")
            if get("primary", "size_cm")
            else None,
            _since_resection(primary),
            _yes_no(get("primary", "node_positive"), "nodes involved", "nodes negative", None),
            # unknown said, not left out: the cautions ask whether there is a syndrome; one
            # read from the carcinoid heart disease is said to be so (the implied facts)
            (_syndrome(syndrome, get("primary", "hormone")) or "function not known")
            + (
                " (not stated; read from the carcinoid heart disease)"
                if _section(inputs, "primary").get("functional_syndrome") is None
                and "primary.functional_syndrome" in implied
                else ""
            ),
            _SURGEONS_PRIMARY.get(str(get("primary", "surgical_assessment"))),
        ],
    )
    grade = c.get("grade") or (
        " or ".join(c.get("grade_possible") or []) + " (not settled)"
        if c.get("grade_possible")
        else "grade not known"
    )
    pathology = _section(inputs, "pathology")
    ki67 = _bounded(pathology, "pathology", "ki67_percent", "%")
    mitoses = _bounded(pathology, "pathology", "mitoses_per_2mm2", "")
    diff = get("pathology", "differentiation")
    add(
        "Grade",
        [
            str(grade),
            f"Ki-67 {ki67}{_flag(flags, 'pathology.ki67_percent')}"
            if ki67 is not None
            else "Ki-67 not known",
            f"{mitoses} mitoses/2 mm²" if mitoses is not None else None,
            {"well": "well differentiated", "poor": "poorly differentiated"}.get(
                str(diff), f"{diff} differentiation"
            )
            if diff
            # a settled NET grade implies a well-differentiated tumour (000 §1)
            else "differentiation not stated (well, as a NET grade)"
            if c.get("grade") in ("G1", "G2", "G3")
            else "differentiation not known",
        ],
    )
    lt = liver_type_text(c)
    liver = _section(inputs, "liver")
    lesions = get("liver", "lesion_count")
    lesion_range = _bounded(liver, "liver", "lesion_count", "")
    largest = _bounded(liver, "liver", "largest_lesion_cm", "cm")
    burden = _bounded(liver, "liver", "tumor_burden_percent", "%")
    flr = _bounded(liver, "liver", "future_liver_remnant_percent", "%")
    distribution = get("liver", "distribution")
    add(
        "Liver",
        [
            f"type {lt}" if lt else "type not known",
            _words(distribution).replace("bilobar ", "bilobar, ")
            if distribution
            else _yes_no(get("liver", "bilobar"), "both lobes", "one lobe", None),
            (
                f"{lesions} lesion{'s' if lesions != 1 else ''}"
                if lesions is not None
                else f"{lesion_range} lesions"
                if lesion_range
                else "lesion count not known"
            ),
            f"largest {largest}" if largest is not None else None,
            f"burden {burden}"
            if burden is not None
            else (f"burden {c['burden_band']}" if c.get("burden_band") else "burden not known"),
            f"future remnant {flr}" if flr is not None else None,
            _yes_no(get("liver", "synchronous"), "synchronous", "metachronous", None) or None,
            _SURGEONS_LIVER.get(str(get("liver", "surgical_assessment"))),
        ],
    )
    anatomy = _anatomy(get, site)
    if anatomy:
        add("Anatomy", anatomy)
    present = get("extrahepatic", "present")
    sites = get("extrahepatic", "sites") or []
    add(
        "Extrahepatic",
        [
            _yes_no(
                present,
                "present" + (": " + ", ".join(_words(s) for s in sites) if sites else ""),
                "none",
                NOT_KNOWN,
            ),
            _yes_no(get("extrahepatic", "resectable"), "resectable", "not resectable", None)
            if present
            else None,
        ],
    )
    sstr, krenning, fdg = (
        get("imaging", "sstr_positive"),
        get("imaging", "krenning_score"),
        get("imaging", "fdg_positive"),
    )
    add(
        "Imaging",
        [
            str(_yes_no(sstr, "SSTR positive", "SSTR negative", "SSTR not known"))
            + (f" (Krenning {krenning})" if krenning is not None else "")
            + _flag(
                flags, "imaging.sstr_positive" if sstr is not None else "imaging.krenning_score"
            ),
            _yes_no(fdg, "FDG-PET positive", "FDG-PET negative", None) or None,
        ],
    )
    labs = [
        ("Bilirubin", "bilirubin_mg_dl", "mg/dL"),
        ("albumin", "albumin_g_dl", "g/dL"),
        ("platelets", "platelets_per_ul", "/µL"),
        ("creatinine", "creatinine_mg_dl", "mg/dL"),
    ]
    # A laboratory may give a value only as a bound ("creatinine > 400 µmol/L"), and a
    # patient on dialysis only an eGFR "< 15": shown as given, the eGFR when it is given
    # (it decides PRRT's, CAPTEM's and, without a creatinine, embolisation's kidney limits).
    lab_body = _section(inputs, "labs")
    shown = {key: _bounded(lab_body, "labs", key, unit) for _, key, unit in labs}
    lab_parts = [
        f"{label.lower()} {shown[key]}" + _flag(flags, f"labs.{key}")
        for label, key, _ in labs
        if shown[key]
    ]
    egfr = _bounded(lab_body, "labs", "egfr_ml_min", "mL/min/1.73 m²")
    if egfr:
        lab_parts.append(f"eGFR {egfr}" + _flag(flags, "labs.egfr_ml_min"))
    missing_labs = [label.lower() for label, key, _ in labs if not shown[key]]
    if missing_labs:
        lab_parts.append(", ".join(missing_labs) + " not known")
    add("Key labs", lab_parts)
    status, lines = get("course", "status"), get("course", "prior_systemic_lines")
    prior = get("course", "prior_treatments") or []
    course = {
        **{f.split(".", 1)[1]: v for f, v in implied.items() if f.startswith("course.")},
        **_section(inputs, "course"),
    }
    # a lower bound of 0 months (one scan showing stable disease) says only "stable"
    no_bound = course.get("months_stable_at_least") == 0 and not any(
        course.get(k) is not None
        for k in ("months_stable", "months_stable_at_most", "months_stable_less_than")
    )
    conflict = course_conflict(inputs)
    if conflict is not None:
        # the months the timeline gives belong to its side of the conflict: only stated
        # months stand beside the stated course
        course = dict(_section(inputs, "course"))
    stable = None if no_bound else _bounded(course, "course", "months_stable", "months")
    spell = f"stable for {stable}" if stable is not None else None
    if status in ("progressing", "rapidly_progressing") and course.get("months_stable") == 0:
        spell = None  # "progressing · stable for 0 months" says one thing twice
    if conflict is not None:
        status_parts = [conflict.stated_text, spell, conflict.to_settle]
    else:
        status_parts = [
            # "stable for ≥ 8 months" says both; the months alone imply a stable spell
            spell if spell and status in (None, "stable") else None,
            None
            if spell and status in (None, "stable")
            else (_words(status) if status else "not known"),
            spell if spell and status not in (None, "stable") else None,
        ]
    add(
        "Course",
        [
            *status_parts,
            _yes_no(get("course", "progressed_on_ssa"), "progressed on an SSA", None, None),
            _yes_no(
                get("course", "recurrence_after_liver_resection"),
                "recurrence after liver resection",
                None,
                None,
            ),
            f"{lines} prior systemic line{'s' if lines != 1 else ''}"
            # a new diagnosis with no line says one thing twice
            if lines is not None and not (status == "new_diagnosis" and lines == 0)
            else None,
            (
                "prior: "
                + ", ".join(
                    names.get(p) or OTHER_TREATMENT_WORDS.get(p) or _words(p) for p in prior
                )
            )
            if prior
            else None,
        ],
    )
    return facts
