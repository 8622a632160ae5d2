"""The ``nelm`` command.

Each sub-command lives in its own module of this package and registers itself on ``app``.
Modules import heavy libraries (numpy, polars, matplotlib) inside their functions, so that
``nelm assess`` starts quickly. Errors become exit codes only here, at the edge:
``InputRejected`` → 2 with one line per problem on standard error, anything unexpected → 1
with a pointer to ``--debug``.
"""

from __future__ import annotations

import sys

import typer

from nelm.cli._common import run_guarded
from nelm.cli.assess import register as _register_assess
from nelm.cli.batch import register as _register_batch
from nelm.cli.evidence import register as _register_evidence
from nelm.cli.knowledge_changes import register as _register_knowledge_changes
from nelm.cli.serve import register as _register_serve
from nelm.cli.synth import register as _register_synth

app = typer.Typer(
    name="nelm",
    help="Decision support for neuroendocrine liver metastases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_register_assess(app)
_register_evidence(app)
_register_serve(app)
_register_batch(app)
_register_synth(app)
_register_knowledge_changes(app)


def main() -> None:
    """Console entry point."""
    sys.exit(run_guarded(app))
