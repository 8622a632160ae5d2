"""``nelm assess`` read without typer: the same answer as the typer command, and every
call it does not read plainly left to typer (help, usage errors)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nelm.cli.assess_run import Format, parse_assess_args

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "resectable-pnet.json"


def test_an_ordinary_call_is_read_plainly() -> None:
    assert parse_assess_args(
        [str(EXAMPLE), "-f", "JSON", "--width=90", "--as-of", "2026-01-31", "-o", "-"]
    ) == {
        "case": str(EXAMPLE),
        "format": Format.json,
        "output": "-",
        "example": None,
        "width": 90,
        "as_of": "2026-01-31",
        "with_": None,
    }
    assert parse_assess_args(["--example", "sparse"])["example"] == "sparse"  # type: ignore[index]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["a.json", "--colour"],
        ["a.json", "b.json"],
        ["a.json", "-f", "xml"],
        ["a.json", "--width", "wide"],
        ["a.json", "-f", "json", "-f", "text"],
        ["a.json", "-o"],
        ["a.json", "-fjson"],
        ["--", "a.json"],
    ],
)
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert parse_assess_args(args) is None


def _nelm(*args: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import sys; from nelm.cli import main\n"
        "try:\n    main()\n"
        "finally:\n"
        "    print(sorted({'typer', 'rich', 'pydantic'} & set(sys.modules)), "
        "file=sys.stderr)"
    )
    return subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )


def test_assess_starts_without_typer_and_answers_as_typer_does() -> None:
    plain = _nelm("assess", str(EXAMPLE), "--format", "json", "--as-of", "2026-01-31")
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.strip().splitlines()[-1] == "[]"
    typed = _nelm(
        "assess", str(EXAMPLE), "--format", "json", "--as-of", "2026-01-31", "-fjson"
    )  # repeated, so typer reads it (the last one wins)
    assert typed.returncode == 0, typed.stderr
    assert "typer" in typed.stderr.strip().splitlines()[-1]
    assert plain.stdout == typed.stdout


def test_errors_without_typer_are_the_usual_lines(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text(
        '{"schema_version": 1, "case_id": "x", "patient": {"age_years": -4}}', encoding="utf-8"
    )
    done = _nelm("assess", str(bad), "-f", "json")
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "age_years" in done.stderr
    missing = _nelm("assess", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
