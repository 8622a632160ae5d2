"""The terminal report of an assessment (``nelm assess --format text``).

Built from the assessment document, so it shows exactly what the JSON says. Every piece of
user-supplied text goes into ``rich.text.Text`` objects, never into markup, so a label such
as ``[red]`` or ``<script>`` is printed as typed.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from nelm.report.view import (
    classification_rows,
    field_label,
    option_groups,
    plan_steps,
    todo_items,
)
from nelm.vocabulary import vocabulary

__all__ = ["SAFETY_STATEMENT", "render_text"]

SAFETY_STATEMENT = (
    "Decision support for clinicians, not a decision. Every conclusion above shows its "
    "criteria, the values used and their published sources; missing data is never read as "
    "normal and leaves an option uncertain. Review the basis before acting."
)

INTENT_TITLES: dict[str, str] = {i.id: i.title for i in vocabulary().intents}
# Colours are this renderer's own; the words and marks come from vocabulary.yaml.
_STATUS_COLOUR = {"eligible": "bold green", "uncertain": "bold yellow", "ineligible": "bold red"}
_RESULT_COLOUR = {"met": "green", "not_met": "red", "unknown": "yellow"}
STATUS_STYLE = {s.id: (s.title.upper(), _STATUS_COLOUR[s.id]) for s in vocabulary().statuses}
RESULT_MARK = {r.id: (r.mark, _RESULT_COLOUR[r.id]) for r in vocabulary().results}


def _classification(doc: dict[str, Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    for row in classification_rows(doc):
        value = Text.assemble((row.value, "bold"), ("\n" + row.explanation, "dim")
                              if row.explanation else "")
        if row.settle:
            value.append("\nwould settle it: " + ", ".join(row.settle), style="dim yellow")
        table.add_row(row.title, value)
    return table


def _plan(doc: dict[str, Any]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
    table.add_column("#", width=3)
    table.add_column("Intent", width=16)
    table.add_column("Options", ratio=1)
    table.add_column("Why", ratio=2)
    for step in plan_steps(doc):
        names = Text()
        for i, item in enumerate(step["items"]):
            if i:
                names.append("\n" + step["joiner"] + " ", style="dim")
            if item["conditions"]:
                names.append("if " + "; and ".join(item["conditions"]) + ": ", style="yellow")
            names.append(item["name"], style="bold" if item["status"] == "eligible"
                         else "yellow")
            if item["status"] == "uncertain":
                pending = ", ".join(item["pending"]) or "the board's judgement"
                names.append(f"  (obtain: {pending})", style="dim yellow")
        why = Text(step["rationale"])
        why.append("\n" + "; ".join(step["sources"]), style="dim")
        table.add_row(str(step["step"]), step["intent_title"], names, why)
    return table


def _option(oid: str, option: dict[str, Any]) -> Group:
    label, style = STATUS_STYLE[option["status"]]
    head = Text.assemble((f"{label:<10} ", style), (option["name"], "bold"), (f"  [{oid}]", "dim"))
    lines: list[Any] = [head]
    brief = option["status"] == "ineligible"
    hidden = 0
    for crit in option["criteria"]:
        if brief and crit["result"] != "not_met":
            hidden += 1
            continue
        mark, mstyle = RESULT_MARK[crit["result"]]
        line = Text("   ")
        line.append(mark, style=mstyle)
        line.append(f" {crit['text']}")
        line.append(f" — {crit['value']}", style="cyan")
        line.append(f"  ({'; '.join(crit['sources'])})", style="dim")
        lines.append(line)
    if hidden:
        lines.append(Text(f"     ({hidden} other criteria not shown: see --format json)",
                          style="dim"))
    for caution in option["caution_details"]:
        if brief and not caution["case_specific"]:
            continue
        line = Text("   ")
        line.append("! ", style="bold magenta")
        line.append(caution["text"], style="magenta")
        line.append(f"  ({'; '.join(caution['sources'])})", style="dim")
        lines.append(line)
    if option["missing"]:
        lines.append(Text("   → obtain " + ", ".join(field_label(p) for p in option["missing"])
                          + " to decide",
                          style="yellow"))
    evidence = option.get("evidence")
    if evidence and evidence.get("studies") and not brief:
        lines.append(Text("   Evidence: " + str(evidence.get("text", "")), style="blue"))
    return Group(*lines)


def render_text(doc: dict[str, Any], *, width: int | None = None, color: bool = False) -> str:
    """Render an assessment document as a terminal report."""
    # Recorded into a buffer: the caller prints the exported text once.
    console = Console(file=io.StringIO(), record=True, width=width or 110, force_terminal=color,
                      no_color=not color, highlight=False, emoji=False, soft_wrap=False)
    title = Text.assemble(("nelm assessment  ", "bold"), (doc["case_id"], "bold cyan"))
    if doc.get("label"):
        title.append("  — ")
        title.append(doc["label"])
    console.print(Panel(Text.assemble(title, ("\nknowledge " + doc["knowledge_version"],
                                              "dim"))))
    # What the record says about the whole assessment (a death, no neuroendocrine
    # neoplasm) comes before anything else.
    for warning in (doc.get("input_source") or {}).get("record_warnings") or ():
        console.print(Panel(Text(warning, style="bold red")))
    if doc["warnings"]:  # first: an implausible value may be a slip that changes everything
        console.print(Rule("Warnings", align="left"))
        for warning in doc["warnings"]:
            console.print(Text("  ⚠ " + warning, style="yellow"))
    console.print(Rule("Classification", align="left"))
    console.print(_classification(doc))
    console.print(Rule("Plan", align="left"))
    if doc["plan"]:
        console.print(_plan(doc))
    else:
        console.print(Text("No option is open on the data given.", style="yellow"))
    for group in option_groups(doc):
        console.print(Rule(f"Options — {group.title}", align="left"))
        for oid, option in group.members:
            console.print(_option(oid, dict(option)))
    todo = todo_items(doc)
    if todo:
        console.print(Rule("To do: investigations, most decisive first", align="left"))
        for n, item in enumerate(todo, 1):
            console.print(Text.assemble((f"  {n}. {item['name']}", "bold"),
                                        f" — gives {', '.join(item['field_labels'])}; ",
                                        item["summary"]))
    if doc["missing_data"]:
        console.print(Rule("Missing data that would decide an option", align="left"))
        for item in doc["missing_data"]:
            console.print(Text.assemble(("  " + field_label(item["field"]), "bold yellow"),
                                        (f" ({item['field']})", "dim"),
                                        " decides " + ", ".join(item["decides"])))
    source = doc.get("input_source")
    if source:
        console.print(Rule(f"Input: {source['format']} (as of {source['assessment_date']})",
                           align="left"))
        for field, origin in source["provenance"].items():
            console.print(Text.assemble(("  " + field, "bold"), " ← " + origin))
        if source["unmapped"]:
            console.print(Text("  Not in the bundle (unknown): " + ", ".join(source["unmapped"]),
                               style="dim"))
        for issue in source.get("data_quality") or ():
            console.print(Text("  not used (data quality): " + issue, style="yellow"))
        for note in source["notes"]:
            console.print(Text("  note: " + note, style="dim"))
    console.print(Rule())
    console.print(Text(SAFETY_STATEMENT, style="italic"))
    return console.export_text(styles=color)
