"""The application log of ``nelm serve`` (nelm.web.logs), in every process it runs in."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

_WORKER = textwrap.dedent(
    """
    import logging
    from fastapi.testclient import TestClient
    from nelm.web.app import create_worker_app

    app = create_worker_app()
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # the test's own client
    with TestClient(app) as client:
        client.get("/api/v1/health?q=Jane+Planted")
        client.get("/api/v1/cases/7?patient=Jane+Planted")
    for name in ("httpx", "alembic", "weasyprint.progress"):
        print(name, logging.getLogger(name).getEffectiveLevel())
    """
)


def test_a_worker_process_logs_each_request_as_the_server_does(tmp_path: Path) -> None:
    # a worker of `nelm serve --workers N` is a fresh interpreter: no request was logged
    env = {**os.environ, "NELM_DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite"}
    run = subprocess.run(
        [sys.executable, "-c", _WORKER],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "INFO nelm.web.access: GET /api/v1/health 200" in run.stderr, run.stderr
    assert "INFO nelm.web.access: GET /api/v1/cases/{case_pk} 401" in run.stderr
    assert "Jane" not in run.stderr and "Planted" not in run.stderr
    # the libraries that log a URL (a patient's id), migrations or each PDF page at INFO
    assert run.stdout.split() == ["httpx", "30", "alembic", "30", "weasyprint.progress", "30"]
