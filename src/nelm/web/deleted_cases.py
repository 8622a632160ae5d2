"""The administrators' page of deleted cases: who deleted which case and when, and the
restore action (the REST API's ``/deleted-cases``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from nelm.store import ConflictError
from nelm.web.page_support import (
    Id,
    PageUser,
    check_is_admin,
    read_form,
    render,
    see_other,
    store_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(request: Request, *, error: str = "", status: int = 200) -> Response:
    return render(
        request,
        "deleted_cases.html",
        status=status,
        title="Deleted cases",
        cases=store_of(request).list_deleted_cases(),
        error=error,
    )


@router.get("/admin/deleted-cases")
def deleted_cases(request: Request, principal: PageUser) -> Response:
    check_is_admin(principal)
    return _page(request)


@router.post("/admin/deleted-cases/{case_pk}/restore")
async def restore_case(request: Request, case_pk: Id, principal: PageUser) -> Response:
    check_is_admin(principal)
    await read_form(request, principal)  # the CSRF token
    try:
        store_of(request).restore_case(case_pk, principal.user)
    except ConflictError as exc:  # the case id has been given to another case since
        return _page(request, error=str(exc), status=409)
    return see_other(f"/cases/{case_pk}?restored=1")
