"""docs/cohorts.md quotes the summary ``nelm batch --open-fields`` prints for
``nelm synth --n 2000 --seed 3`` and compares its Ki-67 count with ``nelm assess``'s missing
data over the same cases. A reader who types those two commands must see those lines: the
quote is checked against a real run, so a change to the knowledge base or the counting
that moves a figure fails here until the page is written again from the new run."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import polars as pl
import pytest

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.cohort.validate import case_of_row, prepare
from nelm.engine.assess import assess
from nelm.knowledge.loader import load_knowledge

PAGE = Path(__file__).resolve().parents[2] / "docs" / "cohorts.md"
KI67 = "pathology.ki67_percent"


def _quoted_summary(text: str) -> list[str]:
    """The lines of the code block that follows the page's mention of the seed-3 run."""
    after = text.split("for `nelm synth --n 2000 --seed 3` and", 1)[1]
    block = re.search(r"```\n(.*?)```", after, flags=re.S)
    assert block, "docs/cohorts.md: no quoted summary after the seed-3 run"
    return [line for line in block[1].splitlines() if line.strip()]


def _shown(line: str, output: str) -> bool:
    """Whether ``output`` holds ``line``, each "…" of the quote standing for any text."""
    pattern = ".*?".join(re.escape(part) for part in " ".join(line.split()).split("…"))
    return re.search(pattern, output) is not None


def _number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture(scope="module")
def seed_3_cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cohort = tmp_path_factory.mktemp("seed-3") / "cohort.parquet"
    argv = ["nelm", "synth", "--n", "2000", "--seed", "3", "-o", str(cohort)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", argv)
        assert run_guarded(app) == 0
    return cohort


def _printed_summary(cohort: Path, capsys: pytest.CaptureFixture[str]) -> str:
    argv = ["nelm", "batch", str(cohort), "-o", str(cohort.with_suffix(".r.parquet"))]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", [*argv, "--open-fields"])
        capsys.readouterr()
        assert run_guarded(app) == 0
    return " ".join(capsys.readouterr().out.split())


def test_the_quoted_summary_of_the_seed_3_cohort_is_what_nelm_prints(
    seed_3_cohort: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _printed_summary(seed_3_cohort, capsys)
    quoted = _quoted_summary(PAGE.read_text("utf-8"))
    assert len(quoted) == 2
    for line in quoted:
        assert _shown(line, printed), f"docs/cohorts.md quotes {line!r}; nelm printed {printed!r}"


@pytest.mark.slow  # assesses the 2,000 cases one by one with the interpreter
def test_the_ki67_comparison_is_that_of_the_seed_3_cohort(
    seed_3_cohort: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "… so it is never below the sum of nelm assess's missing data over the cases (on
    # 2,000 synthetic cases, --seed 3: A against B for Ki-67 …)": A is the printed count,
    # B the interpreter's missing data summed over the same cases.
    page = " ".join(PAGE.read_text("utf-8").split())
    said = re.search(r"`--seed 3`: ([\d,]+) against ([\d,]+) for Ki-67", page)
    assert said, "docs/cohorts.md: the Ki-67 comparison is gone"
    batch_count = re.search(rf"{KI67} ([\d,]+)", _printed_summary(seed_3_cohort, capsys))
    assert batch_count and _number(said[1]) == _number(batch_count[1])
    prepared, kb = prepare(pl.read_parquet(seed_3_cohort)), load_knowledge()
    text_columns = frozenset(n for n, t in prepared.schema.items() if t == pl.String)
    interpreter = sum(
        len(options)
        for row in prepared.iter_rows(named=True)
        for field, options in assess(case_of_row(row, text_columns), kb).missing_data
        if field == KI67
    )
    assert _number(said[2]) == interpreter
