"""Every migration is atomic: a SIGKILL before any of its statements, or before its commit,
leaves the store exactly as it was (revision, schema objects, rows), and it starts again.

The migrations are whatever ``nelm.store.migrations`` holds, never a list written here,
followed by a test-only migration (``extra_migrations/9001_kill_test_alter.py``) that
ALTERs ``cases`` while it holds a case with two versions: on SQLite a table rebuild, the
riskiest thing a later migration can do to a store full of cases.
The work happens in ``kill_migrations.py`` (one forked child per kill point), so both
databases take seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nelm.store.migrate import head_revision, revisions
from tests.store.support import postgres_url, reset_postgres, sqlite_url

ROOT = Path(__file__).resolve().parents[2]


def _run_killer(url: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.store.kill_migrations", url, "--with-alter"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_kill_at_any_step_of_any_migration_leaves_a_store_that_starts(
    backend: str, tmp_path: Path
) -> None:
    url = sqlite_url(tmp_path) if backend == "sqlite" else postgres_url()
    try:
        results = _run_killer(url)
    finally:
        if backend == "postgresql":
            reset_postgres(url)
    *per_migration, final = results
    # every packaged migration, then the test-only ALTER of a table holding rows
    assert [(r["from"], r["to"]) for r in per_migration] == [
        *revisions(),
        (head_revision(), "9001"),
    ]
    for result in per_migration:
        # more kill points than migrations: the child really was killed mid-way, repeatedly
        assert result["kills"] >= 3, result
        assert result["finished"], result
        assert result["mismatches"] == [], result["mismatches"][:3]
        assert result["unopenable"] == 0
        assert result["reached"]["revision"] == result["to"]
        kept = {name: result["reached"]["rows"].get(name) for name in result["before"]["rows"]}
        assert kept == result["before"]["rows"]  # the seeded users, case and versions
    assert per_migration[-1]["before"]["rows"] == {"users": 1, "cases": 1, "case_versions": 2}
    assert final == {"store_opens_at_head": True}
