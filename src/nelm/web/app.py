"""The web application: REST API, pages and static files on one case store.

``create_app(Settings(...))`` opens the store (running the migrations), makes sure an
administrator can log in, optionally loads the example cases, and returns the FastAPI
application. ``nelm serve`` runs it with uvicorn.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from nelm import __version__ as nelm_version
from nelm.case.fields import OPTION_IDS
from nelm.evidence.summary import summary_for_option
from nelm.knowledge import load_knowledge
from nelm.store import Store
from nelm.web import (
    accounts,
    api,
    api_assess,
    api_evidence,
    api_users,
    board_pages,
    case_delete,
    case_list,
    deleted_cases,
    meetings,
    page_support,
    pages,
)
from nelm.web.auth import (
    LoginLimiter,
    NotLoggedInError,
    Principal,
    TokenCache,
    require_user,
)
from nelm.web.bootstrap import ensure_admin, load_examples
from nelm.web.cds import mount_cds
from nelm.web.handlers import error_response, install_handlers
from nelm.web.input_guard import InputGuardMiddleware
from nelm.web.logs import configure_logging
from nelm.web.middleware import EdgeMiddleware
from nelm.web.settings import Settings

__all__ = ["create_app", "create_worker_app"]

DESCRIPTION = """Decision support for neuroendocrine liver metastases: the REST API of the
tumour-board application. Every route but `/api/v1/health` needs a bearer token
(`Authorization: Bearer …`, created on the Account page or with `POST /api/v1/tokens`).
Decision support for clinicians, not a decision."""


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    opened = store if store is not None else Store(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the knowledge base and evidence summaries now, then move everything alive
        # at start-up out of the garbage collector's sight: later collections scan only
        # what requests allocate, which keeps the slowest answers short.
        load_knowledge()
        summary_for_option(OPTION_IDS[0])
        page_support.compile_templates()
        gc.collect()
        gc.freeze()
        yield
        if store is None:
            opened.close()

    app = FastAPI(
        title="nelm",
        version=str(nelm_version),
        description=DESCRIPTION,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = opened
    app.state.token_cache = TokenCache()
    app.state.login_limiter = LoginLimiter(
        settings.login_max_failures, settings.login_window_seconds
    )
    app.state.login_address = None
    if settings.bootstrap:
        app.state.login_address = ensure_admin(
            opened, settings.public_url, settings.announce, settings.login_link_file
        )
        if settings.load_examples:
            load_examples(opened)

    install_handlers(app)

    async def not_logged_in(request: Request, exc: Exception) -> Response:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method == "GET":
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return await error_response(request, 401, "Your session has ended. Please log in again.")

    app.add_exception_handler(NotLoggedInError, not_logged_in)
    # InputGuard inside Edge: the size limit applies while the guard reads a body
    app.add_middleware(InputGuardMiddleware)
    app.add_middleware(EdgeMiddleware, max_body_bytes=settings.max_body_bytes)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(principal: Principal = Depends(require_user)) -> JSONResponse:  # noqa: B008
        return JSONResponse(app.openapi())

    # the service routes first: the API's description lists them before the cases
    app.include_router(api_assess.router)
    app.include_router(api.router)
    app.include_router(api_evidence.router)
    app.include_router(api_users.router)
    app.include_router(accounts.router)
    app.include_router(deleted_cases.router)
    app.include_router(pages.router)
    app.include_router(board_pages.router)
    app.include_router(case_delete.router)
    app.include_router(case_list.router)
    app.include_router(meetings.router)
    mount_cds(app, opened)
    static = resources.files("nelm.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def create_worker_app() -> FastAPI:
    """The application in one of several uvicorn worker processes (``nelm serve
    --workers N``): settings from the environment, no bootstrap (the parent did it), the
    parent's log (a worker is a fresh interpreter: without it no request was logged)."""
    configure_logging()
    return create_app(Settings.from_env(bootstrap=False))
