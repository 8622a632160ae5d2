"""Shared matplotlib set-up of nelm's figures (forest plots, survival approximations)."""

from __future__ import annotations

from contextlib import AbstractContextManager

__all__ = ["plain_text_figure"]


def plain_text_figure(svg_salt: str) -> AbstractContextManager[None]:
    """Settings for a reproducible figure whose text is all plain text.

    No TeX and no mathtext, so a ``$`` in a study label prints as typed; a fixed SVG hash
    salt and paths for glyphs, so the same figure gives the same bytes on every run.
    """
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",
            "text.usetex": False,
            "text.parse_math": False,
            "svg.hashsalt": svg_salt,
            "svg.fonttype": "path",
            "path.simplify": False,
        }
    )
