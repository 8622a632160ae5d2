"""One answer per question: the API, ``nelm evidence pool --format json`` and the assessment.

For every modality and every outcome the records hold, the three paths must name the same
studies and give the same estimate (a pooled percentage, or the n-weighted median of the
study medians), or all three must refuse. Before the analyses moved into
``nelm.evidence.analyses`` the web pages picked studies by a rule of their own (one record
per arm in file order) and disagreed with the command line on 11 of 65 outcomes, among them
5-year survival after TAE (3 studies on the web, 2 on the command line).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from nelm.case.fields import OPTION_IDS
from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.evidence.records import MODALITIES, OUTCOMES, records_for
from nelm.evidence.summary import summary_for_option
from tests.web.conftest import Site

_SUMMARISED = ("os_5y_percent", "orr_percent", "median_os_months")


def _questions() -> list[tuple[str, str]]:
    return [(m, o) for m in MODALITIES for o in OUTCOMES if records_for(m, o)]


def _cli(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["nelm", *args])
    code = run_guarded(app)
    return code, capsys.readouterr().out


def _answer(doc: dict[str, Any]) -> tuple[list[str], float]:
    value = doc["estimate"] if "estimate" in doc else doc["weighted_median"]
    return [s["id"] for s in doc["studies"]], round(float(value), 6)


def _check(
    site: Site,
    questions: list[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    client, headers = site.client(), site.token("reader", "viewer")
    compared = 0
    for modality, outcome in questions:
        code, out = _cli(
            ["evidence", "pool", "--modality", modality, "--outcome", outcome, "--format", "json"],
            capsys,
            monkeypatch,
        )
        api = client.get(
            "/api/v1/evidence/pool",
            params={"modality": modality, "outcome": outcome},
            headers=headers,
        )
        where = f"{modality} {outcome}"
        if code != 0:
            assert code == 2 and api.status_code == 422, (where, code, api.status_code)
            continue
        assert api.status_code == 200, (where, api.text)
        cli_answer = _answer(json.loads(out))
        assert _answer(api.json()) == cli_answer, where
        compared += 1
        if modality in OPTION_IDS and outcome in _SUMMARISED:
            summary = summary_for_option(modality)[outcome]
            assert summary is not None, where
            value = summary["estimate"] if "estimate" in summary else summary["median"]
            assert summary["record_ids"] == cli_answer[0], where
            assert value == round(cli_answer[1], 1), where
    return compared


def test_tae_five_year_survival_is_one_answer(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _check(site, [("tae", "os_5y_percent")], capsys, monkeypatch) == 1


@pytest.mark.slow
def test_every_modality_and_outcome_is_one_answer(
    site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = _questions()
    assert _check(site, questions, capsys, monkeypatch) >= 60
    # An option with no pooled value in its summary is one the command line refuses too.
    for option in OPTION_IDS:
        for outcome in _SUMMARISED:
            if summary_for_option(option)[outcome] is None:
                code, _ = _cli(
                    [
                        "evidence",
                        "pool",
                        "--modality",
                        option,
                        "--outcome",
                        outcome,
                        "--format",
                        "json",
                    ],
                    capsys,
                    monkeypatch,
                )
                assert code == 2, (option, outcome)


def test_a_convergence_failure_is_a_clear_422_not_a_500(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nelm.evidence.pooling as pooling
    from nelm.errors import ConvergenceError

    def no_convergence(*args: Any, **kwargs: Any) -> Any:
        raise ConvergenceError(
            "REML", "REML Fisher scoring did not converge in 100 iterations", "DL or PM"
        )

    monkeypatch.setattr(pooling, "pool_proportions", no_convergence)
    answer = site.client().get(
        "/api/v1/evidence/pool",
        params={"modality": "liver_resection", "outcome": "os_5y_percent"},
        headers=site.token("reader", "viewer"),
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["field"] == "method"
    assert "DL or PM" in answer.json()["problems"][0]["expected"]
