from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nelm.store import Store, UserRecord
from nelm.web.app import create_app
from nelm.web.settings import Settings
from tests.store.support import open_store

PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    """One running application on a fresh database, with helpers to log in."""

    app: FastAPI
    store: Store
    announced: list[str]

    def client(self, base_url: str = "http://testserver") -> TestClient:
        return TestClient(self.app, base_url=base_url, follow_redirects=False)

    def user(self, username: str, role: str) -> UserRecord:
        return self.store.create_user(username, role, PASSWORD)

    def token(self, username: str, role: str) -> dict[str, str]:
        user = self.store.find_user(username) or self.user(username, role)
        _, token = self.store.create_api_token(user.id, "tests")
        return {"Authorization": f"Bearer {token}"}

    def login(self, client: TestClient, username: str, password: str = PASSWORD) -> str:
        """Log in through the login form; return the session's CSRF token."""
        page = client.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": csrf.group(1),
                "next": "/",
            },
        )
        assert response.status_code == 303, response.text
        return session_csrf(client)


def session_csrf(client: TestClient) -> str:
    page = client.get("/account")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def make_site(backend: str, tmp_path: Path, **settings: object) -> Site:
    store = open_store(backend, tmp_path)
    announced: list[str] = []
    app = create_app(
        Settings(announce=announced.append, **settings),  # type: ignore[arg-type]
        store=store,
    )
    return Site(app, store, announced)


@pytest.fixture
def site_factory(tmp_path: Path) -> Iterator[Callable[..., Site]]:
    made: list[Site] = []

    def factory(backend: str = "sqlite", **settings: object) -> Site:
        site = make_site(backend, tmp_path / f"db{len(made)}", **settings)
        made.append(site)
        return site

    (tmp_path / "db0").mkdir()
    for i in range(1, 4):
        (tmp_path / f"db{i}").mkdir()
    yield factory
    for site in made:
        site.store.close()


@pytest.fixture
def site(site_factory: Callable[..., Site]) -> Site:
    return site_factory("sqlite")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_site(request: pytest.FixtureRequest, site_factory: Callable[..., Site]) -> Site:
    return site_factory(str(request.param))
