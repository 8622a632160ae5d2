"""The packaged migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from nelm.store import Store
from nelm.store.migrate import SchemaStateError, current_revision, head_revision, upgrade
from nelm.store.models import Base
from tests.store.support import postgres_url, reset_postgres, sqlite_url


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
    assert {
        "users",
        "api_tokens",
        "sessions",
        "login_links",
        "cases",
        "case_versions",
        "assessments",
        "decisions",
        "audit_log",
        "alembic_version",
    } <= tables


# ---------------------------------------------------------------- half-migrated stores


def _empty_database(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return sqlite_url(tmp_path)
    url = postgres_url()
    reset_postgres(url)
    return url


def _execute(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_leftovers_of_a_first_start_killed_by_an_older_nelm_are_repaired(
    backend: str, tmp_path: Path
) -> None:
    # what issue 13 found: `users` created, no revision stamped ("table users already exists")
    url = _empty_database(backend, tmp_path)
    _execute(url, "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(64))")
    store = Store(url)
    try:
        assert current_revision(store.engine) == head_revision()
        assert store.create_user("after-repair", "viewer").username == "after-repair"
    finally:
        store.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tables_with_rows_but_no_revision_are_refused_with_a_way_out(
    backend: str, tmp_path: Path
) -> None:
    url = _empty_database(backend, tmp_path)
    _execute(
        url,
        "CREATE TABLE cases (id INTEGER PRIMARY KEY, case_id VARCHAR(128))",
        "INSERT INTO cases (id, case_id) VALUES (1, 'someone else''s')",
    )
    with pytest.raises(SchemaStateError) as refused:
        Store(url)
    message = str(refused.value)
    assert "holds tables with rows (cases) but no nelm schema revision" in message
    assert "Point nelm at another database (--database or NELM_DATABASE_URL)" in message
    engine = create_engine(url)
    with engine.connect() as connection:  # and nothing was touched
        assert connection.execute(text("SELECT case_id FROM cases")).scalar() == "someone else's"
        assert "alembic_version" not in inspect(connection).get_table_names()
    engine.dispose()


def test_a_revision_from_a_newer_nelm_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    Store(url).close()
    _execute(url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(
        SchemaStateError,
        match=r"is at schema revision '9999', which this "
        r"nelm does not know \(it knows 0001",
    ):
        Store(url)


def test_a_stamped_store_missing_tables_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    Store(url).close()
    _execute(url, "DROP TABLE audit_log")
    with pytest.raises(
        SchemaStateError, match="lacks the tables audit_log: it was changed by hand"
    ):
        Store(url)


def test_concurrent_first_starts_wait_for_each_other(tmp_path: Path) -> None:
    """Eight stores opening one new SQLite file at once: one migrates, the others wait
    (BEGIN IMMEDIATE), none fails with "table already exists"."""
    url = sqlite_url(tmp_path)
    with ThreadPoolExecutor(8) as pool:
        stores = list(pool.map(lambda _: Store(url), range(8)))
    for store in stores:
        assert current_revision(store.engine) == head_revision()
        store.close()
