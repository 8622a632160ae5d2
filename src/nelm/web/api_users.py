"""The user, token and audit routes of the REST API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from nelm.store import NotFoundError
from nelm.web.api_support import (
    AdminDep,
    Id,
    UserDep,
    api_router,
    error_responses,
    store_of,
)
from nelm.web.auth import token_cache
from nelm.web.errors import ApiError
from nelm.web.schemas import AuditOut, TokenCreated, TokenIn, TokenOut, UserIn, UserOut, UserPatch

__all__ = ["router"]

router = api_router()


@router.get("/users", response_model=list[UserOut], tags=["users"])
def list_users(request: Request, principal: AdminDep) -> list[dict[str, Any]]:
    return [u.as_dict() for u in store_of(request).list_users()]


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    tags=["users"],
    responses=error_responses(409),
)
def create_user(request: Request, body: UserIn, principal: AdminDep) -> dict[str, Any]:
    store = store_of(request)
    user = store.create_user(body.username, body.role, body.password)
    store.audit(principal.user, "user", None, f"created user {user.id} ({user.role})")
    return user.as_dict()


@router.patch(
    "/users/{user_id}", response_model=UserOut, tags=["users"], responses=error_responses(404)
)
def update_user(
    request: Request, user_id: Id, body: UserPatch, principal: AdminDep
) -> dict[str, Any]:
    store = store_of(request)
    if user_id == principal.user.id and (body.active is False or body.role not in (None, "admin")):
        raise ApiError(409, "You cannot demote or deactivate yourself.")
    user = store.update_user(user_id, role=body.role, active=body.active, password=body.password)
    token_cache(request).forget()
    store.audit(principal.user, "user", None, f"changed user {user.id}")
    return user.as_dict()


@router.get("/tokens", response_model=list[TokenOut], tags=["users"])
def list_tokens(request: Request, principal: UserDep) -> list[dict[str, Any]]:
    return [t.as_dict() for t in store_of(request).list_api_tokens(principal.user.id)]


@router.post("/tokens", status_code=201, response_model=TokenCreated, tags=["users"])
def create_token(request: Request, body: TokenIn, principal: UserDep) -> dict[str, Any]:
    """A new API token for yourself; the token is shown in this answer only."""
    store = store_of(request)
    record, plaintext = store.create_api_token(principal.user.id, body.name)
    store.audit(principal.user, "token", None, f"created token {record.id}")
    return {**record.as_dict(), "token": plaintext}


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    tags=["users"],
    response_class=Response,
    responses=error_responses(404),
)
def revoke_token(request: Request, token_id: Id, principal: UserDep) -> Response:
    store = store_of(request)
    owner = None if principal.user.is_admin() else principal.user.id
    if not store.revoke_api_token(token_id, user_id=owner):
        raise NotFoundError(f"no token {token_id}")
    token_cache(request).forget()
    store.audit(principal.user, "token", None, f"revoked token {token_id}")
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut], tags=["users"])
def audit_log(
    request: Request,
    principal: AdminDep,
    case_id: Annotated[str | None, Query(max_length=128)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Who read, created, changed or exported which case id, and when (admin only)."""
    return [e.as_dict() for e in store_of(request).audit_entries(case_id=case_id, limit=limit)]
