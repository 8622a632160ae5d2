"""Synthetic FHIR R4 test bundles: clearly fake patients with plausible NET findings.

``make_bundle(seed)`` is deterministic per seed. Every patient is named
"Synthetic Patient NNNN", carries a ``.invalid`` identifier and the ``synthetic`` tag of
the project code system; no value comes from a real person. Keyword overrides replace
any field of :class:`SyntheticCase` (``make_bundle(3, primary_site="rectum")``); an
unknown keyword raises TypeError.

The small ``*_resource`` builders are used by the tests to write one-off bundles.

Regenerate the saved examples with ``python -m nelm.interop.fhir.synthetic DIRECTORY``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nelm.interop.fhir.systems import (
    ATC,
    CPT,
    ICD10,
    ICDO3,
    LOINC,
    NELM_MEDICATION,
    NELM_OBSERVATION,
    NELM_PROCEDURE,
    NELM_TAG,
    SNOMED,
    UCUM,
)
from nelm.interop.fhir.units import KINDS

__all__ = [
    "REFERENCE_DATE",
    "SyntheticCase",
    "bundle_of",
    "condition_resource",
    "fixture_bundles",
    "make_bundle",
    "make_case",
    "medication_statement_resource",
    "observation_resource",
    "patient_resource",
    "procedure_resource",
    "quantity",
    "resources_as_exported",
]

REFERENCE_DATE = dt.date(2025, 1, 15)
"""The 'today' of every synthetic bundle: results are dated shortly before it."""

_NAMESPACE = uuid.UUID("6f1c1a3e-9a54-4f55-8a0e-7a1e5c0e0001")
MCODE_MORPHOLOGY = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
)

# site → (ICD-10 code, ICD-O-3 topography)
_SITES = {
    "pancreas": ("C25.4", "C25.0"),
    "small_intestine": ("C17.2", "C17.2"),
    "duodenum": ("C17.0", "C17.0"),
    "stomach": ("C16.9", "C16.9"),
    "appendix": ("C18.1", "C18.1"),
    "colon": ("C18.7", "C18.7"),
    "rectum": ("C20", "C20.9"),
    "lung": ("C34.1", "C34.1"),
    "unknown_primary": ("C80.0", "C80.9"),
}
_SECONDARY = {"bone": "C79.5", "lung": "C78.0", "distant_nodes": "C77.0", "peritoneum": "C78.6"}


@dataclass(frozen=True)
class SyntheticCase:
    """Everything a synthetic bundle says, in case-v1 units."""

    number: int
    birth_date: dt.date
    gender: str
    primary_site: str
    primary_onset: dt.date
    liver_onset: dt.date
    morphology: str  # ICD-O-3, e.g. "8240/3"
    grade: str | None  # SNOMED CT grade finding, or None
    ki67_percent: float
    mitoses_per_2mm2: float
    ecog: int
    bilirubin_mg_dl: float
    albumin_g_dl: float
    creatinine_mg_dl: float
    egfr_ml_min: float
    ldh_u_l: float
    ast_u_l: float
    platelets_per_ul: int
    hemoglobin_g_dl: float
    wbc_per_ul: int
    sstr_positive: bool
    fdg_positive: bool
    krenning_score: int
    tumor_burden_percent: float
    lesion_count: int
    largest_lesion_cm: float
    extrahepatic_sites: tuple[str, ...]
    prior_whipple: bool
    prior_treatments: tuple[str, ...]
    si_units: bool = False
    reference_date: dt.date = REFERENCE_DATE

    @property
    def name(self) -> str:
        return f"Synthetic Patient {self.number:04d}"

    @property
    def synchronous(self) -> bool:
        return (self.liver_onset - self.primary_onset).days <= 90

    @property
    def differentiation(self) -> str:
        return "poor" if self.morphology in ("8246/3", "8041/3", "8013/3") else "well"


def make_case(seed: int, **overrides: Any) -> SyntheticCase:
    """The synthetic case for ``seed``, with ``overrides`` applied."""
    rng = random.Random(seed)
    ref = overrides.get("reference_date", REFERENCE_DATE)
    birth = dt.date(rng.randint(1945, 1985), rng.randint(1, 12), rng.randint(1, 28))
    site = rng.choice(
        [
            "pancreas",
            "pancreas",
            "small_intestine",
            "small_intestine",
            "duodenum",
            "stomach",
            "appendix",
            "colon",
            "rectum",
            "lung",
            "unknown_primary",
        ]
    )
    primary_onset = ref - dt.timedelta(days=rng.randint(120, 2400))
    synchronous = rng.random() < 0.6
    delay = rng.randint(0, 60) if synchronous else rng.randint(240, 1400)
    liver_onset = min(primary_onset + dt.timedelta(days=delay), ref - dt.timedelta(days=30))
    grade_draw = rng.random()
    if grade_draw < 0.4:
        morphology, grade, ki67 = "8240/3", "54102005", round(rng.uniform(0.5, 2.9), 1)
    elif grade_draw < 0.85:
        morphology, grade, ki67 = "8249/3", "1663004", round(rng.uniform(3, 20), 1)
    elif grade_draw < 0.93:
        morphology, grade, ki67 = "8249/3", None, round(rng.uniform(21, 45), 1)
    else:
        morphology, grade, ki67 = "8246/3", None, round(rng.uniform(30, 90), 1)
    well = morphology != "8246/3"
    sstr = rng.random() < (0.9 if well else 0.3)
    treatments = sorted(
        {
            rng.choice(
                [
                    "ssa",
                    "ssa",
                    "everolimus",
                    "sunitinib",
                    "tace",
                    "liver_resection",
                    "prrt",
                    "cabozantinib",
                ]
            )
            for _ in range(rng.randint(0, 3))
        }
    )
    case = SyntheticCase(
        number=seed,
        birth_date=birth,
        gender=rng.choice(["female", "male"]),
        primary_site=site,
        primary_onset=primary_onset,
        liver_onset=liver_onset,
        morphology=morphology,
        grade=grade,
        ki67_percent=ki67,
        mitoses_per_2mm2=round(rng.uniform(0, 2) if ki67 < 3 else rng.uniform(2, 20), 1),
        ecog=rng.choice([0, 0, 1, 1, 2]),
        bilirubin_mg_dl=round(rng.uniform(0.3, 1.8), 2),
        albumin_g_dl=round(rng.uniform(3.0, 4.8), 1),
        creatinine_mg_dl=round(rng.uniform(0.6, 1.4), 2),
        egfr_ml_min=float(rng.randint(45, 110)),
        ldh_u_l=float(rng.randint(140, 420)),
        ast_u_l=float(rng.randint(15, 90)),
        platelets_per_ul=rng.randint(130, 380) * 1000,
        hemoglobin_g_dl=round(rng.uniform(10.5, 15.5), 1),
        wbc_per_ul=rng.randint(38, 110) * 100,
        sstr_positive=sstr,
        fdg_positive=ki67 > 10 or rng.random() < 0.15,
        krenning_score=rng.randint(2, 4) if sstr else rng.randint(0, 1),
        tumor_burden_percent=float(rng.randint(3, 60)),
        lesion_count=rng.randint(1, 20),
        largest_lesion_cm=round(rng.uniform(1.0, 11.0), 1),
        extrahepatic_sites=tuple(sorted({rng.choice(list(_SECONDARY))}))
        if rng.random() < 0.3
        else (),
        prior_whipple=site in ("pancreas", "duodenum") and rng.random() < 0.3,
        prior_treatments=tuple(treatments),
    )
    return dataclasses.replace(case, **overrides)


def make_bundle(seed: int, **overrides: Any) -> dict[str, Any]:
    """A synthetic FHIR R4 collection Bundle (JSON object) for ``seed``."""
    return _Builder(make_case(seed, **overrides)).bundle()


# --------------------------------------------------------------------------- builders


def quantity(value: float, code: str, unit: str | None = None) -> dict[str, Any]:
    """A UCUM Quantity."""
    return {"value": value, "unit": unit or code, "system": UCUM, "code": code}


def _concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def patient_resource(
    rid: str,
    *,
    gender: str | None = "female",
    birth_date: str | None = "1960-03-14",
    name: str = "Synthetic Patient 0000",
    identifier: str = "SYN-0000",
) -> dict[str, Any]:
    given, family = name.split(" ", 1) if " " in name else (name, name)
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": rid,
        "meta": {"tag": [{"system": NELM_TAG, "code": "synthetic"}]},
        "identifier": [{"system": "https://nelm.invalid/fhir/synthetic-mrn", "value": identifier}],
        "name": [{"text": name, "family": family, "given": [given]}],
    }
    if gender is not None:
        resource["gender"] = gender
    if birth_date is not None:
        resource["birthDate"] = birth_date
    return resource


def observation_resource(
    rid: str,
    system: str,
    code: str,
    *,
    status: str = "final",
    subject: str | None = "Patient/p",
    effective: str | None = None,
    **value: Any,
) -> dict[str, Any]:
    """An Observation; ``value`` holds ``valueQuantity=…``, ``valueBoolean=…`` etc."""
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rid,
        "status": status,
        "code": _concept(system, code),
    }
    if subject is not None:
        resource["subject"] = {"reference": subject}
    if effective is not None:
        resource["effectiveDateTime"] = effective
    resource.update(value)
    return resource


def condition_resource(
    rid: str,
    system: str,
    code: str,
    *,
    subject: str = "Patient/p",
    onset: str | None = None,
    body_site: tuple[str, str] | None = None,
    morphology: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": rid,
        "code": _concept(system, code),
        "subject": {"reference": subject},
    }
    if onset is not None:
        resource["onsetDateTime"] = onset
    if body_site is not None:
        resource["bodySite"] = [_concept(*body_site)]
    if morphology is not None:
        resource["extension"] = [
            {"url": MCODE_MORPHOLOGY, "valueCodeableConcept": _concept(ICDO3, morphology)}
        ]
    resource.update(extra)
    return resource


def neuroendocrine_marker(rid: str = "net-marker") -> dict[str, Any]:
    """ICD-10-CM C7B.02 *Secondary carcinoid tumors of liver*, without an onset.

    A record is assessed as NET disease only when it shows a neuroendocrine neoplasm
    (nelm.interop.fhir.cancers); this Condition says so without naming the primary site,
    the grade or a date, so a test of one other code can add it and see that code alone.
    """
    return condition_resource(rid, "http://hl7.org/fhir/sid/icd-10-cm", "C7B.02")


def procedure_resource(
    rid: str,
    system: str,
    code: str,
    *,
    status: str = "completed",
    subject: str = "Patient/p",
    performed: str | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": rid,
        "status": status,
        "subject": {"reference": subject},
        "code": _concept(system, code),
    }
    if performed is not None:
        resource["performedDateTime"] = performed
    return resource


def medication_statement_resource(
    rid: str,
    system: str | None = None,
    code: str | None = None,
    *,
    status: str = "completed",
    subject: str = "Patient/p",
    effective: str | None = None,
    reference: str | None = None,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": rid,
        "status": status,
        "subject": {"reference": subject},
    }
    if reference is not None:
        resource["medicationReference"] = {"reference": reference}
    else:
        assert system is not None and code is not None
        resource["medicationCodeableConcept"] = _concept(system, code)
    if effective is not None:
        resource["effectiveDateTime"] = effective
    return resource


def resources_as_exported(bundle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A bundle's resources as a Bulk Data export writes them: each reference to an
    entry's ``fullUrl`` (``urn:uuid:…``) written as the entry's ``Type/id``."""
    entries = [e for e in bundle.get("entry", []) if isinstance(e.get("resource"), dict)]
    text = json.dumps([e["resource"] for e in entries])
    for entry in entries:
        resource = entry["resource"]
        if "fullUrl" in entry and "id" in resource:
            target = f"{resource['resourceType']}/{resource['id']}"
            text = text.replace(f'"{entry["fullUrl"]}"', f'"{target}"')
    resources: list[dict[str, Any]] = json.loads(text)
    return resources


def bundle_of(
    *resources: dict[str, Any], bundle_id: str | None = "test", full_urls: bool = False
) -> dict[str, Any]:
    """A collection Bundle holding ``resources``."""
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {"resource": resource}
        if full_urls:
            entry["fullUrl"] = f"urn:uuid:{uuid.uuid5(_NAMESPACE, str(resource.get('id')))}"
        entries.append(entry)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    if bundle_id is not None:
        bundle["id"] = bundle_id
    return bundle


# --------------------------------------------------------------------------- full bundle


class _Builder:
    def __init__(self, case: SyntheticCase) -> None:
        self.case = case
        self.tag = f"{case.number:04d}"
        self.patient_url = self._url("patient")
        self.entries: list[dict[str, Any]] = []

    def _url(self, rid: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{self.tag}-{rid}')}"

    def _add(self, resource: dict[str, Any]) -> None:
        rid = resource["id"]
        if resource["resourceType"] not in ("Patient", "Medication"):
            resource["subject"] = {"reference": self.patient_url}
        self.entries.append({"fullUrl": self._url(rid), "resource": resource})

    def _day(self, days_before: int) -> str:
        return (self.case.reference_date - dt.timedelta(days=days_before)).isoformat()

    def bundle(self) -> dict[str, Any]:
        c = self.case
        patient = patient_resource(
            f"pat-{self.tag}",
            gender=c.gender,
            birth_date=c.birth_date.isoformat(),
            name=c.name,
            identifier=f"SYN-{self.tag}",
        )
        self.entries.append({"fullUrl": self.patient_url, "resource": patient})
        self._conditions()
        self._pathology()
        self._labs()
        self._imaging()
        self._treatments()
        self._add(
            {
                "resourceType": "Encounter",
                "id": f"enc-{self.tag}",
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "AMB",
                },
            }
        )
        # A result this mapping does not read: glucose.
        self._add(
            observation_resource(
                f"glu-{self.tag}",
                LOINC,
                "2345-7",
                effective=self._day(3),
                valueQuantity=quantity(98, "mg/dL"),
            )
        )
        return {
            "resourceType": "Bundle",
            "id": f"synthetic-{self.tag}",
            "meta": {"tag": [{"system": NELM_TAG, "code": "synthetic"}]},
            "type": "collection",
            "timestamp": f"{c.reference_date.isoformat()}T08:00:00Z",
            "entry": self.entries,
        }

    def _conditions(self) -> None:
        c = self.case
        code, topo = _SITES[c.primary_site]
        self._add(
            condition_resource(
                f"primary-{self.tag}",
                ICD10,
                code,
                onset=c.primary_onset.isoformat(),
                body_site=(ICDO3, topo),
                morphology=c.morphology,
                clinicalStatus=_concept(
                    "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
                ),
                verificationStatus=_concept(
                    "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"
                ),
            )
        )
        self._add(
            condition_resource(
                f"livermet-{self.tag}", ICD10, "C78.7", onset=c.liver_onset.isoformat()
            )
        )
        for site in c.extrahepatic_sites:
            self._add(
                condition_resource(
                    f"ehd{site.replace('_', '')}-{self.tag}",
                    ICD10,
                    _SECONDARY[site],
                    onset=self._day(40),
                )
            )

    def _pathology(self) -> None:
        c = self.case
        biopsy = (c.liver_onset + dt.timedelta(days=7)).isoformat()
        ki67 = observation_resource(
            f"ki67-{self.tag}",
            LOINC,
            "29593-1",
            effective=biopsy,
            valueQuantity=quantity(c.ki67_percent, "%"),
        )
        ki67["bodySite"] = _concept(SNOMED, "10200004", "Liver structure")
        self._add(ki67)
        self._add(
            observation_resource(
                f"mitoses-{self.tag}",
                NELM_OBSERVATION,
                "mitotic-count",
                effective=biopsy,
                valueQuantity=quantity(c.mitoses_per_2mm2, "{mitoses}/(2.mm2)", "per 2 mm2"),
            )
        )
        if c.grade is not None:
            self._add(
                observation_resource(
                    f"grade-{self.tag}",
                    LOINC,
                    "33732-9",
                    effective=biopsy,
                    valueCodeableConcept=_concept(SNOMED, c.grade),
                )
            )
        self._add(
            observation_resource(
                f"ecog-{self.tag}",
                LOINC,
                "89247-1",
                effective=self._day(5),
                valueCodeableConcept=_concept(
                    LOINC, ["LA9622-7", "LA9623-5", "LA9624-3", "LA9625-0", "LA9626-8"][c.ecog]
                ),
            )
        )

    def _lab(
        self, name: str, code: str, value: float, unit: str, display_unit: str | None = None
    ) -> None:
        self._add(
            observation_resource(
                f"{name}-{self.tag}",
                LOINC,
                code,
                effective=f"{self._day(4)}T07:30:00+01:00",
                category=[
                    _concept(
                        "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"
                    )
                ],
                valueQuantity=quantity(value, unit, display_unit),
            )
        )

    def _si(self, kind: str, value: float, unit: str, digits: int) -> float:
        return round(value / KINDS[kind].factors[unit], digits)

    def _labs(self) -> None:
        c = self.case
        if c.si_units:
            self._lab(
                "bili",
                "14631-6",
                self._si("bilirubin", c.bilirubin_mg_dl, "umol/L", 1),
                "umol/L",
                "µmol/L",
            )
            self._lab("alb", "1751-7", self._si("albumin", c.albumin_g_dl, "g/L", 1), "g/L")
            self._lab(
                "crea",
                "14682-9",
                self._si("creatinine", c.creatinine_mg_dl, "umol/L", 1),
                "umol/L",
                "µmol/L",
            )
            self._lab(
                "ldh", "2532-0", self._si("enzyme", c.ldh_u_l, "ukat/L", 3), "ukat/L", "µkat/L"
            )
            self._lab(
                "ast", "1920-8", self._si("enzyme", c.ast_u_l, "ukat/L", 3), "ukat/L", "µkat/L"
            )
            self._lab("plt", "777-3", c.platelets_per_ul / 1000, "10*9/L")
            self._lab(
                "hb", "718-7", self._si("hemoglobin", c.hemoglobin_g_dl, "mmol/L", 2), "mmol/L"
            )
            self._lab("wbc", "6690-2", c.wbc_per_ul / 1000, "10*9/L")
        else:
            self._lab("bili", "1975-2", c.bilirubin_mg_dl, "mg/dL")
            self._lab("alb", "1751-7", c.albumin_g_dl, "g/dL")
            self._lab("crea", "2160-0", c.creatinine_mg_dl, "mg/dL")
            self._lab("ldh", "2532-0", c.ldh_u_l, "U/L")
            self._lab("ast", "1920-8", c.ast_u_l, "U/L")
            self._lab("plt", "777-3", c.platelets_per_ul / 1000, "10*3/uL")
            self._lab("hb", "718-7", c.hemoglobin_g_dl, "g/dL")
            self._lab("wbc", "6690-2", c.wbc_per_ul / 1000, "10*3/uL")
        self._lab("egfr", "98979-8", c.egfr_ml_min, "mL/min/{1.73_m2}", "mL/min/1.73m2")

    def _imaging(self) -> None:
        c = self.case
        day = self._day(20)
        obs = NELM_OBSERVATION
        self._add(
            observation_resource(
                f"sstr-{self.tag}",
                obs,
                "sstr-imaging-positive",
                effective=day,
                valueBoolean=c.sstr_positive,
            )
        )
        self._add(
            observation_resource(
                f"krenning-{self.tag}",
                obs,
                "krenning-score",
                effective=day,
                valueInteger=c.krenning_score,
            )
        )
        self._add(
            observation_resource(
                f"fdg-{self.tag}",
                obs,
                "fdg-pet-positive",
                effective=day,
                valueCodeableConcept=_concept(
                    SNOMED, "10828004" if c.fdg_positive else "260385009"
                ),
            )
        )
        self._add(
            observation_resource(
                f"burden-{self.tag}",
                obs,
                "liver-tumor-burden",
                effective=day,
                valueQuantity=quantity(c.tumor_burden_percent, "%"),
            )
        )
        self._add(
            observation_resource(
                f"lesions-{self.tag}",
                obs,
                "liver-lesion-count",
                effective=day,
                valueInteger=c.lesion_count,
            )
        )
        size = (
            quantity(round(c.largest_lesion_cm * 10), "mm")
            if c.si_units
            else quantity(c.largest_lesion_cm, "cm")
        )
        self._add(
            observation_resource(
                f"largest-{self.tag}",
                obs,
                "largest-liver-lesion",
                effective=day,
                valueQuantity=size,
            )
        )

    def _treatments(self) -> None:
        c = self.case
        if c.prior_whipple:
            self._add(
                procedure_resource(
                    f"whipple-{self.tag}",
                    CPT,
                    "48150",
                    performed=(c.primary_onset + dt.timedelta(days=30)).isoformat(),
                )
            )
        # Spread the treatments between the liver diagnosis and a week before "today".
        span = (c.reference_date - dt.timedelta(days=7) - c.liver_onset).days
        step = max(span // (len(c.prior_treatments) + 1), 1)
        drugs = {
            "ssa": (ATC, "H01CB03"),
            "sunitinib": (ATC, "L01EX01"),
            "cabozantinib": (ATC, "L01EX07"),
            "prrt": (ATC, "V10XX04"),
        }
        for number, option in enumerate(c.prior_treatments):
            when = (c.liver_onset + dt.timedelta(days=step * (number + 1))).isoformat()
            rid = f"tx{number}-{self.tag}"
            if option == "liver_resection":
                self._add(procedure_resource(rid, CPT, "47120", performed=when))
            elif option == "tace":
                self._add(procedure_resource(rid, NELM_PROCEDURE, "tace", performed=when))
            elif option == "everolimus":
                medication = {
                    "resourceType": "Medication",
                    "id": f"med{number}-{self.tag}",
                    "code": _concept(ATC, "L01EG02", "everolimus"),
                }
                self._add(medication)
                self._add(
                    medication_statement_resource(
                        rid,
                        reference=f"Medication/{medication['id']}",
                        effective=when,
                        status="stopped",
                    )
                )
            elif option in drugs:
                self._add(medication_statement_resource(rid, *drugs[option], effective=when))
            else:
                self._add(
                    medication_statement_resource(rid, NELM_MEDICATION, option, effective=when)
                )


# --------------------------------------------------------------------------- fixtures

FIXTURES: dict[str, tuple[int, dict[str, Any]]] = {
    "synthetic-0001.json": (1, {}),
    "synthetic-0002-si-units.json": (2, {"si_units": True}),
    "synthetic-0003-metachronous-bone.json": (
        3,
        {
            "primary_site": "small_intestine",
            "primary_onset": dt.date(2019, 6, 3),
            "liver_onset": dt.date(2022, 2, 14),
            "extrahepatic_sites": ("bone",),
            "prior_treatments": ("everolimus", "ssa", "tace"),
            "prior_whipple": False,
            "si_units": True,
        },
    ),
}


def fixture_bundles() -> dict[str, dict[str, Any]]:
    """The example bundles saved in tests/interop/fixtures, by file name."""
    return {name: make_bundle(seed, **overrides) for name, (seed, overrides) in FIXTURES.items()}


def _write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, bundle in fixture_bundles().items():
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        (directory / name).write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m nelm.interop.fhir.synthetic DIRECTORY"
    if args in (["-h"], ["--help"]):
        print(usage)
        return 0
    # an option is never a directory to create ("--help" would otherwise become a folder)
    if len(args) != 1 or args[0].startswith("-"):
        print(usage, file=sys.stderr)
        return 2
    _write(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
