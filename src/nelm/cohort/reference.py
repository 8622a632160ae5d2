"""The reference engine: the per-case interpreter, row by row — the oracle of the compiler.

Each row becomes a case document (``nelm.cohort.columns.row_document``), is validated by
``nelm.cohort.validate.case_of_row`` (``nelm.case.document.case_from_mapping`` and the
text rule a case file meets when it is read) and assessed by ``nelm.engine.assess.assess``,
exactly as ``nelm assess`` would. Slow by design, and kept simple so that it can be trusted.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from nelm.case.fields import OPTION_IDS
from nelm.cohort.checks import WARNINGS_SCHEMA, case_warning_lines
from nelm.cohort.columns import (
    LIST_SEPARATOR,
    is_empty_row,
    shown_case_id,
    status_column,
)
from nelm.cohort.pipeline import ChunkResult, compiled_knowledge
from nelm.cohort.validate import REJECTS_SCHEMA, case_of_row, prepare
from nelm.engine.assess import assess
from nelm.engine.logic import Truth
from nelm.errors import InputRejected
from nelm.knowledge.loader import load_knowledge
from nelm.knowledge.model import KnowledgeBase

__all__ = ["reference_chunk"]


def reference_chunk(
    raw: pl.DataFrame, first_row: int = 1, kb: KnowledgeBase | None = None
) -> ChunkResult:
    """Assess every row of a chunk with the interpreter (same output as ``process_chunk``)."""
    knowledge = kb or load_knowledge()
    frame = prepare(raw)
    text_columns = frozenset(n for n, t in frame.schema.items() if t == pl.String)
    rows: list[dict[str, Any]] = []
    system_t = {s.id: s.t_values for s in knowledge.derivations.staging.systems}
    rejects: list[tuple[str | None, str, str, int]] = []
    warnings: list[tuple[str | None, str, str, int]] = []
    rejected_rows = 0
    empty_rows: list[int] = []
    for i, row in enumerate(frame.iter_rows(named=True)):
        if is_empty_row(row):
            empty_rows.append(first_row + i)
            continue
        try:
            case = case_of_row(row, text_columns)
        except InputRejected as exc:
            rejected_rows += 1
            shown = shown_case_id(row.get("case_id"))
            rejects += [(shown, p.path, p.message, first_row + i) for p in exc.problems]
            continue
        warnings += case_warning_lines(case.case_id, case.values, first_row + i)
        assessment = assess(case, knowledge)
        derived = assessment.derived
        result: dict[str, Any] = {
            "case_id": case.case_id,
            "grade": derived.grade.value,
            "grade_possible": LIST_SEPARATOR.join(sorted(derived.grade.possible or ())),
            "liver_type": derived.liver_type.value,
            "portal_drainage": derived.portal_drainage.flag,
        }
        for stage in derived.stages:
            staged = bool(stage.applies)
            result[f"stage_{stage.system}"] = stage.value if staged else None
            result[f"stage_{stage.system}_possible"] = (
                LIST_SEPARATOR.join(stage.possible_stages) if staged else None
            )
            result[f"stage_{stage.system}_tnm"] = (
                stage.tnm(system_t[stage.system]) if staged else None
            )
        reasons: dict[str, str | None] = {}
        for oid in OPTION_IDS:
            option = assessment.options[oid]
            result[status_column(oid)] = option.status
            unmet = [
                c.criterion.id.removeprefix(f"{oid}.")
                for c in option.criteria
                if c.truth is Truth.NOT_MET
            ]
            reasons[oid] = ",".join(unmet) or None
        result["reasons"] = reasons
        result["row"] = first_row + i
        rows.append(result)
    schema = compiled_knowledge().schema
    output = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return ChunkResult(
        output,
        pl.DataFrame(rejects, schema=REJECTS_SCHEMA, orient="row"),
        raw.height,
        rejected_rows,
        pl.DataFrame(warnings, schema=WARNINGS_SCHEMA, orient="row"),
        tuple(empty_rows),
    )
