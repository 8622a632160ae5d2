"""How a record is named to a reader: its source as a reference (``Ngongoni 2022, Table
2``), arm labels made distinct where two would read alike, and the columns that say whose
arm a row of an evidence document is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nelm.evidence.records import arm_label, source_text

if TYPE_CHECKING:
    from nelm.evidence.records import EvidenceRecord

__all__ = ["distinct_labels", "source_label", "who_columns"]


def source_label(source: Mapping[str, Any]) -> str:
    """A record's source as a reader names it: ``Ngongoni 2022, Table 2`` (sources.yaml),
    for the plots; the source's own text when the review is not in the reference list."""
    from nelm.knowledge.sources import ReferenceList

    citation = f"{source.get('seed', '')} {source.get('locator', '')}".strip()
    label = ReferenceList().label(citation)
    return label if label != citation else source_text(source)


def who_columns(record: EvidenceRecord) -> dict[str, Any]:
    """The study, arm and source of ``record``, as every row of an evidence document
    begins."""
    return {
        "id": record.id,
        "study_key": record.study_key,
        "author": record.author,
        "year": record.year,
        "arm": record.arm,
        "label": arm_label(record),
        "source": dict(record.source),
        "source_text": source_text(record.source),
        "source_label": source_label(record.source),
    }


def _reference_mark(record: EvidenceRecord) -> str | None:
    """The study's reference number in the review that reports it: ``ref. 82`` (the
    source column names the review)."""
    import re

    cited = record.source.get("reference") or ""
    found = re.search(r"\d+", str(cited)) or re.search(
        r"\[(\d+)\]", str(record.source.get("row", ""))
    )
    if found is None:
        return None
    return f"ref. {found.group(found.lastindex or 0)}"


def distinct_labels(records: Sequence[EvidenceRecord]) -> dict[str, str]:
    """``arm_label`` of each record, made distinct where two arms would read alike (two
    PRRT papers of Ezziddin 2011 in 000 Table 4): the review's reference number, else n,
    else the study key, is added to each of them."""
    labels = {r.id: arm_label(r) for r in records}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    for record in records:
        label = labels[record.id]
        if counts[label] < 2:
            continue
        mark = _reference_mark(record)
        labels[record.id] = f"{label} · {mark or record.study_key}"
    return labels
