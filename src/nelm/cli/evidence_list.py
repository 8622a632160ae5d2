"""``nelm evidence list``: the evidence records, or where their sources disagree.

``--modality`` and ``--outcome`` narrow the list (an outcome keeps the records that give a
number for it). ``--conflicts`` shows, instead of the records, every study arm that two
sources report differently (patients, year or an outcome), with each source's value.
rich is imported inside the command so that registering it costs nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer

from nelm.cli._common import write_output
from nelm.errors import InputRejected, Problem, not_one_of
from nelm.evidence.records import year_text

if TYPE_CHECKING:
    from nelm.evidence.records import Conflict, EvidenceRecord

FORMATS: Final = ("table", "json", "csv")

_RECORD_COLUMNS: Final = (
    "id",
    "study_key",
    "author",
    "year",
    "arm",
    "modality",
    "design",
    "population",
    "n",
    "n_pnet",
)


def register(evidence_app: typer.Typer) -> None:
    """Add this command to ``nelm evidence``."""

    @evidence_app.command("list")
    def list_command(
        modality: Annotated[
            str | None,
            typer.Option("--modality", help="Only this treatment (an option id, e.g. tace, prrt)."),
        ] = None,
        outcome: Annotated[
            str | None,
            typer.Option(
                "--outcome",
                help="Only records with a number for this outcome, e.g. median_os_months.",
            ),
        ] = None,
        output_format: Annotated[
            str, typer.Option("--format", help="table, json or csv.")
        ] = "table",
        show_conflicts: Annotated[
            bool,
            typer.Option(
                "--conflicts", help="Show where sources disagree about the same study arm."
            ),
        ] = False,
    ) -> None:
        """The published study arms behind the evidence summaries, with their sources."""
        run(
            modality=modality,
            outcome=outcome,
            output_format=output_format,
            show_conflicts=show_conflicts,
        )


def run(
    *, modality: str | None, outcome: str | None, output_format: str, show_conflicts: bool
) -> None:
    """Check the options, select the records (or their conflicts) and print them."""
    from nelm.evidence.records import MODALITIES, OUTCOMES, conflicts, records_for

    problems: list[Problem] = []
    if modality is not None and modality not in MODALITIES:
        problems.append(not_one_of("--modality", modality, MODALITIES))
    if outcome is not None and outcome not in OUTCOMES:
        problems.append(not_one_of("--outcome", outcome, OUTCOMES))
    if output_format not in FORMATS:
        problems.append(not_one_of("--format", output_format, FORMATS))
    if problems:
        raise InputRejected(problems)

    if show_conflicts:
        # An outcome narrows the fields, not the records: a source that reports the outcome
        # as not reached has no number for it but is exactly what a conflict must show.
        found = conflicts(records_for(modality=modality))
        if outcome is not None:
            found = tuple(c for c in found if c.field == outcome)
        _print_conflicts(found, output_format)
    else:
        _print_records(records_for(modality=modality, outcome=outcome), output_format, outcome)


# --- records ---------------------------------------------------------------------------


def _print_records(
    records: Sequence[EvidenceRecord], output_format: str, outcome: str | None
) -> None:
    if output_format == "json":
        write_output(
            json.dumps([r.as_dict() for r in records], ensure_ascii=False, indent=2) + "\n", None
        )
    elif output_format == "csv":
        write_output(_records_csv(records), None)
    else:
        _records_table(records, outcome)


def _records_csv(records: Sequence[EvidenceRecord]) -> str:
    from nelm.evidence.records import OUTCOMES

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            *_RECORD_COLUMNS,
            *OUTCOMES,
            "not_reached",
            "flags",
            "source_seed",
            "source_locator",
            "note",
        ]
    )
    for record in records:
        doc = record.as_dict()
        writer.writerow(
            [
                *(_cell(doc[key]) for key in _RECORD_COLUMNS),
                *(_cell(record.outcomes.get(name)) for name in OUTCOMES),
                ";".join(record.not_reached),
                ";".join(record.flags),
                record.source.get("seed", ""),
                record.source.get("locator", ""),
                record.note or "",
            ]
        )
    return buffer.getvalue()


def _records_table(records: Sequence[EvidenceRecord], outcome: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from nelm.evidence.flag_words import flag_sentences
    from nelm.knowledge.sources import ReferenceList, reference_lines

    console = Console()
    refs = ReferenceList()  # sources by author and year, listed under the table
    if not records:
        console.print("No records match.")
        return
    table = Table(title=f"Evidence records ({len(records)})", show_lines=True)
    table.add_column("study arm", overflow="fold")
    table.add_column("modality", overflow="fold")
    table.add_column("n", justify="right")
    # One outcome asked for: its value alone; otherwise every outcome, one per line.
    table.add_column(outcome or "outcomes", overflow="fold")
    table.add_column("source (record id)", overflow="fold")
    # the extraction's flags, each in one sentence (JSON and CSV keep the codes)
    table.add_column("about the figures", overflow="fold")
    for record in records:
        table.add_row(
            f"{record.author} {year_text(record)}\n{record.arm}",
            record.modality,
            "" if record.n is None else str(record.n),
            _cell(record.outcomes[outcome]) if outcome else _outcomes_text(record),
            refs.label(
                f"{record.source.get('seed', '')} {record.source.get('locator', '')}".strip()
            )
            + f"\n{record.id}",
            "\n".join(flag_sentences(record.flags)),
        )
    console.print(table)
    for line in reference_lines(refs):
        console.print(line, highlight=False, markup=False)


def _outcomes_text(record: EvidenceRecord) -> str:
    lines = [f"{name} {value:g}" for name, value in record.outcomes.items()]
    lines += [f"{name} not reached" for name in record.not_reached]
    return "\n".join(lines)


# --- conflicts -------------------------------------------------------------------------


def _print_conflicts(found: Sequence[Conflict], output_format: str) -> None:
    if output_format == "json":
        doc = [
            {
                "study_key": c.study_key,
                "field": c.field,
                "values": [{"id": rid, "value": value} for rid, value in c.values],
            }
            for c in found
        ]
        write_output(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", None)
    elif output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["study_key", "field", "id", "value"])
        for conflict in found:
            for rid, value in conflict.values:
                writer.writerow([conflict.study_key, conflict.field, rid, _cell(value)])
        write_output(buffer.getvalue(), None)
    else:
        _conflicts_table(found)


def _conflicts_table(found: Sequence[Conflict]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not found:
        console.print("No disagreements between sources.")
        return
    table = Table(title=f"Disagreements between sources ({len(found)})", show_lines=True)
    for header in ("study", "field", "source values"):
        table.add_column(header, overflow="fold")
    for conflict in found:
        table.add_row(
            conflict.study_key,
            conflict.field,
            "\n".join(f"{rid}: {_cell(value)}" for rid, value in conflict.values),
        )
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
