"""Shared by the store and web tests: the two databases and the CI rule.

PostgreSQL tests use ``NELM_TEST_POSTGRES_URL`` (CI sets it, e.g.
``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``); without it they are skipped
on a developer machine and fail on CI (``CI=true``).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from nelm.store import Store

PG_ENV = "NELM_TEST_POSTGRES_URL"
PG_HINT = (
    "set NELM_TEST_POSTGRES_URL to a PostgreSQL database (apt-get install "
    "postgresql; .ci/run shows how to start a throwaway server)"
)


def on_ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail(message: str) -> None:
    """Skip on a developer machine; fail on CI, where every part is installed."""
    if on_ci():
        pytest.fail(f"required on CI: {message}")
    pytest.skip(message)


def postgres_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        skip_or_fail(f"PostgreSQL tests need a server: {PG_HINT}")
    return url


def reset_postgres(url: str) -> None:
    """Empty the database: drop and recreate the public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'nelm.sqlite'}"


def open_store(backend: str, tmp_path: Path) -> Store:
    if backend == "sqlite":
        return Store(sqlite_url(tmp_path))
    url = postgres_url()
    reset_postgres(url)
    return Store(url)


def pg_ctl(action: str) -> None:
    """Stop or start the test PostgreSQL server (``NELM_TEST_PG_CTL``/``NELM_TEST_PGDATA``).

    Run as the ``postgres`` user when the tests run as root (pg_ctl refuses root). On
    start, the server listens on the host and port of ``NELM_TEST_POSTGRES_URL``.
    """
    ctl = os.environ.get("NELM_TEST_PG_CTL", "").strip()
    data = os.environ.get("NELM_TEST_PGDATA", "").strip()
    if not ctl or not data:
        skip_or_fail(
            "stopping and starting PostgreSQL needs NELM_TEST_PG_CTL and "
            "NELM_TEST_PGDATA (see .ci/run)"
        )
    url = make_url(postgres_url())
    if action == "stop":
        args = [ctl, "-D", data, "-m", "fast", "-w", "stop"]
    else:
        options = f"-c listen_addresses={url.host or '127.0.0.1'} -p {url.port or 5432} -k /tmp"
        args = [ctl, "-D", data, "-o", options, "-l", str(Path(data) / "log"), "-w", "start"]
    if os.geteuid() == 0:
        args = ["su", "postgres", "-c", shlex.join(args)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
