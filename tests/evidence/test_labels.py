"""How records are named to a reader (nelm.evidence.labels)."""

from __future__ import annotations

from nelm.evidence.labels import distinct_labels, source_label, who_columns
from nelm.evidence.records import EvidenceRecord, load_records


def _record(record_id: str) -> EvidenceRecord:
    return next(r for r in load_records() if r.id == record_id)


def test_a_seed_source_is_named_by_its_review() -> None:
    # Seed 000 is Ngongoni R, Visser B, Cancers 2022;14:5103 (its header; sources.yaml).
    assert source_label({"seed": "000", "locator": "Table 4"}) == "Ngongoni 2022, Table 4"


def test_a_row_begins_with_the_study_the_arm_and_its_source() -> None:
    # 000 Table 4, row "Ezziddin [82] 2011": 81 patients with GEP-NET given PRRT.
    record = _record("ezziddin-2011-prrt-ki67@000-t4")
    who = who_columns(record)
    assert (who["id"], who["author"], who["year"]) == (record.id, "Ezziddin", 2011)
    assert who["source_label"] == "Ngongoni 2022, Table 4"
    assert who["label"] == "Ezziddin 2011"


def test_an_arm_that_reads_alike_with_no_other_keeps_its_plain_label() -> None:
    # 000 Table 4 prints two Ezziddin 2011 rows (refs 82 and 83); alone, either needs no mark.
    record = _record("ezziddin-2011-prrt-bone@000-t4")
    assert distinct_labels([record]) == {record.id: "Ezziddin 2011"}
