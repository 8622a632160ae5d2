"""Recompute src/nelm/evidence/data/summaries.json from the evidence records.

    .venv/bin/python tools/build_evidence_summaries.py

Run after changing any record; tests/evidence/test_summary.py fails while the file is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from nelm.evidence.summary import compute_summaries

TARGET = (
    Path(__file__).resolve().parents[1] / "src" / "nelm" / "evidence" / "data" / "summaries.json"
)


def render() -> str:
    return json.dumps(compute_summaries(), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
