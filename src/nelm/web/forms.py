"""The case form: every case-v1 field, grouped by section, to and from a case document.

Form values arrive as text. Empty means unknown (never false, never zero). Booleans are a
three-way choice (unknown / yes / no). A number with more than one usual unit has a unit
selector (``nelm.case.units``: laboratory values in SI units, sizes in mm, intervals in
years, and the ranges and bounds of those numbers); a number in another unit than the
contract's is kept as entered (``{"value": 17.1, "unit": "µmol/L"}``) and converted by the
validator:

=============  ==================  ====================
field          other unit          conversion
=============  ==================  ====================
bilirubin      µmol/L              ÷ 17.1 → mg/dL
creatinine     µmol/L              ÷ 88.4 → mg/dL
albumin        g/L                 ÷ 10 → g/dL
haemoglobin    g/L, mmol/L         ÷ 10, × 1.611 → g/dL
platelets      10⁹/L, 10³/µL       × 1000 → /µL
leukocytes     10⁹/L, 10³/µL       × 1000 → /µL
LDH, AST       µkat/L              × 60 → U/L
eGFR           mL/s/1.73 m²        × 60 → mL/min/1.73 m²
sizes          mm                  ÷ 10 → cm
intervals      years               × 12 → months
=============  ==================  ====================

Text that is not a number is rejected by the validator like any other wrong value.

A number outside its plausible range (``nelm.case.plausibility``) is stored only when its
"confirm as entered" box (``confirm:<path>``) is ticked; the ticked paths become the case
document's ``confirmed`` list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from nelm.case.document import read_yaml
from nelm.case.fields import FIELDS, SECTIONS, Field, Kind
from nelm.case.typed_values import dot_as_thousands
from nelm.case.units import ENTRY_UNITS, Unit, entry_unit
from nelm.report.view import SECTION_TITLES

__all__ = [
    "RECORD_WARNING_KEY",
    "SECTION_TITLES",
    "UNIT_CHOICES",
    "FormField",
    "document_from_form",
    "form_fields",
    "form_values",
    "timeline_text",
]

RECORD_WARNING_KEY = "record_warning"
"""The form's checkboxes of the record's warnings the case keeps (``record_warnings``)."""


UNIT_CHOICES = ENTRY_UNITS  # the units a number may be entered in (nelm.case.units)


@dataclass(frozen=True, slots=True)
class FormField:
    spec: Field
    input_id: str
    hint: str

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def units(self) -> tuple[Unit, ...]:
        return UNIT_CHOICES.get(self.spec.path, ())


# What a yes/no or choice field means, where its label alone does not say it (case-v1.md
# and docs/case-v1-additions.md). The select itself shows the choices in words, so the
# codes are not listed under it.
_MEANINGS = {
    "patient.pregnant": (
        "established or suspected pregnancy: no status weighs it; the assessment warns, and "
        "PRRT, chemotherapy and radioembolisation say what their label or ESMO says"
    ),
    "patient.fit_for_major_surgery": "the clinician's judgement of operative fitness",
    "patient.carcinoid_heart_disease": "right-heart dysfunction from carcinoid heart disease",
    "primary.resected": "the primary tumour has already been removed",
    "primary.syndrome_refractory": "hormonal symptoms not controlled by medical therapy",
    "primary.surgical_assessment": "the surgeons' judgement of whether the primary can be removed",
    "imaging.sstr_positive": (
        "somatostatin-receptor imaging (68Ga-DOTA PET or scintigraphy) shows uptake in the lesions"
    ),
    "imaging.fdg_positive": "lesions avid on 18F-FDG PET",
    "pathology.reported_grade": (
        "used when Ki-67 and the mitotic count do not settle the grade. NEC is a poorly "
        "differentiated neuroendocrine carcinoma (WHO 2019; 000 §1); an older report's "
        '"well-differentiated (endocrine) carcinoma" or "malignant carcinoid" (WHO 2000) '
        "is a NET: enter its G1–G3 from Ki-67, not NEC"
    ),
    "liver.distribution": (
        "unilobar: one lobe or two adjacent segments (type I); one lobe dominant: a dominant "
        "lesion with smaller contralateral deposits (type II); diffuse: disseminated in both "
        "lobes (type III)"
    ),
    "liver.synchronous": "liver metastases found together with the primary",
    "liver.bilobar": "when the pattern (one lobe dominant or diffuse) is not stated",
    "liver.surgical_assessment": "the surgeons' judgement of the liver disease",
    "liver.burden_symptoms": (
        "symptoms the clinicians attribute to the bulk of the liver metastases rather than "
        "to hormones (asked for debulking of a non-functional tumour)"
    ),
    "extrahepatic.present": (
        "any disease outside the liver other than the primary; the primary's regional lymph "
        "nodes (a small-bowel primary's mesenteric nodes) are its own: primary node status"
    ),
    "extrahepatic.resectable": "all extrahepatic deposits can be removed",
    "anatomy.gi_shunting_uncorrectable": "seen on angiography before radioembolisation",
    "course.status": (
        "at the time of the board; a new diagnosis is read as not yet treated (no progression "
        "on an SSA, no prior systemic line)"
    ),
}


# When a number's bounds are for (docs/case-v1-additions.md, "Ranges and bounds"): the
# form shows the exact number and its two bounds one under another, and "Age (at least)"
# alone does not say that the bounds are for an age not known to the year.
_NUMBER_HINTS = {
    "patient.age_years": (
        "in completed years; when only a range is known (“in her fifties”, a birth year), "
        "leave it empty and enter the range below"
    ),
    "patient.age_years_at_least": (
        "only when the exact age is not known: the youngest it can be (“in her fifties”: 50)"
    ),
    "patient.age_years_at_most": (
        "only when the exact age is not known: the oldest it can be (“in her fifties”: 59)"
    ),
}


def _hint(spec: Field) -> str:
    """The line under a field: what a number takes, what a yes/no or choice means."""
    if spec.kind in (Kind.BOOLEAN, Kind.CHOICE):
        return _MEANINGS.get(spec.path, "")
    said = _NUMBER_HINTS.get(spec.path)
    if said is None and spec.bound_of is not None:
        said = _STRICT_HINTS.get(spec.path.removeprefix(spec.bound_of + "_"))
    return f"{said}; {spec.expected()}" if said else spec.expected()


# A strict bound is the report's "> 20 %" itself: the WHO grade's cut-offs are strict, so
# "at least 20" would leave a Ki-67 "> 20 %" between G2 and G3.
_STRICT_HINTS = {
    "more_than": "a report's “>”: the number after it (“> 20”: 20), instead of “at least”",
    "less_than": "a report's “<”: the number after it (“< 3”: 3), instead of “at most”",
}


def _input_id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


def form_fields() -> list[tuple[str, str, list[FormField]]]:
    """(section, title, fields) in the contract's order."""
    groups = []
    for section in SECTIONS:
        fields = [FormField(f, _input_id(f.path), _hint(f)) for f in FIELDS if f.section == section]
        groups.append((section, SECTION_TITLES.get(section, section.title()), fields))
    return groups


# A comma before groups of three digits: "1,500" is 1.5 with a decimal comma or 1500 with
# a thousands separator. Left to the validator, whose hint names the reading that fits.
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+")


# Spaces between groups of three digits ("240 000", "1 500,5"); any other space ("1 5",
# a slip for 1.5 or 15) is no number, nor is Python's digit separator ("1_5" is 15 to float).
_SPACED_GROUPS = re.compile(r"[+-]?\d{1,3}(?:[ \u202f]\d{3})+(?:[.,]\d+)?")


def _number(text: str) -> float | None:
    """The number a person typed: spaces between digit groups ("240 000") ignored, a
    decimal comma ("1,5") read as the decimal point; None for anything else."""
    cleaned = text.strip()
    if "_" in cleaned or (
        re.search(r"[ \u202f]", cleaned) and not _SPACED_GROUPS.fullmatch(cleaned)
    ):
        return None
    cleaned = cleaned.replace(" ", "").replace("\u202f", "")
    if _GROUPED_COMMA.fullmatch(cleaned):
        return None
    cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _tidy(value: float) -> float | int:
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded


def document_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """A case document (not yet validated) from the form's fields.

    ``form`` maps the dotted field path to text (``getlist`` values for multi-choice
    fields arrive as lists), ``unit:<path>`` to the chosen unit key. Text that is not a
    number is passed on as text, so that the validator rejects it with its usual message.
    """
    doc: dict[str, Any] = {"schema_version": 1}
    case_id = str(form.get("case_id") or "").strip()
    doc["case_id"] = case_id or None
    label = str(form.get("label") or "").strip()
    if label:
        doc["label"] = label
    for spec in FIELDS:
        raw = form.get(spec.path)
        section, name = spec.path.split(".", 1)
        if spec.kind is Kind.CHOICES:
            items = raw if isinstance(raw, list) else ([raw] if raw else [])
            if items:
                doc.setdefault(section, {})[name] = [str(i) for i in items]
            continue
        text = str(raw or "").strip()
        if not text:
            continue
        value: Any
        if spec.kind is Kind.BOOLEAN:
            value = {"yes": True, "no": False}.get(text, text)
        elif spec.kind in (Kind.NUMBER, Kind.INTEGER):
            number = _number(text)
            units = UNIT_CHOICES.get(spec.path, ())
            chosen = str(form.get(f"unit:{spec.path}") or "")
            unit = next((u for u in units if u.key == chosen), None)
            in_own_unit = unit is None or unit.factor == 1.0
            if number is None or (in_own_unit and dot_as_thousands(spec, text) is not None):
                # the validator names the field, what it expected and the reading that fits
                doc.setdefault(section, {})[name] = text
                continue
            # A number in another unit is kept as entered; the validator converts it. A unit
            # the field does not take (an old or hand-made form) goes to the validator too,
            # which refuses it by name: read in the field's own unit it would be another value.
            value = (
                {"value": _tidy(number), "unit": unit.label if unit is not None else chosen}
                if (unit is not None and unit.factor != 1.0) or (units and unit is None and chosen)
                else _tidy(number)
            )
        else:
            value = text
        doc.setdefault(section, {})[name] = value
    confirmed = [spec.path for spec in FIELDS if form.get(f"confirm:{spec.path}") == "yes"]
    if confirmed:
        doc["confirmed"] = confirmed
    # a result's date stays with its value only while the value is the one it dated; so
    # does the record's resource it was read from: a value edited by hand was entered
    for key, note, kept_value in (
        ("measured_on", "measured_on", "measured_value"),
        ("value_sources", "source", "source_value"),
    ):
        if notes := _kept_while_unchanged(form, note, kept_value):
            doc[key] = notes
    timeline = str(form.get("timeline") or "").strip()
    if timeline:
        doc["timeline"] = _timeline(timeline)
    # the record's warnings still ticked ("What the record said"); unticking one removes it
    kept = form.get(RECORD_WARNING_KEY)
    kept_list = kept if isinstance(kept, list) else [kept] if kept else []
    if kept_list:
        doc["record_warnings"] = [str(w) for w in kept_list]
    return doc


def _as_sent(form: Mapping[str, Any], path: str) -> str:
    """A field's value and unit as the form sends them, to tell whether the value a date
    belongs to was changed: "0.8|mg_dl", "liver,lung|"."""
    raw = form.get(path)
    text = ",".join(sorted(str(i) for i in raw)) if isinstance(raw, list) else str(raw or "")
    units = UNIT_CHOICES.get(path, ())
    unit = str(form.get(f"unit:{path}") or (units[0].key if units else ""))
    return f"{text.strip()}|{unit}"


def _kept_while_unchanged(form: Mapping[str, Any], note: str, kept_value: str) -> dict[str, str]:
    """Per field, the hidden ``note:<path>`` the form carried (a result's date, a record's
    resource), for the fields whose value is still the ``kept_value:<path>`` it came with."""
    return {
        spec.path: str(form[f"{note}:{spec.path}"])
        for spec in FIELDS
        if form.get(f"{note}:{spec.path}")
        and form.get(f"{kept_value}:{spec.path}") == _as_sent(form, spec.path)
    }


def _timeline(text: str) -> Any:
    """The timeline box (YAML or JSON) as an object; text that does not read as one is passed
    on, so that the validator names ``timeline`` and what it expected."""
    try:
        loaded = read_yaml(text)
    except (yaml.YAMLError, ValueError):
        return text
    return loaded if isinstance(loaded, dict) else text


def form_values(document: Mapping[str, Any]) -> dict[str, Any]:
    """The form's initial values from a stored case document."""
    values: dict[str, Any] = {
        "case_id": document.get("case_id") or "",
        "label": document.get("label") or "",
    }
    for spec in FIELDS:
        section, name = spec.path.split(".", 1)
        body = document.get(section)
        value = body.get(name) if isinstance(body, Mapping) else None
        if value is None:
            continue
        if spec.kind is Kind.BOOLEAN:
            values[spec.path] = "yes" if value else "no"
        elif spec.kind is Kind.CHOICES:
            # a file read into the form may hold one choice as text, not a list
            values[spec.path] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        elif isinstance(value, Mapping):  # entered in another unit
            values[spec.path] = str(value.get("value"))
            unit = entry_unit(spec.path, str(value.get("unit")))
            if unit is not None:
                values[f"unit:{spec.path}"] = unit.key
        elif isinstance(value, float):  # 276.0 as 276, as it would be typed
            values[spec.path] = str(_tidy(value))
        else:
            values[spec.path] = str(value)
    confirmed = document.get("confirmed")  # a file read into the form may hold anything
    for path in confirmed if isinstance(confirmed, list) else ():
        values[f"confirm:{path}"] = "yes"
    dated = document.get("measured_on")
    for path, day in dated.items() if isinstance(dated, Mapping) else ():
        if path in values:
            values[f"measured_on:{path}"] = str(day)
            values[f"measured_value:{path}"] = _as_sent(values, path)
    sources = document.get("value_sources")
    for path, source in sources.items() if isinstance(sources, Mapping) else ():
        if path in values:
            values[f"source:{path}"] = str(source)
            values[f"source_value:{path}"] = _as_sent(values, path)
    said = document.get("record_warnings")  # a file read into the form may hold anything
    if isinstance(said, list) and said:
        values[RECORD_WARNING_KEY] = [str(w) for w in said]
    timeline = document.get("timeline")
    if isinstance(timeline, Mapping):
        values["timeline"] = timeline_text(timeline)
    return values


def timeline_text(timeline: Mapping[str, Any]) -> str:
    """A timeline as the form's box shows it (YAML, one event a line)."""
    return yaml.safe_dump(
        dict(timeline), sort_keys=False, allow_unicode=True, default_flow_style=None
    )
