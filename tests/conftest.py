"""Settings for the whole test suite.

Property tests are seeded: the ``nelm`` Hypothesis profile derandomises every ``@given``
test (the examples follow from the test itself, the same on every run and every machine)
and keeps no example database, so a failure on CI is a failure on a laptop. To explore with
fresh random examples, run with ``NELM_HYPOTHESIS_PROFILE=explore``.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import settings

# No deadline: speed is measured by the benchmark scripts, not by timed tests, and one
# example taking 261 ms on a busy machine is not a fault (a property test failed so).
settings.register_profile("nelm", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, deadline=None)
settings.load_profile(os.environ.get("NELM_HYPOTHESIS_PROFILE", "nelm"))


# `make test` runs the tests on every core (pytest-xdist), then the PostgreSQL tests alone,
# one after another (`-m postgres`): they empty the one test database and one stops the
# server, which a test in another worker would not survive. (pytest-xdist's own grouping,
# `--dist loadgroup`, renames test ids in a way pytest 9 no longer reads, and groups
# nothing.)
_POSTGRES_PARAM = "postgresql"
_POSTGRES_MODULES = frozenset(
    {
        "tests/web/test_postgres_outage.py",
        "tests/web/test_soak.py",
        "tests/store/test_migrations.py",
        "tests/store/test_migration_kills.py",
        "tests/store/test_meetings.py",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # pytest-xdist schedules tests by id: two tests with one id would run once, silently
    # (schemathesis' parametrize gave 28 operations one id), so a repeated id is refused.
    repeated = sorted(nodeid for nodeid, n in Counter(i.nodeid for i in items).items() if n > 1)
    if repeated:
        raise pytest.UsageError(f"tests sharing an id (each would run once): {repeated[:5]}")
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        params = getattr(getattr(item, "callspec", None), "params", {})
        if path in _POSTGRES_MODULES or _POSTGRES_PARAM in params.values():
            item.add_marker(pytest.mark.postgres)
