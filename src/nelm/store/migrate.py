"""Bringing a database up to the current schema with the packaged Alembic migrations.

Every upgrade is one transaction, on SQLite as on PostgreSQL: the schema changes of all
pending migrations and the new revision stamp commit together or not at all, so a
process killed at any step (even SIGKILL) leaves the previous revision intact, and the
next start simply runs the migration again.

- SQLite: Python's ``sqlite3`` sends no ``BEGIN`` before DDL, so each ``CREATE TABLE``
  would commit on its own (this is how a killed first start used to leave ``users``
  without a revision, and every later start failed with "table users already exists").
  Here the migration opens the transaction itself with ``BEGIN IMMEDIATE``, which also
  takes the database's write lock: a second process starting at the same moment waits.
- PostgreSQL: DDL is transactional; a transaction-scoped advisory lock makes concurrent
  starts wait for each other instead of racing to create the same tables.

Before migrating, the state of the database is checked (:func:`check_state`): leftovers of
an interrupted first start by an older nelm (tables, all empty, and no revision) are
removed; anything nelm cannot vouch for (tables with rows but no revision, a revision this
version does not know, a revision whose tables are missing) is refused with a
:class:`SchemaStateError` whose message says what was found and how to recover.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, Table, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from nelm.errors import NelmError

__all__ = [
    "SchemaStateError",
    "check_state",
    "current_revision",
    "downgrade",
    "head_revision",
    "revisions",
    "upgrade",
]

log = logging.getLogger("nelm.store")

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant shared by every nelm process; pg_advisory_xact_lock takes a bigint.
_PG_MIGRATION_LOCK = 0x6E656C6D  # "nelm"
_VERSION_TABLE = "alembic_version"


class SchemaStateError(NelmError):
    """The database is in a state nelm will not migrate; the message says how to recover."""


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None
    return head


def revisions() -> list[tuple[str | None, str]]:
    """Every migration as (revision it starts from, revision it reaches), oldest first."""
    steps = [(s.down_revision, s.revision) for s in _scripts().walk_revisions()]
    steps.reverse()
    return [
        (down if isinstance(down, str) or down is None else down[0], rev) for down, rev in steps
    ]


def _context(connection: Connection) -> MigrationContext:
    # transactional_ddl: what upgrade() makes true on both databases (and what is logged)
    return MigrationContext.configure(connection, opts={"transactional_ddl": True})


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _context(connection).get_current_revision()


def _describe(connection: Connection) -> str:
    url = connection.engine.url
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}"
    return f"the PostgreSQL database {url.render_as_string(hide_password=True)}"


def _begin_exclusive(connection: Connection) -> None:
    """Open the migration's transaction and take the lock that serialises migrations.

    SQLite: foreign keys are switched off first, as SQLite prescribes for a schema change
    that rebuilds a table (lang_altertable.html §7: a batch ALTER copies ``cases`` and
    drops the original, which rows in ``case_versions`` still refer to); the pragma has no
    effect inside a transaction, so it comes before ``BEGIN``, and :func:`_end` checks the
    keys before the commit and switches them back on.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")


def _check_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise SchemaStateError(
            f"the schema migration of {_describe(connection)} would leave rows whose "
            f"references point nowhere (in {', '.join(tables)}); nothing was changed. "
            "Restore the database from a backup; report the message if it persists."
        )


def _restore_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _row_count(connection: Connection, name: str) -> int:
    table = Table(name, MetaData())
    return int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)


def check_state(connection: Connection) -> None:
    """Refuse (or, when nothing can be lost, repair) a database nelm cannot migrate.

    Runs inside the migration's transaction, after the lock is taken.
    """
    from nelm.store.models import Base

    known = set(Base.metadata.tables)
    present = set(inspect(connection).get_table_names()) - {_VERSION_TABLE}
    revision = _context(connection).get_current_revision()
    where = _describe(connection)
    if revision is None:
        leftovers = sorted(present & known)
        if not leftovers:
            return
        with_rows = [name for name in leftovers if _row_count(connection, name)]
        if with_rows:
            raise SchemaStateError(
                f"{where} holds tables with rows ({', '.join(with_rows)}) but no nelm "
                "schema revision (no alembic_version row): it is not a nelm case store, or "
                "it was changed by hand, and nelm will not alter it. Point nelm at another "
                "database (--database or NELM_DATABASE_URL), or back this one up and empty "
                "it, then start nelm again."
            )
        # An older nelm killed during its first start left these (DDL was not atomic
        # then). They are empty and nothing refers to them: drop them and start afresh.
        log.warning(
            "removing the empty tables an interrupted first start left in %s: %s",
            where,
            ", ".join(leftovers),
        )
        for name in _drop_order(leftovers):
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
        return
    known_revisions = {rev for _, rev in revisions()}
    if revision not in known_revisions:
        raise SchemaStateError(
            f"{where} is at schema revision {revision!r}, which this nelm does not know "
            f"(it knows {', '.join(sorted(known_revisions))}): it was written by a newer "
            "nelm. Run that version, or restore the backup taken before it upgraded."
        )
    if revision == head_revision():
        missing = sorted(known - present)
        if missing:
            raise SchemaStateError(
                f"{where} is stamped with the current schema revision {revision!r} but "
                f"lacks the tables {', '.join(missing)}: it was changed by hand. Restore it "
                "from a backup, or point nelm at a new database."
            )


def _drop_order(names: list[str]) -> list[str]:
    """Tables in an order that drops those holding foreign keys before their targets."""
    from nelm.store.models import Base

    ordered = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in names]
    return ordered + [n for n in names if n not in ordered]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction (idempotent).

    Raises :class:`SchemaStateError` when the database is in a state nelm will not touch,
    or when a migration fails (the database is then left as it was).
    """
    config = _config()
    with engine.connect() as connection:
        _begin_exclusive(connection)
        try:
            check_state(connection)
            before = _context(connection).get_current_revision()
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, revision)
            except DBAPIError as exc:
                if exc.connection_invalidated:
                    raise
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc)
                raise SchemaStateError(
                    f"the schema migration of {_describe(connection)} from revision "
                    f"{before or '(empty)'} to {revision} failed: {reason}. Nothing was "
                    "changed (the migration runs in one transaction). Restore the database "
                    "from a backup or point nelm at a new one; report the message if it "
                    "persists."
                ) from exc
            _check_foreign_keys(connection)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            _restore_foreign_keys(connection)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Undo migrations down to ``revision`` in one transaction (tests use it)."""
    config = _config()
    with engine.connect() as connection:
        _begin_exclusive(connection)
        try:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
            _check_foreign_keys(connection)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            _restore_foreign_keys(connection)
