"""The shapes the REST API documents in ``/openapi.json``.

The case document's JSON Schema is generated from ``nelm.case.fields.FIELDS`` (the one
description of case-v1), so the API, the form and the validator cannot drift apart. The
validator stays the authority: bodies are checked by ``nelm.case`` and rejected with its
messages.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from nelm.case.fields import FIELDS, OPTION_IDS, SECTIONS, TOP_LEVEL, Kind
from nelm.case.fields import Field as CaseField
from nelm.case.units import ENTRY_UNITS

__all__ = [
    "ASSESSMENT_SCHEMA",
    "CASE_SCHEMA",
    "AssessmentOut",
    "AuditOut",
    "CaseDetail",
    "CaseSummary",
    "DecisionIn",
    "DecisionOut",
    "DeletedCaseOut",
    "ErrorBody",
    "FieldChange",
    "Health",
    "ProblemOut",
    "TokenCreated",
    "TokenIn",
    "TokenOut",
    "UserIn",
    "UserOut",
    "UserPatch",
    "VersionConflict",
    "VersionDetail",
    "VersionSummary",
]


def _field_schema(spec: CaseField) -> dict[str, Any]:
    schema: dict[str, Any]
    if spec.kind is Kind.BOOLEAN:
        schema = {"type": ["boolean", "null"]}
    elif spec.kind is Kind.CHOICE:
        schema = {"enum": [*spec.choices, None]}
    elif spec.kind is Kind.CHOICES:
        schema = {"type": ["array", "null"], "items": {"enum": list(spec.choices)}}
    elif spec.kind is Kind.STRING:
        schema = {"type": ["string", "null"]}
        if spec.max_length:
            schema["maxLength"] = spec.max_length
    else:
        schema = {"type": ["integer" if spec.kind is Kind.INTEGER else "number", "null"]}
        if spec.minimum is not None:
            key = "exclusiveMinimum" if spec.exclusive_minimum else "minimum"
            schema[key] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
    description = spec.label + (f" ({spec.unit})" if spec.unit else "")
    units = ENTRY_UNITS.get(spec.path)
    if units:  # or kept as entered in another unit (nelm.case.units)
        entered = {
            "type": "object",
            "additionalProperties": False,
            "required": ["value", "unit"],
            "properties": {"value": {"type": "number"}, "unit": {"enum": [u.label for u in units]}},
        }
        return {"anyOf": [schema, entered], "description": description}
    return {**schema, "description": description}


def case_schema() -> dict[str, Any]:
    """JSON Schema of a case-v1 document."""
    sections: dict[str, Any] = {}
    for section in SECTIONS:
        sections[section] = {
            "type": ["object", "null"],
            "additionalProperties": False,
            "properties": {f.name: _field_schema(f) for f in FIELDS if f.section == section},
        }
    top = {f.path: _field_schema(f) for f in TOP_LEVEL}
    top["schema_version"] = {"enum": [1, None], "description": "Schema version (1)"}
    top["case_id"] = {
        "type": "string",
        "minLength": 1,
        "maxLength": 128,
        "pattern": r"\S",
        "description": "Case id (1–128 characters)",
    }
    top["confirmed"] = {
        "type": ["array", "null"],
        "items": {"enum": [f.path for f in FIELDS if f.kind in (Kind.NUMBER, Kind.INTEGER)]},
        "description": "Numeric fields whose implausible value is confirmed as entered",
    }
    top["timeline"] = {
        "type": ["object", "null"],
        "description": "Dated events (docs/case-v1-additions.md)",
    }
    top["measured_on"] = {
        "type": ["object", "null"],
        "propertyNames": {"enum": [f.path for f in FIELDS]},
        "additionalProperties": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        "description": "Field path → the date of the result its value came from "
        "(docs/case-v1-additions.md)",
    }
    top["value_sources"] = {
        "type": ["object", "null"],
        "propertyNames": {"enum": [f.path for f in FIELDS]},
        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 500},
        "description": "Field path → the record's resource its value was read from; a field "
        "without one was entered by a person (docs/case-v1-additions.md)",
    }
    top["record_warnings"] = {
        "type": ["array", "null"],
        "maxItems": 20,
        "items": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": r"\S"},
        "description": "What the record the case was read from said about any assessment "
        "of it: a death, no neuroendocrine diagnosis (docs/case-v1-additions.md)",
    }
    return {
        "type": "object",
        "title": "Case document, version 1",
        "required": ["case_id"],
        "additionalProperties": False,
        "properties": {**top, **sections},
    }


CASE_SCHEMA = case_schema()

ASSESSMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Assessment document, version 1",
    "required": [
        "schema_version",
        "knowledge_version",
        "case_id",
        "classification",
        "options",
        "plan",
        "missing_data",
        "warnings",
    ],
    "properties": {
        "schema_version": {"type": "integer"},
        "knowledge_version": {"type": "string"},
        "case_id": {"type": "string"},
        "classification": {"type": "object"},
        "options": {
            "type": "object",
            "properties": {oid: {"type": "object"} for oid in OPTION_IDS},
        },
        "plan": {"type": "array", "items": {"type": "object"}},
        "missing_data": {"type": "array", "items": {"type": "object"}},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "input_warnings": {"type": "array", "items": {"type": "object"}},
        "investigations": {"type": "array", "items": {"type": "object"}},
    },
}


# Request bodies: unknown keys refused, and types strictly as the schema says: a boolean is
# true or false (never 0 or "yes"), a number is a number (never "3"), text is text.
_STRICT_IN = ConfigDict(extra="forbid", strict=True)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemOut(_Out):
    field: str = Field(description="Dotted path of the field, empty for the whole document")
    expected: str
    got: str


class ErrorBody(_Out):
    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)


class Health(_Out):
    status: str
    database: str
    knowledge_version: str


class CaseSummary(_Out):
    id: int
    case_id: str
    label: str | None
    version: int
    created_at: str
    updated_at: str


class CaseDetail(CaseSummary):
    document: dict[str, Any]


class DeletedCaseOut(_Out):
    """A deleted case: what the case list shows, when it was deleted and by whom (null
    when the audit log does not say)."""

    id: int
    case_id: str
    label: str | None
    version: int
    updated_at: str
    deleted_at: str
    deleted_by: str | None


class FieldChange(_Out):
    field: str = Field(description="Dotted path of the field")
    label: str = Field(description="The field's name as the pages show it")
    before: str = Field(description='Its value in the version named by If-Match ("not known")')
    after: str = Field(description="Its value in the current version")


class VersionConflict(_Out):
    """412 on ``PUT /cases/{id}`` with a stale ``If-Match``: the case as it is now."""

    detail: str
    problems: list[ProblemOut] = Field(default_factory=list)
    current_version: int
    changed_by: str | None = Field(description="Who stored the current version")
    current: CaseDetail
    changed_since: list[FieldChange] = Field(
        default_factory=list,
        description="Every field that differs between the version named by If-Match and "
        "the current one (empty when If-Match named a version the case never had)",
    )


class VersionSummary(_Out):
    version: int
    created_at: str
    created_by: str | None


class VersionDetail(VersionSummary):
    document: dict[str, Any]


class AssessmentOut(_Out):
    id: int
    case_version: int
    knowledge_version: str
    input_hash: str
    created_at: str
    assessment: dict[str, Any]


class DecisionIn(BaseModel):
    model_config = _STRICT_IN

    options: list[str] = Field(
        default_factory=list,
        max_length=len(OPTION_IDS),
        description="Option ids the board chose (assessment-v1)",
    )
    text: str = Field(default="", max_length=20000, description="The board's words")
    case_version: int | None = Field(
        default=None,
        ge=1,
        le=2_147_483_647,
        description="Version decided on: the current one (default); a version "
        "replaced since is refused with 409",
    )
    assessment_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    status: Literal["provisional", "final"] = Field(
        default="final", description="provisional (pending something) or final"
    )
    attendees: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=60, description="Who was present"
    )
    meeting_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    # JSON has no date type: the date comes as text, "YYYY-MM-DD" (strict mode alone would
    # take none), and only as such (no timestamp numbers)
    follow_up_on: date | None = Field(
        default=None,
        strict=False,
        description="Follow-up date, YYYY-MM-DD, on or after the decision's date",
    )

    @field_validator("follow_up_on", mode="before")
    @classmethod
    def _calendar_date(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
            return value
        raise PydanticCustomError("date_type", "a calendar date such as 2027-03-31")

    override_reasons: dict[str, Annotated[str, Field(max_length=2000)]] = Field(
        default_factory=dict,
        description="Option id → the board's reason for choosing an "
        "option nelm marks ineligible (required for each such option)",
    )
    replaces_id: int | None = Field(
        default=None,
        ge=1,
        le=2_147_483_647,
        description="The decision this one amends or supersedes",
    )
    change: Literal["amendment", "supersession"] | None = Field(
        default=None, description="With replaces_id: amendment or supersession"
    )


class DecisionOut(_Out):
    id: int
    case_version: int
    assessment_id: int | None
    options: list[str]
    text: str
    decided_by: str | None
    decided_at: str
    meeting_id: int | None = None
    status: str = "final"
    attendees: list[str] = []
    option_statuses: dict[str, str] = {}
    override_reasons: dict[str, str] = {}
    follow_up_on: str | None = None
    replaces_id: int | None = None
    change: str | None = None
    replaced_by: int | None = None


class UserOut(_Out):
    id: int
    username: str
    role: str
    active: bool
    has_password: bool
    created_at: str


class UserIn(BaseModel):
    model_config = _STRICT_IN

    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    role: str = Field(pattern="^(admin|clinician|viewer)$")
    password: str = Field(min_length=10, max_length=1000)


class UserPatch(BaseModel):
    model_config = _STRICT_IN

    role: str | None = Field(default=None, pattern="^(admin|clinician|viewer)$")
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=1000)


class TokenIn(BaseModel):
    model_config = _STRICT_IN

    name: str = Field(min_length=1, max_length=100)


class TokenOut(_Out):
    id: int
    user_id: int
    name: str
    created_at: str
    revoked_at: str | None


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself: shown once, store it safely")


class AuditOut(_Out):
    id: int
    at: str
    username: str | None
    action: str
    case_id: str | None
    detail: str
