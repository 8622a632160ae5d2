"""The evidence routes of the REST API: study records, pooled estimates and the plots."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.responses import Response

from nelm.web import evidence
from nelm.web.api_support import (
    UserDep,
    api_router,
    error_responses,
)

__all__ = ["router"]

router = api_router()


_SVG: dict[int | str, dict[str, Any]] = {
    200: {"description": "SVG image", "content": {"image/svg+xml": {}}}
}
Modality = Annotated[
    str,
    Query(
        min_length=1, max_length=64, description="Option id (or tae_tace, intra_arterial, other)"
    ),
]
Outcome = Annotated[
    str, Query(min_length=1, max_length=64, description="Outcome name (evidence-v1)")
]


@router.get("/evidence/records", tags=["evidence"], responses=error_responses(404))
def evidence_records(
    principal: UserDep,
    modality: Annotated[str | None, Query(max_length=64)] = None,
    outcome: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    """Evidence records (evidence-v1), optionally of one modality and/or outcome."""
    return evidence.records(modality, outcome)


@router.get("/evidence/pool", tags=["evidence"])
def evidence_pool(
    principal: UserDep,
    modality: Modality,
    outcome: Outcome,
    method: Annotated[Literal["REML", "DL", "PM", "FE"], Query()] = "REML",
    knapp_hartung: bool = False,
) -> dict[str, Any]:
    """Pooled proportion (random effects, logit) or, for medians, their summary."""
    return evidence.pool(modality, outcome, method, knapp_hartung)


# A plot depends only on the packaged records, which change only with a new release: the
# browser keeps it for an hour, so an evidence page opens without drawing again.
_PLOT_CACHE = {"Cache-Control": "private, max-age=3600"}


@router.get("/evidence/forest.svg", tags=["evidence"], response_class=Response, responses=_SVG)
def evidence_forest(
    principal: UserDep,
    modality: Modality,
    outcome: Outcome,
    method: Annotated[Literal["REML", "DL", "PM", "FE"], Query()] = "REML",
) -> Response:
    """Forest plot of a pooled percentage outcome."""
    return Response(
        evidence.forest_svg_cached(modality, outcome, method),
        media_type="image/svg+xml",
        headers=_PLOT_CACHE,
    )


@router.get(
    "/evidence/survival.svg",
    tags=["evidence"],
    response_class=Response,
    responses={**_SVG, **error_responses(404)},
)
def evidence_survival(
    principal: UserDep,
    modality: Modality,
    kind: Annotated[Literal["os", "pfs"], Query()] = "os",
    high_grade: Annotated[
        bool,
        Query(
            description="Also draw high-grade arms (NEC, G3), marked as such; by default "
            "they are not drawn, as the pooled estimates leave them out"
        ),
    ] = False,
) -> Response:
    """Approximate survival curves (Weibull through published medians and rates)."""
    return Response(
        evidence.survival_svg_cached(modality, kind, high_grade),
        media_type="image/svg+xml",
        headers=_PLOT_CACHE,
    )
