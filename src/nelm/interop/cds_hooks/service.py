"""The CDS Hooks 2.0 service: discovery, the patient-view hook, and card feedback.

::

    GET  /cds-services                                   discovery
    POST /cds-services/nelm-liver-metastases             patient-view → cards
    POST /cds-services/nelm-liver-metastases/feedback    card outcomes

Mount with ``app.include_router(create_cds_router(settings, feedback_sink=sink))``.

Every endpoint answers its own errors (the application's handlers are not relied on):
a 4xx is a FHIR OperationOutcome (:mod:`.errors`), authentication failures are a 401
that says nothing about the reason, and an unexpected fault is a 500 without details.
Logs name the service id and hookInstance only — never patient data, tokens or URLs
with query strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from nelm.case.record_warnings import record_warnings_to_keep
from nelm.case.result_dates import with_result_dates
from nelm.case.value_sources import with_value_sources
from nelm.errors import InputRejected, where_raised
from nelm.interop.cds_hooks.cards import (
    CardContext,
    assessment_card,
    data_card,
    problem_list_unread_words,
)
from nelm.interop.cds_hooks.errors import CdsError, Issue, outcome_response
from nelm.interop.cds_hooks.feedback import FeedbackSink, IssuedCards, parse_feedback
from nelm.interop.cds_hooks.fetch import (
    FhirFetcher,
    HttpxFhirFetcher,
    fetch_parts,
    quiet_http_client_logs,
)
from nelm.interop.cds_hooks.prefetch import (
    PREFETCH,
    Part,
    Source,
    assemble_bundle,
    discovery_prefetch,
    origin_path,
    read_part,
)
from nelm.interop.cds_hooks.relevance import relevance
from nelm.interop.cds_hooks.request import (
    HookRequest,
    parse_hook_request,
    read_json_body,
    reject_control_characters,
)
from nelm.interop.cds_hooks.security import (
    AuthenticationFailed,
    JwksFetcher,
    JwtVerifier,
    ReplayCache,
)
from nelm.interop.cds_hooks.settings import CdsSettings, normalize_url
from nelm.interop.cds_hooks.sources import sources_without_ids, without_resource_ids
from nelm.interop.fhir.validate import FhirUnavailableError
from nelm.knowledge import load_knowledge

__all__ = ["DISCOVERY_PATH", "create_cds_router"]

log = logging.getLogger("nelm.cds")

DISCOVERY_PATH = "/cds-services"

Gap = tuple[str, str]
CaseRecorder = Callable[[Mapping[str, Any], str], str | None]
"""Stores the mapped case document for the EHR's patient id; returns the application path
of the stored case (e.g. ``/cases/12``), or None when it was not stored."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


Handler = Callable[[Request], Awaitable[Response]]


def _guarded(name: str, settings: CdsSettings) -> Callable[[Handler], Handler]:
    """Answer every failure of the wrapped endpoint here: 4xx OperationOutcome, 401
    without reasons, 500 without details."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            response = await answer(request)
            allowed = settings.cors_origin(request.headers.get("origin"))
            if allowed is not None:
                response.headers["Access-Control-Allow-Origin"] = allowed
                response.headers["Vary"] = "Origin"
            return response

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except AuthenticationFailed as exc:
                log.warning(
                    "cds auth rejected service=%s endpoint=%s reason=%s",
                    settings.service_id,
                    name,
                    exc.reason,
                )
                unauthorized = CdsError.unauthorized()
                return outcome_response(401, unauthorized.issues, unauthorized.headers)
            except CdsError as exc:
                log.info(
                    "cds request rejected service=%s endpoint=%s status=%d",
                    settings.service_id,
                    name,
                    exc.status,
                )
                return outcome_response(exc.status, exc.issues, exc.headers)
            except Exception as exc:  # the edge: nothing escapes as a traceback
                log.error(
                    "cds internal error service=%s endpoint=%s error=%s",
                    settings.service_id,
                    name,
                    where_raised(exc),
                )
                return outcome_response(
                    500,
                    [
                        Issue(
                            "internal error in the nelm CDS service; the request was not assessed",
                            "exception",
                        )
                    ],
                )

        return endpoint

    return wrap


def create_cds_router(
    settings: CdsSettings,
    *,
    feedback_sink: FeedbackSink,
    clock: Callable[[], datetime] = _utc_now,
    fhir_fetcher: FhirFetcher | None = None,
    jwks_fetcher: JwksFetcher | None = None,
    replay_cache: ReplayCache | None = None,
    case_recorder: CaseRecorder | None = None,
) -> APIRouter:
    """The CDS Hooks endpoints as a FastAPI router.

    ``clock`` dates the assessment (its local date) and checks token times;
    ``fhir_fetcher`` reads from the EHR's FHIR server (httpx by default);
    ``jwks_fetcher`` fetches JWKS URLs (httpx by default); ``replay_cache`` remembers
    token ids (in memory by default); ``case_recorder``, when given, stores the mapped case
    in the application and returns its path, which the cards then link to.
    """
    verifier = JwtVerifier(
        settings, replay_cache=replay_cache, jwks_fetcher=jwks_fetcher, clock=clock
    )
    fetcher: FhirFetcher = fhir_fetcher or HttpxFhirFetcher()
    quiet_http_client_logs()  # no request URL (a patient id) in the log, whatever reads
    issued = IssuedCards()
    service_path = f"{DISCOVERY_PATH}/{settings.service_id}"
    router = APIRouter()

    def called_url(request: Request) -> str:
        if settings.service_base_url is not None:
            return settings.service_base_url + request.url.path
        return normalize_url(str(request.url.replace(query=None, fragment=None)))

    async def authenticate(request: Request, *also: str) -> None:
        here = called_url(request)
        await verifier.verify(request.headers.get("authorization"), [here, *also])

    async def preflight(request: Request) -> Response:
        allowed = settings.cors_origin(request.headers.get("origin"))
        if allowed is None:
            return Response(status_code=403)
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": allowed,
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
                "Vary": "Origin",
            },
        )

    for path in (DISCOVERY_PATH, service_path, f"{service_path}/feedback"):
        router.add_api_route(path, preflight, methods=["OPTIONS"], include_in_schema=False)

    @router.get(DISCOVERY_PATH, include_in_schema=False)
    @_guarded("discovery", settings)
    async def discovery(request: Request) -> Response:
        if settings.discovery_requires_auth:
            await authenticate(request)
        version = load_knowledge().version
        service: dict[str, Any] = {
            "hook": "patient-view",
            "id": settings.service_id,
            "title": "nelm: neuroendocrine liver metastases",
            "description": (
                "Treatment options for liver metastases of a neuroendocrine neoplasm "
                "(resection, transplantation, ablation, transarterial and systemic "
                "therapy): eligible, ineligible or uncertain, with the deciding criteria, "
                "their published sources and the data still missing. Knowledge base "
                f"{version}."
            ),
            "prefetch": discovery_prefetch(),
            # what the integrator reads when registering the service: it must say what
            # this configuration does (only_when_relevant: false answers every chart)
            "usageRequirements": (
                "Cards appear for patients with a neuroendocrine neoplasm and liver "
                "metastases in the record"
                if settings.only_when_relevant
                else "A card appears for every patient: those without a neuroendocrine "
                "neoplasm in the record get an info card saying nothing is assessed"
            )
            + ". Grant read access to Patient, Condition, Observation, Procedure, "
            "MedicationStatement and Medication.",
            "extension": {"nelm-knowledge-version": version},
        }
        return _json({"services": [service]})

    @router.post(service_path, include_in_schema=False)
    @_guarded("patient-view", settings)
    async def patient_view(request: Request) -> Response:
        await authenticate(request)
        data = await read_json_body(request, settings.max_body_bytes)
        hook = parse_hook_request(data)
        started = time.perf_counter()
        try:
            cards = await _answer(hook, settings, fetcher, clock, case_recorder)
        except CdsError as exc:
            log.info(
                "cds hook not answered service=%s hookInstance=%s status=%d",
                settings.service_id,
                hook.hook_instance,
                exc.status,
            )
            raise
        for card in cards:
            issued.add(card["uuid"], hook.hook_instance)
        log.info(
            "cds hook answered service=%s hookInstance=%s cards=%d ms=%.1f",
            settings.service_id,
            hook.hook_instance,
            len(cards),
            (time.perf_counter() - started) * 1000,
        )
        return _json({"cards": cards})

    @router.post(f"{service_path}/feedback", include_in_schema=False)
    @_guarded("feedback", settings)
    async def feedback(request: Request) -> Response:
        await authenticate(
            request,
            settings.service_base_url + service_path
            if settings.service_base_url is not None
            else called_url(request).removesuffix("/feedback"),
        )
        data = await read_json_body(request, settings.max_body_bytes)
        reject_control_characters(data)
        records = parse_feedback(
            data, service_id=settings.service_id, cards=issued, received_at=clock()
        )
        await run_in_threadpool(feedback_sink.record, records)
        for record in records:
            log.info(
                "cds feedback service=%s hookInstance=%s outcome=%s",
                settings.service_id,
                record.hook_instance or "-",
                record.outcome,
            )
        return _json({})

    return router


def _incomplete(part: Part) -> bool:
    return part.missing or part.partial


def _json(content: Mapping[str, Any]) -> JSONResponse:
    response = JSONResponse(dict(content))
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- the hook


async def _answer(
    hook: HookRequest,
    settings: CdsSettings,
    fetcher: FhirFetcher,
    clock: Callable[[], datetime],
    case_recorder: CaseRecorder | None = None,
) -> list[dict[str, Any]]:
    parts: dict[str, Part] = {}
    for spec in PREFETCH:
        parts[spec.key] = read_part(
            spec,
            hook.prefetch.get(spec.key),
            present=spec.key in hook.prefetch,
            patient_id=hook.patient_id,
            source=Source("prefetch"),
        )
    gaps: list[Gap] = await _complete(hook, parts, settings, fetcher)
    for part in parts.values():
        if part.next_url is not None:
            part.partial = True
            part.problems.append(
                f"prefetch.{part.spec.key}: more pages exist (Bundle.link "
                "next): only the first was read"
            )
        gaps.extend((part.spec.what, problem) for problem in part.problems)
    if settings.only_when_relevant:
        found = relevance(u.resource for p in parts.values() for u in p.resources)
        if not found.relevant:
            # A list read only in part (a server's error in the searchset, a page not
            # read, entries that could not be used) cannot rule the diagnosis out either.
            undecided = _incomplete(parts["conditions"]) or (
                found.neuroendocrine and _incomplete(parts["imaging"])
            )
            if undecided:
                # CDS Hooks: 412 when the data needed cannot be had from the prefetch or
                # the FHIR server. Without it nelm cannot tell whether it applies.
                raise CdsError(
                    412,
                    [Issue(f"{what}: {why}", "incomplete", _place(why)) for what, why in gaps],
                )
            return []
    assembled = assemble_bundle(parts.values())
    context = CardContext(
        settings,
        hook.hook_instance,
        hook.patient_id,
        hook.encounter_id,
        load_knowledge().version,
        len(assembled.origins),
        problem_list_unread=_incomplete(parts["conditions"]),
    )
    gaps.extend(("resources received", problem) for problem in assembled.problems)
    today = clock().astimezone().date()
    try:
        doc, result_dates = await run_in_threadpool(_assess, assembled.bundle, today)
    except InputRejected as exc:
        raise CdsError(
            422,
            [
                Issue(
                    f"{origin_path(p.path, assembled.origins)}: {p.expected}"
                    + (f", got {p.got}" if p.got else ""),
                    "invalid" if "contradictory" not in p.expected else "conflict",
                    origin_path(p.path, assembled.origins),
                )
                for p in exc.problems
            ],
        ) from None
    except FhirUnavailableError:
        raise CdsError(
            503, [Issue("the FHIR mapping is not available on this server", "not-supported")]
        ) from None
    gaps.extend(
        ("data quality", _in_request(issue, assembled.origins))
        for issue in doc.get("input_source", {}).get("data_quality", ())
    )
    if case_recorder is not None:
        path = await run_in_threadpool(
            case_recorder,
            _to_record(doc, result_dates, today, problem_list_unread=context.problem_list_unread),
            hook.patient_id,
        )
        context = dataclasses.replace(context, case_path=path)
    cards = [assessment_card(doc, context)]
    if gaps:
        cards.append(data_card(gaps, context, keys=_concerned(parts, gaps), doc=doc))
    return cards


_BUNDLE_PATH = re.compile(r"Bundle\.entry\[\d+\]\.resource[^\s(),;]*")


def _in_request(issue: str, origins: Sequence[str]) -> str:
    """A data-quality issue with its paths rewritten to where they are in the request."""
    return _BUNDLE_PATH.sub(lambda match: origin_path(match[0], origins), issue)


def _to_record(
    doc: Mapping[str, Any],
    result_dates: Mapping[str, str],
    today: dt.date,
    *,
    problem_list_unread: bool = False,
) -> dict[str, Any]:
    """The case the board stores from the call: the mapped case with the date of each
    result (``measured_on``) and the date it was assessed for (``timeline.as_of``), as the
    board's import of a record stores them (nelm.case.result_dates), and with what the
    record said about any assessment of it (a death, no neuroendocrine diagnosis) kept with
    it (``record_warnings``, without the EHR's resource ids), so that the stored case never
    reads as an ordinary one; and the resource type each value was read from
    (``value_sources``, "Observation via CDS Hooks (LOINC 1975-2)"), so that the board
    tells the record's values from those a colleague enters later."""
    provenance = doc.get("input_source", {}).get("provenance") or {}
    recorded = with_value_sources(
        with_result_dates(doc["inputs"], result_dates, today), sources_without_ids(provenance)
    )
    said = record_warnings_to_keep(
        (
            # a problem list not read shows no absence: the stored case must not say
            # "no neuroendocrine neoplasm is recorded" either
            without_resource_ids(
                problem_list_unread_words(str(w)) if problem_list_unread else str(w)
            )
            for w in doc.get("input_source", {}).get("record_warnings") or ()
        ),
        "The electronic record (CDS Hooks)",
    )
    if said:
        recorded["record_warnings"] = said
    return recorded


_KEY_IN_PATH = re.compile(r"\b(?:prefetch|fhirServer)\.([a-z]+)")
_PLACE = re.compile(r"^(?:prefetch|fhirServer)\.[a-z]+(?:\.entry\[\d+\](?:\.resource)?)?")


def _place(why: str) -> str | None:
    """The place in the request a gap is about ("prefetch.conditions"), for the
    OperationOutcome's ``expression``: the integrator sees which key to fill."""
    found = _PLACE.match(why)
    if found is not None:
        return found[0]
    return "fhirServer" if why.startswith("the fhirServer ") else None


def _concerned(parts: Mapping[str, Part], gaps: Sequence[Gap]) -> list[str]:
    """The prefetch keys the data card is about: those not fully read, and those whose
    resources the data-quality lines name (``prefetch.patient.birthDate``), in the order
    of the prefetch."""
    named = {m[1] for _, why in gaps for m in _KEY_IN_PATH.finditer(why)}
    return [key for key, part in parts.items() if part.problems or key in named]


def _assess(bundle: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], Mapping[str, str]]:
    """The assessment, and the date of the result behind each value of its case."""
    from nelm.service import assess_fhir_record

    doc, mapping = assess_fhir_record(bundle, assessment_date=today, with_evidence=True)
    return doc, mapping.result_dates


async def _complete(
    hook: HookRequest, parts: dict[str, Part], settings: CdsSettings, fetcher: FhirFetcher
) -> list[Gap]:
    """Read what the prefetch lacks from the FHIR server, when one is given and allowed."""
    wanted = [p.spec for p in parts.values() if p.missing or p.next_url is not None]
    if not wanted or hook.fhir_server is None:
        return []
    if not settings.fhir_server_allowed(hook.fhir_server):
        log.warning(
            "cds fhirServer not on the allow-list service=%s hookInstance=%s",
            settings.service_id,
            hook.hook_instance,
        )
        return [
            (
                "FHIR server",
                "the fhirServer of this request is not on this service's "
                "allow-list: nothing was read from it",
            )
        ]
    fetched = await fetch_parts(
        wanted,
        fetcher=fetcher,
        base=hook.fhir_server,
        patient_id=hook.patient_id,
        token=hook.access_token,
        settings=settings,
    )
    for spec in wanted:
        got = fetched[spec.key]
        if got.usable:
            parts[spec.key] = got  # read from page 1: replaces a partial prefetch
        else:
            parts[spec.key].problems.extend(got.problems)
    return []
