"""The one function every adapter calls: a case document in, an assessment document out.

Used by the CLI, the web API and the CDS Hooks service, so that they all validate, assess
and attach evidence in the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from nelm.case.document import Case, case_from_mapping
from nelm.case.future_dates import future_date_warning
from nelm.case.merge import with_added_fields
from nelm.engine.assess import Assessment, EvidenceLookup, assess
from nelm.errors import InputRejected, Problem
from nelm.knowledge.loader import load_knowledge

CASE_MAX_BYTES = 1_000_000
"""The largest case-v1 document read (a FHIR Bundle may be larger, see
``nelm.interop.fhir.size``)."""

if TYPE_CHECKING:
    from nelm.interop.fhir.mapping import FhirMapping

__all__ = [
    "CASE_MAX_BYTES",
    "Added",
    "assess_case",
    "assess_fhir_record",
    "assess_mapping",
    "assess_text",
    "evidence_lookup",
    "with_future_dates",
]


@dataclass(frozen=True)
class Added:
    """A case document of values to add to the case assessed (``nelm assess --with``)."""

    document: Any
    source: str
    """The file's name, shown as the values' provenance and in messages."""


def evidence_lookup() -> EvidenceLookup | None:
    """The evidence summary per option, when the evidence base is installed."""
    try:
        from nelm.evidence.summary import summary_for_option
    except ImportError:  # pragma: no cover - the evidence extra is not installed
        return None
    lookup: EvidenceLookup = summary_for_option
    return lookup


def assess_case(case: Case, *, with_evidence: bool = True) -> Assessment:
    return assess(case, load_knowledge(), evidence_lookup() if with_evidence else None)


def assess_mapping(
    document: Mapping[str, Any],
    *,
    with_evidence: bool = True,
    require_confirmation: bool = False,
    today: dt.date | None = None,
    record_sources: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Validate a parsed case document and return the assessment-v1 document. ``today``
    (the adapter's date; the core reads no clock): a date of the case after it is warned
    of first. ``record_sources``: the resource each value of a record assessed directly
    was read from (else a stored case's ``value_sources``); a criterion on a range names
    it (``Case.bounds_origin``)."""
    # interactive input: an implausible value must be confirmed, and is reported with
    # every other problem of the document
    case = case_from_mapping(document, require_confirmation=require_confirmation)
    sources = case.value_sources if record_sources is None else record_sources
    bounds_origin = record_bounds_origin(case, sources) if sources else {}
    if bounds_origin:
        case = replace(case, bounds_origin=dict(bounds_origin))
    return with_future_dates(
        assess_case(case, with_evidence=with_evidence).to_document(), case, today
    )


def record_bounds_origin(case: Case, sources: Mapping[str, str]) -> dict[str, str]:
    """Where the case's bounds came from, when a record gave any (``sources``: the
    record's provenance, or a stored case's ``value_sources``): a criterion names the
    resource rather than reading "(entered)" as if a person had typed the range."""
    from nelm.interop.fhir.bounds_origin import bounds_origin

    return bounds_origin(case.values.keys(), sources)


def with_future_dates(doc: dict[str, Any], case: Case, today: dt.date | None) -> dict[str, Any]:
    """``doc`` with the warning of a case dated after ``today`` first (a slip of the
    year: ``nelm.case.future_dates``); unchanged when ``today`` is None."""
    found = future_date_warning(case, today) if today is not None else None
    if found is not None:
        doc["input_warnings"] = [found, *doc.get("input_warnings", [])]
        doc["warnings"] = [found["message"], *doc.get("warnings", [])]
    return doc


def assess_text(
    text: str,
    *,
    source: str = "input",
    with_evidence: bool = True,
    assessment_date: dt.date | None = None,
    require_confirmation: bool = False,
    added: Added | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Parse JSON or YAML text — a case document or a FHIR R4 Bundle — and assess it.
    ``added``: a case document whose values are added to the case (``--with``); ``today``:
    a case document's dates after it are warned of (``assess_mapping``).

    A Bundle is mapped to a case first (``nelm.interop.fhir``); ``assessment_date`` (which
    the caller supplies, the core reads no clock) dates the patient's age and the results.
    """
    from nelm.interop.fhir.load import load_record_text
    from nelm.interop.fhir.size import max_bundle_bytes

    # A FHIR record may be as large as the FHIR limit (20 MB by default); a case
    # document stays within 1 MB. A JSON object is read entry by entry, keeping of the
    # resources no rule reads only their type and id (nelm.interop.fhir.load).
    document = load_record_text(text, source=source, max_bytes=max_bundle_bytes())
    if isinstance(document, dict) and "resourceType" in document:
        return assess_fhir(
            document, assessment_date=assessment_date, with_evidence=with_evidence, added=added
        )
    if len(text) > CASE_MAX_BYTES or len(text.encode("utf-8", "replace")) > CASE_MAX_BYTES:
        raise InputRejected(
            [
                Problem(
                    "",
                    "a case document of at most 1 MB (only a FHIR Bundle may be larger)",
                    f"{len(text):,} characters",
                )
            ]
        )
    if added is not None and isinstance(document, Mapping):
        document, _ = with_added_fields(document, added.document, source=added.source)
    return assess_mapping(
        document,
        with_evidence=with_evidence,
        require_confirmation=require_confirmation,
        today=today,
    )


def assess_fhir(
    bundle: Mapping[str, Any],
    *,
    assessment_date: dt.date | None,
    with_evidence: bool = True,
    added: Added | None = None,
) -> dict[str, Any]:
    """Map a FHIR R4 Bundle to a case and assess it; the mapping's provenance is shown.
    ``added``: the values a person adds to the record's case (``--with``); they replace
    the record's, their provenance is the file, and an implausible one must be confirmed
    as in a case document."""
    doc, _ = assess_fhir_record(
        bundle, assessment_date=assessment_date, with_evidence=with_evidence, added=added
    )
    return doc


def assess_fhir_record(
    bundle: Mapping[str, Any],
    *,
    assessment_date: dt.date | None,
    with_evidence: bool = True,
    added: Added | None = None,
) -> tuple[dict[str, Any], FhirMapping]:
    """:func:`assess_fhir`, with the mapping it assessed: what a caller that stores the
    record's case keeps besides the assessment (the date of each result, ``result_dates``)."""
    from nelm.interop.fhir import bundle_to_case

    if assessment_date is None:
        raise InputRejected(
            [
                Problem(
                    "assessment_date",
                    "must be given to assess a FHIR Bundle (it dates ages and results)",
                    "nothing",
                )
            ]
        )
    mapping = bundle_to_case(bundle, assessment_date=assessment_date)
    source = _RecordSource.of(mapping, assessment_date)
    if added is not None:
        source = source.with_added(added)
    doc = assess_mapping(
        source.document,
        with_evidence=with_evidence,
        # what a person added with --with is entered, not the record's
        record_sources={p: s for p, s in source.provenance.items() if p not in source.added_paths},
    )
    implausible = _from_the_record(doc, source.provenance, typed=source.added_paths)
    rejected = source.rejected
    doc["input_warnings"] = [*rejected, *doc.get("input_warnings", [])]
    # What the record itself says about the assessment (a death, no neuroendocrine
    # diagnosis) comes first among the warnings, so every output shows it on top; then
    # the values that are impossible (left unknown) or implausible (used), by field.
    doc["warnings"] = [
        *mapping.warnings,
        *(r["message"] for r in rejected),
        *source.result_warnings,
        *doc.get("warnings", []),
    ]
    # notices (an AI-asserted label, a server's word on its search) are about what was read
    unused = len({i.describe() for i in mapping.issue_list if not i.notice})
    if unused:
        doc["warnings"].append(
            f"{unused} element(s) of the record could not be used and were "
            "left unknown (see the data-quality list of the input source)"
        )
    doc["input_source"] = {
        "format": _record_format(bundle),
        "assessment_date": assessment_date.isoformat(),
        "provenance": source.provenance,
        "unmapped": source.unmapped,
        "notes": list(mapping.notes),
        "notes_by_reason": [
            {"reason": g.reason, "count": g.count, "references": list(g.references)}
            for g in mapping.note_groups
        ],
        "data_quality": [*mapping.issues, *implausible],
        "record_warnings": list(mapping.warnings),
    }
    if mapping.security is not None:
        doc["input_source"]["security"] = dict(mapping.security)
    if added is not None:
        doc["input_source"]["added"] = {
            "source": added.source,
            "fields": sorted(source.added_paths),
            "same_as_record": source.same,
        }
    return doc, mapping


def _record_format(bundle: Mapping[str, Any]) -> str:
    """What the user sent, as the record's reader marked it (nelm.interop.fhir.load)."""
    from nelm.interop.fhir.load import NdjsonBundle
    from nelm.interop.fhir.xml_record import FhirXmlRecord

    if isinstance(bundle, NdjsonBundle):
        return "FHIR R4 NDJSON record (one resource per line)"
    if isinstance(bundle, FhirXmlRecord):
        return "FHIR R4 XML record"
    return "FHIR R4 Bundle"


_UNCONFIRMED = " Not confirmed: check it, or confirm it as entered."


def _from_the_record(
    doc: dict[str, Any], provenance: Mapping[str, str], typed: Collection[str] = ()
) -> list[str]:
    """Implausible values of a FHIR record: the assessment's warning for each (the same
    check, range and likely fix as for a case document) names the resource it came from
    instead of asking for a confirmation a record cannot give; the returned lines go to
    the data-quality list (and so to the CDS data-quality card). A value a person added
    (``typed``) keeps the case document's warning."""
    _drop_unit_checks(doc, typed)
    lines = []
    for warning in doc.get("input_warnings", []):
        if warning.get("kind") != "implausible" or warning.get("field") in typed:
            continue
        old = str(warning["message"])
        source = provenance.get(str(warning["field"]), "the record")
        new = old.removesuffix(_UNCONFIRMED) + (
            f" From {source}: check the value in the record; it is used as sent."
        )
        warning["message"] = new
        doc["warnings"] = [new if w == old else w for w in doc.get("warnings", [])]
        lines.append(new)
    return lines


def _drop_unit_checks(doc: dict[str, Any], typed: Collection[str]) -> None:
    """A record's result states its unit (one without is left unknown), so the doubt about
    a number given without its unit (``unit_check``) does not apply to it; a value a person
    added (``typed``) keeps it."""
    dropped = [
        w
        for w in doc.get("input_warnings", [])
        if w.get("kind") == "unit_check" and w.get("field") not in typed
    ]
    if not dropped:
        return
    messages = {str(w["message"]) for w in dropped}
    doc["input_warnings"] = [w for w in doc["input_warnings"] if w not in dropped]
    doc["warnings"] = [w for w in doc.get("warnings", []) if w not in messages]


@dataclass(frozen=True)
class _RecordSource:
    """A FHIR record's case and what is said of each of its fields, with any values a
    person added (``--with``) replacing the record's."""

    mapping: FhirMapping
    assessment_date: dt.date
    document: Mapping[str, Any]
    provenance: dict[str, str]
    added_paths: frozenset[str] = frozenset()
    same: int = 0

    @classmethod
    def of(cls, mapping: FhirMapping, assessment_date: dt.date) -> _RecordSource:
        return cls(mapping, assessment_date, mapping.document, dict(mapping.provenance))

    def with_added(self, added: Added) -> _RecordSource:
        document, refresh = with_added_fields(self.document, added.document, source=added.source)
        paths = frozenset(c.path for c in refresh.changes if c.path != "timeline")
        try:
            # what a person typed is checked as in a case document, an implausible value
            # refused unless confirmed; its problems name the file
            case_from_mapping(document, require_confirmation=True, only=paths)
        except InputRejected as exc:
            raise InputRejected(
                [
                    replace(p, path=f"{added.source}: {p.path}")
                    if p.path.split("[", 1)[0] in paths
                    else p
                    for p in exc.problems
                ]
            ) from None
        provenance = dict(self.provenance)
        for path in paths:
            provenance[path] = f"{added.source} (added with --with)"
        return replace(
            self, document=document, provenance=provenance, added_paths=paths, same=refresh.same
        )

    @property
    def unmapped(self) -> list[str]:
        return [p for p in self.mapping.unmapped if p not in self.added_paths]

    @property
    def rejected(self) -> list[dict[str, Any]]:
        """The record's values out of range (left unknown), but those a person replaced."""
        return [
            dict(r) for r in self.mapping.rejected_values if r.get("field") not in self.added_paths
        ]

    @property
    def result_warnings(self) -> tuple[str, ...]:
        """Old and undated results named, but those whose values a person replaced; the
        results dated after the assessment date (not used) whatever was added."""
        from nelm.interop.fhir.observations import (
            old_results_sentence,
            undated_results_sentence,
        )

        if not self.added_paths:
            return self.mapping.result_warnings
        old = {p: d for p, d in self.mapping.old_results.items() if p not in self.added_paths}
        undated = [p for p in self.mapping.undated_results if p not in self.added_paths]
        sentences = (
            old_results_sentence(old, self.assessment_date.isoformat()),
            undated_results_sentence(undated),
            self.mapping.later_results,
        )
        return tuple(s for s in sentences if s)
