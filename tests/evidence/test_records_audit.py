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


def test_maire_2012_study_wide_zero_holds_for_both_arms() -> None:
    # 000 Table 2: "Maire [62] 2012 NET 12 0 TACE …" then "14 [blank] TAE": the table
    # prints a study's PNET count once, on its first row (as for Pitt 2008 above), and ref
    # 62's title is "… Liver Metastases from Well-Differentiated Midgut Endocrine Tumors
    # …": 0 of the study is 0 of either arm.
    tace, tae = _record("maire-2012-tace@000-t2"), _record("maire-2012-tae@000-t2")
    assert (tace.n, tace.n_pnet, tae.n, tae.n_pnet) == (12, 0, 14, 0)
    assert "n_pnet_whole_study" not in tace.flags + tae.flags
    assert "Midgut" in (tae.note or "")


_SHARES = ("orr_percent", "stable_disease_percent", "progressive_disease_percent")


def test_response_shares_over_100_are_flagged_exactly_where_printed() -> None:
    # A printed integer share is off by at most half a point, so k shares of one arm can
    # add up to at most 100 + k/2. Beyond that one of them is wrong: 000 Table 4 prints
    # Ezziddin [83] "72 38 12" and Bodei [81] "33 53 18"; 001 Supplementary Table 1 prints
    # Egger 2020 "42/92" and Marrache 2007 "73/36" under "(ORR/SD)".
    over = set()
    for record in load_records():
        shares = [record.outcomes[name] for name in _SHARES if name in record.outcomes]
        if sum(shares) > 100 + len(shares) / 2:
            over.add(record.id)
        elif "response_sum_over_100" in record.flags:
            raise AssertionError(f"{record.id} is flagged but adds up to {sum(shares)}")
    assert over == {
        "ezziddin-2011-prrt-bone@000-t4",
        "bodei-2011-prrt@000-t4",
        "egger-2020-tace@001-supp-t1",
        "marrache-2007-tace@001-supp-t1",
    }
    assert all("response_sum_over_100" in _record(rid).flags for rid in over)


def test_egger_2020_42_92_is_orr_and_sd_of_197_patients() -> None:
    # 001 Supplementary Table 1: "Egger 2020 [8] 197 TACE (doxorubicin, mitomycin,
    # cisplatin) GEP-NEN and other - 42/92 19.9 50.1", column "Response rate (%)
    # (ORR/SD)": 42% ORR and 92% SD of 197 patients, not 42 of 92 patients.
    egger = _record("egger-2020-tace@001-supp-t1")
    assert egger.n == 197
    assert (egger.outcomes["orr_percent"], egger.outcomes["stable_disease_percent"]) == (42, 92)
    assert "42/92" in (egger.note or "")


def test_egger_2020_response_in_the_pool_is_000_table3s() -> None:
    # 000 Table 3, second Egger [73] row: "197 46 TACE - 30 66 4 20 50 - 42 23 3".
    from nelm.evidence.analyses import pool

    doc = pool("tace", "orr_percent").document
    (egger,) = [s for s in doc["studies"] if s["study_key"] == "egger-2020-tace"]
    assert (egger["id"], egger["events"], egger["n"]) == ("egger-2020-tace@000-t3", 59, 197)
    ids = {s["id"] for s in doc["studies"]}
    assert "marrache-2007-tace@001-supp-t1" not in ids  # "73/36", 109%
    # The 14 arms left. R 4.2.2, metafor 3.8.1: rma(measure="PLO",
    # xi=c(6,8,16,5,2,100,29,16,76,12,24,39,4,59), ni=c(18,23,20,20,26,122,44,27,123,12,
    # 42,91,122,197), method="REML"); predict(res, transf=transf.ilogit) -> 45.435543
    # (28.118286-63.932273), PI 4.995391-92.951308.
    assert [(s["events"], s["n"]) for s in doc["studies"]] == [
        (6, 18), (8, 23), (16, 20), (5, 20), (2, 26), (100, 122), (29, 44), (16, 27),
        (76, 123), (12, 12), (24, 42), (39, 91), (4, 122), (59, 197),
    ]  # fmt: skip
    got = (doc["estimate"], doc["ci_low"], doc["ci_high"], doc["pi_low"], doc["pi_high"])
    expected = (45.435543, 28.118286, 63.932273, 4.995391, 92.951308)
    assert all(abs(a - b) < 1e-5 for a, b in zip(got, expected, strict=True)), got


def test_dong_2011_morbidity_is_a_printed_zero() -> None:
    # 000 Table 2: "Dong [56] 2011 NET 50 unk TACE - - 62 24 14 0 - - 65 36": the
    # Morbidity cell prints "0" while 30-Day Mortality and Median PFS/TTP print "-" (not
    # reported). The zero is the table's, not an empty cell read as zero.
    dong = _record("dong-2011-tace@000-t2")
    assert dong.outcomes["morbidity_percent"] == 0
    assert "mortality_percent" not in dong.outcomes
    assert "median_pfs_months" not in dong.outcomes
    # 001 Supplementary Table 1 has no morbidity column: its Dong record holds none.
    assert "morbidity_percent" not in _record("dong-2011-tace@001-supp-t1").outcomes
