"""FHIR R4 import: map a Bundle to a case-v1 document (see docs/fhir-mapping.md).

``fhir.resources`` (the optional ``fhir`` extra) is imported only when a bundle is mapped.
"""

from nelm.interop.fhir.mapping import SYNCHRONOUS_MONTHS, FhirMapping, bundle_to_case
from nelm.interop.fhir.systems import NELM_MEDICATION, NELM_OBSERVATION, NELM_PROCEDURE
from nelm.interop.fhir.validate import FhirUnavailableError

__all__ = [
    "NELM_MEDICATION",
    "NELM_OBSERVATION",
    "NELM_PROCEDURE",
    "SYNCHRONOUS_MONTHS",
    "FhirMapping",
    "FhirUnavailableError",
    "bundle_to_case",
]
