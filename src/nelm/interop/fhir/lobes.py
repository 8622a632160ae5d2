"""``liver.bilobar`` from where liver lesions lie: the right and the left lobe.

A liver lesion is placed on a side by a SNOMED CT body structure of
``nelm.interop.fhir.codes.LIVER_SIDES`` (the right or left lobe, Couinaud segments II–III
left, V–VIII right; segments I and IV are on no side, the two meanings of "lobe" disagree
there). The code is read from

* ``bodySite`` of a liver-metastasis Condition (ICD-10 C78.7, ICD-10-CM C7B.02, SNOMED CT
  94381002, or a metastatic /6 morphology placed in the liver) whose clinicalStatus is
  current (a resolved or inactive metastasis is not present disease), and of an mCODE
  Tumor Size Observation in the liver (imaging.py);
* the ``location`` of a BodyStructure that such a resource names: through the FHIR core
  extension ``http://hl7.org/fhir/StructureDefinition/bodySite`` on its ``bodySite``, or
  (an Observation) through ``focus``. The BodyStructure must be in the bundle (or
  contained) and about the same patient, active and without a modifierExtension; other
  BodyStructures are set aside, noted.

Lesions in both lobes *at the same time* give ``liver.bilobar: true``, with a note naming
the resources: lesions measured in one imaging study (one calendar day; a month or a
year is no one study), current Conditions (dated by the later of the two onsets, or
undated when an onset is missing), or a study and current Conditions whose onset is not
after the study. The finding is
dated, so a later explicit ``liver-bilobar`` false (after a hepatectomy, say) wins, and an
earlier one gives way; two undated or same-day statements that disagree leave the field
unknown with a data-quality issue (collect.py).

Lesions in one lobe only never give ``false``: a lobe without a coded lesion is not
evidence that it has none (a report codes the lesions it measures, not all of them). That
is noted, and the field stays unknown unless another resource states it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from nelm.interop.fhir.codes import LIVER_SIDES
from nelm.interop.fhir.collect import Finding, LobeSite, Source
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.dates import When
from nelm.interop.fhir.systems import SNOMED, codings, elements, reference_target
from nelm.interop.fhir.validate import Entry

__all__ = ["BODY_SITE_EXTENSION", "bilobar_findings", "note_sides", "site_concepts"]

BODY_SITE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/bodySite"
_FIELD = "liver.bilobar"
_SIDES = ("right", "left")


def site_concepts(ctx: Context, entry: Entry) -> list[Any]:
    """The CodeableConcepts that say where the lesion of ``entry`` lies: its bodySite
    (one, or a list) and the location of each BodyStructure it names (bodySite extension,
    an Observation's focus) that is usable (``_body_structure``)."""
    resource = entry.resource
    body_site = resource.get("bodySite")
    concepts = list(body_site) if isinstance(body_site, list) else [body_site]
    references = [
        extension.get("valueReference")
        for concept in concepts
        if isinstance(concept, Mapping)
        for extension in elements(concept.get("extension"))
        if isinstance(extension, Mapping) and extension.get("url") == BODY_SITE_EXTENSION
    ]
    if entry.resource_type == "Observation":
        references += list(elements(resource.get("focus")))
    for holder in references:
        reference = holder.get("reference") if isinstance(holder, Mapping) else None
        if isinstance(reference, str):
            structure = _body_structure(ctx, entry, reference)
            if structure is not None:
                concepts.append(structure.get("location"))
    return [c for c in concepts if isinstance(c, Mapping)]


def _body_structure(ctx: Context, entry: Entry, reference: str) -> Mapping[str, Any] | None:
    """The BodyStructure ``reference`` names, when it may be read for this patient."""
    structure = _find(ctx, entry, reference)
    if structure is None:
        return None
    why = ""
    if structure.get("modifierExtension"):
        why = "it has a modifierExtension nelm does not understand"
    elif structure.get("active") is False:
        why = "it is not active (BodyStructure.active false)"
    elif not _same_patient(_reference(structure.get("patient")), _subject(entry.resource)):
        why = "it does not name the same patient as the resource that refers to it"
    if why:
        ctx.notes.add(f"BodyStructure {reference} not read: {why}", entry.ref)
        return None
    return structure


def _find(ctx: Context, entry: Entry, reference: str) -> Mapping[str, Any] | None:
    if reference.startswith("#"):
        # A local reference: contained in this resource or, for an Observation contained
        # in a DiagnosticReport, in the report that contains both.
        holders = [entry.resource] + [
            e.resource for e in ctx.entries if e.index == entry.index and not e.where
        ]
        for holder in holders:
            for contained in elements(holder.get("contained")):
                if (
                    isinstance(contained, Mapping)
                    and contained.get("resourceType") == "BodyStructure"
                    and contained.get("id") == reference[1:]
                ):
                    return contained
        return None
    for candidate in ctx.entries:
        if candidate.resource_type != "BodyStructure":
            continue
        if reference in (candidate.ref, candidate.full_url) or reference.endswith(
            "/" + candidate.ref
        ):
            return candidate.resource
    return None


def _reference(holder: Any) -> str | None:
    reference = holder.get("reference") if isinstance(holder, Mapping) else None
    return reference.strip() if isinstance(reference, str) and reference.strip() else None


def _subject(resource: Mapping[str, Any]) -> str | None:
    return _reference(resource.get("subject")) or _reference(resource.get("patient"))


def _same_patient(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    if a == b:
        return True
    ka, kb = reference_target(a), reference_target(b)
    return ka is not None and ka[0] == "Patient" and ka == kb


def _sides(ctx: Context, entry: Entry) -> Iterator[tuple[str, str]]:
    """(side, code read) for each body structure of ``entry`` that lies on a side."""
    for concept in site_concepts(ctx, entry):
        for system, code in codings(concept):
            side = LIVER_SIDES.get(code) if system == SNOMED else None
            if side is not None:
                yield side, f"SNOMED CT {code}"


def note_sides(
    ctx: Context, entry: Entry, when: When | None, *, study: bool, current: bool = True
) -> None:
    """Record the sides of the liver where ``entry`` places a lesion.

    ``study``: an imaging observation, dated by its study; else a Condition, read only
    when ``current`` (a resolved or inactive metastasis is not present disease)."""
    found = list(dict.fromkeys(_sides(ctx, entry)))
    if found and not current:
        ctx.notes.add(
            f"not used for {_FIELD}: the liver metastasis is inactive or resolved", entry.ref
        )
        return
    for side, code in found:
        ctx.liver_sides.append(LobeSite(side, Source(entry.ref, entry.path, code), when, study))


def bilobar_findings(ctx: Context) -> list[Finding]:
    """``liver.bilobar: true`` when lesions lie in both lobes at the same time."""
    sites = ctx.liver_sides
    if not sites:
        return []
    undated = [s for s in sites if s.study and not _one_day(s.when)]
    for site in undated:
        ctx.notes.add(
            f"not used for {_FIELD}: an imaging lesion site without a date to the day "
            "cannot be placed in a study",
            site.source.ref,
        )
    conditions = [s for s in sites if not s.study]
    candidates: list[tuple[list[LobeSite], When | None]] = []
    if {s.side for s in conditions} >= set(_SIDES):
        candidates.append((conditions, _both_by(conditions)))
    studies: dict[dt.date, list[LobeSite]] = {}
    for site in sites:
        if site.study and site.when is not None and site not in undated:
            studies.setdefault(site.when.first_day, []).append(site)
    for measured in studies.values():
        study_end = max(m.when.end for m in measured if m.when is not None)
        # A current Condition shows its lesion on the study day when its onset is over by
        # then (it has been present since, and still is).
        present = measured + [
            c for c in conditions if c.when is not None and c.when.end <= study_end
        ]
        if {s.side for s in present} >= set(_SIDES):
            candidates.append((present, measured[0].when))
    if not candidates:
        seen = sorted({s.side for s in sites if s not in undated}, key=_SIDES.index)
        if len(seen) == 1:
            ctx.notes.add(
                f"{_FIELD} not set: liver lesions are coded in the {seen[0]} lobe only "
                f"({_refs(sites)}); a lobe without a coded lesion is not evidence that it "
                "has none"
            )
        elif seen:
            ctx.notes.add(
                f"{_FIELD} not set: lesions of the right and left lobes are not shown at "
                f"the same time (different studies, or undated Conditions and a study: "
                f"{_refs(sites)})"
            )
        return []
    dated = [c for c in candidates if c[1] is not None]
    chosen = [c for c in candidates if c[1] is None]
    if dated:
        chosen.append(max(dated, key=lambda c: c[1].start if c[1] is not None else dt.datetime.min))
    return [_finding(ctx, present, when) for present, when in chosen]


def _one_day(when: When | None) -> bool:
    """A time to the day (a date or a dateTime), not a month or a year."""
    return when is not None and when.end - when.start < dt.timedelta(days=1)


def _both_by(conditions: list[LobeSite]) -> When | None:
    """When both sides are shown by current Conditions: the later of each side's earliest
    onset; None when a side has no dated Condition."""
    earliest = []
    for side in _SIDES:
        dated = [c.when for c in conditions if c.side == side and c.when is not None]
        if not dated:
            return None
        earliest.append(min(dated, key=lambda w: w.start))
    return max(earliest, key=lambda w: w.end)


def _finding(ctx: Context, present: list[LobeSite], when: When | None) -> Finding:
    by_side = {side: [s for s in present if s.side == side] for side in _SIDES}
    described = "; ".join(
        f"{side} lobe: "
        + ", ".join(dict.fromkeys(f"{s.source.ref} ({s.source.code})" for s in by_side[side]))
        for side in _SIDES
    )
    day = f" on {when.first_day.isoformat()}" if when is not None else " (undated Conditions)"
    ctx.notes.add(f"{_FIELD} true: liver lesions in both lobes{day} — {described}")
    refs = ", ".join(dict.fromkeys(s.source.ref for s in present))
    codes = ", ".join(dict.fromkeys(f"{s.side} {s.source.code}" for s in present))
    return Finding(_FIELD, True, Source(refs, present[-1].source.path, codes), when)


def _refs(sites: list[LobeSite]) -> str:
    return ", ".join(dict.fromkeys(s.source.ref for s in sites))
