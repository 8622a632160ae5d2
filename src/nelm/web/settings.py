"""How one web application instance is configured."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nelm.interop.fhir.size import DEFAULT_MAX_BYTES, max_bundle_bytes

__all__ = ["Settings"]


def _print(message: str) -> None:
    print(message, flush=True)


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings of :func:`nelm.web.app.create_app`.

    ``database_url``: None means ``NELM_DATABASE_URL`` or ``./nelm.sqlite``.
    ``public_url``: the address printed in the first administrator's one-time login link.
    ``secure_cookies``: None sets ``Secure`` when the request came over https.
    ``announce``: where the one-time login address is announced (the console).
    ``login_link_file``: where the address itself is written instead, readable by its
    owner only (``nelm serve`` when its output is not a terminal); None: announced whole.
    ``bootstrap``: False in worker processes, whose parent has already made sure an
    administrator can log in and loaded the examples.
    """

    database_url: str | None = None
    load_examples: bool = False
    public_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool | None = None
    max_body_bytes: int = DEFAULT_MAX_BYTES
    """The largest request body (a FHIR Bundle may be this large; a case document is
    still refused over 1 MB): ``NELM_FHIR_MAX_BYTES``, 20 MB by default."""
    login_max_failures: int = 5
    login_window_seconds: float = 900.0
    announce: Callable[[str], None] = field(default=_print)
    login_link_file: Path | None = None
    bootstrap: bool = True

    @staticmethod
    def from_env(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "database_url": os.environ.get("NELM_DATABASE_URL"),
            "max_body_bytes": max_bundle_bytes(),
        }
        written = os.environ.get("NELM_LOGIN_LINK_FILE")
        if written:
            values["login_link_file"] = Path(written)
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]
