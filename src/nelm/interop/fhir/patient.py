"""Patient (age, sex, death) and the check that every resource is about that patient.

Only ``gender``, the sex extensions (the US Core individual-sex, HL7's sex parameter for
clinical use, Epic's legal sex and sex for clinical use: :func:`_clinical_use`),
``birthDate`` and ``deceased[x]`` are read. Names, addresses, telecom and every other
element are never read, so they cannot reach the case document, the provenance or the
notes; identifiers and ``Patient.link`` are only compared, to tell that two Patient
resources are one person.

A patient the record says has died is never assessed as alive: the assessment is made
(so the record can still be checked) but carries a warning on top, in every output
(docs/fhir-mapping.md, "Deceased patients").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from nelm.errors import Problem, describe_value
from nelm.interop.fhir.collect import Issue, Source
from nelm.interop.fhir.context import Context, range_problem
from nelm.interop.fhir.dates import age_range, parse_when
from nelm.interop.fhir.systems import (
    SNOMED,
    canonical_system,
    codings,
    elements,
    reference_target,
)
from nelm.interop.fhir.validate import Entry

__all__ = ["attributed", "one_subject", "partial_birth_date_words", "read_patients"]

_SEX = {"female": "female", "male": "male", "other": "other"}
# US Core 9.0.0 us-core-individual-sex (valueCoding, SNOMED CT): 248152002 Female (finding),
# 248153007 Male (finding).
_INDIVIDUAL_SEX_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex"
_INDIVIDUAL_SEX = {"248152002": "female", "248153007": "male"}
_GENDERS = ("male", "female", "other", "unknown")  # FHIR R4 AdministrativeGender

# HL7's Patient Sex Parameter for Clinical Use (FHIR Extensions Pack, 5.2.0:
# https://hl7.org/fhir/extensions/StructureDefinition-patient-sexParameterForClinicalUse.html),
# a complex extension: "value" (a CodeableConcept, 1..1), "period" ("When the sex for
# clinical use applies"), "comment", "supportingInfo". Its codes (HL7 Terminology,
# http://terminology.hl7.org/CodeSystem/sex-parameter-for-clinical-use): female-typical /
# male-typical, "Available data indicates that diagnostics, analytics, and treatments
# should consider best practices associated with female [male] reference populations";
# specified, "… best practices may be undefined or not aligned with sex-derived reference
# populations …", whose usage note asks for "default behavior that is safe for both male
# and female populations". The value set adds data-absent-reason "unknown".
_SPCU_URL = "http://hl7.org/fhir/StructureDefinition/patient-sexParameterForClinicalUse"
_SPCU_SYSTEM = "http://terminology.hl7.org/CodeSystem/sex-parameter-for-clinical-use"
_SPCU = {"female-typical": "female", "male-typical": "male", "specified": "specified"}
_SPCU_NAME = "patient-sexParameterForClinicalUse"
# Epic's Patient extensions (Epic on FHIR, R4 Patient.Read; seen in Epic's sandbox patients):
# a valueCodeableConcept coded in a category list under Epic's OID root (the list's OID and
# the case of its codes differ between organisations: "female", "Female").
_EPIC_SFCU_URL = "http://open.epic.com/FHIR/StructureDefinition/extension/sex-for-clinical-use"
_EPIC_LEGAL_SEX_URL = "http://open.epic.com/FHIR/StructureDefinition/extension/legal-sex"
_EPIC_OID_ROOT = "urn:oid:1.2.840.114350."
_EPIC_SEX = {"female": "female", "male": "male"}
_DATA_ABSENT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def _key(reference: str) -> str:
    target = reference_target(reference)
    return f"Patient/{target[1]}" if target and target[0] == "Patient" else reference


def read_patients(ctx: Context, patients: Sequence[Entry]) -> set[str]:
    """Read age and sex; return the references that mean this patient."""
    keys: set[str] = set()
    ids = [p.resource.get("id") for p in patients]
    several = len(patients) > 1 and (None in ids or len(set(map(str, ids))) > 1)
    if several and _one_person(patients):
        for entry in patients:
            ctx.notes.add(
                "Patient resources read as one patient: they share an identifier (system "
                "and value) or are joined by Patient.link",
                entry.ref,
            )
    elif several:
        ctx.problems.append(
            Problem(
                patients[1].path,
                "one Patient per bundle: a case is about one patient (the records of "
                "several, such as a Bulk Data export, are read by nelm batch, one row each)",
                f"{len(patients):,} Patient resources ({_first_three([p.ref for p in patients])})",
            )
        )
        return keys
    for entry in patients:
        keys.add(entry.ref)
        keys.update(_identifiers(entry.resource.get("identifier")))
        if entry.full_url:
            keys.update({entry.full_url, _key(entry.full_url)})
        _read_patient(ctx, entry)
    return keys


def _first_three(names: Sequence[str]) -> str:
    """ "a, b, c, and 2 more": a record of thousands stays one line."""
    more = f", and {len(names) - 3:,} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


def _one_person(patients: Sequence[Entry]) -> bool:
    """Every Patient is joined to the first by a shared business identifier (the same
    system and value: one person in the sender's register) or by Patient.link (FHIR R4
    Patient.link: replaced-by, replaces, refer, seealso all name the same person),
    directly or through the others."""
    names: dict[str, int] = {}
    for index, entry in enumerate(patients):
        for name in (entry.ref, entry.full_url):
            if name:
                names[name] = index
                names[_key(name)] = index
    joined: list[set[str]] = []
    for entry in patients:
        tokens = _identifiers(entry.resource.get("identifier"))
        for link in elements(entry.resource.get("link")):
            other = link.get("other") if isinstance(link, Mapping) else None
            reference = other.get("reference") if isinstance(other, Mapping) else None
            if isinstance(reference, str) and _key(reference) in names:
                tokens.add(f"patient {names[_key(reference)]}")
        tokens.add(f"patient {len(joined)}")
        joined.append(tokens)
    group = set(joined[0])
    members = {0}
    grown = True
    while grown:
        grown = False
        for index, tokens in enumerate(joined):
            if index not in members and tokens & group:
                members.add(index)
                group |= tokens
                grown = True
    return len(members) == len(patients)


def _identifiers(value: Any) -> set[str]:
    """``identifier system|value`` for every Identifier (one or a list) with both parts:
    the name a logical reference (Reference.identifier) gives its target by."""
    found = set()
    for identifier in value if isinstance(value, list) else [value]:
        if isinstance(identifier, Mapping):
            system, code = identifier.get("system"), identifier.get("value")
            if isinstance(system, str) and isinstance(code, str) and system and code:
                found.add(f"identifier {system.strip()}|{code.strip()}")
    return found


def _read_patient(ctx: Context, entry: Entry) -> None:
    resource = entry.resource
    clinical = _clinical_use(ctx, entry)
    if not clinical:
        _individual_sex(ctx, entry)
        _legal_sex(ctx, entry)
    _deceased(ctx, entry)
    gender = resource.get("gender")
    if gender is not None:
        if gender not in _GENDERS:
            ctx.flaw(
                Problem(
                    f"{entry.path}.gender",
                    "one of male, female, other, unknown (FHIR R4)",
                    describe_value(gender),
                ),
                "" if clinical else "patient.sex",
            )
        elif clinical:
            pass  # the sex parameter for clinical use decides patient.sex (_clinical_use)
        elif gender in _SEX:
            ctx.add("patient.sex", _SEX[gender], Source(entry.ref, entry.path, "gender"))
        else:
            ctx.notes.add("patient.sex not set: Patient.gender is unknown", entry.ref)
    birth = resource.get("birthDate")
    if isinstance(birth, str):
        ages = age_range(birth, ctx.assessment_date)
        if ages is None:
            ctx.flaw(
                Problem(f"{entry.path}.birthDate", "a FHIR date", "a value that is not valid here"),
                "patient.age_years",
            )
            return
        youngest, oldest = ages
        if oldest < 0:
            ctx.flaw(
                Problem(
                    f"{entry.path}.birthDate",
                    "a birth date on or before the assessment date",
                    "a later date",
                ),
                "patient.age_years",
            )
        else:
            _age(ctx, entry, max(youngest, 0), oldest, _precision(birth))


_PARTIAL_BIRTH_DATE = {
    "birthDate, year only": "from a birth date of the year only",
    "birthDate, year and month only": "from a birth date of the year and month only",
}
"""The provenance of an age's bounds read from a partial birth date → how a criterion's
value names where the interval came from."""


def _precision(birth: str) -> str:
    """ "birthDate, year only" for "1960", "birthDate, year and month only" for "1960-03",
    "birthDate" for a whole date: the provenance says why an age has bounds."""
    parts = birth.strip().count("-")
    return "birthDate" if parts >= 2 else list(_PARTIAL_BIRTH_DATE)[parts]


def partial_birth_date_words(source: str) -> str | None:
    """ "from a birth date of the year only" for a source that read an age's bound from a
    birth date of the year alone ("Patient/p1 (birthDate, year only)"); None for any other
    source."""
    for code, words in _PARTIAL_BIRTH_DATE.items():
        if source.endswith(f"({code})"):
            return words
    return None


def _age(ctx: Context, entry: Entry, youngest: int, oldest: int, code: str) -> None:
    """The age on the assessment date: exact when the birth date settles it, else its
    bounds (a birth date of "1960" gives 65 or 66 in 2026), which still decide every
    criterion whose threshold lies outside them (docs/case-v1-additions.md)."""
    source = Source(entry.ref, entry.path, "birthDate" if youngest == oldest else code)
    for age in dict.fromkeys((youngest, oldest)):
        problem = range_problem(
            "patient.age_years",
            age,
            f"{entry.path}.birthDate",
            entry.ref,
            f"an age of {age} years",
        )
        if problem is not None:
            ctx.reject_value(problem, "patient.age_years", entry.ref)
            return
    if youngest == oldest:
        ctx.add("patient.age_years", youngest, source)
        return
    ctx.add("patient.age_years_at_least", youngest, source)
    ctx.add("patient.age_years_at_most", oldest, source)
    ctx.notes.add(
        "patient.age_years given by its bounds "
        f"({youngest}–{oldest} years): the birth date gives only the year or month, so the "
        "age is not known to the year",
        entry.ref,
    )


def _individual_sex(ctx: Context, entry: Entry) -> None:
    for index, extension in enumerate(elements(entry.resource.get("extension"))):
        if not isinstance(extension, Mapping) or extension.get("url") != _INDIVIDUAL_SEX_URL:
            continue
        coding = extension.get("valueCoding")
        code = coding.get("code") if isinstance(coding, Mapping) else None
        system = coding.get("system") if isinstance(coding, Mapping) else None
        if (
            isinstance(system, str)
            and canonical_system(system) == SNOMED
            and (code in _INDIVIDUAL_SEX)
        ):
            ctx.add(
                "patient.sex",
                _INDIVIDUAL_SEX[code],
                Source(
                    entry.ref,
                    f"{entry.path}.extension[{index}]",
                    f"us-core-individual-sex SNOMED CT {code}",
                ),
            )
        else:
            ctx.notes.add(
                "patient.sex not read from us-core-individual-sex: not SNOMED CT "
                "248152002 / 248153007",
                entry.ref,
            )


def _clinical_use(ctx: Context, entry: Entry) -> bool:
    """patient.sex from a sex parameter for clinical use (HL7's extension, or Epic's sex
    for clinical use) that applies on the assessment date; True when one decides the field
    (set, or left unknown on purpose), False to read the administrative sex as before.

    nelm uses patient.sex for the CKD-EPI 2021 check of an eGFR against the creatinine,
    whose constants differ by sex. HL7 defines the sex parameter for clinical use for
    exactly that: "a parameter that provides guidance on how a recipient should apply
    settings or reference ranges … intended for use in clinical decision making", while
    Patient.gender is "the gender that the patient is considered to have for
    administration and record keeping purposes" (FHIR R4 Patient.gender), and a legal sex
    or US Core's individual sex are recorded sexes of the same kind. So female-typical or
    male-typical wins over them when they differ (noted, and said in the data-quality
    list); "specified" says the sex-derived reference populations may not apply, so
    patient.sex is left unknown (the check then allows either sex, "safe for both male and
    female populations") and nothing is read from the administrative sex either."""
    found: list[tuple[str, str, str]] = []  # (value, place, what it was read from)
    for index, extension in enumerate(elements(entry.resource.get("extension"))):
        if not isinstance(extension, Mapping):
            continue
        place = f"{entry.path}.extension[{index}]"
        if extension.get("url") == _SPCU_URL:
            read = _spcu(ctx, entry, extension)
        elif extension.get("url") == _EPIC_SFCU_URL:
            read = _epic_sex(ctx, entry, extension, "Epic sex-for-clinical-use")
        else:
            continue
        if read is not None:
            found.append((read[0], place, read[1]))
    values = {value for value, _, _ in found}
    if not values:
        return False
    if len(values) > 1:
        shown = " and ".join(f"{what} ({place.rsplit('.', 1)[-1]})" for _, place, what in found)
        ctx.flaw(
            Problem(
                found[-1][1],
                f"{entry.ref}: one sex parameter for clinical use on the assessment date",
                f"{shown}, which differ",
            ),
            "patient.sex",
        )
        return True
    value = values.pop()
    administrative = _administrative_sexes(entry)
    if value == "specified":
        ctx.notes.add(
            'patient.sex not set: the sex parameter for clinical use is "specified" '
            "(reference populations by sex may not apply), so the eGFR is checked against "
            "the creatinine for either sex and Patient.gender is not used for it",
            entry.ref,
        )
        return True
    for _, place, what in found:
        ctx.add("patient.sex", value, Source(entry.ref, place, what))
    ctx.notes.add(
        f"patient.sex read from the sex parameter for clinical use ({value}), which is meant "
        "for reference ranges and equations such as CKD-EPI, before the administrative sex",
        entry.ref,
    )
    differing = sorted({f"{name} {sex}" for name, sex in administrative if sex != value})
    if differing:
        ctx.issues.append(
            Issue(
                found[0][1],
                f"{entry.ref}: the sex parameter for clinical use ({found[0][2]}) gives "
                f"{value} and the administrative sex differs ({', '.join(differing)}): "
                f"patient.sex is {value}, since a sex for clinical use is meant for reference "
                "ranges and equations such as CKD-EPI, the administrative sex for record "
                "keeping (FHIR R4 Patient.gender)",
                notice=True,
            )
        )
    return True


def _spcu(ctx: Context, entry: Entry, extension: Mapping[str, Any]) -> tuple[str, str] | None:
    """One HL7 sex parameter for clinical use: (female / male / specified, what it was read
    from) when it applies on the assessment date; None (noted) otherwise."""
    parts = {
        part.get("url"): part
        for part in elements(extension.get("extension"))
        if isinstance(part, Mapping)
    }
    if "intendedClinicalUse" in parts:
        # added in the Extensions Pack's September 2025 ballot: a parameter for one stated
        # use, which nelm cannot tell is the eGFR equation's
        ctx.notes.add(
            f"patient.sex not read from {_SPCU_NAME}: it is given for one intended clinical "
            "use (intendedClinicalUse), which may not be the eGFR equation",
            entry.ref,
        )
        return None
    period = parts.get("period", {}).get("valuePeriod")
    if period is not None and not _covers(period, ctx):
        ctx.notes.add(
            f"patient.sex not read from {_SPCU_NAME}: its period does not cover the "
            "assessment date",
            entry.ref,
        )
        return None
    concept = parts.get("value", {}).get("valueCodeableConcept")
    read = {
        _SPCU[code]: code
        for system, code in codings(concept)
        if system == _SPCU_SYSTEM and code in _SPCU
    }
    if len(read) == 1:
        value, code = read.popitem()
        return value, f"{_SPCU_NAME} {code}"
    unknown = any(
        system == _DATA_ABSENT_REASON_SYSTEM and code == "unknown"
        for system, code in codings(concept)
    )
    ctx.notes.add(
        f"patient.sex not read from {_SPCU_NAME}: "
        + (
            "it says the sex for clinical use is unknown"
            if unknown and not read
            else "its value is not one code of female-typical, male-typical, specified"
        ),
        entry.ref,
    )
    return None


def _covers(period: object, ctx: Context) -> bool:
    """A Period that certainly holds the assessment date. A missing end: "no end was known
    or planned at the time the instance was created" (FHIR R4 Period.end)."""
    if not isinstance(period, Mapping):
        return False
    start, end = period.get("start"), period.get("end")
    first, last = parse_when(start), parse_when(end)
    if (start is not None and first is None) or (end is not None and last is None):
        return False
    started = first is None or first.end.date() <= ctx.assessment_date
    going = last is None or last.first_day >= ctx.assessment_date
    return started and going


def _epic_sex(
    ctx: Context, entry: Entry, extension: Mapping[str, Any], name: str
) -> tuple[str, str] | None:
    """Epic's legal sex or sex for clinical use: (female / male, what it was read from),
    or None (noted) for another code or a code outside Epic's lists."""
    read = {
        _EPIC_SEX[code.lower()]: code
        for system, code in codings(extension.get("valueCodeableConcept"))
        if system.startswith(_EPIC_OID_ROOT) and code.lower() in _EPIC_SEX
    }
    if len(read) == 1:
        value, code = read.popitem()
        return value, f"{name} {code}"
    ctx.notes.add(f"patient.sex not read from {name}: not one code female or male", entry.ref)
    return None


def _legal_sex(ctx: Context, entry: Entry) -> None:
    """Epic's legal sex, a recorded sex of the same standing as Patient.gender: read as
    us-core-individual-sex is (a disagreement with gender leaves the sex unknown)."""
    for index, extension in enumerate(elements(entry.resource.get("extension"))):
        if isinstance(extension, Mapping) and extension.get("url") == _EPIC_LEGAL_SEX_URL:
            read = _epic_sex(ctx, entry, extension, "Epic legal-sex")
            if read is not None:
                where = f"{entry.path}.extension[{index}]"
                ctx.add("patient.sex", read[0], Source(entry.ref, where, read[1]))


def _administrative_sexes(entry: Entry) -> list[tuple[str, str]]:
    """What the record's other sexes say (gender, US Core individual sex, Epic legal sex),
    female or male only, for the notice that the sex for clinical use differs."""
    found: list[tuple[str, str]] = []
    gender = entry.resource.get("gender")
    if gender in ("female", "male"):
        found.append(("Patient.gender", str(gender)))
    for extension in elements(entry.resource.get("extension")):
        if not isinstance(extension, Mapping):
            continue
        if extension.get("url") == _INDIVIDUAL_SEX_URL:
            coding = extension.get("valueCoding")
            code = coding.get("code") if isinstance(coding, Mapping) else None
            if code in _INDIVIDUAL_SEX:
                found.append(("us-core-individual-sex", _INDIVIDUAL_SEX[code]))
        elif extension.get("url") == _EPIC_LEGAL_SEX_URL:
            for system, code in codings(extension.get("valueCodeableConcept")):
                if system.startswith(_EPIC_OID_ROOT) and code.lower() in _EPIC_SEX:
                    found.append(("Epic legal-sex", _EPIC_SEX[code.lower()]))
    return found


def _deceased(ctx: Context, entry: Entry) -> None:
    """A death on or before the assessment date: a warning on the whole assessment."""
    resource = entry.resource
    flag, when_text = resource.get("deceasedBoolean"), resource.get("deceasedDateTime")
    if when_text is not None:
        when = parse_when(when_text)
        if when is None or when.first_day <= ctx.assessment_date:
            day = when.first_day.isoformat() if when is not None else "a date"
            ctx.warnings.append(
                f"DECEASED: the record says the patient died ({entry.ref} deceasedDateTime "
                f"{day}). This assessment is not about a living patient: do not act on it."
            )
        else:
            ctx.notes.add(
                "Patient.deceasedDateTime lies after the assessment date: the "
                "patient was alive on that date",
                entry.ref,
            )
    elif flag is True:
        ctx.warnings.append(
            f"DECEASED: the record says the patient has died ({entry.ref} deceasedBoolean "
            "true). This assessment is not about a living patient: do not act on it."
        )


def _subject(resource: Mapping[str, Any]) -> str | None:
    named = _subject_element(resource)
    return named[1] if named else None


def _subject_element(resource: Mapping[str, Any]) -> tuple[str, str] | None:
    """The element naming whose resource it is (``subject``, or DSTU2's ``patient``) and
    its reference."""
    for name in ("subject", "patient"):
        holder = resource.get(name)
        if isinstance(holder, Mapping):
            reference = holder.get("reference")
            if isinstance(reference, str) and reference.strip():
                return name, reference.strip()
    return None


def _subject_identifiers(resource: Mapping[str, Any]) -> set[str]:
    """A subject given by identifier alone (a logical reference, FHIR R4 Reference)."""
    for name in ("subject", "patient"):
        holder = resource.get(name)
        if isinstance(holder, Mapping):
            return _identifiers(holder.get("identifier"))
    return set()


# Resources read for the case must say whose they are (Resource.subject / .patient).
_NEEDS_SUBJECT = frozenset(
    {
        "Condition",
        "Observation",
        "Procedure",
        "MedicationStatement",
        "MedicationAdministration",
        "DiagnosticReport",
    }
)


def _patients_named(ctx: Context) -> dict[str, tuple[Entry, str, bool]]:
    """Each patient the record's resources name as their subject → the first resource
    naming it, the element that does, and whether the subject is known to be a Patient
    (``Patient/id``, the fullUrl of a Patient entry) rather than a reference no entry
    holds, in the record's order. Every resource counts, also those set aside before
    (unread codes, a security label): whose record it is does not depend on which results
    nelm reads."""
    held = _held(ctx)
    named: dict[str, tuple[Entry, str, bool]] = {}
    for entry in ctx.entries:
        found = _subject_element(entry.resource) if entry.resource_type in _NEEDS_SUBJECT else None
        key = _patient_key(found[1], held) if found is not None else None
        if found is not None and key is not None:
            named.setdefault(key[0], (entry, found[0], key[1]))
    return named


def _held(ctx: Context) -> dict[str, Entry]:
    """The record's entries by fullUrl: a ``urn:uuid:`` subject names the one it is."""
    return {e.full_url: e for e in ctx.entries if e.full_url}


def _patient_key(reference: str, held: Mapping[str, Entry]) -> tuple[str, bool] | None:
    """The patient a subject names, as ``Patient/id`` (relative, absolute or the fullUrl
    of a Patient entry, even one set aside: one patient however written), and True; a
    reference whose target is not known (a ``urn:uuid:`` no entry holds) as itself, and
    False; None for a subject that names no patient: a conditional reference (no
    resource), a Group, a Device, a Location, a resource contained in the one naming it
    (_whose)."""
    if "?" in reference or reference.startswith("#"):
        return None
    entry = held.get(reference)
    if entry is not None:
        return (_key(entry.ref), True) if entry.resource_type == "Patient" else None
    target = _TARGET_TYPE.search(reference)
    if target is None:
        return reference, False
    return (_key(reference), True) if target[1] == "Patient" else None


def _one_named(named: Mapping[str, tuple[Entry, str, bool]]) -> list[str]:
    """The patients whose record it may be: those known to be Patients, else the subjects
    no entry holds (listed, never "another patient", when a Patient is named: _whose)."""
    known = [key for key, (_, _, certain) in named.items() if certain]
    return known or list(named)


def one_subject(ctx: Context, patient_keys: set[str]) -> None:
    """Without a Patient resource read, a record whose resources name two patients as their
    subject (Patient/a and Patient/b) is refused, as one holding two Patient resources is
    (read_patients): taking the subject most of them name, or the first, would read the
    other person's results as this patient's, and which one depends on the order of the
    entries. Two subjects no entry holds (``urn:uuid:``), with no Patient named, are
    refused alike: nothing tells which is the patient. Nothing is checked when a Patient
    was read (a resource about another patient is then set aside, ``attributed``) or the
    record is refused already."""
    if patient_keys or ctx.problems:
        return
    named = _patients_named(ctx)
    patients = _one_named(named)
    if len(patients) < 2:
        return
    entry, element, certain = named[patients[1]]  # the first resource naming a second one
    ctx.problems.append(
        Problem(
            f"{entry.path}.{element}.reference",
            "one patient per record: a case is about one patient, and a record without a "
            "Patient resource is read as one patient's only when its resources name the "
            "same patient as their subject",
            f"no Patient resource, and subjects naming {len(patients):,} different "
            + ("patients" if certain else "resources that no entry holds")
            + f" ({_first_three([describe_value(key) for key in patients])})",
        )
    )


def attributed(ctx: Context, entries: Sequence[Entry], patient_keys: set[str]) -> list[Entry]:
    """The entries that are about the bundle's patient; the others are set aside.

    A subject given by identifier alone is the patient's when a Patient of the bundle
    carries that identifier (system and value). A resource with no subject, with a
    conditional reference (``Patient?identifier=…``,
    which only a FHIR server can resolve) or about another patient is never attributed
    to this patient: it is listed and the rest of the record is read (FHIR R4 §3.1.1.3
    "Resolving references in Bundles"). Without a Patient resource, the one patient the
    resources name is taken as the patient (a record naming two is refused before:
    ``one_subject``); when they name none but a Group or a Device, the subject most name.
    """
    keys = set(patient_keys)
    if not keys:
        # every resource of the record counts, also those set aside before (unread codes):
        # whose record it is does not depend on which results nelm reads
        counted = Counter(
            _key(r)
            for e in ctx.entries
            if e.resource_type in _NEEDS_SUBJECT
            and (r := _subject(e.resource)) is not None
            and "?" not in r
        )
        # a Patient set aside (not valid, a modifierExtension, a security label) is not
        # "no Patient resource": the record holds one that nelm did not read
        held = any(e.resource_type == "Patient" for e in ctx.entries)
        if "Patient" in ctx.not_r4:
            ctx.warnings.append(
                "PATIENT NOT READ: the record's Patient resource is not valid FHIR R4 and "
                "was set aside (see the data-quality list), so age, sex and a recorded "
                "death are unknown to this assessment."
            )
        elif held:
            ctx.warnings.append(
                "PATIENT NOT READ: the record's Patient resource was set aside (see the "
                "notes of the input source: a modifierExtension or a security label), so "
                "age, sex and a recorded death are unknown to this assessment."
            )
        if not counted and not held:
            ctx.warnings.append(
                "NO PATIENT: the record holds no Patient resource and no resource read "
                "from it names a patient (subject), so nothing in it is known to be about "
                "the person being assessed."
            )
        if counted and not held:
            # the resources are read, but whether the patient is alive is not known
            ctx.warnings.append(
                "PATIENT NOT READ: the record holds no Patient resource, so age, sex and a "
                "recorded death are unknown to this assessment."
            )
        if counted:
            # the one patient named (one_subject refused two) before a Group most name
            named = _patients_named(ctx)
            first = next(iter(_one_named(named)), None)
            chosen = first or counted.most_common(1)[0][0]
            keys.add(chosen)
            # and the fullUrl of a Patient entry set aside, by which resources may name it
            keys.update(u for u, e in _held(ctx).items() if _key(e.ref) == chosen)
            why = "the subject most name"
            if first is not None:
                why = (
                    "the one patient they name" if named[first][2] else "the one subject they name"
                )
            ctx.notes.add(
                "no Patient resource was read from the bundle: the resources about "
                f"{chosen} ({why}) are read as the patient's"
            )
    full_urls = {e.full_url for e in ctx.entries if e.full_url}
    kept: list[Entry] = []
    for entry in entries:
        if entry.resource_type not in _NEEDS_SUBJECT:
            kept.append(entry)
            continue
        reference = _subject(entry.resource)
        if reference is None:
            _by_identifier(ctx, entry, keys, kept)
            if not kept or kept[-1] is not entry:
                ctx.not_attributed.append(entry.resource_type)
            continue
        if reference in keys or _key(reference) in keys:
            elsewhere = _on_another_server(reference, keys)
            if elsewhere is None:
                kept.append(entry)
                continue
            ctx.issues.append(
                Issue(
                    f"{entry.path}.subject.reference",
                    f"{entry.ref}: its subject ({describe_value(reference)}) is a Patient on "
                    f"another server than the record's Patient ({describe_value(elsewhere)}): "
                    "the same id there may be another person, so it is not attributed to "
                    "this patient",
                )
            )
            ctx.not_attributed.append(entry.resource_type)
            continue
        if "?" in reference:
            ctx.issues.append(
                Issue(
                    f"{entry.path}.subject.reference",
                    f"{entry.ref}: a conditional reference "
                    "(Patient?…) names no resource in the bundle, so the resource is not "
                    "attributed to the patient",
                )
            )
        elif reference.startswith("urn:") and reference not in full_urls:
            # FHIR R4 Bundle, resolving references: a urn:uuid or urn:oid reference is
            # resolved only to the entry with that fullUrl; with none it names nobody known
            ctx.issues.append(
                Issue(
                    f"{entry.path}.subject.reference",
                    f"{entry.ref}: its subject ({describe_value(reference)}) is the fullUrl "
                    "of no entry of the bundle, so whose resource it is is unknown and it is "
                    "not attributed to this patient",
                )
            )
        else:
            ctx.issues.append(
                Issue(
                    f"{entry.path}.subject.reference",
                    f"{entry.ref}: {_whose(reference)}, so it is not attributed to this patient",
                )
            )
        ctx.not_attributed.append(entry.resource_type)
    return kept


_HISTORY = re.compile(r"/_history/[^/]+$")


def _on_another_server(reference: str, keys: set[str]) -> str | None:
    """The record's Patient's address when ``reference`` is an absolute URL naming a Patient
    at another address; None otherwise. FHIR R4 Bundle, "Resolving references in Bundles":
    an absolute reference resolves to the entry whose fullUrl it is, so
    ``https://other.example/fhir/Patient/1`` is not the entry
    ``https://ehr.example/fhir/Patient/1``, whatever the ids. When the Patient has no
    absolute fullUrl (``urn:uuid:`` or none), the id alone is what can be compared."""
    if not reference.startswith(("http://", "https://")):
        return None
    addresses = sorted(k for k in keys if k.startswith(("http://", "https://")))
    if not addresses or _HISTORY.sub("", reference) in addresses:
        return None
    return addresses[0]


_TARGET_TYPE = re.compile(r"(?:^|/)([A-Z][A-Za-z]{1,63})/[A-Za-z0-9\-.]{1,64}(?:/_history/[^/]+)?$")


def _whose(reference: str) -> str:
    """What a subject that is not the record's Patient names. A subject may be a Group, a
    Device or a Location (FHIR R4 Observation.subject), and "#id" a resource contained in
    the one that names it (FHIR R4 §2.34 "Contained Resources"): none of them is another
    patient, which would say the record mixes two people."""
    shown = describe_value(reference)
    if reference.startswith("#"):
        return (
            f"its subject ({shown}) is a resource contained in it, not the record's "
            "Patient: whose resource it is is unknown"
        )
    found = _TARGET_TYPE.search(reference)
    if found is not None and found[1] != "Patient":
        return f"its subject is a {found[1]} ({shown}), not a patient"
    return f"about another patient ({shown})"


def _by_identifier(ctx: Context, entry: Entry, keys: set[str], kept: list[Entry]) -> None:
    """A resource whose subject is an identifier: the patient's when a Patient of the
    bundle carries it; listed as not attributed when none does."""
    named = _subject_identifiers(entry.resource)
    if not named:
        # listed among the elements not used: a result nelm reads but cannot attribute
        ctx.issues.append(
            Issue(
                f"{entry.path}.subject",
                f"{entry.ref}: names no subject (patient), so it is not attributed to the patient",
            )
        )
    elif named & keys:
        kept.append(entry)
        ctx.notes.add(
            "attributed to the patient by its subject's identifier, which the Patient carries",
            entry.ref,
        )
    else:
        ctx.issues.append(
            Issue(
                f"{entry.path}.subject.identifier",
                f"{entry.ref}: names its subject by an identifier that no Patient of the "
                "bundle carries, so it is not attributed to the patient",
            )
        )
