"""Soak test: mixed traffic from 32 clients against ``nelm serve`` on loopback, bounded.

Starts ``nelm serve`` (one process) on a free 127.0.0.1 port with the given store, then
runs 32 clients for SECONDS, together sending RATE requests per second (each client on its
own schedule): assess a case, list cases, read a case, read its
assessment, create a case, change a case (half of the changes with ``If-Match``), record a
decision, delete a case (the working set stays near 60 cases, so the list does not grow
with the run). Every WINDOW seconds it records the answers (p50/p99 latency, statuses)
and samples the server: resident memory, open file descriptors, and database connections
(PostgreSQL: sessions in ``pg_stat_activity``; SQLite: descriptors open on the database
file). At the end it checks that

- no answer was a 5xx or a broken connection,
- the memory after the run is within 25 % (+ 20 MB) of its value after the first window;
  descriptors other than sockets and the database's own files within 5 of theirs; sockets
  within the clients plus the pool; database connections within the pool's ceiling,
- every window's p99 is within 2× of the first window's (the first minute of a long run),

prints one JSON document (windows, samples, checks) and exits 0 when all checks hold,
1 otherwise. Traffic goes to 127.0.0.1 only; the server is stopped at the end.

    .venv/bin/python tools/soak.py --database sqlite --seconds 600 --window 60
    .venv/bin/python tools/soak.py --database postgresql+psycopg://USER@HOST:PORT/DB

The test suite runs a short version (tests/web/test_soak.py); the ten-minute figures are
in docs/benchmarks-web.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

CLIENTS = 32
WORKING_SET = 60
PG_POOL_CEILING = 30  # pool_size 10 + max_overflow 20 (nelm.store.db)
SQLITE_POOL_CEILING = 15  # SQLAlchemy's default QueuePool: 5 + overflow 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _examples() -> list[dict[str, Any]]:
    root = resources.files("nelm") / "examples"
    return [
        json.loads(entry.read_text("utf-8"))
        for entry in sorted(root.iterdir(), key=lambda p: p.name)
        if entry.name.endswith(".json")
    ]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Server:
    """``nelm serve`` in a child process, with its token and the probes of its resources."""

    def __init__(self, url: str, scratch: Path) -> None:
        from nelm.store import Store

        store = Store(url)
        name = "soak-" + secrets.token_hex(4)
        user = store.create_user(name, "admin", secrets.token_urlsafe(16))
        self.token = store.create_api_token(user.id, "soak")[1]
        store.close()
        self.url = url
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (scratch / "serve.log").open("w")
        env = {**os.environ, "NELM_DATABASE_URL": url}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nelm",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("the server did not start (see its log)")
        self._pg = None
        if url.startswith("postgresql"):
            from sqlalchemy import create_engine

            self._pg = create_engine(url, pool_size=1)

    def sample(self) -> dict[str, float]:
        pid = self.process.pid
        rss_kb = 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
        fd_dir = Path(f"/proc/{pid}/fd")
        links = []
        for fd in fd_dir.iterdir():
            try:
                links.append(os.readlink(fd))
            except OSError:
                continue
        if self._pg is not None:
            from sqlalchemy import text

            with self._pg.connect() as connection:
                connections = int(
                    connection.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        )
                    ).scalar()
                    or 0
                )
        database_files: set[str] = set()
        if self._pg is None:
            database = os.path.abspath(self.url.removeprefix("sqlite:///"))
            connections = sum(1 for link in links if link == database)
            database_files = {database, database + "-wal", database + "-shm"}
        sockets = sum(1 for link in links if link.startswith("socket:"))
        of_database = sum(1 for link in links if link in database_files)
        # sockets come and go with the clients' connections (at most 32) and the pool's,
        # and each pooled SQLite connection holds the database, its WAL and its shared
        # memory open; the other descriptors are what a leak would pile up
        return {
            "rss_mb": round(rss_kb / 1024, 1),
            "fds": len(links),
            "sockets": sockets,
            "other_fds": len(links) - sockets - of_database,
            "db_connections": connections,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if self._pg is not None:
            self._pg.dispose()


class Traffic:
    """The mixed workload; every answer lands in the current window."""

    def __init__(self, client: httpx.AsyncClient, seed: int) -> None:
        self.client = client
        self.random = random.Random(seed)
        self.examples = _examples()
        self.cases: list[int] = []
        self.serial = 0
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()

    def _doc(self, case_id: str) -> dict[str, Any]:
        doc = dict(self.random.choice(self.examples))
        doc["case_id"] = case_id
        doc["label"] = f"soak {self.random.randint(0, 10**6)}"
        return doc

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.statuses[f"error:{type(exc).__name__}"] += 1
            return None
        self.latencies.append(time.perf_counter() - started)
        self.statuses[str(response.status_code)] += 1
        return response

    async def create(self) -> None:
        self.serial += 1
        case_id = f"soak-{os.getpid()}-{self.serial}-{secrets.token_hex(3)}"
        response = await self._call("POST", "/api/v1/cases", json=self._doc(case_id))
        if response is not None and response.status_code == 201:
            self.cases.append(int(response.json()["id"]))

    async def step(self) -> None:
        roll = self.random.random()
        if not self.cases or (roll < 0.08 and len(self.cases) < WORKING_SET):
            await self.create()
            return
        pk = self.random.choice(self.cases)
        if roll < 0.38:
            await self._call("POST", "/api/v1/assess", json=self._doc("soak-assess"))
        elif roll < 0.50:
            await self._call("GET", "/api/v1/cases")
        elif roll < 0.62:
            await self._call("GET", f"/api/v1/cases/{pk}")
        elif roll < 0.74:
            await self._call("GET", f"/api/v1/cases/{pk}/assessment")
        elif roll < 0.88:
            read = await self._call("GET", f"/api/v1/cases/{pk}")
            if read is None or read.status_code != 200:
                return
            doc = read.json()["document"]
            doc["label"] = f"soak edit {self.random.randint(0, 10**6)}"
            headers = {"If-Match": read.headers["ETag"]} if self.random.random() < 0.5 else {}
            await self._call("PUT", f"/api/v1/cases/{pk}", json=doc, headers=headers)
        elif roll < 0.95:
            await self._call(
                "POST",
                f"/api/v1/cases/{pk}/decisions",
                json={"options": ["liver_resection"], "text": "soak decision"},
            )
        elif len(self.cases) > WORKING_SET // 2:
            self.cases.remove(pk)
            await self._call("DELETE", f"/api/v1/cases/{pk}")


async def _run(server: Server, seconds: float, window: float, rate: float) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {server.token}"}
    # idle connections are dropped before the server's keep-alive timeout (5 s) can close
    # them under a request: that race is the client's, not the server's
    limits = httpx.Limits(
        max_connections=CLIENTS, max_keepalive_connections=CLIENTS, keepalive_expiry=2
    )
    windows: list[dict[str, Any]] = []
    async with httpx.AsyncClient(
        base_url=server.base, headers=headers, limits=limits, timeout=30
    ) as client:
        traffic = Traffic(client, seed=13)
        for _ in range(10):
            await traffic.create()
        started = time.perf_counter()
        deadline = started + seconds

        interval = CLIENTS / rate  # each client's own schedule, staggered

        async def worker(index: int) -> None:
            next_at = started + index * interval / CLIENTS
            while time.perf_counter() < deadline:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_at += interval
                await traffic.step()

        async def sampler() -> None:
            next_at = started + window
            while next_at <= deadline + 0.01:
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                latencies, traffic.latencies = traffic.latencies, []
                statuses, traffic.statuses = traffic.statuses, Counter()
                windows.append(
                    {
                        "t": round(next_at - started),
                        "requests": len(latencies),
                        "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
                        "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
                        "mean_ms": round(statistics.fmean(latencies) * 1000, 1)
                        if latencies
                        else 0.0,
                        "statuses": dict(sorted(statuses.items())),
                        **await asyncio.to_thread(server.sample),
                    }
                )
                next_at += window

        await asyncio.gather(sampler(), *(worker(i) for i in range(CLIENTS)))
    return windows


def check(windows: list[dict[str, Any]], postgres: bool) -> dict[str, Any]:
    """The verdicts: each a bool and the figures it was decided on."""
    first, last = windows[0], windows[-1]
    failures = {
        code: n
        for w in windows
        for code, n in w["statuses"].items()
        if code.startswith("5") or code.startswith("error")
    }
    worst_p99 = max(w["p99_ms"] for w in windows[1:]) if len(windows) > 1 else first["p99_ms"]
    ceiling = PG_POOL_CEILING if postgres else SQLITE_POOL_CEILING
    return {
        "no_5xx_or_broken_connections": {"ok": not failures, "seen": failures},
        "memory_bounded": {
            "ok": last["rss_mb"] <= first["rss_mb"] * 1.25 + 20,
            "first_mb": first["rss_mb"],
            "last_mb": last["rss_mb"],
        },
        "file_descriptors_bounded": {
            "ok": last["other_fds"] <= first["other_fds"] + 5
            and max(w["sockets"] for w in windows) <= CLIENTS + ceiling + 5,
            "first_other": first["other_fds"],
            "last_other": last["other_fds"],
            "max_sockets": max(w["sockets"] for w in windows),
            "socket_ceiling": CLIENTS + ceiling + 5,
        },
        "db_connections_bounded": {
            "ok": max(w["db_connections"] for w in windows) <= ceiling,
            "max": max(w["db_connections"] for w in windows),
            "ceiling": ceiling,
        },
        "p99_within_2x_of_first_window": {
            "ok": worst_p99 <= 2 * first["p99_ms"],
            "first_ms": first["p99_ms"],
            "worst_later_ms": worst_p99,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", default="sqlite", help="'sqlite' (a new file) or a PostgreSQL URL"
    )
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument(
        "--window", type=float, default=60, help="seconds per window (the first is the reference)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=40,
        help="requests per second from all clients together (open loop; "
        "a client that falls behind sends as fast as answers come)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nelm-soak-") as scratch:
        url = f"sqlite:///{scratch}/soak.sqlite" if args.database == "sqlite" else args.database
        server = Server(url, Path(scratch))
        try:
            windows = asyncio.run(_run(server, args.seconds, args.window, args.rate))
        finally:
            server.stop()
        log = (Path(scratch) / "serve.log").read_text(errors="replace")
    checks = check(windows, url.startswith("postgresql"))
    problems = [line for line in log.splitlines() if "Traceback" in line or " ERROR " in line]
    checks["no_tracebacks_logged"] = {"ok": not problems, "lines": problems[:5]}
    total = sum(w["requests"] for w in windows)
    report = {
        "database": url.split(":", 1)[0],
        "clients": CLIENTS,
        "seconds": args.seconds,
        "window_seconds": args.window,
        "target_rate": args.rate,
        "requests": total,
        "requests_per_second": round(total / args.seconds, 1),
        "windows": windows,
        "checks": checks,
        "ok": all(c["ok"] for c in checks.values()),
    }
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
