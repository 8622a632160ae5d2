"""Board vignettes written as the FHIR R4 record a hospital would send (test_fhir_vignettes.py).

``record_of(case, as_of)`` writes a case-v1 document as a collection Bundle, each finding with
the standard code nelm reads where one exists (docs/fhir-mapping.md: ICD-10 / ICD-10-CM /
ICD-O-3 Conditions, LOINC laboratory and pathology Observations, CPT and ATC for treatments,
mCODE Cancer Disease Status for the course) and nelm's observation profile where
docs/fhir-ig.md says none exists. What FHIR has no place for at all is returned apart, as
the board file a person adds with ``nelm assess RECORD --with board.yaml``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from nelm.interop.fhir.synthetic import (
    bundle_of,
    condition_resource,
    observation_resource,
    patient_resource,
    procedure_resource,
    quantity,
)
from nelm.interop.fhir.systems import (
    ATC,
    CPT,
    ICD10,
    ICD10_CM,
    LOINC,
    NELM_OBSERVATION,
    NELM_PROCEDURE,
    NELM_VALUE,
    SNOMED,
)

# Primary site → the Condition's code (ICD-10-CM C7A.0x malignant carcinoid tumours by site;
# ICD-10 C25.4 endocrine pancreas), as in the mapping table of docs/fhir-mapping.md.
SITE_CODES: dict[str, tuple[str, str]] = {
    "pancreas": (ICD10, "C25.4"),
    "small_intestine": (ICD10_CM, "C7A.012"),  # malignant carcinoid tumour of the ileum
    "lung": (ICD10_CM, "C7A.090"),
    "rectum": (ICD10_CM, "C7A.026"),
    "stomach": (ICD10_CM, "C7A.092"),
    "colon": (ICD10_CM, "C7A.022"),
}
# ICD-O-3 morphology of the primary: the syndrome's own code where one exists
# (8151/3 insulinoma, 8153/3 gastrinoma, 8155/3 VIPoma), else the differentiation's.
SYNDROME_MORPHOLOGY = {"insulinoma": "8151/3", "gastrinoma": "8153/3", "vipoma": "8155/3"}
NEC_MORPHOLOGY = {"large_cell": "8013/3", "small_cell": "8041/3"}
# The liver-reserve and vascular findings (ICD-10-CM tabular list, 1 April 2026): K76.82
# hepatic encephalopathy, R18.8 other ascites, I81 portal vein thrombosis, K83.1
# obstruction of bile duct.
FINDINGS = {
    "anatomy.hepatic_encephalopathy": (ICD10_CM, "K76.82"),
    "anatomy.ascites": (ICD10_CM, "R18.8"),
    "anatomy.portal_vein_thrombosis": (ICD10_CM, "I81"),
    "anatomy.biliary_obstruction": (ICD10_CM, "K83.1"),
}
# ICD-10-CM C7B.0x secondary carcinoid tumours by site.
METASTASIS_CODES = {"bone": "C7B.03", "distant_nodes": "C7B.01", "peritoneum": "C7B.04"}
# LOINC code and UCUM unit of each laboratory value (docs/fhir-mapping.md, Observation).
LABS: dict[str, tuple[str, str]] = {
    "bilirubin_mg_dl": ("1975-2", "mg/dL"),
    "albumin_g_dl": ("1751-7", "g/dL"),
    "creatinine_mg_dl": ("2160-0", "mg/dL"),
    "egfr_ml_min": ("98979-8", "mL/min/{1.73_m2}"),
    "ldh_u_l": ("2532-0", "U/L"),
    "ast_u_l": ("1920-8", "U/L"),
    "platelets_per_ul": ("777-3", "/uL"),
    "hemoglobin_g_dl": ("718-7", "g/dL"),
    "wbc_per_ul": ("6690-2", "/uL"),
}
# SNOMED CT histologic grade answers to LOINC 33732-9.
GRADES = {"G1": "54102005", "G2": "1663004"}
# ATC codes of the drugs a vignette names as prior treatments.
DRUGS = {"ssa": "H01CB03", "everolimus": "L01EG02", "prrt": "V10XX04", "sunitinib": "L01EX01"}
# mCODE Cancer Disease Status answers (LOINC 97509-4).
WORSENED, STABLE = "271299001", "359746009"

# nelm observation profile (docs/fhir-ig.md): fields no standard code carries.
PROFILE: dict[str, str] = {
    "pathology.mitoses_per_2mm2": "mitotic-count",
    "pathology.sstr_ihc_positive": "sstr-ihc-positive",
    "imaging.sstr_positive": "sstr-imaging-positive",
    "imaging.krenning_score": "krenning-score",
    "imaging.fdg_positive": "fdg-pet-positive",
    "imaging.sstr_uptake_vs_liver": "sstr-uptake-vs-liver",
    "liver.lesion_count": "liver-lesion-count",
    "liver.lesion_count_at_least": "liver-lesion-count",
    "liver.tumor_burden_percent": "liver-tumor-burden",
    "liver.future_liver_remnant_percent": "future-liver-remnant",
    "liver.bilobar": "liver-bilobar",
    "liver.burden_symptoms": "liver-burden-symptoms",
    "liver.surgical_assessment": "liver-surgical-assessment",
    "anatomy.hepatopulmonary_shunt_percent": "lung-shunt-fraction",
}
PROFILE_UNITS = {
    "pathology.mitoses_per_2mm2": "/(2.mm2)",
    "liver.tumor_burden_percent": "%",
    "liver.future_liver_remnant_percent": "%",
    "anatomy.hepatopulmonary_shunt_percent": "%",
}


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 - months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


class _Record:
    def __init__(self, case: dict[str, Any], as_of: dt.date) -> None:
        self.case = case
        self.as_of = as_of
        self.resources: list[dict[str, Any]] = []
        self.board: dict[str, dict[str, Any]] = {}
        self.sent: set[str] = set()
        self.diagnosed = months_before(as_of, 60)

    def value(self, path: str) -> Any:
        section, key = path.split(".")
        return self.case.get(section, {}).get(key)

    def send(self, *paths: str) -> None:
        self.sent.update(p for p in paths if self.value(p) is not None)

    def day(self, months: int) -> str:
        return months_before(self.as_of, months).isoformat()

    def observation(self, rid: str, system: str, code: str, **value: Any) -> None:
        self.resources.append(
            observation_resource(rid, system, code, effective=self.day(1), **value)
        )

    # ------------------------------------------------------------------ sections

    def patient(self) -> None:
        age = self.value("patient.age_years")
        birth = None
        if age is not None:  # born 100 days before the birthday that gives this age
            birth = (months_before(self.as_of, 12 * age) - dt.timedelta(days=100)).isoformat()
        self.resources.append(
            patient_resource("p", gender=self.value("patient.sex"), birth_date=birth)
        )
        self.send("patient.age_years", "patient.sex")
        if (ecog := self.value("patient.ecog")) is not None:
            self.observation("ecog", LOINC, "89247-1", valueInteger=ecog)
            self.send("patient.ecog")
        if (lvef := self.value("patient.lvef_percent")) is not None:
            self.observation("lvef", LOINC, "10230-1", valueQuantity=quantity(lvef, "%"))
            self.send("patient.lvef_percent")

    def primary(self) -> None:
        site = self.value("primary.site")
        system, code = SITE_CODES.get(site, (ICD10_CM, "C7A.00"))
        morphology = self._morphology()
        self.resources.append(
            condition_resource(
                "primary",
                system,
                code,
                onset=self.diagnosed.isoformat(),
                morphology=morphology,
            )
        )
        if site in SITE_CODES:
            self.send("primary.site")
        syndrome = self.value("primary.functional_syndrome")
        if syndrome == "carcinoid":  # ICD-10 E34.0 carcinoid syndrome
            self.resources.append(condition_resource("syndrome", ICD10, "E34.0"))
        if syndrome in SYNDROME_MORPHOLOGY or syndrome == "carcinoid":
            self.send("primary.functional_syndrome")
        if self.value("primary.resected"):
            months = self.value("primary.months_since_primary_resection") or 36
            self.resources.append(
                procedure_resource(
                    "resection", NELM_PROCEDURE, "primary-resection", performed=self.day(months)
                )
            )
            self.send("primary.resected", "primary.months_since_primary_resection")

    def _morphology(self) -> str | None:
        syndrome = self.value("primary.functional_syndrome")
        differentiation = self.value("pathology.differentiation")
        subtype = self.value("pathology.nec_subtype")
        reported = self.value("pathology.reported_grade")
        if subtype in NEC_MORPHOLOGY:
            self.send("pathology.nec_subtype", "pathology.differentiation")
            return NEC_MORPHOLOGY[subtype]
        if reported == "atypical_carcinoid" and self.value("primary.site") == "lung":
            self.send("pathology.reported_grade")
            return "8249/3"  # atypical carcinoid (WHO thoracic tumours, 5th ed.)
        if differentiation == "well" and syndrome in SYNDROME_MORPHOLOGY:
            self.send("pathology.differentiation")
            return SYNDROME_MORPHOLOGY[syndrome]
        if differentiation == "well" and self.value("primary.site") not in ("lung", "thymus"):
            self.send("pathology.differentiation")
            return "8240/3"  # NET G1 / carcinoid: well differentiated, no grade stated
        if differentiation == "poor":
            self.send("pathology.differentiation")
            return "8246/3"  # neuroendocrine carcinoma
        return None

    def pathology(self) -> None:
        if (ki67 := self.value("pathology.ki67_percent")) is not None:
            extra: dict[str, Any] = {}
            if self.value("pathology.ki67_source") == "liver_metastasis":
                extra["bodySite"] = {"coding": [{"system": SNOMED, "code": "10200004"}]}
                self.send("pathology.ki67_source")
            self.observation("ki67", LOINC, "29593-1", valueQuantity=quantity(ki67, "%"), **extra)
            self.send("pathology.ki67_percent")
        reported = self.value("pathology.reported_grade")
        if reported in GRADES:
            grade = {"coding": [{"system": SNOMED, "code": GRADES[reported]}]}
            self.observation("grade", LOINC, "33732-9", valueCodeableConcept=grade)
            self.send("pathology.reported_grade")

    def profile(self) -> None:
        for path, code in PROFILE.items():
            value = self.value(path)
            if value is None:
                continue
            rid = path.replace(".", "-").replace("_", "-")
            if isinstance(value, bool):
                self.observation(rid, NELM_OBSERVATION, code, valueBoolean=value)
            elif isinstance(value, str):
                answer = {"coding": [{"system": NELM_VALUE, "code": value}]}
                self.observation(rid, NELM_OBSERVATION, code, valueCodeableConcept=answer)
            elif path.endswith("_at_least"):
                count = quantity(value, "1")
                count["comparator"] = ">="
                self.observation(rid, NELM_OBSERVATION, code, valueQuantity=count)
            elif path in PROFILE_UNITS:
                amount = quantity(value, PROFILE_UNITS[path])
                self.observation(rid, NELM_OBSERVATION, code, valueQuantity=amount)
            else:
                self.observation(rid, NELM_OBSERVATION, code, valueInteger=value)
            self.send(path)
        if (size := self.value("liver.largest_lesion_cm")) is not None:
            # mCODE Tumor Size: LOINC 21889-1, longest dimension 33728-7, in the liver.
            lesion = observation_resource(
                "lesion",
                LOINC,
                "21889-1",
                effective=self.day(1),
                bodySite={"coding": [{"system": SNOMED, "code": "10200004"}]},
                component=[
                    {
                        "code": {"coding": [{"system": LOINC, "code": "33728-7"}]},
                        "valueQuantity": quantity(round(size * 10, 1), "mm"),
                    }
                ],
            )
            self.resources.append(lesion)
            self.send("liver.largest_lesion_cm")

    def metastases(self) -> None:
        synchronous = self.value("liver.synchronous")
        onset = None
        if synchronous is True:
            onset = self.diagnosed.isoformat()
        elif synchronous is False:
            onset = (self.diagnosed + dt.timedelta(days=400)).isoformat()
        self.resources.append(condition_resource("liver-mets", ICD10_CM, "C7B.02", onset=onset))
        self.send("liver.synchronous")
        sites = self.value("extrahepatic.sites") or []
        for site in sites:
            if site in METASTASIS_CODES:
                self.resources.append(
                    condition_resource(
                        f"mets-{site.replace('_', '-')}", ICD10_CM, METASTASIS_CODES[site]
                    )
                )
        if sites and all(site in METASTASIS_CODES for site in sites):
            self.send("extrahepatic.sites")
            if self.value("extrahepatic.present") is True:
                self.send("extrahepatic.present")

    def labs(self) -> None:
        for key, (code, unit) in LABS.items():
            if (number := self.value(f"labs.{key}")) is not None:
                self.observation(
                    key.replace("_", "-"), LOINC, code, valueQuantity=quantity(number, unit)
                )
                self.send(f"labs.{key}")

    def anatomy(self) -> None:
        if self.value("anatomy.prior_whipple") is True:
            # CPT 48150: pancreatoduodenectomy (Whipple-type)
            self.resources.append(
                procedure_resource("whipple", CPT, "48150", performed=self.day(48))
            )
            self.send("anatomy.prior_whipple")
        # A current Condition on the problem list (docs/fhir-mapping.md, liver reserve and
        # vessels); a false value has no code and goes in the board file.
        for path, (system, code) in FINDINGS.items():
            if self.value(path) is True:
                rid = path.split(".")[1].replace("_", "-")
                self.resources.append(condition_resource(rid, system, code, onset=self.day(1)))
                self.send(path)

    def course(self) -> None:
        status = self.value("course.status")
        on_ssa = self.value("course.progressed_on_ssa")
        treatments = list(self.value("course.prior_treatments") or [])
        if on_ssa and "ssa" not in treatments:
            treatments.insert(0, "ssa")
        for n, treatment in enumerate(treatments):
            if treatment not in DRUGS:
                continue
            start = months_before(self.as_of, 30 - 6 * n)
            statement: dict[str, Any] = {
                "resourceType": "MedicationStatement",
                "id": f"drug-{treatment}",
                "subject": {"reference": "Patient/p"},
                "medicationCodeableConcept": {
                    "coding": [{"system": ATC, "code": DRUGS[treatment]}]
                },
                "effectivePeriod": {"start": start.isoformat()},
            }
            # Still given when the progression was seen (progressed on it), else stopped
            # before the latest scan.
            if treatment == "ssa" and on_ssa:
                statement["status"] = "active"
            else:
                statement["status"] = "completed"
                end = months_before(self.as_of, 30 - 6 * n - 4)
                statement["effectivePeriod"]["end"] = end.isoformat()
            self.resources.append(statement)
        if treatments and all(t in DRUGS for t in treatments):
            self.send("course.prior_treatments", "course.progressed_on_ssa")
        if status == "progressing":
            self._scan("scan-latest", 1, WORSENED)
            self.send("course.status")
        elif status == "stable":
            months = self.value("course.months_stable")
            if months is not None:
                # Scans give only a lower bound of the months stable (nelm.case.timeline);
                # the board's exact figure goes in the board file.
                self._scan("scan-first", months + 1, STABLE)
            self._scan("scan-latest", 1, STABLE)
            self.send("course.status")

    def _scan(self, rid: str, months: int, finding: str) -> None:
        answer = {"coding": [{"system": SNOMED, "code": finding}]}
        scan = observation_resource(
            rid, LOINC, "97509-4", effective=self.day(months), valueCodeableConcept=answer
        )
        self.resources.append(scan)


def record_of(
    case: dict[str, Any], as_of: dt.date
) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    """The Bundle, the board file of what FHIR has no place for, and the fields sent."""
    record = _Record(case, as_of)
    record.patient()
    record.primary()
    record.pathology()
    record.profile()
    record.metastases()
    record.labs()
    record.anatomy()
    record.course()
    board: dict[str, Any] = {}
    for section, values in case.items():
        if not isinstance(values, dict):
            continue
        for key, value in values.items():
            if f"{section}.{key}" not in record.sent:
                board.setdefault(section, {})[key] = value
    return bundle_of(*record.resources, bundle_id=case["case_id"]), board, record.sent
