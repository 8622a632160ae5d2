"""docs/contract holds the public contract for a reader of the repository alone; it must
stay equal to the published contract (the folder ``shared/contract`` beside the checkout),
which the project may add to but never edit."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPY = ROOT / "docs" / "contract"
PUBLISHED = ROOT.parent / "shared" / "contract"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


def test_the_copy_holds_every_contract_file() -> None:
    names = set(_files(COPY))
    assert {"case-v1.md", "assessment-v1.md", "evidence-v1.md", "cli-v1.md"} <= names


def test_the_copy_is_the_published_contract() -> None:
    if not PUBLISHED.is_dir():
        pytest.skip(f"the published contract is not beside this checkout ({PUBLISHED})")
    assert _files(COPY) == _files(PUBLISHED)
