"""State shared by the resource readers while one bundle is mapped."""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass, field
from typing import Any

from nelm.case.fields import FIELD_BY_PATH, Kind
from nelm.case.plausibility import slip_hint
from nelm.errors import Problem, describe_value
from nelm.interop.fhir.cancers import CancerIndex
from nelm.interop.fhir.collect import (
    Finding,
    Issue,
    LesionSize,
    LobeSite,
    Notes,
    Scalar,
    Source,
)
from nelm.interop.fhir.dates import When
from nelm.interop.fhir.validate import Entry

__all__ = ["Context", "PrimaryRecord", "TimedSource", "TreatmentLine", "number", "range_problem"]


@dataclass(frozen=True, slots=True)
class PrimaryRecord:
    """A Condition read as the primary tumour."""

    source: Source
    onset: When | None
    specific: bool
    site: str | None


TimedSource = tuple[Source, When]


@dataclass(frozen=True, slots=True)
class TreatmentLine:
    """A treatment given over a time (MedicationStatement.effective[x], Procedure.performed[x])."""

    source: Source
    treatment: str  # an option id
    when: When  # the start
    stop: When | None  # the end of the period, when given
    ongoing: bool = False  # still given on the assessment date (an active statement)


@dataclass
class Context:
    """Everything the readers add to, for one bundle."""

    assessment_date: dt.date
    entries: list[Entry]
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems with the record as a whole (two patients): the bundle is rejected."""
    issues: list[Issue] = field(default_factory=list)
    """Problems with one element: it is not used, the rest of the record is."""
    warnings: list[str] = field(default_factory=list)
    """What a reader of the assessment must know about the record (a death, no
    neuroendocrine diagnosis)."""
    notes: Notes = field(default_factory=Notes)
    not_r4: list[str] = field(default_factory=list)
    """The types of the resources set aside as not valid FHIR R4, one per resource."""
    not_attributed: list[str] = field(default_factory=list)
    """The types of the resources not attributed to the patient (no subject, a conditional
    reference, a reference no entry holds, another patient), one per resource."""
    primaries: list[PrimaryRecord] = field(default_factory=list)
    cancers: CancerIndex | None = None
    liver_lesions: list[LesionSize] = field(default_factory=list)
    liver_sides: list[LobeSite] = field(default_factory=list)
    """Liver lesions placed in the right or left lobe (``liver.bilobar``, lobes.py)."""
    liver_metastases: list[tuple[Source, When | None]] = field(default_factory=list)
    intrathoracic_nodes: list[tuple[Source, When | None]] = field(default_factory=list)
    scans: list[tuple[Source, When, str]] = field(default_factory=list)
    """Dated disease statuses (response, stable, progression) for the timeline."""
    treatment_lines: list[TreatmentLine] = field(default_factory=list)
    administrations: list[tuple[str, Source, When]] = field(default_factory=list)
    """Doses given (MedicationAdministration): option id, source, when; grouped into
    treatment lines once every resource is read (treatments.administration_lines)."""
    primary_resections: list[TimedSource] = field(default_factory=list)
    after_dates: list[dt.date] = field(default_factory=list)
    """The dates of resources left out for being after the assessment date."""
    null_items: dict[str, list[tuple[str | int, ...]]] = field(default_factory=dict)
    """Resource path → the places of the null items taken out of its lists (nulls.py), in
    the resource as sent: the paths given are written back to those places."""
    issues_read_as_sent: int = 0
    """How many of ``issues`` were listed by the time null items were taken out: their
    paths are those of the record as sent already (the nulls themselves among them)."""
    rejected_values: list[dict[str, Any]] = field(default_factory=list)
    """Values outside what case-v1 accepts (assessment-v1 ``input_warnings`` of kind
    ``out_of_range``): each named, with the likely fix, at the top of the assessment."""

    def add(
        self,
        path: str,
        value: Scalar,
        source: Source,
        when: When | None = None,
        companions: tuple[tuple[str, Scalar], ...] = (),
    ) -> None:
        self.findings.append(Finding(path, value, source, when, companions))

    def flaw(self, problem: Problem, field: str = "") -> None:
        """Record a problem with one element as a data-quality issue; ``field`` (when
        given) stays unknown even if another resource gives it."""
        text = f"{problem.expected}, got {problem.got}" if problem.got else problem.expected
        self.issues.append(Issue(problem.path, text, field))

    def reject_value(self, problem: Problem, path: str, ref: str) -> None:
        """A value outside the field's hard range: the field is left unknown and listed
        (``flaw``), and the assessment warns at the top, naming the field and the fix, as
        it rejects such a value in a case document."""
        self.flaw(problem, path)
        spec = FIELD_BY_PATH[path]
        unit = f" {spec.unit}" if spec.unit and spec.unit != "%" else spec.unit
        shown, fix = problem.got, ""
        if shown.endswith(")") and " (" in shown:  # "130 g/dL (did you mean …?)"
            shown, _, fix = shown[:-1].rpartition(" (")
        self.rejected_values.append(
            {
                "kind": "out_of_range",
                "fields": [path],
                "field": path,
                "resource": ref,
                "value_as_sent": shown,
                "expected": f"{spec.expected()}{unit}",
                "hint": fix or None,
                "message": (
                    f"{spec.label} ({path}): {ref} gives {shown}, outside what case-v1 "
                    f"accepts ({spec.expected()}{unit})"
                    + (f": {fix}" if fix else "")
                    + ("" if fix.endswith("?") else ".")
                    + " The value is left unknown; correct it in the record."
                ),
            }
        )

    def after_assessment(self, entry: Entry, when: When | None) -> bool:
        """True (noted, and counted for a warning) when the resource is dated after the
        assessment date."""
        if when is not None and when.first_day > self.assessment_date:
            self.notes.add("not used: dated after the assessment date", entry.ref)
            self.after_dates.append(when.first_day)
            return True
        return False

    def later_results_warning(self) -> str | None:
        """One warning when results were left out for being dated after the assessment
        date: an assessment date chosen too early would otherwise leave Ki-67 and the
        laboratory values unknown without a word on top."""
        if not self.after_dates:
            return None
        count, first = len(self.after_dates), min(self.after_dates)
        return (
            f"{count} result{'s' if count != 1 else ''} of the record "
            f"{'are' if count != 1 else 'is'} dated after the assessment date "
            f"({self.assessment_date.isoformat()}), the earliest {first.isoformat()}, and "
            f"{'were' if count != 1 else 'was'} not used: assess the record on a later date "
            "to use them."
        )


def number(value: Any) -> float | int | None:
    """A finite JSON number (not a boolean), else None. A whole number beyond what a
    float holds (JSON sets no limit) is no usable number either: every conversion and
    range check is done in floats."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int) and abs(value) > _LARGEST:
        return None
    return value


_LARGEST = int(sys.float_info.max)


def range_problem(
    path: str,
    value: float | int,
    where: str,
    ref: str,
    shown: str = "",
    *,
    same_unit: bool = True,
) -> Problem | None:
    """A Problem when ``value`` is outside the case field's range (or not whole).

    Out of range, the message names the likely fix as the case document does: the usual
    unit slip when the value was sent in the case unit ("did you mean 130 g/L = 13 g/dL?",
    ``nelm.case.plausibility``), else a request to check the value and its unit."""
    spec = FIELD_BY_PATH[path]
    if spec.kind is Kind.INTEGER and not float(value).is_integer():
        return Problem(
            where, f"{ref}: {path} must be a whole number", shown or describe_value(value)
        )
    lo, hi = spec.minimum, spec.maximum
    too_low = lo is not None and (value <= lo if spec.exclusive_minimum else value < lo)
    too_high = hi is not None and value > hi
    if too_low or too_high:
        unit = f" {spec.unit}" if spec.unit and spec.unit != "%" else spec.unit
        fix = (
            slip_hint(spec.bound_of or path, value)
            if same_unit
            else ("check the value and its unit")
        )
        return Problem(
            where,
            f"{ref}: {path} must be {spec.range_text()}{unit}",
            f"{shown or describe_value(value)}" + (f" ({fix})" if fix else ""),
        )
    return None
