"""The Bundle's shape, and validation of the resources read with the fhir.resources R4B models.

The ``fhir.resources`` package (an optional extra: ``pip install 'nelm[fhir]'``) is
imported inside the functions, so importing nelm stays fast. Its ``R4B`` subpackage is
used on purpose: R4B (4.3.0) keeps the R4 (4.0.1) structure of every resource read here
(Patient, Condition, Observation, Procedure, MedicationStatement, MedicationAdministration,
Medication, Bundle),
while the package's default namespace is R5, whose MedicationStatement and others differ.

Only the resources the mapping reads are validated; other resource types are listed in
the notes and left alone (a bundle may carry resources of any type). A resource that is
not valid — or holds a control character (``nelm.text``), which no element of FHIR R4 may
carry — is set aside and listed; the rest of the record is read. A Patient is read without
its invalid elements when none of them is one whose absence could change what the record
says (:func:`without_invalid_elements`): a death stays a death when a phone number is empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nelm.errors import InputRejected, Problem, UnavailableError, describe_value
from nelm.interop.fhir.systems import elements
from nelm.text import printable, text_problems

__all__ = [
    "MAPPED_TYPES",
    "Entry",
    "FhirUnavailableError",
    "ValidatedBundle",
    "check_shape",
    "fhir_model_class",
    "is_resource_type",
    "latest_versions",
    "validate_resources",
    "without_invalid_elements",
]

MAPPED_TYPES = (
    "Patient",
    "Condition",
    "Observation",
    "Procedure",
    "MedicationStatement",
    "MedicationAdministration",
    "Medication",
    "DiagnosticReport",
)

# Elements whose content may identify the patient: never echoed in an error message.
_PRIVATE_ELEMENTS = frozenset(
    {
        "name",
        "text",
        "display",
        "identifier",
        "telecom",
        "address",
        "contact",
        "note",
        "photo",
        "div",
        "comment",
        "link",
        "extension",
        "valueString",
    }
)


class ValidatedBundle(dict[str, Any]):
    """A collection Bundle whose resources of the types the mapping reads were each
    validated already (the CDS Hooks service validates the prefetch resource by resource,
    to name each invalid one by its place in the request): the mapping does not validate
    them again, which would double the costliest step."""


class FhirUnavailableError(UnavailableError):
    """The optional ``fhir`` extra (fhir.resources) is not installed."""


_NEEDS_THE_EXTRA = (
    "reading FHIR records needs the optional 'fhir' extra "
    "(pip install 'nelm[fhir]', which installs fhir.resources)"
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One bundle entry with a resource."""

    index: int
    resource: Mapping[str, Any]
    full_url: str | None
    where: str = ""  # the path of a contained resource (…resource.contained[0])
    name: str = ""  # the reference of a contained resource (DiagnosticReport/x#obs1)

    @property
    def path(self) -> str:
        return self.where or f"Bundle.entry[{self.index}].resource"

    @property
    def resource_type(self) -> str:
        return str(self.resource["resourceType"])

    @property
    def ref(self) -> str:
        if self.name:
            return self.name
        rid = self.resource.get("id")
        if isinstance(rid, str) and rid:  # shown in notes: no control character carried
            return printable(f"{self.resource_type}/{rid}")
        return printable(f"{self.resource_type} in {self.path.removesuffix('.resource')}")


def check_shape(bundle: object) -> tuple[list[Entry], list[str], list[Problem]]:
    """Check the Bundle's outline; return the entries with a resource, notes, and the
    problems of single entries (those entries are left out, the rest is read).

    Only a body that is not a Bundle at all is rejected. A ``history`` Bundle keeps the
    latest version of each resource (:func:`latest_versions`).
    """
    if not isinstance(bundle, Mapping):
        raise InputRejected(
            [
                Problem(
                    "Bundle",
                    'a FHIR R4 Bundle: a JSON object with "resourceType": "Bundle"',
                    describe_value(bundle),
                )
            ]
        )
    kind = bundle.get("resourceType")
    if kind != "Bundle":
        raise InputRejected(
            [
                Problem(
                    "Bundle.resourceType",
                    'must be "Bundle" (a FHIR R4 Bundle)',
                    describe_value(kind) if kind is not None else "nothing",
                )
            ]
        )
    raw_entries = bundle.get("entry")
    if raw_entries is None:
        raw_entries = []
    if not isinstance(raw_entries, list):
        raise InputRejected(
            [Problem("Bundle.entry", "must be a list of entries", describe_value(raw_entries))]
        )
    problems: list[Problem] = []
    entries: list[Entry] = []
    notes: list[str] = []
    for index, entry in enumerate(raw_entries):
        where = f"Bundle.entry[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, "must be an object", describe_value(entry)))
            continue
        resource = entry.get("resource")
        if resource is None and "resourceType" in entry:
            # a resource written straight into the entry, not into entry.resource
            problems.append(
                Problem(
                    where,
                    "the resource in entry.resource (FHIR R4 Bundle.entry)",
                    "the resource's elements directly in the entry: not read",
                )
            )
            continue
        if resource is None:
            if bundle.get("type") != "history":
                notes.append(f"{where}: entry without a resource, nothing to read")
            continue
        if not isinstance(resource, Mapping):
            problems.append(
                Problem(f"{where}.resource", "must be an object", describe_value(resource))
            )
            continue
        rtype = resource.get("resourceType")
        if not isinstance(rtype, str) or not rtype:
            problems.append(
                Problem(
                    f"{where}.resource.resourceType",
                    "must name the resource type",
                    describe_value(rtype) if rtype is not None else "nothing",
                )
            )
            continue
        full_url = entry.get("fullUrl")
        if rtype == "Bundle" and resource.get("type") in _NESTED_ANSWERS:
            entries.extend(_nested(index, resource, f"{where}.resource", notes))
            continue
        entries.append(Entry(index, resource, full_url if isinstance(full_url, str) else None))
    problems.extend(_validate_shell(bundle))
    if bundle.get("type") == "history":
        entries = latest_versions(raw_entries, entries, notes)
    return entries, notes, problems


# A Bundle inside a Bundle that holds the answer to a query: the searchset a server returns
# for each search of a batch (FHIR R4 Bundle: a batch-response entry's resource "will be a
# Bundle of type searchset" for a GET), or a collection or document gathered into one. Its
# entries are the record's own; one level is read (deeper nesting is noted, not read).
_NESTED_ANSWERS = frozenset({"searchset", "collection", "document"})


def _nested(index: int, bundle: Mapping[str, Any], where: str, notes: list[str]) -> Iterator[Entry]:
    """The resources of a Bundle held in an entry (a search's answer), as entries of the
    record; each keeps its own path (``Bundle.entry[1].resource.entry[0].resource``)."""
    inner = bundle.get("entry")
    notes.append(f"{where}: a {bundle.get('type')} Bundle inside the record; its entries are read")
    for position, entry in enumerate(inner if isinstance(inner, list) else []):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        path = f"{where}.entry[{position}].resource"
        if not isinstance(resource, Mapping) or not isinstance(resource.get("resourceType"), str):
            notes.append(f"{path}: not a resource, not read")
            continue
        if resource["resourceType"] == "Bundle":
            notes.append(f"{path}: a Bundle nested two levels deep, not read")
            continue
        full_url = entry.get("fullUrl")
        yield Entry(index, resource, full_url if isinstance(full_url, str) else None, where=path)


def _version(entry: Entry) -> tuple[int, str]:
    meta = entry.resource.get("meta")
    version = meta.get("versionId") if isinstance(meta, Mapping) else None
    updated = meta.get("lastUpdated") if isinstance(meta, Mapping) else None
    number = int(version) if isinstance(version, str) and version.isdigit() else -1
    return number, updated if isinstance(updated, str) else ""


def latest_versions(raw_entries: list[Any], entries: list[Entry], notes: list[str]) -> list[Entry]:
    """A history Bundle lists every version of a resource, newest first (FHIR R4
    §3.1.0.11 "history"): keep the newest version of each (by meta.versionId, then
    meta.lastUpdated, then position), and nothing of a resource whose newest entry is a
    DELETE."""
    newest: dict[str, Entry] = {}
    for entry in entries:
        rid = entry.resource.get("id")
        key = f"{entry.resource_type}/{rid}" if isinstance(rid, str) else entry.ref
        kept = newest.get(key)
        if kept is None or _version(entry) > _version(kept):
            if kept is not None:
                notes.append(f"history Bundle: an older version of {key} is not read")
            newest[key] = entry
        else:
            notes.append(f"history Bundle: an older version of {key} is not read")
    for index, raw in enumerate(raw_entries):
        request = raw.get("request") if isinstance(raw, Mapping) else None
        if isinstance(request, Mapping) and request.get("method") == "DELETE":
            url = str(request.get("url", "")).split("?")[0].strip("/")
            gone = newest.get(url)
            if gone is not None and gone.index > index:  # deleted after that version
                notes.append(f"history Bundle: {url} was deleted, it is not read")
                del newest[url]
    kept_ids = {id(e) for e in newest.values()}
    return [e for e in entries if id(e) in kept_ids]


def _validate_shell(bundle: Mapping[str, Any]) -> list[Problem]:
    """Validate the Bundle's own elements (type, id, …) with its entries left out, and of
    each entry the one element the mapping reads, ``fullUrl`` (a string). The entries'
    ``request``, ``response`` and ``search`` are not read, so they are not validated:
    validating thousands of them would cost seconds on a large record."""
    shell = {key: value for key, value in bundle.items() if key != "entry"}
    problems = _run(_model("Bundle"), shell, "Bundle", "Bundle")
    for index, entry in enumerate(elements(bundle.get("entry"))):
        if (
            isinstance(entry, Mapping)
            and "fullUrl" in entry
            and not (
                isinstance(entry["fullUrl"], str)
                and entry["fullUrl"].split() == [entry["fullUrl"]]  # no whitespace, not empty
            )
        ):
            problems.append(
                Problem(
                    f"Bundle.entry[{index}].fullUrl",
                    "a URI (FHIR R4 uri)",
                    describe_value(entry["fullUrl"]),
                )
            )
    return problems


def validate_resources(entries: Sequence[Entry]) -> list[tuple[Entry, list[Problem]]]:
    """Validate every mapped resource with its fhir.resources R4B model; return each
    resource that is not valid with its problems. A control character or an unpaired
    surrogate in any key or string (``nelm.text``; FHIR R4 string: "[ \\r\\n\\t\\S]+")
    is a problem too, named by its place: such text can reach no output or store."""
    invalid: list[tuple[Entry, list[Problem]]] = []
    for entry in entries:
        if entry.resource_type in MAPPED_TYPES:
            model = _model(entry.resource_type)
            problems = text_problems(entry.resource, entry.path)
            problems += _run(model, entry.resource, entry.path, entry.resource_type)
            if problems:
                invalid.append((entry, problems))
    return invalid


# What a Patient is never read without, when the element itself is not valid: the
# resource's identity, the elements FHIR R4 marks as modifiers (a record not in use, rules
# or extensions that change its meaning, a death) and what tells two Patients are one person.
# Without any other element (a name, a phone number, a birth date, the sex) the rest is
# read and the element's field stays unknown.
_PATIENT_NEEDS = frozenset(
    {
        "resourceType",
        "id",
        "active",
        "implicitRules",
        "modifierExtension",
        "deceasedBoolean",
        "deceasedDateTime",
        "_deceasedDateTime",
        "identifier",
        "link",
    }
)
_TOP_ELEMENT = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)")
_TOP_EXTENSION = re.compile(r"^\.extension\[(\d+)\]")
# Extensions whose meaning nelm reads on a resource other than a Patient: one of them not
# valid sets the whole resource aside, since reading the rest without it could change what
# the resource says (a metastasis without the link to its primary would pass for a NET's).
_READ_EXTENSIONS = (
    "mcode-related-primary-cancer-condition",
    "histology-morphology-behavior",
    "histology-morphology-behavior-icdo3",
)


def without_invalid_elements(
    entry: Entry, problems: Sequence[Problem]
) -> tuple[Entry, list[str]] | None:
    """A Patient that is not valid, read without the elements at fault: the entry with
    those (top-level) elements removed and their names, or None when one of them is
    needed (``_PATIENT_NEEDS``), a problem names no element, or what is left is still not
    valid. Other resource types are never read in part (a result without its date or
    status could pass for what it is not): None."""
    if not problems:
        return None
    if entry.resource_type != "Patient":
        return _without_invalid_extensions(entry, problems)
    names: set[str] = set()
    for problem in problems:
        path = printable(entry.path)
        found = (
            _TOP_ELEMENT.match(problem.path[len(path) :]) if problem.path.startswith(path) else None
        )
        if found is None or found[1] in _PATIENT_NEEDS:
            return None
        names.add(found[1])
    kept = {key: value for key, value in entry.resource.items() if key not in names}
    again = Entry(entry.index, kept, entry.full_url, entry.where, entry.name)
    if validate_resources([again]):
        return None
    return again, sorted(names)


def _without_invalid_extensions(
    entry: Entry, problems: Sequence[Problem]
) -> tuple[Entry, list[str]] | None:
    """A resource other than a Patient whose only faults lie in extensions nelm does not
    read (``extension``, never ``modifierExtension``: FHIR R4 §2.13 lets a reader ignore
    an extension, never a modifier), read without them; None otherwise."""
    path = printable(entry.path)
    extensions = entry.resource.get("extension")
    if not isinstance(extensions, list):
        return None
    at_fault: set[int] = set()
    for problem in problems:
        found = (
            _TOP_EXTENSION.match(problem.path[len(path) :])
            if problem.path.startswith(path)
            else None
        )
        if found is None or int(found[1]) >= len(extensions):
            return None
        at_fault.add(int(found[1]))
    for index in at_fault:
        url = extensions[index].get("url") if isinstance(extensions[index], Mapping) else None
        if not isinstance(url, str) or url.endswith(_READ_EXTENSIONS):
            return None
    kept_extensions = [x for i, x in enumerate(extensions) if i not in at_fault]
    kept = {key: value for key, value in entry.resource.items() if key != "extension"}
    if kept_extensions:
        kept["extension"] = kept_extensions
    again = Entry(entry.index, kept, entry.full_url, entry.where, entry.name)
    if validate_resources([again]):
        return None
    names = []
    for index in sorted(at_fault):
        url = extensions[index]["url"]
        names.append(f"extension[{index}] ({url.rsplit('/', 1)[-1]})")
    return again, names


def _model(resource_type: str) -> Any:
    """The fhir.resources R4B model class for a resource type."""
    try:
        if resource_type == "Bundle":
            from fhir.resources.R4B.bundle import Bundle

            return Bundle
        if resource_type == "Patient":
            from fhir.resources.R4B.patient import Patient

            return Patient
        if resource_type == "Condition":
            from fhir.resources.R4B.condition import Condition

            return Condition
        if resource_type == "Observation":
            from fhir.resources.R4B.observation import Observation

            return Observation
        if resource_type == "Procedure":
            from fhir.resources.R4B.procedure import Procedure

            return Procedure
        if resource_type == "MedicationStatement":
            from fhir.resources.R4B.medicationstatement import MedicationStatement

            return MedicationStatement
        if resource_type == "MedicationAdministration":
            from fhir.resources.R4B.medicationadministration import MedicationAdministration

            return MedicationAdministration
        if resource_type == "Medication":
            from fhir.resources.R4B.medication import Medication

            return Medication
        if resource_type == "DiagnosticReport":
            from fhir.resources.R4B.diagnosticreport import DiagnosticReport

            return DiagnosticReport
    except ImportError as exc:
        raise FhirUnavailableError(_NEEDS_THE_EXTRA) from exc
    raise ValueError(f"no model for {resource_type}")


def fhir_model_class(type_name: str) -> Any | None:
    """The R4B model of any FHIR type (a resource, a data type, a backbone element such as
    ``BundleEntry``), or None for a name that is none of them."""
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError as exc:
        raise FhirUnavailableError(_NEEDS_THE_EXTRA) from exc
    try:
        return get_fhir_model_class(type_name)
    except ValueError:
        return None


def is_resource_type(type_name: str) -> bool:
    """A FHIR R4 resource type (Bundle, Patient…), not a data type or a part of one."""
    from fhir.resources.R4B.resource import Resource

    klass = fhir_model_class(type_name)
    return klass is not None and issubclass(klass, Resource)


def _primitive_part_problems(value: object, path: str, resource_type: str) -> list[Problem]:
    """Elements ``_x`` (a primitive's id and extensions, an object in FHIR R4 JSON:
    https://hl7.org/fhir/R4/json.html#primitive) written as text. The models fail on them
    without naming the element ("_birthDate": "1960" raised an AttributeError), so they are
    found first and named, and a Patient can be read without them; any other wrong value
    there the models name themselves."""
    problems: list[Problem] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(key, str) and key.startswith("_") and isinstance(item, str):
                problems.append(
                    Problem(
                        where,
                        f"FHIR R4 {resource_type}: an object with the primitive element's id "
                        "and extensions (FHIR R4 JSON, primitive types)",
                        "text",  # the text itself is not echoed: it may identify the patient
                    )
                )
            else:
                problems += _primitive_part_problems(item, where, resource_type)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problems += _primitive_part_problems(item, f"{path}[{index}]", resource_type)
    return problems


# FHIR R4 primitive types, as they end the name of a choice element (``valueDateTime``).
_PRIMITIVE_TYPES = (
    "Base64Binary",
    "Boolean",
    "Canonical",
    "Code",
    "Date",
    "DateTime",
    "Decimal",
    "Id",
    "Instant",
    "Integer",
    "Markdown",
    "Oid",
    "PositiveInt",
    "String",
    "Time",
    "UnsignedInt",
    "Uri",
    "Url",
    "Uuid",
)
# A value of each primitive type that its model accepts: put, for validation only, in a
# copy of a resource where a required choice is given by its extensions alone
# (_absent_choices). The resource read is never changed.
_STAND_INS: dict[str, object] = {
    "Base64Binary": "AAAA",
    "Boolean": True,
    "Canonical": "urn:absent",
    "Code": "absent",
    "Date": "1970",
    "DateTime": "1970",
    "Decimal": 0,
    "Id": "absent",
    "Instant": "1970-01-01T00:00:00Z",
    "Integer": 0,
    "Markdown": "absent",
    "Oid": "urn:oid:1.2",
    "PositiveInt": 1,
    "String": "absent",
    "Time": "00:00:00",
    "UnsignedInt": 0,
    "Uri": "urn:absent",
    "Url": "urn:absent",
    "Uuid": "urn:uuid:00000000-0000-0000-0000-000000000000",
}
# Required choices given by their extensions alone, stood in for one at a time: a resource
# has few required choices (MedicationAdministration: effective[x] and medication[x]).
_STAND_IN_ROUNDS = 4
_ONE_OF = re.compile(r"Expect any of field value from this list \[([^\]]*)\]")


def _primitive_type(name: str) -> str | None:
    """The primitive type a choice element's name ends with (``effectiveDateTime`` →
    ``DateTime``), or None."""
    found = [t for t in _PRIMITIVE_TYPES if name.endswith(t) and len(name) > len(t)]
    return max(found, key=len) if found else None


def _extension_values_apart(
    data: Mapping[str, Any], base: str
) -> tuple[Mapping[str, Any], list[tuple[str, Any]]]:
    """``data`` without the extensions' primitive values given by their own extensions
    alone (``{"url": …, "_valueDateTime": {"extension": […]}}``, which FHIR R4 JSON allows:
    https://hl7.org/fhir/R4/json.html#primitive), and those parts with their paths. The
    R4B Extension model has no element for them and would call the resource not valid;
    each part is checked on its own (_element_problems). Walked without recursion, as
    nulls.py walks: a resource may nest extensions some hundred levels deep."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    stack: list[tuple[Any, tuple[str | int, ...], bool]] = [(data, (), False)]
    while stack:
        value, place, extension = stack.pop()
        if isinstance(value, Mapping):
            for key, item in value.items():
                if (
                    extension
                    and isinstance(key, str)
                    and key.startswith("_value")
                    and isinstance(item, Mapping)
                    and key[1:] not in value
                    and _primitive_type(key[1:]) is not None
                ):
                    found.append((place, key))
                else:
                    stack.append((item, (*place, key), False))
        elif isinstance(value, list):
            inside = bool(place) and place[-1] in ("extension", "modifierExtension")
            for index, item in enumerate(value):
                stack.append((item, (*place, index), inside))
    if not found:
        return data, []
    copy: dict[str, Any] = dict(data)
    copies: dict[tuple[str | int, ...], Any] = {(): copy}
    parts: list[tuple[str, Any]] = []
    for place, key in found:
        holder = copies.get(place)
        if holder is None:
            for depth in range(1, len(place) + 1):
                if place[:depth] not in copies:
                    parent = copies[place[: depth - 1]]
                    child = parent[place[depth - 1]]
                    copies[place[:depth]] = parent[place[depth - 1]] = (
                        dict(child) if isinstance(child, Mapping) else list(child)
                    )
            holder = copies[place]
        parts.append((base + _place_path(place) + f".{key}", holder.pop(key)))
    return copy, parts


def _place_path(place: Sequence[str | int]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in place)


def _element_problems(value: Any, path: str, resource_type: str) -> list[Problem]:
    """A primitive's id and extensions (FHIR R4 JSON ``_name``) checked on their own."""
    from pydantic import ValidationError

    try:
        from fhir.resources.R4B.fhirprimitiveextension import FHIRPrimitiveExtension
    except ImportError as exc:
        raise FhirUnavailableError(_NEEDS_THE_EXTRA) from exc
    try:
        FHIRPrimitiveExtension.model_validate(dict(value))
    except ValidationError as exc:
        return [_problem(error, path, resource_type) for error in exc.errors()]
    return []


def _absent_choices(
    data: dict[str, Any], errors: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """A copy of ``data`` in which each required choice the model says is missing, but
    which the resource gives by its extensions alone (``"_effectiveDateTime": {…}`` with no
    ``effectiveDateTime``), holds a stand-in of its type, so that the model checks the
    rest; None when an error is of another kind. FHIR R4 JSON lets a primitive's value be
    absent when its extensions are given (https://hl7.org/fhir/R4/json.html#primitive),
    and an element of minimum cardinality 1 may carry only an extension saying why its
    value is missing, such as data-absent-reason ("Special Case: Missing Data",
    https://hl7.org/fhir/R4/extensibility.html#Special-Case); the R4B models check a
    required primitive that way, but a required choice
    (MedicationAdministration.effective[x]) by its value only."""
    copy: dict[str, Any] | None = None
    for error in errors:
        found = _ONE_OF.search(str(error.get("msg", "")))
        if error.get("type") != "value_error" or found is None:
            return None
        names = [n.strip().strip("'\"") for n in found[1].split(",")]
        if copy is None:
            copy = _copy_along(data, error.get("loc", ()))
        holder: Any = copy
        for part in error.get("loc", ()):
            holder = holder[part] if isinstance(holder, list | dict) else None
        if not isinstance(holder, dict):
            return None
        given = [n for n in names if isinstance(holder.get(f"_{n}"), Mapping) and n not in holder]
        kind = _primitive_type(given[0]) if given else None
        if kind is None:
            return None
        holder[given[0]] = _STAND_INS[kind]
    return copy


def _copy_along(data: dict[str, Any], loc: Sequence[Any]) -> dict[str, Any]:
    """``data`` copied along the path ``loc`` (each container on it), the rest shared."""
    root: dict[str, Any] = dict(data)
    holder: Any = root
    for part in loc:
        child = holder[part]
        holder[part] = dict(child) if isinstance(child, Mapping) else list(child)
        holder = holder[part]
    return root


def _run(model: Any, data: Mapping[str, Any], base: str, resource_type: str) -> list[Problem]:
    parts = _primitive_part_problems(data, base, resource_type)
    if parts:
        return parts
    shaped, apart = _extension_values_apart(data, base)
    problems: list[Problem] = []
    for path, value in apart:
        problems += _element_problems(value, path, resource_type)
    return problems + _run_model(model, dict(shaped), base, resource_type)


def _run_model(model: Any, data: dict[str, Any], base: str, resource_type: str) -> list[Problem]:
    from pydantic import ValidationError

    errors: list[Any] = []
    try:
        for _ in range(_STAND_IN_ROUNDS):
            try:
                model.model_validate(data)
                break
            except ValidationError as exc:
                errors = exc.errors()
                again = _absent_choices(data, errors)
                if again is None:
                    return [_problem(error, base, resource_type) for error in errors]
                data = again
        else:
            return [_problem(error, base, resource_type) for error in errors]
    # fhir.resources raises more than ValidationError on odd input: an AttributeError for
    # a primitive's extension element written as text ("_birthDate": "1960", which FHIR R4
    # JSON allows only as an object), a KeyError, TypeError or ValueError elsewhere.
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        return [
            Problem(
                base,
                f"a valid FHIR R4 {resource_type}",
                f"a structure the FHIR R4 model cannot read ({type(exc).__name__})",
            )
        ]
    except RecursionError:
        # The models check each nested element (an extension holding an extension…) by a
        # call of their own: a chain of some hundred levels exhausts Python's stack. That
        # one resource is set aside; the record is read without it.
        return [
            Problem(
                base,
                f"a valid FHIR R4 {resource_type}",
                "elements nested too deeply to check (an extension within an extension, "
                "about 150 levels down)",
            )
        ]
    return []


def _problem(error: Mapping[str, Any], base: str, resource_type: str) -> Problem:
    parts: list[str] = []
    for item in error.get("loc", ()):
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif isinstance(item, str) and item != "resource_type":
            parts.append(f".{item}")
        elif item == "resource_type":
            parts.append(".resourceType")
    path = base + "".join(parts)
    message = str(error.get("msg", "not valid")).replace("\n", " ")
    message = " ".join(message.split())
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error.get("type") == "extra_forbidden":
        message = "not an element of this resource in FHIR R4"
    elif "value string does not match spec regex" in message and message.startswith(
        ("DateTime", "Date", "Instant")
    ):
        # FHIR R4 §2.24.0.1 date/dateTime: YYYY, YYYY-MM, YYYY-MM-DD, or a date and time
        # with its zone; the model's message was a regex
        message = (
            "a FHIR date is written YYYY, YYYY-MM or YYYY-MM-DD (a dateTime may add a time "
            "with its zone, as 2024-05-01T10:30:00+01:00)"
        )
    elif error.get("type") == "string_pattern_mismatch" and "[^\\s]+(\\s[^\\s]+)*" in message:
        # FHIR R4 code: "no leading or trailing whitespace, and no whitespace other than
        # single spaces"; the model's message was a regex
        message = (
            "a FHIR code has no space at its start or end and no two spaces in a row (FHIR R4 code)"
        )
    elif error.get("type") == "string_pattern_mismatch" and parts and parts[-1] == ".id":
        # FHIR R4 §2.24.0.1 id: [A-Za-z0-9\-\.]{1,64}; the model's message was a regex
        message = "an id is letters, digits, '-' and '.' only, at most 64 (FHIR R4 id)"
    named = {item for item in error.get("loc", ()) if isinstance(item, str)}
    value = error.get("input")
    private = resource_type == "Patient" or bool(named & _PRIVATE_ELEMENTS)
    if str(error.get("type", "")).endswith("missing"):
        got = "nothing"
    elif (
        private
        or not isinstance(value, bool | int | float | str)
        or (isinstance(value, str) and len(value) > 40)
    ):
        got = "a value that is not valid here" if value is not None else "nothing"
    else:
        got = describe_value(value)
    # the R4B models read the R4 structure of every resource read (module docstring):
    # the reader of the message knows the record as FHIR R4
    return Problem(path, f"FHIR R4 {resource_type}: {message}", got)
