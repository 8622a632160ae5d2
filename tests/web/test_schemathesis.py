"""Property-based tests of the REST API against its own ``/openapi.json`` (schemathesis):
no 5xx, status codes, content types and bodies as documented. Bounded examples per
operation, fixed seed (derandomised), in-process (ASGI), authenticated with a token."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import make_site

pytestmark = pytest.mark.slow  # long: `make test-fast` leaves it out, `make test` runs it

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schemathesis.serializer("application/fhir+ndjson")
def _ndjson(_: Any, value: Any) -> bytes:
    """The assess operation's NDJSON body is text (one resource per line), sent as drawn."""
    text = value if isinstance(value, str) else json.dumps(value)
    return text.encode("utf-8", "surrogatepass")


def _load() -> tuple[Any, dict[str, str]]:
    # Built at import, as schemathesis' parametrize needs the schema when tests are collected
    directory = tempfile.mkdtemp(prefix="nelm-schemathesis-")
    atexit.register(shutil.rmtree, directory, True)
    site = make_site("sqlite", Path(directory))
    headers = site.token("fuzz", "admin")
    case = {"schema_version": 1, "case_id": "fuzz-1", "pathology": {"ki67_percent": 5}}
    site.client().post("/api/v1/cases", json=case, headers=headers)
    loaded = schemathesis.openapi.from_asgi("/openapi.json", site.app, headers=headers)
    # the destructive operations would end the run's own login
    loaded = loaded.exclude(path_regex=r"^/api/v1/tokens/\{token_id\}$", method="DELETE")
    return loaded.exclude(path_regex=r"^/api/v1/users/\{user_id\}$", method="PATCH"), headers


schema, HEADERS = _load()
# One test per operation, named by it: schemathesis' own parametrize gives every operation
# the same test id, which pytest-xdist (`make test`) takes for one test and runs once.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_api_conforms_to_its_schema(operation: Any) -> None:
    @settings(
        max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=HEADERS, checks=CHECKS)

    conforms()


def test_every_operation_is_tested_once() -> None:
    labels = [op.label for op in OPERATIONS]
    assert len(labels) == len(set(labels)) >= 20
