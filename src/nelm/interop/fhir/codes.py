"""The mapping tables: which codes mean which case-v1 field.

Every code below was checked against a published value set, implementation guide or
terminology listing; docs/fhir-mapping.md gives the table in prose. Codes that could not
be checked are deliberately absent (an unknown code is ignored and listed in the notes;
a wrong code would silently put a wrong value into a clinical decision).

Notably absent:

* LOINC 85319-2 is *HER2 [Presence] in Breast cancer specimen by Immune stain*, not a
  Ki-67 code; Ki-67 is LOINC 29593-1 (*Cells.Ki-67 nuclear Ag/cells in Tissue by Immune
  stain*, UCUM ``%``). The breast-specific Ki-67 code 85330-9 is not used either.
* RxNorm: ingredient codes do not separate oncological everolimus from the transplant
  immunosuppressant, and product codes need an RxNorm release to resolve; medications
  are read from ATC codes (and the project code system).
* SNOMED CT procedure codes other than 441525007 (chemoembolisation of artery): none
  could be checked here; procedures are read from CPT and the project code system.

Where each table is:

* :mod:`~nelm.interop.fhir.observation_codes`: Observation codes and their coded answers.
* :mod:`~nelm.interop.fhir.condition_codes`: Condition codes (ICD-10, SNOMED CT).
* :mod:`~nelm.interop.fhir.tumour_codes`: morphology, topography, body sites, liver sides.
* :mod:`~nelm.interop.fhir.treatment_codes`: procedure and medication codes.

Every name is importable from here, as before.
"""

from __future__ import annotations

from nelm.interop.fhir.condition_codes import (
    HEREDITARY_SYNDROMES,
    ConditionMeaning,
    Role,
    icd10_meaning,
    snomed_condition_meaning,
)
from nelm.interop.fhir.observation_codes import (
    DISEASE_STATUS,
    DISEASE_STATUS_ANSWERS,
    ECOG_ANSWERS,
    GRADE_ANSWERS,
    NEGATIVE,
    OBSERVATION_RULES,
    POSITIVE,
    REPORTED_GRADE_ANSWERS,
    TNM_ANSWERS,
    ObservationRule,
    ValueKind,
    tnm_answer,
)
from nelm.interop.fhir.treatment_codes import (
    AMBIGUOUS_PROCEDURES,
    MEDICATIONS,
    PRIMARY_RESECTION,
    PROCEDURES,
)
from nelm.interop.fhir.tumour_codes import (
    LIVER_SIDES,
    ORGAN_SITES,
    SNOMED_BODY_SITES,
    Morphology,
    icdo3_morphology,
    snomed_morphology,
    topography,
)

__all__ = [
    "AMBIGUOUS_PROCEDURES",
    "DISEASE_STATUS",
    "DISEASE_STATUS_ANSWERS",
    "ECOG_ANSWERS",
    "GRADE_ANSWERS",
    "HEREDITARY_SYNDROMES",
    "LIVER_SIDES",
    "MEDICATIONS",
    "NEGATIVE",
    "OBSERVATION_RULES",
    "ORGAN_SITES",
    "POSITIVE",
    "PRIMARY_RESECTION",
    "PROCEDURES",
    "REPORTED_GRADE_ANSWERS",
    "SNOMED_BODY_SITES",
    "TNM_ANSWERS",
    "ConditionMeaning",
    "Morphology",
    "ObservationRule",
    "Role",
    "ValueKind",
    "icd10_meaning",
    "icdo3_morphology",
    "snomed_condition_meaning",
    "snomed_morphology",
    "tnm_answer",
    "topography",
]
