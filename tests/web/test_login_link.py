"""The first administrator's one-time login address never reaches a service log
(docs/web.md "First login"): printed on a terminal only, otherwise written to a file only
its owner may read, and the file removed once the address is used."""

from __future__ import annotations

import os
import pty
import re
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import PASSWORD, Site

ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/login/once\?token=[A-Za-z0-9_-]+")


def test_the_address_goes_to_an_owner_only_file_and_is_removed_when_used(
    site_factory: Callable[..., Site], tmp_path: Path
) -> None:
    written = tmp_path / "nelm-login-link.txt"
    site = site_factory("sqlite", login_link_file=written)
    (said,) = site.announced
    assert "token=" not in said and str(written) in said
    assert "readable by its owner only" in said
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    address = written.read_text("utf-8").strip()
    assert ADDRESS.fullmatch(address)
    used = site.client().get(address.removeprefix("http://127.0.0.1:8000"))
    assert used.status_code == 303 and used.headers["location"] == "/account?welcome=1"
    assert not written.exists()


def test_a_start_after_the_password_is_set_removes_an_unused_file(
    site_factory: Callable[..., Site], tmp_path: Path
) -> None:
    written = tmp_path / "nelm-login-link.txt"
    written.write_text("http://127.0.0.1:8000/login/once?token=old\n", "utf-8")
    site = site_factory("sqlite", login_link_file=written)
    assert written.exists()  # no administrator has a password yet: a new address
    admin = site.store.find_user("admin")
    assert admin is not None
    site.store.update_user(admin.id, password=PASSWORD)
    from nelm.web.bootstrap import ensure_admin

    announced: list[str] = []
    assert ensure_admin(site.store, "http://127.0.0.1:8000", announced.append, written) is None
    assert announced == [] and not written.exists()


def _free_port() -> int:
    # the ports this project's servers use in tests of a real `nelm serve`
    for port in range(8142, 8150):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8142-8149")


@contextmanager
def _serve(tmp_path: Path, *, terminal: bool) -> Iterator[tuple[int, Callable[[], str]]]:
    """``nelm serve`` on a new SQLite store in ``tmp_path``, its standard output a pipe
    (as under systemd or docker) or a terminal; yields the port and what it printed."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    command = [sys.executable, "-m", "nelm", "serve", "--port", str(port),
               "--database", f"sqlite:///{tmp_path}/board.sqlite"]  # fmt: skip
    log = tmp_path / "server.log"
    with log.open("w") as err:
        if terminal:
            leader, follower = pty.openpty()
            process = subprocess.Popen(command, env=env, stdout=follower, stderr=err)
            os.close(follower)
        else:
            leader = -1
            process = subprocess.Popen(command, env=env, stdout=err, stderr=err)
    seen: list[bytes] = []

    def printed() -> str:
        if leader >= 0:
            while True:
                try:
                    chunk = os.read(leader, 65536) if _ready(leader) else b""
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                seen.append(chunk)
        return b"".join(seen).decode("utf-8", "replace") + log.read_text("utf-8")

    try:
        deadline = time.monotonic() + 60
        while "Uvicorn running" not in printed() and "Application startup" not in printed():
            assert process.poll() is None, printed()
            assert time.monotonic() < deadline, printed()
            time.sleep(0.2)
        yield port, printed
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - never leave it running
            process.kill()
            process.wait()
        if leader >= 0:
            os.close(leader)


def _ready(fd: int) -> bool:
    import select

    return bool(select.select([fd], [], [], 0.1)[0])


@pytest.mark.slow
def test_a_server_logging_to_a_pipe_prints_where_the_address_is_not_the_address(
    tmp_path: Path,
) -> None:
    with _serve(tmp_path, terminal=False) as (port, printed):
        output = printed()
        written = tmp_path / "nelm-login-link.txt"
        assert "token=" not in output
        assert str(written) in output
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        address = written.read_text("utf-8").strip()
        assert ADDRESS.fullmatch(address) and f":{port}/" in address
        used = httpx.get(address, follow_redirects=False, timeout=10)
        assert used.status_code == 303
        assert not written.exists()
        assert "token=" not in printed()  # not in the request log either


@pytest.mark.slow
def test_a_server_on_a_terminal_prints_the_address(tmp_path: Path) -> None:
    with _serve(tmp_path, terminal=True) as (port, printed):
        shown = ADDRESS.search(printed())
        assert shown is not None and f":{port}/" in shown.group(0)
        assert not (tmp_path / "nelm-login-link.txt").exists()


def test_a_place_that_cannot_be_written_stops_the_start_with_the_reason(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from nelm.cli import app

    missing = tmp_path / "no-such-directory" / "link.txt"
    result = CliRunner().invoke(
        app,
        ["serve", "--port", str(_free_port()), "--database", f"sqlite:///{tmp_path}/b.sqlite",
         "--login-link-file", str(missing)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        f"error: cannot write the one-time login address to {missing}: No such file or "
        "directory; name a writable place with --login-link-file, or start nelm serve in a "
        "terminal to have it printed"
    ) in result.output
    assert "token=" not in result.output
