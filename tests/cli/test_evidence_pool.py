"""``nelm evidence pool``, run in-process as a user runs it (exit codes, exact text).

The records are injected (``records_for`` patched), so these tests pin the command's
rules, not the packaged data. The pooled numbers come from R: the three arms below are
the ``k3`` data set of ``tools/r/make_pooling_fixtures.R`` (5/40, 16/31, 14/30), whose
metafor results are in ``tests/fixtures/metafor/k3__*.json``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from scipy import special, stats

from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.evidence import records as records_module
from nelm.evidence.records import EvidenceRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "metafor"


def record(
    key: str,
    seed: str,
    *,
    outcomes: Mapping[str, float],
    n: int | None,
    year: int = 2005,
    author: str = "Smith",
    arm: str = "TACE",
    locator: str = "Table 2",
    flags: Sequence[str] = (),
    design: str = "retrospective",
    population: str = "gep_net",
) -> EvidenceRecord:
    return EvidenceRecord(
        id=f"{key}@{seed}-t2",
        study_key=key,
        author=author,
        year=year,
        arm=arm,
        modality="tace",
        design=design,
        population=population,
        n=n,
        n_pnet=None,
        outcomes=MappingProxyType(dict(outcomes)),
        not_reached=(),
        flags=tuple(flags),
        source=MappingProxyType({"seed": seed, "locator": locator}),
    )


# 12.5 % of 40 = 5, 51.6 % of 31 = 15.996 → 16, 46.7 % of 30 = 14.01 → 14 events.
K3 = [
    record(
        "ahn-2001-tace",
        "000",
        author="Ahn",
        year=2001,
        outcomes={"os_5y_percent": 12.5, "median_os_months": 20},
        n=40,
    ),
    record(
        "bell-2004-tace",
        "000",
        author="Bell",
        year=2004,
        outcomes={"os_5y_percent": 51.6, "median_os_months": 66},
        n=31,
    ),
    record(
        "cruz-2010-tace",
        "001",
        author="Cruz",
        year=2010,
        arm="all",
        locator="Table 3",
        outcomes={"os_5y_percent": 46.7, "median_os_months": 41},
        n=30,
        population="pnet",
        design="prospective",
    ),
]


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def use_records(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(records: Sequence[EvidenceRecord]) -> None:
        def records_for(
            modality: str | None = None, outcome: str | None = None
        ) -> tuple[EvidenceRecord, ...]:
            return tuple(
                r
                for r in records
                if (modality is None or r.modality == modality)
                and (outcome is None or outcome in r.outcomes)
            )

        monkeypatch.setattr(records_module, "records_for", records_for)

    return install


def nelm(
    args: Sequence[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["nelm", *args])
    code = run_guarded(app)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


POOL = ["evidence", "pool", "--modality", "tace", "--outcome", "os_5y_percent"]


def test_json_has_the_contract_keys_and_metafor_values(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rma(measure = "PLO", xi = c(5, 16, 14), ni = c(40, 31, 30), method = "REML")."""
    use_records(K3)
    code, out, err = nelm([*POOL, "--format", "json"], capsys, monkeypatch)
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert list(report)[:15] == [
        "modality",
        "outcome",
        "method",
        "k",
        "n_total",
        "estimate",
        "ci_low",
        "ci_high",
        "pi_low",
        "pi_high",
        "tau2",
        "i2",
        "q",
        "q_p",
        "studies",
    ]
    expected = fixture("k3__REML__z")["result"]
    assert report["modality"] == "tace"
    assert report["outcome"] == "os_5y_percent"
    assert report["method"] == "REML"
    assert (report["k"], report["n_total"]) == (3, 101)
    for key, r_key in (
        ("estimate", "pred_transf"),
        ("ci_low", "ci_lb_transf"),
        ("ci_high", "ci_ub_transf"),
        ("pi_low", "pi_lb_transf"),
        ("pi_high", "pi_ub_transf"),
    ):
        assert report[key] == pytest.approx(100 * expected[r_key], abs=1e-6)
    assert report["tau2"] == pytest.approx(expected["tau2"], abs=1e-6)
    assert report["i2"] == pytest.approx(expected["I2"], abs=1e-6)
    assert report["q"] == pytest.approx(expected["QE"], abs=1e-6)
    assert report["q_p"] == pytest.approx(expected["QEp"], abs=1e-6)
    studies = report["studies"]
    assert [(s["id"], s["n"], s["events"]) for s in studies] == [
        ("ahn-2001-tace@000-t2", 40, 5),
        ("bell-2004-tace@000-t2", 31, 16),
        ("cruz-2010-tace@001-t2", 30, 14),
    ]
    assert [s["weight_percent"] for s in studies] == pytest.approx(expected["weights"], abs=1e-6)
    assert studies[0]["source"] == {"seed": "000", "locator": "Table 2"}
    assert report["excluded"] == []
    assert report["duplicates"] == []


def test_knapp_hartung_and_method_reach_the_model(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """rma(…, method = "PM", test = "knha")."""
    use_records(K3)
    code, out, _ = nelm(
        [*POOL, "--method", "PM", "--knapp-hartung", "--format", "json"], capsys, monkeypatch
    )
    assert code == 0
    report = json.loads(out)
    expected = fixture("k3__PM__knha")["result"]
    assert (report["method"], report["knapp_hartung"], report["df"]) == ("PM", True, 2)
    assert report["ci_low"] == pytest.approx(100 * expected["ci_lb_transf"], abs=1e-6)
    assert report["pi_high"] == pytest.approx(100 * expected["pi_ub_transf"], abs=1e-6)


def _study_ci(yi: float, vi: float) -> str:
    z = float(stats.norm.isf(0.025))
    low, high = (100 * float(special.expit(yi + s * z * vi**0.5)) for s in (-1, 1))
    return f"{low:.1f}–{high:.1f}"


def test_text_output(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole text a user reads; numbers from the metafor fixture k3__REML__z."""
    use_records(K3)
    code, out, err = nelm(POOL, capsys, monkeypatch)
    assert (code, err) == (0, "")
    r = fixture("k3__REML__z")["result"]
    ci = [_study_ci(y, v) for y, v in zip(r["yi"], r["vi"], strict=True)]
    w = [f"{x:.1f}%" for x in r["weights"]]
    p = "p < 0.001" if r["QEp"] < 0.001 else f"p = {r['QEp']:.3f}"
    assert out == (
        "5-year overall survival after TACE\n"
        "Pooled percentage: random effects, REML τ²; logit scale, back-transformed; "
        "95% intervals\n"
        "\n"
        f"  Estimate             {100 * r['pred_transf']:.1f}%  (95% CI "
        f"{100 * r['ci_lb_transf']:.1f}–{100 * r['ci_ub_transf']:.1f}%)\n"
        f"  Prediction interval  {100 * r['pi_lb_transf']:.1f}–{100 * r['pi_ub_transf']:.1f}%"
        "  (where the true value of a new, similar study is expected)\n"
        f"  Heterogeneity        τ² = {r['tau2']:.3f}, I² = {r['I2']:.1f}%, "
        f"H² = {r['H2']:.2f}, Q = {r['QE']:.2f} (df 2), {p}\n"
        "  Studies              k = 3, 101 patients\n"
        "\n"
        "  Study              n  events  reported %     95% CI  weight  source\n"
        f"  Ahn 2001 · TACE   40    5/40        12.5  {ci[0]:>9}  {w[0]:>6}  "
        "Ngongoni 2022, Table 2\n"
        f"  Bell 2004 · TACE  31   16/31        51.6  {ci[1]:>9}  {w[1]:>6}  "
        "Ngongoni 2022, Table 2\n"
        f"  Cruz 2010         30   14/30        46.7  {ci[2]:>9}  {w[2]:>6}  "
        "Machairas 2021, Table 3\n"
        # seed 000 is Ngongoni & Visser, Cancers 2022; seed 001 Machairas et al., Ann
        # Gastroenterol 2021 (their title pages), cited in the order of first use
        "\n"
        "References\n"
        "  1. Ngongoni R, Visser B. Surgery, Liver Directed Therapy and Peptide Receptor "
        "Radionuclide Therapy for Pancreatic Neuroendocrine Tumor Liver Metastases. "
        "Cancers 14:5103 (2022). doi:10.3390/cancers14205103\n"
        "  2. Machairas N, Daskalakis K, Felekouras E, et al. Currently available treatment "
        "options for neuroendocrine liver metastases. Ann Gastroenterol 34(2):130-141 (2021). "
        "doi:10.20524/aog.2021.0574\n"
    )


def test_one_record_per_study_key_prefers_the_table(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same arm from running text (§) and from a table: the table's record is used."""
    from_text = record(
        "bell-2004-tace",
        "002",
        author="Bell",
        year=2004,
        locator="§ 3.2",
        outcomes={"os_5y_percent": 55.0},
        n=31,
    )
    use_records([K3[0], from_text, K3[1], K3[2]])
    code, out, _ = nelm([*POOL, "--format", "json"], capsys, monkeypatch)
    assert code == 0
    report = json.loads(out)
    assert [s["id"] for s in report["studies"]] == [
        "ahn-2001-tace@000-t2",
        "bell-2004-tace@000-t2",
        "cruz-2010-tace@001-t2",
    ]
    assert report["estimate"] == pytest.approx(
        100 * fixture("k3__REML__z")["result"]["pred_transf"], abs=1e-6
    )
    assert report["duplicates"] == [
        {
            "study_key": "bell-2004-tace",
            "used": "bell-2004-tace@000-t2",
            "not_used": ["bell-2004-tace@002-t2"],
            "values": {"bell-2004-tace@000-t2": 51.6, "bell-2004-tace@002-t2": 55.0},
            "n": {"bell-2004-tace@000-t2": 31, "bell-2004-tace@002-t2": 31},
            "sources": {
                "bell-2004-tace@000-t2": "seed 000, Table 2",
                "bell-2004-tace@002-t2": "seed 002, § 3.2",
            },
            "rule": "a table before running text, then the lower seed number, then id",
        }
    ]
    code, out, _ = nelm(POOL, capsys, monkeypatch)
    assert (
        "\nSame arm in more than one source: one record per study used (a table before "
        "running text, then the lower seed number)\n"
        "  bell-2004-tace: used bell-2004-tace@000-t2 (Ngongoni 2022, Table 2); not used "
        "bell-2004-tace@002-t2 (Criss 2024, § 3.2); values differ: 51.6 (Ngongoni 2022, "
        "Table 2), 55 (Criss 2024, § 3.2)\n"
    ) in out


def test_flagged_records_are_excluded_with_their_reason(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = record(
        "dunn-2008-tace",
        "000",
        author="Dunn",
        year=2008,
        outcomes={"mortality_percent": 4.0},
        n=50,
        flags=["entire_cohort"],
    )
    mean = record(
        "eck-2009-tace",
        "000",
        author="Eck",
        year=2009,
        outcomes={"os_5y_percent": 40.0, "median_os_months": 24},
        n=20,
        flags=["mean_not_median"],
    )
    use_records([*K3, whole, mean])
    code, out, _ = nelm([*POOL, "--format", "json"], capsys, monkeypatch)
    assert code == 0
    report = json.loads(out)
    # mean_not_median: its percentages stay
    assert [s["id"] for s in report["studies"]] == [
        "ahn-2001-tace@000-t2",
        "bell-2004-tace@000-t2",
        "eck-2009-tace@000-t2",
        "cruz-2010-tace@001-t2",
    ]
    assert report["excluded"] == []
    # entire_cohort: the footnoted mortality cell is the whole cohort's, so it stays out of
    # a mortality statistic (000 Table 2 '¥')
    code, out, err = nelm(
        [
            "evidence",
            "pool",
            "--modality",
            "tace",
            "--outcome",
            "mortality_percent",
            "--format",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 2  # only the flagged record reports mortality: nothing left to pool
    assert "at least two studies reporting the outcome, got 0" in err
    code, out, _ = nelm(
        [
            "evidence",
            "pool",
            "--modality",
            "tace",
            "--outcome",
            "median_os_months",
            "--format",
            "json",
        ],
        capsys,
        monkeypatch,
    )
    report = json.loads(out)
    # Dunn 2008 reports no median, so it is not a candidate for this outcome at all.
    assert [(e["id"], e["reason"]) for e in report["excluded"]] == [
        ("eck-2009-tace@000-t2", "the source's median is a mean (flag mean_not_median)"),
    ]
    assert [s["id"] for s in report["studies"]] == [r.id for r in K3]


def test_medians_are_summarised_not_pooled(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_records(K3)
    args = ["evidence", "pool", "--modality", "tace", "--outcome", "median_os_months"]
    code, out, _ = nelm([*args, "--format", "json"], capsys, monkeypatch)
    assert code == 0
    report = json.loads(out)
    # medians 20 (n 40), 41 (n 30), 66 (n 31); N = 101, cumulative 40, 70 ≥ 50.5 → 41
    assert report["pooled"] is False
    assert report["method"] == "median summary (not pooled)"
    assert (report["k"], report["n_total"], report["weighted_median"]) == (3, 101, 41.0)
    assert (report["minimum"], report["maximum"]) == (20.0, 66.0)
    assert report["sign_test_ci"] == [None, None]
    assert "estimate" not in report
    code, out, _ = nelm(args, capsys, monkeypatch)
    assert out.startswith(
        "Median overall survival after TACE\n"
        "Not pooled: medians are summarised (n-weighted median of the study medians and "
        "their range), not combined as if they were means.\n"
        "\n"
        "  n-weighted median of medians  41 months\n"
        "  Range of study medians        20–66 months\n"
        "  Interval for the median       not available (fewer than 6 studies)\n"
        "  Studies                       k = 3, 101 patients\n"
    )


def test_filters_narrow_the_records(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_records(K3)
    code, out, _ = nelm([*POOL, "--year-from", "2002", "--format", "json"], capsys, monkeypatch)
    report = json.loads(out)
    assert (code, report["k"]) == (0, 2)
    assert report["filters"] == {
        "population": None,
        "design": None,
        "year_from": 2002,
        "year_to": None,
    }
    code, _, err = nelm([*POOL, "--population", "pnet"], capsys, monkeypatch)
    assert (code, err) == (
        2,
        "error: modality/outcome: at least two studies reporting the outcome, got 1\n",
    )
    code, _, err = nelm([*POOL, "--design", "rct"], capsys, monkeypatch)
    assert (code, err) == (
        2,
        "error: modality/outcome: at least two studies reporting the outcome, got 0\n",
    )


def test_unknown_options_are_rejected_and_no_file_is_written(
    use_records: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    use_records(K3)
    plot = tmp_path / "forest.svg"
    code, out, err = nelm(
        [
            "evidence",
            "pool",
            "--modality",
            "tacee",
            "--outcome",
            "os_5y",
            "--method",
            "ML",
            "--forest",
            str(plot),
        ],
        capsys,
        monkeypatch,
    )
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == (
        "error: --modality: must be one of "
        + ", ".join(records_module.MODALITIES)
        + ", got tacee (did you mean tace?)"
    )
    assert lines[1] == (
        "error: --outcome: must be one of "
        + ", ".join(records_module.OUTCOMES)
        + ", got os_5y (did you mean os_5y_percent?)"  # evidence-v1: the 5-year OS outcome
    )
    assert lines[2] == "error: --method: must be one of REML, DL, PM, FE, got ML"
    assert not plot.exists()
    code, _, err = nelm(
        [
            "evidence",
            "pool",
            "--modality",
            "tace",
            "--outcome",
            "median_os_months",
            "--forest",
            str(plot),
        ],
        capsys,
        monkeypatch,
    )
    assert (code, err) == (
        2,
        "error: --forest: a percentage outcome (medians are summarised, "
        "not pooled, so there is no forest plot), got median_os_months\n",
    )
    assert not plot.exists()


def test_forest_plot_is_written(
    use_records: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    use_records(K3)
    plot = tmp_path / "forest.svg"
    code, _, err = nelm([*POOL, "--forest", str(plot)], capsys, monkeypatch)
    assert (code, err) == (0, f"forest plot written to {plot}\n")
    svg = plot.read_text(encoding="utf-8")
    assert "<!-- 5-year overall survival after TACE -->" in svg
    assert "<!-- Ahn 2001 · TACE -->" in svg
    first = plot.read_bytes()
    nelm([*POOL, "--forest", str(plot)], capsys, monkeypatch)
    assert plot.read_bytes() == first


def test_the_command_module_imports_no_numerical_library() -> None:
    """``nelm --help`` stays fast: numpy, scipy and matplotlib load inside the command."""
    code = (
        "import sys, nelm.cli.evidence_pool; "
        "print(sorted(m for m in ('numpy', 'scipy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out == "[]\n"


def test_overlapping_cohorts_and_review_values_are_not_pooled_twice(
    use_records: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seed 000 Table 1: Mayo 2010 and Mayo 2011 (surgery) are the same 339 patients."""
    mayo_2010 = record(
        "mayo-2010-tace",
        "000",
        author="Mayo",
        year=2010,
        arm="all",
        outcomes={"os_5y_percent": 74.0},
        n=339,
        flags=["cohort_overlap"],
    )
    mayo_2011 = record(
        "mayo-2011-tace",
        "000",
        author="Mayo",
        year=2011,
        outcomes={"os_5y_percent": 74.0},
        n=339,
        flags=["cohort_overlap"],
    )
    lone = record(
        "frey-2012-tace",
        "000",
        author="Frey",
        year=2012,
        outcomes={"os_5y_percent": 50.0},
        n=60,
        flags=["cohort_overlap"],
    )
    review = record(
        "gold-2015-review",
        "004",
        author="Gold",
        year=2015,
        arm="all",
        outcomes={"os_5y_percent": 45.0},
        n=900,
        design="meta_analysis",
    )
    use_records([*K3, mayo_2010, mayo_2011, lone, review])
    code, out, _ = nelm([*POOL, "--format", "json"], capsys, monkeypatch)
    assert code == 0
    report = json.loads(out)
    used = [s["id"] for s in report["studies"]]
    assert "mayo-2011-tace@000-t2" in used
    assert "frey-2012-tace@000-t2" in used
    assert [(e["id"], e["reason"]) for e in report["excluded"]] == [
        (
            "gold-2015-review@004-t2",
            "a review's summary across studies, not one cohort (pooling it with the studies "
            "it summarises would count patients twice)",
        ),
        (
            "mayo-2010-tace@000-t2",
            "same cohort as mayo-2011-tace (flag cohort_overlap, same author and n = 339); "
            "the most recent publication is used",
        ),
    ]
    assert report["notes"] == [
        "frey-2012-tace@000-t2: patients overlap another cohort that is not in this "
        "selection (flag cohort_overlap)"
    ]
