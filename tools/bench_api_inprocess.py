"""The work of one ``POST /api/v1/assess`` request without HTTP, for ``bench_api_wrk.sh``.

Two figures, each the median of ``--runs`` requests after warming up, in one process:

- **nelm's work** — what the route does with the body: parse the JSON
  (``load_document_text``, with the text checks), validate the case once
  (``case_from_mapping``), assess it (``assess_case``: options, plan, the to-do list of
  investigations, evidence), build the answer document (``to_document``) and encode it with
  orjson. This sets the limit: with one worker per core, the server cannot answer more than
  ``workers / this time`` requests per second.
- **the whole application in-process** — the same request sent to the ASGI application
  itself (no socket, no HTTP parsing): the edge and input-guard middlewares, routing, the
  token check, then nelm's work. The difference from the first figure is the framework's
  share.

Prints the limit (requests per second, integer) on stdout, the figures on stderr.

    .venv/bin/python tools/bench_api_inprocess.py BODY.json WORKERS DATABASE_URL TOKEN
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path


def _median_ms(run: Callable[[], object], runs: int) -> float:
    for _ in range(max(20, runs // 10)):
        run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def nelm_work(body: str, runs: int) -> float:
    import orjson

    from nelm.case.document import case_from_mapping, load_document_text
    from nelm.service import assess_case

    def one() -> bytes:
        case = case_from_mapping(load_document_text(body, source="the request body"))
        return orjson.dumps(assess_case(case).to_document())

    return _median_ms(one, runs)


def whole_app(body: bytes, database_url: str, token: str, runs: int) -> float:
    from starlette.types import Message

    from nelm.store import Store
    from nelm.web.app import create_app
    from nelm.web.settings import Settings

    store = Store(database_url)
    app = create_app(Settings.from_env(database_url=database_url, bootstrap=False), store=store)
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", b"application/json"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-length", str(len(body)).encode()),
    ]

    async def request() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/v1/assess",
            "raw_path": b"/api/v1/assess",
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }
        messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            return messages.pop() if messages else {"type": "http.disconnect"}

        status = 0

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        if status != 200:
            raise SystemExit(f"the application answered {status}")

    async def measure() -> float:
        async with app.router.lifespan_context(app):
            timings = []
            for i in range(max(20, runs // 10) + runs):
                started = time.perf_counter()
                await request()
                if i >= max(20, runs // 10):
                    timings.append(time.perf_counter() - started)
            return statistics.median(timings) * 1000

    try:
        return asyncio.run(measure())
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("body")
    parser.add_argument("workers", type=int)
    parser.add_argument("database_url")
    parser.add_argument("token")
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    raw = Path(args.body).read_bytes()
    work = nelm_work(raw.decode("utf-8"), args.runs)
    app = whole_app(raw, args.database_url, args.token, args.runs)
    limit = args.workers / (work / 1000)
    print(f"{limit:.0f}")
    print(
        f"in-process, median of {args.runs}: nelm's work {work:.2f} ms per request "
        f"(parse, validate, assess, build and encode the answer) -> limit {limit:,.0f} req/s "
        f"with {args.workers} workers; the whole application without HTTP {app:.2f} ms "
        f"(framework share {app - work:.2f} ms)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
