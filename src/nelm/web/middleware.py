"""The outermost layer of the application (pure ASGI, cheap per request).

- request bodies over the limit (``NELM_FHIR_MAX_BYTES``, 20 MB) → 413, whether announced
  by Content-Length or streamed; a FHIR OperationOutcome when the client speaks FHIR, a
  short page for a page's form (a file read into a case), JSON for the API;
- security headers on every response (a strict Content-Security-Policy: nothing is
  loaded from anywhere but this server);
- one access-log line per request with the method, the route *template* (``/cases/{id}``),
  the status and the time — never the query string or the body, so no patient data and
  no login tokens reach the logs;
- any exception that escaped the handlers → 500 with a short JSON body (a short page for
  a page), no traceback.
"""

from __future__ import annotations

import html
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nelm.errors import where_raised
from nelm.interop.fhir.size import DEFAULT_MAX_BYTES, ENV_VAR, describe_limit
from nelm.web.input_guard import JSON_ROUTES, bare_page

__all__ = ["EdgeMiddleware"]

access_log = logging.getLogger("nelm.web.access")
log = logging.getLogger("nelm.web")

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class BodyTooLargeError(Exception):
    pass


_FHIR_JSON = b"application/fhir+json"


def wants_fhir(scope: Scope) -> bool:
    """A FHIR client: it sent or accepts ``application/fhir+json`` (or FHIR NDJSON,
    ``application/fhir+ndjson``), or it calls CDS Hooks (whose errors are
    OperationOutcomes). FHIR clients get FHIR errors, the 413 included."""
    if str(scope.get("path", "")).startswith("/cds-services"):
        return True
    for name, value in scope.get("headers", ()):
        if name in (b"content-type", b"accept") and b"application/fhir+" in value.lower():
            return True
    return False


_PAGE_ADVICE = {
    413: "Go back and choose a smaller file; a FHIR record may be up to the limit.",
    500: "Go back and try again; if it happens again, tell the administrator the time.",
}


def _page(status: int, detail: str) -> bytes:
    """The answer a person's browser shows, rather than JSON it would print raw."""
    return bare_page(
        "Too large" if status == 413 else "Not completed",
        f'<p class="alert" role="alert">{html.escape(detail)}</p>'
        f"<p>{html.escape(_PAGE_ADVICE.get(status, 'Go back and try again.'))}</p>",
    )


def _json(
    status: int, detail: str, fhir: bool = False, page: bool = False
) -> tuple[dict[str, Any], bytes]:
    if fhir:
        code = "too-costly" if status == 413 else "exception"
        body = json.dumps(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": code, "diagnostics": detail}],
            }
        ).encode()
    elif page:
        body = _page(status, detail)
    else:
        body = json.dumps({"detail": detail, "problems": []}).encode()
    kind = _FHIR_JSON if fhir else b"text/html; charset=utf-8" if page else b"application/json"
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", kind),
            (b"content-length", str(len(body)).encode()),
            *_HEADERS,
        ],
    }
    return start, body


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        limit = self.max_body_bytes
        fhir = wants_fhir(scope)
        # a page's form (a file read into a case) gets a page back; the API gets JSON
        page = not fhir and not str(scope.get("path", "")).startswith(JSON_ROUTES)
        too_large = (
            f"The {'file sent' if page else 'request body'} is larger than the limit of "
            f"{describe_limit(limit)}; the server's limit is set with {ENV_VAR}."
        )

        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    start, body = _json(413, too_large, fhir, page)
                    await send(start)
                    await send({"type": "http.response.body", "body": body})
                    self._log(scope, 413, started)
                    return

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                # a printable document sends its own, stricter policy (print_document)
                own_policy = any(name.lower() == _HEADERS[0][0] for name, _ in headers)
                message["headers"] = [*headers, *_HEADERS[1 if own_policy else 0 :]]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLargeError:
            if not status:
                start, body = _json(413, too_large, fhir, page)
                await send_with_headers(start)
                await send({"type": "http.response.body", "body": body})
        except Exception as exc:  # the last line of defence: never show a traceback
            # where it was raised, never the message or the traceback's text: either can
            # quote what a user sent (nelm.errors.where_raised)
            log.error(
                "internal error on %s %s: %s",
                scope.get("method"),
                _route(scope),
                where_raised(exc),
            )
            if not status:
                start, body = _json(
                    500,
                    "Internal error: the request could not be "
                    "completed. The error has been logged.",
                    fhir,
                    page,
                )
                await send_with_headers(start)
                await send({"type": "http.response.body", "body": body})
        finally:
            self._log(scope, status or 500, started)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %d %.1fms",
                scope.get("method"),
                _route(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(unmatched)"
