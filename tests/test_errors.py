"""The error tree of nelm.errors: each error's exit code and HTTP status, and the edges."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from nelm import errors
from nelm.cli import app
from nelm.cli._common import run_guarded
from nelm.errors import (
    ConflictError,
    ConvergenceError,
    FetchError,
    InputRejected,
    KnowledgeBaseError,
    NelmError,
    NotFoundError,
    Problem,
    StoreError,
    UnavailableError,
    UnitError,
    where_raised,
)


@pytest.mark.parametrize(
    ("error", "exit_code", "status"),
    [
        # cli-v1 (shared/contract): 2 = the input was rejected, 1 = anything else.
        (InputRejected([Problem("x", "y", "z")]), 2, 422),
        (UnitError("a unit convertible to mg/dL"), 2, 422),
        (ConvergenceError("REML", "did not converge", "DL or PM"), 2, 422),
        (KnowledgeBaseError("bad"), 1, 500),
        (NotFoundError("no case 7"), 2, 404),
        (ConflictError("case id taken"), 2, 409),
        (FetchError("the server could not be reached"), 1, 502),
        (UnavailableError("install the pdf extra"), 1, 503),
    ],
)
def test_each_error_says_its_exit_code_and_http_status(
    error: NelmError, exit_code: int, status: int
) -> None:
    assert (error.exit_code, error.http_status) == (exit_code, status)


def test_the_tree() -> None:
    assert issubclass(UnitError, InputRejected) and issubclass(UnitError, ValueError)
    assert issubclass(ConvergenceError, InputRejected)
    assert issubclass(NotFoundError, StoreError) and issubclass(ConflictError, StoreError)
    for name in errors.__all__:
        found = getattr(errors, name)
        if isinstance(found, type) and issubclass(found, Exception):
            assert issubclass(found, NelmError), name
            assert name in (errors.__doc__ or ""), f"{name} missing from the tree in the docstring"


def test_a_convergence_failure_names_the_method_not_a_flag() -> None:
    exc = ConvergenceError(
        "REML", "REML Fisher scoring did not converge in 100 iterations", "DL or PM"
    )
    assert [p.path for p in exc.problems] == ["method"]
    assert "--" not in str(exc) and "DL or PM" in str(exc)


def _raise(error: Exception) -> Any:
    def raiser(*args: Any, **kwargs: Any) -> Any:
        raise error

    return raiser


def test_the_cli_exits_with_each_errors_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import nelm.evidence.pooling as pooling

    cases = [
        (
            ConvergenceError("REML", "did not converge in 100 iterations", "DL or PM"),
            2,
            "error: method: a method that converges",
        ),
        (UnavailableError("install it"), 1, "error: install it"),
        (KnowledgeBaseError("broken"), 1, "internal error: broken"),
    ]
    for error, code, message in cases:
        monkeypatch.setattr(pooling, "pool_proportions", _raise(error))
        monkeypatch.setattr(
            sys,
            "argv",
            [
                "nelm",
                "evidence",
                "pool",
                "--modality",
                "liver_resection",
                "--outcome",
                "os_5y_percent",
            ],
        )
        assert run_guarded(app) == code
        assert message in capsys.readouterr().err


def test_a_name_outside_its_list_names_the_one_it_most_likely_means() -> None:
    """cli-v1: a rejected option id names the field and what was expected; a slip of case
    or one letter also names the id meant, and nothing is taken in its place."""
    from nelm.errors import not_one_of

    allowed = ("tace", "tae", "tare", "prrt")
    assert not_one_of("--modality", "tacee", allowed).got == "tacee (did you mean tace?)"
    assert not_one_of("--modality", "PRRT", allowed).got == "PRRT (did you mean prrt?)"
    named = ("resectable-pnet", "liver_resection")
    assert not_one_of("--example", "resectable_pnet", named).got.endswith("resectable-pnet?)")
    assert not_one_of("--modality", "liver resection", named).got.endswith("liver_resection?)")
    far = not_one_of("--modality", "surgery", allowed)
    assert far.got == "surgery"
    assert far.message == "--modality: must be one of tace, tae, tare, prrt, got surgery"


def test_an_outcome_without_its_unit_names_the_one_outcome_it_begins() -> None:
    """evidence-v1 outcome names carry their unit (orr_percent, median_os_months): a name
    typed without it is named, only when exactly one outcome begins so."""
    from nelm.errors import not_one_of

    outcomes = ("median_os_months", "orr_percent", "os_1y_percent", "os_5y_percent")
    assert not_one_of("--outcome", "orr", outcomes).got == "orr (did you mean orr_percent?)"
    assert not_one_of("--outcome", "median_os", outcomes).got.endswith("median_os_months?)")
    assert not_one_of("--outcome", "os", outcomes).got == "os"  # two begin so: none named


def test_where_raised_names_type_and_lines_never_the_message() -> None:
    # a message can quote what a user sent; logs never carry patient data (the brief's
    # standard), so the log line for an unexpected error names the type and the lines only
    def parse(value: str) -> int:
        try:
            return int(value)
        except ValueError as exc:
            raise RuntimeError(f"bad value {value!r}") from exc

    try:
        parse("Jane Roe 1950-02-03")
    except RuntimeError as exc:
        text = where_raised(exc)
    assert text.startswith("RuntimeError at test_errors.py:")
    assert "in parse" in text and "raised while handling ValueError" in text
    assert "Jane" not in text and "1950" not in text
