"""``python -m nelm.interop.fhir.synthetic DIRECTORY``: the writer docs/cds-hooks.md names."""

from __future__ import annotations

from pathlib import Path

import pytest

from nelm.interop.fhir.synthetic import fixture_bundles, main


def test_writes_the_example_bundles(tmp_path: Path) -> None:
    assert main([str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(fixture_bundles())


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_prints_the_usage_and_writes_nothing(
    flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([flag]) == 0
    assert "usage: python -m nelm.interop.fhir.synthetic DIRECTORY" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [[], ["a", "b"], ["--out"]])
def test_other_arguments_are_refused(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert list(tmp_path.iterdir()) == []
