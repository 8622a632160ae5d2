"""What the case stored from a CDS Hooks call keeps of the EHR's resources.

The stored case never carries the EHR's resource ids: its case id is a hash of the
patient id so that the EHR's identifiers are not written into nelm's case ids, audit log
or logs (``nelm.web.cds``, docs/cds-hooks.md). A resource's *type* identifies no one, and
the board still needs to tell a value the record gave from one a colleague typed
(``value_sources``, docs/case-v1-additions.md "Where a value came from"): so each value's
source keeps the resource type and the code it was read by, without the id —
"Observation via CDS Hooks (LOINC 1975-2)" where a record's import reads
"Observation/bili-0001 (LOINC 1975-2)".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nelm.case.value_sources import SOURCE_MAX_CHARS

__all__ = ["sources_without_ids", "without_resource_ids"]

_RESOURCE_ID = re.compile(
    r"\b(?P<kind>[A-Z][A-Za-z]{1,40})/[A-Za-z0-9\-.]{1,64}(?:/_history/[A-Za-z0-9\-.]{1,64})?"
    r"(?P<more> (?=[a-z]))?"
)

_REF = r"[A-Z][A-Za-z]{1,40}/[^\s,;()]+"
# any text after the type's slash is taken for the id: a longer or odd id than FHIR allows
# must not slip through into the stored case either
_HEAD = re.compile(rf"^{_REF}(?:, {_REF})*")
"""The resources a source begins with: "Condition/livermet-0001, Condition/primary-0001"."""
_ANY_REF = re.compile(r"\b([A-Z][A-Za-z]{1,40})/[^\s,;()]+")

VIA = "via CDS Hooks"


def without_resource_ids(text: str) -> str:
    """A record's words without the EHR's resource ids: "Patient/3af3… deceasedDateTime
    1971-10-01" is kept as "the Patient resource: deceasedDateTime 1971-10-01"."""
    return _RESOURCE_ID.sub(
        lambda m: f"the {m['kind']} resource" + (": " if m["more"] else ""), text
    )


def _part(part: str) -> str:
    """ "Observation/c1 (LOINC 2160-0)" → "Observation via CDS Hooks (LOINC 2160-0)";
    "Condition/a, Condition/b (onset dates)" → "Condition via CDS Hooks (onset dates)"; any
    other id in the words after the resources is left out too."""
    head = _HEAD.match(part)
    if head is None:
        return _ANY_REF.sub(lambda m: f"the {m[1]} resource", part)
    kinds = dict.fromkeys(ref.split("/", 1)[0] for ref in head[0].split(", "))
    rest = _ANY_REF.sub(lambda m: f"the {m[1]} resource", part[head.end() :])
    return f"{', '.join(kinds)} {VIA}{rest}"


def _source(provenance: str) -> str:
    parts = list(dict.fromkeys(_part(p.strip()) for p in provenance.split("; ") if p.strip()))
    text = "; ".join(parts)
    if len(text) <= SOURCE_MAX_CHARS:
        return text
    # many results behind one value: their types alone (a source names, it does not list)
    kinds = dict.fromkeys(p.split(" (", 1)[0] for p in parts)
    return "; ".join(kinds)[:SOURCE_MAX_CHARS]


def sources_without_ids(provenance: Mapping[str, str]) -> dict[str, str]:
    """Field path → the resource type (and code) its value came from, for the stored case:
    the assessment's ``input_source.provenance`` without the EHR's resource ids."""
    return {
        path: source
        for path, text in provenance.items()
        if isinstance(text, str) and (source := _source(text))
    }
