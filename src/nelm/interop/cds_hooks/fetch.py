"""Reading what the prefetch lacks from the EHR's FHIR server.

Only when the request names a ``fhirServer`` that is on the allow-list
(``CdsSettings.fhir_server_allow_list``, exact match of the normalised base URL). The
``fhirAuthorization.access_token`` is sent as a Bearer token to that server and nowhere
else; ``next`` links of a searchset are followed only while they stay under the same base
URL, up to ``fhir_max_pages`` pages. All reads of one hook call share one deadline
(``fhir_timeout_seconds``, 3 s by default); what is not back by then is reported as
missing. Redirects are not followed.

:class:`FhirFetcher` is a protocol so that tests (and other transports) can stand in for
:class:`HttpxFhirFetcher`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

from nelm.errors import FetchError
from nelm.interop.cds_hooks.prefetch import Part, PrefetchSpec, Source, read_part, search_url
from nelm.interop.cds_hooks.settings import CdsSettings, normalize_url

log = logging.getLogger("nelm.cds")

__all__ = [
    "FetchFailedError",
    "FetchResponse",
    "FhirFetcher",
    "HttpxFhirFetcher",
    "fetch_parts",
    "quiet_http_client_logs",
]

_HTTP_CLIENT_LOGGERS = ("httpx", "httpcore")


def quiet_http_client_logs() -> None:
    """httpx logs every request at INFO with its URL ("HTTP Request: GET
    …/Condition?patient=<id>"): a patient id in the log. Its loggers (and httpcore's) are
    raised to WARNING, unless set higher already; warnings and errors name no URL."""
    for name in _HTTP_CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET, DEBUG or INFO
            logger.setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class FetchResponse:
    status: int
    content_type: str
    body: bytes


class FetchFailedError(FetchError):
    """The server could not be read (network error, too large); the message is shown."""


class FhirFetcher(Protocol):
    """Reads one URL from a FHIR server."""

    async def get(
        self, url: str, *, access_token: str | None, timeout: float, max_bytes: int
    ) -> FetchResponse:
        """GET ``url`` (``Accept: application/fhir+json``); raise FetchFailedError or
        TimeoutError when no answer can be had."""
        ...


class HttpxFhirFetcher:
    """:class:`FhirFetcher` over httpx: no redirects, no proxy or netrc settings from
    the environment, the body read up to ``max_bytes``. ``transport`` replaces the
    network (tests)."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.transport = transport
        quiet_http_client_logs()

    async def get(
        self, url: str, *, access_token: str | None, timeout: float, max_bytes: int
    ) -> FetchResponse:
        headers = {"Accept": "application/fhir+json, application/json;q=0.9"}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        try:
            async with (
                httpx.AsyncClient(
                    timeout=timeout,
                    follow_redirects=False,
                    trust_env=False,
                    transport=self.transport,
                ) as client,
                client.stream("GET", url, headers=headers) as response,
            ):
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body.extend(chunk)
                    if len(body) > max_bytes:
                        raise FetchFailedError("the answer is larger than the limit")
                return FetchResponse(
                    response.status_code, response.headers.get("content-type", ""), bytes(body)
                )
        except httpx.TimeoutException as exc:
            raise TimeoutError from exc
        except httpx.HTTPError as exc:
            raise FetchFailedError("the server could not be reached") from exc


def _parse(response: FetchResponse) -> tuple[object, str | None]:
    """The JSON value of a response, or None and why it cannot be used."""
    kind = response.content_type.split(";", 1)[0].strip().lower()
    if response.status in (401, 403):
        return None, f"the server refused access (HTTP {response.status})"
    if kind not in ("application/fhir+json", "application/json", "application/json+fhir"):
        if response.status != 200:
            return None, f"the server answered HTTP {response.status}"
        return None, "the server answered with something other than FHIR JSON"
    try:
        value = json.loads(response.body)
    except (ValueError, RecursionError):
        return None, "the server's answer is not valid JSON"
    if response.status != 200:
        return value, f"the server answered HTTP {response.status}"
    return value, None


async def _read(
    spec: PrefetchSpec,
    fetcher: FhirFetcher,
    base: str,
    patient_id: str,
    token: str | None,
    settings: CdsSettings,
    deadline: float,
) -> Part:
    """Read one key from the server, following ``next`` pages under the same base."""
    url: str | None = search_url(base, spec, patient_id)
    merged = Part(spec)
    page = 1
    while url is not None and page <= settings.fhir_max_pages:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        response = await fetcher.get(
            url, access_token=token, timeout=remaining, max_bytes=settings.fhir_max_response_bytes
        )
        value, problem = _parse(response)
        where = Source("fhirServer", page).path(spec.key)
        if problem is not None:
            merged.problems.append(f"{where}: {problem}")
            return merged
        part = read_part(
            spec, value, present=True, patient_id=patient_id, source=Source("fhirServer", page)
        )
        merged.resources.extend(part.resources)
        merged.problems.extend(part.problems)
        merged.usable = merged.usable or part.usable
        merged.partial = merged.partial or part.partial
        url = _next_under(part.next_url, base)
        if part.next_url is not None and url is None:
            merged.partial = True
            merged.problems.append(f"{where}: the next page lies outside the FHIR server: not read")
        page += 1
    if url is not None:
        merged.partial = True
        merged.problems.append(
            f"fhirServer.{spec.key}: more than {settings.fhir_max_pages} "
            "pages: the rest was not read"
        )
    return merged


def _next_under(url: str | None, base: str) -> str | None:
    if url is None:
        return None
    try:
        normalized = normalize_url(url.split("?", 1)[0])
    except ValueError:
        return None
    root = normalize_url(base)
    return url if normalized == root or normalized.startswith(root + "/") else None


async def fetch_parts(
    specs: Sequence[PrefetchSpec],
    *,
    fetcher: FhirFetcher,
    base: str,
    patient_id: str,
    token: str | None,
    settings: CdsSettings,
) -> dict[str, Part]:
    """Read every spec concurrently under one deadline; a key that fails keeps only the
    reason (the prefetch value, if any, is kept by the caller)."""
    deadline = time.monotonic() + settings.fhir_timeout_seconds
    tasks = {
        spec.key: asyncio.ensure_future(
            _read(spec, fetcher, base, patient_id, token, settings, deadline)
        )
        for spec in specs
    }
    if not tasks:
        return {}
    _done, pending = await asyncio.wait(tasks.values(), timeout=max(deadline - time.monotonic(), 0))
    for task in pending:
        task.cancel()
    out: dict[str, Part] = {}
    for spec in specs:
        task = tasks[spec.key]
        part = Part(spec)
        if task in pending:
            part.problems.append(
                f"fhirServer.{spec.key}: no answer within {settings.fhir_timeout_seconds:g} s"
            )
        elif task.cancelled():
            part.problems.append(f"fhirServer.{spec.key}: not read")
        elif isinstance(task.exception(), TimeoutError):
            part.problems.append(
                f"fhirServer.{spec.key}: no answer within {settings.fhir_timeout_seconds:g} s"
            )
        elif isinstance(task.exception(), FetchFailedError):
            part.problems.append(f"fhirServer.{spec.key}: {task.exception()}")
        elif task.exception() is not None:
            log.error(
                "cds fhir read failed key=%s error=%s", spec.key, type(task.exception()).__name__
            )
            part.problems.append(f"fhirServer.{spec.key}: the read failed")
        else:
            part = task.result()
        out[spec.key] = part
    if pending:
        await asyncio.gather(*pending, return_exceptions=True)
    return out
