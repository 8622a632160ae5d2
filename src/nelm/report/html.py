"""The printable report of an assessment: one self-contained HTML page.

Built from the assessment document (assessment-v1), like the text report, so it shows
exactly what the JSON says: the inputs used, the classification with its explanations,
every option grouped by intent with its criteria, values and sources (cited by author
and year and listed at the end), the plan, the missing data, an
evidence summary, the knowledge version, the generation time and the
clinical-safety statement. The CSS is inline and nothing is loaded from anywhere, so the
file prints, mails and archives as it is (and ``nelm.report.pdf`` turns it into a PDF).

Jinja2 autoescaping is on: a label such as ``<script>`` is shown as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

from nelm.evidence.records import source_text
from nelm.knowledge.sources import ReferenceList, cite_plain
from nelm.report.cautions import CommonCaution, caution_title, common_cautions, short_name
from nelm.report.known_range import missing_label
from nelm.report.text import SAFETY_STATEMENT
from nelm.report.verdicts import (
    RESULT_WORDS,
    criteria_tally,
    failing_criteria,
    other_criteria,
    result_word,
    weighed,
)
from nelm.report.view import (
    SECTION_TITLES,
    classification_rows,
    field_label,
    format_value,
    in_words,
    input_rows,
    investigated_fields,
    missing_data_groups,
    not_known_words,
    option_groups,
    plan_caveat,
    plan_steps,
    record_flags,
    record_warnings,
    source_notes,
    todo_items,
    warning_headline,
)
from nelm.vocabulary import vocabulary

__all__ = [
    "INTENT_TITLES",
    "RESULT_MARK",
    "RESULT_TEXT",
    "STATUS_MARK",
    "STATUS_TEXT",
    "evidence_for_report",
    "field_label",
    "format_value",
    "input_rows",
    "options_by_intent",
    "render_html",
]

INTENT_TITLES: dict[str, str] = {i.id: i.title for i in vocabulary().intents}
STATUS_TEXT = {s.id: s.title for s in vocabulary().statuses}
STATUS_MARK = {s.id: s.mark for s in vocabulary().statuses}
# "not known", not the JSON's result name "unknown", wherever a person reads a result
RESULT_TEXT = dict(RESULT_WORDS)
RESULT_MARK = {r.id: r.mark for r in vocabulary().results}


def options_by_intent(doc: Mapping[str, Any]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The options grouped by intent (plan order), eligible first within each group
    (``nelm.report.view.option_groups`` as (title, members) pairs for the templates)."""
    return [(group.title, list(group.members)) for group in option_groups(doc)]


def evidence_for_report(doc: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The evidence records of every option that is not ineligible, for the report's
    evidence summary; empty when the evidence base is not installed."""
    try:
        from nelm.evidence.flag_words import flag_sentences
        from nelm.evidence.records import MODALITIES, arm_label, outcome_text, records_for
        from nelm.evidence.selection import HIGH_GRADE_POPULATIONS
    except ImportError:
        return {}
    from nelm.vocabulary import design_title, population_title

    result: dict[str, list[dict[str, Any]]] = {}
    for oid, option in doc["options"].items():
        if option.get("status") == "ineligible" or oid not in MODALITIES:
            continue
        rows = [
            {
                **r.as_dict(),
                "source_text": source_text(r.source),
                "label": arm_label(r),
                "design_title": design_title(r.design),
                "population_title": population_title(r.population),
                "high_grade": r.population in HIGH_GRADE_POPULATIONS,
                # as printed: "81", "not reached"; None when the source gives nothing
                "median_os_text": outcome_text(r, "median_os_months"),
                "os_5y_text": outcome_text(r, "os_5y_percent"),
                # the extraction's flags in words (the codes stay in "flags")
                "flag_words": flag_sentences(r.flags),
            }
            for r in records_for(modality=oid)
        ]
        if rows:
            result[oid] = rows
    return result


_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm;
  font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
  @top-right { content: "Case " string(caseid); font-size: 8.5pt; font-weight: bold; }
  @top-left { content: "nelm · assessment"; font-size: 8pt; color: #444; }
  @top-center { content: string(recordflag); font-size: 8pt; color: #a00; font-weight: bold; }
  @bottom-right { content: "Assessment report, page " counter(page) " of " counter(pages);
                  font-size: 8.5pt; } }
.caseid { string-set: caseid content(); }
.record-headline { string-set: recordflag content(); }
* { box-sizing: border-box; }
/* a link tabbed to on screen: a ring seen on a washed-out projector too */
a:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #111; margin: 0 auto; max-width: 60em; padding: 1em; }
h1 { font-size: 17pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; border-bottom: 2px solid #222; margin: 1.4em 0 .5em;
     break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1em 0 .3em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .8em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left;
         vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; }
.meta { color: #333; margin: .2em 0; }
.status { font-weight: bold; padding: 0 .3em; border: 1.5px solid; border-radius: 3px;
          white-space: nowrap; }
.eligible { color: #0a5c16; border-color: #0a5c16; }
.uncertain { color: #7a4a00; border-color: #7a4a00; }
.ineligible { color: #8b0000; border-color: #8b0000; }
/* An option longer than the rest of a page starts where the page leaves room, not on a
   new page (a whole page left blank before each long option): its heading stays with
   its first criteria, and no criterion row, caution or evidence line is split. */
.option { margin-bottom: .8em; }
.option > p:first-child { break-after: avoid; }
.option li, .option > p { break-inside: avoid; }
.src { color: #444; font-size: 9pt; }
.record-warning { border: 3px solid #a00; color: #a00; padding: .4em .8em; margin: .8em 0;
  font-weight: bold; }
.common-cautions { border: 2px solid #7a4a00; padding: .1em .8em; margin: .5em 0 1em; }
.common-cautions h3 { margin-top: .4em; }
.common-cautions li { break-inside: avoid; margin-bottom: .3em; }
.safety { border: 2px solid #222; padding: .6em .8em; margin-top: 1.5em; font-weight: bold; }
ol.plan > li { margin-bottom: .6em; }
ol.plan > li > strong { display: block; break-after: avoid; }
ul.plan-options > li, p.why { break-inside: avoid; }
ul.plan-options { margin: .15em 0; padding-left: 1.1em; list-style: none; }
ul.plan-options > li { margin: .15em 0; }
.joiner { font-style: italic; color: #444; }
ul.plan-options a { color: inherit; }
@media print { ul.plan-options a { text-decoration: none; } }
.if { font-size: 9.5pt; color: #5a3a00; }
p.why { margin: .2em 0 0; font-size: 9.5pt; }
.small { font-size: 9pt; }
table.source td:first-child { width: 30%; }
/* The cards are numbered, and the verdicts and the plan name each option's card by its
   number, so that a reader of the paper finds it. (A page number by target-counter would
   double WeasyPrint's time for the whole report.) */
.card-no { font-weight: bold; }
table.inputs td:first-child { width: 11em; }
table.inputs td:nth-child(2) { width: 15em; }
/* The classification's labels on one line each ("Liver-metastasis type", "Stage (AJCC
   7th)" wrapped in a 10em column): the column is as wide as its longest label. */
table.classification th { width: 1%; white-space: nowrap; }
td.result { white-space: nowrap; }
td.result.weigh { white-space: normal; }  /* "not met: for the board to weigh" wraps */
.card-ref { color: #444; font-size: 9pt; white-space: nowrap; }
/* The verdicts of every option on the first page: one line each. */
table.verdicts td { border: none; padding: .05em .45em .05em 0; }
table.verdicts th { background: none; border: none; border-bottom: 1px solid #999;
  padding: .4em 0 .05em; font-size: 10pt; }
table.verdicts td:first-child { width: 1%; white-space: nowrap; }
table.verdicts tr.group { break-after: avoid; }
.tally { color: #444; font-size: 9.5pt; }
/* A card's criteria: columns of fixed shares, so that a long criterion or source list
   does not squeeze the others into a word a line, and a smaller type (most of the
   report's pages are these tables). */
table.criteria { table-layout: fixed; font-size: 9.5pt; line-height: 1.3; margin: .2em 0 .4em; }
table.criteria th, table.criteria td { padding: .15em .35em; }
table.criteria td.src { font-size: 8.5pt; }
col.c-text { width: 37%; }
col.c-result { width: 11%; }
col.c-value { width: 27%; }
col.c-src { width: 25%; }
table.reasons col.c-text { width: 42%; }
table.reasons col.c-value { width: 31%; }
table.reasons col.c-src { width: 27%; }
.option > p { margin: .3em 0; }
/* a card's cautions, missing data and evidence in the type of its table's sources'
   neighbours: the card's heading and criteria stay the first thing read */
.option > p:not(:first-child), .option > ul { font-size: 9.5pt; line-height: 1.35; }

.option ul { margin: .1em 0 .3em; padding-left: 1.4em; }
/* a card's caution list is never left as a label alone at a page's foot */
p.cautions-label { break-after: avoid; margin-bottom: .1em; }
/* Resource ids are long unbroken words: let them wrap rather than run off a phone. */
ul.source-notes li, table.source td, ol.refs li { overflow-wrap: anywhere; }
/* a DOI broken across lines cannot be copied or typed back: kept on one line */
ol.refs .doi { white-space: nowrap; }
"""

# on their own <style> element: WeasyPrint leaves it out of a PDF without warning of an
# @media rule with a width
_PHONE_CSS = """
/* A phone: long words in cells may break, so that every table fits the screen's
   width; headings keep their words whole. */
body { padding: .5em; font-size: 10pt; }
th, td { padding: .2em .3em; }
td { overflow-wrap: anywhere; }
/* the cards' fixed column shares are for paper: a phone sizes them by their content */
table.criteria { table-layout: auto; }
/* on a phone the labels wrap in their 10em column, leaving the values the room */
table.classification th { width: 10em; white-space: normal; }
/* the inputs' section and field columns are sized for paper (26em): on a phone they left
   the value a few letters a line ("unkno / wn / prima / ry"); sized by content, the
   labels wrap between words and the value keeps its room */
table.inputs td:first-child, table.inputs td:nth-child(2) { width: auto; }
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="nelm">
<title>nelm assessment – {{ doc.case_id }}</title>
<style>{{ css | safe }}</style>
<style media="screen and (max-width: 40em)">{{ phone_css | safe }}</style>
</head>
<body>
<header>
<h1>Tumour-board assessment: <span class="caseid">{{ doc.case_id }}</span></h1>
{% if doc.label %}<p class="meta"><strong>Label:</strong> {{ doc.label }}</p>{% endif %}
<p class="meta"><strong>Knowledge version:</strong> {{ doc.knowledge_version }}
 · <strong>Generated:</strong> {{ generated }}
 {% if case_version %} · <strong>Case version:</strong> {{ case_version }}{% endif %}</p>
</header>
<main>
{% set record_warnings = record_warnings_of(doc) %}
{% if record_warnings %}
<div class="record-warning" role="alert">
<p>Read first: <span class="record-headline">{{ record_flags_of(doc) | join("; ") }}</span></p>
{% for w in record_warnings %}
<p>{{ w }}</p>{% endfor %}</div>
{% endif %}

{% if doc.warnings %}
<section class="warnings">
<h2>Warnings</h2>
<ul>{% for w in doc.warnings %}
{# a record's warning stands in full in the box above: named here, not printed twice #}
{% if w in record_warnings %}<li><strong>{{ w | headline }}</strong>: in full under
 “Read first” above.</li>
{% else %}<li>{{ w | cite_text | in_words }}</li>{% endif %}
{% endfor %}</ul>
</section>
{% endif %}

<h2>Inputs used</h2>
{% if inputs %}
<table class="inputs"><thead><tr><th scope="col">Section</th>
<th scope="col">Field</th>
<th scope="col">Value</th></tr></thead><tbody>
{% for section, label, value in inputs %}
{# a section is named on its first row only: the rows below are read as its own #}
<tr><td>{% if loop.first or loop.previtem[0] != section -%}
{{ section_titles.get(section, section) }}{% endif %}</td>
<td>{{ label }}</td><td>{{ value }}</td></tr>
{% endfor %}
</tbody></table>
{% else %}<p>No clinical fields were given.</p>{% endif %}
<p class="small">Fields not listed are not known; a value not known is never read as normal.</p>
<h2>Verdicts</h2>
<p class="small">Every option, grouped by intent; its card below gives each criterion with
its value and sources.</p>
<table class="verdicts"><tbody>
{% for title, members in groups %}
<tr class="group"><th colspan="2" scope="colgroup">{{ title }}</th></tr>
{% for oid, option in members %}
<tr><td><span class="status {{ option.status }}">{{ status_mark[option.status] }}
 {{ status_text[option.status] }}</span></td>
<td><strong>{{ option.name or oid }}</strong>
{%- if option.status == 'ineligible' %} <span class="tally">— not met:
 {{ failing(option) | map('cite_text') | join('; ') }}</span>
{%- else %} <span class="tally">— {{ tally(option) }}</span>{% endif %}
 <span class="card-ref">(card {{ card_no[oid] }})</span></td></tr>
{% endfor %}
{% endfor %}
</tbody></table>

<h2>Plan</h2>
{% set caveat = plan_caveat_of(doc) %}
{% if caveat %}<p class="record-warning plan-caveat">{{ caveat }}</p>{% endif %}
{% if doc.plan %}
<ol class="plan">
{% for step in plan %}
<li><strong>{{ step.intent_title }}</strong>
<ul class="plan-options">
{% for item in step['items'] %}
<li>{% if not loop.first %}<span class="joiner">{{ step.joiner }}</span> {% endif -%}
<strong><a href="#option-{{ item.id }}">{{ item.name }}</a></strong>
 <span class="status {{ item.status }}">{{ item.status_title }}</span>
 <span class="card-ref">(card {{ card_no[item.id] }})</span>
{%- if item.conditions %}<br>
<span class="if">if {{ item.conditions | map('cite_text') | join('; ') }}</span>
{%- endif %}
{%- if item.weigh %}<br>
<span class="if">for the board to weigh: {{ item.weigh | map('cite_text') | join('; ') }}</span>
{%- endif %}
{%- if not item.conditions and not item.weigh and item.status == 'uncertain' %}<br>
<span class="if">obtain {{ item.pending | join(', ') or "the board's judgement" }}</span>
{%- endif %}</li>
{% endfor %}
</ul>
<p class="why">{{ step.rationale | cite_text }}
 <span class="src">({{ step.sources | cite }})</span></p></li>
{% endfor %}
</ol>
{% else %}<p>No option is open on the data given.</p>{% endif %}

{% if todo %}
<h2>To do: investigations, most decisive first</h2>
<ol class="todo">
{% for item in todo %}
<li><strong>{{ item.name }}</strong> — gives {{ item.gives | join(', ') }}.
 {{ item.summary[:1] | upper }}{{ item.summary[1:] | cite_text }}
 <span class="src">({{ item.sources | cite }})</span>{% for p in item.get('precautions', ()) %}
 <br><strong>Precaution:</strong> {{ p.text | cite_text }}
 <span class="src">({{ p.sources | cite }})</span>{% endfor %}</li>
{% endfor %}
</ol>
{% endif %}

{# A field an investigation gives is named in the to-do list, with the options it could
   decide: the missing-data list names only the others (none, when the knowledge base
   gives every field an investigation); each card names all the fields it waits on. #}
{% if todo and doc.missing_data %}
<p class="small">{% if missing %}These investigations give {{ investigated }} of the
 {{ doc.missing_data | length }} fields that would decide an option; the others are below.
{%- else %}These investigations give all {{ doc.missing_data | length }} fields that would
 decide an option.{% endif %} Each option's card names the fields it waits on.</p>
{% endif %}
{% if missing %}
<h2>Missing data that would decide an option</h2>
<ul class="missing">
{% for labels, names in missing %}
<li>Obtain <strong>{{ labels | join(', ') }}</strong> to decide:
 {{ names | join(', ') }}</li>
{% endfor %}
</ul>
{% endif %}


<h2>Classification</h2>
<table class="classification"><tbody>
{% for title, key, value in classification %}
<tr><th scope="row">{{ title }}</th><td><strong>{{ value }}</strong>
{% if doc.classification.explanations.get(key) %}<br>
<span class="src">{{ doc.classification.explanations[key] | cite_text | not_known }}</span>
{%- endif %}</td></tr>
{% endfor %}
</tbody></table>

<h2>Options</h2>
{% if common_cautions %}
<div class="common-cautions" id="common-cautions">
<h3>Cautions for this patient on several options</h3>
<p class="small">Said once here; each option's card names them by number.</p>
<ol>
{% for c in common_cautions %}<li id="caution-{{ c.number }}">{{ c.text | cite_text }}
 <span class="src">({{ c.sources | cite }})</span><br>
<span class="small">On {{ c.options | length }} options: {{ c.names | join(', ') }}.</span></li>
{% endfor %}
</ol></div>
{% endif %}
{% for title, members in groups %}
<h3>{{ title }}</h3>
{% for oid, option in members %}
<div class="option" id="option-{{ oid }}">
<p><span class="card-no">{{ card_no[oid] }}.</span>
 <span class="status {{ option.status }}">{{ status_mark[option.status] }}
 {{ status_text[option.status] }}</span> <strong>{{ option.name or oid }}</strong>
</p>
{% if option.status == 'ineligible' %}
{# the criteria not met decide it, in full, headed as the case page heads them; the
   others in one line, by their words alone #}
<table class="criteria reasons"><colgroup><col class="c-text"><col class="c-value">
<col class="c-src"></colgroup>
<thead><tr><th scope="col">Criterion not met</th>
<th scope="col">Value</th>
<th scope="col">Sources</th></tr></thead><tbody>
{% for c in option.criteria if c.result == 'not_met' %}
<tr><td>{{ c.text | cite_text }}</td>
<td>{{ c.value | not_known }}</td><td class="src">{{ c.sources | cite }}</td></tr>
{% endfor %}
</tbody></table>
{% set others = other_criteria(option) %}
{% if others %}<p class="small others">Its other criteria, which do not change the verdict:
{% for word, texts in others %} <em>{{ word }}</em>: {{ texts | map('cite_text') | join('; ') }}
{%- if not loop.last %}.{% endif %}{% endfor %}.</p>{% endif %}
{% else %}
<table class="criteria"><colgroup><col class="c-text"><col class="c-result">
<col class="c-value"><col class="c-src"></colgroup>
<thead><tr><th scope="col">Criterion</th>
<th scope="col">Result</th>
<th scope="col">Value used</th>
<th scope="col">Sources</th></tr>
</thead><tbody>
{% for c in option.criteria %}
<tr><td>{{ c.text | cite_text }}</td>
<td class="result{{ ' weigh' if weighed(c) }}">{{ result_word(c) }}</td>
<td>{{ c.value | not_known }}</td><td class="src">{{ c.sources | cite }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% set shared, own = card_cautions(oid, option) %}
{% if shared or own %}<p class="cautions-label"><strong>Cautions:</strong></p><ul>
{% for c in shared %}<li>{{ c.title | cite_text }} (<a href="#caution-{{ c.number }}">caution
 {{ c.number }}</a>, above the options)</li>{% endfor %}
{% for caution in own %}{% set first = first_card(caution.text) %}
{# a note several cards carry is printed in full on the first, named on the others #}
{% if first and first != card_no[oid] %}<li>{{ caution.text | caution_title | cite_text }}
 (in full on <a href="#option-{{ first_oid[first] }}">card {{ first }}</a>)</li>
{% else %}<li>{{ caution.text | cite_text }}
 <span class="src">({{ caution.sources | cite }})</span></li>{% endif %}{% endfor %}</ul>
{% endif %}
{% if option.missing %}<p>Obtain {{ wanted(option.missing) }}
 to decide.</p>{% endif %}
{% if option.get('evidence') and option.evidence.get('text') %}
<p><strong>Evidence:</strong> {{ option.evidence.text | cite_text }}</p>{% endif %}
</div>
{% endfor %}
{% endfor %}

{% set source = doc.get("input_source") %}
{% if source %}

<h2>Input source</h2>
<p>Read from a {{ source.format }}, as of {{ source.assessment_date }}.</p>
{% if source.provenance %}
<table class="source"><thead><tr><th scope="col">Field</th>
<th scope="col">Taken from</th></tr></thead><tbody>
{% for field, origin in source.provenance.items() %}
<tr><td>{{ field | label }}</td><td>{{ origin }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% if source.get("data_quality") or source_notes %}
<p><strong>Not used or set aside:</strong></p>
<ul class="small source-notes">
{% for issue in source.get("data_quality") or [] %}<li>data quality: {{ issue }}</li>{% endfor %}
{% for note in source_notes %}<li>{{ note | in_words }}</li>{% endfor %}
</ul>
{% if source.get("notes_by_reason") %}<p class="small">Each note names at most three
resources; the JSON assessment names up to twenty.</p>{% endif %}
{% endif %}
{% endif %}

{% if evidence %}
<h2>Appendix: evidence</h2>
<p class="small">Each row is a study arm as one review article reports it: an arm that two
reviews report has two rows, and a review's summary across studies is a row of its own. –:
the review gives no figure. Rows marked HIGH GRADE describe neuroendocrine carcinoma or G3
tumours, which the pooled estimates leave out (the seeds' treatment algorithm is for
well-differentiated G1–G2 NET). Under a study, in small type, what the extraction found
about its figures (a study that is not a series of liver metastases, a mean printed as a
median, …).</p>
{% for oid, rows in evidence.items() if rows %}
{% set arms = rows | map(attribute='study_key') | unique | list | length %}
<h3>{{ option_name(oid) }} — {{ rows | length }} row{{ 's' if rows|length != 1 }}
{%- if arms != rows | length %}, {{ arms }} study arm{{ 's' if arms != 1 }}{% endif %}</h3>
<table class="small"><thead><tr><th scope="col">Study · design · population</th>
<th scope="col">n</th>
<th scope="col">Median OS (mo)</th>
<th scope="col">5-y OS (%)</th>
<th scope="col">Source</th></tr></thead><tbody>
{% for r in rows %}
<tr><td>{% if r.high_grade %}<strong>HIGH GRADE</strong> {% endif %}{{ r.label }}<br>
<span class="src">{{ r.design_title }} · {{ r.population_title }}</span>
{%- for w in r.flag_words %}<br><span class="src">{{ w }}</span>{% endfor %}</td>
<td>{{ r.n if r.n is not none else '–' }}</td>
<td>{{ r.median_os_text or '–' }}</td><td>{{ r.os_5y_text or '–' }}</td>
<td class="src">{{ r.source_text | cite_text }}</td></tr>
{% endfor %}
</tbody></table>
{% endfor %}
{% else %}
<p class="small">The evidence appendix (study arms per option) is printed only when asked
for.</p>
{% endif %}

{% if decisions %}
<h2>Board decisions</h2>
<table><thead><tr><th scope="col">When</th>
<th scope="col">Who</th>
<th scope="col">Case version</th>
<th scope="col">Options</th>
<th scope="col">Decision</th></tr></thead><tbody>
{% for d in decisions %}
<tr><td>{{ d.decided_at }}</td><td>{{ d.decided_by or '–' }}</td><td>{{ d.case_version }}</td>
<td>{{ d.options | map('option_name') | join(', ') or '–' }}</td><td>{{ d.text }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}

{% if refs.order %}
<h2>References</h2>
<ol class="refs small">
{% for ref in refs.order %}<li>{{ ref.citation }}
{%- for url in ref.doi_urls %} <span class="doi">doi:{{ url[16:] }}</span>{% endfor %}</li>
{% endfor %}
</ol>
{% endif %}

</main>
<p class="safety">{{ safety }}</p>
<p class="small">nelm · knowledge {{ doc.knowledge_version }} · generated {{ generated }}</p>
</body>
</html>
"""


def _environment() -> Environment:
    env = Environment(
        loader=DictLoader({"report.html": _TEMPLATE}),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = field_label
    env.filters["in_words"] = in_words  # fields by their labels, as the CLI and the page
    env.filters["headline"] = warning_headline
    env.filters["caution_title"] = caution_title
    env.filters["not_known"] = lambda text: not_known_words(str(text))
    return env


_ENV = _environment()


def _cards(
    groups: Sequence[tuple[str, list[tuple[str, Any]]]],
) -> list[tuple[str, Any]]:
    return [member for _, members in groups for member in members]


def _classification_rows(doc: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    return [(row.title, row.key, row.value) for row in classification_rows(doc)]


def render_html(
    doc: Mapping[str, Any],
    *,
    generated_at: datetime | None = None,
    evidence: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    decisions: Sequence[Mapping[str, Any]] = (),
    case_version: int | None = None,
) -> str:
    """The report of the assessment ``doc`` as one self-contained HTML document.

    ``evidence`` maps option ids to evidence records (``EvidenceRecord.as_dict()`` plus
    ``source_text``); ``decisions`` are stored board decisions (``as_dict()``).
    """
    when = (generated_at or datetime.now(UTC)).astimezone(UTC)
    options = doc["options"]

    def option_name(oid: str) -> str:
        option = options.get(oid)
        name = option.get("name") if isinstance(option, Mapping) else None
        return str(name) if name else oid

    # Sources are cited by author and year and numbered in a reference list at the end,
    # as in the text report: a printed "004 §3.1" means nothing to a reader.
    refs = ReferenceList()
    env = _ENV.overlay()
    env.filters["option_name"] = option_name
    env.filters["cite"] = refs.labels
    env.filters["cite_text"] = lambda text: cite_plain(str(text), refs)
    # the cautions this patient raises on many options, said once above the options
    common = common_cautions(doc)

    def card_cautions(
        oid: str, option: Mapping[str, Any]
    ) -> tuple[list[CommonCaution], list[Mapping[str, Any]]]:
        """(the common cautions the card refers to, the cautions it prints in full)."""
        shared = [c for c in common if oid in c.options]
        texts = {c.text for c in shared}
        own = [
            c
            for c in option.get("caution_details") or ()
            if not (c.get("case_specific") and c.get("text") in texts)
        ]
        return shared, own

    def short(oid: str) -> str:
        # the to-do and missing-data lists name many options each: by their short names
        # ("TACE", "PRRT"), as the cautions and the text report do; the cards bear the full
        return short_name(oid, options.get(oid) or {})

    groups = options_by_intent(doc)
    investigated = investigated_fields(doc)
    cards = _cards(groups)
    # the card that prints a caution's text first (cards in print order); a caution no
    # longer than the line naming it is printed whole everywhere
    first: dict[str, int] = {}
    for n, (_, option) in enumerate(cards, start=1):
        for caution in option.get("caution_details") or ():
            first.setdefault(str(caution.get("text", "")), n)

    def first_card(text: str) -> int | None:
        return first.get(text) if caution_title(text) != text.strip() else None

    template = env.get_template("report.html")
    return template.render(
        common_cautions=common,
        card_cautions=card_cautions,
        doc=doc,
        record_warnings_of=record_warnings,
        record_flags_of=record_flags,
        plan_caveat_of=plan_caveat,
        css=_CSS,
        phone_css=_PHONE_CSS,
        generated=when.strftime("%Y-%m-%d %H:%M UTC"),
        inputs=input_rows(
            doc.get("inputs") or {},
            (doc.get("classification") or {}).get("from_timeline") or (),
            (doc.get("classification") or {}).get("set_aside") or (),
        ),
        classification=_classification_rows(doc),
        plan=plan_steps(doc),
        todo=todo_items(doc, short),
        # the fields the to-do list names are not listed again
        missing=missing_data_groups(doc, short, leave_out=investigated),
        investigated=sum(1 for m in doc.get("missing_data") or () if m["field"] in investigated),
        # a card's missing fields, with what is known of them ("Age (known: 50–59 years)")
        wanted=lambda paths: ", ".join(missing_label(doc, p, field_label) for p in paths),
        section_titles=SECTION_TITLES,
        # cards numbered in the order they are printed (intent, then status)
        card_no={oid: n for n, (oid, _) in enumerate(cards, start=1)},
        first_card=first_card,
        first_oid={n: oid for n, (oid, _) in enumerate(cards, start=1)},
        tally=criteria_tally,
        failing=failing_criteria,
        other_criteria=other_criteria,
        source_notes=source_notes(doc.get("input_source") or {}),
        groups=groups,
        intents=INTENT_TITLES,
        status_text=STATUS_TEXT,
        status_mark=STATUS_MARK,
        result_text=RESULT_TEXT,
        result_word=result_word,
        weighed=weighed,
        option_name=option_name,
        evidence={k: list(v) for k, v in (evidence or {}).items()},
        decisions=list(decisions),
        case_version=case_version,
        safety=SAFETY_STATEMENT,
        refs=refs,
    )
