"""Values settled by reading doubtful rows against the seed tables themselves.

Each expected value is the seed's printed cell, quoted in the test; none comes from
running the code.
"""

from __future__ import annotations

from nelm.evidence.records import EvidenceRecord, load_records


def _record(record_id: str) -> EvidenceRecord:
    (record,) = [r for r in load_records() if r.id == record_id]
    return record


def test_pitt_2008_pnet_count_is_the_studys_not_the_tace_arms() -> None:
    # 000 Table 2 prints "Pitt [58] 2008 NET 49 44 TACE …" and, on the next row,
    # "51 [blank] TAE": the PNET cell is printed once for the study, whose 100 patients
    # 001 Supplementary Table 1 gives ("Pitt 2008 [19] 100"). 44 is not of the 49.
    tace, tae = _record("pitt-2008-tace@000-t2"), _record("pitt-2008-tae@000-t2")
    assert (tace.n, tace.n_pnet, tae.n, tae.n_pnet) == (49, None, 51, None)
    assert "n_pnet_whole_study" in tace.flags
    assert "44" in (tace.note or "") and "100" in (tace.note or "")
    assert "44" in (tae.note or "")


def test_ruutiainen_2007_pnet_lower_bound_is_the_studys() -> None:
    # 000 Table 2: "Ruutiainen [60] 2007 Carcinoid/NET 44 ≥14 TACE …" then "23 [blank] TAE".
    tace, tae = _record("ruutiainen-2007-tace@000-t2"), _record("ruutiainen-2007-tae@000-t2")
    assert (tace.n, tace.n_pnet, tae.n, tae.n_pnet) == (44, None, 23, None)
    assert "n_pnet_whole_study" in tace.flags
    assert "≥14" in (tace.note or "") and "67" in (tace.note or "")


def test_maire_2012_study_wide_zero_holds_for_the_first_arm() -> None:
    # 000 Table 2: "Maire [62] 2012 NET 12 0 TACE …" then "14 [blank] TAE"; ref 62's title
    # is "… Liver Metastases from Well-Differentiated Midgut Endocrine Tumors …", so 0 of
    # the study is 0 of either arm; the first arm keeps the printed 0.
    assert _record("maire-2012-tace@000-t2").n_pnet == 0
