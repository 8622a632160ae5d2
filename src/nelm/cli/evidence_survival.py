"""``nelm evidence survival``."""

from __future__ import annotations

import typer


def register(evidence_app: typer.Typer) -> None:
    """Add this command to ``nelm evidence``."""
