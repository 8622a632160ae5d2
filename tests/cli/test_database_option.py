"""``--database`` of ``nelm serve`` and ``nelm knowledge-changes``: a store that cannot be
opened is named (exit 2, the contract's "input rejected"), never an internal error, and the
URL is shown without its password."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_assess_cli import run

EXPECTED = (
    "error: --database: a case store nelm can open (sqlite:///FILE or "
    "postgresql+psycopg://USER@HOST:PORT/DB), got "
)


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_knowledge_changes_never_creates_an_empty_store(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "typo.sqlite"
    code, out, err = run(
        ["knowledge-changes", "--database", f"sqlite:///{missing}"], capsys, monkeypatch
    )
    assert code == 2 and out == ""
    assert err == (
        f"error: --database: an existing nelm case store, got no such file sqlite:///{missing}\n"
    )
    assert not missing.exists()


@pytest.mark.parametrize("command", ["knowledge-changes", "serve"])
def test_an_unreachable_server_is_named_without_its_password(
    command: str, capsys: Any, monkeypatch: Any
) -> None:
    url = f"postgresql+psycopg://nelm:secret@127.0.0.1:{_closed_port()}/nelm"
    free = ["--port", str(_closed_port())] if command == "serve" else []
    code, _, err = run([command, "--database", url, *free], capsys, monkeypatch)
    assert code == 2
    line = err.splitlines()[-1]
    assert line.startswith(EXPECTED + url.replace("secret", "***") + " (")
    assert "secret" not in err and "Traceback" not in err


@pytest.mark.parametrize("url", ["nonsense://", "::::"])
def test_a_url_that_is_no_database_url_is_named(url: str, capsys: Any, monkeypatch: Any) -> None:
    code, _, err = run(["knowledge-changes", "--database", url], capsys, monkeypatch)
    assert code == 2
    assert err.startswith(EXPECTED + url + " (")


def test_serve_names_a_store_file_it_cannot_create(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/no-such-directory/nelm.sqlite"
    free = ["--port", str(_closed_port())]
    code, _, err = run(["serve", "--database", url, *free], capsys, monkeypatch)
    assert code == 2
    assert err.splitlines()[-1] == EXPECTED + url + " (unable to open database file)"


def test_serve_names_a_port_another_program_listens_on(
    capsys: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    # a second `make run` beside the first: named before a store is made (contract: exit 2)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        url = f"sqlite:///{tmp_path}/nelm.sqlite"
        code, out, err = run(["serve", "--database", url, "--port", str(port)], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.startswith("error: --port: a port free on 127.0.0.1 (")
    assert f"got {port} (" in err and "Traceback" not in err
    assert not (tmp_path / "nelm.sqlite").exists()
