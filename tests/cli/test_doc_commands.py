"""Every ``nelm`` command line shown in a code block of README.md or docs/ parses with
the current command line: the sub-command exists, every option it uses exists under that
name, takes a value when given one, and accepts it (a choice, a number in its range).
Nothing is run; a renamed or removed option fails here before a reader meets it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

# Typer 0.29 vendors click (pinned in pyproject.toml; nelm.cli._common imports the same).
from typer._click.exceptions import ClickException, NoSuchOption
from typer.core import TyperGroup

from nelm.cli import build_app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```([\w+-]*)\s*$")
_SHELL = {"", "sh", "bash", "shell", "console"}
_PROGRAM = re.compile(r"(?:[\w.~-]*/)*nelm")
"""``nelm`` or a path to it (``.venv/bin/nelm``), not a URL ending in ``/nelm``."""
_ALTERNATIVES = re.compile(r"(?<![\w|])([\w.-]+)(?:\|[\w.-]+)+")
_ENDS = {"|", "||", "&&", ";", "&", ">", ">>", "<", "(", ")", "2>", "2>&1"}


def _command_lines(text: str) -> list[tuple[int, str]]:
    """The lines of the shell code blocks (continuations joined), with their line number."""
    found: list[tuple[int, str]] = []
    language: str | None = None
    pending = ""
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line.strip())
        if fence:
            language = fence[1] if language is None else None
            pending = ""
            continue
        if language is None or language not in _SHELL:
            continue
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        found.append((start, pending + line))
        pending = ""
    return found


def _nelm_calls(line: str) -> list[list[str]]:
    """The argument lists of each ``nelm`` call on a shell line, up to a pipe, a
    redirection or the end of the command."""
    # A synopsis writes choices as a|b|c (the first is checked) and optional parts in
    # brackets ([--chunk-size N]: checked as given); a pipe has spaces around it.
    lexer = shlex.shlex(_ALTERNATIVES.sub(r"\1", line), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = [_unbracketed(token) for token in lexer]
    except ValueError:  # an unclosed quote: not a command line
        return []
    calls: list[list[str]] = []
    for index, token in enumerate(tokens):
        if _PROGRAM.fullmatch(token):
            arguments: list[str] = []
            for following in tokens[index + 1 :]:
                if following in _ENDS or set(following) <= set("|&;<>()"):
                    break
                arguments.append(following)
            calls.append(arguments)
    return calls


def _unbracketed(token: str) -> str:
    """A token without the brackets of a synopsis's optional part (``local[*]`` kept)."""
    token = token.removeprefix("[")
    return token.removesuffix("]") if "[" not in token else token


def _shown_calls() -> list[tuple[str, list[str]]]:
    shown: list[tuple[str, list[str]]] = []
    for page in PAGES:
        for number, line in _command_lines(page.read_text(encoding="utf-8")):
            for arguments in _nelm_calls(line):
                shown.append((f"{page.relative_to(ROOT)}:{number}", arguments))
    return shown


CALLS = _shown_calls()


def test_the_docs_show_commands_of_every_kind() -> None:
    # The scan must find the README's commands, else the test below checks nothing.
    words = {arguments[0] for _, arguments in CALLS if arguments}
    assert {"assess", "evidence", "serve", "batch", "synth", "knowledge-changes"} <= words
    assert sum(where.startswith("README.md") for where, _ in CALLS) >= 15


@pytest.mark.parametrize(("where", "arguments"), CALLS, ids=[where for where, _ in CALLS])
def test_a_command_shown_in_the_docs_parses(where: str, arguments: list[str]) -> None:
    command: Any = typer.main.get_command(build_app())
    words = ["nelm"]
    rest = list(arguments)
    while isinstance(command, TyperGroup) and rest and not rest[0].startswith("-"):
        assert rest[0] in command.commands, f"{where}: no command {' '.join([*words, rest[0]])}"
        command = command.commands[rest[0]]
        words.append(rest.pop(0))
    assert not isinstance(command, TyperGroup), f"{where}: {' '.join(words)} needs a command"
    try:
        command.make_context(" ".join(words), list(rest))  # click consumes the list
    except ClickException as exc:
        pytest.fail(f"{where}: {' '.join([*words, *rest])}: {exc.format_message()}")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            ".venv/bin/nelm assess a.json --format json  # a comment",
            [["assess", "a.json", "--format", "json"]],
        ),
        (
            "cat case.yaml | .venv/bin/nelm assess - --format text",
            [["assess", "-", "--format", "text"]],
        ),
        ("nelm batch x.csv -o y.csv > log.txt", [["batch", "x.csv", "-o", "y.csv"]]),
        (
            "nelm evidence list [--modality M] [--format table|json|csv] [--conflicts]",
            [["evidence", "list", "--modality", "M", "--format", "table", "--conflicts"]],
        ),
        (
            "nelm batch c.pq -o r.pq --spark-master local[*]",
            [["batch", "c.pq", "-o", "r.pq", "--spark-master", "local[*]"]],
        ),
        ("nelm: no administrator has a password yet", []),
        ("NELM_DATABASE_URL=postgresql+psycopg://nelm@db/nelm .venv/bin/nelm serve", [["serve"]]),
    ],
)
def test_a_call_is_read_from_a_shell_line(line: str, expected: list[list[str]]) -> None:
    assert _nelm_calls(line) == expected


def test_an_option_the_command_lacks_is_refused() -> None:
    # What the test above relies on: click refuses an option a command does not have.
    command: Any = typer.main.get_command(build_app())
    with pytest.raises(NoSuchOption):
        command.commands["synth"].make_context(
            "nelm synth", ["--n", "5", "-o", "x.csv", "--rows", "5"]
        )
