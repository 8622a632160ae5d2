"""Alembic environment: always run programmatically by ``nelm.store.migrate``.

The caller passes an open connection, inside the transaction that holds the whole upgrade,
in ``config.attributes["connection"]``; nothing here reads ``alembic.ini`` or the
environment.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from nelm.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # nelm.store.migrate runs all pending migrations in one transaction it opened
        # itself, on SQLite too (BEGIN IMMEDIATE): the DDL is transactional on both.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("nelm's migrations run through nelm.store.migrate.upgrade(engine)")
_run(_connection)
