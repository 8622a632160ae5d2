"""``nelm --version`` names the installed package and the knowledge base it assesses with
(docs/knowledge-base.md: a stored assessment names its knowledge version), and ``--help``
says how to see a traceback (cli-v1: exit 1 points to ``--debug``)."""

from __future__ import annotations

from typing import Any

from nelm.knowledge.loader import load_knowledge
from tests.cli.test_assess_cli import run


def test_version_names_the_package_and_the_knowledge_base(capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run(["--version"], capsys, monkeypatch)
    assert code == 0 and err == ""
    assert out.startswith("nelm ")
    assert out.rstrip().endswith(f"knowledge base {load_knowledge().version}")


def test_help_says_how_to_see_a_traceback(capsys: Any, monkeypatch: Any) -> None:
    code, out, _ = run(["--help"], capsys, monkeypatch)
    assert code == 0
    assert "--debug" in out


def test_a_bad_option_value_is_said_as_every_rejected_input(capsys: Any, monkeypatch: Any) -> None:
    # cli-v1: exit 2, one message naming what was rejected and what was expected
    code, out, err = run(["assess", "examples/sparse.json", "--format", "csv"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err == (
        "error: --format: 'csv' is not one of 'text', 'json', 'html', 'pdf'. "
        "(see nelm assess --help)\n"
    )


def test_an_unknown_option_is_named_with_the_one_meant(capsys: Any, monkeypatch: Any) -> None:
    # cli-v1: exit 2, one message; "--engin" for nelm batch's --engine
    code, out, err = run(
        ["batch", "in.csv", "-o", "out.csv", "--engin", "polars"], capsys, monkeypatch
    )
    assert code == 2 and out == ""
    assert err == (
        "error: --engin: an option of nelm batch, got an unknown one (did you mean --engine?) "
        "(see nelm batch --help)\n"
    )


def test_a_required_option_not_given_is_named_with_what_it_wants(
    capsys: Any, monkeypatch: Any
) -> None:
    # cli-v1: exit 2, one message naming the field and what was expected; click's own
    # message for a missing option is empty, which printed "error: --n:  (see …)"
    code, out, err = run(["synth", "-o", "x.csv"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err == "error: --n: number of cases (required), got none (see nelm synth --help)\n"
    code, _, err = run(["evidence", "survival"], capsys, monkeypatch)
    assert code == 2
    assert err.startswith(
        "error: --modality: option id of the treatment, e.g. liver_resection, tace, prrt "
        "(required), got none"
    )


def test_a_required_argument_not_given_is_named(capsys: Any, monkeypatch: Any) -> None:
    code, out, err = run(["batch", "-o", "out.csv"], capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.startswith("error: INPUT: cohort file (required), got none")
