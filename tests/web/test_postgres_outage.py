"""PostgreSQL stopped: the API answers 503 with a clear message, and service resumes by
itself when the server is back (pool_pre_ping). Needs NELM_TEST_PG_CTL/NELM_TEST_PGDATA."""

from __future__ import annotations

import time
from collections.abc import Callable

from nelm.web.errors import DATABASE_DOWN
from tests.store.support import pg_ctl
from tests.web.conftest import Site


def test_database_down_gives_503_and_recovers(site_factory: Callable[..., Site]) -> None:
    site = site_factory("postgresql")
    client = site.client()
    headers = site.token("c", "clinician")
    created = client.post("/api/v1/cases", json={"case_id": "pg-1"}, headers=headers)
    assert created.status_code == 201
    site.user("browser", "viewer")
    browser = site.client()
    site.login(browser, "browser")
    pg_ctl("stop")
    try:
        down = client.get("/api/v1/cases", headers=headers)
        assert down.status_code == 503
        assert down.json()["detail"] == DATABASE_DOWN
        assert down.headers["retry-after"] == "5"
        health = client.get("/api/v1/health")
        assert health.status_code == 503 and health.json()["database"] == "unreachable"
        page = browser.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 503 and "Temporarily unavailable" in page.text
        assert "Traceback" not in page.text
    finally:
        pg_ctl("start")
    deadline = time.monotonic() + 30
    while True:
        back = client.get("/api/v1/cases", headers=headers)
        if back.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert back.status_code == 200
    assert [c["case_id"] for c in back.json()] == ["pg-1"]
    assert client.get("/api/v1/health").json()["database"] == "ok"
