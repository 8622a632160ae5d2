"""``nelm serve --workers 2``: every worker listens on its own socket and takes connections.

With one shared socket, the worker that woke first accepted every waiting connection and
kept them (keep-alive): 32 benchmark clients all landed on one worker
(docs/benchmarks-web.md). Linux's ``SO_REUSEPORT`` spreads connections over the workers'
sockets by a hash of the client address, so with 16 connections all on one worker would
have odds of 2 in 65,536.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nelm.web.workers import balanced_workers_available

pytestmark = pytest.mark.skipif(
    not balanced_workers_available() or shutil.which("ss") is None,
    reason="SO_REUSEPORT balancing is Linux's; the check reads sockets with ss (iproute2)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(port: int, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-m", "nelm", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--database", f"sqlite:///{tmp_path}/s.sqlite"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _ss(*query: str) -> str:
    return subprocess.run(["ss", "-Hn", *query], capture_output=True, text=True).stdout


def _listening_pids(port: int) -> set[str]:
    return set(re.findall(r"pid=(\d+)", _ss("-ltp", f"sport = :{port}")))


def _health_answered_by(port: int) -> str | None:
    """The pid of the worker that answered one health request on a new connection, or
    None when none answered within a few seconds (a worker still starting up)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/api/v1/health")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            return None
        local_port = connection.sock.getsockname()[1]
        held = _ss("-tp", "state", "established", f"( sport = :{port} and dport = :{local_port} )")
        found = re.findall(r"pid=(\d+)", held)
        return found[0] if found else None
    except OSError:  # refused, reset or timed out: not ready yet
        return None
    finally:
        connection.close()


# A loaded machine (two cores shared with other test runs) can take well over ten seconds
# to import the application in two workers at once; the bound is generous, the poll quick.
_READY_WITHIN_S = 180


def _wait_until_every_worker_answers(process: subprocess.Popen[str], port: int) -> None:
    """Wait until two workers listen and each has answered /api/v1/health; fail naming
    what did not (no socket, or which worker's pid never answered)."""
    deadline = time.monotonic() + _READY_WITHIN_S
    listening: set[str] = set()
    answered: set[str] = set()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nelm serve exited ({process.returncode}):\n{process.communicate()[0]}")
        listening = _listening_pids(port)
        if len(listening) >= 2:
            pid = _health_answered_by(port)
            if pid is not None:
                answered.add(pid)
            if listening <= answered:
                return
        else:
            time.sleep(0.2)
    pytest.fail(
        f"nelm serve --workers 2 on port {port} not ready within {_READY_WITHIN_S} s: "
        f"{len(listening)} worker socket(s) listening (pids {sorted(listening)}), "
        f"/api/v1/health never answered by pid(s) {sorted(listening - answered)}"
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    process = _serve(port, tmp_path)
    try:
        _wait_until_every_worker_answers(process, port)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)  # also closes the output pipe
        except subprocess.TimeoutExpired:  # pragma: no cover - never leave it running
            process.kill()
            process.communicate()


def test_each_worker_listens_on_its_own_socket_and_takes_connections(server: int) -> None:
    listening = _ss("-lt", f"sport = :{server}").splitlines()
    assert len(listening) == 2  # one listening socket per worker, none in the parent
    connections = [http.client.HTTPConnection("127.0.0.1", server, timeout=10) for _ in range(16)]
    try:
        for c in connections:
            c.request("GET", "/api/v1/health")
            response = c.getresponse()
            response.read()
            assert response.status == 200
        held = _ss("-tp", "state", "established", f"sport = :{server}")
        workers = set(re.findall(r"pid=(\d+)", held))
        assert len(workers) == 2, held
    finally:
        for c in connections:
            c.close()


def test_a_port_in_use_is_refused_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _serve(port, tmp_path)
        out, _ = process.communicate(timeout=60)
    # named before anything is made, as an option given (cli-v1: exit 2, the input rejected)
    assert process.returncode == 2
    assert "error: --port: a port free on 127.0.0.1 (" in out
    assert f"got {port} (address already in use)" in out
    assert "Traceback" not in out and "login" not in out
