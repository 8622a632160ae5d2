"""Latency of one CDS Hooks patient-view call with full prefetch (target: p95 < 100 ms).

Builds the CDS router in a minimal FastAPI app with a freshly generated ES384 key (its
JWKS in a temporary file) and sends synthetic patients' patient-view calls (every
prefetch key filled, ``nelm.interop.cds_hooks.example``), one at a time, each with its
own signed token (signed before the clock starts). Two ways:

* ``asgi``: in-process through httpx's ASGI transport (the service's own cost: token
  check, prefetch reading, FHIR validation and mapping, assessment, cards);
* ``uvicorn``: uvicorn on a free 127.0.0.1 port, httpx over loopback (adds HTTP parsing
  and the socket).

Bounded by ``--requests`` per mode and by ``--seconds``; traffic stays on this machine.

    .venv/bin/python tools/bench_cds.py                        # both, 500 requests each
    .venv/bin/python tools/bench_cds.py --write docs/benchmarks-cds.md
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI
from jwt.algorithms import ECAlgorithm

from nelm.interop.cds_hooks import (
    CdsSettings,
    InMemoryFeedbackSink,
    TrustedIssuer,
    create_cds_router,
)
from nelm.interop.cds_hooks.example import hook_request

ISSUER = "https://ehr.bench.invalid"
SERVICE = "/cds-services/nelm-liver-metastases"
TARGET_P95_MS = 100.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _app(directory: Path) -> tuple[FastAPI, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP384R1())
    jwk = json.loads(ECAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "bench-1", "use": "sig"})
    jwks = directory / "jwks.json"
    jwks.write_text(json.dumps({"keys": [jwk]}))
    settings = CdsSettings(
        app_base_url="http://127.0.0.1:8000", issuers=(TrustedIssuer(ISSUER, jwks_path=jwks),)
    )
    app = FastAPI()
    app.include_router(create_cds_router(settings, feedback_sink=InMemoryFeedbackSink()))
    return app, key


def _token(key: ec.EllipticCurvePrivateKey, audience: str) -> str:
    now = int(time.time())
    return jwt.encode(
        {"iss": ISSUER, "aud": audience, "iat": now, "exp": now + 280, "jti": str(uuid.uuid4())},
        key,
        algorithm="ES384",
        headers={"kid": "bench-1"},
    )


def _bodies(count: int) -> list[bytes]:
    return [json.dumps(hook_request(seed)).encode() for seed in range(1, count + 1)]


def _run(
    send: Callable[[bytes, str], int],
    key: ec.EllipticCurvePrivateKey,
    audience: str,
    bodies: list[bytes],
    requests: int,
    warmup: int,
    seconds: float,
) -> dict[str, Any]:
    for i in range(warmup):
        send(bodies[i % len(bodies)], _token(key, audience))
    latencies: list[float] = []
    failures = 0
    deadline = time.monotonic() + seconds
    batch = 100  # tokens live 280 s: sign them in batches, outside the timing
    i = 0
    while i < requests and time.monotonic() < deadline:
        tokens = [_token(key, audience) for _ in range(min(batch, requests - i))]
        for token in tokens:
            body = bodies[i % len(bodies)]
            started = time.perf_counter()
            status = send(body, token)
            latencies.append((time.perf_counter() - started) * 1000)
            failures += status != 200
            i += 1
            if time.monotonic() >= deadline:
                break
    return {
        "requests": len(latencies),
        "failures": failures,
        "p50": statistics.median(latencies),
        "p90": _percentile(latencies, 90),
        "p95": _percentile(latencies, 95),
        "p99": _percentile(latencies, 99),
        "max": max(latencies),
        "mean": statistics.fmean(latencies),
    }


def bench_asgi(
    app: FastAPI,
    key: ec.EllipticCurvePrivateKey,
    bodies: list[bytes],
    requests: int,
    warmup: int,
    seconds: float,
) -> dict[str, Any]:
    base = "http://bench.invalid"
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base)

    def send(body: bytes, token: str) -> int:
        response = loop.run_until_complete(
            client.post(
                SERVICE,
                content=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        )
        return response.status_code

    try:
        return _run(send, key, base + SERVICE, bodies, requests, warmup, seconds)
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_uvicorn(
    app: FastAPI,
    key: ec.EllipticCurvePrivateKey,
    bodies: list[bytes],
    requests: int,
    warmup: int,
    seconds: float,
) -> dict[str, Any]:
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = time.monotonic()
    while not server.started:
        if time.monotonic() - started > 20 or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, trust_env=False, timeout=10) as client:

            def send(body: bytes, token: str) -> int:
                return client.post(
                    SERVICE,
                    content=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                ).status_code

            return _run(send, key, base + SERVICE, bodies, requests, warmup, seconds)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = f", load average {os.getloadavg()[0]:.1f} at the start"
    except OSError:
        load = ""
    return (
        f"{os.cpu_count()} cores{f' ({model})' if model else ''}, Python "
        f"{platform.python_version()}, {platform.system()} {platform.machine()}{load}"
    )


def _markdown(results: dict[str, dict[str, Any]], args: argparse.Namespace, body_kib: float) -> str:
    rows = "\n".join(
        f"| {mode} | {r['requests']} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p95']:.1f} | "
        f"{r['p99']:.1f} | {r['max']:.1f} | {'yes' if r['p95'] < TARGET_P95_MS else 'NO'} |"
        for mode, r in results.items()
    )
    return f"""# Benchmarks: the CDS Hooks service

One `patient-view` call with full prefetch, answered with cards: token check (ES384
signature, claims, replay cache), reading the eight prefetch keys, FHIR R4B validation
and mapping, the assessment with evidence, and the cards. Target: **p95 under 100 ms** on
the project's 2-core machine.

Measured with `tools/bench_cds.py` (`time.perf_counter` around each request, sent one at
a time; tokens are signed before the clock starts; {args.warmup} warm-up calls are not
counted).

Machine: {_machine()}.

```sh
.venv/bin/python tools/bench_cds.py --requests {args.requests} --write docs/benchmarks-cds.md
```

Requests: synthetic patients 1–{args.patients} of `nelm.interop.fhir.synthetic` in turn
(`nelm.interop.cds_hooks.example.hook_request`), each about {body_kib:.0f} KiB of JSON
with 22–27 resources in its prefetch.

| mode | requests | p50 ms | p90 ms | p95 ms | p99 ms | max ms | p95 < 100 ms |
|---|---|---|---|---|---|---|---|
{rows}

- `asgi`: in-process, httpx's ASGI transport — the service's own time.
- `uvicorn`: uvicorn on 127.0.0.1, httpx over loopback — adds HTTP parsing and the socket.

Of a call's time, reading and validating the prefetch takes about 2 ms and the FHIR
mapping with the assessment about 5 ms. The tails (p99, max) vary from run to run with
garbage collection and other processes on the machine. With other processes busy on
both cores (load average near 5), p95 has been measured up to 84 ms (`asgi`) and 32 ms
(`uvicorn`) in 200-request runs: still under the target, with less margin.

Not included: reading missing data from the EHR's FHIR server (bounded by
`fhir_timeout_seconds`, 3 s by default) and fetching a JWKS URL (cached; bounded by
`jwks_timeout_seconds`).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=500, help="per mode (default 500)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit per mode")
    parser.add_argument("--mode", choices=("asgi", "uvicorn", "both"), default="both")
    parser.add_argument("--write", type=Path, help="write the figures as markdown here")
    args = parser.parse_args(argv)
    bodies = _bodies(args.patients)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app, key = _app(Path(tmp))
        if args.mode in ("asgi", "both"):
            results["asgi"] = bench_asgi(app, key, bodies, args.requests, args.warmup, args.seconds)
        if args.mode in ("uvicorn", "both"):
            results["uvicorn"] = bench_uvicorn(
                app, key, bodies, args.requests, args.warmup, args.seconds
            )
    for mode, r in results.items():
        print(
            f"{mode:8s} n={r['requests']} failures={r['failures']} p50={r['p50']:.1f} ms "
            f"p95={r['p95']:.1f} ms p99={r['p99']:.1f} ms max={r['max']:.1f} ms"
        )
    if any(r["failures"] for r in results.values()):
        print("some requests failed", file=sys.stderr)
        return 1
    if args.write is not None:
        body_kib = statistics.fmean(len(b) for b in bodies) / 1024
        args.write.write_text(_markdown(results, args, body_kib), encoding="utf-8")
        print(f"wrote {args.write}")
    return 0 if all(r["p95"] < TARGET_P95_MS for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
