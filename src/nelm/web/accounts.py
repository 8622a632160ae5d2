"""Login and logout, the first administrator's one-time address, the account page (password
and API tokens) and user management.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from nelm.store import (
    ROLES,
    ConflictError,
    Store,
    UserRecord,
)
from nelm.store.security import MIN_PASSWORD_LENGTH, new_token
from nelm.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    LoginLimiter,
    set_cookie,
    token_cache,
)
from nelm.web.bootstrap import forget_login_link
from nelm.web.errors import ApiError
from nelm.web.page_support import (
    Id,
    PageUser,
    check_is_admin,
    error_page,
    read_form,
    render,
    safe_next,
    see_other,
    store_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


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
    return _login_page(request, safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    username = str(form.get("username") or "").strip()[:64]
    password = str(form.get("password") or "")
    next_url = safe_next(str(form.get("next") or "/"))
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
    store = store_of(request)
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
    response = see_other(next_url)
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
    store = store_of(request)
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
    written = request.app.state.settings.login_link_file
    if written is not None:  # used: the secret need not stay on disk
        forget_login_link(written)
    return _start_session(request, store, user, "/account?welcome=1")


@router.post("/logout")
async def logout(request: Request, principal: PageUser) -> Response:
    await read_form(request, principal)
    cookie = request.cookies.get(SESSION_COOKIE)
    store = store_of(request)
    if cookie:
        store.delete_session(cookie)
    store.audit(principal.user, "logout", None, "")
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --------------------------------------------------------------------------- account


@router.get("/account")
def account(request: Request, principal: PageUser) -> Response:
    tokens = store_of(request).list_api_tokens(principal.user.id)
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
    form = await read_form(request, principal)
    store = store_of(request)
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
    form = await read_form(request, principal)
    name = str(form.get("name") or "").strip()[:100] or "API token"
    store = store_of(request)
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
    await read_form(request, principal)
    store = store_of(request)
    if store.revoke_api_token(token_id, user_id=principal.user.id):
        token_cache(request).forget()
        store.audit(principal.user, "token", None, f"revoked token {token_id}")
    return see_other("/account")


# --------------------------------------------------------------------------- users


@router.get("/admin/users")
def users(request: Request, principal: PageUser) -> Response:
    check_is_admin(principal)
    return render(
        request,
        "users.html",
        title="Users",
        users=store_of(request).list_users(),
        error="",
        message="",
    )


@router.post("/admin/users")
async def create_user(request: Request, principal: PageUser) -> Response:
    check_is_admin(principal)
    form = await read_form(request, principal)
    store = store_of(request)
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
    check_is_admin(principal)
    form = await read_form(request, principal)
    store = store_of(request)
    role = str(form.get("role") or "") or None
    active = form.get("active") == "yes"
    if user_id == principal.user.id and (not active or role != "admin"):
        raise ApiError(409, "You cannot demote or deactivate yourself.")
    if role is not None and role not in ROLES:
        raise ApiError(422, f"Choose a role: {', '.join(ROLES)}.")
    store.update_user(user_id, role=role, active=active)
    token_cache(request).forget()
    store.audit(principal.user, "user", None, f"changed user {user_id}")
    return see_other("/admin/users")
