"""Load test of ``POST /api/v1/assess`` on loopback, and the assessment page's
time-to-interactive in Chromium.

Starts ``nelm serve`` on a free loopback port with a throw-away SQLite store, creates a
user and an API token, then sends the packaged example cases from CONCURRENCY concurrent
clients (httpx with asyncio), bounded both by a request count and by a time limit.
Prints p50/p90/p99 latency, the throughput, and (with ``--tti``) the time until the
assessment page is interactive (``domInteractive`` of the navigation timing), median of
several loads. Traffic goes to 127.0.0.1 only.

    .venv/bin/python tools/bench_api.py                  # 32 clients, 4000 requests
    .venv/bin/python tools/bench_api.py --workers 2 --tti
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _examples() -> list[bytes]:
    root = resources.files("nelm") / "examples"
    return [
        entry.read_bytes()
        for entry in sorted(root.iterdir(), key=lambda p: p.name)
        if entry.name.endswith(".json")
    ]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _load(
    base: str,
    token: str,
    bodies: list[bytes],
    concurrency: int,
    requests: int,
    seconds: float,
    rate: float | None = None,
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:

        async def worker(index: int) -> None:
            nonlocal sent, errors
            # with a rate: each client sends on its own schedule (rate / concurrency per
            # second, staggered); without: as fast as the answers come (saturation)
            interval = concurrency / rate if rate else 0.0
            next_at = time.perf_counter() + index * interval / concurrency
            while sent < requests and time.perf_counter() < deadline:
                if interval:
                    delay = next_at - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    next_at += interval
                    if sent >= requests:
                        break
                body = bodies[sent % len(bodies)]
                sent += 1
                started = time.perf_counter()
                response = await client.post("/api/v1/assess", content=body)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        for _ in range(3):  # warm up every worker, connection and code path
            for body in bodies:
                await client.post("/api/v1/assess", content=body)
        begun = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - begun
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(ms),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(ms) / elapsed, 1),
        "p50_ms": round(_percentile(ms, 50), 1),
        "p90_ms": round(_percentile(ms, 90), 1),
        "p99_ms": round(_percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def _run(coroutine: Any) -> Any:
    """asyncio.run, on uvloop when it is installed (a lighter client leaves more CPU to
    the server on a small machine)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def _time_to_interactive(base: str, username: str, password: str, loads: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/login")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(base + "/")
        page.goto(base + "/cases/1")  # first view: assessed and stored
        values = []
        for _ in range(loads):
            page.goto(base + "/cases/1")
            values.append(
                page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")
            )
        browser.close()
    return {
        "loads": loads,
        "median_ms": round(statistics.median(values), 1),
        "max_ms": round(max(values), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the load")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="offered load in requests/s shared by the clients (default: "
        "saturation, each client sends its next request on the answer)",
    )
    parser.add_argument("--tti", action="store_true", help="also measure the page in Chromium")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    from nelm.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="nelm-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    store = Store(url)
    password = "benchmark password"
    user = store.create_user("bench", "admin", password)
    _, token = store.create_api_token(user.id, "bench")
    store.close()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    nelm = Path(sys.executable).with_name("nelm")
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(nelm),
            "serve",
            "--port",
            str(port),
            "--database",
            url,
            "--examples",
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
        env={**os.environ},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        time.sleep(2)  # let every worker process finish starting
        load = _run(
            _load(
                base, token, _examples(), args.concurrency, args.requests, args.seconds, args.rate
            )
        )
        tti = _time_to_interactive(base, "bench", password, 10) if args.tti else None
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    print(f"server log: {tmp / 'server.log'}", file=sys.stderr)
    result = {
        "endpoint": "POST /api/v1/assess",
        "concurrency": args.concurrency,
        "offered_rps": args.rate,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        **load,
        "tti": tti,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        offered = f"offered {args.rate:g} requests/s" if args.rate else "saturation"
        print(
            f"POST /api/v1/assess, {args.concurrency} concurrent clients ({offered}), "
            f"{args.workers} worker(s), {os.cpu_count()} CPUs"
        )
        print(
            f"  {load['requests']} requests in {load['seconds']} s "
            f"({load['errors']} errors): {load['throughput_rps']} requests/s"
        )
        print(
            f"  latency p50 {load['p50_ms']} ms, p90 {load['p90_ms']} ms, "
            f"p99 {load['p99_ms']} ms, max {load['max_ms']} ms"
        )
        if tti:
            print(
                f"  assessment page interactive after {tti['median_ms']} ms (median of "
                f"{tti['loads']}, max {tti['max_ms']} ms)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
