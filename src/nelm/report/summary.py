"""The board summary: one or two printed pages a tumour board reads and files.

Patient, question, the board's decision (status, chosen options with nelm's status beside
each, the reason for any option nelm marks ineligible, follow-up), nelm's plan and the
alternatives considered, what is not suitable and why (one line each), warnings and the
investigations that would decide most, attendees, date and who recorded it, and the
references cited. Every page carries the case id and "page n of m". Built from
:func:`nelm.report.board.board_view`, like the web page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from nelm.report.board import INTENT_TITLES, STATUS_WORDS, board_view
from nelm.report.citations import cite_in_text
from nelm.report.decisions import Standing
from nelm.report.view import field_label

__all__ = [
    "BODY_CSS",
    "PHONE_CSS",
    "PHONE_MEDIA",
    "PRINT_TEMPLATES",
    "SUMMARY_SAFETY",
    "page_css",
    "render_summary_html",
]


def page_css(title: str, top_right: str, part: str, stamp: bool = False) -> str:
    """An A4 page with ``title`` and ``top_right`` (CSS content) in its top margin, the
    headline of the record's warnings (``.record-headline``) between them on every page,
    the disclaimer and "``part``, page n of m" in its bottom one: a printed bundle (a
    meeting record, a summary before its full report) numbers each part on its own, so
    each page names the part its numbers count. With ``stamp``, the bottom margin also
    carries the text of the page's ``.stamp`` element (the knowledge version and the time
    printed), so that a loose second page can be dated."""
    bottom_left = '"Decision support for clinicians, not a decision"'
    if stamp:  # on a line of its own: beside the disclaimer it crowded the page number
        bottom_left += r' "\A" string(stamp); white-space: pre-line'
    return f"""
@page {{ size: A4; margin: 17mm 13mm 16mm 13mm;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  @top-left {{ content: "{title}"; font-size: 8pt; color: #444; }}
  @top-center {{ content: string(recordflag); font-size: 8pt; color: #a00; font-weight: bold; }}
  @top-right {{ content: {top_right}; font-size: 8.5pt; font-weight: bold; }}
  @bottom-left {{ content: {bottom_left};
                 font-size: 7.5pt; color: #444; width: 130mm; }}
  @bottom-right {{ content: "{part}, page " counter(page) " of " counter(pages);
                  font-size: 8.5pt; }} }}
"""


BODY_CSS = """
.record-warning { border: 3px solid #a00; color: #a00; padding: .2em .6em; font-weight: bold; }
.record-headline { string-set: recordflag content(); }
.record-warning, .from-record { overflow-wrap: anywhere; }
.caseid { string-set: caseid content(); }
.stamp { string-set: stamp content(); }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.1pt;
       line-height: 1.25; color: #111; margin: 0; }
h1 { font-size: 14pt; margin: 0 0 1mm; }
h2 { font-size: 10pt; margin: 2.2mm 0 .8mm; border-bottom: 1.2px solid #222;
     break-after: avoid; }
p { margin: .8mm 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: .6px solid #999; padding: .6mm 1.4mm; text-align: left; vertical-align: top; }
th { background: #efefef; }
tr { break-inside: avoid; }
.facts { margin: 0; }
.facts dt { float: left; clear: left; width: 24mm; font-weight: bold; }
.facts dd { margin: 0 0 .4mm 25mm; }
ul.lines { padding-left: 4mm; }
ul.lines li { margin-bottom: .4mm; }
.meta { color: #333; }
.small { font-size: 7.8pt; }
.status { font-weight: bold; white-space: nowrap; }
.eligible { color: #0a5c16; } .uncertain { color: #7a4a00; } .ineligible { color: #8b0000; }
.decision { border: 1.5px solid #0b4f9c; padding: 1.5mm 2.5mm; margin: 1mm 0; }
/* a decision taken on an earlier case version than the case is at now */
.stale { border-left: 2.5mm solid #7a4a00; padding-left: 1.5mm; font-weight: bold; }
.provisional-flag { font-weight: bold; color: #7a4a00; }
.final-flag { font-weight: bold; color: #0a5c16; }
/* Side by side as table cells: WeasyPrint stacked the floated halves one under the other. */
.cols { display: table; width: 100%; table-layout: fixed; }
.cols > div { display: table-cell; width: 50%; vertical-align: top; padding-right: 3mm; }
.cols > div + div { padding-right: 0; padding-left: 3mm; }
/* a real record's resource ids ("Condition/mCODETrialMatchingPrimaryCancerCondition…") in
   the warnings: a half-page column is narrower than such an id, which ran over the gutter
   into the next column on paper and past a phone's screen */
.cols li { overflow-wrap: anywhere; }
ol, ul { margin: .5mm 0; padding-left: 5mm; }
.refs li { font-size: 7.4pt; }
/* the references in two columns: a full board summary then fits two pages */
.refs.columns { columns: 2; column-gap: 5mm; padding-left: 4mm; }
.refs.columns li { break-inside: avoid; }
.refs.inline { font-size: 7.4pt; margin: .5mm 0; }
/* a DOI broken across lines cannot be copied or typed back: kept on one line */
.refs .doi { white-space: nowrap; }
.safety { border: 1px solid #222; padding: .5mm 1.5mm; margin: 1.2mm 0; font-size: 7.6pt; }
a { color: inherit; text-decoration: none; }
@media screen { body { max-width: 200mm; margin: 6mm auto; padding: 0 4mm; font-size: 10.5pt; }
  /* the labels' column in the font's own measure: 24 mm is too narrow at screen size */
  .facts dt { width: 8em; } .facts dd { margin-left: 8.5em; } }
"""
"""The printed pages' look, shared by the board summary and the meeting record."""

PHONE_MEDIA = "screen and (max-width: 40em)"
"""The media of the phone's rules: given on their own <style> element, which WeasyPrint
leaves out of a PDF without a warning (it warns of an ``@media`` rule with a width)."""

PHONE_CSS = """
/* a phone: the facts' labels above their values, the two columns one under the other */
.facts dt { float: none; width: auto; } .facts dd { margin: 0 0 1mm 0; }
.cols, .cols > div { display: block; width: auto; padding: 0; }
.cols > div + div { padding-left: 0; } .refs.columns { columns: 1; }
/* the meeting record's four columns, one case under the other */
#minutes thead { display: none; }
#minutes, #minutes tbody, #minutes tr, #minutes td { display: block; width: auto; }
#minutes tr { border-top: 1px solid #777; padding: 1mm 0; } #minutes td { border: 0; }
#minutes td.asked::before { content: "Question to the board: "; font-weight: bold; }
"""

SUMMARY_SAFETY = (
    "Decision support for clinicians, not a decision. This summary gives each verdict with "
    "the criteria that decide it; the full report shows every criterion, the values used and "
    "their published sources. Missing data is never read as normal and leaves an option "
    "uncertain. Review the basis before acting."
)
"""The full report's statement at the head of the summary, where its "every conclusion
above" would stand above nothing and promise criteria the summary leaves to the report."""

_CSS = (
    page_css("nelm · tumour-board summary", '"Case " string(caseid)', "Board summary", stamp=True)
    + BODY_CSS
)


PRINT_TEMPLATES = Environment(
    loader=PackageLoader("nelm.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_summary_html(
    doc: Mapping[str, Any],
    *,
    decision: Any = None,
    meeting: Any = None,
    question: str = "",
    presenter: str = "",
    case_version: int | None = None,
    generated_at: datetime | None = None,
    decision_where: str = "",
    standing: Standing | None = None,
    recorded_early: bool = False,
) -> str:
    """The board summary of one assessment as a self-contained HTML document.

    ``decision`` is the current :class:`nelm.store.DecisionRecord` (or None), ``meeting``
    the :class:`nelm.store.MeetingRecord` it was taken at (or None); ``decision_where``
    says where the decision was taken when that is not ``meeting`` ("at the meeting of
    20 November 2026 (NET board)", "outside a meeting"); ``standing`` the decision against
    the case's current version (``nelm.report.decisions``): when the case has changed
    since the decision, the summary says so, with nelm's status now of each option
    chosen; ``recorded_early`` that it was recorded before the date of the meeting it was
    taken at.
    """
    view = board_view(doc, field_label=field_label)
    planned: Sequence[str] = [oid for step in view.plan for oid, _, _ in step.options]
    # a plan of uncertain options only must not read as a recommendation
    none_eligible = bool(view.plan) and all(
        status != "eligible" for step in view.plan for _, _, status in step.options
    )
    when = (generated_at or datetime.now(UTC)).astimezone(UTC)
    return PRINT_TEMPLATES.get_template("summary.html").render(
        view=view,
        refs=view.references,
        css=_CSS,
        phone_css=PHONE_CSS,
        phone_media=PHONE_MEDIA,
        decision=decision,
        decision_where=decision_where,
        standing=standing,
        recorded_early=recorded_early,
        meeting=meeting,
        question=question,
        presenter=presenter,
        case_version=case_version,
        generated=when.strftime("%d %B %Y %H:%M UTC"),
        names={o.id: o.name for o in view.options},
        status_words=STATUS_WORDS,
        planned=planned,
        none_eligible=none_eligible,
        intents=INTENT_TITLES,
        cite_text=cite_in_text,
        safety=SUMMARY_SAFETY,
    )
