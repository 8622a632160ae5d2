"""``bundle_to_case``: a FHIR R4 Bundle → a case-v1 document, with provenance.

Order of work: the Bundle's outline is checked (a history Bundle keeps each resource's
latest version); the Observations contained in DiagnosticReports are added; the resources
the mapping reads are validated with the fhir.resources R4B models; resources with a
modifierExtension, with no subject or about another patient are set aside; each
resource adds *findings*; findings become one value per field (collect.py); the derived
fields (synchronous liver metastases, intrathoracic nodes) are added; a record with no
neuroendocrine neoplasm keeps only the patient's own fields (cancers.py); and the
document is checked with :func:`nelm.case.case_from_mapping` before it is returned.

One bad element never sinks the record: it leaves what it would have given unknown and
is listed in ``FhirMapping.issues``. Only a body that is not a Bundle, or a Bundle about
two patients (two Patient resources, or none and resources whose subjects name two), is
rejected (:class:`~nelm.errors.InputRejected`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from nelm.case import case_from_mapping
from nelm.case.fields import BOUND_PARTS, FIELD_BY_PATH, FIELDS
from nelm.errors import InputRejected, Problem, describe_value
from nelm.interop.fhir.absent import list_absent_elements
from nelm.interop.fhir.cancers import (
    NET_SECTIONS,
    CancerIndex,
    listed,
    unlinked_metastases_warning,
)
from nelm.interop.fhir.collect import (
    Finding,
    Issue,
    NoteGroup,
    Notes,
    Resolved,
    Scalar,
    Source,
    resolve,
)
from nelm.interop.fhir.conditions import read_condition
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.dates import When, add_months
from nelm.interop.fhir.imaging import largest_liver_lesion
from nelm.interop.fhir.lobes import bilobar_findings
from nelm.interop.fhir.nulls import issues_as_sent, read_without_nulls
from nelm.interop.fhir.observations import (
    old_results,
    old_results_warning,
    read_observation,
    result_dates,
    undated_results,
    undated_results_sentence,
)
from nelm.interop.fhir.patient import attributed, one_subject, read_patients
from nelm.interop.fhir.rules import dated_by_parents, expand_reports, without_modifiers
from nelm.interop.fhir.search import read_search_outcome
from nelm.interop.fhir.security import read_security_labels
from nelm.interop.fhir.timeline import build_timeline
from nelm.interop.fhir.treatments import (
    administration_lines,
    medication_index,
    read_medication_administration,
    read_medication_statement,
    read_procedure,
)
from nelm.interop.fhir.unread import set_aside_unread
from nelm.interop.fhir.validate import (
    MAPPED_TYPES,
    Entry,
    ValidatedBundle,
    check_shape,
    validate_resources,
    without_invalid_elements,
)
from nelm.interop.fhir.version import other_version_warning
from nelm.text import forbidden_character

__all__ = ["SYNCHRONOUS_MONTHS", "FhirMapping", "bundle_to_case"]

SYNCHRONOUS_MONTHS = 3
"""Liver metastases found within this many months of the primary count as synchronous."""


@dataclass(frozen=True)
class FhirMapping:
    """The result of mapping one bundle."""

    document: dict[str, Any]
    """A case-v1 document (sections → fields), ready for ``nelm.case.case_from_mapping``."""
    provenance: Mapping[str, str]
    """Dotted field path → the resources and codes it came from."""
    unmapped: tuple[str, ...]
    """Every case-v1 field path the bundle did not supply (it stays unknown)."""
    notes: tuple[str, ...]
    """Resources not used and choices made, naming resource references only."""
    note_groups: tuple[NoteGroup, ...] = ()
    """The same notes by reason, with how many resources each applies to."""
    issues: tuple[str, ...] = ()
    """Data-quality issues: elements that could not be used (a resource that is not valid
    FHIR, a unit that cannot be converted, conflicting results, an unresolved
    reference…), each naming the resource, the path and the field left unknown."""
    issue_list: tuple[Issue, ...] = ()
    """The same issues, each with its message, element path and field apart (the web
    page words them for a board: ``nelm.web.record_notes``)."""
    warnings: tuple[str, ...] = ()
    """What every reader of the assessment must see first: the record says the patient
    died; the record shows no neuroendocrine neoplasm."""
    rejected_values: tuple[Mapping[str, Any], ...] = ()
    """Values outside a field's hard range (the field is left unknown): assessment-v1
    ``input_warnings`` of kind ``out_of_range``, each naming the field and the fix."""
    result_warnings: tuple[str, ...] = ()
    """What the reader must know about the results used: values taken from results older
    than 90 days, with their dates; results left out for being dated after the assessment
    date (``later_results``)."""
    later_results: str | None = None
    """The warning on results dated after the assessment date, if any (also in
    ``result_warnings``)."""
    result_dates: Mapping[str, str] = field(default_factory=dict)
    """Dotted field path → the date (YYYY-MM-DD) of the latest dated resource its value
    came from (fields read from undated resources, such as the age, are absent)."""
    old_results: Mapping[str, str] = field(default_factory=dict)
    """The fields ``result_warnings`` names as read from old results, with their dates."""
    undated_results: tuple[str, ...] = ()
    """The laboratory values and ECOG ``result_warnings`` names as read only from results
    with no date."""
    security: Mapping[str, Any] | None = None
    """The record's security labels (``input_source.security``: the highest confidentiality
    read, each label with how many resources were read and set aside); None without any."""


_MAX_PROBLEMS_PER_RESOURCE = 3


def bundle_to_case(
    bundle: Mapping[str, Any], *, assessment_date: dt.date, case_id: str | None = None
) -> FhirMapping:
    """Map a FHIR R4 Bundle (parsed JSON) to a case document.

    Raises InputRejected only when the body is not a Bundle or holds more than one
    patient; a problem with one element leaves what it would have given unknown and is
    listed in ``issues``.
    """
    if case_id is not None and (
        not isinstance(case_id, str) or not 1 <= len(case_id) <= 128 or not case_id.strip()
    ):
        raise InputRejected(
            [Problem("case_id", "text of 1 to 128 characters", describe_value(case_id))]
        )
    entries, shape_notes, shape_problems = check_shape(bundle)
    ctx = Context(assessment_date, entries)
    read_search_outcome(ctx, bundle)
    for note in shape_notes:
        ctx.notes.add(note)
    for problem in shape_problems:
        ctx.flaw(problem)
    # before a report's results are taken out of it: each null is listed once, at its place
    entries = read_without_nulls(ctx, entries)  # "system": null is no value (nulls.py)
    entries = expand_reports(ctx, entries)
    listed = entries
    entries = set_aside_unread(ctx, entries)  # before the costly steps (unread.py)
    kept = {e.path for e in entries}
    unread = [e for e in listed if e.path not in kept]  # reports and panels date results
    # The CDS Hooks service validates its resources one by one, all but the Patient
    # (validate.ValidatedBundle); the Patient is validated here in every case, so that one
    # not valid is read in part or said to be unread as for any record.
    entries = _valid(ctx, entries, only_patients=isinstance(bundle, ValidatedBundle))
    entries = without_modifiers(ctx, entries)
    entries, labels = read_security_labels(ctx, bundle, entries)  # security.py
    entries = _without_orphans(ctx, entries)
    patient_keys = read_patients(ctx, [e for e in entries if e.resource_type == "Patient"])
    one_subject(ctx, patient_keys)  # no Patient read: the subjects must name one patient
    if ctx.problems:
        issues_as_sent(ctx)
        raise InputRejected(ctx.problems)
    version = other_version_warning((e.resource for e in ctx.entries), len(ctx.not_r4))
    if version is not None:  # after a death, before everything else the record says
        ctx.warnings.append(version)
    entries = attributed(ctx, entries, patient_keys)
    entries = dated_by_parents(ctx, entries, unread)  # once what is read is known
    list_absent_elements(ctx, entries)  # "_birthDate" with a data-absent-reason (absent.py)
    ctx.warnings.extend(labels.warnings(entries))
    ctx.issues.extend(labels.issues(entries))  # data asserted by AI (AIAST)
    ctx.entries = entries
    ctx.cancers = CancerIndex(entries)
    _read_all(ctx, entries)

    findings = _latest_measurements(
        ctx,
        ctx.findings + _primary_findings(ctx) + largest_liver_lesion(ctx) + bilobar_findings(ctx),
    )
    timeline = build_timeline(ctx) if ctx.cancers.neuroendocrine else None
    resolved, _ = resolve(findings, Notes())
    findings += _derived(ctx, resolved)
    resolved, conflicts = resolve(findings, ctx.notes)
    ctx.issues.extend(conflicts)
    _drop_flawed(ctx, resolved)
    if not ctx.cancers.neuroendocrine:
        _without_net_fields(ctx, resolved)
    another = unlinked_metastases_warning(ctx.cancers, entries, _metastasis_refs(ctx))
    if another is not None:
        ctx.warnings.append(another)

    document = _checked_document(ctx, bundle, case_id, resolved, timeline)
    issues_as_sent(ctx)  # the paths of the record as sent, before null items were taken out
    later = ctx.later_results_warning()
    undated = undated_results(resolved)
    return FhirMapping(
        document=document,
        provenance=MappingProxyType(dict(sorted(resolved.provenance.items()))),
        unmapped=tuple(f.path for f in FIELDS if f.path not in resolved.values),
        notes=ctx.notes.lines(),
        note_groups=ctx.notes.groups(),
        issues=tuple(dict.fromkeys(issue.describe() for issue in ctx.issues)),
        issue_list=tuple(dict.fromkeys(ctx.issues)),
        warnings=tuple(dict.fromkeys(ctx.warnings)),
        rejected_values=tuple(ctx.rejected_values),
        result_warnings=tuple(
            w
            for w in [
                old_results_warning(resolved, ctx.assessment_date),
                undated_results_sentence(undated),
                later,
            ]
            if w is not None
        ),
        later_results=later,
        result_dates=MappingProxyType(result_dates(resolved)),
        old_results=MappingProxyType(old_results(resolved, ctx.assessment_date)),
        undated_results=undated,
        security=labels.summary(entries),
    )


def _valid(ctx: Context, entries: list[Entry], *, only_patients: bool = False) -> list[Entry]:
    """The entries whose resources are valid FHIR R4; the others are set aside, listed.
    A Patient whose invalid elements it can do without is read without them (listed):
    validate.without_invalid_elements. ``only_patients``: the other resources were
    validated already."""
    checked = [e for e in entries if e.resource_type == "Patient"] if only_patients else entries
    invalid = validate_resources(checked)
    if not invalid:
        return entries
    replaced: dict[int, Entry | None] = {}
    for entry, problems in invalid:
        shown = problems[:_MAX_PROBLEMS_PER_RESOURCE]
        more = len(problems) - len(shown)
        detail = "; ".join(p.message for p in shown) + (f"; and {more} more" if more else "")
        partial = without_invalid_elements(entry, problems)
        if partial is not None:
            kept, names = partial
            replaced[id(entry)] = kept
            ctx.issues.append(
                Issue(
                    entry.path,
                    f"{entry.ref}: {', '.join(names)} not valid FHIR R4 and not read "
                    f"({detail}); the rest of the {entry.resource_type} is read",
                )
            )
            continue
        replaced[id(entry)] = None
        ctx.not_r4.append(entry.resource_type)
        ctx.issues.append(
            Issue(entry.path, f"{entry.ref} is not valid FHIR R4 and is not read ({detail})")
        )
    out: list[Entry] = []
    for entry in entries:
        if id(entry) not in replaced:
            out.append(entry)
        elif (kept_entry := replaced[id(entry)]) is not None:
            out.append(kept_entry)
    return out


def _without_orphans(ctx: Context, entries: list[Entry]) -> list[Entry]:
    """The Observations contained in a DiagnosticReport that was set aside go with it."""
    kept_reports = {e.ref for e in entries if e.resource_type == "DiagnosticReport"}
    kept = []
    for entry in entries:
        parent = entry.name.split("#", 1)[0] if entry.name else ""
        if parent and parent not in kept_reports:
            ctx.notes.add("set aside with its DiagnosticReport", entry.ref)
        else:
            kept.append(entry)
    return kept


def _drop_flawed(ctx: Context, resolved: Resolved) -> None:
    """A field named by a data-quality issue stays unknown, even when another resource
    gave a usable value: which one is right cannot be told."""
    for path in {issue.field for issue in ctx.issues if issue.field}:
        _forget(resolved, path)


def _forget(resolved: Resolved, path: str) -> None:
    resolved.values.pop(path, None)
    resolved.provenance.pop(path, None)
    resolved.chosen.pop(path, None)


def _metastasis_refs(ctx: Context) -> Iterator[str]:
    """The resources the metastases counted were read from (liver, extrahepatic)."""
    for source, _ in ctx.liver_metastases + ctx.intrathoracic_nodes:
        yield source.ref
    for finding in ctx.findings:
        if finding.field == "extrahepatic.sites":
            yield finding.source.ref


def _without_net_fields(ctx: Context, resolved: Resolved) -> None:
    dropped = [p for p in resolved.values if p.split(".", 1)[0] in NET_SECTIONS]
    for path in dropped:
        _forget(resolved, path)
    read = ", ".join(FIELD_BY_PATH[p].label if p in FIELD_BY_PATH else p for p in dropped)
    aside = f" (read but set aside: {read})" if dropped else ""
    invalid = ctx.not_r4.count("Condition")
    unattributed = ctx.not_attributed.count("Condition")
    if invalid or unattributed:  # the diagnosis may be among them: not "there is none"
        said = [
            f"{n} Condition" + (" was" if n == 1 else "s were") + f" {why}"
            for n, why in (
                (invalid, "set aside as not valid FHIR R4"),
                (unattributed, "not attributable to this patient"),
            )
            if n
        ]
        ctx.warnings.append(
            f"NEUROENDOCRINE DIAGNOSIS NOT READ: {' and '.join(said)} (see the data-quality "
            "list) and no other Condition shows a neuroendocrine neoplasm, so the tumour, "
            "liver and treatment fields are left unknown" + aside + "."
        )
        return
    others = ctx.cancers.others if ctx.cancers is not None else []
    another = (
        f" The record holds another cancer ({listed(others)}): liver lesions may be its metastases."
        if others
        else ""
    )
    by_site = ctx.cancers.by_site_only if ctx.cancers is not None else []
    if by_site:
        # coded by its site alone: neither a NET nor another cancer as far as the record says
        another += (
            f" The record holds a cancer coded by its site alone ({listed(by_site)}), without"
            " its histology: if it is not a neuroendocrine neoplasm, liver lesions may be its"
            " metastases; if it is one, add its histology (a neuroendocrine morphology) to"
            " have it assessed."
        )
    ctx.warnings.append(
        "NOT A NEUROENDOCRINE RECORD: no neuroendocrine neoplasm is recorded (no Condition "
        "with a neuroendocrine code or morphology), so the tumour, liver and treatment "
        f"fields are left unknown{aside}.{another} nelm assesses liver metastases of "
        "neuroendocrine neoplasms only."
    )


def _checked_document(
    ctx: Context,
    bundle: Mapping[str, Any],
    case_id: str | None,
    resolved: Resolved,
    timeline: dict[str, Any] | None,
) -> dict[str, Any]:
    """The case document; fields that break a case-v1 rule together (``nec_subtype`` with
    well-differentiated histology) are left unknown and listed."""
    for _ in range(3):
        document = _document(bundle, case_id, resolved, timeline)
        try:
            case_from_mapping(document)
        except InputRejected as exc:
            named = [p for p in exc.problems if p.path in resolved.values]
            if not named:
                raise
            for problem in named:
                ctx.issues.append(
                    Issue(
                        "",
                        f"the values read break a case-v1 rule ({problem.message})",
                        problem.path,
                    )
                )
                _forget(resolved, problem.path)
            continue
        return document
    case_from_mapping(document)  # raises: a mapping fault, not the record's
    return document


def _latest_measurements(ctx: Context, findings: list[Finding]) -> list[Finding]:
    """A number and its bounds are one measurement: when results at different times give
    it ("Ki-67 12 %" in 2020, "Ki-67 < 2 %" in 2024), only the latest is kept, whichever
    form it takes (the field and its bounds would otherwise mix two times)."""
    member = {p: base for base, parts in BOUND_PARTS.items() for p in (base, *parts)}
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.field in member:
            groups.setdefault(member[finding.field], []).append(finding)
    dropped: set[int] = set()
    for base, group in groups.items():
        if len({f.field for f in group}) < 2 or any(f.when is None for f in group):
            continue  # one form only (resolve() handles it), or undated: case-v1 checks
        latest = max(group, key=lambda f: f.when.start if f.when else dt.datetime.min)
        assert latest.when is not None
        older = [f for f in group if f.when is not None and latest.when.after(f.when)]
        if older:
            dropped.update(id(f) for f in older)
            ctx.notes.add(
                f"{base}: results differ over time; the latest is used "
                f"({latest.source.ref}) and earlier ones are set aside ("
                + ", ".join(dict.fromkeys(f.source.ref for f in older))
                + ")"
            )
    return [f for f in findings if id(f) not in dropped]


def _read_all(ctx: Context, entries: list[Entry]) -> None:
    medications = medication_index(entries)
    skipped: dict[str, list[str]] = {}
    for entry in entries:
        kind = entry.resource_type
        if kind == "Observation":
            read_observation(ctx, entry)
        elif kind == "Condition":
            read_condition(ctx, entry)
        elif kind == "Procedure":
            read_procedure(ctx, entry)
        elif kind == "MedicationStatement":
            read_medication_statement(ctx, entry, medications)
        elif kind == "MedicationAdministration":
            read_medication_administration(ctx, entry, medications)
        elif kind not in MAPPED_TYPES:
            skipped.setdefault(kind, []).append(entry.ref)
    for kind, refs in sorted(skipped.items()):
        for ref in refs:
            ctx.notes.add(f"not read: resource type {kind} is not used by this mapping", ref)
    ctx.treatment_lines.extend(administration_lines(ctx))


def _primary_findings(ctx: Context) -> list[Finding]:
    """primary.site from the Conditions read as the primary tumour.

    Neuroendocrine-specific codes outrank generic malignancy codes: when any primary
    record is specific, the generic ones are set aside (and noted).
    """
    records = ctx.primaries
    specific = {r.source.ref for r in records if r.specific}
    if specific:
        for record in records:
            if record.source.ref not in specific:
                ctx.notes.add(
                    "set aside: a generic cancer code, because a neuroendocrine-"
                    "specific primary tumour code is present",
                    record.source.ref,
                )
        records = [r for r in records if r.source.ref in specific]
        ctx.primaries = records
    return [Finding("primary.site", r.site, r.source) for r in records if r.site is not None]


def _earliest(items: list[tuple[Source, When | None]]) -> tuple[Source, When] | None:
    timed = [(source, when) for source, when in items if when is not None]
    return min(timed, key=lambda pair: pair[1].start) if timed else None


def _derived(ctx: Context, resolved: Resolved) -> list[Finding]:
    out: list[Finding] = []
    site = resolved.values.get("primary.site")
    for source, _ in ctx.intrathoracic_nodes:
        if isinstance(site, str) and site not in ("lung", "unknown_primary"):
            out.append(Finding("extrahepatic.sites", "distant_nodes", source))
            out.append(Finding("extrahepatic.present", True, source))
        else:
            ctx.notes.add(
                "not used: intrathoracic lymph-node metastases are regional for a "
                "lung primary (or the primary site is not known)",
                source.ref,
            )
    if ctx.liver_metastases:
        out.extend(_synchronous(ctx))
    return out


def _synchronous(ctx: Context) -> list[Finding]:
    """liver.synchronous from the onsets of the primary and of the liver metastases."""
    liver = _earliest(ctx.liver_metastases)
    primary = _earliest([(r.source, r.onset) for r in ctx.primaries])
    if liver is None or primary is None:
        ctx.notes.add(
            "liver.synchronous not set: the onset of the primary tumour or of the "
            "liver metastases is not given (onsetDateTime / onsetPeriod)"
        )
        return []
    (liver_source, liver_when), (primary_source, primary_when) = liver, primary
    latest_synchronous = add_months(primary_when.first_day, SYNCHRONOUS_MONTHS)
    earliest_metachronous = add_months(primary_when.end.date(), SYNCHRONOUS_MONTHS)
    value: bool | None = None
    if liver_when.end.date() <= latest_synchronous:
        value = True
    elif liver_when.first_day > earliest_metachronous:
        value = False
    if value is None:
        ctx.notes.add("liver.synchronous not set: the onset dates are too coarse to tell")
        return []
    source = Source(f"{liver_source.ref}, {primary_source.ref}", liver_source.path, "onset dates")
    return [Finding("liver.synchronous", value, source)]


def _case_id(bundle: Mapping[str, Any], case_id: str | None) -> str:
    if case_id is not None:
        return case_id
    bundle_id = bundle.get("id")
    # an id with a control character is no id a case can carry (nelm.text): hashed instead
    if isinstance(bundle_id, str) and bundle_id.strip() and forbidden_character(bundle_id) is None:
        return f"fhir-{bundle_id.strip()}"[:128]
    digest = hashlib.sha256()
    for chunk in canonical_chunks(bundle):
        digest.update(chunk.encode())
    return f"fhir-{digest.hexdigest()[:16]}"


def canonical_chunks(bundle: Mapping[str, Any]) -> Iterator[str]:
    """``json.dumps(bundle, sort_keys=True, ensure_ascii=False, default=str)`` in pieces,
    one per entry: hashing them never holds a 20 MB record as one more string, and each
    piece is still written by the fast C encoder (``iterencode`` is 3× slower)."""
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode
    yield "{"
    for index, key in enumerate(sorted(bundle)):
        yield (", " if index else "") + encode(key) + ": "
        value = bundle[key]
        if key == "entry" and isinstance(value, list):
            yield "["
            for position, item in enumerate(value):
                yield (", " if position else "") + encode(item)
            yield "]"
        else:
            yield encode(value)
    yield "}"


def _document(
    bundle: Mapping[str, Any],
    case_id: str | None,
    resolved: Resolved,
    timeline: dict[str, Any] | None,
) -> dict[str, Any]:
    document: dict[str, Any] = {"schema_version": 1, "case_id": _case_id(bundle, case_id)}
    if timeline is not None:
        document["timeline"] = timeline
    for spec in FIELDS:
        if spec.path not in resolved.values:
            continue
        value: Scalar | tuple[str, ...] = resolved.values[spec.path]
        document.setdefault(spec.section, {})[spec.name] = (
            list(value) if isinstance(value, tuple) else value
        )
    return document
