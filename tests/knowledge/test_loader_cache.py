"""The parsed knowledge base cached between runs (``nelm assess`` loads it every time):
the same knowledge base from the cache as from the YAML, and a bad cache never used."""

from __future__ import annotations

from pathlib import Path

import pytest

from nelm.knowledge import loader


def _fresh() -> loader.KnowledgeBase:
    return loader.load_knowledge.__wrapped__()  # type: ignore[attr-defined, no-any-return]


def test_the_cache_gives_the_knowledge_base_the_yaml_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from_yaml = _fresh()
    (cached,) = (tmp_path / "nelm").iterdir()
    assert from_yaml.content_hash in cached.name
    monkeypatch.setattr(loader, "load_yaml", None)  # the cache alone must serve now
    assert _fresh() == from_yaml


def test_a_damaged_cache_is_read_past(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = _fresh()
    (cached,) = (tmp_path / "nelm").iterdir()
    cached.write_bytes(b"\x00not marshal data")
    assert _fresh() == expected


def test_without_a_writable_cache_the_yaml_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _fresh() == loader.load_knowledge()
