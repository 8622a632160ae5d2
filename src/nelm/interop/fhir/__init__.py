"""FHIR R4 import: map a Bundle to a case-v1 document (see docs/fhir-mapping.md).

``fhir.resources`` (the optional ``fhir`` extra) is imported only when a bundle is mapped.
The names below are loaded on first use, so that reading ``nelm.interop.fhir.size`` (the
size limit, needed before any input is read) does not load the mapping tables.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    "SYNCHRONOUS_MONTHS": "mapping",
    "FhirMapping": "mapping",
    "bundle_to_case": "mapping",
    "NELM_MEDICATION": "systems",
    "NELM_OBSERVATION": "systems",
    "NELM_PROCEDURE": "systems",
    "FhirUnavailableError": "validate",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
