"""The options of the terminal report (``nelm assess --format text``): the verdicts at a
glance, the cautions common to several options said once, and each option's card.

Split from ``nelm.report.text`` so that each module stays one concept: this one is about
the options, that one about the page around them. User-supplied text goes into
``rich.text.Text`` objects only, never into markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.cautions import CommonCaution, caution_title, short_name
from nelm.report.verdicts import WEIGHED_RESULT, criteria_tally, failing_criteria, weighed
from nelm.report.view import OptionGroup, field_label, not_known_words
from nelm.vocabulary import vocabulary

__all__ = ["RESULT_MARK", "STATUS_STYLE", "card", "common_caution_list", "verdicts"]

# Colours are this renderer's own; the words and marks come from vocabulary.yaml.
_STATUS_COLOUR = {"eligible": "bold green", "uncertain": "bold yellow", "ineligible": "bold red"}
_RESULT_COLOUR = {"met": "green", "not_met": "red", "unknown": "yellow"}
STATUS_STYLE = {s.id: (s.title.upper(), _STATUS_COLOUR[s.id]) for s in vocabulary().statuses}
RESULT_MARK = {r.id: (r.mark, _RESULT_COLOUR[r.id]) for r in vocabulary().results}
_STATUS_WIDTH = max(len(label) for label, _ in STATUS_STYLE.values())
_INDENT = 3


def _item(marker: str, style: str, body: Text, indent: int = _INDENT) -> Padding:
    """A card's line: its mark, then its words, wrapped lines starting under the words
    (a criterion wrapped back to the mark's column reads as the next criterion)."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=len(marker), no_wrap=True)
    grid.add_column(overflow="fold")  # a long word folds, never cut
    grid.add_row(Text(marker, style=style), body)
    return Padding(grid, (0, 0, 0, indent))


def verdicts(groups: Sequence[OptionGroup], refs: ReferenceList) -> Table:
    """Every option's verdict on one line, grouped by intent: a board sees at once what is
    open and what is not; for an option ruled out, the criteria that rule it out (their
    values and sources are on its card below)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=_STATUS_WIDTH, no_wrap=True)
    table.add_column(overflow="fold")
    for group in groups:
        table.add_row("", Text(group.title, style="bold underline"))
        for _oid, option in group.members:
            label, style = STATUS_STYLE[option["status"]]
            line = Text(str(option["name"]), style="bold")
            if option["status"] == "ineligible":
                said = "; ".join(cite_plain(t, refs) for t in failing_criteria(option))
                line.append(" — not met: " + said if said else "", style="red")
            else:
                line.append(" — " + criteria_tally(option), style="dim")
            table.add_row(Text(label, style=style), line)
    return table


def common_caution_list(common: Sequence[CommonCaution], refs: ReferenceList) -> Group:
    """The cautions this patient raises on several options, numbered as the cards cite
    them, each with its sources and the options it applies to (as the HTML report)."""
    lines: list[Any] = [Text("Said once here; each option's card names them by number.", "dim")]
    widest = len(f"{len(common)}.")
    for c in common:
        body = Text(cite_plain(c.text, refs), style="magenta")
        body.append(f"  ({refs.labels(c.sources)})", style="dim")
        body.append(f"\nOn {len(c.options)} options: {', '.join(c.names)}.", style="dim")
        lines.append(_item(f"{c.number}.".rjust(widest), "bold magenta", body, indent=0))
    return Group(*lines)


SAME_AFTER = 3
"""An option whose shown criteria are, row for row, those of a card above (TAE, cTACE and
DEB-TACE share their fourteen) names that card instead, from this many rows on."""


def _rows_key(rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(
        (str(c["text"]), str(c["value"]), str(c["result"]), "|".join(c["sources"])) for c in rows
    )


def card(
    oid: str,
    option: Mapping[str, Any],
    refs: ReferenceList,
    common: Sequence[CommonCaution],
    shown_rows: dict[tuple[tuple[str, str, str, str], ...], str] | None = None,
    wanted: Callable[[str], str] = field_label,
    shown_notes: dict[str, str] | None = None,
) -> Group:
    """One option: its verdict, its criteria with the values used and their sources, its
    cautions (those said once above named by number), what would decide it, its evidence.
    An ineligible option shows the criteria that rule it out and its patient's cautions.
    ``shown_rows`` (criteria rows printed so far → the option's short name) lets a card
    whose rows are a card's above name it rather than repeat them. ``wanted`` labels a
    missing field (with what is known of it: "Age (known: 50–59 years)"). ``shown_notes``
    (a note's text → the short name of the option it was printed under) lets a note several
    options carry, such as the post-embolisation syndrome on TAE, TACE and DEB-TACE, be
    printed in full once and named by its title after that, as the printed report does."""
    label, style = STATUS_STYLE[option["status"]]
    # a long name wraps under itself, not under the verdict
    head = Table.grid(padding=(0, 1))
    head.add_column(width=_STATUS_WIDTH, no_wrap=True)
    head.add_column(overflow="fold")
    head.add_row(Text(label, style=style), Text(str(option["name"]), style="bold"))
    lines: list[Any] = [head]
    brief = option["status"] == "ineligible"
    rows = [c for c in option["criteria"] if not brief or c["result"] == "not_met"]
    hidden = len(option["criteria"]) - len(rows)
    key = _rows_key(rows)
    same = shown_rows.get(key) if shown_rows is not None and len(rows) >= SAME_AFTER else None
    if same is not None:
        said = f"the same {len(rows)} criteria, values, results and sources as {same} above"
        lines.append(_item("=", "bold", Text(said[:1].upper() + said[1:], style="cyan")))
        rows = []
    elif shown_rows is not None:
        shown_rows.setdefault(key, short_name(oid, option))
    for crit in rows:
        mark, mstyle = RESULT_MARK[crit["result"]]
        body = Text(cite_plain(crit["text"], refs))
        body.append(f" — {not_known_words(str(crit['value']))}", style="cyan")
        if weighed(crit):
            body.append(f" ({WEIGHED_RESULT})", style="yellow")
        body.append(f"  ({refs.labels(crit['sources'])})", style="dim")
        lines.append(_item(mark, mstyle, body))
    if hidden:
        lines.append(
            Padding(
                Text(
                    f"({hidden} other criterion met or not known is not shown for an "
                    "ineligible option)"
                    if hidden == 1
                    else f"({hidden} other criteria met or not known are not shown for an "
                    "ineligible option)",
                    style="dim",
                ),
                (0, 0, 0, _INDENT + 2),
            )
        )
    shared = [c for c in common if oid in c.options]
    said_once = {c.text for c in shared}
    for c in shared:
        body = Text(cite_plain(c.title, refs), style="magenta")
        body.append(f" (caution {c.number}, above the options)", style="dim")
        lines.append(_item("!", "bold magenta", body))
    for caution in option["caution_details"]:
        if caution["case_specific"] and caution["text"] in said_once:
            continue
        if brief and not caution["case_specific"]:
            continue
        text = str(caution["text"])
        first = shown_notes.get(text) if shown_notes is not None else None
        # a note no longer than the line that would name it is printed whole every time
        if first is not None and caution_title(text) != text.strip():
            body = Text(cite_plain(caution_title(text), refs), style="magenta")
            body.append(f" (in full under {first} above)", style="dim")
        else:
            body = Text(cite_plain(text, refs), style="magenta")
            body.append(f"  ({refs.labels(caution['sources'])})", style="dim")
            if shown_notes is not None:
                shown_notes.setdefault(text, short_name(oid, option))
        lines.append(_item("!", "bold magenta", body))
    if option["missing"]:
        labels = ", ".join(wanted(p) for p in option["missing"])
        lines.append(_item("→", "yellow", Text(f"obtain {labels} to decide", style="yellow")))
    evidence = option.get("evidence")
    if evidence and evidence.get("studies") and not brief:
        said = cite_plain(str(evidence.get("text", "")), refs)
        lines.append(_item("Evidence:", "bold blue", Text(said, style="blue")))
    return Group(*lines)
