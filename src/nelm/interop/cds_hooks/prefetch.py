"""Prefetch: the templates the service asks for, and reading what the EHR sent.

Prefetch is treated as incomplete and untrusted. Each key is read on its own into a
:class:`Part`: the resources that can be used, and in plain words what could not be
(missing key, an OperationOutcome, text such as an HTML error page, a wrong
resource type, a Patient other than ``context.patientId``, entries about another
patient, resources that are not valid FHIR R4, a searchset with more pages). Nothing is
guessed: what is not read stays unknown in the assessment, and the card says so. A key
sent as ``null`` is the client saying it has no data for it (CDS Hooks 2.0): an empty
answer, not a gap.

Messages name prefetch keys, resource types, counts and FHIR ids only — never values or
text from the record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from nelm.errors import Problem
from nelm.interop.fhir.nulls import Place, as_sent, without_nulls
from nelm.interop.fhir.search import REPORTED_SEVERITIES, fewer_than_total
from nelm.interop.fhir.security import carry_labels
from nelm.interop.fhir.systems import elements
from nelm.interop.fhir.unread import read_by_a_rule
from nelm.interop.fhir.validate import Entry, ValidatedBundle, validate_resources
from nelm.text import EXPECTED_TEXT

__all__ = [
    "FHIR_ID",
    "PREFETCH",
    "PREFETCH_BY_KEY",
    "Assembled",
    "Part",
    "PrefetchSpec",
    "Source",
    "UsedResource",
    "assemble_bundle",
    "discovery_prefetch",
    "origin_path",
    "read_part",
    "search_url",
]

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
"""A FHIR resource id (R4 ``id`` datatype)."""

_FULL_URL = re.compile(r"^(?:https?://[^\s<>\"]{1,2000}|urn:uuid:[0-9a-fA-F\-]{36})$")
_PATIENT_TOKEN = "{{context.patientId}}"
_NELM_OBS = "https://nelm.invalid/fhir/CodeSystem/nelm-observation"


@dataclass(frozen=True, slots=True)
class PrefetchSpec:
    """One prefetch key: its FHIR query template and what it may hold."""

    key: str
    template: str
    types: frozenset[str]
    what: str  # for people: "the problem list (Condition)"
    single: bool = False  # a read of one resource, not a search


def _codes(*pairs: tuple[str, str]) -> str:
    return ",".join(f"{system}|{code}" for system, code in pairs)


_LOINC = "http://loinc.org"
_SNOMED = "http://snomed.info/sct"

PREFETCH: tuple[PrefetchSpec, ...] = (
    PrefetchSpec(
        "patient",
        "Patient/{{context.patientId}}",
        frozenset({"Patient"}),
        "the patient (Patient: age and sex)",
        single=True,
    ),
    PrefetchSpec(
        "conditions",
        "Condition?patient={{context.patientId}}",
        frozenset({"Condition"}),
        "the problem list (Condition)",
    ),
    PrefetchSpec(
        "observations",
        "Observation?patient={{context.patientId}}&category=laboratory",
        frozenset({"Observation"}),
        "laboratory results (Observation)",
    ),
    PrefetchSpec(
        "pathology",
        "Observation?patient={{context.patientId}}&code="
        + _codes(
            (_LOINC, "29593-1"),
            (_LOINC, "33732-9"),
            (_SNOMED, "371469007"),
            (_NELM_OBS, "mitotic-count"),
        ),
        frozenset({"Observation"}),
        "pathology results (Observation: Ki-67, grade, mitotic count)",
    ),
    PrefetchSpec(
        "performance",
        "Observation?patient={{context.patientId}}&code="
        + _codes((_LOINC, "89247-1"), (_LOINC, "10230-1")),
        frozenset({"Observation"}),
        "performance status and cardiac function (Observation: ECOG, LVEF)",
    ),
    PrefetchSpec(
        "imaging",
        "Observation?patient={{context.patientId}}&category=imaging",
        frozenset({"Observation"}),
        "imaging findings (Observation: SSTR and FDG imaging, liver lesions)",
    ),
    PrefetchSpec(
        "procedures",
        "Procedure?patient={{context.patientId}}",
        frozenset({"Procedure"}),
        "procedures (Procedure)",
    ),
    PrefetchSpec(
        "medications",
        "MedicationStatement?patient={{context.patientId}}&_include=MedicationStatement:medication",
        frozenset({"MedicationStatement", "Medication"}),
        "medications (MedicationStatement)",
    ),
)

PREFETCH_BY_KEY: dict[str, PrefetchSpec] = {spec.key: spec for spec in PREFETCH}


def discovery_prefetch() -> dict[str, str]:
    return {spec.key: spec.template for spec in PREFETCH}


def search_url(base: str, spec: PrefetchSpec, patient_id: str) -> str:
    """The absolute URL of ``spec``'s query for one patient (the id is URL-encoded)."""
    relative = spec.template.replace(_PATIENT_TOKEN, quote(patient_id, safe=""))
    return f"{base.rstrip('/')}/{relative}"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: the prefetch, or the FHIR server."""

    origin: str  # "prefetch" | "fhirServer"
    page: int = 1

    def path(self, key: str) -> str:
        base = f"{self.origin}.{key}"
        return base if self.page == 1 else f"{base}(page {self.page})"


@dataclass(frozen=True, slots=True)
class UsedResource:
    resource: Mapping[str, Any]
    full_url: str | None
    path: str  # e.g. prefetch.conditions.entry[3].resource


@dataclass
class Part:
    """What one prefetch key (or its read from the FHIR server) gave."""

    spec: PrefetchSpec
    resources: list[UsedResource] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why (some of) this part could not be read — shown on the data card."""
    usable: bool = False
    """Whether a value of the expected shape was read (a searchset may be empty)."""
    next_url: str | None = None
    """A searchset's ``next`` link: more pages exist."""
    partial: bool = False
    """Some of what the query returned could not be read (a server's error in the
    searchset, entries without a resource or about another patient, a page not read): an
    absence in what was read proves nothing."""

    @property
    def missing(self) -> bool:
        return not self.usable


def _ref_id(resource: Mapping[str, Any]) -> str | None:
    rid = resource.get("id")
    return rid if isinstance(rid, str) and FHIR_ID.match(rid) else None


def _describe(value: object) -> str:
    """What came, in words that echo nothing of its content."""
    if value is None:
        return "null"
    if isinstance(value, str):
        stripped = value.lstrip().lower()
        if stripped.startswith(("<!doctype html", "<html", "<")):
            return "an HTML or XML page instead of FHIR JSON"
        return "text instead of FHIR JSON"
    if isinstance(value, bool):
        return "true/false instead of FHIR JSON"
    if isinstance(value, int | float):
        return "a number instead of FHIR JSON"
    if isinstance(value, list):
        return "a JSON list instead of a FHIR resource"
    if isinstance(value, Mapping):
        kind = value.get("resourceType")
        if kind == "OperationOutcome":
            return "an error (OperationOutcome) instead of data"
        if isinstance(kind, str) and FHIR_ID.match(kind):
            return f"a {kind} resource"
        return "a JSON object that is not a FHIR resource"
    return "a value that is not FHIR JSON"


def read_part(
    spec: PrefetchSpec, value: object, *, present: bool, patient_id: str, source: Source
) -> Part:
    """Read one prefetch value (or one page fetched from the FHIR server)."""
    part = Part(spec)
    where = source.path(spec.key)
    if not present:
        part.problems.append(f"{where}: not provided")
        return part
    if value is None:
        # CDS Hooks 2.0, Prefetch: "If the CDS Client has no data to populate a template
        # prefetch key, the prefetch template key MUST have a value of null" (a client that
        # could not fetch it omits the key): an empty answer, read as such.
        part.usable = True
        return part
    if not isinstance(value, Mapping) or value.get("resourceType") in (None, "OperationOutcome"):
        part.problems.append(f"{where}: {_describe(value)}")
        return part
    kind = value.get("resourceType")
    if kind == "Bundle":
        _read_bundle(part, value, where, patient_id)
        return part
    if kind in spec.types:
        part.usable = True
        _take(part, value, None, where, patient_id)
        return part
    expected = " or ".join(sorted(spec.types))
    part.problems.append(f"{where}: {_describe(value)} instead of {expected}")
    return part


def _read_bundle(part: Part, bundle: Mapping[str, Any], where: str, patient_id: str) -> None:
    entries = bundle.get("entry")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        part.problems.append(f"{where}: a Bundle whose entry is not a list")
        return
    part.usable = True
    wrong: dict[str, int] = {}
    broken = 0
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            broken += 1
            continue
        kind = resource.get("resourceType")
        if kind == "OperationOutcome":
            search = entry.get("search")
            mode = search.get("mode") if isinstance(search, Mapping) else None
            if mode != "outcome" or _has_error(resource):
                part.partial = True
                part.problems.append(
                    f"{where}: the server reported a problem with this "
                    "search (OperationOutcome): results may be incomplete"
                )
            continue
        if kind not in part.spec.types:
            label = kind if isinstance(kind, str) and FHIR_ID.match(kind) else "unknown"
            wrong[label] = wrong.get(label, 0) + 1
            continue
        full_url = entry.get("fullUrl")
        _take(
            part,
            carry_labels(resource, bundle),  # a search's labels stay with its resources
            full_url if isinstance(full_url, str) else None,
            f"{where}.entry[{index}].resource",
            patient_id,
        )
    if broken:
        part.partial = True
        part.problems.append(
            f"{where}: {_count(broken, 'entry', 'entries')} without a resource object: not used"
        )
    for kind, count in sorted(wrong.items()):
        part.problems.append(
            f"{where}: {_count(count, f'{kind} resource')} of a type this "
            "query does not return: not used"
        )
    for link in elements(bundle.get("link")):
        if isinstance(link, Mapping) and link.get("relation") == "next":
            url = link.get("url")
            part.next_url = url if isinstance(url, str) else ""
            break
    if part.next_url is None:  # with a next link, the rest is read or reported as pages
        short = fewer_than_total(bundle, [e for e in entries if isinstance(e, Mapping)])
        if short:
            part.partial = True
            part.problems.append(f"{where}: {short}: results are missing")


def _has_error(outcome: Mapping[str, Any]) -> bool:
    """An issue that says results may be missing (a warning too: "incomplete",
    "too-costly"), as the FHIR mapping reads a search outcome (nelm.interop.fhir.search)."""
    for issue in elements(outcome.get("issue")):
        if isinstance(issue, Mapping) and issue.get("severity") in REPORTED_SEVERITIES:
            return True
    return False


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _take(
    part: Part, resource: Mapping[str, Any], full_url: str | None, path: str, patient_id: str
) -> None:
    kind = resource.get("resourceType")
    if kind == "Patient":
        if resource.get("id") != patient_id:
            part.problems.append(
                f"{path}: a Patient other than the patient in context (context.patientId): not used"
            )
            return
    elif kind != "Medication" and not _about(resource, patient_id):
        part.partial = True
        part.problems.append(f"{path}: {kind} about another patient: not used")
        return
    if full_url is not None and not _FULL_URL.match(full_url):
        full_url = None
    part.resources.append(UsedResource(resource, full_url, path))


_PATIENT_REF = re.compile(r"(?:^|/)Patient/([A-Za-z0-9\-.]{1,64})(?:/_history/[^/]+)?$")


def _about(resource: Mapping[str, Any], patient_id: str) -> bool:
    """Whether the resource's subject (or patient) is the patient in context. A resource
    without a subject is kept (the search that returned it was for this patient); a
    reference by ``urn:uuid`` cannot be checked here and is left to the mapping, which
    rejects a bundle about more than one patient."""
    for name in ("subject", "patient"):
        holder = resource.get(name)
        if isinstance(holder, Mapping):
            reference = holder.get("reference")
            if isinstance(reference, str) and reference.strip():
                reference = reference.strip()
                if reference.startswith("urn:uuid:"):
                    return True
                match = _PATIENT_REF.search(reference)
                return match is not None and match[1] == patient_id
    return True


# --------------------------------------------------------------------------- assembling


@dataclass
class Assembled:
    """The one Bundle handed to the mapping, and where each entry came from."""

    bundle: dict[str, Any]
    origins: list[str]  # entry index → path in the request (or server read)
    problems: list[str]


def assemble_bundle(parts: Iterable[Part]) -> Assembled:
    """One collection Bundle from every readable part.

    The same resource (type and id) returned by two queries is used once; two different
    copies under one id are both left out (and said). Resources of the types the mapping
    reads are validated one by one with the FHIR R4B models, and an invalid one is left
    out (and said) instead of rejecting everything else. The Patient is passed on to the
    mapping unvalidated (it validates the Patient of every record): one with an invalid
    element is read without it, or, when that element is needed (a death), the assessment
    says first that the Patient was not read — exactly as ``nelm assess`` says it of the
    same record.
    """
    candidates: list[UsedResource] = []
    seen: dict[tuple[str, str], int] = {}
    conflicting: set[tuple[str, str]] = set()
    problems: list[str] = []
    for part in parts:
        for used in part.resources:
            kind = str(used.resource.get("resourceType"))
            rid = _ref_id(used.resource)
            if rid is not None:
                key = (kind, rid)
                if key in seen:
                    if candidates[seen[key]].resource != used.resource:
                        conflicting.add(key)
                    continue
                seen[key] = len(candidates)
            candidates.append(used)
    for kind, rid in sorted(conflicting):
        problems.append(f"{kind}/{rid}: two different versions were received: not used")
    kept = [
        c
        for c in candidates
        if (str(c.resource.get("resourceType")), _ref_id(c.resource) or "") not in conflicting
    ]
    valid: list[UsedResource] = []
    for used in kept:
        # validated without its nulls, as the mapping reads it (nulls.py), which lists each
        resource, nulls = without_nulls(used.resource)
        entry = Entry(0, resource, used.full_url)
        # A resource no rule reads is passed on unvalidated: the mapping notes it and
        # sets it aside before validating anything (nelm.interop.fhir.unread).
        if entry.resource_type != "Patient" and read_by_a_rule(used.resource):
            invalid = validate_resources([entry])
            if invalid:
                why = _why(invalid, [p for p in nulls if isinstance(p[-1], int)])
                problems.append(
                    f"{used.path}: not a valid FHIR R4 {entry.resource_type}{why}: not used"
                )
                continue
        valid.append(used)
    entries: list[dict[str, Any]] = []
    for used in valid:
        entry_json: dict[str, Any] = {"resource": dict(used.resource)}
        if used.full_url is not None:
            entry_json["fullUrl"] = used.full_url
        entries.append(entry_json)
    bundle = ValidatedBundle(resourceType="Bundle", type="collection", entry=entries)
    return Assembled(bundle, [u.path for u in valid], problems)


_VALIDATED = "Bundle.entry[0].resource"  # the path each resource is validated at, alone


def _why(invalid: Sequence[tuple[Entry, Sequence[Problem]]], null_items: Sequence[Place]) -> str:
    """The places of the control characters that made a resource invalid (other problems
    are not detailed: a model's message may quote a value), in the resource as sent
    (before its null items were taken out: ``null_items``)."""
    sent = {_VALIDATED: null_items} if null_items else {}
    places = [
        as_sent(p.path, sent).removeprefix(f"{_VALIDATED}.")
        for _, problems in invalid
        for p in problems
        if p.expected == EXPECTED_TEXT
    ]
    return f" (a control character in {', '.join(places[:3])})" if places else ""


def origin_path(path: str, origins: Sequence[str]) -> str:
    """Rewrite ``Bundle.entry[N].resource…`` (a path in the assembled bundle) to the place
    in the request it came from."""
    match = re.match(r"^Bundle\.entry\[(\d+)\]\.resource", path)
    if match is None:
        return path
    index = int(match[1])
    if index >= len(origins):
        return path
    return origins[index] + path[match.end() :]
