"""The ``nelm`` command.

Each sub-command lives in its own module of this package and registers itself on the Typer
application (:func:`build_app`; ``nelm.cli.app`` builds it on first use). Modules import
heavy libraries (numpy, polars, matplotlib) inside their functions, and an ordinary
``nelm assess`` call is read without typer at all (``nelm.cli.assess_run``), so that it
starts quickly. Errors become exit codes only here, at the edge: ``InputRejected`` → 2 with
one line per problem on standard error, anything unexpected → 1 with a pointer to
``--debug``.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from nelm.cli._common import run_guarded, run_plain

if TYPE_CHECKING:
    import typer

__all__ = ["app", "build_app", "main"]


@cache
def build_app() -> typer.Typer:
    """The Typer application with every sub-command registered."""
    import typer

    _show_flags_as_flags()
    from nelm.cli.assess import register as register_assess
    from nelm.cli.batch import register as register_batch
    from nelm.cli.evidence import register as register_evidence
    from nelm.cli.knowledge_changes import register as register_knowledge_changes
    from nelm.cli.serve import register as register_serve
    from nelm.cli.synth import register as register_synth

    application = typer.Typer(
        name="nelm",
        help="Decision support for neuroendocrine liver metastases.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    def root(
        show_version: bool = typer.Option(
            False,
            "--version",
            help="Print nelm's version and its knowledge base's, then exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ) -> None:
        """Decision support for neuroendocrine liver metastases."""

    application.callback(epilog=_DEBUG_HELP)(root)
    register_assess(application)
    register_evidence(application)
    register_serve(application)
    register_batch(application)
    register_synth(application)
    register_knowledge_changes(application)
    return application


def _show_flags_as_flags() -> None:
    """Print an on/off flag (``--evidence``, ``--examples/--no-examples``, ``--help``) in
    the help without a value type: Typer 0.29 shows every option's type, ``<bool>`` for a
    flag too, as if it took a value. Its plain (non-rich) help already leaves flags
    without one; this does the same for the rich help. Typer is pinned (pyproject.toml);
    tests/cli/test_help.py reads every command's help."""
    from typer.core import TyperOption

    if getattr(TyperOption.display_type_rich, "_nelm_flags", False):
        return
    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag and not self.count:
            return None
        return shown(self, ctx)

    display_type_rich._nelm_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_DEBUG_HELP = (
    "Any command takes --debug: an internal error (exit 1) then shows its traceback. "
    "Exit 2: the input was rejected, one line per problem."
)


def _print_version(value: bool) -> None:
    if not value:
        return
    import typer

    from nelm.knowledge.loader import load_knowledge

    try:
        from importlib.metadata import version

        package = version("nelm")
    except Exception:  # a source tree that was never installed
        package = "not installed"
    typer.echo(f"nelm {package}, knowledge base {load_knowledge().version}")
    raise typer.Exit()


def __getattr__(name: str) -> Any:
    if name == "app":  # ``from nelm.cli import app`` still works, built on first use
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console entry point."""
    args = sys.argv[1:]
    if args[:1] == ["assess"]:
        from nelm.cli.assess_run import parse_assess_args, run_assess

        debug = "--debug" in args
        parsed = parse_assess_args([a for a in args[1:] if a != "--debug"])
        if parsed is not None:
            sys.exit(run_plain(lambda: run_assess(**parsed), debug))
    sys.exit(run_guarded(build_app()))
