"""Kill a migration (SIGKILL) before each of its statements and check what it leaves.

Run by ``test_migration_kills.py`` as ``python -m tests.store.kill_migrations URL
[--with-alter]`` in a process of its own (``--with-alter`` adds the test-only migration
in ``extra_migrations/``, an ALTER of ``cases`` after the packaged head). The process
imports nelm once and then forks one child per kill point: a child costs milliseconds,
not the second a fresh interpreter would, so every step of every migration is covered in
seconds.

For each migration (whatever ``nelm.store.migrations`` holds, oldest first) the database
is brought to the revision the migration starts from and given some rows (users, a case
with two versions). Then, for k = 1, 2, …, a child runs the upgrade to the migration's
revision and kills itself just before its k-th SQL statement, or just before the commit;
after each kill the parent checks that the revision, the schema objects and the rows are
exactly as before (a kill after the commit must find the migration complete), and
(SQLite) that a copy of the killed file opens as a store at the head revision. The loop
ends when a child finishes the migration before reaching k. The result is one JSON line
per migration on standard output.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, event, func, inspect, select, text

from nelm.store import Store
from nelm.store.db import make_engine
from nelm.store.migrate import current_revision, head_revision, revisions, upgrade

SEED_TABLES = ("users", "cases", "case_versions")


def _catalogue(engine: Engine) -> list[list[str]]:
    """Every schema object (table, index, sequence, constraint) by kind and name."""
    if engine.dialect.name == "sqlite":
        query = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    else:
        query = (
            "SELECT c.relkind::text, c.relname::text FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = 'public' UNION ALL "
            "SELECT 'constraint', conname::text FROM pg_constraint k JOIN pg_namespace n "
            "ON n.oid = k.connamespace WHERE n.nspname = 'public'"
        )
    with engine.connect() as connection:
        return sorted([str(kind), str(name)] for kind, name in connection.exec_driver_sql(query))


def _snapshot(engine: Engine) -> dict[str, Any]:
    """Revision, every schema object, and the row counts of the seeded tables."""
    catalogue = _catalogue(engine)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        counts = {}
        for name in SEED_TABLES:
            if name in tables:
                table = Table(name, MetaData())
                counts[name] = connection.execute(select(func.count()).select_from(table)).scalar()
    return {"revision": current_revision(engine), "objects": catalogue, "rows": counts}


def _seed(engine: Engine) -> None:
    """A user and a case with two versions, written with the columns of revision 0001
    (present from the first migration on)."""
    tables = set(inspect(engine).get_table_names())
    if not set(SEED_TABLES) <= tables:
        return
    now = "2026-01-01 00:00:00"
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (username, role, active, created_at) "
                "VALUES ('seed', 'clinician', :t, :now)"
            ),
            {"t": True, "now": now},
        )
        case_pk = c.execute(
            text(
                "INSERT INTO cases (case_id, current_version, created_at, updated_at) "
                "VALUES ('seed-case', 2, :now, :now) RETURNING id"
            ),
            {"now": now},
        ).scalar()
        for version in (1, 2):
            c.execute(
                text(
                    "INSERT INTO case_versions (case_pk, version, document, "
                    "created_at) VALUES (:pk, :v, :doc, :now)"
                ),
                {
                    "pk": case_pk,
                    "v": version,
                    "now": now,
                    "doc": json.dumps({"case_id": "seed-case", "label": f"v{version}"}),
                },
            )


def _child(url: str, target: str, kill_at: int) -> None:
    """Run the upgrade to ``target``; SIGKILL this process before statement ``kill_at``
    (the commit counts as the last statement). Never returns."""
    try:
        engine = make_engine(url)
        seen = 0

        def step() -> None:
            nonlocal seen
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(engine, "before_cursor_execute", lambda *args: step())
        event.listen(engine, "commit", lambda *args: step())
        upgrade(engine, target)
        os._exit(0)
    except BaseException:  # any failure is reported through the exit status
        import traceback

        traceback.print_exc()
        os._exit(3)


def _fork_upgrade(url: str, target: str, kill_at: int) -> int:
    """The child's fate: -SIGKILL if it was killed, else its exit status."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(url, target, kill_at)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _keep_copy(sqlite_file: Path, scratch: Path) -> Path:
    """Copy the killed SQLite file with its write-ahead log (what a restart would find)."""
    copy = scratch / "killed.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        source = Path(str(sqlite_file) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(copy) + suffix))
    return copy


def _opens_at_head(url: str) -> bool:
    store = Store(url)
    try:
        return current_revision(store.engine) == head_revision()
    finally:
        store.close()


def _reset(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def kill_every_step(url: str, scratch: Path) -> list[dict[str, Any]]:
    results = []
    for start, target in revisions():
        _reset(url)
        engine = make_engine(url)
        if start is not None:
            upgrade(engine, start)
        _seed(engine)
        before = _snapshot(engine)
        engine.dispose()
        kills, mismatches, unopenable = 0, [], 0
        finished = False
        kill_at = 0
        killed_copy: Path | None = None
        while not finished:
            kill_at += 1
            fate = _fork_upgrade(url, target, kill_at)
            if fate == 0:
                finished = True
                break
            if fate != -signal.SIGKILL:
                mismatches.append({"kill_at": kill_at, "child_status": fate})
                break
            kills += 1
            engine = make_engine(url)
            after = _snapshot(engine)
            engine.dispose()
            if after["revision"] == target and all(
                after["rows"].get(name) == count for name, count in before["rows"].items()
            ):
                # killed after the commit (restoring SQLite's foreign-key pragma): the
                # migration is complete, which the final state below checks in full
                finished = True
                break
            if after != before:
                mismatches.append({"kill_at": kill_at, "after": after})
            if url.startswith("sqlite"):
                killed_copy = _keep_copy(Path(url.removeprefix("sqlite:///")), scratch)
        # the store opens (and reaches head) after the latest kill, just before the commit,
        # when the most had been done (SQLite: a copy of the killed file and its log)
        if killed_copy is not None and not _opens_at_head(f"sqlite:///{killed_copy}"):
            unopenable += 1
        engine = make_engine(url)
        reached = _snapshot(engine)
        engine.dispose()
        results.append(
            {
                "from": start,
                "to": target,
                "kills": kills,
                "finished": finished,
                "mismatches": mismatches,
                "unopenable": unopenable,
                "before": before,
                "reached": reached,
            }
        )
    # and the whole chain from an empty database, once more, through Store as a server would
    _reset(url)
    store = Store(url)
    at_head = current_revision(store.engine) == head_revision()
    store.close()
    results.append({"store_opens_at_head": at_head})
    return results


def _add_kill_test_migration() -> None:
    """Let Alembic also see ``extra_migrations/`` (a test-only ALTER after the head)."""
    from alembic.config import Config

    from nelm.store import migrate

    packaged = migrate._config

    def with_extra() -> Config:
        config = packaged()
        versions = Path(migrate.__file__).resolve().parent / "migrations" / "versions"
        extra = Path(__file__).resolve().parent / "extra_migrations"
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join([str(versions), str(extra)]))
        return config

    migrate._config = with_extra  # type: ignore[assignment]


def main() -> None:
    url = sys.argv[1]
    if "--with-alter" in sys.argv[2:]:
        _add_kill_test_migration()
    with tempfile.TemporaryDirectory() as scratch:
        for line in kill_every_step(url, Path(scratch)):
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
