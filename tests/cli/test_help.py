"""Every command's ``--help`` shows an on/off flag as a flag: its name without a value
type (``--evidence``, not ``--evidence <bool>``), while an option that takes a value keeps
its type or metavar (``--output <str>``, ``--plot FILE``). Which options are flags comes
from the commands' own parameters (cli-v1: ``--knapp-hartung`` takes no value)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from nelm.cli import build_app
from tests.cli.test_assess_cli import run

_TYPE = re.compile(r"<[^<>\s][^<>]*>")


def _commands() -> list[tuple[list[str], Any]]:
    """Every command and group, as typed after ``nelm``, with its click command."""
    found: list[tuple[list[str], Any]] = []

    def walk(words: list[str], command: Any) -> None:
        found.append((words, command))
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk([*words, name], sub)

    walk([], typer.main.get_command(build_app()))
    return found


COMMANDS = _commands()


def _row(help_text: str, option: str) -> str:
    """The help line that starts the row of ``option``."""
    pattern = re.compile(rf"^│\s*(\*\s+)?{re.escape(option)}(\s|,)")
    rows = [line for line in help_text.splitlines() if pattern.match(line)]
    assert len(rows) == 1, (option, help_text)
    return rows[0]


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=lambda w: " ".join(w) or "nelm")
def test_a_flag_is_shown_without_a_value_type(
    words: list[str], capsys: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # every row on one line, no name cut short
    command = dict((tuple(w), c) for w, c in COMMANDS)[tuple(words)]
    code, out, err = run([*words, "--help"], capsys, monkeypatch)
    assert code == 0, err
    assert "<bool>" not in out
    ctx = command.make_context("nelm", [], resilient_parsing=True)
    options = [p for p in command.get_params(ctx) if p.param_type_name == "option"]
    flags = [p for p in options if p.is_flag and not p.count]
    assert any(p.opts == ["--help"] for p in flags)  # every command has one flag at least
    for param in options:
        long_name = next(o for o in param.opts if o.startswith("--"))
        row = _row(out, long_name)
        if param in flags:
            assert not _TYPE.search(row), row
        elif param.metavar:
            assert f" {param.metavar} " in row, row
        else:
            assert _TYPE.search(row), row


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=lambda w: " ".join(w) or "nelm")
def test_an_80_column_help_names_every_option_in_full(
    words: list[str], capsys: Any, monkeypatch: Any
) -> None:
    # An 80-column terminal is the narrowest a user reads help on: no flag is cut to "…"
    # (nelm serve showed "--no-proxy-heade…" and "X-Forwarded-Proto…").
    monkeypatch.setenv("COLUMNS", "80")
    command = dict((tuple(w), c) for w, c in COMMANDS)[tuple(words)]
    code, out, err = run([*words, "--help"], capsys, monkeypatch)
    assert code == 0, err
    assert "…" not in out
    ctx = command.make_context("nelm", [], resilient_parsing=True)
    for param in command.get_params(ctx):
        for name in [*param.opts, *getattr(param, "secondary_opts", [])]:
            if name.startswith("--"):
                assert re.search(rf"{re.escape(name)}(\s|,|$)", out, re.M), name


def test_serve_keeps_its_port_and_workers_ranges(capsys: Any, monkeypatch: Any) -> None:
    for args, said in (
        (["--port", "0"], "--port: 0 is not in the range 1–65535"),
        (["--port", "65536"], "--port: 65536 is not in the range 1–65535"),
        (["--workers", "65"], "--workers: 65 is not in the range 1–64"),
        (["--workers", "two"], "--workers: 'two' is not a whole number"),
    ):
        code, _, err = run(["serve", *args], capsys, monkeypatch)
        assert code == 2 and said in err, (args, err)
