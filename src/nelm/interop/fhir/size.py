"""How large a FHIR record nelm accepts, in one place for the CLI, the API and CDS Hooks.

Real patient records are several megabytes (Synthea's sample patients run from 0.1 to
over 5 MB; one scanned note attached as base64 can be 1 MB), so the limit is 20 MB by
default and configurable with ``NELM_FHIR_MAX_BYTES``. Memory stays bounded: the body is
never read past the limit (the CLI reads at most limit + 1 bytes; the web edge counts the
bytes as they stream in), so the largest record held is the limit itself plus its parsed
form (measured in docs/fhir-mapping.md, "Size").
"""

from __future__ import annotations

import os

from nelm.errors import InputRejected, Problem

__all__ = ["DEFAULT_MAX_BYTES", "ENV_VAR", "describe_limit", "max_bundle_bytes", "too_large"]

DEFAULT_MAX_BYTES = 20_000_000
"""20 MB: the default upper size of one FHIR record (a Bundle, or a CDS Hooks request)."""

ENV_VAR = "NELM_FHIR_MAX_BYTES"


def max_bundle_bytes() -> int:
    """The configured limit: ``NELM_FHIR_MAX_BYTES`` (bytes, at least 1 MB) or 20 MB."""
    raw = os.environ.get(ENV_VAR, "").strip().replace("_", "")
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) < 1_000_000:
        raise InputRejected(
            [Problem(ENV_VAR, "a whole number of bytes of at least 1000000 (1 MB)", repr(raw))]
        )
    return int(raw)


def describe_limit(limit: int) -> str:
    """``20000000`` → ``"20 MB (20,000,000 bytes)"``."""
    return f"{limit / 1_000_000:g} MB ({limit:,} bytes)"


def too_large(where: str, size: int | None, limit: int) -> InputRejected:
    """The rejection of a record over the limit, naming the limit and how to raise it."""
    got = f"{size:,} bytes" if size is not None else "more than that"
    return InputRejected(
        [
            Problem(
                where,
                f"a FHIR record of at most {describe_limit(limit)}; a larger limit is set "
                f"with the environment variable {ENV_VAR}",
                got,
            )
        ]
    )
