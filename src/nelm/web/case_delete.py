"""Deleting a case from its page: a two-step form that names the version it was shown.

The case page's "Delete this case…" opens a question whose form carries the version the
page showed. The case is deleted only while it is still at that version, as the REST
API's ``DELETE`` with ``If-Match`` is: a board member who read version 3 must not delete
the version 4 a colleague stored meanwhile without having seen it. Otherwise nothing is
deleted and the case page comes back (409) on the current version, saying who changed it
and what changed, with the question to ask again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nelm.errors import Problem, describe_value
from nelm.store import VersionConflictError
from nelm.web.board_pages import case_page, changes_between
from nelm.web.errors import ApiError
from nelm.web.page_support import Id, PageUser, check_can_write, read_form, see_other, store_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _refused(expected: str, got: str) -> ApiError:
    """422 naming the form's field, what it must hold and what it held."""
    return ApiError(
        422,
        f"The case was not deleted: the form's field 'version' must be {expected}; it held "
        f"{got}. Open the case page again and delete the case from there.",
        [Problem("version", expected, got)],
    )


def _shown_version(raw: object) -> int:
    """The version the page showed (the form's ``version``); 422 naming the field when it
    is missing or not a version number, and nothing is deleted."""
    text = raw.strip() if isinstance(raw, str) else ""
    if text.isdigit() and 1 <= int(text) <= 2_147_483_647:
        return int(text)
    raise _refused(_EXPECTED, describe_value(text[:20]) if text else "nothing")


_EXPECTED = "the version number the case page showed, such as 3"


@router.post("/cases/{case_pk}/delete")
async def delete_case(request: Request, case_pk: Id, principal: PageUser) -> Response:
    check_can_write(principal)
    form = await read_form(request, principal)
    shown = _shown_version(form.get("version"))
    store = store_of(request)
    try:
        await run_in_threadpool(store.delete_case, case_pk, principal.user, expected_version=shown)
    except VersionConflictError as exc:
        current = exc.current
        if shown > current.current_version:  # a version the case never had
            raise _refused(f"a version from 1 to {current.current_version}", str(shown)) from None
        newer = store.case_version(case_pk, current.current_version)
        changed = changes_between(store, current, shown, current.current_version, principal)
        stale = {
            "shown": shown,
            "current": current.current_version,
            "stored_by": exc.changed_by,
            "stored_at": newer.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            "inputs": changed["inputs"],
        }
        return case_page(request, case_pk, principal, status=409, delete_stale=stale)
    return see_other("/?deleted=1")
