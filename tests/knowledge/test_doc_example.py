"""The criterion docs/knowledge-base.md shows as its example ("A criterion") is the one the
knowledge base holds: liver resection's future-liver-remnant criterion, word for word, so
that a reader who opens surgery.yaml finds what the page explains."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "knowledge-base.md"
SURGERY = ROOT / "src" / "nelm" / "knowledge" / "data" / "options" / "surgery.yaml"


def _page_example() -> dict[str, Any]:
    section = PAGE.read_text("utf-8").split("## A criterion", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block, "docs/knowledge-base.md: no yaml block under 'A criterion'"
    (criterion,) = yaml.safe_load(block[1])
    return dict(criterion)


def test_the_page_example_is_liver_resections_flr_criterion() -> None:
    options = yaml.safe_load(SURGERY.read_text("utf-8"))
    (resection,) = [o for o in options if o["id"] == "liver_resection"]
    (flr,) = [c for c in resection["criteria"] if c["id"] == "flr"]
    assert _page_example() == flr
