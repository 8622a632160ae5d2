"""Where input enters the web application: one check of every request, before any route.

- **Text** (:mod:`nelm.text`): the path, every query parameter, every form field and
  every key and string of a JSON body must be free of control characters (tab and line
  breaks allowed) and unpaired UTF-16 surrogates → 422 naming each place (``label``,
  ``entry[3].resource.code.text``, ``query.as_of``). The same answer on SQLite and
  PostgreSQL, because nothing reaches either. The CDS Hooks service (``/cds-services``)
  checks its bodies itself (``nelm.interop.cds_hooks.request``).
- **Encoding**: query strings and form bodies must be UTF-8 → 400 naming the field (a
  form used to be stored with the bytes mangled).
- **Content types**: a body sent to a JSON route (``/api/…``, ``/cds-services…``) must be
  labelled ``application/json`` or ``application/<something>+json`` (FHIR's
  ``application/fhir+json``), or as NDJSON (``application/fhir+ndjson``,
  ``application/x-ndjson``: FHIR resources one per line) — ``/api/v1/assess`` also takes FHIR
  XML (``application/fhir+xml``); a body sent to a page must be a form
  (``application/x-www-form-urlencoded``; ``multipart/form-data`` for the two pages that
  take a file, ``/cases/new/from-file`` and ``/cases/{id}/edit/from-file``) → 415 otherwise.

Bodies that are not valid JSON pass on unchanged: the route says what is wrong with them,
in its own words. The body is read once here (the size limit of the outer
:class:`~nelm.web.middleware.EdgeMiddleware` applies while reading) and handed on to the
route unchanged. Errors come back in the shape the route would use: an OperationOutcome
for CDS Hooks and FHIR bodies, the API's ``{"detail", "problems"}`` for the API, and a
short page for forms. Nothing a user sent is logged.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote_to_bytes

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nelm.errors import Problem
from nelm.text import (
    EXPECTED_TEXT,
    forbidden_character,
    json_text_is_clean,
    printable,
    text_problems,
)

__all__ = ["InputGuardMiddleware", "bare_page", "form_problems"]

JSON_ROUTES = ("/api/", "/cds-services")
FHIR_ROUTES = ("/cds-services",)
FORM = "application/x-www-form-urlencoded"
UPLOAD = "multipart/form-data"
UPLOAD_PATH = "/cases/new/from-file"
"""The page that starts a new case from a file (``nelm.web.case_import``)."""
UPDATE_SUFFIX = "/edit/from-file"
"""Appended to a stored case's address: the page that updates it from a file."""
_TAKES_A_FILE = re.compile(r"/cases/(?:new|[0-9]{1,10}/edit)/from-file")
"""The pages whose body is a multipart form: the route reads the file and checks it as
every other form is checked here."""
XML_MEDIA = ("application/fhir+xml", "application/xml", "text/xml")
"""FHIR's XML format, taken by the one route that reads a FHIR record in it."""
_TAKES_XML = "/api/v1/assess"
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# A case document (~1 kB) is checked in about 0.1 ms on the event loop; a 750 kB FHIR
# Bundle takes tens of milliseconds, which would stall every other request meanwhile.
_INLINE_CHECK_BYTES = 64 * 1024


class _RefusedError(Exception):
    def __init__(self, status: int, detail: str, problems: Sequence[Problem]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.problems = list(problems)


def _media_type(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return str(value.decode("latin-1")).split(";", 1)[0].strip().lower()
    return ""


def _has_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"transfer-encoding":
            return True
        if name == b"content-length":
            return value.strip() not in (b"", b"0")
    return False


def _is_json_media(media: str) -> bool:
    return media in ("application/json", "application/x-ndjson") or (
        media.startswith("application/") and media.endswith(("+json", "+ndjson"))
    )


def form_problems(raw: bytes, where: str) -> tuple[list[Problem], list[Problem]]:
    """(encoding problems, text problems) of an ``application/x-www-form-urlencoded``
    body or a query string; ``where`` prefixes the field names (``query.``)."""
    encoding: list[Problem] = []
    text: list[Problem] = []
    for part in raw.split(b"&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition(b"=")
        name_bytes = unquote_to_bytes(raw_name.replace(b"+", b" "))
        value_bytes = unquote_to_bytes(raw_value.replace(b"+", b" "))
        shown = printable(name_bytes.decode("utf-8", errors="replace"))[:80]
        try:
            name = name_bytes.decode("utf-8")
            value = value_bytes.decode("utf-8")
        except UnicodeDecodeError:
            encoding.append(Problem(where + shown, "UTF-8 text", "bytes that are not UTF-8"))
            continue
        for what, item in (("the name", name), ("the text", value)):
            found = forbidden_character(item)
            if found is not None:
                text.append(Problem(where + shown, EXPECTED_TEXT, f"{what} has {found}"))
                break
    return encoding, text


class InputGuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        media = _media_type(scope)
        try:
            self._check_address(path, scope.get("query_string", b""))
            if scope.get("method") in _WITH_BODY and _has_body(scope):
                body = await self._read(receive)
                if len(body) > _INLINE_CHECK_BYTES:  # a large Bundle: keep the loop free
                    await anyio.to_thread.run_sync(self._check_body, path, media, body)
                else:
                    self._check_body(path, media, body)
                receive = _replay(body, receive)
        except _RefusedError as refusal:
            await _answer(scope, send, refusal, path, media)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _check_address(path: str, query: bytes) -> None:
        found = forbidden_character(path)
        if found is not None:
            raise _RefusedError(
                400,
                "The address was rejected: it holds " + found + ".",
                [Problem("path", EXPECTED_TEXT, f"the address has {found}")],
            )
        if query:
            encoding, text = form_problems(query, "query.")
            if encoding:
                raise _RefusedError(
                    400,
                    "The query string was rejected: " + "; ".join(p.message for p in encoding),
                    encoding,
                )
            if text:
                raise _RefusedError(
                    422,
                    "The query string was rejected: " + "; ".join(p.message for p in text),
                    text,
                )

    @staticmethod
    async def _read(receive: Receive) -> bytes:
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    @staticmethod
    def _check_body(path: str, media: str, body: bytes) -> None:
        if path.startswith(JSON_ROUTES):
            if not body.strip():
                return
            if media in XML_MEDIA and path == _TAKES_XML:
                return  # FHIR XML: the route reads it and checks its text as JSON's
            if not _is_json_media(media):
                got = media or "no Content-Type"
                raise _RefusedError(
                    415,
                    f"The body must be JSON, labelled application/json "
                    f"(or application/fhir+json), not {got}.",
                    [Problem("Content-Type", "application/json or application/fhir+json", got)],
                )
            if path.startswith(FHIR_ROUTES):
                # The CDS Hooks service checks its own text: a control character in the
                # request's own fields is a 400 there, and in an EHR's prefetch it leaves
                # that one resource unread (docs/cds-hooks.md) — never the whole call.
                return
            try:
                decoded = body.decode("utf-8-sig")
            except UnicodeDecodeError:
                return  # the route names what is wrong with it
            if json_text_is_clean(decoded):
                return  # no key or string of it can break the rule: no need to parse
            try:
                parsed: Any = json.loads(decoded, parse_constant=lambda _: None)
            except (ValueError, RecursionError):
                return  # the route names what is wrong with it
            problems = text_problems(parsed)
            if problems:
                raise _RefusedError(
                    422,
                    "The input was rejected: " + "; ".join(p.message for p in problems),
                    problems,
                )
            return
        if media == UPLOAD and _TAKES_A_FILE.fullmatch(path):
            return  # the file's text and the case it gives are checked by the route
        if media != FORM:
            got = media or "no Content-Type"
            raise _RefusedError(
                415,
                f"Forms must be sent as {FORM}, not {got}.",
                [Problem("Content-Type", FORM, got)],
            )
        encoding, text = form_problems(body, "")
        if encoding:
            raise _RefusedError(
                400, "The form was rejected: " + "; ".join(p.message for p in encoding), encoding
            )
        if text:
            raise _RefusedError(
                422, "The form was rejected: " + "; ".join(p.message for p in text), text
            )


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def bare_page(title: str, body_html: str) -> bytes:
    """A page answered before the application knows who asks (a refused form, a file
    too large, the last line of defence): the site's header with the links to the cases
    and the meetings (a user not logged in is led to the login page from there), so that
    nobody is left without a way on. ``title`` is escaped; ``body_html`` must be."""
    title = html.escape(title)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · nelm</title>"
        f'<link rel="stylesheet" href="/static/app.css"></head><body>'
        f'<header class="top"><a class="brand" href="/">nelm <span>tumour board</span></a>'
        f'<nav aria-label="Main"><a href="/">Cases</a><a href="/meetings">Meetings</a></nav>'
        f'</header><main id="main"><h1>{title}</h1>{body_html}</main></body></html>'
    ).encode()


async def _answer(scope: Scope, send: Send, refusal: _RefusedError, path: str, media: str) -> None:
    if path.startswith(FHIR_ROUTES) or media.startswith("application/fhir+"):
        code = "structure" if refusal.status in (400, 415) else "invalid"
        issues = [
            {
                "severity": "error",
                "code": code,
                "diagnostics": p.message,
                **({"expression": [p.path]} if p.path else {}),
            }
            for p in refusal.problems
        ] or [{"severity": "error", "code": code, "diagnostics": refusal.detail}]
        body = json.dumps(
            {"resourceType": "OperationOutcome", "issue": issues}, ensure_ascii=False
        ).encode("utf-8")
        content_type = b"application/fhir+json"
    elif path.startswith(JSON_ROUTES):
        body = json.dumps(
            {"detail": refusal.detail, "problems": [p.as_dict() for p in refusal.problems]},
            ensure_ascii=False,
        ).encode("utf-8")
        content_type = b"application/json"
    else:
        items = "".join(f"<li>{html.escape(p.message)}</li>" for p in refusal.problems)
        body = bare_page(
            "Not accepted",
            f'<p class="alert" role="alert">{html.escape(refusal.detail)}</p><ul>{items}</ul>'
            f"<p>Go back, correct the field and send the form again.</p>",
        )
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
