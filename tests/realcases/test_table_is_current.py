"""docs/real-cases.md is what the fifteen cases give with the current knowledge base: any
change to a rule or to the plan that moves a verdict or a step must rewrite the page
(``PYTHONPATH=src python tools/real_case_table.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "real_case_table.py"


def test_the_real_case_page_is_current() -> None:
    spec = importlib.util.spec_from_file_location("real_case_table", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "docs/real-cases.md is stale: run the tool"
