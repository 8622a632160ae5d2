"""Who is asking: session cookies (pages), bearer tokens (scripts), roles, CSRF, rate limits.

Nothing but the login page, the static files it needs and ``/api/v1/health`` answers
without a login — not even on loopback. Sessions live in the store (revocable, 12 hours);
the cookie is HttpOnly, SameSite=Strict, and Secure when the request came over https.
Every form carries the session's CSRF token; API calls that authenticate with the session
cookie must send it in ``X-CSRF-Token`` for anything but GET.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from nelm.store import Store, UserRecord
from nelm.web.errors import ApiError

__all__ = [
    "CSRF_HEADER",
    "LOGIN_CSRF_COOKIE",
    "SESSION_COOKIE",
    "LoginLimiter",
    "Principal",
    "TokenCache",
    "check_csrf",
    "principal_of",
    "require_admin",
    "require_user",
    "require_writer",
    "resolve_principal",
    "set_cookie",
    "token_cache",
]

SESSION_COOKIE = "nelm_session"
LOGIN_CSRF_COOKIE = "nelm_login_csrf"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Principal:
    user: UserRecord
    via: Literal["session", "token"]
    csrf: str = ""


class NotLoggedInError(Exception):
    """Raised by page routes; answered with a redirect to the login page."""


def _store(request: Request) -> Store:
    store = request.app.state.store
    assert isinstance(store, Store)
    return store


class TokenCache:
    """API token → user for a few seconds, so that a script's burst of requests costs one
    database lookup. A revocation in this process takes effect at once (``forget``); in
    other worker processes within ``ttl`` seconds."""

    def __init__(self, ttl: float = 10.0, size: int = 1024) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, UserRecord]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> UserRecord | None:
        with self._lock:
            found = self._entries.get(token)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._entries[token]
                return None
            return found[1]

    def put(self, token: str, user: UserRecord) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[token] = (time.monotonic() + self.ttl, user)

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()


def token_cache(request: Request) -> TokenCache:
    cache = request.app.state.token_cache
    assert isinstance(cache, TokenCache)
    return cache


def principal_of(request: Request) -> Principal | None:
    """The principal found by :func:`resolve_principal` for this request (or None)."""
    cached = request.scope.get("principal")
    return cached if isinstance(cached, Principal) else None


async def resolve_principal(request: Request) -> Principal | None:
    """The authenticated user of this request, or None (remembered on the request)."""
    if "principal" in request.scope:
        return principal_of(request)
    found: Principal | None = None
    authorization = request.headers.get("authorization", "")
    if authorization[:7].lower() == "bearer ":
        token = authorization[7:].strip()
        cache = token_cache(request)
        user = cache.get(token)
        if user is None:
            user = await run_in_threadpool(_store(request).user_for_api_token, token)
            if user is not None:
                cache.put(token, user)
        found = Principal(user, "token") if user else None
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            session = await run_in_threadpool(_store(request).session_user, cookie)
            if session is not None:
                found = Principal(session[0], "session", session[1])
    request.scope["principal"] = found
    return found


async def require_user(request: Request) -> Principal:
    """FastAPI dependency for API routes: 401 without a login; CSRF for cookie writes."""
    principal = await resolve_principal(request)
    if principal is None:
        raise ApiError(
            401,
            "Log in first: send 'Authorization: Bearer <token>' (create a "
            "token on the Account page) or use the web application.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if principal.via == "session" and request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), principal.csrf.encode()):
            raise ApiError(403, "Missing or wrong CSRF token (send the X-CSRF-Token header).")
    return principal


async def require_writer(request: Request) -> Principal:
    principal = await require_user(request)
    if not principal.user.can_write():
        raise ApiError(403, "Your role (viewer) may read but not change cases.")
    return principal


async def require_admin(request: Request) -> Principal:
    principal = await require_user(request)
    if not principal.user.is_admin():
        raise ApiError(403, "Only an administrator may do this.")
    return principal


def check_csrf(principal: Principal, sent: str | None) -> None:
    """Check a form's CSRF token against the session's (403 when wrong or missing)."""
    if (
        principal.via != "session"
        or not sent
        or not hmac.compare_digest(sent.encode(), principal.csrf.encode())
    ):
        raise ApiError(
            403,
            "This form has expired or did not come from this site. Reload the page and try again.",
        )


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    secure_setting = request.app.state.settings.secure_cookies
    secure = request.url.scheme == "https" if secure_setting is None else bool(secure_setting)
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/"
    )


class LoginLimiter:
    """At most ``max_failures`` failed logins per client address and per user name in a
    sliding window; further attempts are refused (429) until the window has passed."""

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        entries = self._failures.setdefault(key, deque())
        while entries and entries[0] <= now - self.window:
            entries.popleft()
        return entries

    def retry_after(self, *keys: str) -> int:
        """Seconds to wait before another attempt, 0 when one is allowed now."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key in keys:
                entries = self._recent(key, now)
                if len(entries) >= self.max_failures:
                    waits.append(entries[0] + self.window - now)
            return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10000:  # forget idle keys
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
