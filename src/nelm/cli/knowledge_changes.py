"""``nelm knowledge-changes``: the stored cases whose conclusions change, option by option,
under the knowledge base now installed (the same listing as the page
``/knowledge/changes``)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["register"]


def knowledge_changes_command(
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="Database URL (default: NELM_DATABASE_URL or ./nelm.sqlite).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the stored cases whose option statuses change with the installed knowledge."""
    from nelm.store import Store, database_url
    from nelm.web.knowledge_changes import knowledge_changes

    store = Store(database_url(database))
    try:
        current, found = knowledge_changes(store)
    finally:
        store.close()
    one = len(found) == 1
    typer.echo(
        f"Knowledge base {current}: {len(found)} stored case{'' if one else 's'} "
        f"conclude{'s' if one else ''} differently."
    )
    for case in found:
        label = f" ({case.label})" if case.label else ""
        typer.echo(
            f"\n{case.case_id}{label}, version {case.version}, "
            f"assessed with {case.stored_knowledge}:"
        )
        for change in case.changes:
            typer.echo(f"  {change.name}: {change.before} → {change.after}")


def register(app: typer.Typer) -> None:
    app.command("knowledge-changes")(knowledge_changes_command)
