"""Conditions: the primary tumour, liver and extrahepatic metastases, carcinoid syndrome,
and the liver-reserve and vascular findings of ``anatomy`` (nelm.interop.fhir.finding_codes).

A Condition is read unless its verificationStatus is refuted, entered-in-error,
unconfirmed, provisional or differential, or its onset lies after the assessment date.
Its meaning comes from ``code`` (ICD-10 / -CM / -GM, SNOMED CT, ICD-O-3 morphology, also
in the mCODE histology-morphology-behavior extension) and, for the primary site,
``bodySite`` (ICD-O-3 topography, SNOMED CT body structure).

* An ICD-O-3 or SNOMED CT morphology that is not neuroendocrine (an adenocarcinoma)
  means the Condition is another cancer: it is not read at all. A Condition linked by
  mCODE relatedPrimaryCancerCondition to a primary that is not neuroendocrine is not
  read either (nelm.interop.fhir.cancers). Behaviour /6 (metastatic) places a
  metastasis by its bodySite.
* Neuroendocrine-specific codes (ICD-10-CM C7A.x, ICD-10 C25.4 endocrine pancreas, an
  ICD-O-3 neuroendocrine morphology) outrank generic site codes such as C18.7: when both
  are present the generic ones are set aside (a second, unrelated cancer in the problem
  list must not become the primary site).
* Extrahepatic metastases whose clinicalStatus is inactive, remission or resolved are not
  counted as present disease.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from nelm.interop.fhir.cancers import histology_concepts, related_primary
from nelm.interop.fhir.codes import (
    ORGAN_SITES,
    SNOMED_BODY_SITES,
    ConditionMeaning,
    Morphology,
    Role,
    icd10_meaning,
    icdo3_morphology,
    snomed_condition_meaning,
    snomed_morphology,
    topography,
)
from nelm.interop.fhir.collect import Issue, Source
from nelm.interop.fhir.context import Context, PrimaryRecord
from nelm.interop.fhir.dates import When, when_of
from nelm.interop.fhir.lobes import note_sides
from nelm.interop.fhir.systems import ICD10_SYSTEMS, ICDO3, SNOMED, Code, codings, elements, label
from nelm.interop.fhir.validate import Entry

__all__ = ["read_condition"]

_NOT_CONFIRMED = ("refuted", "entered-in-error", "unconfirmed", "provisional", "differential")
_NOT_CURRENT = ("inactive", "remission", "resolved")
_PRIMARY_SITES = (*ORGAN_SITES, "unknown_primary")
_SECONDARY_ROLES = (Role.LIVER_METASTASIS, Role.EXTRAHEPATIC, Role.INTRATHORACIC_NODES)


def read_condition(ctx: Context, entry: Entry) -> None:
    resource = entry.resource
    if not _of_a_neuroendocrine_primary(ctx, entry):
        return
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & set(_NOT_CONFIRMED):
        ctx.notes.add("not used: Condition not confirmed (verificationStatus)", entry.ref)
        return
    onset = when_of(resource, "onsetDateTime", "onsetPeriod")
    if ctx.after_assessment(entry, onset):
        return
    morphologies = list(_morphologies(resource))
    meanings = list(_meanings(resource))
    if morphologies:
        net = [(code, m) for code, m in morphologies if m.neuroendocrine]
        if not net:
            ctx.notes.add(
                "not used: the morphology (ICD-O-3 or SNOMED CT) is not a neuroendocrine neoplasm",
                entry.ref,
            )
            return
        _read_morphology(ctx, entry, net, meanings, onset)
        return
    if not meanings:
        ctx.notes.add("not used: Condition code not in the mapping table", entry.ref)
        return
    for code, meaning in _named_site_first(meanings):
        _read_meaning(ctx, entry, code, meaning, onset)


def _named_site_first(
    meanings: list[tuple[Code, ConditionMeaning]],
) -> list[tuple[Code, ConditionMeaning]]:
    """One tumour coded twice in one Condition (ICD-10-CM C7A.098 "malignant carcinoid
    tumors of other sites" beside ICD-10 C25.4 "endocrine pancreas"): the code that names
    the site wins over the one that says "other site", and a code that says
    neuroendocrine makes the other a NET's too. Two named sites stay a conflict."""
    primary = [m for _, m in meanings if m.role is Role.PRIMARY and m.site is not None]
    named = [m for m in primary if m.site != "other"]
    if not named or len(named) == len(primary):
        return meanings
    specific = any(m.specific for m in primary)
    return [
        (code, replace(m, specific=m.specific or specific) if m in named else m)
        for code, m in meanings
        if not (m.role is Role.PRIMARY and m.site == "other")
    ]


def _of_a_neuroendocrine_primary(ctx: Context, entry: Entry) -> bool:
    """False (and noted) for a Condition linked to a primary cancer that is not
    neuroendocrine, or to one the bundle does not hold (mCODE
    relatedPrimaryCancerCondition): its metastases are not NET disease."""
    reference = related_primary(entry.resource)
    if reference is None or ctx.cancers is None:
        return True
    if not reference or not ctx.cancers.known(reference):
        ctx.issues.append(
            Issue(
                f"{entry.path}.extension",
                f"{entry.ref}: relatedPrimaryCancerCondition names a "
                f"Condition that is not in the bundle ({reference or 'no reference'}), so it "
                "cannot be shown to be a metastasis of a neuroendocrine neoplasm: set aside",
            )
        )
        return False
    if ctx.cancers.kind(reference) != "net":
        ctx.notes.add(
            "set aside: linked (relatedPrimaryCancerCondition) to a primary cancer "
            "that is not a neuroendocrine neoplasm",
            entry.ref,
        )
        return False
    return True


def _morphologies(resource: Mapping[str, Any]) -> Iterator[tuple[Code, Morphology]]:
    for concept in histology_concepts(resource):
        for system, code in codings(concept):
            morphology = None
            if system == ICDO3:
                morphology = icdo3_morphology(code)
            elif system == SNOMED:
                morphology = snomed_morphology(code)
            if morphology is not None:
                yield (system, code), morphology


def _meanings(resource: Mapping[str, Any]) -> Iterator[tuple[Code, ConditionMeaning]]:
    for system, code in codings(resource.get("code")):
        meaning = None
        if system in ICD10_SYSTEMS:
            meaning = icd10_meaning(system, code)
        elif system == SNOMED:
            meaning = snomed_condition_meaning(code)
        if meaning is not None:
            yield (system, code), meaning


def _body_sites(resource: Mapping[str, Any]) -> list[tuple[Code, str]]:
    found = []
    for system, code in codings_of_all(resource.get("bodySite")):
        site = None
        if system == ICDO3:
            site = topography(code)
        elif system == SNOMED:
            site = SNOMED_BODY_SITES.get(code)
        if site is not None:
            found.append(((system, code), site))
    return found


def codings_of_all(concepts: Any) -> Iterator[Code]:
    """The codings of a list of CodeableConcepts (``bodySite`` is 0..*)."""
    if isinstance(concepts, list):
        for concept in concepts:
            yield from codings(concept)


def _not_current(resource: Mapping[str, Any]) -> bool:
    """Inactive, in remission or resolved: by clinicalStatus, or abated (abatement[x])."""
    if any(key.startswith("abatement") for key in resource):
        return True
    return bool({code for _, code in codings(resource.get("clinicalStatus"))} & set(_NOT_CURRENT))


def _read_meaning(
    ctx: Context, entry: Entry, code: Code, meaning: ConditionMeaning, onset: When | None
) -> None:
    source = Source(entry.ref, entry.path, label(code))
    if meaning.role is Role.UNUSED:
        ctx.notes.add(f"not used: {meaning.why}", entry.ref)
    elif meaning.role is Role.LIVER_METASTASIS:
        _liver_metastasis(ctx, entry, source, onset)
    elif meaning.role is Role.EXTRAHEPATIC:
        assert meaning.site is not None
        _extrahepatic(ctx, entry, source, meaning.site)
    elif meaning.role is Role.INTRATHORACIC_NODES:
        if _not_current(entry.resource):
            ctx.notes.add("not counted: extrahepatic metastasis inactive or resolved", entry.ref)
        else:
            ctx.intrathoracic_nodes.append((source, onset))
    elif meaning.role is Role.SYNDROME:
        assert meaning.syndrome is not None
        ctx.add("primary.functional_syndrome", meaning.syndrome, source)
    elif meaning.role is Role.COMPLICATION:
        assert meaning.site is not None
        linked = _complication(ctx, entry, source, meaning.site, quiet=meaning.field is not None)
        if meaning.field is not None:
            _finding(ctx, entry, source, meaning.field, linked)
    elif meaning.role is Role.FINDING:
        assert meaning.field is not None
        _finding(ctx, entry, source, meaning.field)
    elif meaning.role is Role.HEREDITARY:
        # Germline: present for life, so clinicalStatus does not matter; its absence from
        # the record never means "no syndrome" (the list is only ever added to).
        assert meaning.syndrome is not None
        ctx.add("patient.hereditary_syndromes", meaning.syndrome, source)
    else:
        _primary(ctx, entry, source, meaning, onset)


def _liver_metastasis(ctx: Context, entry: Entry, source: Source, onset: When | None) -> None:
    ctx.liver_metastases.append((source, onset))
    # Its lobe (bodySite), for liver.bilobar, only while the metastasis is present disease.
    note_sides(ctx, entry, onset, study=False, current=not _not_current(entry.resource))


_DUE_TO = "http://hl7.org/fhir/StructureDefinition/condition-dueTo"


def _finding(ctx: Context, entry: Entry, source: Source, field: str, linked: bool = True) -> None:
    """Hepatic encephalopathy, ascites, portal vein thrombosis or biliary obstruction on
    the problem list: true while the Condition is current. One that is inactive, resolved
    or abated says nothing about today, and no Condition ever says "absent"."""
    if _not_current(entry.resource):
        ctx.notes.add(f"not used for {field}: Condition inactive, resolved or abated", entry.ref)
        return
    ctx.add(field, True, source)
    if not linked:
        ctx.notes.add(
            f"read as {field} only: not linked (extension condition-dueTo) to a "
            "neuroendocrine Condition, so not a complication of the primary",
            entry.ref,
        )


def _complication(
    ctx: Context, entry: Entry, source: Source, complication: str, *, quiet: bool = False
) -> bool:
    """A complication counts as the primary's only when the Condition says so: the FHIR
    core extension condition-dueTo referencing a neuroendocrine Condition of the record.
    False when it does not (noted unless ``quiet``: the caller says what it read instead)."""
    for extension in elements(entry.resource.get("extension")):
        if not isinstance(extension, Mapping) or extension.get("url") != _DUE_TO:
            continue
        value = extension.get("valueReference")
        reference = value.get("reference") if isinstance(value, Mapping) else None
        if (
            isinstance(reference, str)
            and ctx.cancers is not None
            and ctx.cancers.kind(reference) == "net"
        ):
            ctx.add("primary.complications", complication, source)
            return True
    if not quiet:
        ctx.notes.add(
            "not used: a complication not linked (extension condition-dueTo) to a "
            "neuroendocrine Condition of the record",
            entry.ref,
        )
    return False


def _extrahepatic(ctx: Context, entry: Entry, source: Source, site: str) -> None:
    if _not_current(entry.resource):
        ctx.notes.add("not counted: extrahepatic metastasis inactive or resolved", entry.ref)
        return
    ctx.add("extrahepatic.sites", site, source)
    ctx.add("extrahepatic.present", True, source)


def _primary(
    ctx: Context, entry: Entry, source: Source, meaning: ConditionMeaning, onset: When | None
) -> None:
    sites = [(source, meaning.site)] if meaning.site is not None else []
    for code, site in _body_sites(entry.resource):
        if site in _PRIMARY_SITES:
            sites.append((Source(entry.ref, entry.path, label(code)), site))
        elif site == "liver":
            ctx.notes.add("not used as the primary tumour: the bodySite is the liver", entry.ref)
            if not sites:
                return
    if not sites:
        ctx.primaries.append(PrimaryRecord(source, onset, meaning.specific, None))
    for site_source, site in sites:
        ctx.primaries.append(PrimaryRecord(site_source, onset, meaning.specific, site))
    if meaning.differentiation is not None:
        ctx.add("pathology.differentiation", meaning.differentiation, source)
    if meaning.nec_subtype is not None:
        ctx.add("pathology.nec_subtype", meaning.nec_subtype, source)


def _read_morphology(
    ctx: Context,
    entry: Entry,
    net: list[tuple[Code, Morphology]],
    meanings: list[tuple[Code, ConditionMeaning]],
    onset: When | None,
) -> None:
    for code, morphology in net:
        source = Source(entry.ref, entry.path, label(code))
        if morphology.behaviour == "6":
            _metastasis_by_site(ctx, entry, source, onset)
            continue
        if morphology.behaviour not in ("1", "3"):
            ctx.notes.add(
                "not used: ICD-O-3 behaviour is not malignant primary (/1, /3) or metastatic (/6)",
                entry.ref,
            )
            continue
        # The histology of a metastasis (code C78.7 …) describes the tumour, not the
        # primary site: it gives differentiation but no primary record.
        if not any(m.role in _SECONDARY_ROLES for _, m in meanings):
            _primary_from_morphology(ctx, entry, source, meanings, onset)
        if morphology.differentiation is not None:
            ctx.add("pathology.differentiation", morphology.differentiation, source)
        if morphology.nec_subtype is not None:
            ctx.add("pathology.nec_subtype", morphology.nec_subtype, source)
        if morphology.reported_grade is not None:
            ctx.add("pathology.reported_grade", morphology.reported_grade, source)
        if morphology.thoracic_grade is not None and _thoracic(entry, meanings):
            ctx.add("pathology.reported_grade", morphology.thoracic_grade, source)
        if morphology.syndrome is not None:
            ctx.add("primary.functional_syndrome", morphology.syndrome, source)
    for code, meaning in meanings:
        if meaning.role not in (Role.PRIMARY, Role.UNUSED):
            _read_meaning(ctx, entry, code, meaning, onset)


def _thoracic(entry: Entry, meanings: list[tuple[Code, ConditionMeaning]]) -> bool:
    """The Condition places its primary in the lung or thymus (and nowhere else)."""
    sites = {m.site for _, m in meanings if m.role is Role.PRIMARY and m.site is not None}
    sites |= {site for _, site in _body_sites(entry.resource) if site in _PRIMARY_SITES}
    return bool(sites) and sites <= {"lung", "thymus"}


def _primary_from_morphology(
    ctx: Context,
    entry: Entry,
    source: Source,
    meanings: list[tuple[Code, ConditionMeaning]],
    onset: When | None,
) -> None:
    """A neuroendocrine primary: every site code of the Condition counts as specific."""
    site_meanings = [(c, m) for c, m in meanings if m.role is Role.PRIMARY]
    if not site_meanings:
        _primary(ctx, entry, source, ConditionMeaning(Role.PRIMARY, specific=True), onset)
    for site_code, meaning in site_meanings:
        specific = replace(meaning, specific=True)
        _primary(ctx, entry, Source(entry.ref, entry.path, label(site_code)), specific, onset)


def _metastasis_by_site(ctx: Context, entry: Entry, source: Source, onset: When | None) -> None:
    """A metastatic morphology (/6): where it is comes from bodySite."""
    sites = _body_sites(entry.resource)
    if not sites:
        ctx.notes.add("not used: metastasis without a bodySite this mapping reads", entry.ref)
    for code, site in sites:
        where = Source(entry.ref, entry.path, f"{source.code}, {label(code)}")
        if site == "liver":
            _liver_metastasis(ctx, entry, where, onset)
        elif site == "intrathoracic_nodes":
            ctx.intrathoracic_nodes.append((where, onset))
        elif site == "nodes":
            ctx.notes.add(
                "not used: lymph-node metastases that may be regional or distant", entry.ref
            )
        elif site == "unknown_primary":
            ctx.notes.add("not used: metastasis without a known site", entry.ref)
        else:
            mapped = site if site in ("bone", "lung", "peritoneum", "distant_nodes") else "other"
            _extrahepatic(ctx, entry, where, mapped)
