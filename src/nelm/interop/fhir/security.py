"""Security labels (``meta.security``): what nelm does with restricted and sensitive data.

FHIR R4 "Security Labels" (https://hl7.org/fhir/R4/security-labels.html): a label attached
to a resource or a Bundle carries the policy that governs it, and "the recipient of
resources or bundles with security-tags is obligated to enforce the handling caveats of the
tags and carry the security labels forward as appropriate". nelm can carry a label forward,
but it cannot check a patient's consent or a user's authorisation, so:

* **Confidentiality U, L, M, N** (``v3-Confidentiality``: unrestricted, low, moderate,
  normal) ask nothing beyond ordinary clinical confidentiality: the resource is read and
  the label listed (``input_source.security``).
* **Confidentiality R** (restricted: "highly sensitive, potentially stigmatizing
  information", v3-Confidentiality) is read — the EHR released it to a user allowed to see
  it — and said first, naming the resources, so that the assessment, which now holds what
  they say, is shown and kept only where restricted data may be (the assessment's
  ``input_source.security.confidentiality`` is the highest level read, the label carried
  forward).
* **Test data and integrity marks** (``v3-ActReason`` HTEST; ``v3-ObservationValue``
  ANONYED, REDACTED, HRELIABLE, UNRELIABLE …, and AIAST "artificial intelligence
  asserted", the label of HL7's AI Transparency on FHIR IG) say how the data were made,
  not who may see them: the resource is read and the label listed. A resource read with
  AIAST is named in one data-quality line: what it says was asserted by an AI system, and
  the label does not say whether a clinician checked it.
* **Any other label** — confidentiality V (very restricted), a sensitivity policy
  (``v3-ActCode`` ETH, HIV, PSY, SUD …), a privacy law (42 CFR Part 2, ``v3-ActUSPrivacyLaw``
  or ``v3-ActCode`` ``42CFRPart2``), an obligation or a label nelm does not know — asks for
  a consent or a handling nelm cannot honour: the resource is **set aside** unread (as one
  with a modifierExtension is), what it holds stays unknown, and a warning first says so.

A label on the Bundle (or on a search's Bundle inside it) applies to every resource the
Bundle holds, and a label on a DiagnosticReport to the results it contains: a label is
never dropped because it was written one level up. Only codes and systems are shown
(never a label's free-text display), each made printable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nelm.interop.fhir.collect import Issue
from nelm.interop.fhir.context import Context
from nelm.interop.fhir.systems import elements
from nelm.interop.fhir.validate import MAPPED_TYPES, Entry
from nelm.text import printable

__all__ = ["Label", "SecurityLabels", "carry_labels", "read_security_labels"]

_CONFIDENTIALITY = frozenset(
    {
        "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
        "http://hl7.org/fhir/v3/Confidentiality",  # the address before THO (STU3 and early R4)
        "urn:oid:2.16.840.1.113883.5.25",
    }
)
# v3-Confidentiality from the least to the most restrictive: the assessment carries the
# highest level it read (the "high-water mark" of its inputs).
_LEVELS = ("U", "L", "M", "N", "R", "V")
_WORDS = {
    "U": "unrestricted",
    "L": "low",
    "M": "moderate",
    "N": "normal",
    "R": "restricted",
    "V": "very restricted",
}
# What the commonest set-aside labels mean, for the warning (any other is named by its code).
_KNOWN = {
    "42CFRPart2": "42 CFR Part 2 (substance use disorder records)",
    "Title38Section7332": "38 U.S.C. 7332",
    "HIPAAPsyNotes": "HIPAA psychotherapy notes",
    "ETH": "substance abuse information",
    "SUD": "substance use disorder information",
    "HIV": "HIV/AIDS information",
    "PSY": "psychiatry information",
    "PSYTHPN": "psychotherapy note",
    "BH": "behavioral health information",
    "MH": "mental health information",
    "SDV": "sexual assault, abuse or domestic violence information",
    "SEX": "sexuality and reproductive health information",
    "STD": "sexually transmitted disease information",
    "GDIS": "genetic disease information",
}
# Labels that restrict nothing and are read, listed like a confidentiality U–N: the purpose
# of use "test health data" (v3-ActReason HTEST, which HL7's own examples carry) and the
# integrity marks of v3-ObservationValue, which say how the data were prepared (anonymised,
# masked, pseudonymised, redacted, signed, how reliable, who asserted them) rather than who
# may see them (FHIR R4 "Security Labels": the integrity category). AIAST, "Artificial
# Intelligence asserted", is the provenance mark "an IT resource (data, or information
# object) was asserted by an Artificial Intelligence (e.g. Clinical Decision Support,
# Machine Learning, Algorithm)" (HL7 Terminology, CodeSystem v3-ObservationValue), which
# HL7's AI Transparency on FHIR IG puts on whatever an AI system wrote.
_ACT_REASON = frozenset(
    {"http://terminology.hl7.org/CodeSystem/v3-ActReason", "urn:oid:2.16.840.1.113883.5.8"}
)
_OBSERVATION_VALUE = frozenset(
    {
        "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
        "urn:oid:2.16.840.1.113883.5.1063",
    }
)
_INFORMATIONAL = {
    "HTEST": "test health data",
    "ANONYED": "anonymised",
    "MASKED": "masked",
    "PSEUDED": "pseudonymised",
    "REDACTED": "redacted",
    "CRYTOHASH": "cryptographic hash",
    "DIGSIG": "digital signature",
    "HRELIABLE": "highly reliable",
    "RELIABLE": "reliable",
    "UNCERTREL": "uncertain reliability",
    "UNRELIABLE": "unreliable",
    "AIAST": "asserted by artificial intelligence",
}
_AI_ASSERTED = "AIAST"
_MAX_SHOWN = 5
_MAX_CODE = 64


@dataclass(frozen=True, slots=True, order=True)
class Label:
    """One security label, as its system and code."""

    system: str
    code: str

    @property
    def confidentiality(self) -> str | None:
        """The v3-Confidentiality level, or None for a label of another kind."""
        # a trailing slash is the same system, as for every code system (systems.py)
        if self.system.rstrip("/") in _CONFIDENTIALITY and self.code in _LEVELS:
            return self.code
        return None

    @property
    def informational(self) -> bool:
        """True for a label that restricts nothing: test data, an integrity mark."""
        system = self.system.rstrip("/")
        if self.code == "HTEST":
            return system in _ACT_REASON
        return self.code in _INFORMATIONAL and system in _OBSERVATION_VALUE

    @property
    def read(self) -> bool:
        """True when nelm may read the resource (a confidentiality level up to R, or a
        label that restricts nothing)."""
        level = self.confidentiality
        return (level is not None and level != "V") or self.informational

    @property
    def ai_asserted(self) -> bool:
        """True for v3-ObservationValue AIAST: the data were asserted by an AI system."""
        return self.code == _AI_ASSERTED and self.informational

    def describe(self) -> str:
        level = self.confidentiality
        if level is not None:
            return f"{_WORDS[level]} ({level})"
        meaning = _INFORMATIONAL.get(self.code) if self.informational else _KNOWN.get(self.code)
        system = self.system.rstrip("/").rsplit("/", 1)[-1] or "no system"
        return f"{meaning} ({self.code}, {system})" if meaning else f"{self.code} ({system})"


@dataclass
class SecurityLabels:
    """The labels of one record: which resources were read with which, and which were set
    aside for them."""

    read: dict[str, set[Label]] = field(default_factory=dict)
    """Resource reference → its labels, for the resources read despite a label."""
    set_aside: dict[str, set[Label]] = field(default_factory=dict)
    """Resource reference → its labels, for the resources set aside for them."""

    def __bool__(self) -> bool:
        return bool(self.read or self.set_aside)

    def confidentiality(self, kept: Sequence[Entry]) -> str | None:
        """The highest confidentiality level among the resources read (``kept``)."""
        refs = {e.ref for e in kept}
        levels = {
            label.confidentiality
            for ref, labels in self.read.items()
            if ref in refs
            for label in labels
        }
        found = [level for level in _LEVELS if level in levels]
        return found[-1] if found else None

    def warnings(self, kept: Sequence[Entry]) -> list[str]:
        """What must be said first: restricted resources read (among ``kept``, the
        resources finally attributed to the patient), and resources set aside."""
        out = []
        refs = {e.ref for e in kept}
        restricted = sorted(
            ref
            for ref, labels in self.read.items()
            if ref in refs and any(label.confidentiality == "R" for label in labels)
        )
        if restricted:
            out.append(
                f"RESTRICTED DATA: {_count(restricted)} read for this assessment "
                f"{'carries' if len(restricted) == 1 else 'carry'} the security label "
                f"restricted (R) ({_shown(restricted)}). The assessment holds what they say: "
                "show and keep it only where the record's restricted data may be seen "
                "(FHIR R4 security labels are carried forward with what is derived from them)."
            )
        if self.set_aside:
            labels = sorted({label for found in self.set_aside.values() for label in found})
            one = len(self.set_aside) == 1
            # one resource reads "its label … asks", several "their labels … ask"
            out.append(
                f"SET ASIDE FOR THEIR SECURITY LABELS: {_count(self.set_aside)} "
                f"({_shown(sorted(self.set_aside))}) {'was' if one else 'were'} "
                f"not read: {'its' if one else 'their'} label{'' if len(labels) == 1 else 's'} ("
                + "; ".join(label.describe() for label in labels[:_MAX_SHOWN])
                + (f"; and {len(labels) - _MAX_SHOWN} more" if len(labels) > _MAX_SHOWN else "")
                + f") {'asks' if len(labels) == 1 else 'ask'} for a consent or an authorisation "
                f"nelm cannot check. What {'it holds' if one else 'they hold'} is unknown to "
                f"this assessment; review {'it' if one else 'them'} in the EHR."
            )
        return out

    def issues(self, kept: Sequence[Entry]) -> list[Issue]:
        """One data-quality line naming the resources read (among ``kept``, of the types
        nelm reads) that an AI system asserted (AIAST): the values are used, as any
        integrity mark's are, but whoever weighs them must know where they came from,
        and the label does not say whether a clinician checked them."""
        asserted = sorted(
            {
                e.ref
                for e in kept
                if e.resource_type in MAPPED_TYPES
                and any(label.ai_asserted for label in self.read.get(e.ref, ()))
            }
        )
        if not asserted:
            return []
        one = len(asserted) == 1
        return [
            Issue(
                "",
                f"asserted by artificial intelligence: {_count(asserted)} read for this "
                f"assessment ({_shown(asserted)}) {'carries' if one else 'carry'} the "
                "security label AIAST (v3-ObservationValue), so what "
                f"{'it says' if one else 'they say'} was asserted by an AI system, and the "
                "label does not say whether a clinician checked it: check it against the "
                "source before a decision turns on it",
                notice=True,
            )
        ]

    def summary(self, kept: Sequence[Entry]) -> dict[str, Any] | None:
        """``input_source.security``: the highest confidentiality read, every label with the
        number of resources read and set aside, and the references (the first 20)."""
        if not self:
            return None
        refs = {e.ref for e in kept}
        read = {ref: labels for ref, labels in self.read.items() if ref in refs}
        every = sorted(
            {label for labels in (*read.values(), *self.set_aside.values()) for label in labels}
        )
        return {
            "confidentiality": self.confidentiality(kept),
            "labels": [
                {
                    "system": label.system,
                    "code": label.code,
                    "meaning": label.describe(),
                    "read": sum(label in labels for labels in read.values()),
                    "set_aside": sum(label in labels for labels in self.set_aside.values()),
                }
                for label in every
            ],
            "read": sorted(read)[:20],
            "set_aside": sorted(self.set_aside)[:20],
        }


def _count(refs: Sequence[str] | Mapping[str, Any]) -> str:
    return f"{len(refs)} resource{'' if len(refs) == 1 else 's'}"


def _shown(refs: Sequence[str]) -> str:
    shown = ", ".join(refs[:_MAX_SHOWN])
    return shown + (f", and {len(refs) - _MAX_SHOWN} more" if len(refs) > _MAX_SHOWN else "")


def labels_of(resource: Any) -> set[Label]:
    """The labels of ``meta.security`` (codings with a code; anything else is no label)."""
    meta = resource.get("meta") if isinstance(resource, Mapping) else None
    found: set[Label] = set()
    for coding in elements(meta.get("security") if isinstance(meta, Mapping) else None):
        if not isinstance(coding, Mapping):
            continue
        code, system = coding.get("code"), coding.get("system")
        if isinstance(code, str) and code.strip():
            found.add(
                Label(
                    printable(system.strip())[:200] if isinstance(system, str) else "",
                    printable(code.strip())[:_MAX_CODE],
                )
            )
    return found


def carry_labels(resource: Mapping[str, Any], container: Mapping[str, Any]) -> Mapping[str, Any]:
    """``resource`` with the security labels of the Bundle it came in added to its own
    ``meta.security`` (a copy; the resource itself unchanged without any): whoever takes a
    resource out of its Bundle (the CDS Hooks prefetch, one search per key) keeps the
    Bundle's labels with it."""
    carried = [
        {"system": label.system, "code": label.code} if label.system else {"code": label.code}
        for label in sorted(labels_of(container))
    ]
    if not carried:
        return resource
    meta = resource.get("meta")
    meta = dict(meta) if isinstance(meta, Mapping) else {}
    own = meta.get("security")
    meta["security"] = [*(own if isinstance(own, list) else []), *carried]
    return {**resource, "meta": meta}


def _container(bundle: Mapping[str, Any], entry: Entry) -> set[Label]:
    """The labels of the search's Bundle an entry was read from (``_nested``), if any."""
    prefix = f"Bundle.entry[{entry.index}].resource.entry["
    if not entry.path.startswith(prefix):
        return set()
    raw = bundle.get("entry")
    if not isinstance(raw, list) or not 0 <= entry.index < len(raw):
        return set()
    outer = raw[entry.index]
    return labels_of(outer.get("resource")) if isinstance(outer, Mapping) else set()


def read_security_labels(
    ctx: Context, bundle: Mapping[str, Any], entries: Sequence[Entry]
) -> tuple[list[Entry], SecurityLabels]:
    """The entries nelm may read, and the record's labels; a resource with a label nelm
    cannot honour is set aside with a note (see the module's docstring)."""
    found = SecurityLabels()
    above = labels_of(bundle)
    own = {e.ref: labels_of(e.resource) for e in entries if not e.name}
    kept = []
    for entry in entries:
        labels = above | labels_of(entry.resource) | _container(bundle, entry)
        if entry.name:  # a result contained in a report carries the report's labels too
            labels |= own.get(entry.name.split("#", 1)[0], set())
        if not labels:
            kept.append(entry)
        elif all(label.read for label in labels):
            found.read[entry.ref] = labels
            kept.append(entry)
        else:
            found.set_aside[entry.ref] = labels
            ctx.notes.add(
                "set aside: a security label asks for a consent or an authorisation nelm "
                "cannot check (FHIR R4 security labels)",
                entry.ref,
            )
    return kept, found
