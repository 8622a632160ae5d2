"""What the case form says about a FHIR record it was filled from, in a clinician's words.

The mapping (``nelm.interop.fhir``) describes each resource it did not use and each element
it could not read for whoever maintains the interface: field paths ("patient.ecog"), element
paths ("Bundle.entry[6].resource.result[1]") and FHIR resource types. A hospital record
sets aside hundreds of resources — claims, encounters, immunisations — which a board does
not need to weigh, beside the few that matter: a value left not known, a diagnosis set
aside. Here they are sorted by what they mean for the case and each field is named by its
label; the technical list stays in ``nelm assess`` (text, JSON and the report's "Input
source"), which the page points to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nelm.case.fields import FIELD_BY_PATH
from nelm.interop.fhir.collect import Issue, NoteGroup

__all__ = ["RecordReading", "read_notes"]

# FHIR R4 resource types in words (hl7.org/fhir/R4/resourcelist.html); another keeps its name.
_KINDS = {
    "AllergyIntolerance": "allergies",
    "CarePlan": "care plans",
    "CareTeam": "care teams",
    "Claim": "claims",
    "Condition": "conditions (diagnoses)",
    "Device": "devices",
    "DiagnosticReport": "reports",
    "DocumentReference": "documents",
    "Encounter": "encounters (visits)",
    "ExplanationOfBenefit": "insurance statements",
    "ImagingStudy": "imaging studies",
    "Immunization": "immunisations",
    "Location": "locations",
    "Medication": "medications",
    "MedicationAdministration": "medication administrations",
    "MedicationRequest": "prescriptions",
    "MedicationStatement": "medication statements",
    "Observation": "observations (results)",
    "Organization": "organisations",
    "Practitioner": "practitioners",
    "PractitionerRole": "practitioner roles",
    "Procedure": "procedures",
    "Provenance": "provenance records",
    "ServiceRequest": "orders",
    "Specimen": "specimens",
    "SupplyDelivery": "supply deliveries",
    "medication": "medications",
}
_NOT_READ_KIND = re.compile(r"^not read: resource type (\w+) is not used by this mapping$")
_CODE_NOT_READ = re.compile(r"^not used: (\w+) code not in the mapping table$")
# Said elsewhere on the page or not news: a report's results are read one by one; results
# dated after the assessment date and those older than 90 days are under "To check".
_SAID_ELSEWHERE = re.compile(
    r"^(?:not read itself: a DiagnosticReport is read through its results"
    r"|not used: dated after the assessment date"
    r"|[a-z_]+\.[a-z0-9_]+: the result is more than 90 days older than the assessment date)$"
)
# Under "Read, then set aside" these openings say nothing more.
_SET_ASIDE_OPENING = re.compile(r"^(?:not used|set aside): ")
_NOT_SET = re.compile(r"^([a-z_]+\.[a-z0-9_]+) not set: (.+)$")
_FIELD_SAID = re.compile(r"^[a-z_]+\.[a-z0-9_]+(?: true| false)?: ")
_UNRESOLVED = re.compile(
    r"^(?P<report>\S+): the result (?P<result>\S+) is not in the bundle "
    r"\(an unresolved reference\): not read$"
)
_PATH = re.compile(r"\b[a-z_]+\.[a-z][a-z0-9_]*\b")
# FHIR element names a clinician need not know, in words: what it means and what to do.
# The names stay in ``nelm assess`` (text and JSON), where an interface is debugged.
_OTHER_PRIMARY = (
    "set aside: linked (relatedPrimaryCancerCondition) to a primary cancer "
    "that is not a neuroendocrine neoplasm"
)
_OTHER_PRIMARY_WORDS = (
    "Metastases the record links to another primary cancer, not to the neuroendocrine "
    "neoplasm: not counted as its disease. If they are the neuroendocrine neoplasm's, "
    "enter them in the form"
)
_MISSING_PRIMARY = re.compile(
    r"^(?P<ref>\S+): relatedPrimaryCancerCondition names a Condition that is not in the "
    r"bundle \((?P<target>.*)\), so it cannot be shown to be a metastasis of a "
    r"neuroendocrine neoplasm: set aside$"
)
# FHIR R4 §2.24.0.1: an id is [A-Za-z0-9\-\.]{1,64} (nelm.interop.fhir.validate)
_BAD_BUNDLE_ID = re.compile(r"^FHIR R4 Bundle: an id is .*?(?:, got (?P<got>.+))?$")


@dataclass(frozen=True, slots=True)
class RecordReading:
    """The record's notes and issues sorted for the page, each line in words."""

    left_unknown: tuple[str, ...] = ()
    """A field the record holds a value for that could not be used, and why."""
    unreadable: tuple[str, ...] = ()
    """Elements that could not be read and name no field left not known."""
    set_aside: tuple[str, ...] = ()
    """Resources read and then set aside, one line per reason with its count."""
    how_read: tuple[str, ...] = ()
    """How some values were read (from a text, from dates): worth checking."""
    not_read: tuple[str, ...] = ()
    """What nelm does not read at all (kinds of resource, codes), in at most two lines."""
    not_read_count: int = 0


def _labelled(text: str) -> str:
    """Field paths replaced by the labels the form shows."""
    return _PATH.sub(lambda m: f.label if (f := FIELD_BY_PATH.get(m[0])) else m[0], text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _counted(count: int) -> str:
    return f"{count} resource{'s' if count != 1 else ''}"


def _kinds(found: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{_KINDS.get(kind, kind)} {count}" for kind, count in found)


def _bad_record_id(got: str | None) -> str:
    shown = f" ({got})" if got else ""
    return (
        f"The record's own identifier{shown} is not one FHIR allows (letters, digits, "
        "'-' and '.' only, at most 64 characters). It only names the case (Case id), "
        "nothing assessed depends on it; whoever exports the records can correct it"
    )


def _issues(issues: Iterable[Issue]) -> tuple[list[str], list[str]]:
    """(left not known, other) lines; the results a report names but the file lacks are
    one line per report rather than one per result."""
    left: list[str] = []
    other: list[str] = []
    missing: dict[str, list[str]] = {}
    for issue in dict.fromkeys(issues):
        if issue.field:
            label = FIELD_BY_PATH[issue.field].label if issue.field in FIELD_BY_PATH else ""
            left.append(f"{label or issue.field} left not known: {_labelled(issue.message)}")
        elif issue.path == "Bundle.id" and (found := _BAD_BUNDLE_ID.match(issue.message)):
            other.append(_bad_record_id(found["got"]))
        elif found := _MISSING_PRIMARY.match(issue.message):
            other.append(
                f"{found['ref']}: a metastasis whose primary cancer the file does not hold "
                f"({found['target']}), so it cannot be shown to be the neuroendocrine "
                "neoplasm's and is not counted. If it is, enter it in the form"
            )
        elif found := _UNRESOLVED.match(issue.message):
            missing.setdefault(found["report"], []).append(found["result"].rsplit("/", 1)[-1])
        else:
            other.append(_sentence(_labelled(issue.message)))
    for report, results in missing.items():
        n = len(results)
        other.append(
            f"{report} lists {n} result{'s' if n != 1 else ''} the file does not hold "
            f"({', '.join(results)}): not read"
        )
    return left, other


def read_notes(groups: Sequence[NoteGroup], issues: Sequence[Issue]) -> RecordReading:
    """The page's lists from the mapping's note groups and issues."""
    left, unreadable = _issues(issues)
    kinds: list[tuple[str, int]] = []
    codes: list[tuple[str, int]] = []
    set_aside: list[str] = []
    how_read: list[str] = []
    for group in groups:
        reason = group.reason
        if found := _NOT_READ_KIND.match(reason):
            kinds.append((found[1], group.count))
        elif found := _CODE_NOT_READ.match(reason):
            codes.append((found[1], group.count))
        elif _SAID_ELSEWHERE.match(reason):
            continue
        elif found := _NOT_SET.match(reason):
            left.append(f"{_labelled(found[1])} left not known: {_labelled(found[2])}")
        elif _FIELD_SAID.match(reason) or (
            reason.startswith("timeline: ") and "not used" not in reason
        ):
            how_read.append(_sentence(_labelled(reason)))
        elif reason == _OTHER_PRIMARY:
            set_aside.append(f"{_OTHER_PRIMARY_WORDS} ({_counted(group.count)})")
        else:
            worded = _sentence(_labelled(_SET_ASIDE_OPENING.sub("", reason)))
            set_aside.append(f"{worded} ({_counted(group.count)})")
    not_read = []
    if kinds:
        not_read.append(f"Kinds of entry nelm does not read: {_kinds(kinds)}")
    if codes:
        not_read.append(
            "Entries with a code nelm does not read (not about the tumour, its treatment or "
            f"a value its criteria use): {_kinds(codes)}"
        )
    return RecordReading(
        left_unknown=tuple(left),
        unreadable=tuple(unreadable),
        set_aside=tuple(set_aside),
        how_read=tuple(how_read),
        not_read=tuple(not_read),
        not_read_count=sum(c for _, c in kinds) + sum(c for _, c in codes),
    )
