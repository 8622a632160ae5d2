from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nelm.store import Store
from tests.store.support import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(request.param), tmp_path)
    try:
        yield opened
    finally:
        opened.close()
