"""The tumour-board web application: REST API (``/api/v1``), pages, static files.

An adapter around the clinical core and the case store; ``create_app`` builds it and
``nelm serve`` runs it. Requires the ``web`` extra.
"""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args: object, **kwargs: object) -> object:
    """See :func:`nelm.web.app.create_app` (imported on first use)."""
    from nelm.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)  # type: ignore[arg-type]
