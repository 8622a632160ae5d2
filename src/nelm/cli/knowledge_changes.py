"""``nelm knowledge-changes``: the stored cases whose conclusions change, option by option,
under the knowledge base now installed (the same listing as the page
``/knowledge/changes``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nelm.errors import Problem

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
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, OperationalError

    from nelm.cli._common import fail, unopenable_database
    from nelm.store import Store, database_url
    from nelm.web.knowledge_changes import knowledge_changes

    url = database_url(database)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise unopenable_database(url, exc) from None
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file not in (None, "", ":memory:") and not Path(str(file)).is_file():
        # a listing never creates an empty store
        fail([Problem("--database", "an existing nelm case store", f"no such file {url}")])
    try:
        store = Store(url)
    except (ValueError, OperationalError) as exc:
        raise unopenable_database(url, exc) from None
    try:
        current, found = knowledge_changes(store)
    except OperationalError as exc:
        raise unopenable_database(url, exc) from None
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
