"""What every server-rendered page needs: the template environment, rendering (and the
error page), the logged-in user, the role checks, the CSRF-checked form and the redirect.

Templates are Jinja2 with autoescape on for every template, so anything a user typed is
escaped wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.datastructures import FormData

from nelm.case.fields import OTHER_TREATMENT_WORDS
from nelm.knowledge.sources import cite_plain
from nelm.report.citations import cite_html, cite_in_text
from nelm.report.html import (
    INTENT_TITLES,
    RESULT_MARK,
    RESULT_TEXT,
    STATUS_MARK,
    STATUS_TEXT,
)
from nelm.report.text import SAFETY_STATEMENT
from nelm.report.verdicts import WEIGHED_RESULT
from nelm.report.view import (
    field_label,
    format_value,
    outcome_heading,
    outcome_label,
)
from nelm.store import (
    ROLES,
)
from nelm.store.security import MIN_PASSWORD_LENGTH
from nelm.vocabulary import vocabulary
from nelm.web.api_support import MAX_ID, Id, store_of
from nelm.web.auth import (
    NotLoggedInError,
    Principal,
    check_csrf,
    principal_of,
    resolve_principal,
)
from nelm.web.cases import knowledge_version
from nelm.web.errors import ApiError
from nelm.web.forms import (
    SECTION_TITLES,
)

__all__ = [
    "Id",
    "PageUser",
    "VersionQuery",
    "check_can_write",
    "check_is_admin",
    "choice_label",
    "compile_templates",
    "error_page",
    "page_user",
    "read_form",
    "render",
    "safe_next",
    "see_other",
    "store_of",
]


@cache
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
    env.filters["outcome_heading"] = outcome_heading
    env.globals.update(
        cite_plain=cite_plain,
        safety=SAFETY_STATEMENT,
        intents=INTENT_TITLES,
        status_text=STATUS_TEXT,
        result_text=RESULT_TEXT,
        weighed_result=WEIGHED_RESULT,
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


def choice_label(path: str, choice: str) -> str:
    """A form choice in clinical words: treatments by their names (TACE, not "tace"); an
    unknown primary is a diagnosis, distinct from "not known"."""
    if path == "course.prior_treatments":
        words = vocabulary().option.get(choice)
        if words:
            return words.name
        return OTHER_TREATMENT_WORDS.get(choice, choice.replace("_", " "))
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


async def page_user(request: Request) -> Principal:
    principal = await resolve_principal(request)
    if principal is None or principal.via != "session":
        raise NotLoggedInError
    return principal


PageUser = Annotated[Principal, Depends(page_user)]
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def check_can_write(principal: Principal) -> None:
    if not principal.user.can_write():
        raise ApiError(403, "Your role (viewer) may read cases but not change them.")


def check_is_admin(principal: Principal) -> None:
    if not principal.user.is_admin():
        raise ApiError(403, "Only an administrator may manage users.")


async def read_form(request: Request, principal: Principal) -> FormData:
    form = await request.form()
    sent = form.get("csrf_token")
    check_csrf(principal, sent if isinstance(sent, str) else None)
    return form


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
