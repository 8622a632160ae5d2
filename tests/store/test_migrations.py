"""The packaged migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from nelm.store import Store
from nelm.store.migrate import current_revision, head_revision, upgrade
from nelm.store.models import Base


def test_migrations_match_models(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_database_is_at_head_and_upgrade_is_idempotent(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {"users", "api_tokens", "sessions", "login_links", "cases", "case_versions",
            "assessments", "decisions", "audit_log", "alembic_version"} <= tables
