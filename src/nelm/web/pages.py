"""The web pages: login, case list, case form, assessment view, evidence, decisions, users.

Server-rendered Jinja2 templates (autoescape on for every template) with plain HTML
forms, so every page works with the keyboard and without JavaScript. Each form carries
the session's CSRF token. Pages need a login; without one they redirect to ``/login``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from nelm.case.document import confirm_how
from nelm.case.fields import FIELD_BY_PATH, FIELDS, OPTION_IDS
from nelm.case.plausibility import clinical_number, plausible_range
from nelm.errors import InputRejected, Problem
from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.board import cite_html, cite_in_text
from nelm.report.html import (
    INTENT_TITLES,
    RESULT_MARK,
    RESULT_TEXT,
    STATUS_MARK,
    STATUS_TEXT,
)
from nelm.report.text import SAFETY_STATEMENT
from nelm.report.view import (
    classification_rows,
    field_label,
    format_value,
    in_words,
    outcome_label,
)
from nelm.store import (
    ROLES,
    ConflictError,
    NotFoundError,
    Store,
    UserRecord,
    VersionConflictError,
)
from nelm.store.security import MIN_PASSWORD_LENGTH, new_token
from nelm.vocabulary import option_name, population_title, vocabulary
from nelm.web import evidence
from nelm.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginLimiter,
    NotLoggedInError,
    Principal,
    check_csrf,
    principal_of,
    resolve_principal,
    set_cookie,
    token_cache,
)
from nelm.web.cases import knowledge_version, normalised_document
from nelm.web.conflicts import Conflict, describe_conflict
from nelm.web.errors import ApiError
from nelm.web.forms import (
    SECTION_TITLES,
    UNIT_CHOICES,
    document_from_form,
    form_fields,
    form_values,
)
from nelm.web.reports import build_report

__all__ = ["compile_templates", "error_page", "router"]

router = APIRouter(include_in_schema=False)


@cache
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("nelm.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = field_label
    env.filters["outcome"] = outcome_label
    env.globals.update(
        cite_plain=cite_plain,
        safety=SAFETY_STATEMENT,
        intents=INTENT_TITLES,
        status_text=STATUS_TEXT,
        result_text=RESULT_TEXT,
        status_mark=STATUS_MARK,
        result_mark=RESULT_MARK,
        roles=ROLES,
        format_value=format_value,
        field_label=field_label,
        min_password=MIN_PASSWORD_LENGTH,
        urlencode=urlencode,
        cite=cite_html,
        cite_text=cite_in_text,
        section_titles=SECTION_TITLES,
        choice_label=choice_label,
    )
    return env


_PLAUSIBLE = {f.path: r for f in FIELDS if (r := plausible_range(f.path)) is not None}
"""The plausible range of every number of the form, bounds included (the confirm box)."""

_CONFIRM_IN_FORM = "or be confirmed as entered (the box under the field)"

_CHOICE_WORDS = {
    ("primary.site", "unknown_primary"): "unknown primary (CUP)",
    ("pathology.differentiation", "well"): "well differentiated",
    ("pathology.differentiation", "poor"): "poorly differentiated",
    ("primary.functional_syndrome", "none"): "none (non-functional)",
    ("primary.functional_syndrome", "carcinoid"): "carcinoid syndrome",
    ("primary.functional_syndrome", "vipoma"): "VIPoma",
    ("liver.distribution", "bilobar_dominant"): "bilobar, one lobe dominant",
    ("liver.distribution", "bilobar_diffuse"): "bilobar, diffuse",
    ("patient.hereditary_syndromes", "men1"): "MEN1",
    ("patient.hereditary_syndromes", "men4"): "MEN4",
    ("patient.hereditary_syndromes", "vhl"): "von Hippel–Lindau (VHL)",
    ("patient.hereditary_syndromes", "nf1"): "neurofibromatosis type 1 (NF1)",
    ("primary.hormone", "vip"): "VIP",
    ("primary.hormone", "acth"): "ACTH",
    ("primary.hormone", "pthrp"): "PTHrP",
    ("imaging.sstr_uptake_vs_liver", "below_liver"): "below normal liver",
    ("imaging.sstr_uptake_vs_liver", "like_liver"): "like normal liver",
    ("imaging.sstr_uptake_vs_liver", "above_liver"): "above normal liver",
}


_WRITE_FIELD = re.compile(r"\bwrite ([a-z]+\.[a-z0-9_]+): ([^\s,)]+)")
_AND_FIELD = re.compile(r" and ([a-z]+\.[a-z0-9_]+): ([^\s,)]+)")
_IN_A_DOCUMENT = re.compile(
    r"\bwrite ([^\s,]+), or in a case document \{\"value\": ([^,]+), \"unit\": \"([^\"]+)\"\}"
)


def _for_the_form(words: str) -> str:
    """A validation hint as a form user acts on it: "enter 2 in “At least: liver lesions”"
    rather than a document's "write liver.lesion_count_at_least: 2", and the unit chosen
    beside the field rather than a document's {"value", "unit"}."""
    words = _WRITE_FIELD.sub(r"enter \2 in “\1”", words)
    words = _AND_FIELD.sub(r" and \2 in “\1”", words)
    words = words.replace("leave it out, as null or an empty cell", "leave the box empty")
    words = words.replace("write the one", "enter the one").replace(
        ", or leave it out", ", or leave the box empty"
    )
    words = _IN_A_DOCUMENT.sub(r"enter \1, or enter \2 and choose \3 beside it", words)
    # what is left is typed into a box too: "write the number alone: 1" → "enter …"
    return re.sub(r"\bwrite (?=the number|it |\d)", "enter ", words)


def choice_label(path: str, choice: str) -> str:
    """A form choice in clinical words: treatments by their names (TACE, not "tace"); an
    unknown primary is a diagnosis, distinct from "not known"."""
    if path == "course.prior_treatments":
        words = vocabulary().option.get(choice)
        return words.name if words else choice.replace("_", " ")
    return _CHOICE_WORDS.get((path, choice), choice.replace("_", " "))


def compile_templates() -> None:
    """Compile every page template once at start-up, not on a user's first visit."""
    env = _env()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def render(
    request: Request,
    template: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    principal = principal_of(request) if "principal" in request.scope else None
    html = (
        _env()
        .get_template(template)
        .render(
            request=request,
            principal=principal,
            user=principal.user if principal else None,
            csrf=principal.csrf if principal else "",
            knowledge=knowledge_version(),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(
    request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
) -> Response:
    titles = {
        400: "Bad request",
        401: "Please log in",
        403: "Not allowed",
        404: "Not found",
        405: "Not allowed",
        409: "Changed or taken already",
        413: "Too large",
        415: "Not a form or JSON",
        422: "Not accepted",
        429: "Too many attempts",
        500: "Something went wrong",
        502: "Another server did not answer",
        503: "Temporarily unavailable",
    }
    return render(
        request,
        "error.html",
        status=status,
        headers=headers,
        title=titles.get(status, "Something went wrong"),
        detail=detail,
        code=status,
    )


def _store(request: Request) -> Store:
    store = request.app.state.store
    assert isinstance(store, Store)
    return store


async def page_user(request: Request) -> Principal:
    principal = await resolve_principal(request)
    if principal is None or principal.via != "session":
        raise NotLoggedInError
    return principal


PageUser = Annotated[Principal, Depends(page_user)]
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
VersionQuery = Annotated[int | None, Query(ge=1, le=2_147_483_647)]


def _writer(principal: Principal) -> None:
    if not principal.user.can_write():
        raise ApiError(403, "Your role (viewer) may read cases but not change them.")


def _admin(principal: Principal) -> None:
    if not principal.user.is_admin():
        raise ApiError(403, "Only an administrator may manage users.")


async def _form(request: Request, principal: Principal) -> FormData:
    form = await request.form()
    sent = form.get("csrf_token")
    check_csrf(principal, sent if isinstance(sent, str) else None)
    return form


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# --------------------------------------------------------------------------- login


def _limiter(request: Request) -> LoginLimiter:
    limiter = request.app.state.login_limiter
    assert isinstance(limiter, LoginLimiter)
    return limiter


def _login_page(
    request: Request, next_url: str, error: str = "", status: int = 200, username: str = ""
) -> HTMLResponse:
    existing = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    token = existing if 20 <= len(existing) <= 100 else new_token()
    response = render(
        request,
        "login.html",
        status=status,
        title="Log in",
        login_csrf=token,
        next=next_url,
        error=error,
        username=username,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")
    next_url = _safe_next(str(form.get("next") or "/"))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or cookie != form.get("csrf_token"):
        return _login_page(
            request,
            next_url,
            "The login form expired. Please try again.",
            status=403,
            username=username,
        )
    limiter = _limiter(request)
    client = request.client.host if request.client else "unknown"
    keys = (f"ip:{client}", f"user:{username.lower()}")
    wait = limiter.retry_after(*keys)
    if wait:
        response = _login_page(
            request,
            next_url,
            f"Too many failed attempts. Try again in {wait} seconds.",
            status=429,
            username=username,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    store = _store(request)
    user = await run_in_threadpool(store.authenticate, username, password)
    if user is None:
        limiter.failed(*keys)
        await run_in_threadpool(store.audit, None, "login_failed", None, "")
        return _login_page(
            request, next_url, "Wrong user name or password.", status=401, username=username
        )
    limiter.succeeded(keys[1])
    return _start_session(request, store, user, next_url)


def _start_session(request: Request, store: Store, user: UserRecord, next_url: str) -> Response:
    token, _csrf = store.create_session(user.id)
    store.audit(user, "login", None, "")
    response = _see_other(next_url)
    set_cookie(request, response, SESSION_COOKIE, token, max_age=12 * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.get("/login/once")
def login_once(request: Request, token: str = "") -> Response:
    """The first administrator's one-time login address."""
    limiter = _limiter(request)
    client = request.client.host if request.client else "unknown"
    key = f"ip:{client}"
    if limiter.retry_after(key):
        return error_page(request, 429, "Too many failed attempts. Try again later.")
    store = _store(request)
    user = store.consume_login_link(token) if token else None
    if user is None:
        limiter.failed(key)
        return error_page(
            request,
            403,
            "This login address has been used or has expired. "
            "Restart the server to print a new one, or log in "
            "with your user name and password.",
        )
    return _start_session(request, store, user, "/account?welcome=1")


@router.post("/logout")
async def logout(request: Request, principal: PageUser) -> Response:
    await _form(request, principal)
    cookie = request.cookies.get(SESSION_COOKIE)
    store = _store(request)
    if cookie:
        store.delete_session(cookie)
    store.audit(principal.user, "logout", None, "")
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --------------------------------------------------------------------------- cases


def _form_page(
    request: Request,
    *,
    title: str,
    action: str,
    values: Mapping[str, Any],
    problems: list[Problem] | None = None,
    case_pk: int | None = None,
    status: int = 200,
    base_version: int | None = None,
    conflict: Conflict | None = None,
) -> HTMLResponse:
    by_path: dict[str, list[str]] = {}
    general: list[str] = []
    confirmable: set[str] = set()
    for problem in problems or []:
        key = problem.path.split("[", 1)[0]
        if confirm_how(key) in problem.expected:
            # only an implausible value can be confirmed: not text, not one out of range
            confirmable.add(key)
        # the label stands beside the field (and before it in the list): no field path
        words = f"{problem.expected}, got {problem.got}" if problem.got else problem.expected
        # the confirm box stands under the field: no path to list in a document
        words = in_words(_for_the_form(words.replace(confirm_how(key), _CONFIRM_IN_FORM)))
        if key in FIELD_BY_PATH or key in ("case_id", "label"):
            by_path.setdefault(key, []).append(words)
        else:
            general.append(problem.message)
    return render(
        request,
        "case_form.html",
        status=status,
        title=title,
        action=action,
        groups=form_fields(),
        values=values,
        errors=by_path,
        general=general,
        problem_count=len(problems or []),
        case_pk=case_pk,
        units=UNIT_CHOICES,
        plausible=_PLAUSIBLE,
        confirmable=confirmable,
        number=clinical_number,
        base_version=base_version,
        conflict=conflict,
    )


def _form_dict(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in form:
        items = form.getlist(key)
        spec = FIELD_BY_PATH.get(key)
        if spec is not None and spec.kind.value == "choices":
            values[key] = [str(i) for i in items]
        else:
            values[key] = str(items[-1]) if items else ""
    return values


@router.get("/cases/new")
def new_case_form(request: Request, principal: PageUser) -> Response:
    _writer(principal)
    return _form_page(request, title="New case", action="/cases/new", values={})


@router.post("/cases/new")
async def create_case(request: Request, principal: PageUser) -> Response:
    _writer(principal)
    values = _form_dict(await _form(request, principal))
    try:
        document = normalised_document(document_from_form(values))
        case = await run_in_threadpool(_store(request).create_case, document, principal.user)
    except InputRejected as exc:
        return _form_page(
            request,
            title="New case",
            action="/cases/new",
            values=values,
            problems=exc.problems,
            status=422,
        )
    except ConflictError as exc:
        return _form_page(
            request,
            title="New case",
            action="/cases/new",
            values=values,
            problems=[Problem("case_id", str(exc), "")],
            status=409,
        )
    return _see_other(f"/cases/{case.id}")


@router.get("/cases/{case_pk}/edit")
def edit_case_form(request: Request, case_pk: Id, principal: PageUser) -> Response:
    _writer(principal)
    case = _store(request).get_case(case_pk)
    return _form_page(
        request,
        title=f"Edit case {case.case_id} (version {case.current_version + 1} will be stored)",
        action=f"/cases/{case_pk}/edit",
        values=form_values(case.document),
        case_pk=case_pk,
        base_version=case.current_version,
    )


def _base_version(raw: Any) -> int | None:
    """The version the form was loaded from (absent in forms from before it was sent)."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and 1 <= int(text) <= 2_147_483_647 else None


@router.post("/cases/{case_pk}/edit")
async def update_case(request: Request, case_pk: Id, principal: PageUser) -> Response:
    _writer(principal)
    values = _form_dict(await _form(request, principal))
    base = _base_version(values.get("base_version"))
    store = _store(request)
    case = store.get_case(case_pk)
    values["case_id"] = case.case_id  # the case id of a stored case does not change
    title = f"Edit case {case.case_id}"
    action = f"/cases/{case_pk}/edit"
    try:
        document = normalised_document(document_from_form(values))
        await run_in_threadpool(
            store.update_case, case_pk, document, principal.user, expected_version=base
        )
    except InputRejected as exc:
        return _form_page(
            request,
            title=title,
            action=action,
            values=values,
            problems=exc.problems,
            case_pk=case_pk,
            status=422,
            base_version=base,
        )
    except VersionConflictError as exc:
        assert base is not None
        current = exc.current
        conflict = describe_conflict(
            changed_by=exc.changed_by,
            base_version=base,
            current_version=current.current_version,
            stored_at=current.updated_at.strftime("%Y-%m-%d %H:%M UTC"),
            base=store.case_version(case_pk, base).document,
            theirs=current.document,
            yours=document,
        )
        # Saving this form again stores the user's values on top of the version now shown.
        return _form_page(
            request,
            title=title,
            action=action,
            values=values,
            case_pk=case_pk,
            status=409,
            base_version=current.current_version,
            conflict=conflict,
        )
    return _see_other(f"/cases/{case_pk}?saved=1")


@router.post("/cases/{case_pk}/delete")
async def delete_case(request: Request, case_pk: Id, principal: PageUser) -> Response:
    _writer(principal)
    await _form(request, principal)
    _store(request).delete_case(case_pk, principal.user)
    return _see_other("/")


def _classification(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": row.title,
            "value": row.value,
            "explanation": row.explanation,
            "settle": list(row.settle),
        }
        for row in classification_rows(doc)
    ]


@router.get("/cases/{case_pk}/report.{fmt}")
def report(
    request: Request, case_pk: Id, fmt: str, principal: PageUser, version: VersionQuery = None
) -> Response:
    if fmt not in ("html", "pdf"):
        raise NotFoundError("Not found")
    body, media, name = build_report(
        request,
        case_pk,
        version,
        fmt,
        principal,
        with_evidence=request.query_params.get("evidence") == "1",
    )
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


# --------------------------------------------------------------------------- evidence


@router.get("/cases/{case_pk}/evidence/{option_id}")
def evidence_page(request: Request, case_pk: Id, option_id: str, principal: PageUser) -> Response:
    store = _store(request)
    case = store.get_case(case_pk)
    if option_id not in OPTION_IDS:
        raise NotFoundError(f"no option {option_id}")
    site = (case.document.get("primary") or {}).get("site")
    site = site if isinstance(site, str) else None
    available = evidence.available()
    return render(
        request,
        "evidence.html",
        title=f"Evidence: {option_name(option_id)}",
        option_title=option_name(option_id),
        case=case,
        option_id=option_id,
        ev=evidence.page(option_id, site) if available else {"records": []},
        site_words=choice_label("primary.site", site) if site else "",
        population_words=population_title,
        refs=ReferenceList(),
        unavailable="" if available else evidence.NOT_INSTALLED,
    )


# --------------------------------------------------------------------------- account


@router.get("/account")
def account(request: Request, principal: PageUser) -> Response:
    tokens = _store(request).list_api_tokens(principal.user.id)
    return render(
        request,
        "account.html",
        title="Account",
        tokens=tokens,
        welcome=request.query_params.get("welcome") == "1",
        new_token="",
        message="",
        error="",
    )


@router.post("/account/password")
async def change_password(request: Request, principal: PageUser) -> Response:
    form = await _form(request, principal)
    store = _store(request)
    current = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")
    repeat = str(form.get("repeat_password") or "")
    error = ""
    if principal.user.has_password and store.authenticate(principal.user.username, current) is None:
        error = "The current password is wrong."
    elif len(new) < MIN_PASSWORD_LENGTH:
        error = f"The new password must have at least {MIN_PASSWORD_LENGTH} characters."
    elif new != repeat:
        error = "The two new passwords differ."
    if not error:
        store.update_user(principal.user.id, password=new)
        store.audit(principal.user, "user", None, "changed own password")
    tokens = store.list_api_tokens(principal.user.id)
    return render(
        request,
        "account.html",
        status=422 if error else 200,
        title="Account",
        tokens=tokens,
        welcome=False,
        new_token="",
        error=error,
        message="" if error else "Password changed.",
    )


@router.post("/account/tokens")
async def create_token(request: Request, principal: PageUser) -> Response:
    form = await _form(request, principal)
    name = str(form.get("name") or "").strip()[:100] or "API token"
    store = _store(request)
    record, plaintext = store.create_api_token(principal.user.id, name)
    store.audit(principal.user, "token", None, f"created token {record.id}")
    return render(
        request,
        "account.html",
        title="Account",
        tokens=store.list_api_tokens(principal.user.id),
        welcome=False,
        new_token=plaintext,
        message="",
        error="",
    )


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: Id, principal: PageUser) -> Response:
    await _form(request, principal)
    store = _store(request)
    if store.revoke_api_token(token_id, user_id=principal.user.id):
        token_cache(request).forget()
        store.audit(principal.user, "token", None, f"revoked token {token_id}")
    return _see_other("/account")


# --------------------------------------------------------------------------- users


@router.get("/admin/users")
def users(request: Request, principal: PageUser) -> Response:
    _admin(principal)
    return render(
        request,
        "users.html",
        title="Users",
        users=_store(request).list_users(),
        error="",
        message="",
    )


@router.post("/admin/users")
async def create_user(request: Request, principal: PageUser) -> Response:
    _admin(principal)
    form = await _form(request, principal)
    store = _store(request)
    username = str(form.get("username") or "").strip()
    role = str(form.get("role") or "")
    password = str(form.get("password") or "")
    error = ""
    if (
        not username
        or len(username) > 64
        or not all(ch.isalnum() or ch in "._@-" for ch in username)
    ):
        error = "User names use letters, digits and . _ @ - (at most 64)."
    elif role not in ROLES:
        error = f"Choose a role: {', '.join(ROLES)}."
    elif len(password) < MIN_PASSWORD_LENGTH:
        error = f"The password must have at least {MIN_PASSWORD_LENGTH} characters."
    else:
        try:
            user = store.create_user(username, role, password)
            store.audit(principal.user, "user", None, f"created user {user.id} ({role})")
        except ConflictError:
            error = f"The user name {username} is taken."
    return render(
        request,
        "users.html",
        status=422 if error else 200,
        title="Users",
        users=store.list_users(),
        error=error,
        message="" if error else f"User {username} created.",
    )


@router.post("/admin/users/{user_id}")
async def change_user(request: Request, user_id: Id, principal: PageUser) -> Response:
    _admin(principal)
    form = await _form(request, principal)
    store = _store(request)
    role = str(form.get("role") or "") or None
    active = form.get("active") == "yes"
    if user_id == principal.user.id and (not active or role != "admin"):
        raise ApiError(409, "You cannot demote or deactivate yourself.")
    if role is not None and role not in ROLES:
        raise ApiError(422, f"Choose a role: {', '.join(ROLES)}.")
    store.update_user(user_id, role=role, active=active)
    token_cache(request).forget()
    store.audit(principal.user, "user", None, f"changed user {user_id}")
    return _see_other("/admin/users")
