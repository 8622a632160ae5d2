"""The case document (case-v1): field table, parsing and validation."""

from nelm.case.document import Case, case_from_mapping, parse_case_text
from nelm.case.fields import FIELD_BY_PATH, FIELDS, OPTION_IDS, Field, Kind

__all__ = [
    "FIELDS",
    "FIELD_BY_PATH",
    "OPTION_IDS",
    "Case",
    "Field",
    "Kind",
    "case_from_mapping",
    "parse_case_text",
]
