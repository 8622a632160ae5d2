"""Several server processes on one port, each accepting on its own socket (Linux).

``uvicorn --workers N`` binds one listening socket and hands it to every worker. A worker
that wakes first accepts every connection waiting, and a client keeps its connection
(keep-alive), so a few busy clients can all land on one worker while the others idle:
measured with 32 clients, one worker used a whole core and the other none
(docs/benchmarks-web.md). Here each worker binds its own socket with ``SO_REUSEPORT``, and
the kernel spreads new connections over the workers' sockets. The parent only reserves the
port (bound, never listening, so no connection waits on it).

Everything else is uvicorn's own supervisor: start-up checks, restarting a worker that
died, stopping on a signal. Where ``SO_REUSEPORT`` is missing (or not Linux, whose kernel
is the one that balances) the caller uses uvicorn's ordinary shared socket.
"""

from __future__ import annotations

import socket
import sys

from uvicorn import Config
from uvicorn.supervisors import multiprocess

__all__ = ["balanced_workers_available", "run_balanced_workers"]


def balanced_workers_available() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _reuse_port_socket(host: str, port: int, *, listen: bool) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    if listen:
        sock.listen(2048)  # uvicorn's default backlog
    sock.set_inheritable(True)
    return sock


class _OwnSocketProcess(multiprocess.Process):
    """A uvicorn worker that listens on a socket of its own (bound in the worker)."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        own = _reuse_port_socket(self.config.host, self.config.port, listen=True)
        super().target([own])


def _check_port_free(host: str, port: int) -> None:
    """Raise OSError when anything listens on the port already: a socket with
    ``SO_REUSEPORT`` would otherwise join another server's group and share its port."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        probe.bind(address)


def run_balanced_workers(config: Config) -> None:
    """Run ``config.workers`` workers, each on its own ``SO_REUSEPORT`` socket."""
    _check_port_free(config.host, config.port)
    reserved = _reuse_port_socket(config.host, config.port, listen=False)
    shared = multiprocess.Process
    # The supervisor creates its workers (and their replacements) through this name.
    multiprocess.Process = _OwnSocketProcess  # type: ignore[misc]
    try:
        multiprocess.Multiprocess(config, sockets=[reserved]).run()
    finally:
        multiprocess.Process = shared  # type: ignore[misc]
        reserved.close()
