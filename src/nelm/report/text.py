"""The terminal report of an assessment (``nelm assess --format text``).

Built from the assessment document, so it shows exactly what the JSON says. Every piece of
user-supplied text goes into ``rich.text.Text`` objects, never into markup, so a label such
as ``[red]`` or ``<script>`` is printed as typed.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from nelm.case.fields import BOUND_PARTS
from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.cautions import common_cautions, short_name
from nelm.report.known_range import missing_label
from nelm.report.text_cards import card, common_caution_list, verdicts
from nelm.report.view import (
    classification_rows,
    field_label,
    in_words,
    investigated_fields,
    missing_data_groups,
    not_known_words,
    option_groups,
    plan_caveat,
    plan_steps,
    record_warnings,
    source_notes,
    todo_items,
)
from nelm.vocabulary import vocabulary

__all__ = ["SAFETY_STATEMENT", "render_text"]

NARROW = 120
"""Below this many columns the plan is a list, not a table: at 100 columns the table's
"Why" column is a 30-character strip that makes the plan a third longer than the list."""

SAFETY_STATEMENT = (
    "Decision support for clinicians, not a decision. Every conclusion above shows its "
    "criteria, the values used and their published sources; missing data is never read as "
    "normal and leaves an option uncertain. Review the basis before acting."
)

INTENT_TITLES: dict[str, str] = {i.id: i.title for i in vocabulary().intents}
STATUS_WORDS: dict[str, str] = {s.id: s.title for s in vocabulary().statuses}


def _classification(doc: dict[str, Any], refs: ReferenceList) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for row in classification_rows(doc):
        explanation = not_known_words(cite_plain(row.explanation, refs)) if row.explanation else ""
        value = Text.assemble(
            (row.value, "bold"), ("\n" + explanation, "dim") if explanation else ""
        )
        if row.settle:
            value.append("\nwould settle it: " + ", ".join(row.settle), style="dim yellow")
        table.add_row(row.title, value)
    return table


def _step_options(step: dict[str, Any], refs: ReferenceList) -> Group:
    """Each option of a step on its own line, then what it waits on, indented: a board
    scans the names."""
    lines: list[Any] = []
    for i, item in enumerate(step["items"]):
        name = Text()
        if i:
            name.append(step["joiner"] + " ", style="dim")
        name.append(item["name"], style="bold" if item["status"] == "eligible" else "yellow")
        # the verdict in words: without colour, eligible and uncertain look alike
        name.append(" — " + STATUS_WORDS.get(item["status"], item["status"]).lower(), style="dim")
        lines.append(name)
        waits = []
        if item["conditions"]:
            waits.append("if " + "; ".join(cite_plain(c, refs) for c in item["conditions"]))
        if item["weigh"]:
            waits.append(
                "for the board to weigh: " + "; ".join(cite_plain(c, refs) for c in item["weigh"])
            )
        if not waits and item["status"] == "uncertain":
            # the open criteria say what is missing; the investigations say how to get it
            waits.append("obtain: " + (", ".join(item["pending"]) or "the board's judgement"))
        for wait in waits:
            lines.append(Padding(Text(wait, style="dim yellow"), (0, 0, 0, 2)))
    return Group(*lines)


def _plan(doc: dict[str, Any], refs: ReferenceList, width: int) -> Any:
    if width < NARROW:  # a list: a four-column table collapses on a narrow terminal
        lines: list[Any] = []
        for step in plan_steps(doc):
            lines.append(Text(f"{step['step']}. {step['intent_title']}", style="bold"))
            lines.append(Padding(_step_options(step, refs), (0, 0, 0, 3)))
            lines.append(
                Padding(
                    Text(
                        "Why: "
                        + cite_plain(step["rationale"], refs)
                        + " ("
                        + refs.labels(step["sources"])
                        + ")",
                        style="dim",
                    ),
                    (0, 0, 0, 3),
                )
            )
        return Group(*lines)
    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    table.add_column("#", width=2)
    table.add_column("Intent", min_width=14, ratio=1, overflow="fold")
    table.add_column("Options", min_width=22, ratio=3, overflow="fold")
    table.add_column("Why", min_width=24, ratio=2, overflow="fold")
    for step in plan_steps(doc):
        why = Text(cite_plain(step["rationale"], refs))
        why.append("\n" + refs.labels(step["sources"]), style="dim")
        table.add_row(str(step["step"]), step["intent_title"], _step_options(step, refs), why)
    return table


def _listed_as_absent(path: str, absent: set[str]) -> bool:
    """Whether "not in the bundle" names ``path``: a bounded number is named once, by the
    number itself ("Ki-67 index", not also "Ki-67 index (at least)"), and not at all when
    the bundle gave it in any form (an age from a birth date, an eGFR "> 60")."""
    for number, parts in BOUND_PARTS.items():
        family = (number, *parts)
        if path in family:
            return path == number and all(p in absent for p in family)
    return True


def _hanging(marker: str, body: Text, widest: int = 1) -> Table:
    """``marker`` then ``body``, its wrapped lines indented under the body's first word (a
    numbered list whose continuation lines start at the margin is hard to scan); ``widest``
    is the longest marker of the list, so that item 10 lines up with item 9."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=max(len(marker), widest) + 2, justify="right", no_wrap=True)
    grid.add_column(overflow="fold")  # a resource id wider than the column folds, never cut
    grid.add_row(Text(marker, style=body.style), body)
    return grid


def _heading(title: str, width: int) -> Rule | Group:
    """A section rule with its title; a title too long for the rule goes on its own line
    above it, so that a narrow terminal never cuts it."""
    if len(title) + 6 <= width:
        return Rule(title, align="left")
    return Group(Text(title, style="bold"), Rule())


def render_text(doc: dict[str, Any], *, width: int | None = None, color: bool = False) -> str:
    """Render an assessment document as a terminal report ``width`` columns wide (long
    lines wrap; nothing is cut). Clinical names only: no option ids or field paths; the
    sources are cited by author and year and listed at the end."""
    width = max(40, width or 100)
    refs = ReferenceList()
    console = Console(
        file=io.StringIO(),
        record=True,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    title = Text.assemble(("nelm assessment  ", "bold"), (doc["case_id"], "bold cyan"))
    if doc.get("label"):
        title.append("  — ")
        title.append(doc["label"])
    console.print(Panel(Text.assemble(title, ("\nknowledge " + doc["knowledge_version"], "dim"))))
    # What the record says about the whole assessment (a death, no neuroendocrine
    # neoplasm) comes before anything else.
    boxed = record_warnings(doc)
    for warning in boxed:
        console.print(Panel(Text(warning, style="bold red")))
    # the record's warnings stand in their boxes above; the list names the rest once
    rest = [w for w in doc["warnings"] if w not in boxed]
    if rest:  # first: an implausible value may be a slip that changes everything
        console.print(_heading("Warnings", width))
        for warning in rest:
            words = in_words(cite_plain(warning, refs))
            console.print(_hanging("⚠", Text(words, style="yellow")))
    # What the board decides on first: the plan, then every option's verdict; the
    # classification they rest on follows, then each option's card.
    console.print(_heading("Plan", width))
    caveat = plan_caveat(doc)
    if caveat:
        console.print(Text(caveat, style="bold red"))
    if doc["plan"]:
        console.print(_plan(doc, refs, width))
    else:
        console.print(Text("No option is open on the data given.", style="yellow"))
    groups = option_groups(doc)
    console.print(_heading("Verdicts (each option's card below)", width))
    console.print(verdicts(groups, refs))
    console.print(_heading("Classification", width))
    console.print(_classification(doc, refs))
    # a caution this patient raises on many options is said once, as in the HTML report
    common = common_cautions(doc)
    if common:
        console.print(_heading("Cautions for this patient on several options", width))
        console.print(common_caution_list(common, refs))
    shown_rows: dict[Any, str] = {}
    shown_notes: dict[str, str] = {}
    for group in groups:
        console.print(_heading(f"Options — {group.title}", width))
        for oid, option in group.members:
            console.print(
                card(
                    oid,
                    option,
                    refs,
                    common,
                    shown_rows,
                    lambda p: missing_label(doc, p, field_label),
                    shown_notes,
                )
            )

    def short(oid: str) -> str:
        # the lists below name many options each: by their short names ("TACE", "PRRT"),
        # as the cautions above do; each card bears the full name
        return short_name(oid, doc["options"].get(oid) or {})

    todo = todo_items(doc, short)
    if todo:
        console.print(_heading("To do: investigations, most decisive first", width))
        for n, item in enumerate(todo, 1):
            body = Text.assemble(
                (item["name"], "bold"),
                f" — gives {', '.join(item['gives'])}. ",
                cite_plain(item["summary"][:1].upper() + item["summary"][1:], refs),
            )
            console.print(_hanging(f"{n}.", body, widest=len(f"{len(todo)}.")))
            for precaution in item.get("precautions") or ():
                said = cite_plain(precaution["text"], refs)
                cited = f"{said} ({refs.labels(precaution['sources'])})"
                console.print(Padding(_hanging("⚠", Text(cited, style="yellow")), (0, 0, 0, 3)))
    # a field an investigation gives is named above, not again: only the others are listed
    # (each option's card names all the fields it waits on)
    missing = missing_data_groups(doc, short, leave_out=investigated_fields(doc))
    if todo and doc["missing_data"] and not missing:
        console.print(
            f"These investigations give all {len(doc['missing_data'])} fields that would "
            "decide an option; each option names the fields it waits on."
        )
    if missing:
        console.print(_heading("Missing data that would decide an option", width))
        for labels, names in missing:
            verb = " decides " if len(labels) == 1 else " decide "
            body = Text.assemble((", ".join(labels), "bold yellow"), verb + ", ".join(names))
            console.print(_hanging("·", body))
    source = doc.get("input_source")
    if source:
        console.print(
            _heading(f"Input: {source['format']} (as of {source['assessment_date']})", width)
        )
        # Hanging indents, as in the lists above: a long resource list wrapped to the
        # margin reads as a new item.
        for field, origin in source["provenance"].items():
            body = Text.assemble((field_label(field), "bold"), " ← " + origin)
            console.print(_hanging("·", body))
        if source["unmapped"]:
            absent = set(source["unmapped"])
            shown = [f for f in source["unmapped"] if _listed_as_absent(f, absent)]
            unmapped = ", ".join(field_label(f) for f in shown)
            console.print(_hanging("·", Text("Not in the bundle (not known): " + unmapped, "dim")))
        for issue in source.get("data_quality") or ():
            console.print(_hanging("·", Text("not used (data quality): " + issue, "yellow")))
        for note in source_notes(source):
            console.print(_hanging("·", Text("note: " + note, "dim")))
    if refs.order:
        console.print(_heading("References", width))
        widest = len(f"{len(refs.order)}.")
        for number, ref in enumerate(refs.order, start=1):
            # wrapped under the reference's first word: the numbers stay readable
            console.print(_hanging(f"{number}.", Text(ref.full), widest=widest))
    console.print(Rule())
    console.print(Text(SAFETY_STATEMENT, style="italic"))
    exported = console.export_text(styles=color)
    if color:
        return exported
    # rich pads a table's lines to the full width; the spaces only get in the way of a
    # pasted or diffed report
    return "\n".join(line.rstrip() for line in exported.split("\n"))
