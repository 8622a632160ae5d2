"""What a reader of README.md and docs/ follows: every relative link reaches a file of the
repository (and, with ``#anchor``, a heading of that page, as GitHub names headings), and
every example case the pages point to (examples/, docs/contract/examples/) is assessed by
the command line with exit code 0."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLES = sorted(
    [*(ROOT / "examples").glob("*.json"), *(ROOT / "docs" / "contract" / "examples").glob("*.json")]
)
_FENCE = re.compile(r"^\s*```")
_CODE_SPAN = re.compile(r"`[^`]*`")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def _prose(text: str) -> list[tuple[int, str]]:
    """The page's lines outside code blocks, code spans removed (a link shown as code,
    ``[click](javascript:…)``, is text, not a link)."""
    lines: list[tuple[int, str]] = []
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            lines.append((number, _CODE_SPAN.sub("", line)))
    return lines


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", _CODE_SPAN.sub(lambda m: m[0][1:-1], heading).lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors: set[str] = set()
    for _, line in _prose(page.read_text("utf-8")):
        heading = _HEADING.match(line)
        if heading:
            slug = _slug(heading[1])
            anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links() -> list[tuple[str, Path, str]]:
    found: list[tuple[str, Path, str]] = []
    for page in PAGES:
        for number, line in _prose(page.read_text("utf-8")):
            for target in _LINK.findall(line):
                if not re.match(r"[a-z]+:", target):  # https:, mailto: are not files
                    found.append((f"{page.relative_to(ROOT)}:{number}", page, target))
    return found


LINKS = _links()


def test_the_pages_link_to_each_other() -> None:
    # The scan must find the README's links, else the test below checks nothing.
    assert sum(where.startswith("README.md") for where, _, _ in LINKS) >= 10


@pytest.mark.parametrize(("where", "page", "target"), LINKS, ids=[w for w, _, _ in LINKS])
def test_a_relative_link_reaches_its_file_and_heading(where: str, page: Path, target: str) -> None:
    path, _, anchor = target.partition("#")
    file = (page.parent / path).resolve() if path else page
    assert file.exists(), f"{where}: {target} names no file of the repository"
    assert file.is_relative_to(ROOT), f"{where}: {target} leaves the repository"
    if anchor and file.suffix == ".md":
        assert anchor in _anchors(file), f"{where}: {file.name} has no heading #{anchor}"


def test_the_anchor_of_a_heading_is_githubs() -> None:
    # GitHub: "Input rules" → #input-rules; "`nelm batch` and `nelm synth`" keeps the words.
    assert _slug("Input rules") == "input-rules"
    assert (
        _slug("Whole cohorts: `nelm batch` and `nelm synth`")
        == "whole-cohorts-nelm-batch-and-nelm-synth"
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.relative_to(ROOT).as_posix() for p in EXAMPLES])
def test_an_example_case_is_assessed_from_the_command_line(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "assessment.json"
    monkeypatch.setattr(
        sys, "argv", ["nelm", "assess", str(path), "--format", "json", "-o", str(out)]
    )
    assert run_guarded(app) == 0
    assert out.stat().st_size > 0
