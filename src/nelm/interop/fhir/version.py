"""Signs that a record is written in another FHIR version than R4, which nelm reads.

Many EHR interfaces still serve DSTU2 (1.0) or STU3 (3.0), and newer servers R5 (5.0). Such
a record parses and mostly validates, but the resources that changed shape between
versions — the very ones nelm reads (Condition, MedicationStatement) — are set aside as not
valid R4, so its tumour fields come out unknown. Saying only "not valid FHIR R4" per
resource, or "no neuroendocrine neoplasm is recorded", would hide the cause; this module
finds it, so the assessment's first warnings can say which version the record looks like
and what to ask the EHR for.

Every sign is a structural difference published in the FHIR version histories
(https://hl7.org/fhir/R4/diff.html, https://hl7.org/fhir/R5/diff.html), never a guess from
values:

- resource types that R4 does not have: DSTU2's MedicationOrder, DiagnosticOrder, Order,
  OrderResponse, DeviceUseRequest; STU3's ProcedureRequest, ReferralRequest, BodySite;
- Condition and AllergyIntolerance ``clinicalStatus``/``verificationStatus`` given as a
  code (text) — a CodeableConcept since R4;
- Condition ``patient`` (DSTU2, ``subject`` since STU3); a Patient's ``name.family`` as a
  list (DSTU2; one string since STU3);
- MedicationStatement ``taken`` (STU3) or ``wasNotTaken`` (DSTU2), both gone in R4;
- MedicationStatement or MedicationAdministration ``medication`` as an object (R5's
  CodeableReference; R4 has ``medicationCodeableConcept`` or ``medicationReference``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["other_version_signs", "other_version_warning"]

_DSTU2, _STU3, _R5 = frozenset({"DSTU2"}), frozenset({"STU3"}), frozenset({"R5"})
_OLDER_TYPES = {
    "MedicationOrder": _DSTU2,
    "DiagnosticOrder": _DSTU2,
    "Order": _DSTU2,
    "OrderResponse": _DSTU2,
    "DeviceUseRequest": _DSTU2,
    "ProcedureRequest": _STU3,
    "ReferralRequest": _STU3,
    "BodySite": _STU3,
}
_STATUS_ELEMENTS = {
    "Condition": ("clinicalStatus", "verificationStatus"),
    "AllergyIntolerance": ("clinicalStatus", "verificationStatus"),
}
_MOST_SIGNS = 3

Sign = tuple[frozenset[str], str]
"""The versions a sign fits, and what it is (naming the resource and the element)."""


def other_version_signs(resources: Iterable[Mapping[str, Any]]) -> list[Sign]:
    """Every sign found, at most one per resource, in the order of the resources."""
    found: list[Sign] = []
    for resource in resources:
        kind = resource.get("resourceType")
        if not isinstance(kind, str):
            continue
        rid = resource.get("id")
        ref = f"{kind}/{rid}" if isinstance(rid, str) and rid else kind
        sign = _sign(resource, kind, ref)
        if sign is not None:
            found.append(sign)
    return found


def _sign(resource: Mapping[str, Any], kind: str, ref: str) -> Sign | None:
    if kind in _OLDER_TYPES:
        return _OLDER_TYPES[kind], f"{kind}, a resource type R4 does not have"
    for element in _STATUS_ELEMENTS.get(kind, ()):
        if isinstance(resource.get(element), str):
            return _DSTU2 | _STU3, f"{ref}: {element} is a code, not a CodeableConcept"
    names = resource.get("name") if kind == "Patient" else None
    if isinstance(names, list) and any(
        isinstance(name, dict) and isinstance(name.get("family"), list) for name in names
    ):
        return _DSTU2, f"{ref}: HumanName.family is a list, as in DSTU2"
    if kind == "Condition" and "patient" in resource and "subject" not in resource:
        return _DSTU2, f"{ref}: the patient is in Condition.patient, not subject"
    if kind == "MedicationStatement" and "taken" in resource:
        return _STU3, f"{ref}: MedicationStatement.taken, an element of STU3"
    if kind == "MedicationStatement" and "wasNotTaken" in resource:
        return _DSTU2, f"{ref}: MedicationStatement.wasNotTaken, an element of DSTU2"
    if kind in ("MedicationStatement", "MedicationAdministration") and isinstance(
        resource.get("medication"), dict
    ):
        return _R5, f"{ref}: {kind}.medication is a CodeableReference, as in R5"
    return None


def other_version_warning(resources: Iterable[Mapping[str, Any]], set_aside: int) -> str | None:
    """The record warning when the record looks written in another FHIR version, with how
    many resources were set aside as not valid R4; None when nothing points to one."""
    signs = other_version_signs(resources)
    if not signs:
        return None
    common = frozenset.intersection(*(versions for versions, _ in signs))
    named = common or frozenset.union(*(versions for versions, _ in signs))
    versions = (" or " if common else " and ").join(f"FHIR {v}" for v in sorted(named))
    shown = "; ".join(dict.fromkeys(text for _, text in signs))
    more = len(signs) - _MOST_SIGNS
    if more > 0:
        shown = "; ".join(list(dict.fromkeys(text for _, text in signs))[:_MOST_SIGNS])
        shown += f"; {more} more"
    lost = (
        f"{set_aside} resource{'s' if set_aside != 1 else ''} could not be read as R4 and "
        "what they hold is unknown"
        if set_aside
        else "what differs from R4 may be missing"
    )
    return (
        f"OTHER FHIR VERSION: this record looks written in {versions} ({shown}), not FHIR "
        f"R4, which nelm reads: {lost}. Export the record as FHIR R4 (most EHRs offer an R4 "
        "interface) and assess it again."
    )
