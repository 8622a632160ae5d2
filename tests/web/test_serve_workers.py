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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[int]:
    port = _free_port()
    process = _serve(port, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listening = subprocess.run(
                ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True
            ).stdout.splitlines()
            if len(listening) >= 2:
                break
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)  # also closes the output pipe
        except subprocess.TimeoutExpired:  # pragma: no cover - never leave it running
            process.kill()
            process.communicate()


def test_each_worker_listens_on_its_own_socket_and_takes_connections(server: int) -> None:
    listening = subprocess.run(
        ["ss", "-Hltn", f"sport = :{server}"], capture_output=True, text=True
    ).stdout.splitlines()
    assert len(listening) == 2  # one listening socket per worker, none in the parent
    connections = [http.client.HTTPConnection("127.0.0.1", server, timeout=10) for _ in range(16)]
    try:
        for c in connections:
            c.request("GET", "/api/v1/health")
            response = c.getresponse()
            response.read()
            assert response.status == 200
        held = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"sport = :{server}"],
            capture_output=True,
            text=True,
        ).stdout
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
