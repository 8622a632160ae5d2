"""``nelm evidence``: the evidence records, pooled estimates and survival approximations."""

from __future__ import annotations

import typer

from nelm.cli import evidence_list, evidence_pool, evidence_survival

evidence_app = typer.Typer(
    help="Published evidence: study records and pooled estimates.", no_args_is_help=True
)
evidence_list.register(evidence_app)
evidence_pool.register(evidence_app)
evidence_survival.register(evidence_app)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
