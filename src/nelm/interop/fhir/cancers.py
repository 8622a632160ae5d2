"""Which cancer a record is about: a neuroendocrine neoplasm, or another primary cancer.

nelm assesses liver metastases of a *neuroendocrine* neoplasm. A record of a breast or
lung adenocarcinoma with liver metastases must not be assessed as NET disease, so:

* each confirmed Condition is classed as ``net`` (ICD-10-CM C7A/C7B, ICD-10 C25.4, carcinoid
  syndrome, a neuroendocrine ICD-O-3 or SNOMED CT morphology, also in the mCODE or MII
  histology extension), ``other`` (a morphology that is not
  neuroendocrine, or an mCODE primary cancer condition with no neuroendocrine code) or
  neither;
* a metastasis linked by the mCODE ``relatedPrimaryCancerCondition`` extension counts
  only when the primary it names is neuroendocrine (a link to another cancer, or to a
  Condition that is not in the bundle, sets the metastasis aside);
* a record with no neuroendocrine diagnosis at all is assessed with the tumour fields left
  unknown and a warning (:data:`NET_SECTIONS`);
* a record with a neuroendocrine neoplasm *and* another cancer counts the metastases that
  name no primary as the neuroendocrine neoplasm's (a patient treated for a breast cancer
  years ago is still assessed), with a warning that they may be the other cancer's
  (:func:`unlinked_metastases_warning`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal

from nelm.interop.fhir.codes import (
    Role,
    icd10_meaning,
    icdo3_morphology,
    snomed_condition_meaning,
    snomed_morphology,
)
from nelm.interop.fhir.systems import (
    ICD10_SYSTEMS,
    ICDO3,
    SNOMED,
    Code,
    codings,
    elements,
    normalize_icd10,
)
from nelm.interop.fhir.validate import Entry

__all__ = [
    "NET_SECTIONS",
    "CancerIndex",
    "Kind",
    "condition_kind",
    "histology_concepts",
    "listed",
    "related_primary",
    "unlinked_metastases_warning",
]

Kind = Literal["net", "other"]

NET_SECTIONS = ("primary", "pathology", "imaging", "liver", "extrahepatic", "course")
"""Case sections about the neuroendocrine tumour and its treatment: left unknown when the
record shows no neuroendocrine neoplasm (age, sex, performance status, laboratory values
and liver anatomy describe the patient and are kept)."""

# The histology of a cancer Condition, as an extension: mCODE's
# (…/mcode-histology-morphology-behavior, SNOMED CT or ICD-O-3) and the German
# Medizininformatik-Initiative oncology module's (…/mii-ex-onko-histology-morphology-behavior-icdo3,
# ICD-O-3; MII Kerndatensatz-Modul Onkologie 2026, where German records keep the morphology
# that tells a NET from an adenocarcinoma of the same ICD-10-GM site code).
_HISTOLOGY_EXTENSIONS = ("histology-morphology-behavior", "histology-morphology-behavior-icdo3")
_RELATED_PRIMARY = "mcode-related-primary-cancer-condition"
_MCODE_PRIMARY = "mcode-primary-cancer-condition"
_NOT_VALID = frozenset({"refuted", "entered-in-error"})


def histology_concepts(resource: Mapping[str, Any]) -> Iterator[Any]:
    """``Condition.code`` and the value of every histology extension (mCODE, MII)."""
    yield resource.get("code")
    for extension in elements(resource.get("extension")):
        url = extension.get("url") if isinstance(extension, Mapping) else None
        if isinstance(url, str) and url.endswith(_HISTOLOGY_EXTENSIONS):
            yield extension.get("valueCodeableConcept")


def related_primary(resource: Mapping[str, Any]) -> str | None:
    """The reference of the mCODE relatedPrimaryCancerCondition extension, if any."""
    for extension in elements(resource.get("extension")):
        url = extension.get("url") if isinstance(extension, Mapping) else None
        if isinstance(url, str) and url.endswith(_RELATED_PRIMARY):
            value = extension.get("valueReference")
            reference = value.get("reference") if isinstance(value, Mapping) else None
            return reference.strip() if isinstance(reference, str) else ""
    return None


def _code_kind(code: Code) -> Kind | None:
    system, value = code
    if system in ICD10_SYSTEMS:
        meaning = icd10_meaning(system, value)
        if normalize_icd10(value).startswith("C7B") or (
            meaning is not None and (meaning.specific or meaning.role is Role.SYNDROME)
        ):
            return "net"
    elif system == SNOMED:
        morphology = snomed_morphology(value)
        if morphology is not None:
            return "net" if morphology.neuroendocrine else "other"
        meaning = snomed_condition_meaning(value)
        # A carcinoid syndrome is a NET's; a hereditary syndrome (MEN1) is not a tumour.
        if meaning is not None and (meaning.role is Role.SYNDROME or meaning.specific):
            return "net"
    elif system == ICDO3:
        icdo = icdo3_morphology(value)
        if icdo is not None:
            return "net" if icdo.neuroendocrine else "other"
    return None


def condition_kind(resource: Mapping[str, Any]) -> Kind | None:
    """``net``, ``other`` or None (not a cancer code read here, or not confirmed)."""
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & _NOT_VALID:
        return None
    kinds = {
        _code_kind(code) for concept in histology_concepts(resource) for code in codings(concept)
    }
    if "net" in kinds:
        return "net"
    if "other" in kinds:
        return "other"
    meta = resource.get("meta")
    profiles = meta.get("profile") if isinstance(meta, Mapping) else None
    if isinstance(profiles, list) and any(
        isinstance(p, str) and _MCODE_PRIMARY in p for p in profiles
    ):
        return "other"  # an mCODE primary cancer with no neuroendocrine code
    return None


class CancerIndex:
    """The class of every Condition of the record, by every name it can be referenced by."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self._kinds: dict[str, Kind | None] = {}
        self.neuroendocrine = False
        self.others: list[str] = []
        """The other cancers, each as its reference and what the record calls it."""
        self.by_site_only: list[str] = []
        """Cancers coded by their site alone (an ICD-10 malignancy code, no histology): the
        record does not say whether they are neuroendocrine, named the same way."""
        for entry in entries:
            if entry.resource_type != "Condition":
                continue
            kind = condition_kind(entry.resource)
            self.neuroendocrine = self.neuroendocrine or kind == "net"
            if kind == "other":
                self.others.append(_named(entry))
            elif kind is None and _malignancy_by_site(entry.resource):
                self.by_site_only.append(_named(entry))
            for name in (entry.ref, entry.full_url):
                if name:
                    self._kinds[name] = kind

    def known(self, reference: str) -> bool:
        return reference in self._kinds or _tail(reference) in self._kinds

    def kind(self, reference: str) -> Kind | None:
        if reference in self._kinds:
            return self._kinds[reference]
        return self._kinds.get(_tail(reference))


def _malignancy_by_site(resource: Mapping[str, Any]) -> bool:
    """A confirmed Condition whose code is an ICD-10 malignant neoplasm (chapter II, C00-C97)
    and that says nothing of its histology: a rectal or gastric cancer coded so may be a
    NET or an adenocarcinoma, and the record does not say which."""
    verification = {code for _, code in codings(resource.get("verificationStatus"))}
    if verification & _NOT_VALID:
        return False
    return any(
        system in ICD10_SYSTEMS
        and normalize_icd10(value).startswith("C")
        # C77-C79 are secondary neoplasms (the metastases, not a primary); C7A/C7B are the
        # neuroendocrine codes of ICD-10-CM, read as such before this
        and not normalize_icd10(value).startswith(("C77", "C78", "C79", "C7A", "C7B"))
        for system, value in codings(resource.get("code"))
    )


def _named(entry: Entry) -> str:
    """``Condition/c1 (Adenocarcinoma of lung)``: the reference and the record's own name
    for it (the text or first display of its code or histology), cut to 80 characters."""
    for concept in histology_concepts(entry.resource):
        if not isinstance(concept, Mapping):
            continue
        names = [concept.get("text")] + [
            c.get("display") for c in elements(concept.get("coding")) if isinstance(c, Mapping)
        ]
        name = next((" ".join(n.split()) for n in names if isinstance(n, str) and n.strip()), "")
        if name:
            return f"{entry.ref} ({name[:77] + '…' if len(name) > 80 else name})"
    return entry.ref


def _tail(reference: str) -> str:
    """``https://x/fhir/Condition/1/_history/2`` → ``Condition/1``."""
    parts = reference.split("/_history/")[0].rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else reference


def listed(named: Sequence[str]) -> str:
    """Named Conditions as a warning lists them: the first three, and how many more."""
    more = f"; and {len(named) - 3} more" if len(named) > 3 else ""
    return "; ".join(named[:3]) + more


def unlinked_metastases_warning(
    cancers: CancerIndex, entries: Sequence[Entry], metastases: Iterable[str]
) -> str | None:
    """The warning for a record of a neuroendocrine neoplasm and another cancer whose
    counted metastases (``metastases``: the references they were read from) do not all
    name their primary; None when there is nothing to say. A metastasis linked to the
    other cancer was never counted (``nelm.interop.fhir.conditions``)."""
    if not cancers.neuroendocrine or not cancers.others:
        return None
    # linked: by the mCODE extension, or by its own code (C7B "secondary carcinoid tumors")
    linked = {
        name
        for entry in entries
        if entry.resource_type == "Condition"
        and (related_primary(entry.resource) or condition_kind(entry.resource) == "net")
        for name in (entry.ref, entry.full_url)
        if name
    }
    unlinked = [ref for ref in dict.fromkeys(metastases) if ref not in linked]
    if not unlinked:
        return None
    others = listed(cancers.others)
    shown = ", ".join(unlinked[:3]) + (
        f" and {len(unlinked) - 3} more" if len(unlinked) > 3 else ""
    )
    return (
        f"ANOTHER CANCER IN THE RECORD: besides the neuroendocrine neoplasm the record holds "
        f"{others}. The metastases read from {shown} name no primary (mCODE "
        "relatedPrimaryCancerCondition) and are counted as the neuroendocrine neoplasm's; "
        "they may be the other cancer's: check which cancer they come from (a biopsy of a "
        "metastasis tells) before acting on the liver and extrahepatic findings."
    )
